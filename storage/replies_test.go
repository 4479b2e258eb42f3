package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"complaintbot/flows"
)

// replyArgs holds every argument type flows puts in a reply, nested as flows nests them.
func replyArgs() map[string]any {
	return map[string]any{
		"Name": "张三", "N": 3, "Big": int64(1) << 40, "On": true, "Rate": 0.6,
		"Route":    flows.Text{Key: "route_consumer"},
		"Warnings": flows.Lines(nil),
		"List": flows.Lines{{Key: "deduction_line", Args: map[string]any{
			"N": 1, "Amount": "199.00", "Method": flows.Text{Key: "method_settlement"},
		}}, {Key: "warn_three_years"}},
	}
}

func TestRepliesRoundTrip(t *testing.T) {
	res := flows.Result{
		Replies: []flows.Reply{
			{Key: "review", Args: replyArgs(), Choices: []flows.Choice{
				{Key: "learned_first", Args: map[string]any{"Date": "2024-05-01", "On": false}, Data: "7:first"},
				{Key: "confirm", Data: "7:confirm"},
			}},
			{Key: "submitted", Document: true},
			{Key: "plain"},
		},
		Effects: []flows.Effect{{Kind: flows.EffectListCases}, {Kind: flows.EffectRelay, CaseID: "C-000009"},
			{Kind: flows.EffectEscalate, CaseID: "C-000009"}, {Kind: flows.EffectLetter, CaseID: "C-000009", Letter: flows.LetterReport}},
	}
	raw, err := encodeReplies(res, "C-000009")
	if err != nil {
		t.Fatal(err)
	}
	reps, effects, id, err := decodeReplies(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(reps, res.Replies) {
		t.Errorf("replies after a round trip:\n%#v\nwant\n%#v", reps, res.Replies)
	}
	want := []flows.Effect{{Kind: flows.EffectListCases}, {Kind: flows.EffectRelay, CaseID: "C-000009"},
		{Kind: flows.EffectLetter, CaseID: "C-000009", Letter: flows.LetterReport}}
	if !reflect.DeepEqual(effects, want) || id != "C-000009" {
		t.Errorf("effects %+v, case %q; want %+v, C-000009", effects, id, want)
	}
	if raw, err := encodeReplies(flows.Result{}, "C-1"); err != nil || raw != "" {
		t.Errorf("nothing to keep: %q, %v; want empty", raw, err)
	}
}

// testReplay is part of the conformance suite: a redelivered update gets its replies again.
func testReplay(t *testing.T, newRedis factory) {
	clk := newClock()
	r := newRedis(t, Options{Now: clk.now})
	ctx := testCtx(t)
	ask := func(s flows.Session) (flows.Result, error) {
		s.Prompt++
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "review", Args: replyArgs(),
			Choices: []flows.Choice{{Key: "confirm", Data: "1:confirm"}}}}}, nil
	}
	first, _, err := r.Apply(ctx, testChat, 1, ask)
	if err != nil {
		t.Fatal(err)
	}
	// The process died before sending: Telegram delivers update 1 again.
	res, c, err := r.Apply(ctx, testChat, 1, func(flows.Session) (flows.Result, error) {
		t.Error("the step ran again for a duplicate")
		return flows.Result{}, nil
	})
	if err != nil || !c.Duplicate || !c.Replayed || !reflect.DeepEqual(res.Replies, first.Replies) {
		t.Errorf("redelivered: %+v %+v %v; want the first replies replayed", res.Replies, c, err)
	}
	// The finishing update's document is re-read from the stored case.
	done, dc, err := r.Apply(ctx, testChat, 2, storeStep(sampleComplaint(clk.now())))
	if err != nil {
		t.Fatal(err)
	}
	res, c, err = r.Apply(ctx, testChat, 2, storeStep(sampleComplaint(clk.now())))
	k := res.Complaint()
	if err != nil || !c.Replayed || c.CaseID != dc.CaseID || k == nil || k.ID != dc.CaseID ||
		len(res.Replies) != 1 || !res.Replies[0].Document || k.Contact.Phone != done.Complaint().Contact.Phone {
		t.Errorf("redelivered finishing update: %+v %+v %v", res, c, err)
	}
	// The next Apply for the chat in this process means the caller sent update 2's replies:
	// they are forgotten, and a later redelivery of update 2 sends nothing.
	if _, _, err := r.Apply(ctx, testChat, 3, ask); err != nil {
		t.Fatal(err)
	}
	if res, c, err := r.Apply(ctx, testChat, 2, ask); err != nil || !c.Duplicate || c.Replayed || len(res.Replies) != 0 {
		t.Errorf("a duplicate of an update whose replies were sent: %+v %+v %v; want nothing to send", res, c, err)
	}
	// Other processes (each one update, then killed) do not know what was sent: the last
	// keptReplies updates keep their replies, older ones not.
	for u := int64(4); u < 4+keptReplies; u++ {
		if _, _, err := sibling(t, r, Options{Now: clk.now}).Apply(ctx, testChat, u, ask); err != nil {
			t.Fatal(err)
		}
	}
	if res, c, err := r.Apply(ctx, testChat, 3, ask); err != nil || !c.Duplicate || c.Replayed || len(res.Replies) != 0 {
		t.Errorf("an old duplicate: %+v %+v %v; want nothing to send", res, c, err)
	}
	if res, c, err := r.Apply(ctx, testChat, 4, ask); err != nil || !c.Replayed || len(res.Replies) != 1 {
		t.Errorf("a recent duplicate from another process: %+v %+v %v; want its reply", res, c, err)
	}
	// Erasure forgets every kept reply (they quote the user) but its own.
	if _, _, err := r.Apply(ctx, testChat, 100, eraseStep); err != nil {
		t.Fatal(err)
	}
	if res, c, err := r.Apply(ctx, testChat, 100, eraseStep); err != nil || !c.Replayed || len(res.Replies) != 1 || res.Replies[0].Key != "deleted" {
		t.Errorf("redelivered erasure: %+v %+v %v", res, c, err)
	}
	if n, err := r.rdb.HLen(ctx, repliesKey(testChat)).Result(); err != nil || n != 1 {
		t.Errorf("replies kept after erasure: %d, %v; want the erasure's only", n, err)
	}
}

