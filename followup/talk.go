package followup

// The follow-up conversation: the questions asked after the document, by buttons that carry
// the case they are about (so that a reminder sent weeks later still works) and, for what has
// to be typed, a flows.FollowAsk kept in the chat's session. Like flows.Step it is pure: the
// time arrives in the input, replies leave as flows.Reply, the changed case file comes back
// for the caller to store.

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// DataPrefix starts the callback data of every follow-up button: "f:<op>:<case>[:<args>]".
const DataPrefix = "f:"

// What a FollowAsk waits for.
const (
	AskDate   = "date"   // the day a filing was made
	AskRef    = "ref"    // a filing's 受理编号
	AskAmount = "amount" // the sum a partial refund gave back
	AskReason = "reason" // why the provider or body refused
	AskRung   = "rung"   // where a filing was made: buttons, so typed text is asked to use them
	AskFiled  = "filed"  // did you file it? buttons, and what ReadFiled reads
	AskResult = "result" // what came of a filing? buttons, and what ReadOutcome reads
)

// The button operations.
const (
	opWhen    = "w"  // filed? today / on a date / not yet: w:<case>:<t|d|n>[:<rung>]
	opRung    = "r"  // filed at rung on date: r:<case>:<rung>:<yyyymmdd>
	opNoRef   = "nr" // no 受理编号: nr:<case>:<filing>
	opOutcome = "o"  // the answer to a filing: o:<case>:<filing>:<result|rx>
	opNext    = "n"  // the next rung's letter: n:<case>:<rung>
)

// Turn is what one follow-up input did.
type Turn struct {
	Case    Case             // the case file after the input
	Changed bool             // the case file changed: store it, then schedule its Reminders
	Ask     *flows.FollowAsk // the question now waiting for typed text; nil for none
	Replies []flows.Reply
	// Letter is a rung whose letter the adapter sends now (the next rung, written for them).
	Letter Rung
}

// Handles reports whether in belongs to the follow-up conversation: one of its buttons, or
// typed text while s waits for a follow-up answer.
func Handles(s flows.Session, in flows.Input) bool {
	switch in.Kind {
	case flows.InputButton:
		return strings.HasPrefix(in.Data, DataPrefix)
	case flows.InputText:
		return s.Follow != nil
	}
	return false
}

// CaseOf returns the case in is about: the one its button names, or the one s waits on.
func CaseOf(s flows.Session, in flows.Input) string {
	if in.Kind == flows.InputButton {
		parts := strings.Split(strings.TrimPrefix(in.Data, DataPrefix), ":")
		if len(parts) >= 2 {
			return parts[1]
		}
		return ""
	}
	if s.Follow != nil {
		return s.Follow.Case
	}
	return ""
}

// Open returns the case file kept with complaint k, or a new one whose document is the day k
// was stored.
func Open(k flows.Complaint) (Case, error) {
	if len(k.FollowUp.File) > 0 {
		var c Case
		if err := json.Unmarshal(k.FollowUp.File, &c); err != nil {
			return Case{}, fmt.Errorf("case file of %s: %w", k.ID, err)
		}
		c.NoReport = !flows.ReportFits(k) // a file kept before the field was, too
		return c, nil
	}
	return New(k, flows.DateOf(workdays.Day(k.CreatedAt)))
}

// Encode returns c as it is kept in flows.Complaint.FollowUp: the file, and the summary that
// statistics keep after erasure.
func Encode(c Case) (flows.FollowUp, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return flows.FollowUp{}, fmt.Errorf("encode case file %s: %w", c.ID, err)
	}
	fu := flows.FollowUp{File: b, Rung: string(c.CurrentRung()), Recovered: c.Recovered()}
	if o := c.LastOutcome(); o != nil {
		fu.Result = string(o.Result)
	}
	return fu, nil
}

// Start is what the bot says right after the document: did you file it?
func Start(caseID string) flows.Reply { return askFiled(caseID, "") }

