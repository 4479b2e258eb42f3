package document

import (
	"bytes"
	"testing"
	"time"
)

// TestDOCXKit checks that a .docx made with the kit is, byte for byte, the one godocx makes on
// its whole template, for complaints that take every branch of the templates, with and without
// a date.
func TestDOCXKit(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	for i, c := range samples() {
		for _, created := range []time.Time{{}, at} {
			c.CreatedAt = created
			for _, lang := range languages() {
				bs, err := r.blocks(c, lang)
				if err != nil {
					t.Fatal(err)
				}
				info := docInfo{title: "title", lang: lang, created: created}
				want, err := renderDOCXWhole(bs, info)
				if err != nil {
					t.Fatal(err)
				}
				got, err := r.docx.render(bs, info)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("sample %d, %s, created %v: the kit's .docx differs from godocx's (%d and %d bytes)", i, lang, created, len(got), len(want))
				}
			}
		}
	}
}
