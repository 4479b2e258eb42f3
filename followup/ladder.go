// Package followup is a complaint's life after the document (DOMAIN.md §7): where the
// complainant filed it, when an answer is due, what came of it, and the next rung of the
// ladder — provider, then the consumer association or 12315 (consumers) or the PBOC branch
// (merchants), then a 举报 to the market regulator, then a small-claims court.
//
// It is pure, like flows: no clock (today arrives as an argument), no storage, no I/O. A Case
// is the case file; its methods return a changed copy or a *InputError saying what was wrong
// with the user's input, and change nothing then. Case has short JSON tags, stable because
// they are stored.
//
// The working-day clock of the market regulator comes from package workdays; every other
// clock is our advice, said as advice (Clock.Law is false).
package followup

import (
	"slices"
	"time"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// Rung is one step of the ladder: where a complaint is filed. Values are stored, so they are
// strings.
type Rung string

// The rungs of DOMAIN.md §7.
const (
	Provider            Rung = "provider"             // the provider itself (协商), 条例 第三十五条
	ConsumerAssociation Rung = "consumer_association" // 消费者协会 (mediation); consumers only
	MarketRegulator     Rung = "market_regulator"     // 市场监督管理部门 投诉 through 12315; consumers only
	PBOC                Rung = "pboc"                 // the supervising 中国人民银行 branch (12363); merchants
	Report              Rung = "report"               // 举报 to the market regulator; anyone, asks no refund
	Court               Rung = "court"                // a civil claim, small claims for small sums
)

// Rungs lists every rung in ladder order.
func Rungs() []Rung {
	return []Rung{Provider, ConsumerAssociation, MarketRegulator, PBOC, Report, Court}
}

// A Stage is one step of a complainant's ladder: the rungs that fit there, the usual one first.
// The rungs of one stage are alternatives: 12315 refuses a case the consumer association has
// already handled, so once one is filed the others are not offered.
type Stage []Rung

// Ladder returns the stages that fit complainant type t (DOMAIN.md §2, §7), or nil for an
// unknown type. Consumers go to the consumer association or 12315 (the market regulator where
// the respondent operates or is registered); merchants and companies, whose POS dispute is not
// 「为生活消费需要」, go to the PBOC branch. Everyone may file a 举报 and go to court.
func Ladder(t flows.ComplainantType) []Stage {
	switch t {
	case flows.Consumer:
		return []Stage{{Provider}, {ConsumerAssociation, MarketRegulator}, {Report}, {Court}}
	case flows.Individual, flows.Company:
		return []Stage{{Provider}, {PBOC}, {Report}, {Court}}
	}
	return nil
}

// StageOf returns the index in Ladder(t) of the stage holding r, or -1 when r does not fit t.
func StageOf(t flows.ComplainantType, r Rung) int {
	for i, s := range Ladder(t) {
		for _, x := range s {
			if x == r {
				return i
			}
		}
	}
	return -1
}

// NextAfter returns the rungs to offer after an answer with result res at rung r, for
// complainant type t: nothing after a full refund or after the last stage, else the next
// stage (for a partial refund, to claim the rest).
func NextAfter(t flows.ComplainantType, r Rung, res Result) []Rung {
	if res == RefundedFull {
		return nil
	}
	ladder := Ladder(t)
	s := StageOf(t, r)
	if s < 0 || s+1 >= len(ladder) {
		return nil
	}
	return append([]Rung(nil), ladder[s+1]...)
}

// nextAfter is NextAfter for the case: the 举报's stage is passed over when it does not fit
// the complaint (NoReport).
func (c Case) nextAfter(r Rung, res Result) []Rung {
	if res == RefundedFull {
		return nil
	}
	ladder := Ladder(c.Complainant)
	for s := StageOf(c.Complainant, r) + 1; s > 0 && s < len(ladder); s++ {
		if c.NoReport && slices.Contains(ladder[s], Report) {
			continue
		}
		return slices.Clone(ladder[s])
	}
	return nil
}

// Clock is how long a rung has to answer, counted from the day after the filing.
type Clock struct {
	Days    int
	Working bool // Chinese working days (package workdays); false: calendar days
	// Law is true for a period the law sets (消法 第四十六条 for the market regulator), false for
	// our own advice of when to ask, which the bot must call advice.
	Law bool
}

// clocks is when each rung should have answered. Only the market regulator's period is law
// (DOMAIN.md §7: 「自收到投诉之日起七个工作日内，予以处理并告知消费者」); the provider's 7 days is
// DOMAIN.md's advice; for the consumer association, the PBOC branch and a 举报 no period is
// verified, and 15 days is our choice of when to ask, not a deadline.
var clocks = map[Rung]Clock{
	Provider:            {Days: 7},
	MarketRegulator:     {Days: 7, Working: true, Law: true},
	ConsumerAssociation: {Days: 15},
	PBOC:                {Days: 15},
	Report:              {Days: 15},
}

// ClockOf returns rung r's clock, and false for a rung without one (a court keeps its own).
func ClockOf(r Rung) (Clock, bool) {
	c, ok := clocks[r]
	return c, ok
}

// Deadline is when an answer to a filing is due.
type Deadline struct {
	Date  flows.Date // the last day of the period
	Clock Clock
	// Estimated is true when the calendar lacks the State Council's notice for a year the
	// working days were counted in, so holidays of that year were not known.
	Estimated bool
}

// Due returns when an answer to a filing at rung r on filed is due, and false when r has no
// clock or filed is not a date. The filing date counts as the day the body received it (an
// online filing arrives the same day; one sent by post arrives later, so the date errs early,
// which only makes the bot ask sooner). The day of receipt itself is not counted
// (民法典 第二百零一条: the period starts the next day).
func Due(r Rung, filed flows.Date) (Deadline, bool) {
	c, ok := ClockOf(r)
	if !ok {
		return Deadline{}, false
	}
	from, ok := chinaDay(filed)
	if !ok {
		return Deadline{}, false
	}
	if !c.Working {
		return Deadline{Date: dateOf(workdays.AddDays(from, c.Days)), Clock: c}, true
	}
	due := workdays.AddWorkdays(from, c.Days)
	est := !workdays.Covered(from.Year()) || !workdays.Covered(due.Year())
	return Deadline{Date: dateOf(due), Clock: c, Estimated: est}, true
}

// chinaDay returns d as midnight China time.
func chinaDay(d flows.Date) (time.Time, bool) {
	t, ok := d.Time()
	if !ok {
		return time.Time{}, false
	}
	return workdays.Date(t.Year(), t.Month(), t.Day()), true
}

// dateOf returns t's date in China.
func dateOf(t time.Time) flows.Date { return flows.DateOf(t.In(workdays.China())) }
