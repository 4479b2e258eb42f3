package bot

import (
	"time"

	"golang.org/x/time/rate"

	"complaintbot/flows"
)

// Config is the bot's settings. The wiring (package app) reads and checks them; the bot takes
// them as they are.
type Config struct {
	Token         string // the bot token @BotFather gave
	APIURL        string // the Bot API base URL, without a trailing slash
	WebhookURL    string // set: webhook mode, else long polling
	WebhookSecret string // required with WebhookURL, checked on every delivery
	ListenAddr    string // for the webhook, /healthz, /readyz and /metrics
	StaffChat     int64  // the staff chat, whose updates go to the staff side; 0: none
	StaffUsers    []int64
	Location      *time.Location // the users' time zone; UTC when nil
	AlbumWait     time.Duration  // how long an album may be quiet before it is acknowledged
	PollWait      time.Duration  // how long one getUpdates call waits; 30s when zero
	// UserRate and UserBurst limit the updates one chat may have handled (a token bucket);
	// beyond it updates are dropped with one notice a minute. DefaultUserRate and
	// DefaultUserBurst when zero; rate.Inf turns the limit off.
	UserRate  rate.Limit
	UserBurst int

	// The staff side.

	StaffLang  flows.Lang // the staff chat's language; zh-CN when empty
	StaffForum ForumMode  // whether each case gets a forum topic
	// StaffConsumer is this process's name in the escalation queue: unique per running
	// instance and the same across its restarts, so that a restarted process finishes its own
	// unacknowledged work at once; "complaintbot" when empty.
	StaffConsumer string
	// RemindUnclaimed: a case nobody claimed for this long is raised again in the staff chat,
	// and again every such period; 0 turns it off.
	RemindUnclaimed time.Duration
	// RemindWaiting: a claimed case (or one whose complainant answered) that waited on staff
	// this long is raised again, once per such period; 0 turns it off.
	RemindWaiting time.Duration
}

// ForumMode says whether the staff chat is used as a forum, each case in its own topic.
type ForumMode string

// The values of STAFF_FORUM.
const (
	ForumAuto ForumMode = "auto" // ask Telegram (getChat's is_forum) at start-up; the default
	ForumOn   ForumMode = "on"   // a topic per case (the bot needs the right to manage topics)
	ForumOff  ForumMode = "off"  // an ordinary group: each case card starts a reply thread
)

// IsStaff reports whether a user is listed as staff.
func (c Config) IsStaff(user int64) bool {
	for _, u := range c.StaffUsers {
		if u == user {
			return true
		}
	}
	return false
}
