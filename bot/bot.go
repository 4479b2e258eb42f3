// Package bot is the complainant's side of complaintbot on Telegram: updates in, flows.Step in
// the middle, messages out. It takes updates by long polling or by webhook, runs one chat's
// updates strictly in order while chats run in parallel, commits every step through its Store
// before answering, and sends everything through one sender that keeps to Telegram's limits.
// What concerns staff (the staff chat's updates, a complainant's answer to staff) it hands to
// its Desk, the staff package.
package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/casefile"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/locales"
	"complaintbot/providers"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// Store keeps sessions and cases. storage.Redis implements it.
type Store interface {
	// Apply loads the chat's session, runs step on it and commits the result atomically; an
	// update applied before is recognised and changes nothing (Committed.Duplicate).
	Apply(ctx context.Context, chat, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, flows.Committed, error)
	// Cases lists a chat's cases, newest first.
	Cases(ctx context.Context, chat int64) ([]flows.Complaint, error)
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
}

// Sender runs every outgoing Bot API call within Telegram's limits. sender.Sender implements it.
type Sender interface {
	Do(ctx context.Context, chatID int64, call func(ctx context.Context) error) error
}

// Desk is the staff desk, which the bot hands what concerns staff. staff.Desk implements it.
type Desk interface {
	// Handle handles an update from the staff chat; it answers a button press itself. An
	// error means its effect could not be committed (storage failed): the update is delivered
	// again, as a complainant's is.
	Handle(ctx context.Context, u *models.Update) error
	// Relay passes m, which the complainant in chat sent while staff waited for them on case
	// id (flows.EffectRelay), to staff; repeat marks a relay of an update delivered again
	// after its commit, which an earlier delivery may have relayed. An error means storage
	// failed before anything was relayed: the update is delivered again, and its redelivery,
	// replayed, relays it.
	Relay(ctx context.Context, chat int64, m *models.Message, id string, repeat bool) error
}

// Deps are the parts the bot is built from.
type Deps struct {
	Telegram *tgbot.Bot // the Bot API client from botapi.NewTelegram (its failures are *botapi.Error), used for its methods only (never Start)
	Store    Store
	Sender   Sender
	Catalog  *locales.Catalog
	Docs     *document.Renderer
	Log      *slog.Logger
	Metrics  *Metrics
	Now      func() time.Time // the clock; time.Now when nil
	// HTTPClient is used for long polling; a client without a timeout when nil (each call has
	// its own deadline).
	HTTPClient *http.Client
	// Files keeps the case files after the document (package followup); without it the bot
	// does not follow cases up.
	Files CaseFiles
	// Desk is the staff desk for Config.StaffChat. Without one users are told escalation is
	// not available, and the staff chat's updates are left alone.
	Desk Desk
	// OCR and Readings read the screenshots sent as evidence (RunReadings); without either,
	// or with an OCR that is not Available, screenshots are kept and not read.
	OCR      OCR
	Readings Readings
	// Providers is the provider data steps read (providers.Load of PROVIDERS_FILE); the
	// embedded data when nil.
	Providers *providers.List
}

// Bot handles updates.
type Bot struct {
	cfg    Config
	tg     *tgbot.Bot
	api    *botapi.Client // sendMessage and answerCallbackQuery of the conversation: every update's calls
	store  Store
	send   Sender
	render renderer
	log    *slog.Logger
	m      *Metrics
	now    func() time.Time
	queue  *chatQueue
	albums *albums
	desk   Desk      // nil: no staff side
	files  CaseFiles // nil: no follow-up
	flood  *flood
	self   *botapi.Self // the bot's username, for commands addressed to another bot
	// providers is the provider data every step gets in its input.
	providers *providers.List

	ocr      OCR
	readings Readings
	readWake chan struct{}

	httpClient *http.Client
	bodies     sync.Pool // of *bytes.Buffer: webhook bodies are read into them

	mu        sync.Mutex
	toldRetry map[int64]time.Time // when a chat was last told to try again, at most once a minute
	failing   map[int64]bool      // chats whose webhook updates queued behind a failed one must fail too
	delivered *delivered          // the messages of updates whose replies did not all go out
}

// selfTimeout bounds the getMe that learns the bot's username; a command waits for it once.
const selfTimeout = 10 * time.Second

