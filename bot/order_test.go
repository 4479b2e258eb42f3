package bot

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestChatQueueOrder: each chat's work runs in the order queued, one at a time, while chats run
// side by side.
func TestChatQueueOrder(t *testing.T) {
	q := newChatQueue()
	const chats, per = 50, 40
	var mu sync.Mutex
	got := map[int64][]int{}
	var running, most atomic.Int64
	busy := make([]atomic.Bool, chats)
	for i := 0; i < per; i++ {
		for c := int64(0); c < chats; c++ {
			i, c := i, c
			q.Enqueue(c, func() {
				if busy[c].Swap(true) {
					t.Errorf("chat %d ran two items at once", c)
				}
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(100 * time.Microsecond)
				mu.Lock()
				got[c] = append(got[c], i)
				mu.Unlock()
				running.Add(-1)
				busy[c].Store(false)
			})
		}
	}
	q.Close()
	for c := int64(0); c < chats; c++ {
		if len(got[c]) != per {
			t.Fatalf("chat %d ran %d items", c, len(got[c]))
		}
		for i, v := range got[c] {
			if v != i {
				t.Fatalf("chat %d ran item %d at position %d", c, v, i)
			}
		}
	}
	if most.Load() < 2 {
		t.Fatalf("chats never ran in parallel (at most %d at once)", most.Load())
	}
	if q.Len() != 0 || len(q.chats) != 0 {
		t.Fatal("idle chats kept state")
	}
	if q.Enqueue(1, func() {}) {
		t.Fatal("a closed queue took work")
	}
}

// TestChatQueueDoInPlace: Do runs at once when its chat is idle; what is queued for the chat
// meanwhile runs after it, in order; Close waits for all of it.
func TestChatQueueDoInPlace(t *testing.T) {
	q := newChatQueue()
	var mu sync.Mutex
	var order []string
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	release := make(chan struct{})
	started := make(chan struct{})
	doneA := make(chan bool)
	go func() {
		doneA <- q.Do(t.Context(), 1, func() { close(started); <-release; note("A") })
	}()
	<-started
	if q.Enqueue(1, func() { note("B") }) != true {
		t.Fatal("Enqueue refused")
	}
	doneC := make(chan bool)
	go func() { doneC <- q.Do(t.Context(), 1, func() { note("C") }) }()
	for q.Waiting(1) < 2 {
		time.Sleep(time.Millisecond)
	}
	if !q.Do(t.Context(), 2, func() { note("other chat") }) {
		t.Fatal("Do for an idle chat refused")
	}
	close(release)
	if !<-doneA || !<-doneC {
		t.Fatal("Do reported its work not run")
	}
	q.Close()
	want := []string{"other chat", "A", "B", "C"}
	if len(order) != len(want) {
		t.Fatalf("ran %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("ran %v, want %v", order, want)
		}
	}
	if q.Len() != 0 || len(q.chats) != 0 {
		t.Fatal("idle chats kept state")
	}
	if q.Do(t.Context(), 1, func() { t.Error("ran after Close") }) {
		t.Fatal("a closed queue took work")
	}
}
