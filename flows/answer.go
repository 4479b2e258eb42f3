package flows

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Answer is how a question reads its answer: Pick, TextAnswer, Parsed, DateAnswer or Code.
type Answer interface {
	// prompt adds the question q with its buttons.
	prompt(st *stepper, q *Question)
	// answer applies the input to q; action is the pressed button's action, or "" for input
	// typed or sent. Refused input leaves the state as it was and tells the user why.
	answer(ctx context.Context, st *stepper, q *Question, action string) error
}

// Pick is an answer given by pressing one of a few buttons, one per value; the buttons are
// labelled Label+value (message keys) and carry the value as their action.
type Pick[T ~string] struct {
	Label  string
	Values []T
	Store  func(*Session, T)
}

func (p Pick[T]) prompt(st *stepper, q *Question) {
	st.promptWith(q, choices(st, p.Label, p.Values...))
}

func (p Pick[T]) answer(ctx context.Context, st *stepper, q *Question, action string) error {
	if action == "" && st.in.Kind == InputText {
		r := said(st.in.Text)
		w := r.yesNo()
		if w == "" {
			w = r.who()
		}
		if w == "" {
			w = r.method()
		}
		if w == "" {
			w = r.disclosure()
		}
		if w == "" {
			w = r.channel()
		}
		if w == "" {
			w = r.role()
		}
		if w == "" || !slices.Contains(p.Values, T(w)) {
			if v, ok := mentioned(st.in.Text, p.Label, p.Values); ok {
				w = string(v) // "业务员上门办的": the one button the sentence speaks of
			} else if f := said(firstWord(st.in.Text)).yesNo(); f != "" {
				w = f // "yes I did", "没有，业务员从来没提过"
			}
		}
		switch {
		case (w == string(No) || slices.Contains(nowhere, string(r))) && slices.Contains(p.Values, T(ProceedingsNone)):
			w = string(ProceedingsNone) // "没有" for "none of these"
		case w == string(No) && slices.Contains(p.Values, T(NotTold)):
			w = string(NotTold) // "没有" for "were you told? not at all"
		}
		if w != "" && slices.Contains(p.Values, T(w)) {
			action = w // "是" typed for the "yes" button
		}
	}
	if v, ok := oneOf(action, p.Values...); ok {
		p.Store(&st.s, v)
		if st.in.Kind == InputText {
			// "没有，业务员从来没提过要收这个钱，合同上也没写": the button it speaks of is
			// pressed, and what the sentence says beside it is kept
			st.keepTyped(true)
		}
		return st.advance(ctx, q)
	}
	return st.buttonsOnly(action)
}

// nowhere are the words for "filed nowhere else".
var nowhere = []string{"none", "无", "nowhere", "nowhere else", "none of these", "not filed", "not yet",
	"没投诉过", "没有投诉过", "哪里都没有", "都没有", "还没有"}

// TextAnswer is typed text, cleaned and at most Max characters.
type TextAnswer struct {
	Max int
	// Words: the answer needs a letter or a character; digits and signs alone ("99", the next
	// question's amount typed early) are no address and are refused with ErrTextWords.
	Words bool
	// Check, when set, refuses an answer that cannot be what is asked (checkPeriod).
	Check func(string) error
	Store func(*Session, string)
}

func (t TextAnswer) prompt(st *stepper, q *Question) { st.promptWith(q, nil) }

func (t TextAnswer) answer(ctx context.Context, st *stepper, q *Question, action string) error {
	if q.Optional && action == "skip" {
		t.Store(&st.s, "")
		return st.advance(ctx, q)
	}
	if v, ok := st.textOnly(action, t.Max); ok {
		if t.Words && !strings.ContainsFunc(v, unicode.IsLetter) {
			st.invalid(ErrTextWords)
			return nil
		}
		if t.Check != nil {
			if err := t.Check(v); err != nil {
				st.invalid(err)
				return nil
			}
		}
		t.Store(&st.s, v)
		return st.advance(ctx, q)
	}
	return nil
}

// Parsed is typed text read by a parser from parse.go. Example is an answer Parse takes, as a
// user would type it: the tests answer the question with it. When Bad is set, text hiding
// direction controls is refused with it even if the parser took it.
type Parsed[T any] struct {
	Parse   func(string) (T, error)
	Example string
	Bad     error
	Store   func(*Session, T)
}

func (p Parsed[T]) prompt(st *stepper, q *Question) { st.promptWith(q, nil) }

func (p Parsed[T]) answer(ctx context.Context, st *stepper, q *Question, action string) error {
	if q.Optional && action == "skip" {
		var zero T
		p.Store(&st.s, zero)
		return st.advance(ctx, q)
	}
	t, ok := st.textOnly(action, 0)
	if !ok {
		return nil
	}
	v, err := p.Parse(t)
	if err == nil && p.Bad != nil && hasDirectionControl(st.in.Text) {
		err = p.Bad
	}
	if err != nil {
		st.invalid(err)
		return nil
	}
	p.Store(&st.s, v)
	return st.advance(ctx, q)
}

