package document_test

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"complaintbot/document"
)

// parseTelegramHTML reads a message as Telegram's HTML parse mode does, strictly: every tag
// closed in order, every "&" the start of an entity. It returns the text shown.
func parseTelegramHTML(s string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed tag at %d", i)
			}
			inner := s[i+1 : i+j]
			if name, ok := strings.CutPrefix(inner, "/"); ok {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unexpected </%s> at %d", name, i)
				}
				open = open[:len(open)-1]
			} else {
				name, _, _ := strings.Cut(inner, " ")
				open = append(open, name)
			}
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 || html.UnescapeString(s[i:i+j+1]) == s[i:i+j+1] {
				return "", fmt.Errorf("a cut entity at %d: %q", i, s[i:min(len(s), i+8)])
			}
			out.WriteString(html.UnescapeString(s[i : i+j+1]))
			i += j + 1
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("<%s> not closed", open[len(open)-1])
	}
	return out.String(), nil
}

// withoutSpace is s without its white space: what splitting may drop.
func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkSplitHTML checks SplitHTML's contract on well-formed HTML: each part parses, shows at
// most limit UTF-16 code units, and the parts show the text's characters in order.
func checkSplitHTML(text string, limit int, parts []string) error {
	if text == "" {
		if len(parts) != 0 {
			return fmt.Errorf("empty text gave %d parts", len(parts))
		}
		return nil
	}
	whole, err := parseTelegramHTML(text)
	if err != nil {
		return fmt.Errorf("the test's text: %v", err)
	}
	if utf16Len(whole) <= max(limit, 2) {
		if len(parts) != 1 || parts[0] != text {
			return fmt.Errorf("text that fits was not returned as is: %q", parts)
		}
		return nil
	}
	var shown strings.Builder
	for i, p := range parts {
		s, err := parseTelegramHTML(p)
		if err != nil {
			return fmt.Errorf("part %d %q: %v", i, head(p), err)
		}
		if n := utf16Len(s); n > max(limit, 2) {
			return fmt.Errorf("part %d shows %d UTF-16 code units, limit %d", i, n, limit)
		}
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("part %d shows nothing: %q", i, p)
		}
		shown.WriteString(s)
	}
	if got, want := withoutSpace(shown.String()), withoutSpace(whole); got != want {
		return fmt.Errorf("the parts show %q, the text %q", head(got), head(want))
	}
	return nil
}

func TestSplitHTML(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"empty", "", 10, nil},
		{"fits as shown", "<b>a&amp;b</b>&lt;c", 5, []string{"<b>a&amp;b</b>&lt;c"}},
		{"lines packed", "<b>ab</b>\ncd\nef", 5, []string{"<b>ab</b>\ncd", "ef"}},
		{"an entity is never cut", "a&amp;b&amp;c", 2, []string{"a&amp;", "b&amp;", "c"}},
		{"a tag closed and opened again", "<b>abcdef</b>", 3, []string{"<b>abc</b>", "<b>def</b>"}},
		{"a tag over lines", "<i>ab\ncd</i>\nef", 3, []string{"<i>ab</i>", "<i>cd</i>", "ef"}},
		{"a link cut", `<a href="https://x.example/?a=1&amp;b=2">abcd</a>`, 2,
			[]string{`<a href="https://x.example/?a=1&amp;b=2">ab</a>`, `<a href="https://x.example/?a=1&amp;b=2">cd</a>`}},
		{"nested", "<b>a<i>bc</i>d</b>", 2, []string{"<b>a<i>b</i></b>", "<b><i>c</i>d</b>"}},
		{"emoji counts two", "😀😀😀", 2, []string{"😀", "😀", "😀"}},
		{"an entity of an emoji", "&#128512;&#128512;", 2, []string{"&#128512;", "&#128512;"}},
		{"a lone ampersand is text", "a & b & c", 5, []string{"a & b", " & c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := document.SplitHTML(tc.text, tc.limit)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("SplitHTML(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
			}
			if tc.name != "a lone ampersand is text" {
				if err := checkSplitHTML(tc.text, tc.limit, got); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// FuzzSplitHTML: text escaped as the bot escapes what users type, some of it in tags, splits
// into parts Telegram parses, each within the limit as Telegram counts it, showing the text.
func FuzzSplitHTML(f *testing.F) {
	for _, s := range []string{"", "a", "a&b<c>d\"", "字字\n😀\n\nx", strings.Repeat("a&b<c>\n", 30)} {
		for _, limit := range []int{0, 2, 3, 7, 4096} {
			f.Add(s, "tail", limit)
		}
	}
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return // Telegram's texts are UTF-8
		}
		limit = limit % 5000
		text := "<b>" + html.EscapeString(a) + "</b>\n" + html.EscapeString(b) + `<a href="tg://user?id=1">` + html.EscapeString(a) + "</a>"
		if err := checkSplitHTML(text, limit, document.SplitHTML(text, limit)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSplitHTMLShortCheap: a message that fits, as nearly every message does, is returned whole
// without cutting it into tokens (which cost a token, some 50 bytes, a character: 12 KB an
// update in the bot's benchmark).
func TestSplitHTMLShortCheap(t *testing.T) {
	text := strings.Repeat("您的投诉已收到，<b>案件编号 C-000123</b> &amp; 我们会尽快处理。\n", 20)
	if got := document.SplitHTML(text, 4096); len(got) != 1 || got[0] != text {
		t.Fatalf("SplitHTML cut a message that fits: %d parts", len(got))
	}
	if n := testing.AllocsPerRun(100, func() { document.SplitHTML(text, 4096) }); n > 1 {
		t.Errorf("SplitHTML of a message that fits: %.0f allocations, want at most 1", n)
	}
}