// Talk applies the follow-up input in to the case file c of complaint k, with ask the typed
// answer the chat waited for (nil: none). Wrong input is answered with what was wrong, and
// changes nothing.
func Talk(k flows.Complaint, c Case, ask *flows.FollowAsk, in flows.Input) Turn {
	t := Turn{Case: c, Ask: ask}
	today := flows.DateOf(workdays.Day(in.Now))
	if in.Kind == flows.InputText {
		if ask == nil || ask.Case != c.ID {
			t.Ask = nil
			return t
		}
		t.typed(k, *ask, strings.TrimSpace(in.Text), in.Now, today)
		return t
	}
	parts := strings.Split(strings.TrimPrefix(in.Data, DataPrefix), ":")
	if len(parts) < 3 || parts[1] != c.ID {
		t.say("fu_stale", nil)
		return t
	}
	t.Ask = nil // a button answers whatever was asked before
	ref := ""   // the 受理编号 typed with the filing, while its day or rung was asked
	if ask != nil && ask.Case == c.ID && (ask.Ask == AskDate || ask.Ask == AskRung) {
		ref = ask.Ref
	}
	op, args := parts[0], parts[2:]
	switch op {
	case opWhen:
		rung := Rung(arg(args, 1))
		switch args[0] {
		case "t":
			t.filedRef(k, rung, today, ref, today)
		case "d":
			t.Ask = &flows.FollowAsk{Case: c.ID, Ask: AskDate, Rung: string(rung), Ref: ref}
			t.say("fu_ask_date", nil)
		default:
			t.say("fu_not_yet_ok", map[string]any{"Case": c.ID})
		}
	case opRung:
		d := flows.Date(arg(args, 1))
		if len(d) == 8 {
			d = d[:4] + "-" + d[4:6] + "-" + d[6:]
		}
		t.filedRef(k, Rung(args[0]), d, ref, today)
	case opNoRef:
		t.say("fu_ref_none", nil)
		t.offerNothingMore()
	case opOutcome:
		i, err := strconv.Atoi(args[0])
		if err != nil {
			t.say("fu_stale", nil)
			return t
		}
		switch res := Result(arg(args, 1)); res {
		case RefundedPart:
			t.Ask = &flows.FollowAsk{Case: c.ID, Ask: AskAmount, Filing: i}
			t.say("fu_ask_amount", map[string]any{"Remaining": c.Remaining().String()})
		case Refused:
			t.Ask = &flows.FollowAsk{Case: c.ID, Ask: AskReason, Filing: i}
			t.sayWith("fu_ask_reason", nil, choice("fu_no_reason", opOutcome, c.ID, strconv.Itoa(i), "rx"))
		case "rx":
			t.answer(i, Outcome{Result: Refused}, today)
		default:
			t.answer(i, Outcome{Result: res}, today)
		}
	case opNext:
		r := Rung(args[0])
		if StageOf(c.Complainant, r) < 0 {
			t.problem(&InputError{Problem: NotOnLadder})
			return t
		}
		if c.Closed() {
			t.problem(&InputError{Problem: Closed})
			return t
		}
		t.Letter = r
		t.Replies = append(t.Replies, askFiled(c.ID, r))
		t.Ask = &flows.FollowAsk{Case: c.ID, Ask: AskFiled, Rung: string(r)}
	default:
		t.say("fu_stale", nil)
	}
	return t
}

