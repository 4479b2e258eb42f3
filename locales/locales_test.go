package locales

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"complaintbot/flows"
)

// sampleArgs holds a value for every argument name the catalogs use.
func sampleArgs() map[string]any {
	args := map[string]any{}
	for _, k := range []string{"Amount", "Total", "Date", "CaseID", "Body", "Name", "Value", "Ticket", "Reply",
		"Other", "ID", "Provider", "Updated", "Number", "Address", "Phone", "City",
		"Text", "Reason", "Age", "Who", "Contact", "Learned", "Contract", "Requests", "Deductions", "History",
		"Replied", "Complainant", "Charge", "At", "Note", "IDs",
		"Case", "Rung", "Filed", "Due", "Ref", "Remaining", "Recovered", "Body", "Claim", "Result",
		"Typed", "Latin", "Label", "Old", "New", "NoticeOn", "Terms", "Until", "First", "Negotiation", "Code", "Lang", "Turnover"} {
		args[k] = "x" + k
	}
	for _, k := range []string{"N", "Max", "Count", "From", "To", "SessionDays", "RetentionDays", "MaxMB", "Got", "Evidence", "D", "H", "M", "Days"} {
		args[k] = 3
	}
	for _, k := range []string{"Old", "New", "SN", "Label", "Line", "Source", "Text", "Amounts"} {
		args[k] = "x"
	}
	args["On"] = true
	args["Repeat"], args["Passed"] = true, false
	args["Company"] = true
	args["Verbatim"] = true
	args["Story"] = true
	args["None"] = false
	args["Why"] = flows.Lines{{Key: "route_why_pboc", Args: map[string]any{"Body": "中国人民银行北京市分行"}}}
	args["Checks"] = flows.Lines{{Key: "check_limit_ok", Args: map[string]any{"Learned": "2024-05-01", "Until": "2027-05-01"}}}
	args["Details"] = flows.Lines{{Key: "sum_merchant", Args: map[string]any{"Name": "x", "Number": "1"}}}
	args["Facts"] = flows.Lines{{Key: "sum_fee_period", Args: map[string]any{"Value": "x"}}}
	args["Role"] = flows.Text{Key: "role_legal_rep"}
	args["Done"] = flows.Text{Key: "dereg_done_yes"}
	args["Met"] = flows.Text{Key: "terms_met_yes"}
	args["Notice"] = flows.Text{Key: "notice_yes"}
	args["List"] = flows.Lines{{Key: "deduction_line", Args: map[string]any{"N": 1, "Date": "2024-05-01", "Amount": "199.00", "Method": flows.Text{Key: "method_settlement"}}}}
	args["Summary"] = flows.Lines{{Key: "sum_body", Args: map[string]any{"Value": "深圳市消费者协会"}}}
	args["Lines"] = flows.Lines{{Key: "fu_status_not_filed"}}
	args["Route"] = flows.Text{Key: "route_consumer"}
	args["Checklist"] = flows.Text{Key: "checklist_sim_fee"}
	args["Channel"] = flows.Text{Key: "channel_agent"}
	args["Method"] = flows.Text{Key: "method_wallet"}
	args["How"] = flows.Text{Key: "filing_consumer"}
	args["Chinese"] = flows.Text{Key: "chinese_version_helps"}
	args["Status"] = flows.Text{Key: "status_claimed"}
	args["After"] = "15:00"
	args["Action"] = flows.Text{Key: "staff_btn_ask"}
	args["SessionDays"] = flows.Text{Key: "days", Args: map[string]any{"Count": 30}}
	args["RetentionDays"] = flows.Text{Key: "days", Args: map[string]any{"Count": 1}}
	args["Deducted"] = flows.Text{Key: "staff_card_deducted", Args: map[string]any{"Count": 2}}
	args["Question"] = flows.Text{Key: "question_charge"}
	return args
}

