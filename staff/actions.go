package staff

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf16"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
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

// staffButton handles a press of a case card's button, update being the press's update.
// It returns an error wrapping errStore when storage failed: the press is then delivered again.
func (d *Desk) staffButton(ctx context.Context, update int64, q *models.CallbackQuery) error {
	a, id, ok := parseStaffData(q.Data)
	if !ok {
		d.answerStaff(ctx, q.ID, "", false)
		return nil
	}
	user := q.From.ID
	if !d.isStaff(ctx, user) {
		d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_not_staff", nil)), true)
		return nil
	}
	st := d.st
	// a button acts on the case of the message it is on (a card, or a /case copy): data naming
	// another case's was not written by us. A message mapped to no case may be a card whose
	// record a crash lost (posted again since, marked): its buttons still act on its case.
	var msg int
	switch {
	case q.Message.Message != nil:
		msg = q.Message.Message.ID
	case q.Message.InaccessibleMessage != nil:
		msg = q.Message.InaccessibleMessage.MessageID
	}
	owner, err := st.StaffCaseOf(ctx, d.cfg.Chat, 0, msg)
	if err != nil {
		return stored(err)
	}
	if owner != "" && owner != id {
		d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_refused_unknown", nil)), true)
		return nil
	}
	by, now := staffBy(user), d.now()
	if a.NeedsText() {
		// the text comes as the staff member's next message; refuse now what would be refused then
		c, err := st.Complaint(ctx, id)
		if err == nil {
			_, err = flows.Decide(c, a, by, now, "-")
		}
		if refused(err) {
			d.answerStaff(ctx, q.ID, plainText(d.staffText(refusal(err), nil)), true)
			return nil
		}
		if err != nil {
			return stored(err)
		}
		th, err := st.StaffThread(ctx, id)
		if err == nil {
			err = st.SetAwait(ctx, d.cfg.Chat, user, id, string(a))
		}
		if err != nil {
			return stored(err)
		}
		d.answerStaff(ctx, q.ID, "", false)
		d.postToCase(ctx, id, th, "staff_prompt_"+string(a), map[string]any{"Who": who(by), "CaseID": id})
		return nil
	}
	answered := false
	err = d.journal(ctx, update, func(repeat bool) error {
		c, ch, err := d.change(ctx, id, update, func(c flows.Complaint) (flows.StatusChange, error) {
			return flows.Decide(c, a, by, now, "")
		})
		if refused(err) {
			d.answerStaff(ctx, q.ID, plainText(d.staffText(refusal(err), nil)), true)
			answered = true
			return nil
		}
		if err != nil {
			return err
		}
		if !answered {
			if from := takenFrom(c, ch); from != "" {
				// two pressed at once, or one takes over: the one who pressed last must know
				d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_taken_over", map[string]any{
					"CaseID": id, "From": who(from)})), true)
			} else {
				d.answerStaff(ctx, q.ID, plainText(d.staffText("staff_ok", map[string]any{
					"CaseID": id, "Status": flows.Text{Key: "staff_status_" + string(c.Status)}})), false)
			}
			answered = true
		}
		return d.afterChange(ctx, c, ch, nil, repeat)
	})
	if err == nil && !answered {
		d.answerStaff(ctx, q.ID, "", false) // done before: a duplicate delivery
	}
	return err
}

// errStore marks a failure of storage: the update is delivered again (5xx, or not confirmed
// to getUpdates), and the staff member told the bot is briefly unable to save.
var errStore = errors.New("staff: storage failed")

// stored marks err, from storage, as errStore.
func stored(err error) error {
	if err == nil || errors.Is(err, errStore) {
		return err
	}
	return fmt.Errorf("%w: %w", errStore, err)
}

// refused reports whether err is a refusal of the action (a flows.CaseError): final, told to
// staff, never delivered again.
func refused(err error) bool {
	var ce flows.CaseError
	return errors.As(err, &ce)
}