// New builds a bot.
func New(cfg Config, d Deps) (*Bot, error) {
	if d.Telegram == nil || d.Store == nil || d.Sender == nil || d.Catalog == nil || d.Docs == nil {
		return nil, errors.New("bot: missing a dependency")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	b := &Bot{
		cfg: cfg, tg: d.Telegram, store: d.Store, send: d.Sender, log: d.Log, m: d.Metrics, now: d.Now,
		render:    renderer{cat: d.Catalog, docs: d.Docs},
		files:     d.Files,
		queue:     newChatQueue(),
		toldRetry: map[int64]time.Time{},
		failing:   map[int64]bool{},
		delivered: newDelivered(),
		readWake:  make(chan struct{}, 1),
		providers: d.Providers,
	}
	if d.OCR != nil && d.Readings != nil {
		b.ocr, b.readings = d.OCR, d.Readings
	}
	b.httpClient = d.HTTPClient
	if b.httpClient == nil {
		b.httpClient = &http.Client{}
	}
	b.api = botapi.New(b.httpClient, cfg.APIURL, cfg.Token)
	b.self = botapi.NewSelf(func(ctx context.Context) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, selfTimeout)
		defer cancel()
		me, err := d.Telegram.GetMe(ctx)
		if err != nil {
			return "", err
		}
		return me.Username, nil
	})
	if cfg.UserRate == 0 {
		cfg.UserRate = DefaultUserRate
	}
	if cfg.UserBurst == 0 {
		cfg.UserBurst = DefaultUserBurst
	}
	b.flood = newFlood(cfg.UserRate, cfg.UserBurst)
	b.albums = newAlbums(cfg.AlbumWait, b.flushAlbum)
	if cfg.StaffChat != 0 {
		b.desk = d.Desk
	}
	b.m.queueLen(b.queue.Len)
	return b, nil
}

// errTransient marks a failure that a redelivery of the update may not meet (storage down).
var errTransient = errors.New("transient failure")

