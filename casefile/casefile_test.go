package casefile

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/workdays"
)

// memFiles keeps case records in memory.
type memFiles struct {
	cases     map[string]flows.Complaint
	reminders map[string][]followup.Reminder
}

func (m *memFiles) Complaint(_ context.Context, id string) (flows.Complaint, error) {
	k, ok := m.cases[id]
	if !ok {
		return flows.Complaint{}, errors.New("no such case")
	}
	return k, nil
}

func (m *memFiles) ChangeFollowUp(_ context.Context, id string, decide func(flows.Complaint) (flows.FollowUp, bool, error)) (flows.Complaint, error) {
	k := m.cases[id]
	fu, ok, err := decide(k)
	if err != nil || !ok {
		return k, err
	}
	k.FollowUp = fu
	m.cases[id] = k
	return k, nil
}

func (m *memFiles) SyncReminders(_ context.Context, id string, want []followup.Reminder) error {
	m.reminders[id] = want
	return nil
}

func (m *memFiles) CancelReminders(_ context.Context, id string) (int, error) {
	n := len(m.reminders[id])
	delete(m.reminders, id)
	return n, nil
}

func (m *memFiles) list(_ context.Context, chat int64) ([]flows.Complaint, error) {
	var out []flows.Complaint
	for _, k := range m.cases {
		if k.Chat == chat {
			out = append(out, k)
		}
	}
	return out, nil
}

func world() *memFiles {
	k := flows.Complaint{ID: "C-000001", Chat: 7, Complainant: flows.Consumer, LearnedOn: "2025-01-10",
		Deductions: []flows.Deduction{{Date: "2025-01-10", Amount: 19900}}, CreatedAt: workdays.Date(2025, 9, 25)}
	return &memFiles{cases: map[string]flows.Complaint{k.ID: k}, reminders: map[string][]followup.Reminder{}}
}

func press(data string) flows.Input {
	return flows.Input{Kind: flows.InputButton, Data: data, Now: workdays.Date(2025, 9, 26).Add(10 * time.Hour)}
}

// TestStep: a filing is stored with its reminders and the session keeps the typed question;
// pressing it again changes nothing; another chat's button is refused; flows' input is left
// to flows, and a flows button drops the waiting question.
func TestStep(t *testing.T) {
	ctx := context.Background()
	m := world()
	s := flows.Session{Chat: 7, State: flows.StateClosed}
	res, turn, ok, err := Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926"))
	if err != nil || !ok || !turn.Changed || res.Session.Follow == nil || res.Session.Follow.Ask != followup.AskRef {
		t.Fatalf("filing: %+v %+v %v %v", res, turn, ok, err)
	}
	if len(m.reminders["C-000001"]) != 2 || m.cases["C-000001"].FollowUp.Rung != "provider" {
		t.Errorf("stored: %+v, reminders %+v", m.cases["C-000001"].FollowUp, m.reminders)
	}
	before := m.cases["C-000001"]
	res, _, _, _ = Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926"))
	if !reflect.DeepEqual(before, m.cases["C-000001"]) || res.Replies[0].Key != "fu_err_already_filed" {
		t.Errorf("the same filing again: %+v", res.Replies)
	}
	other := flows.Session{Chat: 8, State: flows.StateClosed}
	res, _, ok, _ = Step(ctx, m, m.list, other, press("f:o:C-000001:0:full"))
	if !ok || res.Replies[0].Key != "fu_stale" || !reflect.DeepEqual(before, m.cases["C-000001"]) {
		t.Errorf("another chat's button: %+v", res.Replies)
	}
	if _, _, ok, _ := Step(ctx, m, m.list, s, press("3:agree")); ok {
		t.Error("a flows button went to the follow-up")
	}
	waiting := flows.Session{Chat: 7, Follow: &flows.FollowAsk{Case: "C-000001", Ask: followup.AskRef}}
	if got := ForFlows(waiting, press("3:agree")); got.Follow != nil {
		t.Error("a flows button left the follow-up question waiting")
	}
	res, _, ok, err = Step(ctx, m, m.list, s, flows.Input{Kind: flows.InputCommand, Command: "remind", Args: "off"})
	if err != nil || !ok || res.Replies[0].Key != "fu_remind_off" || len(m.reminders["C-000001"]) != 0 {
		t.Errorf("/remind off: %+v %v, reminders %+v", res.Replies, err, m.reminders)
	}
}

