package flows

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ParseName reads a person's or a company's name: cleaned text of at most max characters that
// holds at least one letter (a Chinese character counts), so that "😀", "123" or "..." are
// refused. Errors: those of CleanText, ErrNameLetters.
func ParseName(s string, max int) (string, error) {
	t, err := CleanText(s, max)
	if err != nil {
		return "", err
	}
	if !strings.ContainsFunc(t, unicode.IsLetter) {
		return "", ErrNameLetters
	}
	return t, nil
}

// creditCodeChars are the characters of a 统一社会信用代码 (GB 32100-2015), in the order of
// their values 0 to 30: digits and the capital letters without I, O, Z, S and V.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 characters in the check character's sum.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode reads a 统一社会信用代码: 18 characters of creditCodeChars after spaces and
// dashes are removed and letters upper-cased (full-width folded), whose last character is the
// check character of GB 32100-2015 (31 minus the weighted sum modulo 31). Error: ErrCreditCode.
func ParseCreditCode(s string) (string, error) {
	s, ok := parseCode(s, 18, 18)
	if !ok {
		return "", ErrCreditCode
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, s[i])
		if v < 0 {
			return "", ErrCreditCode
		}
		sum += v * creditCodeWeights[i]
	}
	check := (31 - sum%31) % 31
	if s[17] != creditCodeChars[check] {
		return "", ErrCreditCode
	}
	return s, nil
}

// englishMonths are month names users type, full and abbreviated.
var englishMonths = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

// rateLabels are the words people type before a rate.
var rateLabels = []string{"原来的费率是", "现在的费率是", "费率是", "原来是", "现在是", "原来", "现在", "费率", "是",
	// English, with its spaces gone (ParseRate removes them): "it was 0.38%", "now it's 0.63%"
	"theratewas", "theratenowis", "therateis", "itwas", "it'snow", "itsnow", "itisnow", "nowit's", "nowitis",
	"nowits", "now", "was"}

// ParseMonthOrDate reads a date as ParseDate does, or a month alone, for the dates DOMAIN.md §3
// lets be known to the month (the contract, a de-registration request, a rate change):
// "2022年3月", "2022年3月份", "2022-03", "2022/3", "2022.03", "3/2022", "03-2022",
// "March 2022", "Mar 2022", "2022 March", a year said relative to this one ("去年4月"),
// "本月", "上个月", "this month", "last month", and a month said to be approximate ("大概2022年3月",
// "2022年3月左右": a month is what such a date is known to). A month after today's is
// ErrDateFuture, one before 2000 ErrDateTooOld; anything else unreadable ErrDateFormat.
func ParseMonthOrDate(s string, now time.Time) (Date, error) {
	s = since(s)
	d, err := ParseDate(s, now)
	if err == nil || err != ErrDateFormat {
		return d, err
	}
	ny, nm, _ := now.Date()
	s = dateWords(strings.ToLower(trimSentence(foldWidth(s))))
	switch s {
	case "本月", "这个月", "这月", "this month":
		return MonthOf(ny, nm), nil
	case "上个月", "上月", "last month":
		last := time.Date(ny, nm-1, 1, 12, 0, 0, 0, time.UTC)
		return MonthOf(last.Year(), last.Month()), nil
	}
	y, m, ok := parseMonth(absoluteYear(s, ny))
	if !ok {
		// "大概2022年3月", "2022年3月左右": a month is what such a date is known to anyway
		if t, approx := cutApprox(s); approx {
			y, m, ok = parseMonth(absoluteYear(strings.TrimSuffix(strings.TrimSpace(t), "份"), ny))
		}
	}
	if !ok {
		return "", ErrDateFormat
	}
	switch {
	case y*100+m > ny*100+int(nm):
		return "", ErrDateFuture
	case y < 2000:
		return "", ErrDateTooOld
	}
	return MonthOf(y, time.Month(m)), nil
}