// handle processes one update to the end: classify, step, commit, send. It returns an error
// wrapping errTransient when the update should be delivered again.
func (b *Bot) handle(ctx context.Context, u *models.Update, inc Incoming) error {
	start := b.now()
	kind := inc.kind
	if kind == "" && u != nil {
		kind = updateKind(u)
	}
	if inc.command != "" && (inc.Verdict == Converse || inc.Verdict == ReplyOnly) && !b.self.Addressed(ctx, inc.command) {
		// "/delete@other_bot": another bot's command (a group delivers it to every bot reading
		// all its messages, and a user may type it here): not ours to carry out or answer
		b.m.update(kind, "ignored", start, b.now())
		return nil
	}
	refund := func(time.Time) {}
	if inc.Verdict == Converse || inc.Verdict == ReplyOnly {
		ok, tell, give := b.flood.take(inc.Chat, start)
		refund = give
		if !ok {
			// a flood: dropped before any Redis or Bot API call, so other chats do not wait; a
			// press is still answered when that costs no call (webhook)
			if inc.CallbackID != "" {
				answerInReply(ctx, inc.CallbackID)
			}
			if tell {
				if text, err := b.render.plain(flows.LangFromCode(inc.Input.LanguageCode), "slow_down"); err == nil {
					b.sendAll(ctx, inc.Chat, []Outgoing{{Text: text}})
				}
			}
			b.m.update(kind, "flood", start, b.now())
			return nil
		}
	}
	if inc.CallbackID != "" && (inc.Verdict != Staff || b.desk == nil) {
		b.answerCallback(ctx, inc.CallbackID) // the desk answers its own, sometimes with an alert
	}
	switch inc.Verdict {
	case Ignore:
		b.m.update(kind, "ignored", start, b.now())
		return nil
	case ReplyOnly:
		b.flushAlbums(ctx, inc.Chat)
		text, err := b.render.plain(inc.Lang, inc.Key)
		if err == nil {
			b.sendAll(ctx, inc.Chat, []Outgoing{{Text: text}})
		}
		b.m.update(kind, "replied", start, b.now())
		return nil
	case Staff:
		if b.desk != nil && u != nil { // always an update decoded in full (decodeWebhook)
			if err := b.desk.Handle(ctx, u); err != nil {
				b.m.update(kind, "retry", start, b.now())
				b.log.Warn("staff update not committed; it will be delivered again", "update", inc.UpdateID, "err", err)
				return fmt.Errorf("update %d: %w: %w", inc.UpdateID, errTransient, err)
			}
		}
		b.m.update(kind, "staff", start, b.now())
		return nil
	}
	if inc.AlbumID == "" {
		b.flushAlbums(ctx, inc.Chat)
	}
	in := inc.Input
	in.NoEscalation = b.desk == nil
	in.Providers, in.Labels = b.providers, b.render.cat
	in.SessionDays, in.RetentionDays = int(b.cfg.SessionTTL/(24*time.Hour)), int(b.cfg.CaseRetention/(24*time.Hour))
	var ft followTurn
	res, committed, err := b.store.Apply(ctx, inc.Chat, inc.UpdateID, func(s flows.Session) (flows.Result, error) {
		ft = followTurn{}
		if r, ok, err := b.followStep(ctx, s, in, &ft); ok || err != nil {
			return r, err
		} else if b.files != nil {
			s = casefile.ForFlows(s, in)
		}
		r, err := flows.Step(ctx, s, in)
		if err == nil && b.files != nil && casefile.Erases(r) {
			// the chat's cases, read before the erasure drops their index: their reminders go too
			if cases, cerr := b.store.Cases(ctx, s.Chat); cerr == nil {
				for _, k := range cases {
					ft.erased = append(ft.erased, k.ID)
				}
			}
		}
		return r, err
	})
	if err != nil {
		b.m.RedisError()
		b.m.update(kind, "retry", start, b.now())
		b.log.Warn("step not committed; the update will be delivered again", "update", inc.UpdateID, "err", err)
		b.tellRetry(ctx, inc.Chat, in.LanguageCode)
		refund(b.now()) // it comes again: count it once
		return fmt.Errorf("update %d: %w: %w", inc.UpdateID, errTransient, err)
	}
	reading := b.queueReadings(ctx, inc.Chat, in, committed.Session)
	if committed.Duplicate && !committed.Replayed {
		b.m.update(kind, "duplicate", start, b.now())
		return nil
	}
	// A replayed duplicate carries the replies of its first commit: the process that committed
	// it may have died before sending them, so they are sent (again).
	outcome := "ok"
	if committed.Replayed {
		outcome = "replayed"
		b.log.Debug("update delivered again: its replies are sent again", "update", inc.UpdateID)
	}
	lang := committed.Session.Lang
	if committed.CaseID != "" && res.Complaint() != nil && b.files != nil {
		// the document was produced: the case file starts with its question, right after it
		res.Replies = casefile.AfterDocument(res.Replies, committed.CaseID)
	}
	outs, err := b.render.render(lang, res, committed)
	if err != nil {
		// a broken catalog or template: a bug, logged; the step itself is kept
		b.log.Error("render replies", "update", inc.UpdateID, "err", err)
		b.m.update(kind, "render_error", start, b.now())
		return nil
	}
	for _, e := range res.Effects {
		switch e.Kind {
		case flows.EffectListCases:
			if os, err := b.casesMessages(ctx, inc.Chat, lang); err == nil {
				outs = append(outs, os...)
			} else {
				b.log.Warn("list cases", "err", err)
			}
		case flows.EffectLetter:
			outs = append(outs, b.letterMessages(ctx, inc.Chat, lang, e, committed.Session.LastCase)...)
		}
	}
	// the next rung's letter comes before the question whether it was filed
	outs = append(b.followLetter(ctx, lang, ft), outs...)
	// A relay may tell the complainant something (a case closed meanwhile), a screenshot queued
	// for reading is offered after this step's messages, and an update queued behind may send
	// before Telegram carries out the webhook's answer: each must come after this step's
	// messages, so none goes in the answer then.
	last := b.queue.Waiting(inc.Chat) == 0 && !reading
	for _, e := range res.Effects {
		if e.Kind == flows.EffectRelay {
			last = false
		}
	}
	sendErr := b.sendOrMerge(ctx, inc, lang, outs, last)
	b.followAfter(ctx, ft)
	if !committed.Duplicate {
		b.cancelErased(ctx, ft.erased)
	}
	if sendErr != nil {
		// committed, and a reply did not go out after the sender's retries: the update comes
		// again (Telegram's redelivery, the poller's retry) and its replay sends the rest, and
		// relays what this step relays
		b.m.update(kind, "retry", start, b.now())
		refund(b.now()) // it comes again: count it once
		b.log.Warn("a reply did not go out; the update will be handled again", "update", inc.UpdateID, "err", sendErr)
		return fmt.Errorf("update %d: %w: %w", inc.UpdateID, errTransient, sendErr)
	}
	for _, e := range res.Effects {
		if e.Kind != flows.EffectRelay || b.desk == nil {
			continue
		}
		if err := b.desk.Relay(ctx, inc.Chat, inc.message(), e.CaseID, committed.Replayed); err != nil {
			// committed, but not relayed: Telegram delivers it again, and the replay relays it
			b.m.RedisError()
			b.m.update(kind, "retry", start, b.now())
			b.log.Warn("relay to staff not done; the update will be delivered again", "update", inc.UpdateID, "err", err)
			return fmt.Errorf("update %d: %w: %w", inc.UpdateID, errTransient, err)
		}
	}
	b.m.update(kind, outcome, start, b.now())
	return nil
}

