package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
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

// TestLogHoldsNoStaffIDs (security): a whole case at LOG_LEVEL=debug, escalated and handled by
// staff (claim, a question, the answer relayed back, a message relayed to the complainant, a
// resolution), with an outsider pressing the card's button and writing in the topic, leaves a
// log that names no one: no complainant's data, no staff member's or outsider's Telegram id or
// name.
func TestLogHoldsNoStaffIDs(t *testing.T) {
	const (
		staffer  = int64(7319046251)
		outsider = int64(7319046252)
	)
	p := startProgram(t, programOptions{Mode: e2e.Webhook, Env: map[string]string{
		"STAFF_CHAT_ID": fmt.Sprint(reliabilityStaffChat), "STAFF_USER_IDS": fmt.Sprint(staffer), "STAFF_CONSUMER": "logscan"}})
	ctx := testContext(t)
	u := p.TG.User(7319046250, "zh-hans")
	if err := u.Play(ctx, e2e.Script(lakalaFiles, map[string]string{"sn": "WP2103456789"},
		"intake", "photo", "contact", "confirm-staff", "escalate")...); err != nil {
		t.Fatal(err)
	}
	cases, err := p.store.Cases(ctx, u.ID)
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases %v, %v", cases, err)
	}
	id := cases[0].ID
	cardCall, err := p.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.ChatID == reliabilityStaffChat && c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.ChatID == reliabilityStaffChat && strings.Contains(c.Params["caption"], id)
	}); err != nil {
		t.Fatal(err)
	}
	card, topic := cardCall.MessageID(), cardCall.ThreadID
	chat := map[string]any{"id": reliabilityStaffChat, "type": "supergroup", "title": "staff", "is_forum": true}
	var msgs int
	as := func(who int64, name string) map[string]any {
		return map[string]any{"id": who, "is_bot": false, "first_name": name, "username": name + "_tg"}
	}
	press := func(who int64, name, data string) {
		t.Helper()
		msg := map[string]any{"message_id": card, "chat": chat, "date": time.Now().Unix(),
			"message_thread_id": topic, "is_topic_message": true, "text": "card"}
		if _, err := p.TG.Send(ctx, map[string]any{"callback_query": map[string]any{
			"id": fmt.Sprintf("staff-cb-%d-%s", who, data), "from": as(who, name), "message": msg,
			"chat_instance": "staff", "data": data}}); err != nil {
			t.Fatal(err)
		}
	}
	say := func(who int64, name, text string) {
		t.Helper()
		msgs++
		if _, err := p.TG.Send(ctx, map[string]any{"message": map[string]any{
			"message_id": 900000 + msgs, "from": as(who, name), "chat": chat, "date": time.Now().Unix(),
			"message_thread_id": topic, "is_topic_message": true, "text": text,
			"reply_to_message": map[string]any{"message_id": topic, "chat": chat, "date": time.Now().Unix()}}}); err != nil {
			t.Fatal(err)
		}
	}
	press(outsider, "Mallory", "s:claim:"+id)
	say(outsider, "Mallory", "/case "+id)
	press(staffer, "Wangwu", "s:claim:"+id)
	press(staffer, "Wangwu", "s:ask:"+id)
	say(staffer, "Wangwu", "请补充合同照片")
	if _, err := u.Expect(ctx, "请补充合同照片"); err != nil {
		t.Fatal(err)
	}
	if err := u.Play(ctx, e2e.Say("合同在家里，明天补", "已转给")); err != nil {
		t.Fatal(err)
	}
	say(staffer, "Wangwu", "好的，谢谢")
	if _, err := u.Expect(ctx, "好的，谢谢"); err != nil {
		t.Fatal(err)
	}
	press(staffer, "Wangwu", "s:resolve:"+id)
	if _, err := u.Expect(ctx, id); err != nil {
		t.Fatal(err)
	}
	log := p.stderr.String()
	p.stop("张三", "13800138000", "138-0013-8000", "科技园路", "WP2103456789", "合同在家里", "请补充合同", "Wangwu", "Mallory")
	checkNoIDs(t, "serve", log, []int64{staffer, outsider, u.ID})
}

// deliverTo posts an update to the webhook of the replica listening on addr, as Telegram does,
// and hands the call its answer carries to the fake; it returns the HTTP status.
func deliverTo(ctx context.Context, api *fakeapi.Server, addr string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/webhook", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if answer, err := io.ReadAll(resp.Body); err == nil && resp.StatusCode == http.StatusOK {
		api.WebhookReply(ctx, answer)
	}
	return resp.StatusCode, nil
}

