package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/locales"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// flakyStore keeps sessions in memory, recognises update ids it committed, records the order
// of its commits, and fails or holds an Apply when its hook says so.
type flakyStore struct {
	mu        sync.Mutex
	sessions  map[int64]flows.Session
	seen      map[int64]bool
	committed []int64 // update ids, in the order committed
	attempts  map[int64]int
	changed   chan struct{} // closed and replaced on every commit
	// hook is called before each Apply with the update and its attempt (1, 2...); an error fails
	// the Apply. It may block.
	hook func(updateID int64, attempt int) error
}

func newFlakyStore(hook func(updateID int64, attempt int) error) *flakyStore {
	return &flakyStore{sessions: map[int64]flows.Session{}, seen: map[int64]bool{}, attempts: map[int64]int{},
		changed: make(chan struct{}), hook: hook}
}

func (f *flakyStore) Apply(ctx context.Context, chat, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, flows.Committed, error) {
	f.mu.Lock()
	f.attempts[updateID]++
	attempt := f.attempts[updateID]
	f.mu.Unlock()
	if f.hook != nil {
		if err := f.hook(updateID, attempt); err != nil {
			return flows.Result{}, flows.Committed{}, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[chat]
	if !ok {
		s = flows.NewSession(chat)
	}
	if f.seen[updateID] {
		return flows.Result{Session: s}, flows.Committed{Session: s, Duplicate: true}, nil
	}
	res, err := step(s)
	if err != nil {
		return flows.Result{}, flows.Committed{}, err
	}
	res.Session.Chat, res.Session.Version = chat, s.Version+1
	f.sessions[chat] = res.Session
	f.seen[updateID] = true
	f.committed = append(f.committed, updateID)
	close(f.changed)
	f.changed = make(chan struct{})
	return res, flows.Committed{Session: res.Session}, nil
}

func (f *flakyStore) Cases(context.Context, int64) ([]flows.Complaint, error) { return nil, nil }
func (f *flakyStore) Ping(context.Context) error                              { return nil }

// waitCommitted waits until n updates were committed and returns their ids in order.
func (f *flakyStore) waitCommitted(ctx context.Context, n int) ([]int64, error) {
	for {
		f.mu.Lock()
		got, changed := slices.Clone(f.committed), f.changed
		f.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return got, fmt.Errorf("%d of %d updates committed: %w", len(got), n, ctx.Err())
		}
	}
}

// testBot is a bot on store and a fake Bot API, sending without rate limits.
func testBot(t *testing.T, store Store) (*Bot, *fakeapi.Server) {
	t.Helper()
	const token = "123456:poll-test-token"
	api := fakeapi.New(t, fakeapi.Options{Token: token})
	tg, err := botapi.NewTelegram(&http.Client{}, api.URL(), token, nil)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off})
	cfg := Config{Token: token, APIURL: api.URL(), Location: time.FixedZone("CST", 8*3600), PollWait: time.Second,
		WebhookSecret: "poll-test-secret-0123456789"}
	b, err := New(cfg, Deps{Telegram: tg, Store: store, Sender: snd, Catalog: cat, Docs: docs})
	if err != nil {
		t.Fatal(err)
	}
	return b, api
}

// helpUpdate is /help in a private chat.
func helpUpdate(id, chat int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{ID: int(id), Date: 1763690000, Text: "/help",
		From: &models.User{ID: chat, FirstName: "U"}, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}}}
}

