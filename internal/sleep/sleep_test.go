package sleep_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"complaintbot/internal/sleep"
)

func TestFor(t *testing.T) {
	if err := sleep.For(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("a full wait: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleep.For(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait: %v, want context.Canceled", err)
	}
}
