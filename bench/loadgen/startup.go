package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"complaintbot/internal/fakeapi"
)

// startup measures how soon a bot process serves: `loadgen startup -bin ./complaintbot -redis
// URL` starts the fake Bot API, then the bot binary in webhook mode (-runs times, one after the
// other), and reports for each run the time from starting the process to its first /healthz
// answered 200, and to its first update answered: a /start POSTed to the webhook (retried until
// the bot takes it) whose HTTP answer and first Bot API call have both arrived. /healthz is
// polled every millisecond, so the figures are at most a millisecond late.
func startup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen startup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "./complaintbot", "the bot's `binary`")
	redisURL := fs.String("redis", "memory://", "the bot's REDIS_URL (a loopback address, or memory://)")
	runs := fs.Int("runs", 5, "how many times to start the bot")
	token := fs.String("token", "123456:bench-token-abcdefgh", "the bot `token`")
	secret := fs.String("secret", "bench-secret-0123456789", "the webhook secret `token`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *redisURL != "memory://" {
		if err := checkLoopbackURL(*redisURL); err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
	}
	var first atomic.Pointer[time.Time]
	const chat = 777_000_001
	api, err := fakeapi.Start(fakeapi.Options{Addr: "127.0.0.1:0", Token: *token, Forget: true, OnCall: func(c fakeapi.Call) {
		if c.ChatID == chat {
			t := c.Received
			first.CompareAndSwap(nil, &t)
		}
	}})
	if err != nil {
		return err
	}
	defer api.Close()
	client := &http.Client{Timeout: 5 * time.Second}
	var health, answered []time.Duration
	for run := range *runs {
		port, err := freePort()
		if err != nil {
			return err
		}
		base := "http://127.0.0.1:" + port
		cmd := exec.CommandContext(ctx, *bin, "serve")
		cmd.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN="+*token, "TELEGRAM_API_URL="+api.URL(),
			"REDIS_URL="+*redisURL, "WEBHOOK_URL=https://bench.invalid/webhook", "WEBHOOK_SECRET="+*secret,
			"LISTEN_ADDR=127.0.0.1:"+port, "TELEGRAM_SEND_LIMITS=off", "LOG_LEVEL=warn")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		first.Store(nil)
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		h, a, err := measureStart(ctx, client, base, *secret, int64(run+1), chat, &first, t0)
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if err != nil {
			return fmt.Errorf("run %d: %w\n%s", run+1, err, out.String())
		}
		health, answered = append(health, h), append(answered, a)
		fmt.Fprintf(stdout, "run %d: /healthz %.1f ms, first update answered %.1f ms\n", run+1, ms(h), ms(a))
	}
	sort.Slice(health, func(i, j int) bool { return health[i] < health[j] })
	sort.Slice(answered, func(i, j int) bool { return answered[i] < answered[j] })
	fmt.Fprintf(stdout, "median of %d: /healthz %.1f ms, first update answered %.1f ms\n", len(health), ms(health[len(health)/2]), ms(answered[len(answered)/2]))
	return nil
}

// measureStart polls the bot started at t0 until /healthz answers, then delivers a /start until
// it is answered and the bot's first call for the chat arrived.
func measureStart(ctx context.Context, client *http.Client, base, secret string, id, chat int64, first *atomic.Pointer[time.Time], t0 time.Time) (health, answered time.Duration, err error) {
	deadline := t0.Add(10 * time.Second)
	for {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				health = time.Since(t0)
				break
			}
		}
		if time.Now().After(deadline) {
			return 0, 0, errors.New("no /healthz within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	body, err := updateJSON(id, chat, 1, step{kind: kindCommand, arg: "/start"}, "", time.Now())
	if err != nil {
		return 0, 0, err
	}
	var done time.Time
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhook", bytes.NewReader(body))
		if err != nil {
			return 0, 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				done = time.Now()
				break
			}
		}
		if time.Now().After(deadline) {
			return 0, 0, errors.New("no update answered within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	for first.Load() == nil {
		if time.Now().After(deadline) {
			return 0, 0, errors.New("no Bot API call for the update within 10s")
		}
		time.Sleep(100 * time.Microsecond)
	}
	if f := *first.Load(); f.After(done) {
		done = f
	}
	return health, done.Sub(t0), nil
}

// freePort returns a loopback TCP port nobody listens on now.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, _ := strings.Cut(ln.Addr().String(), ":")
	return port, nil
}
