package followup

import (
	"slices"

	"golang.org/x/text/unicode/norm"

	"complaintbot/flows"
)

// Result is what came of a filing.
type Result string

// The four outcomes the bot asks about.
const (
	RefundedFull Result = "full"      // refunded everything still claimed
	RefundedPart Result = "part"      // refunded part of it: Outcome.Amount
	Refused      Result = "refused"   // refused: Outcome.Reason, in the user's words
	NoAnswer     Result = "no_answer" // no answer by the due date
)

// Outcome is the answer to a filing, as the complainant reported it.
type Outcome struct {
	Result Result     `json:"r"`
	Amount flows.Fen  `json:"a,omitempty"` // refunded, for RefundedFull and RefundedPart
	Reason string     `json:"w,omitempty"` // why, for Refused; may be empty
	On     flows.Date `json:"d"`           // when the answer came, or when the user said none came
}

// Filing is one filing of the case at a rung.
type Filing struct {
	Rung    Rung       `json:"r"`
	Body    string     `json:"b,omitempty"` // the body filed with, e.g. 深圳市市场监督管理局
	Filed   flows.Date `json:"f"`
	Ref     string     `json:"n,omitempty"` // the 受理编号, when the body gave one
	Outcome *Outcome   `json:"o,omitempty"` // nil while waiting for the answer
	// Promised is the day the user last said a refund was promised and had not come (Promise),
	// while the filing waits: the bot asks again PromiseDays later.
	Promised flows.Date `json:"p,omitempty"`
}

// Deadline returns when the answer to f is due, and false when its rung has no clock.
func (f Filing) Deadline() (Deadline, bool) { return Due(f.Rung, f.Filed) }

// Case is one complaint's case file after its document: who complains (which decides the
// ladder), what they claim, and every filing with its answer.
type Case struct {
	ID          string                `json:"id"` // the complaint's id, "C-000123"
	Complainant flows.ComplainantType `json:"t"`
	Claim       flows.Fen             `json:"m"`           // money claimed: the deductions' total
	Document    flows.Date            `json:"d"`           // when the first document was produced
	Learned     flows.Date            `json:"l,omitempty"` // when the user learned of the harm
	Filings     []Filing              `json:"f,omitempty"` // in the order recorded
	Quiet       bool                  `json:"q,omitempty"` // reminders turned off (/remind off)
	// Sent are the kinds of the reminders already sent (MarkSent): Reminders leaves them out,
	// so that a reminder fires once however often the case's reminders are scheduled again.
	Sent []string `json:"s,omitempty"`
	// NoReport: a 举报 does not fit the complaint (flows.ReportFits: the user was told of the
	// fee), so Next never offers that rung; one the user filed all the same is still recorded.
	NoReport bool `json:"nr,omitempty"`
}

// New opens the case file of complaint c, whose document was produced on document. c must
// have its id and complainant type.
func New(c flows.Complaint, document flows.Date) (Case, error) {
	k := Case{ID: c.ID, Complainant: c.Complainant, Claim: c.Total(), Document: document, Learned: c.LearnedOn,
		NoReport: !flows.ReportFits(c)}
	if err := k.check(); err != nil {
		return Case{}, err
	}
	return k, nil
}

// check reports a case that cannot be followed: no id, an unknown complainant type, no
// document date, a negative claim.
func (c Case) check() error {
	_, ok := c.Document.Time()
	if c.ID == "" || Ladder(c.Complainant) == nil || !ok || c.Claim < 0 {
		return invalid(BadCase)
	}
	return nil
}

// clone returns c with its own filings, so that a change never touches the caller's copy.
func (c Case) clone() Case {
	c.Filings = slices.Clone(c.Filings)
	c.Sent = slices.Clone(c.Sent)
	for i, f := range c.Filings {
		if f.Outcome != nil {
			o := *f.Outcome
			c.Filings[i].Outcome = &o
		}
	}
	return c
}

