package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
)

// stallAfter is how long one simulated user or staff step may wait before a fault run counts
// as stalled: a replica restarts in seconds, a whole 100-user run takes about a minute.
const stallAfter = 2 * time.Minute

// errStalled ends a fault run's context when stallWatch found it stalled.
var errStalled = errors.New("the run stalled (see the stall dump)")

// stallWatch follows what every simulated user and staff step of a fault run is doing and what
// Telegram last delivered for it, so that a run that stops moving explains itself: who waits
// for what and since when, the last update Telegram sent for it and what the webhook answered,
// what the fake Bot API saw in that chat, what Redis holds for it, and the replicas' goroutines.
type stallWatch struct {
	f  *fleet
	mu sync.Mutex
	// actors by name ("user 700123", "staff of user 700123")
	actors map[string]*actor
	// sent is the last update Telegram delivered per place ("chat 700123", "topic 57")
	sent map[string]*delivery
}

// actor is one simulated user or staff goroutine of a run.
type actor struct {
	name   string
	doing  string
	since  time.Time
	chat   int64  // the complainant's chat
	topic  int    // the case's staff topic, once known
	caseID string // once known
	done   bool
}

// delivery is the last update Telegram delivered to one place, and how the webhook answered.
type delivery struct {
	update      int64
	what        string
	first, last time.Time
	tries       int
	status      int // the last answer's HTTP status (502: no replica, or it died)
}

// watchStalls starts watching f: the proxy reports every delivery, and a stall ends the run
// with cancel after the dump is logged.
func watchStalls(t *testing.T, ctx context.Context, f *fleet, cancel context.CancelCauseFunc) *stallWatch {
	w := &stallWatch{f: f, actors: map[string]*actor{}, sent: map[string]*delivery{}}
	f.watch.Store(w)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
			}
			if w.stalled(time.Now()) {
				w.dump(t)
				cancel(errStalled)
				return
			}
		}
	})
	t.Cleanup(func() {
		close(stop)
		wg.Wait()
		f.watch.Store(nil)
	})
	return w
}

// set records what actor name does now, in chat.
func (w *stallWatch) set(name string, chat int64, doing string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	a := w.actors[name]
	if a == nil {
		a = &actor{name: name, chat: chat}
		w.actors[name] = a
	}
	a.doing, a.since, a.done = doing, time.Now(), false
}

// place records the case and staff topic actor name works on.
func (w *stallWatch) place(name, caseID string, topic int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if a := w.actors[name]; a != nil {
		a.caseID, a.topic = caseID, topic
	}
}

// finish records that actor name is done.
func (w *stallWatch) finish(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if a := w.actors[name]; a != nil {
		a.done, a.doing, a.since = true, "done", time.Now()
	}
}

// delivered records one delivery the proxy passed on (or refused) and its answer's status.
func (w *stallWatch) delivered(body []byte, status int) {
	var u struct {
		UpdateID int64 `json:"update_id"`
		Message  *struct {
			Chat     struct{ ID int64 } `json:"chat"`
			Thread   int                `json:"message_thread_id"`
			Text     string             `json:"text"`
			Photo    []any              `json:"photo"`
			Document any                `json:"document"`
		} `json:"message"`
		CallbackQuery *struct {
			Data    string `json:"data"`
			Message struct {
				Chat   struct{ ID int64 } `json:"chat"`
				Thread int                `json:"message_thread_id"`
			} `json:"message"`
		} `json:"callback_query"`
	}
	if json.Unmarshal(body, &u) != nil {
		return
	}
	var chat int64
	var thread int
	var what string
	switch {
	case u.Message != nil:
		chat, thread = u.Message.Chat.ID, u.Message.Thread
		switch {
		case u.Message.Text != "":
			what = fmt.Sprintf("text %q", short(u.Message.Text, 40))
		case len(u.Message.Photo) > 0:
			what = "photo"
		case u.Message.Document != nil:
			what = "document"
		default:
			what = "message"
		}
	case u.CallbackQuery != nil:
		chat, thread = u.CallbackQuery.Message.Chat.ID, u.CallbackQuery.Message.Thread
		what = fmt.Sprintf("press %q", u.CallbackQuery.Data)
	default:
		return
	}
	key := placeKey(chat, thread)
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	d := w.sent[key]
	if d == nil || d.update != u.UpdateID {
		d = &delivery{update: u.UpdateID, what: what, first: now}
		w.sent[key] = d
	}
	d.tries++
	d.last, d.status = now, status
}

