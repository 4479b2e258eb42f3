package flows

import (
	"complaintbot/places"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// The parsers below read what a user typed. Each folds full-width characters first (Chinese
// input methods type "１９９", "￥", "，" and the ideographic space), so the rest of each parser
// only sees ASCII digits and punctuation. They return an InputError naming the message that
// asks again, never a raw strconv or time error.

// MaxAmount is the largest sum ParseAmount accepts: 1,000,000 yuan. Larger numbers are almost
// always a typo (an order number pasted into the amount) rather than a POS fee.
const MaxAmount Fen = 1_000_000_00

// foldWidth maps full-width digits, letters, punctuation and the ideographic space to their
// ASCII forms ("１９９" → "199", "￥" → "¥", "\u3000" → " "). Text without a rune that
// width.Fold changes (U+3000, U+FF01–U+FFEE; TestFoldWidth checks every rune) is returned as it
// is, without the transformer's copy: most answers are.
func foldWidth(s string) string {
	for _, r := range s {
		if r == 0x3000 || r >= 0xFF01 && r <= 0xFFEE {
			return width.Fold.String(s)
		}
	}
	return s
}

// trimSentence trims spaces and a final Chinese full stop, which people add out of habit
// ("199元。").
func trimSentence(s string) string {
	s = strings.TrimSpace(s)
	return strings.TrimSpace(strings.TrimSuffix(s, "。"))
}

// ParseAmount reads a sum of yuan as Fen. It accepts "199", "199元", "¥199.00", "￥199",
// "1,299.5" (commas only as thousands separators), "１９９" (full-width digits and punctuation),
// "199 块", "199块钱", "RMB 199", "CNY 199", Chinese numerals ("一百九十九元", "两千", "九十九点五")
// and a trailing "。". The sum must be more than zero, have at most two decimals and be at most
// MaxAmount. Errors: ErrAmountFormat, ErrAmountPositive (zero, or negative like "-5"),
// ErrAmountDecimals, ErrAmountTooLarge, ErrAmountApprox ("约300元", "300左右", "about 300").
func ParseAmount(s string) (Fen, error) {
	s = trimSentence(foldWidth(s))
	if t, ok := cutApprox(s); ok {
		if _, err := ParseAmount(t); err == nil {
			return 0, ErrAmountApprox
		}
		return 0, ErrAmountFormat
	}
	s, neg := cutSign(s)
	s = cutAmountPrefix(s)
	if !neg {
		s, neg = cutSign(s)
	}
	s = cutAmountSuffix(s)
	if d, ok := chineseNumber(s); ok {
		s = d
	}

	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || !validYuanWhole(whole) || !allASCIIDigits(frac) {
		return 0, ErrAmountFormat
	}
	if len(frac) > 2 {
		return 0, ErrAmountDecimals
	}
	whole = strings.TrimLeft(strings.ReplaceAll(whole, ",", ""), "0")
	if len(whole) > 9 { // far beyond MaxAmount; stop before int64 could overflow
		if neg {
			return 0, ErrAmountPositive
		}
		return 0, ErrAmountTooLarge
	}
	var f Fen
	for _, c := range whole {
		f = f*10 + Fen(c-'0')
	}
	f *= 100
	if len(frac) > 0 {
		f += Fen(frac[0]-'0') * 10
	}
	if len(frac) > 1 {
		f += Fen(frac[1] - '0')
	}
	switch {
	case neg || f == 0:
		return 0, ErrAmountPositive
	case f > MaxAmount:
		return 0, ErrAmountTooLarge
	}
	return f, nil
}

// cutApprox removes a word that makes a sum approximate ("约", "大概", "左右", "about"), and
// reports whether there was one.
func cutApprox(s string) (string, bool) {
	lower := strings.ToLower(s)
	for _, p := range [...]string{"大约", "大概", "差不多", "约", "about ", "around ", "approximately ", "roughly ", "approx. ", "approx ", "~"} {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(s[len(p):]), true
		}
	}
	for _, x := range [...]string{"左右", "上下", "多元", "多块", "多"} {
		if r, ok := strings.CutSuffix(s, x); ok {
			return strings.TrimSpace(r), true
		}
	}
	return s, false
}

// chineseNumber returns the Chinese numeral s ("一百九十九", "两千零五", "九十九点五", "三百五",
// "一九九") in ASCII digits ("199", "2005", "99.5", "350", "199"), and false when s is not one.
// A digit after the last unit counts in the unit below it, as people say it: 三百五 is 350,
// 一万二 12000.
func chineseNumber(s string) (string, bool) {
	whole, frac, dot := strings.Cut(s, "点")
	if whole == "" || dot && frac == "" {
		return "", false
	}
	if !strings.ContainsFunc(whole, isCNUnit) {
		n, ok := cnDigitString(whole) // 一九九: digit by digit
		if !ok {
			return "", false
		}
		whole = n
	} else {
		n, ok := cnWithUnits(whole)
		if !ok {
			return "", false
		}
		whole = strconv.FormatInt(n, 10)
	}
	if !dot {
		return whole, true
	}
	f, ok := cnDigitString(frac)
	return whole + "." + f, ok
}

// cnDigitString returns Chinese digits in ASCII ("九九" is "99"), false for anything else.
func cnDigitString(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		d, ok := cnDigits[r]
		if !ok {
			return "", false
		}
		b.WriteByte(byte('0' + d))
	}
	return b.String(), b.Len() > 0
}

