package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/locales"
	"complaintbot/storage"
	"complaintbot/telegram/sender"
	"complaintbot/workdays"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fakeClock is the injected clock of the follow-up tests: the bot's, storage's and the
// reminder loop's.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is a time of day in China.
func at(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, workdays.China())
}

// fuWorld is the bot (one or more replicas) against a real redis-server and the fake Bot API,
// with an injected clock and the reminder loop run by hand.
type fuWorld struct {
	t     *testing.T
	api   *fakeapi.Server
	rdb   *redistest.Server
	store *storage.Redis
	cat   *locales.Catalog
	clk   *fakeClock
	bots  []*bot.Bot
	seq   atomic.Int64
}

func newFUWorld(t *testing.T, start time.Time, replicas int) *fuWorld {
	t.Helper()
	w := &fuWorld{t: t, api: fakeapi.New(t, fakeapi.Options{Token: testToken}), rdb: redistest.New(t, redistest.Config{}),
		clk: &fakeClock{t: start}}
	opts := w.rdb.Options()
	rc := redis.NewClient(opts)
	t.Cleanup(func() { rc.Close() })
	w.store = storage.New(rc, storage.Options{Now: w.clk.Now})
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	w.cat = cat
	for range replicas {
		w.bots = append(w.bots, w.newBot())
	}
	return w
}

// newBot builds one replica (a new process, as far as memory goes).
func (w *fuWorld) newBot() *bot.Bot {
	w.t.Helper()
	tg, err := tgbot.New(testToken, tgbot.WithServerURL(w.api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		w.t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		w.t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	b, err := bot.New(bot.Config{Token: testToken, APIURL: w.api.URL(), Location: workdays.China()},
		bot.Deps{Telegram: tg, Store: w.store, Sender: snd, Catalog: w.cat, Docs: docs, Now: w.clk.Now, Files: caseFiles{w.store}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(b.Shutdown)
	return b
}

// loop is replica i's reminder loop.
func (w *fuWorld) loop(i int) reminderLoop {
	return reminderLoop{store: w.store, send: w.bots[i], now: w.clk.Now, owner: fmt.Sprintf("replica-%d", i),
		lease: time.Minute, log: discardLog()}
}

func (w *fuWorld) process(u *models.Update) {
	w.t.Helper()
	u.ID = w.seq.Add(1)
	if err := w.bots[0].Process(w.t.Context(), u); err != nil {
		w.t.Fatalf("update %d: %v", u.ID, err)
	}
}

// say sends text from chat at the clock's time.
func (w *fuWorld) say(chat int64, text string) {
	w.t.Helper()
	m := &models.Message{ID: int(w.seq.Load() + 1), Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate},
		From: &models.User{ID: chat, FirstName: "A", LanguageCode: "zh-hans"}, Date: int(w.clk.Now().Unix()), Text: text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: len(cmd)}}
	}
	w.process(&models.Update{Message: m})
}

// press presses the newest button sent to chat whose data starts with prefix.
func (w *fuWorld) press(chat int64, prefix string) {
	w.t.Helper()
	calls := w.api.CallsToChat(chat)
	for i := len(calls) - 1; i >= 0; i-- {
		var kb models.InlineKeyboardMarkup
		if json.Unmarshal([]byte(calls[i].Params["reply_markup"]), &kb) != nil {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if strings.HasPrefix(b.CallbackData, prefix) {
					w.process(&models.Update{CallbackQuery: &models.CallbackQuery{
						ID: fmt.Sprintf("cb-%d", w.seq.Load()+1), From: models.User{ID: chat, LanguageCode: "zh-hans"},
						Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: calls[i].MessageID(),
							Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}}},
						Data: b.CallbackData,
					}})
					return
				}
			}
		}
	}
	w.t.Fatalf("no button %q was sent to chat %d", prefix, chat)
}

// mark returns the number of calls to chat so far, for since.
func (w *fuWorld) mark(chat int64) int { return len(w.api.CallsToChat(chat)) }

