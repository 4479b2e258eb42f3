package flows

import (
	"strconv"
	"unicode/utf8"
)

// ask adds the current question, with its buttons.
func (st *stepper) ask() {
	if q := machine().question(st.s.State); q != nil {
		q.Answer.prompt(st, q)
	}
}

// askLanguage offers the two languages.
func (st *stepper) askLanguage() {
	st.sayWith("welcome", nil,
		st.choice("lang_zh", string(LangZH), nil),
		st.choice("lang_en", string(LangEN), nil))
}

// askConsent shows the privacy notice and asks for consent.
func (st *stepper) askConsent() {
	st.sayWith("ask_consent", nil,
		st.choice("consent_agree", "agree", nil),
		st.choice("consent_decline", "decline", nil))
}

// askProvider offers the known providers and "another".
func (st *stepper) askProvider() {
	var cs []Choice
	for _, p := range KnownProviders() {
		cs = append(cs, st.choice("provider_"+p.Key, p.Key, nil))
	}
	cs = append(cs, st.choice("provider_other", "other", nil))
	st.sayWith("ask_provider", nil, cs...)
}

// askMoreDeductions lists the deductions so far and offers another, removing the last, or done.
func (st *stepper) askMoreDeductions() {
	d := st.s.Draft
	st.sayWith("ask_deduction_more", map[string]any{"List": deductionLines(d.Deductions), "Total": d.Total().String(), "Count": len(d.Deductions)},
		st.choice("more_add", "more", nil),
		st.choice("more_remove", "remove", nil),
		st.choice("more_done", "done", nil))
}

// askRequests shows the requests as toggles.
func (st *stepper) askRequests() {
	d := st.s.Draft
	var cs []Choice
	for _, k := range RequestKinds() {
		cs = append(cs, st.choice("request_"+string(k), "t="+string(k), map[string]any{"On": d.HasRequest(k), "Total": d.Total().String()}))
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

// askBody suggests receiving bodies for the complainant's route.
func (st *stepper) askBody() {
	d := st.s.Draft
	var cs []Choice
	for i, b := range SuggestBodies(d) {
		cs = append(cs, st.choice("body_suggestion", "b="+strconv.Itoa(i), map[string]any{"Name": b}))
	}
	st.sayWith("ask_body", map[string]any{"Route": Text{Key: "route_" + string(d.Complainant)}}, cs...)
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
			"N": i + 1, "Date": string(d.Date), "Amount": d.Amount.String(), "Method": Text{Key: "method_" + string(d.Method)},
		}})
	}
	return ls
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
