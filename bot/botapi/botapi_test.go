package botapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/bot/botapi"
	"complaintbot/bot/sender"
)

const token = "123456:test-token-abcdefgh"

// TestErrorsAsGoTelegram answers both clients alike and checks that botapi's error is
// go-telegram/bot's: same text, same sentinel or type, same code for bot/sender.
func TestErrorsAsGoTelegram(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		check        func(error) bool
	}{
		{"forbidden", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			func(err error) bool { return errors.Is(err, tgbot.ErrorForbidden) }},
		{"bad request", `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			func(err error) bool { return errors.Is(err, tgbot.ErrorBadRequest) }},
		{"migrated", `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded","parameters":{"migrate_to_chat_id":-1001234}}`,
			func(err error) bool {
				var m *tgbot.MigrateError
				return errors.As(err, &m) && m.MigrateToChatID == -1001234
			}},
		{"unauthorized", `{"ok":false,"error_code":401,"description":"Unauthorized"}`,
			func(err error) bool { return errors.Is(err, tgbot.ErrorUnauthorized) }},
		{"not found", `{"ok":false,"error_code":404,"description":"Not Found"}`,
			func(err error) bool { return errors.Is(err, tgbot.ErrorNotFound) }},
		{"conflict", `{"ok":false,"error_code":409,"description":"Conflict"}`,
			func(err error) bool { return errors.Is(err, tgbot.ErrorConflict) }},
		{"too many", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`,
			func(err error) bool {
				var m *tgbot.TooManyRequestsError
				return errors.As(err, &m) && m.RetryAfter == 7
			}},
		{"server error", `{"ok":false,"error_code":502,"description":"Bad Gateway"}`,
			func(err error) bool { return sender.Code(err) == 502 }},
		{"odd result", `{"ok":true,"result":"a string"}`,
			func(err error) bool { return strings.Contains(err.Error(), "error decode response result") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := answering(t, tc.answer)
			p := &tgbot.SendMessageParams{ChatID: int64(42), Text: "hi"}
			_, want := goTelegram(t, srv.URL).SendMessage(context.Background(), p)
			_, got := botapi.New(srv.Client(), srv.URL, token).SendMessage(context.Background(), p)
			if got == nil || want == nil {
				t.Fatalf("errors: botapi %v, go-telegram %v", got, want)
			}
			g, w := got.Error(), want.Error()
			if tc.name == "odd result" { // the decoder's own words differ: the types are not the same
				g, _, _ = strings.Cut(g, ", json:")
				w, _, _ = strings.Cut(w, ", json:")
			}
			if g != w {
				t.Errorf("botapi's error %q, go-telegram's %q", got, want)
			}
			if !tc.check(got) || !tc.check(want) {
				t.Errorf("botapi's error %v (or go-telegram's %v) is not of its kind", got, want)
			}
			if sender.Code(got) != sender.Code(want) {
				t.Errorf("code %d, go-telegram's %d", sender.Code(got), sender.Code(want))
			}
		})
	}
}

// TestMalformedAnswer: an answer that is not JSON is reported as go-telegram/bot reports it,
// without quoting the body.
func TestMalformedAnswer(t *testing.T) {
	srv := answering(t, `{"ok":true,"result":{"message_id":1,"text":"secret 13800138000"`)
	_, err := botapi.New(srv.Client(), srv.URL, token).SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: int64(1), Text: "x"})
	if err == nil || !strings.HasPrefix(err.Error(), "error decode response body for method sendMessage") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "13800138000") {
		t.Errorf("the error quotes the answer: %v", err)
	}
}

// TestRequest: the call is a JSON POST to the method's URL with go-telegram/bot's field names,
// and the answer's message id is read.
func TestRequest(t *testing.T) {
	var got map[string]any
	var path, ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ctype = r.URL.Path, r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		io.WriteString(w, `{"ok":true,"result":{"message_id":77,"chat":{"id":42,"type":"private"},"text":"hi"}}`)
	}))
	defer srv.Close()
	c := botapi.New(srv.Client(), srv.URL+"/", token)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "是", CallbackData: "3:yes"}}}}
	sent, err := c.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: int64(42), Text: "<b>hi</b>", ParseMode: models.ParseModeHTML, ReplyMarkup: botapi.Keyboard(kb)})
	if err != nil || sent.MessageID != 77 {
		t.Fatalf("SendMessage = %+v, %v", sent, err)
	}
	if path != "/bot"+token+"/sendMessage" || ctype != "application/json" {
		t.Errorf("request to %s as %s", path, ctype)
	}
	want := map[string]any{"chat_id": float64(42), "text": "<b>hi</b>", "parse_mode": "HTML",
		"reply_markup": map[string]any{"inline_keyboard": []any{[]any{map[string]any{"text": "是", "callback_data": "3:yes"}}}}}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("body %s, want %s", g, w)
	}
	if err := c.AnswerCallbackQuery(context.Background(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "q1"}); err == nil {
		t.Error("answerCallbackQuery accepted a message as its result")
	}
}

// TestKeyboard: a keyboard for Telegram leaves out copy_text unless it has one.
func TestKeyboard(t *testing.T) {
	if botapi.Keyboard(nil) != nil {
		t.Error("Keyboard(nil) is not nil")
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "a", CallbackData: "1:a"}, {Text: "b", URL: "https://example.org"}},
		{{Text: "c", CopyText: models.CopyTextButton{Text: "C-000001"}}},
	}}
	got := mustJSON(t, botapi.Keyboard(kb))
	want := `{"inline_keyboard":[[{"text":"a","callback_data":"1:a"},{"text":"b","url":"https://example.org"}],[{"text":"c","copy_text":{"text":"C-000001"}}]]}`
	if got != want {
		t.Errorf("Keyboard = %s\nwant       %s", got, want)
	}
}

// TestTokenRedacted: a transport error does not carry the token.
func TestTokenRedacted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	err := botapi.New(&http.Client{}, url, token).AnswerCallbackQuery(context.Background(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "q"})
	if err == nil || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v", err)
	}
	if sender.Code(err) != 0 {
		t.Errorf("code %d for a refused connection", sender.Code(err))
	}
}

func answering(t *testing.T, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func goTelegram(t *testing.T, url string) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(token, tgbot.WithServerURL(url), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