// since drops the words around the start of something that people add to its date: "从2024年8月
// 开始", "2024年8月起", "since last month", "from August 2024", "in March 2022".
func since(s string) string {
	t := strings.TrimSpace(s)
	lower := strings.ToLower(t)
	for _, p := range []string{"自从", "从", "自", "since ", "from ", "starting ", "as of ", "in "} {
		if strings.HasPrefix(lower, p) {
			t, lower = strings.TrimSpace(t[len(p):]), strings.TrimSpace(lower[len(p):])
			break
		}
	}
	for _, x := range []string{"开始", "以来", "之后", "以后", "起"} {
		if r, ok := strings.CutSuffix(t, x); ok {
			t = strings.TrimSpace(r)
			break
		}
	}
	return t
}

// parseMonth reads a year and month from folded, lower-cased text.
func parseMonth(s string) (y, m int, ok bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "份")
	if a, b, found := strings.Cut(s, "年"); found {
		b, hasMonth := strings.CutSuffix(strings.TrimSpace(b), "月")
		if !hasMonth {
			return 0, 0, false
		}
		return yearMonth(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' || r == '/' || r == '.' })
	if len(fields) != 2 {
		return 0, 0, false
	}
	a, b := fields[0], fields[1]
	if mn, isName := englishMonths[a]; isName {
		return yearMonth(b, strconv.Itoa(mn))
	}
	if mn, isName := englishMonths[b]; isName {
		return yearMonth(a, strconv.Itoa(mn))
	}
	if len(a) == 4 {
		return yearMonth(a, b)
	}
	if len(b) == 4 {
		return yearMonth(b, a)
	}
	return 0, 0, false
}

// yearMonth reads a four-digit year and a month of one or two digits.
func yearMonth(year, month string) (int, int, bool) {
	if len(year) != 4 || !allASCIIDigits(year) || len(month) == 0 || len(month) > 2 || !allASCIIDigits(month) {
		return 0, 0, false
	}
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	if m < 1 || m > 12 {
		return 0, 0, false
	}
	return y, m, true
}

// ParseRate reads a per-transaction rate as users type it, "0.38%", "0.38", "百分之0.6",
// "千分之3.8", "千分之三点八", "0.6 %", "3毛8" or "六毛三" (POS slang: 0.38%, 0.63%), "3.8‰",
// "0.38 percent", "0.38 per cent", after a label ("原来是0.38%", "现在是0.63%", "it was 0.38%",
// "now it's 0.63%"), and returns it as a percentage with its decimals ("0.38%"). A bare
// number is a percentage (POS rates are below 1%, nobody means 38%). Between 0 and 10 percent
// exclusive of 0. Error: ErrRateFormat.
func ParseRate(s string) (string, error) {
	s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(trimSentence(foldWidth(s)))), " ", "")
	s = strings.TrimSuffix(s, ".") // an English sentence's full stop: "It was 0.38%."
	s = cutLabel(s, rateLabels)
	if a, b, ok := strings.Cut(s, "毛"); ok { // "3毛8", "六毛三": POS slang for 0.38%, 0.63%
		if d, isCN := chineseNumber(a); isCN {
			a = d
		}
		if d, isCN := chineseNumber(b); isCN {
			b = d
		}
		if len(a) == 1 && allASCIIDigits(a) && len(b) <= 2 && allASCIIDigits(b) {
			s = "0." + a + b
		}
	}
	scale := 1.0
	switch {
	case strings.HasPrefix(s, "千分之"):
		s, scale = strings.TrimPrefix(s, "千分之"), 0.1
	case strings.HasPrefix(s, "万分之"):
		s, scale = strings.TrimPrefix(s, "万分之"), 0.01
	case strings.HasSuffix(s, "‰"): // per mille, as some notices print it
		s, scale = strings.TrimSuffix(s, "‰"), 0.1
	default:
		s = strings.TrimPrefix(s, "百分之")
		s = strings.TrimSuffix(s, "%")
		for _, pc := range []string{"percent", "pct"} {
			s = strings.TrimSuffix(s, pc) // "0.38 percent", "0.38 per cent": the spaces are gone
		}
	}
	if d, isCN := chineseNumber(s); isCN {
		s = d // 千分之三点八
	}
	if s == "" || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 || len(s) > 8 {
		return "", ErrRateFormat
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", ErrRateFormat
	}
	v *= scale
	if v <= 0 || v >= 10 {
		return "", ErrRateFormat
	}
	out := strconv.FormatFloat(v, 'f', -1, 64)
	if len(out) > 7 {
		out = fmt.Sprintf("%.4f", v)
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	if out == "0" {
		return "", ErrRateFormat // below 0.0001%, which four decimals cannot show: no rate
	}
	return out + "%", nil
}

