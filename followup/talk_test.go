package followup

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// talkComplaint is a consumer's stored complaint of 199 yuan, produced on 2025-09-25.
func talkComplaint() flows.Complaint {
	return flows.Complaint{ID: "C-000007", Chat: 1, Complainant: flows.Consumer, LearnedOn: "2025-01-10",
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: "2025-01-10", Amount: 19900}},
		Body:       "深圳市消费者委员会", CreatedAt: workdays.Date(2025, 9, 25).Add(10 * time.Hour)}
}

func talkNow() time.Time { return workdays.Date(2025, 10, 2).Add(18 * time.Hour) }

func button(data string) flows.Input {
	return flows.Input{Kind: flows.InputButton, Data: data, Now: talkNow()}
}

func text(s string) flows.Input { return flows.Input{Kind: flows.InputText, Text: s, Now: talkNow()} }

// filedWithProvider is the case file with one filing with the provider on 2025-09-25.
func filedWithProvider(t *testing.T) Case {
	t.Helper()
	k := talkComplaint()
	c, err := Open(k)
	if err != nil {
		t.Fatal(err)
	}
	c, err = c.File(Filing{Rung: Provider, Filed: "2025-09-25"}, "2025-09-25")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTalkTyped: what the user types for each follow-up question, and what comes of it; a
// refused answer changes nothing, keeps the question, and says why.
func TestTalkTyped(t *testing.T) {
	tests := []struct {
		name    string
		ask     flows.FollowAsk
		text    string
		key     string // the first reply
		changed bool
		keepAsk bool
	}{
		{"filing date", flows.FollowAsk{Ask: AskDate}, "2025-09-30", "fu_which_rung", false, false},
		{"filing date with its rung", flows.FollowAsk{Ask: AskDate, Rung: string(MarketRegulator)}, "9月30日", "fu_filed_law", true, true},
		{"filing date in the future", flows.FollowAsk{Ask: AskDate}, "2025-10-03", "fu_err_filed_in_future", false, true},
		{"filing date before the document", flows.FollowAsk{Ask: AskDate}, "2025-09-01", "fu_err_filed_before_document", false, true},
		{"not a date", flows.FollowAsk{Ask: AskDate}, "上周", "fu_err_bad_date", false, true},
		{"typed where the filing went, which has buttons", flows.FollowAsk{Ask: AskRung, Date: "2025-09-30"}, "不知道", "use_buttons", false, true},
		{"the place of the filing, typed", flows.FollowAsk{Ask: AskRung, Date: "2025-09-30"}, "12315", "fu_filed_law", true, false},
		{"filed: when, where and its number in a sentence", flows.FollowAsk{Ask: AskFiled}, "今天在12315平台提交了，受理号是 1234567890", "fu_filed_law", true, false},
		{"filed: when only", flows.FollowAsk{Ask: AskFiled}, "9月30日交的", "fu_which_rung", false, false},
		{"filed: not when", flows.FollowAsk{Ask: AskFiled}, "交了", "fu_ask_date", false, false},
		{"filed: not yet", flows.FollowAsk{Ask: AskFiled}, "还没有，下周去", "fu_not_yet_ok", false, false},
		{"filed: tomorrow", flows.FollowAsk{Ask: AskFiled}, "明天提交", "use_buttons", false, true},
		{"filed: in the future", flows.FollowAsk{Ask: AskFiled}, "2025年10月3日提交了", "fu_err_filed_in_future", false, true},
		{"filed at the rung asked", flows.FollowAsk{Ask: AskFiled, Rung: string(MarketRegulator)}, "昨天提交了", "fu_filed_law", true, false},
		{"what came of it, typed", flows.FollowAsk{Ask: AskResult}, "客服拒绝了，说合同有约定", "fu_answered_refused", true, false},
		{"part of it, typed without the sum", flows.FollowAsk{Ask: AskResult}, "退了一部分", "fu_ask_amount", false, false},
		{"what came of it, unread", flows.FollowAsk{Ask: AskResult}, "谢谢", "use_buttons", false, true},
		{"no answer, typed on the due date", flows.FollowAsk{Ask: AskResult}, "还没回复", "fu_answered_no_answer", true, false},
		{"a refund promised, not come", flows.FollowAsk{Ask: AskResult}, "客服打电话来，答应一周内退回", "fu_promised", true, false},
		{"a refund promised with a period", flows.FollowAsk{Ask: AskResult}, "说7个工作日内退回", "fu_promised", true, false},
		{"受理编号", flows.FollowAsk{Ask: AskRef}, " 12315-0001 ", "fu_ref_saved", true, false},
		{"受理编号 of 500 characters", flows.FollowAsk{Ask: AskRef}, strings.Repeat("1", 500), "fu_err_ref_too_long", false, true},
		{"what came of it instead of a 受理编号", flows.FollowAsk{Ask: AskRef}, "退了50元", "fu_err_ref_format", false, true},
		{"thanks instead of a 受理编号", flows.FollowAsk{Ask: AskRef}, "谢谢", "fu_err_ref_format", false, true},
		{"English thanks instead of a 受理编号", flows.FollowAsk{Ask: AskRef}, "no thanks", "fu_err_ref_format", false, true},
		{"letters and digits", flows.FollowAsk{Ask: AskRef}, "CA-2025-77", "fu_ref_saved", true, false},
		{"no number, in English", flows.FollowAsk{Ask: AskRef}, "No number.", "fu_ref_none", false, false},
		{"no 受理编号, typed", flows.FollowAsk{Ask: AskRef}, "没有", "fu_ref_none", false, false},
		{"受理编号 with a control character", flows.FollowAsk{Ask: AskRef}, "123\u0007", "fu_err_ref_not_printable", false, true},
		{"partial refund", flows.FollowAsk{Ask: AskAmount}, "¥50", "fu_answered_part", true, false},
		{"partial refund in a sentence", flows.FollowAsk{Ask: AskAmount}, "退了50元", "fu_answered_part", true, false},
		{"two numbers in a sentence", flows.FollowAsk{Ask: AskAmount}, "199退了50", "fu_err_amount_format", false, true},
		{"partial refund in Chinese numerals", flows.FollowAsk{Ask: AskAmount}, "退了五十元", "fu_answered_part", true, false},
		{"refund larger than the claim", flows.FollowAsk{Ask: AskAmount}, "500", "fu_err_amount_too_large", false, true},
		{"refund of nothing", flows.FollowAsk{Ask: AskAmount}, "0", "fu_err_amount_not_positive", false, true},
		{"refund not a number", flows.FollowAsk{Ask: AskAmount}, "一些", "fu_err_amount_format", false, true},
		{"refund of everything counts as full", flows.FollowAsk{Ask: AskAmount}, "199", "fu_answered_full", true, false},
		{"refusal's reason", flows.FollowAsk{Ask: AskReason}, "合同约定", "fu_answered_refused", true, false},
		{"refusal's reason too long", flows.FollowAsk{Ask: AskReason}, strings.Repeat("长", MaxReason+1), "fu_err_reason_too_long", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := filedWithProvider(t)
			ask := tc.ask
			ask.Case = c.ID
			got := Talk(talkComplaint(), c, &ask, text(tc.text))
			if len(got.Replies) == 0 || got.Replies[0].Key != tc.key {
				t.Fatalf("replies %+v, want %s first", got.Replies, tc.key)
			}
			if got.Changed != tc.changed {
				t.Errorf("changed %v, want %v", got.Changed, tc.changed)
			}
			// what is recorded names its case: a chat may follow several
			if k := got.Replies[0].Key; (strings.HasPrefix(k, "fu_filed") || strings.HasPrefix(k, "fu_answered")) && got.Replies[0].Args["Case"] != c.ID {
				t.Errorf("%s names case %v, want %s", k, got.Replies[0].Args["Case"], c.ID)
			}
			if !tc.changed && !reflect.DeepEqual(got.Case, c) {
				t.Errorf("the case file changed: %+v", got.Case)
			}
			if (got.Ask != nil && *got.Ask == ask) != tc.keepAsk && tc.key != "fu_filed_law" {
				t.Errorf("ask %+v, keep %v", got.Ask, tc.keepAsk)
			}
		})
	}
}

