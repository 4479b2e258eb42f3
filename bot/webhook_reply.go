package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	tgbot "github.com/go-telegram/bot"
)

// webhookReply is the one Bot API call a webhook request may carry in its HTTP answer, which
// Telegram makes as if the bot had called it: the answer to a button press, or else the one
// message of a step that sends exactly one text. It saves a call to the Bot API for every press
// and for most typed answers (together about four updates in five) and takes it off the step's
// critical path. Telegram does not report whether such a call succeeded: for stopping a
// button's spinner that does not matter, and a message goes there only when its id is not
// needed and nothing is sent after it for the update; it still takes its turn in the sender's
// rate limits. The staff desk answers its own presses by the Bot API, as some carry an alert.
type webhookReply struct {
	mu         sync.Mutex
	callbackID string
	message    *tgbot.SendMessageParams
	closed     bool // the HTTP answer is decided: too late to carry anything
}

type webhookReplyKey struct{}

// withWebhookReply returns ctx carrying r.
func withWebhookReply(ctx context.Context, r *webhookReply) context.Context {
	return context.WithValue(ctx, webhookReplyKey{}, r)
}

// take reserves ctx's webhook answer for one call, if ctx is a webhook request's whose answer is
// not decided and carries nothing yet; it reports whether it did. fill sets the call under the
// lock.
func take(ctx context.Context, fill func(r *webhookReply)) bool {
	r, _ := ctx.Value(webhookReplyKey{}).(*webhookReply)
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.callbackID != "" || r.message != nil {
		return false
	}
	fill(r)
	return true
}

// answerInReply puts the answer to callback query id in the webhook's HTTP answer, if ctx is a
// webhook request's whose answer is not decided yet; it reports whether it did.
func answerInReply(ctx context.Context, id string) bool {
	return take(ctx, func(r *webhookReply) { r.callbackID = id })
}

// sendInReply puts the message in the webhook's HTTP answer, under the same conditions.
func sendInReply(ctx context.Context, p *tgbot.SendMessageParams) bool {
	return take(ctx, func(r *webhookReply) { r.message = p })
}

// write closes r and writes the webhook's 200 answer, carrying the call if there is one.
func (r *webhookReply) write(w http.ResponseWriter) {
	r.mu.Lock()
	id, msg := r.callbackID, r.message
	r.closed = true
	r.mu.Unlock()
	var body []byte
	var err error
	switch {
	case id != "":
		body, err = json.Marshal(struct {
			Method string `json:"method"`
			ID     string `json:"callback_query_id"`
		}{"answerCallbackQuery", id})
	case msg != nil:
		body, err = json.Marshal(struct {
			Method string `json:"method"`
			*tgbot.SendMessageParams
		}{"sendMessage", msg})
	}
	if body == nil || err != nil { // nothing to carry (a message that cannot encode is a bug)
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