// typed handles a typed answer to ask.
func (t *Turn) typed(k flows.Complaint, ask flows.FollowAsk, text string, now time.Time, today flows.Date) {
	c := t.Case
	switch ask.Ask {
	case AskDate:
		d, err := flows.ParseDate(text, now.In(workdays.China()))
		if errors.Is(err, flows.ErrDateFuture) {
			t.problem(&InputError{Problem: FiledInFuture})
			return
		}
		if err != nil {
			// not a date ("没有编号", what the provider said): the way out stays at hand
			t.problem(&InputError{Problem: BadDate})
			t.Replies[len(t.Replies)-1].Choices = []flows.Choice{
				choice("fu_today", opWhen, c.ID, "t", ask.Rung),
				choice("fu_not_yet", opWhen, c.ID, "n", ask.Rung),
			}
			return
		}
		t.filedOn(k, Rung(ask.Rung), d, ask.Ref, today)
	case AskRef:
		switch {
		case noRef(text):
			t.Ask = nil
			t.say("fu_ref_none", nil)
			t.offerNothingMore()
			return
		case utf8.RuneCountInString(text) <= MaxRef && (!strings.ContainsFunc(text, isDigit) || SaysOutcome(text)):
			// thanks or a sentence ("不用了，谢谢", "no thanks", "退了50元"), not a number: ask again,
			// nothing stored
			t.sayWith("fu_err_ref_format", nil, choice("fu_no_ref", opNoRef, c.ID, strconv.Itoa(ask.Filing)))
			return
		}
		nc, err := c.SetRef(ask.Filing, text)
		if err != nil {
			t.problem(err)
			return
		}
		t.Case, t.Changed, t.Ask = nc, true, nil
		t.say("fu_ref_saved", map[string]any{"Ref": nc.Filings[ask.Filing].Ref})
		t.offerNothingMore()
	case AskAmount:
		amount, err := flows.ParseAmount(text)
		if err != nil {
			// "退了50元", "they gave back 50": the one number in a sentence
			if ns := amountInText.FindAllString(text, 2); len(ns) == 1 {
				amount, err = flows.ParseAmount(ns[0])
			}
		}
		if errors.Is(err, flows.ErrAmountPositive) {
			t.problem(&InputError{Problem: AmountNotPositive})
			return
		}
		if err != nil {
			t.say("fu_err_amount_format", nil)
			return
		}
		t.answer(ask.Filing, Outcome{Result: RefundedPart, Amount: amount}, today)
	case AskReason:
		t.answer(ask.Filing, Outcome{Result: Refused, Reason: text}, today)
	case AskRung:
		if r := placeIn(strings.ToLower(text)); r != "" && StageOf(c.Complainant, r) >= 0 {
			t.Ask = nil
			t.filedRef(k, r, ask.Date, ask.Ref, today) // "12315", "消协": the place, typed
			return
		}
		t.say("use_buttons", nil)
		t.askRung(k, ask.Date, ask.Ref)
	case AskResult:
		o, ok := ReadOutcome(text)
		switch {
		case ask.Filing >= 0 && ask.Filing < len(c.Filings) && c.Filings[ask.Filing].Outcome == nil && Promised(text):
			// a promise is no money back: the filing still waits, and the bot asks again later
			t.promised(ask.Filing, today)
		case !ok || ask.Filing < 0 || ask.Filing >= len(c.Filings):
			t.say("use_buttons", nil)
			if ask.Filing >= 0 && ask.Filing < len(c.Filings) {
				t.Replies = append(t.Replies, AskOutcome(c, ask.Filing, false))
			}
		case o.Result == NoAnswer && t.notDue(ask.Filing, today):
			// "还没回复" before the due date: not yet a silence; the question waits for its day
			t.Ask = nil
			t.waitForDue(ask.Filing)
		case o.Result == RefundedPart && o.Amount == 0:
			t.Ask = &flows.FollowAsk{Case: c.ID, Ask: AskAmount, Filing: ask.Filing}
			t.say("fu_ask_amount", map[string]any{"Remaining": c.Remaining().String()})
		default:
			t.answer(ask.Filing, o, today)
		}
	case AskFiled:
		t.typedFiled(k, ask, ReadFiled(text, now.In(workdays.China())), today)
	default:
		t.Ask = nil
	}
}

// typedFiled answers "did you file it?" (for rung ask.Rung, or the one to be asked) with what
// the text f says; a text that says nothing of it is asked to use the buttons.
func (t *Turn) typedFiled(k flows.Complaint, ask flows.FollowAsk, f Filed, today flows.Date) {
	r := Rung(ask.Rung)
	if r == "" && f.Rung != "" && StageOf(t.Case.Complainant, f.Rung) >= 0 {
		r = f.Rung
	}
	switch {
	case f.Future:
		t.problem(&InputError{Problem: FiledInFuture})
	case f.Says == SaysNotYet:
		t.Ask = nil
		t.say("fu_not_yet_ok", map[string]any{"Case": t.Case.ID})
	case f.Says == SaysFiled && f.Date != "":
		t.filedOn(k, r, f.Date, f.Ref, today)
	case f.Says == SaysFiled:
		t.Ask = &flows.FollowAsk{Case: t.Case.ID, Ask: AskDate, Rung: string(r), Ref: f.Ref}
		t.say("fu_ask_date", nil)
	default:
		t.say("use_buttons", nil)
		t.Replies = append(t.Replies, askFiled(t.Case.ID, Rung(ask.Rung)))
	}
}

// filedOn records a filing on d at rung r (asking which rung when r is empty), with its number
// ref when one was given; a day in the future or before the document is refused.
func (t *Turn) filedOn(k flows.Complaint, r Rung, d flows.Date, ref string, today flows.Date) {
	switch {
	case d > today:
		t.problem(&InputError{Problem: FiledInFuture})
		return
	case d < t.Case.Document:
		t.problem(&InputError{Problem: FiledBeforeDocument})
		return
	}
	t.Ask = nil
	t.filedRef(k, r, d, ref, today)
}