// cnWithUnits reads a numeral with units (十, 百, 千, 万), at most about a billion.
func cnWithUnits(s string) (int64, bool) {
	var total, section, digit, lastUnit int64
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			digit = d
			continue
		}
		u, ok := cnUnits[r]
		if !ok {
			return 0, false
		}
		if u == 10000 {
			total += (section + digit) * u
			section, digit = 0, 0
		} else {
			if digit == 0 && u == 10 {
				digit = 1 // 十五 is 15
			}
			section += digit * u
			digit = 0
		}
		lastUnit = u
		if total+section > 1e9 {
			return 0, false
		}
	}
	if digit > 0 && lastUnit >= 100 && !strings.ContainsRune(s, '零') && !strings.ContainsRune(s, '〇') {
		digit *= lastUnit / 10 // 三百五: the 5 is tens
	}
	return total + section + digit, true
}

// isCNUnit reports whether r is 十, 百, 千 or 万.
func isCNUnit(r rune) bool {
	_, ok := cnUnits[r]
	return ok
}

var (
	// cnDigits and cnUnits are the numerals people type, and the capital ones (大写) of receipts.
	cnDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
		'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9}
	cnUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000, '万': 10000, '拾': 10, '佰': 100, '仟': 1000, '萬': 10000}
)

// cutSign removes a leading minus sign (ASCII or U+2212) and the spaces after it.
func cutSign(s string) (string, bool) {
	for _, m := range [...]string{"-", "−"} {
		if rest, ok := strings.CutPrefix(s, m); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

// cutAmountPrefix removes one currency word or sign in front of a sum.
func cutAmountPrefix(s string) string {
	for _, p := range [...]string{"rmb", "cny", "人民币", "¥"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// cutAmountSuffix removes one unit after a sum. Longer units come first, so "199块钱" loses
// "块钱" and not only "钱".
func cutAmountSuffix(s string) string {
	for _, p := range [...]string{"元整", "块钱", "元", "块", "圆", "rmb", "cny", "yuan"} {
		if len(s) >= len(p) && strings.EqualFold(s[len(s)-len(p):], p) {
			return strings.TrimSpace(s[:len(s)-len(p)])
		}
	}
	return s
}

// validYuanWhole reports whether s is the whole part of a sum: plain digits (maybe none, as in
// ".5"), or digits grouped by commas in threes ("1,299", "12,345,678").
func validYuanWhole(s string) bool {
	if !strings.Contains(s, ",") {
		return allASCIIDigits(s)
	}
	first := true
	for g := range strings.SplitSeq(s, ",") {
		if !allASCIIDigits(g) || first && (len(g) < 1 || len(g) > 3) || !first && len(g) != 3 {
			return false
		}
		first = false
	}
	return true
}

// allASCIIDigits reports whether s consists of ASCII digits only; "" does.
func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseDate reads a calendar date relative to now, which carries the user's time zone. It
// accepts "2024-05-01", "2024/5/1", "2024.5.1", "20240501", "2024年5月1日", "2024年5月1号",
// month and day alone ("5月1日", "5月1号", "5/1", "5-1", "5.1": this year, or last year when
// this year's would be after today), a year said relative to this one ("去年5月1日", "今年",
// "前年"), "今天", "今日", "昨天", "昨日", "前天", "大前天", "today",
// "yesterday", a weekday ("上周五", "这周一", "星期五", "last friday": weekdayBack), and
// full-width digits. A time of day after the date, as ledgers and SMS write
// it ("2024-05-01 09:12:33", "2024年5月1日 14:35", "2024-06-10T09:12"), is left out (DOMAIN.md
// §8). The date must exist (no 2月30日), not be after today and not be before 2000-01-01.
// Errors: ErrDateFormat, ErrDateFuture, ErrDateTooOld, ErrDateAmbiguous (a day and a month
// that could be either: "5/3/2024").
func ParseDate(s string, now time.Time) (Date, error) {
	s = cutTime(dateWords(strings.ToLower(trimSentence(foldWidth(s)))))
	s = strings.TrimSpace(strings.TrimPrefix(s, "on ")) // "on 15/3/2024"
	ty, tm, td := now.Date()
	today := dateKey(ty, int(tm), td)

	back, ok := relativeDays(s)
	if !ok {
		back, ok = weekdayBack(s, now.Weekday())
	}
	if ok {
		t := time.Date(ty, tm, td-back, 12, 0, 0, 0, time.UTC)
		return checkDate(t.Year(), int(t.Month()), t.Day(), today)
	}

	if m, d, y, ok := englishDate(s); ok {
		if y == 0 {
			y = yearOfMonthDay(ty, m, d, today)
		}
		return checkDate(y, m, d, today)
	}
	s = absoluteYear(s, ty)
	var toks [6]dateToken
	n, ok := tokenizeDate(s, toks[:])
	if !ok {
		return "", ErrDateFormat
	}
	t := toks[:n]
	num := func(i, minLen, maxLen int) (int, bool) {
		d := t[i].digits
		if d == "" || len(d) < minLen || len(d) > maxLen {
			return 0, false
		}
		v := 0
		for _, c := range d {
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	sep := func(i int, rs ...rune) bool {
		return t[i].digits == "" && strings.ContainsRune(string(rs), t[i].sep)
	}
	dayMark := func(i int) bool { return i == n || i == n-1 && sep(i, '日', '号') }

	var y, m, d int
	var okY, okM, okD bool
	switch {
	case n == 1 && len(t[0].digits) == 8: // 20240501
		y, okY = num(0, 8, 8)
		y, m, d = y/10000, y/100%100, y%100
		okM, okD = okY, okY
	case n == 5 && sep(1, '-', '/', '.') && t[3].sep == t[1].sep && t[3].digits == "" && len(t[4].digits) == 4:
		// 15/3/2024 or 3/15/2024, as English speakers write it: read only when one of the two
		// cannot be a month, when both are the same (5/5/2024), or when one reading is in the
		// future; 5/3/2024 is March or May, and is asked again with the month in words
		y, okY = num(4, 4, 4)
		a, okA := num(0, 1, 2)
		b, okB := num(2, 1, 2)
		switch {
		case okA && okB && a > 12 && b <= 12:
			d, m, okD, okM = a, b, true, true
		case okA && okB && b > 12 && a <= 12:
			m, d, okM, okD = a, b, true, true
		case okA && okB && a == b:
			m, d, okM, okD = a, b, true, true
		case okA && okB && okY:
			// both could be the month: a reading that is no date, or is in the future or before
			// 2000, leaves the other; when both are dates the user is asked which
			dm, errDM := checkDate(y, b, a, today)
			md, errMD := checkDate(y, a, b, today)
			switch {
			case errDM == nil && errMD == nil:
				return "", ErrDateAmbiguous
			case errDM == nil:
				return dm, nil
			case errMD == nil:
				return md, nil
			}
			return "", errDM
		}
	case n == 5 && sep(1, '-', '/', '.') && t[3].sep == t[1].sep && t[3].digits == "": // 2024-5-1
		y, okY = num(0, 4, 4)
		m, okM = num(2, 1, 2)
		d, okD = num(4, 1, 2)
	case n >= 5 && sep(1, '年') && sep(3, '月') && dayMark(5): // 2024年5月1日
		y, okY = num(0, 4, 4)
		m, okM = num(2, 1, 2)
		d, okD = num(4, 1, 2)
	case n == 3 && sep(1, '-', '/', '.'): // 5/1
		m, okM = num(0, 1, 2)
		d, okD = num(2, 1, 2)
		y, okY = yearOfMonthDay(ty, m, d, today), true
	case n >= 3 && sep(1, '月') && dayMark(3): // 5月1日
		m, okM = num(0, 1, 2)
		d, okD = num(2, 1, 2)
		y, okY = yearOfMonthDay(ty, m, d, today), true
	}
	if !okY || !okM || !okD {
		return "", ErrDateFormat
	}
	return checkDate(y, m, d, today)
}

// dateWords writes a date as people type it in a chat in the form ParseDate and parseMonth
// read, from folded, lower-cased text: the verb after it dropped ("3月15号交的", "上个月才发现":
// paidVerbs), numerals in Chinese before 年, 月, 日 or 号 as digits ("三月十五号" → "3月15号",
// "去年十月" → "去年10月"), and a two-digit year before 年 in full ("24年3月" → "2024年3月").
// Other text is returned as it is.
func dateWords(s string) string {
	for _, v := range paidVerbs {
		if t, ok := strings.CutSuffix(s, v); ok && t != "" {
			s = strings.TrimSpace(t)
			break
		}
	}
	if strings.ContainsFunc(s, func(r rune) bool { _, ok := cnDigits[r]; return ok || r == '十' }) {
		var b strings.Builder
		run := -1 // where the run of Chinese numerals being read started
		for i, r := range s {
			if _, ok := cnDigits[r]; ok || r == '十' {
				if run < 0 {
					run = i
				}
				continue
			}
			if run >= 0 {
				n := s[run:i]
				if d, ok := chineseNumber(n); ok && strings.ContainsRune("年月日号", r) {
					n = d
				}
				b.WriteString(n)
				run = -1
			}
			b.WriteRune(r)
		}
		if run >= 0 {
			b.WriteString(s[run:])
		}
		s = b.String()
	}
	if len(s) > 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && strings.HasPrefix(s[2:], "年") {
		s = "20" + s
	}
	return s
}

// paidVerbs are the words people put after the date of a payment, a deduction, a discovery or a
// call: "3月15号交的", "上个月才发现".
var paidVerbs = []string{"才发现的", "才发现", "发现的", "才知道的", "才知道", "知道的", "联系的", "被扣的", "扣掉的", "扣走的",
	"交的", "扣的", "付的", "转的", "办的", "收的", "的时候", "那天", "的"}

// cutTime removes a time of day that ends s after a space or a "t" ("… 09:12:33", "…t09:12"):
// hours 0–23, minutes and seconds 00–59. s without such a time, or a time with nothing before
// it, is returned as it is.
func cutTime(s string) string {
	k := strings.LastIndexAny(s, " t")
	if k <= 0 {
		return s
	}
	parts := strings.Split(s[k+1:], ":")
	if len(parts) < 2 || len(parts) > 3 {
		return s
	}
	for i, p := range parts {
		limit := 59
		if i == 0 {
			limit = 23
		}
		if p == "" || len(p) > 2 || i > 0 && len(p) != 2 || !allASCIIDigits(p) {
			return s
		}
		if v, _ := strconv.Atoi(p); v > limit {
			return s
		}
	}
	return strings.TrimSpace(s[:k])
}

// dateToken is a run of ASCII digits, or else one other rune.
type dateToken struct {
	digits string
	sep    rune
}

// tokenizeDate splits s into digit runs and single other runes, skipping spaces, into toks. It
// fails when s has more tokens than toks holds: no date form has that many.
func tokenizeDate(s string, toks []dateToken) (int, bool) {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			continue
		case n == len(toks):
			return 0, false
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks[n] = dateToken{digits: s[i:j]}
			i = j
		default:
			toks[n] = dateToken{sep: r}
			i += size
		}
		n++
	}
	return n, n > 0
}

// relativeDays reads the words for today and the days before it.
func relativeDays(s string) (int, bool) {
	switch s {
	case "今天", "今日", "today":
		return 0, true
	case "昨天", "昨日", "yesterday":
		return 1, true
	case "前天":
		return 2, true
	case "大前天":
		return 3, true
	}
	return 0, false
}

// weekdayBack reads a day of the week said relative to today, as people say when they filed
// something: "上周五" (last week's Friday, the week starting on Monday), "这周一" / "本周一"
// (this week's; a day still to come is in the future, which the caller refuses), "周五" or
// "星期五" alone (the latest Friday, today included), "last friday" (the latest before today).
// It returns how many days back that is.
func weekdayBack(s string, wd time.Weekday) (int, bool) {
	today := (int(wd)+6)%7 + 1 // Monday 1 … Sunday 7
	if rest, ok := strings.CutPrefix(s, "last "); ok {
		for i, name := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
			if rest == name {
				return (today-(i+1)+6)%7 + 1, true
			}
		}
		return 0, false
	}
	week := 0 // 0: the latest such day; 1: this week's; 2: last week's
	for _, p := range []struct {
		prefix string
		week   int
	}{{"上个星期", 2}, {"上星期", 2}, {"上礼拜", 2}, {"上周", 2}, {"这个星期", 1}, {"这星期", 1}, {"本星期", 1},
		{"这礼拜", 1}, {"这周", 1}, {"本周", 1}, {"星期", 0}, {"礼拜", 0}, {"周", 0}} {
		if rest, ok := strings.CutPrefix(s, p.prefix); ok {
			s, week = rest, p.week
			if p.week > 0 {
				for _, w := range []string{"星期", "礼拜", "周"} {
					s = strings.TrimPrefix(s, w)
				}
			}
			break
		}
		if p.prefix == "周" {
			return 0, false // no week named
		}
	}
	day := strings.Index("一二三四五六日", s)
	if s == "天" {
		day = strings.Index("一二三四五六日", "日")
	}
	if s == "" || day < 0 || len(s) != len("一") {
		return 0, false
	}
	n := day/len("一") + 1
	switch week {
	case 1:
		return today - n, true // negative: later this week, refused as the future
	case 2:
		return today - n + 7, true
	}
	return (today - n + 7) % 7, true
}

// englishDate reads a date as English speakers write it, from folded, lower-cased text:
// "1 May 2024", "May 1, 2024", "1st of May 2024", "on May 1", "Sept 3rd", and as bank
// statements print it, "15-Mar-2024" or "15-Mar-24" (a two-digit year last, after the day and
// the month, is this century's). y is 0 when no year is given; false when the text is not such
// a date.
func englishDate(s string) (m, d, y int, ok bool) {
	if !strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
		return 0, 0, 0, false
	}
	s = strings.TrimPrefix(s, "on ")
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
	if len(fields) < 2 || len(fields) > 4 {
		return 0, 0, 0, false
	}
	for i, f := range fields {
		if mn, isMonth := englishMonths[strings.TrimSuffix(f, ".")]; isMonth && m == 0 {
			m = mn
			continue
		}
		if f == "of" && m == 0 && d > 0 {
			continue // "1st of May"
		}
		digits, ordinal := f, false
		for _, suffix := range []string{"st", "nd", "rd", "th"} {
			if t, cut := strings.CutSuffix(f, suffix); cut {
				digits, ordinal = t, true
				break
			}
		}
		switch {
		case !allASCIIDigits(digits) || digits == "":
			return 0, 0, 0, false
		case len(digits) <= 2 && d == 0:
			d, _ = strconv.Atoi(digits)
		case len(digits) == 4 && y == 0 && !ordinal:
			y, _ = strconv.Atoi(digits)
		case len(digits) == 2 && y == 0 && !ordinal && m > 0 && d > 0 && i == len(fields)-1:
			y, _ = strconv.Atoi(digits)
			y += 2000
		default:
			return 0, 0, 0, false
		}
	}
	if m == 0 || d == 0 {
		return 0, 0, 0, false
	}
	return m, d, y, true
}

// absoluteYear writes a year said relative to this one, as people say it ("去年4月",
// "今年3月5日", "前年的6月"), as its number ("2025年4月"); other text is returned as it is.
func absoluteYear(s string, year int) string {
	if back, rest, ok := relativeYear(s); ok {
		return strconv.Itoa(year-back) + "年" + rest
	}
	return s
}

// relativeYear splits "今年", "去年" or "前年" (and a "的") from the month after it: how many
// years back, and the rest. The relative year alone ("去年") says no month: false.
func relativeYear(s string) (back int, rest string, ok bool) {
	for back, prefix := range []string{"今年", "去年", "前年"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			rest = strings.TrimPrefix(strings.TrimSpace(rest), "的")
			return back, rest, rest != "" && rest[0] >= '0' && rest[0] <= '9'
		}
	}
	return 0, "", false
}

// yearOfMonthDay picks the year of a date given without one: this year, unless that date does
// not exist this year or is after today, then last year.
func yearOfMonthDay(year, m, d, today int) int {
	if realDate(year, m, d) && dateKey(year, m, d) <= today {
		return year
	}
	return year - 1
}

// checkDate applies the calendar and range rules to y-m-d and formats it.
func checkDate(y, m, d, today int) (Date, error) {
	switch k := dateKey(y, m, d); {
	case !realDate(y, m, d):
		return "", ErrDateFormat
	case k > today:
		return "", ErrDateFuture
	case k < dateKey(2000, 1, 1):
		return "", ErrDateTooOld
	}
	return Date(fmt.Sprintf("%04d-%02d-%02d", y, m, d)), nil
}

// dateKey orders dates as integers: 2024-05-01 is 20240501.
func dateKey(y, m, d int) int { return y*10000 + m*100 + d }

// realDate reports whether y-m-d is a day of the Gregorian calendar.
func realDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParsePhone reads a mainland mobile number and returns its 11 ASCII digits: 1, then 3 to 9,
// then nine digits. It allows a +86, 0086 or 86 prefix, spaces, dashes, full-width digits
// ("+86 138-0013-8000", "１３８００１３８０００") and a label before it ("电话是13988887777",
// "手机：139…", "my number is …"). Error: ErrPhoneFormat.
func ParsePhone(s string) (string, error) {
	s = stripSpacesAndDashes(cutLabel(trimSentence(foldWidth(s)), phoneLabels))
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		s = s[2:]
	}
	if len(s) != 11 || !allASCIIDigits(s) || s[0] != '1' || s[1] < '3' {
		return "", ErrPhoneFormat
	}
	return s, nil
}

