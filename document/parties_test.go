package document_test

import (
	"strings"
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
)

// TestLettersNameTheirParties: a 举报信 names the parties 举报人 and 被举报人, and a court outline
// 原告 and 被告, in every sentence, down to the heading over the user's words in English
// (DOMAIN.md §3's 「投诉人以英文陈述，原文如下」 is the 投诉书's): no 投诉人 is left of the
// complaint's wording.
func TestLettersNameTheirParties(t *testing.T) {
	r := renderer(t)
	for _, tc := range cases() {
		text, err := r.LetterText(document.Report, tc.c, flows.LangZH)
		if err != nil {
			t.Fatal(err)
		}
		if i := strings.Index(text, "投诉人"); i >= 0 {
			t.Errorf("%s: the 举报信 says 投诉人: …%s…", tc.name, around(text, i))
		}
	}
	for _, tc := range []testCase{{name: "consumer-lakala", c: consumerLakala()}, {name: "english-consumer", c: englishConsumer()}} {
		h, err := followup.New(tc.c, flows.DateOf(tc.c.CreatedAt))
		if err != nil {
			t.Fatal(err)
		}
		text, err := r.RungText(tc.c, h, followup.Court)
		if err != nil {
			t.Fatal(err)
		}
		if i := strings.Index(text, "投诉人"); i >= 0 {
			t.Errorf("%s: the court outline says 投诉人: …%s…", tc.name, around(text, i))
		}
	}
}

// around is the text about byte offset i, for a failure message.
func around(s string, i int) string {
	r := []rune(s[:i])
	from := max(0, len(r)-15)
	rest := []rune(s[i:])
	return string(r[from:]) + string(rest[:min(len(rest), 20)])
}
