package staff_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
)

// deliver hands the update to the bot as Telegram delivers it (again, when it has an id
// already) and returns the bot's verdict: nil is a 2xx to the webhook, an error a 5xx.
func (w *world) deliver(u *models.Update) error {
	if u.ID == 0 {
		u.ID = w.updates.Add(1)
	}
	return w.b.Process(w.ctx(), u)
}

// staffUpdate is a message by user in the case's topic, as an update not yet delivered.
func (w *world) staffUpdate(user int64, th thread, text string) *models.Update {
	m := &models.Message{ID: int(w.msgs.Add(1)) + 5000, Text: text, Date: int(time.Now().Unix()),
		Chat: models.Chat{ID: th.chat, Type: models.ChatTypeSupergroup}, From: &models.User{ID: user, FirstName: "S"},
		MessageThreadID: th.topic, IsTopicMessage: true, ReplyToMessage: &models.Message{ID: th.topic}}
	return &models.Update{ID: w.updates.Add(1), Message: m}
}

// pressUpdate is a press of a case card's button by user, as an update not yet delivered.
func (w *world) pressUpdate(user int64, th thread, data string) *models.Update {
	id := w.updates.Add(1)
	return &models.Update{ID: id, CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("staff-cb-%d", id), From: models.User{ID: user, FirstName: "S"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: th.card, MessageThreadID: th.topic,
			IsTopicMessage: true, Chat: models.Chat{ID: th.chat, Type: models.ChatTypeSupergroup}}},
		Data: data,
	}}
}

