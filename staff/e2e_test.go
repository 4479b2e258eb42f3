package staff_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/locales"
	"complaintbot/staff"
	"complaintbot/storage"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// The people and chats of the staff tests.
const (
	testToken   = "123456:staff-test-token"
	forumChat   = int64(-1001234567890) // the fake reports it as a forum supergroup
	groupChat   = int64(-4567)          // an ordinary group: cases live in reply threads
	complainant = int64(111)
	staffer     = int64(900) // a member of the staff chat
	listed      = int64(901) // not a member, but in STAFF_USER_IDS
	outsider    = int64(666) // neither
)

// world is a bot with its staff desk against a real redis-server and the fake Bot API.
type world struct {
	t     *testing.T
	api   *fakeapi.Server
	rdb   *redistest.Server
	rc    *redis.Client
	store *storage.Redis
	cat   *locales.Catalog
	cfg   bot.Config
	scfg  staff.Config
	b     *bot.Bot
	desk  *staff.Desk
	stop  func()
	now   func() time.Time // the bot's clock; time.Now when nil

	updates atomic.Int64
	msgs    atomic.Int64
}

// newWorld starts redis-server and the fake; the bot starts with start.
func newWorld(t *testing.T, staffChat int64) *world {
	t.Helper()
	return newWorldWith(t, staffChat, redistest.Config{})
}

// newWorldWith is newWorld with redis-server configured as rc says.
func newWorldWith(t *testing.T, staffChat int64, rc redistest.Config) *world {
	t.Helper()
	w := &world{t: t, api: fakeapi.New(t, fakeapi.Options{Token: testToken}), rdb: redistest.New(t, rc)}
	opts := w.rdb.Options()
	opts.ContextTimeoutEnabled = true // as storage.ParseURL sets it: a blocked read ends with its context
	w.rc = redis.NewClient(opts)
	t.Cleanup(func() { w.rc.Close() })
	w.store = storage.New(w.rc, storage.Options{})
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	w.cat = cat
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	w.cfg = bot.Config{Token: testToken, APIURL: w.api.URL(), StaffChat: staffChat, Location: loc,
		AlbumWait: 50 * time.Millisecond}
	w.scfg = staff.Config{Chat: staffChat, Users: []int64{listed}, Lang: flows.LangZH, Forum: staff.ForumAuto,
		Consumer: "test-consumer", Location: loc}
	w.api.SetMember(staffChat, staffer, "member")
	w.api.SetMember(staffChat, outsider+1, "restricted")
	return w
}

// start builds a bot (a new process, as far as memory goes) and runs its staff side until stop.
func (w *world) start() { w.startBot(true) }

// startBot builds a bot; with consume, its staff side runs (escalation consumer, reminders).
func (w *world) startBot(consume bool) {
	w.t.Helper()
	tg, err := botapi.NewTelegram(&http.Client{}, w.api.URL(), testToken, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		w.t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	desk, err := staff.New(w.scfg, staff.Deps{Telegram: tg, Sender: snd, Catalog: w.cat, Docs: docs, Now: w.now,
		Cases: w.store, Complainants: w.store, Queue: w.store, Postings: w.store, Threads: w.store, Awaits: w.store, Reminders: w.store, Journal: w.store, Erasures: w.store})
	if err != nil {
		w.t.Fatal(err)
	}
	b, err := bot.New(w.cfg, bot.Deps{Telegram: tg, Store: w.store, Desk: desk, Sender: snd, Catalog: w.cat, Docs: docs, Now: w.now})
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if consume {
		wg.Go(func() { desk.Run(ctx) })
	}
	var once sync.Once
	w.b, w.desk = b, desk
	w.stop = func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			b.Shutdown()
		})
	}
	w.t.Cleanup(w.stop)
}

// ctx bounds a wait; it asserts no timing.
func (w *world) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	w.t.Cleanup(cancel)
	return ctx
}

// process hands an update to the bot and waits until it is handled.
func (w *world) process(u *models.Update) {
	w.t.Helper()
	u.ID = w.updates.Add(1)
	if err := w.b.Process(w.ctx(), u); err != nil {
		w.t.Fatalf("update %d: %v", u.ID, err)
	}
}

// wait returns the first delivered call that matches.
func (w *world) wait(what string, match func(fakeapi.Call) bool) fakeapi.Call {
	w.t.Helper()
	c, err := w.api.WaitFor(w.ctx(), match)
	if err != nil {
		w.t.Fatalf("waiting for %s: %v", what, err)
	}
	return c
}

// text renders a catalog message as the bot sends it.
func (w *world) text(lang flows.Lang, key string, args map[string]any) string {
	w.t.Helper()
	s, err := w.cat.Render(lang, key, args, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// draft is a finished conversation's draft with three pieces of evidence: two photos and a PDF.
func draft() flows.Complaint {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return flows.Complaint{
		Chat: complainant, User: complainant, Lang: flows.LangZH,
		Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: "2026-02-01", Amount: 19900, Method: flows.FromSettlement}},
		Disclosure: flows.NotTold, LearnedOn: "2026-02-02", ContractDate: "2024-03-15", ContractChannel: flows.ChannelAgent,
		Negotiation: flows.Negotiation{Tried: true, Date: "2026-02-03", Channel: flows.ChannelHotline, Ticket: "T1", Reply: "不退"},
		Proceedings: flows.ProceedingsNone, Description: "注销时被扣了199元。",
		Requests: []flows.RequestKind{flows.RequestRefund, flows.RequestDeregister},
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, FileID: "photo-1", UniqueID: "u-photo-1", ReceivedAt: at},
			{Kind: flows.EvidencePhoto, FileID: "photo-2", UniqueID: "u-photo-2", Caption: "扣费短信", ReceivedAt: at},
			{Kind: flows.EvidenceDocument, FileID: "doc-1", UniqueID: "u-doc-1", FileName: "结算明细.pdf", MIME: "application/pdf", ReceivedAt: at},
		},
		Contact: flows.Contact{Name: "张三", Phone: "13800138000", City: "深圳"},
		Body:    "深圳市消费者协会",
	}
}

