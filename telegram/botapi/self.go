package botapi

import (
	"context"
	"strings"
	"sync"
	"time"
)

// selfRetry is how long Self waits after a failed getMe before it asks again; meanwhile every
// command is taken as the bot's, as before it knew its name.
const selfRetry = time.Minute

// Self knows the bot's own username, so that a command addressed to another bot
// ("/cancel@other_bot", which a group with several bots delivers to every bot that reads all
// its messages) is left to that bot. It asks Telegram (getMe) the first time a command names a
// bot, and keeps the answer. It is safe for concurrent use.
type Self struct {
	getMe func(ctx context.Context) (string, error)

	mu       sync.Mutex
	name     string    // the username, once known
	failedAt time.Time // the last failed getMe
	now      func() time.Time
}

// NewSelf returns a Self that learns the username with getMe (go-telegram/bot's GetMe, or a
// test's answer).
func NewSelf(getMe func(ctx context.Context) (string, error)) *Self {
	return &Self{getMe: getMe, now: time.Now}
}

// Addressed reports whether a command whose text after the slash is cmd ("start",
// "start@complaint_bot") is for this bot: a command naming no bot is; one naming a bot is when
// the name is the bot's username, compared as Telegram does, without case. While the username
// cannot be learnt, every command is taken as the bot's. A nil Self takes every command.
func (s *Self) Addressed(ctx context.Context, cmd string) bool {
	_, to, ok := strings.Cut(cmd, "@")
	if !ok || s == nil {
		return true
	}
	name, known := s.username(ctx)
	return !known || strings.EqualFold(to, name)
}

// username returns the bot's username and whether it is known.
func (s *Self) username(ctx context.Context) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.name != "" {
		return s.name, true
	}
	if !s.failedAt.IsZero() && s.now().Sub(s.failedAt) < selfRetry {
		return "", false
	}
	name, err := s.getMe(ctx)
	if err != nil || name == "" {
		s.failedAt = s.now()
		return "", false
	}
	s.name = name
	return name, true
}
