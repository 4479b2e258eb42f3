package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/looplab/fsm"
)

// Limits on what the user types, in characters; the user is told the limit when they pass it.
const (
	maxName         = 40
	maxProviderName = 60
	maxShort        = 60 // ticket numbers, a body's name, merchant names
	maxCity         = 30
	maxAddress      = 120
	maxAgent        = 300
	maxReply        = 500
	maxOtherRequest = 200
	maxDescription  = 3000 // a story pasted whole; the review shows its start (short)
	maxEvidenceText = 1000
	maxPasted       = 4096 // a pasted text read for what it holds: Telegram's longest message
	maxCaption      = 1024 // Telegram's longest caption: nothing written under a file is cut
	maxEvidence     = 30
	maxDeductions   = 20
	// MaxFileSize is the largest file a bot may download from Telegram.
	MaxFileSize = 20 << 20
)

// Text is a message inside another message's arguments: the renderer localises it first.
type Text struct {
	Key  string
	Args map[string]any
}

// Lines is a list of messages the renderer puts one per line.
type Lines []Text

// steppers recycles the work areas of steps. A stepper holds a whole Session, and the question
// table's code takes it by pointer through interfaces and func values, so the compiler cannot
// keep it on the stack: without the pool every step would allocate one.
var steppers = sync.Pool{New: func() any { return new(stepper) }}

// stepper carries one Step's work.
type stepper struct {
	s       Session
	in      Input
	prompt  int // the number the buttons of this step carry
	moved   bool
	buttons bool
	// handedOver: this step ended the case's conversation (sent to staff, or not), and said so.
	handedOver bool
	replies    []Reply
	effects    []Effect
}

// Step applies one input to s and returns the next session, the replies to send and, when the
// user confirms, the finished complaint as an effect. Wrong input leaves the state as it was and
// explains what is expected. Step reads no clock: the time is in.Now.
func Step(ctx context.Context, s Session, in Input) (Result, error) {
	if s.State == "" {
		s = NewSession(s.Chat)
	}
	if to, ok := retired[s.State]; ok {
		s.State = to // a session stored before its question was folded into another
	}
	s = s.own()
	st := steppers.Get().(*stepper)
	defer steppers.Put(st)
	*st = stepper{s: s, in: in, prompt: s.Prompt + 1}
	if s.Prompt == 0 {
		st.prompt = firstPrompt(in.Now)
	}
	defer func() { *st = stepper{} }() // the pool keeps no user's data
	if st.s.Lang == "" {
		st.s.Lang = LangFromCode(in.LanguageCode)
	}
	if in.User != 0 {
		st.s.Draft.User = in.User
	}
	st.s.Draft.Chat = st.s.Chat
	st.s.Draft.Lang = st.s.Lang
	from := st.s.State
	if err := st.run(ctx); err != nil {
		return Result{}, err
	}
	if st.buttons || st.s.State != from || st.moved {
		st.s.Prompt = st.prompt
	}
	return Result{Session: st.s, Replies: st.replies, Effects: st.effects}, nil
}

// promptEpoch is where firstPrompt counts minutes from: 2026-01-01 00:00 UTC, in Unix seconds.
const promptEpoch = 1767225600

// firstPrompt numbers the first prompt of a session that has shown none: the minutes from
// promptEpoch to now (1 before it, or without a time). A chat whose session expired starts
// again from nothing, and its old messages keep their buttons: numbered from the clock, the
// new conversation's prompts are past every prompt of the old one (which would have had to
// ask once a minute since it began, and through the idle time that expired it), so an old
// button is stale instead of answering whatever question now carries its number.
func firstPrompt(now time.Time) int {
	return int(max(1, (now.Unix()-promptEpoch)/60))
}

// own returns s with its own copies of what steps change in place (the evidence items'
// dates and reading marks, the questions passed by, the offer's choices), so that the caller's session stays as it was.
func (s Session) own() Session {
	s.Draft.Evidence = slices.Clone(s.Draft.Evidence)
	s.Filled = slices.Clone(s.Filled)
	if s.Offer != nil {
		o := *s.Offer
		o.Keep, o.Items, o.Deductions = slices.Clone(o.Keep), slices.Clone(o.Items), slices.Clone(o.Deductions)
		s.Offer = &o
	}
	return s
}

