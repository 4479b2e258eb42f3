package bot

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"complaintbot/flows"
)

// Config is the bot's settings, read from the environment by ConfigFromEnv.
type Config struct {
	Token         string        // TELEGRAM_BOT_TOKEN, required
	APIURL        string        // TELEGRAM_API_URL, the Bot API base URL
	RedisURL      string        // REDIS_URL; empty: the embedded in-process Redis
	WebhookURL    string        // WEBHOOK_URL; set: webhook mode, else long polling
	WebhookSecret string        // WEBHOOK_SECRET, required with WEBHOOK_URL
	ListenAddr    string        // LISTEN_ADDR, for the webhook, /healthz, /readyz and /metrics
	StaffChat     int64         // STAFF_CHAT_ID; 0: escalation is not available
	StaffUsers    []int64       // STAFF_USER_IDS, comma-separated
	LogLevel      slog.Level    // LOG_LEVEL: debug, info, warn, error
	SessionTTL    time.Duration // SESSION_TTL, e.g. 720h
	Location      *time.Location
	AlbumWait     time.Duration // how long an album may be quiet before it is acknowledged
	PollWait      time.Duration // how long one getUpdates call waits; 30s when zero
	// UserRate and UserBurst limit the updates one chat may have handled (a token bucket);
	// beyond it updates are dropped with one notice a minute. DefaultUserRate and
	// DefaultUserBurst when zero; rate.Inf turns the limit off.
	UserRate  rate.Limit
	UserBurst int

	// ProvidersFile is PROVIDERS_FILE: the operator's provider data (providers.Load), which adds
	// providers or fills in an address over the embedded data; empty: the embedded data only.
	ProvidersFile string
	// CaseRetention is CASE_RETENTION: a closed case keeps its personal fields this long after
	// it closed, then they are scrubbed (DOMAIN.md §6); DefaultCaseRetention when unset.
	CaseRetention time.Duration

	// The staff side (see staffFromEnv).

	StaffLang  flows.Lang // STAFF_LANG: the staff chat's language; zh-CN when empty
	StaffForum ForumMode  // STAFF_FORUM: whether each case gets a forum topic
	// StaffConsumer is STAFF_CONSUMER, this process's name in the escalation queue: unique per
	// running instance and the same across its restarts, so that a restarted process finishes
	// its own unacknowledged work at once. Default $HOSTNAME, else "complaintbot".
	StaffConsumer string
	// RemindUnclaimed is STAFF_REMIND_UNCLAIMED: a case nobody claimed for this long is raised
	// again in the staff chat, and again every such period; 0 turns it off.
	RemindUnclaimed time.Duration
	// RemindWaiting is STAFF_REMIND_WAITING: a claimed case (or one whose complainant answered)
	// that waited on staff this long is raised again, once per such period; 0 turns it off.
	RemindWaiting time.Duration
}

// The defaults of the optional settings.
const (
	DefaultAPIURL     = "https://api.telegram.org"
	DefaultListenAddr = ":8080"
	DefaultSessionTTL = 30 * 24 * time.Hour
	// DefaultCaseRetention is how long a closed case keeps its personal fields: 180 days.
	DefaultCaseRetention = flows.DefaultRetentionDays * 24 * time.Hour
)

// The default reminder periods of the staff side.
const (
	DefaultRemindUnclaimed = 4 * time.Hour
	DefaultRemindWaiting   = 24 * time.Hour
)

// ForumMode says whether the staff chat is used as a forum, each case in its own topic.
type ForumMode string

// The values of STAFF_FORUM.
const (
	ForumAuto ForumMode = "auto" // ask Telegram (getChat's is_forum) at start-up; the default
	ForumOn   ForumMode = "on"   // a topic per case (the bot needs the right to manage topics)
	ForumOff  ForumMode = "off"  // an ordinary group: each case card starts a reply thread
)

