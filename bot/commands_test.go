package bot

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
)

// TestOtherBotsCommands: a command naming another bot ("/delete@other_bot") is that bot's. In a
// group (one the bot was added to, reading all its messages because the staff chat needs it)
// it gets no answer; in a private chat, by long polling or webhook, it is not carried out
// (a /delete@other_bot must not erase anything). The same commands naming this bot, in any
// case, or no bot, are the bot's.
func TestOtherBotsCommands(t *testing.T) {
	store := newFlakyStore(nil)
	b, api := testBot(t, store)
	const user, group = int64(5101), int64(-1005102)
	private := func(id int64, text string) *models.Update {
		u := helpUpdate(id, user)
		u.Message.Text = text
		return u
	}
	inGroup := func(id int64, text string) *models.Update {
		return &models.Update{ID: id, Message: &models.Message{ID: int(id), Date: 1763690000, Text: text,
			From: &models.User{ID: user, FirstName: "U"}, Chat: models.Chat{ID: group, Type: models.ChatTypeSupergroup}}}
	}
	webhook := func(u *models.Update) string {
		body, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", b.cfg.WebhookSecret)
		w := httptest.NewRecorder()
		b.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("webhook answered %d", w.Code)
		}
		out, _ := io.ReadAll(w.Body)
		return string(out)
	}
	sent := func(chat int64) int { return len(api.CallsToChat(chat)) }
	committed := func() int {
		store.mu.Lock()
		defer store.mu.Unlock()
		return len(store.committed)
	}
	for i, tc := range []struct {
		name   string
		update *models.Update
		hook   bool // through the webhook, else as long polling hands it
		ours   bool
	}{
		{"/delete for another bot in private", private(1, "/delete@other_bot"), false, false},
		{"/help for another bot in private, by webhook", private(2, "/help@other_bot"), true, false},
		{"/restart for another bot with arguments", private(3, "/restart@Other_Bot now"), false, false},
		{"/start for another bot in a group", inGroup(4, "/start@other_bot"), false, false},
		{"/help for another bot in a group, by webhook", inGroup(5, "/help@other_bot"), true, false},
		{"/help for this bot in private", private(6, "/help@fake_complaint_bot"), false, true},
		{"/help for this bot in capitals, by webhook", private(7, "/help@FAKE_Complaint_Bot"), true, true},
		{"/help in private", private(8, "/help"), false, true},
		{"/start for this bot in a group", inGroup(9, "/start@fake_complaint_bot"), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := tc.update.Message.Chat.ID
			commits, calls := committed(), sent(chat)
			answer := ""
			if tc.hook {
				answer = webhook(tc.update)
			} else if err := b.Process(t.Context(), tc.update); err != nil {
				t.Fatal(err)
			}
			acted := committed() > commits || sent(chat) > calls || strings.Contains(answer, "sendMessage")
			if acted != tc.ours {
				t.Errorf("update %d: acted on it: %v, want %v (commits %d→%d, calls %d→%d, answer %q)",
					i+1, acted, tc.ours, commits, committed(), calls, sent(chat), answer)
			}
		})
	}
	if n := len(api.CallsFor("getMe")); n != 1 {
		t.Errorf("getMe asked %d times, want once", n)
	}
}
