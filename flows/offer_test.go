package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// seedSMS is the seed case's SMS: Lakala, 199 yuan from the settlement, with the SN and the day.
const seedSMS = "【拉卡拉】尊敬的商户，您的终端（SN:WP2103456789）已于2024年05月01日完成注销，注销服务费199.00元已从结算款中扣除。"

// twoSMS holds two deductions, the second without a word of how it was taken.
const twoSMS = "【拉卡拉】2024年06月01日流量卡年费99.00元已从结算款中扣除。\n2024年07月01日 扣收服务费 50.00元"

// play applies the inputs in the tests' notation, each to the session the last one left.
func play(t *testing.T, s Session, specs ...string) (Session, []Reply) {
	t.Helper()
	var replies []Reply
	for _, spec := range specs {
		res, err := Step(context.Background(), s, input(s, spec))
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		s, replies = res.Session, res.Replies
	}
	return s, replies
}

func fresh(c Complaint) func(*Session) {
	return func(s *Session) { s.Draft = c }
}

func replyKeys(rs []Reply) []string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.Key)
	}
	return ks
}

// TestPasteAtProvider: the seed SMS pasted at the first question after the charge kind is
// shown, and once added, the provider, the amount, the list and the SN are passed by; the text
// is evidence.
func TestPasteAtProvider(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, rs := play(t, s, "txt:"+seedSMS)
	if s.State != StateProvider || s.Offer == nil || !slices.Contains(replyKeys(rs), "paste_offer") {
		t.Fatalf("no offer: state %s, replies %v", s.State, replyKeys(rs))
	}
	if len(s.Draft.Deductions) != 0 || s.Draft.Provider.Name != "" {
		t.Fatal("something was added before the user confirmed")
	}
	s, rs = play(t, s, "btn:p=all")
	if s.State != StateDisclosure {
		t.Fatalf("state = %s, want disclosure (replies %v)", s.State, replyKeys(rs))
	}
	d := s.Draft
	want := Deduction{Date: "2024-05-01", Amount: 19900, Method: FromSettlement, Label: "注销服务费"}
	if len(d.Deductions) != 1 || d.Deductions[0] != want {
		t.Fatalf("deductions = %+v", d.Deductions)
	}
	if d.Provider.Key != "lakala" || d.Provider.Name != "拉卡拉支付股份有限公司" || d.DeviceSN != "WP2103456789" {
		t.Fatalf("provider %+v, SN %q", d.Provider, d.DeviceSN)
	}
	if len(d.Evidence) != 1 || d.Evidence[0].Kind != EvidenceText || d.Evidence[0].Caption != seedSMS {
		t.Fatalf("evidence = %+v", d.Evidence)
	}
	// the SN question is passed by when the path reaches it
	s.State, s.Filled = StateContractChan, append(s.Filled, StateDevice)
	s, _ = play(t, s, "btn:agent", "btn:skip")
	if s.State == StateDevice {
		t.Fatal("the SN question was asked again")
	}
}

// TestPlainAnswerStays: text the question takes as it is goes to the question.
func TestPlainAnswerStays(t *testing.T) {
	s := at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s, _ = play(t, s, "txt:199")
	if s.State != StateDeductionDate || s.Pend.Amount != 19900 || s.Offer != nil {
		t.Fatalf("state %s, pend %+v, offer %v", s.State, s.Pend, s.Offer)
	}
	// a story that mentions the sum already entered is a story
	s = at(StateDescription, nil)
	s.Draft.Deductions = []Deduction{{Date: "2024-05-01", Amount: 19900, Method: FromSettlement}}
	s, _ = play(t, s, "txt:注销时被扣了199元，没有人提前告诉我。")
	if s.Offer != nil || s.Draft.Description == "" {
		t.Fatalf("story not taken: offer %v", s.Offer)
	}
}

