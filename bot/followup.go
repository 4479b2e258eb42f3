package bot

// The complainant's case file after the document (package followup): the questions it asks,
// /status's lines, /remind, the next rung's letter, and the reminders the wiring's loop claims.

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/bot/botapi"
	"complaintbot/bot/sender"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/workdays"
)

// CaseFiles keeps the case files after the document, inside the case records, and their
// reminders. The wiring implements it over storage.Redis.
type CaseFiles interface {
	// Complaint returns the stored case id.
	Complaint(ctx context.Context, id string) (flows.Complaint, error)
	// ChangeFollowUp replaces the case file of id by what decide returns from the record as
	// stored (false: no change); decide may run more than once.
	ChangeFollowUp(ctx context.Context, id string, decide func(flows.Complaint) (flows.FollowUp, bool, error)) (flows.Complaint, error)
	// SyncReminders makes the case's scheduled reminders exactly want (kind → when).
	SyncReminders(ctx context.Context, id string, want []followup.Reminder) error
	// CancelReminders forgets every reminder of case id (its data erased).
	CancelReminders(ctx context.Context, id string) (int, error)
}

// followTurn is what the follow-up part of a step did, for after its commit.
type followTurn struct {
	caseID  string
	letter  followup.Rung
	quiet   []string // cases whose reminders /remind changed
	erased  []string // cases whose data /delete erased: their reminders are cancelled
	changed bool     // the case file of caseID changed: staff's card shows it
}

// followedUp is what a desk that shows case files on its cards implements (staff.Desk).
type followedUp interface {
	FollowedUp(ctx context.Context, id string)
}

// erases reports whether a step's result erases the chat's data.
func erases(r flows.Result) bool {
	for _, e := range r.Effects {
		if e.Kind == flows.EffectErase {
			return true
		}
	}
	return false
}

// cancelErased cancels the reminders of the cases /delete erased. The reminder loop also
// refuses to send a reminder of an erased case, so a failure here only leaves one to be
// dropped when it comes due.
func (b *Bot) cancelErased(ctx context.Context, ids []string) {
	for _, id := range ids {
		if _, err := b.files.CancelReminders(ctx, id); err != nil {
			b.log.Warn("cancel the reminders of an erased case", "err", err)
		}
	}
}

// followStep runs the follow-up conversation when in belongs to it, and reports false when the
// input is flows'. It changes the case file (idempotent: a repeated change is refused by
// followup and changes nothing) and the reminders before the session is committed, so that a
// crash after it leaves the case file right and the redelivered update is told so.
func (b *Bot) followStep(ctx context.Context, s flows.Session, in flows.Input, ft *followTurn) (flows.Result, bool, error) {
	if b.files == nil {
		return flows.Result{}, false, nil
	}
	if in.Kind == flows.InputCommand && in.Command == "remind" {
		res, err := b.remindCommand(ctx, s, in, ft)
		return res, true, err
	}
	if !followup.Handles(s, in) {
		if in.Kind == flows.InputCommand || in.Kind == flows.InputButton {
			s.Follow = nil // another question or command: the typed follow-up answer no longer waits
		}
		return flows.Result{}, false, nil
	}
	id := followup.CaseOf(s, in)
	stale := func() (flows.Result, bool, error) {
		s.Follow = nil
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "fu_stale"}}}, true, nil
	}
	k, err := b.files.Complaint(ctx, id)
	if err != nil || k.Chat != s.Chat {
		// no such case, erased, or another chat's: nothing is said about it
		return stale()
	}
	c, err := followup.Open(k)
	if err != nil {
		return stale()
	}
	ask := s.Follow
	turn := followup.Talk(k, c, ask, in)
	if turn.Changed {
		var after followup.Case
		_, err := b.files.ChangeFollowUp(ctx, id, func(cur flows.Complaint) (flows.FollowUp, bool, error) {
			cc, err := followup.Open(cur)
			if err != nil {
				return flows.FollowUp{}, false, err
			}
			t := followup.Talk(cur, cc, ask, in)
			if !t.Changed {
				after = cc
				return flows.FollowUp{}, false, nil
			}
			after = t.Case
			raw, err := followup.Encode(t.Case)
			return raw, err == nil, err
		})
		if err != nil {
			return flows.Result{}, true, fmt.Errorf("follow-up of %s: %w", id, err)
		}
		if err := b.files.SyncReminders(ctx, id, after.Reminders()); err != nil {
			return flows.Result{}, true, fmt.Errorf("follow-up reminders of %s: %w", id, err)
		}
	}
	s.Follow = turn.Ask
	ft.caseID, ft.letter, ft.changed = id, turn.Letter, turn.Changed
	return flows.Result{Session: s, Replies: turn.Replies}, true, nil
}

