package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"complaintbot/flows"
	"complaintbot/staff"
)

// testBotToken is a well-formed token for the configuration tests.
const testBotToken = "123456:ABCdefGHIjklMNOpqr"

// TestConfigFromEnv: the token and REDIS_URL are required; each malformed setting stops
// start-up with one line naming it.
func TestConfigFromEnv(t *testing.T) {
	const token = testBotToken
	const redisURL = "redis://localhost:6379/0"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // the variable the error names; empty: no error
	}{
		{"only the token and redis", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL}, ""},
		{"the in-process redis, asked for", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": "memory://"}, ""},
		{"everything", map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
			"REDIS_URL": redisURL, "WEBHOOK_URL": "https://bot.example.org/webhook",
			"WEBHOOK_SECRET": "s3cret_s3cret-s3cret", "LISTEN_ADDR": "127.0.0.1:9000", "STAFF_CHAT_ID": "-1001234567890",
			"STAFF_USER_IDS": "42, 43", "LOG_LEVEL": "debug", "SESSION_TTL": "240h", "TELEGRAM_ATTEMPT_TIMEOUT": "5s",
			"USER_RATE_LIMIT": "off", "TELEGRAM_SEND_LIMITS": "off", "PPROF_ADDR": "127.0.0.1:6060",
			"CASE_RETENTION": "90d", "PROVIDERS_FILE": "../flows/testdata/providers.toml"}, ""},
		{"no token", map[string]string{"REDIS_URL": redisURL}, "TELEGRAM_BOT_TOKEN"},
		{"no redis", map[string]string{"TELEGRAM_BOT_TOKEN": token}, "REDIS_URL"},
		{"malformed token", map[string]string{"TELEGRAM_BOT_TOKEN": "abc", "REDIS_URL": redisURL}, "TELEGRAM_BOT_TOKEN"},
		{"api url without scheme", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"},
		{"webhook over http", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_URL": "http://x.org/w", "WEBHOOK_SECRET": "s3cret_s3cret-s3cret"}, "WEBHOOK_URL"},
		{"webhook without secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_URL": "https://x.org/w"}, "WEBHOOK_SECRET"},
		{"max connections over 100", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_MAX_CONNECTIONS": "101"}, "WEBHOOK_MAX_CONNECTIONS"},
		{"max connections zero", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_MAX_CONNECTIONS": "0"}, "WEBHOOK_MAX_CONNECTIONS"},
		{"short secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_URL": "https://x.org/w", "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"},
		{"secret with a space", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "WEBHOOK_URL": "https://x.org/w", "WEBHOOK_SECRET": "s3cret s3cret s3cret"}, "WEBHOOK_SECRET"},
		{"staff chat not a number", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "STAFF_CHAT_ID": "staff"}, "STAFF_CHAT_ID"},
		{"staff users malformed", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "STAFF_USER_IDS": "42,x"}, "STAFF_USER_IDS"},
		{"log level unknown", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"ttl too short", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "SESSION_TTL": "5m"}, "SESSION_TTL"},
		{"ttl not a duration", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "SESSION_TTL": "30 days"}, "SESSION_TTL"},
		{"retention in days", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "90d"}, ""},
		{"retention as a duration", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "720h"}, ""},
		{"retention too short", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "1h"}, "CASE_RETENTION"},
		{"retention of no days", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "0d"}, "CASE_RETENTION"},
		{"retention not a number", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "half a year"}, "CASE_RETENTION"},
		{"providers file missing", map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "PROVIDERS_FILE": "testdata/no-such-providers.toml"}, "PROVIDERS_FILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.Bot.APIURL == "" || c.ListenAddr == "" || c.Bot.Location == nil || c.SessionTTL < time.Hour || c.AttemptTimeout <= 0 {
					t.Fatalf("defaults missing: %+v", c)
				}
				if (tc.env["REDIS_URL"] == "memory://") != (c.Redis == nil) {
					t.Fatalf("REDIS_URL=%s: options %+v", tc.env["REDIS_URL"], c.Redis)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.want+" ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, tc.want)
			}
		})
	}
	c, _ := ConfigFromEnv(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "STAFF_USER_IDS": "42, 43"}[k]
	})
	if c.Bot.APIURL != "http://127.0.0.1:8081" || !c.Staff.IsStaff(43) || c.Staff.IsStaff(44) {
		t.Fatalf("%+v", c)
	}
	if c.CaseRetention != DefaultCaseRetention || c.Bot.CaseRetention != DefaultCaseRetention || c.Bot.SessionTTL != DefaultSessionTTL || c.Providers == nil {
		t.Fatalf("retention %v (bot %v), session %v, providers %v: want the defaults", c.CaseRetention, c.Bot.CaseRetention, c.Bot.SessionTTL, c.Providers)
	}
	c, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token, "REDIS_URL": redisURL, "CASE_RETENTION": "90d",
			"PROVIDERS_FILE": " ../flows/testdata/providers.toml "}[k]
	})
	if err != nil || c.CaseRetention != 90*24*time.Hour || c.Bot.CaseRetention != c.CaseRetention ||
		c.ProvidersFile != "../flows/testdata/providers.toml" || c.Providers == nil {
		t.Fatalf("retention %v, providers file %q: %v", c.CaseRetention, c.ProvidersFile, err)
	}
}

