package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

// Escalation is one delivery of an escalated case from the queue: MsgID is the stream entry's
// id, for AckEscalation; CaseID the case to post (the same case may come twice); Deliveries how
// often the entry was delivered, this time included. It is flows.Escalation, so that bot reads
// it without importing storage.
type Escalation = flows.Escalation

// ReadEscalations returns up to count escalations for consumer (count ≤ 0 means 10). It first
// reclaims entries other consumers left unacknowledged for longer than Options.ClaimIdle
// (XAUTOCLAIM), moving those delivered more than Options.MaxDeliveries times to the dead-letter
// stream; if none, it waits up to block for new ones (block ≤ 0: it does not wait) and returns
// an empty slice when none came. A missing stream or group is created again.
//
// The queue delivers at least once: acknowledge with AckEscalation after the staff message is
// posted, and see MarkPosted.
func (r *Redis) ReadEscalations(ctx context.Context, consumer string, count int, block time.Duration) ([]Escalation, error) {
	if count <= 0 {
		count = 10
	}
	out, err := r.reclaim(ctx, consumer, count)
	if err != nil {
		return nil, fmt.Errorf("read escalations: %w", err)
	}
	if len(out) > 0 {
		return out, nil
	}
	args := &redis.XReadGroupArgs{
		Group:    r.o.Group,
		Consumer: consumer,
		Streams:  []string{streamKey, ">"},
		Count:    int64(count),
		Block:    -1, // go-redis sends no BLOCK; BLOCK 0 would wait forever
	}
	if block > 0 {
		args.Block = max(block, time.Millisecond)
	}
	streams, err := r.rdb.XReadGroup(ctx, args).Result()
	if isNoGroup(err) {
		if err := r.createGroup(ctx); err != nil {
			return nil, fmt.Errorf("read escalations: %w", err)
		}
		streams, err = r.rdb.XReadGroup(ctx, args).Result()
	}
	if errors.Is(err, redis.Nil) {
		return []Escalation{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read escalations: %w", err)
	}
	out = []Escalation{}
	for _, s := range streams {
		for _, m := range s.Messages {
			out = append(out, Escalation{MsgID: m.ID, CaseID: caseOf(m), Deliveries: 1})
		}
	}
	return out, nil
}

// PendingEscalations returns up to count escalations delivered to consumer earlier and not
// acknowledged — what a consumer that restarted under the same name left unfinished — and
// counts this as one more delivery; those delivered more than Options.MaxDeliveries times go to
// the dead-letter stream instead, and entries deleted meanwhile are acknowledged. It returns
// nothing only when nothing of consumer's is pending. Call it at start-up until it returns
// nothing, then ReadEscalations: a restarted consumer so finishes its own work at once, without
// waiting Options.ClaimIdle for XAUTOCLAIM. Every entry returned counts a delivery, so ask for
// as many as will be tried before the next call.
func (r *Redis) PendingEscalations(ctx context.Context, consumer string, count int) ([]Escalation, error) {
	if count <= 0 {
		count = 10
	}
	for {
		out, more, err := r.pendingEscalations(ctx, consumer, count)
		if err != nil || len(out) > 0 || !more {
			return out, err
		}
		// all of those read were dead-lettered or gone: read on
	}
}

// pendingEscalations is one read of PendingEscalations; more reports that entries were read
// (and dead-lettered or acknowledged if none is returned).
func (r *Redis) pendingEscalations(ctx context.Context, consumer string, count int) (out []Escalation, more bool, err error) {
	args := &redis.XReadGroupArgs{
		Group: r.o.Group, Consumer: consumer, Streams: []string{streamKey, "0"}, Count: int64(count), Block: -1,
	}
	streams, err := r.rdb.XReadGroup(ctx, args).Result()
	if isNoGroup(err) {
		if err := r.createGroup(ctx); err != nil {
			return nil, false, fmt.Errorf("pending escalations: %w", err)
		}
		return []Escalation{}, false, nil
	}
	if errors.Is(err, redis.Nil) {
		return []Escalation{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("pending escalations: %w", err)
	}
	var msgs []redis.XMessage
	for _, s := range streams {
		msgs = append(msgs, s.Messages...)
	}
	if len(msgs) == 0 {
		return []Escalation{}, false, nil
	}
	es, err := r.delivered(ctx, msgs)
	if err != nil {
		return nil, false, fmt.Errorf("pending escalations: %w", err)
	}
	live := es[:0]
	for _, e := range es {
		if e.CaseID == "" {
			// deleted from the stream after it was delivered: nothing left to do
			if err := r.AckEscalation(ctx, e); err != nil {
				return nil, false, fmt.Errorf("pending escalations: %w", err)
			}
			continue
		}
		live = append(live, e)
	}
	out, err = r.setAside(ctx, live)
	if err != nil {
		return nil, false, fmt.Errorf("pending escalations: %w", err)
	}
	return out, true, nil
}

// wornOut reports whether e goes to the dead-letter stream: delivered more than MaxDeliveries
// times, and older than DeadLetterAfter. The age keeps a run of crashes close together — each
// restart delivers the case being posted again — from dead-lettering a case that is fine: a
// case that fails for good is still dead-lettered, once the time has passed.
func (r *Redis) wornOut(e Escalation) bool {
	if e.Deliveries <= int64(r.o.MaxDeliveries) {
		return false
	}
	ms, _, _ := strings.Cut(e.MsgID, "-") // the stream id starts with Redis's time of the XADD
	at, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return true
	}
	return r.o.Now().Sub(time.UnixMilli(at)) >= r.o.DeadLetterAfter
}

// reclaim takes over entries idle longer than ClaimIdle and dead-letters the worn-out ones.
func (r *Redis) reclaim(ctx context.Context, consumer string, count int) ([]Escalation, error) {
	msgs, _, err := r.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream:   streamKey,
		Group:    r.o.Group,
		Consumer: consumer,
		MinIdle:  r.o.ClaimIdle,
		Start:    "0-0",
		Count:    int64(count),
	}).Result()
	if isNoGroup(err) {
		return nil, r.createGroup(ctx)
	}
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	// XAUTOCLAIM counted this delivery; XPENDING tells the total.
	es, err := r.delivered(ctx, msgs)
	if err != nil {
		return nil, err
	}
	return r.setAside(ctx, es)
}

