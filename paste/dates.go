package paste

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ymd is a calendar date.
type ymd struct{ y, m, d int }

func dateOf(t time.Time) ymd { return ymd{t.Year(), int(t.Month()), t.Day()} }

func (d ymd) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

func (d ymd) before(e ymd) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

// valid reports whether d is a real calendar date in the years the reader accepts.
func (d ymd) valid() bool {
	if d.y < 2000 || d.y > 2099 || d.m < 1 || d.m > 12 || d.d < 1 {
		return false
	}
	return d.d <= time.Date(d.y, time.Month(d.m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateTok is a date found in a line, at bytes [start, end).
type dateTok struct {
	start, end int
	d          ymd  // y is 0 when the text gave no year
	timed      bool // a time of day followed
}

var (
	// 2024-05-01, 2024/5/1, 2024.5.1, 2024年05月01日, each with an optional time.
	fullDateRe = regexp.MustCompile(`(20\d\d)(?:\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|\.(\d{1,2})\.(\d{1,2}))(?:\s*(?:T|\s)\s*(\d{1,2}):(\d\d)(?::(\d\d))?)?`)
	// 05月01日, 5月1号, with an optional time.
	monthDayRe = regexp.MustCompile(`(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?:\s*(\d{1,2}):(\d\d)(?::(\d\d))?)?`)
	// 05-01 09:12 and 05/01 09:12 as in statements that leave out the year; only with a time.
	shortDateRe = regexp.MustCompile(`(\d{1,2})[-/](\d{1,2})\s+(\d{1,2}):(\d\d)(?::(\d\d))?`)
	// 24-06-10: a statement's two-digit year, read only with hyphens
	shortYearRe = regexp.MustCompile(`(\d\d)-(\d\d)-(\d\d)`)
	// 06-10 heading a line, then a space and a Chinese character
	lineDayRe = regexp.MustCompile(`^\s*((\d\d)-(\d\d)) +\p{Han}`)
	// a time of day on its own, and a year-month without a day.
	timeRe      = regexp.MustCompile(`(\d{1,2}):(\d\d)(?::(\d\d))?`)
	yearMonthRe = regexp.MustCompile(`(20\d\d)\s*年\s*(\d{1,2})\s*月|(20\d\d)\s*年`)
)

// findDates finds the dates of the normalized line s and masks them in m. year is this year,
// for a month and day said in a year relative to it ("去年5月1日").
func findDates(s string, m []byte, year int) []dateTok {
	var out []dateTok
	if !strings.ContainsAny(s, "0123456789") {
		return nil
	}
	spans := numberSpans(s, dateRune)
	for _, g := range matches(fullDateRe, s, spans, strings.Contains(s, "20")) {
		if !free(m, g[0], g[1]) || !boundary(s, g[0], g[1]) {
			continue
		}
		var mo, da string
		for k := 4; k <= 16; k += 4 {
			if g[k] >= 0 {
				mo, da = s[g[k]:g[k+1]], s[g[k+2]:g[k+3]]
				break
			}
		}
		d := ymd{atoi(s[g[2]:g[3]]), atoi(mo), atoi(da)}
		if !d.valid() {
			continue
		}
		out = append(out, dateTok{start: g[0], end: g[1], d: d, timed: g[20] >= 0})
		mask(m, g[0], g[1])
	}
	for _, g := range matches(shortYearRe, s, spans, strings.Contains(s, "-")) {
		if !free(m, g[0], g[1]) || !boundary(s, g[0], g[1]) || g[0] > 0 && s[g[0]-1] == '-' || g[1] < len(s) && s[g[1]] == '-' {
			continue
		}
		d := ymd{2000 + atoi(s[g[2]:g[3]]), atoi(s[g[4]:g[5]]), atoi(s[g[6]:g[7]])}
		if !d.valid() || d.y < 2010 {
			continue
		}
		out = append(out, dateTok{start: g[0], end: g[1], d: d})
		mask(m, g[0], g[1])
	}
	for _, g := range matches(monthDayRe, s, spans, strings.Contains(s, "月")) {
		if !free(m, g[0], g[1]) || !boundary(s, g[0], g[1]) {
			continue
		}
		d := ymd{0, atoi(s[g[2]:g[3]]), atoi(s[g[4]:g[5]])}
		if !(ymd{2000, d.m, d.d}).valid() {
			continue
		}
		start := g[0]
		if back, at := relativeYearBefore(s, g[0]); back >= 0 && free(m, at, g[0]) {
			if d.y = year - back; !d.valid() {
				continue
			}
			start = at
		}
		out = append(out, dateTok{start: start, end: g[1], d: d, timed: g[6] >= 0})
		mask(m, start, g[1])
	}
	for _, g := range matches(shortDateRe, s, spans, strings.Contains(s, ":")) {
		if !free(m, g[0], g[1]) || !boundary(s, g[0], g[1]) {
			continue
		}
		d := ymd{0, atoi(s[g[2]:g[3]]), atoi(s[g[4]:g[5]])}
		if !(ymd{2000, d.m, d.d}).valid() || atoi(s[g[6]:g[7]]) > 23 {
			continue
		}
		out = append(out, dateTok{start: g[0], end: g[1], d: d, timed: true})
		mask(m, g[0], g[1])
	}
	// 06-10 at the head of a statement's row, followed by its text
	if g := lineDayRe.FindStringSubmatchIndex(s); g != nil && free(m, g[2], g[3]) {
		d := ymd{0, atoi(s[g[4]:g[5]]), atoi(s[g[6]:g[7]])}
		if (ymd{2000, d.m, d.d}).valid() {
			out = append(out, dateTok{start: g[2], end: g[3], d: d})
			mask(m, g[2], g[3])
		}
	}
	for _, re := range []*regexp.Regexp{timeRe, yearMonthRe} {
		for _, g := range matches(re, s, spans, strings.Contains(s, ":") || strings.Contains(s, "年")) {
			if free(m, g[0], g[1]) && boundary(s, g[0], g[1]) {
				mask(m, g[0], g[1])
			}
		}
	}
	sortDates(out)
	return out
}

// relativeYearBefore reads "今年", "去年" or "前年" (with a "的" or spaces) just before byte i
// of s: how many years back, and where it starts; -1 when there is none.
func relativeYearBefore(s string, i int) (back, at int) {
	head := strings.TrimRight(s[:i], " ")
	head = strings.TrimRight(strings.TrimSuffix(head, "的"), " ")
	for back, word := range []string{"今年", "去年", "前年"} {
		if strings.HasSuffix(head, word) {
			return back, len(head) - len(word)
		}
	}
	return -1, i
}

// matches runs re on the spans of s when the cheap test worth says it may match.
func matches(re *regexp.Regexp, s string, spans [][2]int, worth bool) [][]int {
	if !worth {
		return nil
	}
	return spanMatches(re, s, spans)
}

// dateRune reports whether r may be part of a date pattern's match besides its digits.
func dateRune(r rune) bool {
	switch r {
	case '年', '月', '日', '号', '-', '/', '.', ':', 'T', ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return false
}

// numberSpans returns the runs of s made of digits and of the runes in reports true for, that
// hold a digit.
func numberSpans(s string, in func(rune) bool) [][2]int {
	var spans [][2]int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !digitRune(r) && !in(r) {
			i += n
			continue
		}
		j, digit := i, false
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !digitRune(r) && !in(r) {
				break
			}
			digit = digit || digitRune(r)
			j += n
		}
		if digit {
			spans = append(spans, [2]int{i, j})
		}
		i = j
	}
	return spans
}

func digitRune(r rune) bool { return r >= '0' && r <= '9' }

// spanMatches returns the submatch indexes in s of re's successive matches in the spans of s
// (numberSpans). For a pattern every match of which needs a digit and is made of digits and the
// runes the spans were cut with, that is what running it on the whole of s finds
// (FuzzSpanMatches holds this package's patterns to it); but a long sentence with a few numbers
// in it is not fed to the regexp engine character by character, once per pattern.
func spanMatches(re *regexp.Regexp, s string, spans [][2]int) [][]int {
	var out [][]int
	for _, sp := range spans {
		for _, g := range re.FindAllStringSubmatchIndex(s[sp[0]:sp[1]], -1) {
			for k := range g {
				if g[k] >= 0 {
					g[k] += sp[0]
				}
			}
			out = append(out, g)
		}
	}
	return out
}

func sortDates(ds []dateTok) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].start < ds[j-1].start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// resolve gives a yearless date its year: the most recent one not after today, or when the
// charge is announced for later the first one not before today.
func resolve(d ymd, today ymd, planned bool) ymd {
	if d.y != 0 {
		return d
	}
	for k := 0; k < 9; k++ {
		y := today.y - k
		if planned {
			y = today.y + k
		}
		c := ymd{y, d.m, d.d}
		if !c.valid() {
			continue
		}
		if planned && !c.before(today) || !planned && !today.before(c) {
			return c
		}
	}
	return ymd{}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// boundary reports whether s[i:j] is not glued to a longer run of digits or Latin letters.
func boundary(s string, i, j int) bool {
	return (i == 0 || !isAlnum(s[i-1])) && (j >= len(s) || !isAlnum(s[j]))
}

// free reports whether m[i:j] holds nothing masked yet.
func free(m []byte, i, j int) bool {
	for k := i; k < j; k++ {
		if m[k] == maskByte {
			return false
		}
	}
	return true
}

// maskByte replaces what has been read, so that nothing is read twice.
const maskByte = '#'

func mask(m []byte, i, j int) {
	for k := i; k < j; k++ {
		m[k] = maskByte
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isAlnum(b byte) bool {
	return isDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
