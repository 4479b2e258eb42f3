package bot

import (
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestFloodLimit(t *testing.T) {
	f := newFlood(2, 3)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := f.allow(1, now); !ok {
			t.Fatalf("update %d within the burst refused", i+1)
		}
	}
	if ok, tell := f.allow(1, now); ok || !tell {
		t.Errorf("beyond the burst: ok %v, tell %v; want dropped and told", ok, tell)
	}
	if ok, tell := f.allow(1, now.Add(100*time.Millisecond)); ok || tell {
		t.Errorf("again: ok %v, tell %v; want dropped, not told twice", ok, tell)
	}
	if ok, _ := f.allow(2, now); !ok {
		t.Error("another chat was limited")
	}
	if ok, _ := f.allow(1, now.Add(600*time.Millisecond)); !ok {
		t.Error("a token refilled at 2/s was refused")
	}
	if ok, tell := f.allow(1, now.Add(600*time.Millisecond)); ok || tell {
		t.Errorf("told again within a minute: %v %v", ok, tell)
	}
	if _, tell := f.allow(1, now.Add(61*time.Second+600*time.Millisecond)); tell {
		t.Error("a refilled bucket told the chat")
	}
	off := newFlood(rate.Inf, 0)
	for range 1000 {
		if ok, _ := off.allow(1, now); !ok {
			t.Fatal("rate.Inf limited")
		}
	}
}

func TestFloodRefund(t *testing.T) {
	f := newFlood(1, 2)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 5 { // a failing update delivered again and again costs nothing
		ok, _, refund := f.take(1, now)
		if !ok {
			t.Fatal("a refunded token was not given back")
		}
		refund(now)
	}
	f.allow(1, now)
	f.allow(1, now)
	if ok, _ := f.allow(1, now); ok {
		t.Error("the burst was not spent")
	}
}