// run dispatches the input.
func (st *stepper) run(ctx context.Context) error {
	switch st.in.Kind {
	case InputCommand:
		return st.command(ctx)
	case InputButton:
		prompt, action, ok := parseData(st.in.Data)
		if ok && prompt != st.s.Prompt && action == "escalate" && st.s.State == StateClosed &&
			st.s.HandedOver != "" && st.s.HandedOver == st.s.LastCase {
			// the hand-over pressed again (a double tap, or later from its old message): staff
			// have the case, which "expired, no complaint in progress" would leave in doubt
			st.say("human_handed", map[string]any{"CaseID": st.s.LastCase})
			return nil
		}
		if !ok || prompt != st.s.Prompt {
			st.say("button_stale", nil)
			st.ask()
			return nil
		}
		if strings.HasPrefix(action, "!") {
			return st.global(ctx, action[1:])
		}
		st.s.Pending = PendingNone
		return st.answer(ctx, action)
	case InputReading:
		st.offerFromReading()
		return nil
	default:
		if st.s.Pending != PendingNone && st.in.Kind == InputText {
			// "是" typed at "delete everything?" answers that, not the question beneath it
			if a := said(st.in.Text).confirmation(); a != "" {
				return st.global(ctx, a)
			}
		}
		if st.in.Kind == InputText && st.s.State != StateConsent {
			// "English", "中文" alone: the language, not the answer to the question (a provider's
			// address of "中文"); the consent's own buttons read it there
			if l := said(st.in.Text).language(); l != "" {
				st.s.Pending = PendingNone
				st.setLang(l)
				return nil
			}
		}
		if st.in.Kind == InputText {
			// "上一步", "进度": a command typed as people type it, without its slash
			switch name := said(st.in.Text).command(); {
			case name == "human" && inCase(st.s.State):
				// "人工客服" while writing: staff take the case once the document exists
				st.say("human", map[string]any{"NoStaff": st.in.NoEscalation})
				st.again()
				return nil
			case name == "human" && st.s.State == StateClosed && st.s.LastCase != "" && st.s.Waiting == "" && !st.in.NoEscalation:
				// "转人工" after turning the offer down: offered again; after taking it: said so
				if st.s.HandedOver == st.s.LastCase {
					st.say("human_handed", map[string]any{"CaseID": st.s.LastCase})
					return nil
				}
				st.goTo(StateSubmitted)
				return nil
			case name == "resume" && inCase(st.s.State):
				// "你好，我昨天没弄完", back the next day: not an answer to the question left open
				st.say("resume", nil)
				st.again()
				return nil
			case name == "resume": // outside a complaint a greeting is what it always was
			case name != "" && name != "human": // elsewhere "转人工" answers the offer, or reaches staff
				st.in.Kind, st.in.Command, st.in.Text = InputCommand, name, ""
				return st.command(ctx)
			}
		}
		st.s.Pending = PendingNone
		return st.answer(ctx, "")
	}
}

// parseData reads callback data "<prompt>:<action>".
func parseData(data string) (int, string, bool) {
	if len(data) > 64 {
		return 0, "", false
	}
	n, action, ok := strings.Cut(data, ":")
	if !ok || action == "" {
		return 0, "", false
	}
	p, err := strconv.Atoi(n)
	if err != nil || p < 0 {
		return 0, "", false
	}
	return p, action, true
}

// say adds a reply without buttons.
func (st *stepper) say(key string, args map[string]any) {
	st.replies = append(st.replies, Reply{Key: key, Args: args})
}

// sayWith adds a reply with buttons.
func (st *stepper) sayWith(key string, args map[string]any, choices ...Choice) {
	if len(choices) > 0 {
		st.buttons = true
	}
	st.replies = append(st.replies, Reply{Key: key, Args: args, Choices: choices})
}

// choice makes a button that triggers action, labelled by the locales message key.
func (st *stepper) choice(key, action string, args map[string]any) Choice {
	return Choice{Key: key, Args: args, Data: strconv.Itoa(st.prompt) + ":" + action}
}

// fire moves the machine by ev and asks the next question. A refused event leaves everything
// as it was.
func (st *stepper) fire(ctx context.Context, ev string) error {
	from := st.s.State
	if st.s.Editing && leavesSection(from, ev) {
		ev = evReview
	}
	to, err := decide(ctx, from, ev)
	var stay fsm.NoTransitionError
	var notHere fsm.InvalidEventError
	switch {
	case err == nil:
	case errors.As(err, &stay):
		return nil
	case errors.As(err, &notHere):
		st.say("not_now", nil)
		st.ask()
		return nil
	default:
		return fmt.Errorf("step %s from %s: %w", ev, from, err)
	}
	st.s.State = to
	if st.s.State == StateReview {
		st.s.Editing = false
		st.reroute()
	}
	st.enter()
	st.skipAnswered(ctx, from)
	st.ask()
	return nil
}

