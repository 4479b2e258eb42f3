package document_test

import (
	"testing"

	"complaintbot/flows"
)

// BenchmarkDOCX measures a .docx; godocx unpacks and parses its template for each document.
func BenchmarkDOCX(b *testing.B) {
	r := renderer(b)
	c := consumerLakala()
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
	for b.Loop() {
		if _, err := r.Text(c, flows.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}
