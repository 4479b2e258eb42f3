package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/bot"
	"complaintbot/flows"
	"complaintbot/internal/e2e"
)

// badInput is one hostile or broken update and what the bot must do with it.
type badInput struct {
	name string
	// send hands the update to the program: a text, a press, or a raw webhook body.
	send func(ctx context.Context, p *program, u *e2e.User) error
	// reply must be part of the first message the bot sends in answer; "" means no message.
	reply string
}

// text sends s as a message.
func text(s string) func(context.Context, *program, *e2e.User) error {
	return func(ctx context.Context, p *program, u *e2e.User) error {
		_, err := u.Text(ctx, s)
		return err
	}
}

// press presses a button with forged callback data on the last keyboard.
func press(data string) func(context.Context, *program, *e2e.User) error {
	return func(ctx context.Context, p *program, u *e2e.User) error {
		_, err := u.PressData(ctx, u.Keyboard(), data)
		return err
	}
}

// raw posts body to the webhook with the secret; the webhook must answer 200 (nothing to
// deliver again).
func raw(body func(u *e2e.User) []byte) func(context.Context, *program, *e2e.User) error {
	return func(ctx context.Context, p *program, u *e2e.User) error {
		secret := testSecret
		if got := p.post(ctx, http.MethodPost, &secret, body(u)); got != http.StatusOK {
			return fmt.Errorf("webhook answered %d, want 200", got)
		}
		return nil
	}
}

// update encodes an update with the given fields and a fresh update_id.
func update(fields map[string]any) []byte {
	fields["update_id"] = time.Now().UnixNano() % 1_000_000_000
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	return b
}

// badInputs is the catalogue, sent to a user at the question for the first amount.
func badInputs() []badInput {
	const again = "请只输入金额数字" // the amount question's error
	const stale = "这个按钮已经过期了"
	return []badInput{
		{"64 KB text", text(strings.Repeat("扣", 64<<10/3)), again},
		{"NUL and control characters", text("\x00\x01\x07\x1b[31m199\x7f"), again},
		{"invalid UTF-8", raw(func(u *e2e.User) []byte {
			return bytes.Replace(update(map[string]any{"message": map[string]any{"message_id": 1, "date": 1,
				"from": map[string]any{"id": u.ID, "first_name": "U"}, "chat": map[string]any{"id": u.ID, "type": "private"},
				"text": "XX199"}}), []byte("XX"), []byte{0xff, 0xfe}, 1)
		}), again},
		{"lone surrogates and a noncharacter in the JSON", raw(func(u *e2e.User) []byte {
			return bytes.Replace(update(map[string]any{"message": map[string]any{"message_id": 1, "date": 1,
				"from": map[string]any{"id": u.ID, "first_name": "U"}, "chat": map[string]any{"id": u.ID, "type": "private"},
				"text": "XX199"}}), []byte("XX"), []byte(`\ud800\udfff\ufffe`), 1)
		}), again},
		{"right-to-left and zero-width", text("\u202e991\u200b\u200d\ufeff元"), again},
		{"emoji only", text("😀🙏💸"), again},
		{"HTML injection", text(`<a href="https://evil.example">199</a></b><b>`), again},
		{"Telegram markup", text("*199* _x_ [a](tg://user?id=1) `code`"), again},
		{"SQL-looking", text("199'; DROP TABLE complaints; --"), again},
		{"Lua-looking", text("redis.call('FLUSHALL') return 1"), again},
		{"a command for another bot", text("/restart@other_bot"), ""},
		{"/delete for another bot", text("/delete@other_bot"), ""},
		{"forged callback: an old prompt", press("1:agree"), stale},
		{"forged callback: a future prompt", press("999:done"), stale},
		{"forged callback: another state's event", press("6:confirm"), stale},
		{"forged callback: over 64 bytes", press("6:" + strings.Repeat("x", 100)), stale},
		{"forged callback: garbage", press("\x00\xff::;;"), stale},
		{"forged callback: a staff button", press("s:claim:C-000001"), stale},
		{"message without from", raw(func(u *e2e.User) []byte {
			return update(map[string]any{"message": map[string]any{"message_id": 1, "date": 1, "text": "199",
				"chat": map[string]any{"id": u.ID, "type": "private"}}})
		}), ""},
		{"message without chat", raw(func(u *e2e.User) []byte {
			return update(map[string]any{"message": map[string]any{"message_id": 1, "date": 1, "text": "199",
				"from": map[string]any{"id": u.ID, "first_name": "U"}}})
		}), ""},
		{"callback without message", raw(func(u *e2e.User) []byte {
			return update(map[string]any{"callback_query": map[string]any{"id": "x", "data": "6:done",
				"from": map[string]any{"id": u.ID, "first_name": "U"}}})
		}), ""},
		{"unknown update type", raw(func(u *e2e.User) []byte {
			return update(map[string]any{"poll": map[string]any{"id": "p", "question": "199?"}})
		}), ""},
		{"empty update", raw(func(*e2e.User) []byte { return []byte(`{}`) }), ""},
		{"10 MB body", raw(func(u *e2e.User) []byte {
			return update(map[string]any{"message": map[string]any{"message_id": 1, "date": 1,
				"from": map[string]any{"id": u.ID, "first_name": "U"}, "chat": map[string]any{"id": u.ID, "type": "private"},
				"text": strings.Repeat("9", 10<<20)}})
		}), ""},
		{"invalid JSON", raw(func(*e2e.User) []byte { return []byte(`{"update_id": 1, "message": {"text": "199"`) }), ""},
		{"not JSON", raw(func(*e2e.User) []byte { return []byte("\x00\xffGET / HTTP/1.1") }), ""},
	}
}