// filedRef records a filing at rung r on d with its number ref when one was given (asking
// which rung when r is empty, the number kept with the question).
func (t *Turn) filedRef(k flows.Complaint, r Rung, d flows.Date, ref string, today flows.Date) {
	if r == "" {
		t.askRung(k, d, ref)
		return
	}
	t.filed(k, r, d, today)
	if ref == "" || t.Ask == nil || t.Ask.Ask != AskRef {
		return
	}
	nc, err := t.Case.SetRef(t.Ask.Filing, ref)
	if err != nil {
		return // the number is asked for, as after any filing
	}
	t.Case, t.Ask = nc, nil
	t.Replies = t.Replies[:len(t.Replies)-1] // the question the number answers
	t.say("fu_ref_saved", map[string]any{"Ref": nc.Filings[len(nc.Filings)-1].Ref})
	t.offerNothingMore()
}

// filed records a filing at rung r on d, or asks which rung when r is empty.
func (t *Turn) filed(k flows.Complaint, r Rung, d, today flows.Date) {
	if r == "" {
		t.askRung(k, d, "")
		return
	}
	nc, err := t.Case.File(Filing{Rung: r, Body: bodyFor(k, r), Filed: d}, today)
	if err != nil {
		t.problem(err)
		return
	}
	i := len(nc.Filings) - 1
	t.Case, t.Changed = nc, true
	args := map[string]any{"Rung": rungText(r), "Filed": string(d), "Case": t.Case.ID}
	key := "fu_filed"
	if dl, ok := nc.Filings[i].Deadline(); ok {
		args["Due"] = string(dl.Date)
		key = "fu_filed_advice"
		if dl.Clock.Law {
			key = "fu_filed_law"
		}
		args["Count"] = dl.Clock.Days    // the days of waiting advised: Count picks the plural form
		args["Estimated"] = dl.Estimated // no holiday notice for that year: the date is a guess
	}
	t.say(key, args)
	t.Ask = &flows.FollowAsk{Case: t.Case.ID, Ask: AskRef, Filing: i}
	t.sayWith("fu_ask_ref", nil, choice("fu_no_ref", opNoRef, t.Case.ID, strconv.Itoa(i)))
}

// answer records the outcome of filing i and offers the next rungs.
func (t *Turn) answer(i int, o Outcome, today flows.Date) {
	nc, err := t.Case.Answer(i, o, today)
	if err != nil {
		t.problem(err)
		return
	}
	early := o.Result == NoAnswer && t.notDue(i, today)
	t.Case, t.Changed, t.Ask = nc, true, nil
	f := nc.Filings[i]
	key := "fu_answered_" + string(f.Outcome.Result)
	args := map[string]any{
		"Amount": f.Outcome.Amount.String(), "Recovered": nc.Recovered().String(),
		"Remaining": nc.Remaining().String(), "Rung": rungText(f.Rung), "Case": nc.ID,
	}
	if early {
		// no answer yet, said before the due date (the button under /status): not "by the due date"
		dl, _ := f.Deadline()
		key, args["Due"] = "fu_answered_no_answer_early", string(dl.Date)
	}
	t.say(key, args)
	if nc.Closed() {
		t.say("fu_closed", nil)
		return
	}
	t.offerNext()
}

// notDue reports whether filing i has a due date after today: a silence then is not yet one.
func (t *Turn) notDue(i int, today flows.Date) bool {
	if i < 0 || i >= len(t.Case.Filings) {
		return false
	}
	dl, ok := t.Case.Filings[i].Deadline()
	return ok && today < dl.Date
}

// waitForDue answers "no answer yet" typed before filing i's due date: nothing is recorded, the
// bot asks on the due date, and the four answers stay at hand for one who wants to move on now.
func (t *Turn) waitForDue(i int) {
	f := t.Case.Filings[i]
	dl, _ := f.Deadline()
	key := "fu_not_due_advice"
	if dl.Clock.Law {
		key = "fu_not_due_law"
	}
	t.sayWith(key, map[string]any{"Rung": rungText(f.Rung), "Due": string(dl.Date), "Estimated": dl.Estimated}, AskOutcome(t.Case, i, false).Choices...)
}

