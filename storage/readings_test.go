package storage

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
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

func TestErasureDropsReadingsRedisServer(t *testing.T) { testErasureDropsReadings(t, realRedis) }

func TestErasureDropsReadingsEmbedded(t *testing.T) { testErasureDropsReadings(t, embeddedRedis) }

// testErasureDropsReadings: /delete forgets the chat's screenshots still waiting to be read
// (the chat id and Telegram's file id of each), as it does the rest of what the user gave,
// and leaves other chats' alone, those of a chat whose id begins with the same digits too.
func testErasureDropsReadings(t *testing.T, newRedis factory) {
	r := newRedis(t, Options{})
	ctx := testCtx(t)
	now := reminderBase
	jobs := []ReadingJob{
		{Chat: testChat, Unique: "AgADm1", FileID: "file-of-the-erased-1"},
		{Chat: testChat, Unique: "AgADm2", FileID: "file-of-the-erased-2"},
		{Chat: testChat + 1, Unique: "AgADo1", FileID: "file-of-another"},
		{Chat: testChat * 10, Unique: "AgADo2", FileID: "file-of-a-longer-id"},
	}
	for _, j := range jobs {
		if _, err := r.EnqueueReading(ctx, j, now); err != nil {
			t.Fatal(err)
		}
	}
	erase := func(s flows.Session) (flows.Result, error) {
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectErase}}}, nil
	}
	if _, _, err := r.Apply(ctx, testChat, 301, erase); err != nil {
		t.Fatal(err)
	}
	for k, v := range dump(t, r) {
		if strings.Contains(k+v, "of-the-erased") || strings.Contains(k+v, "AgADm") {
			t.Errorf("after /delete %s holds the erased chat's screenshot: %q", k, v)
		}
	}
	got, err := r.ClaimReadings(ctx, now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, j := range got {
		left = append(left, j.FileID)
	}
	slices.Sort(left)
	if want := []string{"file-of-a-longer-id", "file-of-another"}; !slices.Equal(left, want) {
		t.Errorf("after /delete the jobs left are %v, want %v", left, want)
	}
}

func TestReadingsPerChatRedisServer(t *testing.T) { testReadingsPerChat(t, realRedis) }

func TestReadingsPerChatEmbedded(t *testing.T) { testReadingsPerChat(t, embeddedRedis) }

// testReadingsPerChat: one chat has at most MaxQueuedReadings screenshots waiting, so that a
// flood of photos cannot hold every other chat's readings back; another chat is not bounded
// by it, a job done makes room, and an erasure empties the chat's count.
func testReadingsPerChat(t *testing.T, newRedis factory) {
	r := newRedis(t, Options{})
	ctx := testCtx(t)
	now := reminderBase
	job := func(chat int64, i int) ReadingJob {
		return ReadingJob{Chat: chat, Unique: "AgAD" + strconv.Itoa(i), FileID: "file-" + strconv.Itoa(i)}
	}
	queued := 0
	for i := range MaxQueuedReadings + 5 {
		ok, err := r.EnqueueReading(ctx, job(testChat, i), now)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			queued++
		}
	}
	if queued != MaxQueuedReadings {
		t.Fatalf("one chat queued %d screenshots, want %d", queued, MaxQueuedReadings)
	}
	if ok, err := r.EnqueueReading(ctx, job(testChat+1, 0), now); !ok || err != nil {
		t.Fatalf("another chat's screenshot was refused: %v %v", ok, err)
	}
	got, err := r.ClaimReadings(ctx, now, time.Minute, 1)
	if err != nil || len(got) != 1 || got[0].Chat != testChat {
		t.Fatalf("claim: %+v %v", got, err)
	}
	if ok, err := r.DoneReading(ctx, got[0]); !ok || err != nil {
		t.Fatalf("done: %v %v", ok, err)
	}
	if ok, _ := r.EnqueueReading(ctx, job(testChat, 100), now); !ok {
		t.Fatal("a job done made no room")
	}
	if ok, _ := r.EnqueueReading(ctx, job(testChat, 101), now); ok {
		t.Fatal("the chat went past its bound")
	}
	if err := r.dropReadings(ctx, testChat); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.EnqueueReading(ctx, job(testChat, 102), now); !ok {
		t.Fatal("after an erasure the chat could not queue")
	}
}

func TestReadingsInTurnRedisServer(t *testing.T) { testReadingsInTurn(t, realRedis) }

func TestReadingsInTurnEmbedded(t *testing.T) { testReadingsInTurn(t, embeddedRedis) }

// testReadingsInTurn: chats are served in turn. A chat with ten screenshots queued first (a
// flood of slow images) delays a screenshot another chat sends after them by one reading, not
// ten; a chat alone is read in the order it sent; a lease run out comes back in turn too.
func testReadingsInTurn(t *testing.T, newRedis factory) {
	r := newRedis(t, Options{})
	ctx := testCtx(t)
	now := reminderBase
	flood, other, third := int64(testChat), int64(testChat+1), int64(testChat+2)
	for i := range MaxQueuedReadings {
		if ok, err := r.EnqueueReading(ctx, ReadingJob{Chat: flood, Unique: "f" + strconv.Itoa(i), FileID: "x"}, now.Add(time.Duration(i)*time.Millisecond)); !ok || err != nil {
			t.Fatalf("enqueue %d: %v %v", i, ok, err)
		}
	}
	later := now.Add(time.Second)
	for _, j := range []ReadingJob{{Chat: other, Unique: "o0", FileID: "x"}, {Chat: other, Unique: "o1", FileID: "x"}, {Chat: third, Unique: "t0", FileID: "x"}} {
		if ok, err := r.EnqueueReading(ctx, j, later); !ok || err != nil {
			t.Fatalf("enqueue %+v: %v %v", j, ok, err)
		}
	}
	var order []string
	for at := later; ; at = at.Add(time.Second) {
		got, err := r.ClaimReadings(ctx, at, time.Minute, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		order = append(order, got[0].Unique)
		if ok, err := r.DoneReading(ctx, got[0]); !ok || err != nil {
			t.Fatalf("done %+v: %v %v", got[0], ok, err)
		}
	}
	want := []string{"f0", "o0", "t0", "f1", "o1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"}
	if !slices.Equal(order, want) {
		t.Fatalf("read in the order %v, want %v", order, want)
	}
	// several claimed at once are taken in turn as well
	for i, j := range []ReadingJob{{Chat: flood, Unique: "g0", FileID: "x"}, {Chat: flood, Unique: "g1", FileID: "x"}, {Chat: other, Unique: "p0", FileID: "x"}} {
		if ok, err := r.EnqueueReading(ctx, j, later.Add(time.Duration(i)*time.Millisecond)); !ok || err != nil {
			t.Fatalf("enqueue %+v: %v %v", j, ok, err)
		}
	}
	got, err := r.ClaimReadings(ctx, later.Add(time.Second), time.Minute, 2)
	if err != nil || len(got) != 2 || got[0].Unique != "g0" || got[1].Unique != "p0" {
		t.Fatalf("claimed %+v %v, want g0 then p0", got, err)
	}
}