// delivered returns msgs as escalations with how often each was delivered (XPENDING, one
// pipeline).
func (r *Redis) delivered(ctx context.Context, msgs []redis.XMessage) ([]Escalation, error) {
	pipe := r.rdb.Pipeline()
	pend := make([]*redis.XPendingExtCmd, len(msgs))
	for i, m := range msgs {
		pend[i] = pipe.XPendingExt(ctx, &redis.XPendingExtArgs{
			Stream: streamKey, Group: r.o.Group, Start: m.ID, End: m.ID, Count: 1,
		})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, err
	}
	out := make([]Escalation, len(msgs))
	for i, m := range msgs {
		out[i] = Escalation{MsgID: m.ID, CaseID: caseOf(m), Deliveries: 1}
		if p := pend[i].Val(); len(p) == 1 {
			out[i].Deliveries = p[0].RetryCount
		}
	}
	return out, nil
}

// setAside moves the worn-out escalations of es to the dead-letter stream and returns the others.
func (r *Redis) setAside(ctx context.Context, es []Escalation) ([]Escalation, error) {
	out := []Escalation{}
	for _, e := range es {
		if r.wornOut(e) {
			if err := r.deadLetter(ctx, e); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// deadLetter moves e to the dead-letter stream. Both streams share a hash tag, so the
// transaction stays in one slot.
func (r *Redis) deadLetter(ctx context.Context, e Escalation) error {
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAdd(ctx, &redis.XAddArgs{Stream: deadKey, Values: []string{
			"case", e.CaseID, "msg", e.MsgID, "deliveries", strconv.FormatInt(e.Deliveries-1, 10),
		}})
		p.XAck(ctx, streamKey, r.o.Group, e.MsgID)
		p.XDel(ctx, streamKey, e.MsgID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("dead-letter %s: %w", e.CaseID, err)
	}
	r.log.WarnContext(ctx, "storage: escalation moved to the dead-letter stream",
		"case", e.CaseID, "deliveries", e.Deliveries-1)
	return nil
}

// AckEscalation acknowledges e and deletes it from the stream, which keeps only work not done.
func (r *Redis) AckEscalation(ctx context.Context, e Escalation) error {
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, streamKey, r.o.Group, e.MsgID)
		p.XDel(ctx, streamKey, e.MsgID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack escalation %s: %w", e.CaseID, err)
	}
	return nil
}

// DeadEscalations returns up to count entries of the dead-letter stream, oldest first, for an
// operator to look at.
func (r *Redis) DeadEscalations(ctx context.Context, count int) ([]Escalation, error) {
	msgs, err := r.rdb.XRangeN(ctx, deadKey, "-", "+", int64(max(count, 1))).Result()
	if err != nil {
		return nil, fmt.Errorf("dead escalations: %w", err)
	}
	out := make([]Escalation, 0, len(msgs))
	for _, m := range msgs {
		n, _ := strconv.ParseInt(fmt.Sprint(m.Values["deliveries"]), 10, 64)
		out = append(out, Escalation{MsgID: m.ID, CaseID: caseOf(m), Deliveries: n})
	}
	return out, nil
}

// createGroup creates the consumer group (and the stream) reading from the start, so entries
// added while the group was missing are delivered; BUSYGROUP means another consumer won.
func (r *Redis) createGroup(ctx context.Context) error {
	err := r.rdb.XGroupCreateMkStream(ctx, streamKey, r.o.Group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create group: %w", err)
	}
	return nil
}

func isNoGroup(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOGROUP")
}

func caseOf(m redis.XMessage) string {
	s, _ := m.Values["case"].(string)
	return s
}