// letterMessages renders a letter of one of the chat's cases (flows.EffectLetter); a case that
// is gone (erased) gets a word saying so.
func (b *Bot) letterMessages(ctx context.Context, chat int64, lang flows.Lang, e flows.Effect, last string) []Outgoing {
	id := e.CaseID
	if id == "" {
		id = last
	}
	cases, err := b.store.Cases(ctx, chat)
	if err != nil {
		b.log.Warn("letter: cases of a chat", "err", err)
		return nil
	}
	for _, c := range cases {
		if c.ID != id {
			continue
		}
		outs, err := b.render.letter(lang, c, e.Letter)
		if err != nil {
			b.log.Error("render letter", "letter", e.Letter, "err", err)
			return nil
		}
		return outs
	}
	if text, err := b.render.plain(lang, "letter_unavailable"); err == nil {
		return []Outgoing{{Text: text}}
	}
	return nil
}

// casesMessages renders the chat's cases for /status, and their case files after the document.
func (b *Bot) casesMessages(ctx context.Context, chat int64, lang flows.Lang) ([]Outgoing, error) {
	cases, err := b.store.Cases(ctx, chat)
	if err != nil {
		return nil, fmt.Errorf("cases of a chat: %w", err)
	}
	text, err := b.render.cat.Cases(lang, cases, b.cfg.Location, htmlEscape)
	if err != nil {
		return nil, err
	}
	var out []Outgoing
	for _, part := range document.SplitHTML(text, messageLimit) { // a chat may have many cases
		out = append(out, Outgoing{Text: part})
	}
	if b.files != nil {
		more, err := b.followStatus(lang, cases)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// sendOrMerge sends an update's messages; an album item's acknowledgement waits to be merged
// with the album's other items into one. last: nothing follows them for the chat (sendLast). An
// error means a message did not go out after the sender's retries (see delivered): the update
// should come again.
func (b *Bot) sendOrMerge(ctx context.Context, inc Incoming, lang flows.Lang, outs []Outgoing, last bool) error {
	k := &deliveryKey{chat: inc.Chat, update: inc.UpdateID}
	if inc.AlbumID == "" {
		return b.sendLast(ctx, inc.Chat, outs, last, k)
	}
	var now []Outgoing
	for _, o := range outs {
		if o.Ack != nil {
			b.sendAck(ctx, inc.Chat, b.albums.add(inc.Chat, inc.AlbumID, lang, *o.Ack))
			continue
		}
		now = append(now, o)
	}
	return b.sendLast(ctx, inc.Chat, now, false, k)
}

// sendAll sends messages to a chat in order. A failure is logged, not returned: nothing would
// send them again.
func (b *Bot) sendAll(ctx context.Context, chat int64, outs []Outgoing) {
	_ = b.sendLast(ctx, chat, outs, false, nil)
}

// sendLast sends messages to a chat in order. With inReply, a lone text goes in the webhook's
// HTTP answer when that is free (webhookReply), after its turn in the rate limits: Telegram sends
// it once it has the answer, after every call made meanwhile, so only what nothing follows may
// go there.
//
// k, when set, names the update whose replies these are: the messages an earlier try of it
// delivered are not sent again, and when one does not go out after the sender's retries
// (Telegram failing, not refusing), the rest wait, what went out is recorded, and an error is
// returned, for at most maxReplyTries tries of the update: then the message is given up and
// the rest are sent. Without k a failure is logged and the rest are sent.
func (b *Bot) sendLast(ctx context.Context, chat int64, outs []Outgoing, inReply bool, k *deliveryKey) error {
	lone := inReply && len(outs) == 1 && outs[0].File == nil
	todo, retry := outs, false
	if k != nil {
		if before := b.delivered.earlier(*k); before != nil {
			todo, retry = notDelivered(outs, before), true
		}
	}
	for i, o := range todo {
		err := b.send.Do(ctx, chat, func(ctx context.Context) error {
			if o.File != nil {
				_, err := b.tg.SendDocument(ctx, &tgbot.SendDocumentParams{
					ChatID:    chat,
					Document:  &models.InputFileUpload{Filename: o.File.Name, Data: bytes.NewReader(o.File.Data)},
					Caption:   o.File.Caption,
					ParseMode: models.ParseModeHTML,
				})
				return err
			}
			p := &tgbot.SendMessageParams{ChatID: chat, Text: o.Text, ParseMode: models.ParseModeHTML}
			if o.Keyboard != nil {
				p.ReplyMarkup = botapi.Keyboard(o.Keyboard)
			}
			if lone && sendInReply(ctx, p) {
				return nil
			}
			_, err := b.api.SendMessage(ctx, p)
			return err
		})
		if err != nil {
			// the error's text may quote what was sent: log its class only
			b.log.Warn("send failed", "code", sender.Code(err), "blocked", errors.Is(err, sender.ErrBlocked))
			if k != nil && retryable(err) {
				// what this try sent before it (a message Telegram refused counts as sent:
				// sending it again would not help)
				if tries := b.delivered.add(*k, todo[:i]); tries < maxReplyTries {
					return fmt.Errorf("message %d of %d not delivered (code %d)", i+1, len(todo), sender.Code(err))
				}
				// it failed every try (a file that always times out): given up, so that the
				// chat's later updates go on
				b.log.Warn("a reply was given up", "tries", maxReplyTries, "code", sender.Code(err))
			}
		}
	}
	if retry {
		b.delivered.forget(*k)
	}
	return nil
}

// retryable reports whether a send that failed after the sender's retries may go out later:
// Telegram failed or limited it, rather than refusing it or the chat.
func retryable(err error) bool {
	switch sender.Classify(err) {
	case sender.ClassTransient, sender.ClassRateLimited:
		return true
	}
	return false
}

// answerCallback stops the button's spinner; it is answered for every press, stale ones too.
// In webhook mode the answer goes in the webhook's HTTP answer (webhookReply).
func (b *Bot) answerCallback(ctx context.Context, id string) {
	if answerInReply(ctx, id) {
		return
	}
	// through the sender like every call; chat 0: only the global limit applies
	if err := b.send.Do(ctx, 0, func(ctx context.Context) error {
		return b.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id})
	}); err != nil {
		b.log.Debug("answer callback query failed", "code", sender.Code(err))
	}
}

