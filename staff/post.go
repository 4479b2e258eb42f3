package staff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/internal/sleep"
	"complaintbot/telegram/sender"
)

// The escalation consumer's pace.
const (
	escalationBatch  = 10               // escalations read at once
	escalationBlock  = time.Second      // how long one read waits for new ones (and shutdown for it)
	postingLease     = time.Minute      // how long a consumer holds a case it posts; renewed at every part
	maxAlbum         = 10               // photos in one media group, Telegram's limit
	memberTTL        = 5 * time.Minute  // how long a staff membership answer is trusted
	maxMembersCached = 1024             // staff membership answers remembered at most
	recordTimeout    = 10 * time.Second // bounds recording what Telegram accepted, shutdown or not
)

// errPostingBusy is a case another consumer is posting right now; it comes again later.
var errPostingBusy = errors.New("another consumer is posting the case")

// errOutcomeUnknown is a topic or card that Telegram may or may not have made (onceOnly).
var errOutcomeUnknown = errors.New("the call's outcome is unknown")

// outcomeRetries is how many times in a row a case is posted again at once after
// errOutcomeUnknown; then it waits for its redelivery like any failure.
const outcomeRetries = 3

// Run runs the desk until ctx ends: the escalation consumer, which posts every escalated case
// to the staff chat, the reminders, and the removal of erased cases from the staff chat. Call it once per process, beside the bot's Poll or
// webhook; the work it leaves when ctx ends is redelivered to the next start.
func (d *Desk) Run(ctx context.Context) error {
	if err := d.decideForum(ctx); err != nil {
		return nil // ctx ended
	}
	var wg sync.WaitGroup
	wg.Go(func() { d.remindLoop(ctx) })
	wg.Go(func() { d.eraseLoop(ctx) })
	d.consume(ctx)
	wg.Wait()
	return nil
}

// decideForum settles whether each case gets a forum topic: STAFF_FORUM, or when it says auto,
// the staff chat's is_forum, asked until Telegram answers or ctx ends.
func (d *Desk) decideForum(ctx context.Context) error {
	switch d.cfg.Forum {
	case ForumOn:
		d.forum.Store(true)
		return nil
	case ForumOff:
		d.forum.Store(false)
		return nil
	}
	wait := time.Duration(0)
	for {
		var chat *models.ChatFullInfo
		err := d.send.Do(ctx, 0, func(ctx context.Context) error {
			var err error
			chat, err = d.tg.GetChat(ctx, &tgbot.GetChatParams{ChatID: d.cfg.Chat})
			return err
		})
		if err == nil {
			d.forum.Store(chat.IsForum)
			d.log.Info("staff chat", "forum", chat.IsForum)
			return nil
		}
		d.log.Warn("getChat of the staff chat failed; cases wait", "code", sender.Code(err))
		wait = sleep.Backoff(wait)
		if err := sleep.For(ctx, wait); err != nil {
			return err
		}
	}
}

// consume posts escalations until ctx ends: first what this consumer left unacknowledged before
// a restart, then new ones. An escalation is acknowledged only once its case is fully posted.
func (d *Desk) consume(ctx context.Context) {
	st := d.st
	name := d.cfg.Consumer
	if name == "" {
		name = "complaintbot"
	}
	own := true // this consumer's unacknowledged escalations come first
	wait := time.Duration(0)
	for ctx.Err() == nil {
		if wait > 0 {
			if sleep.For(ctx, wait) != nil {
				return
			}
		}
		var es []flows.Escalation
		var err error
		if own {
			// One at a time: reading a pending entry counts a delivery, so only the one about
			// to be posted may be read. Read ten at a time, a consumer restarted again and
			// again (crashes in a row) counted a delivery for all ten at each start and
			// dead-lettered cases it had never tried (found by the long crash run).
			es, err = st.PendingEscalations(ctx, name, 1)
			if err == nil && len(es) == 0 {
				own = false
				continue
			}
		} else {
			es, err = st.ReadEscalations(ctx, name, escalationBatch, escalationBlock)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			d.m.RedisError()
			d.log.Warn("read escalations", "err", err)
			wait = sleep.Backoff(wait)
			continue
		}
		failed, busy := false, false
		for _, e := range es {
			if ctx.Err() != nil {
				return
			}
			err := d.postCase(ctx, name, e)
			for i := 0; i < outcomeRetries && errors.Is(err, errOutcomeUnknown) && ctx.Err() == nil; i++ {
				// at once, while staff still see the case being posted: the next attempt is
				// counted, and its topic or card says it may be a second one
				d.log.Warn("a part of a case may have reached staff unrecorded; posting it again", "case", e.CaseID)
				if sleep.For(ctx, time.Duration(100<<i)*time.Millisecond) != nil {
					return
				}
				err = d.postCase(ctx, name, e)
			}
			if err != nil {
				// Not acknowledged: it comes again (XAUTOCLAIM after storage's ClaimIdle).
				busy = busy || errors.Is(err, errPostingBusy)
				if !errors.Is(err, errPostingBusy) && ctx.Err() == nil {
					failed = true
					d.log.Warn("posting a case to staff failed; it will be retried", "case", e.CaseID, "err", err)
				}
				continue
			}
			ack, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
			err = st.AckEscalation(ack, e)
			cancel()
			if err != nil {
				// posted and marked: the redelivery skips it
				d.log.Warn("acknowledge an escalation", "case", e.CaseID, "err", err)
			}
		}
		if own && busy {
			// Another consumer holds a case we were delivered: reading our pending entries again
			// at once would count a delivery each time and dead-letter the case within
			// milliseconds (found by TestCrashFaults with two replicas). It stays pending and
			// comes back by XAUTOCLAIM once idle, after the other consumer's lease.
			own = false
		}
		if failed {
			wait = sleep.Backoff(wait)
		} else {
			wait = 0
		}
	}
}

