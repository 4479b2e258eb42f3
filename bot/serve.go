package bot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/locales"
)

// maxWebhookBody bounds an update's body; Telegram's are a few kilobytes.
const maxWebhookBody = 1 << 20

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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		b.log.Warn("webhook body refused", "err", err)
		b.m.update("invalid", "refused", b.now(), b.now())
		w.WriteHeader(http.StatusOK) // too large or cut: delivering it again would not help
		return
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil {
		b.log.Warn("webhook body is not an update", "err", err)
		b.m.update("invalid", "refused", b.now(), b.now())
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := b.Process(r.Context(), &u); err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// Process handles one update in its chat's turn and waits for it. An error means the update
// should be delivered again.
func (b *Bot) Process(ctx context.Context, u *models.Update) error {
	inc := Classify(u, b.cfg.StaffChat, b.now().In(b.cfg.Location))
	var err error
	// the work runs to its end even if the caller gives up: a half-sent step is worse
	work := context.WithoutCancel(ctx)
	if !b.queue.Do(ctx, inc.Chat, func() { err = b.handle(work, u, inc) }) {
		return fmt.Errorf("update %d: %w: not processed (shutting down or caller gone)", u.ID, errTransient)
	}
	return err
}

// Poll takes updates by long polling until ctx ends. A batch's offset is confirmed only after
// every update in it was committed, so a crash loses nothing: the updates come again and the
// ones already applied are recognised as duplicates.
func (b *Bot) Poll(ctx context.Context) error {
	var offset int64
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
		}
		ups, err := b.getUpdates(ctx, offset, b.cfg.PollTimeout())
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			b.log.Warn("getUpdates failed", "err", err)
			backoff = nextBackoff(backoff)
			continue
		}
		failed := b.processBatch(ctx, ups)
		if failed {
			backoff = nextBackoff(backoff)
			continue
		}
		backoff = 0
		if n := len(ups); n > 0 {
			offset = ups[n-1].ID + 1
		}
	}
	return nil
}

// processBatch runs a batch of updates, each in its chat's turn, chats in parallel, and
// reports whether any must be delivered again.
func (b *Bot) processBatch(ctx context.Context, ups []*models.Update) bool {
	errs := make(chan error, len(ups))
	work := context.WithoutCancel(ctx)
	for _, u := range ups {
		inc := Classify(u, b.cfg.StaffChat, b.now().In(b.cfg.Location))
		if !b.queue.Enqueue(inc.Chat, func() { errs <- b.handle(work, u, inc) }) {
			errs <- errTransient
		}
	}
	failed := false
	for range ups {
		if err := <-errs; err != nil {
			failed = true
		}
	}
	return failed
}

// nextBackoff doubles a wait, from 200ms up to 10s.
func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return 200 * time.Millisecond
	}
	return min(2*d, 10*time.Second)
}

// PollTimeout is how long one getUpdates call may wait for updates.
func (c Config) PollTimeout() time.Duration {
	if c.PollWait > 0 {
		return c.PollWait
	}
	return 30 * time.Second
}

// getUpdates asks for updates after offset. go-telegram/bot's own poller confirms updates before
// they are processed, so the bot polls by itself.
func (b *Bot) getUpdates(ctx context.Context, offset int64, timeout time.Duration) ([]*models.Update, error) {
	params, err := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(timeout.Seconds()), "allowed_updates": allowedUpdates(),
	})
	if err != nil {
		return nil, fmt.Errorf("encode getUpdates: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.APIURL+"/bot"+b.cfg.Token+"/getUpdates", bytes.NewReader(params))
	if err != nil {
		return nil, fmt.Errorf("getUpdates request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", redactToken(err, b.cfg.Token))
	}
	defer resp.Body.Close()
	var r struct {
		OK          bool             `json:"ok"`
		Result      []*models.Update `json:"result"`
		Description string           `json:"description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("getUpdates answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: HTTP %d: %s", resp.StatusCode, r.Description)
	}
	return r.Result, nil
}

// redactToken keeps the token out of an error that may quote the URL.
func redactToken(err error, token string) error {
	return errors.New(strings.ReplaceAll(err.Error(), token, "***"))
}

// Setup registers the command menu in both languages and, in webhook mode, the webhook with
// its secret; in polling mode it removes any webhook, which would block getUpdates.
func (b *Bot) Setup(ctx context.Context) error {
	for _, lang := range locales.Languages() {
		var cmds []models.BotCommand
		for _, c := range []string{"start", "status", "back", "cancel", "restart", "rights", "lang", "privacy", "delete", "help"} {
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
	return b.send.Do(ctx, 0, func(ctx context.Context) error {
		_, err := b.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL: b.cfg.WebhookURL, SecretToken: b.cfg.WebhookSecret, AllowedUpdates: allowedUpdates(),
			MaxConnections: 40,
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
