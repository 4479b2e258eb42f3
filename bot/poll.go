package bot

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/internal/sleep"
	"complaintbot/telegram/botapi"
)

// While updates are being handled, getUpdates answers at once (it sends the unconfirmed ones
// again), so Poll asks again only when there is something to gain: after the offset moved (room
// for newer updates), at most every minRepoll, so that the unconfirmed updates are not fetched
// again for every one that finishes; and every repollEvery anyway, so that a chat held up at
// the window's start (a long 429 wait, a slow upload) does not hold up the others' new messages
// while fewer than 100 (getUpdates' most) arrive behind it; past that, the newest wait for it.
const (
	minRepoll   = 25 * time.Millisecond
	repollEvery = 100 * time.Millisecond
)

// errHeld is the failure of an update that did not run because an earlier update of its chat
// failed: it must not overtake that one.
var errHeld = fmt.Errorf("%w: an earlier update of the chat failed", errTransient)

// Poll takes updates by long polling until ctx ends, then waits for the updates in hand to be
// handled.
//
// Each update is queued in its chat's turn as soon as it arrives, so one chat's updates run in
// order while chats run in parallel and no chat waits for another. Telegram forgets every update
// below the offset a getUpdates call names, so the offset moves only past updates that were
// handled and committed: a crash loses nothing, and the updates that come again are recognised
// by the store as duplicates. When an update fails (storage down), the updates of its chat behind
// it do not run either; the chat's updates are taken again, in order, after a backoff.
func (b *Bot) Poll(ctx context.Context) error {
	p := &poller{
		b:       b,
		work:    context.WithoutCancel(ctx), // the work in hand runs to its end on shutdown
		entries: map[int64]*entry{},
		chats:   map[int64]*pollChat{},
		done:    make(chan *entry, 128),
		held:    map[int64]bool{},
	}
	defer p.finish()
	var backoff time.Duration
	for ctx.Err() == nil {
		// with updates in hand, Telegram answers at once (it sends them again), so the call
		// must not wait; otherwise it waits for new updates
		timeout := time.Duration(0)
		if p.running == 0 {
			timeout = b.cfg.PollTimeout()
		}
		ups, err := b.getUpdates(ctx, p.offset, timeout, 0)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn("getUpdates failed", "err", err)
			backoff = sleep.Backoff(backoff)
			p.waitFor(ctx, backoff)
			continue
		}
		backoff = 0
		p.confirmed, p.polled, p.moved = p.offset, time.Now(), false
		p.take(ups)
		p.wait(ctx)
	}
	return nil
}

// poller is Poll's state: the window of updates taken from Telegram and not confirmed yet.
type poller struct {
	b         *Bot
	work      context.Context
	offset    int64            // the first update_id Telegram has not been told is done
	confirmed int64            // the offset the last getUpdates call named
	polled    time.Time        // when that call was made
	moved     bool             // whether the offset moved since
	entries   map[int64]*entry // the window, by update_id
	ids       []int64          // the window's update_ids, ascending
	chats     map[int64]*pollChat
	running   int // entries queued and not finished
	done      chan *entry

	mu   sync.Mutex
	held map[int64]bool // chats whose queued updates must not run: an earlier one failed
}

// entry is an update in the window.
type entry struct {
	u     *models.Update
	chat  int64 // its lane (Incoming.Lane): the chat, or a staff chat topic
	state entryState
	err   error
}

// entryState is where an update in the window is.
type entryState int

// The states of an update in the window.
const (
	entryRunning  entryState = iota // queued in its chat's turn
	entryFinished                   // handled, or deliberately not: the offset may pass it
	entryFailed                     // to be taken again once its chat's retry is due
)

// pollChat is what Poll keeps about a chat with updates in the window.
type pollChat struct {
	running int           // its updates queued and not finished
	backoff time.Duration // the wait before its failed updates are taken again
	retryAt time.Time     // when they are; zero when none failed
}

// take queues the updates not in hand yet. Updates of a chat that is held (an update of it
// failed and waits for its retry) are left for later, so that they stay behind it.
func (p *poller) take(ups []*models.Update) {
	now := time.Now()
	for _, u := range ups {
		if u.ID < p.offset {
			continue
		}
		e := p.entries[u.ID]
		if e != nil && e.state != entryFailed {
			continue // running or finished
		}
		inc := Classify(u, p.b.cfg.StaffChat, p.b.now().In(p.b.cfg.Location))
		c := p.chats[inc.Lane]
		if c != nil && (p.isHeld(inc.Lane) || now.Before(c.retryAt)) {
			continue
		}
		if c == nil {
			c = &pollChat{}
			p.chats[inc.Lane] = c
		}
		if e == nil {
			e = &entry{u: u, chat: inc.Lane}
			p.entries[u.ID] = e
			// an update left for later (its chat was held) comes after newer ones
			i, _ := slices.BinarySearch(p.ids, u.ID)
			p.ids = slices.Insert(p.ids, i, u.ID)
		}
		e.state, e.err = entryRunning, nil
		p.running++
		c.running++
		if !p.b.queue.Enqueue(inc.Lane, func() { p.run(e, inc) }) {
			e.err = fmt.Errorf("update %d: %w: shutting down", u.ID, errTransient)
			p.finished(e)
		}
	}
}

