package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
)

const token = "123456:e2e-test-token"

func setup(t *testing.T) (*fakeapi.Server, *tgbot.Bot, context.Context) {
	t.Helper()
	api := fakeapi.New(t, fakeapi.Options{Token: token})
	b, err := tgbot.New(token, tgbot.WithServerURL(api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return api, b, ctx
}

// polled takes the queued updates as a bot would, confirming the ones before offset.
func polled(t *testing.T, api *fakeapi.Server, offset int64) []models.Update {
	t.Helper()
	resp, err := http.Post(api.URL()+"/bot"+token+"/getUpdates", "application/json",
		strings.NewReader(fmt.Sprintf(`{"offset":%d,"timeout":0}`, offset)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Result []models.Update }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.Result
}

// TestUserByPolling: a user's messages, photos, albums and button presses arrive as Telegram
// shapes them, and Expect finds the bot's reply and the keyboard Press uses.
func TestUserByPolling(t *testing.T) {
	api, b, ctx := setup(t)
	tg := e2e.New(api, e2e.Polling)
	tg.Now = func() time.Time { return time.Unix(1763690000, 0) }
	u := tg.User(42, "zh-hans")

	sent, err := u.Text(ctx, "/start")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := u.Photo(ctx, "收据"); err != nil {
		t.Fatal(err)
	}
	album, err := u.Album(ctx, 3)
	if err != nil || len(album) != 3 {
		t.Fatalf("album: %v", err)
	}
	ups := polled(t, api, 0)
	if len(ups) != 5 || ups[0].ID != sent.ID || ups[0].Message.Text != "/start" || ups[0].Message.From.LanguageCode != "zh-hans" ||
		ups[0].Message.Chat.Type != models.ChatTypePrivate || ups[0].Message.Date != 1763690000 {
		t.Fatalf("updates %+v", ups)
	}
	if p := ups[1].Message.Photo; len(p) != 3 || p[1].FileID != "photo-42-1" || ups[1].Message.Caption != "收据" {
		t.Fatalf("photo %+v", ups[1].Message)
	}
	group := ups[2].Message.MediaGroupID
	if group == "" || ups[3].Message.MediaGroupID != group || ups[4].Message.MediaGroupID != group {
		t.Fatalf("album items do not share a media group: %+v", ups[2:])
	}

	// the bot answers with two messages, the second with the keyboard
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 42, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "中文", CallbackData: "3:zh-CN"}, {Text: "English", CallbackData: "3:en"}},
	}}
	q, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 42, Text: "请选择语言", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Press(ctx, "en"); err == nil {
		t.Fatal("pressed a button of a keyboard not read yet")
	}
	m, err := u.Expect(ctx, "选择语言")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != q.ID || len(m.Buttons()) != 2 || u.Keyboard().ID != q.ID || len(u.Unread()) != 0 {
		t.Fatalf("read %+v, keyboard %+v", m, u.Keyboard())
	}
	press, err := u.Press(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	ups = polled(t, api, ups[4].ID+1)
	cq := ups[0].CallbackQuery
	if len(ups) != 1 || cq == nil || cq.Data != "3:en" || cq.ID != press.CallbackID || cq.Message.Message.ID != q.ID ||
		cq.From.ID != 42 || cq.Message.Message.Chat.ID != 42 {
		t.Fatalf("press %+v", ups)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := u.Expect(short, "never sent"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("expecting a message never sent: %v", err)
	}
}

// TestUserByWebhook: a refused delivery is an error carrying the status, and Redeliver posts
// the same update again.
func TestUserByWebhook(t *testing.T) {
	api, b, ctx := setup(t)
	var calls atomic.Int32
	ids := make(chan int64, 2)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u models.Update
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &u)
		ids <- u.ID
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer hook.Close()
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://bot.example.test/hook", SecretToken: "s"}); err != nil {
		t.Fatal(err)
	}
	api.SetWebhookProxy(hook.URL)
	tg := e2e.New(api, e2e.Webhook)
	u := tg.User(7, "en")
	sent, err := u.Text(ctx, "hello")
	var refused *e2e.RefusedError
	if !errors.As(err, &refused) || refused.Status != http.StatusServiceUnavailable || sent.Status != http.StatusServiceUnavailable {
		t.Fatalf("send = %+v, %v", sent, err)
	}
	again, err := tg.Redeliver(ctx, sent)
	if err != nil || again.ID != sent.ID || again.Status != http.StatusOK {
		t.Fatalf("redeliver = %+v, %v", again, err)
	}
	if first, second := <-ids, <-ids; first != sent.ID || second != sent.ID {
		t.Fatalf("delivered ids %d, %d, want %d twice", first, second, sent.ID)
	}
	if target, _ := api.WebhookTarget(); !strings.HasPrefix(target, hook.URL) || !strings.HasSuffix(target, "/hook") {
		t.Fatalf("target %q", target)
	}
}
