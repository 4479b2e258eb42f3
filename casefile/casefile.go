// Package casefile runs the follow-up conversation (package followup) against stored case
// files, for any front end: the Telegram bot and the terminal chat. It loads the case a
// follow-up input is about, checks that it is the chat's, applies followup.Talk, stores the
// changed file and makes the case's scheduled reminders those the file wants; it handles
// /remind off and on; and it says what a due reminder asks. It sends nothing.
package casefile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/workdays"
)

// Files keeps the case files after the document, inside the case records, and their
// reminders. The wiring implements it over storage.Redis.
type Files interface {
	// Complaint returns the stored case id.
	Complaint(ctx context.Context, id string) (flows.Complaint, error)
	// ChangeFollowUp replaces the case file of id by what decide returns from the record as
	// stored (false: no change); decide may run more than once.
	ChangeFollowUp(ctx context.Context, id string, decide func(flows.Complaint) (flows.FollowUp, bool, error)) (flows.Complaint, error)
	// SyncReminders makes the case's scheduled reminders exactly want.
	SyncReminders(ctx context.Context, id string, want []followup.Reminder) error
	// CancelReminders forgets every reminder of case id (its data erased).
	CancelReminders(ctx context.Context, id string) (int, error)
}

// Cases lists a chat's cases, newest first. storage.Redis implements it.
type Cases func(ctx context.Context, chat int64) ([]flows.Complaint, error)

// Turn is what the follow-up part of a step did, for the front end after the commit.
type Turn struct {
	Case    string        // the case the input was about
	Letter  followup.Rung // a rung whose letter to send now
	Changed bool          // the case file changed
}

// Step runs in when it belongs to the follow-up conversation (a follow-up button, typed text
// while a follow-up question waits, /remind, or text that answers "did you file it?" of the
// latest case before it has a filing, or what came of the one filing waiting for its answer:
// followup.Implied, followup.ImpliedOutcome) and reports false when it is flows'. It changes
// the case file and its reminders before the caller commits the session: the change is
// idempotent (a filing or an answer recorded twice is refused by followup and changes nothing),
// so an update delivered again leaves the file right and is told so. An input that is flows'
// goes to flows.Step with ForFlows(s, in).
func Step(ctx context.Context, files Files, cases Cases, s flows.Session, in flows.Input) (flows.Result, Turn, bool, error) {
	if in.Kind == flows.InputCommand && in.Command == "remind" {
		res, err := remind(ctx, files, cases, s, in)
		return res, Turn{}, true, err
	}
	implied := followup.Implied(s, in)
	if implied == nil && in.Kind == flows.InputText && (s.Follow == nil || followup.Outdated(s.Follow)) {
		if followup.SaysOutcome(in.Text) {
			ks, err := cases(ctx, s.Chat)
			if err != nil {
				return flows.Result{}, Turn{}, true, fmt.Errorf("cases of the chat: %w", err)
			}
			// a question about filing left unanswered (its 受理编号, its day) does not take what
			// came of it, typed days later at the reminder: "退了50元" is no 受理编号
			asked := s
			asked.Follow = nil
			if implied = followup.ImpliedOutcome(asked, in, ks); implied != nil {
				s.Follow = nil
			} else if qs := followup.WhichCase(asked, in, ks); qs != nil {
				// two cases wait: nothing is recorded, each one's buttons say which
				asked.Follow = nil
				return flows.Result{Session: asked, Replies: qs}, Turn{}, true, nil
			}
		}
	}
	if !followup.Handles(s, in) && implied == nil {
		return flows.Result{}, Turn{}, false, nil
	}
	id := followup.CaseOf(s, in)
	if implied != nil {
		id = implied.Case
	}
	stale := func() (flows.Result, Turn, bool, error) {
		s.Follow = nil
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "fu_stale"}}}, Turn{}, true, nil
	}
	k, err := files.Complaint(ctx, id)
	if implied != nil && (err != nil || k.Chat != s.Chat) {
		return flows.Result{}, Turn{}, false, nil // the case is gone: the text is flows'
	}
	if err != nil || k.Chat != s.Chat {
		// no such case, erased, or another chat's: nothing is said about it
		return stale()
	}
	c, err := followup.Open(k)
	if implied != nil && implied.Ask == followup.AskFiled && (err != nil || len(c.Filings) > 0) {
		// filed already: the text is flows', unless it names the rung of a later filing
		// ("昨天把举报信交到市场监管局了"), which is recorded as the first was
		r := followup.ReadFiled(in.Text, in.Now.In(workdays.China())).Rung
		if err != nil || r == "" || followup.StageOf(c.Complainant, r) < 0 {
			return flows.Result{}, Turn{}, false, nil
		}
		implied.Rung = string(r)
	}
	if err != nil {
		return stale()
	}
	ask := s.Follow
	if implied != nil {
		ask = implied
	}
	turn := followup.Talk(k, c, ask, in)
	if turn.Changed {
		var after followup.Case
		_, err := files.ChangeFollowUp(ctx, id, func(cur flows.Complaint) (flows.FollowUp, bool, error) {
			cc, err := followup.Open(cur)
			if err != nil {
				return flows.FollowUp{}, false, err
			}
			t := followup.Talk(cur, cc, ask, in)
			after = t.Case
			if !t.Changed {
				return flows.FollowUp{}, false, nil
			}
			fu, err := followup.Encode(t.Case)
			return fu, err == nil, err
		})
		if err != nil {
			return flows.Result{}, Turn{}, true, fmt.Errorf("follow-up of %s: %w", id, err)
		}
		if err := files.SyncReminders(ctx, id, after.Reminders()); err != nil {
			return flows.Result{}, Turn{}, true, fmt.Errorf("follow-up reminders of %s: %w", id, err)
		}
	}
	s.Follow = turn.Ask
	return flows.Result{Session: s, Replies: turn.Replies}, Turn{Case: id, Letter: turn.Letter, Changed: turn.Changed}, true, nil
}

