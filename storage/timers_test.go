package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/internal/redistest"
)

func TestRemindersRedisServer(t *testing.T) { testReminders(t, realRedis) }

func TestRemindersEmbedded(t *testing.T) { testReminders(t, embeddedRedis) }

// reminderBase is the tests' clock start: 18:00 China time on the 2025 National Day eve.
var reminderBase = time.Date(2025, 9, 30, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))

func claimAll(t *testing.T, r *Redis, now time.Time, owner string, lease time.Duration) []ClaimedReminder {
	t.Helper()
	got, err := r.ClaimReminders(testCtx(t), now, owner, lease, 0)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testReminders(t *testing.T, newRedis factory) {
	const lease = 10 * time.Minute
	due := reminderBase
	m := Reminder{Case: "C-000001", Kind: "due:1"}

	t.Run("not claimed before due, once when due, again only after the lease", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		if err := r.ScheduleReminder(ctx, m, due); err != nil {
			t.Fatal(err)
		}
		if got := claimAll(t, r, due.Add(-time.Millisecond), "a", lease); len(got) != 0 {
			t.Fatalf("claimed before due: %+v", got)
		}
		got := claimAll(t, r, due, "a", lease)
		if len(got) != 1 || got[0].Reminder != m || got[0].Attempt != 1 || got[0].Repeat() || !got[0].Due.Equal(due) {
			t.Fatalf("claim at due = %+v, want %s, attempt 1, due %v", got, m, due)
		}
		if again := claimAll(t, r, due.Add(lease-time.Millisecond), "b", lease); len(again) != 0 {
			t.Fatalf("claimed twice within the lease: %+v", again)
		}
		again := claimAll(t, r, due.Add(lease), "b", lease)
		if len(again) != 1 || again[0].Attempt != 2 || !again[0].Repeat() {
			t.Fatalf("claim after the lease = %+v, want attempt 2", again)
		}
		if ok, err := r.DoneReminder(ctx, got[0]); err != nil || ok {
			t.Fatalf("stale claim's DoneReminder = %v, %v; want false", ok, err)
		}
		if ok, err := r.DoneReminder(ctx, again[0]); err != nil || !ok {
			t.Fatalf("DoneReminder = %v, %v; want true", ok, err)
		}
		if left := claimAll(t, r, due.Add(24*time.Hour), "c", lease); len(left) != 0 {
			t.Fatalf("claimed after done: %+v", left)
		}
		if left := dump(t, r); len(left) != 1 { // the token counter only
			t.Errorf("keys left after done: %v", left)
		}
	})

	t.Run("rescheduling moves it and makes a claim in flight stale", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		if err := r.ScheduleReminder(ctx, m, due); err != nil {
			t.Fatal(err)
		}
		first := claimAll(t, r, due, "a", lease)
		later := due.Add(7 * 24 * time.Hour)
		if err := r.ScheduleReminder(ctx, m, later); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.DoneReminder(ctx, first[0]); err != nil || ok {
			t.Fatalf("DoneReminder of the claim before the move = %v, %v; want false", ok, err)
		}
		if got := claimAll(t, r, due.Add(2*lease), "a", lease); len(got) != 0 {
			t.Fatalf("claimed at the old time: %+v", got)
		}
		got := claimAll(t, r, later, "a", lease)
		if len(got) != 1 || got[0].Attempt != 1 || !got[0].Due.Equal(later) {
			t.Fatalf("claim at the new time = %+v, want attempt 1 due %v", got, later)
		}
		rs, err := r.Reminders(ctx, m.Case)
		if err != nil || len(rs) != 1 || !rs[m.Kind].Equal(later) {
			t.Fatalf("Reminders = %v, %v", rs, err)
		}
	})

	t.Run("cancel one, cancel a case", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		other := Reminder{Case: "C-000002", Kind: "due:1"}
		for _, x := range []Reminder{m, {Case: m.Case, Kind: "limit"}, other} {
			if err := r.ScheduleReminder(ctx, x, due); err != nil {
				t.Fatal(err)
			}
		}
		claimed := claimAll(t, r, due, "a", lease) // all three in flight
		if len(claimed) != 3 {
			t.Fatalf("claimed %d, want 3", len(claimed))
		}
		if ok, err := r.CancelReminder(ctx, other); err != nil || !ok {
			t.Fatalf("CancelReminder = %v, %v", ok, err)
		}
		if ok, err := r.CancelReminder(ctx, other); err != nil || ok {
			t.Fatalf("second CancelReminder = %v, %v; want false", ok, err)
		}
		if n, err := r.CancelReminders(ctx, m.Case); err != nil || n != 2 {
			t.Fatalf("CancelReminders = %d, %v; want 2", n, err)
		}
		for _, c := range claimed {
			if ok, err := r.DoneReminder(ctx, c); err != nil || ok {
				t.Errorf("DoneReminder(%s) after cancel = %v, %v; want false", c.Reminder, ok, err)
			}
		}
		if got := claimAll(t, r, due.Add(time.Hour), "a", lease); len(got) != 0 {
			t.Fatalf("claimed after cancel: %+v", got)
		}
		if rs, err := r.Reminders(ctx, m.Case); err != nil || len(rs) != 0 {
			t.Fatalf("Reminders after cancel = %v, %v", rs, err)
		}
	})

	t.Run("claims at most max, oldest first", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		for i := range 5 {
			x := Reminder{Case: fmt.Sprintf("C-%06d", i), Kind: "due:1"}
			if err := r.ScheduleReminder(ctx, x, due.Add(time.Duration(5-i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.ClaimReminders(ctx, due.Add(time.Hour), "a", lease, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Reminder.Case != "C-000004" || got[1].Reminder.Case != "C-000003" {
			t.Fatalf("ClaimReminders(max 2) = %+v, want C-000004 and C-000003", got)
		}
	})

	t.Run("bad reminders", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		for _, x := range []Reminder{{}, {Case: "C-1"}, {Kind: "k"}, {Case: "C/1", Kind: "k"}} {
			if err := r.ScheduleReminder(ctx, x, due); !errors.Is(err, ErrBadReminder) {
				t.Errorf("ScheduleReminder(%+v) = %v, want ErrBadReminder", x, err)
			}
		}
		if _, err := r.ClaimReminders(ctx, due, "a", 0, 1); err == nil {
			t.Error("ClaimReminders with no lease succeeded")
		}
		if _, err := ParseReminder("C-1"); !errors.Is(err, ErrBadReminder) {
			t.Errorf("ParseReminder without a kind = %v", err)
		}
		if m2, err := ParseReminder(m.String()); err != nil || m2 != m {
			t.Errorf("ParseReminder(%q) = %v, %v", m, m2, err)
		}
	})
}

// fired counts the sends of each reminder, telling first sends from repeats.
type fired struct {
	mu      sync.Mutex
	first   map[string]int
	repeats map[string]int
}

func newFired() *fired { return &fired{first: map[string]int{}, repeats: map[string]int{}} }

func (f *fired) send(c ClaimedReminder) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Repeat() {
		f.repeats[c.Reminder.String()]++
	} else {
		f.first[c.Reminder.String()]++
	}
}

// exactlyOnce fails unless each of want was sent unmarked exactly once and never as a repeat.
func (f *fired) exactlyOnce(t *testing.T, want []Reminder) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range want {
		switch n := f.first[m.String()]; {
		case n == 0:
			t.Errorf("%s never fired", m)
		case n > 1:
			t.Errorf("%s fired %d times", m, n)
		}
		if n := f.repeats[m.String()]; n > 0 {
			t.Errorf("%s fired again as a repeat %d times", m, n)
		}
	}
	if len(f.first) != len(want) {
		t.Errorf("%d reminders fired, want %d", len(f.first), len(want))
	}
}

