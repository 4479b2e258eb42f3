package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the bot reads dates in Asia/Shanghai wherever it runs

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/flows"
	"complaintbot/providers"
	"complaintbot/staff"
	"complaintbot/storage"
)

// Config is every setting of `complaintbot serve`, read from the environment by ConfigFromEnv
// and checked as a whole before anything is opened.
type Config struct {
	Bot bot.Config
	// Staff is the staff desk's; Staff.Chat 0 (no STAFF_CHAT_ID): no desk, and users are told
	// escalation is not available.
	Staff staff.Config
	// Redis is REDIS_URL parsed; nil for REDIS_URL=memory://, the in-process Redis.
	Redis          *redis.UniversalOptions
	ListenAddr     string        // LISTEN_ADDR: the webhook, /healthz, /readyz and /metrics
	LogLevel       slog.Level    // LOG_LEVEL: debug, info, warn, error
	SessionTTL     time.Duration // SESSION_TTL: how long an idle conversation is kept
	AttemptTimeout time.Duration // TELEGRAM_ATTEMPT_TIMEOUT: one Bot API call's deadline
	NoSendLimits   bool          // TELEGRAM_SEND_LIMITS=off: for load tests against a fake Bot API
	PprofAddr      string        // PPROF_ADDR: a loopback address for net/http/pprof; "" off
	// CaseRetention is CASE_RETENTION: a closed case keeps its personal fields this long after
	// it closed, then they are scrubbed (DOMAIN.md §6).
	CaseRetention time.Duration
	// ProvidersFile is PROVIDERS_FILE: the operator's provider data, which adds providers or
	// fills in an address over the embedded data; "" the embedded data only. Providers is it
	// loaded (providers.Load), or the embedded data.
	ProvidersFile string
	Providers     *providers.List
}

// The defaults of the optional settings.
const (
	DefaultAPIURL          = "https://api.telegram.org"
	DefaultListenAddr      = ":8080"
	DefaultSessionTTL      = 30 * 24 * time.Hour
	DefaultAttemptTimeout  = 30 * time.Second
	DefaultRemindUnclaimed = 4 * time.Hour
	DefaultRemindWaiting   = 24 * time.Hour
	// DefaultCaseRetention is how long a closed case keeps its personal fields: 180 days.
	DefaultCaseRetention = flows.DefaultRetentionDays * 24 * time.Hour
)

// MemoryURL is the REDIS_URL that asks for the in-process Redis (miniredis): nothing to
// install, and everything lost when the process ends.
const MemoryURL = "memory://"

// ConfigError lists every setting that is missing or malformed, each named; its text is one
// line.
type ConfigError struct {
	Problems []error // one per setting, each starting with the variable's name
}

// Error joins the problems with "; ".
func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the problems.
func (e *ConfigError) Unwrap() []error { return e.Problems }

