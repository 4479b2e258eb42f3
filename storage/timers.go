package storage

// Reminders for complainants (issue 14): a reminder is due at a time, is claimed by one process
// when due, and is forgotten when its send is recorded. The discipline is the staff cards':
// a process that claimed a reminder and crashed before DoneReminder leaves it claimed; once
// its lease runs out another process (or the same one, restarted) claims it again with the
// attempt count raised, so the send can be marked as a repeat rather than doubled unmarked.
//
// Keys, all under the hash tag {timers} so that every script runs in one slot:
//
//	{timers}:q        zset    reminder → when it may be claimed next (ms): its due time, then
//	                          the end of its claim's lease
//	{timers}:due      hash    reminder → its due time (ms)
//	{timers}:try      hash    reminder → claims since it was (re)scheduled
//	{timers}:tok      hash    reminder → the token of its latest claim
//	{timers}:own      hash    reminder → the owner of its latest claim (for an operator)
//	{timers}:seq      string  the claim token counter
//	{timers}:c:<case> set     the kinds of reminder the case has scheduled
//
// A reminder is "<case>/<kind>", e.g. "C-000123/due:1": case ids, kinds and times only, no
// personal data. Erasing a user's cases should CancelReminders each of them.

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

//go:embed timer_claim.lua
var timerClaimLua string

//go:embed timer_done.lua
var timerDoneLua string

//go:embed timer_cancel.lua
var timerCancelLua string

//go:embed timer_schedule.lua
var timerScheduleLua string

// timerScripts are the reminder scripts; the table never changes.
var timerScripts = struct{ claim, done, cancel, schedule *redis.Script }{
	claim:    redis.NewScript(timerClaimLua),
	done:     redis.NewScript(timerDoneLua),
	cancel:   redis.NewScript(timerCancelLua),
	schedule: redis.NewScript(timerScheduleLua),
}

const (
	timersQueueKey = "{timers}:q"
	timersDueKey   = "{timers}:due"
	timersTryKey   = "{timers}:try"
	timersTokKey   = "{timers}:tok"
	timersOwnKey   = "{timers}:own"
	timersSeqKey   = "{timers}:seq"
)

func timersCaseKey(caseID string) string { return "{timers}:c:" + caseID }

// timerKeys returns the keys every reminder script takes, the case's set last (claim takes
// the counter instead).
func timerKeys(last string) []string {
	return []string{timersQueueKey, timersDueKey, timersTryKey, timersTokKey, timersOwnKey, last}
}

// DefaultReminderBatch is how many reminders ClaimReminders claims when asked for max ≤ 0.
const DefaultReminderBatch = 100

// Reminder names one reminder: the case it is about and its kind, which the caller chooses
// ("due:1": the answer to filing 1 is due; "limit": the limitation period is near). A case has
// at most one reminder of each kind.
type Reminder struct {
	Case string
	Kind string
}

// String returns "<case>/<kind>", the reminder as stored.
func (m Reminder) String() string { return m.Case + "/" + m.Kind }

// ErrBadReminder is a reminder with an empty case or kind, or a case with a "/".
const ErrBadReminder Error = "storage: a reminder needs a case without \"/\" and a kind"

func (m Reminder) check() error {
	if m.Case == "" || m.Kind == "" || strings.Contains(m.Case, "/") {
		return ErrBadReminder
	}
	return nil
}

// ParseReminder reads a reminder from its String form.
func ParseReminder(s string) (Reminder, error) {
	c, k, _ := strings.Cut(s, "/")
	m := Reminder{Case: c, Kind: k}
	if err := m.check(); err != nil {
		return Reminder{}, fmt.Errorf("parse reminder %q: %w", s, err)
	}
	return m, nil
}

// ClaimedReminder is a reminder ClaimReminders handed to one caller.
type ClaimedReminder struct {
	Reminder Reminder
	Due      time.Time // when it was scheduled for
	// Attempt is 1 for the first claim since the reminder was scheduled. More means earlier
	// claims ended without DoneReminder: their send may or may not have gone out, so this
	// send is a repeat and should say so.
	Attempt int
	// Token identifies this claim for DoneReminder.
	Token int64
}

// Repeat reports whether an earlier claim of the reminder may have sent it already.
func (c ClaimedReminder) Repeat() bool { return c.Attempt > 1 }

// ScheduleReminder makes m due at due. Scheduling a reminder that exists moves it to the new
// time and starts its attempts again; a claim of it still in flight is then stale (its
// DoneReminder returns false and leaves the new schedule alone).
func (r *Redis) ScheduleReminder(ctx context.Context, m Reminder, due time.Time) error {
	if err := m.check(); err != nil {
		return fmt.Errorf("schedule reminder: %w", err)
	}
	err := timerScripts.schedule.Run(ctx, r.rdb, timerKeys(timersCaseKey(m.Case)),
		m.String(), due.UnixMilli(), m.Kind).Err()
	if err != nil {
		return fmt.Errorf("schedule reminder %s: %w", m, err)
	}
	return nil
}

