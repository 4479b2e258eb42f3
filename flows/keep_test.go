package flows

import (
	"slices"
	"strings"
	"testing"
)

// TestTypedKeptAtButtons: a story or a fact typed at a question answered with buttons is not
// dropped with "please use the buttons": it joins the statement (or, copied, the evidence), the
// user is told, and the same question is asked again; a word or two is refused as before.
func TestTypedKeptAtButtons(t *testing.T) {
	empty := func(s *Session) { s.Draft = Complaint{Chat: 42, User: 42, Lang: LangZH} }
	for _, c := range []struct {
		state State
		text  string
	}{
		{StateComplainant, "我是开小超市的，业务员说注销不要钱，结果还是扣了钱，现在他们不接电话也不给退"},
		{StateComplainant, "I run a small shop and the agent told me cancelling was free but they took money anyway"},
		{StateCharge, "业务员说不退，打客服也没人管"},
		{StateDisclosure, "合同上根本没写这一条，办的时候业务员只说刷卡就行"},
	} {
		res := step(t, at(c.state, empty), "txt:"+c.text)
		keys := replyKeys(res.Replies)
		if res.Session.State != c.state || len(keys) == 0 || keys[0] != "typed_kept" || res.Replies[0].Args["Story"] != true {
			t.Errorf("%q at %s: state %s, replies %v", c.text, c.state, res.Session.State, keys)
			continue
		}
		if res.Session.Draft.Description != c.text {
			t.Errorf("%q at %s: statement %q", c.text, c.state, res.Session.Draft.Description)
		}
		if !slices.ContainsFunc(res.Replies[1:], func(r Reply) bool { return len(r.Choices) > 0 }) {
			t.Errorf("%q at %s: the question is not asked again: %v", c.text, c.state, keys)
		}
		// sent twice (a double send), it is kept once
		again := step(t, res.Session, "txt:"+c.text)
		if again.Session.Draft.Description != c.text {
			t.Errorf("%q sent twice at %s: statement %q", c.text, c.state, again.Session.Draft.Description)
		}
	}
	// a statement already written is added to, not replaced
	res := step(t, at(StateCharge, nil), "txt:业务员说不退，打客服也没人管")
	if d := res.Session.Draft.Description; !strings.HasPrefix(d, "注销时被扣了199元。\n") || !strings.HasSuffix(d, "打客服也没人管") {
		t.Errorf("added to a statement: %q", d)
	}
	// a copied message is kept as evidence
	sms := "【某支付】尊敬的商户，您的机具服务费已收取，如有疑问请联系客服"
	res = step(t, at(StateDisclosure, empty), "txt:"+sms)
	if ev := res.Session.Draft.Evidence; res.Session.State != StateDisclosure || len(ev) != 1 || ev[0].Caption != sms || res.Replies[0].Args["Story"] != false {
		t.Errorf("a copied SMS at the disclosure: state %s, evidence %+v, replies %v", res.Session.State, ev, replyKeys(res.Replies))
	}
	// a word or two, or a correction, is still refused with the buttons
	for _, text := range []string{"好的", "不知道", "I don't know", "不对，金额写错了，应该是299"} {
		res := step(t, at(StateCharge, empty), "txt:"+text)
		if keys := replyKeys(res.Replies); res.Session.State != StateCharge || keys[0] != "use_buttons" || res.Session.Draft.Description != "" {
			t.Errorf("%q at the charge: state %s, replies %v, statement %q", text, res.Session.State, keys, res.Session.Draft.Description)
		}
	}
}

// TestTypedKeptUnderOffer: what the user goes on to tell under an offer of what their text
// said, reading nothing new, is kept as the statement; the offer stays.
func TestTypedKeptUnderOffer(t *testing.T) {
	s := at(StateComplainant, func(s *Session) { s.Draft = Complaint{Chat: 42, User: 42, Lang: LangZH} })
	s, rs := play(t, s, "txt:5月1日被扣了199，业务员说不退")
	if s.Offer == nil {
		t.Fatalf("no offer: %v", replyKeys(rs))
	}
	const more = "当时业务员说注销是免费的，后来一直不接电话"
	s, rs = play(t, s, "txt:"+more)
	if keys := replyKeys(rs); s.Offer == nil || s.State != StateComplainant || keys[0] != "typed_kept" || !slices.Contains(keys, "paste_offer") {
		t.Fatalf("under the offer: state %s, offer %v, replies %v", s.State, s.Offer != nil, keys)
	}
	if s.Draft.Description != more {
		t.Fatalf("statement %q", s.Draft.Description)
	}
}

