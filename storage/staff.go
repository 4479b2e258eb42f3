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
	"complaintbot/internal/sleep"
)

// AwaitTTL is how long a staff member's pending question, reason or note waits for their next
// message before it is forgotten.
const AwaitTTL = time.Hour

// complaintsBatch is how many records one pipeline of Complaints fetches.
const complaintsBatch = 500

// UpdateStatus runs decide on the stored case and appends the change it returns to the case's
// history, making its status the case's, atomically: decide sees the record as it is when the
// change is written, and may run more than once, so it must be pure (flows.Decide is). A zero
// At is now. An error from decide (a flows.CaseError) is returned wrapped and nothing changes.
// The set of open cases follows the new status. It returns the case as changed and the change.
func (r *Redis) UpdateStatus(ctx context.Context, id string, decide func(flows.Complaint) (flows.StatusChange, error)) (flows.Complaint, flows.StatusChange, error) {
	var ch flows.StatusChange
	c, err := r.change(ctx, id, func(c *flows.Complaint) (bool, error) {
		var err error
		if ch, err = decide(*c); err != nil {
			return false, err
		}
		if ch.At.IsZero() {
			ch.At = r.o.Now()
		}
		return addChange(c, ch), nil
	})
	if err != nil {
		return flows.Complaint{}, flows.StatusChange{}, fmt.Errorf("update status of %s: %w", id, err)
	}
	if err := r.syncOpen(ctx, c); err != nil {
		return flows.Complaint{}, flows.StatusChange{}, fmt.Errorf("update status of %s: %w", id, err)
	}
	return c, ch, nil
}

// syncOpen puts c in the set of open cases, or takes it out, as its status says.
func (r *Redis) syncOpen(ctx context.Context, c flows.Complaint) error {
	if !c.Status.Open() {
		return r.rdb.ZRem(ctx, openKey, c.ID).Err()
	}
	since, ok := c.Escalated()
	if !ok {
		since = c.CreatedAt
	}
	return r.rdb.ZAdd(ctx, openKey, redis.Z{Score: float64(since.UnixMilli()), Member: c.ID}).Err()
}

// SetWaiting marks the chat's session as waiting on the user for case id (flows.Session.Waiting),
// or, with waiting false, clears the mark if it names id. It changes the session like a commit
// does, checking its version, so a step running meanwhile conflicts and runs again. A chat
// without a session (it expired) gets a closed one in the case's language.
func (r *Redis) SetWaiting(ctx context.Context, chat int64, id string, waiting bool) error {
	unlock, err := r.locks.lock(ctx, chat)
	if err != nil {
		return fmt.Errorf("set waiting for %s: %w", id, err)
	}
	defer unlock()
	r.cache.drop(chat)
	for attempt := range r.o.MaxAttempts {
		if attempt > 0 {
			if err := sleep.For(ctx, backoff(attempt)); err != nil {
				return fmt.Errorf("set waiting for %s: %w", id, err)
			}
		}
		s, _, err := r.load(ctx, chat, 0, false)
		if err != nil {
			return fmt.Errorf("set waiting for %s: %w", id, err)
		}
		if (waiting && s.Waiting == id) || (!waiting && s.Waiting != id) {
			return nil
		}
		if waiting && s.Version == 0 {
			c, err := r.Complaint(ctx, id)
			if err != nil {
				return fmt.Errorf("set waiting for %s: %w", id, err)
			}
			s.State, s.Lang, s.Consented, s.LastCase = flows.StateClosed, c.Lang, true, id
			s.Draft.Lang = c.Lang
		}
		s.Waiting = ""
		if waiting {
			s.Waiting = id
		}
		want := s.Version
		s.Version++
		v, err := r.codec.encodeSession(s)
		if err != nil {
			return fmt.Errorf("set waiting for %s: %w", id, err)
		}
		ok, err := r.sess.Run(ctx, r.rdb, []string{sessionKey(chat)}, want, v, r.ttl.Milliseconds()).Int()
		if err != nil {
			return fmt.Errorf("set waiting for %s: %w", id, err)
		}
		if ok == 1 {
			return nil
		}
	}
	return fmt.Errorf("set waiting for %s: %d attempts: %w", id, r.o.MaxAttempts, ErrConflict)
}