// user is the complainant's side of the chat.
func (w *world) userMessage(m *models.Message) {
	m.ID = int(w.msgs.Add(1))
	m.Chat = models.Chat{ID: complainant, Type: models.ChatTypePrivate}
	m.From = &models.User{ID: complainant, FirstName: "A", LanguageCode: "zh-hans"}
	m.Date = int(time.Now().Unix())
	w.process(&models.Update{Message: m})
}

// userPress presses the button of the last keyboard sent to the complainant whose data ends
// with action.
func (w *world) userPress(action string) {
	w.t.Helper()
	calls := w.api.CallsToChat(complainant)
	for i := len(calls) - 1; i >= 0; i-- {
		var kb models.InlineKeyboardMarkup
		if json.Unmarshal([]byte(calls[i].Params["reply_markup"]), &kb) != nil {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, btn := range row {
				if strings.HasSuffix(btn.CallbackData, ":"+action) {
					w.userPressData(calls[i].MessageID(), btn.CallbackData)
					return
				}
			}
		}
	}
	w.t.Fatalf("no button %q was sent to the complainant", action)
}

// userPressData presses a button with data on message msg of the complainant's chat.
func (w *world) userPressData(msg int, data string) {
	w.process(&models.Update{CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("cb-%d", w.updates.Load()+1), From: models.User{ID: complainant, LanguageCode: "zh-hans"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: msg,
			Chat: models.Chat{ID: complainant, Type: models.ChatTypePrivate}}},
		Data: data,
	}})
}

// escalate writes the complaint (its draft answered, at the review) and hands it to staff.
func (w *world) escalate() {
	w.t.Helper()
	d := draft()
	_, _, err := w.store.Apply(w.ctx(), complainant, 1_000_000, func(s flows.Session) (flows.Result, error) {
		s.State, s.Lang, s.Consented, s.Prompt, s.Draft = flows.StateReview, flows.LangZH, true, 5, d
		return flows.Result{Session: s}, nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.userPressData(1, "5:confirm") // the review's button
	w.userPress("escalate")
}

// thread is where a case lives in the staff chat, as the staff tests address it.
type thread struct {
	chat        int64
	topic, card int
}

// staffPress presses a case card's button as user.
func (w *world) staffPress(user int64, th thread, data string) {
	w.process(&models.Update{CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("staff-cb-%d", w.updates.Load()+1), From: models.User{ID: user, FirstName: "S"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: th.card, MessageThreadID: th.topic,
			IsTopicMessage: th.topic != 0, Chat: models.Chat{ID: th.chat, Type: models.ChatTypeSupergroup}}},
		Data: data,
	}})
}

// staffSay writes in a case's thread as user: in its topic, or as a reply to its card.
func (w *world) staffSay(user int64, th thread, m *models.Message) {
	m.ID = int(w.msgs.Add(1)) + 5000
	m.Chat = models.Chat{ID: th.chat, Type: models.ChatTypeSupergroup}
	m.From = &models.User{ID: user, FirstName: "S"}
	m.Date = int(time.Now().Unix())
	if th.topic != 0 {
		m.MessageThreadID, m.IsTopicMessage = th.topic, true
		m.ReplyToMessage = &models.Message{ID: th.topic} // Telegram: the topic's creation
	} else if m.ReplyToMessage == nil {
		m.ReplyToMessage = &models.Message{ID: th.card}
	}
	w.process(&models.Update{Message: m})
}

// staffCommand writes a command in the staff chat's general area as user.
func (w *world) staffCommand(user int64, text string) {
	w.process(&models.Update{Message: &models.Message{ID: int(w.msgs.Add(1)) + 5000, Text: text,
		Chat: models.Chat{ID: w.cfg.StaffChat, Type: models.ChatTypeSupergroup},
		From: &models.User{ID: user, FirstName: "S"}, Date: int(time.Now().Unix())}})
}

// card waits for the card of case id and returns its thread.
func (w *world) card(id string) thread {
	w.t.Helper()
	c := w.wait("the card of "+id, func(c fakeapi.Call) bool {
		return c.Method == "sendMessage" && c.ChatID == w.cfg.StaffChat && strings.Contains(c.Params["reply_markup"], "s:claim:"+id)
	})
	return thread{chat: w.cfg.StaffChat, topic: c.ThreadID, card: c.MessageID()}
}

// posted waits until case id's .docx reached the staff chat: the last part of its posting.
// firstCase starts the bot, escalates the complaint and waits until its case, the first, is
// posted to staff. It returns the case's id and thread.
func (w *world) firstCase() (string, thread) {
	w.start()
	w.escalate()
	const id = "C-000001"
	th := w.card(id)
	w.posted(id)
	return id, th
}

func (w *world) posted(id string) {
	w.t.Helper()
	w.wait("the docx of "+id, func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.ChatID == w.cfg.StaffChat && c.File("document") != nil &&
			strings.Contains(c.File("document").Filename, id)
	})
}