// ParseSN reads a terminal serial number: after removing spaces and dashes, 6 to 32 ASCII
// letters and digits (full-width ones are folded), returned upper-case. Error: ErrSNFormat.
func ParseSN(s string) (string, error) {
	s, ok := parseCode(s, 6, 32)
	if !ok {
		return "", ErrSNFormat
	}
	return s, nil
}

// ParseMerchantNumber reads a merchant number (商户号): after a label ("商户号：") and with spaces
// and dashes removed, 8 to 20 ASCII letters and digits with at least 6 digits, returned
// upper-case. Error:
// ErrMerchantNumberFormat.
func ParseMerchantNumber(s string) (string, error) {
	s, ok := parseCode(cutLabel(trimSentence(foldWidth(s)), codeLabels), 8, 20)
	if !ok {
		return "", ErrMerchantNumberFormat
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits < 6 {
		return "", ErrMerchantNumberFormat
	}
	return s, nil
}

// parseCode folds s, removes spaces and dashes and upper-cases it, and reports whether what
// is left is minLen to maxLen ASCII letters and digits.
func parseCode(s string, minLen, maxLen int) (string, bool) {
	s = stripSpacesAndDashes(foldWidth(s))
	if len(s) < minLen || len(s) > maxLen {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", false
		}
	}
	return strings.ToUpper(s), true
}