// TestRemindersTwoReplicas runs two processes' worth of claimers (two clients, two goroutines
// each) over simulated days of due reminders: each reminder fires once.
func TestRemindersTwoReplicas(t *testing.T) {
	a := realRedis(t, Options{})
	b := sibling(t, a, Options{})
	ctx := testCtx(t)
	const n = 400
	want := make([]Reminder, n)
	for i := range want {
		want[i] = Reminder{Case: fmt.Sprintf("C-%06d", i/2), Kind: fmt.Sprintf("due:%d", i%2)}
		// spread over four days, several due in the same millisecond
		if err := a.ScheduleReminder(ctx, want[i], reminderBase.Add(time.Duration(i/3)*15*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	f := newFired()
	// Every round, the four claimers run at once at the same simulated time, an hour later
	// than the round before; replicas' clocks agree to well within the lease.
	for now := reminderBase; !now.After(reminderBase.Add(5 * 24 * time.Hour)); now = now.Add(time.Hour) {
		var wg sync.WaitGroup
		for w, r := range []*Redis{a, a, b, b} {
			owner := fmt.Sprintf("replica-%d", w)
			wg.Go(func() {
				for {
					got, err := r.ClaimReminders(ctx, now, owner, 30*time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, c := range got {
						if c.Due.After(now) {
							t.Errorf("%s claimed at %v before its due time %v", c.Reminder, now, c.Due)
						}
						f.send(c)
						if ok, err := r.DoneReminder(ctx, c); err != nil || !ok {
							t.Errorf("DoneReminder(%s) = %v, %v", c.Reminder, ok, err)
						}
					}
				}
			})
		}
		wg.Wait()
	}
	f.exactlyOnce(t, want)
}

// TestReminderRestart claims a reminder, "sends" it and dies before DoneReminder; a new client
// claims it again only after the lease, marked as a repeat, and then never again.
func TestReminderRestart(t *testing.T) {
	const lease = 5 * time.Minute
	a := realRedis(t, Options{})
	ctx := testCtx(t)
	m := Reminder{Case: "C-000042", Kind: "due:1"}
	keep := Reminder{Case: "C-000043", Kind: "due:1"} // claimed and done before the crash
	for _, x := range []Reminder{m, keep} {
		if err := a.ScheduleReminder(ctx, x, reminderBase); err != nil {
			t.Fatal(err)
		}
	}
	f := newFired()
	got := claimAll(t, a, reminderBase, "replica-a", lease)
	if len(got) != 2 {
		t.Fatalf("claimed %d, want 2", len(got))
	}
	for _, c := range got {
		f.send(c)
		if c.Reminder == keep {
			if ok, err := a.DoneReminder(ctx, c); err != nil || !ok {
				t.Fatalf("DoneReminder = %v, %v", ok, err)
			}
		}
	}
	b := sibling(t, a, Options{}) // the restarted process: a new client
	a.Close()                     // the crash: m's DoneReminder never came

	if early := claimAll(t, b, reminderBase.Add(lease-time.Millisecond), "replica-a", lease); len(early) != 0 {
		t.Fatalf("claimed again within the lease: %+v", early)
	}
	for now := reminderBase.Add(lease); now.Before(reminderBase.Add(48 * time.Hour)); now = now.Add(time.Minute) {
		for _, c := range claimAll(t, b, now, "replica-b", lease) {
			if c.Reminder != m || c.Attempt != 2 {
				t.Fatalf("after the restart claimed %+v, want %s attempt 2", c, m)
			}
			f.send(c)
			if ok, err := b.DoneReminder(ctx, c); err != nil || !ok {
				t.Fatalf("DoneReminder = %v, %v", ok, err)
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.first[m.String()] != 1 || f.repeats[m.String()] != 1 {
		t.Errorf("%s: %d first sends and %d repeats, want 1 and 1", m, f.first[m.String()], f.repeats[m.String()])
	}
	if f.first[keep.String()] != 1 || f.repeats[keep.String()] != 0 {
		t.Errorf("%s: %d first sends and %d repeats, want 1 and 0", keep, f.first[keep.String()], f.repeats[keep.String()])
	}
}

// TestRemindersCluster runs the reminder suite through a ClusterClient on three masters, which
// refuses a script whose keys span slots: every reminder key shares the tag {timers}.
func TestRemindersCluster(t *testing.T) {
	cl := redistest.NewCluster(t, 3)
	testReminders(t, func(t *testing.T, o Options) *Redis {
		t.Helper()
		cc := cl.Client(t)
		err := cc.ForEachMaster(testCtx(t), func(ctx context.Context, c *redis.Client) error {
			return c.FlushAll(ctx).Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return New(cc, o)
	})
}

// TestRemindersCrashes runs two replicas whose claimers "crash" after sending every fifth
// reminder they claim for the first time, before DoneReminder: each reminder is sent unmarked
// exactly once, and a crashed one exactly once more, marked as a repeat, after its lease.
func TestRemindersCrashes(t *testing.T) {
	const lease = 90 * time.Minute
	a := realRedis(t, Options{})
	b := sibling(t, a, Options{})
	ctx := testCtx(t)
	const n = 200
	want := make([]Reminder, n)
	for i := range want {
		want[i] = Reminder{Case: fmt.Sprintf("C-%06d", i), Kind: "due:0"}
		if err := a.ScheduleReminder(ctx, want[i], reminderBase.Add(time.Duration(i%48)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	f := newFired()
	var mu sync.Mutex
	crashed := map[string]bool{}
	for now := reminderBase; !now.After(reminderBase.Add(4 * 24 * time.Hour)); now = now.Add(30 * time.Minute) {
		var wg sync.WaitGroup
		for w, r := range []*Redis{a, b, a, b} {
			owner := fmt.Sprintf("replica-%d", w)
			wg.Go(func() {
				for {
					got, err := r.ClaimReminders(ctx, now, owner, lease, 4)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, c := range got {
						f.send(c)
						id := c.Reminder.String()
						mu.Lock()
						last := c.Reminder.Case[len(c.Reminder.Case)-1]
						crash := c.Attempt == 1 && (last == '0' || last == '5') && !crashed[id]
						if crash {
							crashed[id] = true
						}
						mu.Unlock()
						if crash {
							continue // died between the send and its record
						}
						if ok, err := r.DoneReminder(ctx, c); err != nil || !ok {
							t.Errorf("DoneReminder(%s) = %v, %v", id, ok, err)
						}
					}
				}
			})
		}
		wg.Wait()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range want {
		id := m.String()
		wantRepeats := 0
		if crashed[id] {
			wantRepeats = 1
		}
		if f.first[id] != 1 || f.repeats[id] != wantRepeats {
			t.Errorf("%s: %d unmarked sends and %d repeats, want 1 and %d", id, f.first[id], f.repeats[id], wantRepeats)
		}
	}
	if len(crashed) == 0 {
		t.Error("no claimer crashed: the test proves nothing")
	}
}
