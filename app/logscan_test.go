package app

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"complaintbot/internal/fakeapi"
)

// privateChats are the ids of the private chats the bot wrote to or tried to, faulted calls
// included: a private chat's id is its user's Telegram id.
func privateChats(api *fakeapi.Server) []int64 {
	var ids []int64
	for _, c := range append(api.Calls(), api.Faults()...) {
		if c.ChatID > 0 && !slices.Contains(ids, c.ChatID) {
			ids = append(ids, c.ChatID)
		}
	}
	return ids
}

// checkNoIDs fails t when a line of log names one of ids (idsIn).
func checkNoIDs(t *testing.T, who, log string, ids []int64) {
	t.Helper()
	lines := idsIn(log, ids)
	for i, l := range lines {
		if i == 5 {
			t.Errorf("%s's log names a chat in %d lines", who, len(lines))
			break
		}
		t.Errorf("%s's log names a chat: %s", who, l)
	}
}

// idsIn returns the lines of log that name one of ids, a number with no digit either side. A
// JSON line's "time" and "update" fields are left out first: a timestamp's fraction or an
// update_id could be any number, and neither is a chat.
func idsIn(log string, ids []int64) []string {
	if len(ids) == 0 {
		return nil
	}
	alts := make([]string, len(ids))
	for i, id := range ids {
		alts[i] = strconv.FormatInt(id, 10)
	}
	re := regexp.MustCompile(`(?:^|\D)(?:` + strings.Join(alts, "|") + `)(?:\D|$)`)
	var found []string
	for line := range strings.Lines(log) {
		scanned := line
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil {
			delete(rec, "time")
			delete(rec, "update")
			b, _ := json.Marshal(rec)
			scanned = string(b)
		}
		if re.MatchString(scanned) {
			found = append(found, strings.TrimSpace(line))
		}
	}
	return found
}

// TestCheckNoIDs: the scan finds an id in text and in a field, and not in a timestamp, an
// update id or a longer number.
func TestCheckNoIDs(t *testing.T) {
	for _, tc := range []struct {
		log   string
		found bool
	}{
		{`{"time":"2026-12-04T22:53:05.6100+08:00","level":"WARN","msg":"x","update":6100}`, false},
		{`{"level":"WARN","msg":"x","err":"commit chat 6100: OOM"}`, true},
		{`{"level":"WARN","msg":"x","chat":6100}`, true},
		{`{"level":"WARN","msg":"x","count":61001}`, false},
		{`redis: 2026/12/04 pool.go:770: load session 6100: EOF`, true},
	} {
		if found := len(idsIn(tc.log+"\n", []int64{6100})) > 0; found != tc.found {
			t.Errorf("%s: found = %v, want %v", tc.log, found, tc.found)
		}
	}
}