// stripSpacesAndDashes removes every space and every dash (ASCII, U+2010-U+2015, U+2212 and
// the other Unicode dash punctuation) from s.
func stripSpacesAndDashes(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '−' || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return r
	}, s)
}

// CleanText makes free text safe to keep and show. It drops invalid UTF-8; removes control
// characters except "\n" and "\t" ("\t" becomes a space, and "\r\n" or a lone "\r" becomes
// "\n", so text from any system keeps its lines); removes zero-width and bidirectional
// formatting characters and the others that show as nothing (invisibleRune); trims each
// line's trailing space; collapses runs of more than two blank lines to two; and trims the
// whole. Text empty after cleaning is
// ErrTextEmpty; text of more than max runes is TooLongError{Max: max}, which unwraps to
// ErrTextTooLong. max <= 0 means no limit. CleanText of its own output returns it unchanged.
func CleanText(s string, max int) (string, error) {
	if oneCleanLine(s) {
		return checkText(strings.TrimSpace(s), max)
	}
	return checkText(cleanLines(s), max)
}

// oneCleanLine reports whether s is one line of valid UTF-8 with nothing cleanLines would drop
// or change but the space around it: most answers are, and they are then only trimmed.
func oneCleanLine(s string) bool {
	for i, r := range s {
		if r >= 0x20 && r < 0x7f || r >= 0x4e00 && r <= 0x9fff {
			continue // ASCII or a CJK ideograph: the most of what is typed, and kept
		}
		if r < 0x20 || r >= 0x7f && r <= 0x9f || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || invisibleRune(r) {
			return false
		}
	}
	return true
}

