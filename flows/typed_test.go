package flows

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// step plays one input in the tests' notation (play) and returns its result.
func step(t *testing.T, s Session, spec string) Result {
	t.Helper()
	res, err := Step(context.Background(), s, input(s, spec))
	if err != nil {
		t.Fatalf("%s: %v", spec, err)
	}
	return res
}

// TestTypedSkip: what typed text says about skipping each kind of question.
func TestTypedSkip(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		state State
		want  skipping
	}{
		{"skip typed at an optional code", "跳过", StateCompanyCode, skipTyped},
		{"with a full stop and spaces", " 跳过。", StateDeregTicket, skipTyped},
		{"in English, capitalised", "Skip", StateDevice, skipTyped},
		{"none at an optional code", "没有", StateCompanyCode, skipTyped},
		{"don't know at an optional number", "不知道", StateMerchantNumber, skipTyped},
		{"none at optional free text that it may answer is its answer", "没有", StateNegReply, skipNot},
		{"don't know at free text that none may answer", "不知道", StateNegReply, skipTyped},
		{"none at the return terms is their answer", "没有", StateReturnTerms, skipNot},
		{"don't know at the provider's address", "不知道", StateProviderAddr, skipTyped},
		{"don't know in English at an optional address", "I don't know", StateProviderAddr, skipTyped},
		{"none at an optional ticket", "没有", StateDeregTicket, skipTyped},
		{"don't know at the fee period", "不知道", StateFeePeriod, skipTyped},
		{"don't know at the agent", "不知道", StateAgent, skipTyped},
		{"none at the agent", "没有", StateAgent, skipTyped},
		{"a sentence with none in it is an answer", "没有任何承诺", StateAgent, skipNot},
		{"skip at the complainant's address, which the complaint needs", "跳过", StateContactAddress, skipRefused},
		{"don't know at the complainant's address is no address", "don't know", StateContactAddress, skipRefused},
		{"none at the company's address is no address", "没有", StateCompanyAddress, skipRefused},
		{"skip at optional free text", "跳过", StateNegReply, skipTyped},
		{"skip where the complaint needs free text", "跳过", StateCompanyAddress, skipRefused},
		{"skip at a needed parsed answer", "跳过", StateContactPhone, skipRefused},
		{"skip at a needed date", "skip", StateDeductionDate, skipRefused},
		{"skip at the provider, a name or a button", "skip", StateProvider, skipRefused},
		{"skip at the review is for its buttons", "跳过", StateReview, skipNot},
		{"skip at the receiving body, a name or a button", "跳过", StateBody, skipRefused},
		{"none at a needed number", "无", StateContactPhone, skipNot},
		{"skip at buttons is for the buttons", "跳过", StateComplainant, skipNot},
		{"a sentence with the word is an answer", "跳过了这一步", StateDeregTicket, skipNot},
		{"a real answer", "GD20240503001", StateDeregTicket, skipNot},
		{"forgotten at a date with its button", "记不清了", StateContractDate, skipUnknown},
		{"skip at a date with the button", "跳过", StateContractDate, skipUnknown},
		{"don't know in English", "Don't know", StateContractDate, skipUnknown},
		{"forgotten at a date without one", "记不清了", StateLearned, skipNot},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := machine().question(c.state)
			if q == nil {
				t.Fatalf("no question %s", c.state)
			}
			if got := typedSkip(said(c.text), q); got != c.want {
				t.Fatalf("typedSkip(%q) at %s = %d, want %d", c.text, c.state, got, c.want)
			}
		})
	}
}

// TestTypedSkipSteps: "跳过" typed skips an optional question as its button does, and is
// refused, not kept, where the complaint needs the answer.
func TestTypedSkipSteps(t *testing.T) {
	company := func(s *Session) {
		s.Draft.Complainant, s.Draft.Company = Company, CompanyInfo{Name: "深圳某某贸易有限公司"}
	}
	res := step(t, at(StateCompanyCode, company), "txt:跳过")
	if res.Session.State != StateCompanyAddress || res.Session.Draft.Company.CreditCode != "" {
		t.Fatalf("after 跳过 at the credit code: state %s, code %q", res.Session.State, res.Session.Draft.Company.CreditCode)
	}
	res = step(t, res.Session, "txt:跳过")
	if res.Session.State != StateCompanyAddress || res.Session.Draft.Company.Address != "" || len(res.Replies) == 0 || res.Replies[0].Key != "skip_needed" {
		t.Fatalf("after 跳过 at the company's address: state %s, address %q, replies %+v", res.Session.State, res.Session.Draft.Company.Address, res.Replies)
	}
	// "记不清了" typed at the contract's date presses its "I don't remember"
	res = step(t, at(StateContractDate, nil), "txt:记不清了")
	if res.Session.State != StateContractChan || res.Session.Draft.ContractDate != "" {
		t.Fatalf("after 记不清了 at the contract's date: state %s, date %q", res.Session.State, res.Session.Draft.ContractDate)
	}
	// the deduction's name has its own skip button
	res = step(t, at(StateLabel, func(s *Session) {
		s.Draft.Deductions, s.Pend = nil, Deduction{Date: "2025-03-10", Amount: 9900, Method: FromSettlement}
	}), "txt:跳过")
	if d := res.Session.Draft.Deductions; res.Session.State != StateMoreDeductions || len(d) != 1 || d[0].Label != "" {
		t.Fatalf("after 跳过 at the deduction's name: state %s, deductions %+v", res.Session.State, d)
	}
	// nor is "没有了", "不知道" or "就这些" its name
	for _, text := range []string{"没有了", "不知道", "就这些", "没有"} {
		res = step(t, at(StateLabel, func(s *Session) {
			s.Draft.Deductions, s.Pend = nil, Deduction{Date: "2025-03-10", Amount: 9900, Method: FromSettlement}
		}), "txt:"+text)
		if d := res.Session.Draft.Deductions; res.Session.State != StateMoreDeductions || len(d) != 1 || d[0].Label != "" {
			t.Errorf("after %s at the deduction's name: state %s, deductions %+v", text, res.Session.State, d)
		}
	}
}