// TestPasteOneByOne: two deductions confirmed one by one; the one kept without a method is
// asked for its method only; the one skipped is not added.
func TestPasteOneByOne(t *testing.T) {
	s := at(StateAmount, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s, rs := play(t, s, "txt:"+twoSMS)
	if s.Offer == nil || len(s.Offer.Deductions) != 2 {
		t.Fatalf("offer = %+v (replies %v)", s.Offer, replyKeys(rs))
	}
	s, rs = play(t, s, "btn:p=each")
	if rs[0].Key != "paste_each" {
		t.Fatalf("replies %v", replyKeys(rs))
	}
	s, _ = play(t, s, "btn:p=skip", "btn:p=add")
	if s.State != StateMethod || s.Pend.Amount != 5000 || s.Pend.Date != "2024-07-01" {
		t.Fatalf("state %s, pend %+v", s.State, s.Pend)
	}
	s, _ = play(t, s, "btn:bank_card")
	if s.State != StateDisclosure || len(s.Draft.Deductions) != 1 || s.Draft.Deductions[0].Method != FromBankCard {
		t.Fatalf("state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
}

// TestPasteRefused: "no" adds nothing; at a question that takes any text, the text is then
// its answer.
func TestPasteRefused(t *testing.T) {
	s := at(StateDescription, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "txt:"+seedSMS)
	if s.Offer == nil {
		t.Fatal("no offer")
	}
	s, _ = play(t, s, "btn:p=no")
	if s.State != StateEvidence || s.Draft.Description != seedSMS || len(s.Draft.Deductions) != 0 || len(s.Draft.Evidence) != 0 {
		t.Fatalf("state %s, draft %+v", s.State, s.Draft)
	}
	// any other input drops the offer
	s = at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "txt:"+seedSMS, "btn:lakala")
	if s.Offer != nil || s.State != StateAmount || len(s.Draft.Deductions) != 0 {
		t.Fatalf("state %s, offer %v", s.State, s.Offer)
	}
}

// TestReadingOffer: the text read from a screenshot is offered once, at the question the user
// is at when it is read, but not at the review.
func TestReadingOffer(t *testing.T) {
	s := at(StateEvidence, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "file")
	reading := Input{Kind: InputReading, Text: seedSMS, Data: "u-new", Now: testNow()}
	res, err := Step(context.Background(), s, reading)
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.Offer == nil || len(res.Replies) != 1 || res.Replies[0].Key != "paste_offer" {
		t.Fatalf("replies %v", replyKeys(res.Replies))
	}
	again, err := Step(context.Background(), res.Session, reading)
	if err != nil || len(again.Replies) != 0 {
		t.Fatalf("offered twice: %v %v", replyKeys(again.Replies), err)
	}
	s2, _ := play(t, res.Session, "btn:p=all")
	if len(s2.Draft.Deductions) != 1 || len(s2.Draft.Evidence) != 1 || s2.State != StateEvidence {
		t.Fatalf("state %s, draft %+v", s2.State, s2.Draft)
	}
	// moved on to the next question, the reading is offered there, as a pasted text would be
	moved, _ := play(t, s, "btn:done")
	late, err := Step(context.Background(), moved, reading)
	if err != nil || late.Session.Offer == nil || late.Session.State != StateContactName {
		t.Fatalf("reading after moving on: state %s, replies %v", late.Session.State, replyKeys(late.Replies))
	}
	// at the review it is stale and says nothing
	moved.State = StateReview
	late, err = Step(context.Background(), moved, reading)
	if err != nil || len(late.Replies) != 0 || late.Session.Offer != nil {
		t.Fatalf("stale reading shown: %v", replyKeys(late.Replies))
	}
}

// TestScreenshotEarly: a screenshot sent at the first question after the charge kind is kept
// as evidence and read there, as a pasted text is; before consent or at the review it is not.
func TestScreenshotEarly(t *testing.T) {
	s := at(StateDeregDate, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	if !ReadsScreenshots(s) {
		t.Fatal("a screenshot at the de-registration date is not read")
	}
	s, _ = play(t, s, "file")
	res, err := Step(context.Background(), s, Input{Kind: InputReading, Text: seedSMS, Data: "u-new", Now: testNow()})
	if err != nil || res.Session.Offer == nil || res.Session.State != StateDeregDate {
		t.Fatalf("state %s, replies %v, %v", res.Session.State, replyKeys(res.Replies), err)
	}
	taken, _ := play(t, res.Session, "btn:p=all")
	if taken.Draft.Provider.Key != "lakala" || len(taken.Draft.Deductions) != 1 || len(taken.Draft.Evidence) != 1 {
		t.Fatalf("taken: %+v", taken.Draft)
	}
	for _, st := range []State{StateConsent, StateReview, StateSubmitted, StateClosed} {
		if ReadsScreenshots(at(st, nil)) {
			t.Errorf("a screenshot is read at %s", st)
		}
	}
}

// TestWrappedLines: an SMS a phone's screen wrapped mid-sentence is read whole.
func TestWrappedLines(t *testing.T) {
	r := read("【拉卡拉】尊敬的商户，您的流量卡服务费99.00元\n已于2024年06月01日从结算款中扣除。", Input{Now: testNow()})
	if len(r.Deductions) != 1 || r.Deductions[0].Date != "2024-06-01" || r.Deductions[0].Method != "settlement" {
		t.Fatalf("read %+v", r.Deductions)
	}
	ledger := "2024-06-01 调账 流量卡服务费 -99.00\n2024-07-01 调账 服务费 -50.00"
	if got := unwrap(ledger); got != ledger {
		t.Fatalf("ledger lines joined: %q", got)
	}
}

// TestParseContactLine: a name alone, or the whole contact in one message.
func TestParseContactLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Contact
	}{
		{"张三", Contact{Name: "张三"}},
		{"张三 13800138000 深圳 南山区科技园路1号", Contact{Name: "张三", Phone: "13800138000", City: "深圳", Address: "南山区科技园路1号"}},
		{"李四，+86 139-1234-5678，广州", Contact{Name: "李四", Phone: "13912345678", City: "广州"}},
		{"王五 13800138000", Contact{Name: "王五", Phone: "13800138000"}},
		{"张三 13800138000 广东省深圳市南山区科技园路1号", Contact{Name: "张三", Phone: "13800138000", Address: "广东省深圳市南山区科技园路1号"}},
		{"张三 13800138000 深圳市南山区 科技园路1号", Contact{Name: "张三", Phone: "13800138000", Address: "深圳市南山区 科技园路1号"}},
		{"张三 13800138000 深圳市 南山区科技园路1号", Contact{Name: "张三", Phone: "13800138000", City: "深圳市", Address: "南山区科技园路1号"}},
		// a city in pinyin, of one word or with its province: the city, not the address's start
		{"王建国 +86 139 8888 7777 sichuan chengdu 武侯区人民南路四段1号", Contact{Name: "王建国", Phone: "13988887777", City: "sichuan chengdu", Address: "武侯区人民南路四段1号"}},
		{"王建国 13988887777 Chengdu, 武侯区人民南路四段1号", Contact{Name: "王建国", Phone: "13988887777", City: "Chengdu", Address: "武侯区人民南路四段1号"}},
		{"Li Si 13988887777 shen zhen Nanshan Keji Road 1", Contact{Name: "Li Si", Phone: "13988887777", City: "shen zhen", Address: "Nanshan Keji Road 1"}},
		{"王建国 13988887777 sichuan", Contact{Name: "王建国", Phone: "13988887777", City: "sichuan"}}, // a province alone: the city is asked
		{"我叫王建国", Contact{Name: "王建国"}}, // the words before a name are not the name
		{"姓名：王建国", Contact{Name: "王建国"}},
		{"我是王建国 13988887777 成都", Contact{Name: "王建国", Phone: "13988887777", City: "成都"}},
		{"Namek Li", Contact{Name: "Namek Li"}},
		{"13800138000", Contact{Name: "13800138000"}}, // no name: taken as typed, as before
		{"深圳市某某科技有限公司", Contact{Name: "深圳市某某科技有限公司"}},
	} {
		got, err := ParseContactLine(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v %v, want %+v", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseContactLine(strings.Repeat("长", 41)); err == nil {
		t.Error("a name of 41 characters was taken")
	}
}

// TestShortPath: the whole contact in one message passes its questions by; "skip every
// optional question" passes the later optional ones by; "neither" answers the proceedings.
func TestShortPath(t *testing.T) {
	s := at(StateContactName, nil)
	s.Draft.Contact = Contact{}
	s, _ = play(t, s, "txt:张三 13800138000 深圳 南山区科技园路1号")
	if s.State != StateBody || s.Draft.Contact.Address != "南山区科技园路1号" || s.Draft.Contact.City != "深圳市" {
		t.Fatalf("state %s, contact %+v", s.State, s.Draft.Contact)
	}
	s = at(StateContactName, nil)
	s, _ = play(t, s, "txt:张三 13800138000")
	if s.State != StateContactAddress {
		t.Fatalf("state %s, want the address asked", s.State)
	}
	s = at(StateAgent, fresh(Complaint{Complainant: Individual, Charge: SIMFee}))
	s, _ = play(t, s, "btn:skip_rest")
	if s.State != StateNegotiated {
		t.Fatalf("state %s, want negotiated", s.State)
	}
	s, _ = play(t, s, "btn:neither")
	// the story is optional too: skipped with the rest; the usual requests are taken
	if s.State != StateEvidence || s.Draft.Proceedings != ProceedingsNone || len(s.Draft.Requests) == 0 {
		t.Fatalf("state %s, proceedings %q, requests %v", s.State, s.Draft.Proceedings, s.Draft.Requests)
	}
	s, _ = play(t, s, "btn:skip", "txt:张三", "txt:13800138000", "txt:南山区科技园路1号", "txt:深圳")
	// the complainant's address is asked all the same (DOMAIN.md §3: required); the route's
	// first body is taken and shown in the review
	if s.State != StateReview || s.Draft.Contact.Address != "南山区科技园路1号" || s.Draft.Body == "" {
		t.Fatalf("state %s, body %q", s.State, s.Draft.Body)
	}
}

// TestReadingsOfAnAlbum: a second screenshot read while the first one's offer is shown joins
// it; the offer is shown again with both.
func TestReadingsOfAnAlbum(t *testing.T) {
	s := at(StateEvidence, fresh(Complaint{Complainant: Consumer, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	in := Input{Kind: InputAttachment, Now: testNow(), Attachments: []Attachment{
		{Kind: EvidencePhoto, FileID: "f1", UniqueID: "u1", MediaGroupID: "g"},
		{Kind: EvidencePhoto, FileID: "f2", UniqueID: "u2", MediaGroupID: "g"}}}
	res, err := Step(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	s = res.Session
	for i, text := range []string{"2024年06月01日流量卡年费99.00元已从结算款中扣除", "2025年06月01日流量卡年费99.00元已从结算款中扣除"} {
		res, err = Step(context.Background(), s, Input{Kind: InputReading, Text: text, Data: "u" + string(rune('1'+i)), Now: testNow()})
		if err != nil {
			t.Fatal(err)
		}
		s = res.Session
		if s.Offer == nil || len(s.Offer.Deductions) != i+1 || len(res.Replies) != 1 {
			t.Fatalf("reading %d: offer %+v, replies %v", i+1, s.Offer, replyKeys(res.Replies))
		}
	}
	s, _ = play(t, s, "btn:p=all")
	if len(s.Draft.Deductions) != 2 || s.Draft.Total() != 19800 {
		t.Fatalf("deductions %+v", s.Draft.Deductions)
	}
}

// TestTypedProvider: a provider typed by a name users type is the known one, by its legal name.
func TestTypedProvider(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	got, _ := play(t, s, "txt:LKL")
	if got.Draft.Provider.Key != "lakala" || got.Draft.Provider.Name != "拉卡拉支付股份有限公司" {
		t.Fatalf("provider %+v, state %s", got.Draft.Provider, got.State)
	}

}

// BenchmarkPasteOffer: one pasted SMS read and offered at the first question after the charge
// kind, and the offer taken.
func BenchmarkPasteOffer(b *testing.B) {
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	ctx := context.Background()
	for b.Loop() {
		res, err := Step(ctx, s, Input{Kind: InputText, Text: seedSMS, Now: testNow()})
		if err != nil || res.Session.Offer == nil {
			b.Fatal("no offer", err)
		}
		in := Input{Kind: InputButton, Data: strconv.Itoa(res.Session.Prompt) + ":p=all", Now: testNow()}
		if res, err = Step(ctx, res.Session, in); err != nil || len(res.Session.Draft.Deductions) != 1 {
			b.Fatal("not taken", err)
		}
	}
}

// TestUnreadAmountsShown: a balance in a pasted SMS is not a deduction, and the offer says so.
func TestUnreadAmountsShown(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: SIMFee}))
	_, rs := play(t, s, "txt:【拉卡拉】您的流量卡年费99.00元已于2024年06月01日从结算款中扣除，账户余额1523.00元。")
	if len(rs) != 1 || rs[0].Key != "paste_offer" {
		t.Fatalf("replies %v", replyKeys(rs))
	}
	found := false
	for _, l := range rs[0].Args["List"].(Lines) {
		if l.Key == "paste_not_read" && strings.Contains(l.Args["Amounts"].(string), "1523.00") {
			found = true
		}
	}
	if !found {
		t.Fatalf("the balance is not shown as not read: %+v", rs[0].Args["List"])
	}
}

// TestPasteAtDeregDate: the seed SMS pasted at the first question after the charge kind gives
// the de-registration's date and completion too; the text's own date is the evidence's.
func TestPasteAtDeregDate(t *testing.T) {
	s := at(StateDeregDate, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "txt:"+seedSMS, "btn:p=all")
	f := s.Draft.Facts
	if f.DeregOn != "2024-05-01" || f.DeregDone != Yes || s.State != StateDeregChannel {
		t.Fatalf("state %s, facts %+v", s.State, f)
	}
	if len(s.Draft.Evidence) != 1 || s.Draft.Evidence[0].Date != "2024-05-01" {
		t.Fatalf("evidence %+v", s.Draft.Evidence)
	}
	s, _ = play(t, s, "btn:agent", "btn:skip")
	if s.State != StateDisclosure || len(s.Draft.Deductions) != 1 || s.Draft.Provider.Key != "lakala" {
		t.Fatalf("state %s after the channel and the ticket, draft %+v", s.State, s.Draft)
	}
}

// TestAmountWithDate: at the amount question, the amount typed with its date answers the date
// question too, and says what it took; an amount alone, or a sentence, goes on as before.
func TestAmountWithDate(t *testing.T) {
	s := at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, rs := play(t, s, "txt:199元 2024年5月1日")
	if s.State != StateMethod || s.Pend.Amount != 19900 || s.Pend.Date != "2024-05-01" {
		t.Fatalf("state %s, pend %+v", s.State, s.Pend)
	}
	if k := keys(rs); k[0] != "deduction_typed" {
		t.Fatalf("replies %v", k)
	}
	s, _ = play(t, s, "btn:settlement", "btn:skip")
	if s.State != StateMoreDeductions || len(s.Draft.Deductions) != 1 || s.Draft.Deductions[0].Date != "2024-05-01" {
		t.Fatalf("state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
	s = at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	if s, _ = play(t, s, "txt:199"); s.State != StateDeductionDate {
		t.Fatalf("an amount alone: state %s", s.State)
	}
	// a date without its year takes the most recent one, and says so
	s = at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, rs = play(t, s, "txt:5月1日 199")
	if s.State != StateMethod || s.Pend.Date != "2026-05-01" || rs[0].Key != "deduction_typed" || rs[0].Args["YearAssumed"] != true {
		t.Fatalf("state %s, pend %+v, replies %+v", s.State, s.Pend, rs)
	}
	s = at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	if s, _ = play(t, s, "txt:199元 2099-01-01"); s.State != StateAmount || s.Pend.Amount != 0 {
		t.Fatalf("a future date: state %s, pend %+v", s.State, s.Pend)
	}
}

// TestOfferAnsweredByTyping: "是" typed adds what was read, as "add all" does; "不是" refuses
// it, as "no" does; other text still drops the offer and goes to the question.
func TestOfferAnsweredByTyping(t *testing.T) {
	start := func() Session {
		s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
		s, _ = play(t, s, "txt:"+seedSMS)
		if s.Offer == nil {
			t.Fatal("no offer")
		}
		return s
	}
	s, _ := play(t, start(), "txt:是的")
	if s.Offer != nil || len(s.Draft.Deductions) != 1 || s.Draft.Provider.Key != "lakala" {
		t.Fatalf("after 是的: offer %v, draft %+v", s.Offer, s.Draft)
	}
	s, rs := play(t, start(), "txt:不是")
	if s.Offer != nil || len(s.Draft.Deductions) != 0 || s.State != StateProvider || !slices.Contains(replyKeys(rs), "paste_dropped") {
		t.Fatalf("after 不是: offer %v, state %s, replies %v", s.Offer, s.State, replyKeys(rs))
	}
	s, _ = play(t, start(), "txt:盛付通")
	if s.Offer != nil || len(s.Draft.Deductions) != 0 || s.Draft.Provider.Key != "shengpay" {
		t.Fatalf("after a provider's name: offer %v, draft %+v", s.Offer, s.Draft)
	}
}

// TestAmountWithDateAtFreeText: an amount with its date typed at a question that takes any
// text (the provider's address, a ticket) is a deduction sent early, not the answer: it is
// offered, in English and with a date without its year too; "no" keeps it as the answer.
func TestAmountWithDateAtFreeText(t *testing.T) {
	for _, text := range []string{"199 yuan on 1 May 2024", "5月1日 199元"} {
		s := at(StateProviderAddr, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee, Provider: Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}}))
		s, rs := play(t, s, "txt:"+text)
		if s.Offer == nil || len(s.Offer.Deductions) != 1 || s.Offer.Deductions[0].Amount != 19900 || s.Draft.Provider.Address != "" {
			t.Fatalf("%q: offer %+v, address %q, replies %v", text, s.Offer, s.Draft.Provider.Address, replyKeys(rs))
		}
		// taken, the address is asked again; past it, only the deduction's method is asked
		taken, _ := play(t, s, "btn:p=all")
		if taken.State != StateProviderAddr || taken.Offer != nil || len(taken.Draft.Evidence) != 0 {
			t.Fatalf("%q taken: state %s", text, taken.State)
		}
		taken, _ = play(t, taken, "btn:skip")
		if taken.State != StateMethod || taken.Pend.Amount != 19900 || taken.Pend.Date == "" {
			t.Fatalf("%q taken, address skipped: state %s, pend %+v", text, taken.State, taken.Pend)
		}
		refused, _ := play(t, s, "btn:p=no")
		if refused.Draft.Provider.Address != text || refused.State != StateAmount {
			t.Fatalf("%q refused: state %s, address %q", text, refused.State, refused.Draft.Provider.Address)
		}
	}
}

// TestParseContactCity: the city in a contact line is the city question's answer would be: a
// Latin name becomes the city's Chinese name; a word that names no city stays in the address.
func TestParseContactCity(t *testing.T) {
	for in, want := range map[string]Contact{
		"Li Si 13912345678 Guangzhou Tianhe Road 1": {Name: "Li Si", Phone: "13912345678", City: "广州市", Address: "Tianhe Road 1"},
		"Li Si 13912345678 Tianhe Road 1":           {Name: "Li Si", Phone: "13912345678", Address: "Tianhe Road 1"},
		"张三 13800138000 深圳 南山区科技园路1号":               {Name: "张三", Phone: "13800138000", City: "深圳市", Address: "南山区科技园路1号"},
	} {
		got, err := parseContact(in)
		if err != nil || got != want {
			t.Errorf("parseContact(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

// TestTextUnderAnOffer: text typed while an offer waits is not the answer to a free-text
// question beneath it (the offer is what was asked): the offer stays, or what the text holds is
// offered instead. A plain answer to a question that reads its answer (199 at the amount) is
// still taken, dropping the offer.
func TestTextUnderAnOffer(t *testing.T) {
	addr := at(StateProviderAddr, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee, Provider: Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}}))
	s, _ := play(t, addr, "txt:199 yuan on 1 May 2024")
	if s.Offer == nil {
		t.Fatal("no offer")
	}
	kept, rs := play(t, s, "txt:结算款")
	if kept.Offer == nil || kept.Draft.Provider.Address != "" || kept.State != StateProviderAddr || replyKeys(rs)[0] != "use_buttons" {
		t.Fatalf("结算款 under the offer: offer %v, address %q, replies %v", kept.Offer, kept.Draft.Provider.Address, replyKeys(rs))
	}
	other, _ := play(t, s, "txt:"+seedSMS)
	if other.Offer == nil || other.Offer.Text != seedSMS || other.Draft.Provider.Address != "" {
		t.Fatalf("an SMS under the offer: offer %+v", other.Offer)
	}
	amount := at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s, _ = play(t, amount, "txt:"+twoSMS)
	if s.Offer == nil {
		t.Fatal("no offer at the amount")
	}
	s, _ = play(t, s, "txt:199")
	if s.Offer != nil || s.Pend.Amount != 19900 || s.State != StateDeductionDate {
		t.Fatalf("199 under the offer at the amount: offer %v, pend %+v, state %s", s.Offer, s.Pend, s.State)
	}
}

// TestShortTextIsNoRecord: what the user typed as an answer and taken from an offer (a
// provider's name, an SN) is not kept as evidence, and the reply does not speak of "0
// deductions"; a copied ledger row is kept.
func TestShortTextIsNoRecord(t *testing.T) {
	cases := []struct {
		text     string
		evidence int
	}{
		{"拉卡拉", 0},
		{"SN:WP2103456789", 0},
		{"拉卡拉 WP2103456789", 0},
		{"【拉卡拉】您的终端 SN:WP2103456789 已完成注销。", 1},
	}
	for _, c := range cases {
		s := at(StateNegotiated, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
		s, rs := play(t, s, "txt:"+c.text)
		if s.Offer == nil {
			t.Fatalf("%q: no offer (replies %v)", c.text, replyKeys(rs))
		}
		s, rs = play(t, s, "btn:p=all")
		if len(s.Draft.Evidence) != c.evidence {
			t.Errorf("%q: evidence %+v, want %d item(s)", c.text, s.Draft.Evidence, c.evidence)
		}
		i := slices.IndexFunc(rs, func(r Reply) bool { return r.Key == "paste_taken" })
		if i < 0 || rs[i].Args["Count"] != 0 || rs[i].Args["Text"] != (c.evidence == 1) {
			t.Errorf("%q: replies %+v", c.text, rs)
		}
	}
}

// TestStepLeavesItsInput: Step changes its own copy of the session, never the caller's: a
// reading marks the item read, a date given to the evidence, an offer's choices, a question
// passed by.
func TestStepLeavesItsInput(t *testing.T) {
	withFile, _ := play(t, at(StateEvidence, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee})), "file")
	offered, _ := play(t, at(StateAmount, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}})), "txt:"+twoSMS)
	each, _ := play(t, offered, "btn:p=each")
	cases := []struct {
		name string
		s    Session
		in   Input
	}{
		{"a reading", withFile, Input{Kind: InputReading, Text: seedSMS, Data: "u-new", Now: testNow()}},
		{"the evidence's date", withFile, input(withFile, "txt:2024年5月1日")},
		{"one deduction of an offer kept", each, input(each, "btn:p=add")},
		{"an offer taken", offered, input(offered, "btn:p=all")},
	}
	for _, c := range cases {
		before, err := json.Marshal(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Step(context.Background(), c.s, c.in); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		after, _ := json.Marshal(c.s)
		if string(before) != string(after) {
			t.Errorf("%s changed the caller's session:\n%s\n%s", c.name, before, after)
		}
	}
}

