package storage

// Screenshots waiting to be read (issue 13): a photo or image file a complainant sent as
// evidence is read with OCR off the update's path. The bot enqueues a job when the step that
// took the photo is committed (again on a redelivery: enqueueing is idempotent); a worker
// claims jobs with a lease, reads the image, applies the reading to the session as a step of
// its own, and marks the job done. A worker that dies before DoneReading leaves the job to be
// claimed again once its lease ran out, by any process, after a restart too. flows offers a
// reading once per evidence item, so a job run twice proposes once.
//
// Keys, under the hash tag {reads} so that every script runs in one slot:
//
//	{reads}:q    zset    job → when it may be claimed next (ms): its enqueue time, then the
//	                     end of its claim's lease
//	{reads}:f    hash    job → the Telegram file id to download
//	{reads}:try  hash    job → claims so far
//	{reads}:tok  hash    job → the token of its latest claim
//	{reads}:seq  string  the claim token counter
//	{reads}:n    hash    chat → its jobs queued or claimed, at most MaxQueuedReadings
//	{reads}:srv  hash    chat → the token of its latest claim, while it has jobs: chats are
//	                     served in turn
//
// A job is "<chat>/<unique file id>". An erasure (/delete) forgets the chat's jobs.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	readsQueueKey = "{reads}:q"
	readsFileKey  = "{reads}:f"
	readsTryKey   = "{reads}:try"
	readsTokKey   = "{reads}:tok"
	readsSeqKey   = "{reads}:seq"
	readsChatKey  = "{reads}:n"
	readsSrvKey   = "{reads}:srv"
)

// MaxQueuedReadings bounds the screenshots of one chat waiting to be read. Tesseract reads one
// at a time, and chats are served in turn (claim): a chat sending photos faster than they are
// read (a script, /restart after each 30) would otherwise grow the queue without bound. A screenshot beyond it is kept as evidence, unread, as without OCR.
const MaxQueuedReadings = 10

var readKeys = []string{readsQueueKey, readsFileKey, readsTryKey, readsTokKey, readsSeqKey, readsChatKey, readsSrvKey}

