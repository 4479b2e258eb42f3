// Package sleep waits for a time unless a context ends first: the one wait the bot's retries,
// backoffs and the load generator all need.
package sleep

import (
	"context"
	"time"
)

// For waits d or until ctx ends, and then returns ctx's error.
func For(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Backoff doubles a wait between retries, from 200ms up to 10s; give it 0 for the first.
func Backoff(d time.Duration) time.Duration {
	if d == 0 {
		return 200 * time.Millisecond
	}
	return min(2*d, 10*time.Second)
}