// TestLedgerRowsSentApart: a ledger's rows sent one message each, as a phone sends them, join
// one offer: taking it adds every row, not only the last, and keeps all of them as one record.
func TestLedgerRowsSentApart(t *testing.T) {
	rows := []string{
		"2023-03-15 调账 流量卡服务费 -99.00 结算账户",
		"2024-03-15 调账 流量卡服务费 -99.00 结算账户",
		"2025-03-15 调账 流量卡服务费 -99.00 结算账户",
	}
	s := at(StateProvider, fresh(Complaint{Complainant: Individual, Charge: SIMFee}))
	for i, r := range rows {
		var rs []Reply
		s, rs = play(t, s, "txt:"+r)
		if s.Offer == nil || len(s.Offer.Deductions) != i+1 || !slices.Contains(replyKeys(rs), "paste_offer") {
			t.Fatalf("row %d: offer %+v, replies %v", i+1, s.Offer, replyKeys(rs))
		}
	}
	// the same row sent twice is not a fourth deduction
	s, _ = play(t, s, "txt:"+rows[1])
	if s.Offer == nil || len(s.Offer.Deductions) != 3 {
		t.Fatalf("a row sent again: offer %+v", s.Offer)
	}
	s, _ = play(t, s, "btn:p=all")
	if len(s.Draft.Deductions) != 3 || s.Draft.Total() != 29700 {
		t.Fatalf("deductions %+v", s.Draft.Deductions)
	}
	if len(s.Draft.Evidence) != 1 || s.Draft.Evidence[0].Caption != strings.Join(rows, "\n") {
		t.Fatalf("evidence %+v", s.Draft.Evidence)
	}
	if s.Draft.LearnedOn != "" {
		t.Fatalf("learned %q, want it asked: the first row is over three years old", s.Draft.LearnedOn)
	}
}

