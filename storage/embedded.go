package storage

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Embedded starts an in-process Redis (miniredis) and returns a Redis on it and the function
// that stops both. It is what `chat` uses without REDIS_URL, so that `go run . chat` needs
// nothing installed, and what REDIS_URL=memory:// asks for; it warns in log that sessions,
// complaints and the escalation queue end with the process. Keys expire by the wall clock, as
// on a real server.
func Embedded(ctx context.Context, log *slog.Logger) (*Redis, func(), error) {
	return embedded(ctx, Options{Logger: log})
}

func embedded(ctx context.Context, o Options) (*Redis, func(), error) {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	m.ClockTTL(true)
	uo := clientDefaults()
	uo.Addrs = []string{m.Addr()}
	rdb := redis.NewClient(uo.Simple())
	r := New(rdb, o)
	stop := func() {
		rdb.Close()
		m.Close()
	}
	if err := r.Ping(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	r.log.WarnContext(ctx, "storage: using an in-process Redis (REDIS_URL unset or memory://): sessions, complaints and the escalation queue end with the process")
	return r, stop, nil
}
