package botapi_test

import (
	"context"
	"errors"
	"testing"

	"complaintbot/telegram/botapi"
)

// TestSelfAddressed: a command naming no bot, or this bot in any case, is the bot's; one naming
// another bot is not; while getMe fails every command is the bot's, and getMe is asked once
// while it answers.
func TestSelfAddressed(t *testing.T) {
	calls := 0
	s := botapi.NewSelf(func(context.Context) (string, error) { calls++; return "Complaint_Bot", nil })
	for _, tc := range []struct {
		cmd  string
		want bool
	}{
		{"start", true},
		{"start@complaint_bot", true},
		{"start@COMPLAINT_BOT", true},
		{"delete@other_bot", false},
		{"cancel@", false},
		{"cancel@complaint_bot_x", false},
		{"help@complaint_bot@other_bot", false},
	} {
		if got := s.Addressed(t.Context(), tc.cmd); got != tc.want {
			t.Errorf("Addressed(%q) = %v, want %v", tc.cmd, got, tc.want)
		}
	}
	if calls != 1 {
		t.Errorf("getMe asked %d times, want 1", calls)
	}

	failing := botapi.NewSelf(func(context.Context) (string, error) { return "", errors.New("down") })
	if !failing.Addressed(t.Context(), "delete@other_bot") {
		t.Error("with getMe failing, a command for another bot was refused")
	}
	var none *botapi.Self
	if !none.Addressed(t.Context(), "delete@other_bot") {
		t.Error("a nil Self refused a command")
	}
}