// TestReflush: an outbox whose flush after the commit failed (Redis went away in between) is
// flushed by Reflush, without waiting for the chat to write again or for a restart.
func TestReflush(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	r.skipFlush = true // as if the flush had failed
	if _, err := r.Commit(ctx, must(storeStep(sampleComplaint(time.Now()))(flows.NewSession(testChat))), 1); err != nil {
		t.Fatal(err)
	}
	r.unflushed.add(testChat) // what the failed flush records
	if _, err := r.Complaint(ctx, "C-000001"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before Reflush: %v, want ErrNotFound", err)
	}
	if n, err := r.Reflush(ctx); err != nil || n != 1 {
		t.Fatalf("Reflush = %d, %v; want 1", n, err)
	}
	if _, err := r.Complaint(ctx, "C-000001"); err != nil {
		t.Errorf("after Reflush: %v", err)
	}
	if n, err := r.Reflush(ctx); err != nil || n != 0 {
		t.Errorf("Reflush again = %d, %v; want 0", n, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCommitFlushesEarlierEntriesFirst: a commit whose outbox still holds an entry an earlier
// flush left (here a case's record) carries that out before its own (the escalation of that
// case), not just the entries it queued.
func TestCommitFlushesEarlierEntriesFirst(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	r.skipFlush = true // as if the flush had failed
	c1, err := r.Commit(ctx, must(storeStep(sampleComplaint(time.Now()))(flows.NewSession(testChat))), 1)
	if err != nil {
		t.Fatal(err)
	}
	r.skipFlush = false
	if _, err := r.Commit(ctx, must(escalateStep(c1.CaseID)(c1.Session)), 2); err != nil {
		t.Fatal(err)
	}
	got, err := r.Complaint(ctx, c1.CaseID)
	if err != nil {
		t.Fatalf("the earlier entry was not carried out: %v", err)
	}
	if got.Status != flows.StatusEscalated {
		t.Errorf("status %s, want escalated", got.Status)
	}
	if n, _ := r.rdb.XLen(ctx, streamKey).Result(); n != 1 {
		t.Errorf("stream holds %d entries, want 1", n)
	}
	if n, _ := r.rdb.LLen(ctx, outboxKey(testChat)).Result(); n != 0 {
		t.Errorf("outbox holds %d entries, want 0", n)
	}
}

func TestNegativeUpdateIDsRedisServer(t *testing.T) { testNegativeUpdateIDs(t, realRedis) }

func TestNegativeUpdateIDsEmbedded(t *testing.T) { testNegativeUpdateIDs(t, embeddedRedis) }

// testNegativeUpdateIDs: a step with a negative update id (bot's screenshot readings, within
// ±2^46) is committed beside Telegram's updates: the header keeps its sign through later
// commits, the step is a duplicate when applied again, its replies replayed until an update of
// the process that applied it says they were sent.
func testNegativeUpdateIDs(t *testing.T, newRedis factory) {
	r := newRedis(t, Options{})
	ctx := testCtx(t)
	ask := func(s flows.Session) (flows.Result, error) {
		s.Prompt++
		return flows.Result{Session: s, Replies: []flows.Reply{{Key: "review", Args: replyArgs()}}}, nil
	}
	again := func(flows.Session) (flows.Result, error) {
		t.Error("the step ran again for a duplicate")
		return flows.Result{}, nil
	}
	const reading = -(1 << 46) // the farthest from zero a reading's id may be
	if _, _, err := r.Apply(ctx, testChat, 7, ask); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Apply(ctx, testChat, reading, ask); err != nil {
		t.Fatal(err)
	}
	// another process, with no memory of what was sent, commits the next update
	if _, _, err := sibling(t, r, Options{}).Apply(ctx, testChat, 8, ask); err != nil {
		t.Fatalf("the update after a negative id: %v", err)
	}
	res, c, err := sibling(t, r, Options{}).Apply(ctx, testChat, reading, again)
	if err != nil || !c.Duplicate || !c.Replayed || len(res.Replies) != 1 {
		t.Errorf("the negative id again: %+v %+v %v; want its reply replayed", res.Replies, c, err)
	}
	// the next update of the process that applied it forgets the reading's replies, as sent
	if _, _, err := r.Apply(ctx, testChat, 9, ask); err != nil {
		t.Fatal(err)
	}
	res, c, err = sibling(t, r, Options{}).Apply(ctx, testChat, reading, again)
	if err != nil || !c.Duplicate || c.Replayed || len(res.Replies) != 0 {
		t.Errorf("the negative id after its replies were sent: %+v %+v %v; want nothing to send", res.Replies, c, err)
	}
}
