package staff_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/internal/fakeapi"
	"complaintbot/storage"
	"complaintbot/telegram/sender"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestStaffSeeOutcomes: the case file's rung and answer show in /case, and /stats and /export
// count the money claimed and the money recovered by provider, charge kind and month.
func TestStaffSeeOutcomes(t *testing.T) {
	w := newWorld(t, groupChat)
	w.startBot(false)
	loc := w.cfg.Location
	ctx := w.ctx()
	type spec struct {
		provider flows.Provider
		charge   flows.ChargeKind
		amount   flows.Fen
		month    time.Month
		answer   *followup.Outcome // of a filing with the provider
	}
	specs := []spec{
		{flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}, flows.DeregistrationFee, 19900, 9,
			&followup.Outcome{Result: followup.RefundedPart, Amount: 5000}},
		{flows.Provider{Key: "shengpay", Name: "上海盛付通电子支付服务有限公司"}, flows.SIMFee, 6900, 9,
			&followup.Outcome{Result: followup.RefundedFull}},
		{flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}, flows.DeregistrationFee, 19900, 10,
			&followup.Outcome{Result: followup.Refused, Reason: "合同约定"}},
		{flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}, flows.SIMFee, 9900, 10, nil},
	}
	var ids []string
	for i, s := range specs {
		c := draft()
		c.Chat, c.User = 7000+int64(i), 7000+int64(i)
		c.Provider, c.Charge = s.provider, s.charge
		c.Deductions = []flows.Deduction{{Date: "2025-08-01", Amount: s.amount, Method: flows.FromSettlement}}
		c.LearnedOn = "2025-08-02"
		c.CreatedAt = time.Date(2025, s.month, 5, 10, 0, 0, 0, loc)
		if err := w.makeCase(ctx, c, flows.StatusSubmitted); err != nil {
			t.Fatal(err)
		}
		cases, err := w.store.Cases(ctx, c.Chat)
		if err != nil || len(cases) != 1 {
			t.Fatalf("cases: %v %v", cases, err)
		}
		k := cases[0]
		ids = append(ids, k.ID)
		if s.answer == nil {
			continue
		}
		f, err := followup.Open(k)
		if err != nil {
			t.Fatal(err)
		}
		if f, err = f.File(followup.Filing{Rung: followup.Provider, Filed: f.Document}, "2025-12-01"); err != nil {
			t.Fatal(err)
		}
		if f, err = f.Answer(0, *s.answer, "2025-12-01"); err != nil {
			t.Fatal(err)
		}
		fu, err := followup.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.ChangeFollowUp(ctx, k.ID, func(flows.Complaint) (flows.FollowUp, bool, error) { return fu, true, nil }); err != nil {
			t.Fatal(err)
		}
	}

	ask := func(cmd string) fakeapi.Call {
		mark := w.seq()
		w.staffCommand(staffer, cmd)
		return w.wait(cmd, func(c fakeapi.Call) bool {
			return c.Seq > mark && (c.Method == "sendMessage" || c.Method == "sendDocument")
		})
	}
	card := ask("/case " + ids[0]).Params["text"]
	for _, s := range []string{"跟进：已到支付机构（协商）", "最近结果：退了一部分", "已追回 50.00 / 199.00 元"} {
		if !strings.Contains(card, s) {
			t.Errorf("/case lacks %q:\n%s", s, card)
		}
	}
	if c := ask("/case " + ids[3]).Params["text"]; strings.Contains(c, "跟进") {
		t.Errorf("a case without filings shows a follow-up line:\n%s", c)
	}
	stats := ask("/stats").Params["text"]
	path := filepath.Join("testdata", "stats-followup.txt")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(stats+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(path); err != nil || string(want) != stats+"\n" {
		t.Errorf("/stats differs from %s (go test ./staff -run TestStaffSeeOutcomes -update):\n%s\n(%v)", path, stats, err)
	}
	for _, s := range []string{"主张金额 566.00 元，已追回 119.00 元", "拉卡拉支付股份有限公司：3 件，497.00 元，已追回 50.00 元",
		"2025-09：2 件，268.00 元，已追回 119.00 元"} {
		if !strings.Contains(stats, s) {
			t.Errorf("/stats lacks %q", s)
		}
	}

	doc := ask("/export")
	f := doc.File("document")
	if f == nil {
		t.Fatal("no export")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		got[r[col["id"]]] = []string{r[col["rung"]], r[col["outcome"]], r[col["recovered_yuan"]]}
	}
	want := map[string][]string{
		ids[0]: {"provider", "part", "50.00"}, ids[1]: {"provider", "full", "69.00"},
		ids[2]: {"provider", "refused", "0.00"}, ids[3]: {"", "", "0.00"},
	}
	for id, w := range want {
		if strings.Join(got[id], ",") != strings.Join(w, ",") {
			t.Errorf("export of %s: %v, want %v", id, got[id], w)
		}
	}
	if bytes.Contains(f.Data, []byte("合同约定")) {
		t.Error("the export holds a refusal's reason, the complainant's words")
	}
}

