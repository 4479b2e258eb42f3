// Package storage keeps the bot's state in Redis: each chat's conversation session, finished
// complaints as records, and the escalation queue for staff as a stream.
//
// # Commit
//
// Applying an update is load → flows.Step → Commit. Commit runs one Lua script (commit.lua) that
// checks the session's version (ErrConflict when it moved: reload and re-run the step), checks
// the update id against the ids the chat committed recently (a redelivered update changes
// nothing), writes the session, indexes a new complaint and appends the work that lies outside
// the chat's slot to the chat's outbox. go-redis resends a command after a network error or a
// timeout, when it may have run already; the script recognises its own earlier run because the
// update id is remembered with a stamp unique to the attempt, so a resend is neither applied
// twice nor mistaken for a redelivered update.
//
// The session's value starts with the chat's bookkeeping (commit.lua's header): the version, the
// highest update id committed, whether the outbox may hold work, which updates' replies are kept.
// So the usual update costs two round trips and seven commands: GET on load (the seen ids are
// looked up only for an id no higher than the highest committed, and the outbox only after a
// commit that queued work), and the script (GETRANGE, SET, ZADD of the id, HSET of the replies
// with the previous update's forgotten, PEXPIRE of the replies).
//
// # Cluster
//
// Every key one commit touches carries the chat's hash tag, {chat:<id>}, so the script runs in
// one slot. What cannot share that slot is done around it: case ids come from INCR on a global
// counter before the script (a conflict leaves a gap in the numbering), and the outbox, written
// atomically with the session, is flushed after the script into the global complaint records
// and the escalation stream. A crash between the script and the flush loses nothing: Load
// flushes a chat's non-empty outbox, Cases does too, and Sweep flushes every outbox at start-up.
// Every outbox operation is idempotent, so two processes flushing the same outbox are harmless;
// the escalation stream may carry a case twice, which the staff side absorbs with MarkPosted.
//
// # Keys
//
//	{chat:<id>}:s       string  the session: "<header>:<payload>", the header
//	                            "<version>,<highest update id>,<ids' TTL set at>,<ids>,<outbox
//	                            may hold work>,<update of slot 0>,…,<update of slot 3>"
//	                            (commit.lua; "<version>" alone when written before the header
//	                            had more); TTL SessionTTL, refreshed on every commit
//	{chat:<id>}:u       zset    update ids committed recently, scored by a stamp: the commit
//	                            time in ms times 1000 plus a random 0-999; at most DedupeMax;
//	                            ids older than DedupeWindow dropped, and the TTL set to 1.5 ×
//	                            DedupeWindow, every half window: each id is kept for at least
//	                            DedupeWindow and at most 1.5 × DedupeWindow after the chat's
//	                            last commit
//	{chat:<id>}:cases   zset    the chat's case ids (score: case number), for /status; no TTL
//	{chat:<id>}:outbox  list    JSON operations not yet carried out; no TTL; gone when empty
//	{chat:<id>}:r       hash    slot 0-3 (the version modulo 4) → the replies the step of the
//	                            update the header names for it produced (JSON, arguments
//	                            tagged by type; see replies.go; "" once sent), for the last
//	                            keptReplies updates: a redelivery after a crash sends them
//	                            again; TTL DedupeWindow, refreshed on every commit
//	case:seq            string  the case counter (INCR)
//	case:<C-000123>     string  the complaint record: "<revision>:<payload>"; no TTL
//	{escalations}:stream stream the escalation queue (field "case"), consumer group Options.Group
//	{escalations}:dead  stream  escalations delivered more than MaxDeliveries times
//	posted:<C-000123>   string  set once the case was posted to staff (MarkPosted); 30 days
//	cases:all           zset    every case id (score: case number), written by the flush that
//	                            creates the record; for the staff's /stats and /export
//
// The staff side's keys share the hash tag {staff}, so that what must change together (a
// posted card and the map that finds its case) is one MULTI even in a cluster:
//
//	{staff}:case:<C-000123>   hash    where the case lives in the staff chat (flows.StaffThread):
//	                                  chat, topic, card, evidence, document, replied, reminded
//	{staff}:msgs:<chat>       hash    staff chat message id → case id, for every message posted or
//	                                  relayed for a case (replies find their case by it)
//	{staff}:topics:<chat>     hash    forum topic id → case id
//	{staff}:open              zset    cases staff still handle (score: escalation time in ms)
//	{staff}:await:<chat>:<u>  string  "<case> <action>": staff member u's next message is the
//	                                  question, reason or note of that action; TTL AwaitTTL
//	{staff}:posting:<C-…>     string  the consumer posting the case now (ClaimPosting); a lease
//
// A payload is compact JSON with the flows types' short tags, or "s" and that JSON compressed
// as an S2 block with a priming dictionary when it is over 1 KB and this saves room (a
// filled-in draft with a long Chinese description). A session's
// JSON leaves out its chat id, which the key holds.
//
// # Erasure
//
// A commit carrying flows.EffectErase replaces the session by a fresh one that keeps only the
// language (its version still grows, so a stale writer conflicts), forgets the chat's update
// ids and kept replies except the erasing one's and deletes its case index; the flush then
// scrubs the personal fields of each of its cases and keeps the anonymous facts staff count
// (see scrub), forgets the chat's screenshots waiting to be read, and marks the append-only
// file for a rewrite (the flush runs for a chat without cases too). Afterwards the chat's only keys are that session, the one remembered update id
// and its reply ("deleted"), all expiring within DedupeWindow unless the user talks again, and
// no value names the user.
package storage

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
	"complaintbot/internal/sleep"
)

