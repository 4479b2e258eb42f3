package sender_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"complaintbot/internal/fakeapi"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// TestClassifyFakeAPIShapes calls the fake Bot API once for every kind of failure it produces,
// through both clients (go-telegram/bot built by botapi.NewTelegram, and botapi.Client), and
// checks what the sender makes of each error: its class, its code, its retry_after or new chat
// id, whether the outcome is unknown, and that its text names neither the chat nor the token.
func TestClassifyFakeAPIShapes(t *testing.T) {
	const (
		token = "4242:classify-token-secret"
		chat  = int64(736105928) // a private chat's id is its user's id: never in an error text
	)
	type want struct {
		class      sender.Class
		code       int
		retryAfter time.Duration
		migrateTo  int64
		unknown    bool
	}
	for _, tc := range []struct {
		name  string
		fault fakeapi.Fault
		want  want
	}{
		{"429 with retry_after", fakeapi.TooManyRequests(7), want{class: sender.ClassRateLimited, code: 429, retryAfter: 7 * time.Second}},
		{"400", fakeapi.BadRequest("message is too long"), want{class: sender.ClassPermanent, code: 400}},
		{"400 chat not found", fakeapi.BadRequest("chat not found"), want{class: sender.ClassPermanent, code: 400}},
		{"401", fakeapi.Status(401), want{class: sender.ClassPermanent, code: 401}},
		{"403 blocked", fakeapi.Blocked(), want{class: sender.ClassBlocked, code: 403}},
		{"403 deactivated", fakeapi.Fault{Kind: fakeapi.FaultStatus, Status: 403, Description: "Forbidden: user is deactivated"}, want{class: sender.ClassBlocked, code: 403}},
		{"500", fakeapi.Status(500), want{class: sender.ClassTransient, code: 500}},
		{"502", fakeapi.Status(502), want{class: sender.ClassTransient, code: 502}},
		{"503", fakeapi.Status(503), want{class: sender.ClassTransient, code: 503}},
		{"502 HTML page", fakeapi.Fault{Kind: fakeapi.FaultStatus, Status: 502, Body: "<html><center>502 Bad Gateway</center></html>"}, want{class: sender.ClassTransient, unknown: true}},
		{"migrate", fakeapi.Migrated(-1001234567), want{class: sender.ClassMigrated, code: 400, migrateTo: -1001234567}},
		{"malformed JSON", fakeapi.Malformed(), want{class: sender.ClassTransient, unknown: true}},
		{"connection dropped", fakeapi.Drop(), want{class: sender.ClassTransient, unknown: true}},
		{"answer lost", fakeapi.LostAnswer(), want{class: sender.ClassTransient, unknown: true}},
		{"timeout", fakeapi.Hang(), want{class: sender.ClassTransient, unknown: true}},
	} {
		srv := fakeapi.New(t, fakeapi.Options{})
		srv.SetFault(func(fakeapi.Call) fakeapi.Fault { return tc.fault })
		tg, err := botapi.NewTelegram(&http.Client{}, srv.URL(), token, nil)
		if err != nil {
			t.Fatal(err)
		}
		api := botapi.New(&http.Client{}, srv.URL(), token)
		for _, c := range []struct {
			client string
			call   func(context.Context) error
		}{
			{"go-telegram", func(ctx context.Context) error {
				_, err := tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: "你好 13800138000"})
				return err
			}},
			{"botapi", func(ctx context.Context) error {
				_, err := api.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: "你好 13800138000"})
				return err
			}},
		} {
			t.Run(tc.name+"/"+c.client, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond) // ends the hang
				defer cancel()
				err := c.call(ctx)
				if err == nil {
					t.Fatal("no error")
				}
				e := botapi.From(err)
				got := want{class: sender.Classify(err), code: sender.Code(err), unknown: sender.OutcomeUnknown(err)}
				if e != nil {
					got.retryAfter, got.migrateTo = e.RetryAfter, e.MigrateToChatID
				}
				if got != tc.want {
					t.Errorf("got %+v, want %+v (err %v)", got, tc.want, err)
				}
				if e == nil {
					t.Errorf("no *botapi.Error in the chain of %v", err)
				} else if e.Method != "sendMessage" {
					t.Errorf("method %q", e.Method)
				}
				for _, secret := range []string{strconv.FormatInt(chat, 10), token, "13800138000"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error text holds %q: %v", secret, err)
					}
				}
			})
		}
	}
}

// TestClassifyOtherShapes covers what the fake cannot produce: a refused connection, a
// cancelled call, a request that could not be built, the caller's own errors.
func TestClassifyOtherShapes(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.Options{})
	url := srv.URL()
	srv.Close()
	_, refused := botapi.New(&http.Client{}, url, "1:x").SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: 1, Text: "x"})
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	_, canceled := botapi.New(&http.Client{}, url, "1:x").SendMessage(cancelled, &tgbot.SendMessageParams{ChatID: 1, Text: "x"})
	_, unencodable := botapi.New(&http.Client{}, url, "1:x").SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: func() {}, Text: "x"})
	for _, tc := range []struct {
		name    string
		err     error
		class   sender.Class
		unknown bool
	}{
		{"refused connection", refused, sender.ClassTransient, false},
		{"call's context cancelled", canceled, sender.ClassPermanent, false},
		{"request not built", unencodable, sender.ClassPermanent, false},
		{"caller's error", errors.New("render failed"), sender.ClassPermanent, false},
		{"Permanent", sender.Permanent(&botapi.Error{Code: 500}), sender.ClassPermanent, false},
		{"deadline", context.DeadlineExceeded, sender.ClassTransient, true},
	} {
		if got := sender.Classify(tc.err); got != tc.class {
			t.Errorf("%s: Classify(%v) = %v, want %v", tc.name, tc.err, got, tc.class)
		}
		if got := sender.OutcomeUnknown(tc.err); got != tc.unknown {
			t.Errorf("%s: OutcomeUnknown(%v) = %v, want %v", tc.name, tc.err, got, tc.unknown)
		}
	}
}