// TestTypedKeptWhenRefused: a story typed at a question that takes a date, an amount or a
// short text is refused as that answer, and kept as the statement, said so; a failed try at
// the answer ("2024年5月左右吧") and a key held down are not kept.
func TestTypedKeptWhenRefused(t *testing.T) {
	empty := func(s *Session) { s.Draft.Description = "" }
	const story = "当时业务员说注销是免费的，后来一直不接电话，客服也说没办法处理这个事情"
	for _, c := range []struct {
		state State
		text  string
		err   string
	}{
		{StateNegDate, story, "invalid_date_format"},
		{StateContactName, story + "我打了好几次电话，每次都说会有人回电话，可是一直没有人回。", "invalid_text_too_long"},
		{StateContactPhone, "The agent said cancelling was free and then nobody answered the phone at all", "invalid_phone_format"},
	} {
		res := step(t, at(c.state, empty), "txt:"+c.text)
		keys := replyKeys(res.Replies)
		if res.Session.State != c.state || len(keys) < 2 || keys[0] != c.err || keys[1] != "typed_kept" || res.Replies[1].Args["Buttons"] != false {
			t.Errorf("%q at %s: state %s, replies %v", c.text, c.state, res.Session.State, keys)
		}
		if res.Session.Draft.Description != c.text {
			t.Errorf("%q at %s: statement %q", c.text, c.state, res.Session.Draft.Description)
		}
	}
	for _, text := range []string{"2024年5月左右吧", "大概是去年的时候", strings.Repeat("长", 301)} {
		res := step(t, at(StateNegDate, empty), "txt:"+text)
		if slices.Contains(replyKeys(res.Replies), "typed_kept") || res.Session.Draft.Description != "" {
			t.Errorf("%q at the negotiation's date was kept: %v", text, replyKeys(res.Replies))
		}
	}
}

// TestTypedKeptAtProvider: a story without a provider's name typed at "which provider?" or at
// its legal name is refused as a name and kept as the statement.
func TestTypedKeptAtProvider(t *testing.T) {
	const story = "他们说注销要收手续费，我不同意，结果还是直接从结算款里扣掉了，打电话也没人管"
	for _, c := range []struct {
		state State
		err   string
	}{{StateProvider, "provider_not_a_name"}, {StateProviderName, "legal_name_not_a_name"}} {
		res := step(t, at(c.state, func(s *Session) { s.Draft.Description, s.Draft.Provider = "", Provider{Typed: "某某付"} }), "txt:"+story)
		keys := replyKeys(res.Replies)
		if res.Session.State != c.state || len(keys) < 2 || keys[0] != c.err || keys[1] != "typed_kept" || res.Session.Draft.Description != story {
			t.Errorf("at %s: state %s, replies %v, statement %q", c.state, res.Session.State, keys, res.Session.Draft.Description)
		}
	}
}

// TestTypedKeptWithPick: a sentence typed at a question answered with buttons that speaks of
// one of them answers it, and what it says beside the answer is kept as the statement.
func TestTypedKeptWithPick(t *testing.T) {
	const story = "没有，业务员从来没提过要收这个钱，合同上也没写"
	res := step(t, at(StateDisclosure, func(s *Session) { s.Draft.Description, s.Draft.Disclosure = "", "" }), "txt:"+story)
	if d := res.Session.Draft; d.Disclosure != NotTold || d.Description != story || replyKeys(res.Replies)[0] != "typed_kept" {
		t.Fatalf("disclosure %q, statement %q, replies %v", d.Disclosure, d.Description, replyKeys(res.Replies))
	}
	// a short answer in words is only the answer
	res = step(t, at(StateDisclosure, func(s *Session) { s.Draft.Description, s.Draft.Disclosure = "", "" }), "txt:没有，从来没提过")
	if d := res.Session.Draft; d.Disclosure != NotTold || d.Description != "" {
		t.Fatalf("short: disclosure %q, statement %q", d.Disclosure, d.Description)
	}
}

