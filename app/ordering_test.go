package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
)

// TestServeOrdering has 100 chats each send 20 quick messages, without waiting for answers:
// amounts ("100元", "102元", ...) alternating with /back, so that every amount's reply names
// it. Every chat must get its 20 replies exactly once and in the order sent, and the chats must
// have been served side by side. The fake answers each sendMessage after 10ms, like a nearby
// Bot API, so that parallel work shows in its record.
//
// Polling, the chats send their messages interleaved, as people typing at the same time do;
// and in a burst, each chat's 20 one after the other, as a backlog after an outage looks to
// getUpdates. By webhook, each user's client delivers one update after the other (Telegram
// waits for an update's answer before the chat's next), a hundred clients at once.
func TestServeOrdering(t *testing.T) {
	const chats, per = 100, 20
	for _, tc := range []struct {
		name  string
		mode  e2e.Mode
		burst bool
	}{
		{"polling", e2e.Polling, false},
		{"polling-burst", e2e.Polling, true},
		{"webhook", e2e.Webhook, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startProgram(t, programOptions{Mode: tc.mode})
			ctx := testContext(t)
			users := make([]*e2e.User, chats)
			for i := range users {
				users[i] = p.TG.User(int64(5000+i), "zh-hans")
			}
			// each chat first gets to the amount question
			errs := make(chan error, chats)
			toAmount := first(t, askAmount)
			for _, u := range users {
				go func() { errs <- u.Play(ctx, toAmount...) }()
			}
			for range users {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			var beforeSeq int64 // the calls so far are the conversations' beginnings
			for _, c := range p.API.Calls() {
				beforeSeq = max(beforeSeq, c.Seq)
			}
			p.API.SetLatency("sendMessage", 10*time.Millisecond)

			// then every chat sends its messages as fast as it can
			start := time.Now()
			sent, err := sendQuick(ctx, users, per, tc.burst)
			if err != nil {
				t.Fatal(err)
			}
			isReply := func(c fakeapi.Call) bool { return c.Seq > beforeSeq && e2e.IsMessage(c) }
			n := 0
			if _, err := p.API.WaitFor(ctx, func(c fakeapi.Call) bool {
				if isReply(c) {
					n++
				}
				return n == chats*per
			}); err != nil {
				t.Fatalf("%v: %d of %d replies", err, n, chats*per)
			}

			var replies []fakeapi.Call
			var latencies []time.Duration
			for _, u := range users {
				var got []fakeapi.Call
				for _, c := range p.API.CallsToChat(u.ID) {
					if isReply(c) {
						got = append(got, c)
					}
				}
				if len(got) != per {
					t.Fatalf("chat %d got %d replies, want %d: %q", u.ID, len(got), per, e2e.Texts(messagesOf(got)))
				}
				at := sent[u.ID]
				for i, c := range got {
					want := "第 1 笔扣款的金额是多少元"
					if i%2 == 0 {
						want = fmt.Sprintf("这笔 %d.00 元是哪天扣的", 100+i)
					}
					if text := c.Params["text"]; !strings.Contains(text, want) {
						t.Fatalf("chat %d reply %d = %q, want %q: replies out of order", u.ID, i, text, want)
					}
					latencies = append(latencies, c.Answered.Sub(at[i]))
				}
				replies = append(replies, got...)
			}
			f := measure(replies, start, latencies)
			t.Logf("%s: %d chats x %d messages: %s", tc.name, chats, per, f)
			if f.maxInFlight < 2 {
				t.Fatalf("the chats were never served in parallel: %s", f)
			}
		})
	}
}

// quickText is the i-th quick message: an amount, or /back to its question.
func quickText(i int) string {
	if i%2 == 0 {
		return fmt.Sprintf("%d元", 100+i)
	}
	return "/back"
}

// sendQuick has every user send per quick messages without waiting for the bot, and returns
// when each was handed over. In a burst each user sends all its messages in a row, the users at
// once; otherwise the users take turns, each sending its i-th message in round i.
func sendQuick(ctx context.Context, users []*e2e.User, per int, burst bool) (map[int64][]time.Time, error) {
	var mu sync.Mutex
	sent := map[int64][]time.Time{}
	var firstErr error
	send := func(u *e2e.User, i int) {
		now := time.Now()
		_, err := u.Text(ctx, quickText(i))
		mu.Lock()
		defer mu.Unlock()
		sent[u.ID] = append(sent[u.ID], now)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	var wg sync.WaitGroup
	if burst {
		for _, u := range users {
			wg.Go(func() {
				for i := range per {
					send(u, i)
				}
			})
		}
		wg.Wait()
		return sent, firstErr
	}
	for i := range per {
		for _, u := range users {
			wg.Go(func() { send(u, i) })
		}
		wg.Wait()
	}
	return sent, firstErr
}

// messagesOf reads calls as messages.
func messagesOf(cs []fakeapi.Call) []e2e.Message {
	var ms []e2e.Message
	for _, c := range cs {
		ms = append(ms, e2e.MessageOf(c))
	}
	return ms
}

// figures are what the ordering test measured.
type figures struct {
	replies      int
	wall         time.Duration // from the first message sent to the last reply answered
	serial       time.Duration // the sum of the replies' send times: the least a serial bot needs
	maxInFlight  int           // the most replies being sent at one instant, each to another chat
	maxActive    int           // the most chats between their first and last reply at one instant
	p50, p99, mx time.Duration // from a message handed to Telegram to its reply answered
}

func (f figures) String() string {
	return fmt.Sprintf("%d replies in %v (serial sum of sends %v, %.1fx); at most %d chats sending at one instant, %d chats active at once; "+
		"message-to-reply latency p50 %v, p99 %v, max %v",
		f.replies, f.wall.Round(time.Millisecond), f.serial.Round(time.Millisecond), float64(f.serial)/float64(f.wall),
		f.maxInFlight, f.maxActive, f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.mx.Round(time.Millisecond))
}

// measure computes the figures from the fake's record of the replies. A chat's replies are sent
// one after another, so replies in flight at the same instant are to as many different chats.
func measure(replies []fakeapi.Call, start time.Time, latencies []time.Duration) figures {
	f := figures{replies: len(replies)}
	type edge struct {
		at    time.Time
		delta int
	}
	var sends, active []edge
	first, last := map[int64]time.Time{}, map[int64]time.Time{}
	for _, c := range replies {
		f.wall = max(f.wall, c.Answered.Sub(start))
		f.serial += c.Answered.Sub(c.Received)
		sends = append(sends, edge{c.Received, 1}, edge{c.Answered, -1})
		if t, ok := first[c.ChatID]; !ok || c.Received.Before(t) {
			first[c.ChatID] = c.Received
		}
		if c.Answered.After(last[c.ChatID]) {
			last[c.ChatID] = c.Answered
		}
	}
	for chat := range first {
		active = append(active, edge{first[chat], 1}, edge{last[chat], -1})
	}
	peak := func(es []edge) int {
		// ends sort before starts at the same instant: touching intervals do not overlap
		slices.SortFunc(es, func(a, b edge) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return a.delta - b.delta
		})
		n, most := 0, 0
		for _, e := range es {
			n += e.delta
			most = max(most, n)
		}
		return most
	}
	f.maxInFlight, f.maxActive = peak(sends), peak(active)
	slices.Sort(latencies)
	if n := len(latencies); n > 0 {
		f.p50, f.p99, f.mx = latencies[n/2], latencies[n*99/100], latencies[n-1]
	}
	return f
}
