package flows

import "slices"

// Enum is a set of values flows stores and shows, and the message keys they name: each prefix
// followed by each value is a key (the charge kind "sim_fee" is shown as "charge_sim_fee" and
// explained by "rights_sim_fee" and "checklist_sim_fee").
type Enum struct {
	Name     string // as the document's labels call the set: "charge"
	Prefixes []string
	Values   []string
}

// Enums lists the sets of values flows defines. A value added here (or to ChargeKinds,
// RequestKinds...) needs its messages and document labels, which start-up checks.
func Enums() []Enum {
	return []Enum{
		{"complainant", []string{"complainant_", "route_", "filing_"}, strs(Consumer, Individual, Company)},
		{"charge", []string{"charge_", "rights_", "checklist_"}, strs(ChargeKinds()...)},
		{"method", []string{"method_"}, strs(FromSettlement, FromBankCard, FromWallet, FromOther)},
		{"channel", []string{"channel_"}, strs(ChannelAgent, ChannelApp, ChannelHotline, ChannelOffline, ChannelOther)},
		{"disclosure", []string{"disclosure_"}, strs(NotTold, FinePrint, ToldNoAgree, Agreed, NotSureTold)},
		{"proceedings", []string{"proceedings_"}, strs(ProceedingsNone, ProceedingsConsumerOrg, Proceedings12315,
			ProceedingsPBOC, ProceedingsCourt, ProceedingsOther)},
		{"request", []string{"request_"}, strs(RequestKinds()...)},
		{"evidence", nil, strs(EvidencePhoto, EvidenceDocument, EvidenceText)},
		{"status", []string{"status_"}, strs(StatusDraft, StatusSubmitted, StatusEscalated, StatusClaimed,
			StatusWaiting, StatusResolved, StatusRejected)},
		{"pending", []string{"confirm_", "yes_"}, strs(PendingCancel, PendingRestart, PendingDelete)},
		{"input_error", []string{"invalid_"}, strs(ErrAmountFormat, ErrAmountPositive, ErrAmountDecimals,
			ErrAmountTooLarge, ErrAmountApprox, ErrDateFormat, ErrDateFuture, ErrDateTooOld, ErrDateAmbiguous, ErrPhoneFormat, ErrSNFormat,
			ErrMerchantNumberFormat, ErrTextEmpty, ErrTextTooLong, ErrTextWords, ErrTicketFormat, ErrPeriodFormat)},
		{"role", []string{"role_"}, strs(RoleLegalRep, RoleAuthorised)},
		{"yes_no", []string{"dereg_done_", "notice_"}, strs(Yes, No, NotSureYN)},
		{"terms_met", []string{"terms_met_"}, strs(Yes, Partly, No, NotSureYN)},
		{"date_fix", []string{"fix_"}, []string{"contract", "learned", "negotiation", "charge"}},
		{"check", []string{"check_"}, checkKeys()},
		{"case_error", []string{"staff_refused_"}, strs(ErrCaseClosed, ErrCaseNotEscalated, ErrCaseNoChange,
			ErrCaseOpen, ErrCaseTextNeeded, ErrCaseUnknown, ErrCaseFull, ErrCaseUnreadable, ErrCaseMissing, ErrCaseErased)},
	}
}

// checkKeys are the pre-filing check's message keys after "check_": each item's ok and warn.
func checkKeys() []string {
	var out []string
	for _, item := range []string{"respondent", "request", "facts", "limit", "elsewhere", "dispute", "dates", "negotiated", "merchant"} {
		out = append(out, item+"_ok", item+"_warn")
	}
	return out
}