// TestLongCaptionKept: what the user writes under a file is kept whole, as long as Telegram
// lets a caption be, at the evidence step and sent early.
func TestLongCaptionKept(t *testing.T) {
	caption := strings.Repeat("业务员说注销免费，后来还是扣了钱。", 50) // 850 characters
	for _, state := range []State{StateEvidence, StateDisclosure} {
		s := at(state, nil)
		in := input(s, "file")
		in.Attachments[0].Caption = caption
		res, err := Step(t.Context(), s, in)
		if err != nil {
			t.Fatal(err)
		}
		evs := res.Session.Draft.Evidence
		if len(evs) != 2 || evs[1].Caption != caption {
			t.Errorf("at %s: %d items, last caption %d characters of %d", state, len(evs), len([]rune(evs[len(evs)-1].Caption)), len([]rune(caption)))
		}
	}
}

// TestTypedKeptOnCase: a fact typed after the document, at the offer to hand the case to staff,
// joins that case as a text evidence item and the offer is asked again; "好的" is refused as
// before, nothing added.
func TestTypedKeptOnCase(t *testing.T) {
	const news = "他们今天来电话说只能退100元，剩下的不退"
	s := at(StateSubmitted, func(s *Session) { s.LastCase = "C-1" })
	res := step(t, s, "txt:"+news)
	keys := replyKeys(res.Replies)
	if res.Session.State != StateSubmitted || len(res.Effects) != 1 || keys[0] != "evidence_added_to_case" {
		t.Fatalf("state %s, effects %+v, replies %v", res.Session.State, res.Effects, keys)
	}
	if e := res.Effects[0]; e.Kind != EffectAddEvidence || e.CaseID != "C-1" || len(e.Evidence) != 1 || e.Evidence[0].Caption != news || e.Evidence[0].Kind != EvidenceText {
		t.Fatalf("effect %+v", e)
	}
	res = step(t, s, "txt:好的")
	if len(res.Effects) != 0 || replyKeys(res.Replies)[0] != "use_buttons" {
		t.Fatalf("好的: effects %+v, replies %v", res.Effects, replyKeys(res.Replies))
	}
}

// TestTypedKeptAtReview: a story typed at the review joins the statement the review shows,
// and the review is shown again with it; the complaint is not sent.
func TestTypedKeptAtReview(t *testing.T) {
	const more = "另外业务员当时还承诺注销后一周内把押金退回来，到现在也没有退"
	res := step(t, at(StateReview, nil), "txt:"+more)
	keys := replyKeys(res.Replies)
	if res.Session.State != StateReview || len(res.Effects) != 0 || keys[0] != "typed_kept" || !slices.Contains(keys, "review") {
		t.Fatalf("state %s, effects %d, replies %v", res.Session.State, len(res.Effects), keys)
	}
	if d := res.Session.Draft.Description; d != "注销时被扣了199元。\n"+more {
		t.Fatalf("statement %q", d)
	}
}

// TestReviewChangeStillOpens: what to change, typed at the review, still opens its section,
// long or short, and is not kept as the statement.
func TestReviewChangeStillOpens(t *testing.T) {
	for _, text := range []string{"业务员", "业务员这一项要改一下，应该是张经理，当时就是他上门来办的", "名字写错了，应该是张三丰，不是张三，麻烦帮我修改一下"} {
		res := step(t, at(StateReview, nil), "txt:"+text)
		if res.Session.Draft.Description != "注销时被扣了199元。" || slices.Contains(replyKeys(res.Replies), "typed_kept") {
			t.Errorf("%q at the review: state %s, statement %q", text, res.Session.State, res.Session.Draft.Description)
		}
		if strings.HasPrefix(text, "业务员") && res.Session.State != StateAgent {
			t.Errorf("%q at the review: state %s, want the agent", text, res.Session.State)
		}
	}
}

// TestTooLongToKeep: a text longer than a statement holds, typed at a question with buttons
// and read for nothing, is refused with the limit said, not with "use the buttons".
func TestTooLongToKeep(t *testing.T) {
	long := strings.Repeat("业务员一直拖着不给办理注销，客服也推来推去。", 150) // 3300 characters
	res := step(t, at(StateDisclosure, nil), "txt:"+long)
	keys := replyKeys(res.Replies)
	if res.Session.State != StateDisclosure || keys[0] != "invalid_text_too_long" || res.Replies[0].Args["Max"] != maxDescription {
		t.Fatalf("state %s, replies %v", res.Session.State, keys)
	}
}
