package flows

import (
	"strconv"
	"unicode/utf8"
)

// ask adds the current question, with its buttons.
func (st *stepper) ask() {
	d := st.s.Draft
	skip := st.choice("skip", "skip", nil)
	switch st.s.State {
	case StateLanguage:
		st.sayWith("welcome", nil,
			st.choice("lang_zh", string(LangZH), nil),
			st.choice("lang_en", string(LangEN), nil))
	case StateConsent:
		st.sayWith("ask_consent", nil,
			st.choice("consent_agree", "agree", nil),
			st.choice("consent_decline", "decline", nil))
	case StateComplainant:
		st.sayWith("ask_complainant", nil, choices(st, "complainant_", Consumer, Individual, Company)...)
	case StateCharge:
		st.sayWith("ask_charge", nil, choices(st, "charge_", ChargeKinds()...)...)
	case StateProvider:
		var cs []Choice
		for _, p := range KnownProviders() {
			cs = append(cs, st.choice("provider_"+p.Key, p.Key, nil))
		}
		cs = append(cs, st.choice("provider_other", "other", nil))
		st.sayWith("ask_provider", nil, cs...)
	case StateProviderName:
		st.say("ask_provider_name", map[string]any{"Max": maxProviderName})
	case StateAmount:
		st.say("ask_amount", map[string]any{"N": len(d.Deductions) + 1})
	case StateDeductionDate:
		st.sayWith("ask_deduction_date", map[string]any{"Amount": st.s.Pend.Amount.String()},
			st.choice("date_today", "today", nil), st.choice("date_yesterday", "yesterday", nil))
	case StateMethod:
		st.sayWith("ask_deduction_method", nil, choices(st, "method_", FromSettlement, FromBankCard, FromWallet, FromOther)...)
	case StateMoreDeductions:
		st.sayWith("ask_deduction_more", map[string]any{"List": deductionLines(d.Deductions), "Total": d.Total().String(), "Count": len(d.Deductions)},
			st.choice("more_add", "more", nil),
			st.choice("more_remove", "remove", nil),
			st.choice("more_done", "done", nil))
	case StateDisclosure:
		st.sayWith("ask_disclosure", nil, choices(st, "disclosure_", NotTold, FinePrint, ToldNoAgree, Agreed, NotSureTold)...)
	case StateLearned:
		var cs []Choice
		if first := firstDeduction(d.Deductions); first != "" {
			cs = append(cs, st.choice("learned_first", "first", map[string]any{"Date": string(first)}))
		}
		st.sayWith("ask_learned", nil, cs...)
	case StateContractDate:
		st.sayWith("ask_contract_date", nil, st.choice("contract_unknown", "unknown", nil))
	case StateContractChan:
		st.sayWith("ask_contract_channel", nil, choices(st, "channel_", ChannelAgent, ChannelApp, ChannelOffline, ChannelOther)...)
	case StateAgent:
		st.sayWith("ask_agent", map[string]any{"Max": maxAgent}, skip)
	case StateDevice:
		st.sayWith("ask_device", nil, skip)
	case StateMerchantName:
		st.sayWith("ask_merchant_name", nil, skip)
	case StateMerchantNumber:
		st.sayWith("ask_merchant_number", nil, skip)
	case StateNegotiated:
		st.sayWith("ask_negotiated", nil, st.choice("negotiated_yes", "yes", nil), st.choice("negotiated_no", "no", nil))
	case StateNegDate:
		st.sayWith("ask_negotiation_date", nil, st.choice("date_today", "today", nil), st.choice("date_yesterday", "yesterday", nil))
	case StateNegChannel:
		st.sayWith("ask_negotiation_channel", nil, choices(st, "channel_", ChannelHotline, ChannelApp, ChannelAgent, ChannelOffline, ChannelOther)...)
	case StateNegTicket:
		st.sayWith("ask_negotiation_ticket", nil, skip)
	case StateNegReply:
		st.sayWith("ask_negotiation_reply", map[string]any{"Max": maxReply}, skip)
	case StateProceedings:
		st.sayWith("ask_proceedings", nil, choices(st, "proceedings_", ProceedingsNone, ProceedingsConsumerOrg, Proceedings12315, ProceedingsPBOC, ProceedingsCourt, ProceedingsOther)...)
	case StateDescription:
		st.say("ask_description", map[string]any{"Max": maxDescription})
	case StateRequests:
		var cs []Choice
		for _, k := range RequestKinds() {
			cs = append(cs, st.choice("request_"+string(k), "t="+string(k), map[string]any{"On": d.HasRequest(k), "Total": d.Total().String()}))
		}
		cs = append(cs, st.choice("requests_done", "done", nil))
		st.sayWith("ask_requests", nil, cs...)
	case StateOtherRequest:
		st.say("ask_other_request", map[string]any{"Max": maxOtherRequest})
	case StateEvidence:
		cs := []Choice{st.choice("evidence_done", "done", nil)}
		if len(d.Evidence) == 0 {
			cs = []Choice{st.choice("evidence_skip", "skip", nil)}
		}
		st.sayWith("ask_evidence", map[string]any{
			"Checklist": Text{Key: "checklist_" + string(d.Charge)},
			"Count":     len(d.Evidence),
			"MaxMB":     MaxFileSize >> 20,
		}, cs...)
	case StateContactName:
		st.say("ask_contact_name", nil)
	case StateContactPhone:
		st.say("ask_contact_phone", nil)
	case StateContactCity:
		st.say("ask_contact_city", nil)
	case StateContactAddress:
		st.sayWith("ask_contact_address", nil, skip)
	case StateBody:
		var cs []Choice
		for i, b := range SuggestBodies(d) {
			cs = append(cs, st.choice("body_suggestion", "b="+strconv.Itoa(i), map[string]any{"Name": b}))
		}
		st.sayWith("ask_body", map[string]any{"Route": Text{Key: "route_" + string(d.Complainant)}}, cs...)
	case StateReview:
		st.review()
	case StateSubmitted:
		if st.in.NoEscalation {
			return
		}
		st.sayWith("offer_escalation", nil, st.choice("escalate_yes", "escalate", nil), st.choice("escalate_no", "decline", nil))
	case StateClosed:
		st.say("closed_hint", nil)
	}
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
			"N": i + 1, "Date": string(d.Date), "Amount": d.Amount.String(), "Method": Text{Key: "method_" + string(d.Method)},
		}})
	}
	return ls
}

