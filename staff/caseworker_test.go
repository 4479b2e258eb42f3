package staff_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
)

// TestTwoClaimAtOnce: two caseworkers press claim on the same case at the same moment. One of
// them takes it from the other: the complainant is told once that staff took their case (for
// them nothing changed the second time), the one who pressed second is told in an alert whom
// they took it from, and the one who lost it is named in the case's thread, so that neither
// works on it unaware of the other.
func TestTwoClaimAtOnce(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	start := w.seq()
	var wg sync.WaitGroup
	wg.Go(func() { w.staffPress(staffer, th, "s:claim:"+id) })
	wg.Go(func() { w.staffPress(listed, th, "s:claim:"+id) })
	wg.Wait()

	claimed := w.text(flows.LangZH, "user_case_claimed", map[string]any{"CaseID": id})
	n := 0
	for _, s := range w.userTexts(start) {
		if s == claimed {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the complainant was told %d times that staff took the case, want once", n)
	}
	c, err := w.store.Complaint(w.ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	first, second := c.History[len(c.History)-2].By, c.History[len(c.History)-1].By
	if first == second || c.Assignee() != second {
		t.Fatalf("history %+v", c.History)
	}
	ids := map[string]int64{"staff:900": staffer, "staff:901": listed}
	from := flows.Text{Key: "staff_who", Args: map[string]any{"ID": ids[first]}}
	alert := w.text(flows.LangZH, "staff_taken_over", map[string]any{"CaseID": id, "From": from})
	alert = strings.NewReplacer(`<a href="tg://user?id=900">`, "", `<a href="tg://user?id=901">`, "", "</a>", "").Replace(alert)
	var alerts []string
	for _, call := range w.api.CallsFor("answerCallbackQuery") {
		if call.Seq > start {
			alerts = append(alerts, call.Params["show_alert"]+" "+call.Params["text"])
		}
	}
	if !slices.Contains(alerts, "true "+alert) {
		t.Errorf("the second claim was answered %q, want an alert %q", alerts, alert)
	}
	note := w.wait("the note naming who lost the case", func(call fakeapi.Call) bool {
		return call.Seq > start && call.Method == "sendMessage" && call.ChatID == forumChat && call.ThreadID == th.topic &&
			strings.Contains(call.Params["text"], "tg://user?id="+strings.TrimPrefix(first, "staff:"))
	})
	if want := w.text(flows.LangZH, "staff_taken_over_note", map[string]any{"CaseID": id, "From": from,
		"Who": flows.Text{Key: "staff_who", Args: map[string]any{"ID": ids[second]}}}); note.Params["text"] != want {
		t.Errorf("note %q, want %q", note.Params["text"], want)
	}
}

// TestAskWhileWritingAnotherComplaint: staff ask for more while the complainant is writing a
// new complaint, or has a follow-up question of the bot open. What they send then goes there,
// not to staff, so the request must not tell them that whatever they send reaches staff: it
// tells them how to reach staff. Between complaints, the usual request.
func TestAskWhileWritingAnotherComplaint(t *testing.T) {
	for _, tc := range []struct {
		name string
		busy func(w *world)
		key  string
	}{
		{"between complaints", func(w *world) {}, "user_case_asked"},
		{"writing a new complaint", func(w *world) { w.userMessage(&models.Message{Text: "/start"}) }, "user_case_asked_busy"},
		{"a follow-up question open", func(w *world) {
			_, _, err := w.store.Apply(w.ctx(), complainant, 2_000_000, func(s flows.Session) (flows.Result, error) {
				s.Follow = &flows.FollowAsk{Case: "C-000001", Ask: "ref"}
				return flows.Result{Session: s}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}, "user_case_asked_busy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, forumChat)
			id, th := w.firstCase()
			w.staffPress(staffer, th, "s:claim:"+id)
			tc.busy(w)
			start := w.seq()
			w.staffPress(staffer, th, "s:ask:"+id)
			w.staffSay(staffer, th, &models.Message{Text: "请补充合同照片"})
			want := []string{
				w.text(flows.LangZH, tc.key, map[string]any{"CaseID": id}),
				w.text(flows.LangZH, "user_staff_says", map[string]any{"CaseID": id, "Text": "请补充合同照片"}),
			}
			if got := w.userTexts(start); !slices.Equal(got, want) {
				t.Fatalf("the complainant received\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestAnsweredCaseShowsStaffsTurn: once the complainant answered staff's question, the case is
// staff's to act on again: /queue and the card say the complainant answered, not that the case
// waits for them, which would have a caseworker scanning the queue pass it by.
func TestAnsweredCaseShowsStaffsTurn(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	zh := flows.LangZH
	waiting, answered := w.text(zh, "staff_status_waiting_user", nil), w.text(zh, "staff_status_answered", nil)
	queue := func() string {
		t.Helper()
		mark := w.seq()
		w.staffCommand(staffer, "/queue")
		return w.wait("/queue", func(c fakeapi.Call) bool {
			return c.Seq > mark && c.Method == "sendMessage" && strings.Contains(c.Params["text"], id)
		}).Params["text"]
	}
	w.staffPress(staffer, th, "s:claim:"+id)
	w.staffPress(staffer, th, "s:ask:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "请补充合同照片"})
	if q := queue(); !strings.Contains(q, waiting) || strings.Contains(q, answered) {
		t.Errorf("/queue while the case waits for the complainant:\n%s", q)
	}
	if card := w.lastCard(th); !strings.Contains(card, waiting) {
		t.Errorf("the card while the case waits for the complainant:\n%s", card)
	}
	w.userMessage(&models.Message{Text: "合同找不到了，只有截图"})
	w.wait("the answer in the thread", func(c fakeapi.Call) bool {
		return c.ChatID == groupChat && strings.Contains(c.Params["text"], "合同找不到了")
	})
	if q := queue(); !strings.Contains(q, answered) || strings.Contains(q, waiting) {
		t.Errorf("/queue after the complainant answered:\n%s", q)
	}
	if head, _, _ := strings.Cut(w.lastCard(th), "\n"); !strings.Contains(head, answered) {
		t.Errorf("the card after the complainant answered starts %q, want %q", head, answered)
	}
	edits := len(w.api.CallsFor("editMessageText"))
	w.userMessage(&models.Message{Text: "截图稍后发"})
	if n := len(w.api.CallsFor("editMessageText")); n != edits {
		t.Errorf("the card was edited again for a second answer (%d edits)", n-edits)
	}
	mark := w.seq()
	w.staffCommand(staffer, "/case "+id)
	card := w.wait("/case", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" }).Params["text"]
	if head, _, _ := strings.Cut(card, "\n"); !strings.Contains(head, answered) {
		t.Errorf("/case after the complainant answered starts %q, want %q", head, answered)
	}
	// asked again: the case waits for them again
	w.staffPress(staffer, th, "s:ask:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "截图也可以，请发来"})
	if q := queue(); !strings.Contains(q, waiting) {
		t.Errorf("/queue after asking again:\n%s", q)
	}
}

// TestCaseTypedOnAChineseKeyboard: /case typed with the ideographic space, full-width
// characters or the id without its hyphen shows the card, where it was ignored or refused.
func TestCaseTypedOnAChineseKeyboard(t *testing.T) {
	w := newWorld(t, groupChat)
	id, _ := w.firstCase()
	for _, text := range []string{"/case\u3000C-000001", "/case Ｃ－０００００１", "/case C000001", "/case #C-000001", "/case\n1"} {
		mark := w.seq()
		w.staffCommand(staffer, text)
		w.staffCommand(staffer, "/pending") // something answered after it: the fake has answered the /case by then
		w.wait("/pending", func(c fakeapi.Call) bool {
			return c.Seq > mark && c.Method == "sendMessage" && c.Params["text"] == w.text(flows.LangZH, "staff_pending_none", nil)
		})
		found := false
		for _, c := range w.api.CallsFor("sendMessage") {
			if c.Seq > mark && strings.Contains(c.Params["reply_markup"], "s:claim:"+id) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q did not show the card of %s", text, id)
		}
	}
}

// TestRemovedCaseworker: a caseworker removed from the staff chat is refused from the moment
// Telegram tells the bot (the service message of their removal), not five minutes later when
// the remembered membership runs out; one added to it acts at once, though refused just before.
func TestRemovedCaseworker(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	const newcomer = int64(902)
	w.staffPress(staffer, th, "s:claim:"+id)  // staff: remembered for five minutes
	w.staffPress(newcomer, th, "s:claim:"+id) // not a member yet: remembered too
	if c, _ := w.store.Complaint(w.ctx(), id); c.Assignee() != "staff:900" {
		t.Fatalf("assignee %q", c.Assignee())
	}
	service := func(m *models.Message) {
		m.ID = int(w.msgs.Add(1)) + 5000
		m.Chat = models.Chat{ID: groupChat, Type: models.ChatTypeSupergroup}
		m.From = &models.User{ID: 1, FirstName: "Admin"}
		w.process(&models.Update{Message: m})
	}
	w.api.SetMember(groupChat, staffer, "kicked")
	service(&models.Message{LeftChatMember: &models.User{ID: staffer}})
	w.api.SetMember(groupChat, newcomer, "member")
	service(&models.Message{NewChatMembers: []models.User{{ID: newcomer}}})

	mark := w.seq()
	w.staffPress(staffer, th, "s:reject:"+id)
	answer := w.wait("the removed caseworker's answer", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.Method == "answerCallbackQuery"
	})
	if answer.Params["text"] != w.text(flows.LangZH, "staff_not_staff", nil) {
		t.Errorf("the removed caseworker's press was answered %q", answer.Params["text"])
	}
	if ps, _ := w.store.PendingActions(w.ctx(), groupChat, staffer); len(ps) != 0 {
		t.Errorf("the removed caseworker started %+v", ps)
	}
	w.staffPress(newcomer, th, "s:claim:"+id)
	if c, _ := w.store.Complaint(w.ctx(), id); c.Assignee() != "staff:902" {
		t.Errorf("the newcomer's claim: assignee %q", c.Assignee())
	}
}

// TestCommandForAnotherBot: a staff group often has another bot (a group manager with its own
// /help, /stats or /export). A command addressed to it by name is left to it, whoever sends
// it; one addressed to this bot by name is answered.
func TestCommandForAnotherBot(t *testing.T) {
	w := newWorld(t, groupChat)
	w.firstCase()
	for _, tc := range []struct {
		user int64
		text string
	}{
		{staffer, "/help@group_manager_bot"},
		{staffer, "/export@group_manager_bot"},
		{staffer, "/stats@Group_Manager_Bot"},
		{outsider, "/help@group_manager_bot"},
	} {
		mark := w.seq()
		w.staffCommand(tc.user, tc.text)
		for _, c := range w.api.Calls() {
			if c.Seq > mark && c.ChatID == groupChat {
				t.Errorf("%d's %q answered with %s %q", tc.user, tc.text, c.Method, c.Params["text"])
			}
		}
	}
	mark := w.seq()
	w.staffCommand(staffer, "/help@Fake_Complaint_Bot")
	w.wait("/help addressed to this bot", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == groupChat && c.Params["text"] == w.text(flows.LangZH, "staff_help", nil)
	})
}

// TestStatsWithAnUnknownValue: a case whose charge kind or status this release does not know (a
// record from another release, one written without the charge) is counted under its stored
// value, or "not given", and /stats answers; it no longer fails as a whole for every case.
func TestStatsWithAnUnknownValue(t *testing.T) {
	w := newWorld(t, groupChat)
	w.startBot(false)
	ctx := w.ctx()
	for i, charge := range []flows.ChargeKind{"", "rental_fee", flows.SIMFee} {
		c := draft()
		c.Chat, c.User, c.Charge = 8000+int64(i), 8000+int64(i), charge
		if err := w.makeCase(ctx, c, flows.StatusSubmitted); err != nil {
			t.Fatal(err)
		}
	}
	mark := w.seq()
	w.staffCommand(staffer, "/stats")
	stats := w.wait("/stats", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" }).Params["text"]
	zh := flows.LangZH
	for _, want := range []string{
		w.text(zh, "staff_stats", map[string]any{"Count": 3, "Total": "597.00"}),
		w.text(zh, "staff_stats_line", map[string]any{"Name": flows.Text{Key: "not_given"}, "Count": 1, "Total": "199.00"}),
		w.text(zh, "staff_stats_line", map[string]any{"Name": "rental_fee", "Count": 1, "Total": "199.00"}),
		w.text(zh, "staff_stats_subline", map[string]any{"Name": "rental_fee", "Count": 1, "Total": "199.00"}),
		w.text(zh, "staff_stats_line", map[string]any{"Name": flows.Text{Key: "charge_sim_fee"}, "Count": 1, "Total": "199.00"}),
	} {
		if !strings.Contains(stats, want) {
			t.Errorf("/stats lacks %q:\n%s", want, stats)
		}
	}
}

// TestCaseInItsTopic: /case without an id, typed in a case's topic (or replying in its thread),
// shows that case's card, which is far above after a long exchange; elsewhere it explains its use.
func TestCaseInItsTopic(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	mark := w.seq()
	w.staffTopicCommand(staffer, th, "/case")
	got := w.wait("/case in the topic", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" })
	if got.ThreadID != th.topic || !strings.Contains(got.Params["reply_markup"], "s:claim:"+id) {
		t.Errorf("/case in the topic of %s answered %q in thread %d", id, got.Params["text"], got.ThreadID)
	}
	mark = w.seq()
	w.staffCommand(staffer, "/case@fake_complaint_bot")
	got = w.wait("/case in General", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" })
	if got.Params["text"] != w.text(flows.LangZH, "staff_case_usage", nil) {
		t.Errorf("/case in General answered %q", got.Params["text"])
	}
}

// TestClaimWhileAsked: a caseworker asked the complainant for more, and then a colleague takes
// the case (or the caseworker presses claim again) before the answer came. The complainant
// was told to answer in their chat: their answer still reaches the case's thread, not the
// "no complaint in progress" of a closed conversation.
func TestClaimWhileAsked(t *testing.T) {
	for _, tc := range []struct {
		name string
		by   int64
	}{{"a colleague takes the case", listed}, {"the caseworker claims it again", staffer}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, forumChat)
			id, th := w.firstCase()
			w.staffPress(staffer, th, "s:claim:"+id)
			w.staffPress(staffer, th, "s:ask:"+id)
			w.staffSay(staffer, th, &models.Message{Text: "请补充合同照片"})
			w.staffPress(tc.by, th, "s:claim:"+id)
			mark := w.seq()
			w.userMessage(&models.Message{Text: "合同照片明天发"})
			w.wait("the answer in the case's topic", func(c fakeapi.Call) bool {
				return c.Seq > mark && c.ChatID == forumChat && c.ThreadID == th.topic && strings.Contains(c.Params["text"], "合同照片明天发")
			})
			// once the case is closed, the complainant's messages stop going to staff
			w.staffPress(tc.by, th, "s:resolve:"+id)
			if s, _ := w.store.Load(w.ctx(), complainant); s.Waiting != "" {
				t.Errorf("after the resolution the session still relays to %s", s.Waiting)
			}
		})
	}
}

// TestAnswerToAPlainMessage: a caseworker writes to the complainant in the case's topic without
// pressing "ask" ("can we call you?"). The complainant answers in their chat: the answer reaches
// the case's topic, not "no complaint in progress" and a lost message; until the case closes.
func TestAnswerToAPlainMessage(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:claim:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "您好，请问您方便接电话吗？"})
	mark := w.seq()
	w.userMessage(&models.Message{Text: "方便，下午都可以"})
	w.wait("the answer in the case's topic", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == forumChat && c.ThreadID == th.topic && strings.Contains(c.Params["text"], "方便，下午都可以")
	})
	if got := w.userTexts(mark); len(got) != 1 || got[0] != w.text(flows.LangZH, "relayed_to_staff", map[string]any{"CaseID": id}) {
		t.Errorf("the complainant was told %q", got)
	}
	if c, _ := w.store.Complaint(w.ctx(), id); c.Status != flows.StatusClaimed {
		t.Errorf("a plain message changed the case to %s", c.Status)
	}
	w.staffPress(staffer, th, "s:resolve:"+id)
	mark = w.seq()
	w.userMessage(&models.Message{Text: "谢谢"})
	for _, c := range w.api.CallsToChat(forumChat) {
		if c.Seq > mark {
			t.Errorf("after the resolution, %s reached staff: %q", c.Method, c.Params["text"])
		}
	}
}

// TestCardCountsEvidenceSent: files the complainant sends in answer join the case's evidence,
// and the card's count follows at once, not at staff's next action.
func TestCardCountsEvidenceSent(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:ask:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "请补充合同"})
	w.userMessage(&models.Message{Text: "马上发"})
	for i, want := range []string{"证据：4 件", "证据：5 件"} {
		w.userMessage(&models.Message{Document: &models.Document{FileID: fmt.Sprint("contract-", i), FileUniqueID: fmt.Sprint("u-contract-", i),
			FileName: "合同.pdf", MimeType: "application/pdf", FileSize: 1000}})
		if card := w.lastCard(th); !strings.Contains(card, want) {
			t.Errorf("after %d files the card says:\n%s", i+1, card)
		}
	}
}

// TestPlainMessageKeepsAnOpenQuestion: a complainant with two cases was asked for more on the
// first; a message on the second does not take their answers away from the question.
func TestPlainMessageKeepsAnOpenQuestion(t *testing.T) {
	w := newWorld(t, groupChat)
	w.start()
	w.escalateAs(complainant)
	th1 := w.card("C-000001")
	w.posted("C-000001")
	second := draft() // a second complaint of the same complainant, handed to staff
	_, com, err := w.store.Apply(w.ctx(), complainant, 3_000_000, func(s flows.Session) (flows.Result, error) {
		s.State = flows.StateSubmitted
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &second}}}, nil
	})
	if err == nil {
		_, _, err = w.store.Apply(w.ctx(), complainant, 3_000_001, func(s flows.Session) (flows.Result, error) {
			s.State = flows.StateClosed
			return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectEscalate, CaseID: com.CaseID}}}, nil
		})
	}
	if err != nil || com.CaseID != "C-000002" {
		t.Fatalf("the second case: %q %v", com.CaseID, err)
	}
	th2 := w.card("C-000002")
	w.posted("C-000002")
	w.staffPress(staffer, th1, "s:ask:C-000001")
	w.staffSay(staffer, th1, &models.Message{Text: "请补充合同"})
	w.staffSay(staffer, th2, &models.Message{Text: "第二个案件我们也在看"})
	mark := w.seq()
	w.userMessage(&models.Message{Text: "合同在路上"})
	relayed := w.wait("the answer", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == groupChat && strings.Contains(c.Params["text"], "合同在路上")
	})
	if !strings.Contains(relayed.Params["text"], "C-000001") || !strings.Contains(relayed.Params["reply_parameters"], fmt.Sprint(th1.card)) {
		t.Errorf("the answer to the question on C-000001 went to %q (%s)", relayed.Params["text"], relayed.Params["reply_parameters"])
	}
}

