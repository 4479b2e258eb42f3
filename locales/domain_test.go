package locales

import (
	"html"
	"strings"
	"testing"

	"complaintbot/flows"
)

// render renders key in lang without arguments, failing the test on an error.
func render(t *testing.T, c *Catalog, lang flows.Lang, key string) string {
	t.Helper()
	s, err := c.Render(lang, key, nil, html.EscapeString)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFilingConsumerRoute checks how a consumer is told to file against DOMAIN.md §2 and §7:
// the consumer association and the market regulator are those of the place where the
// respondent operates or is registered, not the user's own ("local") city; and the only clock
// stated is 消法 第四十六条's seven working days to handle the complaint and tell the consumer,
// not a period to decide on acceptance taken from the unverified 12315 rules.
func TestFilingConsumerRoute(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh := render(t, c, flows.LangZH, "filing_consumer")
	for _, want := range []string{"被投诉人", "经营地", "注册地", "第四十六条", "七个工作日内", "予以处理并告知"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh filing_consumer lacks %q: %s", want, zh)
		}
	}
	for _, bad := range []string{"当地", "决定是否受理", "一般"} {
		if strings.Contains(zh, bad) {
			t.Errorf("zh filing_consumer says %q: %s", bad, zh)
		}
	}
	en := render(t, c, flows.LangEN, "filing_consumer")
	for _, want := range []string{"respondent", "Article 46", "seven working days"} {
		if !strings.Contains(en, want) {
			t.Errorf("en filing_consumer lacks %q: %s", want, en)
		}
	}
	for _, bad := range []string{"local", "whether to accept"} {
		if strings.Contains(en, bad) {
			t.Errorf("en filing_consumer says %q: %s", bad, en)
		}
	}
}

// TestEvidenceChecklists checks the evidence checklist of every charge kind against DOMAIN.md
// §5: every case asks for the contract pages (or a note that none was given), the deduction
// record, the chats with the sales agent and the customer-service ticket numbers, and each kind
// adds its own items.
func TestEvidenceChecklists(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	every := map[flows.Lang][][]string{ // each inner list: one of these words
		flows.LangZH: {{"合同"}, {"没给合同也请说明"}, {"扣费", "扣款", "付款凭证"}, {"业务员的聊天"}, {"工单号"}},
		flows.LangEN: {{"contract"}, {"none was given"}, {"deduction", "payment proof"}, {"chats with the sales agent"}, {"ticket numbers"}},
	}
	own := map[flows.Lang]map[flows.ChargeKind][]string{
		flows.LangZH: {
			flows.DeregistrationFee: {"申请注销", "日期", "扣费短信", "结算明细"},
			flows.SIMFee:            {"结算明细", "调账记录", "SN"},
			flows.ServiceFee:        {"付款凭证", "承诺"},
			flows.RateIncrease:      {"调价前后的费率", "通知"},
			flows.OtherCharge:       {"扣费记录"},
		},
		flows.LangEN: {
			flows.DeregistrationFee: {"de-registration request", "date", "deduction SMS", "settlement line"},
			flows.SIMFee:            {"ledger lines", "SN"},
			flows.ServiceFee:        {"payment proof", "promise"},
			flows.RateIncrease:      {"rate before and after", "notice"},
			flows.OtherCharge:       {"deduction record"},
		},
	}
	for lang, kinds := range own {
		for _, kind := range flows.ChargeKinds() {
			s := render(t, c, lang, "checklist_"+string(kind))
			for _, alts := range every[lang] {
				found := false
				for _, a := range alts {
					found = found || strings.Contains(s, a)
				}
				if !found {
					t.Errorf("%s checklist_%s lacks an item every case needs (%s)", lang, kind, strings.Join(alts, " / "))
				}
			}
			for _, w := range kinds[kind] {
				if !strings.Contains(s, w) {
					t.Errorf("%s checklist_%s lacks %q", lang, kind, w)
				}
			}
		}
	}
}

// TestReadyCompanySeals: a company complains as the company and signs with its seal (DOMAIN.md
// §3: the 盖章 line), so the message that hands over its document says to seal it; a person's
// says to sign.
func TestReadyCompanySeals(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
		for _, company := range []bool{true, false} {
			args := map[string]any{"CaseID": "C-1", "Total": "1.00", "Body": "x", "How": "", "Chinese": "", "Company": company}
			s, err := c.Render(lang, "complaint_ready", args, html.EscapeString)
			if err != nil {
				t.Fatal(err)
			}
			seal := strings.Contains(s, "公章") || strings.Contains(s, "盖章") || strings.Contains(s, "seal")
			if seal != company {
				t.Errorf("%s complaint_ready for a company %v: mentions the seal %v: %s", lang, company, seal, s)
			}
		}
	}
}

