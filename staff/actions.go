package staff

import (
	"context"
	"errors"
	"html"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/bot/botapi"
	"complaintbot/bot/sender"
	"complaintbot/document"
	"complaintbot/flows"
)

// maxCaption is Telegram's limit on a caption, in characters after entity parsing; captions we
// write stay below it with room for our own prefix.
const maxCaption = 1000

// place is where a case's messages go in the staff chat: its forum topic, or replies to its card.
type place struct {
	chat        int64
	topic, card int
}

// placeOf returns where case messages go given the case's thread.
func (d *Desk) placeOf(th flows.StaffThread) place {
	p := place{chat: th.Chat, topic: th.Topic, card: th.Card}
	if p.chat == 0 {
		p.chat = d.cfg.Chat // not posted yet: plain messages in the chat
	}
	return p
}

// replyTo is the reply that keeps a message in the case's thread in an ordinary group.
func (p place) replyTo() *models.ReplyParameters {
	if p.topic != 0 || p.card == 0 {
		return nil
	}
	return &models.ReplyParameters{MessageID: p.card, AllowSendingWithoutReply: true}
}

// postText sends an HTML message to the case's place and returns its id.
func (d *Desk) postText(ctx context.Context, p place, text string, kb *models.InlineKeyboardMarkup) (int, error) {
	return d.postMessage(ctx, p, text, kb, false)
}

// postMessage is postText; once marks a message whose repetition staff would see (a case's
// card), which is not retried when its outcome is unknown (onceOnly).
func (d *Desk) postMessage(ctx context.Context, p place, text string, kb *models.InlineKeyboardMarkup, once bool) (int, error) {
	var id int
	call := func(ctx context.Context) error {
		params := &tgbot.SendMessageParams{ChatID: p.chat, MessageThreadID: p.topic, Text: text,
			ParseMode: models.ParseModeHTML, ReplyParameters: p.replyTo()}
		if kb != nil {
			params.ReplyMarkup = botapi.Keyboard(kb)
		}
		m, err := d.tg.SendMessage(ctx, params)
		if err != nil {
			return err
		}
		id = m.ID
		return nil
	}
	if once {
		call = onceOnly(call)
	}
	err := d.send.Do(ctx, p.chat, call)
	return id, err
}

// postToCase posts a staff message about case id in its thread and maps it to the case, so that
// replying to it reaches the case. Failures are logged.
func (d *Desk) postToCase(ctx context.Context, id string, th flows.StaffThread, key string, args map[string]any) {
	p := d.placeOf(th)
	msg, err := d.postText(ctx, p, d.staffText(key, args), nil)
	if err != nil {
		d.log.Warn("post to the staff chat failed", "case", id, "code", sender.Code(err))
		return
	}
	if err := d.st.AddStaffMessages(ctx, id, p.chat, msg); err != nil {
		d.log.Warn("map a staff message", "case", id, "err", err)
	}
}

// replyStaff answers a staff chat message where it was written.
func (d *Desk) replyStaff(ctx context.Context, m *models.Message, key string, args map[string]any) {
	text := d.staffText(key, args)
	err := d.send.Do(ctx, m.Chat.ID, func(ctx context.Context) error {
		p := &tgbot.SendMessageParams{ChatID: m.Chat.ID, Text: text, ParseMode: models.ParseModeHTML,
			ReplyParameters: &models.ReplyParameters{MessageID: m.ID, AllowSendingWithoutReply: true}}
		if m.IsTopicMessage {
			p.MessageThreadID = m.MessageThreadID
		}
		_, err := d.tg.SendMessage(ctx, p)
		return err
	})
	if err != nil {
		d.log.Warn("reply in the staff chat failed", "code", sender.Code(err))
	}
}

// refusal names the message that explains why a staff action failed.
func refusal(err error) string {
	var ce flows.CaseError
	if errors.As(err, &ce) {
		return "staff_refused_" + string(ce)
	}
	return "staff_failed"
}