// tellRetry tells the user, at most once a minute, that their message could not be saved yet.
func (b *Bot) tellRetry(ctx context.Context, chat int64, langCode string) {
	if chat == 0 {
		return
	}
	now := b.now()
	b.mu.Lock()
	last, told := b.toldRetry[chat]
	if told && now.Sub(last) < time.Minute {
		b.mu.Unlock()
		return
	}
	b.toldRetry[chat] = now
	for c, t := range b.toldRetry {
		if now.Sub(t) >= time.Minute {
			delete(b.toldRetry, c)
		}
	}
	b.toldRetry[chat] = now
	b.mu.Unlock()
	text, err := b.render.plain(flows.LangFromCode(langCode), "try_again")
	if err == nil {
		b.sendAll(ctx, chat, []Outgoing{{Text: text}})
	}
}

// updateKind names an update's kind for the metrics.
func updateKind(u *models.Update) string {
	switch {
	case u.CallbackQuery != nil:
		return "callback"
	case u.Message != nil && len(u.Message.Photo) > 0:
		return "photo"
	case u.Message != nil && u.Message.Document != nil:
		return "document"
	case u.Message != nil && len(u.Message.Text) > 0 && u.Message.Text[0] == '/':
		return "command"
	case u.Message != nil && u.Message.Text != "":
		return "text"
	case u.Message != nil:
		return "other_message"
	case u.EditedMessage != nil:
		return "edited"
	}
	return "other"
}