// skipAnswered passes by the questions already answered, as the machine allows: those whose
// Skip says so, and those in Session.Filled (answered from a pasted text or with another
// answer, or skipped with every optional question); while changing an answer from the review,
// only the questions a deduction typed or pasted in this change answered ("1180元 2026年9月1日"
// answers its date).
func (st *stepper) skipAnswered(ctx context.Context, from State) {
	for range 4*maxDeductions + len(machine().questions) {
		q := machine().question(st.s.State)
		if q == nil || st.s.Editing && !st.s.PendPasted {
			return
		}
		ev := ""
		switch {
		case !st.s.Editing:
			ev = st.skipEvent(q, from)
		case q.Skip != nil:
			ev = q.Skip(&st.s, from)
		}
		if ev == "" {
			return
		}
		from = st.s.State
		to, err := decide(ctx, from, ev)
		if err != nil {
			return
		}
		st.s.State = to
		st.enter()
	}
}

// enter prepares a state on arrival: its question's Arrive.
func (st *stepper) enter() {
	if q := machine().question(st.s.State); q != nil && q.Arrive != nil {
		q.Arrive(&st.s)
	}
}

// goTo moves to s without the machine: /back, /restart and the like, which work everywhere.
func (st *stepper) goTo(s State) {
	st.s.State = s
	st.moved = true
	st.ask()
}

// command handles the commands that work in every state.
func (st *stepper) command(ctx context.Context) error {
	st.s.Pending = PendingNone
	switch st.in.Command {
	case "start":
		switch {
		case st.s.State == StateConsent:
			st.ask()
		case st.s.State == StateSubmitted || st.s.State == StateClosed:
			st.newCase()
			st.goTo(StateComplainant)
		default:
			st.say("resume", nil)
			st.again()
		}
	case "help":
		st.say("help", nil)
		st.again()
	case "back":
		st.back()
	case "cancel":
		if !inCase(st.s.State) {
			st.say("nothing_to_cancel", nil)
			st.ask()
			return nil
		}
		st.confirm(PendingCancel)
	case "restart":
		if !inCase(st.s.State) {
			st.newCase()
			st.goTo(st.firstQuestion())
			return nil
		}
		st.confirm(PendingRestart)
	case "lang":
		switch LangFromArg(st.in.Args) {
		case "":
			st.sayWith("choose_language", nil,
				st.choice("lang_zh", "!lang="+string(LangZH), nil),
				st.choice("lang_en", "!lang="+string(LangEN), nil))
		default:
			st.setLang(LangFromArg(st.in.Args))
		}
	case "status":
		if inCase(st.s.State) && st.s.LastCase == "" {
			// nothing submitted yet, a complaint being written: say so and carry on with it,
			// rather than "no complaint yet, send /start"
			st.say("status_writing", nil)
			st.again()
			return nil
		}
		st.effects = append(st.effects, Effect{Kind: EffectListCases})
	case "delete":
		st.confirm(PendingDelete)
	case "privacy":
		st.say("privacy", st.keepArgs())
		st.again()
	case "rights":
		st.rights(ChargeKind(strings.TrimSpace(st.in.Args)))
	default:
		st.say("unknown_command", nil)
		st.ask()
	}
	return nil
}

// LangFromArg reads the argument of /lang: "en", "english", "zh", "中文"...; empty when it names
// no language we speak.
func LangFromArg(arg string) Lang {
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "en", "english", "英文", "英语":
		return LangEN
	case "zh", "zh-cn", "cn", "chinese", "中文", "汉语", "简体中文":
		return LangZH
	}
	return ""
}

// setLang switches the language and asks the current question again in it.
func (st *stepper) setLang(l Lang) {
	st.s.Lang = l
	st.s.Draft.Lang = l
	st.say("language_set", nil)
	st.again()
}

// again asks the current question again, or shows again the offer of what a text or a
// screenshot said, still waiting over it: the user sees what their next message answers.
func (st *stepper) again() {
	if st.s.Offer != nil {
		st.showOffer()
		return
	}
	st.ask()
}

// confirm asks a yes/no question on top of the current state.
func (st *stepper) confirm(p Pending) {
	st.s.Pending = p
	st.sayWith("confirm_"+string(p), nil,
		st.choice("yes_"+string(p), "!yes", nil),
		st.choice("no_keep", "!no", nil))
}

