// Package paste reads the texts complainants paste instead of typing answers: a provider's
// SMS, an app's notice, lines copied from a settlement ledger, the text of a screenshot. From
// one message it takes the candidate deductions (amount, date, what the charge was called, how
// it was taken), the provider, the terminal SN, a rate change and a de-registration date.
//
// The reader never guesses: a number is read as a deduction only when the text says money was
// (or will be) taken, and balances, sales, refunds, order and phone numbers are left alone.
// What it reads is a proposal for the user to confirm, never an answer filled in silently.
// The package is pure: no clock, no I/O; the caller passes the time that decides the year of
// a date written without one.
package paste

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Methods: how a deduction was taken. The values are flows.Method's.
const (
	Settlement = "settlement" // 结算款调账
	BankCard   = "bank_card"  // 银行卡
	Wallet     = "wallet"     // 钱包
	Other      = "other"      // 其他
)

// Note codes: what the reader wants the user to know about its reading.
const (
	NoteYearAssumed      = "year_assumed"      // Value is the date read without a year, as resolved
	NoteAmountNotRead    = "amount_not_read"   // Value is an amount the text holds that was not taken as a deduction
	NoteProviderUnclear  = "provider_unclear"  // several providers are named; Value lists their keys
	NoteSNUnclear        = "sn_unclear"        // several SNs; Value lists them
	NoteRateUnclear      = "rate_unclear"      // a rate is mentioned but no change could be read
	NoteTruncated        = "truncated"         // the text went beyond MaxText, MaxDeductions or a line's limit; the rest was not read
	NoteDateUnclear      = "date_unclear"      // a deduction's sentence holds several dates; none was taken
	NoteDeregisterUnread = "deregister_unread" // 注销 is mentioned but no completed date was read
)

// Limits on what one text may ask of the reader; beyond them the rest is not read and a
// truncated note says so.
const (
	MaxText       = 32 << 10 // bytes of text
	MaxDeductions = 100      // deductions read
	MaxNotes      = 64       // notes kept
	maxLine       = 512      // bytes of one line read at a time; longer lines are read in pieces
	maxAmounts    = 40       // sums weighed in one line
)

// Reading is what one pasted text says.
type Reading struct {
	Deductions   []Deduction
	Provider     string      // a key of Aliases ("lakala"), or "" when none or several are named
	ProviderText string      // the provider as written: the SMS signature or the alias found
	SN           string      // the terminal's serial number, spaces removed
	RateChange   *RateChange // nil when the text announces none
	Deregistered string      // the date the terminal's de-registration was completed, 2006-01-02
	Notes        []Note
}

// Deduction is one sum the text says was (or will be) taken from the user.
type Deduction struct {
	Date        string // 2006-01-02, or "" when the text gives none or several
	Amount      int64  // fen, > 0
	Label       string // what the provider called it: 注销服务费, 流量卡年费, 押金…; "" when unnamed
	Method      string // Settlement, BankCard, Wallet, or "" when the text does not say
	YearAssumed bool   // the date had no year: the most recent past one (the next one when Planned) was taken
	Planned     bool   // announced for later ("将于…扣收"), not yet taken
	Line        string // the line it was read from, as pasted
}

// RateChange is a per-transaction rate that changed.
type RateChange struct {
	Old  string // "0.55%", or "" when only the new rate is given
	New  string // "0.63%", with a fixed part when given: "0.63%+3元"
	From string // 2006-01-02 when it applies from, or ""
}

// Note is something the user should know about the reading.
type Note struct {
	Code  string // one of the Note… constants
	Value string // the date, amount or names concerned
	Line  string // the line concerned, as pasted, or ""
}

// shanghai is China Standard Time; China has kept UTC+8 without daylight saving since 1991.
var shanghai = time.FixedZone("CST", 8*3600)

// Read reads one pasted text. now, taken in China's time zone, decides the year of a date
// written without one (the most recent past one, or the next one for an announced charge).
func Read(text string, now time.Time) Reading {
	r := reader{today: dateOf(now.In(shanghai))}
	if len(text) > MaxText {
		cut := MaxText
		for cut > MaxText-utf8.UTFMax && !isRuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
		r.note(NoteTruncated, "", "")
	}
	var lines []string
	for _, raw := range strings.Split(text, "\n") {
		lines = append(lines, pieces(raw)...)
	}
	for i, line := range lines {
		r.nextHead = ""
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(next) != "" {
				r.nextHead = firstClause(normalize(strings.TrimSpace(next)))
				break
			}
		}
		r.line(line)
	}
	r.finish()
	r.wholeMethod(text)
	return r.out
}

// wholeMethod gives the deductions the one way of taking the whole text names, when it names
// exactly one and no deduction was read with a way of its own ("every year they take 99 yuan
// from my settlement", then the ledger's rows; a 调账记录's rows). A way named with one
// deduction is that deduction's, not the others'.
func (r *reader) wholeMethod(text string) {
	if len(r.out.Deductions) == 0 {
		return
	}
	for _, d := range r.out.Deductions {
		if d.Method != "" {
			return
		}
	}
	var ways []string
	for _, m := range []string{methodOutside(normalize(text)), enMethod(strings.ToLower(text))} {
		if m != "" && !contains(ways, m) {
			ways = append(ways, m)
		}
	}
	if len(ways) != 1 {
		return
	}
	for i := range r.out.Deductions {
		if r.out.Deductions[i].Method == "" {
			r.out.Deductions[i].Method = ways[0]
		}
	}
}

// methodOutside is methodOf on the clauses of s that are not about a refund, a sale or a
// failure (clauseExclusions): "退回结算账户" does not say the fee was taken from the settlement.
func methodOutside(s string) string {
	if !containsAny(s, clauseExclusions) {
		return methodOf(s)
	}
	var b strings.Builder
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;!?。\n", r) }) {
		if !containsAny(c, clauseExclusions) {
			b.WriteString(c)
			b.WriteByte(';')
		}
	}
	return methodOf(b.String())
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// firstClause returns s up to its first clause mark.
func firstClause(s string) string {
	if k := strings.IndexAny(s, ",;!?。"); k >= 0 {
		return s[:k]
	}
	return s
}

// pieces cuts a line longer than maxLine after its last sentence or clause mark (or space)
// that keeps a piece within maxLine, or at a rune boundary when there is none.
func pieces(line string) []string {
	var out []string
	for len(line) > maxLine {
		cut := -1
		for _, mark := range []string{"。", "；", ";", "，", ",", " "} {
			if k := strings.LastIndex(line[:maxLine], mark); k > 0 {
				cut = k + len(mark)
				break
			}
		}
		if cut <= 0 {
			cut = maxLine
			for cut > maxLine-utf8.UTFMax && !isRuneStart(line[cut]) {
				cut-- // at a rune's start, unless the bytes are no UTF-8 at all
			}
		}
		out = append(out, line[:cut])
		line = line[cut:]
	}
	return append(out, line)
}