// TestFiledTyped: after the document, "did you file it?" answered by typing is recorded, with
// the place and number the sentence gives; text that says nothing of filing, text in another
// chat, or text once the case has a filing goes to flows as before.
func TestFiledTyped(t *testing.T) {
	ctx := context.Background()
	m := world()
	typed := func(s string) flows.Input {
		return flows.Input{Kind: flows.InputText, Text: s, Now: workdays.Date(2025, 9, 26).Add(10 * time.Hour)}
	}
	s := flows.Session{Chat: 7, State: flows.StateSubmitted, LastCase: "C-000001"}
	for _, text := range []string{"谢谢", "我想再投诉一个", "是", "没有", "No"} {
		if _, _, ok, _ := Step(ctx, m, m.list, s, typed(text)); ok {
			t.Errorf("%q went to the follow-up", text)
		}
	}
	// "delete everything?" waits: its answer is flows', whatever it says
	deleting := s
	deleting.Pending = flows.PendingDelete
	for _, text := range []string{"是", "今天提交了"} {
		if _, _, ok, _ := Step(ctx, m, m.list, deleting, typed(text)); ok {
			t.Errorf("%q at /delete's question went to the follow-up", text)
		}
	}
	other := flows.Session{Chat: 8, State: flows.StateClosed, LastCase: "C-000001"}
	if _, _, ok, _ := Step(ctx, m, m.list, other, typed("今天提交了")); ok {
		t.Error("another chat's text answered for the case")
	}
	res, turn, ok, err := Step(ctx, m, m.list, s, typed("今天在12315平台提交了，受理号是 1234567890"))
	if err != nil || !ok || !turn.Changed || res.Session.Follow != nil {
		t.Fatalf("filed, typed: %+v %+v %v %v", res, turn, ok, err)
	}
	k := m.cases["C-000001"]
	c, err := followup.Open(k)
	if err != nil || len(c.Filings) != 1 || c.Filings[0].Rung != followup.MarketRegulator || c.Filings[0].Filed != "2025-09-26" || c.Filings[0].Ref != "1234567890" {
		t.Fatalf("case file %+v (%v)", c, err)
	}
	if _, _, ok, _ := Step(ctx, m, m.list, s, typed("昨天提交了")); ok {
		t.Error("a second typed filing went to the follow-up: buttons or /status record later ones")
	}
	// a later filing typed with its rung, once the letter's question was let go: recorded
	res, turn, ok, err = Step(ctx, m, m.list, s, typed("今天把举报信交到市场监管局了，编号 JB-2025-1"))
	if err != nil || !ok || !turn.Changed {
		t.Fatalf("a later filing with its rung, typed: %+v %+v %v %v", res.Replies, turn, ok, err)
	}
	if c, _ := followup.Open(m.cases["C-000001"]); len(c.Filings) != 2 || c.Filings[1].Rung != followup.Report || c.Filings[1].Ref != "JB-2025-1" {
		t.Fatalf("case file %+v", c.Filings)
	}
	// a rung that does not fit the complainant (a consumer at the PBOC branch) is flows'
	if _, _, ok, _ := Step(ctx, m, m.list, s, typed("今天打12363投诉了")); ok {
		t.Error("a filing at a rung off the consumer's ladder went to the follow-up")
	}
}

// TestFiledRefBeforePlace: a 受理编号 typed with a filing whose day or place the bot does not
// know is kept while it asks them, and recorded with the filing: the number is not asked again.
func TestFiledRefBeforePlace(t *testing.T) {
	ctx := context.Background()
	typed := func(s string) flows.Input {
		return flows.Input{Kind: flows.InputText, Text: s, Now: workdays.Date(2025, 9, 26).Add(10 * time.Hour)}
	}
	tests := []struct {
		name, ref string
		then      []flows.Input // the answers to the questions that follow
	}{
		{"no day, then the day and a button for the place", "123456",
			[]flows.Input{typed("提交了，受理号 123456"), typed("9月26日"), press("f:r:C-000001:market_regulator:20250926")}},
		{"a place the bot does not know, then the place typed", "ABC123",
			[]flows.Input{typed("交到了区里，编号 ABC123"), typed("今天"), typed("12315")}},
		{"a day and a place it does not know, then a button", "ABC123",
			[]flows.Input{typed("今天交到了区里，编号 ABC123"), press("f:r:C-000001:consumer_association:20250926")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := world()
			s := flows.Session{Chat: 7, State: flows.StateSubmitted, LastCase: "C-000001"}
			var res flows.Result
			for i, in := range tc.then {
				var ok bool
				var err error
				res, _, ok, err = Step(ctx, m, m.list, s, in)
				if err != nil || !ok {
					t.Fatalf("answer %d: %v %v", i, ok, err)
				}
				s = res.Session
			}
			c, err := followup.Open(m.cases["C-000001"])
			if err != nil || len(c.Filings) != 1 || c.Filings[0].Ref != tc.ref || c.Filings[0].Filed != "2025-09-26" {
				t.Fatalf("case file %+v (%v)", c.Filings, err)
			}
			for _, r := range res.Replies {
				if r.Key == "fu_ask_ref" {
					t.Errorf("the number was asked again: %+v", res.Replies)
				}
			}
			if s.Follow != nil {
				t.Errorf("a question still waits: %+v", s.Follow)
			}
		})
	}
}