// strs converts string-typed values to strings.
func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// fixedKeys are the messages Step's own code says, outside the question table and the enums.
// A test in locales reads flows' source and fails when a key it uses is missing here.
func fixedKeys() []string {
	return []string{
		// commands and global buttons (step.go)
		"button_stale", "days", "not_now", "resume", "help", "human", "human_handed", "nothing_to_cancel", "choose_language", "lang_zh",
		"lang_en", "language_set", "status_writing", "typed_button_word", "typed_later_answer", "question_charge", "question_complainant", "privacy", "unknown_command", "no_keep", "cancelled", "restarted",
		"deleted", "kept", "typed_kept", "rights_choose", "rights_routes", "no_back",
		// answers (answers.go, answer.go)
		"unsupported_input", "consent_declined", "consent_agree", "consent_decline", "consent_first", "consent_first_text",
		"deductions_limit", "deductions_empty", "deduction_removed", "deduction_n_removed", "deduction_n_changed", "deduction_no_such", "deduction_edit_unread", "deduction_line", "one_provider_each", "ticket_was_reply", "amount_typed", "merchant_both", "deductions_queue_dropped", "recurring_typed", "turnover_typed", "rates_typed", "promise_kept", "amount_corrected", "correction_hint", "invalid_amount_rate", "requests_empty",
		"escalation_unavailable", "escalated", "not_escalated", "complaint_ready", "expect_text",
		"invalid_input", "invalid_text_too_long", "use_buttons", "skip_needed", "provider_not_a_name", "provider_not_agent", "provider_agent_kept", "legal_name_not_a_name", "closed_hint", "relayed_to_staff", "relay_limit", "cases_limit",
		"relayed_files_to_staff", "evidence_added_to_case", "evidence_kept_early", "evidence_kept_early_one",
		"evidence_received", "evidence_received_many", "evidence_too_large", "evidence_duplicate",
		"evidence_limit", "evidence_done", "evidence_skip",
		// the letters after the 投诉书 (issue 12)
		"letter_report", "letter_complaint_text", "chinese_version_helps", "report_not_fit",
		// buttons and lines of the special steps (ask.go, answer.go)
		"skip", "skip_optional", "keep_answer", "provider_button", "date_today", "date_yesterday", "learned_first", "contract_unknown", "provider_other",
		"more_add", "more_remove", "more_done", "requests_done", "body_suggestion", "escalate_yes",
		"escalate_no", "review_confirm", "not_given", "label_suggestion", "dates_keep", "not_known",
		"evidence_date_none", "evidence_dated", "consumer_check", "consumer_check_individual",
		"consumer_check_company", "deduction_typed", "provider_licence_ended", "ask_method_how", "method_change",
		// the review's details by complainant type and charge kind (ask.go)
		"sum_company", "sum_merchant", "sum_dereg", "sum_fee_period", "sum_deposit", "sum_rate",
		// routes and the date check (filing.go)
		"route_why_association", "route_why_regulator", "route_why_pboc", "route_why_pboc_guess",
		"dates_contract_after", "dates_learned_before", "dates_negotiation_before", "dates_rate_after", "dates_negotiation_before_learned",
		// offers of what a pasted text or a screenshot says (offer.go)
		"paste_offer", "paste_source_text", "paste_source_photo", "paste_line", "paste_unknown",
		"paste_provider", "paste_sn", "paste_deregistered", "paste_rate", "paste_all", "paste_each_button",
		"paste_no", "paste_each", "paste_add", "paste_skip", "paste_dropped", "paste_taken", "paste_year_assumed", "paste_learned", "paste_not_read",
		"paste_planned",
	}
}

// MessageKeys lists every message key Step can emit, sorted: the questions' prompts, buttons,
// review lines and edit buttons, every enum value's messages, and the fixed ones. locales.Load
// refuses to start when a catalog lacks one.
func MessageKeys() []string {
	keys := fixedKeys()
	for _, e := range Enums() {
		for _, p := range e.Prefixes {
			for _, v := range e.Values {
				keys = append(keys, p+v)
			}
		}
	}
	// the review lines, for a complaint with no answers and for one with all of them
	samples := []Complaint{{}, {Negotiation: Negotiation{Tried: true}}}
	for _, q := range Questions() {
		keys = append(keys, q.Ask)
		if l, ok := q.Answer.(interface{ labels() []string }); ok {
			keys = append(keys, l.labels()...)
		}
		if q.Review != nil {
			keys = append(keys, "edit_"+q.Section)
			for _, c := range samples {
				k, _ := q.Review(c)
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// labels are a Pick's button labels.
func (p Pick[T]) labels() []string {
	var ks []string
	for _, v := range p.Values {
		ks = append(ks, p.Label+string(v))
	}
	return ks
}