// postCase posts case e.CaseID to the staff chat: its topic (in a forum), its card with the
// buttons, its evidence and its .docx. Each part is recorded in storage as soon as Telegram
// accepted it, before the next begins, and the escalation is acknowledged only after the last;
// a redelivered escalation (a crash, a restart, a duplicate in the queue) resumes after the last
// recorded part, so staff see one topic and one card per case whatever happens. The one window
// left is a crash between Telegram's answer and the record (milliseconds); Telegram offers no
// idempotency key to close it, nor a way to find the message or topic it made. Each attempt at
// the topic and the card is therefore counted before Telegram is asked, and a second attempt
// is marked: its topic's name and its card say that an earlier copy may exist (docs/RELIABILITY.md).
func (d *Desk) postCase(ctx context.Context, consumer string, e flows.Escalation) error {
	st := d.st
	id := e.CaseID
	if done, err := st.Posted(ctx, id); err != nil {
		return err
	} else if done {
		return nil
	}
	ok, err := st.ClaimPosting(ctx, id, consumer, postingLease)
	if err != nil {
		return err
	}
	if !ok {
		return errPostingBusy
	}
	// renew keeps the lease while the parts go out (a long album under rate limits)
	renew := func() error {
		ok, err := st.ClaimPosting(ctx, id, consumer, postingLease)
		if err == nil && !ok {
			err = errPostingBusy
		}
		return err
	}
	c, err := st.Complaint(ctx, id)
	if err != nil {
		return err
	}
	if c.Chat == 0 {
		// the complainant erased their data before staff saw the case: nothing to hand over
		_, err := st.MarkPosted(ctx, id)
		return err
	}
	th, err := st.StaffThread(ctx, id)
	if err != nil {
		return err
	}
	chat := d.cfg.Chat
	if th.Chat != 0 && th.Chat != chat {
		th = flows.StaffThread{} // STAFF_CHAT_ID changed: the case starts over in the new chat
	}
	th.Chat = chat
	if d.forum.Load() && th.Topic == 0 && th.Card == 0 {
		n, err := st.StaffAttempt(ctx, id, partTopic)
		if err != nil {
			return err
		}
		if n > 1 {
			d.log.Warn("creating a case's topic again: an earlier attempt may have left an empty topic", "case", id, "attempt", n)
		}
		topic, err := d.createTopic(ctx, c, n > 1)
		switch {
		case err == nil:
			if err := recordPart(ctx, func(ctx context.Context) error { return st.SetStaffTopic(ctx, id, chat, topic) }); err != nil {
				return err
			}
			th.Topic = topic
		case sender.Code(err) == 400 || errors.Is(err, sender.ErrBlocked):
			// no right to manage topics, or not a forum after all: the card starts a reply thread
			d.log.Warn("createForumTopic refused; the case goes in a reply thread", "case", id, "code", sender.Code(err))
		default:
			return fmt.Errorf("create the topic of %s: %w", id, telegramFailure(err))
		}
	}
	if th.Card == 0 {
		n, err := st.StaffAttempt(ctx, id, partCard)
		if err != nil {
			return err
		}
		if th.CardAttempts = n; n > 1 {
			d.log.Warn("posting a case's card again: an earlier attempt may have reached the staff chat", "case", id, "attempt", n)
		}
		text, err := d.cardText(c, th)
		if err != nil {
			return err
		}
		card, err := d.postMessage(ctx, d.placeOf(th), text, d.cardKeyboard(c), true)
		if err != nil {
			return fmt.Errorf("post the card of %s: %w", id, telegramFailure(err))
		}
		since, ok := c.Escalated()
		if !ok {
			since = c.CreatedAt
		}
		if err := recordPart(ctx, func(ctx context.Context) error { return st.SetStaffCard(ctx, id, chat, card, since) }); err != nil {
			return err
		}
		th.Card = card
	}
	if !th.Evidence {
		n, err := st.StaffAttempt(ctx, id, partEvidence)
		if err != nil {
			return err
		}
		if err := d.postEvidence(ctx, c, th, renew, n > 1); err != nil {
			return err
		}
		if err := recordPart(ctx, func(ctx context.Context) error { return st.SetStaffPart(ctx, id, partEvidence) }); err != nil {
			return err
		}
	}
	if !th.Document {
		if err := renew(); err != nil {
			return err
		}
		n, err := st.StaffAttempt(ctx, id, partDocument)
		if err != nil {
			return err
		}
		if err := d.postDocument(ctx, c, th, n > 1); err != nil {
			return err
		}
		if err := recordPart(ctx, func(ctx context.Context) error { return st.SetStaffPart(ctx, id, partDocument) }); err != nil {
			return err
		}
	}
	return recordPart(ctx, func(ctx context.Context) error {
		_, err := st.MarkPosted(ctx, id)
		return err
	})
}

