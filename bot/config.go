package bot

import (
	"time"

	"golang.org/x/time/rate"
)

// DefaultWebhookMaxConnections is Telegram's own default for setWebhook's max_connections.
const DefaultWebhookMaxConnections = 40

// Config is the bot's settings. The wiring (package app) reads and checks them; the bot takes
// them as they are.
type Config struct {
	Token         string // the bot token @BotFather gave
	APIURL        string // the Bot API base URL, without a trailing slash
	WebhookURL    string // set: webhook mode, else long polling
	WebhookSecret string // required with WebhookURL, checked on every delivery
	// WebhookMaxConnections is setWebhook's max_connections: how many webhook requests
	// Telegram keeps open to the bot at once (1-100); DefaultWebhookMaxConnections when zero.
	WebhookMaxConnections int
	// StaffChat is the staff chat, whose updates go to Deps.Desk; 0: none, and users are told
	// escalation is not available.
	StaffChat int64
	Location  *time.Location // the users' time zone; UTC when nil
	AlbumWait time.Duration  // how long an album may be quiet before it is acknowledged
	PollWait  time.Duration  // how long one getUpdates call waits; 30s when zero
	// UserRate and UserBurst limit the updates one chat may have handled (a token bucket);
	// beyond it updates are dropped with one notice a minute. DefaultUserRate and
	// DefaultUserBurst when zero; rate.Inf turns the limit off.
	UserRate  rate.Limit
	UserBurst int
	// SessionTTL is how long an idle conversation is kept, and CaseRetention how long a closed
	// case keeps its personal fields (DOMAIN.md §6); the privacy notice states both, in days.
	// Zero: flows' defaults are stated.
	SessionTTL    time.Duration
	CaseRetention time.Duration
	// ReadLease is how long a claimed screenshot is its reader's before another process may
	// claim it (RunReadings); 5 minutes when zero.
	ReadLease time.Duration
}