// remindCommand handles /remind off and /remind on for every case of the chat.
func (b *Bot) remindCommand(ctx context.Context, s flows.Session, in flows.Input, ft *followTurn) (flows.Result, error) {
	s.Follow = nil
	var quiet bool
	switch strings.ToLower(strings.TrimSpace(in.Args)) {
	case "off", "关", "关闭":
		quiet = true
	case "on", "开", "打开":
	default:
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "fu_remind_usage"}}}, nil
	}
	cases, err := b.store.Cases(ctx, s.Chat)
	if err != nil {
		return flows.Result{}, fmt.Errorf("remind: %w", err)
	}
	for _, k := range cases {
		var after followup.Case
		_, err := b.files.ChangeFollowUp(ctx, k.ID, func(cur flows.Complaint) (flows.FollowUp, bool, error) {
			c, err := followup.Open(cur)
			if err != nil {
				return flows.FollowUp{}, false, nil // a case that cannot be followed has no reminders
			}
			after = c.SetQuiet(quiet)
			if c.Quiet == quiet && len(cur.FollowUp.File) > 0 {
				return flows.FollowUp{}, false, nil
			}
			raw, err := followup.Encode(after)
			return raw, err == nil, err
		})
		if err != nil {
			return flows.Result{}, fmt.Errorf("remind %s: %w", k.ID, err)
		}
		if after.ID == "" {
			continue
		}
		if err := b.files.SyncReminders(ctx, k.ID, after.Reminders()); err != nil {
			return flows.Result{}, fmt.Errorf("remind %s: %w", k.ID, err)
		}
		ft.quiet = append(ft.quiet, k.ID)
	}
	key := "fu_remind_on"
	if quiet {
		key = "fu_remind_off"
	}
	return flows.Result{Session: s, Replies: []flows.Reply{{Key: key}}}, nil
}

// followAfter sends what a committed follow-up step asks for besides its replies: the next
// rung's letter.
func (b *Bot) followAfter(ctx context.Context, chat int64, lang flows.Lang, ft followTurn) {
	if ft.changed && b.desk != nil {
		if d, ok := b.desk.(followedUp); ok {
			d.FollowedUp(ctx, ft.caseID)
		}
	}
	if ft.letter == "" || b.files == nil {
		return
	}
	k, err := b.files.Complaint(ctx, ft.caseID)
	if err != nil {
		b.log.Warn("follow-up letter: load case", "err", err)
		return
	}
	c, err := followup.Open(k)
	if err != nil {
		b.log.Warn("follow-up letter: case file", "err", err)
		return
	}
	outs, err := b.render.rungLetter(lang, k, c, ft.letter)
	if err != nil {
		b.log.Error("follow-up letter", "err", err)
		return
	}
	b.sendAll(ctx, chat, outs)
}

// rungLetter renders the letter of rung r: its Chinese text as messages and its .docx.
func (r renderer) rungLetter(lang flows.Lang, k flows.Complaint, c followup.Case, rung followup.Rung) ([]Outgoing, error) {
	msgs, err := r.docs.RungMessages(k, c, rung)
	if err != nil {
		return nil, fmt.Errorf("render %s letter: %w", rung, err)
	}
	var out []Outgoing
	for _, m := range msgs {
		out = append(out, Outgoing{Text: html.EscapeString(m)})
	}
	data, err := r.docs.RungDOCX(k, c, rung)
	if err != nil {
		return nil, fmt.Errorf("render %s letter docx: %w", rung, err)
	}
	caption, err := r.cat.Render(lang, "fu_letter_caption", map[string]any{"Case": k.ID, "Rung": flows.Text{Key: "fu_letter_" + string(rung)}}, html.EscapeString)
	if err != nil {
		return nil, err
	}
	out = append(out, Outgoing{File: &File{Name: document.RungFileName(k, rung), Data: data, Caption: caption}})
	return out, nil
}

