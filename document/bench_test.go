package document_test

import (
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
)

// BenchmarkNew measures New, which the program runs once as it starts.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := document.New(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDOCX measures a .docx.
func BenchmarkDOCX(b *testing.B) {
	r := renderer(b)
	c := consumerLakala()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.DOCX(c, flows.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkText measures the text form.
func BenchmarkText(b *testing.B) {
	r := renderer(b)
	c := consumerLakala()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Text(c, flows.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFileName measures the .docx's name, asked for every document sent.
func BenchmarkFileName(b *testing.B) {
	c := consumerLakala()
	b.ReportAllocs()
	for b.Loop() {
		if document.FileName(c, flows.LangZH) == "" {
			b.Fatal("no name")
		}
	}
}

// BenchmarkMessages measures the text form split into Telegram messages, as the bot sends it.
func BenchmarkMessages(b *testing.B) {
	r := renderer(b)
	c := consumerLakala()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Messages(c, flows.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}