//go:embed commit.lua
var commitLua string

//go:embed cas.lua
var casLua string

//go:embed session.lua
var sessionLua string

//go:embed remind.lua
var remindLua string

//go:embed posting.lua
var postingLua string

// Error is an error of this package that callers compare with errors.Is.
type Error string

// Error returns the message.
func (e Error) Error() string { return string(e) }

const (
	// ErrConflict is a commit refused because the session's version moved since it was loaded:
	// load it again and re-run the step. Apply does this itself.
	ErrConflict Error = "storage: the session changed since it was loaded"
	// ErrErased is a change that would put personal data back into an erased complaint.
	ErrErased Error = "storage: the complaint was erased"
)

// ErrNotFound is a complaint that does not exist (or, for an escalation, is not the chat's). It
// is flows.ErrCaseMissing, so that the staff desk refuses an action on it without importing
// storage.
const ErrNotFound = flows.ErrCaseMissing

// ErrUnreadable is a stored complaint record that cannot be decoded (damaged, or written by a
// version without today's bounds). Reads of many records skip it and name it; a change to it
// is refused. It is flows.ErrCaseUnreadable, so that the staff desk tells staff without
// importing storage.
const ErrUnreadable = flows.ErrCaseUnreadable

// ErrTooLarge is a change that would make a complaint record larger than MaxRecord: refused,
// the record stays as it was. It is flows.ErrCaseFull.
const ErrTooLarge = flows.ErrCaseFull