// createTopic creates the forum topic of case c.
// again marks a topic created after an attempt that may have created one already.
func (d *Desk) createTopic(ctx context.Context, c flows.Complaint, again bool) (int, error) {
	var topic int
	name := d.topicName(c, again)
	err := d.send.Do(ctx, d.cfg.Chat, onceOnly(func(ctx context.Context) error {
		t, err := d.tg.CreateForumTopic(ctx, &tgbot.CreateForumTopicParams{ChatID: d.cfg.Chat, Name: name})
		if err != nil {
			return err
		}
		topic = t.MessageThreadID
		return nil
	}))
	return topic, err
}

// onceOnly makes a call whose repetition staff would see (a case's topic, its card, its
// evidence and .docx) give up at
// once, rather than be retried by the sender, when its outcome is unknown: the request may have
// reached Telegram and been carried out although no answer was read (sender.OutcomeUnknown).
// postCase then fails and runs again later, through StaffAttempt, so that a second copy says
// it may be one.
func onceOnly(call func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		err := call(ctx)
		if sender.OutcomeUnknown(err) {
			return sender.Permanent(fmt.Errorf("%w: %w", errOutcomeUnknown, err))
		}
		return err
	}
}

// postEvidence posts the case's evidence in its thread, in order: consecutive photos as media
// groups, files as documents, pasted texts as messages, all by Telegram's file ids. An item
// Telegram refuses for good (a file id gone stale) is skipped with a note in the log; a
// transient failure fails the whole, which is posted again, marked (again) as a repeat:
// Telegram cannot tell which items of the earlier attempt arrived.
func (d *Desk) postEvidence(ctx context.Context, c flows.Complaint, th flows.StaffThread, renew func() error, again bool) error {
	p := d.placeOf(th)
	var ids []int
	mark := ""
	if again {
		// an earlier attempt may have posted some of it (a crash, a lost answer)
		mark = d.staffText("staff_repeat", nil) + "\n"
	}
	caption := func(n int, e flows.Evidence) string {
		s := mark + d.staffText("staff_evidence_caption", map[string]any{"N": n, "CaseID": c.ID})
		if e.Caption != "" {
			s += "\n" + html.EscapeString(truncate(e.Caption, maxCaption/2))
		}
		return s
	}
	send := func(fn func(ctx context.Context) ([]int, error)) error {
		if err := renew(); err != nil {
			return err
		}
		var got []int
		err := d.send.Do(ctx, p.chat, onceOnly(func(ctx context.Context) error {
			var err error
			got, err = fn(ctx)
			return err
		}))
		if err != nil && sender.Code(err) == 400 {
			d.log.Warn("evidence refused by Telegram; skipped", "case", c.ID, "code", 400)
			return nil
		}
		ids = append(ids, got...)
		if err != nil {
			return telegramFailure(err)
		}
		return nil
	}
	evs := c.Evidence
	for i := 0; i < len(evs); {
		e := evs[i]
		switch {
		case e.Kind == flows.EvidencePhoto:
			j := i
			var media []models.InputMedia
			for j < len(evs) && evs[j].Kind == flows.EvidencePhoto && len(media) < maxAlbum {
				media = append(media, &models.InputMediaPhoto{Media: evs[j].FileID, Caption: caption(j+1, evs[j]), ParseMode: models.ParseModeHTML})
				j++
			}
			var err error
			if len(media) == 1 {
				err = send(func(ctx context.Context) ([]int, error) {
					m, err := d.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: p.chat, MessageThreadID: p.topic,
						Photo: &models.InputFileString{Data: e.FileID}, Caption: caption(i+1, e), ParseMode: models.ParseModeHTML,
						ReplyParameters: p.replyTo()})
					if err != nil {
						return nil, err
					}
					return []int{m.ID}, nil
				})
			} else {
				err = send(func(ctx context.Context) ([]int, error) {
					ms, err := d.tg.SendMediaGroup(ctx, &tgbot.SendMediaGroupParams{ChatID: p.chat, MessageThreadID: p.topic,
						Media: media, ReplyParameters: p.replyTo()})
					var out []int
					for _, m := range ms {
						out = append(out, m.ID)
					}
					return out, err
				})
			}
			if err != nil {
				return fmt.Errorf("post the photos of %s: %w", c.ID, err)
			}
			i = j
		case e.Kind == flows.EvidenceDocument:
			n := i + 1
			err := send(func(ctx context.Context) ([]int, error) {
				m, err := d.tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: p.chat, MessageThreadID: p.topic,
					Document: &models.InputFileString{Data: e.FileID}, Caption: caption(n, e), ParseMode: models.ParseModeHTML,
					ReplyParameters: p.replyTo()})
				if err != nil {
					return nil, err
				}
				return []int{m.ID}, nil
			})
			if err != nil {
				return fmt.Errorf("post a document of %s: %w", c.ID, err)
			}
			i++
		default:
			text := mark + d.staffText("staff_evidence_text", map[string]any{"N": i + 1, "CaseID": c.ID, "Text": e.Caption})
			err := send(func(ctx context.Context) ([]int, error) {
				m, err := d.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: p.chat, MessageThreadID: p.topic,
					Text: clip(text), ParseMode: models.ParseModeHTML, ReplyParameters: p.replyTo()})
				if err != nil {
					return nil, err
				}
				return []int{m.ID}, nil
			})
			if err != nil {
				return fmt.Errorf("post a text of %s: %w", c.ID, err)
			}
			i++
		}
	}
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := d.st.AddStaffMessages(rec, c.ID, p.chat, ids...); err != nil {
		d.log.Warn("map evidence messages", "case", c.ID, "err", err)
	}
	return nil
}