// promised answers a promise of a refund at filing i, said on today: no money came back, so
// the filing keeps waiting; the promise is recorded (Case.Promise) for the bot to ask again
// PromiseDays later, and the filing's four answers stay at hand for when the money arrives.
func (t *Turn) promised(i int, today flows.Date) {
	nc, err := t.Case.Promise(i, today)
	if err != nil {
		t.problem(err)
		return
	}
	t.Case, t.Changed, t.Ask = nc, true, nil
	f := nc.Filings[i]
	args := map[string]any{"Rung": rungText(f.Rung), "Case": nc.ID}
	for _, m := range nc.Reminders() {
		if m.Kind == PromiseKind(i) {
			args["Ask"] = string(dateOf(m.At))
		}
	}
	q := AskOutcome(nc, i, false)
	t.sayWith("fu_promised", args, q.Choices...)
}

// offerNext offers the letters of the next rungs, when there are any.
func (t *Turn) offerNext() {
	next := t.Case.Next()
	if len(next) == 0 {
		return
	}
	var cs []flows.Choice
	for _, r := range next {
		cs = append(cs, flows.Choice{Key: "fu_letter_" + string(r), Data: data(opNext, t.Case.ID, string(r))})
	}
	t.sayWith("fu_next", map[string]any{"Remaining": t.Case.Remaining().String()}, cs...)
}

// offerNothingMore ends a filing's questions: the bot asks again when the answer is due.
func (t *Turn) offerNothingMore() { t.say("fu_will_ask", nil) }

// askRung asks where the filing of day d, with number ref if one was typed, went: every rung of the complainant's ladder, first
// the one the 投诉书 was addressed to (its receiving body), then the ones Next offers.
func (t *Turn) askRung(k flows.Complaint, d flows.Date, ref string) {
	var cs []flows.Choice
	seen := map[Rung]bool{}
	add := func(r Rung) {
		if !seen[r] && StageOf(t.Case.Complainant, r) >= 0 {
			seen[r] = true
			cs = append(cs, flows.Choice{Key: "fu_rung_" + string(r), Data: data(opRung, t.Case.ID, string(r), strings.ReplaceAll(string(d), "-", ""))})
		}
	}
	if len(t.Case.Filings) == 0 {
		if r := addressed(k); r != "" {
			add(r)
		}
	}
	for _, r := range t.Case.Next() {
		add(r)
	}
	for _, st := range Ladder(t.Case.Complainant) {
		for _, r := range st {
			add(r)
		}
	}
	t.sayWith("fu_which_rung", map[string]any{"Filed": string(d)}, cs...)
	// typed text now is about this question, not a new complaint
	t.Ask = &flows.FollowAsk{Case: t.Case.ID, Ask: AskRung, Date: d, Ref: ref}
}

// problem answers refused input: the reason, in the user's language; nothing changed.
func (t *Turn) problem(err error) {
	var ie *InputError
	if !errors.As(err, &ie) {
		ie = &InputError{Problem: BadCase}
	}
	args := map[string]any{"Max": ie.Max}
	if ie.Problem == AmountTooLarge {
		args["Max"] = flows.Fen(ie.Max).String()
	}
	t.say("fu_err_"+string(ie.Problem), args)
}

func (t *Turn) say(key string, args map[string]any) {
	t.Replies = append(t.Replies, flows.Reply{Key: key, Args: args})
}

func (t *Turn) sayWith(key string, args map[string]any, cs ...flows.Choice) {
	t.Replies = append(t.Replies, flows.Reply{Key: key, Args: args, Choices: cs})
}

// askFiled asks whether the document (or rung r's letter) was filed.
func askFiled(caseID string, r Rung) flows.Reply {
	args := map[string]any{"Case": caseID}
	if r != "" {
		args["Rung"] = rungText(r)
	}
	key := "fu_did_file"
	if r != "" {
		key = "fu_did_file_rung"
	}
	return flows.Reply{Key: key, Args: args, Choices: []flows.Choice{
		choice("fu_today", opWhen, caseID, "t", string(r)),
		choice("fu_on_date", opWhen, caseID, "d", string(r)),
		choice("fu_not_yet", opWhen, caseID, "n", string(r)),
	}}
}