// TestOldLedgerLearnedAsked: rows more than three years old do not make the offer say the
// user learned of the harm on the first row's day (the complaint would read as too late):
// the question is asked instead. A recent row still answers it.
func TestOldLedgerLearnedAsked(t *testing.T) {
	old := "2021-03-15 调账 流量卡服务费 -99.00 结算账户"
	s := at(StateProvider, fresh(Complaint{Complainant: Individual, Charge: SIMFee}))
	s, rs := play(t, s, "txt:"+old)
	if s.Offer == nil || s.Offer.Learned || slices.Contains(replyKeys(rs), "paste_learned") {
		t.Fatalf("offer %+v, replies %v", s.Offer, replyKeys(rs))
	}
	s, _ = play(t, s, "btn:p=all")
	if s.Draft.LearnedOn != "" || slices.Contains(s.Filled, StateLearned) {
		t.Fatalf("learned %q, filled %v", s.Draft.LearnedOn, s.Filled)
	}
	recent := at(StateProvider, fresh(Complaint{Complainant: Individual, Charge: SIMFee}))
	recent, _ = play(t, recent, "txt:2025-03-15 调账 流量卡服务费 -99.00 结算账户", "btn:p=all")
	if recent.Draft.LearnedOn != "2025-03-15" {
		t.Fatalf("recent row: learned %q", recent.Draft.LearnedOn)
	}
}