// cleanLines is CleanText's cleaning, before the checks of the result.
func cleanLines(s string) string {
	var kept strings.Builder
	kept.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1: // not UTF-8
		case r == '\r':
			if i == len(s) || s[i] != '\n' {
				kept.WriteByte('\n')
			}
		case r == '\n':
			kept.WriteByte('\n')
		case r == '\t':
			kept.WriteByte(' ')
		case unicode.IsControl(r), invisibleRune(r):
		default:
			kept.WriteRune(r)
		}
	}

	var out strings.Builder
	out.Grow(kept.Len())
	blank := 0
	for line := range strings.SplitSeq(kept.String(), "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			if blank++; blank > 2 {
				continue
			}
		} else {
			blank = 0
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return strings.TrimSpace(out.String())
}

// checkText returns the cleaned text, or ErrTextEmpty or TooLongError for it.
func checkText(text string, max int) (string, error) {
	switch {
	case text == "":
		return "", ErrTextEmpty
	case max > 0 && utf8.RuneCountInString(text) > max:
		return "", TooLongError{Max: max}
	}
	return text, nil
}

// hasDirectionControl reports whether s holds a bidirectional formatting character (an
// embedding, override or isolate, or a left-to-right or right-to-left mark). An amount, a date
// or a phone number typed with one displays in another order than the one it is read in
// ("\u202e991" shows as 199): such answers are refused rather than guessed.
func hasDirectionControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r == 0x200E || r == 0x200F || r == 0x061C || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
	})
}

