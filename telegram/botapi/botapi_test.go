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
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/telegram/botapi"
)

const token = "123456:test-token-abcdefgh"

// TestErrorsAlike answers both clients alike — botapi.Client and go-telegram/bot on
// Transport — and checks that each reports the same *Error.
func TestErrorsAlike(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		want         botapi.Error
	}{
		{"forbidden", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			botapi.Error{Code: 403, Description: "Forbidden: bot was blocked by the user"}},
		{"bad request", `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			botapi.Error{Code: 400, Description: "Bad Request: chat not found"}},
		{"migrated", `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded","parameters":{"migrate_to_chat_id":-1001234}}`,
			botapi.Error{Code: 400, Description: "Bad Request: group chat was upgraded", MigrateToChatID: -1001234}},
		{"unauthorized", `{"ok":false,"error_code":401,"description":"Unauthorized"}`, botapi.Error{Code: 401, Description: "Unauthorized"}},
		{"too many", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`,
			botapi.Error{Code: 429, Description: "Too Many Requests: retry after 7", RetryAfter: 7 * time.Second}},
		{"server error", `{"ok":false,"error_code":502,"description":"Bad Gateway"}`, botapi.Error{Code: 502, Description: "Bad Gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := answering(t, tc.answer)
			p := &tgbot.SendMessageParams{ChatID: int64(42), Text: "hi"}
			_, viaTG := goTelegram(t, srv.URL).SendMessage(context.Background(), p)
			_, viaAPI := botapi.New(srv.Client(), srv.URL, token).SendMessage(context.Background(), p)
			tc.want.Method = "sendMessage"
			for name, err := range map[string]error{"go-telegram": viaTG, "botapi": viaAPI} {
				e := botapi.From(err)
				if e == nil || *e != tc.want {
					t.Errorf("%s: error %v (%+v), want %+v", name, err, e, tc.want)
				}
			}
		})
	}
}

// TestOddResult: an ok:true answer whose result is of another shape was carried out; it is no
// *Error (nothing to retry or classify), just a failure to decode.
func TestOddResult(t *testing.T) {
	srv := answering(t, `{"ok":true,"result":"a string"}`)
	_, err := botapi.New(srv.Client(), srv.URL, token).SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: int64(1), Text: "x"})
	if err == nil || botapi.From(err) != nil {
		t.Fatalf("err = %v", err)
	}
}

// TestMalformedAnswer: an answer that is not JSON is an *Error with ErrMalformed, which does
// not quote the body, from either client.
func TestMalformedAnswer(t *testing.T) {
	srv := answering(t, `{"ok":true,"result":{"message_id":1,"text":"secret 13800138000"`)
	p := &tgbot.SendMessageParams{ChatID: int64(1), Text: "x"}
	_, viaAPI := botapi.New(srv.Client(), srv.URL, token).SendMessage(context.Background(), p)
	_, viaTG := goTelegram(t, srv.URL).SendMessage(context.Background(), p)
	for name, err := range map[string]error{"go-telegram": viaTG, "botapi": viaAPI} {
		if e := botapi.From(err); e == nil || e.Code != 0 || !errors.Is(err, botapi.ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "13800138000") {
			t.Errorf("%s: the error quotes the answer: %v", name, err)
		}
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
	if e := botapi.From(err); e == nil || e.Code != 0 || e.Err == nil {
		t.Errorf("a refused connection: %+v", e)
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
	b, err := botapi.NewTelegram(&http.Client{}, url, token, nil)
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

// failingReader fails like an upload whose file went away.
type failingReader struct{}

func (*failingReader) Read([]byte) (int, error) { return 0, errors.New("file gone") }

// TestRequestNotBuilt: an upload go-telegram/bot cannot read into its form is an *Error with
// ErrRequest, which the sender does not retry.
func TestRequestNotBuilt(t *testing.T) {
	srv := answering(t, `{"ok":true,"result":{"message_id":1}}`)
	_, err := goTelegram(t, srv.URL).SendDocument(context.Background(), &tgbot.SendDocumentParams{ChatID: int64(1),
		Document: &models.InputFileUpload{Filename: "a.docx", Data: &failingReader{}}})
	if e := botapi.From(err); e == nil || e.Code != 0 || !errors.Is(err, botapi.ErrRequest) {
		t.Fatalf("err = %v", err)
	}
}

// TestTransportPassesAnswers: an ok:true answer reaches go-telegram/bot intact.
func TestTransportPassesAnswers(t *testing.T) {
	srv := answering(t, `{"ok":true,"result":{"message_id":77,"date":0,"chat":{"id":42,"type":"private"},"text":"hi"}}`)
	m, err := goTelegram(t, srv.URL).SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: int64(42), Text: "hi"})
	if err != nil || m.ID != 77 || m.Text != "hi" {
		t.Fatalf("SendMessage = %+v, %v", m, err)
	}
}