// testFiles is storage.Redis as the bot's CaseFiles, reminders scheduled as they come.
type testFiles struct{ *storage.Redis }

func (f testFiles) SyncReminders(ctx context.Context, id string, want []followup.Reminder) error {
	if _, err := f.CancelReminders(ctx, id); err != nil {
		return err
	}
	for _, m := range want {
		if err := f.ScheduleReminder(ctx, storage.Reminder{Case: id, Kind: m.Kind}, m.At); err != nil {
			return err
		}
	}
	return nil
}

// TestCardShowsFollowUp: when the complainant records a filing and its answer, the case's card
// in the staff chat is edited to show the rung and the outcome.
func TestCardShowsFollowUp(t *testing.T) {
	w := newWorld(t, groupChat)
	w.start()
	tg, err := tgbot.New(testToken, tgbot.WithServerURL(w.api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	b, err := bot.New(w.cfg, bot.Deps{Telegram: tg, Store: w.store, Desk: w.desk, Sender: snd, Catalog: w.cat, Docs: docs,
		Files: testFiles{w.store}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Shutdown)
	w.b = b
	w.escalate()
	s, err := w.store.Load(w.ctx(), complainant)
	if err != nil {
		t.Fatal(err)
	}
	id := s.LastCase
	th := w.card(id)
	w.posted(id)
	w.userPress("t") // did you file it? today
	w.userPress("provider:" + time.Now().In(w.cfg.Location).Format("20060102"))
	if card := w.lastCard(th); !strings.Contains(card, "跟进：已到支付机构（协商）") {
		t.Errorf("the card does not show the filing:\n%s", card)
	}
	w.userPress("nr:" + id + ":0")
	w.userPressData(1, "f:o:"+id+":0:part")
	w.userMessage(&models.Message{Text: "50"})
	if card := w.lastCard(th); !strings.Contains(card, "最近结果：退了一部分") || !strings.Contains(card, "已追回 50.00 / 199.00 元") {
		t.Errorf("the card does not show the outcome:\n%s", card)
	}
}

// TestCardShowsPromise: the complainant told the bot that the provider promised a refund that
// has not come (case file "promise"). The caseworker's /case says so, with the day, while that
// filing waits; once its answer is recorded, the promise is no longer news.
func TestCardShowsPromise(t *testing.T) {
	w := newWorld(t, groupChat)
	w.startBot(false)
	ctx := w.ctx()
	c := draft()
	c.CreatedAt = time.Date(2025, 11, 5, 10, 0, 0, 0, w.cfg.Location)
	if err := w.makeCase(ctx, c, flows.StatusSubmitted); err != nil {
		t.Fatal(err)
	}
	cases, err := w.store.Cases(ctx, c.Chat)
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases: %v %v", cases, err)
	}
	id := cases[0].ID
	f, err := followup.Open(cases[0])
	if err != nil {
		t.Fatal(err)
	}
	if f, err = f.File(followup.Filing{Rung: followup.Provider, Filed: f.Document}, "2025-12-01"); err != nil {
		t.Fatal(err)
	}
	if f, err = f.Promise(0, "2025-12-03"); err != nil {
		t.Fatal(err)
	}
	save := func(f followup.Case) {
		t.Helper()
		fu, err := followup.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.ChangeFollowUp(ctx, id, func(flows.Complaint) (flows.FollowUp, bool, error) { return fu, true, nil }); err != nil {
			t.Fatal(err)
		}
	}
	show := func() string {
		t.Helper()
		mark := w.seq()
		w.staffCommand(staffer, "/case "+id)
		return w.wait("/case", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" }).Params["text"]
	}
	save(f)
	promise := w.text(flows.LangZH, "staff_followup_promised",
		map[string]any{"On": "2025-12-03", "Rung": followup.RungText(followup.Provider)})
	if card := show(); !strings.Contains(card, promise) || !strings.Contains(card, "2025-12-03") {
		t.Errorf("/case after the promise lacks %q:\n%s", promise, card)
	}
	if f, err = f.Answer(0, followup.Outcome{Result: followup.RefundedPart, Amount: 5000}, "2025-12-10"); err != nil {
		t.Fatal(err)
	}
	save(f)
	if card := show(); strings.Contains(card, promise) {
		t.Errorf("/case after the answer still shows the promise:\n%s", card)
	}
}