// errDoneBefore stops UpdateStatus when the update delivered again finds its change there.
var errDoneBefore = errors.New("staff: the change was made by an earlier delivery")

// change is Cases.UpdateStatus for staff chat update update: a change the update already made
// (an earlier delivery that failed after it) is returned as it is, not made twice. Storage's
// failures come marked errStore; refusals as flows.CaseError.
func (d *Desk) change(ctx context.Context, id string, update int64, decide func(flows.Complaint) (flows.StatusChange, error)) (flows.Complaint, flows.StatusChange, error) {
	var earlier *flows.StatusChange
	c, ch, err := d.st.UpdateStatus(ctx, id, func(c flows.Complaint) (flows.StatusChange, error) {
		for _, h := range c.History {
			if update != 0 && h.Update == update {
				earlier = &h
				return flows.StatusChange{}, errDoneBefore
			}
		}
		ch, err := decide(c)
		ch.Update = update
		return ch, err
	})
	if earlier != nil {
		c, err := d.st.Complaint(ctx, id)
		return c, *earlier, stored(err)
	}
	if refused(err) {
		return c, ch, err
	}
	return c, ch, stored(err)
}

// The states of a staff chat update in the journal.
const (
	updateBegun = "begun" // its effects started: delivered again, they are repeated, marked
	updateDone  = "done"  // carried out: delivered again, it is ignored
)

// journal runs the effects of staff chat update update at least once: not again once they
// were done, and again, marked as a repeat, when an earlier delivery began them and failed
// (Telegram cannot tell us whether what it sent then arrived). Storage's failures come marked
// errStore.
func (d *Desk) journal(ctx context.Context, update int64, run func(repeat bool) error) error {
	if update == 0 {
		return run(false)
	}
	state, err := d.st.StaffUpdate(ctx, update)
	if err != nil {
		return stored(err)
	}
	switch state {
	case updateDone:
		return nil
	case "":
		if err := d.st.SetStaffUpdate(ctx, update, updateBegun); err != nil {
			return stored(err)
		}
	}
	if err := run(state == updateBegun); err != nil {
		return stored(err)
	}
	return stored(d.st.SetStaffUpdate(ctx, update, updateDone))
}

// staffMessage handles a message in the staff chat: a staff command, the text a staff member
// was asked for, or a message for a case's complainant. Chatter that belongs to no case is left
// alone. It returns an error wrapping errStore when storage failed.
func (d *Desk) staffMessage(ctx context.Context, update int64, m *models.Message) error {
	// Telegram's note that someone left, was removed or joined: their membership is asked
	// again at their next act, not remembered for minutes (a removed caseworker acted on)
	if m.LeftChatMember != nil {
		d.members.forget(m.LeftChatMember.ID)
	}
	for _, u := range m.NewChatMembers {
		d.members.forget(u.ID)
	}
	if m.From == nil {
		return nil
	}
	user := m.From.ID
	anonymousAdmin := m.SenderChat != nil && m.SenderChat.ID == d.cfg.Chat
	if m.From.IsBot && !anonymousAdmin {
		return nil
	}
	// An anonymous administrator writes as the staff chat itself: only administrators can.
	staff := func() bool { return anonymousAdmin || d.isStaff(ctx, user) }
	if strings.HasPrefix(m.Text, "/") {
		return d.staffCommand(ctx, m, user, staff)
	}
	st := d.st
	id, err := d.caseOf(ctx, m)
	if err != nil {
		return stored(err)
	}
	pending, err := st.PendingActions(ctx, d.cfg.Chat, user)
	if err != nil {
		return stored(err)
	}
	if id == "" && !m.IsTopicMessage {
		// A staff member who pressed "ask" (reject, note) in an ordinary group and then wrote
		// without replying: the latest of their actions on a case without a topic. In a forum
		// the text is expected in the case's topic: a message elsewhere is other business.
		for i := len(pending) - 1; i >= 0 && id == ""; i-- {
			th, err := st.StaffThread(ctx, pending[i].Case)
			if err != nil {
				return stored(err)
			}
			if th.Topic == 0 {
				id = pending[i].Case
			}
		}
	}
	if id == "" {
		return nil
	}
	if !staff() {
		d.replyStaff(ctx, m, "staff_not_staff", nil)
		return nil
	}
	return d.journal(ctx, update, func(repeat bool) error {
		action := flows.CaseAction("")
		for _, p := range pending {
			if p.Case == id {
				action = p.Action
			}
		}
		if repeat && action == "" {
			// delivered again: the first delivery may have taken the message as the text of an
			// action, and cleared it, before it failed; the case's history says
			a, err := d.earlierAction(ctx, id, update)
			if err != nil {
				return err
			}
			action = a
		}
		if action != "" {
			return d.awaitedText(ctx, m, update, user, id, action, repeat)
		}
		return d.relayToUser(ctx, m, id, repeat)
	})
}