// TestTwoReplicasSameUpdate (issue: replicas): two replicas share one Redis, and Telegram's
// retry hands the same update to both at once (the first delivery timed out at the proxy): the
// review's confirm press, then the escalate press. The complaint is stored once, as one case,
// and staff get one card for it; the complainant may be answered twice (delivery is at least
// once), never with a second case id.
func TestTwoReplicasSameUpdate(t *testing.T) {
	env := map[string]string{"STAFF_CHAT_ID": fmt.Sprint(reliabilityStaffChat), "STAFF_CONSUMER": "replica-1"}
	p1 := startProgram(t, programOptions{Mode: e2e.Webhook, Env: env})
	p2 := startProgram(t, programOptions{Mode: e2e.Webhook, Replica: p1,
		Env: map[string]string{"STAFF_CHAT_ID": fmt.Sprint(reliabilityStaffChat), "STAFF_CONSUMER": "replica-2"}})
	ctx := testContext(t)
	u := p1.TG.User(4401, "zh-hans")
	if err := u.Play(ctx, e2e.Script(lakalaFiles, nil, "intake", "photo", "contact")...); err != nil {
		t.Fatal(err)
	}
	both := func(action string, id int64) {
		t.Helper()
		kb := u.Keyboard()
		b, ok := kb.Button(action)
		if !ok {
			t.Fatalf("no button %q", action)
		}
		body, err := json.Marshal(map[string]any{"update_id": id, "callback_query": map[string]any{
			"id": fmt.Sprintf("cb-both-%d", id), "data": b.Data, "chat_instance": "ci",
			"from":    map[string]any{"id": u.ID, "is_bot": false, "first_name": "U", "language_code": "zh-hans"},
			"message": map[string]any{"message_id": kb.ID, "date": time.Now().Unix(), "text": kb.Text, "chat": map[string]any{"id": u.ID, "type": "private"}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, p := range []*program{p1, p2} {
			wg.Go(func() {
				if status, err := deliverTo(ctx, p1.API, p.Addr, body); err != nil || status != http.StatusOK {
					t.Errorf("delivery to %s: %d, %v", p.Addr, status, err)
				}
			})
		}
		wg.Wait()
	}
	both("confirm", 9_000_001)
	if _, err := u.Expect(ctx, "需要我们的工作人员帮您跟进"); err != nil {
		t.Fatal(err)
	}
	both("escalate", 9_000_002)
	if _, err := u.Expect(ctx, "已转交工作人员"); err != nil {
		t.Fatal(err)
	}
	cases, err := p1.store.Cases(ctx, u.ID)
	if err != nil || len(cases) != 1 {
		t.Fatalf("the chat has %d cases (%v), want 1", len(cases), err)
	}
	id := cases[0].ID
	if _, err := p1.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.ChatID == reliabilityStaffChat && strings.Contains(c.Params["caption"], id)
	}); err != nil {
		t.Fatal(err)
	}
	cards, docs := 0, 0
	for _, c := range p1.API.CallsToChat(reliabilityStaffChat) {
		if c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id) {
			cards++
		}
		if c.Method == "sendDocument" {
			docs++
		}
	}
	if cards != 1 || docs != 1 {
		t.Errorf("staff got %d cards and %d documents of %s, want one each", cards, docs, id)
	}
	var ids []string
	for _, m := range e2e.Messages(p1.API, u.ID) {
		for _, w := range regexp.MustCompile(`C-\d{6}`).FindAllString(m.Text, -1) {
			if w != id && !slices.Contains(ids, w) {
				ids = append(ids, w)
			}
		}
	}
	if len(ids) > 0 {
		t.Errorf("the complainant was told of other case ids %v besides %s", ids, id)
	}
	t.Logf("the complainant got %d messages", len(e2e.Messages(p1.API, u.ID)))
	p2.stop()
	p1.stop()
}

// TestStatusOfManyCases: a chat with more finished complaints than one message can list
// (MaxCasesPerDay a day for a week and more, each naming a provider as long as one may be)
// gets its /status whole, in parts Telegram takes: every case is listed.
func TestStatusOfManyCases(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook})
	ctx := testContext(t)
	u := p.TG.User(4501, "zh-hans")
	if err := u.Play(ctx, first(t, askComplainant)...); err != nil {
		t.Fatal(err)
	}
	const n = 45
	name := strings.Repeat("某某某某支付科技有限公司", 5) // 60 characters, the longest a typed provider name may be
	for i := range n {
		c := flows.Complaint{Chat: u.ID, User: u.ID, Lang: flows.LangZH, Complainant: flows.Consumer,
			Charge: flows.DeregistrationFee, Provider: flows.Provider{Name: name},
			Deductions: []flows.Deduction{{Date: "2026-05-01", Amount: 19900, Method: flows.FromSettlement}}}
		if _, _, err := p.store.Apply(ctx, u.ID, int64(8_000_000+i), func(s flows.Session) (flows.Result, error) {
			s.State = flows.StateSubmitted
			return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	u.ReadAll()
	if _, err := u.Text(ctx, "/status"); err != nil {
		t.Fatal(err)
	}
	var listed strings.Builder
	for _, m := range u.Unread() {
		listed.WriteString(m.Text)
	}
	for i := 1; i <= n; i++ {
		if id := fmt.Sprintf("C-%06d", i); !strings.Contains(listed.String(), id) {
			t.Errorf("/status does not list %s (%d messages read)", id, len(u.Unread()))
			break
		}
	}
	p.stop()
}