// TestTalkButtons: the buttons of the follow-up, their data within Telegram's 64 bytes, and a
// button about another case or a rung that does not fit refused.
func TestTalkButtons(t *testing.T) {
	k := talkComplaint()
	c, _ := Open(k)
	start := Start(c.ID)
	for _, ch := range start.Choices {
		if len(ch.Data) > 64 || !strings.HasPrefix(ch.Data, DataPrefix) {
			t.Errorf("button data %q", ch.Data)
		}
	}
	got := Talk(k, c, nil, button("f:w:C-000007:t"))
	if got.Replies[0].Key != "fu_which_rung" || len(got.Replies[0].Choices) != len(Rungs())-1 {
		t.Errorf("filed today: %+v", got.Replies)
	}
	if first := got.Replies[0].Choices[0].Key; first != "fu_rung_consumer_association" {
		t.Errorf("the first rung offered is %s, not the consumer association the 投诉书 went to", first)
	}
	got = Talk(k, c, nil, button(got.Replies[0].Choices[1].Data))
	if !got.Changed || got.Case.Filings[0].Rung != Provider || got.Case.Filings[0].Body != k.Provider.Name || got.Ask == nil || got.Ask.Ask != AskRef {
		t.Errorf("filed with the provider: %+v", got)
	}
	c = got.Case
	out := AskOutcome(c, 0, false)
	if out.Args["Report"] != false {
		t.Errorf("a filing with the provider asked about as a 举报: %+v", out.Args)
	}
	report := c
	report.Filings = []Filing{{Rung: Report, Filed: c.Filings[0].Filed}}
	if r := AskOutcome(report, 0, false); r.Args["Report"] != true {
		t.Errorf("a 举报 asked about as a complaint: %+v", r.Args)
	}
	for _, ch := range out.Choices {
		if len(ch.Data) > 64 {
			t.Errorf("button data %q", ch.Data)
		}
	}
	got = Talk(k, c, nil, button(out.Choices[3].Data)) // no answer
	if !got.Changed || got.Case.Filings[0].Outcome.Result != NoAnswer {
		t.Fatalf("no answer: %+v", got)
	}
	last := got.Replies[len(got.Replies)-1]
	if last.Key != "fu_next" || len(last.Choices) != 2 {
		t.Errorf("next rungs offered: %+v", last)
	}
	for _, tc := range []struct{ name, data, key string }{
		{"another case", "f:o:C-000008:0:full", "fu_stale"},
		{"a rung a consumer does not climb", "f:n:C-000007:pboc", "fu_err_not_on_ladder"},
		{"an answer twice", "f:o:C-000007:0:full", "fu_err_already_answered"},
		{"garbage", "f:zz", "fu_stale"},
	} {
		got := Talk(k, got.Case, nil, button(tc.data))
		if got.Changed || len(got.Replies) == 0 || got.Replies[0].Key != tc.key {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

// FuzzTalk: any typed answer to any question, or any button data, never panics, keeps the case
// file valid (Remaining never below zero, a ref and a reason within their limits), and changes
// it only when it says so.
func FuzzTalk(f *testing.F) {
	for _, s := range []string{"2025-09-30", "12315-0001", "50", "¥199.00", "合同约定", "", "f:o:C-000007:0:part", "f:r:C-000007:court:20250930", "\x00", strings.Repeat("9", 80)} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		k := talkComplaint()
		c, _ := Open(k)
		c, _ = c.File(Filing{Rung: Provider, Filed: "2025-09-25"}, "2025-09-25")
		asks := []string{AskDate, AskRef, AskAmount, AskReason, AskRung}
		var in flows.Input
		var ask *flows.FollowAsk
		if int(which) < len(asks) {
			ask = &flows.FollowAsk{Case: c.ID, Ask: asks[which]}
			in = text(s)
		} else {
			in = button(DataPrefix + s)
		}
		got := Talk(k, c, ask, in)
		if !got.Changed && !reflect.DeepEqual(got.Case, c) {
			t.Fatalf("changed without saying so: %+v", got.Case)
		}
		if got.Case.Remaining() < 0 || got.Case.Recovered() > got.Case.Claim {
			t.Fatalf("money: %+v", got.Case)
		}
		for _, f := range got.Case.Filings {
			if utf8.RuneCountInString(f.Ref) > MaxRef || (f.Outcome != nil && utf8.RuneCountInString(f.Outcome.Reason) > MaxReason) {
				t.Fatalf("a limit broken: %+v", f)
			}
		}
		for _, r := range got.Replies {
			for _, ch := range r.Choices {
				if len(ch.Data) > 64 {
					t.Fatalf("button data of %d bytes", len(ch.Data))
				}
			}
		}
	})
}

// TestStatus: /status's lines for a case file in each state.
func TestStatus(t *testing.T) {
	c := filedWithProvider(t)
	keys := func(ls flows.Lines) string {
		var ks []string
		for _, l := range ls {
			ks = append(ks, l.Key)
		}
		return strings.Join(ks, " ")
	}
	if got := keys(Status(c, "2025-09-26")); got != "fu_status_filing fu_status_due_advice" {
		t.Errorf("waiting: %s", got)
	}
	if got := keys(Status(c, "2025-10-03")); got != "fu_status_filing fu_status_overdue" {
		t.Errorf("past its due date: %s", got)
	}
	if got := keys(Status(c.MarkSent(DueKind(0)), "2025-10-02")); got != "fu_status_filing fu_status_overdue" {
		t.Errorf("asked on its due date: %s", got)
	}
	if p, _ := c.Promise(0, "2025-09-30"); keys(Status(p, "2025-09-30")) != "fu_status_filing fu_status_promised fu_status_due_advice" {
		t.Errorf("a refund promised: %s", keys(Status(p, "2025-09-30")))
	}
	c, _ = c.Answer(0, Outcome{Result: RefundedPart, Amount: 5000}, "2025-10-01")
	if got := keys(Status(c, "2025-10-01")); got != "fu_status_filing fu_status_answer_part fu_status_next fu_status_money" {
		t.Errorf("after a partial refund: %s", got)
	}
	if got := keys(Status(c, "2027-09-01")); !strings.HasSuffix(got, "fu_status_limit") {
		t.Errorf("less than six months before the limit: %s", got)
	}
	c = c.SetQuiet(true)
	if got := keys(Status(c, "2025-10-01")); !strings.HasSuffix(got, "fu_status_quiet") {
		t.Errorf("quiet: %s", got)
	}
}

// TestEstimatedDue: a due date counted in a year whose holiday notice the calendar lacks is
// said to be an estimate where it is shown: the reminder's question and /status.
func TestEstimatedDue(t *testing.T) {
	for filed, want := range map[flows.Date]bool{"2025-09-26": false, "2099-03-02": true} {
		k := talkComplaint()
		c, err := Open(k)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = c.File(Filing{Rung: MarketRegulator, Filed: filed}, filed); err != nil {
			t.Fatal(err)
		}
		if got := AskOutcome(c, 0, false).Args["Estimated"]; got != want {
			t.Errorf("filed %s: the reminder's Estimated %v, want %v", filed, got, want)
		}
		for _, today := range []flows.Date{filed, filed[:4] + "-12-31"} { // before and past the due date
			ls := Status(c, today)
			if len(ls) < 2 || ls[1].Args["Estimated"] != want {
				t.Errorf("filed %s, /status on %s: %+v, want Estimated %v", filed, today, ls, want)
			}
		}
	}
}

// TestMarkSent: a reminder sent is no longer wanted, whatever changes later; others stay.
func TestMarkSent(t *testing.T) {
	c := filedWithProvider(t)
	if len(c.Reminders()) != 2 {
		t.Fatalf("reminders %+v", c.Reminders())
	}
	sent := c.MarkSent(DueKind(0))
	if len(c.Sent) != 0 {
		t.Error("MarkSent changed its receiver")
	}
	if got := sent.Reminders(); len(got) != 1 || got[0].Kind != KindLimit {
		t.Errorf("after the due reminder was sent: %+v", got)
	}
	again, err := sent.SetRef(0, "A-1")
	if err != nil || len(again.Reminders()) != 1 || len(sent.MarkSent(DueKind(0)).Sent) != 1 {
		t.Errorf("a later change brought it back: %+v %v", again.Reminders(), err)
	}
}

// TestBadFilingDateKeepsAWayOut: text that is no date where the filing's day is asked ("没有
// 编号", what the provider said) is answered with the "today" and "not yet" buttons, so the user
// is not held at the date question until they type one.
func TestBadFilingDateKeepsAWayOut(t *testing.T) {
	c := filedWithProvider(t)
	ask := flows.FollowAsk{Case: c.ID, Ask: AskDate}
	got := Talk(talkComplaint(), c, &ask, text("客服说不退，合同里有写"))
	if len(got.Replies) != 1 || got.Replies[0].Key != "fu_err_bad_date" || len(got.Replies[0].Choices) != 2 {
		t.Fatalf("replies %+v", got.Replies)
	}
	pressed := Talk(talkComplaint(), c, got.Ask, flows.Input{Kind: flows.InputButton, Data: got.Replies[0].Choices[1].Data, Now: talkNow()})
	if pressed.Ask != nil || len(pressed.Replies) == 0 {
		t.Fatalf("not yet pressed: ask %+v, replies %+v", pressed.Ask, pressed.Replies)
	}
}

// TestSilenceBeforeDue: "还没回复" typed before 12315's seven working days are out records
// nothing (it is not a silence yet) and names the due date; on the due date it is the answer.
// The button, pressed early from /status, records it without saying the due date passed.
func TestSilenceBeforeDue(t *testing.T) {
	k := talkComplaint()
	c, err := Open(k)
	if err != nil {
		t.Fatal(err)
	}
	// filed Friday 2025-09-26: seven working days over National Day 2025 end on Monday 2025-10-13 (Sunday 09-28 and Saturday 10-11 worked)
	if c, err = c.File(Filing{Rung: MarketRegulator, Filed: "2025-09-26"}, "2025-09-26"); err != nil {
		t.Fatal(err)
	}
	ask := &flows.FollowAsk{Case: c.ID, Ask: AskResult}
	early := flows.Input{Kind: flows.InputText, Text: "还没回复", Now: workdays.Date(2025, 10, 9).Add(19 * time.Hour)}
	got := Talk(k, c, ask, early)
	if got.Changed || len(got.Replies) != 1 || got.Replies[0].Key != "fu_not_due_law" || got.Replies[0].Args["Due"] != "2025-10-13" {
		t.Fatalf("early silence: changed %v, replies %+v", got.Changed, got.Replies)
	}
	if len(got.Replies[0].Choices) != 4 || got.Ask != nil {
		t.Errorf("early silence offers %+v, asks %+v", got.Replies[0].Choices, got.Ask)
	}
	due := early
	due.Now = workdays.Date(2025, 10, 13).Add(18 * time.Hour)
	if got := Talk(k, c, ask, due); !got.Changed || got.Replies[0].Key != "fu_answered_no_answer" {
		t.Errorf("silence on the due date: changed %v, replies %+v", got.Changed, got.Replies)
	}
	pressed := Talk(k, c, nil, flows.Input{Kind: flows.InputButton, Data: "f:o:" + c.ID + ":0:no_answer", Now: early.Now})
	if !pressed.Changed || pressed.Replies[0].Key != "fu_answered_no_answer_early" || pressed.Replies[0].Args["Due"] != "2025-10-13" {
		t.Errorf("the no-answer button before the due date: changed %v, replies %+v", pressed.Changed, pressed.Replies)
	}
}

// TestFilingBody: a filing names the body it went to — the one the 投诉书 was addressed to,
// or for another rung the one its letter is addressed to (where the respondent is
// registered) — so that /status and the next letters state it.
func TestFilingBody(t *testing.T) {
	k := talkComplaint() // addressed to 深圳市消费者委员会; Lakala is registered in Beijing
	c, err := Open(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rung Rung
		want string
	}{
		{ConsumerAssociation, "深圳市消费者委员会"},
		{MarketRegulator, "北京市市场监督管理局"},
		{Report, "北京市市场监督管理局"},
		{Provider, "拉卡拉支付股份有限公司"},
	} {
		got := Talk(k, c, nil, button("f:r:"+c.ID+":"+string(tc.rung)+":20251001"))
		if !got.Changed || got.Case.Filings[len(got.Case.Filings)-1].Body != tc.want {
			t.Errorf("filed at %s: %+v, want the body %s", tc.rung, got.Case.Filings, tc.want)
		}
	}
}
