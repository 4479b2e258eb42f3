package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

// The operations a commit leaves in its chat's outbox.
const (
	opStore    = "store"    // create the record of Rec (SET NX) and index it in cases:all
	opEscalate = "escalate" // status escalated at At, then XADD Case to the stream
	opErase    = "erase"    // scrub the personal fields of Cases
	opEvidence = "evidence" // add Evidence to Case
)

// op is one outbox entry. Each is idempotent: applying it again, or after a later operation on
// the same case, changes nothing more.
type op struct {
	Kind  string           `json:"k"`
	ID    string           `json:"i"` // unique, so that LREM removes this entry only
	Case  string           `json:"c,omitempty"`
	Cases []string         `json:"cs,omitempty"`
	At    time.Time        `json:"t,omitzero"`
	Rec   *flows.Complaint `json:"r,omitempty"`
	Ev    []flows.Evidence `json:"ev,omitempty"`
}

func (o op) marshal() (string, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return "", fmt.Errorf("encode outbox entry: %w", err)
	}
	return string(b), nil
}

// eraseOpPrefix is the start of an erase op's JSON; commit.lua appends the chat's case ids,
// which it alone knows, and closes it: `C-000001","C-000002"]}`. Case ids need no escaping.
func eraseOpPrefix(id string) string {
	return `{"k":"` + opErase + `","i":"` + id + `","cs":["`
}

// flush carries out the chat's outbox in order and removes each entry once it is done. It may
// run in several processes at once: the operations are idempotent and an entry is removed only
// after it took effect. Its errors do not name the chat, so that they can be logged.
func (r *Redis) flush(ctx context.Context, chat int64) error {
	raws, err := r.rdb.LRange(ctx, outboxKey(chat), 0, -1).Result()
	if err != nil {
		return fmt.Errorf("flush outbox: %w", err)
	}
	return r.flushEntries(ctx, chat, raws)
}

// flushEntries carries out the given entries of the chat's outbox, in order, removing each once
// it is done. A commit whose entries are all the outbox holds passes them, which saves reading
// them back.
func (r *Redis) flushEntries(ctx context.Context, chat int64, raws []string) error {
	key := outboxKey(chat)
	for _, raw := range raws {
		var o op
		if err := json.Unmarshal([]byte(raw), &o); err != nil {
			// it will never parse: kept, it would stop this chat's outbox for good
			r.log.WarnContext(ctx, "storage: an outbox entry cannot be read; dropped", "err", err)
		} else if err := r.do(ctx, chat, o); err != nil {
			return fmt.Errorf("flush outbox: %s %s: %w", o.Kind, o.Case, err)
		}
		if err := r.rdb.LRem(ctx, key, 1, raw).Err(); err != nil {
			return fmt.Errorf("flush outbox: %w", err)
		}
	}
	return nil
}

// do carries out one outbox operation of chat's outbox.
func (r *Redis) do(ctx context.Context, chat int64, o op) error {
	switch o.Kind {
	case opStore:
		if o.Rec == nil {
			return errors.New("store without a record")
		}
		v, err := r.codec.encodeCase(1, *o.Rec)
		if err != nil {
			return err
		}
		// one round trip; both are idempotent, and the entry stays until both took effect
		pipe := r.rdb.Pipeline()
		pipe.SetNX(ctx, caseKey(o.Case), v, 0)
		pipe.ZAdd(ctx, allCasesKey, redis.Z{Score: float64(caseNumber(o.Case)), Member: o.Case})
		_, err = pipe.Exec(ctx)
		return err
	case opEscalate:
		ch := flows.StatusChange{Status: flows.StatusEscalated, At: o.At, By: "user"}
		_, err := r.change(ctx, o.Case, func(c *flows.Complaint) (bool, error) { return addChange(c, ch), nil })
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnreadable) || errors.Is(err, ErrTooLarge) {
			// commit.lua saw the case in the chat's index and the store came first in the
			// outbox, so someone deleted the record (or it cannot be read, or changed); there
			// is nothing left to escalate.
			r.log.WarnContext(ctx, "storage: escalated case has no record that can be changed", "case", o.Case)
			return nil
		}
		if err != nil {
			return err
		}
		// At least once: a flush that dies here adds the case again next time.
		return r.rdb.XAdd(ctx, &redis.XAddArgs{Stream: streamKey, Values: []string{"case", o.Case}}).Err()
	case opEvidence:
		_, err := r.change(ctx, o.Case, func(c *flows.Complaint) (bool, error) { return addEvidence(c, o.Ev) })
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrErased) || errors.Is(err, ErrUnreadable) || errors.Is(err, ErrTooLarge) {
			r.log.WarnContext(ctx, "storage: evidence for a case that is gone, erased, unreadable or full is dropped", "case", o.Case)
			return nil
		}
		return err
	case opErase:
		for _, id := range o.Cases {
			_, err := r.change(ctx, id, func(c *flows.Complaint) (bool, error) { return scrub(c), nil })
			if errors.Is(err, ErrUnreadable) {
				// what cannot be read cannot be scrubbed: the whole record goes
				r.log.WarnContext(ctx, "storage: an unreadable record of an erased chat is deleted", "case", id)
				err = r.rdb.Del(ctx, caseKey(id)).Err()
			}
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		// the screenshots still to read hold the chat and each file's id
		if err := r.dropReadings(ctx, chat); err != nil {
			return err
		}
		return r.erased(ctx, o.Cases)
	default:
		return fmt.Errorf("unknown outbox operation %q", o.Kind)
	}
}

