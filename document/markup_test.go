package document

import (
	"fmt"
	"strings"
	"testing"

	"complaintbot/flows"
)

// structure describes the shape of a document: its blocks' kinds, and its tables' rows and
// cells, without their text.
func structure(bs []block) string {
	var b strings.Builder
	for _, bl := range bs {
		b.WriteString(string(bl.kind))
		for _, r := range bl.rows {
			fmt.Fprintf(&b, "[%s:%d]", r.kind, len(r.cells))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// FuzzRender renders a complaint whose user text is arbitrary: rendering never fails, and user
// text never changes the document's structure or smuggles markup, a separator or a control
// character into it, whatever it holds.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"", "张三", "h 伪造\ntr a\x1fb", "\x00\r\n\u2028\u0085", "110105194912310021", "gap\n\ngap", "{{.Name}}", "\xff\xfe"} {
		f.Add(s, s, s)
	}
	r, err := New()
	if err != nil {
		f.Fatal(err)
	}
	full := samples()[1]
	want := make(map[flows.Lang]string)
	for _, lang := range languages() {
		bs, err := r.blocks(Complaint, full, lang)
		if err != nil {
			f.Fatal(err)
		}
		want[lang] = structure(bs)
	}
	f.Fuzz(func(t *testing.T, name, text, caption string) {
		// Empty optional text drops its paragraph, a legitimate change of structure: keep every
		// text non-empty.
		name, text, caption = "x"+name, "文"+text, "x"+caption
		c := full
		c.Contact.Name = name
		c.Description = text
		c.Agent = text
		c.Negotiation.Reply = text
		c.Evidence = append([]flows.Evidence(nil), full.Evidence...)
		c.Evidence[0].Caption = caption
		c.Deductions = append([]flows.Deduction(nil), full.Deductions...)
		c.Deductions[0].Label = caption
		for _, lang := range languages() {
			bs, err := r.blocks(Complaint, c, lang)
			if err != nil {
				t.Fatal(err)
			}
			if got := structure(bs); got != want[lang] {
				t.Fatalf("%s: structure changed:\n got %s\nwant %s", lang, got, want[lang])
			}
			out := renderText(bs, r.labels[lang])
			if strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && r < ' ' || r == 0x7f }) {
				t.Fatalf("%s: control character in %q", lang, out)
			}
			if strings.Contains(out, lineBreak) {
				t.Fatalf("%s: line-break marker left in the text", lang)
			}
		}
	})
}
