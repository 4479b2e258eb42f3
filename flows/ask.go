package flows

import (
	"strconv"

	"complaintbot/places"
	"complaintbot/providers"
)

// ask adds the current question, with its buttons.
func (st *stepper) ask() {
	if q := machine().question(st.s.State); q != nil {
		q.Answer.prompt(st, q)
	}
}

// askConsent welcomes the user and asks for consent to the privacy notice, in the language of
// their Telegram (LangFromCode), with a button for the other language.
func (st *stepper) askConsent() {
	other := st.choice("lang_en", "!lang="+string(LangEN), nil)
	if st.s.Lang == LangEN {
		other = st.choice("lang_zh", "!lang="+string(LangZH), nil)
	}
	st.sayWith("ask_consent", st.keepArgs(),
		st.choice("consent_agree", "agree", nil),
		st.choice("consent_decline", "decline", nil),
		other)
}

// askCharge asks what kind of charge it was. A consumer is told first, plainly, that whoever
// receives payments through the terminal is a merchant in law, and may switch (DOMAIN.md §2):
// not while changing the charge from the review.
func (st *stepper) askCharge() {
	cs := choices(st, "charge_", ChargeKinds()...)
	var args map[string]any
	if st.s.Draft.Complainant == Consumer && !st.s.Editing {
		args = map[string]any{"Notice": Text{Key: "consumer_check"}}
		cs = append(cs,
			st.choice("consumer_check_individual", "as="+string(Individual), nil),
			st.choice("consumer_check_company", "as="+string(Company), nil))
	}
	st.sayWith("ask_charge", args, cs...)
}

// askProvider offers the first providers of the data and "another"; any name may be typed.
func (st *stepper) askProvider() {
	var cs []Choice
	for i, p := range st.providers().All() {
		if i == buttonProviders {
			break
		}
		label := p.Name
		if len(p.Short) > 0 {
			label = p.Short[0]
		}
		latin := latinName(st.providers(), p.Key)
		cs = append(cs, st.choice("provider_button", p.Key, map[string]any{"Name": label, "Latin": latin}))
	}
	cs = append(cs, st.choice("provider_other", "other", nil))
	st.sayWith("ask_provider", nil, cs...)
}

// latinName is the name English speakers know the provider of key by, capitalised ("Lakala";
// the data keeps what users type, "lakala"); "" for a provider the data does not know or
// gives no Latin name.
func latinName(ps *providers.List, key string) string {
	p, ok := ps.ByKey(key)
	if !ok || len(p.Latin) == 0 {
		return ""
	}
	return capitalized(p.Latin[0])
}

// englishBody is the English name of a receiving body the places data names, for English
// messages to give beside the Chinese one the desk needs; "" for a body the user typed.
func englishBody(body string) string {
	s, _ := places.English(body)
	return s
}

