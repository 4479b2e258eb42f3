package document

import (
	"strings"
	"unicode/utf8"
)

// Split splits text into parts of at most limit UTF-16 code units each, the unit Telegram
// counts message length in. It packs as many whole lines as fit into each part and splits
// between lines, dropping the newlines at the split points; only a line longer than limit is
// cut, at rune boundaries. Text that fits is returned unchanged as the only part. When Split
// does split, no part begins or ends with a newline, empty lines at split points are dropped
// and no part is empty (Telegram trims messages and refuses empty ones); joining the parts with
// the dropped newlines gives text back. Empty text has no parts. A limit below 2 is taken as 2,
// so that a character outside the Basic Multilingual Plane fits.
func Split(text string, limit int) []string {
	limit = max(limit, 2)
	if text == "" {
		return nil
	}
	if utf16Len(text) <= limit {
		return []string{text}
	}
	var (
		parts []string
		cur   strings.Builder
		n     int // UTF-16 code units in cur
	)
	flush := func() {
		if s := strings.Trim(cur.String(), "\n"); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		n = 0
	}
	for _, line := range strings.Split(text, "\n") {
		l := utf16Len(line)
		switch {
		case cur.Len() == 0 && l == 0:
			// An empty line at a split point (or at the start): nothing to keep.
		case l > limit:
			flush()
			for l > limit {
				head, rest := cut(line, limit)
				parts = append(parts, head)
				line, l = rest, l-utf16Len(head)
			}
			cur.WriteString(line)
			n = l
		case cur.Len() == 0:
			cur.WriteString(line)
			n = l
		case n+1+l <= limit:
			cur.WriteByte('\n')
			cur.WriteString(line)
			n += 1 + l
		default:
			flush()
			cur.WriteString(line)
			n = l
		}
	}
	flush()
	return parts
}

// cut splits s after as many whole runes as fit in limit UTF-16 code units (at least one).
func cut(s string, limit int) (head, rest string) {
	n, i := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		w := runeUnits(r)
		if n+w > limit && i > 0 {
			break
		}
		n += w
		i += size
	}
	return s[:i], s[i:]
}

// utf16Len is the length of s in UTF-16 code units; an invalid byte counts as one (Telegram
// would see U+FFFD).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

// runeUnits is the number of UTF-16 code units that encode r.
func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
