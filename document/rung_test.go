package document_test

import (
	"strings"
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/law"
)

// rungCase is one letter of a later rung: a complaint, its case file at the moment the letter
// is asked for, and the rung.
type rungCase struct {
	name string
	c    flows.Complaint
	h    followup.Case
	rung followup.Rung
}

// rungCases walk the consumer of consumer-lakala up every rung to court (the provider silent,
// 12315 refusing, the 举报 unanswered), and the company of company-sim to the PBOC branch after
// the provider refunded part.
func rungCases(t *testing.T) []rungCase {
	// must stops the test on a case-file change that should have been accepted.
	must := func(c followup.Case, err error) followup.Case {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	k := consumerLakala()
	h, err := followup.New(k, "2024-05-20")
	if err != nil {
		t.Fatal(err)
	}
	var out []rungCase
	h = must(h.File(followup.Filing{Rung: followup.Provider, Body: k.Provider.Name, Filed: "2024-05-21"}, "2024-05-21"))
	h = must(h.Answer(0, followup.Outcome{Result: followup.NoAnswer}, "2024-05-29"))
	out = append(out, rungCase{"rung-consumer-association", k, h, followup.ConsumerAssociation})
	out = append(out, rungCase{"rung-market-regulator", k, h, followup.MarketRegulator})
	h = must(h.File(followup.Filing{Rung: followup.MarketRegulator, Body: "深圳市市场监督管理局", Filed: "2024-09-27"}, "2024-09-27"))
	h = must(h.SetRef(1, "12315-2024-0927-0001"))
	h = must(h.Answer(1, followup.Outcome{Result: followup.NoAnswer}, "2024-10-15"))
	out = append(out, rungCase{"rung-report", k, h, followup.Report})
	h = must(h.File(followup.Filing{Rung: followup.Report, Body: "深圳市市场监督管理局", Filed: "2024-10-16"}, "2024-10-16"))
	h = must(h.Answer(2, followup.Outcome{Result: followup.Refused, Reason: "认为属于合同纠纷，建议通过诉讼解决"}, "2024-11-05"))
	out = append(out, rungCase{"rung-court", k, h, followup.Court})

	co := companySIM()
	hc, err := followup.New(co, "2024-06-01")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, rungCase{"rung-provider", co, hc, followup.Provider})
	hc = must(hc.File(followup.Filing{Rung: followup.Provider, Body: co.Provider.Name, Filed: "2024-06-02"}, "2024-06-02"))
	hc = must(hc.Answer(0, followup.Outcome{Result: followup.RefundedPart, Amount: hc.Claim / 2}, "2024-06-10"))
	out = append(out, rungCase{"rung-pboc", co, hc, followup.PBOC})
	return out
}

// TestRungGolden renders each rung's letter as text and .docx against golden files, and checks
// that every statute they quote is quoted exactly (law.CheckQuotes).
func TestRungGolden(t *testing.T) {
	r := renderer(t)
	for _, tc := range rungCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			text, err := r.RungText(tc.c, tc.h, tc.rung)
			if err != nil {
				t.Fatal(err)
			}
			if err := law.CheckQuotes(text); err != nil {
				t.Errorf("quotes: %v", err)
			}
			golden(t, tc.name+".zh.txt", text+"\n")
			b, err := r.RungDOCX(tc.c, tc.h, tc.rung)
			if err != nil {
				t.Fatal(err)
			}
			x := documentXML(t, b)
			if err := law.CheckQuotesWordML([]byte(x)); err != nil {
				t.Errorf("quotes in the .docx: %v", err)
			}
			golden(t, tc.name+".zh.document.xml", readableXML(x))
		})
	}
}

// TestRungLetterHistory: each letter after the first tells the history — the filing date, the
// 受理编号, the answer or the silence, dated as the facts are (2024年5月21日) — and claims only
// what is still owed.
func TestRungLetterHistory(t *testing.T) {
	r := renderer(t)
	want := map[string][]string{
		"rung-consumer-association": {"2024年5月21日", "向被投诉人提出协商", "未收到任何处理结果", "此致", "北京市消费者协会"},
		"rung-court": {"民事起诉状", "原告", "被告", "诉讼请求", "判令被告向原告返还人民币199.00元", "12315-2024-0927-0001",
			"答复期限已于2024年10月12日届满", "认为属于合同纠纷", followup.Venue, "第一百八十八条", "附：证据清单"},
		"rung-pboc": {"12363", "退还人民币", "扣除被投诉人已退还的人民币", "中国人民银行"},
		// the 举报信 sent after 12315's silence states that filing, its 受理编号 and the silence
		// (DOMAIN.md §7), and still asks no refund
		"rung-report": {"此前投诉经过", "2024年9月27日，举报人向深圳市市场监督管理局提出投诉（受理编号：12315-2024-0927-0001）",
			"截至2024年10月15日，举报人未收到任何处理结果", "不包含退款请求"},
		// DOMAIN.md §2, §3: a real institution's name, the regulator where the respondent is
		// registered, though the first complaint went to the consumer association
		"rung-market-regulator": {"此致\n北京市市场监督管理局"},
	}
	for _, tc := range rungCases(t) {
		text, err := r.RungText(tc.c, tc.h, tc.rung)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want[tc.name] {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", tc.name, w)
			}
		}
	}
	// a rung that does not fit: a merchant to 12315
	co := companySIM()
	h, _ := followup.New(co, "2024-06-01")
	if _, err := r.RungText(co, h, followup.MarketRegulator); err == nil {
		t.Error("a company's letter to 12315 was rendered")
	}
}

