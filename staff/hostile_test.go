package staff_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
)

// The complainants of the hostile catalogue: ids no other number in the calls resembles.
const (
	hostileA = int64(7770001) // case A, claimed, waiting for them
	hostileB = int64(7770002) // case B, unclaimed
	hostileC = int64(7770003) // case C, whose complainant erases their data midway
)

// hostileRow is one hostile input to the staff side: what is done, what the bot must answer
// (the calls it made since), and how the state may change (nil: not at all). Every row also
// checks that nothing leaked: no private message to anyone but the complainants it names, no
// complainant's Telegram id in the staff chat.
type hostileRow struct {
	name   string
	do     func()
	answer func(calls []fakeapi.Call) error
	state  func(before, after string) error // nil: the state is unchanged
	users  []int64                          // complainants who may be written to
}

// TestStaffHostileInput is the catalogue of issue 17: staff and non-staff in the staff chat,
// a complainant flooding files and text while their case waits, forged callback data, replies
// to foreign messages in topics, the General topic, edited messages, and a case erased while
// staff act on it; against the real bot, the fake Bot API and a real redis-server.
func TestStaffHostileInput(t *testing.T) {
	w := newWorld(t, forumChat)
	w.cfg.UserRate, w.cfg.UserBurst = rate.Inf, 1 // the flood rows test the case's bounds, not the chat's rate limit
	w.start()
	zh := flows.LangZH
	for _, u := range []int64{hostileA, hostileB, hostileC} {
		w.escalateAs(u)
	}
	const a, b, c = "C-000001", "C-000002", "C-000003"
	thA, thB, thC := w.card(a), w.card(b), w.card(c)
	for _, id := range []string{a, b, c} {
		w.posted(id)
	}
	w.staffPress(staffer, thA, "s:claim:"+a)
	w.staffPress(staffer, thA, "s:ask:"+a)
	w.staffSay(staffer, thA, &models.Message{Text: "请补充合同"})

	// state is what the rows may change: each case's status, history, evidence and complainant,
	// the sessions' waiting marks, and the staff members' pending actions.
	state := func() string {
		var parts []string
		for _, id := range []string{a, b, c} {
			k, err := w.store.Complaint(w.ctx(), id)
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, fmt.Sprintf("%s:%s/h%d/e%d/chat%v", id, k.Status, len(k.History), len(k.Evidence), k.Chat != 0))
		}
		for _, u := range []int64{hostileA, hostileB, hostileC} {
			s, _ := w.store.Load(w.ctx(), u)
			parts = append(parts, fmt.Sprintf("%d:w=%s", u, s.Waiting))
		}
		for _, u := range []int64{staffer, listed, outsider, outsider + 1} {
			ps, _ := w.store.PendingActions(w.ctx(), forumChat, u)
			for _, p := range ps {
				parts = append(parts, fmt.Sprintf("%d:%s:%s", u, p.Case, p.Action))
			}
		}
		return strings.Join(parts, " ")
	}
	field := func(st, key string) string {
		for _, f := range strings.Fields(st) {
			if strings.HasPrefix(f, key) {
				return f
			}
		}
		return ""
	}
	changed := func(key, want string) func(before, after string) error {
		return func(before, after string) error {
			if got := field(after, key); got != want {
				return fmt.Errorf("%s = %q, want %q", key, got, want)
			}
			return nil
		}
	}

	// The answers.
	staffMsgs := func(calls []fakeapi.Call) []fakeapi.Call {
		return slices.DeleteFunc(slices.Clone(calls), func(c fakeapi.Call) bool {
			return c.ChatID != forumChat || c.Method == "getChatMember"
		})
	}
	alert := func(key string) func([]fakeapi.Call) error {
		want := w.text(zh, key, nil)
		return func(calls []fakeapi.Call) error {
			for _, c := range calls {
				if c.Method == "answerCallbackQuery" && c.Params["show_alert"] == "true" && c.Params["text"] == want {
					if n := len(staffMsgs(calls)); n != 0 {
						return fmt.Errorf("an alert and %d calls to the staff chat", n)
					}
					return nil
				}
			}
			return fmt.Errorf("no alert %q in %v", want, methods(calls))
		}
	}
	hasAlert := func(key string) func([]fakeapi.Call) error {
		want := w.text(zh, key, nil)
		return func(calls []fakeapi.Call) error {
			for _, c := range calls {
				if c.Method == "answerCallbackQuery" && c.Params["show_alert"] == "true" && c.Params["text"] == want {
					return nil
				}
			}
			return fmt.Errorf("no alert %q in %v", want, methods(calls))
		}
	}
	quiet := func(calls []fakeapi.Call) error {
		for _, c := range calls {
			if c.Method != "answerCallbackQuery" && c.Method != "getChatMember" {
				return fmt.Errorf("%s after a press answered quietly", c.Method)
			}
			if c.Method == "answerCallbackQuery" && c.Params["text"] != "" {
				return fmt.Errorf("answered %q", c.Params["text"])
			}
		}
		return nil
	}
	silent := func(calls []fakeapi.Call) error {
		for _, c := range calls {
			if c.Method != "getChatMember" && c.Method != "getMe" {
				return fmt.Errorf("%s answered what is not ours", c.Method)
			}
		}
		return nil
	}
	reply := func(key string, args map[string]any) func([]fakeapi.Call) error {
		want := w.text(zh, key, args)
		return func(calls []fakeapi.Call) error {
			ms := staffMsgs(calls)
			if len(ms) != 1 || ms[0].Params["text"] != want {
				return fmt.Errorf("staff chat got %v, want one %q", texts(ms), want)
			}
			return nil
		}
	}
	okAnswer := func(id string, st flows.Status) func([]fakeapi.Call) error {
		want := w.text(zh, "staff_ok", map[string]any{"CaseID": id, "Status": flows.Text{Key: "staff_status_" + string(st)}})
		return func(calls []fakeapi.Call) error {
			for _, c := range calls {
				if c.Method == "answerCallbackQuery" && c.Params["text"] == want {
					return nil
				}
			}
			return fmt.Errorf("no %q in %v", want, methods(calls))
		}
	}
	toUser := func(user int64, has string) func([]fakeapi.Call) error {
		return func(calls []fakeapi.Call) error {
			for _, c := range calls {
				if c.ChatID == user && strings.Contains(c.Params["text"]+c.Params["caption"], has) {
					return nil
				}
			}
			return fmt.Errorf("%d was not sent %q: %v", user, has, texts(calls))
		}
	}
	inTopic := func(th thread, has string) func([]fakeapi.Call) error {
		return func(calls []fakeapi.Call) error {
			for _, c := range staffMsgs(calls) {
				if c.ThreadID == th.topic && strings.Contains(c.Params["text"]+c.Params["caption"], has) {
					return nil
				}
			}
			return fmt.Errorf("nothing with %q in topic %d: %v", has, th.topic, texts(calls))
		}
	}
	all := func(fs ...func([]fakeapi.Call) error) func([]fakeapi.Call) error {
		return func(calls []fakeapi.Call) error {
			for _, f := range fs {
				if err := f(calls); err != nil {
					return err
				}
			}
			return nil
		}
	}

	// The inputs.
	press := func(user int64, th thread, data string) func() {
		return func() { w.staffPress(user, th, data) }
	}
	say := func(user int64, th thread, m *models.Message) func() {
		return func() {
			if m.From == nil {
				w.staffSay(user, th, m)
				return
			}
			// the row's own sender (a bot, an anonymous administrator), in the case's topic
			u := w.staffUpdate(user, th, m.Text)
			u.Message.From, u.Message.SenderChat = m.From, m.SenderChat
			w.process(u)
		}
	}
	general := func(user int64, m *models.Message) func() {
		return func() {
			m.ID = int(w.msgs.Add(1)) + 5000
			m.Chat = models.Chat{ID: forumChat, Type: models.ChatTypeSupergroup, IsForum: true}
			if m.From == nil {
				m.From = &models.User{ID: user, FirstName: "S"}
			}
			m.Date = int(time.Now().Unix())
			w.process(&models.Update{Message: m})
		}
	}
	edited := func(user int64, th thread, text string) func() {
		return func() {
			m := w.staffUpdate(user, th, text).Message
			m.EditDate = int(time.Now().Unix())
			w.process(&models.Update{EditedMessage: m})
		}
	}
	userSays := func(user int64, text string) func() { return func() { w.sayAs(user, text) } }
	userFile := func(user int64, n int, size int64) func() {
		return func() {
			for i := range n {
				w.process(&models.Update{Message: &models.Message{ID: int(w.msgs.Add(1)), Date: int(time.Now().Unix()),
					Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}, From: &models.User{ID: user, LanguageCode: "zh-hans"},
					Caption: strings.Repeat("图", 200),
					Photo:   []models.PhotoSize{{FileID: fmt.Sprintf("hf-%d-%d", n, i), FileUniqueID: fmt.Sprintf("hu-%d-%d-%d", n, size, i), Width: 10, Height: 10, FileSize: int(size)}}}})
			}
		}
	}
	long := "s:claim:" + a + strings.Repeat("x", 60)
	stranger := thread{chat: forumChat, topic: 4242, card: 4242}
	notStaff := alert("staff_not_staff")
	notStaffReply := reply("staff_not_staff", nil)
	forged := alert("staff_refused_unknown")

	rows := []hostileRow{
		// non-staff in the staff chat
		{name: "outsider presses claim", do: press(outsider, thA, "s:claim:"+a), answer: notStaff},
		{name: "outsider presses ask", do: press(outsider, thA, "s:ask:"+a), answer: notStaff},
		{name: "outsider presses resolve", do: press(outsider, thA, "s:resolve:"+a), answer: notStaff},
		{name: "outsider presses reject", do: press(outsider, thA, "s:reject:"+a), answer: notStaff},
		{name: "outsider presses reopen", do: press(outsider, thA, "s:reopen:"+a), answer: notStaff},
		{name: "outsider presses note", do: press(outsider, thA, "s:note:"+a), answer: notStaff},
		{name: "restricted member presses claim", do: press(outsider+1, thB, "s:claim:"+b), answer: notStaff},
		{name: "outsider /queue", do: general(outsider, &models.Message{Text: "/queue"}), answer: notStaffReply},
		{name: "outsider /case", do: general(outsider, &models.Message{Text: "/case " + a}), answer: notStaffReply},
		{name: "outsider /stats", do: general(outsider, &models.Message{Text: "/stats"}), answer: notStaffReply},
		{name: "outsider /export", do: general(outsider, &models.Message{Text: "/export"}), answer: notStaffReply},
		{name: "outsider /pending", do: general(outsider, &models.Message{Text: "/pending"}), answer: notStaffReply},
		{name: "outsider /cancel", do: general(outsider, &models.Message{Text: "/cancel"}), answer: notStaffReply},
		{name: "outsider writes in a case's topic", do: say(outsider, thA, &models.Message{Text: "我是谁"}), answer: notStaffReply},
		{name: "outsider sends a photo in a case's topic", do: say(outsider, thB, &models.Message{Photo: []models.PhotoSize{{FileID: "x", FileUniqueID: "ux"}}}), answer: notStaffReply},
		{name: "outsider chatter in General", do: general(outsider, &models.Message{Text: "hello"}), answer: silent},
		{name: "outsider command for another bot", do: general(outsider, &models.Message{Text: "/start@another_bot"}), answer: silent},
		{name: "another bot writes in a case's topic", do: say(outsider, thA, &models.Message{Text: "spam", From: &models.User{ID: 5555, IsBot: true}}), answer: silent},

		// forged callback data
		{name: "press naming a case that does not exist", do: press(staffer, thA, "s:claim:C-999999"), answer: forged},
		{name: "press naming another case than its card's", do: press(staffer, thA, "s:resolve:"+b), answer: forged},
		// a message of no case may be a card whose record a crash lost: its buttons still act
		{name: "press on a message of no case", do: press(staffer, stranger, "s:reopen:"+a), answer: alert("staff_refused_open")},
		{name: "garbage data", do: press(staffer, thA, "xyzzy"), answer: quiet},
		{name: "empty action", do: press(staffer, thA, "s:"), answer: quiet},
		{name: "no case", do: press(staffer, thA, "s:claim:"), answer: quiet},
		{name: "unknown action", do: press(staffer, thA, "s:explode:"+a), answer: quiet},
		{name: "data over 64 bytes", do: press(staffer, thA, long), answer: quiet},
		{name: "a case id with more after it", do: press(staffer, thA, "s:claim:"+a+":x"), answer: forged},
		{name: "control characters", do: press(staffer, thA, "s:claim:C-\n0001"), answer: forged},
		{name: "staff data pressed in another group", do: func() {
			w.process(&models.Update{CallbackQuery: &models.CallbackQuery{ID: "other-group", From: models.User{ID: staffer},
				Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: thA.card, Chat: models.Chat{ID: -999, Type: models.ChatTypeGroup}}},
				Data:    "s:resolve:" + a}})
		}, answer: quiet},
		{name: "staff data pressed by the complainant in private", do: func() { w.pressAs(hostileB, 1, "s:resolve:"+b) },
			answer: func(calls []fakeapi.Call) error {
				if len(staffMsgs(calls)) != 0 {
					return fmt.Errorf("the staff chat was written to")
				}
				return nil
			}, users: []int64{hostileB}},
		{name: "press on an inaccessible message", do: func() {
			w.process(&models.Update{CallbackQuery: &models.CallbackQuery{ID: "inaccessible", From: models.User{ID: staffer},
				Message: models.MaybeInaccessibleMessage{InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: forumChat}, MessageID: thA.card}},
				Data:    "s:resolve:" + b}})
		}, answer: forged},

		// replies to foreign messages, the General topic, edits
		{name: "reply in General to a message of no case", do: general(staffer, &models.Message{Text: "?", ReplyToMessage: &models.Message{ID: 99999}}), answer: silent},
		{name: "message in a topic of no case", do: say(staffer, stranger, &models.Message{Text: "?"}), answer: silent},
		{name: "in B's topic, a reply to A's card goes to B", do: say(staffer, thB, &models.Message{Text: "给B的消息", ReplyToMessage: &models.Message{ID: thA.card}}),
			answer: toUser(hostileB, "给B的消息"), users: []int64{hostileB},
			state: changed(fmt.Sprint(hostileB)+":", fmt.Sprint(hostileB)+":w="+b)}, // B's answer goes to staff
		{name: "in General, a reply to A's card goes to A", do: general(staffer, &models.Message{Text: "给A的消息", ReplyToMessage: &models.Message{ID: thA.card}}),
			answer: toUser(hostileA, "给A的消息"), users: []int64{hostileA}},
		{name: "staff chatter in General", do: general(staffer, &models.Message{Text: "大家好"}), answer: silent},
		{name: "a pending ask is not answered from General", do: func() {
			w.staffPress(staffer, thB, "s:ask:"+b)
			general(staffer, &models.Message{Text: "这不是问题"})()
		}, answer: inTopic(thB, "作为给案件 "+b), state: changed(fmt.Sprint(staffer)+":"+b, fmt.Sprint(staffer)+":"+b+":ask")},
		{name: "staff /cancel for another bot keeps the pending ask", do: general(staffer, &models.Message{Text: "/cancel@other_bot"}), answer: silent},
		{name: "staff /pending in a topic for another bot", do: say(staffer, thB, &models.Message{Text: "/pending@other_bot"}), answer: silent},
		{name: "staff /queue for another bot", do: general(staffer, &models.Message{Text: "/queue@Other_Bot"}), answer: silent},
		{name: "outsider /help for another bot", do: general(outsider, &models.Message{Text: "/help@other_bot"}), answer: silent},
		{name: "staff /help for this bot", do: general(staffer, &models.Message{Text: "/help@Fake_Complaint_Bot"}), answer: reply("staff_help", nil)},
		{name: "the pending ask completed in its topic", do: say(staffer, thB, &models.Message{Text: "B请补充"}),
			answer: toUser(hostileB, "B请补充"), state: changed(b, b+":waiting_user/h3/e3/chattrue"), users: []int64{hostileB}},
		{name: "the complainant writes with direction overrides and zero-width characters", do: userSays(hostileB, "请退\u202e元991\u202c款\u200b\u2063给我\x07"),
			answer: all(inTopic(thB, "请退元991款给我"), func(calls []fakeapi.Call) error {
				for _, c := range staffMsgs(calls) {
					if strings.ContainsAny(c.Params["text"], "\u202e\u202c\u200b\u2063\x07") {
						return fmt.Errorf("the staff chat shows %q", c.Params["text"])
					}
				}
				return nil
			}), users: []int64{hostileB}},
		{name: "the complainant sends a photo with a direction override in its caption", do: func() {
			w.process(&models.Update{Message: &models.Message{ID: int(w.msgs.Add(1)), Date: int(time.Now().Unix()),
				Chat: models.Chat{ID: hostileB, Type: models.ChatTypePrivate}, From: &models.User{ID: hostileB, LanguageCode: "zh-hans"},
				Caption: "合同\u202e页2第\u200b", Photo: []models.PhotoSize{{FileID: "bidi-f", FileUniqueID: "bidi-u", Width: 10, Height: 10}}}})
		}, answer: all(inTopic(thB, "合同页2第"), func(calls []fakeapi.Call) error {
			for _, c := range staffMsgs(calls) {
				if strings.ContainsAny(c.Params["caption"], "\u202e\u200b") {
					return fmt.Errorf("the staff chat shows the caption %q", c.Params["caption"])
				}
			}
			return nil
		}), state: changed(b, b+":waiting_user/h3/e4/chattrue"), users: []int64{hostileB}},
		{name: "a photo in General", do: general(staffer, &models.Message{Photo: []models.PhotoSize{{FileID: "g", FileUniqueID: "ug"}}}), answer: silent},
		// the complainant got the message as it was: staff are told the edit does not reach them
		{name: "an edited message in a case's topic", do: edited(staffer, thA, "改过的"), answer: reply("staff_edit_not_relayed", map[string]any{"CaseID": a})},
		{name: "an edited message in General", do: func() {
			m := w.staffUpdate(staffer, thA, "改过的闲聊").Message
			m.MessageThreadID, m.IsTopicMessage, m.ReplyToMessage = 0, false, nil
			m.EditDate = int(time.Now().Unix())
			w.process(&models.Update{EditedMessage: m})
		}, answer: silent},
		{name: "an outsider's edited message", do: edited(outsider, thA, "改过的"), answer: silent},
		{name: "the complainant edits a message", do: func() {
			w.process(&models.Update{EditedMessage: &models.Message{ID: 1, Text: "改", Chat: models.Chat{ID: hostileA, Type: models.ChatTypePrivate},
				From: &models.User{ID: hostileA, LanguageCode: "zh-hans"}, EditDate: int(time.Now().Unix())}})
		}, answer: toUser(hostileA, w.text(zh, "edit_not_supported", nil)), users: []int64{hostileA}},
		{name: "an anonymous administrator writes in A's topic", do: say(1087968824, thA, &models.Message{Text: "管理员消息",
			From: &models.User{ID: 1087968824, IsBot: true, FirstName: "Group"}, SenderChat: &models.Chat{ID: forumChat}}),
			answer: toUser(hostileA, "管理员消息"), users: []int64{hostileA}},
		{name: "staff command with a hostile argument", do: general(staffer, &models.Message{Text: "/case ../../<b>x</b>"}), answer: reply("staff_case_usage", nil)},
		{name: "staff /case of nothing", do: general(staffer, &models.Message{Text: "/case C-999999"}), answer: reply("staff_case_unknown", map[string]any{"CaseID": "C-999999"})},
		{name: "resolve twice", do: func() {
			w.staffPress(staffer, thB, "s:resolve:"+b)
			w.staffPress(staffer, thB, "s:resolve:"+b)
		}, answer: all(okAnswer(b, flows.StatusResolved), hasAlert("staff_refused_no_change")), state: changed(b, b+":resolved/h4/e4/chattrue"), users: []int64{hostileB}},
		{name: "writing to a closed case", do: say(staffer, thB, &models.Message{Text: "还有"}), answer: reply("staff_closed_no_relay", map[string]any{"CaseID": b})},

		// the complainant while their case waits
		{name: "the complainant writes", do: userSays(hostileA, "我的回答"), answer: all(inTopic(thA, "我的回答"), toUser(hostileA, "已转给")), users: []int64{hostileA}},
		{name: "the complainant sends a sticker", do: func() {
			w.process(&models.Update{Message: &models.Message{ID: int(w.msgs.Add(1)), Date: int(time.Now().Unix()), Sticker: &models.Sticker{FileID: "st"},
				Chat: models.Chat{ID: hostileA, Type: models.ChatTypePrivate}, From: &models.User{ID: hostileA, LanguageCode: "zh-hans"}}})
		}, answer: func(calls []fakeapi.Call) error {
			if n := len(staffMsgs(calls)); n != 0 {
				return fmt.Errorf("a sticker reached staff: %d calls", n)
			}
			return nil
		}, users: []int64{hostileA}},
		{name: "the complainant sends a file too large to keep", do: userFile(hostileA, 1, 100<<20), answer: all(toUser(hostileA, "已转给")), users: []int64{hostileA}},
		{name: "the complainant floods files", do: userFile(hostileA, 40, 1000), answer: all(toUser(hostileA, "达到一个案件的上限"), toUser(hostileA, "达到每小时上限")),
			state: changed(a, a+":waiting_user/h4/e30/chattrue"), users: []int64{hostileA}},
		{name: "the complainant floods text", do: func() {
			for i := range 40 {
				w.sayAs(hostileA, fmt.Sprint("又一条 ", i))
			}
		}, answer: func(calls []fakeapi.Call) error {
			if n := len(staffMsgs(calls)); n != 0 {
				return fmt.Errorf("%d relayed past the hour's limit", n)
			}
			return toUser(hostileA, "达到每小时上限")(calls)
		}, users: []int64{hostileA}},

		// a case erased while staff act on it
		{name: "staff start an ask on C", do: press(staffer, thC, "s:ask:"+c), answer: inTopic(thC, "作为给案件 "+c),
			state: changed(fmt.Sprint(staffer)+":"+c, fmt.Sprint(staffer)+":"+c+":ask")},
		{name: "C's complainant erases their data", do: func() {
			w.sayAs(hostileC, "/delete")
			w.pressButtonAs(hostileC, "!yes")
		}, answer: toUser(hostileC, ""), state: changed(c, c+":escalated/h2/e3/chatfalse"), users: []int64{hostileC}},
		// nobody can answer: the case does not wait for them, the ask is dropped
		{name: "the question to the erased complainant", do: say(staffer, thC, &models.Message{Text: "还在吗"}),
			answer: reply("staff_refused_erased", nil), state: func(before, after string) error {
				if err := changed(fmt.Sprint(staffer)+":"+c, "")(before, after); err != nil {
					return err
				}
				return changed(c, c+":escalated/h2/e3/chatfalse")(before, after)
			}},
		{name: "ask pressed on the erased case", do: press(staffer, thC, "s:ask:"+c), answer: alert("staff_refused_erased")},
		{name: "a message to the erased complainant", do: say(staffer, thC, &models.Message{Text: "喂"}), answer: reply("staff_erased", map[string]any{"CaseID": c})},
		{name: "resolve the erased case", do: press(staffer, thC, "s:resolve:"+c), answer: okAnswer(c, flows.StatusResolved), state: changed(c, c+":resolved/h3/e3/chatfalse")},
	}
	if len(rows) < 40 {
		t.Fatalf("%d rows; the catalogue has at least 40", len(rows))
	}
	complainants := []int64{hostileA, hostileB, hostileC}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			before, mark := state(), w.seq()
			r.do()
			time.Sleep(20 * time.Millisecond) // an album's acknowledgement or a late call would show
			var calls []fakeapi.Call
			for _, c := range w.api.Calls() {
				if c.Seq > mark {
					calls = append(calls, c)
				}
			}
			if err := r.answer(calls); err != nil {
				t.Errorf("answer: %v", err)
			}
			after := state()
			if r.state == nil && after != before {
				t.Errorf("the state changed:\n%s\n%s", before, after)
			}
			if r.state != nil {
				if err := r.state(before, after); err != nil {
					t.Errorf("state: %v", err)
				}
			}
			// nothing leaked
			for _, c := range calls {
				if c.ChatID == outsider || c.ChatID == outsider+1 || c.ChatID == staffer {
					t.Errorf("%s to %d, a person in the staff chat", c.Method, c.ChatID)
				}
				if slices.Contains(complainants, c.ChatID) && !slices.Contains(r.users, c.ChatID) {
					t.Errorf("%s to complainant %d: %q", c.Method, c.ChatID, c.Params["text"])
				}
				if c.ChatID == forumChat {
					params := maps.Clone(c.Params)
					delete(params, "from_chat_id") // copyMessage's source: Telegram shows staff no sender
					raw, _ := json.Marshal(params)
					for _, u := range complainants {
						if strings.Contains(string(raw), fmt.Sprint(u)) {
							t.Errorf("%s to the staff chat names complainant %d", c.Method, u)
						}
					}
				}
			}
		})
	}
	t.Logf("%d rows", len(rows))
}

// methods names the calls.
func methods(calls []fakeapi.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// texts are the calls' texts and captions.
func texts(calls []fakeapi.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method+":"+c.Params["text"]+c.Params["caption"])
	}
	return out
}