// placeKey names where an update belongs: a complainant's chat or a staff topic.
func placeKey(chat int64, thread int) string {
	if chat == reliabilityStaffChat {
		return fmt.Sprintf("topic %d", thread)
	}
	return fmt.Sprintf("chat %d", chat)
}

// stalled reports whether an actor has waited longer than stallAfter.
func (w *stallWatch) stalled(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range w.actors {
		if !a.done && now.Sub(a.since) > stallAfter {
			return true
		}
	}
	return false
}

// dump logs who waits for what, and writes the replicas' goroutines to a file it names.
func (w *stallWatch) dump(t *testing.T) {
	now := time.Now()
	w.mu.Lock()
	var waiting []actor
	done := 0
	for _, a := range w.actors {
		if a.done {
			done++
			continue
		}
		if now.Sub(a.since) > 20*time.Second {
			waiting = append(waiting, *a)
		}
	}
	sent := map[string]delivery{}
	for k, d := range w.sent {
		sent[k] = *d
	}
	w.mu.Unlock()
	slices.SortFunc(waiting, func(a, b actor) int { return a.since.Compare(b.since) })

	var b strings.Builder
	fmt.Fprintf(&b, "STALL: %d actors done, %d waiting more than 20 s (oldest first):\n", done, len(waiting))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc := w.f.Redis.Client(t)
	for i, a := range waiting {
		if i == 30 {
			fmt.Fprintf(&b, "... and %d more\n", len(waiting)-i)
			break
		}
		fmt.Fprintf(&b, "- %s: %s, for %s\n", a.name, a.doing, now.Sub(a.since).Round(time.Second))
		key := placeKey(a.chat, 0)
		if strings.HasPrefix(a.name, "staff") {
			key = placeKey(reliabilityStaffChat, a.topic)
		}
		if d, ok := sent[key]; ok {
			fmt.Fprintf(&b, "    last delivery to %s: update %d (%s), %d tries, first %s ago, last %s ago answered %d\n",
				key, d.update, d.what, d.tries, now.Sub(d.first).Round(time.Second), now.Sub(d.last).Round(time.Second), d.status)
		} else {
			fmt.Fprintf(&b, "    no delivery to %s\n", key)
		}
		w.apiSaw(&b, a)
		w.redisHolds(ctx, rc, &b, a)
	}
	w.pace(&b)
	for _, r := range w.f.replicas {
		fmt.Fprintf(&b, "%s: live=%v; its last warnings:\n", r.name, r.target() != "")
		var warns []string
		for line := range strings.SplitSeq(r.output(), "\n") {
			if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
				warns = append(warns, line)
			}
		}
		for _, l := range warns[max(0, len(warns)-12):] {
			fmt.Fprintf(&b, "    %s\n", short(l, 300))
		}
	}
	if path := w.goroutines(); path != "" {
		fmt.Fprintf(&b, "the replicas' goroutines (SIGQUIT): %s\n", path)
	}
	t.Log(b.String())
}

