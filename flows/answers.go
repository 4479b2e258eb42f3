package flows

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"complaintbot/places"
	"complaintbot/providers"
)

// answer applies the input to the current question. action is the button's action, or empty
// for anything typed or sent.
func (st *stepper) answer(ctx context.Context, action string) error {
	if st.relaying(action) {
		return nil
	}
	if a := st.typedLabel(); a != "" {
		if g, ok := strings.CutPrefix(a, "!"); ok {
			return st.global(ctx, g)
		}
		action = a // a button's label typed: as if it was pressed
	}
	if st.s.Offer != nil {
		if ok, err := st.answerOffer(ctx, action); ok {
			return err
		}
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateAmount && !st.s.PendPasted && !hasDirectionControl(st.in.Text) {
		if ad, err := ParseAmountDate(st.in.Text, st.in.Now); err == nil {
			return st.amountWithDate(ctx, ad)
		}
		if r, ok := ParseRecurring(st.in.Text); ok && st.s.Offer == nil {
			return st.recurring(ctx, r) // the plain answer, not something to confirm
		}
	}
	if action == "" && st.in.Kind == InputText && st.correctsAmount() {
		return nil
	}
	if action == "" && st.in.Kind == InputText && (st.s.State == StateNegTicket || st.s.State == StateDeregTicket) {
		if ok, err := st.notATicket(ctx); ok {
			return err
		}
	}
	if action == "" && st.offerFromText() {
		return nil
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateAmount && !st.s.PendPasted && !hasDirectionControl(st.in.Text) {
		if _, err := ParseAmount(st.in.Text); err != nil {
			if f := st.s.Draft.Facts; st.s.Draft.Charge == RateIncrease {
				if turnover, ok := ParseTurnover(st.in.Text); ok {
					if extra, ok := ExtraFee(turnover, f.OldRate, f.NewRate); ok {
						// "3月份刷了8万": the merchant knows the month's total, not the fee in it
						st.s.Pend.Amount = extra
						st.say("turnover_typed", map[string]any{"Turnover": turnover.String(), "Old": f.OldRate, "New": f.NewRate, "Amount": extra.String()})
						return st.fire(ctx, evNext)
					}
				}
			}
			if ad, rest, ok := DeductionWords(st.in.Text, st.in.Now); ok && rest != "" {
				return st.deductionWords(ctx, ad, rest)
			}
			if ad, ok := ParseAmountLead(st.in.Text, st.in.Now); ok && ad.Date != "" {
				return st.amountWithDate(ctx, ad)
			} else if ok {
				// "99元，去年3月": the amount is kept and the date question asks for the day
				st.s.Pend.Amount = ad.Amount
				st.say("amount_typed", map[string]any{"Amount": ad.Amount.String()})
				return st.fire(ctx, evNext)
			}
		}
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateOldRate && !hasDirectionControl(st.in.Text) {
		if _, err := ParseRate(st.in.Text); err != nil {
			if old, new, ok := ParseRates(st.in.Text); ok {
				// "原来0.38%，现在0.6%": both rates at once; the new rate's question passes by
				st.s.Draft.Facts.OldRate, st.s.Draft.Facts.NewRate = old, new
				st.fill(StateNewRate)
				st.say("rates_typed", map[string]any{"Old": old, "New": new})
				return st.advance(ctx, machine().question(StateOldRate))
			}
		}
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateMerchantName && !hasDirectionControl(st.in.Text) {
		if name, number, ok := SplitMerchant(st.in.Text); ok {
			// "老王便利店，商户号822584053110123": both answers, the number's question passes by
			if v, err := CleanText(name, maxShort); err == nil {
				st.s.Draft.MerchantName, st.s.Draft.MerchantNumber = v, number
				st.fill(StateMerchantNumber)
				st.say("merchant_both", map[string]any{"Name": v, "Number": number})
				return st.advance(ctx, machine().question(StateMerchantName))
			}
		}
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateTermsMet {
		return st.termsMet(ctx)
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateReturnTerms && copiedChat(st.in.Text) {
		return st.promisePasted(ctx)
	}
	return st.answerQuestion(ctx, action)
}

// yearOnly is a year said without its month: 2021年, 2021, 去年, 前年的时候.
var yearOnly = regexp.MustCompile(`^(?:(?:19|20)[0-9]{2}\s*年?|今年|去年|前年)(?:的时候|左右|吧|那会儿?|底|初|年底|年初)?$`)

// yearAlone reports whether t names a year and nothing finer ("2021年", "去年").
func yearAlone(t string) bool {
	return yearOnly.MatchString(trimSentence(foldWidth(strings.TrimSpace(t))))
}

// clockTime finds a time of day as chat apps print it: 14:22, 9:05:33.
var clockTime = regexp.MustCompile(`(^|[^0-9])[0-2]?[0-9][:：][0-5][0-9]([^0-9]|$)`)

// copiedChat reports whether text reads as messages copied from a chat or an SMS, not typed
// as an answer: quoted, or several lines one of which carries a time of day or a date.
func copiedChat(text string) bool {
	t := strings.TrimSpace(text)
	if pasted(t) {
		return true
	}
	return strings.Contains(t, "\n") && (clockTime.MatchString(t) || dateInText.MatchString(t))
}

// termsMet takes "were the conditions met?" answered by typing; a sentence that says more than
// the answer ("达到了，三个月刷了五万多") keeps its words (Facts.TermsHow) for the review and the
// document, where they were dropped.
func (st *stepper) termsMet(ctx context.Context) error {
	t := strings.TrimSpace(st.in.Text)
	if err := st.answerQuestion(ctx, ""); err != nil || st.s.State == StateTermsMet {
		return err
	}
	fw := firstWord(t)
	rest := strings.Trim(strings.TrimSpace(foldWidth(t))[len(fw):], " ,;。.！!")
	if fw == "" || rest == "" {
		st.s.Draft.Facts.TermsHow = ""
		return nil
	}
	if v, err := CleanText(t, maxAgent); err == nil {
		st.s.Draft.Facts.TermsHow = v
	}
	return nil
}

// promisePasted takes the agent's promise pasted at the return-terms question (a WeChat chat
// copied as text): it is the terms, and also the written promise DOMAIN.md §5 lists as the
// evidence of a deposit, so it is kept as an evidence item with its own date, and the user told.
func (st *stepper) promisePasted(ctx context.Context) error {
	n := len(st.replies)
	if err := st.answerQuestion(ctx, ""); err != nil || st.s.State == StateReturnTerms {
		return err
	}
	d := &st.s.Draft
	t, err := CleanText(st.in.Text, maxEvidenceText)
	if err != nil || len(d.Evidence) >= maxEvidence || slices.ContainsFunc(d.Evidence, func(e Evidence) bool { return e.Caption == t }) {
		return nil
	}
	d.Evidence = append(d.Evidence, Evidence{Kind: EvidenceText, Caption: t, ReceivedAt: st.in.Now, Date: DateIn(t, st.in.Now)})
	st.replies = slices.Insert(st.replies, n, Reply{Key: "promise_kept", Args: map[string]any{"N": len(d.Evidence)}})
	return nil
}

// correctsAmount takes "不对，是198" typed at the questions after a deduction's amount (its
// date, how it was taken, its name) as the amount corrected: the amount is changed, the user
// told, and the question asked again. It reports whether it did.
func (st *stepper) correctsAmount() bool {
	switch st.s.State {
	case StateDeductionDate, StateMethod, StateLabel:
	default:
		return false
	}
	rest, ok := correction(st.in.Text)
	if !ok || st.s.Pend.Amount == 0 {
		return false
	}
	f, err := ParseAmount(rest)
	if err != nil {
		return false
	}
	st.s.Pend.Amount = f
	st.say("amount_corrected", map[string]any{"Amount": f.String()})
	st.ask()
	return true
}

// notATicket reads text typed at a ticket-number question that holds no digit, which no
// ticket number lacks: "没给我工单号" says there is none (the question is skipped); at the
// negotiation's ticket, anything else is the provider's reply typed a question early ("客服说
// 不退"), kept as the reply, whose question then passes by; at the de-registration's ticket it is
// refused with an example. The skip words are left to the question. It reports whether it
// answered.
func (st *stepper) notATicket(ctx context.Context) (bool, error) {
	q := machine().question(st.s.State)
	t := strings.TrimSpace(st.in.Text)
	if t == "" || strings.ContainsFunc(t, func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }) ||
		typedSkip(said(t), q) != skipNot || said(t).buttonWord() {
		return false, nil
	}
	lower := strings.ToLower(t)
	for _, w := range []string{"工单", "单号", "编号", "受理号", "ticket", "case number", "reference"} {
		if strings.Contains(lower, w) {
			return true, q.Answer.answer(ctx, st, q, "skip") // "没给我工单号": none
		}
	}
	if st.s.State == StateDeregTicket {
		st.invalid(ErrTicketFormat)
		return true, nil
	}
	v, err := CleanText(t, maxReply)
	if err != nil {
		return false, nil // the question's own refusal
	}
	st.s.Draft.Negotiation.Ticket = ""
	st.s.Draft.Negotiation.Reply, st.s.Draft.Negotiation.Verbatim = v, pasted(v)
	if !slices.Contains(st.s.Filled, StateNegReply) {
		st.s.Filled = append(st.s.Filled, StateNegReply)
	}
	st.say("ticket_was_reply", nil)
	return true, st.advance(ctx, q)
}

// recurring takes "每年扣99，扣了三年" typed at the amount question: as many deductions of that
// sum as it says (within what the complaint holds), each then asked for its date and way of
// taking as a pasted one is; the user is told how many and their total.
func (st *stepper) recurring(ctx context.Context, r Recurring) error {
	room := maxDeductions - len(st.s.Draft.Deductions) - len(st.s.Queue)
	r.Times = min(r.Times, room)
	if r.Times < 1 {
		st.say("deductions_limit", map[string]any{"Max": maxDeductions})
		st.ask()
		return nil
	}
	st.s.Pend, st.s.PendPasted = Deduction{Amount: r.Amount}, true
	for range r.Times - 1 {
		st.s.Queue = append(st.s.Queue, Deduction{Amount: r.Amount})
	}
	st.say("recurring_typed", map[string]any{"Amount": r.Amount.String(), "Count": r.Times, "Total": r.Total().String()})
	return st.fire(ctx, evNext)
}

// deductionWords takes a deduction said in a sentence at the amount question ("2024年3月15日
// 微信转给业务员 299"): its amount and date, and how it was taken when the words left say it
// (a button's way, or one in the user's words such as 微信转给业务员), so none of it is asked again.
func (st *stepper) deductionWords(ctx context.Context, ad AmountDate, rest string) error {
	p := &st.s.Pend
	r := said(rest)
	switch m := Method(r.method()); {
	case m != "" && m != FromOther:
		p.Method = m
	case namesWay(rest):
		if t, err := CleanText(rest, maxShort); err == nil {
			p.Method, p.How = FromOther, t
		}
	default:
		if v, ok := mentioned(rest, "method_", []Method{FromSettlement, FromBankCard, FromWallet}); ok {
			p.Method = v // "从结算款扣了"
		}
	}
	return st.amountWithDate(ctx, ad)
}

// amountWithDate takes the amount question's answer typed with its date ("199元 2024年5月1日"):
// both are kept, the date question passes by, and the user is told what was taken.
func (st *stepper) amountWithDate(ctx context.Context, ad AmountDate) error {
	st.s.Pend.Amount, st.s.Pend.Date, st.s.PendPasted = ad.Amount, ad.Date, true
	st.say("deduction_typed", map[string]any{"Amount": ad.Amount.String(), "Date": string(ad.Date), "YearAssumed": ad.YearAssumed})
	return st.fire(ctx, evNext)
}

// answerQuestion applies the input to the current question itself.
func (st *stepper) answerQuestion(ctx context.Context, action string) error {
	switch st.in.Kind {
	case InputAttachment:
		if st.s.State != StateEvidence {
			st.strayFiles()
			return nil
		}
	case InputOther:
		st.say("unsupported_input", nil)
		st.ask()
		return nil
	}
	if q := machine().question(st.s.State); q != nil {
		if action == "" && st.in.Kind == InputText {
			switch typedSkip(said(st.in.Text), q) {
			case skipTyped:
				action = "skip" // as if the button was pressed
			case skipUnknown:
				action = "unknown"
			case skipRefused:
				st.say("skip_needed", nil)
				st.ask()
				return nil
			}
			if k := laterAnswer(q, said(st.in.Text)); k != "" {
				// "费率上调" typed at the company's name: the charge question's answer, early
				st.say("typed_later_answer", map[string]any{"Value": strings.TrimSpace(st.in.Text), "Question": Text{Key: k}})
				st.ask()
				return nil
			}
			if typesAnswer(q) && said(st.in.Text).buttonWord() {
				// "完成" or "全部加入" typed where a name or an address is asked: a button of
				// another step, not the answer (a complainant named 完成)
				st.say("typed_button_word", nil)
				st.ask()
				return nil
			}
		}
		if action == "keep" && st.kept(q) != "" {
			return st.advance(ctx, q) // changing from the review: this answer stays as it is
		}
		if q.Optional && action == "skip_rest" {
			// this one and every optional question after it
			rest := st.optionalAfter(q)
			if len(st.s.Draft.Evidence) > 0 {
				rest = append(rest, StateEvidence) // more evidence is optional once there is some
			}
			for _, s := range rest {
				if !slices.Contains(st.s.Filled, s) {
					st.s.Filled = append(st.s.Filled, s)
				}
			}
			action = "skip"
		}
		return q.Answer.answer(ctx, st, q, action)
	}
	return nil
}

// answerCharge takes the charge kind, or a consumer's switch to complaining as a merchant
// (askCharge), which asks the merchant's questions before the charge again.
func (st *stepper) answerCharge(ctx context.Context, action string) error {
	if action == "" && st.in.Kind == InputText {
		r := said(st.in.Text)
		action = r.charge()
		if w := r.who(); (w == string(Individual) || w == string(Company)) && st.s.Draft.Complainant == Consumer && !st.s.Editing {
			action = "as=" + w // "我是商户": the switch the question offers a consumer
		}
	}
	if as, ok := strings.CutPrefix(action, "as="); ok && st.s.Draft.Complainant == Consumer && !st.s.Editing {
		switch t := ComplainantType(as); t {
		case Individual:
			setComplainant(&st.s, t)
			return st.fire(ctx, evIndividual)
		case Company:
			setComplainant(&st.s, t)
			return st.fire(ctx, evCompany)
		}
	}
	k, ok := oneOf(action, ChargeKinds()...)
	if !ok {
		return st.buttonsOnly(action)
	}
	if st.s.Draft.Charge != k {
		st.s.Draft.Facts = Facts{} // the facts of another kind do not apply
	}
	st.s.Draft.Charge = k
	return st.advance(ctx, machine().question(StateCharge))
}

// answerConsent takes consent; a refusal is asked again.
func (st *stepper) answerConsent(ctx context.Context, action string) error {
	if action == "" && st.in.Kind == InputText {
		action = said(st.in.Text).consent()
		if action == "" && utf8.RuneCountInString(strings.TrimSpace(st.in.Text)) > 12 {
			// a story or an SMS before the notice is agreed to: it is not kept, and the user
			// is told so, not only asked to press a button
			st.say("consent_first_text", nil)
			st.ask()
			return nil
		}
	}
	switch action {
	case "agree":
		st.s.Consented = true
		return st.fire(ctx, evAgree)
	case "decline":
		st.sayWith("consent_declined", nil, st.choice("consent_agree", "agree", nil))
		return nil
	}
	return st.buttonsOnly(action)
}

// answerProvider takes a known provider's button, "another", or a typed name: a name that
// matches a known provider's is that provider; a legal name (…公司) is taken as typed; any
// other is kept as typed and the legal name asked next.
func (st *stepper) answerProvider(ctx context.Context, action string) error {
	d := &st.s.Draft
	if action == "other" {
		d.Provider = Provider{}
		return st.fire(ctx, evOtherProvider)
	}
	if action != "" {
		p, ok := st.providers().ByKey(action)
		if !ok {
			return st.stale()
		}
		st.setProvider(known(p))
		return st.advance(ctx, machine().question(StateProvider))
	}
	name, ok := st.text(maxProviderName)
	if !ok {
		return nil
	}
	if ms := st.providers().Mentioned(name); len(ms) > 1 {
		// "拉卡拉和乐刷都扣了": one complaint names one respondent; say so, and ask which first
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
			if len(m.Short) > 0 {
				names[i] = m.Short[0]
			}
		}
		st.say("one_provider_each", map[string]any{"Value": strings.Join(names, "、")})
		st.ask()
		return nil
	}
	p, found := st.providers().Match(name)
	if namesAgent(name) && !(sentence(name) && strings.ContainsAny(name, "元扣退押钱")) {
		// "业务员张经理": not the respondent; a story that mentions the agent is still a story
		return st.agentAtProvider(ctx, name, p, found)
	}
	if r := said(name); r.yesNo() != "" || utf8.RuneCountInString(name) < 2 || !found && sentence(name) {
		// "是", "没有", a story: an answer to another question, not a provider
		st.say("provider_not_a_name", nil)
		st.keepTyped(true) // a story typed here is not lost with the refusal
		st.ask()
		return nil
	}
	switch {
	case found:
		st.setProvider(known(p))
	case legalName(name):
		d.Provider = Provider{Name: name}
	default:
		d.Provider = Provider{Typed: name}
	}
	return st.advance(ctx, machine().question(StateProvider))
}

// agentWords name the one who sold the terminal, not the payment institution.
var agentWords = []string{"业务员", "業務員", "代理商", "代理", "推销", "銷售", "销售", "地推", "经理", "經理", "sales agent", "salesman", "reseller"}

// namesAgent reports whether text typed at the provider question names the sales agent or
// reseller ("业务员张经理", "代理商老刘那里办的") rather than the institution that took the money.
func namesAgent(text string) bool {
	return containsAnyFold(text, agentWords)
}

// containsAnyFold reports whether s holds one of words, Latin letters compared without case.
func containsAnyFold(s string, words []string) bool {
	l := strings.ToLower(s)
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(l, w) })
}

// agentAtProvider takes text at the provider question that names the agent: an agent is not
// the respondent, so the text is kept as the agent (when none is), and the provider is taken
// only when the text names a known one ("拉卡拉的业务员小王"); otherwise the question is asked
// again with where the institution's name is found and that a brand on the terminal will do.
func (st *stepper) agentAtProvider(ctx context.Context, text string, p providers.Provider, found bool) error {
	d := &st.s.Draft
	if d.Agent == "" {
		if v, err := CleanText(text, maxAgent); err == nil {
			d.Agent = v
			st.fill(StateAgent)
		}
	}
	if found {
		st.setProvider(known(p))
		st.say("provider_agent_kept", map[string]any{"Value": d.Agent})
		return st.advance(ctx, machine().question(StateProvider))
	}
	st.say("provider_not_agent", map[string]any{"Value": d.Agent})
	st.ask()
	return nil
}

// sentence reports whether text reads as a sentence, not a company's name: it has a Chinese
// sentence's punctuation (，。！？；) or "!", "?" or ";". ("Co., Ltd." keeps its comma.)
func sentence(text string) bool {
	return strings.ContainsAny(text, "，。！？；!?;")
}

// answerProviderName takes the legal name of a provider the user typed by another name.
func (st *stepper) answerProviderName(ctx context.Context, action string) error {
	name, ok := st.textOnly(action, maxProviderName)
	if !ok {
		return nil
	}
	d := &st.s.Draft
	if r := said(name); r.none() || r.skip() {
		// "不知道": the question says to give the name they know, which is the one they typed
		if d.Provider.Typed == "" {
			st.say("skip_needed", nil)
			st.ask()
			return nil
		}
		name = d.Provider.Typed
	}
	p, found := st.providers().Match(name)
	if !found && sentence(name) {
		st.say("legal_name_not_a_name", nil)
		st.keepTyped(true)
		st.ask()
		return nil
	}
	if found {
		st.setProvider(known(p))
	} else {
		typed := d.Provider.Typed
		if typed == "" {
			typed = name // the name they gave is what they typed: it marks this question as asked
		}
		d.Provider = Provider{Name: name, Typed: typed}
	}
	return st.advance(ctx, machine().question(StateProviderName))
}

// answerLabel takes what the provider called the charge: a suggestion, typed text, or skip;
// the deduction being written is then complete and joins the list.
func (st *stepper) answerLabel(ctx context.Context, action string) error {
	var label string
	switch {
	case action == "skip":
	case strings.HasPrefix(action, "l="):
		n, err := strconv.Atoi(action[2:])
		sugg := labelSuggestions(st.s.Draft.Charge)
		if err != nil || n < 0 || n >= len(sugg) {
			return st.stale()
		}
		label = sugg[n]
	default:
		t, ok := st.textOnly(action, maxShort)
		if !ok {
			return nil
		}
		// "跳过", "没有了", "不知道", "就这些" typed are the skip button, not a name
		if r := said(t); !r.skip() && !r.none() && r.yesNo() != string(No) && !r.done() {
			label = t
		}
	}
	st.s.Pend.Label = label
	keepPend(&st.s)
	return st.fire(ctx, evNext)
}

// answerMethod takes the way the deduction was taken: a button, or its name typed. After
// "other" it takes the user's words for it (or skip, or a change of mind: another way's
// button, its name typed); words typed at the buttons that name none of them are the other
// way's words.
func (st *stepper) answerMethod(ctx context.Context, action string) error {
	q := machine().question(StateMethod)
	p := &st.s.Pend
	if p.Method == FromOther {
		switch action {
		case "skip":
			p.How = ""
			return st.advance(ctx, q)
		case "change":
			p.Method, p.How = "", ""
			st.ask()
			return nil
		}
		t, ok := st.textOnly(action, maxShort)
		if !ok {
			return nil
		}
		r := said(t)
		switch m := Method(r.method()); {
		case m != "" && m != FromOther:
			p.Method, p.How = m, "" // "其实是银行卡": another way after all
		case r.skip() || r.none() || r.done() || r.yesNo() != "" || m == FromOther || !strings.ContainsFunc(t, unicode.IsLetter):
			p.How = "" // "跳过", "不知道": no words for it
		default:
			p.How = t
		}
		return st.advance(ctx, q)
	}
	if action == "" && st.in.Kind == InputText {
		r := said(st.in.Text)
		m := r.method()
		if m == "" {
			if v, ok := mentioned(st.in.Text, "method_", []Method{FromSettlement, FromBankCard, FromWallet, FromOther}); ok {
				m = string(v) // "从结算款里扣的": the one way the sentence speaks of
			}
		}
		if (m == "" || m == string(FromOther) && r.method() == "") && namesWay(st.in.Text) {
			// "微信转账给业务员": a way the buttons do not offer, in the user's words
			if t, err := CleanText(st.in.Text, maxShort); err == nil {
				p.Method, p.How = FromOther, t
				return st.advance(ctx, q)
			}
		}
		if m == "" {
			return st.buttonsOnly(action)
		}
		action = m
	}
	v, ok := oneOf(action, FromSettlement, FromBankCard, FromWallet, FromOther)
	if !ok {
		return st.buttonsOnly(action)
	}
	p.Method, p.How = v, ""
	if v == FromOther {
		st.ask() // in the user's own words, if they like
		return nil
	}
	return st.advance(ctx, q)
}

// wayWords name ways of paying that the method buttons do not offer: typed at them, the text is
// the other way's words. Words without one ("扣走了", "sorry wrong") are asked to use the buttons.
var wayWords = []string{"微信", "支付宝", "转账", "现金", "扫码", "红包", "收款码", "汇款", "代扣", "话费",
	"wechat", "alipay", "transfer", "cash", "qr code", "paid to", "phone bill"}

// namesWay reports whether text names a way of paying the method buttons do not offer.
func namesWay(text string) bool {
	t := strings.ToLower(foldWidth(text))
	if _, ok := correction(text); ok {
		return false
	}
	return slices.ContainsFunc(wayWords, func(w string) bool { return strings.Contains(t, w) })
}

// answerNotice takes "no notice", "not sure", "notified (date not remembered)", or the
// notice's date typed.
func (st *stepper) answerNotice(ctx context.Context, action string) error {
	f := &st.s.Draft.Facts
	if action == "" && st.in.Kind == InputText {
		r := said(st.in.Text)
		action = r.yesNo() // "没有" is "no notice"; "是" notified, date not remembered
		if action == "" {
			action = r.notice()
		}
	}
	if v, ok := oneOf(action, No, NotSureYN, Yes); ok {
		f.Notice, f.NoticeOn = v, ""
		return st.advance(ctx, machine().question(StateNotice))
	}
	if action != "" {
		return st.stale()
	}
	d, ok := st.dateOf("", true)
	if !ok {
		return nil
	}
	f.Notice, f.NoticeOn = Yes, d
	return st.advance(ctx, machine().question(StateNotice))
}

// answerDateCheck opens the answer whose date the user fixes, or keeps the dates as they are.
func (st *stepper) answerDateCheck(ctx context.Context, action string) error {
	if name, ok := strings.CutPrefix(action, "fix="); ok {
		sec, known := sectionNamed(name)
		if !known {
			return st.stale()
		}
		st.s.Editing = true
		at := sec.Start
		for _, p := range DateProblems(st.s.Draft) {
			if p.Section == name && p.At != "" {
				at = p.At // the rate's date alone, not the charge's kind and rates before it
			}
		}
		st.goTo(at)
		return nil
	}
	if action == "keep" {
		st.s.Draft.DatesConfirmed = true
		return st.fire(ctx, evNext)
	}
	return st.buttonsOnly(action)
}

// answerMoreDeductions runs the deductions loop: another, remove the last, done.
func (st *stepper) answerMoreDeductions(ctx context.Context, action string) error {
	d := &st.s.Draft
	if action == "" && st.in.Kind == InputText {
		// "还有其他扣款吗？" answered by typing
		switch r := said(st.in.Text); {
		case r.yesNo() == string(Yes) || r.more():
			action = "more"
		case r.yesNo() == string(No) || r.done():
			action = "done"
		default:
			if e, ok := readDeductionEdit(st.in.Text); ok {
				return st.editDeduction(ctx, e)
			}
			if ad, ok := typedDeduction(st.in.Text, st.in.Now); ok && len(d.Deductions) < maxDeductions && !hasDirectionControl(st.in.Text) {
				return st.nextDeduction(ctx, ad)
			}
		}
	}
	switch action {
	case "more":
		if len(d.Deductions) >= maxDeductions {
			st.say("deductions_limit", map[string]any{"Max": maxDeductions})
			st.ask()
			return nil
		}
		return st.fire(ctx, evMore)
	case "remove":
		if len(d.Deductions) > 0 {
			d.Deductions = d.Deductions[:len(d.Deductions)-1]
		}
		if len(d.Deductions) == 0 {
			st.say("deductions_empty", nil)
			return st.fire(ctx, evMore)
		}
		st.say("deduction_removed", nil)
		st.ask()
		return st.fire(ctx, evStay)
	case "done":
		if len(d.Deductions) == 0 {
			return st.fire(ctx, evMore)
		}
		return st.fire(ctx, evNext)
	}
	return st.buttonsOnly(action)
}

// typedDeduction reads the next deduction typed at "any other deduction?" instead of pressing
// "add another": an amount, alone or with its date ("250 2024年12月31日", "交了99").
func typedDeduction(text string, now time.Time) (AmountDate, bool) {
	if ad, err := ParseAmountDate(text, now); err == nil {
		return ad, true
	}
	if f, err := ParseAmount(text); err == nil {
		return AmountDate{Amount: f}, true
	}
	return ParseAmountLead(text, now)
}

// nextDeduction starts the next deduction with the amount (and date) typed at "any other
// deduction?", as if "add another" was pressed and the amount question answered.
func (st *stepper) nextDeduction(ctx context.Context, ad AmountDate) error {
	to, err := decide(ctx, st.s.State, evMore)
	if err != nil {
		return fmt.Errorf("next deduction from %s: %w", st.s.State, err)
	}
	st.s.State = to
	st.enter()
	if ad.Date != "" {
		return st.amountWithDate(ctx, ad)
	}
	st.s.Pend.Amount = ad.Amount
	st.say("amount_typed", map[string]any{"Amount": ad.Amount.String()})
	return st.fire(ctx, evNext)
}

// editDeduction applies a typed change to one listed deduction ("删除第1笔", "第2笔改成198"):
// the list is shown again with the change, or the user is told that no deduction has that
// number, or that the value is neither an amount nor a date.
func (st *stepper) editDeduction(ctx context.Context, e deductionEdit) error {
	d := &st.s.Draft
	if e.N < 1 || e.N > len(d.Deductions) {
		st.say("deduction_no_such", map[string]any{"N": e.N, "Count": len(d.Deductions)})
		st.ask()
		return nil
	}
	i := e.N - 1
	if e.Remove {
		d.Deductions = slices.Delete(d.Deductions, i, i+1)
		if len(d.Deductions) == 0 {
			d.Deductions = nil
			st.say("deductions_empty", nil)
			return st.fire(ctx, evMore)
		}
		st.say("deduction_n_removed", map[string]any{"N": e.N})
		st.ask()
		return st.fire(ctx, evStay)
	}
	if !st.changeDeduction(i, e.Value) {
		st.say("deduction_edit_unread", map[string]any{"N": e.N})
		st.ask()
		return nil
	}
	st.say("deduction_n_changed", map[string]any{"N": e.N})
	st.ask()
	return st.fire(ctx, evStay)
}

// changeDeduction sets the i-th deduction's amount or date to value; false when value is
// neither.
func (st *stepper) changeDeduction(i int, value string) bool {
	d := &st.s.Draft
	if f, err := ParseAmount(value); err == nil {
		d.Deductions[i].Amount = f
	} else if date, err := ParseDate(value, st.in.Now); err == nil {
		d.Deductions[i].Date = date
	} else {
		return false
	}
	return true
}

// reviewDeductionEdit applies "第2笔改成69" or "删除第3笔" typed at the review, as the list of
// deductions takes them, and shows the review again with the change (and its new total);
// removing the only deduction opens the deductions, which the complaint needs.
func (st *stepper) reviewDeductionEdit(ctx context.Context, e deductionEdit) error {
	d := &st.s.Draft
	switch {
	case e.N < 1 || e.N > len(d.Deductions):
		st.say("deduction_no_such", map[string]any{"N": e.N, "Count": len(d.Deductions)})
	case e.Remove && len(d.Deductions) == 1:
		st.s.Editing = true
		return st.fire(ctx, "edit_deductions")
	case e.Remove:
		d.Deductions = slices.Delete(d.Deductions, e.N-1, e.N)
		st.say("deduction_n_removed", map[string]any{"N": e.N})
	case !st.changeDeduction(e.N-1, e.Value):
		st.say("deduction_edit_unread", map[string]any{"N": e.N})
	default:
		st.say("deduction_n_changed", map[string]any{"N": e.N})
	}
	st.ask()
	return nil
}

// answerRequests toggles a request, or finishes them (into "other request" when it is on).
func (st *stepper) answerRequests(ctx context.Context, action string) error {
	d := &st.s.Draft
	if k, ok := strings.CutPrefix(action, "t="); ok {
		r, ok := oneOf(k, RequestKinds()...)
		if !ok {
			return st.stale()
		}
		d.Requests = toggle(d.Requests, r)
		st.ask()
		return st.fire(ctx, evStay)
	}
	if action == "" && st.in.Kind == InputText && said(st.in.Text).done() {
		action = "done" // "完成" or "好了" typed for "选好了"
	}
	if action == "done" {
		if len(d.Requests) == 0 {
			st.say("requests_empty", nil)
			st.ask()
			return nil
		}
		if !d.HasRequest(RequestOther) {
			d.OtherRequest = ""
		}
		return st.fire(ctx, machine().next(StateRequests, *d))
	}
	return st.buttonsOnly(action)
}

// answerBody takes a suggested body or a typed one.
func (st *stepper) answerBody(ctx context.Context, action string) error {
	d := &st.s.Draft
	if i, ok := strings.CutPrefix(action, "b="); ok {
		n, err := strconv.Atoi(i)
		routes := Routes(*d, st.providers())
		if err != nil || n < 0 || n >= len(routes) {
			return st.stale()
		}
		d.Body, st.s.BodyAuto = routes[n].Body, false
		return st.advance(ctx, machine().question(StateBody))
	}
	if v, ok := st.textOnly(action, maxShort); ok {
		if body := placeBody(*d, Routes(*d, st.providers()), v); body != "" {
			v = body // "深圳", "Shenzhen": that place's body of the kind the route suggests
		}
		if !hasHan(v) {
			st.invalid(ErrBodyChinese)
			return nil
		}
		d.Body, st.s.BodyAuto = v, false
		return st.advance(ctx, machine().question(StateBody))
	}
	return nil
}

// placeBody reads typed text that names only a place ("深圳", "Shenzhen") as that place's
// receiving body of the kind the first route suggests (a merchant's PBOC branch, a consumer's
// consumer association or market regulator): a complaint goes to an institution, not a city.
// "" when the text names an institution or no single city.
func placeBody(c Complaint, routes []Route, typed string) string {
	for _, w := range []string{"行", "局", "会", "院", "委", "部", "厅", "所", "中心", "平台", "12315", "12363"} {
		if strings.Contains(typed, w) {
			return ""
		}
	}
	city, ok := places.Find(typed)
	if !ok {
		return ""
	}
	first := ""
	if len(routes) > 0 {
		first = routes[0].Body
	}
	switch {
	case strings.Contains(first, "市场监督"):
		return city.MarketRegulator()
	case strings.Contains(first, "消费者"), first == "" && c.Complainant == Consumer:
		return city.ConsumerAssociation()
	}
	return city.PBOCBranch()
}

// answerReview opens a section for a change, or finishes the complaint.
func (st *stepper) answerReview(ctx context.Context, action string) error {
	if action == "" && st.in.Kind == InputText {
		// "确认", or what to change typed: "手机号写错了" opens the contact
		if said(st.in.Text).confirmed() {
			action = "confirm"
		} else if e, ok := readDeductionEdit(st.in.Text); ok {
			return st.reviewDeductionEdit(ctx, e)
		} else if name := section(st.in.Text); name != "" && st.reviewed(name) && !storyAtReview(st.in.Text) {
			action = "edit=" + name
		}
	}
	if name, ok := strings.CutPrefix(action, "edit="); ok {
		if _, known := sectionNamed(name); !known {
			return st.stale()
		}
		st.s.Editing = true
		if name == "contact" && st.in.Kind == InputText && namesPhone(st.in.Text) {
			return st.editPhone(ctx)
		}
		return st.fire(ctx, "edit_"+name)
	}
	if action == "confirm" {
		return st.finish(ctx)
	}
	if action == "" && st.in.Kind == InputText && !storyAtReview(st.in.Text) {
		// what to change that names no section ("名字写错了…"): not kept as the statement
		st.say("use_buttons", nil)
		st.correctionHint()
		st.ask()
		return nil
	}
	return st.buttonsOnly(action)
}

// storyAtReview reports whether text typed at the review is more of the user's story
// ("另外业务员当时还承诺…"), a dozen words or more that ask for no change, rather than what to
// change ("业务员名字写错了"): it joins the statement instead of opening the section it names.
func storyAtReview(text string) bool {
	t, err := CleanText(text, maxDescription)
	if err != nil || !worthKeeping(t, true) {
		return false
	}
	return !containsAnyFold(t, []string{"改", "错", "更正", "换成", "change", "edit", "wrong", "fix", "correct", "instead"})
}

// editPhone opens the phone question for "手机号写错了" typed at the review, not the name
// before it; a number in the text ("手机号写错了，是139…") is taken as the answer.
func (st *stepper) editPhone(ctx context.Context) error {
	st.s.State, st.moved = StateContactPhone, true
	if p := phoneIn.FindString(foldWidth(st.in.Text)); p != "" {
		if _, err := ParsePhone(p); err == nil {
			st.in.Text = p
			return st.answerQuestion(ctx, "")
		}
	}
	st.ask()
	return nil
}

// namesPhone reports whether text typed at the review is about the phone number.
func namesPhone(text string) bool {
	t := strings.ToLower(foldWidth(text))
	for _, w := range []string{"手机", "电话", "phone"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// answerEscalation hands the case to staff, or not.
func (st *stepper) answerEscalation(ctx context.Context, action string) error {
	if action == "" && st.in.Kind == InputText {
		action = said(st.in.Text).escalation()
	}
	switch action {
	case "escalate":
		if st.in.NoEscalation || st.s.LastCase == "" {
			st.say("escalation_unavailable", nil)
			return st.fire(ctx, evDecline)
		}
		st.effects = append(st.effects, Effect{Kind: EffectEscalate, CaseID: st.s.LastCase})
		st.s.HandedOver = st.s.LastCase
		st.handedOver = true
		st.sayWith("escalated", map[string]any{"CaseID": st.s.LastCase}, st.letterChoices()...)
		return st.fire(ctx, evEscalate)
	case "decline":
		st.handedOver = true
		st.sayWith("not_escalated", nil, st.letterChoices()...)
		return st.fire(ctx, evDecline)
	}
	if st.letter(action) {
		return nil
	}
	if action == "" && st.keepOnCase() {
		st.ask()
		return nil
	}
	return st.buttonsOnly(action)
}

// answerClosed answers anything typed between complaints with the hint, and the buttons of the
// last case's letters.
func (st *stepper) answerClosed(_ context.Context, action string) error {
	if st.letter(action) {
		return nil
	}
	if action != "" {
		return st.stale()
	}
	st.ask()
	return nil
}

// letterChoices are the buttons that bring the last case's other letters (flows.Letter): the
// 举报信 only where a 举报 fits (ReportFits).
func (st *stepper) letterChoices() []Choice {
	var cs []Choice
	if !st.s.NoReport {
		cs = append(cs, st.choice("letter_report", string(LetterReport), nil))
	}
	return append(cs, st.choice("letter_complaint_text", string(LetterComplaintText), nil))
}

// letter answers a press of a letterChoices button with the letter, leaving the state and its
// buttons as they are; it reports whether action was one.
func (st *stepper) letter(action string) bool {
	switch l := Letter(action); l {
	case LetterReport, LetterComplaintText:
		if st.s.LastCase == "" {
			return false
		}
		if l == LetterReport && st.s.NoReport {
			st.say("report_not_fit", nil) // an older message's button
			return true
		}
		st.effects = append(st.effects, Effect{Kind: EffectLetter, CaseID: st.s.LastCase, Letter: l})
		return true
	}
	return false
}

// finish turns the draft into a finished complaint, kept by storage in the same commit.
func (st *stepper) finish(ctx context.Context) error {
	now := st.in.Now
	if day := now.Year()*10000 + int(now.Month())*100 + now.Day(); st.s.CaseDay != day {
		st.s.CaseDay, st.s.Cases = day, 0
	}
	if st.s.Cases >= MaxCasesPerDay {
		st.say("cases_limit", map[string]any{"Max": MaxCasesPerDay})
		st.ask()
		return nil
	}
	st.s.Cases++
	c := st.s.Draft.clone()
	c.CreatedAt = st.in.Now
	c.Status = StatusSubmitted
	st.effects = append(st.effects, Effect{Kind: EffectStore, Complaint: &c})
	// One short message, then the .docx; the full text and the 举报信 are on buttons.
	st.s.NoReport = !ReportFits(c)
	ready := map[string]any{"Body": c.Body, "BodyEN": englishBody(c.Body), "Total": c.Total().String(), "How": Text{Key: "filing_" + string(c.Complainant)},
		"Company": c.Complainant == Company, // a company seals its complaint (DOMAIN.md §3)
		"Report":  !st.s.NoReport}
	if c.Lang == LangEN {
		ready["Chinese"] = Text{Key: "chinese_version_helps"}
	} else {
		ready["Chinese"] = ""
	}
	st.say("complaint_ready", ready)
	st.replies = append(st.replies, Reply{Document: true})
	if err := st.fire(ctx, evConfirm); err != nil {
		return err
	}
	st.newCase()
	if st.in.NoEscalation {
		st.handedOver = true
		st.sayWith("escalation_unavailable", nil, st.letterChoices()...)
		return st.fire(ctx, evDecline)
	}
	return nil
}

// clone copies c so that the finished complaint shares nothing with the next draft.
func (c Complaint) clone() Complaint {
	c.Deductions = append([]Deduction(nil), c.Deductions...)
	c.Requests = append([]RequestKind(nil), c.Requests...)
	c.Evidence = append([]Evidence(nil), c.Evidence...)
	c.History = append([]StatusChange(nil), c.History...)
	return c
}

// evidence takes files, pasted text and the done / skip buttons.
func (st *stepper) evidence(ctx context.Context, action string) error {
	d := &st.s.Draft
	switch action {
	case "done", "skip":
		return st.fire(ctx, evNext)
	case "today", "yesterday":
		if date, ok := st.date(action); ok {
			st.dateEvidence(date)
		}
		return st.fire(ctx, evStay)
	case "":
	default:
		return st.stale()
	}
	switch st.in.Kind {
	case InputAttachment:
		st.s.EvFrom = len(d.Evidence)
		st.takeFiles(ctx)
		if !st.buttons && len(st.replies) > 0 {
			// nothing new was taken: keep the "done" button at hand
			st.replies[len(st.replies)-1].Choices = []Choice{st.choice("evidence_done", "done", nil)}
			st.buttons = true
		}
		return st.fire(ctx, evStay)
	case InputText:
		if isDoneWord(st.in.Text) {
			return st.fire(ctx, evNext)
		}
		if date, ok, err := st.evidenceDate(); ok {
			if err != nil {
				st.invalid(err) // a date in the future is no item's own date, nor evidence
				return nil
			}
			st.dateEvidence(date)
			return st.fire(ctx, evStay)
		}
		t, err := CleanText(st.in.Text, maxEvidenceText)
		if err != nil {
			st.invalid(err)
			return nil
		}
		if len(d.Evidence) >= maxEvidence {
			st.say("evidence_limit", map[string]any{"Max": maxEvidence})
			return nil
		}
		st.s.EvFrom = len(d.Evidence)
		d.Evidence = append(d.Evidence, Evidence{Kind: EvidenceText, Caption: t, ReceivedAt: st.in.Now, Date: DateIn(t, st.in.Now)})
		st.ackEvidence(len(d.Evidence), len(d.Evidence))
		return st.fire(ctx, evStay)
	}
	st.ask()
	return nil
}

// evidenceDate reads typed text as the date of the items just sent, when it is a date alone
// and they have none yet (ok); anything else is evidence. A date alone that cannot be theirs,
// in the future or too long ago, is ok with ErrDateFuture or ErrDateTooOld (DOMAIN.md §3:
// nothing in the future), not evidence.
func (st *stepper) evidenceDate() (Date, bool, error) {
	evs := st.s.Draft.Evidence
	if st.s.EvFrom >= len(evs) || evs[len(evs)-1].Date != "" || utf8.RuneCountInString(st.in.Text) > 16 ||
		hasDirectionControl(st.in.Text) {
		return "", false, nil
	}
	d, err := ParseDate(st.in.Text, st.in.Now)
	switch {
	case err == nil:
		return d, true, nil
	case errors.Is(err, ErrDateFuture), errors.Is(err, ErrDateTooOld):
		return "", true, err
	}
	return "", false, nil
}

// dateEvidence gives the items of the last batch their own date, and says so.
func (st *stepper) dateEvidence(date Date) {
	evs := st.s.Draft.Evidence
	if st.s.EvFrom >= len(evs) {
		st.say("evidence_date_none", nil)
		return
	}
	for i := st.s.EvFrom; i < len(evs); i++ {
		evs[i].Date = date
	}
	st.sayWith("evidence_dated", map[string]any{"From": st.s.EvFrom + 1, "To": len(evs), "Date": string(date)},
		st.choice("evidence_done", "done", nil))
}

// isDoneWord reports whether typed text at the evidence step means "that's all": "完成",
// "跳过", "没有" (no more evidence, or none), never an item of evidence.
func isDoneWord(t string) bool {
	r := said(t)
	switch r {
	case "没有", "没有了", "没了", "无", "没", "none", "no":
		return true
	}
	return r.done() || r.skip()
}

// takeFiles adds the input's files to the evidence and acknowledges them, each with its number.
func (st *stepper) takeFiles(context.Context) {
	d := &st.s.Draft
	first := len(d.Evidence) + 1
	for _, a := range st.in.Attachments {
		if a.Size > MaxFileSize {
			st.say("evidence_too_large", map[string]any{"MaxMB": MaxFileSize >> 20})
			continue
		}
		if n := evidenceIndex(d.Evidence, a.UniqueID); n > 0 {
			st.say("evidence_duplicate", map[string]any{"N": n})
			continue
		}
		if len(d.Evidence) >= maxEvidence {
			st.say("evidence_limit", map[string]any{"Max": maxEvidence})
			break
		}
		caption, _ := CleanText(a.Caption, 0)
		caption = truncateRunes(caption, maxCaption)
		name, _ := CleanText(a.FileName, 0)
		d.Evidence = append(d.Evidence, Evidence{
			Kind: a.Kind, FileID: a.FileID, UniqueID: a.UniqueID, Size: a.Size, MIME: a.MIME,
			FileName: truncateRunes(name, maxShort), Caption: caption, AlbumID: a.MediaGroupID,
			ReceivedAt: st.in.Now,
		})
	}
	if last := len(d.Evidence); last >= first {
		st.ackEvidence(first, last)
	}
}

// ackEvidence tells the user which numbers their new items got.
func (st *stepper) ackEvidence(first, last int) {
	args := map[string]any{"From": first, "To": last, "Count": len(st.s.Draft.Evidence)}
	key := "evidence_received"
	if first != last {
		key = "evidence_received_many"
	}
	cs := []Choice{st.choice("evidence_done", "done", nil)}
	if st.s.Draft.Evidence[last-1].Date == "" {
		cs = append([]Choice{st.choice("date_today", "today", nil), st.choice("date_yesterday", "yesterday", nil)}, cs...)
	} else {
		args["Date"] = string(st.s.Draft.Evidence[last-1].Date)
	}
	st.sayWith(key, args, cs...)
}

// strayFiles handles files sent outside the evidence step: kept as evidence (nothing the user
// sends is lost), and the question stays where it was.
func (st *stepper) strayFiles() {
	switch {
	case !st.s.Consented:
		st.say("consent_first", nil)
		st.ask()
	case st.s.State == StateSubmitted || st.s.State == StateClosed:
		if st.s.LastCase == "" {
			st.say("closed_hint", nil)
			return
		}
		evs := st.caseEvidence()
		if len(evs) > 0 {
			st.effects = append(st.effects, Effect{Kind: EffectAddEvidence, CaseID: st.s.LastCase, Evidence: evs})
			st.say("evidence_added_to_case", map[string]any{"CaseID": st.s.LastCase, "Count": len(evs)})
		}
	default:
		before := len(st.s.Draft.Evidence)
		st.takeFilesQuiet()
		switch n := len(st.s.Draft.Evidence); {
		case n == before+1:
			st.say("evidence_kept_early_one", map[string]any{"N": n})
		case n > before:
			st.say("evidence_kept_early", map[string]any{"From": before + 1, "To": n})
		}
		st.ask()
	}
}

// caseEvidence turns the input's files into evidence for a finished case; a file too large to
// download is refused with an explanation.
func (st *stepper) caseEvidence() []Evidence {
	var evs []Evidence
	for _, a := range st.in.Attachments {
		if a.Size > MaxFileSize {
			st.say("evidence_too_large", map[string]any{"MaxMB": MaxFileSize >> 20})
			continue
		}
		caption, _ := CleanText(a.Caption, 0)
		name, _ := CleanText(a.FileName, 0)
		evs = append(evs, Evidence{Kind: a.Kind, FileID: a.FileID, UniqueID: a.UniqueID, Size: a.Size,
			MIME: a.MIME, FileName: truncateRunes(name, maxShort), Caption: truncateRunes(caption, maxCaption),
			AlbumID: a.MediaGroupID, ReceivedAt: st.in.Now})
	}
	return evs
}

// relaying passes what the user typed or sent to the staff who asked them for more, and
// reports whether it did. That happens only between complaints (submitted, closed), so a user
// writing a new complaint is never interrupted; a press of a button is never relayed.
func (st *stepper) relaying(action string) bool {
	id := st.s.Waiting
	if id == "" || action != "" || (st.s.State != StateSubmitted && st.s.State != StateClosed) {
		return false
	}
	if st.in.Kind != InputText && st.in.Kind != InputAttachment {
		return false
	}
	if !st.relayAllowed() {
		next := time.Unix((st.s.RelayHour+1)*3600, 0).In(st.in.Now.Location())
		st.say("relay_limit", map[string]any{"CaseID": id, "Max": MaxRelaysPerHour, "After": next.Format("15:04")})
		return true
	}
	switch st.in.Kind {
	case InputText:
		st.effects = append(st.effects, Effect{Kind: EffectRelay, CaseID: id})
		st.say("relayed_to_staff", map[string]any{"CaseID": id})
		return true
	case InputAttachment:
		// the file reaches staff even when it is too large to keep as evidence
		st.effects = append(st.effects, Effect{Kind: EffectRelay, CaseID: id})
		evs := st.caseEvidence()
		if len(evs) > 0 {
			st.effects = append(st.effects, Effect{Kind: EffectAddEvidence, CaseID: id, Evidence: evs})
		}
		st.say("relayed_files_to_staff", map[string]any{"CaseID": id, "Count": len(evs)})
		return true
	}
	return false
}

// relayAllowed counts one more relay in the current clock hour and reports whether it is within
// MaxRelaysPerHour.
func (st *stepper) relayAllowed() bool {
	hour := st.in.Now.Unix() / 3600
	if st.s.RelayHour != hour {
		st.s.RelayHour, st.s.Relays = hour, 0
	}
	if st.s.Relays >= MaxRelaysPerHour {
		return false
	}
	st.s.Relays++
	return true
}

// takeFilesQuiet is takeFiles without the acknowledgement's button, for files sent early.
func (st *stepper) takeFilesQuiet() {
	replies := len(st.replies)
	buttons := st.buttons
	st.takeFiles(context.Background())
	// drop the "done" acknowledgement: outside the evidence step there is nothing to finish
	kept := st.replies[:replies]
	for _, r := range st.replies[replies:] {
		if r.Key != "evidence_received" && r.Key != "evidence_received_many" {
			kept = append(kept, r)
		}
	}
	st.replies = kept
	st.buttons = buttons
}

// evidenceIndex returns the number of the item with unique id u, or 0.
func evidenceIndex(evs []Evidence, u string) int {
	if u == "" {
		return 0
	}
	for i, e := range evs {
		if e.UniqueID == u {
			return i + 1
		}
	}
	return 0
}

// text returns the typed text, cleaned; a refusal is explained to the user.
func (st *stepper) text(max int) (string, bool) {
	if st.in.Kind != InputText {
		st.say("expect_text", nil)
		st.ask()
		return "", false
	}
	t, err := CleanText(st.in.Text, max)
	if err != nil {
		st.invalid(err)
		return "", false
	}
	return t, true
}

// textOnly is text for a question without buttons: any press is stale.
func (st *stepper) textOnly(action string, max int) (string, bool) {
	if action != "" {
		st.stale()
		return "", false
	}
	return st.text(max)
}

// date reads a date from typed text or the today / yesterday buttons.
func (st *stepper) date(action string) (Date, bool) { return st.dateOf(action, false) }

// dateOf is date, taking a month alone when month is set.
func (st *stepper) dateOf(action string, month bool) (Date, bool) {
	var t string
	switch action {
	case "today":
		t = "今天"
	case "yesterday":
		t = "昨天"
	case "":
		var ok bool
		if t, ok = st.text(0); !ok {
			return "", false
		}
	default:
		st.stale()
		return "", false
	}
	if rest, ok := correction(t); ok && rest != "" {
		t = rest // "不对，是5月1日": the date typed again
	}
	parse := ParseDate
	if month {
		parse = ParseMonthOrDate
	}
	d, err := parse(t, st.in.Now)
	if errors.Is(err, ErrDateFormat) && action == "" {
		if w, ok := DateInSentence(t); ok && w != t {
			// "不知道哪天调的，大概今年3月": the one date the sentence names
			t = w
			d, err = parse(t, st.in.Now)
		}
	}
	if err == nil && action == "" && hasDirectionControl(st.in.Text) {
		err = ErrDateFormat
	}
	if errors.Is(err, ErrDateFormat) {
		if month && yearAlone(t) {
			err = ErrDateNeedsMonth
		} else if month {
			err = ErrMonthFormat
		} else if m, merr := ParseMonthOrDate(t, st.in.Now); merr == nil && m.IsMonth() {
			err = ErrDateNeedsDay
		}
	}
	if err != nil {
		st.invalid(err)
		return "", false
	}
	return d, true
}

// invalid explains why input was refused, with an example, and leaves the state alone.
func (st *stepper) invalid(err error) {
	var tooLong TooLongError
	var ie InputError
	switch {
	case errors.As(err, &tooLong):
		st.say("invalid_text_too_long", map[string]any{"Max": tooLong.Max, "Got": utf8.RuneCountInString(st.in.Text)})
	case errors.Is(err, ErrAmountFormat) && st.s.State == StateAmount && st.s.Draft.Charge == RateIncrease:
		st.say("invalid_amount_rate", amountArgs(&st.s)) // how to work out what the new rate took
	case errors.Is(err, ErrTextWords):
		// "skip it if you do not know it" only where it may be skipped
		q := machine().question(st.s.State)
		st.say("invalid_text_words", map[string]any{"Optional": q != nil && q.Optional})
	case errors.As(err, &ie):
		st.say("invalid_"+string(ie), nil)
	default:
		st.say("invalid_input", nil)
	}
	if !st.keepTyped(true) { // a story typed here is not lost with the refusal
		st.correctionHint()
	}
	st.reaskIfButtons()
}

// reaskIfButtons repeats the question when it has buttons, so they stay at hand after an error
// message; a question without buttons is not repeated: the error already shows an example.
func (st *stepper) reaskIfButtons() {
	n, buttons := len(st.replies), st.buttons
	st.ask()
	for _, r := range st.replies[n:] {
		if len(r.Choices) > 0 {
			return
		}
	}
	st.replies, st.buttons = st.replies[:n], buttons
}

// buttonsOnly answers input to a question that only takes its buttons.
func (st *stepper) buttonsOnly(action string) error {
	if action != "" {
		return st.stale()
	}
	if st.keepTyped(false) {
		st.ask() // the question is still open: what was typed did not answer it
		return nil
	}
	st.say("use_buttons", nil)
	st.correctionHint()
	st.ask()
	return nil
}

// correctionHint tells a user whose refused text corrects an earlier answer ("不对", "写错了")
// how to go back to it, and one whose refused text asks for a person or asks why
// ("can I talk to a real person", "why do you need this") what the words alone would have
// said: staff take the case once it is written; the help.
func (st *stepper) correctionHint() {
	if st.in.Kind != InputText {
		return
	}
	if _, ok := correction(st.in.Text); ok {
		st.say("correction_hint", nil)
		return
	}
	switch asks(st.in.Text) {
	case "human":
		if inCase(st.s.State) {
			st.say("human", map[string]any{"NoStaff": st.in.NoEscalation})
		}
	case "help":
		st.say("help", nil)
	}
}

// stale answers a press of a button that does not belong to the current question.
func (st *stepper) stale() error {
	st.say("button_stale", nil)
	st.ask()
	return nil
}

// oneOf returns action as a T when it is one of the allowed values.
func oneOf[T ~string](action string, allowed ...T) (T, bool) {
	for _, a := range allowed {
		if string(a) == action {
			return a, true
		}
	}
	return "", false
}

// toggle adds r to rs, or removes it when present, keeping the offered order.
func toggle(rs []RequestKind, r RequestKind) []RequestKind {
	on := map[RequestKind]bool{}
	for _, x := range rs {
		on[x] = true
	}
	on[r] = !on[r]
	var out []RequestKind
	for _, k := range RequestKinds() {
		if on[k] {
			out = append(out, k)
		}
	}
	return out
}

// firstDeduction returns the earliest deduction date, or "".
func firstDeduction(ds []Deduction) Date {
	var first Date
	for _, d := range ds {
		if d.Date != "" && (first == "" || d.Date < first) {
			first = d.Date
		}
	}
	return first
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// sectionNamed finds a section by its name.
func sectionNamed(name string) (Section, bool) {
	sec, ok := machine().named[name]
	return sec, ok
}

// amountArgs are the amount question's arguments: the deduction's number and, for a rate
// increase (which takes no deduction of its own: the extra is inside every transaction's fee),
// the old and new rates and what they take more on 100,000 yuan of payments (Example, "" when
// the new rate is not higher), so that the user can work out the sum.
func amountArgs(s *Session) map[string]any {
	args := map[string]any{"N": len(s.Draft.Deductions) + 1, "Rate": s.Draft.Charge == RateIncrease, "Example": ""}
	if s.Draft.Charge != RateIncrease {
		return args
	}
	old, errOld := strconv.ParseFloat(strings.TrimSuffix(s.Draft.Facts.OldRate, "%"), 64)
	cur, errNew := strconv.ParseFloat(strings.TrimSuffix(s.Draft.Facts.NewRate, "%"), 64)
	args["Old"], args["New"] = s.Draft.Facts.OldRate, s.Draft.Facts.NewRate
	if errOld == nil && errNew == nil && cur > old {
		args["Example"] = Fen(math.Round((cur - old) * 100000)).String() // 100000 yuan × (cur−old)% in fen
	}
	return args
}