// erased hands the erased cases that were posted to the staff chat to the staff desk (which
// removes its copy there), and marks the append-only file as holding erased data until it is
// rewritten (RewriteAfterErasures).
func (r *Redis) erased(ctx context.Context, ids []string) error {
	for _, id := range ids {
		n, err := r.rdb.Exists(ctx, threadKey(id)).Result()
		if err != nil {
			return err
		}
		if n == 0 {
			continue // never posted to staff
		}
		// LREM then RPUSH: a flush run again does not queue the case twice
		if _, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.LRem(ctx, erasedKey, 0, id)
			p.RPush(ctx, erasedKey, id)
			return nil
		}); err != nil {
			return err
		}
	}
	return r.rdb.Set(ctx, aofDirtyKey, "1", 0).Err()
}

// AOFRewritePeriod is how often at most the append-only file is rewritten after erasures: the
// longest erased data survives in it on disk.
const AOFRewritePeriod = time.Hour

// RewriteAfterErasures rewrites the append-only file (BGREWRITEAOF, on every master) when an
// erasure happened since the last rewrite and none was started within period, across all
// processes; it reports whether it started one. The old file keeps erased values until the
// rewrite replaces it: so erased data survives on disk at most period plus the rewrite's own
// time after the erasure (and in backups of the file, which the operator keeps). Call it every
// few minutes.
func (r *Redis) RewriteAfterErasures(ctx context.Context, period time.Duration) (bool, error) {
	n, err := r.rdb.Exists(ctx, aofDirtyKey).Result()
	if err != nil || n == 0 {
		return false, err
	}
	ok, err := r.rdb.SetNX(ctx, aofLastKey, "1", period).Result()
	if err != nil || !ok {
		return false, err
	}
	if err := r.rdb.Del(ctx, aofDirtyKey).Err(); err != nil {
		return false, err
	}
	rewrite := func(ctx context.Context, c redis.Cmdable) error {
		if info, err := c.Info(ctx, "persistence").Result(); err != nil || !strings.Contains(info, "aof_enabled:1") {
			return nil // no append-only file to rewrite (or a Redis that does not say)
		}
		err := c.BgRewriteAOF(ctx).Err()
		if err != nil && strings.Contains(err.Error(), "already in progress") {
			return nil
		}
		return err
	}
	if cc, ok := r.rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return rewrite(ctx, c) })
	} else {
		err = rewrite(ctx, r.rdb)
	}
	if err != nil {
		r.rdb.Set(ctx, aofDirtyKey, "1", 0) // try again after the period
		return false, fmt.Errorf("rewrite the append-only file: %w", err)
	}
	return true, nil
}

// Reflush flushes again the outboxes whose flush after a commit (or on Load) failed in this
// process, and returns how many it emptied; the others stay for the next call. Call it every
// few seconds: an escalation committed just before a Redis outage would otherwise reach the
// stream only when its chat writes again, or at the next start-up's Sweep.
func (r *Redis) Reflush(ctx context.Context) (int, error) {
	n := 0
	for _, chat := range r.unflushed.take() {
		if err := r.flush(ctx, chat); err != nil {
			r.unflushed.add(chat)
			return n, fmt.Errorf("reflush outbox: %w", err)
		}
		n++
	}
	return n, nil
}

// chatSet is a set of chats safe for concurrent use.
type chatSet struct {
	mu sync.Mutex
	m  map[int64]bool
}

func (c *chatSet) add(chat int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]bool{}
	}
	c.m[chat] = true
}

// take empties the set and returns what it held.
func (c *chatSet) take() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int64, 0, len(c.m))
	for chat := range c.m {
		out = append(out, chat)
	}
	c.m = nil
	return out
}

// Sweep flushes every chat's outbox, on every master of a cluster, and returns how many
// outboxes it emptied. Call it at start-up: a process that died between a commit and its flush
// left work there (Load would also do it, but only when that chat writes again), and now and
// then (every few minutes): a replica that died and was not started again left its work too.
// One chat's outbox that fails does not stop the others: the sweep goes on, and its error
// counts the outboxes left for the next time.
func (r *Redis) Sweep(ctx context.Context) (int, error) {
	var n, failed atomic.Int64
	var first atomic.Value
	sweep := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, outboxPattern, 100).Iterator()
		for it.Next(ctx) {
			chat, err := chatOfOutbox(it.Val())
			if err != nil {
				continue
			}
			if err := r.flush(ctx, chat); err != nil {
				if ctx.Err() != nil {
					return err
				}
				failed.Add(1)
				first.CompareAndSwap(nil, err)
				r.unflushed.add(chat)
				continue
			}
			n.Add(1)
		}
		return it.Err()
	}
	var err error
	if cc, ok := r.rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return sweep(ctx, c) })
	} else {
		err = sweep(ctx, r.rdb)
	}
	if err != nil {
		return int(n.Load()), fmt.Errorf("sweep outboxes: %w", err)
	}
	if f := failed.Load(); f > 0 {
		return int(n.Load()), fmt.Errorf("sweep outboxes: %d left for later: %w", f, first.Load().(error))
	}
	return int(n.Load()), nil
}
