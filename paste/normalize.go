package paste

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize folds one line into the form the reader scans: full-width ASCII to ASCII, the
// full-width yen and the typographic minus to their ASCII forms, every space to one ASCII
// space, and OCR's letter spacing ("注 销 服 务 费 1 9 9 元") closed up.
func normalize(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	for _, r := range line {
		b.WriteRune(fold(r))
	}
	return closeSpacing(b.String())
}

// fold maps one rune to the form the reader scans.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0
	case r == 0xFFE5 || r == 0xFFE0: // ￥, and ￠ sometimes misread for it
		return '¥'
	case r == 0x2212 || r == 0x2012 || r == 0x2013 || r == 0xFE63: // − ‒ – ﹣
		return '-'
	case r == utf8.RuneError:
		return ' '
	case r == '\t' || r == '\r' || r == '\v' || r == '\f' || unicode.IsSpace(r):
		return ' '
	case unicode.IsControl(r):
		return ' '
	}
	return r
}

// closeSpacing joins runs of three or more one-rune words separated by single spaces, which is
// how OCR renders spaced-out text ("扣 除 1 9 9 . 0 0 元"). Columns ("调账 流量卡服务费 -99.00")
// are words of several runes and stay apart.
func closeSpacing(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	words := strings.Split(s, " ")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && spacedRune(words[j]) {
			j++
		}
		if j-i >= 3 {
			if i > 0 {
				b.WriteByte(' ')
			}
			for _, w := range words[i:j] {
				b.WriteString(w)
			}
			i = j
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i])
		i++
	}
	return b.String()
}

// spacedRune reports whether w is one rune that OCR may have spaced out: a Han character, a
// digit, or a piece of an amount or date.
func spacedRune(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if n == 0 || n != len(w) {
		return false
	}
	return unicode.Is(unicode.Han, r) || (r >= '0' && r <= '9') || strings.ContainsRune(".:¥-/", r)
}