// TestAmountWithDateWhileEditing: a deduction added from the review, typed with its date
// ("1180元 2026年9月1日"), is not asked its date again: the reply said it was noted.
func TestAmountWithDateWhileEditing(t *testing.T) {
	s := at(StateReview, nil)
	s, _ = play(t, s, "btn:edit=deductions")
	if s.State != StateMoreDeductions {
		t.Fatalf("edit: state %s", s.State)
	}
	s, _ = play(t, s, "btn:more")
	s, rs := play(t, s, "txt:1180元 2026年9月1日")
	if s.State != StateMethod || s.Pend.Date != "2026-09-01" {
		t.Fatalf("state %s, pend %+v, replies %v", s.State, s.Pend, replyKeys(rs))
	}
	n := len(s.Draft.Deductions)
	s, _ = play(t, s, "btn:settlement", "btn:skip")
	if len(s.Draft.Deductions) != n+1 || s.Draft.Deductions[n].Amount != 118000 {
		t.Fatalf("state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
	if s.State != StateMoreDeductions {
		t.Fatalf("state %s, want the list", s.State)
	}
}

// TestOfferShownAgain: /lang, /help and "no, carry on" under an offer show the offer again
// (what the next message answers), not the question beneath it; /back drops it.
func TestOfferShownAgain(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "txt:"+seedSMS)
	if s.Offer == nil {
		t.Fatal("no offer")
	}
	for _, in := range [][]string{{"cmd:lang en"}, {"cmd:help"}, {"cmd:delete", "txt:不，继续"}} {
		got, rs := play(t, s, in...)
		if got.Offer == nil || !slices.Contains(replyKeys(rs), "paste_offer") {
			t.Errorf("%v: offer %v, replies %v", in, got.Offer != nil, replyKeys(rs))
		}
	}
	back, _ := play(t, s, "cmd:back")
	if back.Offer != nil {
		t.Errorf("/back: the offer stayed, at %s", back.State)
	}
}

// TestScreenshotAndTextJoin: a screenshot's reading and a text pasted while its offer is shown
// (or the other way round) join one offer; taking it adds both deductions and keeps the text.
func TestScreenshotAndTextJoin(t *testing.T) {
	shot := "2024年06月01日流量卡年费99.00元已从结算款中扣除"
	row := "2025-06-01 调账 流量卡服务费 -99.00 结算账户"
	for _, photoFirst := range []bool{true, false} {
		s := at(StateEvidence, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
		s, _ = play(t, s, "file")
		reading := func(s Session) Session {
			res, err := Step(context.Background(), s, Input{Kind: InputReading, Text: shot, Data: "u-new", Now: testNow()})
			if err != nil {
				t.Fatal(err)
			}
			return res.Session
		}
		if photoFirst {
			s = reading(s)
			s, _ = play(t, s, "txt:"+row)
		} else {
			s, _ = play(t, s, "txt:"+row)
			s = reading(s)
		}
		if s.Offer == nil || len(s.Offer.Deductions) != 2 {
			t.Fatalf("photo first %v: offer %+v", photoFirst, s.Offer)
		}
		s, _ = play(t, s, "btn:p=all")
		if len(s.Draft.Deductions) != 2 {
			t.Errorf("photo first %v: deductions %+v", photoFirst, s.Draft.Deductions)
		}
		if !slices.ContainsFunc(s.Draft.Evidence, func(e Evidence) bool { return e.Kind == EvidenceText && e.Caption == row }) {
			t.Errorf("photo first %v: the text is not kept: %+v", photoFirst, s.Draft.Evidence)
		}
	}
}

// TestOneByOneTyped: confirming one by one, "是" or "要" adds the deduction shown and "不要"
// or "没有" skips it, as the buttons do; before, "不要" was told to use the buttons.
func TestOneByOneTyped(t *testing.T) {
	s := at(StateAmount, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s, _ = play(t, s, "txt:"+twoSMS, "btn:p=each")
	if s.Offer == nil || !s.Offer.Each {
		t.Fatalf("not one by one: %+v", s.Offer)
	}
	s, _ = play(t, s, "txt:要")
	if s.Offer == nil || s.Offer.At != 1 || !s.Offer.Keep[0] {
		t.Fatalf("要: offer %+v", s.Offer)
	}
	s, rs := play(t, s, "txt:不要")
	if s.Offer != nil || len(s.Draft.Deductions) != 1 || s.Draft.Deductions[0].Amount != 9900 {
		t.Fatalf("不要: offer %+v, deductions %+v, replies %v", s.Offer, s.Draft.Deductions, replyKeys(rs))
	}
}

// TestDepositLearnedAsked: a deposit's payment read from a text does not set the day the user
// learned of the harm: they paid it knowingly, and the complaint's "得知上述款项未按承诺返还"
// is a later day, which is asked.
func TestDepositLearnedAsked(t *testing.T) {
	s := at(StateReturnTerms, fresh(Complaint{Complainant: Consumer, Charge: ServiceFee}))
	s, _ = play(t, s, "txt:交易日期 2026/06/10 交易类型 押金扣收 金额 ¥299.00 终端号 SN 1234 5678 90")
	if s.Offer == nil || s.Offer.Learned {
		t.Fatalf("offer %+v", s.Offer)
	}
	s, _ = play(t, s, "btn:p=all")
	if s.Draft.LearnedOn != "" || slices.Contains(s.Filled, StateLearned) {
		t.Fatalf("learned %q, filled %v", s.Draft.LearnedOn, s.Filled)
	}
}

// TestOfferRateAsStored: the rate change an offer shows is the one taking it stores; a new
// rate with a fixed part per transaction (0.72%+3元/笔) is offered as the rate the complaint
// holds (0.72%), not shown whole and then left out.
func TestOfferRateAsStored(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Individual, Charge: RateIncrease}))
	s, rs := play(t, s, "txt:【随行付】尊敬的商户，自2025-10-01起您的刷卡费率将由0.6%上调至0.72%+3元/笔。")
	if s.Offer == nil {
		t.Fatalf("no offer (replies %v)", replyKeys(rs))
	}
	shownOld, shownNew := s.Offer.OldRate, s.Offer.NewRate
	s, _ = play(t, s, "btn:p=all")
	f := s.Draft.Facts
	if f.NewRate != shownNew || f.OldRate != shownOld || f.NewRate == "" || f.RateFrom != "2025-10-01" {
		t.Fatalf("shown %q → %q, stored %q → %q from %q", shownOld, shownNew, f.OldRate, f.NewRate, f.RateFrom)
	}
}

