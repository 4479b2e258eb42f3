package sender_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"

	"complaintbot/internal/fakeapi"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// A reply survives a flood-control answer and a server error: the closure rebuilds the
// request on every attempt, and the message arrives once.
func ExampleSender_DoMethod() {
	api, err := fakeapi.Start(fakeapi.Options{
		Fault: fakeapi.Sequence(fakeapi.TooManyRequests(1), fakeapi.Status(502)),
	})
	if err != nil {
		panic(err)
	}
	defer api.Close()
	b, err := botapi.NewTelegram(&http.Client{}, api.URL(), "1:token", nil)
	if err != nil {
		panic(err)
	}
	s := sender.New(sender.Options{MaxRetryAfter: 10 * time.Millisecond, Backoff: time.Millisecond})

	const chat = 42
	err = s.DoMethod(context.Background(), chat, "sendMessage", func(ctx context.Context) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: "收到您的投诉"})
		return err
	})
	fmt.Println("error:", err)
	fmt.Println("attempts:", len(api.Faults())+len(api.Calls()), "delivered:", len(api.CallsToChat(chat)))
	// Output:
	// error: <nil>
	// attempts: 3 delivered: 1
}
