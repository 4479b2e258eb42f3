package bot_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestWebhookAnswerCarriesTheCall: over the whole complaint, every press gets its
// answerCallbackQuery in the webhook's HTTP answer (its message goes by the Bot API: the answer
// carries one call), and the typed answers whose step sends one message get that sendMessage
// there, keyboard included.
func TestWebhookAnswerCarriesTheCall(t *testing.T) {
	bt, store := benchBotWith(t, callSender{})
	const chat = 4545
	ups := benchUpdates(t, bt, store, chat)
	carried := 0
	for i, u := range ups {
		u.ID = int64(1000 + i)
		body, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", benchSecret)
		w := httptest.NewRecorder()
		bt.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("update %d: HTTP %d", i, w.Code)
		}
		if w.Body.Len() == 0 && u.CallbackQuery == nil {
			continue // a step of several messages: they go by the Bot API
		}
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("update %d: answer %q: %v", i, w.Body.String(), err)
		}
		switch {
		case u.CallbackQuery != nil:
			if got["method"] != "answerCallbackQuery" || got["callback_query_id"] != u.CallbackQuery.ID {
				t.Errorf("press %d: answer %s", i, w.Body.String())
			}
		default:
			carried++
			if got["method"] != "sendMessage" || got["chat_id"] != float64(chat) || got["text"] == "" || got["parse_mode"] != "HTML" {
				t.Errorf("message %d: answer %s", i, w.Body.String())
			}
			if bytes.Contains(w.Body.Bytes(), []byte("copy_text")) {
				t.Errorf("message %d: the keyboard carries copy_text: %s", i, w.Body.String())
			}
		}
	}
	t.Logf("%d of %d updates carried a message in the webhook answer", carried, len(ups))
	// the script's typed answers but the /start (two messages) and the photo (an album item)
	if carried < 10 {
		t.Errorf("%d messages carried in webhook answers, want the typed answers'", carried)
	}
}