// StaffThread returns where case id lives in the staff chat; the zero StaffThread when it was
// not posted yet.
func (r *Redis) StaffThread(ctx context.Context, id string) (flows.StaffThread, error) {
	m, err := r.rdb.HGetAll(ctx, threadKey(id)).Result()
	if err != nil {
		return flows.StaffThread{}, fmt.Errorf("staff thread of %s: %w", id, err)
	}
	var t flows.StaffThread
	t.Chat, _ = strconv.ParseInt(m["chat"], 10, 64)
	t.Topic, _ = strconv.Atoi(m["topic"])
	t.Card, _ = strconv.Atoi(m["card"])
	t.Evidence, t.Document = m["evidence"] == "1", m["document"] == "1"
	t.TopicAttempts, _ = strconv.Atoi(m[PartTopic+attemptsSuffix])
	t.CardAttempts, _ = strconv.Atoi(m[PartCard+attemptsSuffix])
	if ms, _ := strconv.ParseInt(m["replied"], 10, 64); ms > 0 {
		t.Replied = time.UnixMilli(ms)
	}
	return t, nil
}

// SetStaffTopic records the forum topic created for case id in chat, with the map that finds
// the case from the topic, in one transaction.
func (r *Redis) SetStaffTopic(ctx context.Context, id string, chat int64, topic int) error {
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, threadKey(id), "chat", chat, "topic", topic)
		p.HSet(ctx, staffTopicsKey(chat), strconv.Itoa(topic), id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record the topic of %s: %w", id, err)
	}
	return nil
}

// SetStaffCard records the card posted for case id in chat, the map that finds the case from the
// card, and the case among the open ones (since: when it was escalated), in one transaction.
// Once it is written a redelivered escalation posts no second card.
func (r *Redis) SetStaffCard(ctx context.Context, id string, chat int64, card int, since time.Time) error {
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, threadKey(id), "chat", chat, "card", card)
		p.HSet(ctx, staffMsgsKey(chat), strconv.Itoa(card), id)
		p.ZAdd(ctx, openKey, redis.Z{Score: float64(since.UnixMilli()), Member: id})
		return nil
	})
	if err != nil {
		return fmt.Errorf("record the card of %s: %w", id, err)
	}
	return nil
}

// AddStaffMessages maps messages posted in chat for case id (evidence, relayed messages,
// prompts) to the case, so that a reply to any of them reaches it.
func (r *Redis) AddStaffMessages(ctx context.Context, id string, chat int64, msgs ...int) error {
	if len(msgs) == 0 {
		return nil
	}
	kv := make([]any, 0, 2*len(msgs))
	for _, m := range msgs {
		kv = append(kv, strconv.Itoa(m), id)
	}
	if err := r.rdb.HSet(ctx, staffMsgsKey(chat), kv...).Err(); err != nil {
		return fmt.Errorf("map staff messages of %s: %w", id, err)
	}
	return nil
}

// The parts of a case's posting that SetStaffPart records.
const (
	PartEvidence = "evidence"
	PartDocument = "document"
)

// The parts of a case's posting whose attempts StaffAttempt counts.
const (
	PartTopic = "topic"
	PartCard  = "card"
)

const attemptsSuffix = "_attempts"

// StaffAttempt records one more attempt to post part (PartTopic, PartCard) of case id, before
// Telegram is asked, and returns the attempts so far, this one included.
func (r *Redis) StaffAttempt(ctx context.Context, id, part string) (int, error) {
	if part != PartTopic && part != PartCard {
		return 0, fmt.Errorf("count attempts at part %q of %s: unknown part", part, id)
	}
	n, err := r.rdb.HIncrBy(ctx, threadKey(id), part+attemptsSuffix, 1).Result()
	if err != nil {
		return 0, fmt.Errorf("count attempts at part %s of %s: %w", part, id, err)
	}
	return int(n), nil
}

// SetStaffPart records that part (PartEvidence, PartDocument) of case id was posted.
func (r *Redis) SetStaffPart(ctx context.Context, id, part string) error {
	if part != PartEvidence && part != PartDocument {
		return fmt.Errorf("record part %q of %s: unknown part", part, id)
	}
	if err := r.rdb.HSet(ctx, threadKey(id), part, "1").Err(); err != nil {
		return fmt.Errorf("record part %s of %s: %w", part, id, err)
	}
	return nil
}

// SetStaffReplied records that the complainant of case id wrote to staff at at.
func (r *Redis) SetStaffReplied(ctx context.Context, id string, at time.Time) error {
	if err := r.rdb.HSet(ctx, threadKey(id), "replied", at.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("record the reply of %s: %w", id, err)
	}
	return nil
}

