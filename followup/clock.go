package followup

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// LimitYears is the limitation period of a civil claim (民法典 第一百八十八条), counted from when
// the user learned of the harm; 12315 also refuses a case known of for longer.
const LimitYears = 3

// LimitWarning is how long before the limitation date the case file shows it and reminds.
const LimitWarning = 6 // months

// LimitDate returns the last day of the limitation period for a harm learned of on learned:
// the same day LimitYears later, or the month's last day when that month has no such day (29
// February → 28 February; 民法典 第二百零二条). A last day that falls on a holiday is not
// moved to the next working day, so the date shown may be a day or two early, never late. It
// returns false when learned is not a date.
func LimitDate(learned flows.Date) (flows.Date, bool) {
	t, ok := learned.Time()
	if !ok {
		return "", false
	}
	return flows.DateOf(addMonths(t, 12*LimitYears)), true
}

// addMonths adds n months to t, keeping the day or, when the month is shorter, its last day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// Limitation is where a case stands against the limitation period.
type Limitation struct {
	Date   flows.Date // the period's last day (LimitDate)
	Show   bool       // less than LimitWarning months are left, or none: the case file says so
	Passed bool       // the date is before today
}

// Limitation returns the case's limitation as of today, and false when the learned date is
// unknown.
func (c Case) Limitation(today flows.Date) (Limitation, bool) {
	d, ok := LimitDate(c.Learned)
	if !ok {
		return Limitation{}, false
	}
	end, _ := d.Time()
	now, ok := today.Time()
	if !ok {
		return Limitation{Date: d}, true
	}
	return Limitation{Date: d, Show: now.After(addMonths(end, -LimitWarning)), Passed: now.After(end)}, true
}

// AskHour is the hour, China time, at which a reminder fires on its day: the evening of the
// due date, when the body's working day is over.
const AskHour = 18

// The kinds of reminder. A due reminder's kind carries its filing's index: "due:2"; so does
// the one that asks again after a promised refund: "promise:2".
const (
	KindLimit     = "limit"
	duePrefix     = "due:"
	promisePrefix = "promise:"
	noFiling      = -1
)

// DueKind is the kind of the reminder that asks for the answer to filing i.
func DueKind(i int) string { return duePrefix + strconv.Itoa(i) }

// PromiseKind is the kind of the reminder that asks again whether the refund promised at
// filing i came (Case.Promise).
func PromiseKind(i int) string { return promisePrefix + strconv.Itoa(i) }

// PromiseDays is how long after a promised refund the bot asks whether it came: our advice,
// as the provider's 7 days are.
const PromiseDays = 7

// ParseKind reads a reminder kind: the filing of a due or promise reminder, or -1 for
// KindLimit; false for a kind this package does not make.
func ParseKind(kind string) (filing int, ok bool) {
	if kind == KindLimit {
		return noFiling, true
	}
	s, ok := strings.CutPrefix(kind, duePrefix)
	if !ok {
		s, ok = strings.CutPrefix(kind, promisePrefix)
	}
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || strconv.Itoa(i) != s {
		return 0, false
	}
	return i, true
}

// Reminder is one reminder the case wants: Kind names it within the case (DueKind,
// KindLimit), At is when it fires.
type Reminder struct {
	Kind   string
	At     time.Time
	Filing int // the filing whose answer is due, or -1 for KindLimit
}

// Reminders returns the reminders the case wants now, in time order: for each filing waiting
// for its answer and with a clock, one at AskHour on its due date, and for one whose refund was
// promised (Promise), one at AskHour PromiseDays after the promise; and while the case is open,
// one at AskHour on the first day less than LimitWarning months before the limitation date.
// None when the case is Quiet, nor those already sent (MarkSent). The caller schedules exactly
// these (cancelling the case's others) after every change, and when one fires checks the case
// again: an answer recorded meanwhile means it is not sent; once sent, it records MarkSent.
func (c Case) Reminders() []Reminder {
	if c.Quiet {
		return nil
	}
	var out []Reminder
	for _, i := range c.Waiting() {
		if d, ok := c.Filings[i].Deadline(); ok {
			out = append(out, Reminder{Kind: DueKind(i), At: askAt(d.Date), Filing: i})
		}
		if p, ok := chinaDay(c.Filings[i].Promised); ok {
			out = append(out, Reminder{Kind: PromiseKind(i), At: askAt(dateOf(workdays.AddDays(p, PromiseDays))), Filing: i})
		}
	}
	if d, ok := LimitDate(c.Learned); ok && !c.Closed() {
		end, _ := d.Time()
		warn := flows.DateOf(addMonths(end, -LimitWarning).AddDate(0, 0, 1))
		out = append(out, Reminder{Kind: KindLimit, At: askAt(warn), Filing: noFiling})
	}
	out = slices.DeleteFunc(out, func(m Reminder) bool { return slices.Contains(c.Sent, m.Kind) })
	slices.SortStableFunc(out, func(a, b Reminder) int { return a.At.Compare(b.At) })
	return out
}

// askAt is AskHour China time on d.
func askAt(d flows.Date) time.Time {
	t, _ := chinaDay(d)
	return t.Add(AskHour * time.Hour)
}

// Venue is where a small claim against a provider is filed: a contract dispute goes to the
// court of the defendant's domicile or of where the contract was performed (民事诉讼法
// 第二十四条: 「因合同纠纷提起的诉讼，由被告住所地或者合同履行地人民法院管辖。」; not yet in
// DOMAIN.md §4, so not to be quoted as law in a letter until it is).
const Venue = "被告住所地或者合同履行地人民法院"

// Outline is what the outline of a 民事起诉状 for small claims needs from the case file; the
// parties, facts and evidence come from the complaint.
type Outline struct {
	Claim     flows.Fen // what to claim: the money still claimed
	Recovered flows.Fen // refunded before, to state in the facts
	Earlier   []Filing  // every filing before court, by date: the history the facts tell
	Venue     string
}

// CourtOutline returns the court outline's part of the case file, or a *InputError with
// Closed when everything was refunded.
func (c Case) CourtOutline() (Outline, error) {
	if c.Closed() {
		return Outline{}, invalid(Closed)
	}
	var earlier []Filing
	for _, f := range c.clone().Filings {
		if f.Rung != Court {
			earlier = append(earlier, f)
		}
	}
	slices.SortStableFunc(earlier, func(a, b Filing) int { return strings.Compare(string(a.Filed), string(b.Filed)) })
	return Outline{Claim: c.Remaining(), Recovered: c.Recovered(), Earlier: earlier, Venue: Venue}, nil
}
