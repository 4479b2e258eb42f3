package paste

// English: a line written in English, as English-speaking users type their story or paste a
// translated notice ("A deregistration fee of CNY 199.00 was deducted from your settlement on
// 2024-05-01"). It is read by the same rule as Chinese text — a sum is a deduction only when
// its sentence says money was (or will be) taken — with English words, and with English dates
// (May 1, 2024; 1 May 2024; June 10; 15-Mar-2024 as statements print it).

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The English words that decide a sum, matched against the lowercased line.
var (
	enTake     = []string{"deduct", "charged", "charge ", "debited", "took", "taken", "withheld", "withhold", "collected"}
	enPay      = []string{"paid", "pay "}
	enExcluded = []string{"refund", "returned", "paid back", "reimburs", "credited", "received", "income", "failed",
		"not ", "n't", "never", "if ", "unless", "waive", "free", "sale", "sold", "payment from", "customer", "limit", "would", "per ", "each transaction"}
	enPlanned = []string{"will ", "to be ", "going to", "scheduled", "next month", "upcoming"}
	enBalance = []string{"balance", "balance is", "balance:", "available"}
	enFeeEnds = []string{"fee", "fees", "deposit", "charge"}
	// the device a fee is for, which is not part of the fee's name
	enDevice = map[string]bool{"terminal": true, "pos": true, "device": true, "machine": true}
	// words that end a fee's name when read backwards from "fee"
	enLabelStops = map[string]bool{"a": true, "an": true, "the": true, "of": true, "your": true, "my": true, "our": true,
		"as": true, "is": true, "was": true, "for": true, "and": true, "or": true, "their": true, "this": true, "that": true,
		"his": true, "her": true, "its": true, "took": true, "taken": true, "paid": true, "charged": true, "deducted": true,
		"i": true, "they": true, "adjustment": true, "type": true, "yuan": true, "rmb": true, "cny": true, "me": true, "we": true, "it": true, "on": true, "from": true, "to": true, "with": true, "by": true, "in": true}
	enMonths = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
		"sept": 9, "oct": 10, "nov": 11, "dec": 12}
	// May 1, 2024 / May 1st 2024 / May 1
	enMonthDayRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(20\d\d)\b)?`)
	// 1 May 2024 / 1st of May
	enDayMonthRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\b(?:,?\s*(20\d\d)\b)?`)
	// 15-Mar-2024 / 15-Mar-24 / Mar-15-2024, as bank statements print it: the year is needed
	enDashedRe = regexp.MustCompile(`(?i)\b(?:(\d{1,2})-(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*|(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*-(\d{1,2}))-(20\d\d|\d\d)\b`)
	enRateRe   = regexp.MustCompile(`(?i)\bfrom\s+(\S+%)\s+to\s+(\S+%)`)
)