// run handles an update in its chat's turn, unless an earlier update of the chat failed.
func (p *poller) run(e *entry, inc Incoming) {
	chat := e.chat
	if p.isHeld(chat) {
		e.err = errHeld
	} else if e.err = p.b.handle(p.work, e.u, inc); e.err != nil {
		p.mu.Lock()
		p.held[chat] = true
		p.mu.Unlock()
	}
	p.done <- e
}

// isHeld reports whether the chat's updates must not run.
func (p *poller) isHeld(chat int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held[chat]
}

// wait waits until it is time to ask Telegram again: with updates running, see minRepoll and
// repollEvery; with none running but a chat's failed updates waiting, until they are due;
// otherwise at once (the next call waits for new updates), or when ctx ends.
func (p *poller) wait(ctx context.Context) {
	for ctx.Err() == nil {
		var due time.Time
		switch at, retrying := p.nextRetry(); {
		case p.running > 0 && p.moved:
			due = p.polled.Add(minRepoll)
		case p.running > 0:
			due = p.polled.Add(repollEvery)
		case retrying:
			due = at
		default:
			return
		}
		d := time.Until(due)
		if d <= 0 {
			return
		}
		p.waitFor(ctx, d)
	}
}

// waitFor waits for an update to finish, for d, or for ctx to end, and takes in every update
// that finished meanwhile.
func (p *poller) waitFor(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case e := <-p.done:
		p.finished(e)
	case <-t.C:
	case <-ctx.Done():
	}
	for drained := false; !drained; {
		select {
		case e := <-p.done:
			p.finished(e)
		default:
			drained = true
		}
	}
	if p.advance() {
		p.moved = true
	}
}

// finished records an update's end. When the last running update of a chat that failed has
// ended, the chat's failed updates are due again after its backoff.
func (p *poller) finished(e *entry) {
	p.running--
	c := p.chats[e.chat]
	c.running--
	if e.err == nil {
		e.state = entryFinished
		c.backoff = 0
	} else {
		e.state = entryFailed
	}
	if c.running > 0 {
		return
	}
	p.mu.Lock()
	failed := p.held[e.chat]
	delete(p.held, e.chat)
	p.mu.Unlock()
	if failed {
		c.backoff = sleep.Backoff(c.backoff)
		c.retryAt = time.Now().Add(c.backoff)
		return
	}
	if c.backoff == 0 {
		delete(p.chats, e.chat)
	}
}

// advance moves the offset past the finished updates at the window's start, and reports
// whether it moved.
func (p *poller) advance() bool {
	moved := false
	for len(p.ids) > 0 && p.entries[p.ids[0]].state == entryFinished {
		delete(p.entries, p.ids[0])
		p.offset = p.ids[0] + 1
		p.ids = p.ids[1:]
		moved = true
	}
	if len(p.ids) == 0 {
		p.ids = nil
	}
	return moved
}

// nextRetry returns the earliest time a held chat's updates are due again.
func (p *poller) nextRetry() (time.Time, bool) {
	var at time.Time
	for _, c := range p.chats {
		if !c.retryAt.IsZero() && (at.IsZero() || c.retryAt.Before(at)) {
			at = c.retryAt
		}
	}
	return at, !at.IsZero()
}

// finish waits for the updates in hand, then tells Telegram which are done, so that a restart
// does not take them again (it would recognise them, but answer the ones storage does not
// record, such as edits, twice).
func (p *poller) finish() {
	for p.running > 0 {
		p.finished(<-p.done)
	}
	p.advance()
	if p.offset == 0 || p.offset == p.confirmed {
		return
	}
	ctx, cancel := context.WithTimeout(p.work, 5*time.Second)
	defer cancel()
	if _, err := p.b.getUpdates(ctx, p.offset, 0, 1); err != nil {
		p.b.log.Warn("confirming the last updates failed; they will come again", "err", err)
	}
}

// PollTimeout is how long one getUpdates call may wait for updates.
func (c Config) PollTimeout() time.Duration {
	if c.PollWait > 0 {
		return c.PollWait
	}
	return 30 * time.Second
}

// getUpdates asks for up to limit updates (Telegram's default of 100 when 0) from offset on,
// which also confirms every update below it. go-telegram/bot's own poller confirms updates
// before they are handled, so the bot polls by itself.
func (b *Bot) getUpdates(ctx context.Context, offset int64, timeout time.Duration, limit int) ([]*models.Update, error) {
	params := map[string]any{"offset": offset, "timeout": int(timeout.Seconds()), "allowed_updates": allowedUpdates()}
	if limit > 0 {
		params["limit"] = limit
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Second)
	defer cancel()
	var ups []*models.Update
	if err := botapi.Call(ctx, b.api, "getUpdates", params, &ups); err != nil {
		return nil, err
	}
	// Telegram sends them in order; the window relies on it
	slices.SortFunc(ups, func(a, b *models.Update) int { return int(a.ID - b.ID) })
	return ups, nil
}