// review shows every answer with a button to change it, and the button to produce the complaint.
func (st *stepper) review() {
	d := st.s.Draft
	merchant := d.Complainant == Individual || d.Complainant == Company
	var sum Lines
	var cs []Choice
	line := func(section, key string, args map[string]any) {
		sum = append(sum, Text{Key: key, Args: args})
		cs = append(cs, st.choice("edit_"+section, "edit="+section, nil))
	}
	orNot := func(s string) any {
		if s == "" {
			return Text{Key: "not_given"}
		}
		return short(s)
	}
	line("complainant", "sum_complainant", map[string]any{"Value": Text{Key: "complainant_" + string(d.Complainant)}})
	line("charge", "sum_charge", map[string]any{"Value": Text{Key: "charge_" + string(d.Charge)}})
	line("provider", "sum_provider", map[string]any{"Value": d.Provider.Name})
	line("deductions", "sum_deductions", map[string]any{"Count": len(d.Deductions), "Total": d.Total().String(), "List": deductionLines(d.Deductions)})
	line("disclosure", "sum_disclosure", map[string]any{"Value": Text{Key: "disclosure_" + string(d.Disclosure)}})
	line("learned", "sum_learned", map[string]any{"Value": string(d.LearnedOn)})
	line("contract", "sum_contract", map[string]any{"Date": orNot(string(d.ContractDate)), "Channel": Text{Key: "channel_" + string(d.ContractChannel)}})
	line("agent", "sum_agent", map[string]any{"Value": orNot(d.Agent)})
	line("device", "sum_device", map[string]any{"Value": orNot(d.DeviceSN)})
	if merchant {
		line("merchant", "sum_merchant", map[string]any{"Name": orNot(d.MerchantName), "Number": orNot(d.MerchantNumber)})
	}
	if d.Negotiation.Tried {
		n := d.Negotiation
		line("negotiation", "sum_negotiation_yes", map[string]any{"Date": string(n.Date), "Channel": Text{Key: "channel_" + string(n.Channel)}, "Ticket": orNot(n.Ticket), "Reply": orNot(n.Reply)})
	} else {
		line("negotiation", "sum_negotiation_no", nil)
	}
	line("proceedings", "sum_proceedings", map[string]any{"Value": Text{Key: "proceedings_" + string(d.Proceedings)}})
	line("description", "sum_description", map[string]any{"Value": short(d.Description)})
	var reqs Lines
	for _, r := range d.Requests {
		reqs = append(reqs, Text{Key: "request_" + string(r), Args: map[string]any{"On": false, "Total": d.Total().String()}})
	}
	line("requests", "sum_requests", map[string]any{"List": reqs, "Other": d.OtherRequest})
	line("evidence", "sum_evidence", map[string]any{"Count": len(d.Evidence)})
	line("contact", "sum_contact", map[string]any{"Name": d.Contact.Name, "Phone": d.Contact.Phone, "City": d.Contact.City, "Address": orNot(d.Contact.Address)})
	line("body", "sum_body", map[string]any{"Value": d.Body})
	var warns Lines
	for _, w := range Warnings(d, DateOf(st.in.Now)) {
		warns = append(warns, Text{Key: w})
	}
	cs = append(cs, st.choice("review_confirm", "confirm", nil))
	st.sayWith("review", map[string]any{"Summary": sum, "Warnings": warns}, cs...)
}

// short shortens long text for the review.
func short(s string) string {
	const n = 120
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return truncateRunes(s, n) + "…"
}