// isEnglish reports whether the normalized line is English prose: no Chinese character and at
// least two words of letters.
func isEnglish(s string) bool {
	words := 0
	for _, f := range strings.Fields(s) {
		if len(f) >= 2 && isLetters(strings.Trim(f, ".,:;!?\"'()")) {
			words++
		}
	}
	return words >= 2 && !strings.ContainsFunc(s, isHan)
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// englishDates finds the dates written with English month names in s, masks them in m and
// returns them with the dates found before.
func englishDates(s string, m []byte, dates []dateTok) []dateTok {
	add := func(start, end int, mon string, day, year int) {
		d := ymd{year, enMonths[strings.ToLower(mon)[:3]], day}
		if strings.EqualFold(mon, "sept") {
			d.m = 9
		}
		if !(ymd{2000, d.m, d.d}).valid() || d.y != 0 && !d.valid() || !free(m, start, end) {
			return
		}
		dates = append(dates, dateTok{start: start, end: end, d: d})
		mask(m, start, end)
	}
	for _, g := range enDashedRe.FindAllStringSubmatchIndex(s, -1) {
		y := atoi(s[g[10]:g[11]])
		if y < 100 {
			y += 2000
		}
		if g[2] >= 0 {
			add(g[0], g[1], s[g[4]:g[5]], atoi(s[g[2]:g[3]]), y)
		} else {
			add(g[0], g[1], s[g[6]:g[7]], atoi(s[g[8]:g[9]]), y)
		}
	}
	for _, g := range enMonthDayRe.FindAllStringSubmatchIndex(s, -1) {
		y := 0
		if g[6] >= 0 {
			y = atoi(s[g[6]:g[7]])
		}
		add(g[0], g[1], s[g[2]:g[3]], atoi(s[g[4]:g[5]]), y)
	}
	for _, g := range enDayMonthRe.FindAllStringSubmatchIndex(s, -1) {
		y := 0
		if g[6] >= 0 {
			y = atoi(s[g[6]:g[7]])
		}
		add(g[0], g[1], s[g[4]:g[5]], atoi(s[g[2]:g[3]]), y)
	}
	return dates
}

// english reads the deductions, the rate change and the de-registration of an English line.
func (r *reader) english(l *lineCtx, amts []amountTok) {
	// words are read from the line before masking (long words such as "settlement" look like
	// codes to the mask); sums from the masked line, whose bytes line up with it
	low := strings.ToLower(l.s)
	r.englishRate(l, low)
	if strings.Contains(low, "deregistered") || strings.Contains(low, "de-registered") ||
		strings.Contains(low, "deregistration") && strings.Contains(low, "completed") {
		if !containsAny(low, enPlanned) && !containsAny(low, []string{"not ", "n't"}) {
			r.deregSeen = true
			if d := r.sentenceDate(l, 0, len(l.ms), false); d != "" && d <= r.today.String() {
				switch {
				case r.dereg == "":
					r.dereg = d
				case r.dereg != d:
					r.deregClash = true
				}
			}
		}
	}
	for _, a := range amts {
		yuan := strings.HasPrefix(strings.TrimLeft(low[a.end:], " "), "yuan")
		if !a.currency && !a.twoDec && !yuan || a.fen == 0 {
			continue
		}
		ss, se := l.clause(a.start, true)
		sent := low[ss:se]
		pre := strings.TrimRight(low[ss:a.start], " :=")
		switch {
		case a.sign == '+', endsWithAny(pre, enBalance), containsAny(sent, enExcluded), perUnit(l.ms, a),
			strings.Contains(sent, "%"):
			r.note(NoteAmountNotRead, formatFen(a.fen), l.src)
			continue
		}
		label := enLabel(l.s, ss, se, a)
		taken := containsAny(sent, enTake) || containsAny(sent, enPay) && label != "" || a.sign == '-' && label != ""
		if !taken {
			r.note(NoteAmountNotRead, formatFen(a.fen), l.src)
			continue
		}
		planned := containsAny(sent, enPlanned)
		date, assumed := r.dateFor(l, a, ss, se, ss, se, planned, false)
		if date != "" && date > r.today.String() {
			planned = true
		}
		if assumed {
			r.note(NoteYearAssumed, date, l.src)
		}
		d := Deduction{Date: date, Amount: a.fen, Label: label, Method: enMethod(sent), YearAssumed: assumed,
			Planned: planned, Line: l.src}
		if len(r.out.Deductions) >= MaxDeductions {
			r.note(NoteTruncated, "", l.src)
			return
		}
		r.enDeds = append(r.enDeds, len(r.out.Deductions))
		r.out.Deductions = append(r.out.Deductions, d)
	}
}

// englishRate reads "… rate … from 0.55% to 0.63%", with the date it applies from.
func (r *reader) englishRate(l *lineCtx, low string) {
	if !strings.Contains(low, "rate") || !strings.Contains(low, "%") {
		return
	}
	r.rateSeen = true
	g := enRateRe.FindStringSubmatch(l.s)
	if g == nil {
		return
	}
	rc := &RateChange{Old: g[1], New: g[2]}
	if len(l.dates) == 1 {
		rc.From = resolve(l.dates[0].d, r.today, true).String()
		if v := resolve(l.dates[0].d, r.today, true); !v.valid() {
			rc.From = ""
		}
	}
	switch {
	case r.rate == nil:
		r.rate = rc
	case *r.rate != *rc:
		r.rateExtra = true
	}
}

// enLabel is the name of the fee in the sentence [ss, se): the words before "fee" (or
// "deposit", "charge") nearest before the sum, else nearest after it, as written.
func enLabel(ms string, ss, se int, a amountTok) string {
	before, after := "", ""
	words := strings.FieldsFunc(ms[ss:se], func(r rune) bool { return r == ' ' || r == ',' || r == '"' || r == '\'' })
	at := ss
	for i, w := range words {
		k := strings.Index(ms[at:], w) + at
		at = k + len(w)
		bare := strings.ToLower(strings.Trim(w, ".:;!?()"))
		if !contains(enFeeEnds, bare) {
			continue
		}
		j, glued := i, ""
		for j > 0 && i-j < 3 {
			w := words[j-1]
			if k := strings.LastIndexAny(w, "】]"); k >= 0 {
				// 【Lakala】SIM card fee: the signature glued to the name is not part of it
				_, size := utf8.DecodeRuneInString(w[k:])
				glued = strings.Trim(w[k+size:], ".:;!?()")
				if !isLetters(strings.ToLower(glued)) || enDevice[strings.ToLower(glued)] {
					glued = ""
				}
				break
			}
			p := strings.ToLower(strings.Trim(w, ".:;!?()"))
			if enLabelStops[p] || !isLetters(p) {
				break
			}
			j--
		}
		for j < i && enDevice[strings.ToLower(words[j])] {
			j++ // terminal deregistration fee: the device is not the charge's name (终端 is left out too)
		}
		name := strings.TrimRight(strings.Join(words[j:i+1], " "), ".:;!?()")
		if glued != "" && j > 0 && strings.HasSuffix(words[j-1], glued) {
			name = glued + " " + name
		}
		name = strings.Trim(name, "()")
		if j == i && glued == "" && bare != "deposit" {
			continue // "fee" alone names nothing
		}
		switch {
		case k < a.start:
			before = name
		case after == "" && k >= a.end:
			after = name
		}
	}
	if before != "" {
		return before
	}
	return after
}

// enMethod says how the money was taken, or "" when the sentence does not say or says several.
func enMethod(s string) string {
	var got []string
	if strings.Contains(s, "settlement") {
		got = append(got, Settlement)
	}
	if containsAny(s, []string{"bank card", "bank account", "debit card", "credit card", "my card"}) {
		got = append(got, BankCard)
	}
	if strings.Contains(s, "wallet") {
		got = append(got, Wallet)
	}
	if len(got) == 1 {
		return got[0]
	}
	return ""
}

// dropRepeated leaves out a deduction read from English that a deduction read from Chinese
// already holds (the user's "they took 199 yuan on 2024-05-01" above the SMS saying so): the
// same sum on the same day, or a day one of them does not give. Of two English ones, the
// second is left out only when both say exactly the same.
func (r *reader) dropRepeated() {
	if len(r.enDeds) == 0 {
		return
	}
	drop := map[int]bool{}
	for _, i := range r.enDeds {
		e := r.out.Deductions[i]
		for j, o := range r.out.Deductions {
			if j == i || drop[j] {
				continue
			}
			if slices.Contains(r.enDeds, j) {
				// two English sentences: the same one told twice only when they agree wholly
				if o.Line = e.Line; j < i && o == e {
					drop[i] = true
					break
				}
				continue
			}
			if o.Amount == e.Amount && (o.Date == e.Date || o.Date == "" || e.Date == "") {
				drop[i] = true
				break
			}
		}
	}
	out := r.out.Deductions[:0]
	for i, d := range r.out.Deductions {
		if !drop[i] {
			out = append(out, d)
		}
	}
	r.out.Deductions = out
}