// staffButton handles a press of a case card's button.
func (d *Desk) staffButton(ctx context.Context, q *models.CallbackQuery) {
	a, id, ok := parseStaffData(q.Data)
	if !ok {
		d.answerStaff(ctx, q.ID, "", false)
		return
	}
	user := q.From.ID
	if !d.isStaff(ctx, user) {
		d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_not_staff", nil)), true)
		return
	}
	st := d.st
	by, now := staffBy(user), d.now()
	if a.NeedsText() {
		// the text comes as the staff member's next message; refuse now what would be refused then
		c, err := st.Complaint(ctx, id)
		if err == nil {
			_, err = flows.Decide(c, a, by, now, "-")
		}
		if err != nil {
			d.answerStaff(ctx, q.ID, plainText(d.staffText(refusal(err), nil)), true)
			return
		}
		th, err := st.StaffThread(ctx, id)
		if err == nil {
			err = st.SetAwait(ctx, d.cfg.Chat, user, id, string(a))
		}
		if err != nil {
			d.log.Warn("staff action not started", "case", id, "err", err)
			d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_failed", nil)), true)
			return
		}
		d.answerStaff(ctx, q.ID, "", false)
		d.postToCase(ctx, id, th, "staff_prompt_"+string(a), map[string]any{"Who": who(by), "CaseID": id})
		return
	}
	c, ch, err := st.UpdateStatus(ctx, id, func(c flows.Complaint) (flows.StatusChange, error) {
		return flows.Decide(c, a, by, now, "")
	})
	if err != nil {
		if refusal(err) == "staff_failed" {
			d.log.Warn("staff action failed", "case", id, "action", a, "err", err)
		}
		d.answerStaff(ctx, q.ID, plainText(d.staffText(refusal(err), nil)), true)
		return
	}
	d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_ok", map[string]any{
		"CaseID": id, "Status": flows.Text{Key: "staff_status_" + string(c.Status)}})), false)
	d.afterChange(ctx, c, ch, nil)
}

// staffMessage handles a message in the staff chat: a staff command, the text a staff member
// was asked for, or a message for a case's complainant. Chatter that belongs to no case is left
// alone.
func (d *Desk) staffMessage(ctx context.Context, m *models.Message) {
	if m.From == nil {
		return
	}
	user := m.From.ID
	anonymousAdmin := m.SenderChat != nil && m.SenderChat.ID == d.cfg.Chat
	if m.From.IsBot && !anonymousAdmin {
		return
	}
	// An anonymous administrator writes as the staff chat itself: only administrators can.
	staff := func() bool { return anonymousAdmin || d.isStaff(ctx, user) }
	if strings.HasPrefix(m.Text, "/") {
		d.staffCommand(ctx, m, user, staff)
		return
	}
	st := d.st
	topic := 0
	if m.IsTopicMessage {
		topic = m.MessageThreadID
	}
	var msgs []int
	if m.ReplyToMessage != nil {
		msgs = append(msgs, m.ReplyToMessage.ID)
	}
	if m.MessageThreadID != 0 && !m.IsTopicMessage {
		msgs = append(msgs, m.MessageThreadID) // the root of a reply thread
	}
	id, err := st.StaffCaseOf(ctx, d.cfg.Chat, topic, msgs...)
	if err != nil {
		d.log.Warn("find the case of a staff message", "err", err)
		return
	}
	awaitID, awaitAction, err := st.Await(ctx, d.cfg.Chat, user)
	if err != nil {
		d.log.Warn("read a staff member's pending action", "err", err)
	}
	if id == "" && awaitID != "" && !m.IsTopicMessage {
		// A staff member who pressed "ask" (reject, note) in an ordinary group and then wrote
		// without replying. In a forum the text is expected in the case's topic: a message
		// elsewhere is other business.
		if th, err := st.StaffThread(ctx, awaitID); err == nil && th.Topic == 0 {
			id = awaitID
		}
	}
	if id == "" {
		return
	}
	if !staff() {
		d.replyStaff(ctx, m, "staff_not_staff", nil)
		return
	}
	if awaitID == id && awaitAction != "" {
		d.awaitedText(ctx, m, user, id, flows.CaseAction(awaitAction))
		return
	}
	d.relayToUser(ctx, m, id)
}