// TestRungLetterDate: a later rung's letter, the 举报信 included, is signed on the day of the
// last event it states (here the day the user said no answer came), not on the first
// complaint's day, before those events. (The court outline leaves its date blank.)
func TestRungLetterDate(t *testing.T) {
	r := renderer(t)
	for _, tc := range rungCases(t) {
		if tc.name != "rung-report" && tc.name != "rung-market-regulator" {
			continue
		}
		text, err := r.RungText(tc.c, tc.h, tc.rung)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"rung-report": "2024年10月15日", "rung-market-regulator": "2024年5月29日"}[tc.name]
		sig := text[strings.LastIndex(text, "（签字）"):]
		if !strings.Contains(sig, want) {
			t.Errorf("%s: signed %q, want %s", tc.name, strings.SplitN(sig, "\n", 3)[:2], want)
		}
	}
}

// TestRungLetterEarlySilence: a silence the user reported before 12315's due date (an answer
// may be given early, from /status) does not make the next letter say the period ran out.
func TestRungLetterEarlySilence(t *testing.T) {
	r := renderer(t)
	k := consumerLakala()
	h, err := followup.New(k, "2024-05-20")
	if err != nil {
		t.Fatal(err)
	}
	if h, err = h.File(followup.Filing{Rung: followup.MarketRegulator, Body: "深圳市市场监督管理局", Filed: "2024-09-27"}, "2024-09-27"); err != nil {
		t.Fatal(err)
	}
	if h, err = h.Answer(0, followup.Outcome{Result: followup.NoAnswer}, "2024-10-09"); err != nil {
		t.Fatal(err)
	}
	text, err := r.RungText(k, h, followup.Court)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "届满") || !strings.Contains(text, "截至2024年10月9日") || !strings.Contains(text, "法定答复期限为2024年10月12日") {
		i := strings.Index(text, "截至")
		t.Errorf("early silence told as: %q", text[max(i, 0):min(max(i, 0)+300, len(text))])
	}
}

// TestRungLetterNegotiatedSince: a complaint made before any negotiation (its 投诉书 says
// 「尚未与被投诉人协商」) whose case file then records a filing with the provider: the next
// letters tell that filing and no longer say no negotiation took place.
func TestRungLetterNegotiatedSince(t *testing.T) {
	r := renderer(t)
	k := consumerLakala()
	k.Negotiation = flows.Negotiation{}
	first, err := r.LetterText(document.Complaint, k, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "尚未与被投诉人协商") {
		t.Fatalf("the 投诉书 does not say it was not negotiated: the test needs another fixture")
	}
	h, err := followup.New(k, "2024-05-20")
	if err != nil {
		t.Fatal(err)
	}
	if h, err = h.File(followup.Filing{Rung: followup.Provider, Body: k.Provider.Name, Filed: "2024-05-21", Ref: "LKL123456"}, "2024-05-21"); err != nil {
		t.Fatal(err)
	}
	if h, err = h.Answer(0, followup.Outcome{Result: followup.Refused, Reason: "合同有约定"}, "2024-05-29"); err != nil {
		t.Fatal(err)
	}
	for _, rung := range []followup.Rung{followup.ConsumerAssociation, followup.Report, followup.Court} {
		text, err := r.RungText(k, h, rung)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "尚未与") || !strings.Contains(text, "提出协商（受理编号：LKL123456）") {
			t.Errorf("%s letter: negotiation told as %q", rung, text[strings.Index(text, "事实"):min(strings.Index(text, "事实")+1500, len(text))])
		}
	}
}

// TestRungLetterPromise: a refund the provider promised and never paid is a fact of the next
// letter; one that came in full is not told as unkept.
func TestRungLetterPromise(t *testing.T) {
	r := renderer(t)
	k := consumerLakala()
	h, err := followup.New(k, "2024-05-20")
	if err != nil {
		t.Fatal(err)
	}
	if h, err = h.File(followup.Filing{Rung: followup.Provider, Body: k.Provider.Name, Filed: "2024-05-21"}, "2024-05-21"); err != nil {
		t.Fatal(err)
	}
	if h, err = h.Promise(0, "2024-05-28"); err != nil {
		t.Fatal(err)
	}
	if h, err = h.Answer(0, followup.Outcome{Result: followup.NoAnswer}, "2024-06-04"); err != nil {
		t.Fatal(err)
	}
	text, err := r.RungText(k, h, followup.MarketRegulator)
	if err != nil {
		t.Fatal(err)
	}
	if want := "被投诉人曾答应退款（投诉人于2024年5月28日告知），但未兑现。截至2024年6月4日，投诉人未收到任何处理结果。"; !strings.Contains(text, want) {
		t.Errorf("the letter lacks %q:\n%s", want, text[strings.Index(text, "投诉经过"):])
	}
}