// TestOfferLearnedAsShown: the day the offer says the user learned of the harm (the first
// deduction's) is the day stored, also when that deduction lacks its way of taking and is
// asked for after; when the user leaves that deduction out one by one, the day is asked.
func TestOfferLearnedAsShown(t *testing.T) {
	text := "2025年06月01日 扣收服务费 50.00元\n【拉卡拉】2025年07月01日流量卡年费99.00元已从结算款中扣除。"
	s := at(StateAmount, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s, rs := play(t, s, "txt:"+text)
	if s.Offer == nil || !s.Offer.Learned {
		t.Fatalf("offer %+v, replies %v", s.Offer, replyKeys(rs))
	}
	all, _ := play(t, s, "btn:p=all")
	if all.Draft.LearnedOn != "2025-06-01" {
		t.Fatalf("all taken: learned %q, want the day shown, 2025-06-01", all.Draft.LearnedOn)
	}
	each, _ := play(t, s, "btn:p=each", "btn:p=skip", "btn:p=add")
	if each.Draft.LearnedOn != "" || slices.Contains(each.Filled, StateLearned) {
		t.Fatalf("first left out: learned %q, filled %v; want it asked", each.Draft.LearnedOn, each.Filled)
	}
}

// TestPlannedAmountsShown: a charge a text announces for later is not added as a deduction, and
// the offer says so rather than leaving the sum out without a word.
func TestPlannedAmountsShown(t *testing.T) {
	s := at(StateProvider, fresh(Complaint{Complainant: Individual, Charge: SIMFee}))
	s, rs := play(t, s, "txt:【随行付】尊敬的商户，您的机具流量服务费36元将于2026-12-25从结算款中扣取，请知悉。")
	if len(rs) != 1 || rs[0].Key != "paste_offer" || s.Offer == nil || len(s.Offer.Deductions) != 0 {
		t.Fatalf("replies %v, offer %+v", replyKeys(rs), s.Offer)
	}
	found := false
	for _, l := range rs[0].Args["List"].(Lines) {
		if l.Key == "paste_planned" && strings.Contains(l.Args["Amounts"].(string), "36.00") {
			found = true
		}
	}
	if !found {
		t.Fatalf("the announced charge is not shown: %+v", rs[0].Args["List"])
	}
}

// TestLongLedgerPasted: a ledger of 30 rows copied from a provider's app (over a thousand
// characters, as Telegram takes up to 4,096) pasted at the amount question is read as a shorter
// one is: its deductions are offered (as many as a complaint holds), the text is kept as
// evidence as long as evidence text may be; it is not answered "type only the amount".
func TestLongLedgerPasted(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "2024-%02d-%02d 09:12:33 调账 流量卡服务费 -%d.00 结算账户\n", i%12+1, i%28+1, 100+i)
	}
	ledger := b.String()
	if n := len([]rune(ledger)); n <= maxEvidenceText {
		t.Fatalf("the ledger has %d characters, want more than %d", n, maxEvidenceText)
	}
	s := at(StateAmount, fresh(Complaint{Complainant: Consumer, Charge: SIMFee}))
	s, rs := play(t, s, "txt:"+ledger)
	if s.Offer == nil || !slices.Contains(replyKeys(rs), "paste_offer") {
		t.Fatalf("no offer: state %s, replies %v", s.State, replyKeys(rs))
	}
	s, rs = play(t, s, "btn:p=all")
	if len(s.Draft.Deductions) != maxDeductions {
		t.Errorf("%d deductions taken, want %d (replies %v)", len(s.Draft.Deductions), maxDeductions, replyKeys(rs))
	}
	if len(s.Draft.Evidence) != 1 || len([]rune(s.Draft.Evidence[0].Caption)) > maxEvidenceText ||
		!strings.HasPrefix(ledger, strings.TrimSuffix(s.Draft.Evidence[0].Caption, "…")[:100]) {
		t.Errorf("evidence = %+v", s.Draft.Evidence)
	}
}

