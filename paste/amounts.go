package paste

import (
	"strconv"
	"strings"
)

// amountTok is a number that may be a sum of money, found in a masked line.
type amountTok struct {
	start, end int // the whole span: sign, currency, number, unit
	num        int // where the number's digits start
	fen        int64
	sign       byte // '-', '+' or 0
	currency   bool // ¥, RMB, 元, 块 …
	twoDec     bool // written with exactly two decimals, as ledgers do
}

// findAmounts finds the numbers of ms that may be sums of money: digits with optional
// thousands separators and at most two decimals, not glued to letters, other digits or
// anything already read.
func findAmounts(ms string) []amountTok {
	var out []amountTok
	for i := 0; i < len(ms); i++ {
		if !isDigit(ms[i]) {
			continue
		}
		j := i
		for j < len(ms) && isDigit(ms[j]) {
			j++
		}
		if i > 0 && gluedBefore(ms, i) {
			i = skipToken(ms, j) - 1
			continue
		}
		a, end, ok := parseAmount(ms, i, j)
		if !ok {
			i = skipToken(ms, end) - 1
			continue
		}
		out = append(out, a)
		i = a.end - 1
	}
	return out
}

// gluedBefore reports whether the digit at i continues a token: a code (WP123), a number's
// decimals or groups, something already read, a hyphenated code.
func gluedBefore(ms string, i int) bool {
	c := ms[i-1]
	switch {
	case c == 'Y' && (i < 2 || !isAlnum(ms[i-2])):
		return false // ¥ as OCR reads it: Y99.00
	case currencyBefore(ms, i):
		return false // 服务费RMB99.00: the currency glued to the text before and the sum
	case isAlnum(c) || strings.IndexByte(".#*_/", c) >= 0:
		return true
	case c == ',' || c == '-':
		return i >= 2 && (isAlnum(ms[i-2]) || ms[i-2] == maskByte)
	}
	return false
}

// currencyBefore reports whether the letters just before i are RMB or CNY (any case) standing
// as a word of their own: not the end of a longer code (ABCRMB99).
func currencyBefore(ms string, i int) bool {
	if i < 3 {
		return false
	}
	w := ms[i-3 : i]
	if !strings.EqualFold(w, "rmb") && !strings.EqualFold(w, "cny") {
		return false
	}
	return i == 3 || !isAlnum(ms[i-4])
}

// skipToken returns the end of the token of digits, letters and number punctuation at j.
func skipToken(ms string, j int) int {
	for j < len(ms) && (isAlnum(ms[j]) || ms[j] == '.' || ms[j] == ',' && j+1 < len(ms) && isDigit(ms[j+1])) {
		j++
	}
	return j
}

// parseAmount reads the number whose first digit run is ms[i:j].
func parseAmount(ms string, i, j int) (amountTok, int, bool) {
	if j-i > 1 && ms[i] == '0' {
		return amountTok{}, j, false // 0199: a code, not a sum
	}
	grouped := false
	for j+3 < len(ms) && ms[j] == ',' && isDigit(ms[j+1]) && isDigit(ms[j+2]) && isDigit(ms[j+3]) && (j+4 == len(ms) || !isDigit(ms[j+4])) {
		if !grouped && j-i > 3 {
			return amountTok{}, j, false
		}
		grouped = true
		j += 4
	}
	intPart := strings.ReplaceAll(ms[i:j], ",", "")
	dec := ""
	if j+1 < len(ms) && ms[j] == '.' && isDigit(ms[j+1]) {
		k := j + 1
		for k < len(ms) && isDigit(ms[k]) {
			k++
		}
		dec = ms[j+1 : k]
		j = k
		if len(dec) > 2 {
			return amountTok{}, j, false
		}
	}
	if j < len(ms) {
		c := ms[j]
		if c == maskByte || c == '*' || c == '_' || c == '.' && j+1 < len(ms) && isDigit(ms[j+1]) {
			return amountTok{}, j, false
		}
		if isAlnum(c) && !hasFold(ms[j:], "rmb") && !hasFold(ms[j:], "cny") {
			return amountTok{}, j, false
		}
	}
	if len(intPart) > 9 {
		return amountTok{}, j, false
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return amountTok{}, j, false
	}
	fen := n * 100
	switch len(dec) {
	case 1:
		fen += int64(dec[0]-'0') * 10
	case 2:
		fen += int64(dec[0]-'0')*10 + int64(dec[1]-'0')
	}
	if fen < 0 {
		return amountTok{}, j, false
	}
	a := amountTok{start: i, end: j, num: i, fen: fen, twoDec: len(dec) == 2}
	// before: [sign] [currency] [sign]
	p := backSpaces(ms, i)
	if p > 0 && isSign(ms[p-1]) && signAlone(ms, p-1) {
		a.sign, p = ms[p-1], p-1
		a.start = p
		p = backSpaces(ms, p)
	}
	for _, c := range []string{"¥", "RMB", "rmb", "CNY", "人民币", "Y"} {
		if strings.HasSuffix(ms[:p], c) {
			if c == "Y" && (p != i || !a.twoDec) {
				continue // Y for ¥ only glued to a sum in two decimals
			}
			a.currency = true
			p -= len(c)
			a.start = p
			p = backSpaces(ms, p)
			if a.sign == 0 && p > 0 && isSign(ms[p-1]) && signAlone(ms, p-1) {
				a.sign, p = ms[p-1], p-1
				a.start = p
			}
			break
		}
	}
	// after: a unit
	q := skipSpaces(ms, j)
	for _, u := range []string{"元", "块", "圆", "RMB", "rmb", "CNY", "人民币"} {
		if strings.HasPrefix(ms[q:], u) {
			a.currency = true
			a.end = q + len(u)
			break
		}
	}
	return a, j, true
}

func hasFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isSign(b byte) bool { return b == '-' || b == '+' }

// signAlone reports whether the sign at k stands alone: not the hyphen of 2024-05 or A-1.
func signAlone(ms string, k int) bool {
	return k == 0 || !isAlnum(ms[k-1]) && ms[k-1] != maskByte && ms[k-1] != '.'
}

func backSpaces(ms string, p int) int {
	for p > 0 && ms[p-1] == ' ' {
		p--
	}
	return p
}

// formatFen writes fen as yuan with two decimals: 19900 → "199.00".
func formatFen(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + string(rune('0'+fen%100/10)) + string(rune('0'+fen%10))
}
