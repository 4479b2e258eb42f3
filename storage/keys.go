package storage

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The key layout is described in the package comment. A chat's keys share the hash tag
// {chat:<id>}; the escalation streams share {escalations}.
const (
	seqKey      = "case:seq"
	allCasesKey = "cases:all"
	openKey     = "{staff}:open"
	erasedKey   = "{staff}:erased" // cases erased whose staff chat copy is still to remove
	aofDirtyKey = "aof:erased"     // an erasure happened since the append-only file was rewritten
	aofLastKey  = "aof:rewritten"  // a rewrite started within the period (BGREWRITEAOF at most once per period)
	streamKey   = "{escalations}:stream"
	deadKey     = "{escalations}:dead"
	// outboxPattern matches every chat's outbox, for Sweep.
	outboxPattern = "{chat:*}:outbox"
)

func chatTag(chat int64) string { return "{chat:" + strconv.FormatInt(chat, 10) + "}" }

func sessionKey(chat int64) string { return chatTag(chat) + ":s" }
func seenKey(chat int64) string    { return chatTag(chat) + ":u" }
func casesKey(chat int64) string   { return chatTag(chat) + ":cases" }
func outboxKey(chat int64) string  { return chatTag(chat) + ":outbox" }
func repliesKey(chat int64) string { return chatTag(chat) + ":r" }
func caseKey(id string) string     { return "case:" + id }
func postedKey(id string) string   { return "posted:" + id }

func threadKey(id string) string       { return "{staff}:case:" + id }
func staffMsgsKey(chat int64) string   { return "{staff}:msgs:" + strconv.FormatInt(chat, 10) }
func staffTopicsKey(chat int64) string { return "{staff}:topics:" + strconv.FormatInt(chat, 10) }
func postingKey(id string) string      { return "{staff}:posting:" + id }
func staffPostedKey(id string) string  { return "{staff}:case:" + id + ":m" }
func staffUpdateKey(update int64) string {
	return "{staff}:update:" + strconv.FormatInt(update, 10)
}
func awaitKey(chat, user int64) string {
	return "{staff}:awaits:" + strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(user, 10)
}

// caseNumber returns the number of case id "C-000123", or 0.
func caseNumber(id string) int64 {
	n, _ := strconv.ParseInt(strings.TrimPrefix(id, "C-"), 10, 64)
	return n
}

// chatOfOutbox returns the chat of an outbox key.
func chatOfOutbox(key string) (int64, error) {
	s, ok := strings.CutPrefix(key, "{chat:")
	if ok {
		s, ok = strings.CutSuffix(s, "}:outbox")
	}
	chat, err := strconv.ParseInt(s, 10, 64)
	if !ok || err != nil {
		return 0, fmt.Errorf("not an outbox key: %q", key)
	}
	return chat, nil
}

// newNonce returns 12 random characters, which make the ids of a commit's outbox entries unique.
func newNonce() string {
	var b [9]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// chatLocks serialises the updates of one chat within the process, so that concurrent updates
// of a chat (an album arrives as several) wait instead of conflicting.
type chatLocks struct {
	mu sync.Mutex
	m  map[int64]*chatLock
}

type chatLock struct {
	ch    chan struct{} // holds a token while locked
	users int           // holders and waiters; the entry goes when it drops to zero
}

// lock locks chat, waiting at most as long as ctx, and returns the unlock function.
func (l *chatLocks) lock(ctx context.Context, chat int64) (func(), error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[int64]*chatLock)
	}
	c := l.m[chat]
	if c == nil {
		c = &chatLock{ch: make(chan struct{}, 1)}
		l.m[chat] = c
	}
	c.users++
	l.mu.Unlock()

	release := func() {
		l.mu.Lock()
		if c.users--; c.users == 0 {
			delete(l.m, chat)
		}
		l.mu.Unlock()
	}
	select {
	case c.ch <- struct{}{}:
		return func() { <-c.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
