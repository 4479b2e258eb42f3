package law

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuoteError is one citation in a text that does not match the statute data.
type QuoteError struct {
	Line     int    // 1-based line of the citation in the text checked
	Citation string // the citation as written, e.g. 《中华人民共和国价格法》第十三条
	Problem  string // what is wrong, in English
}

func (e *QuoteError) Error() string {
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Citation, e.Problem)
}

// citation matches 《law》第N条, optionally followed by 第N款; numbers in Arabic digits are
// matched too so that they are reported rather than missed.
var citation = regexp.MustCompile(`《([^《》\n]{1,40})》(第[〇零一二三四五六七八九十百千0-9０-９]+条)(第[一二三四五六七八九十0-9]+款)?`)

// CheckQuotes verifies every citation 《…》第…条 in text against the statute data and returns
// every problem found, joined (nil when all are right). A citation ending its line, or followed
// by spaces and Chinese text, is a whole quote: the text that follows must be the article's
// whole text exactly, one paragraph a line, ending with the text or a line break. A citation
// followed by "：「…」" (or "规定：“…”") quotes part of the article: each piece between "…" must
// appear in the article's text or in one of its excerpts. Any other citation is a mention, which
// must name an article in the data. Law names may be written with or without 中华人民共和国.
func CheckQuotes(text string) error {
	s := data()
	laws := map[string]string{}
	for _, a := range s.articles {
		laws[a.Law] = a.Law
		laws[strings.TrimPrefix(a.Law, "中华人民共和国")] = a.Law
	}
	var errs []error
	for _, m := range citation.FindAllStringSubmatchIndex(text, -1) {
		cite := text[m[0]:m[1]]
		line := 1 + strings.Count(text[:m[0]], "\n")
		fail := func(format string, args ...any) {
			errs = append(errs, &QuoteError{Line: line, Citation: cite, Problem: fmt.Sprintf(format, args...)})
		}
		law, ok := laws[text[m[2]:m[3]]]
		if !ok {
			fail("not a law in the statute data; quote or mention only the laws of DOMAIN.md §4")
			continue
		}
		i, ok := s.byCite[law+text[m[4]:m[5]]]
		if !ok {
			fail("not an article in the statute data (numbers are written as there, e.g. 第三十四条)")
			continue
		}
		a := s.articles[i]
		paragraphRef := m[6] >= 0
		rest := strings.TrimPrefix(text[m[1]:], "**")
		after := strings.TrimLeft(rest, " \t")
		// DOMAIN.md's form, 《…》第…条 经营者…: a space and the Chinese text on the same line. A
		// space and anything else ("… and", in an English rendering) is a mention.
		spaced := len(after) < len(rest) && startsWithHan(after)
		switch {
		case !paragraphRef && (after == "" || after[0] == '\n' || after[0] == '\r' || spaced):
			body := strings.TrimPrefix(strings.TrimPrefix(after, "\r"), "\n")
			if !a.Whole() {
				fail("quoted as a whole article, but the statute data holds no whole text of it")
				continue
			}
			if p := wholeProblem(a, body); p != "" {
				fail("%s", p)
			}
		default:
			q, ok := excerptAfter(after)
			if !ok {
				continue // a mention
			}
			if p := excerptProblem(a, q); p != "" {
				fail("%s", p)
			}
		}
	}
	return errors.Join(errs...)
}

// wholeProblem compares the text following a citation with the article's whole text.
func wholeProblem(a Article, body string) string {
	want := a.Text()
	if strings.HasPrefix(body, want) {
		if tail := body[len(want):]; tail == "" || tail[0] == '\n' || tail[0] == '\r' {
			return ""
		}
		return fmt.Sprintf("the quote continues after the article's end: %q", snippet(body[len(want):]))
	}
	for n, p := range a.Paragraphs {
		line, next, _ := strings.Cut(body, "\n")
		line = strings.TrimSuffix(line, "\r")
		if line != p {
			at := commonPrefix(line, p)
			return fmt.Sprintf("paragraph %d differs from the statute data at character %d: has %q, want %q",
				n+1, utf8.RuneCountInString(p[:at])+1, snippet(line[at:]), snippet(p[at:]))
		}
		body = next
	}
	return "the quote differs from the statute data" // line endings: \r\n inside the quote
}

// excerptAfter returns the text quoted in 「…」 or “…” right after a citation (optionally after
// 规定 and a colon).
func excerptAfter(s string) (string, bool) {
	s = strings.TrimPrefix(s, "规定")
	for _, colon := range []string{"：", ":"} {
		s = strings.TrimPrefix(s, colon)
	}
	s = strings.TrimLeft(s, " ")
	for _, pair := range [][2]string{{"「", "」"}, {"“", "”"}} {
		if rest, ok := strings.CutPrefix(s, pair[0]); ok {
			q, _, found := strings.Cut(rest, pair[1])
			return q, found
		}
	}
	return "", false
}

// excerptProblem checks that every piece of a partial quote (pieces are separated by …) appears
// in the article's text or in one of its excerpts.
func excerptProblem(a Article, q string) string {
	sources := []string{a.Text()}
	for _, e := range a.Excerpts {
		sources = append(sources, strings.Split(e, "…")...)
	}
	if !a.Whole() && len(a.Excerpts) == 0 {
		return "quoted in part, but the statute data holds none of its text"
	}
	for _, piece := range strings.Split(q, "…") {
		if piece == "" {
			continue
		}
		found := false
		for _, src := range sources {
			if src != "" && strings.Contains(src, piece) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Sprintf("the quoted part %q is not in the statute data's text", snippet(piece))
		}
	}
	return ""
}

// CheckQuotesWordML runs CheckQuotes on the text of a .docx's word/document.xml, one line per
// paragraph, so that a document test can check its golden document.xml as well as its text.
func CheckQuotesWordML(documentXML []byte) error {
	text, err := wordMLText(documentXML)
	if err != nil {
		return err
	}
	return CheckQuotes(text)
}

// wordMLText extracts the paragraphs of WordprocessingML: the text of w:t runs, w:tab as a tab,
// w:br as a line break, each w:p ending a line.
func wordMLText(doc []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var b strings.Builder
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", fmt.Errorf("law: read document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
}

func startsWithHan(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

func commonPrefix(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) {
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, _ := utf8.DecodeRuneInString(b[i:])
		if ra != rb {
			break
		}
		i += na
	}
	return i
}

// snippet shortens statute text for an error message.
func snippet(s string) string {
	const max = 12
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