// CancelReminder forgets m, and reports whether it was scheduled. A claim in flight is then
// stale.
func (r *Redis) CancelReminder(ctx context.Context, m Reminder) (bool, error) {
	if err := m.check(); err != nil {
		return false, fmt.Errorf("cancel reminder: %w", err)
	}
	n, err := timerScripts.cancel.Run(ctx, r.rdb, timerKeys(timersCaseKey(m.Case)), m.Case, m.Kind).Int()
	if err != nil {
		return false, fmt.Errorf("cancel reminder %s: %w", m, err)
	}
	return n > 0, nil
}

// CancelReminders forgets every reminder of case caseID (reminders turned off, the data
// erased, the case closed), and returns how many there were.
func (r *Redis) CancelReminders(ctx context.Context, caseID string) (int, error) {
	if err := (Reminder{Case: caseID, Kind: "-"}).check(); err != nil {
		return 0, fmt.Errorf("cancel reminders: %w", err)
	}
	n, err := timerScripts.cancel.Run(ctx, r.rdb, timerKeys(timersCaseKey(caseID)), caseID).Int()
	if err != nil {
		return 0, fmt.Errorf("cancel the reminders of %s: %w", caseID, err)
	}
	return n, nil
}

// Reminders returns the due time of each reminder case caseID has scheduled, by kind.
func (r *Redis) Reminders(ctx context.Context, caseID string) (map[string]time.Time, error) {
	kinds, err := r.rdb.SMembers(ctx, timersCaseKey(caseID)).Result()
	if err != nil {
		return nil, fmt.Errorf("reminders of %s: %w", caseID, err)
	}
	out := make(map[string]time.Time, len(kinds))
	if len(kinds) == 0 {
		return out, nil
	}
	fields := make([]string, len(kinds))
	for i, k := range kinds {
		fields[i] = Reminder{Case: caseID, Kind: k}.String()
	}
	vals, err := r.rdb.HMGet(ctx, timersDueKey, fields...).Result()
	if err != nil {
		return nil, fmt.Errorf("reminders of %s: %w", caseID, err)
	}
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // cancelled between the two reads
		}
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("reminders of %s: due time %q: %w", caseID, s, err)
		}
		out[kinds[i]] = time.UnixMilli(ms)
	}
	return out, nil
}

// ClaimReminders claims for owner up to max reminders (max ≤ 0: DefaultReminderBatch) that are
// due at now, and those whose earlier claim's lease ran out without DoneReminder, for lease.
// One reminder is claimed by one caller at a time, however many processes ask at once. now is
// the caller's clock; owner is recorded for an operator.
//
// For each reminder returned, send it (saying so when Repeat), record the send, then call
// DoneReminder. A crash before DoneReminder leaves it to be claimed again after lease, with
// Attempt raised: choose a lease longer than a send and its recording take.
func (r *Redis) ClaimReminders(ctx context.Context, now time.Time, owner string, lease time.Duration, max int) ([]ClaimedReminder, error) {
	if max <= 0 {
		max = DefaultReminderBatch
	}
	if lease < time.Millisecond {
		return nil, errors.New("claim reminders: the lease must be at least a millisecond")
	}
	res, err := timerScripts.claim.Run(ctx, r.rdb, timerKeys(timersSeqKey),
		now.UnixMilli(), owner, lease.Milliseconds(), max).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim reminders: %w", err)
	}
	out := make([]ClaimedReminder, 0, len(res)/4)
	for i := 0; i+3 < len(res); i += 4 {
		id, _ := res[i].(string)
		m, err := ParseReminder(id)
		if err != nil {
			return nil, fmt.Errorf("claim reminders: %w", err)
		}
		due, err := strconv.ParseInt(fmt.Sprint(res[i+1]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("claim reminders: due time of %s: %w", m, err)
		}
		n, _ := res[i+2].(int64)
		tok, _ := res[i+3].(int64)
		out = append(out, ClaimedReminder{Reminder: m, Due: time.UnixMilli(due), Attempt: int(n), Token: tok})
	}
	return out, nil
}

// DoneReminder forgets a claimed reminder once its send is recorded, and reports whether c was
// still the reminder's latest claim. false means the claim went stale — its lease ran out and
// another claim took the reminder, or it was scheduled again or cancelled — and nothing was
// changed.
func (r *Redis) DoneReminder(ctx context.Context, c ClaimedReminder) (bool, error) {
	m := c.Reminder
	if err := m.check(); err != nil {
		return false, fmt.Errorf("reminder done: %w", err)
	}
	n, err := timerScripts.done.Run(ctx, r.rdb, timerKeys(timersCaseKey(m.Case)),
		m.String(), c.Token, m.Kind).Int()
	if err != nil {
		return false, fmt.Errorf("reminder %s done: %w", m, err)
	}
	return n == 1, nil
}