// staffEdit answers a staff member's edit of a message in a case's topic or thread: what it
// was taken as (a message for the complainant, a question, a reason, a note) went out or was
// kept as it was, and an edit changes none of it, so they are told to send a correction.
// Edits of chatter that belongs to no case, and of commands, are left alone.
func (d *Desk) staffEdit(ctx context.Context, m *models.Message) error {
	if m.From == nil || strings.HasPrefix(m.Text, "/") {
		return nil
	}
	anonymousAdmin := m.SenderChat != nil && m.SenderChat.ID == d.cfg.Chat
	if m.From.IsBot && !anonymousAdmin {
		return nil
	}
	id, err := d.caseOf(ctx, m)
	if err != nil {
		return stored(err)
	}
	if id == "" || !(anonymousAdmin || d.isStaff(ctx, m.From.ID)) {
		return nil
	}
	d.replyStaff(ctx, m, "staff_edit_not_relayed", map[string]any{"CaseID": id})
	return nil
}

// earlierAction returns the action that staff chat update update made on case id, as its
// history records it; "" when none.
func (d *Desk) earlierAction(ctx context.Context, id string, update int64) (flows.CaseAction, error) {
	c, err := d.st.Complaint(ctx, id)
	if refused(err) {
		return "", nil
	}
	if err != nil {
		return "", stored(err)
	}
	for _, h := range c.History {
		if update != 0 && h.Update == update {
			return flows.CaseAction(h.Event), nil
		}
	}
	return "", nil
}

// caseOf finds the case a staff chat message belongs to: by its forum topic, the message it
// replies to, or the root of its reply thread; "" when none.
func (d *Desk) caseOf(ctx context.Context, m *models.Message) (string, error) {
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
	return d.st.StaffCaseOf(ctx, d.cfg.Chat, topic, msgs...)
}

// awaitedText takes a staff member's message as the question, reason or note of the action they
// started with a button.
func (d *Desk) awaitedText(ctx context.Context, m *models.Message, update, user int64, id string, a flows.CaseAction, repeat bool) error {
	st := d.st
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	if text == "" && a == flows.ActAsk {
		text = "📎" // a photo or file without a caption is the question itself
	}
	by, now := staffBy(user), d.now()
	c, ch, err := d.change(ctx, id, update, func(c flows.Complaint) (flows.StatusChange, error) {
		return flows.Decide(c, a, by, now, text)
	})
	if err != nil && !refused(err) {
		return err
	}
	if err != nil {
		d.replyStaff(ctx, m, refusal(err), nil)
		if errors.Is(err, flows.ErrCaseTextNeeded) {
			return nil // still waiting for the text
		}
	}
	if err := st.ClearAwait(ctx, d.cfg.Chat, user, id); err != nil {
		return stored(err)
	}
	if err != nil {
		return nil
	}
	var question *models.Message
	if a == flows.ActAsk {
		question = m
	}
	return d.afterChange(ctx, c, ch, question, repeat)
}