// invisibleRune reports whether r is a zero-width or bidirectional formatting character, or
// another that shows as nothing: they hide or reorder text, so a complaint (a name on the
// staff card) could read differently from what it holds. That is every format character
// (Unicode's Cf: zero-width space and joiners, LRM and RLM, bidi embeddings, overrides and
// isolates, the byte-order mark, word joiner, invisible operators, soft hyphen, tag
// characters...), the combining grapheme joiner, the Hangul fillers, which show as blanks, and
// the noncharacters (U+FFFE, U+FFFF and the like), which no document or message may carry.
// Variation selectors stay: an emoji's and a Chinese character's variant need them.
func invisibleRune(r rune) bool {
	switch {
	case r < 0xAD: // ASCII and Latin-1 up to the soft hyphen: none (controls are removed apart)
		return false
	case unicode.Is(unicode.Cf, r),
		r == 0x034F,                                        // combining grapheme joiner
		r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, // Hangul fillers
		r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // noncharacters
		return true
	}
	return false
}

// phoneIn finds a mainland mobile number inside a line, with the spacing people type.
var phoneIn = regexp.MustCompile(`(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}`)

// ParseContactLine reads the answer to the name question: a name, or the whole contact in one
// message: name, mobile number, then optionally the city and the address, separated by spaces
// or commas ("张三 13800138000 深圳 南山区科技园路1号"). Errors: ErrTextEmpty, TooLongError.
func ParseContactLine(s string) (Contact, error) {
	t, err := CleanText(s, 0)
	if err != nil {
		return Contact{}, err
	}
	f := foldWidth(t)
	loc := phoneIn.FindStringIndex(f)
	var name, rest, phone string
	if loc != nil {
		name, rest = trimSeps(f[:loc[0]]), trimSeps(f[loc[1]:])
		phone, err = ParsePhone(f[loc[0]:loc[1]])
	}
	if loc == nil || err != nil || name == "" {
		if utf8.RuneCountInString(t) > maxName {
			return Contact{}, TooLongError{Max: maxName}
		}
		return Contact{Name: cutLabel(t, nameLabels)}, nil // "我叫王建国"
	}
	name = cutLabel(name, nameLabels)
	if utf8.RuneCountInString(name) > maxName {
		return Contact{}, TooLongError{Max: maxName}
	}
	city, addr := rest, ""
	if i := strings.IndexAny(rest, " ,，、;；"); i >= 0 {
		city, addr = rest[:i], trimSeps(rest[i:])
	}
	if c, a, ok := latinCity(rest); ok {
		city, addr = c, a // "sichuan chengdu 武侯区…": the city in pinyin, of one or more words
	}
	// the first part is a city when it names one and nothing more (深圳, 深圳市, Shenzhen)
	if c, known := places.Find(city); !known || hasHan(city) && utf8.RuneCountInString(city) > utf8.RuneCountInString(c.Name) {
		if _, inside := places.InAddress(rest); inside {
			city, addr = "", rest // an address that names its city: 广东省深圳市南山区科技园路1号
		}
	}
	if utf8.RuneCountInString(city) > maxCity || utf8.RuneCountInString(addr) > maxAddress {
		return Contact{}, TooLongError{Max: maxAddress}
	}
	return Contact{Name: name, Phone: phone, City: city, Address: addr}, nil
}

// latinCity reads a city typed in Latin letters at the start of the rest of a contact line, as
// one or more words ("chengdu", "Sichuan Chengdu", "shen zhen 南山区…"): the longest run of
// up to four Latin words that names one city, and what follows it. ok is false when the rest
// does not start so.
func latinCity(rest string) (city, addr string, ok bool) {
	fields := strings.FieldsFunc(rest, func(r rune) bool { return strings.ContainsRune(" ,，、;；", r) })
	n := 0
	for n < len(fields) && n < 4 && strings.IndexFunc(fields[n], func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r != '\'' && r != '-'
	}) < 0 {
		n++
	}
	for k := n; k > 0; k-- {
		if _, found := places.Find(strings.Join(fields[:k], " ")); !found {
			continue
		}
		// what follows the k-th word, with its separators trimmed
		at := 0
		for _, f := range fields[:k] {
			at = strings.Index(rest[at:], f) + at + len(f)
		}
		return strings.Join(fields[:k], " "), trimSeps(rest[at:]), true
	}
	return "", "", false
}

// cutLabel removes one of labels (compared in lower case) from the start of s, and the
// separators after it: "电话是139…" → "139…", "姓名：王建国" → "王建国".
func cutLabel(s string, labels []string) string {
	lower := strings.ToLower(s)
	for _, l := range labels {
		if strings.HasPrefix(lower, l) && len(s) > len(l) {
			return trimSeps(s[len(l):])
		}
	}
	return s
}