// since returns the texts (and document file names) the bot sent to chat after mark.
func (w *fuWorld) since(chat int64, mark int) []string {
	var out []string
	for _, c := range w.api.CallsToChat(chat)[mark:] {
		switch c.Method {
		case "sendMessage":
			out = append(out, c.Params["text"])
		case "sendDocument":
			if f := c.File("document"); f != nil {
				out = append(out, "[document] "+f.Filename)
			}
		}
	}
	return out
}

// expect checks that the bot's messages to chat after mark contain each want.
func (w *fuWorld) expect(chat int64, mark int, want ...string) {
	w.t.Helper()
	got := strings.Join(w.since(chat, mark), "\n---\n")
	for _, s := range want {
		if !strings.Contains(got, s) {
			w.t.Errorf("the bot did not say %q; it said:\n%s", s, got)
		}
	}
}

// file is the case file stored with case id.
func (w *fuWorld) file(id string) followup.Case {
	w.t.Helper()
	k, err := w.store.Complaint(w.t.Context(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	c, err := followup.Open(k)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// record is the raw case file stored with case id.
func (w *fuWorld) record(id string) string {
	w.t.Helper()
	k, err := w.store.Complaint(w.t.Context(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(k.FollowUp.File)
}

// fire runs replica i's reminder loop once at the clock's time and returns how many it sent.
func (w *fuWorld) fire(i int) int {
	w.t.Helper()
	n, err := w.loop(i).once(w.t.Context())
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// fuDraft is a consumer's finished draft: Lakala took 199 yuan when they de-registered.
func fuDraft(chat int64, learned flows.Date) flows.Complaint {
	return flows.Complaint{
		Chat: chat, User: chat, Lang: flows.LangZH,
		Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: learned, Amount: 19900, Method: flows.FromSettlement}},
		Disclosure: flows.NotTold, LearnedOn: learned, ContractDate: "2022-03", ContractChannel: flows.ChannelAgent,
		Negotiation: flows.Negotiation{Tried: false},
		Proceedings: flows.ProceedingsNone, Description: "注销时被扣了199元。",
		Requests: []flows.RequestKind{flows.RequestRefund},
		Contact:  flows.Contact{Name: "王五", Phone: "13800138001", City: "深圳"},
		Body:     "深圳市消费者委员会",
	}
}

// confirm stores chat's complaint through the review's button, as the user finishing it, and
// returns its id.
func (w *fuWorld) confirm(chat int64, learned flows.Date) string {
	w.t.Helper()
	_, _, err := w.store.Apply(w.t.Context(), chat, 1_000_000+chat, func(s flows.Session) (flows.Result, error) {
		s.State, s.Lang, s.Consented, s.Prompt, s.Draft = flows.StateReview, flows.LangZH, true, 5, fuDraft(chat, learned)
		return flows.Result{Session: s}, nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	m := w.mark(chat)
	w.process(&models.Update{CallbackQuery: &models.CallbackQuery{ID: "cb-confirm", From: models.User{ID: chat, LanguageCode: "zh-hans"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}}},
		Data:    "5:confirm"}})
	w.expect(chat, m, "您已经把投诉书提交出去了吗")
	s, err := w.store.Load(w.t.Context(), chat)
	if err != nil {
		w.t.Fatal(err)
	}
	if s.LastCase == "" {
		w.t.Fatal("no case was stored")
	}
	return s.LastCase
}

// TestFollowUpEveryRung walks one consumer's case, with an injected clock, up every rung to
// the small-claims outline: filed with the provider on 2025-09-25, asked on the advised day
// (2025-10-02), no answer; the 12315 complaint filed on 2025-09-30, whose seven working days
// run across the National Day holiday (1–8 October) and the swapped workday Saturday 11
// October to 2025-10-16, asked that evening and not the one before; refused; the 举报信; no
// answer; the court outline. Each letter is sent as text and .docx; /status is a golden file.
func TestFollowUpEveryRung(t *testing.T) {
	const chat = 501
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2025-01-10")
	p := "f:w:" + id

	// filed today, with the provider
	m := w.mark(chat)
	w.press(chat, p+":t")
	w.press(chat, "f:r:"+id+":provider:")
	w.expect(chat, m, "2025-09-25 提交给支付机构", "这是我们的建议，不是法定期限）等大约 7 天", "2025-10-02")
	w.press(chat, "f:nr:"+id)
	if got := w.fire(0); got != 0 {
		t.Fatalf("%d reminders sent before their day", got)
	}

	// asked on the advised day; no answer; the next rung's letter
	w.clk.Set(at(2025, 10, 2, 18))
	m = w.mark(chat)
	if got := w.fire(0); got != 1 {
		t.Fatalf("on the provider's due date %d reminders were sent, want 1", got)
	}
	w.expect(chat, m, "结果如何")
	w.press(chat, "f:o:"+id+":0:no_answer")
	w.expect(chat, m, "到期没有答复", "下一步可以找这里")
	m = w.mark(chat)
	w.press(chat, "f:n:"+id+":market_regulator")
	w.expect(chat, m, "投诉书", "2025年9月25日，投诉人向被投诉人提出协商", "[document] 投诉书-市场监管-"+id+".docx", "材料，您提交了吗")
	// the letter first, then the question whether it was filed, with its buttons last
	if said := strings.Join(w.since(chat, m), "\n---\n"); strings.Index(said, "材料，您提交了吗") < strings.Index(said, "[document] 投诉书-市场监管-") {
		t.Errorf("asked whether the letter was filed before sending it:\n%s", said)
	}

	// filed on 30 September with 12315: due after the holiday and the swapped Saturday
	w.press(chat, "f:w:"+id+":d:market_regulator")
	m = w.mark(chat)
	w.say(chat, "2025-09-30")
	w.expect(chat, m, "《消费者权益保护法》第四十六条", "最迟 2025-10-16")
	w.say(chat, "12315-2025-0930-0001")
	w.expect(chat, m, "已记下受理编号：12315-2025-0930-0001")
	w.clk.Set(at(2025, 10, 15, 18))
	if got := w.fire(0); got != 0 {
		t.Fatalf("the 12315 reminder fired on 2025-10-15, a day early")
	}
	w.clk.Set(at(2025, 10, 16, 18))
	m = w.mark(chat)
	if got := w.fire(0); got != 1 {
		t.Fatalf("on 2025-10-16 %d reminders were sent, want 1", got)
	}
	w.expect(chat, m, "受理编号 12315-2025-0930-0001", "答复期限是 2025-10-16")

	// refused, with a reason; the 举报信
	w.press(chat, "f:o:"+id+":1:refused")
	w.say(chat, "认为属于合同纠纷")
	m = w.mark(chat)
	w.press(chat, "f:n:"+id+":report")
	w.expect(chat, m, "举报信", "[document] 举报信-"+id+".docx")
	w.press(chat, "f:w:"+id+":t:report")
	w.press(chat, "f:nr:"+id)

	// the report unanswered after the advised 15 days; the court outline
	w.clk.Set(at(2025, 10, 31, 18))
	m = w.mark(chat)
	if got := w.fire(0); got != 1 {
		t.Fatalf("on the report's due date %d reminders were sent, want 1", got)
	}
	w.press(chat, "f:o:"+id+":2:no_answer")
	m = w.mark(chat)
	w.press(chat, "f:n:"+id+":court")
	w.expect(chat, m, "民事起诉状（小额诉讼）提纲", "判令被告向原告返还人民币199.00元", "受理编号：12315-2025-0930-0001",
		"据原告所述，理由为：认为属于合同纠纷", followup.Venue, "[document] 起诉状提纲-"+id+".docx")

	c := w.file(id)
	if len(c.Filings) != 3 || c.CurrentRung() != followup.Report || c.Remaining() != 19900 {
		t.Errorf("case file %+v", c)
	}
	w.clk.Set(at(2025, 11, 3, 10))
	m = w.mark(chat)
	w.say(chat, "/status")
	golden(t, "followup-status-rungs.txt", strings.Join(w.since(chat, m), "\n---\n")+"\n")
}

// TestFollowUpPartialRefund: the provider refunds 50 of 199 yuan; a refund larger than the
// claim is refused with the limit and changes nothing; /status shows the money recovered and
// the limitation date, less than six months away.
func TestFollowUpPartialRefund(t *testing.T) {
	const chat = 502
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2023-01-20")
	w.press(chat, "f:w:"+id+":t")
	w.press(chat, "f:r:"+id+":provider:")
	w.press(chat, "f:nr:"+id)
	w.clk.Set(at(2025, 10, 2, 18))
	if got := w.fire(0); got != 2 { // the answer due, and the limitation date (2026-01-20) near
		t.Fatalf("%d reminders sent, want 2", got)
	}
	m := w.mark(chat)
	w.press(chat, "f:o:"+id+":0:part")
	w.expect(chat, m, "退了多少钱", "199.00")
	before := w.record(id)
	m = w.mark(chat)
	w.say(chat, "500")
	w.expect(chat, m, "退款金额不能超过仍在主张的 199.00 元", "没有记下任何内容")
	if w.record(id) != before {
		t.Error("a refund larger than the claim changed the case file")
	}
	w.say(chat, "50")
	w.expect(chat, m, "退回了 50.00 元", "还有 149.00 元", "下一步可以找这里")
	c := w.file(id)
	if c.Recovered() != 5000 || c.Remaining() != 14900 {
		t.Errorf("recovered %v, remaining %v", c.Recovered(), c.Remaining())
	}
	m = w.mark(chat)
	w.say(chat, "/status")
	golden(t, "followup-status-part.txt", strings.Join(w.since(chat, m), "\n---\n")+"\n")
}

// TestFollowUpBadInput: a 受理编号 of 500 characters, a filing date in the future and one
// before the document are each answered clearly, and change nothing.
func TestFollowUpBadInput(t *testing.T) {
	const chat = 503
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2025-01-10")
	w.press(chat, "f:w:"+id+":d")
	for _, tc := range []struct{ text, want string }{
		{"2025-12-01", "提交日期不能晚于今天"},
		{"2025-09-01", "提交日期不能早于投诉书生成的日子"},
		{"不是日期", "没看懂这个日期"},
	} {
		before := w.record(id)
		m := w.mark(chat)
		w.say(chat, tc.text)
		w.expect(chat, m, tc.want)
		if w.record(id) != before {
			t.Errorf("%q changed the case file", tc.text)
		}
	}
	w.say(chat, "2025-09-25")
	w.press(chat, "f:r:"+id+":provider:")
	before := w.record(id)
	m := w.mark(chat)
	w.say(chat, strings.Repeat("编", 500))
	w.expect(chat, m, "受理编号太长了（最多 64 个字符）", "没有记下任何内容")
	if w.record(id) != before {
		t.Error("a 500-character 受理编号 changed the case file")
	}
	// another chat's case cannot be touched through its buttons
	w.process(&models.Update{CallbackQuery: &models.CallbackQuery{ID: "cb-x", From: models.User{ID: 999, LanguageCode: "zh-hans"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 1, Chat: models.Chat{ID: 999, Type: models.ChatTypePrivate}}},
		Data:    "f:o:" + id + ":0:full"}})
	if w.record(id) != before {
		t.Error("another chat answered this case")
	}
}

// TestRemindOffOn: /remind off cancels the case's reminders, /remind on schedules them again;
// /delete erases the case, and its reminder is never sent.
func TestRemindOffOn(t *testing.T) {
	const chat = 504
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2025-01-10")
	w.press(chat, "f:w:"+id+":t")
	w.press(chat, "f:r:"+id+":provider:")
	has := func() int {
		ms, err := w.store.Reminders(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	if has() != 2 { // the answer due, and the limitation warning in 2027
		t.Fatalf("%d reminders scheduled, want 2", has())
	}
	w.say(chat, "/remind off")
	if has() != 0 || !w.file(id).Quiet {
		t.Fatalf("after /remind off: %d reminders, quiet %v", has(), w.file(id).Quiet)
	}
	w.say(chat, "/remind on")
	if has() != 2 {
		t.Fatalf("after /remind on: %d reminders", has())
	}
	w.say(chat, "/delete")
	w.press(chat, "") // the confirmation's first button: yes
	if has() != 0 {
		t.Errorf("%d reminders left after /delete", has())
	}
	if k, err := w.store.Complaint(t.Context(), id); err != nil || len(k.FollowUp.File) != 0 || k.FollowUp.Rung != "provider" {
		t.Errorf("after /delete the case file is %+v (%v): want the file gone, the statistics kept", k.FollowUp, err)
	}
	w.clk.Set(at(2025, 10, 2, 18))
	m := w.mark(chat)
	if got := w.fire(0); got != 0 {
		t.Errorf("%d reminders sent after /delete", got)
	}
	if len(w.since(chat, m)) != 0 {
		t.Errorf("sent after /delete: %q", w.since(chat, m))
	}
	if has() != 0 {
		t.Errorf("%d reminders left after /delete and their due time", has())
	}
}

// TestRemindersOnceAcrossReplicas: two replicas claim the same due reminders at once, and one
// of them dies twice in the middle of a reminder: once after sending it and before recording
// the send, once after recording it and before forgetting its claim. After the restart each
// reminder was sent unmarked exactly once; the one whose record the crash lost once more,
// marked as sent again; the one recorded not again. The test fails if any reminder is sent
// twice unmarked, or never.
func TestRemindersOnceAcrossReplicas(t *testing.T) {
	w := newFUWorld(t, at(2025, 9, 25, 10), 2)
	const n = 6
	ids := make([]string, n)
	for i := range n {
		chat := int64(600 + i)
		ids[i] = w.confirm(chat, "2025-01-10")
		w.press(chat, "f:w:"+ids[i]+":t")
		w.press(chat, "f:r:"+ids[i]+":provider:")
	}
	w.clk.Set(at(2025, 10, 2, 18))
	claimed, err := w.store.ClaimReminders(t.Context(), w.clk.Now(), "replica-1", time.Minute, 2)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d: %v", len(claimed), err)
	}
	// the first: sent, and the process dies before recording it (its record fails)
	lost := claimed[0]
	if sent, _, err := w.brokenRecordBot().Remind(t.Context(), lost.Reminder.Case, lost.Reminder.Kind, lost.Repeat()); err == nil || !sent {
		t.Fatalf("send %s: %v %v", lost.Reminder, sent, err)
	}
	// the second: sent and recorded, and the process dies before DoneReminder
	kept := claimed[1]
	if sent, _, err := w.bots[1].Remind(t.Context(), kept.Reminder.Case, kept.Reminder.Kind, kept.Repeat()); err != nil || !sent {
		t.Fatalf("send %s: %v %v", kept.Reminder, sent, err)
	}
	// both replicas at once
	var wg sync.WaitGroup
	var total atomic.Int64
	for i := range 2 {
		wg.Go(func() { total.Add(int64(w.fire(i))) })
	}
	wg.Wait()
	if total.Load() != n-2 {
		t.Errorf("the two replicas sent %d, want %d", total.Load(), n-2)
	}
	// the restart: a new replica 1 after the lease
	w.bots[1] = w.newBot()
	w.clk.Set(at(2025, 10, 2, 18).Add(2 * time.Minute))
	if got := w.fire(1); got != 1 {
		t.Errorf("after the restart %d sent, want the 1 whose record the crash lost", got)
	}
	w.clk.Set(at(2025, 10, 3, 18))
	if got := w.fire(0) + w.fire(1); got != 0 {
		t.Errorf("%d sent again later", got)
	}
	for i, id := range ids {
		plain, marked := 0, 0
		for _, s := range w.since(int64(600+i), 0) {
			if strings.Contains(s, "结果如何") {
				if strings.Contains(s, "（重发）") {
					marked++
				} else {
					plain++
				}
			}
		}
		wantMarked := 0
		if id == lost.Reminder.Case {
			wantMarked = 1
		}
		if plain != 1 || marked != wantMarked {
			t.Errorf("case %s: sent %d times unmarked and %d marked, want 1 and %d", id, plain, marked, wantMarked)
		}
		if ms, err := w.store.Reminders(t.Context(), id); err != nil || len(ms) != 1 { // the limitation's, in 2027
			t.Errorf("case %s: reminders left %v (%v), want only the limitation's", id, ms, err)
		}
	}
}

// brokenRecords is caseFiles whose every change of a case file fails: a process that dies
// after a send and before its record.
type brokenRecords struct{ caseFiles }

func (brokenRecords) ChangeFollowUp(context.Context, string, func(flows.Complaint) (flows.FollowUp, bool, error)) (flows.Complaint, error) {
	return flows.Complaint{}, errors.New("the process died")
}

// brokenRecordBot is a replica whose records of sends fail.
func (w *fuWorld) brokenRecordBot() *bot.Bot {
	w.t.Helper()
	tg, err := tgbot.New(testToken, tgbot.WithServerURL(w.api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		w.t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		w.t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	b, err := bot.New(bot.Config{Token: testToken, APIURL: w.api.URL(), Location: workdays.China()},
		bot.Deps{Telegram: tg, Store: w.store, Sender: snd, Catalog: w.cat, Docs: docs, Now: w.clk.Now,
			Files: brokenRecords{caseFiles{w.store}}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(b.Shutdown)
	return b
}

// TestRemindBlocked: a complainant who blocked the bot gets no reminder, and the case's
// reminders are cancelled.
func TestRemindBlocked(t *testing.T) {
	const chat = 505
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2025-01-10")
	w.press(chat, "f:w:"+id+":t")
	w.press(chat, "f:r:"+id+":provider:")
	w.api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.ChatID == chat {
			return fakeapi.Blocked()
		}
		return fakeapi.Fault{}
	})
	w.clk.Set(at(2025, 10, 2, 18))
	if got := w.fire(0); got != 0 {
		t.Errorf("%d sent to a chat that blocked the bot", got)
	}
	ms, err := w.store.Reminders(t.Context(), id)
	if err != nil || len(ms) != 0 {
		t.Errorf("reminders left: %v %v", ms, err)
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./app -run TestFollowUp -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- want\n%s\n--- got\n%s", name, want, got)
	}
}

// discardLog is a logger that writes nothing.
func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestFollowUpDueNationalDay2026: a 12315 complaint filed on Wednesday 30 September 2026 is
// due seven working days later across the holiday (1–7 October) and the swapped workday
// Saturday 10 October: on Thursday 15 October, when the reminder fires, and not the day before.
func TestFollowUpDueNationalDay2026(t *testing.T) {
	const chat = 506
	w := newFUWorld(t, at(2026, 9, 28, 10), 1)
	id := w.confirm(chat, "2026-01-10")
	w.clk.Set(at(2026, 9, 30, 12))
	w.press(chat, "f:w:"+id+":t")
	m := w.mark(chat)
	w.press(chat, "f:r:"+id+":market_regulator:")
	w.expect(chat, m, "最迟 2026-10-15")
	ms, err := w.store.Reminders(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if due := ms[followup.DueKind(0)]; !due.Equal(at(2026, 10, 15, followup.AskHour)) {
		t.Errorf("the reminder is due at %v, want 2026-10-15 %02d:00 China", due.In(workdays.China()), followup.AskHour)
	}
	w.clk.Set(at(2026, 10, 14, 23))
	if got := w.fire(0); got != 0 {
		t.Errorf("%d sent on 2026-10-14", got)
	}
	w.clk.Set(at(2026, 10, 15, 18))
	if got := w.fire(0); got != 1 {
		t.Errorf("%d sent on 2026-10-15, want 1", got)
	}
}

// TestFollowUpEarlyAnswer: a refund that comes before the due date is recorded from /status's
// buttons; the case closes and its reminder is not sent.
func TestFollowUpEarlyAnswer(t *testing.T) {
	const chat = 507
	w := newFUWorld(t, at(2025, 9, 25, 10), 1)
	id := w.confirm(chat, "2025-01-10")
	w.press(chat, "f:w:"+id+":t")
	w.press(chat, "f:r:"+id+":provider:")
	w.clk.Set(at(2025, 9, 28, 9))
	w.say(chat, "/status")
	m := w.mark(chat)
	w.press(chat, "f:o:"+id+":0:full")
	w.expect(chat, m, "199.00 元已全额退回", "款项已全部追回")
	if !w.file(id).Closed() {
		t.Fatal("the case is not closed")
	}
	w.clk.Set(at(2025, 10, 2, 18))
	if got := w.fire(0); got != 0 {
		t.Errorf("%d reminders sent for a closed case", got)
	}
}