// afterChange shows a change on the case card and tells the complainant. question is the staff
// message that asked for more, relayed to them; repeat marks what the complainant is sent as
// sent again. It returns an error wrapping errStore when storage failed.
func (d *Desk) afterChange(ctx context.Context, c flows.Complaint, ch flows.StatusChange, question *models.Message, repeat bool) error {
	st := d.st
	th, err := st.StaffThread(ctx, c.ID)
	if err != nil {
		return stored(err)
	}
	d.refreshCard(ctx, c, th)
	if from := takenFrom(c, ch); from != "" {
		// the mention tells the one who held it, whoever pressed first
		d.postToCase(ctx, c.ID, th, "staff_taken_over_note", map[string]any{"CaseID": c.ID, "Who": who(ch.By), "From": who(from)})
	}
	if !ch.Told() || (ch.Event == string(flows.ActClaim) && prior(c, ch).Status == flows.StatusClaimed) {
		return nil // a note, or a claim that moves the case between staff: nothing changed for the complainant
	}
	if c.Chat == 0 {
		if ch.Event == string(flows.ActAsk) || ch.Event == string(flows.ActReject) {
			d.postToCase(ctx, c.ID, th, "staff_erased", map[string]any{"CaseID": c.ID})
		}
		return nil
	}
	// The mark first: the complainant's answer may come as soon as they read the question. It
	// stays until the case closes: a claim meanwhile (a colleague taking the case over) leaves
	// the question they were told to answer in their chat open.
	switch {
	case ch.Status == flows.StatusWaiting:
		if err := st.SetWaiting(ctx, c.Chat, c.ID, true); err != nil {
			return stored(err)
		}
	case ch.Status.Closed():
		if err := d.clearWaiting(ctx, c); err != nil {
			return stored(err)
		}
	}
	args := map[string]any{"CaseID": c.ID}
	var key string
	switch flows.CaseAction(ch.Event) {
	case flows.ActClaim:
		key = "user_case_claimed"
	case flows.ActAsk:
		key = "user_case_asked"
		if d.busy(ctx, c.Chat) {
			key = "user_case_asked_busy"
		}
	case flows.ActResolve:
		key = "user_case_resolved"
	case flows.ActReject:
		key, args["Reason"] = "user_case_rejected", ch.Note
	case flows.ActReopen:
		key = "user_case_reopened"
	default:
		return nil
	}
	lang := d.userLang(ctx, c)
	text, err := d.cat.Render(lang, key, args, html.EscapeString)
	if err != nil {
		d.log.Error("render a status change for the complainant", "key", key, "err", err)
		return nil
	}
	err = d.sendUser(ctx, c.Chat, d.repeated(lang, text, repeat))
	if err == nil && question != nil {
		err = d.copyToUser(ctx, c, lang, question, repeat)
	}
	if err != nil {
		d.postToCase(ctx, c.ID, th, "staff_relay_failed", map[string]any{"CaseID": c.ID})
	}
	return nil
}

// clearWaiting takes the complainant's mark (Session.Waiting) off closed case c. When another
// of their cases still waits for their answer, the mark passes to it (the one asked last), so
// that what they write next reaches the staff who asked them, not nobody.
func (d *Desk) clearWaiting(ctx context.Context, c flows.Complaint) error {
	if err := d.st.SetWaiting(ctx, c.Chat, c.ID, false); err != nil {
		return err
	}
	s, err := d.st.Load(ctx, c.Chat)
	if err != nil || s.Waiting != "" {
		return err // the mark names another case already
	}
	cases, err := d.st.Complainants.Cases(ctx, c.Chat)
	if err != nil {
		return err
	}
	var next flows.Complaint
	for _, k := range cases {
		if k.ID != c.ID && k.Chat == c.Chat && k.Status == flows.StatusWaiting && (next.ID == "" || k.Updated().After(next.Updated())) {
			next = k
		}
	}
	if next.ID == "" {
		return nil
	}
	return d.st.SetWaiting(ctx, c.Chat, next.ID, true)
}