// TestOutcomeTyped: what came of the one filing waiting is read from typed text in a closed
// chat (the reminder asking it set no waiting question); with two cases waiting, the text
// is flows' and the buttons say which.
func TestOutcomeTyped(t *testing.T) {
	ctx := context.Background()
	m := world()
	s := flows.Session{Chat: 7, State: flows.StateClosed, LastCase: "C-000001"}
	if _, _, _, err := Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926")); err != nil {
		t.Fatal(err)
	}
	typed := flows.Input{Kind: flows.InputText, Text: "退了50元", Now: workdays.Date(2025, 10, 9).Add(19 * time.Hour)}
	second := m.cases["C-000001"]
	second.ID = "C-000002"
	sc, _ := followup.Open(second)
	sc.ID = second.ID
	second.FollowUp, _ = followup.Encode(sc)
	m.cases[second.ID] = second
	res, turn, ok, err := Step(ctx, m, m.list, s, typed)
	if err != nil || !ok || turn.Changed || len(res.Replies) != 3 || res.Replies[0].Key != "fu_which_case" {
		t.Fatalf("text with two waiting cases: %+v %+v %v %v", res.Replies, turn, ok, err)
	}
	var asked []string
	for _, r := range res.Replies[1:] {
		if len(r.Choices) != 4 || !strings.HasPrefix(r.Choices[0].Data, "f:o:"+r.Args["Case"].(string)+":") {
			t.Errorf("a case's question: %+v", r)
		}
		asked = append(asked, r.Args["Case"].(string))
	}
	if slices.Sort(asked); !slices.Equal(asked, []string{"C-000001", "C-000002"}) {
		t.Errorf("asked about %v, want both cases", asked)
	}
	for _, id := range []string{"C-000001", "C-000002"} {
		if c, _ := followup.Open(m.cases[id]); c.Filings[0].Outcome != nil {
			t.Errorf("case %s recorded %+v from a text two cases could be about", id, c.Filings[0].Outcome)
		}
	}
	delete(m.cases, second.ID)
	deleting := s
	deleting.Pending = flows.PendingDelete
	if _, _, ok, _ := Step(ctx, m, m.list, deleting, typed); ok {
		t.Error("text at /delete's question answered the filing")
	}
	res, turn, ok, err = Step(ctx, m, m.list, s, typed)
	if err != nil || !ok || !turn.Changed || res.Replies[0].Key != "fu_answered_part" {
		t.Fatalf("typed outcome: %+v %+v %v %v", res.Replies, turn, ok, err)
	}
	c, _ := followup.Open(m.cases["C-000001"])
	if o := c.Filings[0].Outcome; o == nil || o.Result != followup.RefundedPart || o.Amount != 5000 {
		t.Fatalf("outcome %+v", c.Filings[0].Outcome)
	}
}

// TestOutcomeTypedOverStaleQuestion: the 受理编号 question left unanswered after the filing
// does not take what came of it, typed at the reminder a week later: "退了50元" is the answer,
// not the filing's number. A number typed at the question is still its number.
func TestOutcomeTypedOverStaleQuestion(t *testing.T) {
	ctx := context.Background()
	m := world()
	s := flows.Session{Chat: 7, State: flows.StateClosed, LastCase: "C-000001"}
	res, _, _, err := Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926"))
	if err != nil || res.Session.Follow == nil || res.Session.Follow.Ask != followup.AskRef {
		t.Fatalf("after the filing the session waits on %+v (%v), want the 受理编号", res.Session.Follow, err)
	}
	s = res.Session
	typed := flows.Input{Kind: flows.InputText, Text: "退了50元", Now: workdays.Date(2025, 10, 3).Add(19 * time.Hour)}
	res, turn, ok, err := Step(ctx, m, m.list, s, typed)
	if err != nil || !ok || !turn.Changed || res.Replies[0].Key != "fu_answered_part" || res.Session.Follow != nil {
		t.Fatalf("typed outcome over the stale question: %+v %+v %v %v", res.Replies, turn, ok, err)
	}
	c, _ := followup.Open(m.cases["C-000001"])
	if f := c.Filings[0]; f.Ref != "" || f.Outcome == nil || f.Outcome.Amount != 5000 {
		t.Fatalf("filing %+v, outcome %+v", f, f.Outcome)
	}
	// the number itself, typed at the question, is still taken
	m = world()
	s = flows.Session{Chat: 7, State: flows.StateClosed, LastCase: "C-000001"}
	res, _, _, _ = Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926"))
	if res, _, _, err = Step(ctx, m, m.list, res.Session, flows.Input{Kind: flows.InputText, Text: "LKL-2025-0926", Now: typed.Now}); err != nil || res.Replies[0].Key != "fu_ref_saved" {
		t.Fatalf("the 受理编号 typed: %+v %v", res.Replies, err)
	}
}