// lastCard is the card's text after its last edit (or as posted).
func (w *world) lastCard(th thread) string {
	text := ""
	for _, c := range w.api.CallsToChat(th.chat) {
		if (c.Method == "sendMessage" && c.MessageID() == th.card) ||
			(c.Method == "editMessageText" && c.Params["message_id"] == fmt.Sprint(th.card)) {
			text = c.Params["text"]
		}
	}
	return text
}

// userTexts are the texts sent to the complainant since call seq.
func (w *world) userTexts(since int64) []string {
	var out []string
	for _, c := range w.api.CallsToChat(complainant) {
		if c.Seq > since && c.Method == "sendMessage" {
			out = append(out, c.Params["text"])
		}
	}
	return out
}

// seq is the fake's last call number.
func (w *world) seq() int64 {
	calls := w.api.Calls()
	if len(calls) == 0 {
		return 0
	}
	return calls[len(calls)-1].Seq
}

// TestCaseLifecycle: a complaint is escalated, claimed, more is asked and answered with a photo,
// and it is resolved; the complainant receives each message and status change, the card shows
// the history, and a message to the closed case reaches nobody. In a forum (a topic per case)
// and in an ordinary group (a reply thread per card).
func TestCaseLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chat  int64
		forum bool
	}{
		{"forum", forumChat, true},
		{"reply threads", groupChat, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.chat)
			id, th := w.firstCase()
			zh := flows.LangZH

			// The posting: a topic in a forum, the card, the photos as one album, the PDF by its
			// file id, the .docx; nothing names the complainant's Telegram account.
			topics := w.api.CallsFor("createForumTopic")
			if tc.forum != (len(topics) == 1) || tc.forum != (th.topic != 0) {
				t.Fatalf("topics %d, card in thread %d; forum %v", len(topics), th.topic, tc.forum)
			}
			cardText := w.lastCard(th)
			for _, want := range []string{id, "拉卡拉支付股份有限公司", "199.00", "深圳市消费者协会", "13800138000", "证据：3 件"} {
				if !strings.Contains(cardText, want) {
					t.Errorf("the card lacks %q:\n%s", want, cardText)
				}
			}
			for _, c := range w.api.CallsToChat(tc.chat) {
				if raw, _ := json.Marshal(c.Params); strings.Contains(string(raw), fmt.Sprint(complainant)) {
					t.Errorf("%s to the staff chat names the complainant's Telegram id: %s", c.Method, raw)
				}
				if !tc.forum && c.Method != "getChat" && c.MessageID() != th.card && !strings.Contains(c.Params["reply_parameters"], fmt.Sprint(th.card)) {
					t.Errorf("%s is not in the card's reply thread: %v", c.Method, c.Params)
				}
				if tc.forum && c.Method != "getChat" && c.Method != "createForumTopic" && c.ThreadID != th.topic {
					t.Errorf("%s is not in the case's topic: %v", c.Method, c.Params)
				}
			}
			var albums, docs []map[string]string
			for _, c := range w.api.CallsToChat(tc.chat) {
				switch c.Method {
				case "sendMediaGroup":
					albums = append(albums, c.Params)
				case "sendDocument":
					docs = append(docs, c.Params)
				}
			}
			if len(albums) != 1 || !strings.Contains(albums[0]["media"], "photo-1") || !strings.Contains(albums[0]["media"], "photo-2") {
				t.Fatalf("albums = %v", albums)
			}
			if len(docs) != 2 || docs[0]["document"] != "doc-1" || docs[1]["document"] != "" {
				t.Fatalf("documents = %v; want the PDF by file id, then the uploaded .docx", docs)
			}
			start := w.seq()

			// Claimed.
			w.staffPress(staffer, th, "s:claim:"+id)
			w.wait("the claim's answer", func(c fakeapi.Call) bool {
				return c.Method == "answerCallbackQuery" && c.Params["show_alert"] != "true"
			})
			// More asked: the button, then the question as the staff member's next message.
			w.staffPress(staffer, th, "s:ask:"+id)
			w.wait("the prompt", func(c fakeapi.Call) bool {
				return c.ChatID == tc.chat && strings.Contains(c.Params["text"], "作为给案件 "+id)
			})
			if tc.forum {
				// in a forum, the question is expected in the case's topic: chatter elsewhere is not it
				w.staffCommand(staffer, "大家好")
				if c, _ := w.store.Complaint(w.ctx(), id); c.Status != flows.StatusClaimed {
					t.Fatalf("a message outside the topic was taken as the question: %s", c.Status)
				}
			}
			w.staffSay(staffer, th, &models.Message{Text: "请补充 <合同> 照片"})
			if s, _ := w.store.Load(w.ctx(), complainant); s.Waiting != id {
				t.Fatalf("the session does not wait for %s: %+v", id, s.Waiting)
			}
			// Answered with a photo: relayed into the thread, kept as evidence.
			w.userMessage(&models.Message{Photo: []models.PhotoSize{{FileID: "contract-photo", FileUniqueID: "u-contract", Width: 800, Height: 600, FileSize: 1000}}, Caption: "合同第3页"})
			copied := w.wait("the photo in the staff chat", func(c fakeapi.Call) bool {
				return c.Method == "copyMessage" && c.ChatID == tc.chat && c.Params["from_chat_id"] == fmt.Sprint(complainant)
			})
			if tc.forum && copied.ThreadID != th.topic || !tc.forum && !strings.Contains(copied.Params["reply_parameters"], fmt.Sprint(th.card)) {
				t.Errorf("the photo is not in the case's thread: %v", copied.Params)
			}
			if !strings.Contains(copied.Params["caption"], "投诉人发来") || !strings.Contains(copied.Params["caption"], "合同第3页") {
				t.Errorf("the photo is not marked as the complainant's: %q", copied.Params["caption"])
			}
			if c, _ := w.store.Complaint(w.ctx(), id); len(c.Evidence) != 4 || c.Evidence[3].FileID != "contract-photo" {
				t.Fatalf("evidence after the answer: %+v", c.Evidence)
			}
			// A staff reply to the relayed photo reaches the complainant too.
			reply := &models.Message{Text: "收到，谢谢"}
			if !tc.forum {
				reply.ReplyToMessage = &models.Message{ID: copied.MessageID()}
			}
			w.staffSay(staffer, th, reply)
			// Resolved.
			w.staffPress(staffer, th, "s:resolve:"+id)
			w.wait("the resolution told", func(c fakeapi.Call) bool {
				return c.ChatID == complainant && strings.Contains(c.Params["text"], "已处理完毕")
			})
			if s, _ := w.store.Load(w.ctx(), complainant); s.Waiting != "" {
				t.Fatalf("the session still waits: %q", s.Waiting)
			}

			// The complainant received each message and status change, in order.
			want := []string{
				w.text(zh, "user_case_claimed", map[string]any{"CaseID": id}),
				w.text(zh, "user_case_asked", map[string]any{"CaseID": id}),
				w.text(zh, "user_staff_says", map[string]any{"CaseID": id, "Text": "请补充 &lt;合同&gt; 照片"}),
				w.text(zh, "relayed_files_to_staff", map[string]any{"CaseID": id, "Count": 1}),
				w.text(zh, "user_staff_says", map[string]any{"CaseID": id, "Text": "收到，谢谢"}),
				w.text(zh, "user_case_resolved", map[string]any{"CaseID": id}),
			}
			if got := w.userTexts(start); !slices.Equal(got, want) {
				t.Fatalf("the complainant received:\n%s\nwant:\n%s", strings.Join(got, "\n---\n"), strings.Join(want, "\n---\n"))
			}
			// The card shows the history, edited in place.
			cardText = w.lastCard(th)
			for _, want := range []string{"✅ 已解决", "投诉人转交工作人员", "工作人员 #900</a> 认领",
				"请投诉人补充：请补充 &lt;合同&gt; 照片", "标记为已解决", "证据：4 件", "投诉人最近回复"} {
				if !strings.Contains(cardText, want) {
					t.Errorf("the card lacks %q:\n%s", want, cardText)
				}
			}
			if strings.Contains(cardText, "s:claim:") {
				t.Error("a resolved card still offers claim")
			}
			c, _ := w.store.Complaint(w.ctx(), id)
			var events []string
			for _, h := range c.History {
				events = append(events, string(h.Status)+"/"+h.Event+"/"+h.By)
			}
			if !slices.Equal(events, []string{"submitted//user", "escalated//user", "claimed/claim/staff:900",
				"waiting_user/ask/staff:900", "resolved/resolve/staff:900"}) {
				t.Fatalf("history = %v", events)
			}

			// A message to the closed case reaches nobody, and the staff member is told.
			before := len(w.userTexts(0))
			w.staffSay(staffer, th, &models.Message{Text: "还有一件事"})
			w.wait("the closed-case notice", func(c fakeapi.Call) bool {
				return c.ChatID == tc.chat && strings.Contains(c.Params["text"], "已结束，没有发给投诉人")
			})
			if after := len(w.userTexts(0)); after != before {
				t.Fatalf("a message to a closed case reached the complainant")
			}
			// /status shows the new status; a new complaint is a new case.
			mark := w.seq()
			w.userMessage(&models.Message{Text: "/status"})
			status := w.wait("/status", func(c fakeapi.Call) bool {
				return c.Seq > mark && c.ChatID == complainant && strings.Contains(c.Params["text"], id)
			})
			if !strings.Contains(status.Params["text"], w.text(zh, "status_resolved", nil)) {
				t.Fatalf("/status = %q", status.Params["text"])
			}
		})
	}
}

