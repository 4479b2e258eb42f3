package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/storage"
)

// testToken is the bot token the tests give the program and the fake.
const testToken = "123456:test-token-abcdef"

// testSecret is the webhook secret of the webhook tests.
const testSecret = "test_webhook-secret_0123456789"

// watchedBuffer is an io.Writer for the program's output that tests can wait on.
type watchedBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{} // closed and replaced on every write
}

// newWatchedBuffer returns an empty watchedBuffer.
func newWatchedBuffer() *watchedBuffer { return &watchedBuffer{changed: make(chan struct{})} }

// Write appends p and wakes the waiters.
func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return len(p), nil
}

// String returns everything written so far.
func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitMatch waits until the output matches re and returns the submatches.
func (w *watchedBuffer) waitMatch(ctx context.Context, re *regexp.Regexp) ([]string, error) {
	for {
		w.mu.Lock()
		m := re.FindStringSubmatch(w.b.String())
		changed := w.changed
		w.mu.Unlock()
		if m != nil {
			return m, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", re, ctx.Err())
		}
	}
}

// program is `complaintbot serve` running under run, against the fake Bot API and a real
// redis-server, with the simulated Telegram that drives it.
type program struct {
	t      *testing.T
	API    *fakeapi.Server
	Redis  *redistest.Server
	TG     *e2e.Telegram
	Addr   string // the listener's address
	stdout *watchedBuffer
	stderr *watchedBuffer
	cancel context.CancelFunc
	done   chan error
	store  *storage.Redis // a second client on the same Redis, for checking sessions
}

// programOptions varies a program.
type programOptions struct {
	Mode  e2e.Mode
	Env   map[string]string // settings added to (or replacing) the defaults
	Redis redistest.Config  // TCP is always set
	// Replica, when set, makes the program another replica of that one: the same redis-server
	// and fake Bot API, which goes on delivering to the first (post to this one's Addr to
	// reach it). Env is then applied over the first's settings.
	Replica *program
}

// startProgram starts the program and waits until it serves: the commands are registered and,
// by webhook, the webhook is set; the fake then delivers to the program's listener in place of
// the https address (see fakeapi.Server.SetWebhookProxy). The program is stopped, and its clean
// exit checked, when the test ends, if the test has not called stop.
func startProgram(t *testing.T, o programOptions) *program {
	t.Helper()
	o.Redis.TCP = true
	p := &program{
		t:      t,
		stdout: newWatchedBuffer(),
		stderr: newWatchedBuffer(),
		done:   make(chan error, 1),
	}
	if r := o.Replica; r != nil {
		p.Redis, p.API, p.TG = r.Redis, r.API, r.TG
	} else {
		p.Redis = redistest.New(t, o.Redis)
		p.API = fakeapi.New(t, fakeapi.Options{Token: testToken})
		p.TG = e2e.New(p.API, o.Mode)
	}
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": testToken,
		"TELEGRAM_API_URL":   p.API.URL(),
		"REDIS_URL":          p.Redis.URL(),
		"LISTEN_ADDR":        "127.0.0.1:0",
		"LOG_LEVEL":          "debug", // the most the log ever says, so the personal-data check sees it all
		// the fake has no limits; Telegram's would make a whole conversation take a minute
		"TELEGRAM_SEND_LIMITS": "off",
	}
	if o.Mode == e2e.Webhook {
		env["WEBHOOK_URL"] = "https://complaintbot.example.test/webhook"
		env["WEBHOOK_SECRET"] = testSecret
	}
	for k, v := range o.Env {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() {
		p.done <- Run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), p.stdout, p.stderr)
	}()
	t.Cleanup(func() { p.stop() })

	wait, cancelWait := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelWait()
	m, err := p.stdout.waitMatch(wait, regexp.MustCompile(`complaintbot serving \((\w+)\) on (\S+)`))
	if err != nil {
		t.Fatalf("the program did not start: %v\nstderr:\n%s", err, p.stderr.String())
	}
	if m[1] != string(o.Mode) {
		t.Fatalf("serving in %s mode, want %s", m[1], o.Mode)
	}
	p.Addr = m[2]
	if o.Mode == e2e.Webhook && o.Replica == nil {
		if got := p.API.Webhook(); got.URL != env["WEBHOOK_URL"] || got.SecretToken != testSecret || got.MaxConnections != "40" {
			t.Fatalf("webhook registered as %+v", got)
		}
		p.API.SetWebhookProxy("http://" + p.Addr)
	}
	opts, err := storage.ParseURL(p.Redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	p.store = storage.New(redis.NewUniversalClient(opts), storage.Options{})
	t.Cleanup(func() { p.store.Close() })
	return p
}

// stop cancels the program and checks that it exits without an error and that its log holds
// neither the token, nor any of the personal data the test's users typed, nor the id of any
// private chat the program wrote to.
func (p *program) stop(personal ...string) {
	p.t.Helper()
	if p.cancel == nil {
		return
	}
	p.cancel()
	p.cancel = nil
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Errorf("serve: %v\nstderr:\n%s", err, p.stderr.String())
		}
	case <-time.After(60 * time.Second):
		p.t.Errorf("serve did not stop")
	}
	log := p.stderr.String()
	for _, s := range append(personal, "test-token-abcdef") {
		if strings.Contains(log, s) {
			p.t.Errorf("the log holds %q", s)
		}
	}
	checkNoIDs(p.t, "serve", log, privateChats(p.API))
}

// session loads a chat's session from Redis.
func (p *program) session(chat int64) flows.Session {
	p.t.Helper()
	s, err := p.store.Load(context.Background(), chat)
	if err != nil {
		p.t.Fatalf("load session %d: %v", chat, err)
	}
	return s
}

// testContext bounds one test's waits: generously, so that only a hang fails it; it asserts no
// timing.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