// TestFollowUpAdviceSaidAsAdvice checks DOMAIN.md §7: only 12315's seven working days are law;
// the day the bot asks about the provider, the consumer association, the PBOC branch or a 举报
// is our advice and is said as advice, in the reminder's question and in /status past that day.
func TestFollowUpAdviceSaidAsAdvice(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"fu_ask_outcome", "fu_status_overdue"} {
		for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
			rung := flows.Text{Key: "fu_rung_provider"}
			advice, err := c.Render(lang, key, map[string]any{"Case": "C-000001", "Rung": rung, "Filed": "2026-12-05", "Due": "2026-12-12", "Law": false}, html.EscapeString)
			if err != nil {
				t.Fatal(err)
			}
			law, err := c.Render(lang, key, map[string]any{"Case": "C-000001", "Rung": rung, "Filed": "2026-12-05", "Due": "2026-12-15", "Law": true}, html.EscapeString)
			if err != nil {
				t.Fatal(err)
			}
			mark := map[flows.Lang]string{flows.LangZH: "不是法定期限", flows.LangEN: "not a legal deadline"}[lang]
			if !strings.Contains(advice, mark) || strings.Contains(law, mark) {
				t.Errorf("%s %s: advice %q, law %q", lang, key, advice, law)
			}
		}
	}
}

// TestFollowUpEstimatedSaid: a due date counted without the year's holiday notice is said to be
// an estimate, as advice, wherever the law's date is shown; a counted one is not.
func TestFollowUpEstimatedSaid(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	mark := map[flows.Lang]string{flows.LangZH: "估算", flows.LangEN: "estimate"}
	advice := map[flows.Lang]string{flows.LangZH: "仅供参考", flows.LangEN: "take it as advice"}
	for _, key := range []string{"fu_ask_outcome", "fu_status_overdue", "fu_status_due_law", "fu_filed_law", "fu_not_due_law"} {
		for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
			for _, est := range []bool{false, true} {
				s, err := c.Render(lang, key, map[string]any{"Case": "C-000001", "Rung": flows.Text{Key: "fu_rung_market_regulator"},
					"Filed": "2099-03-02", "Due": "2099-03-11", "Law": true, "Days": 7, "Estimated": est}, html.EscapeString)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(s, mark[lang]) != est || strings.Contains(s, advice[lang]) != est {
					t.Errorf("%s %s, estimated %v: %q", lang, key, est, s)
				}
			}
		}
	}
}

// TestFollowUpNamesReport: the reminder about a 举报 calls it a 举报, not a 投诉.
func TestFollowUpNamesReport(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for report, want := range map[bool]string{true: "的举报", false: "的投诉"} {
		s, err := c.Render(flows.LangZH, "fu_ask_outcome", map[string]any{"Case": "C-000001", "Rung": flows.Text{Key: "fu_rung_report"},
			"Filed": "2026-12-05", "Report": report}, html.EscapeString)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, want) {
			t.Errorf("report %v: %q lacks %q", report, s, want)
		}
	}
}

// TestHandedOverStaysTrue: "转人工" typed again after the hand-over is answered without
// promising that staff will contact the user, which is false once staff closed the case (the
// conversation does not know that): the promise holds while staff work on it, and /status
// tells whether they still do.
func TestHandedOverStaysTrue(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[flows.Lang]string{flows.LangZH: "处理期间", flows.LangEN: "While they work on it"} {
		s, err := c.Render(lang, "human_handed", map[string]any{"CaseID": "C-000001"}, html.EscapeString)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, want) || !strings.Contains(s, "/status") {
			t.Errorf("%s: %q promises contact without %q, or lacks /status", lang, s, want)
		}
	}
}

// TestDepositReturnedInReview: the review and the staff card word a deposit's request as the
// document does, returned as promised, not refunded as a deduction (DOMAIN.md §3: a deposit is
// "returned", not "refunded as an unlawful charge"); other charges keep the refund.
func TestDepositReturnedInReview(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		kind      flows.ChargeKind
		want, bad string
	}{
		{flows.ServiceFee, "按承诺返还押金/服务费 299.00 元", "退还扣款"},
		{flows.SIMFee, "退还扣款 299.00 元", "返还"},
	} {
		c := flows.Complaint{Complainant: flows.Individual, Charge: tt.kind, Requests: []flows.RequestKind{flows.RequestRefund},
			Deductions: []flows.Deduction{{Date: "2024-03-01", Amount: 29900, Method: flows.FromBankCard}}}
		var text string
		for _, line := range flows.Summary(c) {
			if line.Key != "sum_requests" {
				continue
			}
			if text, err = cat.Render(flows.LangZH, line.Key, line.Args, html.EscapeString); err != nil {
				t.Fatal(err)
			}
		}
		if !strings.Contains(text, tt.want) || strings.Contains(text, tt.bad) {
			t.Errorf("%s: the review's requests say %q, want %q and no %q", tt.kind, text, tt.want, tt.bad)
		}
	}
}