func TestStaffConfigFromEnv(t *testing.T) {
	base := map[string]string{"TELEGRAM_BOT_TOKEN": "123456:ABCdefGHIjklMNOpqr", "REDIS_URL": "memory://", "STAFF_CHAT_ID": "-1001"}
	with := func(kv ...string) func(string) string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return func(k string) string { return env[k] }
	}
	cfg, err := ConfigFromEnv(with())
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Staff
	if c.Lang != flows.LangZH || c.Forum != staff.ForumAuto || c.Consumer != "complaintbot" ||
		c.RemindUnclaimed != DefaultRemindUnclaimed || c.RemindWaiting != DefaultRemindWaiting {
		t.Fatalf("defaults: %+v", c)
	}
	cfg, err = ConfigFromEnv(with("STAFF_LANG", "en", "STAFF_FORUM", "off", "HOSTNAME", "pod-7",
		"STAFF_REMIND_UNCLAIMED", "30m", "STAFF_REMIND_WAITING", "off"))
	c = cfg.Staff
	if err != nil || c.Lang != flows.LangEN || c.Forum != staff.ForumOff || c.Consumer != "pod-7" ||
		c.RemindUnclaimed != 30*time.Minute || c.RemindWaiting != 0 {
		t.Fatalf("set: %+v, %v", c, err)
	}
	if c, _ := ConfigFromEnv(with("STAFF_CONSUMER", "bot-a", "HOSTNAME", "pod-7")); c.Staff.Consumer != "bot-a" {
		t.Fatalf("STAFF_CONSUMER: %q", c.Staff.Consumer)
	}
	for _, kv := range [][2]string{{"STAFF_LANG", "fr"}, {"STAFF_FORUM", "maybe"}, {"STAFF_REMIND_UNCLAIMED", "10s"},
		{"STAFF_REMIND_WAITING", "a day"}} {
		_, err := ConfigFromEnv(with(kv[0], kv[1]))
		if err == nil || !strings.HasPrefix(err.Error(), kv[0]+" ") {
			t.Errorf("%s=%s: %v", kv[0], kv[1], err)
		}
	}
}

func TestParseUserRate(t *testing.T) {
	for v, want := range map[string]struct {
		r     rate.Limit
		burst int
		ok    bool
	}{
		"off": {rate.Inf, 0, true}, "2/40": {2, 40, true}, "0.5/3": {0.5, 3, true},
		"2": {}, "0/4": {}, "2/0": {}, "x/y": {}, "-1/3": {},
	} {
		r, burst, err := parseUserRate(v)
		if (err == nil) != want.ok || want.ok && (r != want.r || burst != want.burst) {
			t.Errorf("%q: %v %v, %v; want %v", v, r, burst, err, want)
		}
	}
}

