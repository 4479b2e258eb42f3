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

// TestServeRepliesOutlastFaults: a step's third reply fails more times in a row than the sender
// tries (Telegram failing for a while), by long polling and by webhook. The step is committed;
// the update fails and comes again (the poller's retry, Telegram's redelivery), and its replay
// sends what had not gone out: the user's transcript is the same as without the fault, every
// message once and in order. The reply was given up after the sender's fifth attempt, and the
// user waited for ever (seen in CI by TestTelegramFaults).
func TestServeRepliesOutlastFaults(t *testing.T) {
	for _, mode := range []e2e.Mode{e2e.Polling, e2e.Webhook} {
		t.Run(string(mode), func(t *testing.T) {
			p := startProgram(t, programOptions{Mode: mode})
			p.TG.Retry = 200 * time.Millisecond
			ctx := testContext(t)
			const failing = "您已经把投诉书提交出去了吗"
			var mu sync.Mutex
			left := 7 // more than the sender's attempts (sender.DefaultMaxAttempts)
			p.API.SetFault(func(c fakeapi.Call) fakeapi.Fault {
				mu.Lock()
				defer mu.Unlock()
				if c.Method == "sendMessage" && c.ChatID == 7100 && strings.Contains(c.Params["text"], failing) && left > 0 {
					left--
					return fakeapi.Status(502)
				}
				return fakeapi.Fault{}
			})
			steps := e2e.Script(lakalaFiles, nil, "intake", "photo", "contact", "confirm")
			ref, u := p.TG.User(7101, "zh-hans"), p.TG.User(7100, "zh-hans")
			if err := ref.Play(ctx, steps...); err != nil {
				t.Fatal(err)
			}
			if err := u.Play(ctx, steps...); err != nil { // the last step waits for the message after the failing one
				t.Fatal(err)
			}
			mu.Lock()
			if left != 0 {
				t.Errorf("the fault hook was met %d times; want 7", 7-left)
			}
			mu.Unlock()
			// the stored session's version counts commits: the update was applied once
			if got, want := p.session(u.ID).Version, p.session(ref.ID).Version; got != want {
				t.Errorf("session version %d, the reference's %d: the update was applied again", got, want)
			}
			// every message once, in order, the case id aside
			norm := func(chat int64) []string {
				var out []string
				for _, m := range e2e.Messages(p.API, chat) {
					out = append(out, caseIDPattern.ReplaceAllString(m.Text, "C-<n>"))
				}
				return out
			}
			if got, want := norm(u.ID), norm(ref.ID); !slices.Equal(got, want) {
				t.Errorf("the transcript differs from the reference's:\n%s\n=== want\n%s", strings.Join(got, "\n---\n"), strings.Join(want, "\n---\n"))
			}
		})
	}
}

// TestServeReplyGivenUp: a message that fails every try (a file that always times out) is given
// up after the bot's tries of its update, and the chat goes on: the messages after it arrive once,
// and the user's next step is answered.
func TestServeReplyGivenUp(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Polling})
	ctx := testContext(t)
	const failing = "您已经把投诉书提交出去了吗"
	var mu sync.Mutex
	met := 0
	p.API.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "sendMessage" && strings.Contains(c.Params["text"], failing) {
			mu.Lock()
			defer mu.Unlock()
			met++
			return fakeapi.Status(502)
		}
		return fakeapi.Fault{}
	})
	u := p.TG.User(7200, "zh-hans")
	steps := append(e2e.Script(lakalaFiles, nil, "intake", "photo", "contact", "confirm"), e2e.Say("/status", "C-"))
	if err := u.Play(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if met < 2*5 { // more than one try of the update, each of the sender's attempts
		t.Errorf("the failing message was tried %d times; want every try of the update", met)
	}
	texts := e2e.Texts(e2e.Messages(p.API, u.ID))
	for _, want := range []string{"投诉书已生成", "目前暂时无法转交工作人员"} {
		if n := countContaining(texts, want); n != 1 {
			t.Errorf("%q arrived %d times; want once", want, n)
		}
	}
}

// countContaining counts the texts that contain s.
func countContaining(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}