// phoneLabels, nameLabels, codeLabels and addressLabels are the words people type before a
// phone number, their name, a number or code (商户号, 工单号, SN) or their address.
var (
	phoneLabels = []string{"我的手机号是", "我的电话是", "手机号码是", "手机号码", "手机号是", "手机号", "电话号码是", "电话号码",
		"电话是", "电话", "手机是", "手机", "号码是", "号码", "my number is", "my phone is", "phone number", "phone", "mobile", "tel"}
	nameLabels = []string{"我的名字是", "我的名字叫", "名字是", "名字叫", "姓名是", "姓名", "我叫", "我是", "my name is", "name:",
		"i am ", "i'm "}
	codeLabels = []string{"商户编号是", "商户编号", "商户号是", "商户号", "工单号是", "工单号", "工单编号", "投诉编号是", "投诉编号",
		"受理编号", "受理号", "编号是", "编号", "单号是", "单号", "机身号", "序列号是", "序列号", "终端号", "sn号", "sn是", "sn",
		"s/n", "merchant number", "merchant no.", "ticket number", "ticket", "no."}
	addressLabels = []string{"我的地址是", "我的地址", "联系地址是", "联系地址", "地址是", "地址", "我住在", "住在", "住址是", "住址",
		"my address is", "address:"}
)

// trimSeps trims spaces and the separators people put between the parts of a line.
func trimSeps(s string) string { return strings.Trim(s, " ,，、;；:：\t") }

// AmountDate is an amount and its date typed together (ParseAmountDate).
type AmountDate struct {
	Amount Fen
	Date   Date
	// YearAssumed: the date was written without its year ("5月1日"), and ParseDate took the
	// most recent past one.
	YearAssumed bool
}

// ParseAmountDate reads an amount and its date typed together at the amount question, either
// way round, apart by spaces or a comma ("199元 2024年5月1日", "2024-05-01，¥199"): each part as
// ParseAmount and ParseDate read it. Anything else, or more than maxAmountDate characters, is
// ErrAmountFormat, and the question reads the text as an amount alone.
func ParseAmountDate(s string, now time.Time) (AmountDate, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxAmountDate {
		return AmountDate{}, ErrAmountFormat
	}
	apart := func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '，' }
	for i, r := range s {
		if !apart(r) || i == 0 {
			continue
		}
		a, b := s[:i], strings.TrimLeftFunc(s[i:], apart)
		for _, p := range [][2]string{{a, b}, {b, a}} {
			f, err := ParseAmount(p[0])
			if err != nil {
				continue
			}
			d, err := ParseDate(p[1], now)
			if err != nil {
				continue
			}
			if _, err := ParseDate(s, now); err == nil {
				return AmountDate{}, ErrAmountFormat // "15 September 2026": a date, whose year is no amount
			}
			return AmountDate{f, d, yearless(p[1])}, nil
		}
	}
	return AmountDate{}, ErrAmountFormat
}

// ParseAmountLead reads the amount question's answer when it is an amount with words around
// it that neither ParseAmount nor ParseAmountDate reads whole, as people type it: a verb before
// it ("交了99", "扣了我199元", "paid 99"), a date glued on ("99块去年3月15号") or words after it
// about the date ("99元，去年3月", "99 不记得哪天了"). ok is false unless the text (after such a
// verb) starts with an amount, and there is such a verb or words after it; the words after it
// are the date when ParseDate reads them (Date is "" when it does not: the date question asks).
// Digits alone after the amount ("199 200") are no words: false.
func ParseAmountLead(s string, now time.Time) (AmountDate, bool) {
	t := trimSentence(foldWidth(s))
	if utf8.RuneCountInString(t) > maxAmountDate {
		return AmountDate{}, false
	}
	verb := false
	for _, p := range leadVerbs {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			t, verb = strings.TrimSpace(t[len(p):]), true
			break
		}
	}
	k := 0
	if strings.HasPrefix(t, "¥") {
		k = len("¥")
	}
	for k < len(t) && (t[k] >= '0' && t[k] <= '9' || t[k] == '.' || t[k] == ',') {
		k++
	}
	k = len(strings.TrimRight(t[:k], ".,"))
	for _, u := range [...]string{"元整", "块钱", "元", "块", "圆"} {
		if strings.HasPrefix(t[k:], u) {
			k += len(u)
			break
		}
	}
	f, err := ParseAmount(t[:k])
	if err != nil {
		return AmountDate{}, false
	}
	if next, _ := utf8.DecodeRuneInString(t[k:]); k < len(t) && !unicode.IsSpace(next) && !strings.ContainsRune(",，、;；:：", next) &&
		!strings.HasSuffix(t[:k], "元") && !strings.HasSuffix(t[:k], "块") && !strings.HasSuffix(t[:k], "圆") && !strings.HasSuffix(t[:k], "钱") {
		return AmountDate{}, false // "2025年6月": digits glued to words without a unit are no amount
	}
	if _, err := ParseMonthOrDate(s, now); err == nil || err == ErrDateFuture || err == ErrDateTooOld {
		return AmountDate{}, false // a date or a month alone
	}
	rest := trimSeps(t[k:])
	if rest == "" {
		return AmountDate{Amount: f}, verb
	}
	if d, err := ParseDate(rest, now); err == nil {
		return AmountDate{f, d, yearless(rest)}, true
	}
	if !strings.ContainsFunc(rest, unicode.IsLetter) {
		return AmountDate{}, false
	}
	return AmountDate{Amount: f}, true
}

// leadVerbs are the words people put before the sum taken or paid: "交了99".
var leadVerbs = []string{"还扣了", "又扣了", "被扣了", "扣了我", "收了我", "扣了", "交了", "付了", "收了", "一共", "总共", "共",
	"they took ", "i paid ", "paid ", "took "}

