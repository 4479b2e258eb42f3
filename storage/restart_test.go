package storage

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
	"complaintbot/internal/redistest"
	"complaintbot/internal/sleep"
)

// TestRestartAfterSIGKILL commits sessions, complaints and escalations from four writers while
// a consumer reads the escalation queue, kills redis-server (appendonly, fsync always) with
// SIGKILL in the middle, restarts it on the same directory and port, and checks that every
// acknowledged commit is there and that the consumer gets every escalation.
func TestRestartAfterSIGKILL(t *testing.T) {
	const (
		writers   = 4
		killAfter = 120 // acknowledged commits before the kill
	)
	srv := redistest.New(t, redistest.Config{TCP: true, AppendOnly: true})
	ctx := testCtx(t)
	o := Options{ClaimIdle: 10 * time.Millisecond}
	newRedis := func() *Redis { // with the bot's own client settings
		uo, err := ParseURL(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		r := New(redis.NewUniversalClient(uo), o)
		t.Cleanup(func() { r.Close() })
		return r
	}
	r := newRedis()

	// acked records what Redis acknowledged: the last version of each chat, the stored cases
	// and the escalated ones.
	var (
		mu        sync.Mutex
		versions  = map[int64]int64{}
		stored    = map[string]bool{}
		escalated = map[string]bool{}
		delivered = map[string]bool{}
		commits   int
	)
	killNow := make(chan struct{})
	// step cycles through: store a complaint, escalate it, change the session.
	step := func(s flows.Session) (flows.Result, error) {
		s.Prompt++
		switch s.Prompt % 3 {
		case 1:
			c := sampleComplaint(time.Now())
			c.Chat = s.Chat
			return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}}}, nil
		case 2:
			return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectEscalate, CaseID: s.LastCase}}}, nil
		}
		return flows.Result{Session: s}, nil
	}
	write := func(r *Redis, chat int64, from, to int64) error {
		for u := from; u < to; u++ {
			res, c, err := r.Apply(ctx, chat, u, step)
			if err != nil {
				return err
			}
			mu.Lock()
			versions[chat] = c.Session.Version
			if c.CaseID != "" {
				stored[c.CaseID] = true
			}
			for _, e := range res.Effects {
				if e.Kind == flows.EffectEscalate {
					escalated[e.CaseID] = true
				}
			}
			if commits++; commits == killAfter {
				close(killNow)
			}
			mu.Unlock()
		}
		return nil
	}
	consume := func(r *Redis, stop <-chan struct{}) error {
		for {
			select {
			case <-stop:
				return nil
			default:
			}
			es, err := r.ReadEscalations(ctx, "staff-a", 10, 20*time.Millisecond)
			if err != nil {
				return err
			}
			for _, e := range es {
				mu.Lock()
				delivered[e.CaseID] = true
				mu.Unlock()
				if err := r.AckEscalation(ctx, e); err != nil {
					return err
				}
			}
		}
	}

	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			if err := write(r, int64(5000+w), 1, 1_000_000); err == nil {
				t.Error("the writer never saw the server die")
			}
		})
	}
	consumerDone := make(chan error, 1)
	go func() { consumerDone <- consume(r, nil) }()
	<-killNow
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := <-consumerDone; err == nil {
		t.Fatal("the consumer never saw the server die")
	}
	mu.Lock()
	t.Logf("before the kill: %d commits acknowledged, %d cases, %d escalations, %d delivered",
		commits, len(stored), len(escalated), len(delivered))
	mu.Unlock()

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	r2 := newRedis() // a restarted bot
	if _, err := r2.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for chat, v := range versions {
		s, err := r2.Load(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		// A commit in flight at the kill may have landed without its acknowledgement.
		if s.Version < v || s.Version > v+1 {
			t.Errorf("chat %d: version %d after the restart, %d acknowledged", chat, s.Version, v)
		}
	}
	for id := range stored {
		c, err := r2.Complaint(ctx, id)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if escalated[id] && c.Status != flows.StatusEscalated {
			t.Errorf("%s: status %s, want escalated", id, c.Status)
		}
	}
	mu.Unlock()

	// The writers and the consumer carry on.
	for w := range writers {
		chat := int64(5000 + w)
		s, _ := r2.Load(ctx, chat)
		if err := write(r2, chat, 2_000_000, 2_000_000+6); err != nil {
			t.Fatalf("writing after the restart (from version %d): %v", s.Version, err)
		}
	}
	stop := make(chan struct{})
	consumerDone = make(chan error, 1)
	go func() { consumerDone <- consume(r2, stop) }()
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		mu.Lock()
		missing := 0
		for id := range escalated {
			if !delivered[id] {
				missing++
			}
		}
		mu.Unlock()
		if missing == 0 {
			break
		}
		if err := sleep.For(waitCtx, 10*time.Millisecond); err != nil {
			t.Fatalf("%d acknowledged escalations never reached the consumer", missing)
		}
	}
	close(stop)
	if err := <-consumerDone; err != nil {
		t.Fatal(err)
	}
}