// AskOutcome is the question a due reminder asks: what came of filing i?
func AskOutcome(c Case, i int, repeat bool) flows.Reply {
	f := c.Filings[i]
	args := map[string]any{"Case": c.ID, "Rung": rungText(f.Rung), "Filed": string(f.Filed), "Repeat": repeat, "Report": f.Rung == Report}
	if f.Ref != "" {
		args["Ref"] = f.Ref
	}
	if dl, ok := f.Deadline(); ok {
		args["Due"], args["Law"] = string(dl.Date), dl.Clock.Law // advice is said as advice
		args["Estimated"] = dl.Estimated                         // and a date counted without the year's holidays as a guess
	}
	n := strconv.Itoa(i)
	return flows.Reply{Key: "fu_ask_outcome", Args: args, Choices: []flows.Choice{
		choice("fu_res_full", opOutcome, c.ID, n, string(RefundedFull)),
		choice("fu_res_part", opOutcome, c.ID, n, string(RefundedPart)),
		choice("fu_res_refused", opOutcome, c.ID, n, string(Refused)),
		choice("fu_res_no_answer", opOutcome, c.ID, n, string(NoAnswer)),
	}}
}

// LimitReminder is what the limitation reminder says.
func LimitReminder(c Case, today flows.Date, repeat bool) (flows.Reply, bool) {
	l, ok := c.Limitation(today)
	if !ok || !l.Show {
		return flows.Reply{}, false
	}
	return flows.Reply{Key: "fu_limit", Args: map[string]any{"Case": c.ID, "Date": string(l.Date), "Passed": l.Passed, "Repeat": repeat}}, true
}

func choice(key, op, caseID string, args ...string) flows.Choice {
	return flows.Choice{Key: key, Data: data(op, caseID, args...)}
}

// data builds a button's callback data, trailing empty arguments dropped.
func data(op, caseID string, args ...string) string {
	for len(args) > 0 && args[len(args)-1] == "" {
		args = args[:len(args)-1]
	}
	return DataPrefix + strings.Join(append([]string{op, caseID}, args...), ":")
}

func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// rungText names a rung in the user's language.
func rungText(r Rung) flows.Text { return flows.Text{Key: "fu_rung_" + string(r)} }

// RungText names rung r in the user's language, for the adapters' lists.
func RungText(r Rung) flows.Text { return rungText(r) }

// bodyFor is the body a filing at r goes to, as far as the complaint says: the provider's
// legal name for the provider; the receiving body the 投诉书 was addressed to when it is of
// r's kind; else the body of that kind flows.Routes names for the complaint (where the
// respondent is registered; a guessed PBOC branch is not taken), which the rung's letter is
// addressed to (document.RungText); "" when none is known.
func bodyFor(k flows.Complaint, r Rung) string {
	var b string
	mark := ""
	switch r {
	case Provider:
		b = k.Provider.Name
	case ConsumerAssociation:
		mark = "消费者"
	case MarketRegulator, Report:
		mark = "市场监督"
	case PBOC:
		mark = "人民银行"
	}
	if mark != "" && strings.Contains(k.Body, mark) {
		b = k.Body
	} else if mark != "" {
		for _, rt := range flows.Routes(k, nil) {
			if !rt.Guess && strings.Contains(rt.Body, mark) {
				b = rt.Body
				break
			}
		}
	}
	if utf8.RuneCountInString(b) > MaxBody {
		return ""
	}
	return b
}