// global handles the buttons that work in every state.
func (st *stepper) global(ctx context.Context, action string) error {
	name, value, _ := strings.Cut(action, "=")
	switch name {
	case "lang":
		if l := LangFromArg(value); l != "" || value == string(LangZH) {
			if l == "" {
				l = LangZH
			}
			st.setLang(l)
			return nil
		}
	case "rights":
		st.rights(ChargeKind(value))
		return nil
	case "yes":
		p := st.s.Pending
		st.s.Pending = PendingNone
		switch p {
		case PendingCancel:
			st.newCase()
			st.s.State = StateClosed
			st.moved = true
			st.say("cancelled", nil)
			return nil
		case PendingRestart:
			st.newCase()
			st.say("restarted", nil)
			st.goTo(st.firstQuestion())
			return nil
		case PendingDelete:
			lang, day, cases := st.s.Lang, st.s.CaseDay, st.s.Cases
			st.effects = append(st.effects, Effect{Kind: EffectErase})
			st.s = NewSession(st.s.Chat)
			st.s.Lang, st.s.CaseDay, st.s.Cases = lang, day, cases
			st.moved = true
			st.say("deleted", nil)
			return nil
		}
	case "no":
		if st.s.Pending != PendingNone {
			st.s.Pending = PendingNone
			st.say("kept", nil)
			st.again()
			return nil
		}
	}
	st.say("button_stale", nil)
	st.ask()
	return nil
}

// firstQuestion is where a new case starts: the first question after consent, or the privacy
// notice for a chat that has not consented.
func (st *stepper) firstQuestion() State {
	if st.s.Consented {
		return StateComplainant
	}
	return StateConsent
}

// newCase throws the draft away and starts an empty one.
func (st *stepper) newCase() {
	st.s.Draft = Complaint{Chat: st.s.Chat, User: st.s.Draft.User, Lang: st.s.Lang}
	st.s.Pend = Deduction{}
	st.s.Editing = false
	st.s.Offer, st.s.Queue, st.s.Filled, st.s.PendPasted = nil, nil, nil, false
	st.s.BodyAuto = false
}

// reroute takes the route's first receiving body again when the body was taken for the user
// (Session.BodyAuto): a changed provider or complainant changes where the complaint goes.
func (st *stepper) reroute() {
	if !st.s.BodyAuto {
		return
	}
	if routes := Routes(st.s.Draft, st.providers()); len(routes) > 0 {
		st.s.Draft.Body = routes[0].Body
	}
}

// back returns to the previous question; during a change from the review, to the review.
func (st *stepper) back() {
	st.s.Offer = nil // an offer not taken is dropped with the question it was shown at
	if st.s.Editing {
		st.s.Editing = false
		st.reroute()
		st.goTo(StateReview)
		return
	}
	prev, ok := previous(st.s.State, st.s.Draft)
	if !ok {
		st.say("no_back", nil)
		st.ask()
		return
	}
	if st.s.State == StateMoreDeductions && len(st.s.Draft.Deductions) > 0 {
		// the last deduction goes back to being written, at its last question
		n := len(st.s.Draft.Deductions) - 1
		st.s.Pend = st.s.Draft.Deductions[n]
		st.s.Draft.Deductions = st.s.Draft.Deductions[:n]
	}
	if prev == StateAmount && (st.s.PendPasted || len(st.s.Queue) > 0) {
		// back from the date of a deduction read or said at once ("每年扣99，扣了三年"): its
		// amount is asked afresh, and those still waiting for their dates go with it, said so,
		// or typing the sum again would add them twice
		if n := len(st.s.Queue) + 1; n > 1 {
			st.say("deductions_queue_dropped", map[string]any{"Count": n})
		}
		st.s.Pend, st.s.Queue, st.s.PendPasted = Deduction{}, nil, false
	}
	st.goTo(prev)
}

// rights explains what the user can ask for, the evidence that matters and where to complain.
func (st *stepper) rights(k ChargeKind) {
	if k == "" {
		k = st.s.Draft.Charge
	}
	if !validCharge(k) {
		var cs []Choice
		for _, c := range ChargeKinds() {
			cs = append(cs, st.choice("charge_"+string(c), "!rights="+string(c), nil))
		}
		st.sayWith("rights_choose", nil, cs...)
		return
	}
	st.say("rights_"+string(k), nil)
	st.say("rights_routes", nil)
	st.ask()
}

func validCharge(k ChargeKind) bool {
	for _, c := range ChargeKinds() {
		if c == k {
			return true
		}
	}
	return false
}

// skipEvent is the event that passes q by when it is answered already (Question.Skip, or
// Session.Filled), or "".
func (st *stepper) skipEvent(q *Question, from State) string {
	if q.Skip != nil {
		if ev := q.Skip(&st.s, from); ev != "" {
			return ev
		}
	}
	if filled(&st.s, q.State) {
		return machine().next(q.State, st.s.Draft)
	}
	return ""
}