// awaitedText takes a staff member's message as the question, reason or note of the action they
// started with a button.
func (d *Desk) awaitedText(ctx context.Context, m *models.Message, user int64, id string, a flows.CaseAction) {
	st := d.st
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	if text == "" && a == flows.ActAsk {
		text = "📎" // a photo or file without a caption is the question itself
	}
	by, now := staffBy(user), d.now()
	c, ch, err := st.UpdateStatus(ctx, id, func(c flows.Complaint) (flows.StatusChange, error) {
		return flows.Decide(c, a, by, now, text)
	})
	if err != nil {
		var ce flows.CaseError
		if !errors.As(err, &ce) {
			d.log.Warn("staff action failed", "case", id, "action", a, "err", err)
			d.replyStaff(ctx, m, "staff_failed", nil) // the action still waits for its text
			return
		}
		d.replyStaff(ctx, m, refusal(err), nil)
		if ce == flows.ErrCaseTextNeeded {
			return // still waiting for the text
		}
	}
	if err := st.ClearAwait(ctx, d.cfg.Chat, user); err != nil {
		d.log.Warn("clear a staff member's pending action", "err", err)
	}
	if err != nil {
		return
	}
	var question *models.Message
	if a == flows.ActAsk {
		question = m
	}
	d.afterChange(ctx, c, ch, question)
}

// afterChange shows a change on the case card and tells the complainant. question is the staff
// message that asked for more, relayed to them.
func (d *Desk) afterChange(ctx context.Context, c flows.Complaint, ch flows.StatusChange, question *models.Message) {
	st := d.st
	th, err := st.StaffThread(ctx, c.ID)
	if err != nil {
		d.log.Warn("read a staff thread", "case", c.ID, "err", err)
	}
	d.refreshCard(ctx, c, th)
	if !ch.Told() {
		return
	}
	if c.Chat == 0 {
		if ch.Event == string(flows.ActAsk) || ch.Event == string(flows.ActReject) {
			d.postToCase(ctx, c.ID, th, "staff_erased", map[string]any{"CaseID": c.ID})
		}
		return
	}
	// the mark first: the complainant's answer may come as soon as they read the question
	if err := st.SetWaiting(ctx, c.Chat, c.ID, ch.Status == flows.StatusWaiting); err != nil {
		d.log.Warn("mark the complainant's session", "case", c.ID, "err", err)
	}
	args := map[string]any{"CaseID": c.ID}
	var key string
	switch flows.CaseAction(ch.Event) {
	case flows.ActClaim:
		key = "user_case_claimed"
	case flows.ActAsk:
		key = "user_case_asked"
	case flows.ActResolve:
		key = "user_case_resolved"
	case flows.ActReject:
		key, args["Reason"] = "user_case_rejected", ch.Note
	case flows.ActReopen:
		key = "user_case_reopened"
	default:
		return
	}
	lang := d.userLang(ctx, c)
	text, err := d.cat.Render(lang, key, args, html.EscapeString)
	if err != nil {
		d.log.Error("render a status change for the complainant", "key", key, "err", err)
		return
	}
	err = d.sendUser(ctx, c.Chat, text)
	if err == nil && question != nil {
		err = d.copyToUser(ctx, c, lang, question)
	}
	if err != nil {
		d.postToCase(ctx, c.ID, th, "staff_relay_failed", map[string]any{"CaseID": c.ID})
	}
}

