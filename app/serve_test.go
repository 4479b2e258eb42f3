package app

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
)

// lockedBuffer is a bytes.Buffer safe for the program's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSmoke runs `complaintbot serve` in polling mode against the fake Bot API and a real
// redis-server: it registers its commands, answers /start, and stops cleanly on cancel.
func TestServeSmoke(t *testing.T) {
	server := redistest.New(t, redistest.Config{TCP: true})
	api := fakeapi.New(t, fakeapi.Options{Token: "123456:test-token-abcdef"})
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:test-token-abcdef",
		"TELEGRAM_API_URL":   api.URL(),
		"REDIS_URL":          server.URL(),
		"LISTEN_ADDR":        "127.0.0.1:0",
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	}()
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if _, err := api.PushUpdate(`{"message":{"message_id":1,"from":{"id":111,"is_bot":false,"first_name":"A","language_code":"zh-hans"},"chat":{"id":111,"type":"private"},"date":1763690000,"text":"/start"}}`); err != nil {
		t.Fatal(err)
	}
	c, err := api.WaitFor(wait, func(c fakeapi.Call) bool { return c.Method == "sendMessage" && c.ChatID == 111 })
	if err != nil {
		t.Fatalf("no reply: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(c.Params["text"], "您同意吗") || !strings.Contains(c.Params["reply_markup"], "lang=en") {
		t.Fatalf("reply = %+v", c.Params)
	}
	if got := len(api.CallsFor("setMyCommands")); got != 3 {
		t.Fatalf("setMyCommands called %d times, want 3 (zh, the default, en)", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(stderr.String(), "test-token-abcdef") {
		t.Fatal("the token reached the log")
	}
}