// TestTypedYesNo: a yes-or-no question answered by typing, as in a chat.
func TestTypedYesNo(t *testing.T) {
	for in, want := range map[string]string{
		"是": "yes", "是的。": "yes", "有": "yes", "Yes": "yes", "已完成": "yes",
		"没有": "no", "否": "no", "未完成": "no", "no": "no",
		"不清楚": "not_sure", "记不清了": "not_sure", "Not sure": "not_sure",
		"I don't remember": "not_sure", "can't remember": "not_sure",
		"Sure": "yes", "nah": "no",
		"是的，上个月": "", "199": "", "": "",
	} {
		if got := said(in).yesNo(); got != want {
			t.Errorf("yesNo(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTypedConsent: the privacy notice answered in words.
func TestTypedConsent(t *testing.T) {
	for in, want := range map[string]string{
		"同意": "agree", "I agree": "agree", "Sure": "agree", "Yes, I agree.": "agree", "Agreed": "agree",
		"go ahead": "agree", "不同意": "decline", "I don't agree": "decline", "no thanks": "decline", "hello": "",
	} {
		if got := said(in).consent(); got != want {
			t.Errorf("consent(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTypedWho: who is complaining, typed.
func TestTypedWho(t *testing.T) {
	for in, want := range map[string]string{
		"我是个体户": "individual", "个体工商户": "individual", "商户": "individual", "I am a merchant": "individual",
		"公司": "company", "企业": "company", "Company": "company",
		"消费者": "consumer", "我是消费者": "consumer", "consumer": "consumer",
		"I'm a shop owner": "individual", "an individual business": "individual", "self-employed": "individual",
		"i'm a company": "company", "a rate increase": "",
		"我是拉卡拉的商户": "", "注销": "",
	} {
		if got := said(in).who(); got != want {
			t.Errorf("who(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTypedCharge: the charge kind typed, and a consumer's "我是商户" at the charge question
// taking the switch to a merchant's questions that the question offers.
func TestTypedCharge(t *testing.T) {
	consumer := func(s *Session) { s.Draft = Complaint{Complainant: Consumer} }
	for _, c := range []struct {
		text  string
		state State
		kind  ChargeKind
		who   ComplainantType
	}{
		{"注销费", StateDeregDate, DeregistrationFee, Consumer},
		{"流量卡", StateFeePeriod, SIMFee, Consumer},
		{"SIM fee", StateFeePeriod, SIMFee, Consumer},
		{"押金", StateReturnTerms, ServiceFee, Consumer},
		{"费率", StateOldRate, RateIncrease, Consumer},
		{"我是商户", StateMerchantName, "", Individual},
		{"公司", StateCompanyName, "", Company},
		{"SIM card fee", StateFeePeriod, SIMFee, Consumer},
		{"annual fee", StateFeePeriod, SIMFee, Consumer},
		{"Data-card fee.", StateFeePeriod, SIMFee, Consumer},
		{"cancellation fee", StateDeregDate, DeregistrationFee, Consumer},
		{"De-registration fee", StateDeregDate, DeregistrationFee, Consumer},
		{"security deposit", StateReturnTerms, ServiceFee, Consumer},
		{"rate hike", StateOldRate, RateIncrease, Consumer},
		{"The rate went up", StateCharge, "", Consumer},
		{"被扣钱了", StateCharge, "", Consumer},
	} {
		res := step(t, at(StateCharge, consumer), "txt:"+c.text)
		if d := res.Session.Draft; res.Session.State != c.state || d.Charge != c.kind || d.Complainant != c.who {
			t.Errorf("%q at the charge: state %s, charge %q, complainant %q", c.text, res.Session.State, d.Charge, d.Complainant)
		}
	}
	// a merchant typing who they are at the charge is asked to use the buttons, not told of a
	// stale one
	res := step(t, at(StateCharge, func(s *Session) { s.Draft = Complaint{Complainant: Individual} }), "txt:公司")
	if res.Session.State != StateCharge || len(res.Replies) == 0 || res.Replies[0].Key != "use_buttons" {
		t.Fatalf("公司 typed by a merchant at the charge: state %s, replies %+v", res.Session.State, res.Replies)
	}
}

// TestNotAProvider: a yes or a no, one character, or a sentence typed at "which provider?" is
// an answer to something else, not a provider's name; at its legal name, a sentence is refused
// too. A sentence that names a known provider offers it; "Co., Ltd." is a name.
func TestNotAProvider(t *testing.T) {
	for _, text := range []string{"是", "没有", "yes", "A", "去年办机器时业务员说交299元押金，刷满就退。", "They took it again!"} {
		res := step(t, at(StateProvider, func(s *Session) { s.Draft.Provider = Provider{} }), "txt:"+text)
		if res.Session.State != StateProvider || res.Session.Draft.Provider != (Provider{}) || res.Replies[0].Key != "provider_not_a_name" {
			t.Errorf("%q at the provider: state %s, provider %+v, replies %+v", text, res.Session.State, res.Session.Draft.Provider, res.Replies)
		}
	}
}

func TestSentenceAtLegalName(t *testing.T) {
	typed := func(s *Session) { s.Draft.Provider = Provider{Typed: "某某付"} }
	res := step(t, at(StateProviderName, typed), "txt:我也不知道，合同上没写。")
	if res.Session.State != StateProviderName || res.Replies[0].Key != "legal_name_not_a_name" {
		t.Fatalf("a sentence at the legal name: state %s, replies %v", res.Session.State, replyKeys(res.Replies))
	}
	res = step(t, at(StateProviderName, typed), "txt:拉卡拉支付股份有限公司")
	if res.Session.Offer != nil || res.Session.Draft.Provider.Key != "lakala" {
		t.Fatalf("a known legal name at the legal name: offer %+v, provider %+v", res.Session.Offer, res.Session.Draft.Provider)
	}
	res = step(t, at(StateProviderName, typed), "txt:Moumou Pay Co., Ltd.")
	if res.Session.Draft.Provider.Name != "Moumou Pay Co., Ltd." {
		t.Fatalf("Co., Ltd.: provider %+v", res.Session.Draft.Provider)
	}
	res = step(t, at(StateProvider, func(s *Session) { s.Draft.Provider = Provider{} }), "txt:就是拉卡拉，扣了我199。")
	if o := res.Session.Offer; o == nil || o.Provider.Key != "lakala" {
		t.Fatalf("a sentence naming Lakala is offered as Lakala: offer %+v, replies %v", o, replyKeys(res.Replies))
	}
}

// TestTypedRole: who acts for a company, typed.
func TestTypedRole(t *testing.T) {
	company := func(s *Session) {
		s.Draft = Complaint{Complainant: Company, Company: CompanyInfo{Name: "深圳某某贸易有限公司", Address: "深圳市福田区某某大厦8楼"}}
	}
	for text, want := range map[string]Role{"我是法人": RoleLegalRep, "授权联系人": RoleAuthorised, "经理": ""} {
		res := step(t, at(StateCompanyRole, company), "txt:"+text)
		if got := res.Session.Draft.Company.Role; got != want || (want == "") != (res.Session.State == StateCompanyRole) {
			t.Errorf("%q at the company's role: role %q, state %s", text, got, res.Session.State)
		}
	}
}

// TestLegalNameUnknown: "不知道" at the provider's legal name keeps the name the user typed,
// as the question says; with no name typed before, it is needed.
func TestLegalNameUnknown(t *testing.T) {
	typed := at(StateProviderName, func(s *Session) { s.Draft.Provider = Provider{Typed: "某某支付"} })
	res := step(t, typed, "txt:不知道")
	if p := res.Session.Draft.Provider; p.Name != "某某支付" || res.Session.State != StateProviderAddr {
		t.Fatalf("不知道 at the legal name: provider %+v, state %s", p, res.Session.State)
	}
	none := at(StateProviderName, func(s *Session) { s.Draft.Provider = Provider{} })
	res = step(t, none, "txt:跳过")
	if res.Session.State != StateProviderName || res.Session.Draft.Provider.Name != "" || res.Replies[0].Key != "skip_needed" {
		t.Fatalf("跳过 at the legal name with nothing typed: state %s, replies %+v", res.Session.State, res.Replies)
	}
}

// TestTypedButtons: typed words press the buttons they name, at the consent and at a yes-or-no
// question; at a question without such a button they are asked to use the buttons.
func TestTypedButtons(t *testing.T) {
	s := NewSession(42)
	res := step(t, s, "txt:/start")
	res = step(t, res.Session, "txt:同意")
	if res.Session.State != StateComplainant || !res.Session.Consented {
		t.Fatalf("after 同意 at the notice: state %s, consented %v", res.Session.State, res.Session.Consented)
	}
	// a text before the notice is agreed to is not kept, and the user is told so
	res = step(t, NewSession(43), "txt:【拉卡拉】您的注销服务费199.00元已从结算款中扣除。")
	if res.Session.State != StateConsent || res.Session.Consented || len(res.Replies) == 0 || res.Replies[0].Key != "consent_first_text" {
		t.Fatalf("an SMS before consent: state %s, replies %+v", res.Session.State, res.Replies)
	}
	res = step(t, at(StateComplainant, func(s *Session) { s.Draft.Complainant = "" }), "txt:我是个体户")
	if res.Session.Draft.Complainant != Individual {
		t.Fatalf("after 我是个体户: state %s, complainant %q", res.Session.State, res.Session.Draft.Complainant)
	}
	res = step(t, at(StateDeregDone, func(s *Session) { s.Draft.Facts.DeregDone = "" }), "txt:是的")
	if res.Session.Draft.Facts.DeregDone != Yes || res.Session.State == StateDeregDone {
		t.Fatalf("after 是的 at de-registration done: state %s, done %q", res.Session.State, res.Session.Draft.Facts.DeregDone)
	}
	res = step(t, at(StateMethod, nil), "txt:是")
	if res.Session.State != StateMethod || len(res.Replies) == 0 || res.Replies[0].Key != "use_buttons" {
		t.Fatalf("after 是 at the method: state %s, replies %+v", res.Session.State, res.Replies)
	}
}

// TestTypedListAnswers: "还有其他扣款吗？" and "是否已经向其他机构投诉" answered by typing.
func TestTypedListAnswers(t *testing.T) {
	for _, c := range []struct {
		state State
		text  string
		want  State
	}{
		{StateMoreDeductions, "没有了", StateDisclosure},
		{StateMoreDeductions, "完成", StateDisclosure},
		{StateMoreDeductions, "No more, next", StateDisclosure},
		{StateMoreDeductions, "That's all", StateDisclosure},
		{StateMoreDeductions, "还有", StateAmount},
		{StateMoreDeductions, "有", StateAmount},
		{StateMoreDeductions, "Add another", StateAmount},
		{StateMoreDeductions, "199", StateDeductionDate},      // the next deduction's amount
		{StateMoreDeductions, "250 2024年12月31日", StateMethod}, // and its date
		{StateMoreDeductions, "好几笔", StateMoreDeductions},     // asked to use the buttons
		{StateProceedings, "没有", StateDescription},
		{StateProceedings, "None", StateDescription},
		{StateProceedings, "None of these", StateDescription},
		{StateProceedings, "都没有", StateDescription},
		{StateMethod, "结算款", StateLabel},
		{StateMethod, "银行卡", StateLabel},
		{StateMethod, "From the settlement funds", StateLabel},
		{StateMethod, "从结算款扣的", StateLabel},
		{StateMethod, "charged to my bank card", StateLabel},
		{StateMethod, "微信", StateLabel},   // a way the buttons do not offer: the other way, in the user's words
		{StateMethod, "扣走了", StateMethod}, // names no way: asked to use the buttons
		{StateContractChan, "业务员", StateAgent},
		{StateNotice, "没有", StateProvider},
		{StateNotice, "不确定", StateProvider},
		{StateContractChan, "App", StateAgent},
		{StateDisclosure, "没人告诉我", StateLearned},
		{StateDisclosure, "没有", StateLearned},
		{StateDisclosure, "Fine print", StateLearned},
		{StateDisclosure, "告知过但我没同意", StateLearned},
		{StateDisclosure, "我同意了", StateLearned},
		{StateProceedings, "是", StateProceedings},
	} {
		res := step(t, at(c.state, nil), "txt:"+c.text)
		if res.Session.State != c.want {
			t.Errorf("%q at %s: state %s, want %s", c.text, c.state, res.Session.State, c.want)
		}
	}
	res := step(t, at(StateProceedings, func(s *Session) { s.Draft.Proceedings = "" }), "txt:没有")
	if res.Session.Draft.Proceedings != ProceedingsNone {
		t.Fatalf("没有 at proceedings: %q", res.Session.Draft.Proceedings)
	}
}

// TestTypedEscalation: "shall our staff follow this case?" answered by typing; anything else
// is asked to use the buttons, and the case stays with the user when staff are not configured.
func TestTypedEscalation(t *testing.T) {
	for _, c := range []struct {
		text   string
		want   State
		effect bool
	}{
		{"转人工", StateClosed, true},
		{"需要，谢谢", StateClosed, true},
		{"Yes please", StateClosed, true},
		{"不用了，谢谢", StateClosed, false},
		{"我自己提交", StateClosed, false},
		{"No thanks", StateClosed, false},
		{"随便", StateSubmitted, false},
	} {
		s := at(StateSubmitted, func(s *Session) { s.LastCase = "C-000001" })
		res := step(t, s, "txt:"+c.text)
		escalated := false
		for _, e := range res.Effects {
			escalated = escalated || e.Kind == EffectEscalate
		}
		if res.Session.State != c.want || escalated != c.effect {
			t.Errorf("%q: state %s, escalated %v; want %s, %v", c.text, res.Session.State, escalated, c.want, c.effect)
		}
	}
}

// TestTypedReview: at the review, "确认" produces the complaint, and what to change typed
// opens its section as its button does; text naming no section, or two, is asked to use the
// buttons.
func TestTypedReview(t *testing.T) {
	for _, c := range []struct {
		text string
		want State
	}{
		{"确认", StateSubmitted},
		{"没问题。", StateSubmitted},
		{"手机号写错了，是13900000000", StateContactAddress}, // the number taken; the address kept or changed
		{"手机号写错了", StateContactPhone},                // the phone asked, not the name before it
		{"金额不对", StateMoreDeductions},
		{"I need to change the phone number", StateContactPhone},
		{"名字写错了", StateContactName},
		{"受理机构换一个", StateBody},
		{"代理商的名字写错了", StateReview}, // the agent or the contact's name: the buttons say which
		{"好像有点问题", StateReview},
	} {
		res := step(t, at(StateReview, nil), "txt:"+c.text)
		if res.Session.State != c.want {
			t.Errorf("%q: state %s, want %s (replies %v)", c.text, res.Session.State, c.want, replyKeys(res.Replies))
		}
	}
	res := step(t, at(StateReview, nil), "txt:手机号写错了，应该是 139 0000 0000")
	if p := res.Session.Draft.Contact.Phone; p != "13900000000" || res.Session.State != StateContactAddress {
		t.Errorf("the number in the text: phone %q, state %s", p, res.Session.State)
	}
}

// TestKeepAnswer: changing the contact from the review offers each typed answer as it is, so
// that only the phone is typed again; outside a change there is no such button.
func TestKeepAnswer(t *testing.T) {
	res := step(t, at(StateReview, nil), "btn:edit=contact")
	if res.Session.State != StateContactName || len(res.Replies) == 0 {
		t.Fatalf("edit: state %s", res.Session.State)
	}
	keep := res.Replies[len(res.Replies)-1].Choices
	if len(keep) == 0 || keep[0].Key != "keep_answer" || keep[0].Args["Value"] != "张三" {
		t.Fatalf("no keep button: %+v", keep)
	}
	s := res.Session
	s.Prompt = 5
	res = step(t, s, "btn:keep")
	if res.Session.State != StateContactPhone || res.Session.Draft.Contact.Name != "张三" {
		t.Fatalf("kept name: state %s, contact %+v", res.Session.State, res.Session.Draft.Contact)
	}
	s = res.Session
	s.Prompt = 5
	res = step(t, s, "txt:13900000000")
	for i := 0; res.Session.State != StateReview; i++ {
		if i == 5 {
			t.Fatalf("not back at the review: state %s", res.Session.State)
		}
		s = res.Session
		s.Prompt = 5
		res = step(t, s, "btn:keep")
	}
	if c := res.Session.Draft.Contact; c.Phone != "13900000000" || c.Name != "张三" || c.Address == "" {
		t.Fatalf("contact %+v", c)
	}
	fresh := step(t, at(StateContactName, nil), "btn:keep")
	if fresh.Session.State != StateContactName {
		t.Fatalf("keep outside a change: state %s", fresh.Session.State)
	}
}

// TestTypedConfirmation: "是" typed at "delete everything?" deletes, "继续" keeps; either way
// the question beneath is not answered by it. Other text drops the confirmation, as before.
func TestTypedConfirmation(t *testing.T) {
	start := at(StateDeregDone, func(s *Session) { s.Draft.Facts.DeregDone = "" })
	asked := step(t, start, "cmd:delete").Session
	if asked.Pending != PendingDelete {
		t.Fatalf("pending %q", asked.Pending)
	}
	res := step(t, asked, "txt:是")
	if res.Session.State != StateConsent || res.Session.Draft.Facts.DeregDone != "" || len(res.Effects) != 1 || res.Effects[0].Kind != EffectErase {
		t.Fatalf("是 at /delete: state %s, effects %+v", res.Session.State, res.Effects)
	}
	res = step(t, asked, "txt:继续")
	if res.Session.State != StateDeregDone || res.Session.Pending != PendingNone || res.Session.Draft.Facts.DeregDone != "" || len(res.Effects) != 0 {
		t.Fatalf("继续 at /delete: state %s, done %q", res.Session.State, res.Session.Draft.Facts.DeregDone)
	}
	res = step(t, step(t, start, "cmd:cancel").Session, "txt:确定")
	if res.Session.State != StateClosed {
		t.Fatalf("确定 at /cancel: state %s", res.Session.State)
	}
}

// TestAddressNeedsWords: digits alone at an address question (the amount typed a question
// early) are refused and the question stays; an address with its number is taken.
func TestAddressNeedsWords(t *testing.T) {
	for _, c := range []struct {
		state State
		text  string
		taken bool
	}{
		{StateProviderAddr, "99", false},
		{StateProviderAddr, "2024-05-01", false},
		{StateProviderAddr, "北京市海淀区1号", true},
		{StateContactAddress, "13800138000", false},
		{StateCompanyAddress, "#801", false},
		{StateCompanyAddress, "Room 801, Futian, Shenzhen", true},
	} {
		res := step(t, at(c.state, func(s *Session) {
			s.Draft.Provider.Address, s.Draft.Contact.Address, s.Draft.Company.Address = "", "", ""
		}), "txt:"+c.text)
		if moved := res.Session.State != c.state; moved != c.taken {
			t.Errorf("%q at %s: state %s, replies %v", c.text, c.state, res.Session.State, replyKeys(res.Replies))
		}
		if !c.taken && (len(res.Replies) == 0 || res.Replies[0].Key != "invalid_text_words") && res.Session.Offer == nil {
			t.Errorf("%q at %s: replies %v", c.text, c.state, replyKeys(res.Replies))
		}
	}
}

// TestEvidenceDoneTyped: "跳过", "没有" or "完成" typed at the evidence step end it, as its
// button does; they are never kept as an item of evidence. A real note is kept.
func TestEvidenceDoneTyped(t *testing.T) {
	for _, c := range []struct {
		text string
		done bool
	}{
		{"跳过", true}, {"没有", true}, {"没有了", true}, {"完成", true}, {"完成了", true},
		{"Skip", true}, {"that's all", true}, {"就这些。", true},
		{"业务员微信聊天记录在我儿子手机上", false},
	} {
		s := at(StateEvidence, nil)
		n := len(s.Draft.Evidence)
		got, _ := play(t, s, "txt:"+c.text)
		if done := got.State != StateEvidence; done != c.done {
			t.Errorf("%q: state %s, want done %v", c.text, got.State, c.done)
		}
		if kept := len(got.Draft.Evidence) - n; kept != map[bool]int{true: 0, false: 1}[c.done] {
			t.Errorf("%q: %d item(s) of evidence added", c.text, kept)
		}
	}
}

// TestMoreDeductionsDoneTyped: "no more", "that's all", "没有别的了" typed at "any other
// deduction?" end the list, in either language, as its "that's all" button does.
func TestMoreDeductionsDoneTyped(t *testing.T) {
	for _, text := range []string{"no more", "That's all.", "nothing else", "没有了", "没有别的了", "no"} {
		s := at(StateMoreDeductions, nil)
		got, rs := play(t, s, "txt:"+text)
		if got.State == StateMoreDeductions {
			t.Errorf("%q: still at the deductions (replies %v)", text, replyKeys(rs))
		}
	}
}

// TestLabelSays: a label reads as the user types it: without its symbol, hyphens as spaces,
// spaces collapsed, a closing full stop dropped, a part between slashes, without its note.
func TestLabelSays(t *testing.T) {
	for _, c := range []struct {
		label, typed string
		want         bool
	}{
		{"Customer-service hotline", "customer service hotline", true},
		{"Customer-service hotline", "Customer-service  hotline.", true},
		{"App / website / mini-program", "mini program", true},
		{"✅ 全部加入", "全部加入", true},
		{"其他（输入名称）", "其他", true},
		{"Customer-service hotline", "customer", false},
		{"That's all, next", "that's all next", false},
	} {
		if got := labelSays(c.label, labelForm(c.typed)); got != c.want {
			t.Errorf("labelSays(%q, %q) = %v, want %v", c.label, c.typed, got, c.want)
		}
	}
}

// TestNoticeTyped: "没有通知", "没收到任何通知" or "not notified" typed at "were you notified of
// the new rate?" answer it as its "not received" button does; "收到过" as "received, date
// not remembered".
func TestNoticeTyped(t *testing.T) {
	for _, c := range []struct {
		text string
		want YesNo
	}{
		{"没有通知", No}, {"我没收到任何通知", No}, {"没有收到通知。", No}, {"Not notified", No},
		{"收到过", Yes}, {"不确定", NotSureYN},
	} {
		s := at(StateNotice, nil)
		got, rs := play(t, s, "txt:"+c.text)
		if got.State == StateNotice || got.Draft.Facts.Notice != c.want {
			t.Errorf("%q: state %s, notice %q, want %q (replies %v)", c.text, got.State, got.Draft.Facts.Notice, c.want, replyKeys(rs))
		}
	}
}

// TestBodyFollowsProvider: the receiving body taken for the user follows a provider changed
// from the review (a merchant's PBOC branch is the provider's); one the user picked stays.
func TestBodyFollowsProvider(t *testing.T) {
	sft := func(auto bool) func(*Session) {
		return func(s *Session) {
			s.Draft.Complainant, s.Draft.Charge = Individual, RateIncrease
			s.Draft.Provider = Provider{Key: "shengfutong", Name: "上海盛付通电子支付服务有限公司", Address: "上海市某路1号"}
			s.Draft.Body, s.BodyAuto = "中国人民银行上海市分行", auto
		}
	}
	for _, auto := range []bool{true, false} {
		s, _ := play(t, at(StateReview, sft(auto)), "btn:edit=provider", "btn:lakala")
		if s.State != StateReview {
			s, _ = play(t, s, "btn:skip")
		}
		want := map[bool]string{true: "中国人民银行北京市分行", false: "中国人民银行上海市分行"}[auto]
		if s.State != StateReview || s.Draft.Provider.Key != "lakala" || s.Draft.Body != want {
			t.Errorf("auto %v: state %s, provider %q, body %q, want %q", auto, s.State, s.Draft.Provider.Key, s.Draft.Body, want)
		}
	}
}

// TestConfirmationTyped: the confirmation buttons of /delete, /cancel and /restart typed as
// they read (with their full-width commas) answer them, as do the readers' other words; the
// disclosure's labels with commas are read too.
func TestConfirmationTyped(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"是的，全部删除", "yes"}, {"是的，放弃", "yes"}, {"是的，重新开始", "yes"}, {"不，继续", "no"},
		{"Yes, erase everything", "yes"}, {"No, carry on", "no"}, {"删除", "yes"}, {"你好", ""},
	} {
		if got := said(c.text).confirmation(); got != c.want {
			t.Errorf("confirmation(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"告知过，但我没有同意", string(ToldNoAgree)}, {"告知过，我同意了", string(Agreed)},
		// the English buttons as they read, and as English speakers say them
		{"Only in the contract's small print", string(FinePrint)}, {"only in the small print", string(FinePrint)},
		{"In the contract.", string(FinePrint)}, {"Not told at all", string(NotTold)}, {"I was never told", string(NotTold)},
		{"Told, but I did not agree", string(ToldNoAgree)}, {"I never agreed", string(ToldNoAgree)},
		{"Told, and I agreed", string(Agreed)}, {"the contract is long", ""},
	} {
		if got := said(c.text).disclosure(); got != c.want {
			t.Errorf("disclosure(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	// at the step: "是的，全部删除" typed after /delete erases, even with an offer shown beneath
	s := at(StateProvider, fresh(Complaint{Complainant: Consumer, Charge: DeregistrationFee}))
	s, _ = play(t, s, "txt:拉卡拉 WP2103456789")
	if s.Offer == nil {
		t.Fatal("no offer")
	}
	s, _ = play(t, s, "cmd:delete")
	res := step(t, s, "txt:是的，全部删除")
	if !slices.ContainsFunc(res.Effects, func(e Effect) bool { return e.Kind == EffectErase }) || res.Session.Offer != nil {
		t.Fatalf("not erased: effects %+v, replies %v", res.Effects, replyKeys(res.Replies))
	}
}

// TestDateNeedsDay: a month alone ("前年3月", "March 2024") at a question that needs the day is
// told the day is needed, not that the date could not be read; nonsense still is.
func TestDateNeedsDay(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"前年3月", "invalid_date_needs_day"}, {"2024年3月", "invalid_date_needs_day"}, {"March 2024", "invalid_date_needs_day"},
		{"不记得", "invalid_date_format"},
	} {
		s := at(StateDeductionDate, func(s *Session) { s.Pend = Deduction{Amount: 9900} })
		got, rs := play(t, s, "txt:"+c.text)
		if got.State != StateDeductionDate || len(rs) == 0 || rs[0].Key != c.want {
			t.Errorf("%q: state %s, replies %v, want %s first", c.text, got.State, replyKeys(rs), c.want)
		}
	}
}

// TestStatusWhileWriting: /status in the middle of a first complaint says it is not finished
// and asks the question again, instead of "no complaint yet, send /start"; with a finished
// case it lists the cases.
func TestStatusWhileWriting(t *testing.T) {
	res := step(t, at(StateAgent, nil), "cmd:status")
	keys := replyKeys(res.Replies)
	if len(res.Effects) != 0 || len(keys) != 2 || keys[0] != "status_writing" || keys[1] != "ask_agent" {
		t.Errorf("first complaint: replies %v, effects %+v", keys, res.Effects)
	}
	res = step(t, at(StateAgent, func(s *Session) { s.LastCase = "C-000001" }), "cmd:status")
	if len(res.Effects) != 1 || res.Effects[0].Kind != EffectListCases {
		t.Errorf("with a finished case: effects %+v", res.Effects)
	}
}

// TestButtonWordIsNoAnswer: "完成", "确认" or "add all" typed where a name, an address or a
// number is asked is not kept as the answer (a complainant named 完成, a provider at "add
// all"); the question is asked again. A real answer is kept.
func TestButtonWordIsNoAnswer(t *testing.T) {
	for _, c := range []struct {
		state State
		text  string
	}{
		{StateContactName, "完成"}, {StateProviderAddr, "add all"}, {StateAgent, "确认"}, {StateContactPhone, "完成"},
	} {
		s := at(c.state, func(s *Session) { s.Draft.Contact.Name, s.Draft.Provider.Address, s.Draft.Agent = "", "", "" })
		got, rs := play(t, s, "txt:"+c.text)
		if got.State != c.state || len(rs) == 0 || rs[0].Key != "typed_button_word" {
			t.Errorf("%q at %s: state %s, replies %v", c.text, c.state, got.State, replyKeys(rs))
		}
		if got.Draft.Contact.Name != "" || got.Draft.Provider.Address != "" || got.Draft.Agent != "" {
			t.Errorf("%q at %s: kept as the answer", c.text, c.state)
		}
	}
	got, _ := play(t, at(StateContactName, nil), "txt:张桂兰")
	if got.Draft.Contact.Name != "张桂兰" {
		t.Errorf("a name: %q", got.Draft.Contact.Name)
	}
}

// TestDepositLearnedQuestion: for a deposit the learned date is asked as the day the money was
// known not to come back, without the "the first deduction's day" button (the day it was
// paid); for a fee the button stays.
func TestDepositLearnedQuestion(t *testing.T) {
	for _, k := range []ChargeKind{ServiceFee, SIMFee} {
		res := step(t, at(StateDisclosure, func(s *Session) { s.Draft.Charge, s.Draft.LearnedOn = k, "" }), "btn:not_told")
		last := res.Replies[len(res.Replies)-1]
		if res.Session.State != StateLearned || last.Key != "ask_learned" {
			t.Fatalf("%s: state %s, replies %v", k, res.Session.State, replyKeys(res.Replies))
		}
		deposit := k == ServiceFee
		if last.Args["Deposit"] != deposit || (len(last.Choices) == 0) != deposit {
			t.Errorf("%s: args %v, choices %+v", k, last.Args, last.Choices)
		}
	}
}

// TestTypedCommands: a command typed as a word, without its slash, is that command; the ones
// that drop something still ask first.
func TestTypedCommands(t *testing.T) {
	s := at(StateDeductionDate, func(s *Session) { s.Pend = Deduction{Amount: 19900} })
	back := step(t, s, "txt:上一步")
	if back.Session.State != StateAmount {
		t.Fatalf("上一步: state %s", back.Session.State)
	}
	withCase := s
	withCase.LastCase = "C-000001"
	status := step(t, withCase, "txt:查看进度")
	if len(status.Effects) != 1 || status.Effects[0].Kind != EffectListCases || status.Session.State != StateDeductionDate {
		t.Fatalf("查看进度: effects %+v, state %s", status.Effects, status.Session.State)
	}
	restart := step(t, s, "txt:重新开始")
	if restart.Session.Pending != PendingRestart || restart.Session.State != StateDeductionDate {
		t.Fatalf("重新开始: pending %q, state %s", restart.Session.Pending, restart.Session.State)
	}
	if got := step(t, s, "txt:返回了一部分").Session.State; got != StateDeductionDate {
		t.Fatalf("a sentence with 返回 in it: state %s", got)
	}
	// lost or asking for a person mid-way: told what to do, the question asked again
	for text, key := range map[string]string{"？": "help", "?": "help", "什么意思？": "help", "为什么要问这个": "help",
		"人工客服": "human", "我要找人工": "human", "talk to a human": "human"} {
		res := step(t, s, "txt:"+text)
		if res.Session.State != StateDeductionDate || len(res.Replies) < 2 || res.Replies[0].Key != key || res.Replies[1].Key != "ask_deduction_date" {
			t.Errorf("%s: state %s, replies %+v", text, res.Session.State, res.Replies)
		}
	}
	// after the offer was turned down, "转人工" offers it again; once taken, says staff have it
	closed := at(StateClosed, func(s *Session) { s.LastCase = "C-000001" })
	if res := step(t, closed, "txt:转人工"); res.Session.State != StateSubmitted || res.Replies[0].Key != "offer_escalation" {
		t.Errorf("转人工 after declining: state %s, replies %+v", res.Session.State, res.Replies)
	}
	closed.HandedOver = "C-000001"
	if res := step(t, closed, "txt:人工客服"); res.Session.State != StateClosed || res.Replies[0].Key != "human_handed" {
		t.Errorf("人工客服 after handing over: state %s, replies %+v", res.Session.State, res.Replies)
	}
	// the hand-over's button pressed again after it: staff have the case, not "expired"
	again := input(closed, "btn:escalate")
	again.Data = itoa(closed.Prompt-1) + ":escalate"
	if res, err := Step(context.Background(), closed, again); err != nil || res.Session.State != StateClosed ||
		len(res.Replies) != 1 || res.Replies[0].Key != "human_handed" || len(res.Effects) != 0 {
		t.Errorf("the hand-over pressed again: %v, state %s, replies %+v, effects %+v", err, res.Session.State, res.Replies, res.Effects)
	}
	// the same asked in a sentence a question refuses
	charge := at(StateCharge, nil)
	for text, key := range map[string]string{"can I talk to a real person": "human", "why do you need this": "help", "有没有人工啊": "human"} {
		res := step(t, charge, "txt:"+text)
		if res.Session.State != StateCharge || len(res.Replies) < 3 || res.Replies[1].Key != key {
			t.Errorf("%s at the charge: state %s, replies %+v", text, res.Session.State, res.Replies)
		}
	}
	// and a story that mentions 人工客服 is a story
	if res := step(t, at(StateNegReply, nil), "txt:人工客服说不退"); res.Session.Draft.Negotiation.Reply != "人工客服说不退" {
		t.Errorf("a reply mentioning 人工客服: %+v", res.Session.Draft.Negotiation)
	}
	// at the offer to hand the case over, "转人工" is its answer
	submitted := at(StateSubmitted, func(s *Session) { s.LastCase = "C-000001" })
	if res := step(t, submitted, "txt:转人工"); len(res.Effects) != 1 || res.Effects[0].Kind != EffectEscalate || res.Session.HandedOver != "C-000001" {
		t.Errorf("转人工 at the offer: effects %+v, replies %+v", res.Effects, res.Replies)
	}
}

// TestAmountWithWords: an amount typed with a verb or words about its date is kept, and the
// date question asks for the day, instead of "type just the amount".
func TestAmountWithWords(t *testing.T) {
	res := step(t, at(StateAmount, nil), "txt:99元，去年3月")
	if res.Session.State != StateDeductionDate || res.Session.Pend.Amount != 9900 || res.Replies[0].Key != "amount_typed" {
		t.Fatalf("99元，去年3月: state %s, pending %+v, replies %+v", res.Session.State, res.Session.Pend, res.Replies)
	}
	res = step(t, at(StateAmount, nil), "txt:交了99块，24年3月15号")
	if res.Session.State != StateMethod || res.Session.Pend.Amount != 9900 || res.Session.Pend.Date != "2024-03-15" {
		t.Fatalf("交了99块，24年3月15号: state %s, pending %+v", res.Session.State, res.Session.Pend)
	}
	res = step(t, at(StateAmount, nil), "txt:2025年6月")
	if res.Session.State != StateAmount || res.Session.Pend.Amount != 0 {
		t.Fatalf("2025年6月, a month, at the amount: state %s, pending %+v", res.Session.State, res.Session.Pend)
	}
	res = step(t, at(StateAmount, nil), "txt:199 200")
	if res.Session.State != StateAmount || res.Session.Pend.Amount != 0 {
		t.Fatalf("199 200: state %s, pending %+v", res.Session.State, res.Session.Pend)
	}
}

// TestRateIncreaseAmount: a rate increase takes no deduction of its own, so its amount
// question says how to work out the extra fees from the user's two rates, and so does the
// refusal of text that is no sum.
func TestRateIncreaseAmount(t *testing.T) {
	rate := func(s *Session) {
		s.Draft.Charge, s.Draft.Deductions = RateIncrease, nil
		s.Draft.Facts = Facts{OldRate: "0.38%", NewRate: "0.63%"}
	}
	s := at(StateAmount, rate)
	res := step(t, s, "txt:不知道多扣了多少")
	if res.Session.State != StateAmount || len(res.Replies) != 1 || res.Replies[0].Key != "invalid_amount_rate" || res.Replies[0].Args["Example"] != "250.00" {
		t.Fatalf("不知道多扣了多少: state %s, replies %+v", res.Session.State, res.Replies)
	}
	res = step(t, s, "cmd:help")
	last := res.Replies[len(res.Replies)-1]
	if last.Key != "ask_amount" || last.Args["Rate"] != true || last.Args["Example"] != "250.00" || last.Args["Old"] != "0.38%" {
		t.Fatalf("the amount question of a rate increase: %+v", last)
	}
	// and "were you told?" asks about the new rate, not about a fee at signing up
	if res := step(t, at(StateDisclosure, rate), "cmd:help"); res.Replies[len(res.Replies)-1].Args["Rate"] != true {
		t.Fatalf("the disclosure question of a rate increase: %+v", res.Replies[len(res.Replies)-1])
	}
	res = step(t, at(StateAmount, func(s *Session) { s.Draft.Charge, s.Draft.Deductions = SIMFee, nil }), "txt:不知道")
	if res.Replies[0].Key != "invalid_amount_format" {
		t.Fatalf("a SIM fee's refusal: %+v", res.Replies)
	}
}

// TestCorrectedAmount: "不对，是198" typed right after a deduction's amount corrects it,
// "不对，是5月1日" at its date is the date, and a correction that says nothing readable is told
// how to go back.
func TestCorrectedAmount(t *testing.T) {
	for _, st := range []State{StateDeductionDate, StateMethod, StateLabel} {
		s := at(st, func(s *Session) { s.Pend = Deduction{Amount: 19900, Date: "2024-05-01", Method: FromSettlement} })
		res := step(t, s, "txt:不对，是198")
		if res.Session.State != st || res.Session.Pend.Amount != 19800 || res.Replies[0].Key != "amount_corrected" || res.Session.Pend.Label != "" {
			t.Errorf("不对，是198 at %s: state %s, pending %+v, replies %+v", st, res.Session.State, res.Session.Pend, res.Replies)
		}
	}
	s := at(StateDeductionDate, func(s *Session) { s.Pend = Deduction{Amount: 19900} })
	if res := step(t, s, "txt:不对，是5月1日"); res.Session.State != StateMethod || res.Session.Pend.Date != "2026-05-01" {
		t.Errorf("不对，是5月1日: state %s, pending %+v", res.Session.State, res.Session.Pend)
	}
	res := step(t, s, "txt:写错了")
	if res.Session.State != StateDeductionDate || len(res.Replies) < 2 || res.Replies[1].Key != "correction_hint" {
		t.Errorf("写错了: state %s, replies %+v", res.Session.State, res.Replies)
	}
	res = step(t, at(StateMethod, func(s *Session) { s.Pend = Deduction{Amount: 19900, Date: "2024-05-01"} }), "txt:sorry wrong")
	if res.Session.State != StateMethod || len(res.Replies) < 2 || res.Replies[1].Key != "correction_hint" {
		t.Errorf("sorry wrong at the method: state %s, replies %+v", res.Session.State, res.Replies)
	}
}

// TestMentioned: a short sentence typed at a question with buttons presses the one button it
// speaks of; a denial is read first; a sentence naming two buttons, none, or a long story
// presses nothing.
func TestMentioned(t *testing.T) {
	channels := []Channel{ChannelAgent, ChannelHotline, ChannelApp, ChannelOffline, ChannelOther}
	for _, c := range []struct {
		text  string
		label string
		state State
		want  string // "" for no button
	}{
		{"I am a shop owner", "complainant_", StateComplainant, "individual"},
		{"我是开小卖部的店主", "complainant_", StateComplainant, "individual"},
		{"we are a small company", "complainant_", StateComplainant, "company"},
		{"在公司楼下开小店", "complainant_", StateComplainant, ""}, // two
		{"业务员上门办的", "channel_", StateContractChan, "agent"},
		{"是的，都刷够了", "terms_met_", StateTermsMet, "yes"},
		{"不是，只达到一部分", "terms_met_", StateTermsMet, "partly"},
		{"微信找业务员", "channel_", StateNegChannel, "agent"},
		{"打电话给业务员", "channel_", StateNegChannel, ""}, // two buttons
		{"在营业厅办的", "channel_", StateContractChan, "offline"},
		{"微信转账给业务员的", "method_", StateMethod, "other"},
		{"从结算款里直接扣的", "method_", StateMethod, "settlement"},
		{"找过业务员好几次了，一直拖着", "negotiated_", StateNegotiated, "yes"},
		{"还没找过他们", "negotiated_", StateNegotiated, "no"},
		{"每个月都刷够了", "terms_met_", StateTermsMet, "yes"},
		{"第二个月没达到", "terms_met_", StateTermsMet, "no"},
		{"业务员根本没说要收钱", "disclosure_", StateDisclosure, "not_told"},
		{"不好说", "disclosure_", StateDisclosure, ""},
		{"2024年3月业务员王经理上门给我装的拉卡拉，收了99激活费，说三个月每月刷满一万就退", "channel_", StateContractChan, ""}, // a story
	} {
		var got string
		var ok bool
		switch c.label {
		case "channel_":
			var v Channel
			v, ok = mentioned(c.text, c.label, channels)
			got = string(v)
		case "complainant_":
			var v ComplainantType
			v, ok = mentioned(c.text, c.label, []ComplainantType{Consumer, Individual, Company})
			got = string(v)
		case "method_":
			var v Method
			v, ok = mentioned(c.text, c.label, []Method{FromSettlement, FromBankCard, FromWallet, FromOther})
			got = string(v)
		case "negotiated_":
			got, ok = mentioned(c.text, c.label, []string{"yes", "no", "neither"})
		case "terms_met_":
			var v YesNo
			v, ok = mentioned(c.text, c.label, []YesNo{Yes, Partly, No, NotSureYN})
			got = string(v)
		case "disclosure_":
			var v Disclosure
			v, ok = mentioned(c.text, c.label, []Disclosure{NotTold, FinePrint, ToldNoAgree, Agreed, NotSureTold})
			got = string(v)
		}
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("mentioned(%q, %s) = %q, want %q", c.text, c.label, got, c.want)
		}
		if c.want == "" {
			continue
		}
		// and typed at the question itself, it answers it
		res := step(t, at(c.state, func(s *Session) { s.Pend = Deduction{Amount: 9900, Date: "2024-03-15"} }), "txt:"+c.text)
		if res.Session.State == c.state {
			t.Errorf("%q at %s: stayed, replies %+v", c.text, c.state, res.Replies)
		}
	}
	// a yes or a no first, then words: the yes or the no
	for _, c := range []struct {
		text  string
		state State
		check func(Session) bool
	}{
		{"yes I did, more than 50k", StateTermsMet, func(s Session) bool { return s.Draft.Facts.TermsMet == Yes }},
		{"No, the agent never said", StateDisclosure, func(s Session) bool { return s.Draft.Disclosure == NotTold }},
		{"没有，还没找过", StateNegotiated, func(s Session) bool { return !s.Draft.Negotiation.Tried }},
	} {
		res := step(t, at(c.state, nil), "txt:"+c.text)
		if res.Session.State == c.state || !c.check(res.Session) {
			t.Errorf("%q at %s: state %s, replies %+v", c.text, c.state, res.Session.State, res.Replies)
		}
	}
}

// TestNotATicket: text with no digit at a ticket-number question is no ticket: the provider's
// reply typed a question early is kept as the reply, "没给我工单号" skips, and at the
// de-registration's ticket it is refused; a real number or a skip word is as before.
func TestNotATicket(t *testing.T) {
	neg := func(s *Session) {
		s.Draft.Negotiation = Negotiation{Tried: true, Date: "2024-10-10", Channel: ChannelHotline}
	}
	res := step(t, at(StateNegTicket, neg), "txt:客服说押金要用满两年才退")
	n := res.Session.Draft.Negotiation
	if n.Ticket != "" || n.Reply != "客服说押金要用满两年才退" || res.Session.State == StateNegReply || res.Session.State == StateNegTicket || res.Replies[0].Key != "ticket_was_reply" {
		t.Fatalf("a reply at the ticket: state %s, negotiation %+v, replies %+v", res.Session.State, n, res.Replies)
	}
	res = step(t, at(StateNegTicket, neg), "txt:没给我工单号")
	if res.Session.State != StateNegReply || res.Session.Draft.Negotiation.Ticket != "" {
		t.Fatalf("没给我工单号: state %s, negotiation %+v", res.Session.State, res.Session.Draft.Negotiation)
	}
	res = step(t, at(StateNegTicket, neg), "txt:工单号是GD20241010001")
	if res.Session.State != StateNegReply || res.Session.Draft.Negotiation.Ticket != "GD20241010001" {
		t.Fatalf("a ticket after a label: state %s, negotiation %+v", res.Session.State, res.Session.Draft.Negotiation)
	}
	res = step(t, at(StateNegTicket, neg), "txt:GD20241010001")
	if res.Session.State != StateNegReply || res.Session.Draft.Negotiation.Ticket != "GD20241010001" {
		t.Fatalf("a ticket: state %s, negotiation %+v", res.Session.State, res.Session.Draft.Negotiation)
	}
	res = step(t, at(StateDeregTicket, nil), "txt:客服说不退")
	if res.Session.State != StateDeregTicket || res.Session.Draft.Facts.DeregTicket == "客服说不退" || res.Replies[0].Key != "invalid_ticket_format" {
		t.Fatalf("words at the de-registration's ticket: state %s, replies %+v", res.Session.State, res.Replies)
	}
	if res := step(t, at(StateDeregTicket, nil), "txt:跳过"); res.Session.State != StateDeregDone {
		t.Fatalf("跳过 at the de-registration's ticket: state %s", res.Session.State)
	}
}

// TestTwoProviders: a provider answer naming two providers is not taken as the first of them:
// the user is told that one complaint names one respondent, and asked which first.
func TestTwoProviders(t *testing.T) {
	s := at(StateProvider, func(s *Session) { s.Draft.Provider = Provider{} })
	res := step(t, s, "txt:拉卡拉和乐刷两台机器都扣了")
	if res.Session.State != StateProvider || res.Session.Draft.Provider.Key != "" || res.Replies[0].Key != "one_provider_each" ||
		res.Replies[0].Args["Value"] != "拉卡拉、乐刷" {
		t.Fatalf("two providers: state %s, provider %+v, replies %+v", res.Session.State, res.Session.Draft.Provider, res.Replies)
	}
	if res := step(t, s, "txt:我用的是拉卡拉的机器"); res.Session.Draft.Provider.Key != "lakala" {
		t.Fatalf("one provider in a sentence: %+v", res.Session.Draft.Provider)
	}
}

// TestFeePeriod: the fee period question takes a period, and refuses text that names no time
// (the next question's answer typed early) instead of printing it as the period.
func TestFeePeriod(t *testing.T) {
	for text, ok := range map[string]bool{"2024年6月至2025年6月": true, "一年": true, "每月都扣": true, "June 2024 to June 2025": true,
		"拉卡拉和乐刷两台机器都扣了": false, "拉卡拉": false} {
		res := step(t, at(StateFeePeriod, func(s *Session) { s.Draft.Charge, s.Draft.Facts = SIMFee, Facts{} }), "txt:"+text)
		stored := res.Session.Draft.Facts.FeePeriod == text
		if stored != ok || ok == (res.Session.State == StateFeePeriod) {
			t.Errorf("%q: state %s, period %q, replies %+v", text, res.Session.State, res.Session.Draft.Facts.FeePeriod, res.Replies)
		}
		if !ok && res.Replies[0].Key != "invalid_period_format" {
			t.Errorf("%q: replies %+v", text, res.Replies)
		}
	}
}

// TestDeductionEdits: a listed deduction is removed or changed by its number, typed as people
// type it looking at the list; a number not listed, or a value that is neither an amount nor a
// date, is told so.
func TestDeductionEdits(t *testing.T) {
	two := func(s *Session) {
		s.Draft.Deductions = []Deduction{{Date: "2024-06-10", Amount: 9900, Method: FromSettlement}, {Date: "2025-06-10", Amount: 9900, Method: FromSettlement}}
	}
	for _, c := range []struct {
		text  string
		key   string
		check func([]Deduction) bool
	}{
		{"删除第一笔", "deduction_n_removed", func(d []Deduction) bool { return len(d) == 1 && d[0].Date == "2025-06-10" }},
		{"删掉 1", "deduction_n_removed", func(d []Deduction) bool { return len(d) == 1 && d[0].Date == "2025-06-10" }},
		{"delete 2", "deduction_n_removed", func(d []Deduction) bool { return len(d) == 1 && d[0].Date == "2024-06-10" }},
		{"第1笔改成198", "deduction_n_changed", func(d []Deduction) bool { return len(d) == 2 && d[0].Amount == 19800 }},
		{"第二笔的日期是2025年6月11日", "deduction_n_changed", func(d []Deduction) bool { return d[1].Date == "2025-06-11" && d[1].Amount == 9900 }},
		{"change 1 to 198", "deduction_n_changed", func(d []Deduction) bool { return d[0].Amount == 19800 }},
		{"删除第3笔", "deduction_no_such", func(d []Deduction) bool { return len(d) == 2 }},
		{"第1笔改成很多", "deduction_edit_unread", func(d []Deduction) bool { return d[0].Amount == 9900 }},
	} {
		res := step(t, at(StateMoreDeductions, two), "txt:"+c.text)
		if res.Session.State != StateMoreDeductions || res.Replies[0].Key != c.key || !c.check(res.Session.Draft.Deductions) {
			t.Errorf("%q: state %s, deductions %+v, replies %+v", c.text, res.Session.State, res.Session.Draft.Deductions, res.Replies)
		}
	}
	one := func(s *Session) {
		s.Draft.Deductions = []Deduction{{Date: "2024-06-10", Amount: 9900, Method: FromSettlement}}
	}
	if res := step(t, at(StateMoreDeductions, one), "txt:删除第1笔"); res.Session.State != StateAmount || len(res.Session.Draft.Deductions) != 0 {
		t.Errorf("the only deduction removed: state %s, deductions %+v", res.Session.State, res.Session.Draft.Deductions)
	}
}

// TestNextDeductionTyped: the next deduction typed at "any other deduction?" is taken as
// "add another" with its amount (and date) answered.
func TestNextDeductionTyped(t *testing.T) {
	res := step(t, at(StateMoreDeductions, nil), "txt:250 2024年12月31日")
	if p := res.Session.Pend; res.Session.State != StateMethod || p.Amount != 25000 || p.Date != "2024-12-31" {
		t.Fatalf("250 2024年12月31日: state %s, pending %+v, replies %+v", res.Session.State, p, res.Replies)
	}
	res = step(t, at(StateMoreDeductions, nil), "txt:99元")
	if p := res.Session.Pend; res.Session.State != StateDeductionDate || p.Amount != 9900 || p.Date != "" {
		t.Fatalf("99元: state %s, pending %+v, replies %+v", res.Session.State, p, res.Replies)
	}
}

// TestTraditionalWords: button words typed in traditional characters are read as the
// simplified ones, and the answer typed is kept as it was.
func TestTraditionalWords(t *testing.T) {
	if got := said("註銷費").charge(); got != string(DeregistrationFee) {
		t.Errorf("註銷費: %q", got)
	}
	if got := said("沒有").yesNo(); got != string(No) {
		t.Errorf("沒有: %q", got)
	}
	res := step(t, at(StateCharge, nil), "txt:註銷費")
	if res.Session.Draft.Charge != DeregistrationFee {
		t.Errorf("註銷費 at the charge: %q, state %s", res.Session.Draft.Charge, res.Session.State)
	}
	res = step(t, at(StateContractChan, nil), "txt:業務員上門辦的")
	if res.Session.Draft.ContractChannel != ChannelAgent {
		t.Errorf("業務員上門辦的: %q", res.Session.Draft.ContractChannel)
	}
	if got := simplified("王經理說達標就退"); got != "王经理说达标就退" {
		t.Errorf("simplified: %q", got)
	}
	res = step(t, at(StateDescription, nil), "txt:業務員說達標就退")
	if res.Session.Draft.Description != "業務員說達標就退" {
		t.Errorf("a story is kept as typed: %q", res.Session.Draft.Description)
	}
}

// TestAddressLabel: "地址是…" typed at an address question keeps the address without its
// label, so that its city is found and not asked again.
func TestAddressLabel(t *testing.T) {
	res := step(t, at(StateContactAddress, func(s *Session) { s.Draft.Contact.Address, s.Draft.Contact.City = "", "" }), "txt:地址是四川省成都市武侯区人民南路四段1号")
	if c := res.Session.Draft.Contact; c.Address != "四川省成都市武侯区人民南路四段1号" || c.City != "成都市" {
		t.Fatalf("contact %+v, state %s", c, res.Session.State)
	}
	res = step(t, at(StateProviderAddr, func(s *Session) { s.Draft.Provider.Address = "" }), "txt:地址：北京市海淀区某某路1号")
	if a := res.Session.Draft.Provider.Address; a != "北京市海淀区某某路1号" {
		t.Fatalf("provider's address %q", a)
	}
}

// TestLongStory: a story of 2,000 characters, pasted whole, is taken; the review shows its start.
func TestLongStory(t *testing.T) {
	story := strings.Repeat("注销时被扣了199元，没有人提前告诉我。", 100) // 2,000 characters
	res := step(t, at(StateDescription, nil), "txt:"+story)
	if res.Session.Draft.Description != story || res.Session.State == StateDescription {
		t.Fatalf("state %s, description of %d characters", res.Session.State, utf8.RuneCountInString(res.Session.Draft.Description))
	}
	key, args := machine().question(StateDescription).Review(res.Session.Draft)
	if v, _ := args["Value"].(string); key != "sum_description" || utf8.RuneCountInString(v) > 121 || !strings.HasSuffix(v, "…") {
		t.Fatalf("review line %s %q", key, args["Value"])
	}
}

// TestRequestsDoneTyped: "完成" or "好了" typed at the requests presses "选好了", as the other
// lists' done words do.
func TestRequestsDoneTyped(t *testing.T) {
	for _, text := range []string{"完成", "好了", "done"} {
		got, rs := play(t, at(StateRequests, nil), "txt:"+text)
		if got.State == StateRequests {
			t.Errorf("%q: still at the requests (replies %v)", text, replyKeys(rs))
		}
	}
}

// TestBodyTypedAsPlace: a place typed as the receiving body ("深圳", "Shenzhen") is that place's
// body of the kind the route suggests, never the bare city name in 此致; an institution's name
// is kept as typed.
func TestBodyTypedAsPlace(t *testing.T) {
	company := func(s *Session) { s.Draft.Complainant, s.Draft.Charge = Company, RateIncrease }
	for _, c := range []struct {
		change func(*Session)
		text   string
		want   string
	}{
		{company, "深圳", "中国人民银行深圳市分行"},
		{company, "Shenzhen", "中国人民银行深圳市分行"},
		{company, "南通", "中国人民银行江苏省分行"},
		{nil, "深圳", "深圳市消费者委员会"},
		{company, "深圳市市场监督管理局", "深圳市市场监督管理局"},
	} {
		s := at(StateReview, c.change)
		s, _ = play(t, s, "btn:edit=body", "txt:"+c.text)
		if s.Draft.Body != c.want {
			t.Errorf("%q: body %q, want %q (state %s)", c.text, s.Draft.Body, c.want, s.State)
		}
	}
}

// TestLearnedMonth: an elderly user who does not remember the day they found out may give the
// month ("今年10月"); the question no longer holds them until they invent a day.
func TestLearnedMonth(t *testing.T) {
	got, rs := play(t, at(StateLearned, func(s *Session) { s.Draft.LearnedOn, s.Draft.Negotiation.Date = "", "2026-10-20" }), "txt:今年10月")
	if got.Draft.LearnedOn != "2026-10" || got.State == StateLearned {
		t.Fatalf("learned %q, state %s, replies %v", got.Draft.LearnedOn, got.State, replyKeys(rs))
	}
	if ps := DateProblems(got.Draft); len(ps) != 0 {
		t.Errorf("date problems %+v", ps)
	}
}

// TestLearnedSameDay: "就是扣款那天" or "the same day" typed at "when did you find out?" is the
// first deduction's day, as its button says; without a deduction's date it is not a date.
func TestLearnedSameDay(t *testing.T) {
	for _, text := range []string{"就是扣款那天", "第一笔扣款那天", "The same day"} {
		got, rs := play(t, at(StateLearned, func(s *Session) { s.Draft.LearnedOn = "" }), "txt:"+text)
		if got.Draft.LearnedOn != "2024-05-01" || got.State == StateLearned {
			t.Errorf("%q: learned %q, state %s (replies %v)", text, got.Draft.LearnedOn, got.State, replyKeys(rs))
		}
	}
	none := func(s *Session) { s.Draft.LearnedOn, s.Draft.Deductions = "", nil }
	if got, _ := play(t, at(StateLearned, none), "txt:扣款那天"); got.State != StateLearned || got.Draft.LearnedOn != "" {
		t.Errorf("no deduction: learned %q, state %s", got.Draft.LearnedOn, got.State)
	}
}

// TestTypedLanguage: a language's name typed alone switches to it and asks the question again,
// rather than being kept as the answer (the address "中文"); in a sentence or an answer it is
// the answer.
func TestTypedLanguage(t *testing.T) {
	for _, c := range []struct {
		text string
		lang Lang
	}{
		{"中文", LangZH}, {"Chinese", LangZH}, {"说中文", LangZH}, {"请用中文", LangZH},
		{"English", LangEN}, {"english please", LangEN}, {"In English.", LangEN}, {"英文", LangEN},
	} {
		from := LangZH
		if c.lang == LangZH {
			from = LangEN
		}
		s := at(StateProviderAddr, func(s *Session) { s.Lang, s.Draft.Lang = from, from })
		res := step(t, s, "txt:"+c.text)
		got := res.Session
		if got.Lang != c.lang || got.Draft.Lang != c.lang || got.State != StateProviderAddr || got.Draft.Provider.Address != s.Draft.Provider.Address {
			t.Errorf("%q: lang %s (draft %s), state %s, address %q", c.text, got.Lang, got.Draft.Lang, got.State, got.Draft.Provider.Address)
		}
		if len(res.Replies) < 2 || res.Replies[0].Key != "language_set" {
			t.Errorf("%q: replies %+v", c.text, res.Replies)
		}
	}
	for _, text := range []string{"English Road 1, Shenzhen", "en", "中文路1号"} {
		res := step(t, at(StateProviderAddr, nil), "txt:"+text)
		if res.Session.Draft.Provider.Address != text {
			t.Errorf("%q at the address: kept %q", text, res.Session.Draft.Provider.Address)
		}
	}
}

// TestAgentAtProvider: a merchant who names the agent who sold the terminal at the provider
// question ("业务员张经理") is not given the agent as the respondent: the text is kept as the
// agent, and the provider is asked again, or taken when the text names a known one.
func TestAgentAtProvider(t *testing.T) {
	none := func(s *Session) { s.Draft.Provider, s.Draft.Agent = Provider{}, "" }
	for _, c := range []struct {
		text, key string
		want      State
		provider  string // the provider's key after it, "" for none
	}{
		{"业务员张经理", "provider_not_agent", StateProvider, ""},
		{"代理商老刘那里办的", "provider_not_agent", StateProvider, ""},
		{"是业务员张经理办的，机器上写的金小宝，不知道是哪个公司", "provider_not_agent", StateProvider, ""},
		{"拉卡拉的业务员小王", "provider_agent_kept", "", "lakala"},
	} {
		res := step(t, at(StateProvider, none), "txt:"+c.text)
		s := res.Session
		if (c.want != "" && s.State != c.want || c.want == "" && s.State == StateProvider) || s.Draft.Provider.Key != c.provider || s.Draft.Provider.Typed != "" || s.Draft.Agent != c.text ||
			len(res.Replies) == 0 || res.Replies[0].Key != c.key {
			t.Errorf("%q: state %s, provider %+v, agent %q, replies %v", c.text, s.State, s.Draft.Provider, s.Draft.Agent, replyKeys(res.Replies))
		}
	}
	// the agent typed earlier is kept; a provider's name typed next is the provider
	res := step(t, at(StateProvider, func(s *Session) { none(s); s.Draft.Agent = "刘经理 13500001111" }), "txt:业务员张经理")
	if res.Session.Draft.Agent != "刘经理 13500001111" || res.Session.State != StateProvider {
		t.Fatalf("an agent given before: %+v", res.Session.Draft)
	}
	res = step(t, res.Session, "txt:金小宝")
	if res.Session.Draft.Provider.Typed != "金小宝" {
		t.Fatalf("a brand after the agent: provider %+v", res.Session.Draft.Provider)
	}
}

// TestRecurringAmount: "每年扣99，扣了三年" typed at the amount question is three deductions of
// 99 yuan, each asked for its date and way of taking, not refused as no amount.
func TestRecurringAmount(t *testing.T) {
	s := at(StateAmount, func(s *Session) { s.Draft.Charge, s.Draft.Deductions = SIMFee, nil })
	res := step(t, s, "txt:每年扣99，扣了三年")
	if res.Session.State != StateDeductionDate || res.Session.Pend.Amount != 9900 || len(res.Session.Queue) != 2 || res.Replies[0].Key != "recurring_typed" {
		t.Fatalf("recurring: state %s, pend %+v, queue %+v, replies %v", res.Session.State, res.Session.Pend, res.Session.Queue, replyKeys(res.Replies))
	}
	s = res.Session
	for i, date := range []string{"2022-03-10", "2023-03-10", "2024-03-11"} {
		if n := dateQuestionN(t, s); n != i+1 {
			t.Fatalf("deduction %d's date question says N = %v", i+1, n)
		}
		s = step(t, s, "txt:"+date).Session
		if s.State != StateMethod {
			t.Fatalf("deduction %d after its date: state %s", i+1, s.State)
		}
		s = step(t, s, "btn:settlement").Session
		s = step(t, s, "btn:skip").Session
	}
	if s.State != StateMoreDeductions || len(s.Draft.Deductions) != 3 || s.Draft.Total() != 29700 || s.Draft.Deductions[2].Date != "2024-03-11" {
		t.Fatalf("after three dates: state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
}

// TestPromisePasted: the agent's WeChat promise pasted at the return-terms question is the
// terms and is kept as an evidence item dated by the chat; terms typed in a line are not.
func TestPromisePasted(t *testing.T) {
	deposit := func(s *Session) { s.Draft.Charge, s.Draft.Facts.ReturnTerms, s.Draft.Evidence = ServiceFee, "", nil }
	chat := "张经理 2024/3/15 14:22\n老板放心，这299是激活押金，机器激活后90天内刷满3万，押金全额退到您结算卡上\n我 2024/3/15 14:25\n好的，那我先交了"
	for _, c := range []struct {
		text     string
		evidence int
	}{
		{chat, 1},
		{"“激活后90天内刷满3万，押金全额退还”", 1},
		{"90天内刷满3万全额退", 0},
		{"三个月刷满5万退\n押金299", 0},
	} {
		res := step(t, at(StateReturnTerms, deposit), "txt:"+c.text)
		d := res.Session.Draft
		if res.Session.State != StateTermsMet || d.Facts.ReturnTerms == "" || len(d.Evidence) != c.evidence {
			t.Errorf("%q: state %s, terms %q, evidence %+v", c.text, res.Session.State, d.Facts.ReturnTerms, d.Evidence)
			continue
		}
		if c.evidence == 0 {
			continue
		}
		if e := d.Evidence[0]; e.Kind != EvidenceText || e.Caption == "" || res.Replies[0].Key != "promise_kept" {
			t.Errorf("%q: evidence %+v, replies %v", c.text, e, replyKeys(res.Replies))
		}
	}
	res := step(t, at(StateReturnTerms, deposit), "txt:"+chat)
	if e := res.Session.Draft.Evidence[0]; e.Date != "2024-03-15" || e.Caption != chat {
		t.Fatalf("the chat's evidence: %+v", e)
	}
}

// TestLaterAnswerAtName: the charge kind typed at a question that takes a name ("费率上调" at
// the company's name) is not kept as the name: the user is told which question it answers and
// the question stays.
func TestLaterAnswerAtName(t *testing.T) {
	company := func(s *Session) { s.Draft.Complainant, s.Draft.Company = Company, CompanyInfo{} }
	merchant := func(s *Session) { s.Draft.Complainant, s.Draft.MerchantName = Individual, "" }
	for _, c := range []struct {
		state  State
		change func(*Session)
		text   string
		refuse bool
	}{
		{StateCompanyName, company, "费率上调", true},
		{StateCompanyName, company, "押金", true},
		{StateMerchantName, merchant, "流量卡", true},
		{StateContactName, nil, "注销费", true},
		{StateCompanyName, company, "东莞市长安镇某某五金厂", false},
		{StateMerchantName, merchant, "老王便利店", false},
		{StateMerchantName, merchant, "其他", false}, // a name after all? left to the question
	} {
		res := step(t, at(c.state, c.change), "txt:"+c.text)
		refused := res.Session.State == c.state && len(res.Replies) > 0 && res.Replies[0].Key == "typed_later_answer"
		if refused != c.refuse {
			t.Errorf("%q at %s: state %s, replies %v", c.text, c.state, res.Session.State, replyKeys(res.Replies))
		}
	}
}

// TestRatesInOneMessage: both rates typed at the old rate's question ("原来是0.38，后来变成0.6了")
// are both kept and the new rate's question passes by; one rate is the old one as before.
func TestRatesInOneMessage(t *testing.T) {
	rate := func(s *Session) { s.Draft.Charge, s.Draft.Facts = RateIncrease, Facts{} }
	res := step(t, at(StateOldRate, rate), "txt:原来是0.38，后来变成0.6了，今年8月对账才发现")
	f := res.Session.Draft.Facts
	if f.OldRate != "0.38%" || f.NewRate != "0.6%" || res.Session.State != StateRateFrom || res.Replies[0].Key != "rates_typed" {
		t.Fatalf("both rates: state %s, facts %+v, replies %v", res.Session.State, f, replyKeys(res.Replies))
	}
	res = step(t, at(StateOldRate, rate), "txt:0.38")
	if f := res.Session.Draft.Facts; f.OldRate != "0.38%" || f.NewRate != "" || res.Session.State != StateNewRate {
		t.Fatalf("one rate: state %s, facts %+v", res.Session.State, f)
	}
}

// TestDateInASentence: a date question answered with a sentence that names one date or month
// ("不知道哪天调的，大概今年3月") takes it; a sentence with two is still asked again.
func TestDateInASentence(t *testing.T) {
	rate := func(s *Session) {
		s.Draft.Charge, s.Draft.Facts = RateIncrease, Facts{OldRate: "0.38%", NewRate: "0.6%"}
	}
	res := step(t, at(StateRateFrom, rate), "txt:不知道哪天调的，大概今年3月")
	if got := res.Session.Draft.Facts.RateFrom; got != "2026-03" || res.Session.State == StateRateFrom {
		t.Fatalf("a month in a sentence: rate from %q, state %s, replies %v", got, res.Session.State, replyKeys(res.Replies))
	}
	res = step(t, at(StateRateFrom, rate), "txt:3月调了一次，5月又调了一次")
	if res.Session.State != StateRateFrom || res.Session.Draft.Facts.RateFrom != "" {
		t.Fatalf("two months: state %s, facts %+v", res.Session.State, res.Session.Draft.Facts)
	}
}

// TestTurnoverAtRateAmount: a merchant who knows only the month's total ("3月份刷了8万") at the
// amount question of a rate increase gets the fee taken more computed from the two rates.
func TestTurnoverAtRateAmount(t *testing.T) {
	rate := func(s *Session) {
		s.Draft.Charge, s.Draft.Deductions = RateIncrease, nil
		s.Draft.Facts = Facts{OldRate: "0.38%", NewRate: "0.6%"}
	}
	res := step(t, at(StateAmount, rate), "txt:3月份刷了8万")
	if res.Session.Pend.Amount != 17600 || res.Session.State != StateDeductionDate || res.Replies[0].Key != "turnover_typed" {
		t.Fatalf("turnover: pend %+v, state %s, replies %v", res.Session.Pend, res.Session.State, replyKeys(res.Replies))
	}
	res = step(t, at(StateAmount, func(s *Session) { s.Draft.Charge, s.Draft.Deductions = SIMFee, nil }), "txt:3月份刷了8万")
	if res.Session.State != StateAmount || res.Session.Pend.Amount != 0 {
		t.Fatalf("turnover at another charge: pend %+v, state %s", res.Session.Pend, res.Session.State)
	}
	// 8 thousand swiped, not 8 yuan (0.02)
	if res = step(t, at(StateAmount, rate), "txt:刷了8千"); res.Session.Pend.Amount != 1760 {
		t.Fatalf("刷了8千: pend %+v, replies %v", res.Session.Pend, replyKeys(res.Replies))
	}
	// a negative turnover is no turnover, not 176.00 taken more
	if res = step(t, at(StateAmount, rate), "txt:刷了-8万"); res.Session.Pend.Amount != 0 || res.Session.State != StateAmount {
		t.Fatalf("刷了-8万: pend %+v, state %s, replies %v", res.Session.Pend, res.Session.State, replyKeys(res.Replies))
	}
}

// TestGreetingResumes: a user back the next day who writes "你好，我昨天没弄完" or "在吗" at a
// question that takes any text is told where they are, and the greeting is not kept as the
// answer.
func TestGreetingResumes(t *testing.T) {
	for _, c := range []struct {
		state State
		text  string
		field func(Complaint) string
	}{
		{StateAgent, "你好，我昨天没弄完", func(c Complaint) string { return c.Agent }},
		{StateDescription, "在吗？", func(c Complaint) string { return c.Description }},
		{StateMerchantName, "我回来了", func(c Complaint) string { return c.MerchantName }},
		{StateFeePeriod, "继续", func(c Complaint) string { return c.Facts.FeePeriod }},
	} {
		res := step(t, at(c.state, func(s *Session) {
			s.Draft.Agent, s.Draft.Description, s.Draft.MerchantName, s.Draft.Facts.FeePeriod = "", "", "", ""
			s.Draft.Complainant, s.Draft.Charge = Individual, SIMFee
		}), "txt:"+c.text)
		if res.Session.State != c.state || c.field(res.Session.Draft) != "" || len(res.Replies) == 0 || res.Replies[0].Key != "resume" {
			t.Errorf("%q at %s: state %s, kept %q, replies %v", c.text, c.state, res.Session.State, c.field(res.Session.Draft), replyKeys(res.Replies))
		}
	}
}

// TestDateNeedsMonth: a year alone ("2021年", "去年") where a month is enough is told the
// month is needed, not that the date could not be read; a month is taken.
func TestDateNeedsMonth(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"2021年", "invalid_date_needs_month"}, {"2021", "invalid_date_needs_month"}, {"去年", "invalid_date_needs_month"},
		{"２０２１年吧", "invalid_date_needs_month"}, {"很久以前", "invalid_month_format"}, {"2021年3月", ""},
	} {
		got, rs := play(t, at(StateContractDate, nil), "txt:"+c.text)
		if c.want == "" {
			if got.Draft.ContractDate != "2021-03" {
				t.Errorf("%q: contract date %q", c.text, got.Draft.ContractDate)
			}
			continue
		}
		if got.State != StateContractDate || len(rs) == 0 || rs[0].Key != c.want {
			t.Errorf("%q: state %s, replies %v, want %s first", c.text, got.State, replyKeys(rs), c.want)
		}
	}
}

// TestReviewDeductionEdit: "第2笔改成69" and "删除第1笔" typed at the review change the listed
// deduction, as at "any other deduction?", and show the review again; "商户号写错了" and
// "办理日期不对" open their sections.
func TestReviewDeductionEdit(t *testing.T) {
	three := func(s *Session) {
		s.Draft.Complainant = Individual
		s.Draft.Deductions = []Deduction{{Date: "2022-03-10", Amount: 9900, Method: FromSettlement},
			{Date: "2023-03-10", Amount: 9900, Method: FromSettlement}, {Date: "2024-03-11", Amount: 9900, Method: FromSettlement}}
	}
	res := step(t, at(StateReview, three), "txt:第2笔改成69")
	if s := res.Session; s.State != StateReview || s.Draft.Deductions[1].Amount != 6900 || s.Draft.Total() != 26700 || res.Replies[0].Key != "deduction_n_changed" {
		t.Fatalf("change: state %s, deductions %+v, replies %v", s.State, s.Draft.Deductions, replyKeys(res.Replies))
	}
	res = step(t, at(StateReview, three), "txt:删除第1笔")
	if s := res.Session; s.State != StateReview || len(s.Draft.Deductions) != 2 || s.Draft.Deductions[0].Date != "2023-03-10" {
		t.Fatalf("removal: state %s, deductions %+v", s.State, s.Draft.Deductions)
	}
	res = step(t, at(StateReview, three), "txt:第5笔改成69")
	if s := res.Session; s.State != StateReview || s.Draft.Total() != 29700 || res.Replies[0].Key != "deduction_no_such" {
		t.Fatalf("no such: state %s, replies %v", s.State, replyKeys(res.Replies))
	}
	for text, want := range map[string]State{"商户号写错了": StateComplainant, "办理日期不对": StateContractDate} {
		if res := step(t, at(StateReview, three), "txt:"+text); res.Session.State != want {
			t.Errorf("%q: state %s, want %s", text, res.Session.State, want)
		}
	}
}

// TestTermsMetSaid: "达到了，三个月刷了五万多" at "were the conditions met?" is "met", and its
// words are kept for the review and the document; the button's word alone keeps none.
func TestTermsMetSaid(t *testing.T) {
	deposit := func(s *Session) {
		s.Draft.Charge, s.Draft.Facts = ServiceFee, Facts{ReturnTerms: "90天内刷满3万全额退"}
	}
	res := step(t, at(StateTermsMet, deposit), "txt:达到了，三个月刷了五万多")
	if f := res.Session.Draft.Facts; f.TermsMet != Yes || f.TermsHow != "达到了，三个月刷了五万多" || res.Session.State == StateTermsMet {
		t.Fatalf("a sentence: state %s, facts %+v", res.Session.State, f)
	}
	res = step(t, at(StateTermsMet, deposit), "txt:达到了")
	if f := res.Session.Draft.Facts; f.TermsMet != Yes || f.TermsHow != "" {
		t.Fatalf("the word alone: facts %+v", f)
	}
	res = step(t, at(StateTermsMet, deposit), "txt:刷了五万多")
	if res.Session.State != StateTermsMet || res.Session.Draft.Facts.TermsHow != "" {
		t.Fatalf("no answer in it: state %s, facts %+v", res.Session.State, res.Session.Draft.Facts)
	}
}

// TestReviewSaysBodyGuessed: the receiving body taken for a provider we do not know (the user's
// own province's PBOC branch) is said to be a suggestion in the review; a known provider's is not.
func TestReviewSaysBodyGuessed(t *testing.T) {
	guess := func(q *Question, c Complaint) bool {
		_, args := q.Review(c)
		g, _ := args["Guess"].(bool)
		return g
	}
	q := machine().question(StateBody)
	c := Complaint{Complainant: Individual, Provider: Provider{Name: "金小宝支付", Typed: "金小宝"}, Contact: Contact{City: "成都市"}, Body: "中国人民银行四川省分行"}
	if !guess(q, c) {
		t.Errorf("an unknown provider's guessed branch is not said to be a suggestion")
	}
	c.Provider, c.Body = Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}, "中国人民银行北京市分行"
	if guess(q, c) {
		t.Errorf("a known provider's branch is said to be a suggestion")
	}
}

// TestBackFromRecurring: /back from the first date after "每年扣99，扣了三年" returns to the
// amount with nothing queued, so that saying it again adds three deductions, not five.
func TestBackFromRecurring(t *testing.T) {
	s := at(StateAmount, func(s *Session) { s.Draft.Charge, s.Draft.Deductions = SIMFee, nil })
	s = step(t, s, "txt:每年扣99，扣了三年").Session
	res := step(t, s, "cmd:back")
	if s := res.Session; s.State != StateAmount || len(s.Queue) != 0 || s.Pend.Amount != 0 || res.Replies[0].Key != "deductions_queue_dropped" {
		t.Fatalf("back: state %s, pend %+v, queue %+v, replies %v", s.State, s.Pend, s.Queue, replyKeys(res.Replies))
	}
	s = step(t, res.Session, "txt:每年扣99，扣了三年").Session
	if len(s.Queue) != 2 || s.Pend.Amount != 9900 {
		t.Fatalf("said again: pend %+v, queue %+v", s.Pend, s.Queue)
	}
}

// TestMerchantNameAndNumber: the shop's name and its merchant number typed in one message are
// both kept, and the number's question passes by; a name alone is the name as before.
func TestMerchantNameAndNumber(t *testing.T) {
	merchant := func(s *Session) {
		s.Draft.Complainant, s.Draft.MerchantName, s.Draft.MerchantNumber = Individual, "", ""
	}
	res := step(t, at(StateMerchantName, merchant), "txt:老王便利店，商户号822584053110123")
	d := res.Session.Draft
	if d.MerchantName != "老王便利店" || d.MerchantNumber != "822584053110123" || res.Session.State == StateMerchantNumber || res.Replies[0].Key != "merchant_both" {
		t.Fatalf("both: state %s, name %q, number %q, replies %v", res.Session.State, d.MerchantName, d.MerchantNumber, replyKeys(res.Replies))
	}
	res = step(t, at(StateMerchantName, merchant), "txt:老王便利店")
	if d := res.Session.Draft; d.MerchantName != "老王便利店" || res.Session.State != StateMerchantNumber {
		t.Fatalf("the name alone: state %s, name %q", res.Session.State, d.MerchantName)
	}
}

// TestDeductionInASentence: "2024年3月15日 微信转给业务员 299" at the amount question keeps the
// amount, the date and the way in the user's words, and asks neither again.
func TestDeductionInASentence(t *testing.T) {
	deposit := func(s *Session) { s.Draft.Charge, s.Draft.Deductions = ServiceFee, nil }
	res := step(t, at(StateAmount, deposit), "txt:2024年3月15日 微信转给业务员 299")
	p := res.Session.Pend
	if p.Amount != 29900 || p.Date != "2024-03-15" || p.Method != FromOther || p.How != "微信转给业务员" || res.Session.State != StateLabel {
		t.Fatalf("state %s, pend %+v, replies %v", res.Session.State, p, replyKeys(res.Replies))
	}
	res = step(t, at(StateAmount, deposit), "txt:2024年3月15日 299")
	if p := res.Session.Pend; p.Amount != 29900 || p.Date != "2024-03-15" || res.Session.State != StateMethod {
		t.Fatalf("amount and date: state %s, pend %+v", res.Session.State, p)
	}
}

// dateQuestionN is the number the date question of s names its deduction by, 0 for none.
func dateQuestionN(t *testing.T, s Session) int {
	t.Helper()
	q := machine().question(StateDeductionDate)
	n, _ := q.Args(&s)["N"].(int)
	return n
}