// ForFlows returns s as flows.Step should get it for in: a command or a button of flows drops
// the follow-up question waiting, so that typed text goes to flows again.
func ForFlows(s flows.Session, in flows.Input) flows.Session {
	if in.Kind == flows.InputCommand || in.Kind == flows.InputButton {
		s.Follow = nil
	}
	return s
}

// remind handles /remind off and /remind on for every case of the chat.
func remind(ctx context.Context, files Files, cases Cases, s flows.Session, in flows.Input) (flows.Result, error) {
	s.Follow = nil
	var quiet bool
	switch strings.ToLower(strings.TrimSpace(in.Args)) {
	case "off", "关", "关闭":
		quiet = true
	case "on", "开", "打开":
	default:
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "fu_remind_usage"}}}, nil
	}
	ks, err := cases(ctx, s.Chat)
	if err != nil {
		return flows.Result{}, fmt.Errorf("remind: %w", err)
	}
	for _, k := range ks {
		var after followup.Case
		_, err := files.ChangeFollowUp(ctx, k.ID, func(cur flows.Complaint) (flows.FollowUp, bool, error) {
			c, err := followup.Open(cur)
			if err != nil {
				return flows.FollowUp{}, false, nil // a case that cannot be followed has no reminders
			}
			after = c.SetQuiet(quiet)
			if c.Quiet == quiet && len(cur.FollowUp.File) > 0 {
				return flows.FollowUp{}, false, nil
			}
			fu, err := followup.Encode(after)
			return fu, err == nil, err
		})
		if err != nil {
			return flows.Result{}, fmt.Errorf("remind %s: %w", k.ID, err)
		}
		if after.ID == "" {
			continue
		}
		if err := files.SyncReminders(ctx, k.ID, after.Reminders()); err != nil {
			return flows.Result{}, fmt.Errorf("remind %s: %w", k.ID, err)
		}
	}
	key := "fu_remind_on"
	if quiet {
		key = "fu_remind_off"
	}
	return flows.Result{Session: s, Replies: []flows.Reply{{Key: key}}}, nil
}

// Reminder returns what reminder kind of case k asks now, and false when the case no longer
// wants it: erased, its filing answered meanwhile, reminders turned off, the limitation no
// longer near. repeat marks a reminder an earlier claim may have sent already.
func Reminder(k flows.Complaint, kind string, now time.Time, repeat bool) (flows.Reply, bool) {
	if k.Chat == 0 {
		return flows.Reply{}, false
	}
	c, err := followup.Open(k)
	if err != nil {
		return flows.Reply{}, false
	}
	wanted := false
	for _, m := range c.Reminders() {
		wanted = wanted || m.Kind == kind
	}
	filing, ok := followup.ParseKind(kind)
	switch {
	case !wanted || !ok:
		return flows.Reply{}, false
	case filing >= 0:
		return followup.AskOutcome(c, filing, repeat), true
	}
	return followup.LimitReminder(c, flows.DateOf(workdays.Day(now)), repeat)
}

// MarkSent records in case id's file that reminder kind was sent, so that it is not scheduled
// again; the caller then forgets its claim. A crash between the send and this record leaves the
// claim to be taken again, and that send says it is a repeat.
func MarkSent(ctx context.Context, files Files, id, kind string) error {
	_, err := files.ChangeFollowUp(ctx, id, func(cur flows.Complaint) (flows.FollowUp, bool, error) {
		c, err := followup.Open(cur)
		if err != nil {
			return flows.FollowUp{}, false, err
		}
		if slices.Contains(c.Sent, kind) {
			return flows.FollowUp{}, false, nil
		}
		fu, err := followup.Encode(c.MarkSent(kind))
		return fu, err == nil, err
	})
	if err != nil {
		return fmt.Errorf("reminder %s of %s sent: %w", kind, id, err)
	}
	return nil
}

// Status is the follow-up part of /status for case k as of now: its lines (under a header
// naming the case) and the buttons of its next step.
func Status(k flows.Complaint, now time.Time) (flows.Lines, []flows.Choice, bool) {
	if k.Chat == 0 {
		return nil, nil, false
	}
	c, err := followup.Open(k)
	if err != nil {
		return nil, nil, false
	}
	lines := append(flows.Lines{{Key: "fu_status_header", Args: map[string]any{"Case": k.ID}}},
		followup.Status(c, flows.DateOf(workdays.Day(now)))...)
	return lines, followup.StatusChoices(c), true
}

// Erases reports whether a step's result erases the chat's data (whose cases' reminders the
// caller then cancels).
func Erases(r flows.Result) bool {
	for _, e := range r.Effects {
		if e.Kind == flows.EffectErase {
			return true
		}
	}
	return false
}

// AfterDocument returns replies with "did you file it?" for case id inserted right after the
// document's reply (at the end when there is none), in a new slice.
func AfterDocument(replies []flows.Reply, id string) []flows.Reply {
	at := len(replies)
	for i, rep := range replies {
		if rep.Document {
			at = i + 1
		}
	}
	out := make([]flows.Reply, 0, len(replies)+1)
	out = append(out, replies[:at]...)
	out = append(out, followup.Start(id))
	return append(out, replies[at:]...)
}