// File records a filing of the case at f.Rung with f.Body on f.Filed, and its 受理编号 f.Ref
// if any (f.Outcome is ignored), as of today. It refuses, with a *InputError: a rung that
// does not fit the complainant, a rung whose earlier filing is still waiting for its answer,
// a case already refunded in full, a date in the future or before the document, a ref or body
// that is too long or not printable.
//
// Any rung of the ladder may be filed, not only those Next offers: the first document is
// often addressed to the second stage, and a 举报 may run alongside a 投诉.
func (c Case) File(f Filing, today flows.Date) (Case, error) {
	if err := c.check(); err != nil {
		return Case{}, err
	}
	if StageOf(c.Complainant, f.Rung) < 0 {
		return Case{}, invalid(NotOnLadder)
	}
	if c.Closed() {
		return Case{}, invalid(Closed)
	}
	for _, g := range c.Filings {
		if g.Rung == f.Rung && g.Outcome == nil {
			return Case{}, invalid(AlreadyFiled)
		}
	}
	if err := checkDate(f.Filed, c.Document, today, FiledBeforeDocument, FiledInFuture); err != nil {
		return Case{}, err
	}
	var err error
	if f.Ref, err = CleanRef(f.Ref); err != nil {
		return Case{}, err
	}
	if f.Body, err = cleanText(f.Body, norm.NFC, MaxBody, false, BodyTooLong, BodyNotPrintable); err != nil {
		return Case{}, err
	}
	f.Outcome = nil
	c = c.clone()
	c.Filings = append(c.Filings, f)
	return c, nil
}

// SetRef records the 受理编号 of filing i, which the body may give days after the filing.
func (c Case) SetRef(i int, ref string) (Case, error) {
	if i < 0 || i >= len(c.Filings) {
		return Case{}, invalid(NoSuchFiling)
	}
	ref, err := CleanRef(ref)
	if err != nil {
		return Case{}, err
	}
	c = c.clone()
	c.Filings[i].Ref = ref
	return c, nil
}

// Answer records the outcome of filing i as of today (o.On empty: today). For RefundedPart,
// o.Amount must be positive and at most Remaining; all of Remaining counts as RefundedFull.
// For RefundedFull the amount becomes Remaining. Refused keeps o.Reason; the others drop it.
// It refuses, with a *InputError: no such filing, one answered already, an unknown result, an
// amount too large or not positive, a reason too long, a date in the future or before the
// filing.
func (c Case) Answer(i int, o Outcome, today flows.Date) (Case, error) {
	if i < 0 || i >= len(c.Filings) {
		return Case{}, invalid(NoSuchFiling)
	}
	f := c.Filings[i]
	if f.Outcome != nil {
		return Case{}, invalid(AlreadyAnswered)
	}
	if o.On == "" {
		o.On = today
	}
	if err := checkDate(o.On, f.Filed, today, AnswerBeforeFiling, AnswerInFuture); err != nil {
		return Case{}, err
	}
	rest := c.Remaining()
	switch o.Result {
	case RefundedFull:
		o.Amount, o.Reason = rest, ""
	case RefundedPart:
		switch {
		case o.Amount <= 0:
			return Case{}, invalid(AmountNotPositive)
		case o.Amount > rest:
			return Case{}, &InputError{Problem: AmountTooLarge, Max: int64(rest)}
		case o.Amount == rest:
			o.Result = RefundedFull
		}
		o.Reason = ""
	case Refused:
		var err error
		if o.Reason, err = cleanText(o.Reason, norm.NFC, MaxReason, true, ReasonTooLong, ReasonNotPrintable); err != nil {
			return Case{}, err
		}
		o.Amount = 0
	case NoAnswer:
		o.Amount, o.Reason = 0, ""
	default:
		return Case{}, invalid(BadResult)
	}
	c = c.clone()
	c.Filings[i].Outcome = &o
	return c, nil
}