// DateIn returns the first date written inside pasted text (an SMS's "2024年05月01日", a
// ledger's "2024-06-10 09:12:33"), or "" when there is none that ParseDate accepts.
func DateIn(text string, now time.Time) Date {
	for _, m := range dateInText.FindAllString(text, 4) {
		if d, err := ParseDate(m, now); err == nil {
			return d
		}
	}
	return ""
}

// dateInText finds full dates inside text: 2024-05-01, 2024/5/1, 2024.05.01, 2024年5月1日.
var dateInText = regexp.MustCompile(`\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}[日号]?)`)

var (
	// rateInText finds a rate in a sentence: 0.38%, 0.6, 千分之3.8, 3.8‰; what follows it decides
	// whether it is one (rateNotAfter).
	rateInText = regexp.MustCompile(`(千分之|万分之|百分之)?([0-9]+(?:\.[0-9]+)?)\s*(%|‰)?`)
	// rateChange are the words that say a rate became another: 原来…现在, 涨到, 调整为, →.
	rateChange = []string{"到", "成", "为", "现在", "后来", "变", "涨", "调", "改", "→", "->", "now", " to "}
)

// rateNotAfter are what makes a number no rate: a date's 年 月 日, a sum's 元 块 万, a count.
const rateNotAfter = "年月日号万元块笔天个次岁/:"

// ParseRates reads the old and the new rate said in one message, as merchants tell it:
// "原来0.38%，现在0.6%", "从0.38涨到了0.6", "千分之3.8调成了千分之6". It needs exactly two
// rates ParseRate reads, different, and a word that says one became the other; the first is the
// old one. Numbers of dates, sums and counts ("今年8月", "5万元") are no rates.
func ParseRates(s string) (old, new string, ok bool) {
	t := foldWidth(s)
	if utf8.RuneCountInString(t) > 200 {
		return "", "", false
	}
	lower := strings.ToLower(t)
	if !slices.ContainsFunc(rateChange, func(w string) bool { return strings.Contains(lower, w) }) {
		return "", "", false
	}
	var rates []string
	for _, m := range rateInText.FindAllStringSubmatchIndex(t, 8) {
		if m[0] > 0 && strings.ContainsRune("0123456789.-/:", rune(t[m[0]-1])) {
			continue // a date's or a time's part
		}
		rest := strings.TrimLeft(t[m[1]:], " ")
		if next, _ := utf8.DecodeRuneInString(rest); m[6] < 0 && (strings.ContainsRune(rateNotAfter, next) ||
			next == '-' && !strings.HasPrefix(rest, "->")) {
			continue
		}
		r, err := ParseRate(t[m[0]:m[1]])
		if err != nil {
			continue // 38 in "38%": no POS rate
		}
		rates = append(rates, r)
	}
	if len(rates) != 2 || rates[0] == rates[1] {
		return "", "", false
	}
	return rates[0], rates[1], true
}

// dateInSentence finds a date or a month inside a sentence: 今年3月, 去年3月10号, 2024年8月,
// 2024-08-01, 2024/8, 昨天.
var dateInSentence = regexp.MustCompile(`(?:(?:今年|去年|前年|[0-9]{4}\s*年)\s*)?[0-9]{1,2}\s*月份?(?:\s*[0-9]{1,2}\s*[日号])?|[0-9]{4}[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?|今天|昨天|前天`)

