package sender_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"golang.org/x/time/rate"

	"complaintbot/internal/fakeapi"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// fast has no rate limits and tiny waits, so tests count calls instead of timing them.
func fast(o sender.Options) sender.Options {
	inf := sender.Limit{Rate: rate.Inf, Burst: 1}
	if o.Global == (sender.Limit{}) {
		o.Global = inf
	}
	if o.PerChat == (sender.Limit{}) {
		o.PerChat = inf
	}
	if o.PerGroup == (sender.Limit{}) {
		o.PerGroup = inf
	}
	if o.MaxRetryAfter == 0 {
		o.MaxRetryAfter = 5 * time.Millisecond
	}
	if o.Backoff == 0 {
		o.Backoff = time.Millisecond
	}
	return o
}

func newBot(t *testing.T) (*fakeapi.Server, *tgbot.Bot) {
	t.Helper()
	srv := fakeapi.New(t, fakeapi.Options{})
	b, err := botapi.NewTelegram(&http.Client{}, srv.URL(), "1:test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return srv, b
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// sendText is the closure callers write: the request is built inside, once per attempt.
func sendText(b *tgbot.Bot, chatID int64, text string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: text})
		return err
	}
}

// perChatFaults answers the n-th sendMessage attempt to each chat with faults[n], then
// normally.
func perChatFaults(faults ...fakeapi.Fault) func(fakeapi.Call) fakeapi.Fault {
	var mu sync.Mutex
	seen := map[int64]int{}
	return func(c fakeapi.Call) fakeapi.Fault {
		if c.Method != "sendMessage" {
			return fakeapi.Fault{}
		}
		mu.Lock()
		defer mu.Unlock()
		n := seen[c.ChatID]
		seen[c.ChatID]++
		if n < len(faults) {
			return faults[n]
		}
		return fakeapi.Fault{}
	}
}

func TestRetriesDeliverOnceInOrderPerChat(t *testing.T) {
	srv, b := newBot(t)
	srv.SetFault(perChatFaults(fakeapi.TooManyRequests(1), fakeapi.Status(500), fakeapi.Status(502)))
	var mu sync.Mutex
	codes := map[int]int{}
	s := sender.New(fast(sender.Options{Metrics: func(method string, code int) {
		if method != "sendMessage" {
			t.Errorf("metrics method %q", method)
		}
		mu.Lock()
		codes[code]++
		mu.Unlock()
	}}))
	ctx := testCtx(t)

	chats := []int64{101, 102, 103, -1001, -1002}
	const perChat = 8
	var wg sync.WaitGroup
	for _, chat := range chats {
		wg.Go(func() {
			for i := range perChat {
				if err := s.DoMethod(ctx, chat, "sendMessage", sendText(b, chat, fmt.Sprintf("m%d", i))); err != nil {
					t.Errorf("chat %d message %d: %v", chat, i, err)
				}
			}
		})
	}
	wg.Wait()

	for _, chat := range chats {
		calls := srv.CallsToChat(chat)
		var got []string
		for _, c := range calls {
			got = append(got, c.Params["text"])
		}
		want := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("chat %d delivered %v, want %v exactly once in order", chat, got, want)
		}
	}
	if n := len(srv.Faults()); n != 3*len(chats) {
		t.Errorf("faulted attempts = %d, want %d", n, 3*len(chats))
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[int]int{200: perChat * len(chats), 429: len(chats), 500: len(chats), 502: len(chats)}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("metrics codes = %v, want %v", codes, want)
	}
}

func TestTransportFaultsRetried(t *testing.T) {
	srv, b := newBot(t)
	srv.SetFault(perChatFaults(
		fakeapi.Drop(),
		fakeapi.Malformed(),
		fakeapi.Fault{Kind: fakeapi.FaultStatus, Status: 502, Body: "<html><center>502 Bad Gateway</center></html>"},
		fakeapi.Status(503),
		fakeapi.Hang(),
	))
	s := sender.New(fast(sender.Options{MaxAttempts: 6, AttemptTimeout: time.Second}))
	if err := s.Do(testCtx(t), 5, sendText(b, 5, "hello")); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if n := len(srv.CallsFor("sendMessage")); n != 1 {
		t.Errorf("delivered %d times, want 1", n)
	}
	if err := srv.WaitUntil(testCtx(t), func() bool { return len(srv.Faults()) == 5 }); err != nil {
		t.Errorf("faults = %d, want 5: %v", len(srv.Faults()), err)
	}
}

func TestBlockedNotRetried(t *testing.T) {
	for _, fault := range []fakeapi.Fault{
		fakeapi.Blocked(),
		{Kind: fakeapi.FaultStatus, Status: 403, Description: "Forbidden: user is deactivated"},
	} {
		t.Run(fault.Description+string(fault.Kind), func(t *testing.T) {
			srv, b := newBot(t)
			srv.SetFault(func(fakeapi.Call) fakeapi.Fault { return fault })
			s := sender.New(fast(sender.Options{}))
			err := s.Do(testCtx(t), 77, sendText(b, 77, "x"))
			if !errors.Is(err, sender.ErrBlocked) || sender.Code(err) != 403 {
				t.Fatalf("err = %v, want ErrBlocked", err)
			}
			if n := len(srv.Faults()); n != 1 {
				t.Errorf("attempts = %d, want 1", n)
			}
		})
	}
}

