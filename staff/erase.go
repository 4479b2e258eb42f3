package staff

import (
	"context"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// The removal of an erased complainant's copy in the staff chat.
const (
	eraseEvery   = 5 * time.Second // how often erased cases are looked for
	eraseBatch   = 20              // cases handled per round
	deleteWindow = 47 * time.Hour  // a bot may delete a group message for 48 hours; an hour's margin
)

// eraseLoop removes the staff chat's copy of erased cases until ctx ends.
func (d *Desk) eraseLoop(ctx context.Context) {
	t := time.NewTicker(eraseEvery)
	defer t.Stop()
	for {
		if _, err := d.Unpost(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("remove erased cases from the staff chat", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Unpost removes from the staff chat what it holds of the cases whose complainants erased
// their data, where the Bot API allows: in a forum the case's topic is deleted (its card,
// evidence, .docx and messages with it), and a case staff still handle gets its anonymous card
// in General, to be closed; in an ordinary group, or when the topic cannot be
// deleted, the card is edited to say the complainant erased their data (the record's
// anonymous facts stay on it, with its buttons) and every other message posted for the case
// is deleted while Telegram still allows it (48 hours). Older messages cannot be removed by
// the bot; the privacy notice says so. It returns how many cases it handled; Run calls it
// every few seconds, tests call it themselves.
func (d *Desk) Unpost(ctx context.Context) (int, error) {
	st := d.st
	ids, err := st.ErasedCases(ctx, eraseBatch)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, id := range ids {
		if err := d.unpost(ctx, id); err != nil {
			return done, err
		}
		if err := st.DoneErased(ctx, id); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// unpost removes the staff chat's copy of case id; a failure Telegram may not repeat returns
// an error, so that the case is tried again.
func (d *Desk) unpost(ctx context.Context, id string) error {
	st := d.st
	th, err := st.StaffThread(ctx, id)
	if err != nil || th.Chat == 0 {
		return err
	}
	if th.Topic != 0 {
		err := d.send.Do(ctx, th.Chat, func(ctx context.Context) error {
			_, err := d.tg.DeleteForumTopic(ctx, &tgbot.DeleteForumTopicParams{ChatID: th.Chat, MessageThreadID: th.Topic})
			return err
		})
		if err == nil {
			d.erasedInGeneral(ctx, id, th)
			return nil
		}
		if sender.Code(err) != 400 {
			return telegramFailure(err)
		}
		d.log.Warn("the topic of an erased case cannot be deleted; its messages are", "case", id, "code", 400)
	}
	c, err := st.Complaint(ctx, id)
	if err != nil {
		return err
	}
	if th.Card != 0 {
		text := d.staffText("staff_card_erased", map[string]any{"CaseID": id})
		if card, err := d.cardText(c, th); err == nil {
			text = clip(text + "\n\n" + card)
		}
		err := d.send.Do(ctx, th.Chat, func(ctx context.Context) error {
			_, err := d.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: th.Chat, MessageID: th.Card, Text: text,
				ParseMode: models.ParseModeHTML, ReplyMarkup: botapi.Keyboard(d.cardKeyboard(c))})
			return err
		})
		if err != nil && sender.Code(err) != 400 {
			return telegramFailure(err)
		}
	}
	msgs, err := st.StaffMessagesOf(ctx, id)
	if err != nil {
		return err
	}
	now := d.now()
	for _, m := range msgs {
		if now.Sub(m.At) >= deleteWindow {
			continue // past what Telegram lets a bot delete
		}
		err := d.send.Do(ctx, th.Chat, func(ctx context.Context) error {
			_, err := d.tg.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: th.Chat, MessageID: m.ID})
			return err
		})
		if err != nil && sender.Code(err) != 400 { // 400: gone already, or too old
			return telegramFailure(err)
		}
	}
	return nil
}

// erasedInGeneral posts, after the topic of case id went with its complainant's data, the case's
// anonymous card with its buttons in the staff chat's General topic, when staff still handle the
// case: the topic vanished from under them, and the case waits to be closed. Best effort: a
// failure is logged.
func (d *Desk) erasedInGeneral(ctx context.Context, id string, th flows.StaffThread) {
	c, err := d.st.Complaint(ctx, id)
	if err != nil || !c.Status.Open() {
		return
	}
	card, err := d.cardText(c, th)
	if err != nil {
		d.log.Error("render an erased case's card", "case", id, "err", err)
		return
	}
	text := clip(d.staffText("staff_card_erased", map[string]any{"CaseID": id}) + "\n\n" + card)
	msg, err := d.postText(ctx, place{chat: th.Chat}, text, d.cardKeyboard(c))
	if err != nil {
		d.log.Warn("post an erased case's card", "case", id, "code", sender.Code(err))
		return
	}
	if err := d.st.AddStaffMessages(ctx, id, th.Chat, msg); err != nil {
		d.log.Warn("map an erased case's card", "case", id, "err", err)
	}
}