// Status is the case file's lines for /status: each filing (rung, body, date, 受理编号, answer),
// what comes next with its date, and the limitation date when it is near.
func Status(c Case, today flows.Date) flows.Lines {
	var ls flows.Lines
	for _, f := range c.Filings {
		args := map[string]any{"Rung": rungText(f.Rung), "Filed": string(f.Filed), "Body": f.Body, "Ref": f.Ref}
		ls = append(ls, flows.Text{Key: "fu_status_filing", Args: args})
		if o := f.Outcome; o != nil {
			ls = append(ls, flows.Text{Key: "fu_status_answer_" + string(o.Result), Args: map[string]any{
				"On": string(o.On), "Amount": o.Amount.String(), "Reason": o.Reason}})
		}
	}
	waiting := c.Waiting()
	for _, i := range waiting {
		f := c.Filings[i]
		if f.Promised != "" {
			ls = append(ls, flows.Text{Key: "fu_status_promised", Args: map[string]any{"Rung": rungText(f.Rung), "On": string(f.Promised)}})
		}
		if dl, ok := f.Deadline(); ok {
			key := "fu_status_due_advice"
			switch {
			case today > dl.Date || slices.Contains(c.Sent, DueKind(i)):
				key = "fu_status_overdue" // asked already, or past: not "I will ask you then"
			case dl.Clock.Law:
				key = "fu_status_due_law"
			}
			ls = append(ls, flows.Text{Key: key, Args: map[string]any{"Rung": rungText(f.Rung), "Due": string(dl.Date), "Law": dl.Clock.Law,
				"Estimated": dl.Estimated}})
		} else {
			ls = append(ls, flows.Text{Key: "fu_status_waiting", Args: map[string]any{"Rung": rungText(f.Rung)}})
		}
	}
	switch {
	case c.Closed():
		ls = append(ls, flows.Text{Key: "fu_status_closed", Args: map[string]any{"Recovered": c.Recovered().String()}})
	case len(c.Filings) == 0:
		ls = append(ls, flows.Text{Key: "fu_status_not_filed"})
	case len(waiting) == 0:
		if next := c.Next(); len(next) > 0 {
			ls = append(ls, flows.Text{Key: "fu_status_next", Args: map[string]any{"Rung": rungText(next[0]),
				"Remaining": c.Remaining().String()}})
		}
	}
	if c.Recovered() > 0 && !c.Closed() {
		ls = append(ls, flows.Text{Key: "fu_status_money", Args: map[string]any{
			"Recovered": c.Recovered().String(), "Remaining": c.Remaining().String()}})
	}
	if l, ok := c.Limitation(today); ok && l.Show && !c.Closed() {
		key := "fu_status_limit"
		if l.Passed {
			key = "fu_status_limit_passed"
		}
		ls = append(ls, flows.Text{Key: key, Args: map[string]any{"Date": string(l.Date)}})
	}
	if c.Quiet {
		ls = append(ls, flows.Text{Key: "fu_status_quiet"})
	}
	return ls
}

// CurrentRung is the rung of the filing furthest up the ladder, "" when nothing was filed.
func (c Case) CurrentRung() Rung {
	if i, ok := c.Current(); ok {
		return c.Filings[i].Rung
	}
	return ""
}

// LastOutcome is the latest answer recorded, nil when none.
func (c Case) LastOutcome() *Outcome {
	var last *Outcome
	for _, f := range c.Filings {
		if f.Outcome != nil && (last == nil || f.Outcome.On >= last.On) {
			last = f.Outcome
		}
	}
	return last
}

// StatusChoices are the buttons /status offers under a case: "did you file it?" when nothing
// was filed, the four answers for the first filing still waiting (an answer may come before
// its due date), else the next rungs' letters; none once the case is closed.
func StatusChoices(c Case) []flows.Choice {
	switch {
	case c.Closed():
		return nil
	case len(c.Filings) == 0:
		return Start(c.ID).Choices
	}
	if w := c.Waiting(); len(w) > 0 {
		return AskOutcome(c, w[0], false).Choices
	}
	var cs []flows.Choice
	for _, r := range c.Next() {
		cs = append(cs, flows.Choice{Key: "fu_letter_" + string(r), Data: data(opNext, c.ID, string(r))})
	}
	return cs
}

// addressed is the rung of the body the 投诉书 was addressed to, "" when its name does not say.
func addressed(k flows.Complaint) Rung {
	switch {
	case strings.Contains(k.Body, "消费者"):
		return ConsumerAssociation
	case strings.Contains(k.Body, "市场监督"):
		return MarketRegulator
	case strings.Contains(k.Body, "人民银行"):
		return PBOC
	}
	return ""
}

// amountInText finds a sum of yuan inside a sentence: digits, or Chinese numerals followed by
// 元 or 块 ("退了五十元"; numerals alone would find 一 in 一部分).
var amountInText = regexp.MustCompile(`[0-9]+(?:\.[0-9]{1,2})?|[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟萬点]+(?:元|块)`)

// noRef reports whether a typed answer to "its 受理编号?" says there is none.
func noRef(s string) bool {
	switch strings.ToLower(strings.Trim(s, " 。.!！")) {
	case "没有", "无", "没", "没给", "没有编号", "没有受理号", "没给编号", "no", "none", "n/a", "-",
		"no number", "no reference", "there is none", "they gave none":
		return true
	}
	return false
}

// isDigit reports a digit, ASCII or full-width, which every 受理编号 has ("12315-0001",
// "CA-2025-77"); words alone, in any script, are not one.
func isDigit(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９'
}
