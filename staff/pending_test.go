package staff_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
)

// escalateAs is escalate for complainant chat.
func (w *world) escalateAs(chat int64) {
	w.t.Helper()
	d := draft()
	d.Chat, d.User = chat, chat
	_, _, err := w.store.Apply(w.ctx(), chat, 1_000_000, func(s flows.Session) (flows.Result, error) {
		s.State, s.Lang, s.Consented, s.Prompt, s.Draft = flows.StateReview, flows.LangZH, true, 5, d
		return flows.Result{Session: s}, nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.pressAs(chat, 1, "5:confirm")
	w.pressButtonAs(chat, ":escalate")
}

// pressButtonAs presses the button of the last keyboard sent to complainant chat whose data
// ends with suffix.
func (w *world) pressButtonAs(chat int64, suffix string) {
	w.t.Helper()
	for _, c := range slicesReverse(w.api.CallsToChat(chat)) {
		var kb models.InlineKeyboardMarkup
		if json.Unmarshal([]byte(c.Params["reply_markup"]), &kb) != nil {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if strings.HasSuffix(b.CallbackData, suffix) {
					w.pressAs(chat, c.MessageID(), b.CallbackData)
					return
				}
			}
		}
	}
	w.t.Fatalf("no button %q was sent to %d", suffix, chat)
}

// pressAs presses a button with data on message msg of complainant chat.
func (w *world) pressAs(chat int64, msg int, data string) {
	w.process(&models.Update{CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("cb-%d", w.updates.Load()+1), From: models.User{ID: chat, LanguageCode: "zh-hans"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: msg,
			Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}}},
		Data: data,
	}})
}

// sayAs writes text as complainant chat.
func (w *world) sayAs(chat int64, text string) {
	w.process(&models.Update{Message: &models.Message{ID: int(w.msgs.Add(1)), Text: text, Date: int(time.Now().Unix()),
		Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}, From: &models.User{ID: chat, LanguageCode: "zh-hans"}}})
}

// staffTopicCommand writes a command in a case's topic as user.
func (w *world) staffTopicCommand(user int64, th thread, text string) {
	w.process(w.staffUpdate(user, th, text))
}

func slicesReverse(cs []fakeapi.Call) []fakeapi.Call {
	out := make([]fakeapi.Call, len(cs))
	for i, c := range cs {
		out[len(cs)-1-i] = c
	}
	return out
}

