package flows

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// caseAt is a finished case in status st, escalated and then changed by the given history.
func caseAt(st Status, more ...StatusChange) Complaint {
	c := filledDraft()
	c.ID, c.Status = "C-000007", st
	c.History = []StatusChange{
		{Status: StatusSubmitted, At: testNow(), By: "user"},
		{Status: StatusEscalated, At: testNow().Add(time.Minute), By: "user"},
	}
	c.History = append(c.History, more...)
	return c
}

// erased is c after its complainant erased their data: it names no chat.
func erased(c Complaint) Complaint {
	c.Chat = 0
	return c
}

func TestDecide(t *testing.T) {
	claimedBy1 := StatusChange{Status: StatusClaimed, By: "staff:1", Event: "claim"}
	at := testNow().Add(time.Hour)
	for _, tc := range []struct {
		name   string
		c      Complaint
		a      CaseAction
		by     string
		text   string
		want   StatusChange
		refuse CaseError
	}{
		{name: "claim an escalated case", c: caseAt(StatusEscalated), a: ActClaim, by: "staff:1",
			want: StatusChange{Status: StatusClaimed, Event: "claim"}},
		{name: "claim a case someone else holds", c: caseAt(StatusClaimed, claimedBy1), a: ActClaim, by: "staff:2",
			want: StatusChange{Status: StatusClaimed, Event: "claim"}},
		{name: "claim one's own case again changes nothing", c: caseAt(StatusClaimed, claimedBy1), a: ActClaim, by: "staff:1",
			refuse: ErrCaseNoChange},
		{name: "claim a case waiting for the user takes it back", c: caseAt(StatusWaiting, claimedBy1), a: ActClaim, by: "staff:1",
			want: StatusChange{Status: StatusClaimed, Event: "claim"}},
		{name: "claim a resolved case needs a reopen", c: caseAt(StatusResolved), a: ActClaim, by: "staff:1", refuse: ErrCaseClosed},
		{name: "claim a case never escalated", c: caseAt(StatusSubmitted), a: ActClaim, by: "staff:1", refuse: ErrCaseNotEscalated},
		{name: "ask for more", c: caseAt(StatusClaimed, claimedBy1), a: ActAsk, by: "staff:1", text: " 请补充合同照片 ",
			want: StatusChange{Status: StatusWaiting, Event: "ask", Note: "请补充合同照片"}},
		{name: "ask again while waiting", c: caseAt(StatusWaiting), a: ActAsk, by: "staff:1", text: "还有扣费短信",
			want: StatusChange{Status: StatusWaiting, Event: "ask", Note: "还有扣费短信"}},
		{name: "ask without a question", c: caseAt(StatusClaimed), a: ActAsk, by: "staff:1", text: " \n", refuse: ErrCaseTextNeeded},
		{name: "ask on a rejected case", c: caseAt(StatusRejected), a: ActAsk, by: "staff:1", text: "x", refuse: ErrCaseClosed},
		{name: "ask a complainant who erased their data", c: erased(caseAt(StatusClaimed, claimedBy1)), a: ActAsk, by: "staff:1", text: "还在吗",
			refuse: ErrCaseErased},
		{name: "resolve a case whose complainant erased their data", c: erased(caseAt(StatusClaimed, claimedBy1)), a: ActResolve, by: "staff:1",
			want: StatusChange{Status: StatusResolved, Event: "resolve"}},
		{name: "note on a case whose complainant erased their data", c: erased(caseAt(StatusClaimed, claimedBy1)), a: ActNote, by: "staff:1", text: "已删除",
			want: StatusChange{Status: StatusClaimed, Event: "note", Note: "已删除"}},
		{name: "resolve", c: caseAt(StatusWaiting), a: ActResolve, by: "staff:2",
			want: StatusChange{Status: StatusResolved, Event: "resolve"}},
		{name: "resolve twice", c: caseAt(StatusResolved), a: ActResolve, by: "staff:2", refuse: ErrCaseNoChange},
		{name: "resolve a rejected case", c: caseAt(StatusRejected), a: ActResolve, by: "staff:2", refuse: ErrCaseClosed},
		{name: "reject with a reason", c: caseAt(StatusEscalated), a: ActReject, by: "staff:2", text: "不属于受理范围",
			want: StatusChange{Status: StatusRejected, Event: "reject", Note: "不属于受理范围"}},
		{name: "reject without a reason", c: caseAt(StatusEscalated), a: ActReject, by: "staff:2", refuse: ErrCaseTextNeeded},
		{name: "reject twice", c: caseAt(StatusRejected), a: ActReject, by: "staff:2", text: "x", refuse: ErrCaseNoChange},
		{name: "reopen a resolved case", c: caseAt(StatusResolved), a: ActReopen, by: "staff:3",
			want: StatusChange{Status: StatusClaimed, Event: "reopen"}},
		{name: "reopen an open case", c: caseAt(StatusClaimed), a: ActReopen, by: "staff:3", refuse: ErrCaseOpen},
		{name: "note keeps the status", c: caseAt(StatusWaiting), a: ActNote, by: "staff:3", text: "已电话联系",
			want: StatusChange{Status: StatusWaiting, Event: "note", Note: "已电话联系"}},
		{name: "note on a closed case", c: caseAt(StatusResolved), a: ActNote, by: "staff:3", text: "归档",
			want: StatusChange{Status: StatusResolved, Event: "note", Note: "归档"}},
		{name: "empty note", c: caseAt(StatusClaimed), a: ActNote, by: "staff:3", refuse: ErrCaseTextNeeded},
		{name: "long note is cut", c: caseAt(StatusClaimed), a: ActNote, by: "staff:3", text: strings.Repeat("长", MaxCaseNote+9),
			want: StatusChange{Status: StatusClaimed, Event: "note", Note: strings.Repeat("长", MaxCaseNote)}},
		{name: "unknown action", c: caseAt(StatusClaimed), a: "delete", by: "staff:3", refuse: ErrCaseUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decide(tc.c, tc.a, tc.by, at, tc.text)
			if tc.refuse != "" {
				var ce CaseError
				if !errors.As(err, &ce) || ce != tc.refuse {
					t.Fatalf("Decide = %+v, %v; want refused with %s", got, err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.want.At, tc.want.By = at, tc.by
			if got != tc.want {
				t.Fatalf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAssignee(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Complaint
		want string
	}{
		{"nobody yet", caseAt(StatusEscalated), ""},
		{"the last claim", caseAt(StatusClaimed,
			StatusChange{Status: StatusClaimed, By: "staff:1", Event: "claim"},
			StatusChange{Status: StatusClaimed, By: "staff:2", Event: "claim"},
			StatusChange{Status: StatusWaiting, By: "staff:3", Event: "ask"}), "staff:2"},
		{"whoever reopened", caseAt(StatusClaimed,
			StatusChange{Status: StatusClaimed, By: "staff:1", Event: "claim"},
			StatusChange{Status: StatusResolved, By: "staff:1", Event: "resolve"},
			StatusChange{Status: StatusClaimed, By: "staff:4", Event: "reopen"}), "staff:4"},
		{"escalated again after a claim", caseAt(StatusEscalated,
			StatusChange{Status: StatusClaimed, By: "staff:1", Event: "claim"},
			StatusChange{Status: StatusEscalated, By: "user"}), ""},
	} {
		if got := tc.c.Assignee(); got != tc.want {
			t.Errorf("%s: Assignee = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestToldExceptNotes(t *testing.T) {
	for _, a := range CaseActions() {
		if got := (StatusChange{Event: string(a)}).Told(); got != (a != ActNote) {
			t.Errorf("%s: Told = %v", a, got)
		}
	}
}

// TestRelayWhileWaiting: while staff wait for the user, what they type or send between
// complaints goes to staff; files also join the case's evidence. Anything else is as before.
func TestRelayWhileWaiting(t *testing.T) {
	waiting := func(s *Session) { s.Waiting, s.LastCase = "C-000007", "C-000009" }
	big := Input{Kind: InputAttachment, Now: testNow(), User: 42, Attachments: []Attachment{
		{Kind: EvidenceDocument, FileID: "huge", UniqueID: "u-huge", Size: MaxFileSize + 1},
	}}
	for _, tc := range []struct {
		name    string
		s       Session
		in      Input
		replies []string
		effects []EffectKind
		state   State
	}{
		{"text when closed is relayed", at(StateClosed, waiting), input(Session{}, "txt:合同在这里"),
			[]string{"relayed_to_staff"}, []EffectKind{EffectRelay}, StateClosed},
		{"text when submitted is relayed", at(StateSubmitted, waiting), input(Session{}, "txt:好的"),
			[]string{"relayed_to_staff"}, []EffectKind{EffectRelay}, StateSubmitted},
		{"a photo is relayed and kept", at(StateClosed, waiting), input(Session{}, "file"),
			[]string{"relayed_files_to_staff"}, []EffectKind{EffectRelay, EffectAddEvidence}, StateClosed},
		{"a file too large is relayed, not kept", at(StateClosed, waiting), big,
			[]string{"evidence_too_large", "relayed_files_to_staff"}, []EffectKind{EffectRelay}, StateClosed},
		{"a button is no relay", at(StateSubmitted, waiting), input(at(StateSubmitted, nil), "btn:decline"),
			[]string{"not_escalated"}, nil, StateClosed}, // and no "no case in progress" after it
		{"the 举报信 on its button", at(StateSubmitted, func(s *Session) { s.LastCase = "C-000009" }), input(at(StateSubmitted, nil), "btn:report"),
			nil, []EffectKind{EffectLetter}, StateSubmitted},
		{"the full text on its button, later", at(StateClosed, func(s *Session) { s.LastCase = "C-000009" }), input(at(StateClosed, nil), "btn:complaint_text"),
			nil, []EffectKind{EffectLetter}, StateClosed},
		{"a command is no relay", at(StateClosed, waiting), input(Session{}, "cmd:status"),
			nil, []EffectKind{EffectListCases}, StateClosed},
		{"a sticker is no relay", at(StateClosed, waiting), input(Session{}, "other"),
			[]string{"unsupported_input", "closed_hint"}, nil, StateClosed},
		{"writing a new complaint is not interrupted", at(StateDescription, waiting), input(Session{}, "txt:注销时被扣了199元"),
			[]string{"ask_evidence"}, nil, StateEvidence},
		{"nobody waiting: text when closed", at(StateClosed, nil), input(Session{}, "txt:你好"),
			[]string{"closed_hint"}, nil, StateClosed},
		{"nobody waiting: a file goes to the last case", at(StateClosed, func(s *Session) { s.LastCase = "C-000009" }), input(Session{}, "file"),
			[]string{"evidence_added_to_case"}, []EffectKind{EffectAddEvidence}, StateClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Step(context.Background(), tc.s, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(res.Replies); !slices.Equal(got, tc.replies) {
				t.Errorf("replies = %v, want %v", got, tc.replies)
			}
			var kinds []EffectKind
			for _, e := range res.Effects {
				kinds = append(kinds, e.Kind)
				switch e.Kind {
				case EffectRelay:
					if e.CaseID != "C-000007" {
						t.Errorf("relay to %q, want the waiting case", e.CaseID)
					}
				case EffectAddEvidence:
					want := "C-000007"
					if tc.s.Waiting == "" {
						want = "C-000009"
					}
					if e.CaseID != want || len(e.Evidence) != 1 || e.Evidence[0].FileID != "f-new" {
						t.Errorf("evidence effect = %+v, want f-new for %s", e, want)
					}
				}
			}
			if !slices.Equal(kinds, tc.effects) {
				t.Errorf("effects = %v, want %v", kinds, tc.effects)
			}
			if res.Session.State != tc.state || res.Session.Waiting != tc.s.Waiting {
				t.Errorf("state %s waiting %q, want %s %q", res.Session.State, res.Session.Waiting, tc.state, tc.s.Waiting)
			}
		})
	}
}

// TestRelayLimit: a complainant writing to staff on a waiting case is relayed at most
// MaxRelaysPerHour times per clock hour, told when they can write again, and relayed again in
// the next hour; files beyond the limit are neither relayed nor added to the evidence.
func TestRelayLimit(t *testing.T) {
	s := Session{Chat: 1, State: StateClosed, Lang: LangEN, Consented: true, Waiting: "C-000001", LastCase: "C-000001"}
	hour := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	step := func(at time.Time, in Input) Result {
		t.Helper()
		in.Now, in.User = at, 1
		res, err := Step(context.Background(), s, in)
		if err != nil {
			t.Fatal(err)
		}
		s = res.Session
		return res
	}
	relays := func(res Result) (n int) {
		for _, e := range res.Effects {
			if e.Kind == EffectRelay || e.Kind == EffectAddEvidence {
				n++
			}
		}
		return n
	}
	for i := range MaxRelaysPerHour {
		if res := step(hour.Add(time.Duration(i)*time.Second), Input{Kind: InputText, Text: "more"}); relays(res) != 1 {
			t.Fatalf("message %d: effects %+v", i+1, res.Effects)
		}
	}
	file := Input{Kind: InputAttachment, Attachments: []Attachment{{Kind: EvidencePhoto, FileID: "f", UniqueID: "u"}}}
	res := step(hour.Add(59*time.Minute), file)
	if relays(res) != 0 || len(res.Replies) != 1 || res.Replies[0].Key != "relay_limit" || res.Replies[0].Args["After"] != "11:00" {
		t.Fatalf("past the limit: effects %+v, replies %+v", res.Effects, res.Replies)
	}
	if res := step(hour.Add(time.Hour), file); relays(res) != 2 {
		t.Fatalf("the next hour: effects %+v", res.Effects)
	}
}