// TestEveryMessageRenders renders every key in every language with every argument it may use.
func TestEveryMessageRenders(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys()) < 200 {
		t.Fatalf("only %d keys", len(c.Keys()))
	}
	for _, lang := range Languages() {
		for _, k := range c.Keys() {
			s, err := c.Render(lang, k, sampleArgs(), html.EscapeString)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, k, err)
			}
			if strings.TrimSpace(s) == "" || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s renders as %q", lang, k, s)
			}
			if m := runTogether.FindString(s); m != "" {
				t.Errorf("%s %s runs two sentences together (%q): %q", lang, k, m, s)
			}
		}
	}
}

// runTogether is a sentence's end with the next one's start and no space between: two messages
// or parts joined without their separator ("registered.File the Chinese document").
var runTogether = regexp.MustCompile(`[a-z)][.!?][A-Z]`)

// TestLanguagesDiffer catches a message copied into the other catalog untranslated.
func TestLanguagesDiffer(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	same := map[string]bool{"lang_zh": true, "lang_en": true, "body_suggestion": true, "label_suggestion": true, "deduction_line": false}
	for _, k := range c.Keys() {
		zh, _ := c.Render(flows.LangZH, k, sampleArgs(), nil)
		en, _ := c.Render(flows.LangEN, k, sampleArgs(), nil)
		if zh == en && !same[k] {
			t.Errorf("%s is the same in both languages: %q", k, zh)
		}
	}
}

// TestEscapeOnlyUserText: the user's text is escaped, the catalog's markup is not.
func TestEscapeOnlyUserText(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Render(flows.LangZH, "ask_deduction_more", map[string]any{
		"Count": 1, "Total": "<b>1</b>",
		"List": flows.Lines{{Key: "sum_body", Args: map[string]any{"Value": `<a href="x">`}}},
	}, html.EscapeString)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "<b>&lt;b&gt;1&lt;/b&gt;</b>") || !strings.Contains(s, "&lt;a href=&#34;x&#34;&gt;") {
		t.Fatalf("escaping wrong: %s", s)
	}
}