// TestTwoAsks is issue 17's third finding: a staff member presses "ask" on case A, then on
// case B, then writes A's question in A's topic. Each case keeps its own pending action: A's
// question goes out as a question (A waits for its complainant, whose answer comes back into
// A's topic), B's stays pending until its own question; /pending shows them; /cancel in a
// topic drops that case's only, and outside every one.
func TestTwoAsks(t *testing.T) {
	w := newWorld(t, forumChat)
	w.start()
	const userA, userB = complainant, complainant + 1
	w.escalateAs(userA)
	w.escalateAs(userB)
	const a, b = "C-000001", "C-000002"
	thA, thB := w.card(a), w.card(b)
	w.posted(a)
	w.posted(b)
	zh := flows.LangZH
	replyAfter := func(mark int64, what string) string {
		t.Helper()
		return w.wait(what, func(c fakeapi.Call) bool {
			return c.Seq > mark && c.ChatID == forumChat && c.Method == "sendMessage"
		}).Params["text"]
	}
	askLabel := flows.Text{Key: "staff_btn_ask"}

	w.staffPress(staffer, thA, "s:ask:"+a)
	w.staffPress(staffer, thB, "s:ask:"+b)
	w.staffPress(listed, thA, "s:note:"+a) // another staff member's action on A is theirs alone
	mark := w.seq()
	w.staffCommand(staffer, "/pending")
	want := strings.Join([]string{w.text(zh, "staff_pending", nil),
		w.text(zh, "staff_pending_line", map[string]any{"CaseID": a, "Action": askLabel}),
		w.text(zh, "staff_pending_line", map[string]any{"CaseID": b, "Action": askLabel})}, "\n")
	if got := replyAfter(mark, "/pending"); got != want {
		t.Fatalf("/pending = %q, want %q", got, want)
	}

	// A's question in A's topic completes A's ask, not B's.
	start := w.seq()
	w.staffSay(staffer, thA, &models.Message{Text: "请补充A的合同"})
	if c, _ := w.store.Complaint(w.ctx(), a); c.Status != flows.StatusWaiting {
		t.Fatalf("A is %s; want waiting for its complainant", c.Status)
	}
	if c, _ := w.store.Complaint(w.ctx(), b); c.Status != flows.StatusEscalated {
		t.Fatalf("B is %s", c.Status)
	}
	if s, _ := w.store.Load(w.ctx(), userA); s.Waiting != a {
		t.Fatalf("A's complainant's session waits for %q", s.Waiting)
	}
	// A's complainant answers: relayed into A's topic.
	w.sayAs(userA, "这是A的回答")
	relayed := w.wait("the answer in A's topic", func(c fakeapi.Call) bool {
		return c.Seq > start && c.ChatID == forumChat && strings.Contains(c.Params["text"], "这是A的回答")
	})
	if relayed.ThreadID != thA.topic {
		t.Fatalf("A's answer went to thread %d, not A's topic %d", relayed.ThreadID, thA.topic)
	}
	for _, c := range w.api.CallsToChat(userA) {
		if c.Seq > start && strings.Contains(c.Params["text"], w.text(zh, "closed_hint", nil)) {
			t.Fatalf("A's complainant was told there is nothing in progress")
		}
	}
	// B's question in B's topic completes B's.
	w.staffSay(staffer, thB, &models.Message{Text: "请补充B的短信"})
	if c, _ := w.store.Complaint(w.ctx(), b); c.Status != flows.StatusWaiting || c.History[len(c.History)-1].Note != "请补充B的短信" {
		t.Fatalf("B: %s %+v", c.Status, c.History)
	}
	mark = w.seq()
	w.staffCommand(staffer, "/pending")
	if got := replyAfter(mark, "/pending"); got != w.text(zh, "staff_pending_none", nil) {
		t.Fatalf("/pending after both = %q", got)
	}
	if ps, _ := w.store.PendingActions(w.ctx(), forumChat, listed); len(ps) != 1 || ps[0].Case != a {
		t.Fatalf("the other staff member's note: %+v", ps)
	}

	// /cancel in a topic drops that case's action only; outside, every one.
	w.staffPress(staffer, thA, "s:reject:"+a)
	w.staffPress(staffer, thB, "s:note:"+b)
	mark = w.seq()
	w.staffTopicCommand(staffer, thA, "/cancel")
	if got := replyAfter(mark, "/cancel in A"); got != w.text(zh, "staff_cancelled_case", map[string]any{"CaseID": a, "Action": flows.Text{Key: "staff_btn_reject"}}) {
		t.Fatalf("/cancel in A's topic = %q", got)
	}
	if ps, _ := w.store.PendingActions(w.ctx(), forumChat, staffer); len(ps) != 1 || ps[0].Case != b {
		t.Fatalf("after /cancel in A's topic: %+v", ps)
	}
	mark = w.seq()
	w.staffCommand(staffer, "/cancel")
	if got := replyAfter(mark, "/cancel"); got != w.text(zh, "staff_cancelled_case", map[string]any{"CaseID": b, "Action": flows.Text{Key: "staff_btn_note"}}) {
		t.Fatalf("/cancel = %q", got)
	}
	mark = w.seq()
	w.staffCommand(staffer, "/cancel")
	if got := replyAfter(mark, "/cancel again"); got != w.text(zh, "staff_nothing_to_cancel", nil) {
		t.Fatalf("/cancel with nothing = %q", got)
	}
}