// DateInSentence returns the one date or month a sentence names, as its own words ("不知道
// 哪天调的，大概今年3月" names 今年3月), for the date parsers to read; false when it names none
// or several different ones.
func DateInSentence(text string) (string, bool) {
	t := foldWidth(text)
	if utf8.RuneCountInString(t) > 200 {
		return "", false
	}
	ms := dateInSentence.FindAllString(t, 4)
	if len(ms) == 0 {
		return "", false
	}
	for _, m := range ms[1:] {
		if m != ms[0] {
			return "", false
		}
	}
	return ms[0], true
}

// turnoverWords find the sum swiped through the terminal in a sentence: 刷了8万, 流水80000,
// 交易额8.5万元, 营业额十万.
var turnoverWords = regexp.MustCompile(`(?:刷卡|刷了|刷|流水|交易额|交易了|营业额|收款|收了)([^0-9零一二两三四五六七八九十百千万]{0,6})([0-9]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百千]+)\s*(万|千)?`)

// ParseTurnover reads the sum a merchant swiped in a period, as a merchant who knows only the
// month's total says it ("3月份刷了8万", "每个月流水80000左右"), in fen; false when the text
// names no such sum or speaks of the fee itself (手续费, 多收).
func ParseTurnover(text string) (Fen, bool) {
	t := strings.ReplaceAll(foldWidth(text), ",", "")
	if utf8.RuneCountInString(t) > 120 || strings.Contains(t, "手续费") || strings.Contains(t, "多收") || strings.Contains(t, "多扣") {
		return 0, false
	}
	ms := turnoverWords.FindAllStringSubmatchIndex(t, 2)
	if len(ms) != 1 {
		return 0, false
	}
	m := ms[0]
	gap, n, unit := t[m[2]:m[3]], t[m[4]:m[5]], ""
	if m[6] >= 0 {
		unit = t[m[6]:m[7]]
	}
	if strings.ContainsAny(gap, "我-−") || strings.Contains(t, "扣") || amountGoesOn(t[m[1]:]) {
		// "收了我299", "被扣了299": the sum taken from them, not swiped; "刷了-8万", "刷了1.2亿"
		return 0, false
	}
	if d, ok := chineseNumber(n); ok {
		n = d
	}
	v, err := strconv.ParseFloat(n, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	switch unit {
	case "万":
		v *= 10000
	case "千":
		v *= 1000 // "刷了8千"
	}
	if v*100 > float64(1000*MaxAmount) {
		return 0, false // before converting: a float beyond int64 converts to anything
	}
	f := Fen(math.Round(v * 100))
	if f <= 0 {
		return 0, false
	}
	return f, true
}

// ExtraFee is what a rate raised from old to new ("0.38%", "0.6%") took more on a turnover:
// turnover × (new − old), rounded half up to the fen, in integers (no float error: 85000.00
// yuan at 0.0001% more is 0.09); false when the rates do not parse or did not rise, or the
// turnover is beyond what ParseTurnover reads.
func ExtraFee(turnover Fen, old, new string) (Fen, bool) {
	o, ok1 := ratePPM(old)
	n, ok2 := ratePPM(new)
	if !ok1 || !ok2 || n <= o || turnover <= 0 || turnover > 1000*MaxAmount {
		return 0, false
	}
	// turnover ≤ 1e11 fen and n−o < 1e7 (10%): the product stays below 1e18
	f := (turnover*Fen(n-o) + 50_000_000) / 100_000_000
	if f <= 0 || f > MaxAmount {
		return 0, false
	}
	return f, true
}

// ratePPM reads a rate as ParseRate writes it ("0.38%") in millionths of a percent: 380000;
// false for anything else, a rate of 10% or more, or finer than a millionth.
func ratePPM(rate string) (int64, bool) {
	whole, frac, _ := strings.Cut(strings.TrimSuffix(rate, "%"), ".")
	if whole == "" || len(whole) > 1 || len(frac) > 6 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(whole+frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	return v, err == nil
}

var (
	// merchantThenNumber is a shop's name followed by its merchant number: 老王便利店，商户号822584053110123.
	merchantThenNumber = regexp.MustCompile(`^(.+?)[\s,;:]*(?:商户编号|商户号码|商户号|编号)?\s*[:是为]?\s*([A-Za-z]{0,3}[0-9][0-9 -]{5,28}[0-9A-Za-z])$`)
	// numberThenMerchant is the other order: 商户号822584053110123，老王便利店.
	numberThenMerchant = regexp.MustCompile(`^(?:商户编号|商户号码|商户号|编号)?\s*[:是为]?\s*([A-Za-z]{0,3}[0-9][0-9 -]{5,28}[0-9A-Za-z])[\s,;]+(.+)$`)
)

// SplitMerchant reads a shop's name and its merchant number typed in one message ("老王便利店，
// 商户号822584053110123", "商户号 822584053110123 老王便利店"): the name as typed, the number as
// ParseMerchantNumber returns it; false when the text is not both.
func SplitMerchant(text string) (name, number string, ok bool) {
	t := strings.TrimSpace(trimSentence(foldWidth(text)))
	if utf8.RuneCountInString(t) > 100 {
		return "", "", false
	}
	try := func(n, num string) bool {
		n = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(n), ",;:"))
		v, err := ParseMerchantNumber(num)
		if err != nil || n == "" || !strings.ContainsFunc(n, unicode.IsLetter) {
			return false
		}
		if _, err := ParsePhone(num); err == nil && !strings.Contains(t, "商户号") && !strings.Contains(t, "编号") && !strings.Contains(strings.ToLower(t), "merchant") {
			return false // "老王便利店 13812345678": a mobile number, not said to be the merchant's
		}
		if _, err := ParseMerchantNumber(n); err == nil {
			return false // two numbers
		}
		name, number = n, v
		return true
	}
	if m := merchantThenNumber.FindStringSubmatch(t); m != nil && try(m[1], m[2]) {
		return name, number, true
	}
	if m := numberThenMerchant.FindStringSubmatch(t); m != nil && try(m[2], m[1]) {
		return name, number, true
	}
	return "", "", false
}

