package ocr

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize cleans Tesseract's output of Chinese text so a text reader sees what a person
// would have typed or pasted:
//
//   - full-width letters, digits and ASCII punctuation (０-９, Ａ, ：, （, ，, ．, －) become
//     their ASCII forms and the ideographic space a space, so an amount or a date is
//     always in ASCII digits whichever form Tesseract picked;
//   - in a line where Tesseract separated most Chinese characters ("注 销 服 务 费"), the
//     spaces between Chinese characters are removed; in a line where it did not, those
//     that remain are real gaps, such as a ledger's columns ("调账 流量卡服务费"), and stay;
//   - spaces beside full-width punctuation (【拉卡拉】 尊敬), between a Chinese character
//     and the punctuation ,.:;!?()[] beside it, and just inside brackets ("( SN )") are
//     removed; spaces between Chinese and digits or other words stay, since they may
//     separate the columns of a ledger ("调账 -99.00 结算账户");
//   - a curly quote without its partner on the line (” alone) is what Tesseract makes of a
//     wide gap between columns, and becomes a space;
//   - a space inside a number is removed when Tesseract split the decimal point from its
//     digits ("199. 00", "199 .00");
//   - in an amount just before 元, a ':' or ',' before its last two digits is the decimal
//     point Tesseract misread on a grainy image ("199:00元" is 199.00元; times and
//     thousands, "09:12" and "1,523元", are left alone);
//   - a ¥ Tesseract misread (as #, Y, y, 羊, 半, 丫 or 芏) before a sum written with two
//     decimals, at the start of a word or after a sign, becomes ¥ again ("-#99.00",
//     "+Y2,000.00", "余额y3,090.00"); a code or a word (TY99.00, SN:Y123) is left alone;
//   - in a ledger's row, a date glued to its time is set apart ("2024-11-1201:01",
//     "07-1100:30"), the 。 , or quotes Tesseract makes of the gap after the row's date and
//     time are a space ("2024-06-10。调账"), and a signed sum whose thousands separator was
//     read as a space, ) or ; gets it back ("-1 199.00" and "-1)199.00" are -1,199.00);
//   - runs of spaces and tabs become one space, lines are trimmed, blank lines and the
//     form feed Tesseract ends a page with are dropped; lines are joined with "\n".
//
// Normalize is meant for OCR output but safe on any text.
func Normalize(s string) string {
	s = strings.Map(foldWidth, s)
	var out []string
	for line := range strings.Lines(s) {
		if line = fixLedgerRow(fixYen(fixDecimalPoints(normalizeLine(line)))); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// foldWidth maps a full-width ASCII form to ASCII, the ideographic space and other spaces
// to a space, and drops control characters but the newline.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == '\n':
		return r
	case r == '\t', unicode.IsSpace(r):
		return ' '
	case unicode.IsControl(r), r == 0xFEFF, r == 0x200B:
		return -1
	}
	return r
}

// normalizeLine applies Normalize's rules for spaces to one line.
func normalizeLine(line string) string {
	words := strings.Fields(unpairedQuotes(line))
	if len(words) == 0 {
		return ""
	}
	spaced := spacedOut(words)
	var b strings.Builder
	b.WriteString(words[0])
	for i := 1; i < len(words); i++ {
		left, right := lastRune(words[i-1]), firstRune(words[i])
		if !joins(left, right, words[i-1], words[i], spaced) {
			b.WriteByte(' ')
		}
		b.WriteString(words[i])
	}
	return b.String()
}

// spacedOut reports whether Tesseract separated most neighbouring Chinese characters of the
// line with spaces: more neighbours across the words than within them.
func spacedOut(words []string) bool {
	across, within := 0, 0
	for i, w := range words {
		prev := rune(0)
		for _, r := range w {
			if isCJK(prev) && isCJK(r) {
				within++
			}
			prev = r
		}
		if i > 0 && isCJK(lastRune(words[i-1])) && isCJK(firstRune(w)) {
			across++
		}
	}
	return across > within
}

// unpairedQuotes replaces each curly quote that has no partner on the line by a space: a ”
// before any “, or a “ with no ” after it.
func unpairedQuotes(line string) string {
	if !strings.ContainsAny(line, "“”") {
		return line
	}
	r := []rune(line)
	open := -1
	for i, c := range r {
		switch c {
		case '“':
			if open >= 0 {
				r[open] = ' '
			}
			open = i
		case '”':
			if open < 0 {
				r[i] = ' '
			}
			open = -1
		}
	}
	if open >= 0 {
		r[open] = ' '
	}
	return string(r)
}

