package sender

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

type steppingClock struct{ now time.Time }

func (c *steppingClock) Now() time.Time { return c.now }
func (c *steppingClock) Sleep(_ context.Context, d time.Duration) error {
	c.now = c.now.Add(d)
	return nil
}

func TestIdleChatLimitersEvicted(t *testing.T) {
	clock := &steppingClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := New(Options{Clock: clock, IdleSweep: time.Minute, Global: Limit{Rate: rate.Inf, Burst: 1}})
	noop := func(context.Context) error { return nil }
	for chat := range int64(1000) {
		if err := s.Do(t.Context(), chat+1, noop); err != nil {
			t.Fatal(err)
		}
		if err := s.Do(t.Context(), -chat-1, noop); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.chats.len(); n != 2000 {
		t.Fatalf("limiters = %d, want 2000", n)
	}
	// A busy group (25 messages take it past the one-minute sweep) keeps its limiter, its
	// bucket not being full; every idle chat's limiter goes at the sweep.
	for range 25 {
		if err := s.Do(t.Context(), -5, noop); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.chats.len(); n != 1 {
		t.Errorf("limiters after sweep = %d, want 1 (the busy group)", n)
	}
	if err := s.Do(t.Context(), 99999, noop); err != nil {
		t.Fatal(err)
	}
	if n := s.chats.len(); n != 2 {
		t.Errorf("limiters = %d, want 2", n)
	}
}