// refreshCard edits the case card in place to show c as it is now.
func (d *Desk) refreshCard(ctx context.Context, c flows.Complaint, th flows.StaffThread) {
	if th.Card == 0 {
		return
	}
	text, err := d.cardText(c, th)
	if err != nil {
		d.log.Error("render a case card", "case", c.ID, "err", err)
		return
	}
	kb := d.cardKeyboard(c)
	err = d.send.Do(ctx, th.Chat, func(ctx context.Context) error {
		_, err := d.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: th.Chat, MessageID: th.Card, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: botapi.Keyboard(kb),
		})
		return err
	})
	switch code := sender.Code(err); {
	case err == nil:
	case code == 400: // the card already shows this ("message is not modified"), or is gone
		d.log.Debug("edit a case card refused", "case", c.ID, "code", code)
	default:
		d.log.Warn("edit a case card", "case", c.ID, "code", code)
	}
}

// userLang is the complainant's language now (they may have switched since filing).
func (d *Desk) userLang(ctx context.Context, c flows.Complaint) flows.Lang {
	if s, err := d.st.Load(ctx, c.Chat); err == nil && s.Lang != "" {
		return s.Lang
	}
	if c.Lang != "" {
		return c.Lang
	}
	return flows.LangZH
}

// sendUser sends an HTML message to a complainant, in parts if it is long.
func (d *Desk) sendUser(ctx context.Context, chat int64, text string) error {
	for _, part := range document.Split(text, messageLimit) {
		err := d.send.Do(ctx, chat, func(ctx context.Context) error {
			_, err := d.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: part, ParseMode: models.ParseModeHTML})
			return err
		})
		if err != nil {
			d.log.Warn("send to a complainant failed", "code", sender.Code(err), "blocked", errors.Is(err, sender.ErrBlocked))
			return err
		}
	}
	return nil
}

// relayToUser passes a staff message in a case's topic or thread to its complainant; a closed
// case passes nothing, and the staff member is told.
func (d *Desk) relayToUser(ctx context.Context, m *models.Message, id string) {
	c, err := d.st.Complaint(ctx, id)
	if err != nil {
		d.log.Warn("read a case for a relay", "case", id, "err", err)
		d.replyStaff(ctx, m, "staff_failed", nil)
		return
	}
	switch {
	case !c.Status.Open():
		d.replyStaff(ctx, m, "staff_closed_no_relay", map[string]any{"CaseID": id})
		return
	case c.Chat == 0:
		d.replyStaff(ctx, m, "staff_erased", map[string]any{"CaseID": id})
		return
	}
	if err := d.copyToUser(ctx, c, d.userLang(ctx, c), m); err != nil {
		d.replyStaff(ctx, m, "staff_relay_failed", map[string]any{"CaseID": id})
	}
}

// copyToUser sends a staff message to the complainant of c, marked as coming from staff: a text
// as our own message, anything else copied with a caption (copyMessage shows no sender).
func (d *Desk) copyToUser(ctx context.Context, c flows.Complaint, lang flows.Lang, m *models.Message) error {
	args := map[string]any{"CaseID": c.ID, "Text": m.Text}
	if m.Text != "" {
		text, err := d.cat.Render(lang, "user_staff_says", args, html.EscapeString)
		if err != nil {
			return err
		}
		return d.sendUser(ctx, c.Chat, text)
	}
	head, err := d.cat.Render(lang, "user_staff_file", args, html.EscapeString)
	if err != nil {
		return err
	}
	return d.copyMessage(ctx, c.Chat, 0, nil, m, head)
}

// copyMessage copies m to chat (in topic, or as a reply) with head, and m's caption after it,
// as its caption; a message that cannot carry a caption (a sticker) is preceded by head instead.
// It returns the ids of the messages it sent.
func (d *Desk) copyMessage(ctx context.Context, chat int64, topic int, reply *models.ReplyParameters, m *models.Message, head string) error {
	_, err := d.copyMessageIDs(ctx, chat, topic, reply, m, head)
	return err
}