// TestConsumerKilledBeforeAck: the escalation consumer dies after posting the card but before
// acknowledging (here: while the .docx upload hangs); the restarted consumer finishes the case
// and staff see one topic and one card.
func TestConsumerKilledBeforeAck(t *testing.T) {
	w := newWorld(t, forumChat)
	uploading := make(chan struct{})
	var hung atomic.Bool
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "sendDocument" && c.ChatID == forumChat && len(c.Files) > 0 && hung.CompareAndSwap(false, true) {
			close(uploading)
			return fakeapi.Fault{Kind: fakeapi.FaultHang}
		}
		return fakeapi.Fault{}
	})
	w.start()
	w.escalate()
	const id = "C-000001"
	w.card(id)
	select {
	case <-uploading:
	case <-w.ctx().Done():
		t.Fatal("the docx upload never started")
	}
	w.stop() // killed: the card is posted, the escalation not acknowledged
	if posted, _ := w.store.Posted(w.ctx(), id); posted {
		t.Fatal("the case counts as posted although its docx never went out")
	}
	w.api.SetFault(nil)

	restart := w.seq()
	w.start() // restarted, same consumer name
	w.posted(id)
	cards := 0
	for _, c := range w.api.CallsFor("sendMessage") {
		if strings.Contains(c.Params["reply_markup"], "s:claim:"+id) {
			cards++
		}
	}
	if topics := len(w.api.CallsFor("createForumTopic")); cards != 1 || topics != 1 {
		t.Fatalf("after the restart staff saw %d cards and %d topics, want 1 and 1", cards, topics)
	}
	if albums := len(w.api.CallsFor("sendMediaGroup")); albums != 1 {
		t.Errorf("the evidence was posted %d times", albums)
	}
	// The escalation is acknowledged once the case is marked posted.
	ctx := w.ctx()
	for {
		p, err := w.rc.XPending(ctx, "{escalations}:stream", "staff").Result()
		if err != nil {
			t.Fatal(err)
		}
		if p.Count == 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("never acknowledged: %+v", p)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if posted, _ := w.store.Posted(ctx, id); !posted {
		t.Fatal("not marked posted")
	}
	// The restarted consumer sent only what was missing: the .docx.
	var resent []string
	for _, c := range w.api.CallsToChat(forumChat) {
		if c.Seq > restart && c.Method != "getChat" {
			resent = append(resent, c.Method)
		}
	}
	if !slices.Equal(resent, []string{"sendDocument"}) {
		t.Fatalf("after the restart: %v, want only the .docx", resent)
	}
}