// TestPlainMessageWhileWritingAnotherComplaint: a staff message reaches a complainant who is
// writing a new complaint; what they type next answers that complaint, not staff, and they are
// told how to answer staff.
func TestPlainMessageWhileWritingAnotherComplaint(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.userMessage(&models.Message{Text: "/start"})
	start := w.seq()
	w.staffSay(staffer, th, &models.Message{Text: "您好，请问您方便接电话吗？"})
	want := []string{
		w.text(flows.LangZH, "user_staff_says", map[string]any{"CaseID": id, "Text": "您好，请问您方便接电话吗？"}),
		w.text(flows.LangZH, "user_staff_busy", map[string]any{"CaseID": id}),
	}
	if got := w.userTexts(start); !slices.Equal(got, want) {
		t.Fatalf("the complainant received\n%q\nwant\n%q", got, want)
	}
}

// TestPlainMessageAfterTheSessionExpired: the complainant's conversation expired (SESSION_TTL)
// while staff handled the case; a staff message reaches them without the "you are in the
// middle of something else" of a complainant writing a new complaint, and their answer comes back.
func TestPlainMessageAfterTheSessionExpired(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	keys, err := w.rc.Keys(w.ctx(), fmt.Sprintf("*%d*:s", complainant)).Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("the session's key: %v %v", keys, err)
	}
	if err := w.rc.Del(w.ctx(), keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	w.stop() // a new process: nothing of the session cached
	w.start()
	start := w.seq()
	w.staffSay(staffer, th, &models.Message{Text: "您好，案件还在处理中"})
	want := []string{w.text(flows.LangZH, "user_staff_says", map[string]any{"CaseID": id, "Text": "您好，案件还在处理中"})}
	if got := w.userTexts(start); !slices.Equal(got, want) {
		t.Fatalf("the complainant received\n%q\nwant\n%q", got, want)
	}
	mark := w.seq()
	w.userMessage(&models.Message{Text: "好的，谢谢"})
	w.wait("the answer", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == groupChat && strings.Contains(c.Params["text"], "好的，谢谢")
	})
}

