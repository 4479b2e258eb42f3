package app

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
)

// TestServeSendRetries has the fake refuse every third message to half the chats, first with
// 429 Too Many Requests (retry after 1s), then with 500 and 502, before taking it. Every chat
// still receives every message exactly once and in order: the same transcript as a chat whose
// messages all went through at once. The chats without faults are not held up by the others'
// retries, which the test measures and logs.
func TestServeSendRetries(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Polling})
	ctx := testContext(t)
	plan := []fakeapi.Fault{fakeapi.TooManyRequests(1), fakeapi.Status(500), fakeapi.Status(502)}
	type chatFaults struct{ delivered, attempt int }
	var mu sync.Mutex
	faults := map[int64]*chatFaults{}
	p.API.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method != "sendMessage" || c.ChatID%2 != 0 {
			return fakeapi.Fault{}
		}
		mu.Lock()
		defer mu.Unlock()
		f := faults[c.ChatID]
		if f == nil {
			f = &chatFaults{}
			faults[c.ChatID] = f
		}
		if f.delivered%3 == 0 && f.attempt < len(plan) {
			f.attempt++
			return plan[f.attempt-1]
		}
		f.attempt = 0
		f.delivered++
		return fakeapi.Fault{}
	})

	const chats = 8
	steps := append(first(t, askAmount), after(t, askAmount)[:3]...) // to the deduction's method
	start := time.Now()
	took := make([]time.Duration, chats)
	errs := make(chan error, chats)
	for i := range chats {
		u := p.TG.User(int64(7000+i), "zh-hans")
		go func() {
			err := u.Play(ctx, steps...)
			took[i] = time.Since(start)
			errs <- err
		}()
	}
	for range chats {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	reference := e2e.Texts(e2e.Messages(p.API, 7001))
	if len(reference) < len(steps) {
		t.Fatalf("the reference chat got %d messages", len(reference))
	}
	refused := map[int64]int{}
	for _, c := range p.API.Faults() {
		refused[c.ChatID]++
	}
	for i := range chats {
		chat := int64(7000 + i)
		if got := e2e.Texts(e2e.Messages(p.API, chat)); !slices.Equal(got, reference) {
			t.Errorf("chat %d received %d messages, not the reference's %d in order:\n%s",
				chat, len(got), len(reference), strings.Join(got, "\n---\n"))
		}
		want := 0
		if chat%2 == 0 {
			want = len(plan) * ((len(reference) + 2) / 3) // every third, from the first
		}
		if refused[chat] != want {
			t.Errorf("chat %d: %d calls refused, want %d", chat, refused[chat], want)
		}
	}
	log := p.stderr.String()
	if !strings.Contains(log, `"code":429`) {
		t.Errorf("the 429s were not logged")
	}
	p.stop(personalData...)
	var slow, fast time.Duration
	for i, d := range took {
		if i%2 == 0 {
			slow = max(slow, d)
		} else {
			fast = max(fast, d)
		}
	}
	t.Logf("%d messages per chat; the chats with faults finished in %v, the others in %v",
		len(reference), slow.Round(time.Millisecond), fast.Round(time.Millisecond))
}