// malformed is one malformed value of every setting `serve` reads that has a malformed form
// (STAFF_CONSUMER, any name, has none).
var malformed = map[string]string{
	"TELEGRAM_BOT_TOKEN":       "abc",
	"TELEGRAM_API_URL":         "api.telegram.org",
	"TELEGRAM_ATTEMPT_TIMEOUT": "zz",
	"REDIS_URL":                "mysql://localhost/0",
	"WEBHOOK_URL":              "http://x.org/w",
	"WEBHOOK_SECRET":           "short",
	"LISTEN_ADDR":              "8080",
	"STAFF_CHAT_ID":            "staff",
	"STAFF_USER_IDS":           "42,x",
	"STAFF_FORUM":              "maybe",
	"STAFF_LANG":               "fr",
	"STAFF_REMIND_UNCLAIMED":   "10s",
	"STAFF_REMIND_WAITING":     "a day",
	"LOG_LEVEL":                "loud",
	"SESSION_TTL":              "5m",
	"USER_RATE_LIMIT":          "fast",
	"TELEGRAM_SEND_LIMITS":     "on",
	"PPROF_ADDR":               "0.0.0.0:6060",
	"CASE_RETENTION":           "1h",
	"PROVIDERS_FILE":           "testdata/no-such-providers.toml",
}

// TestServeRefusesEveryMalformedSetting: `serve` with one setting malformed stops before it
// opens anything, with one line naming that setting, even with Redis unreachable (a Redis
// error would otherwise hide it); with all of them malformed at once, the one line names each.
func TestServeRefusesEveryMalformedSetting(t *testing.T) {
	valid := func() map[string]string {
		return map[string]string{
			"TELEGRAM_BOT_TOKEN": testBotToken, "REDIS_URL": "redis://127.0.0.1:1/0", // nothing listens on port 1
			"WEBHOOK_URL": "https://bot.example.org/webhook", "WEBHOOK_SECRET": "s3cret_s3cret-s3cret",
			"LISTEN_ADDR": "127.0.0.1:0",
		}
	}
	serve := func(t *testing.T, env map[string]string) error {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := Run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
		if stdout.Len() > 0 || stderr.Len() > 0 {
			t.Errorf("output before the settings were checked:\n%s%s", stdout.String(), stderr.String())
		}
		return err
	}
	all := valid()
	for name, value := range malformed {
		all[name] = value
		t.Run(name, func(t *testing.T) {
			env := valid()
			env[name] = value
			err := serve(t, env)
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) != 1 || !strings.HasPrefix(err.Error(), name+" ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("%s=%s: err = %v, want one line naming %s", name, value, err, name)
			}
			if strings.Contains(err.Error(), "connect") {
				t.Fatalf("%s=%s: Redis was opened: %v", name, value, err)
			}
		})
	}
	err := serve(t, all)
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("all malformed: err = %v, want one line", err)
	}
	for name := range malformed {
		if !strings.Contains(err.Error(), name+" ") {
			t.Errorf("all malformed: %s is not named in %q", name, err)
		}
	}
}

// TestServeWithoutRedisURL: `serve` without REDIS_URL refuses to start and says what
// REDIS_URL=memory:// would lose; `chat` needs nothing (TestRunChat).
func TestServeWithoutRedisURL(t *testing.T) {
	env := map[string]string{"TELEGRAM_BOT_TOKEN": testBotToken}
	err := Run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "REDIS_URL ") || !strings.Contains(err.Error(), "memory://") ||
		!strings.Contains(err.Error(), "lose") {
		t.Fatalf("err = %v, want REDIS_URL required, naming memory:// and what it loses", err)
	}
}