// prior is case c as it was before change ch: its history up to ch's entry (found by ch's
// update when the case changed again since), its status that of the last entry before it.
func prior(c flows.Complaint, ch flows.StatusChange) flows.Complaint {
	i := len(c.History) - 1
	for j := i; j >= 0 && ch.Update != 0; j-- {
		if c.History[j].Update == ch.Update {
			i = j
			break
		}
	}
	p := c
	p.History = c.History[:max(i, 0)]
	p.Status = ""
	if n := len(p.History); n > 0 {
		p.Status = p.History[n-1].Status
	}
	return p
}

// takenFrom returns who held case c ("staff:<id>") when change ch is someone else's claim of it
// while it was in hand: two claims pressed at once, or a take-over; "" otherwise.
func takenFrom(c flows.Complaint, ch flows.StatusChange) string {
	if ch.Event != string(flows.ActClaim) {
		return ""
	}
	p := prior(c, ch)
	if p.Status != flows.StatusClaimed && p.Status != flows.StatusWaiting {
		return ""
	}
	if a := p.Assignee(); a != ch.By {
		return a
	}
	return ""
}

// repeated puts the complainant's "sent again" mark before text when repeat is set.
func (d *Desk) repeated(lang flows.Lang, text string, repeat bool) string {
	if !repeat {
		return text
	}
	mark, err := d.cat.Render(lang, "user_repeat", nil, html.EscapeString)
	if err != nil {
		return text
	}
	return mark + "\n" + text
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

// busy reports whether what the complainant in chat sends now goes elsewhere than to staff (a
// new complaint being written, a follow-up question of the bot open): flows relays only
// between complaints, and typed text answers an open follow-up question first.
func (d *Desk) busy(ctx context.Context, chat int64) bool {
	s, err := d.st.Load(ctx, chat)
	return err == nil && busy(s)
}

// busy reports whether what the complainant of session s sends now goes elsewhere than to staff.
// A chat without a stored session (expired) is not: SetWaiting starts it between complaints.
func busy(s flows.Session) bool {
	if s.Version == 0 {
		return false
	}
	return (s.State != flows.StateSubmitted && s.State != flows.StateClosed) || s.Follow != nil
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
	for _, part := range document.SplitHTML(text, messageLimit) {
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
// case passes nothing, and the staff member is told. repeat marks it as sent again. It returns
// an error wrapping errStore when storage failed.
func (d *Desk) relayToUser(ctx context.Context, m *models.Message, id string, repeat bool) error {
	c, err := d.st.Complaint(ctx, id)
	if refused(err) {
		d.replyStaff(ctx, m, refusal(err), nil)
		return nil
	}
	if err != nil {
		return stored(err)
	}
	switch {
	case !c.Status.Open():
		d.replyStaff(ctx, m, "staff_closed_no_relay", map[string]any{"CaseID": id})
		return nil
	case c.Chat == 0:
		d.replyStaff(ctx, m, "staff_erased", map[string]any{"CaseID": id})
		return nil
	}
	// Their answer may come as soon as they read it: it goes to staff, as an answer to a
	// question does, until the case closes; but not away from a question open on another case.
	// Another case's staff who only wrote to them hold them no longer: the answer is to the
	// message they read last.
	s, err := d.st.Load(ctx, c.Chat)
	if err != nil {
		return stored(err)
	}
	take := s.Waiting == ""
	if s.Waiting != "" && s.Waiting != id {
		other, err := d.st.Complaint(ctx, s.Waiting)
		if err != nil && !refused(err) {
			return stored(err)
		}
		take = err != nil || other.Status != flows.StatusWaiting
	}
	if take {
		if err := d.st.SetWaiting(ctx, c.Chat, id, true); err != nil {
			return stored(err)
		}
	}
	lang := d.userLang(ctx, c)
	if err := d.copyToUser(ctx, c, lang, m, repeat); err != nil {
		d.replyStaff(ctx, m, "staff_relay_failed", map[string]any{"CaseID": id})
		return nil
	}
	if busy(s) {
		// what they type next goes elsewhere: they are told how to answer staff
		if text, err := d.cat.Render(lang, "user_staff_busy", map[string]any{"CaseID": id}, html.EscapeString); err == nil {
			d.sendUser(ctx, c.Chat, text)
		}
	}
	return nil
}

// copyToUser sends a staff message to the complainant of c, marked as coming from staff (and as
// sent again with repeat): a text as our own message, anything else copied with a caption
// (copyMessage shows no sender).
func (d *Desk) copyToUser(ctx context.Context, c flows.Complaint, lang flows.Lang, m *models.Message, repeat bool) error {
	args := map[string]any{"CaseID": c.ID, "Text": m.Text}
	if m.Text != "" {
		text, err := d.cat.Render(lang, "user_staff_says", args, html.EscapeString)
		if err != nil {
			return err
		}
		return d.sendUser(ctx, c.Chat, d.repeated(lang, text, repeat))
	}
	head, err := d.cat.Render(lang, "user_staff_file", args, html.EscapeString)
	if err != nil {
		return err
	}
	return d.copyMessage(ctx, c.Chat, 0, nil, m, d.repeated(lang, head, repeat))
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
	caption, rest := "", ""
	if captioned {
		caption = head
		// a caption is cleaned as typed text is: no control, direction-override or invisible characters
		if said, _ := flows.CleanText(m.Caption, 0); said != "" {
			cut := truncate(said, maxCaption-units(html.UnescapeString(plainText(head)))-1)
			caption += "\n" + html.EscapeString(cut)
			if cut != said {
				// what the heading left no room for follows the file (truncate ends cut in "…")
				rest = "…" + said[len(strings.TrimSuffix(cut, "…")):]
			}
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
		return ids, err
	}
	for _, part := range document.SplitHTML(html.EscapeString(rest), messageLimit) {
		err = d.send.Do(ctx, chat, func(ctx context.Context) error {
			sent, err := d.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, MessageThreadID: topic, Text: part,
				ParseMode: models.ParseModeHTML, ReplyParameters: reply})
			if err == nil {
				ids = append(ids, sent.ID)
			}
			return err
		})
		if err != nil {
			d.log.Warn("send the rest of a caption failed", "code", sender.Code(err), "blocked", errors.Is(err, sender.ErrBlocked))
			return ids, err
		}
	}
	return ids, nil
}

// truncate cuts s to at most n UTF-16 code units, the unit Telegram counts a caption's length
// in (an emoji is two).
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if units(s) <= n {
		return s
	}
	used := 1 // the "…"
	for i, r := range s {
		if used += len(utf16.Encode([]rune{r})); used > n {
			return s[:i] + "…"
		}
	}
	return s
}

// units is the length of s in UTF-16 code units.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// Relay passes m, which the complainant in chat sent while staff waited for them on case id
// (flows.EffectRelay), into the case's topic or thread; flows has already added its files to
// the evidence. repeat marks it as sent again (the update was delivered again after its commit,
// and an earlier delivery may have relayed it). A case closed meanwhile passes nothing: the
// complainant is told, and the mark is cleared. It returns an error wrapping errStore when
// storage failed before anything was relayed: the update is then to be delivered again, and
// its redelivery relays it (marked), as a conversation's replies are sent again.
func (d *Desk) Relay(ctx context.Context, chat int64, m *models.Message, id string, repeat bool) error {
	if m == nil {
		return nil
	}
	st := d.st
	c, err := st.Complaint(ctx, id)
	if refused(err) {
		d.log.Warn("read a case for a relay", "case", id, "err", err)
		return nil
	}
	if err != nil {
		return stored(err)
	}
	if c.Chat != chat {
		return nil // not this chat's case: nothing to relay
	}
	if !c.Status.Open() {
		if err := d.clearWaiting(ctx, c); err != nil {
			d.log.Warn("clear the complainant's mark", "case", id, "err", err)
		}
		if text, err := d.cat.Render(d.userLang(ctx, c), "user_relay_closed", map[string]any{"CaseID": id}, html.EscapeString); err == nil {
			d.sendUser(ctx, c.Chat, text)
		}
		return nil
	}
	th, err := st.StaffThread(ctx, id)
	if err != nil {
		return stored(err) // posted without it, the message would land outside the case's topic
	}
	p := d.placeOf(th)
	var ids []int
	mark := ""
	if repeat {
		mark = d.staffText("staff_repeat", nil) + "\n"
	}
	// the holder is named, so that Telegram notifies them: a reply to the card notifies nobody
	var holder any
	if a := c.Assignee(); a != "" {
		holder = who(a)
	}
	if m.Text != "" {
		// staff read what was written: without control, direction-changing or invisible
		// characters, as every answer the complainant typed
		said, _ := flows.CleanText(m.Text, 0)
		text := mark + d.staffText("staff_from_user", map[string]any{"CaseID": id, "Text": said, "Who": holder})
		for _, part := range document.SplitHTML(text, messageLimit) {
			msg, err := d.postText(ctx, p, part, nil)
			if err != nil {
				d.log.Warn("relay to staff failed", "case", id, "code", sender.Code(err))
				break
			}
			ids = append(ids, msg)
		}
	} else {
		head := mark + d.staffText("staff_from_user_file", map[string]any{"CaseID": id, "Who": holder})
		ids, _ = d.copyMessageIDs(ctx, p.chat, p.topic, p.replyTo(), m, head)
	}
	if err := st.AddStaffMessages(ctx, id, p.chat, ids...); err != nil {
		d.log.Warn("map relayed messages", "case", id, "err", err)
	}
	was, now := answered(c, th), d.now()
	if err := st.SetStaffReplied(ctx, id, now); err != nil {
		d.log.Warn("record the complainant's reply", "case", id, "err", err)
	} else if th.Replied = now; (!was && answered(c, th)) || (hasFile(m) && kept(c.Evidence, m)) {
		// the first answer since staff asked (the card says it is staff's turn), or a file that
		// joined the evidence (the card counts it)
		d.refreshCard(ctx, c, th)
	}
	if !kept(c.Evidence, m) && len(c.Evidence) >= flows.MaxCaseEvidence {
		// flows added the file to the case's evidence; storage kept it out, the case being full
		if text, err := d.cat.Render(d.userLang(ctx, c), "user_evidence_case_full",
			map[string]any{"CaseID": id, "Max": flows.MaxCaseEvidence}, html.EscapeString); err == nil {
			d.sendUser(ctx, c.Chat, text)
		}
	}
	return nil
}

// fileIDs are the unique ids of the files m carries, as flows keeps them as evidence.
func fileIDs(m *models.Message) []string {
	var ids []string
	for _, p := range m.Photo {
		ids = append(ids, p.FileUniqueID)
	}
	if m.Document != nil {
		ids = append(ids, m.Document.FileUniqueID)
	}
	return ids
}

// hasFile reports whether m carries a file flows keeps as evidence (a photo, a document).
func hasFile(m *models.Message) bool { return len(fileIDs(m)) > 0 }

// kept reports whether m carries no file, or its file is among evs.
func kept(evs []flows.Evidence, m *models.Message) bool {
	ids := fileIDs(m)
	if len(ids) == 0 {
		return true
	}
	for _, e := range evs {
		if e.UniqueID != "" && slices.Contains(ids, e.UniqueID) {
			return true
		}
	}
	return false
}
