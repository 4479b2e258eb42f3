package bot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/locales"
)

// maxWebhookBody bounds an update's body; Telegram's are a few kilobytes.
const maxWebhookBody = 1 << 20

// bodyBuffer returns a buffer to read a webhook body into; give it back with putBody.
func (b *Bot) bodyBuffer() *bytes.Buffer {
	buf, _ := b.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = bytes.NewBuffer(make([]byte, 0, 4<<10))
	}
	buf.Reset()
	return buf
}

// putBody gives back a buffer from bodyBuffer; an outsized one is dropped.
func (b *Bot) putBody(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		b.bodies.Put(buf)
	}
}

// allowedUpdates are the update types the bot asks Telegram for.
func allowedUpdates() []string {
	return []string{models.AllowedUpdateMessage, models.AllowedUpdateEditedMessage, models.AllowedUpdateCallbackQuery}
}

// ServeHTTP is the webhook: it checks the secret, processes the update in its chat's turn, and
// only then answers — 200 when the update is done or can never be done (logged), 503 when a
// transient fault (storage down) means Telegram should deliver it again.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	if subtle.ConstantTimeCompare(got, []byte(b.cfg.WebhookSecret)) != 1 || b.cfg.WebhookSecret == "" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	buf := b.bodyBuffer()
	defer b.putBody(buf)
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxWebhookBody)); err != nil {
		b.log.Warn("webhook body refused", "err", err)
		b.m.update("invalid", "refused", b.now(), b.now())
		w.WriteHeader(http.StatusOK) // too large or cut: delivering it again would not help
		return
	}
	// the update's strings are copies: buf is reused once it returns
	inc, u, err := decodeWebhook(buf.Bytes(), b.cfg.StaffChat, b.now().In(b.cfg.Location))
	if err != nil {
		b.log.Warn("webhook body is not an update", "err", err)
		b.m.update("invalid", "refused", b.now(), b.now())
		w.WriteHeader(http.StatusOK)
		return
	}
	reply := &webhookReply{}
	if err := b.process(withWebhookReply(r.Context(), reply), u, inc); err != nil {
		reply.close()
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	reply.write(w)
}

// Process handles one update in its chat's turn and waits for it. An error means the update
// should be delivered again.
func (b *Bot) Process(ctx context.Context, u *models.Update) error {
	return b.process(ctx, u, Classify(u, b.cfg.StaffChat, b.now().In(b.cfg.Location)))
}

// process is Process of an update already classified; u is nil when the update was decoded
// only in the fields the bot reads (decodeWebhook), which is never the staff chat's.
func (b *Bot) process(ctx context.Context, u *models.Update, inc Incoming) error {
	var err error
	// the work runs to its end even if the caller gives up: a half-sent step is worse
	work := context.WithoutCancel(ctx)
	if !b.queue.Do(ctx, inc.Lane, func() { err = b.handleInTurn(work, u, inc) }) {
		return fmt.Errorf("update %d: %w: not processed (shutting down or caller gone)", inc.UpdateID, errTransient)
	}
	return err
}

// handleInTurn handles an update delivered by webhook in its chat's turn. When an update of
// the chat failed, the ones queued behind it fail too, without running, until the chat's queue
// is empty: Telegram delivers them all again, and none overtakes the one that failed.
func (b *Bot) handleInTurn(ctx context.Context, u *models.Update, inc Incoming) error {
	b.mu.Lock()
	failing := b.failing[inc.Lane]
	b.mu.Unlock()
	err := errHeld
	if !failing {
		err = b.handle(ctx, u, inc)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.queue.Waiting(inc.Lane) == 0:
		delete(b.failing, inc.Lane)
	case err != nil:
		b.failing[inc.Lane] = true
	}
	return err
}

// Setup registers the command menu in both languages and, in webhook mode, the webhook with
// its secret; in polling mode it removes any webhook, which would block getUpdates.
func (b *Bot) Setup(ctx context.Context) error {
	for _, lang := range locales.Languages() {
		var cmds []models.BotCommand
		for _, c := range []string{"start", "status", "remind", "back", "cancel", "restart", "rights", "lang", "privacy", "delete", "help"} {
			desc, err := b.render.cat.Render(lang, "command_"+c, nil, nil)
			if err != nil {
				return fmt.Errorf("render command menu: %w", err)
			}
			cmds = append(cmds, models.BotCommand{Command: c, Description: desc})
		}
		code := "zh"
		if lang == flows.LangEN {
			code = "en"
		}
		for _, lc := range []string{code, ""} {
			if lc == "" && lang != flows.LangZH {
				continue // the default menu, for every other language, is the Chinese one
			}
			if err := b.send.Do(ctx, 0, func(ctx context.Context) error {
				_, err := b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, LanguageCode: lc})
				return err
			}); err != nil {
				return fmt.Errorf("setMyCommands %s: %w", lc, err)
			}
		}
	}
	if b.cfg.WebhookURL == "" {
		if err := b.send.Do(ctx, 0, func(ctx context.Context) error {
			_, err := b.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
			return err
		}); err != nil {
			return fmt.Errorf("deleteWebhook: %w", err)
		}
		return nil
	}
	maxConns := b.cfg.WebhookMaxConnections
	if maxConns == 0 {
		maxConns = DefaultWebhookMaxConnections
	}
	return b.send.Do(ctx, 0, func(ctx context.Context) error {
		_, err := b.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL: b.cfg.WebhookURL, SecretToken: b.cfg.WebhookSecret, AllowedUpdates: allowedUpdates(),
			MaxConnections: maxConns,
		})
		if err != nil {
			return fmt.Errorf("setWebhook: %w", err)
		}
		return nil
	})
}

// Handler serves the webhook at /webhook, and /healthz, /readyz and /metrics when given.
func (b *Bot) Handler(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/webhook", b)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/readyz", b.ready)
	if metrics != nil {
		mux.Handle("/metrics", metrics)
	}
	return mux
}

// ready reports whether storage and the Bot API answer.
func (b *Bot) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := b.store.Ping(ctx); err != nil {
		http.Error(w, "storage not ready", http.StatusServiceUnavailable)
		return
	}
	if _, err := b.tg.GetMe(ctx); err != nil {
		http.Error(w, "bot api not reachable", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ready\n")
}

// Shutdown finishes the work in flight: album acknowledgements waiting are sent, queued updates
// run to their end. Call it after the webhook server stopped taking requests or polling ended.
func (b *Bot) Shutdown() {
	for _, chat := range b.albums.chats() {
		b.flushAlbum(chat)
	}
	b.queue.Close()
}