// postDocument posts the case's 投诉书 as a .docx, in Chinese, the language it is filed in;
// again marks it as posted again.
func (d *Desk) postDocument(ctx context.Context, c flows.Complaint, th flows.StaffThread, again bool) error {
	p := d.placeOf(th)
	data, err := d.docs.DOCX(c, flows.LangZH)
	if err != nil {
		return fmt.Errorf("render the docx of %s: %w", c.ID, err)
	}
	caption := d.staffText("document_caption", map[string]any{"CaseID": c.ID})
	if again { // an earlier attempt may have posted it (a crash, a lost answer)
		caption = d.staffText("staff_repeat", nil) + "\n" + caption
	}
	var id int
	err = d.send.Do(ctx, p.chat, onceOnly(func(ctx context.Context) error {
		m, err := d.tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: p.chat, MessageThreadID: p.topic,
			Document: &models.InputFileUpload{Filename: document.FileName(c, flows.LangZH), Data: bytes.NewReader(data)},
			Caption:  caption, ParseMode: models.ParseModeHTML, ReplyParameters: p.replyTo()})
		if err != nil {
			return err
		}
		id = m.ID
		return nil
	}))
	if err != nil {
		return fmt.Errorf("post the docx of %s: %w", c.ID, telegramFailure(err))
	}
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := d.st.AddStaffMessages(rec, c.ID, p.chat, id); err != nil {
		d.log.Warn("map the docx message", "case", c.ID, "err", err)
	}
	return nil
}

// telegramFailure stands for a failed Bot API call by Telegram's code alone: the error's text
// may quote what was sent (personal data) or the request's URL, which holds the token, and the
// failure is logged.
func telegramFailure(err error) error {
	switch {
	case errors.Is(err, errOutcomeUnknown):
		return fmt.Errorf("telegram call: %w", errOutcomeUnknown)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("telegram call: %w", context.Canceled)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("telegram call: %w", context.DeadlineExceeded)
	}
	return fmt.Errorf("telegram call failed with code %d", sender.Code(err))
}

// recordPart records a part Telegram accepted, trying again until it is recorded or
// recordTimeout has passed: a part posted and not recorded is posted again by the next
// attempt, so a short Redis outage must not end the attempt here.
func recordPart(ctx context.Context, record func(context.Context) error) error {
	// What Telegram accepted is recorded even when shutdown begins meanwhile, and each record
	// has its own time: counted from the posting's start, a slow topic or album used it up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		err := record(ctx)
		if err == nil {
			return nil
		}
		if sleep.For(ctx, wait) != nil {
			return err
		}
	}
}