// TestAnswerMentionsTheHolder: what the complainant sends reaches the case's thread naming the
// caseworker who holds the case, so that Telegram notifies them: a reply to the bot's card
// notifies nobody, and an answer nobody notices waits for the next day's reminder. An
// unclaimed case names nobody.
func TestAnswerMentionsTheHolder(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	w.staffSay(staffer, th, &models.Message{Text: "您好，请问合同还在吗？"}) // unclaimed yet
	mark := w.seq()
	w.userMessage(&models.Message{Text: "还在"})
	first := w.wait("the first answer", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == groupChat && strings.Contains(c.Params["text"], "还在")
	})
	if strings.Contains(first.Params["text"], "tg://user") {
		t.Errorf("an unclaimed case's answer names someone: %q", first.Params["text"])
	}
	w.staffPress(listed, th, "s:claim:"+id)
	mark = w.seq()
	w.userMessage(&models.Message{Text: "合同照片如下"})
	w.userMessage(&models.Message{Photo: []models.PhotoSize{{FileID: "c1", FileUniqueID: "uc1", Width: 9, Height: 9}}})
	for _, c := range w.api.CallsToChat(groupChat) {
		if c.Seq > mark && (c.Method == "sendMessage" || c.Method == "copyMessage") && !strings.Contains(c.Params["text"]+c.Params["caption"], "tg://user?id=901") {
			t.Errorf("%s of the answer does not name the holder: %q", c.Method, c.Params["text"]+c.Params["caption"])
		}
	}
}
