package bot

import (
	"context"
	"html"
	"sync"
	"time"

	"complaintbot/flows"
)

// albums merges the acknowledgements of an album's items: Telegram delivers an album as one
// update per item, and the user should read "received items 3–5" once, not three messages.
// Each item is committed as it arrives; only the acknowledgement waits, until the album has
// been quiet for a moment or the chat sends something else.
type albums struct {
	mu      sync.Mutex
	wait    time.Duration
	pending map[int64]*pendingAck
	flush   func(chat int64)
}

// pendingAck is an album's acknowledgement waiting to be sent.
type pendingAck struct {
	album string
	lang  flows.Lang
	ack   ack
	timer *time.Timer
}

func newAlbums(wait time.Duration, flush func(chat int64)) *albums {
	if wait <= 0 {
		wait = time.Second
	}
	return &albums{wait: wait, pending: map[int64]*pendingAck{}, flush: flush}
}

// add merges an item's acknowledgement into its album's. When the chat was waiting on another
// album, that album's acknowledgement is returned for the caller to send first.
func (a *albums) add(chat int64, album string, lang flows.Lang, k ack) (previous *pendingAck) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pending[chat]
	if p != nil && p.album != album {
		p.timer.Stop()
		previous, p = p, nil
	}
	if p == nil {
		p = &pendingAck{album: album, lang: lang, ack: k}
		a.pending[chat] = p
		p.timer = time.AfterFunc(a.wait, func() { a.flush(chat) })
	} else {
		p.ack.From = min(p.ack.From, k.From)
		p.ack.To = max(p.ack.To, k.To)
		p.ack.Count = k.Count
		p.ack.Keyboard = k.Keyboard
		p.lang = lang
		p.timer.Reset(a.wait)
	}
	return previous
}

// take removes and returns the chat's waiting acknowledgement.
func (a *albums) take(chat int64) *pendingAck {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pending[chat]
	if p != nil {
		p.timer.Stop()
		delete(a.pending, chat)
	}
	return p
}

// chats lists the chats with an acknowledgement waiting.
func (a *albums) chats() []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	var cs []int64
	for c := range a.pending {
		cs = append(cs, c)
	}
	return cs
}

// flushAlbum is called when an album has been quiet: the acknowledgement is sent in the chat's
// turn, after anything already queued for it.
func (b *Bot) flushAlbum(chat int64) {
	b.queue.Enqueue(chat, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b.flushAlbums(ctx, chat)
	})
}

// flushAlbums sends the chat's waiting album acknowledgement now, from within the chat's turn.
func (b *Bot) flushAlbums(ctx context.Context, chat int64) {
	b.sendAck(ctx, chat, b.albums.take(chat))
}

// sendAck sends a merged album acknowledgement.
func (b *Bot) sendAck(ctx context.Context, chat int64, p *pendingAck) {
	if p == nil {
		return
	}
	key := "evidence_received_many"
	if p.ack.From == p.ack.To {
		key = "evidence_received"
	}
	text, err := b.render.cat.Render(p.lang, key, map[string]any{"From": p.ack.From, "To": p.ack.To, "Count": p.ack.Count}, html.EscapeString)
	if err != nil {
		b.log.Error("render album acknowledgement", "err", err)
		return
	}
	b.sendAll(ctx, chat, []Outgoing{{Text: text, Keyboard: p.ack.Keyboard}})
}

// htmlEscape escapes the user's text for Telegram's HTML parse mode.
func htmlEscape(s string) string { return html.EscapeString(s) }