func TestClientErrorsNotRetried(t *testing.T) {
	srv, b := newBot(t)
	srv.SetFault(func(fakeapi.Call) fakeapi.Fault { return fakeapi.BadRequest("message is too long") })
	s := sender.New(fast(sender.Options{}))
	err := s.Do(testCtx(t), 8, sendText(b, 8, "x"))
	if errors.Is(err, sender.ErrBlocked) || sender.Code(err) != 400 {
		t.Errorf("err = %v (code %d), want bad request", err, sender.Code(err))
	}
	if n := len(srv.Faults()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}

	// The fake's own validation is a 400 as well: unescaped HTML.
	srv.SetFault(nil)
	err = s.Do(testCtx(t), 8, func(ctx context.Context) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 8, Text: "<script>", ParseMode: "HTML"})
		return err
	})
	if sender.Code(err) != 400 || len(srv.Faults()) != 2 {
		t.Errorf("err = %v after %d attempts", err, len(srv.Faults()))
	}

	// An error from the caller's own code is not retried either, marked or not.
	for _, callErr := range []error{errors.New("render failed"), sender.Permanent(io.ErrUnexpectedEOF)} {
		calls := 0
		err := s.Do(testCtx(t), 8, func(context.Context) error { calls++; return callErr })
		if !errors.Is(err, callErr) || calls != 1 {
			t.Errorf("%v: err = %v after %d calls", callErr, err, calls)
		}
	}
}

func TestMigratedGroup(t *testing.T) {
	srv, b := newBot(t)
	srv.SetFault(func(fakeapi.Call) fakeapi.Fault { return fakeapi.Migrated(-1001234) })
	s := sender.New(fast(sender.Options{}))
	err := s.Do(testCtx(t), -55, sendText(b, -55, "x"))
	var me *sender.MigratedError
	if !errors.As(err, &me) || me.ChatID != -55 || me.NewChatID != -1001234 {
		t.Fatalf("err = %v, want MigratedError -55 -> -1001234", err)
	}
	if e := botapi.From(err); e == nil || e.MigrateToChatID != -1001234 {
		t.Errorf("*botapi.Error not in chain: %v", err)
	}
	if strings.Contains(err.Error(), "55") || strings.Contains(err.Error(), "1001234") {
		t.Errorf("the error names a chat: %v", err)
	}
	if n := len(srv.Faults()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	srv, b := newBot(t)
	srv.SetFault(func(fakeapi.Call) fakeapi.Fault { return fakeapi.Status(500) })
	s := sender.New(fast(sender.Options{MaxAttempts: 3}))
	err := s.Do(testCtx(t), 9, sendText(b, 9, "x"))
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") || sender.Code(err) != 500 {
		t.Errorf("err = %v (code %d)", err, sender.Code(err))
	}
	if n := len(srv.Faults()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
}

// fakeClock advances only when Do sleeps, so limits are checked without waiting.
// Use it from one goroutine at a time.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func TestRetryAfterHonouredAndCapped(t *testing.T) {
	clock := newFakeClock()
	s := sender.New(sender.Options{Clock: clock, MaxRetryAfter: 30 * time.Second, Backoff: time.Second})
	answers := []error{
		&botapi.Error{Method: "sendMessage", Code: 429, RetryAfter: 2 * time.Second},
		&tgbot.TooManyRequestsError{Message: "too many requests", RetryAfter: 120}, // go-telegram/bot's own type is read too
		nil,
	}
	calls := 0
	err := s.Do(t.Context(), 1, func(context.Context) error { calls++; return answers[calls-1] })
	if err != nil || calls != 3 {
		t.Fatalf("err = %v after %d calls", err, calls)
	}
	// Sleeps: retry_after 2 s, then the 30 s cap; the per-chat burst of 3 covers the calls.
	if fmt.Sprint(clock.slept) != "[2s 30s]" {
		t.Errorf("slept %v, want [2s 30s]", clock.slept)
	}
}