// ConfigFromEnv reads the settings. A missing or malformed setting is an error naming it, in
// one line.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Token:      strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		APIURL:     strings.TrimRight(strings.TrimSpace(getenv("TELEGRAM_API_URL")), "/"),
		RedisURL:   strings.TrimSpace(getenv("REDIS_URL")),
		WebhookURL: strings.TrimSpace(getenv("WEBHOOK_URL")),
		ListenAddr: strings.TrimSpace(getenv("LISTEN_ADDR")),
		SessionTTL: DefaultSessionTTL,
		AlbumWait:  time.Second,
	}
	c.WebhookSecret = getenv("WEBHOOK_SECRET")
	if c.Token == "" {
		return Config{}, fmt.Errorf("TELEGRAM_BOT_TOKEN is required (create a bot with @BotFather)")
	}
	if !validToken(c.Token) {
		return Config{}, fmt.Errorf("TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret> as given by @BotFather")
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Config{}, fmt.Errorf("TELEGRAM_API_URL is malformed: expected an http(s) URL such as %s", DefaultAPIURL)
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			return Config{}, fmt.Errorf("WEBHOOK_URL is malformed: Telegram needs an https URL")
		}
		if !validSecret(c.WebhookSecret) {
			return Config{}, fmt.Errorf("WEBHOOK_SECRET is required with WEBHOOK_URL: 16 to 256 characters of A-Z, a-z, 0-9, _ and -")
		}
	}
	if c.ListenAddr == "" {
		c.ListenAddr = DefaultListenAddr
	}
	if v := strings.TrimSpace(getenv("STAFF_CHAT_ID")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			return Config{}, fmt.Errorf("STAFF_CHAT_ID is malformed: expected a chat id such as -1001234567890")
		}
		c.StaffChat = id
	}
	if v := strings.TrimSpace(getenv("STAFF_USER_IDS")); v != "" {
		for _, f := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil || id <= 0 {
				return Config{}, fmt.Errorf("STAFF_USER_IDS is malformed: expected user ids separated by commas")
			}
			c.StaffUsers = append(c.StaffUsers, id)
		}
	}
	if err := c.staffFromEnv(getenv); err != nil {
		return Config{}, err
	}
	if v := strings.TrimSpace(getenv("LOG_LEVEL")); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return Config{}, fmt.Errorf("LOG_LEVEL is malformed: expected debug, info, warn or error")
		}
	}
	if v := strings.TrimSpace(getenv("SESSION_TTL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return Config{}, fmt.Errorf("SESSION_TTL is malformed: expected a duration of at least 1h, such as 720h")
		}
		c.SessionTTL = d
	}
	c.ProvidersFile = strings.TrimSpace(getenv("PROVIDERS_FILE"))
	c.CaseRetention = DefaultCaseRetention
	if v := strings.TrimSpace(getenv("CASE_RETENTION")); v != "" {
		d, err := parseRetention(v)
		if err != nil {
			return Config{}, err
		}
		c.CaseRetention = d
	}
	if v := strings.TrimSpace(getenv("USER_RATE_LIMIT")); v != "" {
		if err := c.parseUserRate(v); err != nil {
			return Config{}, err
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return Config{}, fmt.Errorf("load the Asia/Shanghai time zone: %w", err)
	}
	c.Location = loc
	return c, nil
}

// parseRetention reads CASE_RETENTION: days ("180d") or a Go duration ("4320h"), at least one
// day.
func parseRetention(v string) (time.Duration, error) {
	bad := fmt.Errorf("CASE_RETENTION is malformed: expected days such as 180d, or a duration of at least 24h")
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 36500 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 24*time.Hour {
		return 0, bad
	}
	return d, nil
}

// validToken checks the shape of a bot token: "123456:ABC-DEF...".
func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || len(secret) < 8 {
		return false
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return false
	}
	return !strings.ContainsAny(secret, " /?#")
}

// validSecret checks a webhook secret as Telegram defines it.
func validSecret(s string) bool {
	if len(s) < 16 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// IsStaff reports whether a user is listed as staff.
func (c Config) IsStaff(user int64) bool {
	for _, u := range c.StaffUsers {
		if u == user {
			return true
		}
	}
	return false
}

// staffFromEnv reads the staff side's settings.
func (c *Config) staffFromEnv(getenv func(string) string) error {
	switch v := strings.ToLower(strings.TrimSpace(getenv("STAFF_LANG"))); v {
	case "", "zh", "zh-cn":
		c.StaffLang = flows.LangZH
	case "en":
		c.StaffLang = flows.LangEN
	default:
		return fmt.Errorf("STAFF_LANG is malformed: expected zh-CN or en")
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("STAFF_FORUM"))); v {
	case "", "auto":
		c.StaffForum = ForumAuto
	case "on", "yes", "true", "1":
		c.StaffForum = ForumOn
	case "off", "no", "false", "0":
		c.StaffForum = ForumOff
	default:
		return fmt.Errorf("STAFF_FORUM is malformed: expected auto, on or off")
	}
	c.StaffConsumer = strings.TrimSpace(getenv("STAFF_CONSUMER"))
	if c.StaffConsumer == "" {
		c.StaffConsumer = strings.TrimSpace(getenv("HOSTNAME"))
	}
	if c.StaffConsumer == "" {
		c.StaffConsumer = "complaintbot"
	}
	var err error
	if c.RemindUnclaimed, err = remindFromEnv(getenv, "STAFF_REMIND_UNCLAIMED", DefaultRemindUnclaimed); err != nil {
		return err
	}
	if c.RemindWaiting, err = remindFromEnv(getenv, "STAFF_REMIND_WAITING", DefaultRemindWaiting); err != nil {
		return err
	}
	return nil
}

// remindFromEnv reads a reminder period: a duration of at least a minute, or 0 / off.
func remindFromEnv(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.ToLower(strings.TrimSpace(getenv(name)))
	switch v {
	case "":
		return def, nil
	case "0", "off":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("%s is malformed: expected a duration of at least 1m, such as 4h, or off", name)
	}
	return d, nil
}

// parseUserRate reads USER_RATE_LIMIT: "off", or "<updates per second>/<burst>" such as "2/40".
func (c *Config) parseUserRate(v string) error {
	if v == "off" {
		c.UserRate = rate.Inf
		return nil
	}
	r, b, ok := strings.Cut(v, "/")
	perSecond, err1 := strconv.ParseFloat(r, 64)
	burst, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || perSecond <= 0 || burst < 1 {
		return fmt.Errorf("USER_RATE_LIMIT is malformed: expected off or <per second>/<burst>, such as 2/40")
	}
	c.UserRate, c.UserBurst = rate.Limit(perSecond), burst
	return nil
}