// yearless reports whether a date ParseDate read was written without its year: no run of four
// digits, not a word for a recent day, and not a year said relative to this one ("去年5月1日").
func yearless(s string) bool {
	s = dateWords(strings.ToLower(trimSentence(foldWidth(s)))) // "24年3月15号" has its year
	if _, ok := relativeDays(s); ok {
		return false
	}
	if _, ok := weekdayBack(s, time.Monday); ok {
		return false
	}
	if _, _, ok := relativeYear(s); ok {
		return false
	}
	run := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			run = 0
			continue
		}
		if run++; run == 4 {
			return false
		}
	}
	return true
}

// maxAmountDate is the longest text ParseAmountDate reads: an amount and a date, spaced.
const maxAmountDate = 48

// Recurring is one sum said to be taken again and again: "每年扣99，扣了三年".
type Recurring struct {
	Amount Fen
	Times  int // how many times it was taken, 2 to maxDeductions
}

// Total is the sum of every time it was taken.
func (r Recurring) Total() Fen { return r.Amount * Fen(r.Times) }

var (
	// recurEach finds the sum taken each time: 每年扣99, 每年99元, 一年99, 每次扣了69块, 每月收20,
	// 每年从结算款里扣69元.
	recurEach = regexp.MustCompile(`(?:每|一)(年|次|回|个月|月)(?:[^0-9,.;。；\s]{0,10}?(?:扣|收)(?:了|掉|费|款|取)?)?\s*(¥|￥)?\s*([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万点]+)\s*(?:元|块钱|块)?`)
	// recurTimes finds how many times: 扣了三年, 连续3年, 共扣了3次, 一共三回, 三年都扣了.
	recurTimes = regexp.MustCompile(`(?:扣了|收了|连续|一共|总共|共|已经|都扣了)\s*([0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*(年|次|回|个月|笔)|([0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*(年|次|回|笔)(?:了)?(?:都|共|一共)?(?:被)?(?:扣|收)`)
)

// numberBefore reports whether before, the text ahead of a count, ends in a number's digit or
// point, so the count read is only the end of a number ("2019年", "100000002次", "1.5年").
func numberBefore(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune("0123456789.〇零一二两三四五六七八九十百千万", r)
}

// amountGoesOn reports whether rest, what follows a sum's digits, says they are not the whole
// sum: a larger unit (99万, 1.2亿), more digits after a point or in a thousands group, or an invisible mark
// inside the number ("9\u200b9").
func amountGoesOn(rest string) bool {
	r, n := utf8.DecodeRuneInString(rest)
	digits := len(rest[n:]) - len(strings.TrimLeft(rest[n:], "0123456789"))
	switch r {
	case '.':
		return digits > 0
	case ',':
		return digits == 3 // "1,299": a thousands group; "99，3年" is a sentence's comma
	}
	return strings.ContainsRune("0123456789万亿千百十", r) || invisibleRune(r)
}

// ParseRecurring reads a sum said to be taken several times, as merchants tell a yearly or
// monthly fee: "每年扣99，扣了三年", "连续3年每年扣99元", "一年69，扣了两年", "每次扣99，一共扣了3次".
// It needs both the sum taken each time and how many times (2 to maxDeductions); the sum is
// read as ParseAmount reads it. ok is false for anything else, a sum said once among them.
func ParseRecurring(s string) (Recurring, bool) {
	t := foldWidth(s)
	if utf8.RuneCountInString(t) > 120 {
		return Recurring{}, false
	}
	ei := recurEach.FindStringSubmatchIndex(t)
	if ei == nil {
		return Recurring{}, false
	}
	if amountGoesOn(t[ei[7]:]) {
		return Recurring{}, false // "每年扣99万", "1,2999", "9\u200b9": the sum is not all read
	}
	e := make([]string, len(ei)/2)
	for i := range e {
		if ei[2*i] >= 0 {
			e[i] = t[ei[2*i]:ei[2*i+1]]
		}
	}
	f, err := ParseAmount(e[3])
	if err != nil {
		return Recurring{}, false
	}
	rest := strings.Replace(t, e[0], "；", 1) // the sum's own 年 is no count
	mi := recurTimes.FindStringSubmatchIndex(rest)
	if mi == nil {
		return Recurring{}, false
	}
	if start := max(mi[2], mi[6]); numberBefore(rest[:start]) {
		return Recurring{}, false // "2019年扣了": a year's last digits are no count
	}
	m := make([]string, len(mi)/2)
	for i := range m {
		if mi[2*i] >= 0 {
			m[i] = rest[mi[2*i]:mi[2*i+1]]
		}
	}
	n, unit := m[1]+m[3], m[2]+m[4]
	if d, ok := chineseNumber(n); ok {
		n = d
	}
	times, err := strconv.Atoi(n)
	switch {
	case err != nil:
	case unit == "年" && (e[1] == "月" || e[1] == "个月"):
		times *= 12 // "每月扣20，扣了一年": twelve monthly deductions
	case unit == "个月" && e[1] == "年":
		if times%12 != 0 {
			return Recurring{}, false // a yearly fee "扣了8个月": not a count of years
		}
		times /= 12 // "每年扣99，扣了24个月": twice
	}
	if err != nil || times < 2 || times > maxDeductions {
		return Recurring{}, false
	}
	return Recurring{Amount: f, Times: times}, true
}