// TestSameKeys: a key missing from, or extra in, a catalog is reported by name.
func TestSameKeys(t *testing.T) {
	base := map[string]bool{"a": true, "b": true}
	for _, tc := range []struct {
		name string
		got  map[string]bool
		want string
	}{
		{"missing key", map[string]bool{"a": true}, `lacks key "b"`},
		{"extra key", map[string]bool{"a": true, "b": true, "c": true}, `has key "c"`},
		{"same keys", map[string]bool{"a": true, "b": true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sameKeys(base, tc.got, "x.toml")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestCases renders the /status list.
func TestCases(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Cases(flows.LangEN, nil, time.UTC, nil)
	if err != nil || !strings.Contains(s, "not submitted") {
		t.Fatalf("%q %v", s, err)
	}
	k := flows.Complaint{ID: "C-000007", Provider: flows.Provider{Name: "拉卡拉支付股份有限公司"}, Status: flows.StatusClaimed,
		Deductions: []flows.Deduction{{Amount: 19900}}}
	s, err = c.Cases(flows.LangZH, []flows.Complaint{k}, time.UTC, nil)
	if err != nil || !strings.Contains(s, "C-000007") || !strings.Contains(s, "199.00") || !strings.Contains(s, "工作人员处理中") {
		t.Fatalf("%q %v", s, err)
	}
}

// TestCasesInChinaTime: /status shows each case's last change in the zone given, whatever
// zone the stored time carries: a case the bot filed (China time) and one staff claimed on a
// server running in UTC, both at 23:30 on 1 March China time.
func TestCasesInChinaTime(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	china, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, china)
	filed := flows.Complaint{ID: "C-000001", Status: flows.StatusSubmitted, CreatedAt: at}
	claimed := flows.Complaint{ID: "C-000002", Status: flows.StatusClaimed, CreatedAt: at.Add(-time.Hour),
		History: []flows.StatusChange{{At: at.UTC(), By: "staff:1", Status: flows.StatusClaimed}}}
	s, err := c.Cases(flows.LangZH, []flows.Complaint{filed, claimed}, china, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(s, "2026-03-01 23:30"); n != 2 {
		t.Errorf("%d cases shown at 2026-03-01 23:30 China time, want 2:\n%s", n, s)
	}
	if strings.Contains(s, "15:30") {
		t.Errorf("a time shown in UTC:\n%s", s)
	}
}

// TestRenderAsLocalizer checks that Render says what go-i18n's Localizer says for every message
// in every language: with every argument, with none, and with an argument that needs escaping.
func TestRenderAsLocalizer(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bundle := i18n.NewBundle(language.Make(string(flows.LangZH)))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Languages() {
		name := string(lang) + ".toml"
		b, err := catalogs.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bundle.ParseMessageFileBytes(b, name); err != nil {
			t.Fatal(err)
		}
	}
	escaped := sampleArgs()
	escaped["Name"] = `<b>"A & B"</b>`
	for _, lang := range Languages() {
		loc := i18n.NewLocalizer(bundle, string(lang))
		for _, k := range c.Keys() {
			for i, args := range []map[string]any{sampleArgs(), nil, escaped} {
				got, err := c.Render(lang, k, args, html.EscapeString)
				if err != nil {
					t.Fatalf("%s %s: %v", lang, k, err)
				}
				data := map[string]any{}
				for a, v := range args {
					if data[a], err = c.arg(lang, v, html.EscapeString); err != nil {
						t.Fatal(err)
					}
				}
				var count any // go-i18n's own plural count, for the messages that have plural forms
				if n, ok := args[PluralCount]; ok {
					count = n
				}
				want, err := loc.Localize(&i18n.LocalizeConfig{MessageID: k, TemplateData: data, PluralCount: count})
				if err != nil {
					t.Fatalf("%s %s: %v", lang, k, err)
				}
				if got != want {
					t.Errorf("%s %s (arguments %d): %q, go-i18n says %q", lang, k, i, got, want)
				}
			}
		}
	}
	if _, err := c.Render(flows.LangZH, "no_such_key", nil, nil); err == nil {
		t.Error("an unknown key renders")
	}
}

// TestFactsCheckSaysWhatIsMissing: the pre-filing check names only the part of the facts that
// is missing.
func TestFactsCheckSaysWhatIsMissing(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		deductions, description bool
		want, not               string
	}{
		{true, false, "您的陈述", "扣款记录"},
		{false, true, "扣款记录", "陈述"},
		{false, false, "扣款记录和您的陈述", ""},
	} {
		got, err := cat.Render(flows.LangZH, "check_facts_warn", map[string]any{"Deductions": c.deductions, "Description": c.description}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, c.want) || c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("deductions %v, description %v: %q", c.deductions, c.description, got)
		}
	}
}

// TestEnglishProviderButton: an English button names the provider as English speakers know it,
// with the Chinese short name that is on their contract after it; Chinese shows that name alone.
func TestEnglishProviderButton(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang flows.Lang
		args map[string]any
		want string
	}{
		{flows.LangEN, map[string]any{"Name": "拉卡拉", "Latin": "Lakala"}, "Lakala (拉卡拉)"},
		{flows.LangEN, map[string]any{"Name": "某某支付"}, "某某支付"},
		{flows.LangZH, map[string]any{"Name": "拉卡拉", "Latin": "Lakala"}, "拉卡拉"},
	} {
		if got, err := c.Render(tc.lang, "provider_button", tc.args, nil); err != nil || got != tc.want {
			t.Errorf("%s %v: %q, %v; want %q", tc.lang, tc.args, got, err, tc.want)
		}
	}
	// the respondent in the review and in a pasted text's offer: the legal name the authority
	// needs, after the name an English speaker knows
	for key, want := range map[string]string{
		"sum_provider":   "• Respondent: Lakala (拉卡拉支付股份有限公司), address: x",
		"paste_provider": "Respondent: Lakala (拉卡拉支付股份有限公司)",
	} {
		args := map[string]any{"Value": "拉卡拉支付股份有限公司", "Name": "拉卡拉支付股份有限公司", "Latin": "Lakala", "Address": "x"}
		if got, err := c.Render(flows.LangEN, key, args, nil); err != nil || got != want {
			t.Errorf("en %s: %q, %v; want %q", key, got, err, want)
		}
	}
}

// TestEnglishWording: English messages that once read as translated word for word.
func TestEnglishWording(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key       string
		args      map[string]any
		want, not string
	}{
		// "Yes" / "Not yet" / "Neither": neither of what?
		{"negotiated_neither", nil, "No, and not filed anywhere else", "Neither"},
		{"paste_offer", map[string]any{"Source": "text", "Count": 2, "Total": "198.00", "List": "x"}, "In the text you sent I read 2 deductions", "you sent 2"},
		{"paste_offer", map[string]any{"Source": "text", "Count": 1, "Total": "99.00", "List": "x"}, "In the text you sent I read 1 deduction", "you sent 1"},
		// "these 199.00 yuan": a sum is one thing
		{"ask_deduction_date", map[string]any{"Amount": "199.00"}, "were the 199.00 yuan taken? For example: 1 May 2024", "these"},
		{"ask_method_how", map[string]any{"Amount": "199.00", "Max": 60}, "How were the 199.00 yuan taken?", "these"},
		{"ask_deduction_label", map[string]any{"Amount": "199.00"}, "call the charge of 199.00 yuan", "these"},
		// a button's label ("Customer-service hotline") is no phrase to run on from "via"
		{"sum_dereg", map[string]any{"Date": "2024-03", "Channel": "Customer-service hotline", "Ticket": "1", "Done": "Completed"}, "2024-03; channel: Customer-service hotline; ticket 1; Completed", "via"},
		{"sum_negotiation_yes", map[string]any{"Date": "2024-03-20", "Channel": "App / website / mini-program", "Ticket": "1", "Reply": "no"}, "2024-03-20; channel: App / website / mini-program; ticket 1; reply", "via"},
		{"sum_contract", map[string]any{"Date": "2021-03", "Channel": "A sales agent / reseller"}, "Signed up: 2021-03; channel: A sales agent / reseller", ", A sales"},
		// an English address is read now: the example shows one, with the Chinese beside it
		{"invalid_text_words", nil, "1 Jianguo Road, Chaoyang District, Beijing (北京市朝阳区建国路1号)", "e.g. 北京"},
	} {
		s, err := c.Render(flows.LangEN, tc.key, tc.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, tc.want) || strings.Contains(s, tc.not) {
			t.Errorf("en %s: %q, want %q and not %q", tc.key, s, tc.want, tc.not)
		}
	}
}