// capitalized is s with its first letter in upper case, as a name is written in English.
func capitalized(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// askProviderName asks the legal name of a provider typed by another name, or not named.
func (st *stepper) askProviderName() {
	st.say("ask_provider_name", map[string]any{"Max": maxProviderName, "Typed": st.s.Draft.Provider.Typed})
}

// askLabel asks what the provider called the charge, with the usual names as buttons.
func (st *stepper) askLabel() {
	var cs []Choice
	for i, l := range labelSuggestions(st.s.Draft.Charge) {
		cs = append(cs, st.choice("label_suggestion", "l="+strconv.Itoa(i), map[string]any{"Name": l}))
	}
	cs = append(cs, st.choice("skip", "skip", nil))
	st.sayWith("ask_deduction_label", map[string]any{"Amount": st.s.Pend.Amount.String()}, cs...)
}

// askDateCheck tells which dates disagree and offers to fix each or keep them.
func (st *stepper) askDateCheck() {
	var ls Lines
	var cs []Choice
	seen := map[string]bool{}
	for _, p := range DateProblems(st.s.Draft) {
		ls = append(ls, Text{Key: p.Key, Args: p.Args})
		if !seen[p.Section] {
			seen[p.Section] = true
			cs = append(cs, st.choice("fix_"+p.Section, "fix="+p.Section, nil))
		}
	}
	cs = append(cs, st.choice("dates_keep", "keep", nil))
	st.sayWith("date_check", map[string]any{"List": ls}, cs...)
}

// providers is the provider data: the input's, else the embedded.
func (st *stepper) providers() *providers.List {
	if st.in.Providers != nil {
		return st.in.Providers
	}
	return providers.Embedded()
}

// askMethod asks how the deduction was taken; once "other" is chosen, in the user's own words
// ("微信转账给业务员"), optional, with a way back to the ways offered.
func (st *stepper) askMethod() {
	if st.s.Pend.Method == FromOther {
		st.sayWith("ask_method_how", map[string]any{"Amount": st.s.Pend.Amount.String(), "Max": maxShort},
			st.choice("skip", "skip", nil),
			st.choice("method_change", "change", nil))
		return
	}
	st.sayWith("ask_deduction_method", nil, choices(st, "method_", FromSettlement, FromBankCard, FromWallet, FromOther)...)
}

// askMoreDeductions lists the deductions so far and offers another, removing the last, or done.
func (st *stepper) askMoreDeductions() {
	d := st.s.Draft
	st.sayWith("ask_deduction_more", map[string]any{"List": deductionLines(d.Deductions), "Total": d.Total().String(), "Count": len(d.Deductions), "Several": len(d.Deductions) > 1},
		st.choice("more_add", "more", nil),
		st.choice("more_remove", "remove", nil),
		st.choice("more_done", "done", nil))
}

// askRequests shows the requests as toggles.
func (st *stepper) askRequests() {
	d := st.s.Draft
	var cs []Choice
	for _, k := range RequestKinds() {
		cs = append(cs, st.choice("request_"+string(k), "t="+string(k), map[string]any{"On": d.HasRequest(k), "Total": d.Total().String(), "Deposit": deposit(d)}))
	}
	cs = append(cs, st.choice("requests_done", "done", nil))
	st.sayWith("ask_requests", nil, cs...)
}

// askEvidence asks for files or pasted text, with the charge kind's checklist.
func (st *stepper) askEvidence() {
	d := st.s.Draft
	cs := []Choice{st.choice("evidence_done", "done", nil)}
	if len(d.Evidence) == 0 {
		cs = []Choice{st.choice("evidence_skip", "skip", nil)}
	}
	st.sayWith("ask_evidence", map[string]any{
		"Checklist": Text{Key: "checklist_" + string(d.Charge)},
		"Count":     len(d.Evidence),
		"MaxMB":     MaxFileSize >> 20,
	}, cs...)
}

// askBody suggests the receiving bodies of the complainant's route, each with why it fits.
func (st *stepper) askBody() {
	d := st.s.Draft
	var cs []Choice
	var why Lines
	for i, r := range Routes(d, st.providers()) {
		cs = append(cs, st.choice("body_suggestion", "b="+strconv.Itoa(i), map[string]any{"Name": r.Body}))
		why = append(why, Text{Key: r.Reason, Args: map[string]any{"Body": r.Body, "English": englishBody(r.Body)}})
	}
	st.sayWith("ask_body", map[string]any{"Route": Text{Key: "route_" + string(d.Complainant)}, "Why": why, "None": len(cs) == 0}, cs...)
}

// askEscalation offers to hand the finished complaint to staff, when there are staff.
func (st *stepper) askEscalation() {
	if st.in.NoEscalation {
		return
	}
	st.sayWith("offer_escalation", nil, append([]Choice{st.choice("escalate_yes", "escalate", nil), st.choice("escalate_no", "decline", nil)}, st.letterChoices()...)...)
}

// askClosed tells how to start a new complaint, with the last case's letters on buttons. Right
// after the case was handed over (or not), the message that said so is enough: no "no case in
// progress" after "sent to staff".
func (st *stepper) askClosed() {
	if st.handedOver {
		return
	}
	if st.s.LastCase == "" {
		st.say("closed_hint", nil)
		return
	}
	st.sayWith("closed_hint", nil, st.letterChoices()...)
}

// choices makes one button per value, labelled prefix+value and triggering the value.
func choices[T ~string](st *stepper, prefix string, values ...T) []Choice {
	var cs []Choice
	for _, v := range values {
		cs = append(cs, st.choice(prefix+string(v), string(v), nil))
	}
	return cs
}

// deductionLines lists the deductions for a message.
func deductionLines(ds []Deduction) Lines {
	var ls Lines
	for i, d := range ds {
		ls = append(ls, Text{Key: "deduction_line", Args: map[string]any{
			"N": i + 1, "Date": string(d.Date), "Amount": d.Amount.String(), "Method": Text{Key: "method_" + string(d.Method)}, "How": d.How, "Label": d.Label,
		}})
	}
	return ls
}

// reviewed reports whether the review shows section name, with its button.
func (st *stepper) reviewed(name string) bool {
	for i := range machine().questions {
		q := &machine().questions[i]
		if q.Section == name && q.Review != nil && (q.When == nil || q.When(st.s.Draft)) {
			return true
		}
	}
	return false
}

// review shows every answer that applies, with a button to change it, and the button to
// produce the complaint: the lines are the questions' Review, in the table's order.
func (st *stepper) review() {
	d := st.s.Draft
	var sum Lines
	var cs []Choice
	for i := range machine().questions {
		q := &machine().questions[i]
		if q.Review == nil || q.When != nil && !q.When(d) {
			continue
		}
		key, args := q.Review(d)
		sum = append(sum, Text{Key: key, Args: args})
		cs = append(cs, st.choice("edit_"+q.Section, "edit="+q.Section, nil))
	}
	var checks Lines
	for _, k := range Checklist(d, DateOf(st.in.Now)) {
		checks = append(checks, Text{Key: k.Key(), Args: k.Args})
	}
	cs = append(cs, st.choice("review_confirm", "confirm", nil))
	st.sayWith("review", map[string]any{"Summary": sum, "Checks": checks}, cs...)
}

// short shortens long text for the review to its first 120 characters.
func short(s string) string { return shortened(s, 120) }

// setComplainant stores the complainant type; details of another type are dropped.
func setComplainant(s *Session, v ComplainantType) {
	s.Draft.Complainant = v
	if v != Company {
		s.Draft.Company = CompanyInfo{}
	}
	if v == Consumer {
		s.Draft.MerchantName, s.Draft.MerchantNumber = "", ""
	}
}

// reviewComplainant is the review's line of who complains, with a company's or a shop's details.
func reviewComplainant(c Complaint) (string, map[string]any) {
	args := map[string]any{"Value": Text{Key: "complainant_" + string(c.Complainant)}}
	var details Lines
	switch c.Complainant {
	case Company:
		details = append(details, Text{Key: "sum_company", Args: map[string]any{
			"Name": c.Company.Name, "Code": orNot(c.Company.CreditCode), "Address": c.Company.Address,
			"Role": Text{Key: "role_" + string(c.Company.Role)}, "Number": orNot(c.MerchantNumber)}})
	case Individual:
		details = append(details, Text{Key: "sum_merchant", Args: map[string]any{"Name": orNot(c.MerchantName), "Number": orNot(c.MerchantNumber)}})
	}
	args["Details"] = details
	return "sum_complainant", args
}

// reviewCharge is the review's line of the charge kind, with the kind's own facts.
func reviewCharge(c Complaint) (string, map[string]any) {
	f := c.Facts
	var facts Lines
	switch c.Charge {
	case DeregistrationFee:
		facts = append(facts, Text{Key: "sum_dereg", Args: map[string]any{"Date": orNot(string(f.DeregOn)),
			"Channel": Text{Key: "channel_" + string(f.DeregChannel)}, "Ticket": orNot(f.DeregTicket), "Done": Text{Key: "dereg_done_" + string(f.DeregDone)}}})
	case SIMFee:
		facts = append(facts, Text{Key: "sum_fee_period", Args: map[string]any{"Value": orNot(f.FeePeriod)}})
	case ServiceFee:
		facts = append(facts, Text{Key: "sum_deposit", Args: map[string]any{"Terms": orNot(f.ReturnTerms), "Met": Text{Key: "terms_met_" + string(f.TermsMet)}, "How": f.TermsHow}})
	case RateIncrease:
		facts = append(facts, Text{Key: "sum_rate", Args: map[string]any{"Old": f.OldRate, "New": f.NewRate, "From": orNot(string(f.RateFrom)),
			"Notice": Text{Key: "notice_" + string(f.Notice)}, "NoticeOn": string(f.NoticeOn)}})
	}
	return "sum_charge", map[string]any{"Value": Text{Key: "charge_" + string(c.Charge)}, "Facts": facts}
}

// orUnknown shows an address in the review, or "not known".
func orUnknown(s string) any {
	if s == "" {
		return Text{Key: "not_known"}
	}
	return short(s)
}

// askNotice asks whether a rate increase was notified: the notice's date typed, or a button.
func (st *stepper) askNotice() {
	st.sayWith("ask_rate_notice", nil,
		st.choice("notice_no", string(No), nil),
		st.choice("notice_not_sure", string(NotSureYN), nil),
		st.choice("notice_yes", string(Yes), nil))
}

// The periods the privacy notice states when the input does not carry the configured ones.
const (
	DefaultSessionDays   = 30  // an idle conversation
	DefaultRetentionDays = 180 // a closed case's personal fields
)

// keepArgs are the privacy notice's periods, in days.
func (st *stepper) keepArgs() map[string]any {
	session, retention := st.in.SessionDays, st.in.RetentionDays
	if session <= 0 {
		session = DefaultSessionDays
	}
	if retention <= 0 {
		retention = DefaultRetentionDays
	}
	return map[string]any{ // each a sub-message: it has its own plural count ("1 day")
		"SessionDays": Text{Key: "days", Args: map[string]any{"Count": session}}, "RetentionDays": Text{Key: "days", Args: map[string]any{"Count": retention}},
	}
}