// amountToken finds a sum in a sentence: 299, 299元, ¥299.00, 99块, 1,299.
var amountToken = regexp.MustCompile(`¥?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?\s*(?:元|块钱|块)?`)

// DeductionWords reads a deduction said in a sentence at the amount question: its one date,
// its one sum, and the words left ("2024年3月15日 微信转给业务员 299": 2024-03-15, 299.00 and
// "微信转给业务员"), which may say how it was taken. false unless the text names exactly one
// date with its day and one sum.
func DeductionWords(text string, now time.Time) (ad AmountDate, rest string, ok bool) {
	t := foldWidth(strings.TrimSpace(text))
	if utf8.RuneCountInString(t) > 100 {
		return AmountDate{}, "", false
	}
	w, found := DateInSentence(t)
	if !found {
		return AmountDate{}, "", false
	}
	d, err := ParseDate(w, now)
	if err != nil {
		return AmountDate{}, "", false
	}
	left := strings.Replace(t, w, " ", 1)
	sums := amountToken.FindAllStringIndex(left, 3)
	if len(sums) != 1 {
		return AmountDate{}, "", false
	}
	before := strings.TrimRight(left[:sums[0][0]], " ")
	if strings.HasSuffix(before, "-") || strings.HasSuffix(before, "−") || amountGoesOn(left[sums[0][1]:]) {
		return AmountDate{}, "", false // "-299", "2万", "1.5千": not the sum read
	}
	f, err := ParseAmount(left[sums[0][0]:sums[0][1]])
	if err != nil {
		return AmountDate{}, "", false
	}
	rest = strings.Trim(left[:sums[0][0]]+" "+left[sums[0][1]:], " ,;:。")
	rest = strings.Join(strings.Fields(rest), " ")
	return AmountDate{Amount: f, Date: d, YearAssumed: yearless(w)}, rest, true // "3月15日": this year or last, said so
}