// ConfigFromEnv reads and checks every setting of `serve`. A missing or malformed setting is
// reported with all the others in one *ConfigError, in one line.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var problems []error
	bad := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }

	c := Config{
		Bot: bot.Config{
			Token:         env("TELEGRAM_BOT_TOKEN"),
			APIURL:        strings.TrimRight(env("TELEGRAM_API_URL"), "/"),
			WebhookURL:    env("WEBHOOK_URL"),
			WebhookSecret: getenv("WEBHOOK_SECRET"),
			AlbumWait:     time.Second,
		},
		ListenAddr:     env("LISTEN_ADDR"),
		SessionTTL:     DefaultSessionTTL,
		AttemptTimeout: DefaultAttemptTimeout,
		CaseRetention:  DefaultCaseRetention,
		ProvidersFile:  env("PROVIDERS_FILE"),
	}
	switch {
	case c.Bot.Token == "":
		bad("TELEGRAM_BOT_TOKEN is required (create a bot with @BotFather)")
	case !validToken(c.Bot.Token):
		bad("TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret> as given by @BotFather")
	}
	if c.Bot.APIURL == "" {
		c.Bot.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(c.Bot.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("TELEGRAM_API_URL is malformed: expected an http(s) URL such as %s", DefaultAPIURL)
	}
	if v := env("TELEGRAM_ATTEMPT_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad("TELEGRAM_ATTEMPT_TIMEOUT is malformed: expected a positive duration such as 30s")
		}
		c.AttemptTimeout = d
	}
	switch v := env("REDIS_URL"); v {
	case "":
		bad("REDIS_URL is required to serve: redis://host:6379/0, or %s for an in-process Redis that loses every session, case and queued escalation when the process ends", MemoryURL)
	case MemoryURL:
	default:
		o, err := storage.ParseURL(v)
		if err != nil {
			bad("REDIS_URL is malformed: %w", err)
		}
		c.Redis = o
	}
	if c.Bot.WebhookURL != "" {
		if u, err := url.Parse(c.Bot.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad("WEBHOOK_URL is malformed: Telegram needs an https URL")
		}
		if !validSecret(c.Bot.WebhookSecret) {
			bad("WEBHOOK_SECRET is required with WEBHOOK_URL: 16 to 256 characters of A-Z, a-z, 0-9, _ and -")
		}
	}
	c.Bot.WebhookMaxConnections = bot.DefaultWebhookMaxConnections
	if v := env("WEBHOOK_MAX_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad("WEBHOOK_MAX_CONNECTIONS is malformed: expected a number from 1 to 100")
		}
		c.Bot.WebhookMaxConnections = n
	}
	if c.ListenAddr == "" {
		c.ListenAddr = DefaultListenAddr
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || !validPort(port) {
		bad("LISTEN_ADDR is malformed: expected [host]:port, such as %s", DefaultListenAddr)
	}
	if v := env("STAFF_CHAT_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			bad("STAFF_CHAT_ID is malformed: expected a chat id such as -1001234567890")
		}
		c.Bot.StaffChat, c.Staff.Chat = id, id
	}
	if v := env("STAFF_USER_IDS"); v != "" {
		for _, f := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil || id <= 0 {
				bad("STAFF_USER_IDS is malformed: expected user ids separated by commas")
				c.Staff.Users = nil
				break
			}
			c.Staff.Users = append(c.Staff.Users, id)
		}
	}
	switch v := strings.ToLower(env("STAFF_LANG")); v {
	case "", "zh", "zh-cn":
		c.Staff.Lang = flows.LangZH
	case "en":
		c.Staff.Lang = flows.LangEN
	default:
		bad("STAFF_LANG is malformed: expected zh-CN or en")
	}
	switch v := strings.ToLower(env("STAFF_FORUM")); v {
	case "", "auto":
		c.Staff.Forum = staff.ForumAuto
	case "on", "yes", "true", "1":
		c.Staff.Forum = staff.ForumOn
	case "off", "no", "false", "0":
		c.Staff.Forum = staff.ForumOff
	default:
		bad("STAFF_FORUM is malformed: expected auto, on or off")
	}
	c.Staff.Consumer = env("STAFF_CONSUMER")
	if c.Staff.Consumer == "" {
		c.Staff.Consumer = env("HOSTNAME")
	}
	if c.Staff.Consumer == "" {
		c.Staff.Consumer = "complaintbot"
	}
	var err error
	if c.Staff.RemindUnclaimed, err = remindFromEnv(getenv, "STAFF_REMIND_UNCLAIMED", DefaultRemindUnclaimed); err != nil {
		problems = append(problems, err)
	}
	if c.Staff.RemindWaiting, err = remindFromEnv(getenv, "STAFF_REMIND_WAITING", DefaultRemindWaiting); err != nil {
		problems = append(problems, err)
	}
	if v := env("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("LOG_LEVEL is malformed: expected debug, info, warn or error")
		}
	}
	if v := env("SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			bad("SESSION_TTL is malformed: expected a duration of at least 1h, such as 720h")
		}
		c.SessionTTL = d
	}
	if v := env("USER_RATE_LIMIT"); v != "" {
		r, b, err := parseUserRate(v)
		if err != nil {
			problems = append(problems, err)
		}
		c.Bot.UserRate, c.Bot.UserBurst = r, b
	}
	if v := env("CASE_RETENTION"); v != "" {
		d, err := parseRetention(v)
		if err != nil {
			problems = append(problems, err)
		}
		c.CaseRetention = d
	}
	c.Bot.SessionTTL, c.Bot.CaseRetention = c.SessionTTL, c.CaseRetention
	if c.Providers, err = providers.Load(c.ProvidersFile); err != nil {
		bad("PROVIDERS_FILE cannot be used: %w", err)
	}
	switch v := env("TELEGRAM_SEND_LIMITS"); v {
	case "":
	case "off":
		c.NoSendLimits = true
	default:
		bad("TELEGRAM_SEND_LIMITS is malformed: expected off or nothing")
	}
	if c.PprofAddr = env("PPROF_ADDR"); c.PprofAddr != "" && !loopback(c.PprofAddr) {
		bad("PPROF_ADDR is malformed: expected a loopback address such as 127.0.0.1:6060")
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		problems = append(problems, fmt.Errorf("load the Asia/Shanghai time zone: %w", err))
	}
	c.Bot.Location, c.Staff.Location = loc, loc
	if len(problems) > 0 {
		return Config{}, &ConfigError{Problems: problems}
	}
	return c, nil
}

// chatRedis reads REDIS_URL for `chat`: unset or memory:// is the in-process Redis (nil).
func chatRedis(getenv func(string) string) (*redis.UniversalOptions, error) {
	v := strings.TrimSpace(getenv("REDIS_URL"))
	if v == "" || v == MemoryURL {
		return nil, nil
	}
	o, err := storage.ParseURL(v)
	if err != nil {
		return nil, &ConfigError{Problems: []error{fmt.Errorf("REDIS_URL is malformed: %w", err)}}
	}
	return o, nil
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

// validPort checks a TCP port: a number from 0 to 65535 (0: any free port).
func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

// loopback reports whether addr is host:port on the loopback interface.
func loopback(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || !validPort(port) {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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

// parseRetention reads CASE_RETENTION: days ("180d") or a Go duration ("4320h"), at least one
// day.
func parseRetention(v string) (time.Duration, error) {
	bad := errors.New("CASE_RETENTION is malformed: expected days such as 180d, or a duration of at least 24h")
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

// parseUserRate reads USER_RATE_LIMIT: "off", or "<updates per second>/<burst>" such as "2/40".
func parseUserRate(v string) (rate.Limit, int, error) {
	if v == "off" {
		return rate.Inf, 0, nil
	}
	r, b, ok := strings.Cut(v, "/")
	perSecond, err1 := strconv.ParseFloat(r, 64)
	burst, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || perSecond <= 0 || burst < 1 {
		return 0, 0, errors.New("USER_RATE_LIMIT is malformed: expected off or <per second>/<burst>, such as 2/40")
	}
	return rate.Limit(perSecond), burst, nil
}