// TestNonStaffRefused: someone who is not staff — not a member of the staff chat, or only a
// restricted one — pressing any button, running any staff command or writing in a case's thread
// changes nothing and is refused. A user listed in STAFF_USER_IDS is staff without membership.
func TestNonStaffRefused(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	// a closed second state to try reopen on, and a pending state to try the rest on: claim by staff
	w.staffPress(staffer, th, "s:claim:"+id)
	snapshot := func() string {
		c, _ := w.store.Complaint(w.ctx(), id)
		s, _ := w.store.Load(w.ctx(), complainant)
		b, _ := json.Marshal([]any{c.Status, c.History, s.Waiting})
		return string(b)
	}
	before := snapshot()
	refusal := w.text(flows.LangZH, "staff_not_staff", nil)
	for _, intruder := range []int64{outsider, outsider + 1} {
		for _, a := range flows.CaseActions() {
			t.Run(fmt.Sprintf("%d presses %s", intruder, a), func(t *testing.T) {
				start, userBefore := w.seq(), len(w.userTexts(0))
				w.staffPress(intruder, th, "s:"+string(a)+":"+id)
				answer := w.wait("the refusal", func(c fakeapi.Call) bool { return c.Seq > start && c.Method == "answerCallbackQuery" })
				if answer.Params["show_alert"] != "true" || answer.Params["text"] != refusal {
					t.Errorf("answer = %v", answer.Params)
				}
				if got := snapshot(); got != before {
					t.Errorf("the case changed: %s", got)
				}
				if ps, _ := w.store.PendingActions(w.ctx(), groupChat, intruder); len(ps) != 0 {
					t.Errorf("an action was started for %d", intruder)
				}
				if len(w.userTexts(0)) != userBefore {
					t.Error("the complainant was told something")
				}
				// no prompt, no card edit
				for _, c := range w.api.Calls() {
					if c.Seq > start && (c.Method == "editMessageText" || strings.Contains(c.Params["text"], "作为")) {
						t.Errorf("%s after a refused press: %v", c.Method, c.Params)
					}
				}
			})
		}
		for _, cmd := range []string{"/queue", "/case " + id, "/stats", "/export", "/cancel", "/help"} {
			t.Run(fmt.Sprintf("%d sends %s", intruder, cmd), func(t *testing.T) {
				start := w.seq()
				w.staffCommand(intruder, cmd)
				reply := w.wait("the refusal", func(c fakeapi.Call) bool { return c.Seq > start && c.Method == "sendMessage" })
				if reply.Params["text"] != refusal {
					t.Errorf("reply = %q", reply.Params["text"])
				}
				for _, c := range w.api.Calls() {
					if c.Seq > start && c.Seq != reply.Seq && c.Method != "getChatMember" {
						t.Errorf("%s after a refused command", c.Method)
					}
				}
			})
		}
		t.Run(fmt.Sprintf("%d replies in the staff chat", intruder), func(t *testing.T) {
			start, userBefore := w.seq(), len(w.userTexts(0))
			w.staffSay(intruder, th, &models.Message{Text: "我想看看"})
			reply := w.wait("the refusal", func(c fakeapi.Call) bool { return c.Seq > start && c.Method == "sendMessage" })
			if reply.ChatID != groupChat || reply.Params["text"] != refusal {
				t.Errorf("reply = %+v", reply.Params)
			}
			if len(w.userTexts(0)) != userBefore || snapshot() != before {
				t.Error("a non-staff reply changed something or reached the complainant")
			}
		})
	}
	// Chatter that belongs to no case is left alone, even from outsiders.
	start := w.seq()
	w.staffCommand(outsider, "hello everyone")
	w.staffCommand(outsider, "/start@another_bot")
	for _, c := range w.api.Calls() {
		if c.Seq > start {
			t.Errorf("%s answered chatter", c.Method)
		}
	}
	// The listed user is staff although not a member.
	w.staffPress(listed, th, "s:resolve:"+id)
	w.wait("the listed user's resolution", func(c fakeapi.Call) bool {
		return c.ChatID == complainant && strings.Contains(c.Params["text"], "已处理完毕")
	})
}

