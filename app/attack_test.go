package app

import (
	"fmt"
	"net/http"
	"testing"

	"complaintbot/internal/e2e"
)

// TestForeignPress (security): a button of one user's chat pressed by someone else (a copy of
// the bot's message forwarded with its keyboard, or a forged update) changes nothing in that
// chat and sends it nothing: the press is answered and dropped. The chat's owner then presses
// the same button and moves on.
func TestForeignPress(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	owner, other := p.TG.User(4301, "zh-hans"), p.TG.User(4302, "zh-hans")
	if err := owner.Play(ctx, first(t, askCharge)...); err != nil {
		t.Fatal(err)
	}
	kb := owner.Keyboard()
	b, ok := kb.Button("deregistration_fee")
	if !ok {
		t.Fatal("no button")
	}
	before := snapshot(t, p.session(owner.ID))
	secret := testSecret
	body := update(map[string]any{"callback_query": map[string]any{
		"id": "cb-foreign", "data": b.Data, "chat_instance": "ci-foreign",
		"from": map[string]any{"id": other.ID, "is_bot": false, "first_name": "Other"},
		"message": map[string]any{"message_id": kb.ID, "date": 1763690000, "text": kb.Text,
			"chat": map[string]any{"id": owner.ID, "type": "private", "first_name": "Owner"}},
	}})
	if got := p.post(ctx, http.MethodPost, &secret, body); got != http.StatusOK {
		t.Fatalf("webhook answered %d", got)
	}
	if after := snapshot(t, p.session(owner.ID)); after != before {
		t.Errorf("another user's press changed the owner's session:\n%s\nwas\n%s", after, before)
	}
	if unread := e2e.Texts(owner.Unread()); len(unread) > 0 {
		t.Errorf("another user's press sent the owner %q", unread)
	}
	if s := p.session(other.ID); s.State != "" && s.Draft.User != 0 {
		t.Errorf("the presser got a session: %+v", s)
	}
	if err := owner.Play(ctx, e2e.Press("deregistration_fee", "您是哪天（或哪个月）申请注销")); err != nil {
		t.Fatal(err)
	}
	if s := p.session(owner.ID); s.Draft.User != owner.ID {
		t.Errorf("the draft's user is %d, want the owner %d", s.Draft.User, owner.ID)
	}
	p.stop(fmt.Sprint(other.ID))
}
