package storage

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

// roundTrips counts the client's round trips: a command, or a pipeline, is one.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// commandCalls sums the calls of every command in INFO commandstats but INFO's and CONFIG's own:
// what a script runs counts, as well as EVALSHA itself.
func commandCalls(t *testing.T, ctx context.Context, r *Redis) (int64, map[string]int64) {
	t.Helper()
	info, err := r.rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int64{}
	var all int64
	for line := range strings.SplitSeq(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":calls=")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(name, "cmdstat_")
		if name == "info" || strings.HasPrefix(name, "config") {
			continue
		}
		calls, _, _ := strings.Cut(rest, ",")
		n, err := strconv.ParseInt(calls, 10, 64)
		if err != nil {
			t.Fatalf("commandstats line %q", line)
		}
		by[name] = n
		all += n
	}
	return all, by
}

// TestCommandsPerUpdate: an update of a chat whose session this process committed last costs one
// EVALSHA — one round trip — and six commands in all (GETRANGE, SET, ZADD, HSET, PEXPIRE), replies
// kept and the previous update's forgotten included (the target is at most 8 and 2); a session
// another process wrote meanwhile costs a conflict, a GET and the script again.
func TestCommandsPerUpdate(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	rt := &roundTrips{}
	r.rdb.AddHook(rt)
	ask := func(s flows.Session) (flows.Result, error) {
		s.Prompt++
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "ask", Args: map[string]any{"N": s.Prompt}}}}, nil
	}
	if _, _, err := r.Apply(ctx, testChat, 1, ask); err != nil {
		t.Fatal(err)
	}
	if err := r.rdb.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	rt.n.Store(0)
	const updates = 20
	for id := int64(2); id < 2+updates; id++ {
		if _, c, err := r.Apply(ctx, testChat, id, ask); err != nil || c.Duplicate {
			t.Fatalf("update %d: %+v %v", id, c, err)
		}
	}
	trips := rt.n.Load()
	all, by := commandCalls(t, ctx, r)
	if all != 6*updates {
		t.Errorf("%d commands for %d updates, want 6 each: %v", all, updates, by)
	}
	if n := trips; n != updates {
		t.Errorf("%d round trips for %d updates, want 1 each", n, updates)
	}
	// Another process applies the chat's next update: this one's kept session is stale, the
	// script refuses it, and the update after is applied on the session read again.
	if _, c, err := sibling(t, r, Options{}).Apply(ctx, testChat, 2+updates, ask); err != nil || c.Session.Version != 2+updates {
		t.Fatalf("another process: %+v %v", c, err)
	}
	rt.n.Store(0)
	if res, c, err := r.Apply(ctx, testChat, 3+updates, ask); err != nil || c.Duplicate || c.Session.Version != 3+updates || res.Session.Prompt != 3+updates {
		t.Fatalf("after another process: %+v %+v %v", res.Session, c, err)
	}
	if n := rt.n.Load(); n != 3 {
		t.Errorf("%d round trips after another process wrote, want 3 (refused, GET, committed)", n)
	}
	// Still every guarantee: a redelivery is recognised and replays its replies, and the
	// previous update's replies, sent, are forgotten.
	if res, c, err := r.Apply(ctx, testChat, 3+updates, ask); err != nil || !c.Replayed || len(res.Replies) != 1 {
		t.Errorf("the last update again: %+v %+v %v; want its reply again", res, c, err)
	}
	if res, c, err := r.Apply(ctx, testChat, updates, ask); err != nil || !c.Duplicate || c.Replayed || len(res.Replies) != 0 {
		t.Errorf("the update before it again: %+v %+v %v; want nothing to send", res, c, err)
	}
}

// TestSessionWrittenBeforeTheHeader: a session stored as "<version>:<payload>", with the seen ids
// and kept replies of that layout, is read, deduplicated and replayed as before, and its next
// commit writes the header.
func TestSessionWrittenBeforeTheHeader(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	s := flows.NewSession(testChat)
	s.Version, s.Prompt = 5, 3
	v, err := r.codec.encodeSession(s)
	if err != nil {
		t.Fatal(err)
	}
	replies, err := encodeReplies(flows.Result{Replies: []flows.Reply{{Key: "ask"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	pipe := r.rdb.TxPipeline()
	pipe.Set(ctx, sessionKey(testChat), v, 0)
	pipe.ZAdd(ctx, seenKey(testChat), redis.Z{Score: float64(time.Now().UnixMilli() * stampScale), Member: "77"})
	pipe.HSet(ctx, repliesKey(testChat), "77", replies)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if res, c, err := r.Apply(ctx, testChat, 77, stepOf(commitStep)); err != nil || !c.Replayed || len(res.Replies) != 1 || c.Session.Version != 5 {
		t.Fatalf("a redelivery kept in the old layout: %+v %+v %v", res, c, err)
	}
	if _, c, err := r.Apply(ctx, testChat, 78, stepOf(commitStep)); err != nil || c.Duplicate || c.Session.Version != 6 {
		t.Fatalf("a new update: %+v %v", c, err)
	}
	raw, err := r.rdb.Get(ctx, sessionKey(testChat)).Result()
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := parseHeader(raw)
	if err != nil || !h.known || h.version != 6 || h.last != 78 || h.outbox {
		t.Errorf("header after the commit: %+v %v (%.40q)", h, err, raw)
	}
	if _, c, err := r.Apply(ctx, testChat, 77, stepOf(commitStep)); err != nil || !c.Duplicate {
		t.Errorf("the old update once more: %+v %v; want a duplicate", c, err)
	}
}

// TestHandledIsBounded: what the process remembers per chat stays bounded however many chats
// it served, so that its memory is flat in the number of finished chats.
func TestHandledIsBounded(t *testing.T) {
	var h handledUpdates
	for chat := int64(1); chat <= 3*maxHandled; chat++ {
		h.set(chat, chat, 1)
		h.emptied(chat, 1)
		if !h.flushed(chat, 1) {
			t.Fatalf("chat %d: its emptied outbox is forgotten at once", chat)
		}
		if len(h.m) > maxHandled {
			t.Fatalf("%d chats remembered, want at most %d", len(h.m), maxHandled)
		}
	}
}
