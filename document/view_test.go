package document

import (
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestIsForeign checks which of the user's words the Chinese document keeps under the marked
// heading instead of in its own sentences.
func TestIsForeign(t *testing.T) {
	for _, tc := range []struct {
		s    string
		lang flows.Lang
		want bool
	}{
		{"I asked to cancel the terminal.", flows.LangZH, true},
		{"业务员说POS机免费", flows.LangZH, false},         // Chinese with a Latin word
		{"SN 12345678", flows.LangZH, false},        // too few letters to be a statement
		{"199元 refund", flows.LangZH, false},        // Chinese characters: not marked
		{"I asked to cancel.", flows.LangEN, false}, // the English rendering keeps everything
		{"", flows.LangZH, false},
	} {
		if got := isForeign(tc.s, tc.lang); got != tc.want {
			t.Errorf("isForeign(%q, %s) = %v, want %v", tc.s, tc.lang, got, tc.want)
		}
	}
}

// TestReported checks that the user's account of a reply loses the verb the reporting sentence
// already has.
func TestReported(t *testing.T) {
	for in, want := range map[string]string{
		"说费用是系统自动扣的":  "费用是系统自动扣的",
		"客服说：不能退":     "不能退",
		"称合同有约定":      "合同有约定",
		"客服称注销费是合同约定": "注销费是合同约定",
		"对方表示不予退还":    "不予退还",
		"费用不退":        "费用不退",
		"说":           "说",         // nothing left to report: kept
		"说明书里写了要收费":   "说明书里写了要收费", // 说明 is not "said"
	} {
		if got := reported(in); got != want {
			t.Errorf("reported(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEndSentence: the user's words end with the document's full stop, whatever script they
// end in, or with 。 when they end in Chinese; their own closing stop is not doubled.
func TestEndSentence(t *testing.T) {
	for _, c := range []struct{ in, stop, want string }{
		{"业务员王某", "。", "业务员王某。"},
		{"业务员王某。", "。", "业务员王某。"},
		{"承诺“免费注销、没有任何费用”", "。", "承诺“免费注销、没有任何费用”。"},
		{"业务员王某（微信 wang88）", "。", "业务员王某（微信 wang88）。"},
		{"agent Wang.", ".", "agent Wang."},
		{"业务员王某", ".", "业务员王某。"},
		{"承诺“免费”", ".", "承诺“免费”。"},
		{"agent Wang said \"free\"", ".", "agent Wang said \"free\"."},
	} {
		if got := endSentence(c.in, c.stop); got != c.want {
			t.Errorf("endSentence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFactsInDateOrder checks that the 事实与理由 tells the facts in date order whatever order
// the conversation asked them in, an undated fact staying after the one before it.
func TestFactsInDateOrder(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	c := flows.Complaint{
		Complainant: flows.Individual, Charge: flows.DeregistrationFee,
		Provider:     flows.Provider{Name: "某支付公司"},
		ContractDate: "2022-03",
		Deductions:   []flows.Deduction{{Date: "2024-05-02", Amount: 19900, Method: flows.FromSettlement}},
		Disclosure:   flows.NotTold,
		LearnedOn:    "2024-05-03",
		Facts:        flows.Facts{DeregOn: "2024-06-01", DeregChannel: flows.ChannelHotline},
		Negotiation:  flows.Negotiation{Tried: true, Date: "2024-04-30", Channel: flows.ChannelHotline},
		Contact:      flows.Contact{Name: "王五", Phone: "13700001111"},
	}
	text, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for _, fact := range []string{
		"投诉人于2022年3月", // contract
		"从未告知",        // disclosure, undated: after the contract
		"于2024年4月30日通过客服热线与被投诉人协商",
		"被投诉人从投诉人处扣取的费用如下",
		"投诉人于2024年5月3日得知",
		"投诉人于2024年6月1日通过客服热线向被投诉人申请注销终端",
	} {
		i := strings.Index(text, fact)
		if i <= last {
			t.Errorf("%q is missing or out of date order:\n%s", fact, text)
		}
		last = i
	}
	if strings.Contains(text, "2022年3月1日") {
		t.Error("a date known to the month is written with a day")
	}
}

// TestForeignFeePeriod: a fee period typed in English stays out of the Chinese document's
// sentences and is quoted under the heading of the complainant's own words; in Chinese it is a
// sentence of the facts.
func TestForeignFeePeriod(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	c := flows.Complaint{
		Complainant: flows.Individual, Charge: flows.SIMFee,
		Provider:   flows.Provider{Name: "某支付公司"},
		Deductions: []flows.Deduction{{Date: "2025-06-01", Amount: 9900, Method: flows.FromSettlement}},
		Disclosure: flows.NotTold, LearnedOn: "2025-06-01",
		Facts:   flows.Facts{FeePeriod: "June 2024 to June 2025"},
		Contact: flows.Contact{Name: "李四", Phone: "13912345678"},
	}
	text, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	heading := strings.Index(text, "原文如下")
	period := strings.Index(text, "上述费用所称的收费期间：June 2024 to June 2025")
	if heading < 0 || period < heading {
		t.Fatalf("the English period is not under the heading of the complainant's words:\n%s", text)
	}
	c.Facts.FeePeriod = "2024年6月至2025年6月"
	if text, _ = r.Text(c, flows.LangZH); !strings.Contains(text, "上述费用所称的收费期间：2024年6月至2025年6月。") || strings.Contains(text, "原文如下") {
		t.Fatalf("a Chinese period:\n%s", text)
	}
}
