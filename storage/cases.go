package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

// postedTTL is how long MarkPosted remembers a case; far longer than an escalation waits.
const postedTTL = 30 * 24 * time.Hour

// Complaint returns the complaint with id, or an error wrapping ErrNotFound.
func (r *Redis) Complaint(ctx context.Context, id string) (flows.Complaint, error) {
	_, c, err := r.record(ctx, id)
	if err != nil {
		return flows.Complaint{}, fmt.Errorf("complaint %s: %w", id, err)
	}
	return c, nil
}

func (r *Redis) record(ctx context.Context, id string) (int64, flows.Complaint, error) {
	raw, err := r.rdb.Get(ctx, caseKey(id)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, flows.Complaint{}, ErrNotFound
	}
	if err != nil {
		return 0, flows.Complaint{}, err
	}
	return r.codec.decodeCase(raw)
}

// Cases returns the chat's complaints, newest first. An erased chat has none.
func (r *Redis) Cases(ctx context.Context, chat int64) ([]flows.Complaint, error) {
	n, err := r.rdb.LLen(ctx, outboxKey(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("cases of a chat: %w", err)
	}
	if n > 0 {
		// A store may still wait in the outbox. If it keeps failing, the cases already stored
		// are still worth listing.
		if err := r.flush(ctx, chat); err != nil {
			r.log.WarnContext(ctx, "storage: outbox flush before listing cases failed; it stays queued", "err", err)
		}
	}
	ids, err := r.rdb.ZRevRange(ctx, casesKey(chat), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("cases of a chat: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// The records live in other slots; a pipeline sends each GET to its node.
	pipe := r.rdb.Pipeline()
	gets := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		gets[i] = pipe.Get(ctx, caseKey(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("cases of a chat: %w", err)
	}
	out := make([]flows.Complaint, 0, len(ids))
	for i, g := range gets {
		raw, err := g.Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cases of a chat: %s: %w", ids[i], err)
		}
		_, c, err := r.codec.decodeCase(raw)
		if err != nil {
			return nil, fmt.Errorf("cases of a chat: %s: %w", ids[i], err)
		}
		out = append(out, c)
	}
	return out, nil
}

// SetStatus appends ch to the case's history and makes ch.Status its status; a zero ch.At is
// now. It returns the complaint as changed. Applying the same change twice (same status, time,
// author and note) records it once, so a retried call is harmless.
func (r *Redis) SetStatus(ctx context.Context, id string, ch flows.StatusChange) (flows.Complaint, error) {
	if ch.At.IsZero() {
		ch.At = r.o.Now()
	}
	c, err := r.change(ctx, id, func(c *flows.Complaint) (bool, error) { return addChange(c, ch), nil })
	if err != nil {
		return flows.Complaint{}, fmt.Errorf("set status of %s to %s: %w", id, ch.Status, err)
	}
	return c, nil
}

// AddEvidence appends evidence the user sent after the case was stored (staff asked for more).
// Items already there (same unique id, or same file id) are skipped, so a retry is harmless.
// An erased case refuses it with ErrErased.
func (r *Redis) AddEvidence(ctx context.Context, id string, ev []flows.Evidence) error {
	_, err := r.change(ctx, id, func(c *flows.Complaint) (bool, error) { return addEvidence(c, ev) })
	if err != nil {
		return fmt.Errorf("add evidence to %s: %w", id, err)
	}
	return nil
}

// change applies fn to the record of id and writes it back if fn reports a change and nobody
// changed the record meanwhile (cas.lua compares revisions); otherwise it starts again.
func (r *Redis) change(ctx context.Context, id string, fn func(*flows.Complaint) (bool, error)) (flows.Complaint, error) {
	for range r.o.MaxAttempts {
		rev, c, err := r.record(ctx, id)
		if err != nil {
			return flows.Complaint{}, err
		}
		changed, err := fn(&c)
		if err != nil || !changed {
			return c, err
		}
		v, err := r.codec.encodeCase(rev+1, c)
		if err != nil {
			return flows.Complaint{}, err
		}
		ok, err := r.cas.Run(ctx, r.rdb, []string{caseKey(id)}, rev, v).Int()
		if err != nil {
			return flows.Complaint{}, err
		}
		if ok == 1 {
			return c, nil
		}
	}
	return flows.Complaint{}, fmt.Errorf("%d attempts: %w", r.o.MaxAttempts, ErrConflict)
}

// addChange appends ch unless the history holds it already.
func addChange(c *flows.Complaint, ch flows.StatusChange) bool {
	for _, h := range c.History {
		if h.Status == ch.Status && h.At.Equal(ch.At) && h.By == ch.By && h.Note == ch.Note && h.Event == ch.Event {
			return false
		}
	}
	c.Status = ch.Status
	c.History = append(c.History, ch)
	return true
}

// addEvidence appends the items of ev that c lacks.
func addEvidence(c *flows.Complaint, ev []flows.Evidence) (bool, error) {
	if erased(*c) {
		return false, ErrErased
	}
	changed := false
	for _, e := range ev {
		if !hasEvidence(c.Evidence, e) {
			c.Evidence = append(c.Evidence, e)
			changed = true
		}
	}
	return changed, nil
}

func hasEvidence(have []flows.Evidence, e flows.Evidence) bool {
	for _, h := range have {
		if (e.UniqueID != "" && h.UniqueID == e.UniqueID) || (e.FileID != "" && h.FileID == e.FileID) {
			return true
		}
	}
	return false
}

// erased reports whether c was scrubbed: every stored complaint has a chat until then.
func erased(c flows.Complaint) bool { return c.Chat == 0 }

// scrub removes what identifies a person from c and reports whether anything changed. It is
// flows.Anonymize: an allow-list kept with the question table, so that it keeps only what the
// table classes anonymous (what staff count, such as the provider's key, charge, complainant
// type, deductions, dates, channels, requested kinds, receiving body, the kinds and dates of
// evidence, status and history without staff's notes) and a new field is erased until its
// entry says otherwise.
func scrub(c *flows.Complaint) bool {
	a := flows.Anonymize(*c)
	if reflect.DeepEqual(a, *c) {
		return false
	}
	*c = a
	return true
}

// ScrubClosed scrubs the personal fields of every case that closed before cutoff (see
// flows.Complaint.ClosedAt: resolved or rejected by staff, or never handed to staff) and is
// not erased yet, the retention the privacy notice states; it returns how many it scrubbed.
// The wiring calls it periodically with now minus CASE_RETENTION. A failure on one case is
// returned after the others were tried.
func (r *Redis) ScrubClosed(ctx context.Context, cutoff time.Time) (int, error) {
	ids, err := r.CaseIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("scrub closed cases: %w", err)
	}
	cases, err := r.Complaints(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("scrub closed cases: %w", err)
	}
	n := 0
	var errs []error
	for _, c := range cases {
		if at, closed := c.ClosedAt(); !closed || erased(c) || !at.Before(cutoff) {
			continue
		}
		changed := false
		_, err := r.change(ctx, c.ID, func(c *flows.Complaint) (bool, error) {
			// read again inside the change: staff may have reopened it meanwhile
			if at, closed := c.ClosedAt(); !closed || !at.Before(cutoff) {
				return false, nil
			}
			changed = scrub(c)
			return changed, nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("scrub %s: %w", c.ID, err))
			continue
		}
		if changed {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// MarkPosted records that case id's escalation was posted to staff and reports whether this call
// was the first to do so (SET NX). The stream delivers at least once; for staff to see a case
// exactly once, a consumer posts, calls MarkPosted, and deletes its own message when it was not
// first, then acknowledges. Posted lets it skip posting when the mark is already there.
func (r *Redis) MarkPosted(ctx context.Context, id string) (bool, error) {
	first, err := r.rdb.SetNX(ctx, postedKey(id), "1", postedTTL).Result()
	if err != nil {
		return false, fmt.Errorf("mark %s posted: %w", id, err)
	}
	return first, nil
}

// Posted reports whether MarkPosted was called for case id.
func (r *Redis) Posted(ctx context.Context, id string) (bool, error) {
	n, err := r.rdb.Exists(ctx, postedKey(id)).Result()
	if err != nil {
		return false, fmt.Errorf("posted %s: %w", id, err)
	}
	return n == 1, nil
}
