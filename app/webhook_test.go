package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"complaintbot/internal/e2e"
	"complaintbot/internal/redistest"
)

// post sends body to the program's webhook with the given secret header ("" for none) and
// returns the status.
func (p *program) post(ctx context.Context, method string, secret *string, body []byte) int {
	p.t.Helper()
	target, err := p.API.WebhookTarget()
	if err != nil {
		p.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != nil {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", *secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if answer, err := io.ReadAll(resp.Body); err == nil && resp.StatusCode == http.StatusOK {
		p.API.WebhookReply(ctx, answer) // the call the answer may carry, as Telegram makes it
	}
	return resp.StatusCode
}

// get returns the status of a GET of path on the program's listener.
func (p *program) get(ctx context.Context, path string) int {
	p.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.Addr+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if answer, err := io.ReadAll(resp.Body); err == nil && resp.StatusCode == http.StatusOK {
		p.API.WebhookReply(ctx, answer) // the call the answer may carry, as Telegram makes it
	}
	return resp.StatusCode
}

// TestWebhookSecret: an update posted without the secret, with a wrong one, or with one that
// differs only in length gets 401 and changes nothing: no Bot API call, no session change. The
// same update with the secret is then answered.
func TestWebhookSecret(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	u := p.TG.User(3001, "zh-hans")
	if err := u.Play(ctx, first(t, askComplainant)...); err != nil {
		t.Fatal(err)
	}
	before, calls := p.session(u.ID), len(p.API.Calls())
	update, err := json.Marshal(map[string]any{"update_id": 9001, "message": map[string]any{
		"message_id": 99, "date": 1763690000, "text": "/help",
		"from": map[string]any{"id": u.ID, "is_bot": false, "first_name": "U"},
		"chat": map[string]any{"id": u.ID, "type": "private"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	none, empty, wrong, longer, shorter := (*string)(nil), "", strings.Repeat("x", len(testSecret)), testSecret+"0", testSecret[:len(testSecret)-1]
	for name, secret := range map[string]*string{"missing": none, "empty": &empty, "wrong": &wrong, "longer": &longer, "shorter": &shorter} {
		if got := p.post(ctx, http.MethodPost, secret, update); got != http.StatusUnauthorized {
			t.Errorf("%s secret: status %d, want 401", name, got)
		}
	}
	if got := p.post(ctx, http.MethodGet, nil, nil); got != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", got)
	}
	after := p.session(u.ID)
	if n := len(p.API.Calls()); n != calls || after.Version != before.Version || after.State != before.State {
		t.Fatalf("refused updates changed something: %d calls (was %d), session v%d %s (was v%d %s)",
			n, calls, after.Version, after.State, before.Version, before.State)
	}

	secret := testSecret
	if got := p.post(ctx, http.MethodPost, &secret, update); got != http.StatusOK {
		t.Fatalf("with the secret: status %d", got)
	}
	if _, err := u.Expect(ctx, "随时可用的命令"); err != nil { // the help text
		t.Fatal(err)
	}
	p.stop()
}

// TestWebhookRedisDown stops Redis in the middle of two conversations. While it is down the
// webhook answers 503 to every update (Telegram delivers them again), /readyz says not ready,
// and each user is told once, not once per update, to try again. After Redis is back the
// redelivered updates complete both conversations: every question is asked exactly once. An
// update delivered yet again changes nothing; it sends its replies again only when it is its
// chat's last (at least once: the bot cannot tell a lost webhook answer from a crash).
func TestWebhookRedisDown(t *testing.T) {
	// with an append-only file, as in production, so that a stopped Redis loses nothing
	// A whole complaint and its redeliveries within seconds is more than a person sends: the
	// flood limit, which TestFlood covers, is off here.
	p := startProgram(t, programOptions{Mode: e2e.Webhook, Redis: redistest.Config{AppendOnly: true},
		Env: map[string]string{"USER_RATE_LIMIT": "off"}})
	ctx := testContext(t)
	a, b := p.TG.User(3101, "zh-hans"), p.TG.User(3102, "zh-hans")
	for _, u := range []*e2e.User{a, b} {
		if err := u.Play(ctx, first(t, askComplainant)...); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.get(ctx, "/readyz"); got != http.StatusOK {
		t.Fatalf("/readyz = %d before the outage", got)
	}

	if err := p.Redis.Stop(); err != nil {
		t.Fatal(err)
	}
	var refused *e2e.RefusedError
	a1, err := a.Press(ctx, "consumer")
	if !errors.As(err, &refused) || refused.Status < 500 {
		t.Fatalf("with Redis down: %v, want a 5xx", err)
	}
	// Telegram delivers it again, and the user, told to try again, types something
	if _, err := p.TG.Redeliver(ctx, a1); !errors.As(err, &refused) || refused.Status < 500 {
		t.Fatalf("redelivered with Redis down: %v, want a 5xx", err)
	}
	a2, err := a.Text(ctx, "/help")
	if !errors.As(err, &refused) || refused.Status < 500 {
		t.Fatalf("with Redis down: %v, want a 5xx", err)
	}
	b1, err := b.Press(ctx, "consumer")
	if !errors.As(err, &refused) || refused.Status < 500 {
		t.Fatalf("with Redis down: %v, want a 5xx", err)
	}
	if got := p.get(ctx, "/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d with Redis down, want 503", got)
	}
	if got := p.get(ctx, "/healthz"); got != http.StatusOK {
		t.Errorf("/healthz = %d with Redis down, want 200", got)
	}
	for _, u := range []*e2e.User{a, b} {
		unread := e2e.Texts(u.Unread())
		if len(unread) != 1 || !strings.Contains(unread[0], "系统暂时繁忙") {
			t.Fatalf("user %d was told %q, want one try-again message", u.ID, unread)
		}
		u.ReadAll()
	}

	if err := p.Redis.Restart(); err != nil {
		t.Fatal(err)
	}
	if got := p.get(ctx, "/readyz"); got != http.StatusOK {
		t.Errorf("/readyz = %d after the outage", got)
	}
	// Telegram delivers the failed updates again, in order
	for _, s := range []e2e.Sent{a1, a2, b1} {
		if _, err := p.TG.Redeliver(ctx, s); err != nil {
			t.Fatalf("redelivery after the outage: %v", err)
		}
	}
	if _, err := a.Expect(ctx, "请先确认您的身份"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Expect(ctx, "随时可用的命令"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Expect(ctx, "请先确认您的身份"); err != nil { // /help asks the question again
		t.Fatal(err)
	}
	if _, err := b.Expect(ctx, "请先确认您的身份"); err != nil {
		t.Fatal(err)
	}
	// and once more, as after a lost answer: the presses are answered and nothing changes; a1,
	// followed by a2 in the same process, sends nothing (its replies are known to have been
	// sent), while a2 and b1, each its chat's last update, send their replies again: delivery is
	// at least once, as after a crash before they were sent (see storage.Redis.Apply)
	calls := len(p.API.Calls())
	before := p.session(a.ID).Version
	for _, s := range []e2e.Sent{a1, a2, b1} {
		if _, err := p.TG.Redeliver(ctx, s); err != nil {
			t.Fatalf("second redelivery: %v", err)
		}
	}
	again := map[int64]int{}
	for _, c := range p.API.Calls()[calls:] {
		if c.Method != "answerCallbackQuery" {
			again[c.ChatID]++
		}
	}
	if again[a.ID] != 2 || again[b.ID] != 1 || p.session(a.ID).Version != before {
		t.Errorf("redelivered again: %v messages by chat, want a2's two and b1's one, and no change", again)
	}
	a.ReadAll()
	b.ReadAll()

	finishFromCharge(ctx, t, a, b)
	for _, u := range []*e2e.User{a, b} {
		asked := map[string]int{}
		for _, m := range e2e.Messages(p.API, u.ID) {
			for _, q := range []string{"请先确认您的身份", "是哪家支付机构", "现在请发送证据", "投诉书已生成", "这个按钮已经过期了", "系统暂时繁忙"} {
				if strings.Contains(m.Text, q) {
					asked[q]++
				}
			}
		}
		// the consumer check: asked, asked again after /help, and both again by the redelivery
		want := map[string]int{"请先确认您的身份": 3, "是哪家支付机构": 1, "现在请发送证据": 1, "投诉书已生成": 1, "系统暂时繁忙": 1}
		if u == b {
			want["请先确认您的身份"] = 2 // b sent no /help
		}
		for q, n := range want {
			if asked[q] != n {
				t.Errorf("user %d: %q sent %d times, want %d", u.ID, q, asked[q], n)
			}
		}
		if asked["这个按钮已经过期了"] != 0 {
			t.Errorf("user %d: a button expired", u.ID)
		}
		if cases, err := p.store.Cases(ctx, u.ID); err != nil || len(cases) != 1 {
			t.Errorf("user %d: cases %v, %v", u.ID, cases, err)
		}
	}
	p.stop(personalData...)
}
