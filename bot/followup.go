package bot

// The complainant's case file after the document (packages followup and casefile): the
// questions it asks, /status's lines, /remind, the next rung's letter, and the reminders the
// wiring's loop claims.

import (
	"context"
	"errors"
	"fmt"
	"html"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/casefile"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// CaseFiles keeps the case files after the document, inside the case records, and their
// reminders. The wiring implements it over storage.Redis.
type CaseFiles = casefile.Files

// followTurn is what the follow-up part of a step did, for after its commit.
type followTurn struct {
	casefile.Turn
	erased []string // cases whose data /delete erased: their reminders are cancelled
}

// followedUp is what a desk that shows case files on its cards implements (staff.Desk).
type followedUp interface {
	FollowedUp(ctx context.Context, id string)
}

// followStep runs the follow-up conversation when in belongs to it, and reports false when the
// input is flows' (see casefile.Step).
func (b *Bot) followStep(ctx context.Context, s flows.Session, in flows.Input, ft *followTurn) (flows.Result, bool, error) {
	if b.files == nil {
		return flows.Result{}, false, nil
	}
	res, turn, ok, err := casefile.Step(ctx, b.files, b.store.Cases, s, in)
	ft.Turn = turn
	return res, ok, err
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

// followAfter does what a committed follow-up step asks for besides its replies: the staff
// card shows the change.
func (b *Bot) followAfter(ctx context.Context, ft followTurn) {
	if ft.Changed && b.desk != nil {
		if d, ok := b.desk.(followedUp); ok {
			d.FollowedUp(ctx, ft.Case)
		}
	}
}

// followLetter is the next rung's letter a committed follow-up step asks for (its text and its
// .docx), which goes before the step's replies: they ask whether that letter was filed. None
// when the step asks for no letter or it cannot be rendered (logged).
func (b *Bot) followLetter(ctx context.Context, lang flows.Lang, ft followTurn) []Outgoing {
	if ft.Letter == "" || b.files == nil {
		return nil
	}
	k, err := b.files.Complaint(ctx, ft.Case)
	if err != nil {
		b.log.Warn("follow-up letter: load case", "err", err)
		return nil
	}
	c, err := followup.Open(k)
	if err != nil {
		b.log.Warn("follow-up letter: case file", "err", err)
		return nil
	}
	outs, err := b.render.rungLetter(lang, k, c, ft.Letter)
	if err != nil {
		b.log.Error("follow-up letter", "err", err)
		return nil
	}
	return outs
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

// statusButtons is how many of a chat's newest cases /status gives their buttons, and
// statusCases how many it details.
const (
	statusButtons = 3
	statusCases   = 5
)

// followStatus is the follow-up part of /status: for each case its case file's lines, and for
// the newest ones the buttons of their next step (followup.StatusChoices).
func (b *Bot) followStatus(lang flows.Lang, cases []flows.Complaint) ([]Outgoing, error) {
	var out []Outgoing
	shown := 0
	for i, k := range cases {
		if i == statusCases {
			break // older cases' files stay in the list above, without their detail
		}
		lines, choices, ok := casefile.Status(k, b.now())
		if !ok {
			continue
		}
		text, err := b.render.cat.Render(lang, "fu_status", map[string]any{"Lines": lines}, html.EscapeString)
		if err != nil {
			return nil, err
		}
		o := Outgoing{Text: text}
		if shown < statusButtons {
			// the newest cases carry their next step's buttons: record a filing, an answer
			// that came early, or ask for the next rung's letter
			shown++
			kb, err := b.render.keyboard(lang, choices)
			if err != nil {
				return nil, err
			}
			o.Keyboard = kb
		}
		out = append(out, o)
	}
	return out, nil
}

// Remind sends reminder kind of case id to its complainant, when the case still wants it (see
// casefile.Reminder). It reports whether it sent; gone is true when the case was erased or the
// complainant blocked the bot (their reminders should be cancelled). repeat marks a reminder an
// earlier claim may have sent already. The send goes through the sender, within Telegram's
// limits.
func (b *Bot) Remind(ctx context.Context, id, kind string, repeat bool) (sent, gone bool, err error) {
	if b.files == nil {
		return false, false, errors.New("remind: no case files")
	}
	k, err := b.files.Complaint(ctx, id)
	if err != nil || k.Chat == 0 {
		return false, true, nil // no such case, or erased: nothing to remind of
	}
	rep, ok := casefile.Reminder(k, kind, b.now(), repeat)
	if !ok {
		return false, false, nil
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
		if errors.Is(err, sender.ErrBlocked) {
			return false, true, nil
		}
		// the sender's error may quote the message, which names the case's 受理编号: its code only
		return false, false, fmt.Errorf("remind: send: Bot API code %d", sender.Code(err))
	}
	if err := casefile.MarkSent(ctx, b.files, id, kind); err != nil {
		return true, false, err // sent: the claim stays, and its next send says it is a repeat
	}
	return true, false, nil
}