// TestPollFailureKeepsOrder: when an update fails (storage down for it), the updates of its chat
// behind it wait and then run after it, in order, while another chat's update runs at once —
// it is committed before the failed update's retry is let through. Once all are done the offset
// confirms them to Telegram.
func TestPollFailureKeepsOrder(t *testing.T) {
	const a, b = 1, 2
	otherDone := make(chan struct{})
	store := newFlakyStore(func(id int64, attempt int) error {
		if id != 1 {
			return nil
		}
		if attempt == 1 {
			return errors.New("storage down")
		}
		<-otherDone // the retry waits for the other chat: it must not have waited for us
		return nil
	})
	bt, api := testBot(t, store)
	for _, u := range []*models.Update{helpUpdate(1, a), helpUpdate(2, a), helpUpdate(3, b), helpUpdate(4, a)} {
		if _, err := api.PushUpdate(u); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pollCtx, stop := context.WithCancel(ctx)
	polled := make(chan error, 1)
	go func() { polled <- bt.Poll(pollCtx) }()

	got, err := store.waitCommitted(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != 3 {
		t.Fatalf("first committed %v, want the other chat's update 3", got)
	}
	close(otherDone)
	if got, err = store.waitCommitted(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int64{3, 1, 2, 4}) {
		t.Fatalf("committed %v, want [3 1 2 4]: chat %d's updates in order, after chat %d's", got, a, b)
	}
	stop()
	if err := <-polled; err != nil {
		t.Fatal(err)
	}
	bt.Shutdown()
	if n := api.PendingUpdates(); n != 0 {
		t.Fatalf("%d updates not confirmed to Telegram", n)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.attempts[2] != 1 || store.attempts[4] != 1 {
		t.Fatalf("updates behind the failed one ran before it: attempts %v", store.attempts)
	}
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// TestWebhookFailureHoldsChat: an update delivered by webhook while the chat's previous update
// is failing fails too (503, delivered again) instead of overtaking it; once the chat's queue
// is empty the updates run again, in the order delivered.
func TestWebhookFailureHoldsChat(t *testing.T) {
	store := newFlakyStore(func(id int64, attempt int) error {
		if id == 1 && attempt == 1 {
			return errors.New("storage down")
		}
		return nil
	})
	bt, _ := testBot(t, store)
	defer bt.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// hold the chat's turn until both updates are queued, the first in front
	gate, holding := make(chan struct{}), make(chan struct{})
	bt.queue.Enqueue(7, func() { close(holding); <-gate })
	<-holding
	first, second := make(chan error, 1), make(chan error, 1)
	go func() { first <- bt.Process(ctx, helpUpdate(1, 7)) }()
	waitFor(ctx, t, "the first update queued", func() bool { return bt.queue.Waiting(7) == 1 })
	go func() { second <- bt.Process(ctx, helpUpdate(2, 7)) }()
	waitFor(ctx, t, "the second update queued", func() bool { return bt.queue.Waiting(7) == 2 })
	close(gate)
	if err := <-first; !errors.Is(err, errTransient) {
		t.Fatalf("first = %v, want a transient failure", err)
	}
	if err := <-second; !errors.Is(err, errTransient) {
		t.Fatalf("second = %v, want it held back", err)
	}
	for _, id := range []int64{1, 2} {
		if err := bt.Process(ctx, helpUpdate(id, 7)); err != nil {
			t.Fatalf("update %d delivered again: %v", id, err)
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if !slices.Equal(store.committed, []int64{1, 2}) || store.attempts[2] != 1 {
		t.Fatalf("committed %v, attempts %v: the second ran before the first", store.committed, store.attempts)
	}
}

// TestTryAgainOncePerMinute: while storage is down every update fails, and each chat is told to
// try again at most once a minute, however many updates it sends.
func TestTryAgainOncePerMinute(t *testing.T) {
	store := newFlakyStore(func(int64, int) error { return errors.New("storage down") })
	bt, api := testBot(t, store)
	defer bt.Shutdown()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	bt.now = func() time.Time { return now }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := int64(0)
	send := func(chat int64, after time.Duration) {
		now = now.Add(after)
		id++
		if err := bt.Process(ctx, helpUpdate(id, chat)); !errors.Is(err, errTransient) {
			t.Fatalf("update %d = %v, want a transient failure", id, err)
		}
	}
	send(1, 0)              // 0s: told
	send(2, 10*time.Second) // 10s: told
	send(1, 20*time.Second) // 30s
	send(1, 29*time.Second) // 59s
	send(2, time.Second)    // 60s: 50s after chat 2 was told
	send(1, 2*time.Second)  // 62s: a minute after chat 1 was told, so told again
	told := map[int64]int{}
	for _, c := range api.CallsFor("sendMessage") {
		told[c.ChatID]++
	}
	if told[1] != 2 || told[2] != 1 {
		t.Fatalf("told to try again %v times, want chat 1 twice and chat 2 once", told)
	}
}