// checkDate checks that d is a date no earlier than from and no later than today.
func checkDate(d, from, today flows.Date, early, future Problem) error {
	t, ok := d.Time()
	if !ok {
		return invalid(BadDate)
	}
	if now, ok := today.Time(); ok && t.After(now) {
		return invalid(future)
	}
	if f, ok := from.Time(); ok && t.Before(f) {
		return invalid(early)
	}
	return nil
}

// Promise records that the user said on today that a refund was promised at filing i and has
// not come: the filing keeps waiting for its answer, and Reminders asks again PromiseDays
// later (a later promise moves that day on). It refuses, with a *InputError, no such filing or
// one answered already.
func (c Case) Promise(i int, today flows.Date) (Case, error) {
	if i < 0 || i >= len(c.Filings) {
		return Case{}, invalid(NoSuchFiling)
	}
	if c.Filings[i].Outcome != nil {
		return Case{}, invalid(AlreadyAnswered)
	}
	if _, ok := today.Time(); !ok {
		return Case{}, invalid(BadDate)
	}
	c = c.clone()
	c.Filings[i].Promised = today
	c.Sent = slices.DeleteFunc(c.Sent, func(k string) bool { return k == PromiseKind(i) })
	return c, nil
}

// MarkSent records that reminder kind was sent; Reminders no longer wants it.
func (c Case) MarkSent(kind string) Case {
	if slices.Contains(c.Sent, kind) {
		return c
	}
	c = c.clone()
	c.Sent = append(c.Sent, kind)
	return c
}

// SetQuiet turns the case's reminders off (true) or on.
func (c Case) SetQuiet(quiet bool) Case {
	c = c.clone()
	c.Quiet = quiet
	return c
}

// Recovered is the money refunded so far.
func (c Case) Recovered() flows.Fen {
	var sum flows.Fen
	for _, f := range c.Filings {
		if f.Outcome != nil {
			sum += f.Outcome.Amount
		}
	}
	return sum
}

// Remaining is the money still claimed: the claim less what was refunded.
func (c Case) Remaining() flows.Fen { return max(c.Claim-c.Recovered(), 0) }

// Closed reports whether the case is over: an answer refunded everything claimed.
func (c Case) Closed() bool {
	for _, f := range c.Filings {
		if f.Outcome != nil && f.Outcome.Result == RefundedFull {
			return true
		}
	}
	return false
}

// Waiting returns the indexes of the filings still waiting for an answer.
func (c Case) Waiting() []int {
	var out []int
	for i, f := range c.Filings {
		if f.Outcome == nil {
			out = append(out, i)
		}
	}
	return out
}

// Current returns the index of the filing furthest up the ladder (the latest of those at the
// same stage), and false when nothing was filed.
func (c Case) Current() (int, bool) {
	best, stage := -1, -1
	for i, f := range c.Filings {
		if s := StageOf(c.Complainant, f.Rung); s >= stage {
			best, stage = i, s
		}
	}
	return best, best >= 0
}

// Next returns the rungs to offer now: the first stage when nothing was filed; nothing while
// the current filing (see Current) waits for its answer or once the case is closed; otherwise
// NextAfter the current filing's outcome (past the 举报 when it does not fit, NoReport), less
// rungs already waiting for an answer.
func (c Case) Next() []Rung {
	if c.Closed() {
		return nil
	}
	i, ok := c.Current()
	if !ok {
		if l := Ladder(c.Complainant); len(l) > 0 {
			return append([]Rung(nil), l[0]...)
		}
		return nil
	}
	f := c.Filings[i]
	if f.Outcome == nil {
		return nil
	}
	var out []Rung
	for _, r := range c.nextAfter(f.Rung, f.Outcome.Result) {
		if !c.waitingAt(r) {
			out = append(out, r)
		}
	}
	return out
}

func (c Case) waitingAt(r Rung) bool {
	for _, f := range c.Filings {
		if f.Rung == r && f.Outcome == nil {
			return true
		}
	}
	return false
}