func TestGroupLimitDelaysTheTwentyFirstMessage(t *testing.T) {
	clock := newFakeClock()
	s := sender.New(sender.Options{Clock: clock}) // Telegram's default limits
	start := clock.Now()
	var at []time.Duration
	for range 41 {
		if err := s.Do(t.Context(), -100500, func(context.Context) error {
			at = append(at, clock.Now().Sub(start))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if at[2] != 0 || at[3] == 0 {
		t.Errorf("burst: messages at %v, want the first 3 at once and the 4th later", at[:4])
	}
	if at[20] < time.Minute {
		t.Errorf("21st message at %v, want at least a minute after the first", at[20])
	}
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j]-at[i] <= time.Minute; j++ {
			n++
		}
		if n > 20 {
			t.Fatalf("%d messages within a minute from %v", n, at[i])
		}
	}

	// A private chat: three at once, then one per second.
	at = at[:0]
	start = clock.Now()
	for range 5 {
		s.Do(t.Context(), 42, func(context.Context) error { at = append(at, clock.Now().Sub(start)); return nil })
	}
	if fmt.Sprint(at) != "[0s 0s 0s 1s 2s]" {
		t.Errorf("private chat sends at %v, want [0s 0s 0s 1s 2s]", at)
	}
}

func TestGlobalLimitSharedAcrossChats(t *testing.T) {
	clock := newFakeClock()
	s := sender.New(sender.Options{Clock: clock, Global: sender.Limit{Rate: 30, Burst: 30}})
	start := clock.Now()
	for chat := range int64(60) {
		s.Do(t.Context(), chat+1, func(context.Context) error { return nil })
	}
	// 30 at once, then 30 more at 30/s: the last leaves a second later.
	if got := clock.Now().Sub(start); got < 990*time.Millisecond || got > 1010*time.Millisecond {
		t.Errorf("60 chats took %v on the clock, want 1s", got)
	}
}

func TestContextCancellationStopsWaiting(t *testing.T) {
	s := sender.New(sender.Options{PerChat: sender.Limit{Rate: rate.Every(time.Hour), Burst: 1}, Backoff: time.Hour})
	ctx := t.Context()
	if err := s.Do(ctx, 3, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}

	// Waiting for the chat's limiter.
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(10*time.Millisecond, cancel)
	called := false
	err := s.Do(cctx, 3, func(context.Context) error { called = true; return nil })
	if !errors.Is(err, context.Canceled) || called {
		t.Errorf("limiter wait: err = %v, called = %v", err, called)
	}

	// Waiting to retry after a transient failure.
	cctx, cancel = context.WithCancel(ctx)
	time.AfterFunc(10*time.Millisecond, cancel)
	transient := &botapi.Error{Method: "sendMessage", Code: 500, Description: "Internal Server Error"}
	err = s.Do(cctx, 4, func(context.Context) error { return transient })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, transient) {
		t.Errorf("backoff wait: err = %v, want canceled and the last failure", err)
	}

	// Already cancelled: the call never runs.
	cctx, cancel = context.WithCancel(ctx)
	cancel()
	if err := s.Do(cctx, 0, func(context.Context) error { called = true; return nil }); !errors.Is(err, context.Canceled) || called {
		t.Errorf("cancelled ctx: err = %v, called = %v", err, called)
	}
}

func TestCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, 200},
		{&botapi.Error{Code: 429, RetryAfter: time.Second}, 429},
		{fmt.Errorf("telegram sendMessage: giving up after 5 attempts: %w", &botapi.Error{Code: 502}), 502},
		{&botapi.Error{Err: io.ErrUnexpectedEOF}, 0},
		// go-telegram/bot's typed errors, for a client built without botapi.Transport
		{&tgbot.TooManyRequestsError{RetryAfter: 1}, 429},
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tgbot.ErrorForbidden), 403},
		{fmt.Errorf("%w, Bad Request: x", tgbot.ErrorBadRequest), 400},
		{&tgbot.MigrateError{MigrateToChatID: -1}, 400},
		{fmt.Errorf("%w, Unauthorized", tgbot.ErrorUnauthorized), 401},
		{fmt.Errorf("%w, Not Found", tgbot.ErrorNotFound), 404},
		{fmt.Errorf("%w, Conflict", tgbot.ErrorConflict), 409},
		// texts are not read: a code in one counts for nothing
		{errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"), 0},
		{errors.New("mine"), 0},
	}
	for _, tc := range cases {
		if got := sender.Code(tc.err); got != tc.want {
			t.Errorf("Code(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func BenchmarkSenderDo(b *testing.B) {
	s := sender.New(sender.Options{
		Global:   sender.Limit{Rate: rate.Inf, Burst: 1},
		PerChat:  sender.Limit{Rate: rate.Inf, Burst: 1},
		PerGroup: sender.Limit{Rate: rate.Inf, Burst: 1},
	})
	ctx := context.Background()
	noop := func(context.Context) error { return nil }
	b.ReportAllocs()
	var chat int64
	for b.Loop() {
		chat = chat%1000 + 1
		if err := s.Do(ctx, chat, noop); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOutcomeUnknown(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	read := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"refused connection", &botapi.Error{Err: dial}, false},
		{"connection reset while waiting", &botapi.Error{Err: read}, true},
		{"attempt timeout", &botapi.Error{Err: context.DeadlineExceeded}, true},
		{"answer cut", &botapi.Error{Err: io.ErrUnexpectedEOF}, true},
		{"answer not JSON", &botapi.Error{Err: botapi.ErrMalformed}, true},
		{"request not built", &botapi.Error{Err: botapi.ErrRequest}, false},
		{"500 answer", &botapi.Error{Code: 500}, false},
		{"429 answer", &botapi.Error{Code: 429, RetryAfter: time.Second}, false},
		{"403 answer", &botapi.Error{Code: 403}, false},
		{"permanent", sender.Permanent(errors.New("x")), false},
	} {
		if got := sender.OutcomeUnknown(tc.err); got != tc.want {
			t.Errorf("%s: OutcomeUnknown = %v, want %v", tc.name, got, tc.want)
		}
	}
}