// redisBack waits until the bot's Redis client answers again after a restart (its pool waits
// a moment before dialling again after failures).
func (w *world) redisBack() {
	w.t.Helper()
	ctx := w.ctx()
	for w.rc.Ping(ctx).Err() != nil {
		select {
		case <-ctx.Done():
			w.t.Fatal("redis did not come back")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestStaffRelayDuringRedisOutage: a staff member writes to the complainant, and presses
// resolve, while Redis is down. Each delivery is answered 5xx (Telegram delivers it again), the
// staff member is told once that the bot is briefly unable to save, and nothing reaches the
// complainant; once Redis is back, the next delivery carries each out once, and a further
// duplicate changes nothing.
func TestStaffRelayDuringRedisOutage(t *testing.T) {
	w := newWorldWith(t, forumChat, redistest.Config{AppendOnly: true})
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:claim:"+id)
	start := w.seq()
	unable := w.text(flows.LangZH, "staff_unable_to_save", nil)

	if err := w.rdb.Stop(); err != nil {
		t.Fatal(err)
	}
	relay := w.staffUpdate(staffer, th, "我们已联系拉卡拉")
	resolve := w.pressUpdate(staffer, th, "s:resolve:"+id)
	for range 3 {
		for _, u := range []*models.Update{relay, resolve} {
			if err := w.deliver(u); err == nil {
				t.Fatalf("update %d answered 2xx while Redis is down", u.ID)
			}
		}
	}
	told := 0
	for _, c := range w.api.Calls() {
		if c.Seq > start && (c.Params["text"] == unable) {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the staff member was told %d times that the bot cannot save; want once", told)
	}
	if got := w.userTexts(start); len(got) != 0 {
		t.Fatalf("the complainant received %q while Redis was down", got)
	}

	if err := w.rdb.Restart(); err != nil {
		t.Fatal(err)
	}
	w.redisBack()
	for range 2 { // delivered again, then a duplicate
		for _, u := range []*models.Update{relay, resolve} {
			if err := w.deliver(u); err != nil {
				t.Fatalf("update %d after Redis came back: %v", u.ID, err)
			}
		}
	}
	got := w.userTexts(start)
	says := w.text(flows.LangZH, "user_staff_says", map[string]any{"CaseID": id, "Text": "我们已联系拉卡拉"})
	resolved := w.text(flows.LangZH, "user_case_resolved", map[string]any{"CaseID": id})
	if len(got) != 2 || got[0] != says || got[1] != resolved {
		t.Fatalf("the complainant received %q; want the message and the resolution, once each", got)
	}
	if c, _ := w.store.Complaint(w.ctx(), id); c.Status != flows.StatusResolved || len(c.History) != 4 {
		t.Fatalf("the case: %s, %d history entries", c.Status, len(c.History))
	}
}

// TestStaffUpdateRepeatedMarked: an update whose effects began but did not finish (the process
// died after sending, before recording it) is carried out again when Telegram delivers it
// again, and what reaches the complainant the second time is marked as sent again; the change
// to the case is made once.
func TestStaffUpdateRepeatedMarked(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	start := w.seq()
	// the claim's first delivery: carried out, but its end not recorded
	claim := w.pressUpdate(staffer, th, "s:claim:"+id)
	if err := w.deliver(claim); err != nil {
		t.Fatal(err)
	}
	relay := w.staffUpdate(staffer, th, "您好")
	if err := w.deliver(relay); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.Update{claim, relay} {
		if err := w.store.SetStaffUpdate(w.ctx(), u.ID, "begun"); err != nil {
			t.Fatal(err)
		}
		if err := w.deliver(u); err != nil {
			t.Fatal(err)
		}
	}
	mark := w.text(flows.LangZH, "user_repeat", nil)
	got := w.userTexts(start)
	if len(got) != 4 || strings.HasPrefix(got[0], mark) || strings.HasPrefix(got[1], mark) ||
		!strings.HasPrefix(got[2], mark) || !strings.HasPrefix(got[3], mark) {
		t.Fatalf("the complainant received %q; want two, then the two again marked %q", got, mark)
	}
	c, _ := w.store.Complaint(w.ctx(), id)
	claims := 0
	for _, h := range c.History {
		if h.Event == string(flows.ActClaim) {
			claims++
		}
	}
	if claims != 1 {
		t.Fatalf("%d claims in the history", claims)
	}
	// the refusal a press meets is still answered, once done
	w.wait("answers", func(c fakeapi.Call) bool { return c.Method == "answerCallbackQuery" })
}

// TestQuestionDeliveredAgain: the staff message that is an ask's question is delivered again
// after its first delivery changed the case and cleared the pending ask, then failed (the
// process died before finishing). The redelivery is still the question — the case's history
// says so — not a plain message: the complainant is told again, marked, that staff asked.
func TestQuestionDeliveredAgain(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:ask:"+id)
	question := w.staffUpdate(staffer, th, "请补充合同")
	if err := w.deliver(question); err != nil {
		t.Fatal(err)
	}
	start := w.seq()
	if err := w.store.SetStaffUpdate(w.ctx(), question.ID, "begun"); err != nil {
		t.Fatal(err)
	}
	if err := w.deliver(question); err != nil {
		t.Fatal(err)
	}
	mark := w.text(flows.LangZH, "user_repeat", nil)
	asked := w.text(flows.LangZH, "user_case_asked", map[string]any{"CaseID": id})
	got := w.userTexts(start)
	if len(got) != 2 || got[0] != mark+"\n"+asked || !strings.HasPrefix(got[1], mark) {
		t.Fatalf("the complainant received %q; want the ask's status and question again, marked", got)
	}
	c, _ := w.store.Complaint(w.ctx(), id)
	if n := len(c.History); c.Status != flows.StatusWaiting || c.History[n-1].Event != "ask" || c.History[n-2].Event == "ask" {
		t.Fatalf("the case: %s %+v", c.Status, c.History)
	}
}

// TestAnswerRelayedAfterRedisOutage: the complainant answers staff's question and Redis goes
// down after the answer's commit, before it was relayed (here: while the bot tells them it went
// to staff). The update is answered 5xx, so Telegram delivers it again; once Redis is back the
// redelivery relays the answer into the case's topic, once, marked as possibly sent before.
func TestAnswerRelayedAfterRedisOutage(t *testing.T) {
	w := newWorldWith(t, forumChat, redistest.Config{AppendOnly: true})
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:ask:"+id)
	if err := w.deliver(w.staffUpdate(staffer, th, "请补充合同")); err != nil {
		t.Fatal(err)
	}
	start := w.seq()
	var stopped atomic.Bool
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.ChatID == complainant && c.Method == "sendMessage" && stopped.CompareAndSwap(false, true) {
			if err := w.rdb.Stop(); err != nil {
				t.Error(err)
			}
		}
		return fakeapi.Fault{}
	})
	answer := &models.Update{ID: w.updates.Add(1), Message: &models.Message{ID: int(w.msgs.Add(1)), Text: "合同在此",
		Date: int(time.Now().Unix()), Chat: models.Chat{ID: complainant, Type: models.ChatTypePrivate},
		From: &models.User{ID: complainant, FirstName: "A", LanguageCode: "zh-hans"}}}
	if err := w.deliver(answer); err == nil {
		t.Fatal("the answer was taken (2xx) although Redis went down before it was relayed")
	}
	if !stopped.Load() {
		t.Fatal("the bot did not acknowledge the answer: Redis was never stopped")
	}
	w.api.SetFault(nil)
	if err := w.rdb.Restart(); err != nil {
		t.Fatal(err)
	}
	w.redisBack()
	if err := w.deliver(answer); err != nil {
		t.Fatalf("delivered again after Redis came back: %v", err)
	}
	var relayed []fakeapi.Call
	for _, c := range w.api.CallsToChat(forumChat) {
		if c.Seq > start && strings.Contains(c.Params["text"], "合同在此") {
			relayed = append(relayed, c)
		}
	}
	if len(relayed) != 1 || relayed[0].ThreadID != th.topic {
		t.Fatalf("the answer reached staff %d times (%+v); want once, in the case's topic %d", len(relayed), relayed, th.topic)
	}
	if mark := w.text(flows.LangZH, "staff_repeat", nil); !strings.HasPrefix(relayed[0].Params["text"], mark) {
		t.Errorf("the relay after the redelivery is not marked as possibly sent before: %q", relayed[0].Params["text"])
	}
}

// TestSlowPostingRecordedOnce: a case whose topic takes Telegram longer to create than the
// time allowed for recording one part (10 s) is posted once: each part Telegram accepted is
// recorded in a time of its own. The bound was counted from the start of the posting, so the
// topic's record failed once it had been created, and the case was posted again with a second
// topic and card (seen in TestTelegramFaults as a repeated card nearly every run).
func TestSlowPostingRecordedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, forumChat)
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "createForumTopic" {
			return fakeapi.Delay(11 * time.Second)
		}
		return fakeapi.Fault{}
	})
	w.start()
	w.escalate()
	const id = "C-000001"
	w.posted(id)
	topics, cards := 0, 0
	for _, c := range w.api.Calls() {
		switch {
		case c.Method == "createForumTopic":
			topics++
		case c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id):
			cards++
		}
	}
	if topics != 1 || cards != 1 {
		t.Errorf("case %s posted with %d topics and %d cards; want one each", id, topics, cards)
	}
}