// TestEnglishBodyNames: an English message names a receiving body in English, with the Chinese
// name the desk needs beside it; a body the user typed, without an English name, in Chinese.
func TestEnglishBodyNames(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const zh, en = "中国人民银行北京市分行", "People's Bank of China, Beijing Branch"
	for _, tc := range []struct {
		key  string
		args map[string]any
		want string
	}{
		{"sum_body", map[string]any{"Value": zh, "English": en}, "Receiving body: " + en + " (" + zh + ")"},
		{"sum_body", map[string]any{"Value": "某某区消费者协会", "English": ""}, "Receiving body: 某某区消费者协会"},
		{"route_why_pboc", map[string]any{"Body": zh, "English": en}, "• " + en + " (" + zh + "): "},
		{"route_why_association", map[string]any{"Body": "北京市消费者协会", "English": "Beijing Consumer Association"}, "• Beijing Consumer Association (北京市消费者协会): "},
		{"complaint_ready", map[string]any{"Body": zh, "BodyEN": en, "Total": "199.00", "How": "", "Chinese": ""}, "File it with: " + en + " (" + zh + ")"},
	} {
		s, err := c.Render(flows.LangEN, tc.key, tc.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, tc.want) {
			t.Errorf("en %s: %q, want %q in it", tc.key, s, tc.want)
		}
	}
}

// TestEditNotReceived: an edit to a sent message is not received, and the user is told so and
// asked to send what they changed again as a new message, so that it is not lost unseen.
func TestEditNotReceived(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[flows.Lang][]string{
		flows.LangZH: {"没有记下", "作为一条新消息再发一次"},
		flows.LangEN: {"was not kept", "again as a new message"},
	} {
		s, err := c.Render(lang, "edit_not_supported", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("%s edit_not_supported: %q, want %q", lang, s, w)
			}
		}
	}
}