// TestStaffActions: reject with a reason, a private note, reopen, asking cancelled, /queue,
// /case; and a complainant who erased their data cannot be written to.
func TestStaffActions(t *testing.T) {
	w := newWorld(t, groupChat)
	id, th := w.firstCase()
	zh := flows.LangZH
	start := w.seq()
	replyTo := func(mark int64, what string) string {
		t.Helper()
		return w.wait(what, func(c fakeapi.Call) bool {
			return c.Seq > mark && c.Method == "sendMessage" && c.ChatID == groupChat
		}).Params["text"]
	}

	// Reject: the reason is the next message; a photo without a caption is not a reason.
	w.staffPress(staffer, th, "s:reject:"+id)
	mark := w.seq()
	w.staffSay(staffer, th, &models.Message{Photo: []models.PhotoSize{{FileID: "p", FileUniqueID: "up"}}})
	if got := replyTo(mark, "the refusal"); got != w.text(zh, "staff_refused_text_needed", nil) {
		t.Fatalf("a photo as a reason: %q", got)
	}
	w.staffSay(staffer, th, &models.Message{Text: "不属于本会受理范围"})
	if c, _ := w.store.Complaint(w.ctx(), id); c.Status != flows.StatusRejected || c.History[len(c.History)-1].Note != "不属于本会受理范围" {
		t.Fatalf("after reject: %s %+v", c.Status, c.History)
	}
	// A note stays among staff.
	w.staffPress(staffer, th, "s:note:"+id)
	w.staffCommand(staffer, "已电话联系，对方同意退款") // not a reply: in a group, the next message is the note
	// Reopen.
	w.staffPress(staffer, th, "s:reopen:"+id)
	want := []string{
		w.text(zh, "user_case_rejected", map[string]any{"CaseID": id, "Reason": "不属于本会受理范围"}),
		w.text(zh, "user_case_reopened", map[string]any{"CaseID": id}),
	}
	if got := w.userTexts(start); !slices.Equal(got, want) {
		t.Fatalf("the complainant received %q, want %q", got, want)
	}
	card := w.lastCard(th)
	for _, s := range []string{"不予受理：不属于本会受理范围", "📝 <a href=\"tg://user?id=900\">工作人员 #900</a>：已电话联系，对方同意退款", "重新打开", "🔧 处理中"} {
		if !strings.Contains(card, s) {
			t.Errorf("the card lacks %q:\n%s", s, card)
		}
	}
	// Asking cancelled: the next message is an ordinary message to the complainant.
	w.staffPress(staffer, th, "s:ask:"+id)
	mark = w.seq()
	w.staffCommand(staffer, "/cancel")
	if got := replyTo(mark, "/cancel"); got != w.text(zh, "staff_cancelled_case", map[string]any{"CaseID": id, "Action": flows.Text{Key: "staff_btn_ask"}}) {
		t.Fatalf("/cancel: %q", got)
	}
	w.staffSay(staffer, th, &models.Message{Text: "我们正在联系拉卡拉"})
	if c, _ := w.store.Complaint(w.ctx(), id); c.Status != flows.StatusClaimed {
		t.Fatalf("a cancelled ask still changed the status to %s", c.Status)
	}
	if got := w.userTexts(start); got[len(got)-1] != w.text(zh, "user_staff_says", map[string]any{"CaseID": id, "Text": "我们正在联系拉卡拉"}) {
		t.Fatalf("the complainant last received %q", got[len(got)-1])
	}
	mark = w.seq()
	w.staffCommand(staffer, "/cancel")
	if got := replyTo(mark, "/cancel"); got != w.text(zh, "staff_nothing_to_cancel", nil) {
		t.Fatalf("/cancel with nothing: %q", got)
	}

	// /queue: unclaimed first.
	second := draft()
	second.Chat, second.User = 222, 222
	if err := w.makeCase(w.ctx(), second, flows.StatusEscalated); err != nil {
		t.Fatal(err)
	}
	w.posted("C-000002")
	mark = w.seq()
	w.staffCommand(staffer, "/queue")
	queue := replyTo(mark, "/queue")
	if !strings.Contains(queue, "未结案件：2 件") || strings.Index(queue, "C-000002") > strings.Index(queue, "C-000001") {
		t.Fatalf("/queue = %q", queue)
	}
	if strings.Contains(queue, "未能发到本群") {
		t.Fatalf("/queue names unposted cases when there are none: %q", queue)
	}
	// a case set aside after failing again and again (dead-lettered) is named, so staff see it
	third := draft()
	third.Chat, third.User = 333, 333
	if err := w.makeCase(w.ctx(), third, flows.StatusSubmitted); err != nil {
		t.Fatal(err)
	}
	if err := w.rc.XAdd(w.ctx(), &redis.XAddArgs{Stream: "{escalations}:dead", Values: []string{"case", "C-000003", "msg", "1-0", "deliveries", "6"}}).Err(); err != nil {
		t.Fatal(err)
	}
	mark = w.seq()
	w.staffCommand(staffer, "/queue")
	if queue := replyTo(mark, "/queue"); !strings.Contains(queue, "多次未能发到本群的案件") || !strings.Contains(queue, "C-000003") {
		t.Fatalf("/queue with a dead-lettered case = %q", queue)
	}
	// /case shows the card with its buttons; replying to that copy reaches the complainant.
	mark = w.seq()
	w.staffCommand(staffer, "/case 1")
	copyCall := w.wait("/case", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id)
	})
	w.staffSay(staffer, th, &models.Message{Text: "请看这里", ReplyToMessage: &models.Message{ID: copyCall.MessageID()}})
	if got := w.userTexts(start); got[len(got)-1] != w.text(zh, "user_staff_says", map[string]any{"CaseID": id, "Text": "请看这里"}) {
		t.Fatalf("a reply to /case's copy: the complainant last received %q", got[len(got)-1])
	}
	mark = w.seq()
	w.staffCommand(staffer, "/case C-000099")
	if got := replyTo(mark, "/case unknown"); got != w.text(zh, "staff_case_unknown", map[string]any{"CaseID": "C-000099"}) {
		t.Fatalf("/case of nothing: %q", got)
	}

	// The complainant erases their data: staff can no longer reach them.
	w.userMessage(&models.Message{Text: "/delete"})
	w.userPress("!yes")
	mark = w.seq()
	w.staffSay(staffer, th, &models.Message{Text: "还在吗？"})
	if got := replyTo(mark, "the erased notice"); got != w.text(zh, "staff_erased", map[string]any{"CaseID": id}) {
		t.Fatalf("writing to an erased complainant: %q", got)
	}
}