// Options tunes a Redis. The zero value is usable.
type Options struct {
	// SessionTTL is how long an idle session lives; every commit refreshes it. Default 30 days.
	SessionTTL time.Duration
	// DedupeWindow is how long a chat's committed update ids are remembered, so a redelivery is
	// recognised. Telegram keeps unconfirmed updates for 24 hours. Default 24 hours.
	DedupeWindow time.Duration
	// DedupeMax bounds the update ids remembered per chat within the window. Default 1024.
	DedupeMax int
	// MaxAttempts bounds Apply's load-step-commit rounds on ErrConflict and the rounds of a
	// change to a complaint record. Default 16.
	MaxAttempts int
	// MaxDeliveries is how often an escalation may be delivered; the next delivery moves it to
	// the dead-letter stream instead, once the escalation is DeadLetterAfter old. Default 5.
	MaxDeliveries int
	// DeadLetterAfter is the age an escalation must reach before it can be dead-lettered, so
	// that crashes in a row do not dead-letter the case being posted. Default 10 minutes; a
	// nanosecond dead-letters on the count alone.
	DeadLetterAfter time.Duration
	// ClaimIdle is how long an escalation may stay delivered but unacknowledged before another
	// consumer reclaims it (XAUTOCLAIM). Default 1 minute.
	ClaimIdle time.Duration
	// Group is the escalation stream's consumer group. Default "staff".
	Group string
	// Logger receives warnings (a failed outbox flush, a dead-lettered escalation). It is
	// never given personal data. Default: discard.
	Logger *slog.Logger
	// Now is the clock, for status history and update-id ages. Default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 30 * 24 * time.Hour
	}
	if o.DedupeWindow <= 0 {
		o.DedupeWindow = 24 * time.Hour
	}
	if o.DedupeMax <= 0 {
		o.DedupeMax = 1024
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 16
	}
	if o.MaxDeliveries <= 0 {
		o.MaxDeliveries = 5
	}
	if o.ClaimIdle <= 0 {
		o.ClaimIdle = time.Minute
	}
	if o.DeadLetterAfter <= 0 {
		o.DeadLetterAfter = 10 * time.Minute
	}
	if o.Group == "" {
		o.Group = "staff"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Redis keeps each chat's session under hash-tagged keys, finished complaints as records, and
// the escalation queue as a stream. It is safe for concurrent use, and several processes may
// share one Redis.
type Redis struct {
	rdb    redis.UniversalClient
	ttl    time.Duration
	o      Options
	log    *slog.Logger
	commit *redis.Script
	cas    *redis.Script
	sess   *redis.Script // session.lua
	remind *redis.Script // remind.lua
	lease  *redis.Script // posting.lua
	codec  codec
	locks  chatLocks
	// handled is, per chat, the update whose kept replies this process last returned from
	// Apply: when Apply is called for the chat again, its caller has sent them, and the commit
	// forgets them (see Apply).
	handled handledUpdates
	// unflushed are the chats whose outbox flush failed in this process (Redis went away
	// between the commit and the flush); Reflush tries them again.
	unflushed chatSet
	// cache keeps each chat's session as this process last committed it, so that the chat's
	// next update is applied without reading it; commit.lua's version check catches a session
	// another process changed meanwhile (see Apply).
	cache sessionCache

	// skipFlush leaves the outbox alone after a commit, as a crash between the script and the
	// flush would; tests set it.
	skipFlush bool
}

// New returns a Redis that uses rdb, which it closes on Close.
func New(rdb redis.UniversalClient, o Options) *Redis {
	o = o.withDefaults()
	return &Redis{
		rdb:    rdb,
		ttl:    o.SessionTTL,
		o:      o,
		log:    o.Logger,
		commit: redis.NewScript(commitLua),
		cas:    redis.NewScript(casLua),
		sess:   redis.NewScript(sessionLua),
		remind: redis.NewScript(remindLua),
		lease:  redis.NewScript(postingLua),
	}
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Close closes the client.
func (r *Redis) Close() error {
	if err := r.rdb.Close(); err != nil {
		return fmt.Errorf("close redis: %w", err)
	}
	return nil
}

// Load returns the chat's session, or flows.NewSession(chat) if it has none. Session.Version is
// the stored version, which Commit checks. Load first carries out work a crashed process left
// in the chat's outbox.
func (r *Redis) Load(ctx context.Context, chat int64) (flows.Session, error) {
	s, _, err := r.load(ctx, chat, 0, false)
	return s, err
}

// load reads the session and, with check, whether updateID was committed already.
func (r *Redis) load(ctx context.Context, chat, updateID int64, check bool) (flows.Session, bool, error) {
	s, _, dup, err := r.loadStored(ctx, chat, updateID, check)
	return s, dup, err
}

// loadStored is load that also returns the session's header. It costs one GET, and nothing more
// unless the header calls for it: the seen ids are looked up only for an update id no higher
// than the highest the chat committed (a redelivery, or updates overtaking each other), and the
// outbox is flushed only when a commit queued work that this process did not see flushed.
func (r *Redis) loadStored(ctx context.Context, chat, updateID int64, check bool) (flows.Session, header, bool, error) {
	s := flows.NewSession(chat)
	var h header
	raw, err := r.rdb.Get(ctx, sessionKey(chat)).Result()
	exists := err == nil
	switch {
	case errors.Is(err, redis.Nil):
	case err != nil:
		return flows.Session{}, header{}, false, fmt.Errorf("load session: %w", err)
	default:
		if s, h, err = r.codec.decodeStored(chat, raw); err != nil {
			return flows.Session{}, header{}, false, fmt.Errorf("load session: %w", err)
		}
	}
	// Without a session there is no case of the chat's for queued work to concern; Sweep
	// carries such work out.
	if exists && (!h.known || h.outbox) && !r.handled.flushed(chat, h.version) {
		if err := r.flush(ctx, chat); err != nil {
			r.log.WarnContext(ctx, "storage: outbox flush on load failed; it stays queued", "err", err)
			r.unflushed.add(chat)
		}
	}
	dup := false
	if check && exists && (!h.known || updateID <= h.last) {
		// A session that does not know its ids, or an id that may have been committed: look.
		// Otherwise commit.lua looks, when a new session's first update may be a redelivery.
		_, err := r.rdb.ZScore(ctx, seenKey(chat), strconv.FormatInt(updateID, 10)).Result()
		switch {
		case err == nil:
			dup = true
		case !errors.Is(err, redis.Nil):
			return flows.Session{}, header{}, false, fmt.Errorf("load session: %w", err)
		}
	}
	return s, h, dup, nil
}

// Committed is what a commit wrote: the session as written (new Version, LastCase; a fresh
// session after EffectErase; the stored session for a duplicate), the id of the complaint it
// stored, and whether the update was a duplicate, which wrote nothing. It is flows.Committed, so
// that bot reads it without importing storage.
type Committed = flows.Committed

// Commit writes res.Session if the stored version still equals res.Session.Version, and carries
// out res.Effects with it, atomically:
//
//   - EffectStore: the complaint gets an id "C-%06d", status submitted with the history entry
//     {submitted, CreatedAt, "user"}, is stored and indexed for the chat, and the session's
//     LastCase becomes its id.
//   - EffectEscalate: the case (Effect.CaseID; if empty, the case stored by this commit or
//     else the session's LastCase) becomes escalated and joins the escalation stream. A case
//     that is not the chat's fails with ErrNotFound and nothing is written.
//   - EffectAddEvidence: Effect.Evidence (items it has not got yet) joins the case Effect.CaseID
//     (if empty, the session's LastCase), which must be the chat's, as for EffectEscalate.
//   - EffectErase: the chat's session becomes flows.NewSession(chat) keeping only
//     res.Session.Lang, and its cases lose their personal fields (see the package comment).
//   - EffectListCases: nothing to store; the caller reads Cases.
//   - EffectRelay: nothing to store; the caller passes the message to staff.
//
// updateID is recorded: committing an update id the chat committed recently writes nothing and
// returns Committed{Duplicate: true} with the stored session. A moved version returns an error
// wrapping ErrConflict. Work outside the chat's slot (records, the stream) is done right after
// the script; if that fails the commit still stands and the work waits in the outbox.
func (r *Redis) Commit(ctx context.Context, res flows.Result, updateID int64) (Committed, error) {
	c, _, err := r.commitResult(ctx, res, updateID)
	return c, err
}

// commitResult is Commit that also returns the effects with the stored complaint (id, status,
// history) in place of the step's.
func (r *Redis) commitResult(ctx context.Context, res flows.Result, updateID int64) (Committed, []flows.Effect, error) {
	now := r.o.Now()
	// The random part tells this attempt from any other commit of the update.
	stamp := now.UnixMilli()*stampScale + rand.Int64N(stampScale)
	return r.commitStamp(ctx, res, updateID, now, stamp)
}

// commitStamp is commitResult at time now with the stamp of this attempt; a test resends with the
// same stamp, as go-redis would.
func (r *Redis) commitStamp(ctx context.Context, res flows.Result, updateID int64, now time.Time, stamp int64) (Committed, []flows.Effect, error) {
	s := res.Session
	chat := s.Chat
	if chat == 0 {
		return Committed{}, nil, errors.New("commit: the session has no chat")
	}
	nonce := newNonce()
	effects := slices.Clone(res.Effects)
	var (
		adds, checks, ops []string
		erase             bool
		caseID            string
		opN               int
	)
	nextOp := func(o op) error {
		opN++
		o.ID = nonce + "." + strconv.Itoa(opN)
		b, err := o.marshal()
		if err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		ops = append(ops, b)
		return nil
	}
	for i, e := range effects {
		switch e.Kind {
		case flows.EffectStore:
			if e.Complaint == nil {
				return Committed{}, nil, fmt.Errorf("commit: store effect without a complaint")
			}
			n, err := r.rdb.Incr(ctx, seqKey).Result()
			if err != nil {
				return Committed{}, nil, fmt.Errorf("commit: next case id: %w", err)
			}
			c := submitted(*e.Complaint, caseIDOf(n), chat, now)
			adds = append(adds, c.ID, strconv.FormatInt(n, 10))
			if err := nextOp(op{Kind: opStore, Case: c.ID, Rec: &c}); err != nil {
				return Committed{}, nil, err
			}
			effects[i].Complaint = &c
			caseID, s.LastCase = c.ID, c.ID
		case flows.EffectEscalate:
			id := e.CaseID
			if id == "" {
				id = s.LastCase // the case stored above, if any
			}
			if id == "" {
				return Committed{}, nil, fmt.Errorf("commit: escalate: no case: %w", ErrNotFound)
			}
			checks = append(checks, id)
			if err := nextOp(op{Kind: opEscalate, Case: id, At: now}); err != nil {
				return Committed{}, nil, err
			}
		case flows.EffectAddEvidence:
			id := e.CaseID
			if id == "" {
				id = s.LastCase
			}
			if id == "" {
				return Committed{}, nil, fmt.Errorf("commit: add evidence: no case: %w", ErrNotFound)
			}
			checks = append(checks, id)
			if err := nextOp(op{Kind: opEvidence, Case: id, Ev: e.Evidence}); err != nil {
				return Committed{}, nil, err
			}
		case flows.EffectErase:
			erase = true
		case flows.EffectListCases, flows.EffectRelay, flows.EffectLetter:
		default:
			return Committed{}, nil, fmt.Errorf("commit: unknown effect %q", e.Kind)
		}
	}

	want := s.Version
	s.Version++
	ttl := r.ttl
	erasePrefix := ""
	if erase {
		// Whatever the step left, only the language, the day's count of finished complaints
		// and the prompt counter survive: the user goes on being answered in the language,
		// the count keeps flows.MaxCasesPerDay, the counter keeps the erased conversation's
		// buttons stale, and none tells anything about them.
		lang, day, cases, prompt := s.Lang, s.CaseDay, s.Cases, s.Prompt
		s = flows.NewSession(chat)
		s.Version, s.Lang, s.CaseDay, s.Cases, s.Prompt = want+1, lang, day, cases, prompt
		if r.o.DedupeWindow < ttl {
			ttl = r.o.DedupeWindow
		}
		erasePrefix = eraseOpPrefix(nonce + ".erase")
	}
	value, err := r.codec.encodeSession(s)
	if err != nil {
		return Committed{}, nil, fmt.Errorf("commit: %w", err)
	}

	named := caseID // the case the replies name: the one stored now, else the session's last
	if named == "" {
		named = s.LastCase
	}
	replies, err := encodeReplies(res, named)
	if err != nil {
		return Committed{}, nil, fmt.Errorf("commit: %w", err)
	}
	sent := ""
	if id, ok := r.handled.get(chat); ok && id != updateID {
		sent = strconv.FormatInt(id, 10)
	}
	if erase {
		// commit.lua forgets every kept reply but this update's
		sent = ""
	}

	keys := []string{sessionKey(chat), seenKey(chat), casesKey(chat), outboxKey(chat), repliesKey(chat)}
	args := []any{
		want, value, s.Version, updateID,
		stamp, now.Add(-r.o.DedupeWindow).UnixMilli() * stampScale,
		r.o.DedupeMax, ttl.Milliseconds(), r.o.DedupeWindow.Milliseconds(), erasePrefix,
		len(adds) / 2,
	}
	for _, a := range adds {
		args = append(args, a)
	}
	args = append(args, len(checks))
	for _, c := range checks {
		args = append(args, c)
	}
	args = append(args, len(ops))
	for _, o := range ops {
		args = append(args, o)
	}
	args = append(args, replies, sent)
	raw, err := r.commit.Run(ctx, r.rdb, keys, args...).Slice()
	if err != nil {
		return Committed{}, nil, fmt.Errorf("commit: %w", err)
	}
	reply, written, ok := commitReply(raw)
	if !ok {
		return Committed{}, nil, fmt.Errorf("commit: unexpected reply %v", raw)
	}
	switch reply[0] {
	case 1:
	case 0:
		return Committed{}, nil, fmt.Errorf("commit: stored version %d, loaded %d: %w", reply[1], want, ErrConflict)
	case 2:
		cur, err := r.Load(ctx, chat)
		if err != nil {
			return Committed{}, nil, fmt.Errorf("commit: duplicate update: %w", err)
		}
		return Committed{Session: cur, Duplicate: true}, nil, nil
	case 3:
		id := "?"
		if k := reply[1]; k >= 1 && int(k) <= len(checks) {
			id = checks[k-1]
		}
		return Committed{}, nil, fmt.Errorf("commit: case %s is not the chat's: %w", id, ErrNotFound)
	default:
		return Committed{}, nil, fmt.Errorf("commit: unexpected reply %v", reply)
	}
	if (len(ops) > 0 || erase) && !r.skipFlush {
		// The entries just queued are known, unless the script wrote one (erasure) or the outbox
		// holds others (a flush that failed earlier; they go first): then it is read back.
		flush := func() error { return r.flush(ctx, chat) }
		if !erase && len(reply) == 3 && reply[2] == int64(len(ops)) {
			flush = func() error { return r.flushEntries(ctx, chat, ops) }
		}
		if err := flush(); err != nil {
			r.log.WarnContext(ctx, "storage: outbox flush after commit failed; it stays queued", "err", err)
			r.unflushed.add(chat)
		} else {
			r.handled.emptied(chat, s.Version)
		}
	}
	if written != "" {
		// what the next update of the chat will find: this process applies it without reading
		// it back, unless another process wrote meanwhile (the version check tells)
		if h, _, err := parseHeader(written + ":"); err == nil && h.version == s.Version {
			r.cache.put(chat, s, h)
		}
	}
	return Committed{Session: s, CaseID: caseID}, effects, nil
}

// commitReply reads commit.lua's reply: the code and numbers, and the header written.
func commitReply(raw []any) ([]int64, string, bool) {
	if len(raw) != 2 && (len(raw) != 4 || raw[0] != int64(1)) {
		return nil, "", false
	}
	reply := make([]int64, 0, 3)
	for _, v := range raw[:min(len(raw), 3)] {
		n, ok := v.(int64)
		if !ok {
			return nil, "", false
		}
		reply = append(reply, n)
	}
	if len(raw) == 2 {
		return reply, "", true
	}
	header, ok := raw[3].(string)
	if reply[2] < 0 {
		reply = reply[:2]
	}
	return reply, header, ok
}

// stampScale makes room for a random part below the millisecond in a stamp. A stamp stays an
// integer below 2⁵³, which a zset score holds exactly and a listpack stores in 9 bytes, until
// the year 2255.
const stampScale = 1000

// submitted is c as stored by EffectStore.
func submitted(c flows.Complaint, id string, chat int64, now time.Time) flows.Complaint {
	c.ID = id
	if c.Chat == 0 {
		c.Chat = chat
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.Status = flows.StatusSubmitted
	c.History = append(slices.Clone(c.History), flows.StatusChange{
		Status: flows.StatusSubmitted, At: c.CreatedAt, By: "user",
	})
	return c
}

// replay is Apply's answer to a redelivered update: the stored session with the replies the
// update's commit kept, if any. It costs one more round trip, on duplicates only.
func (r *Redis) replay(ctx context.Context, chat, updateID int64, s flows.Session, h header) (flows.Result, Committed, error) {
	res, c := flows.Result{Session: s}, Committed{Session: s, Duplicate: true}
	field := strconv.FormatInt(updateID, 10) // a session written before the header had slots
	if h.known {
		slot := h.slotOf(updateID)
		if slot < 0 {
			return res, c, nil
		}
		field = strconv.Itoa(slot)
	}
	raw, err := r.rdb.HGet(ctx, repliesKey(chat), field).Result()
	if errors.Is(err, redis.Nil) || (err == nil && raw == "") {
		return res, c, nil
	}
	if err != nil {
		return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: replies of a duplicate: %w", updateID, err)
	}
	reps, effects, caseID, err := decodeReplies(raw)
	if err != nil {
		return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
	}
	for _, rep := range reps {
		if rep.Document && caseID != "" {
			k, err := r.Complaint(ctx, caseID)
			if errors.Is(err, ErrNotFound) {
				return res, c, nil // gone since: nothing to send again
			}
			if err != nil {
				return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: complaint of a duplicate: %w", updateID, err)
			}
			effects = append([]flows.Effect{{Kind: flows.EffectStore, Complaint: &k}}, effects...)
			break
		}
	}
	res.Replies, res.Effects = reps, effects
	c.CaseID, c.Replayed = caseID, true
	r.handled.set(chat, updateID, s.Version)
	return res, c, nil
}

// caseIDOf formats the n-th case id.
func caseIDOf(n int64) string { return fmt.Sprintf("C-%06d", n) }

// Apply loads the chat's session, runs step on it and commits the result with updateID,
// starting again on ErrConflict up to Options.MaxAttempts times. Within one process the
// updates of one chat are applied one at a time, so only other processes cause conflicts.
//
// step must be free of side effects (flows.Step is): it may run more than once. On success
// Apply returns step's Result with Session replaced by the committed session (new Version,
// LastCase) and the stored complaint (id, status, history) in its EffectStore.
//
// If updateID was committed before, step does not run: Apply returns Committed{Duplicate: true}
// and a Result holding the stored session and, when the update is one of the chat's last
// keptReplies commits, the replies its step produced (Committed.Replayed), with the stored
// complaint for a Document reply and the EffectListCases and EffectRelay effects: a process that
// died after the commit and before sending them lost nothing, and the caller sends them again.
// Delivery is at least once: a process that died half-way through sending repeats what it had
// sent, and so does a redelivery of the chat's last update when its webhook answer was lost.
// The caller must have finished sending a result's replies before it calls Apply for the same
// chat again (bot handles a chat's updates one at a time): that call's commit forgets them, at
// no extra round trip, so an older update delivered again sends nothing. Without kept replies
// the caller sends nothing. When the attempts run out the error wraps
// ErrConflict; the update may be retried.
func (r *Redis) Apply(ctx context.Context, chat int64, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, Committed, error) {
	unlock, err := r.locks.lock(ctx, chat)
	if err != nil {
		return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
	}
	defer unlock()
	var last error
	for attempt := range r.o.MaxAttempts {
		if attempt > 0 {
			if err := sleep.For(ctx, backoff(attempt)); err != nil {
				return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
			}
		}
		s, h, ok := r.cache.take(chat)
		dup := false
		if !ok || attempt > 0 || updateID <= h.last || (h.outbox && !r.handled.flushed(chat, h.version)) {
			// nothing kept, a conflict, an update that may have been committed, work queued:
			// read the session
			s, h, dup, err = r.loadStored(ctx, chat, updateID, true)
			if err != nil {
				return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
			}
		}
		if dup {
			return r.replay(ctx, chat, updateID, s, h)
		}
		res, err := step(s)
		if err != nil {
			return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
		}
		res.Session.Chat, res.Session.Version = chat, s.Version
		c, effects, err := r.commitResult(ctx, res, updateID)
		if errors.Is(err, ErrConflict) {
			last = err
			continue
		}
		if err != nil {
			return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %w", updateID, err)
		}
		if c.Duplicate {
			s, h, _, err := r.loadStored(ctx, chat, 0, false)
			if err != nil {
				return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: duplicate: %w", updateID, err)
			}
			return r.replay(ctx, chat, updateID, s, h)
		}
		res.Session, res.Effects = c.Session, effects
		r.handled.set(chat, updateID, c.Session.Version)
		return res, c, nil
	}
	return flows.Result{}, Committed{}, fmt.Errorf("apply update %d: %d attempts: %w", updateID, r.o.MaxAttempts, last)
}

// backoff is the pause before attempt n (n ≥ 1): exponential from 1ms to 64ms, with full jitter
// so that competing processes spread out.
func backoff(n int) time.Duration {
	d := time.Millisecond << min(n-1, 6)
	return time.Duration(rand.Int64N(int64(d))) + time.Millisecond/4
}

// MemoryUsage returns the bytes Redis uses for key (MEMORY USAGE), or 0 if there is no key.
func (r *Redis) MemoryUsage(ctx context.Context, key string) (int64, error) {
	n, err := r.rdb.MemoryUsage(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("memory usage: %w", err)
	}
	return n, nil
}

// SessionKey is the key of a chat's session, for MemoryUsage.
func SessionKey(chat int64) string { return sessionKey(chat) }

// CaseKey is the key of a complaint record, for MemoryUsage.
func CaseKey(id string) string { return caseKey(id) }
