package bot

import (
	"context"
	"sync"
)

// chatQueue runs one chat's work strictly in the order it was queued, while different chats run
// in parallel. A chat has a goroutine only while it has work queued; nothing is kept for idle
// chats, so memory does not grow with the number of chats.
type chatQueue struct {
	mu     sync.Mutex
	chats  map[int64][]func()
	wg     sync.WaitGroup
	closed bool
}

func newChatQueue() *chatQueue {
	return &chatQueue{chats: map[int64][]func(){}}
}

// Enqueue queues fn after the chat's earlier work and returns at once. It reports false when the
// queue is closed (shutting down).
func (q *chatQueue) Enqueue(chat int64, fn func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	pending, running := q.chats[chat]
	q.chats[chat] = append(pending, fn)
	if !running {
		q.wg.Add(1)
		go q.drain(chat)
	}
	return true
}

// Do runs fn in the chat's turn and waits until it has run, or ctx ends (fn still runs, in its
// turn). When the chat has no work queued, fn runs at once on the caller's goroutine: a
// webhook request's goroutine has its stack grown already, where a new goroutine would grow
// one for every update (7% of the bot's CPU under load, by `bench/run.sh profile`). Work queued for the
// chat meanwhile runs after fn, on a goroutine of its own.
func (q *chatQueue) Do(ctx context.Context, chat int64, fn func()) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if _, running := q.chats[chat]; !running {
		q.chats[chat] = nil // running, nothing behind
		q.wg.Add(1)
		q.mu.Unlock()
		func() {
			defer q.after(chat)
			fn()
		}()
		return true
	}
	q.mu.Unlock()
	done := make(chan struct{})
	if !q.Enqueue(chat, func() { defer close(done); fn() }) {
		return false
	}
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// after ends work run in place by Do: what was queued behind it is drained.
func (q *chatQueue) after(chat int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.chats[chat]) == 0 {
		delete(q.chats, chat)
		q.wg.Done()
		return
	}
	go q.drain(chat) // takes over Do's count in wg
}

// drain runs the chat's work until none is left.
func (q *chatQueue) drain(chat int64) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		pending := q.chats[chat]
		if len(pending) == 0 {
			delete(q.chats, chat)
			q.mu.Unlock()
			return
		}
		fn := pending[0]
		pending[0] = nil
		q.chats[chat] = pending[1:]
		q.mu.Unlock()
		fn()
	}
}

// Close stops taking work and waits for the queued work to finish.
func (q *chatQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}

// Waiting returns how many items of the chat wait behind the one running.
func (q *chatQueue) Waiting(chat int64) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.chats[chat])
}

// Len returns the number of queued or running items, for the metrics.
func (q *chatQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, p := range q.chats {
		n += len(p)
	}
	return n
}