// snapshot is what must not change: the session without its version and prompt counter.
func snapshot(t *testing.T, s flows.Session) string {
	t.Helper()
	s.Version, s.Prompt = 0, 0
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBadInput (issue 7, bad input catalogue): each hostile or broken input, sent to a user at
// the question for the first amount, gets its expected answer (or none) and leaves the
// session's state and draft as they were; the webhook answers 200 to what can never be
// processed, so Telegram does not deliver it again. The user's next real answer still works,
// and the log holds none of what was sent.
func TestBadInput(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	u := p.TG.User(4001, "zh-hans")
	if err := u.Play(ctx, first(t, askAmount)...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range badInputs() {
		t.Run(tc.name, func(t *testing.T) {
			u.ReadAll()
			before := snapshot(t, p.session(u.ID))
			if err := tc.send(ctx, p, u); err != nil {
				t.Fatal(err)
			}
			// the webhook answers after the update was handled, so its replies were sent
			unread := e2e.Texts(u.Unread())
			switch {
			case tc.reply == "" && len(unread) > 0:
				t.Errorf("answered %q, want nothing", unread)
			case tc.reply != "" && (len(unread) == 0 || !strings.Contains(unread[0], tc.reply)):
				t.Errorf("answered %q, want %q", unread, tc.reply)
			}
			if after := snapshot(t, p.session(u.ID)); after != before {
				t.Errorf("the session changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
	u.ReadAll()
	if err := u.Play(ctx, after(t, askAmount)[:3]...); err != nil {
		t.Fatalf("after the catalogue: %v", err)
	}
	p.stop("FLUSHALL", "DROP TABLE", "evil.example", "😀")
}

// TestButtonStorm: 100 presses of the current question's button within a second (a stuck
// client, or a script) move the conversation on once; the other presses are answered as stale
// or dropped by the flood limit (one notice), and the session is where one press leaves it.
func TestButtonStorm(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	u := p.TG.User(4002, "zh-hans")
	if err := u.Play(ctx, first(t, askCharge)...); err != nil {
		t.Fatal(err)
	}
	kb := u.Keyboard()
	b, ok := kb.Button("deregistration_fee")
	if !ok {
		t.Fatal("no button")
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := u.PressData(ctx, kb, b.Data); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s := p.session(u.ID)
	if s.State != flows.StateDeregDate || s.Draft.Charge != flows.DeregistrationFee {
		t.Errorf("after the storm: %s, charge %q", s.State, s.Draft.Charge)
	}
	// The first press moves on; the presses handled after it are stale (told so, the current
	// question asked again); the flood limit drops the rest with one notice.
	moved, stale, slowed := 0, 0, 0
	for _, m := range u.Unread() {
		switch {
		case strings.Contains(m.Text, "这个按钮已经过期了"):
			stale++
		case strings.Contains(m.Text, "您发送得太快了"):
			slowed++
		case strings.HasPrefix(m.Text, "您是哪天（或哪个月）申请注销"):
			moved++
		}
	}
	if stale >= 100 || slowed != 1 {
		t.Errorf("%d stale presses answered, %d flood notices; want the flood limit to drop some, with one notice", stale, slowed)
	}
	t.Logf("100 presses: %d stale answers, %d flood notices, the de-registration question %d times", stale, slowed, moved)
	// every press's spinner stops, the dropped ones' too: in webhook mode the answer costs no call
	answered := map[string]bool{}
	for _, c := range p.API.CallsFor("answerCallbackQuery") {
		if strings.HasPrefix(c.Params["callback_query_id"], fmt.Sprintf("cb-%d-", u.ID)) {
			answered[c.Params["callback_query_id"]] = true
		}
	}
	if len(answered) < 100 {
		t.Errorf("%d presses answered, want at least the storm's 100", len(answered))
	}
	if _, err := u.Expect(ctx, "您是哪天（或哪个月）申请注销"); err != nil {
		t.Fatal(err)
	}
	p.stop()
}

// TestFlood: one user sends 10,000 messages as fast as 16 connections allow while five others
// answer questions. The flood limit lets the flooder's first DefaultUserBurst updates through
// and then about DefaultUserRate a second, drops the rest before any Redis or Bot API call,
// and tells the flooder once a minute; the others finish their conversations. Their step
// latency with and without the flood is logged (not asserted: wall-clock limits would make
// the test flaky on a loaded machine).
func TestFlood(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	flooder := p.TG.User(4100, "zh-hans")
	if err := flooder.Play(ctx, first(t, askAmount)...); err != nil {
		t.Fatal(err)
	}
	others := make([]*e2e.User, 5)
	for i := range others {
		others[i] = p.TG.User(int64(4200+i), "zh-hans")
	}
	play := func(from, to int) time.Duration { // the others' mean step latency
		var mu sync.Mutex
		var total time.Duration
		var wg sync.WaitGroup
		for _, u := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, s := range intakeSteps()[from:to] {
					start := time.Now()
					if err := u.Play(ctx, s); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += time.Since(start)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return total / time.Duration(len(others)*(to-from))
	}
	quiet := play(0, 4)

	const flood = 10_000
	before := p.session(flooder.ID).Version
	start := time.Now()
	var next sync.Mutex
	sent := 0
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				if sent == flood {
					next.Unlock()
					return
				}
				sent++
				next.Unlock()
				if _, err := flooder.Text(ctx, "快点处理！"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	busy := play(4, 9)
	wg.Wait()
	took := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}
	applied := p.session(flooder.ID).Version - before
	allowed := int64(bot.DefaultUserBurst) + int64(float64(bot.DefaultUserRate)*took.Seconds()) + 1
	notices := 0
	for _, m := range e2e.Messages(p.API, flooder.ID) {
		if strings.Contains(m.Text, "您发送得太快了") {
			notices++
		}
	}
	if applied > allowed || applied < 1 {
		t.Errorf("%d of the flood's updates were applied in %v, want at most %d", applied, took, allowed)
	}
	if notices < 1 || notices > 1+int(took/time.Minute) {
		t.Errorf("the flooder was told %d times in %v, want once a minute", notices, took)
	}
	p.stop()
	t.Logf("figures: %d messages in %v, %d applied, %d notices; the others' mean step latency %v quiet, %v during the flood",
		flood, took.Round(time.Millisecond), applied, notices, quiet.Round(time.Millisecond), busy.Round(time.Millisecond))
}