// TestPromiseTyped: the provider's promise, typed after the reminder, is answered as a
// promise: the filing still waits, the case is not closed, the filing's four answers are
// offered again, and the bot will ask again PromiseDays later.
func TestPromiseTyped(t *testing.T) {
	ctx := context.Background()
	m := world()
	s := flows.Session{Chat: 7, State: flows.StateClosed, LastCase: "C-000001"}
	if _, _, _, err := Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926")); err != nil {
		t.Fatal(err)
	}
	typed := flows.Input{Kind: flows.InputText, Text: "客服打电话来，答应一周内退回", Now: workdays.Date(2025, 10, 9).Add(19 * time.Hour)}
	res, turn, ok, err := Step(ctx, m, m.list, s, typed)
	if err != nil || !ok || !turn.Changed || len(res.Replies) != 1 || res.Replies[0].Key != "fu_promised" || res.Replies[0].Args["Ask"] != "2025-10-16" {
		t.Fatalf("typed promise: %+v %+v %v %v", res.Replies, turn, ok, err)
	}
	if len(res.Replies[0].Choices) != 4 || res.Session.Follow != nil {
		t.Errorf("promise answered with %+v, session waits on %+v", res.Replies[0].Choices, res.Session.Follow)
	}
	c, _ := followup.Open(m.cases["C-000001"])
	if c.Closed() || len(c.Waiting()) != 1 || c.Filings[0].Outcome != nil || c.Filings[0].Promised != "2025-10-09" {
		t.Errorf("after the promise: closed %v, waiting %v, filing %+v", c.Closed(), c.Waiting(), c.Filings[0])
	}
	want := workdays.Date(2025, 10, 16).Add(followup.AskHour * time.Hour)
	var asked bool
	for _, r := range m.reminders["C-000001"] {
		asked = asked || r.Kind == followup.PromiseKind(0) && r.At.Equal(want)
	}
	if !asked {
		t.Errorf("reminders after the promise: %+v, want %s at %v", m.reminders["C-000001"], followup.PromiseKind(0), want)
	}
	// its reminder asks what came of the filing, until it is answered
	k := m.cases["C-000001"]
	if r, ok := Reminder(k, followup.PromiseKind(0), want, false); !ok || r.Key != "fu_ask_outcome" {
		t.Errorf("the promise's reminder: %+v %v", r, ok)
	}
}

// TestReminder: a due reminder asks for the outcome until it is answered or sent; an erased
// case asks nothing.
func TestReminder(t *testing.T) {
	ctx := context.Background()
	m := world()
	s := flows.Session{Chat: 7, State: flows.StateClosed}
	if _, _, _, err := Step(ctx, m, m.list, s, press("f:r:C-000001:provider:20250926")); err != nil {
		t.Fatal(err)
	}
	now := workdays.Date(2025, 10, 3).Add(18 * time.Hour)
	if r, ok := Reminder(m.cases["C-000001"], followup.DueKind(0), now, false); !ok || r.Key != "fu_ask_outcome" || len(r.Choices) != 4 {
		t.Errorf("due: %+v %v", r, ok)
	}
	if err := MarkSent(ctx, m, "C-000001", followup.DueKind(0)); err != nil {
		t.Fatal(err)
	}
	if _, ok := Reminder(m.cases["C-000001"], followup.DueKind(0), now, true); ok {
		t.Error("a reminder already sent asks again")
	}
	erased := flows.Anonymize(m.cases["C-000001"])
	if _, ok := Reminder(erased, followup.KindLimit, now, false); ok {
		t.Error("an erased case asks")
	}
}

// TestAfterDocument: "did you file it?" goes right after the document.
func TestAfterDocument(t *testing.T) {
	rs := []flows.Reply{{Key: "a"}, {Key: "doc", Document: true}, {Key: "offer"}}
	got := AfterDocument(rs, "C-1")
	if len(got) != 4 || got[2].Key != "fu_did_file" || got[3].Key != "offer" || len(rs) != 3 {
		t.Errorf("%+v", got)
	}
}
