package app

import (
	"strings"
	"testing"

	"complaintbot/internal/e2e"
	"complaintbot/internal/redistest"
)

// TestPollingRedisDown stops Redis while two users talk to the bot by long polling. Their
// updates fail and are not confirmed to Telegram; each user is told once to try again; and when
// Redis is back the bot takes them again by itself and answers each exactly once, in the order
// sent. The conversations then finish.
func TestPollingRedisDown(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Polling, Redis: redistest.Config{AppendOnly: true}})
	ctx := testContext(t)
	a, b := p.TG.User(3201, "zh-hans"), p.TG.User(3202, "zh-hans")
	for _, u := range []*e2e.User{a, b} {
		if err := u.Play(ctx, first(t, askComplainant)...); err != nil {
			t.Fatal(err)
		}
	}

	if err := p.Redis.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, send := range []func() error{
		func() error { _, err := a.Press(ctx, "consumer"); return err },
		func() error { _, err := a.Text(ctx, "/help"); return err },
		func() error { _, err := b.Press(ctx, "consumer"); return err },
	} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []*e2e.User{a, b} {
		if _, err := u.Expect(ctx, "系统暂时繁忙"); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.API.PendingUpdates(); n != 3 {
		t.Fatalf("%d updates left with Telegram while Redis is down, want the 3 that failed", n)
	}

	if err := p.Redis.Restart(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"请先确认您的身份", "随时可用的命令", "请先确认您的身份"} {
		if _, err := a.Expect(ctx, want); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Expect(ctx, "请先确认您的身份"); err != nil {
		t.Fatal(err)
	}
	finishFromCharge(ctx, t, a, b)
	for _, u := range []*e2e.User{a, b} {
		count := map[string]int{}
		for _, m := range e2e.Messages(p.API, u.ID) {
			for _, q := range []string{"请先确认您的身份", "随时可用的命令", "系统暂时繁忙", "投诉书已生成"} {
				if strings.Contains(m.Text, q) {
					count[q]++
				}
			}
		}
		want := map[string]int{"请先确认您的身份": 1, "随时可用的命令": 0, "系统暂时繁忙": 1, "投诉书已生成": 1}
		if u == a {
			want["请先确认您的身份"], want["随时可用的命令"] = 2, 1
		}
		for q, n := range want {
			if count[q] != n {
				t.Errorf("user %d: %q sent %d times, want %d", u.ID, q, count[q], n)
			}
		}
	}
	p.stop(personalData...)
}