// TestReminders: an unclaimed case is raised again after STAFF_REMIND_UNCLAIMED and then once
// per period, a claimed one after STAFF_REMIND_WAITING; a case waiting for the complainant is
// not, until they answer.
func TestReminders(t *testing.T) {
	w := newWorld(t, groupChat)
	var mu sync.Mutex
	clock := time.Now()
	w.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	advance := func(d time.Duration) {
		mu.Lock()
		clock = clock.Add(d)
		mu.Unlock()
	}
	w.scfg.RemindUnclaimed, w.scfg.RemindWaiting = 4*time.Hour, 24*time.Hour
	id, th := w.firstCase()
	remind := func(want int, key string) {
		t.Helper()
		mark := w.seq()
		n, err := w.desk.Remind(w.ctx())
		if err != nil || n != want {
			t.Fatalf("Remind = %d, %v; want %d", n, err, want)
		}
		if want == 0 {
			return
		}
		c := w.wait("the reminder", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" })
		prefix, _, _ := strings.Cut(w.text(flows.LangZH, key, map[string]any{"CaseID": id, "Age": "", "Who": ""}), "已")
		if !strings.HasPrefix(c.Params["text"], prefix) || !strings.Contains(c.Params["reply_parameters"], fmt.Sprint(th.card)) {
			t.Fatalf("reminder = %v, want %s in the card's thread", c.Params, key)
		}
	}
	remind(0, "")
	advance(3 * time.Hour)
	remind(0, "")
	advance(time.Hour + time.Minute) // the escalation came a moment after the clock started
	remind(1, "staff_remind_unclaimed")
	remind(0, "") // once per period, not a flood
	advance(3 * time.Hour)
	remind(0, "")
	advance(time.Hour)
	remind(1, "staff_remind_unclaimed")

	w.staffPress(staffer, th, "s:claim:"+id)
	advance(23 * time.Hour)
	remind(0, "")
	advance(time.Hour)
	remind(1, "staff_remind_waiting")

	// Waiting for the complainant: their turn, no reminder; once they answer, staff's turn.
	w.staffPress(staffer, th, "s:ask:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "请补充合同"})
	advance(48 * time.Hour)
	remind(0, "")
	w.userMessage(&models.Message{Text: "合同找不到了"})
	advance(24 * time.Hour)
	remind(1, "staff_remind_waiting")
}

// TestRepostMarked: a consumer stopped while Telegram held its createForumTopic, then while it
// held the card, cannot know whether either was made (the Bot API has no idempotency key and
// cannot find them): the topic and the card it makes after each restart say they were made
// again, so that staff know an older copy may exist.
func TestRepostMarked(t *testing.T) {
	w := newWorld(t, forumChat)
	holding := make(chan struct{}, 1)
	hang := func(method string) {
		var once atomic.Bool
		w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
			if c.Method == method && c.ChatID == forumChat && once.CompareAndSwap(false, true) {
				holding <- struct{}{}
				return fakeapi.Fault{Kind: fakeapi.FaultHang}
			}
			return fakeapi.Fault{}
		})
	}
	wait := func(what string) {
		select {
		case <-holding:
		case <-w.ctx().Done():
			t.Fatalf("%s never started", what)
		}
	}
	const id = "C-000001"
	hang("createForumTopic")
	w.start()
	w.escalate()
	wait("the topic")
	w.stop()
	hang("sendMessage")
	w.start()
	wait("the card")
	w.stop()
	w.api.SetFault(nil)
	w.start()
	w.posted(id)

	topics := w.api.CallsFor("createForumTopic")
	if len(topics) != 1 || !strings.HasSuffix(topics[0].Params["name"], "（重发）") {
		t.Errorf("topics made: %d, the last named %q; want one marked as made again", len(topics), topics[len(topics)-1].Params["name"])
	}
	var cards []fakeapi.Call
	for _, c := range w.api.CallsFor("sendMessage") {
		if strings.Contains(c.Params["reply_markup"], "s:claim:"+id) {
			cards = append(cards, c)
		}
	}
	if len(cards) != 1 || !strings.Contains(cards[0].Params["text"], "本卡片为重发") {
		t.Fatalf("cards posted: %d; want one saying it was posted again: %+v", len(cards), cards)
	}
	th, err := w.store.StaffThread(w.ctx(), id)
	if err != nil || th.TopicAttempts != 2 || th.CardAttempts != 2 {
		t.Errorf("attempts recorded: topic %d, card %d (%v); want 2 and 2", th.TopicAttempts, th.CardAttempts, err)
	}
	// the mark stays when the card is edited in place
	th2 := w.card(id)
	w.staffPress(staffer, th2, "s:claim:"+id)
	w.wait("the card's edit", func(c fakeapi.Call) bool { return c.Method == "editMessageText" })
	if last := w.lastCard(th2); !strings.Contains(last, "本卡片为重发") || !strings.Contains(last, "认领") {
		t.Errorf("the edited card: %q", last)
	}
}

