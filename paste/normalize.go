package paste

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize folds one line into the form the reader scans: full-width ASCII to ASCII, the
// full-width yen and the typographic minus to their ASCII forms, every space to one ASCII
// space, the traditional characters of the domain's words to simplified ones (註銷 → 注销),
// and OCR's letter spacing ("注 销 服 务 费 1 9 9 元") closed up.
func normalize(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	for _, r := range line {
		b.WriteRune(fold(r))
	}
	return hanAmounts(closeDecimals(closeSpacing(b.String())))
}

// closeDecimals joins the decimals OCR set apart: 99 .00, 99. 00.
func closeDecimals(s string) string {
	if !strings.Contains(s, " .") && !strings.Contains(s, ". ") {
		return s
	}
	b := []byte(s)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == ' ' && len(out) > 0 && isDigitByte(out[len(out)-1]) && i+2 < len(b) && b[i+1] == '.' && isDigitByte(b[i+2]) {
			continue // 99 .00
		}
		if b[i] == ' ' && len(out) > 1 && out[len(out)-1] == '.' && isDigitByte(out[len(out)-2]) && i+1 < len(b) && isDigitByte(b[i+1]) {
			continue // 99. 00
		}
		out = append(out, b[i])
	}
	return string(out)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

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
	return simplified(r)
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
		j, singles := i, 0
		for j < len(words) && (spacedRune(words[j]) || shortHan(words[j])) {
			if spacedRune(words[j]) {
				singles++
			}
			j++
		}
		if j-i >= 3 && singles > 0 {
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

// shortHan reports whether w is a word of two Chinese characters, as OCR sets them apart
// in "注销 服务 费".
func shortHan(w string) bool {
	r1, n1 := utf8.DecodeRuneInString(w)
	if n1 == 0 || !unicode.Is(unicode.Han, r1) {
		return false
	}
	r2, n2 := utf8.DecodeRuneInString(w[n1:])
	return n1+n2 == len(w) && unicode.Is(unicode.Han, r2)
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

// hanDigits are the values of the Chinese numerals users type for sums (一百九十九元).
var hanDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'壹': 1, '贰': 2, '貳': 2, '叁': 3, '參': 3, '肆': 4, '伍': 5, '陆': 6, '陸': 6, '柒': 7, '捌': 8, '玖': 9}

// hanUnits are the multipliers of Chinese numerals below 万.
var hanUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000, '拾': 10, '佰': 100, '仟': 1000}

// hanAmounts writes a sum in Chinese numerals followed by 元 or 块 in digits: 一百九十九元 →
// 199元. A run that is not a well-formed number is left alone.
func hanAmounts(s string) string {
	if !strings.ContainsAny(s, "元块") || !strings.ContainsAny(s, "零〇一二两三四五六七八九十百千万壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && isHanNumeral(rs[j]) {
			j++
		}
		if j > i && j < len(rs) && (rs[j] == '元' || rs[j] == '块') {
			if n, ok := hanNumber(rs[i:j]); ok && n > 0 {
				b.WriteString(strconv.FormatInt(n, 10))
				i = j
				continue
			}
		}
		if j == i {
			j = i + 1
		}
		b.WriteString(string(rs[i:j]))
		i = j
	}
	return b.String()
}

func isHanNumeral(r rune) bool {
	_, d := hanDigits[r]
	_, u := hanUnits[r]
	return d || u || r == '万' || r == '萬'
}

// hanNumber reads a Chinese numeral below 1亿: 一百九十九, 两千, 十五, 一万二千.
func hanNumber(rs []rune) (int64, bool) {
	var total, section, digit int64
	seenDigit := false
	for _, r := range rs {
		switch {
		case r == '万' || r == '萬':
			section += digit
			if section == 0 || total != 0 {
				return 0, false
			}
			total, section, digit, seenDigit = section*10000, 0, 0, false
		case hanUnits[r] != 0:
			u := hanUnits[r]
			if digit == 0 && !seenDigit {
				if u != 10 {
					return 0, false
				}
				digit = 1 // 十五
			}
			section += digit * u
			digit, seenDigit = 0, false
		default:
			if seenDigit && digit != 0 {
				return 0, false // 一二: not a number
			}
			digit, seenDigit = hanDigits[r], true
		}
	}
	return total + section + digit, true
}
