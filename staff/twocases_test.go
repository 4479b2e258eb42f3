package staff_test

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
)

// TestTwoCasesWaitingOfOneComplainant: staff asked the same complainant about two of their
// cases; the later question takes what they write next. Once that case is resolved, the earlier
// question is still open: what the complainant writes then reaches that case's thread, not
// nobody.
func TestTwoCasesWaitingOfOneComplainant(t *testing.T) {
	w := newWorld(t, forumChat)
	idA, thA := w.firstCase()
	w.staffPress(staffer, thA, "s:claim:"+idA)
	w.staffPress(staffer, thA, "s:ask:"+idA)
	w.staffSay(staffer, thA, &models.Message{Text: "请补充合同照片"})

	idB := w.secondCase()
	thB := w.card(idB)
	w.posted(idB)
	w.staffPress(listed, thB, "s:claim:"+idB)
	w.staffPress(listed, thB, "s:ask:"+idB)
	w.staffSay(listed, thB, &models.Message{Text: "请补充扣费短信"})

	reached := func(text string) (a, b bool) {
		t.Helper()
		return w.reached(text, thA, thB)
	}
	w.userMessage(&models.Message{Text: "短信截图已经发过了"})
	if a, b := reached("短信截图已经发过了"); a || !b {
		t.Errorf("the answer to the later question reached thread A %v, thread B %v; want B only", a, b)
	}
	w.staffPress(listed, thB, "s:resolve:"+idB)
	w.userMessage(&models.Message{Text: "合同在抽屉里找到了"})
	if a, b := reached("合同在抽屉里找到了"); !a || b {
		t.Errorf("after %s was resolved, the answer reached thread A %v, thread B %v; want A only (%s still waits for it)", idB, a, b, idA)
	}
}

// TestTwoCasesWrittenToOfOneComplainant: staff of two cases of the same complainant write to
// them without asking anything. Their answer goes to the case whose staff wrote last, the
// message they answer; while a question of the other case is open, to that question.
func TestTwoCasesWrittenToOfOneComplainant(t *testing.T) {
	w := newWorld(t, forumChat)
	idA, thA := w.firstCase()
	w.staffPress(staffer, thA, "s:claim:"+idA)
	w.staffSay(staffer, thA, &models.Message{Text: "您好，我们在看您的材料"})
	idB := w.secondCase()
	thB := w.card(idB)
	w.posted(idB)
	w.staffPress(listed, thB, "s:claim:"+idB)
	w.staffSay(listed, thB, &models.Message{Text: "盛付通这笔是哪天扣的？"})
	w.userMessage(&models.Message{Text: "是三月五号扣的"})
	if a, b := w.reached("是三月五号扣的", thA, thB); a || !b {
		t.Errorf("the answer to %s's message reached thread A %v, thread B %v; want B only", idB, a, b)
	}
	w.staffPress(staffer, thA, "s:ask:"+idA)
	w.staffSay(staffer, thA, &models.Message{Text: "请补充合同照片"})
	w.staffSay(listed, thB, &models.Message{Text: "收到，谢谢"})
	w.userMessage(&models.Message{Text: "合同照片明天发"})
	if a, b := w.reached("合同照片明天发", thA, thB); !a || b {
		t.Errorf("with %s's question open, the answer reached thread A %v, thread B %v; want A only", idA, a, b)
	}
}

// secondCase stores and escalates a second complaint of the complainant, of another provider,
// and returns its id.
func (w *world) secondCase() string {
	w.t.Helper()
	second := draft()
	second.Provider.Name, second.Deductions[0].Amount = "上海盛付通电子支付服务有限公司", 9900
	_, com, err := w.store.Apply(w.ctx(), complainant, 3_000_000, func(s flows.Session) (flows.Result, error) {
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &second}}}, nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, _, err := w.store.Apply(w.ctx(), complainant, 3_000_001, func(s flows.Session) (flows.Result, error) {
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectEscalate, CaseID: com.CaseID}}}, nil
	}); err != nil {
		w.t.Fatal(err)
	}
	return com.CaseID
}

// reached reports whether text reached the topic of thread a, and of thread b.
func (w *world) reached(text string, ta, tb thread) (a, b bool) {
	for _, c := range w.api.CallsToChat(forumChat) {
		if strings.Contains(c.Params["text"], text) || strings.Contains(c.Params["caption"], text) {
			a = a || c.ThreadID == ta.topic
			b = b || c.ThreadID == tb.topic
		}
	}
	return a, b
}
