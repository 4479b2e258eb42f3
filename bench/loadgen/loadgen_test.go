package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/internal/redistest"
	"complaintbot/locales"
	"complaintbot/storage"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// TestLoadAgainstBot plays the script with a few users against the real bot on a real
// redis-server, and checks that every step succeeds and that the report is complete. It asserts
// no speed.
func TestLoadAgainstBot(t *testing.T) {
	srv := redistest.New(t, redistest.Config{TCP: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{
		apiAddr: "127.0.0.1:0", token: "123456:bench-token-abcdefgh", secret: "bench-secret-0123456789",
		bots: []string{"http://" + ln.Addr().String() + "/webhook"}, redisURL: srv.URL(),
		users: 3, warmup: 200 * time.Millisecond, duration: 2 * time.Second,
		stepTimeout: 10 * time.Second, readyTimeout: 30 * time.Second,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := load(ctx, cfg, w, io.Discard)
		w.CloseWithError(err)
		done <- err
	}()
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		t.Fatalf("no first line: %v", <-done)
	}
	api, ok := strings.CutPrefix(lines.Text(), "fakeapi ")
	if !ok {
		t.Fatalf("first line %q", lines.Text())
	}

	// The bot, wired as `complaintbot serve` wires it, against the load generator's fake API.
	rdb := redis.NewClient(srv.Options())
	store := storage.New(rdb, storage.Options{})
	defer store.Close()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	tg, err := botapi.NewTelegram(&http.Client{}, api, cfg.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	b, err := bot.New(bot.Config{Token: cfg.token, APIURL: api, WebhookSecret: cfg.secret, Location: time.UTC},
		bot.Deps{Telegram: tg, Store: store, Sender: sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off}),
			Catalog: cat, Docs: docs})
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: b.Handler(nil)}
	go hs.Serve(ln)
	defer hs.Close()

	var last string
	for lines.Scan() {
		last = lines.Text()
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal([]byte(last), &r); err != nil {
		t.Fatalf("last line %q: %v", last, err)
	}
	if r.Updates == 0 || r.Errors != 0 || r.Timeouts != 0 || r.NoDocument != 0 {
		t.Fatalf("report %+v", r)
	}
	if r.RedisCommandsPerUpdate == 0 || r.RedisRoundTrips == 0 || r.Latency.N != r.Updates {
		t.Fatalf("report %+v", r)
	}
}

// TestButton finds a button's callback data by its action.
func TestButton(t *testing.T) {
	markup := `{"inline_keyboard":[[{"text":"中文","callback_data":"3:zh-CN"}],[{"text":"English","callback_data":"3:en"}]]}`
	if got, ok := button(markup, "en"); !ok || got != "3:en" {
		t.Fatalf("button en = %q, %v", got, ok)
	}
	if _, ok := button(markup, "e"); ok {
		t.Fatal("a prefix of an action matched")
	}
	if _, ok := button("", "en"); ok {
		t.Fatal("no keyboard matched")
	}
}

// TestSummarize takes nearest-rank percentiles.
func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p := summarize(ds)
	if p.N != 100 || p.P50 != 50 || p.P95 != 95 || p.P99 != 99 || p.Max != 100 {
		t.Fatalf("%+v", p)
	}
}

// TestLoopbackOnly refuses addresses off this machine.
func TestLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/webhook", "http://localhost:1/x", "redis://[::1]:6379"} {
		if err := checkLoopbackURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.1:8080/webhook", "https://example.com/webhook"} {
		if checkLoopbackURL(u) == nil {
			t.Errorf("%s accepted", u)
		}
	}
}
