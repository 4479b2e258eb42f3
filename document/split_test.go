package document_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"complaintbot/document"
)

// utf16Len is the length of s in UTF-16 code units, as Telegram counts it.
func utf16Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}

// checkSplit checks Split's contract: every part within the limit and not empty, and the parts
// are the text in order with only newlines dropped between them: at split points, and the
// leading and trailing newlines of the text when it was split. A line is only cut when it is
// longer than the limit.
func checkSplit(text string, limit int, parts []string) error {
	limit = max(limit, 2)
	if text == "" {
		if len(parts) != 0 {
			return fmt.Errorf("empty text gave %d parts", len(parts))
		}
		return nil
	}
	if utf16Len(text) <= limit {
		if len(parts) != 1 || parts[0] != text {
			return fmt.Errorf("text that fits was not returned as is: %q", parts)
		}
		return nil
	}
	rest := text
	for i, p := range parts {
		if p == "" {
			return fmt.Errorf("part %d is empty", i)
		}
		if n := utf16Len(p); n > limit {
			return fmt.Errorf("part %d has %d UTF-16 code units, limit %d", i, n, limit)
		}
		if strings.HasPrefix(p, "\n") || strings.HasSuffix(p, "\n") {
			return fmt.Errorf("part %d begins or ends with a newline: %q", i, p)
		}
		dropped := len(rest)
		rest = strings.TrimLeft(rest, "\n")
		dropped -= len(rest)
		if !strings.HasPrefix(rest, p) {
			return fmt.Errorf("part %d %q is not the text's continuation %q", i, p, head(rest))
		}
		if i > 0 && dropped == 0 {
			// A cut inside a line: only a line longer than the limit may be cut.
			prev := parts[i-1]
			line := prev[strings.LastIndexByte(prev, '\n')+1:]
			next, _, _ := strings.Cut(rest, "\n")
			if utf16Len(line)+utf16Len(next) <= limit {
				return fmt.Errorf("part %d: line %q cut though it fits in %d", i, line+next, limit)
			}
		}
		rest = rest[len(p):]
	}
	if strings.Trim(rest, "\n") != "" {
		return fmt.Errorf("the parts end before the text: %q left", head(rest))
	}
	if !utf8.ValidString(text) {
		return nil
	}
	for i, p := range parts {
		if !utf8.ValidString(p) {
			return fmt.Errorf("part %d is not valid UTF-8: a rune was cut", i)
		}
	}
	return nil
}

// head shortens s for an error message.
func head(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func TestSplit(t *testing.T) {
	long := strings.Repeat("字", 10)
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"empty", "", 10, nil},
		{"fits", "abc\ndef", 10, []string{"abc\ndef"}},
		{"fits exactly", "abcdefghij", 10, []string{"abcdefghij"}},
		{"fits with edge newlines", "\nabc\n", 10, []string{"\nabc\n"}},
		{"two lines", "abcdef\nghijkl", 10, []string{"abcdef", "ghijkl"}},
		{"lines packed", "ab\ncd\nef\ngh", 5, []string{"ab\ncd", "ef\ngh"}},
		{"newline counts", "abcd\nefgh", 8, []string{"abcd", "efgh"}},
		{"blank lines at split dropped", "abcd\n\n\nefgh", 5, []string{"abcd", "efgh"}},
		{"blank line kept inside", "ab\n\ncd\nefghij", 6, []string{"ab\n\ncd", "efghij"}},
		{"leading and trailing newlines", "\n\nabcdef\nghijkl\n\n", 6, []string{"abcdef", "ghijkl"}},
		{"long line cut", "abcdefghijklmnopqrstuvwxy", 10, []string{"abcdefghij", "klmnopqrst", "uvwxy"}},
		{"long line between lines", "ab\n" + "cdefghijklmn" + "\nop", 5, []string{"ab", "cdefg", "hijkl", "mn\nop"}},
		{"chinese counts one", long + "\n" + long, 10, []string{long, long}},
		{"emoji counts two", "😀😀😀😀😀😀", 5, []string{"😀😀", "😀😀", "😀😀"}},
		{"emoji not split", "a😀😀", 2, []string{"a", "😀", "😀"}},
		{"limit below two", "abc", 0, []string{"ab", "c"}},
		{"only newlines", "\n\n\n\n", 2, nil},
		{"invalid utf-8 kept", "ab\xffcd\nef", 4, []string{"ab\xffc", "d\nef"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := document.Split(tc.text, tc.limit)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
			}
			if err := checkSplit(tc.text, tc.limit, got); err != nil {
				t.Error(err)
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a", "abc\ndef", "\n\n", "字字字\n😀😀\n\nx", "ab\xffcd", strings.Repeat("投诉书\n", 50)} {
		for _, limit := range []int{0, 1, 2, 3, 5, 4096} {
			f.Add(s, limit)
		}
	}
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit = limit % 5000 // keep limits in a useful range; negative ones test the floor
		parts := document.Split(text, limit)
		if err := checkSplit(text, limit, parts); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleSplit() {
	// The limit is 16 UTF-16 code units; Telegram's is 4096.
	for _, part := range document.Split("投诉书\n\n投诉人：张三\n联系电话：13800138000\n此致", 16) {
		fmt.Printf("%q\n", part)
	}
	// Output:
	// "投诉书\n\n投诉人：张三"
	// "联系电话：13800138000"
	// "此致"
}