// TestAnswerLost: Telegram makes a case's topic, then its card, but each answer is lost on the
// way back. The sender does not retry such a call blindly: the case is posted again at once,
// counted, and the second topic and card say they may be second copies; the rest goes once.
func TestAnswerLost(t *testing.T) {
	w := newWorld(t, forumChat)
	var topicLost, cardLost atomic.Bool
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		switch {
		case c.Method == "createForumTopic" && topicLost.CompareAndSwap(false, true):
			return fakeapi.LostAnswer()
		case c.Method == "sendMessage" && c.ChatID == forumChat && strings.Contains(c.Params["reply_markup"], "s:claim:") &&
			cardLost.CompareAndSwap(false, true):
			return fakeapi.LostAnswer()
		}
		return fakeapi.Fault{}
	})
	w.start()
	w.escalate()
	const id = "C-000001"
	w.posted(id)
	topics := w.api.CallsFor("createForumTopic")
	if len(topics) != 2 || strings.HasSuffix(topics[0].Params["name"], "（重发）") || !strings.HasSuffix(topics[1].Params["name"], "（重发）") {
		t.Errorf("topics: %d; want the first plain and the second marked", len(topics))
	}
	var cards []string
	for _, c := range w.api.CallsFor("sendMessage") {
		if strings.Contains(c.Params["reply_markup"], "s:claim:"+id) {
			cards = append(cards, c.Params["text"])
		}
	}
	if len(cards) != 2 || strings.Contains(cards[0], "本卡片为重发") || !strings.Contains(cards[1], "本卡片为重发") {
		t.Errorf("cards: %d; want the first plain and the second marked", len(cards))
	}
	if n := len(w.api.CallsFor("sendMediaGroup")); n != 1 {
		t.Errorf("evidence posted %d times, want once", n)
	}
	if n := len(w.api.CallsFor("sendDocument")); n < 1 {
		t.Errorf("no .docx")
	}
}

// TestRestartsCountOnlyWhatIsTried: a consumer that restarts again and again while Telegram
// holds the first case's card counts a delivery for that case only, not for the other cases
// waiting behind it, which are never dead-lettered unseen.
func TestRestartsCountOnlyWhatIsTried(t *testing.T) {
	w := newWorld(t, forumChat)
	const cases = 6
	for i := range cases {
		chat := int64(3000 + i)
		c := draft()
		c.Chat, c.User = chat, chat
		_, _, err := w.store.Apply(w.ctx(), chat, 1, func(s flows.Session) (flows.Result, error) {
			return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}, {Kind: flows.EffectEscalate}}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	holding := make(chan struct{}, 100)
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "createForumTopic" {
			holding <- struct{}{}
			return fakeapi.Fault{Kind: fakeapi.FaultHang}
		}
		return fakeapi.Fault{}
	})
	for range 7 { // more restarts than MaxDeliveries (5)
		w.start()
		select {
		case <-holding:
		case <-w.ctx().Done():
			t.Fatal("the consumer never tried a case")
		}
		w.stop()
	}
	ctx := w.ctx()
	dead, err := w.rc.XRange(ctx, "{escalations}:dead", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) > 1 {
		t.Errorf("%d cases dead-lettered; at most the one tried each time may be", len(dead))
	}
	pending, err := w.rc.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "{escalations}:stream", Group: "staff", Start: "-", End: "+", Count: 100}).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(pending)+len(dead) != cases {
		t.Errorf("%d pending and %d dead-lettered, want %d in all", len(pending), len(dead), cases)
	}
	for _, p := range pending[min(1, len(pending)):] {
		if p.RetryCount > 1 {
			t.Errorf("escalation %s never tried but delivered %d times", p.ID, p.RetryCount)
		}
	}
}

// TestRepeatedEvidenceMarked: Telegram posts a case's album, then its .docx, but each answer is
// lost on the way back. Neither is retried blindly: the case is posted again, and the second
// album and .docx say that an earlier copy may be above, as a second card does.
func TestRepeatedEvidenceMarked(t *testing.T) {
	w := newWorld(t, forumChat)
	var albumLost, docxLost atomic.Bool
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		switch {
		case c.Method == "sendMediaGroup" && albumLost.CompareAndSwap(false, true):
			return fakeapi.LostAnswer()
		case c.Method == "sendDocument" && c.ChatID == forumChat && c.File("document") != nil && docxLost.CompareAndSwap(false, true):
			return fakeapi.LostAnswer()
		}
		return fakeapi.Fault{}
	})
	w.start()
	w.escalate()
	const id = "C-000001"
	w.posted(id)
	w.wait("the second .docx", func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.File("document") != nil && strings.Contains(c.Params["caption"], "重发")
	})
	mark := w.text(flows.LangZH, "staff_repeat", nil)
	albums := w.api.CallsFor("sendMediaGroup")
	if len(albums) != 2 || strings.Contains(albums[0].Params["media"], mark) || !strings.Contains(albums[1].Params["media"], mark) {
		t.Errorf("albums: %d; want the first plain and the second marked %q", len(albums), mark)
	}
	var docx []string
	for _, c := range w.api.CallsFor("sendDocument") {
		if c.File("document") != nil && c.ChatID == forumChat {
			docx = append(docx, c.Params["caption"])
		}
	}
	if len(docx) != 2 || strings.Contains(docx[0], mark) || !strings.HasPrefix(docx[1], mark) {
		t.Errorf(".docx captions %q; want the first plain and the second marked", docx)
	}
	if n := len(w.api.CallsFor("createForumTopic")); n != 1 {
		t.Errorf("%d topics", n)
	}
}
