package bot

import (
	"strings"
	"testing"
	"time"
)

// TestConfigFromEnv: only the token is required; each malformed setting stops start-up with one
// line naming it.
func TestConfigFromEnv(t *testing.T) {
	const token = "123456:ABCdefGHIjklMNOpqr"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // the variable the error names; empty: no error
	}{
		{"only the token", map[string]string{"TELEGRAM_BOT_TOKEN": token}, ""},
		{"everything", map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
			"REDIS_URL": "redis://localhost:6379/0", "WEBHOOK_URL": "https://bot.example.org/webhook",
			"WEBHOOK_SECRET": "s3cret_s3cret-s3cret", "LISTEN_ADDR": "127.0.0.1:9000", "STAFF_CHAT_ID": "-1001234567890",
			"STAFF_USER_IDS": "42, 43", "LOG_LEVEL": "debug", "SESSION_TTL": "240h"}, ""},
		{"no token", map[string]string{}, "TELEGRAM_BOT_TOKEN"},
		{"malformed token", map[string]string{"TELEGRAM_BOT_TOKEN": "abc"}, "TELEGRAM_BOT_TOKEN"},
		{"api url without scheme", map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"},
		{"webhook over http", map[string]string{"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_URL": "http://x.org/w", "WEBHOOK_SECRET": "s3cret_s3cret-s3cret"}, "WEBHOOK_URL"},
		{"webhook without secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_URL": "https://x.org/w"}, "WEBHOOK_SECRET"},
		{"short secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_URL": "https://x.org/w", "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"},
		{"secret with a space", map[string]string{"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_URL": "https://x.org/w", "WEBHOOK_SECRET": "s3cret s3cret s3cret"}, "WEBHOOK_SECRET"},
		{"staff chat not a number", map[string]string{"TELEGRAM_BOT_TOKEN": token, "STAFF_CHAT_ID": "staff"}, "STAFF_CHAT_ID"},
		{"staff users malformed", map[string]string{"TELEGRAM_BOT_TOKEN": token, "STAFF_USER_IDS": "42,x"}, "STAFF_USER_IDS"},
		{"log level unknown", map[string]string{"TELEGRAM_BOT_TOKEN": token, "LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"ttl too short", map[string]string{"TELEGRAM_BOT_TOKEN": token, "SESSION_TTL": "5m"}, "SESSION_TTL"},
		{"ttl not a duration", map[string]string{"TELEGRAM_BOT_TOKEN": token, "SESSION_TTL": "30 days"}, "SESSION_TTL"},
		{"retention in days", map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "90d"}, ""},
		{"retention as a duration", map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "720h"}, ""},
		{"retention too short", map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "1h"}, "CASE_RETENTION"},
		{"retention of no days", map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "0d"}, "CASE_RETENTION"},
		{"retention not a number", map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "half a year"}, "CASE_RETENTION"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.APIURL == "" || c.ListenAddr == "" || c.Location == nil || c.SessionTTL < time.Hour {
					t.Fatalf("defaults missing: %+v", c)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.want+" ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, tc.want)
			}
		})
	}
	c, _ := ConfigFromEnv(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "STAFF_USER_IDS": "42, 43"}[k]
	})
	if c.APIURL != "http://127.0.0.1:8081" || !c.IsStaff(43) || c.IsStaff(44) {
		t.Fatalf("%+v", c)
	}
	if c.CaseRetention != DefaultCaseRetention {
		t.Fatalf("retention = %v, want the default", c.CaseRetention)
	}
	c, _ = ConfigFromEnv(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token, "CASE_RETENTION": "90d", "PROVIDERS_FILE": " /etc/p.toml "}[k]
	})
	if c.CaseRetention != 90*24*time.Hour || c.ProvidersFile != "/etc/p.toml" {
		t.Fatalf("retention %v, providers file %q", c.CaseRetention, c.ProvidersFile)
	}
}
