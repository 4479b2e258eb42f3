package storage

import (
	"sync"

	"complaintbot/flows"
)

// maxCached bounds the sessions a process keeps; beyond it the cache starts again empty, which
// costs each chat one GET. 2,048 decoded sessions take a few MB, whatever the number of chats.
const maxCached = 2048

// sessionCache keeps each chat's session as this process last committed it, with its header.
// An entry is taken out while an update runs on it (a step may share its slices) and put back
// only once a commit stored its successor, so it is never stale for this process; another
// process's write makes commit.lua refuse the version, and Apply reads the session then.
type sessionCache struct {
	mu sync.Mutex
	m  map[int64]cachedSession
}

type cachedSession struct {
	s flows.Session
	h header
}

// take removes and returns the chat's session, if kept.
func (c *sessionCache) take(chat int64) (flows.Session, header, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[chat]
	if ok {
		delete(c.m, chat)
	}
	return e.s, e.h, ok
}

// put keeps the chat's session as committed with header h.
func (c *sessionCache) put(chat int64, s flows.Session, h header) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[int64]cachedSession, 64)
	}
	c.m[chat] = cachedSession{s: s, h: h}
}

// drop forgets the chat's session: it is changed otherwise than by Apply.
func (c *sessionCache) drop(chat int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, chat)
}
