package document

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"complaintbot/flows"
)

// TestLayoutText checks that the text of paragraphs and table cells reaches document.xml as
// it was given: escaped, with its white space kept, its line breaks as w:br, and the characters
// XML cannot hold replaced.
func TestLayoutText(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"plain", "投诉书", "投诉书"},
		{"markup characters", `<b>&amp; "x" 'y'</b>`, `<b>&amp; "x" 'y'</b>`},
		{"spaces at the ends", "  名称： ", "  名称： "},
		{"ideographic space", "\u3000张三", "\u3000张三"},
		{"line breaks", "第一行" + lineBreak + "第二行" + lineBreak, "第一行\n第二行\n"},
		{"tab and newline", "a\tb\nc", "a\tb\nc"},
		{"not XML characters", "a\x00b\ufffec\x1f", "a\ufffdb\ufffdc\ufffd"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, b := range []struct {
				block
				prefix string // what the paragraph says before the text
			}{
				{block{kind: kindPara, text: tc.text}, ""},
				{block{kind: kindLine, label: "标签：", text: tc.text}, "标签："},
				{block{kind: kindTable, rows: []tableRow{{kind: rowBody, cells: []string{"x", tc.text}}}}, ""},
			} {
				doc, _, err := layout([]block{b.block})
				if err != nil {
					t.Fatal(err)
				}
				texts, err := runTexts(doc)
				if err != nil {
					t.Fatalf("%s: document.xml: %v", b.kind, err)
				}
				if got := texts[len(texts)-1]; got != b.prefix+tc.want {
					t.Errorf("%s: text %q, want %q", b.kind, got, tc.want)
				}
			}
		})
	}
}

// runTexts decodes document.xml and returns the text of each paragraph, w:br as "\n". It
// fails on XML that is not well-formed, or white space at the ends of a w:t without
// xml:space="preserve", which Word would drop.
func runTexts(doc []byte) ([]string, error) {
	var paras []string
	var cur strings.Builder
	inText, preserve := false, false
	d := xml.NewDecoder(strings.NewReader(string(doc)))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return paras, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "t":
				inText, preserve = true, false
				for _, a := range tok.Attr {
					preserve = preserve || a.Name.Local == "space" && a.Value == "preserve"
				}
			case "br":
				cur.WriteByte('\n')
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				paras = append(paras, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				if s := string(tok); strings.TrimSpace(s) != s && !preserve {
					return nil, errors.New("white space at the ends of a text that does not preserve it: " + s)
				}
				cur.Write(tok)
			}
		}
	}
}

// FuzzLayout checks that any text, in any block, gives a well-formed document.xml that holds
// the text.
func FuzzLayout(f *testing.F) {
	for _, s := range []string{"投诉书", "<&>\"'", " a ", "\x00", lineBreak, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var bs []block
		for _, k := range []blockKind{kindTitle, kindHeading, kindPara, kindBold, kindQuote, kindItem, kindRight, kindGap} {
			bs = append(bs, block{kind: k, text: s})
		}
		bs = append(bs, block{kind: kindLine, label: s, text: s}, block{kind: kindTable, rows: []tableRow{{kind: rowHead, cells: []string{s}}, {kind: rowTotal, cells: []string{s, s}}}})
		doc, lists, err := layout(bs)
		if err != nil {
			t.Fatal(err)
		}
		if lists != 1 {
			t.Errorf("%d lists, want 1", lists)
		}
		texts, err := runTexts(doc)
		if err != nil {
			t.Fatal(err)
		}
		want := xmlSafe(s)
		if texts[0] != want {
			t.Errorf("title %q, want %q", texts[0], want)
		}
	})
}

// xmlSafe is s as an XML decoder reads it back after xml.EscapeText: characters XML cannot
// hold as U+FFFD, line breaks as "\n".
func xmlSafe(s string) string {
	var b strings.Builder
	for _, seg := range strings.SplitAfter(s, lineBreak) {
		seg, br := strings.CutSuffix(seg, lineBreak)
		for len(seg) > 0 {
			r, n := utf8.DecodeRuneInString(seg)
			seg = seg[n:]
			switch {
			case r == utf8.RuneError && n == 1,
				r < 0x20 && r != '\t' && r != '\n' && r != '\r',
				r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
		if br {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestParagraphProps checks that any combination of paragraph properties gives one w:pPr whose
// elements each come once, in the order the schema requires (Word refuses others).
func TestParagraphProps(t *testing.T) {
	order := []string{"keepNext", "numPr", "ind", "jc"}
	for _, tc := range []struct {
		p    paraProps
		want []string
	}{
		{paraProps{}, nil},
		{paraProps{keepNext: true, align: "center"}, []string{"keepNext", "jc"}},
		{paraProps{left: true, firstLine: true}, []string{"ind"}},
		{paraProps{keepNext: true, list: 10, left: true, firstLine: true, align: "right"}, order},
	} {
		var w wordML
		w.paragraph(tc.p, run{text: "x"})
		var got, open []string // the children of w:pPr, the elements open
		d := xml.NewDecoder(strings.NewReader(`<r xmlns:w="w">` + w.b.String() + `</r>`))
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%+v: %v", tc.p, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if slices.Equal(open, []string{"r", "p", "pPr"}) {
					got = append(got, tok.Name.Local)
				}
				open = append(open, tok.Name.Local)
			case xml.EndElement:
				open = open[:len(open)-1]
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: w:pPr holds %v, want %v", tc.p, got, tc.want)
		}
	}
}

// TestCoreXML checks that coreXML writes what encoding/xml marshals from the core properties,
// with and without a date, whatever the title holds.
func TestCoreXML(t *testing.T) {
	type w3cdtf struct {
		Type  string `xml:"xsi:type,attr"`
		Value string `xml:",chardata"`
	}
	type coreProperties struct {
		XMLName  xml.Name `xml:"cp:coreProperties"`
		CP       string   `xml:"xmlns:cp,attr"`
		DC       string   `xml:"xmlns:dc,attr"`
		DCTerms  string   `xml:"xmlns:dcterms,attr"`
		XSI      string   `xml:"xmlns:xsi,attr"`
		Title    string   `xml:"dc:title"`
		Language string   `xml:"dc:language"`
		Revision int      `xml:"cp:revision"`
		Created  *w3cdtf  `xml:"dcterms:created,omitempty"`
		Modified *w3cdtf  `xml:"dcterms:modified,omitempty"`
	}
	at := time.Date(2024, 5, 20, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	for _, info := range []docInfo{
		{title: "投诉书 C-000001", lang: flows.LangZH, created: at},
		{title: "complaint", lang: flows.LangEN},
		{title: "a<b>&\"c'\td\ne\rf\x01g\xffh\u2028", lang: flows.LangZH, created: at},
		{},
	} {
		cp := coreProperties{CP: nsCoreProperties, DC: nsDublinCore, DCTerms: nsDCTerms, XSI: nsXSI,
			Title: info.title, Language: string(info.lang), Revision: 1}
		if !info.created.IsZero() {
			w := &w3cdtf{Type: "dcterms:W3CDTF", Value: info.created.UTC().Format(time.RFC3339)}
			cp.Created, cp.Modified = w, w
		}
		b, err := xml.Marshal(cp)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(coreXML(info)), xml.Header+string(b); got != want {
			t.Errorf("%q:\n%s\nencoding/xml:\n%s", info.title, got, want)
		}
	}
}
