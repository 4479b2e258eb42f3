package paste

import (
	"reflect"
	"regexp"
	"testing"
)

// FuzzSpanMatches: for any text, each pattern run through spanMatches with its characters finds
// what it finds run on the whole text.
func FuzzSpanMatches(f *testing.F) {
	for _, s := range []string{"2024年5月1日 10:30扣除199元", "拨打 400 123 4567 或 13800138000", "24-06-10 05/01 09:12:33",
		"2024-05-01T09:12", "2024.5.1", "１２", "\xff2024年\xff5月"} {
		f.Add(s)
	}
	patterns := []struct {
		re *regexp.Regexp
		in func(rune) bool
	}{{fullDateRe, dateRune}, {monthDayRe, dateRune}, {shortDateRe, dateRune}, {shortYearRe, dateRune},
		{timeRe, dateRune}, {yearMonthRe, dateRune}, {phoneRe, phoneRune}}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range patterns {
			want := p.re.FindAllStringSubmatchIndex(s, -1)
			if got := spanMatches(p.re, s, numberSpans(s, p.in)); !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %q: spanMatches = %v, FindAll = %v", p.re, s, got, want)
			}
		}
	})
}
