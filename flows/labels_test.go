package flows_test

import (
	"testing"

	"complaintbot/flows"
)

// TestTypedLabels: a button's label typed instead of pressed presses it, in either language,
// without its symbol, as one part of a label with slashes, or without its bracketed note; a
// label in the other language, or text that is no label, is not read as one.
func TestTypedLabels(t *testing.T) {
	d := newDialog(t, "zh-CN")
	d.say("你好", flows.StateConsent)
	d.say("English", flows.StateConsent) // the language button's label
	if d.s.Lang != flows.LangEN {
		t.Fatalf("lang = %s", d.s.Lang)
	}
	d.say("中文", flows.StateConsent)
	d.say("✅ 同意，开始", flows.StateComplainant)
	d.say("个人商户", flows.StateMerchantName) // "个体工商户 / 个人商户"
	d.command("back", flows.StateComplainant)
	d.say("个人消费者", flows.StateCharge)
	d.say("服务费 / 押金 / 激活费", flows.StateReturnTerms)
	d.say("跳过", flows.StateTermsMet)
	d.say("Partly met", flows.StateTermsMet) // English, while the chat is in Chinese: not a label here
	d.say("拉卡拉", flows.StateTermsMet)        // read as the provider, offered over the question
	if d.s.Offer == nil {
		t.Fatal("no offer of the provider")
	}
	d.say("部分达到", flows.StateProvider) // the question's label: its answer, the offer dropped
	if d.s.Offer != nil {
		t.Fatal("the offer stayed")
	}
	d.say("其他", flows.StateProviderName) // "其他（输入名称）"
	if d.s.Draft.Facts.TermsMet != flows.Partly {
		t.Fatalf("terms met = %q", d.s.Draft.Facts.TermsMet)
	}
	d.command("back", flows.StateProvider)
	d.command("back", flows.StateTermsMet)
	d.say("拉卡拉", flows.StateTermsMet)
	d.say("✅ 全部加入", flows.StateTermsMet) // the offer's label: taken
	if d.s.Offer != nil || d.s.Draft.Provider.Key != "lakala" {
		t.Fatalf("offer %+v, provider %+v", d.s.Offer, d.s.Draft.Provider)
	}
}