// StaffCaseOf returns the case a staff chat message belongs to: the case of forum topic topic
// (when not 0), else of the first of msgs that was posted for a case; "" when none.
func (r *Redis) StaffCaseOf(ctx context.Context, chat int64, topic int, msgs ...int) (string, error) {
	if topic != 0 {
		id, err := r.rdb.HGet(ctx, staffTopicsKey(chat), strconv.Itoa(topic)).Result()
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("case of a staff topic: %w", err)
		}
	}
	for _, m := range msgs {
		if m == 0 {
			continue
		}
		id, err := r.rdb.HGet(ctx, staffMsgsKey(chat), strconv.Itoa(m)).Result()
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("case of a staff message: %w", err)
		}
	}
	return "", nil
}

// SetAwait remembers for AwaitTTL that staff member user's next message in chat is the text
// of action on case id (a question, a reason, a note).
func (r *Redis) SetAwait(ctx context.Context, chat, user int64, id, action string) error {
	if err := r.rdb.Set(ctx, awaitKey(chat, user), id+" "+action, AwaitTTL).Err(); err != nil {
		return fmt.Errorf("await the text of %s: %w", id, err)
	}
	return nil
}

// Await returns what SetAwait remembered for user in chat; empty strings when nothing.
func (r *Redis) Await(ctx context.Context, chat, user int64) (id, action string, err error) {
	v, err := r.rdb.Get(ctx, awaitKey(chat, user)).Result()
	if errors.Is(err, redis.Nil) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("awaited text: %w", err)
	}
	id, action, _ = strings.Cut(v, " ")
	return id, action, nil
}

// ClearAwait forgets what SetAwait remembered for user in chat.
func (r *Redis) ClearAwait(ctx context.Context, chat, user int64) error {
	if err := r.rdb.Del(ctx, awaitKey(chat, user)).Err(); err != nil {
		return fmt.Errorf("clear awaited text: %w", err)
	}
	return nil
}

// OpenCases returns the ids of the cases staff still handle, longest escalated first.
func (r *Redis) OpenCases(ctx context.Context) ([]string, error) {
	ids, err := r.rdb.ZRange(ctx, openKey, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	return ids, nil
}

// CaseIDs returns the id of every case ever stored, oldest first (erased cases included: they
// keep the facts staff count).
func (r *Redis) CaseIDs(ctx context.Context) ([]string, error) {
	ids, err := r.rdb.ZRange(ctx, allCasesKey, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("case ids: %w", err)
	}
	return ids, nil
}

// Complaints returns the records of ids, in order, leaving out those that do not exist.
func (r *Redis) Complaints(ctx context.Context, ids []string) ([]flows.Complaint, error) {
	out := make([]flows.Complaint, 0, len(ids))
	for start := 0; start < len(ids); start += complaintsBatch {
		batch := ids[start:min(start+complaintsBatch, len(ids))]
		pipe := r.rdb.Pipeline()
		gets := make([]*redis.StringCmd, len(batch))
		for i, id := range batch {
			gets[i] = pipe.Get(ctx, caseKey(id))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("complaints: %w", err)
		}
		for i, g := range gets {
			raw, err := g.Result()
			if errors.Is(err, redis.Nil) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("complaint %s: %w", batch[i], err)
			}
			_, c, err := r.codec.decodeCase(raw)
			if err != nil {
				return nil, fmt.Errorf("complaint %s: %w", batch[i], err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// Remind reports whether staff should be reminded of case id now: true, recording now, unless a
// reminder was recorded less than period ago. Several processes asking at once get one true.
func (r *Redis) Remind(ctx context.Context, id string, now time.Time, period time.Duration) (bool, error) {
	n, err := r.remind.Run(ctx, r.rdb, []string{threadKey(id)}, now.UnixMilli(), period.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("remind of %s: %w", id, err)
	}
	return n == 1, nil
}

// ClaimPosting takes the lease on posting case id for consumer, for lease, and reports whether
// consumer holds it: two consumers given the same case at once (a redelivery while the first
// is still posting) do not both post it. The lease is never released: once the case is posted
// MarkPosted makes it moot, and after a failure it runs out. A consumer that restarted under the
// same name takes its own lease back at once.
func (r *Redis) ClaimPosting(ctx context.Context, id, consumer string, lease time.Duration) (bool, error) {
	n, err := r.lease.Run(ctx, r.rdb, []string{postingKey(id)}, consumer, lease.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("claim the posting of %s: %w", id, err)
	}
	return n == 1, nil
}