// joins reports whether the space between the words prev and next (whose facing runes are
// left and right) is one Tesseract added; spaced says Tesseract spaced the line's Chinese
// characters out.
func joins(left, right rune, prev, next string, spaced bool) bool {
	switch {
	case isCJKPunct(left) || isCJKPunct(right):
		return true
	case isCJK(left) && isCJK(right):
		return spaced
	case isCJK(left) && isTightPunct(right), isTightPunct(left) && isCJK(right):
		return true
	case left == '(' || left == '[' || right == ')' || right == ']':
		return true
	case splitDecimal(prev, next):
		return true
	}
	return false
}

// splitDecimal reports whether prev and next are two halves of one decimal number split at
// its point: "199." + "00" or "199" + ".00".
func splitDecimal(prev, next string) bool {
	if p, ok := strings.CutSuffix(prev, "."); ok {
		return endsInDigit(p) && isDigits(next[:min(len(next), 2)])
	}
	if n, ok := strings.CutPrefix(next, "."); ok {
		return endsInDigit(prev) && isDigits(n[:min(len(n), 2)]) && n != ""
	}
	return false
}

func endsInDigit(s string) bool { return s != "" && isDigit(s[len(s)-1]) }

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if !isDigit(c) {
			return false
		}
	}
	return s != ""
}

// isCJK reports whether r is a Chinese character or CJK punctuation (。、【】「」《》…).
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) || // what remains of the full-width forms (￥)
		r == '…' || r == '·'
}

// isCJKPunct reports whether r is full-width punctuation (【】「」《》、。 and what remains
// of the full-width forms, such as ￥), which takes no space on either side.
func isCJKPunct(r rune) bool {
	return (r > 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// isTightPunct reports whether r is punctuation that Chinese text sets without spaces.
func isTightPunct(r rune) bool { return strings.ContainsRune(",.:;!?()[]", r) }

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// fixDecimalPoints rewrites "199:00元" and "199,00元" as "199.00元".
func fixDecimalPoints(line string) string {
	if !strings.Contains(line, "元") {
		return line
	}
	b := []byte(line)
	for i := 0; i+3 < len(b); i++ {
		if (b[i] == ':' || b[i] == ',') && i > 0 && isDigit(b[i-1]) && isDigit(b[i+1]) && isDigit(b[i+2]) &&
			strings.HasPrefix(line[i+3:], "元") {
			b[i] = '.'
		}
	}
	return string(b)
}

var (
	// a date glued to the time after it: 2024-11-1201:01, 07-1100:30
	gluedTimeRe = regexp.MustCompile(`(^|[^0-9])(\d{4}[-/.]\d{1,2}[-/.]\d{2}|\d{2}-\d{2})(\d{2}:\d{2})`)
	// the gap after a row's leading date and time, read as punctuation
	rowGapRe = regexp.MustCompile(`^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}-\d{2} \d{1,2}:\d{2}(?::\d{2})?) ?[。,“”]+ ?`)
	// a signed sum whose thousands separator was read as a space, a parenthesis or a
	// semicolon: -1 199.00, -1)199.00
	splitThousandsRe = regexp.MustCompile(`(^|[ :])([+-]¥?\d{1,3})[ );](\d{3}\.\d{2})($|[^0-9.])`)
)

// fixLedgerRow applies Normalize's rules for a ledger's row to one line.
func fixLedgerRow(line string) string {
	if !strings.ContainsAny(line, "-/.") || !strings.Contains(line, ":") && !strings.Contains(line, " ") {
		return line
	}
	line = gluedTimeRe.ReplaceAllString(line, "$1$2 $3")
	line = rowGapRe.ReplaceAllString(line, "$1 ")
	return splitThousandsRe.ReplaceAllString(line, "$1$2,$3$4")
}

// yenLookalikes are what Tesseract's chi_sim makes of ¥ in app screenshots.
const yenLookalikes = "#Yy羊半丫芏"

// fixYen writes ¥ for a misread one: a rune of yenLookalikes at the start of a word (after the
// line's start, a space, a sign, a colon or a Chinese character) followed by a sum with two
// decimals.
func fixYen(line string) string {
	if !strings.ContainsAny(line, yenLookalikes) {
		return line
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range line {
		if strings.ContainsRune(yenLookalikes, r) && (prev == 0 || prev == ' ' || prev == '-' || prev == '+' || prev == ':' || isCJK(prev)) &&
			twoDecimalSum(line[i+utf8.RuneLen(r):]) {
			b.WriteRune('¥')
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// twoDecimalSum reports whether s starts with a sum written with two decimals (99.00,
// 1,203.50) that no further digit, letter or point follows.
func twoDecimalSum(s string) bool {
	k := 0
	for k < len(s) && (isDigit(s[k]) || s[k] == ',' && k > 0 && isDigit(s[k-1])) {
		k++
	}
	if k == 0 || !isDigit(s[0]) || k+3 > len(s) || s[k] != '.' || !isDigit(s[k+1]) || !isDigit(s[k+2]) {
		return false
	}
	k += 3
	return k == len(s) || !(isDigit(s[k]) || s[k] == '.' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= 'a' && s[k] <= 'z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