// readScripts are the job list's scripts.
var readScripts = struct{ enqueue, claim, done, drop *redis.Script }{
	// enqueue: a job already queued (or claimed) keeps its place, file and attempts; a chat
	// with ARGV[4] jobs gets no more (2).
	enqueue: redis.NewScript(`
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local chat = string.match(ARGV[1], '^([^/]*)/')
if tonumber(redis.call('HGET', KEYS[6], chat) or '0') >= tonumber(ARGV[4]) then return 2 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HINCRBY', KEYS[6], chat, 1)
return 1`),
	// claim: up to ARGV[3] jobs whose time came, for ARGV[2] ms; returns job, file, attempt,
	// token. Chats are served in turn: of the jobs due (the first 100), the one whose chat was
	// served longest ago (never, first) is taken, the earliest among equals, so that a chat with
	// many screenshots waiting, each slow to read, delays another chat's by one reading, not by
	// all of its own.
	claim: redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
local out, taken = {}, {}
for _ = 1, tonumber(ARGV[3]) do
  local id, served = nil, nil
  for _, d in ipairs(due) do
    if not taken[d] then
      local s = tonumber(redis.call('HGET', KEYS[7], string.match(d, '^([^/]*)/')) or '0')
      if id == nil or s < served then id, served = d, s end
    end
  end
  if id == nil then break end
  taken[id] = true
  local n = redis.call('HINCRBY', KEYS[3], id, 1)
  local tok = redis.call('INCR', KEYS[5])
  redis.call('HSET', KEYS[4], id, tok)
  redis.call('HSET', KEYS[7], string.match(id, '^([^/]*)/'), tok)
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
  out[#out + 1] = n
  out[#out + 1] = tok
end
return out`),
	// done: forget the job when ARGV[2] is still its latest claim's token.
	done: redis.NewScript(`
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
local chat = string.match(ARGV[1], '^([^/]*)/')
if redis.call('HINCRBY', KEYS[6], chat, -1) <= 0 then
  redis.call('HDEL', KEYS[6], chat)
  redis.call('HDEL', KEYS[7], chat)
end
return 1`),
	// drop: forget every job whose id starts with ARGV[1] (a chat's "<chat>/"), and the chat's
	// count; the list is short (at most MaxQueuedReadings a chat, read within seconds), so
	// HKEYS is.
	drop: redis.NewScript(`
local n = 0
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
  if string.sub(id, 1, #ARGV[1]) == ARGV[1] then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    n = n + 1
  end
end
redis.call('HDEL', KEYS[6], string.sub(ARGV[1], 1, -2))
redis.call('HDEL', KEYS[7], string.sub(ARGV[1], 1, -2))
return n`),
}

// ReadingJob is a screenshot to read: the chat it came from, the evidence item's unique file
// id (how flows finds the item) and the file id to download it by.
type ReadingJob struct {
	Chat   int64
	Unique string
	FileID string
	// Attempt is 1 for the first claim; more means an earlier claim ended without
	// DoneReading. Token identifies the claim for DoneReading.
	Attempt int
	Token   int64
}

// ErrBadReadingJob is a job without a unique id or file id, or with a "/" in the unique id.
const ErrBadReadingJob Error = "storage: a reading job needs a unique id without \"/\" and a file id"

func (j ReadingJob) key() string { return strconv.FormatInt(j.Chat, 10) + "/" + j.Unique }

// EnqueueReading queues the screenshot j for reading at now; it reports false when it was
// queued already (a redelivered update), which changes nothing, or when its chat has
// MaxQueuedReadings waiting (the screenshot stays unread).
func (r *Redis) EnqueueReading(ctx context.Context, j ReadingJob, now time.Time) (bool, error) {
	if j.Unique == "" || j.FileID == "" || strings.Contains(j.Unique, "/") {
		return false, ErrBadReadingJob
	}
	n, err := readScripts.enqueue.Run(ctx, r.rdb, readKeys, j.key(), j.FileID, now.UnixMilli(), MaxQueuedReadings).Int()
	if err != nil {
		return false, fmt.Errorf("enqueue a reading: %w", err)
	}
	return n == 1, nil
}

// ClaimReadings claims up to limit jobs (at least 1) that are queued, or whose earlier claim's
// lease ran out at now, for lease. One job is claimed by one caller at a time.
func (r *Redis) ClaimReadings(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]ReadingJob, error) {
	if lease < time.Millisecond {
		return nil, errors.New("claim readings: the lease must be at least a millisecond")
	}
	res, err := readScripts.claim.Run(ctx, r.rdb, readKeys, now.UnixMilli(), lease.Milliseconds(), max(limit, 1)).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim readings: %w", err)
	}
	out := make([]ReadingJob, 0, len(res)/4)
	for i := 0; i+3 < len(res); i += 4 {
		id, _ := res[i].(string)
		file, _ := res[i+1].(string)
		n, _ := res[i+2].(int64)
		tok, _ := res[i+3].(int64)
		c, u, _ := strings.Cut(id, "/")
		chat, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("claim readings: job %q: %w", id, err)
		}
		out = append(out, ReadingJob{Chat: chat, Unique: u, FileID: file, Attempt: int(n), Token: tok})
	}
	return out, nil
}

// DoneReading forgets a claimed job once its reading was committed, and reports whether j was
// still the job's latest claim (false: the lease ran out and another claim took it).
func (r *Redis) DoneReading(ctx context.Context, j ReadingJob) (bool, error) {
	n, err := readScripts.done.Run(ctx, r.rdb, readKeys, j.key(), j.Token).Int()
	if err != nil {
		return false, fmt.Errorf("reading done: %w", err)
	}
	return n == 1, nil
}

// dropReadings forgets the chat's screenshots waiting to be read: its data was erased. A claim
// in progress finds its job gone; its reading applies to a session without the screenshot,
// which changes nothing.
func (r *Redis) dropReadings(ctx context.Context, chat int64) error {
	if err := readScripts.drop.Run(ctx, r.rdb, readKeys, strconv.FormatInt(chat, 10)+"/").Err(); err != nil {
		return fmt.Errorf("drop the readings of an erased chat: %w", err)
	}
	return nil
}