// DateAnswer is a date, typed ("2024年5月1日", "昨天") or pressed: Recent offers today and
// yesterday, First the first deduction's date when there is one, Unknown "I don't remember",
// which stores no date; Month also takes a month alone ("2022年3月", "March 2022").
type DateAnswer struct {
	Recent, First, Unknown, Month bool
	Store                         func(*Session, Date)
}

func (d DateAnswer) prompt(st *stepper, q *Question) {
	var cs []Choice
	if d.Recent {
		cs = append(cs, st.choice("date_today", "today", nil), st.choice("date_yesterday", "yesterday", nil))
	}
	if d.First && !deposit(st.s.Draft) { // a deposit's payment is not when its harm was learned
		if first := firstDeduction(st.s.Draft.Deductions); first != "" {
			cs = append(cs, st.choice("learned_first", "first", map[string]any{"Date": string(first)}))
		}
	}
	if d.Unknown {
		cs = append(cs, st.choice("contract_unknown", "unknown", nil))
	}
	st.promptWith(q, cs)
}

func (d DateAnswer) answer(ctx context.Context, st *stepper, q *Question, action string) error {
	if d.First && action == "" && st.in.Kind == InputText && said(st.in.Text).sameDay() && firstDeduction(st.s.Draft.Deductions) != "" {
		action = "first" // "就是扣款那天": the button's words, typed
	}
	switch {
	case d.First && action == "first":
		first := firstDeduction(st.s.Draft.Deductions)
		if first == "" {
			return st.stale()
		}
		d.Store(&st.s, first)
		return st.advance(ctx, q)
	case d.Unknown && action == "unknown":
		d.Store(&st.s, "")
		return st.advance(ctx, q)
	}
	if date, ok := st.dateOf(action, d.Month); ok {
		d.Store(&st.s, date)
		return st.advance(ctx, q)
	}
	return nil
}

// Code is a step that needs its own code (the deductions loop, the requests' toggles, the
// evidence, the review): Prompt asks, Answer takes the input and fires the machine itself.
type Code struct {
	Prompt func(*stepper)
	Answer func(*stepper, context.Context, string) error
}

func (c Code) prompt(st *stepper, _ *Question) { c.Prompt(st) }

func (c Code) answer(ctx context.Context, st *stepper, _ *Question, action string) error {
	return c.Answer(st, ctx, action)
}

// promptWith asks q with its arguments, the buttons cs and, when q is optional, "skip"; when
// an answer is being changed from the review, "keep" with the answer as it is comes first, so
// that changing the phone does not mean typing the name again.
func (st *stepper) promptWith(q *Question, cs []Choice) {
	var args map[string]any
	if q.Args != nil {
		args = q.Args(&st.s)
	}
	if v := st.kept(q); v != "" {
		cs = append([]Choice{st.choice("keep_answer", "keep", map[string]any{"Value": shortened(v, keepRunes)})}, cs...)
	}
	if q.Optional {
		cs = append(cs, st.choice("skip", "skip", nil))
		if len(st.optionalAfter(q)) > 0 {
			cs = append(cs, st.choice("skip_optional", "skip_rest", nil))
		}
	}
	st.sayWith(q.Ask, args, cs...)
}

// kept returns q's answer as the draft holds it when it is being changed from the review and
// is typed text (a name, a number, a date), or "" (a question of buttons is answered by
// pressing the same one again).
func (st *stepper) kept(q *Question) string {
	if !st.s.Editing || q.Field == "" {
		return ""
	}
	switch q.Answer.(type) {
	case TextAnswer, DateAnswer:
	case interface{ parses(string) bool }:
	default:
		return ""
	}
	return answerText(st.s.Draft, q.Field)
}

// keepRunes is how much of an answer the "keep" button shows before its "…".
const keepRunes = 23

// shortened is s, or its first n characters and "…" when it is longer.
func shortened(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return truncateRunes(s, n) + "…"
}

// advance fires the event q's answer leads to: into the run of questions after q when it
// applies, q's Done event otherwise.
func (st *stepper) advance(ctx context.Context, q *Question) error {
	return st.fire(ctx, machine().next(q.State, st.s.Draft))
}

// optionalAfter lists the optional questions after q that apply to the complaint so far: a
// "skip every optional question" press passes them by (agent, SN, merchant details, the
// negotiation's ticket and reply, the address), so most users skip them together.
func (st *stepper) optionalAfter(q *Question) []State {
	var out []State
	qs := machine().questions
	for i := machine().index[q.State] + 1; i < len(qs); i++ {
		if qs[i].Optional && qs[i].Section != "" {
			out = append(out, qs[i].State)
		}
	}
	return out
}

// checkPeriod refuses a fee period that names no time: no digit and none of the words of a
// period ("一年", "每月", "去年到今年", "2024年6月至2025年6月" pass; "拉卡拉和乐刷两台机器都扣了",
// the next question's answer typed early, is ErrPeriodFormat).
func checkPeriod(v string) error {
	t := strings.ToLower(foldWidth(v))
	if strings.ContainsFunc(t, unicode.IsDigit) {
		return nil
	}
	for _, w := range []string{"年", "月", "季", "天", "日", "周", "期", "year", "month", "annual", "quarter", "week", "day"} {
		if strings.Contains(t, w) {
			return nil
		}
	}
	return ErrPeriodFormat
}