// TestPasteInTheLoop: a ledger row pasted at the third deduction's amount, after two typed,
// is added and "any other deduction?" is asked, with the list, instead of passing on to the
// next section while the user is still listing them.
func TestPasteInTheLoop(t *testing.T) {
	s := at(StateAmount, fresh(Complaint{Complainant: Individual, Charge: SIMFee, Provider: Provider{Key: "lakala", Name: "拉卡拉"}}))
	s.Draft.Deductions = []Deduction{{Date: "2022-03-10", Amount: 9900, Method: FromSettlement}, {Date: "2023-03-10", Amount: 9900, Method: FromSettlement}}
	s, rs := play(t, s, "txt:2024-03-11 09:12:33 调账 流量卡服务费 -99.00 结算账户")
	if s.Offer == nil {
		t.Fatalf("no offer: replies %v", replyKeys(rs))
	}
	s, _ = play(t, s, "btn:p=all")
	if s.State != StateMoreDeductions || len(s.Draft.Deductions) != 3 {
		t.Fatalf("state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
}

// TestStoryAtAnEarlyQuestion: the user's own account sent at an early question ("我是开小超市的，
// 用的拉卡拉的机子…") is offered for what it names, and once taken is their statement (陈述),
// whose question then passes by, not an evidence item; an SMS stays evidence.
func TestStoryAtAnEarlyQuestion(t *testing.T) {
	story := "我是开小超市的，用的拉卡拉的机子，每年扣99，扣了三年，从来没人通知过我"
	s := at(StateMerchantName, fresh(Complaint{Complainant: Individual}))
	s, rs := play(t, s, "txt:"+story)
	if s.Offer == nil {
		t.Fatalf("no offer: replies %v", replyKeys(rs))
	}
	s, _ = play(t, s, "btn:p=all")
	if s.Draft.Description != story || len(s.Draft.Evidence) != 0 || !slices.Contains(s.Filled, StateDescription) || s.Draft.Provider.Key != "lakala" {
		t.Fatalf("description %q, evidence %+v, filled %v, provider %+v", s.Draft.Description, s.Draft.Evidence, s.Filled, s.Draft.Provider)
	}
	s = at(StateMerchantName, fresh(Complaint{Complainant: Individual}))
	s, _ = play(t, s, "txt:【拉卡拉】尊敬的商户，您的机具流量卡年费99元已从结算款中扣除。", "btn:p=all")
	if s.Draft.Description != "" || len(s.Draft.Evidence) != 1 {
		t.Fatalf("an SMS: description %q, evidence %+v", s.Draft.Description, s.Draft.Evidence)
	}
}

// TestStoryRecurringOffer: a story that says a sum was taken every year for three years, with
// the provider, offers three deductions of that sum, each then asked for its date; with
// deductions entered already it offers none of them again.
func TestStoryRecurringOffer(t *testing.T) {
	story := "我是做餐饮的个体户，2021年在业务员那办的拉卡拉，说好不收费，结果2022年3月开始每年从结算款扣99流量费，扣了三年，今年8月对账才发现"
	s := at(StateMerchantName, fresh(Complaint{Complainant: Individual}))
	s, rs := play(t, s, "txt:"+story)
	if s.Offer == nil || len(s.Offer.Deductions) != 3 || s.Offer.Deductions[2].Amount != 9900 {
		t.Fatalf("offer %+v, replies %v", s.Offer, replyKeys(rs))
	}
	s, _ = play(t, s, "btn:p=all")
	if len(s.Queue) != 3 || s.Draft.Provider.Key != "lakala" {
		t.Fatalf("queue %+v, provider %+v", s.Queue, s.Draft.Provider)
	}
	s = at(StateDescription, fresh(Complaint{Complainant: Individual, Deductions: []Deduction{{Date: "2022-03-10", Amount: 9900, Method: FromSettlement}}}))
	s, _ = play(t, s, "txt:"+story)
	if s.Offer != nil && len(s.Offer.Deductions) > 0 {
		t.Fatalf("deductions offered again: %+v", s.Offer.Deductions)
	}
}
