package fakeapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"complaintbot/internal/fakeapi"
)

// TestWebhookProxy: the bot registers its https URL; Deliver reaches the plain-HTTP listener
// behind the proxy, at the registered path and query, with the secret.
func TestWebhookProxy(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.RequestURI() + " " + r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	}))
	defer hook.Close()
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://bot.example.org/tg/hook?x=1", SecretToken: "s3"}); err != nil {
		t.Fatal(err)
	}
	if target, err := srv.WebhookTarget(); err != nil || target != "https://bot.example.org/tg/hook?x=1" {
		t.Fatalf("target without a proxy = %q, %v", target, err)
	}
	srv.SetWebhookProxy(hook.URL + "/")
	if target, err := srv.WebhookTarget(); err != nil || target != hook.URL+"/tg/hook?x=1" {
		t.Fatalf("target = %q, %v", target, err)
	}
	if _, status, err := srv.Deliver(ctx, `{"message":{"text":"x"}}`); err != nil || status != http.StatusOK {
		t.Fatalf("Deliver = %d, %v", status, err)
	}
	if g := <-got; g != "/tg/hook?x=1 s3" {
		t.Fatalf("the listener got %q", g)
	}
	srv.SetWebhookProxy("not a url")
	if _, _, err := srv.Deliver(ctx, `{"message":{"text":"x"}}`); err == nil {
		t.Fatal("delivered through a malformed proxy")
	}
}