func (d *Desk) copyMessageIDs(ctx context.Context, chat int64, topic int, reply *models.ReplyParameters, m *models.Message, head string) ([]int, error) {
	var ids []int
	captioned := len(m.Photo) > 0 || m.Document != nil || m.Video != nil || m.Audio != nil || m.Voice != nil || m.Animation != nil
	caption := ""
	if captioned {
		caption = head
		if m.Caption != "" {
			caption += "\n" + html.EscapeString(truncate(m.Caption, maxCaption-len([]rune(plainText(head)))-1))
		}
	} else {
		err := d.send.Do(ctx, chat, func(ctx context.Context) error {
			sent, err := d.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, MessageThreadID: topic, Text: head,
				ParseMode: models.ParseModeHTML, ReplyParameters: reply})
			if err == nil {
				ids = append(ids, sent.ID)
			}
			return err
		})
		if err != nil {
			return ids, err
		}
	}
	err := d.send.Do(ctx, chat, func(ctx context.Context) error {
		sent, err := d.tg.CopyMessage(ctx, &tgbot.CopyMessageParams{ChatID: chat, MessageThreadID: topic,
			FromChatID: m.Chat.ID, MessageID: m.ID, Caption: caption, ParseMode: models.ParseModeHTML, ReplyParameters: reply})
		if err == nil {
			ids = append(ids, sent.ID)
		}
		return err
	})
	if err != nil {
		d.log.Warn("copy a message failed", "code", sender.Code(err), "blocked", errors.Is(err, sender.ErrBlocked))
	}
	return ids, err
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Relay passes m, which the complainant in chat sent while staff waited for them on case id
// (flows.EffectRelay), into the case's topic or thread; flows has already added its files to
// the evidence. A case closed meanwhile passes nothing: the complainant is told, and the mark
// is cleared.
func (d *Desk) Relay(ctx context.Context, chat int64, m *models.Message, id string) {
	if m == nil {
		return
	}
	st := d.st
	c, err := st.Complaint(ctx, id)
	if err != nil {
		d.log.Warn("read a case for a relay", "case", id, "err", err)
		return
	}
	if c.Chat != chat {
		return // not this chat's case: nothing to relay
	}
	if !c.Status.Open() {
		if err := st.SetWaiting(ctx, c.Chat, id, false); err != nil {
			d.log.Warn("clear the complainant's mark", "case", id, "err", err)
		}
		if text, err := d.cat.Render(d.userLang(ctx, c), "user_relay_closed", map[string]any{"CaseID": id}, html.EscapeString); err == nil {
			d.sendUser(ctx, c.Chat, text)
		}
		return
	}
	th, err := st.StaffThread(ctx, id)
	if err != nil {
		d.log.Warn("read a staff thread", "case", id, "err", err)
	}
	p := d.placeOf(th)
	var ids []int
	if m.Text != "" {
		text := d.staffText("staff_from_user", map[string]any{"CaseID": id, "Text": m.Text})
		for _, part := range document.Split(text, messageLimit) {
			msg, err := d.postText(ctx, p, part, nil)
			if err != nil {
				d.log.Warn("relay to staff failed", "case", id, "code", sender.Code(err))
				break
			}
			ids = append(ids, msg)
		}
	} else {
		head := d.staffText("staff_from_user_file", map[string]any{"CaseID": id})
		ids, _ = d.copyMessageIDs(ctx, p.chat, p.topic, p.replyTo(), m, head)
	}
	if err := st.AddStaffMessages(ctx, id, p.chat, ids...); err != nil {
		d.log.Warn("map relayed messages", "case", id, "err", err)
	}
	if err := st.SetStaffReplied(ctx, id, d.now()); err != nil {
		d.log.Warn("record the complainant's reply", "case", id, "err", err)
	}
}
