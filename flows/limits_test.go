package flows

import (
	"context"
	"testing"
	"time"
)

// TestCasesPerDay: one chat finishes at most MaxCasesPerDay complaints a day. The next confirm
// keeps the draft at the review and says why, so that one script cannot fill Redis with case
// records and the staff chat with cases; /delete does not lift the bound, the next day does.
func TestCasesPerDay(t *testing.T) {
	s := at(StateReview, nil)
	again := func(s Session) Session { // the next complaint, written to its review
		s.State, s.Draft, s.Pending, s.Editing = StateReview, filledDraft(), PendingNone, false
		return s
	}
	for i := range MaxCasesPerDay {
		res := step(t, s, "btn:confirm")
		if res.Complaint() == nil {
			t.Fatalf("complaint %d of the day was not finished: %+v", i+1, res.Replies)
		}
		s = again(res.Session)
	}
	refused := func(s Session, now time.Time) {
		t.Helper()
		in := input(s, "btn:confirm")
		in.Now = now
		res, err := Step(context.Background(), s, in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Complaint() != nil || res.Session.State != StateReview || len(res.Replies) == 0 || res.Replies[0].Key != "cases_limit" {
			t.Fatalf("complaint %d of the day: complaint %v, state %s, replies %+v", MaxCasesPerDay+1, res.Complaint() != nil, res.Session.State, res.Replies)
		}
		if res.Session.Draft.Contact != s.Draft.Contact {
			t.Error("the refused draft was not kept")
		}
	}
	refused(s, testNow())

	// erasing the chat's data does not lift the bound
	s = step(t, s, "cmd:delete").Session
	s = step(t, s, "btn:!yes").Session
	if s.Consented || s.Draft.Contact.Name != "" {
		t.Fatal("/delete did not erase")
	}
	s.Consented = true
	refused(again(s), testNow().Add(time.Hour))

	// the next day
	in := input(again(s), "btn:confirm")
	in.Now = testNow().AddDate(0, 0, 1)
	res, err := Step(context.Background(), again(s), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Complaint() == nil {
		t.Fatalf("the next day's complaint was refused: %+v", res.Replies)
	}
}

// TestOldButtonsAfterDelete: the buttons of a conversation /delete erased are stale in the
// next one. The prompt counter goes on instead of starting again at 0, so that an old "no"
// cannot answer another question that happens to carry the same number.
func TestOldButtonsAfterDelete(t *testing.T) {
	const asked = 7 // the prompt at which the next conversation asks who is complaining
	s := at(StateNegotiated, func(s *Session) { s.Prompt = asked })
	oldNo := input(s, "btn:no").Data // "7:no", under the erased conversation's question
	s = step(t, s, "cmd:delete").Session
	s = step(t, s, "btn:!yes").Session
	s = step(t, s, "cmd:start").Session
	s = step(t, s, "btn:agree").Session
	for s.Prompt < asked { // the next conversation, asked to the same number
		s = step(t, s, "cmd:help").Session
	}
	in := input(s, "btn:no")
	in.Data = oldNo
	res, err := Step(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) == 0 || res.Replies[0].Key != "button_stale" {
		t.Errorf("a button of the erased conversation (%s) was taken at prompt %d: %+v", oldNo, s.Prompt, res.Replies)
	}
}

// TestOldButtonsAfterExpiry: the buttons of a conversation whose session expired are stale in
// the chat's next one, which starts again from nothing: its prompts are numbered from the
// clock, past the old conversation's, so an old button cannot answer a question of the new one
// that happens to carry the same number.
func TestOldButtonsAfterExpiry(t *testing.T) {
	at := func(s Session, spec string, now time.Time) Session {
		t.Helper()
		in := input(s, spec)
		in.Now = now
		res, err := Step(context.Background(), s, in)
		if err != nil {
			t.Fatal(err)
		}
		return res.Session
	}
	then := testNow().AddDate(0, -2, 0)
	s := at(NewSession(42), "cmd:start", then)
	s = at(s, "btn:agree", then)
	oldCompany := input(s, "btn:company").Data // under the old conversation's "who is complaining?"

	s = NewSession(42) // the session expired; two months later the user starts again
	now := testNow()
	s = at(s, "cmd:start", now)
	s = at(s, "btn:agree", now)
	in := input(s, "btn:company")
	in.Data, in.Now = oldCompany, now
	res, err := Step(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) == 0 || res.Replies[0].Key != "button_stale" {
		t.Errorf("a button of the expired conversation (%s) was taken at prompt %d: %+v", oldCompany, s.Prompt, res.Replies[0].Key)
	}
}