// pace writes how many calls the fake Bot API answered in each 30 seconds of the run, and how
// long it took to answer them (a slow fake slows every replica).
func (w *stallWatch) pace(b *strings.Builder) {
	calls := w.f.API.Calls()
	if len(calls) == 0 {
		return
	}
	const window = 30 * time.Second
	start := calls[0].Received
	type agg struct {
		n         int
		sum, most time.Duration
	}
	var ws []agg
	for _, c := range calls {
		i := int(c.Received.Sub(start) / window)
		for len(ws) <= i {
			ws = append(ws, agg{})
		}
		d := c.Answered.Sub(c.Received)
		ws[i].n++
		ws[i].sum += d
		ws[i].most = max(ws[i].most, d)
	}
	b.WriteString("the Bot API's pace (calls answered per 30 s, mean and longest answer time):\n   ")
	for _, a := range ws {
		if a.n == 0 {
			b.WriteString(" 0")
			continue
		}
		fmt.Fprintf(b, " %d (%s, %s)", a.n, (a.sum / time.Duration(a.n)).Round(time.Millisecond), a.most.Round(time.Millisecond))
	}
	b.WriteString("\n")
}

// apiSaw writes the last calls the fake Bot API saw for a's chat or topic.
func (w *stallWatch) apiSaw(b *strings.Builder, a actor) {
	var calls []fakeapi.Call
	if strings.HasPrefix(a.name, "staff") {
		for _, c := range w.f.API.CallsToChat(reliabilityStaffChat) {
			if a.topic != 0 && c.ThreadID == a.topic {
				calls = append(calls, c)
			}
		}
	} else {
		calls = w.f.API.CallsToChat(a.chat)
	}
	fmt.Fprintf(b, "    the Bot API saw %d calls there; the last:\n", len(calls))
	for _, c := range calls[max(0, len(calls)-4):] {
		text := c.Params["text"] + c.Params["caption"]
		if e2e.IsMessage(c) {
			text = e2e.MessageOf(c).Text
		}
		fmt.Fprintf(b, "      #%d %s %s ago %q\n", c.Seq, c.Method, time.Since(c.Received).Round(time.Second), short(text, 70))
	}
}

// redisHolds writes what Redis holds for a's chat and case.
func (w *stallWatch) redisHolds(ctx context.Context, rc *redis.Client, b *strings.Builder, a actor) {
	st := w.f.store
	outbox := rc.LLen(ctx, fmt.Sprintf("{chat:%d}:outbox", a.chat)).Val()
	s, err := st.Load(ctx, a.chat)
	fmt.Fprintf(b, "    redis: outbox %d, session state %q waiting %q (%v)", outbox, s.State, s.Waiting, err)
	id := a.caseID
	if id == "" {
		if cs, err := st.Cases(ctx, a.chat); err == nil && len(cs) > 0 {
			id = cs[0].ID
		}
	}
	if id != "" {
		c, err := st.Complaint(ctx, id)
		var events []string
		for _, h := range c.History {
			events = append(events, fmt.Sprintf("%s@%d", h.Event, h.Update))
		}
		th, _ := st.StaffThread(ctx, id)
		posted, _ := st.Posted(ctx, id)
		fmt.Fprintf(b, "; case %s status %q history %v (%v); posted %v, topic %d card %d attempts %d/%d",
			id, c.Status, events, err, posted, th.Topic, th.Card, th.TopicAttempts, th.CardAttempts)
	}
	pending, _ := st.PendingActions(ctx, reliabilityStaffChat, faultStaffer)
	for _, p := range pending {
		if p.Case == id {
			fmt.Fprintf(b, "; pending staff action %s", p.Action)
		}
	}
	b.WriteString("\n")
}

// goroutines makes every live replica print its goroutines (SIGQUIT: the Go runtime prints
// them and exits) and writes them to a file in the temporary directory; "" when none.
func (w *stallWatch) goroutines() string {
	var b strings.Builder
	for _, r := range w.f.replicas {
		r.mu.Lock()
		cmd, exited, log := r.cmd, r.exited, r.log
		r.cmd, r.addr = nil, ""
		r.mu.Unlock()
		if cmd == nil {
			continue
		}
		before := len(log.String())
		cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		fmt.Fprintf(&b, "==== %s\n%s\n", r.name, log.String()[before:])
	}
	if b.Len() == 0 {
		return ""
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("complaintbot-stall-%s.txt", time.Now().UTC().Format("20060102T150405")))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return "(not written: " + err.Error() + ")"
	}
	return path
}

// short cuts s to n characters.
func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
