package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
)

// webhookReply is the one Bot API call a webhook request may carry in its HTTP answer, which
// Telegram makes as if the bot had called it: the answer to a button press. It saves a call to
// the Bot API for every press (about half of a conversation's updates) and takes it off the
// step's critical path; Telegram does not report whether such a call succeeded, which for
// stopping a button's spinner does not matter. The staff desk answers its own presses by the Bot API, as
// some carry an alert.
type webhookReply struct {
	mu         sync.Mutex
	callbackID string
	closed     bool // the HTTP answer is decided: too late to carry anything
}

type webhookReplyKey struct{}

// withWebhookReply returns ctx carrying r.
func withWebhookReply(ctx context.Context, r *webhookReply) context.Context {
	return context.WithValue(ctx, webhookReplyKey{}, r)
}

// answerInReply puts the answer to callback query id in the webhook's HTTP answer, if ctx is a
// webhook request's whose answer is not decided yet; it reports whether it did.
func answerInReply(ctx context.Context, id string) bool {
	r, _ := ctx.Value(webhookReplyKey{}).(*webhookReply)
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.callbackID != "" {
		return false
	}
	r.callbackID = id
	return true
}

// write closes r and writes the webhook's 200 answer, carrying the call if there is one.
func (r *webhookReply) write(w http.ResponseWriter) {
	r.mu.Lock()
	id := r.callbackID
	r.closed = true
	r.mu.Unlock()
	if id == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	body, err := json.Marshal(struct {
		Method string `json:"method"`
		ID     string `json:"callback_query_id"`
	}{"answerCallbackQuery", id})
	if err != nil { // a struct of two strings always encodes
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// close closes r without a call: the HTTP answer is not a 200.
func (r *webhookReply) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}
