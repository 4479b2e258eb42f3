// Package e2e plays simulated Telegram users against a bot through internal/fakeapi: a user
// sends texts, commands, photos, documents and albums, presses the buttons of the last inline
// keyboard the bot sent to its chat, and waits for the bot's replies. The tests of the whole
// program use it; a load generator can too.
//
// A conversation is a list of Steps, each something the user does and a piece of text the bot's
// answer must contain:
//
//	err := user.Play(ctx,
//		e2e.Say("/start", "您同意吗"),
//		e2e.Press("agree", "您是以什么身份投诉"),
//	)
//
// Waiting for that text is also what keeps a user in step with the bot: a button is pressed
// only after the message carrying its keyboard was read. The driver reads the bot's messages
// from the fake's record (fakeapi.Server.WaitFor), so the fake must keep its calls (no
// fakeapi.Options.Forget).
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"

	"complaintbot/internal/fakeapi"
)

// Mode is how updates reach the bot.
type Mode string

// The two ways Telegram hands updates to a bot.
const (
	Polling Mode = "polling" // queued for the bot's getUpdates (fakeapi.Server.PushUpdate)
	Webhook Mode = "webhook" // posted to the bot's webhook (fakeapi.Server.Deliver)
)

// Telegram is the simulated Telegram: the fake Bot API, and the way updates reach the bot.
type Telegram struct {
	API  *fakeapi.Server
	Mode Mode
	// Now is the clock that dates the users' messages; time.Now when nil. Set it before the
	// users send anything.
	Now func() time.Time
	// Retry, when set, makes a webhook delivery that failed (no answer, or anything but 2xx)
	// be delivered again with the same update_id after this pause, until the bot answers 2xx or
	// the context ends, as Telegram does; Send then returns an error only with the context's.
	// Set it before the users send anything.
	Retry time.Duration

	callbacks atomic.Int64 // numbers callback query ids
}

// New returns the simulated Telegram of api, handing updates to the bot as mode says.
func New(api *fakeapi.Server, mode Mode) *Telegram {
	return &Telegram{API: api, Mode: mode}
}

// Sent is an update a user sent.
type Sent struct {
	ID int64 // its update_id
	// Update is the update as sent, update_id included, for Redeliver.
	Update map[string]any
	// Status is what the webhook answered (webhook mode); 0 when polling.
	Status int
	// CallbackID is the callback query's id when the update is a button press.
	CallbackID string
}

// RefusedError is Send's error when the webhook answered anything but 2xx: Telegram would
// deliver the update again later, which a test does with Redeliver.
type RefusedError struct {
	ID     int64 // the update_id
	Status int   // the HTTP status the webhook answered
}

// Error names the update and the status.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("webhook refused update %d with HTTP %d", e.ID, e.Status)
}

// Send hands an update (without update_id; Telegram numbers it) to the bot. Polling, it is
// queued for getUpdates; by webhook, it is posted and Send returns after the bot answered, with
// a *RefusedError when the answer was not 2xx. The Sent is returned in every case, for
// Redeliver.
func (tg *Telegram) Send(ctx context.Context, update map[string]any) (Sent, error) {
	return tg.hand(ctx, update)
}

// Redeliver hands an update sent before to the bot again, with the same update_id, as Telegram
// does after a webhook failed (or after a bot crashed before it confirmed a polled update).
func (tg *Telegram) Redeliver(ctx context.Context, s Sent) (Sent, error) {
	if s.Update == nil {
		return s, errors.New("redeliver: nothing was sent")
	}
	out, err := tg.hand(ctx, s.Update)
	out.CallbackID = s.CallbackID
	return out, err
}

// hand passes one update to the fake, which assigns its update_id when it has none.
func (tg *Telegram) hand(ctx context.Context, update map[string]any) (Sent, error) {
	raw, err := json.Marshal(update)
	if err != nil {
		return Sent{}, fmt.Errorf("encode update: %w", err)
	}
	var s Sent
	switch tg.Mode {
	case Webhook:
		s.ID, s.Status, err = tg.API.Deliver(ctx, raw)
		for tg.Retry > 0 && (err != nil || s.Status < 200 || s.Status > 299) && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(tg.Retry):
			}
			again := maps.Clone(update)
			again["update_id"] = s.ID
			if raw, err = json.Marshal(again); err != nil {
				return Sent{}, fmt.Errorf("encode update: %w", err)
			}
			s.Status, err = 0, nil
			_, s.Status, err = tg.API.Deliver(ctx, raw)
		}
	default:
		s.ID, err = tg.API.PushUpdate(raw)
	}
	s.Update = maps.Clone(update)
	s.Update["update_id"] = s.ID
	if err != nil {
		return s, fmt.Errorf("send update: %w", err)
	}
	if tg.Mode == Webhook && (s.Status < 200 || s.Status > 299) {
		return s, &RefusedError{ID: s.ID, Status: s.Status}
	}
	return s, nil
}

// now is the time for a message's date.
func (tg *Telegram) now() time.Time {
	if tg.Now != nil {
		return tg.Now()
	}
	return time.Now()
}
