package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// redisLog passes go-redis's own log lines (a connection pool that cannot dial, a health check
// that failed) to slog, so that under Redis faults the log stays JSON. It implements go-redis's
// internal.Logging.
//
// go-redis keeps one logger for the whole process (redis.SetLogger stores it in a package
// variable of its own), so this adapter is the one global of the wiring: useRedisLog installs it
// once and points it at the logger of the latest Run. A process runs Run once; a test that runs
// several programs in one process finds go-redis's lines in the latest one's log.
type redisLog struct {
	log atomic.Pointer[slog.Logger]
}

var (
	redisLogger     redisLog
	redisLoggerOnce sync.Once
)

// useRedisLog sends go-redis's log lines to log from now on.
func useRedisLog(log *slog.Logger) {
	redisLogger.log.Store(log)
	redisLoggerOnce.Do(func() { redis.SetLogger(&redisLogger) })
}

// Printf logs one go-redis line at warn: go-redis logs only what went wrong.
func (r *redisLog) Printf(ctx context.Context, format string, v ...any) {
	log := r.log.Load()
	if log == nil {
		return
	}
	log.WarnContext(ctx, "redis client", "detail", strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "))
}
