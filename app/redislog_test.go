package app

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"
)

// TestRedisLogsAsJSON: with Redis unreachable, serve fails, and every line of its log is JSON,
// go-redis's own complaint about the dial included.
func TestRedisLogsAsJSON(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": testToken,
		"TELEGRAM_API_URL":   "http://127.0.0.1:9",
		"REDIS_URL":          "redis://" + addr,
		"LISTEN_ADDR":        "127.0.0.1:0",
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var stdout, stderr lockedBuffer
	if err := Run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); err == nil {
		t.Fatal("serve ran without Redis")
	}
	fromRedis := 0
	for line := range strings.Lines(stderr.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not JSON: %s", line)
			continue
		}
		if rec["msg"] == "redis client" {
			fromRedis++
		}
	}
	if fromRedis == 0 {
		t.Errorf("no line from go-redis in the log:\n%s", stderr.String())
	}
}