// statusButtons is how many of a chat's newest cases /status gives their buttons.
const statusButtons = 3

// followStatus is the follow-up part of /status: for each case its case file's lines, and for
// the newest ones the buttons of their next step (followup.StatusChoices).
func (b *Bot) followStatus(lang flows.Lang, cases []flows.Complaint, today flows.Date) ([]Outgoing, error) {
	var out []Outgoing
	shown := 0
	for _, k := range cases {
		if k.Chat == 0 {
			continue
		}
		c, err := followup.Open(k)
		if err != nil {
			continue
		}
		lines := append(flows.Lines{{Key: "fu_status_header", Args: map[string]any{"Case": k.ID}}}, followup.Status(c, today)...)
		text, err := b.render.cat.Render(lang, "fu_status", map[string]any{"Lines": lines}, html.EscapeString)
		if err != nil {
			return nil, err
		}
		o := Outgoing{Text: text}
		if shown < statusButtons {
			// the newest cases carry their next step's buttons: record a filing, an answer
			// that came early, or ask for the next rung's letter
			shown++
			kb, err := b.render.keyboard(lang, followup.StatusChoices(c))
			if err != nil {
				return nil, err
			}
			o.Keyboard = kb
		}
		out = append(out, o)
	}
	return out, nil
}

// Remind sends reminder kind of case id to its complainant, when the case still wants it: its
// filing still waits for the answer, or the limitation date is near, and reminders are on. It
// reports whether it sent; gone is true when the case was erased or the complainant blocked
// the bot (their reminders should be cancelled). repeat marks a reminder an earlier claim may
// have sent already. The send goes through the sender, within Telegram's limits.
func (b *Bot) Remind(ctx context.Context, id, kind string, repeat bool) (sent, gone bool, err error) {
	if b.files == nil {
		return false, false, errors.New("remind: no case files")
	}
	k, err := b.files.Complaint(ctx, id)
	if err != nil {
		return false, true, nil // no such case: nothing to remind of
	}
	if k.Chat == 0 {
		return false, true, nil // erased
	}
	c, err := followup.Open(k)
	if err != nil {
		return false, true, nil
	}
	wanted := false
	for _, m := range c.Reminders() {
		if m.Kind == kind {
			wanted = true
		}
	}
	if !wanted {
		return false, false, nil
	}
	var rep flows.Reply
	filing, ok := followup.ParseKind(kind)
	switch {
	case !ok:
		return false, false, nil
	case filing >= 0:
		rep = followup.AskOutcome(c, filing, repeat)
	default:
		r, ok := followup.LimitReminder(c, flows.DateOf(workdays.Day(b.now())), repeat)
		if !ok {
			return false, false, nil
		}
		rep = r
	}
	lang := k.Lang
	text, err := b.render.cat.Render(lang, rep.Key, rep.Args, html.EscapeString)
	if err != nil {
		return false, false, fmt.Errorf("remind: %w", err)
	}
	kb, err := b.render.keyboard(lang, rep.Choices)
	if err != nil {
		return false, false, fmt.Errorf("remind: %w", err)
	}
	err = b.send.Do(ctx, k.Chat, func(ctx context.Context) error {
		p := &tgbot.SendMessageParams{ChatID: k.Chat, Text: text, ParseMode: models.ParseModeHTML}
		if kb != nil {
			p.ReplyMarkup = botapi.Keyboard(kb)
		}
		_, err := b.api.SendMessage(ctx, p)
		return err
	})
	if err != nil {
		b.m.TelegramError(err)
		if errors.Is(err, sender.ErrBlocked) {
			return false, true, nil
		}
		return false, false, fmt.Errorf("remind: send: %w", err)
	}
	return true, false, nil
}

// today is the bot clock's date in China.
func (b *Bot) today() flows.Date { return flows.DateOf(workdays.Day(b.now())) }

// afterDocument returns replies with r inserted after the document's reply (at the end when
// there is none), in a new slice.
func afterDocument(replies []flows.Reply, r flows.Reply) []flows.Reply {
	at := len(replies)
	for i, rep := range replies {
		if rep.Document {
			at = i + 1
		}
	}
	out := make([]flows.Reply, 0, len(replies)+1)
	out = append(out, replies[:at]...)
	out = append(out, r)
	return append(out, replies[at:]...)
}
