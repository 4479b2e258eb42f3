package storage

import (
	"testing"
	"time"
)

func TestReadingsRedisServer(t *testing.T) { testReadings(t, realRedis) }

func TestReadingsEmbedded(t *testing.T) { testReadings(t, embeddedRedis) }

// testReadings: a job is queued once, claimed by one caller, claimed again only after its
// lease ran out (a worker that died), and forgotten by its latest claim's Done only.
func testReadings(t *testing.T, newRedis factory) {
	r := newRedis(t, Options{})
	other := sibling(t, r, Options{}) // another process
	ctx := testCtx(t)
	now := reminderBase
	const lease = time.Minute
	j := ReadingJob{Chat: 42, Unique: "AgADu1", FileID: "file-1"}
	for i, want := range []bool{true, false} {
		ok, err := r.EnqueueReading(ctx, j, now)
		if err != nil || ok != want {
			t.Fatalf("enqueue %d: %v %v, want %v", i, ok, err, want)
		}
	}
	if _, err := r.EnqueueReading(ctx, ReadingJob{Chat: 42, Unique: "a/b", FileID: "f"}, now); err == nil {
		t.Fatal("a unique id with a slash was queued")
	}
	got, err := r.ClaimReadings(ctx, now, lease, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
	c := got[0]
	if c.Chat != 42 || c.Unique != "AgADu1" || c.FileID != "file-1" || c.Attempt != 1 {
		t.Fatalf("claimed %+v", c)
	}
	if again, _ := other.ClaimReadings(ctx, now.Add(lease/2), lease, 10); len(again) != 0 {
		t.Fatalf("claimed twice within the lease: %+v", again)
	}
	// the first worker died: after the lease another claims it, and the first's Done is stale
	late, err := other.ClaimReadings(ctx, now.Add(lease+time.Second), lease, 10)
	if err != nil || len(late) != 1 || late[0].Attempt != 2 {
		t.Fatalf("reclaim: %+v %v", late, err)
	}
	if ok, err := r.DoneReading(ctx, c); ok || err != nil {
		t.Fatalf("stale done: %v %v", ok, err)
	}
	if ok, err := other.DoneReading(ctx, late[0]); !ok || err != nil {
		t.Fatalf("done: %v %v", ok, err)
	}
	if rest, _ := r.ClaimReadings(ctx, now.Add(10*lease), lease, 10); len(rest) != 0 {
		t.Fatalf("done job claimed: %+v", rest)
	}
	// once done, the same screenshot may be queued again (nothing else would read it)
	if ok, _ := r.EnqueueReading(ctx, j, now); !ok {
		t.Fatal("a done job could not be queued again")
	}
}
