package flows

import (
	"slices"
	"testing"
)

// TestQuestionTable checks the table's own rules: one entry per state, every section with
// exactly one question that has its review line, and a run's questions all with When.
func TestQuestionTable(t *testing.T) {
	qs := Questions()
	seen := map[State]bool{}
	reviews := map[string]int{}
	for i, q := range qs {
		if seen[q.State] {
			t.Errorf("state %s has two entries", q.State)
		}
		seen[q.State] = true
		if q.Ask == "" {
			t.Errorf("%s: no prompt key", q.State)
		}
		if q.Answer == nil {
			t.Errorf("%s: no answer", q.State)
		}
		if q.Review != nil {
			if q.Section == "" {
				t.Errorf("%s: a review line without a section", q.State)
			}
			reviews[q.Section]++
		}
		if q.Enter != "" && q.When == nil {
			t.Errorf("%s: entered by %s but has no When", q.State, q.Enter)
		}
		if q.Enter != "" && i == 0 {
			t.Errorf("%s: the first question cannot be entered from the one before", q.State)
		}
	}
	for _, sec := range sections() {
		if reviews[sec.Name] != 1 {
			t.Errorf("section %s has %d review lines, want 1", sec.Name, reviews[sec.Name])
		}
	}
}

// TestBackEdgesAsBefore compares /back, derived from the table, with the hand-written switch
// it replaced, for drafts that take each branch.
func TestBackEdgesAsBefore(t *testing.T) {
	drafts := map[string]Complaint{"filled": filledDraft(), "empty": {}}
	c := filledDraft()
	c.Complainant = Company
	c.Negotiation = Negotiation{}
	c.Requests = []RequestKind{RequestRefund, RequestOther}
	drafts["merchant, no negotiation, other request"] = c
	c = filledDraft()
	c.Deductions = nil
	c.Provider = Provider{Name: "某某支付"}
	drafts["typed provider, no deductions"] = c
	c = filledDraft()
	c.Complainant = Individual
	drafts["individual"] = c
	states := []State{"", "nonsense", StateSubmitted, StateClosed}
	for _, q := range Questions() {
		states = append(states, q.State)
	}
	for name, d := range drafts {
		for _, s := range slices.Compact(states) {
			gotTo, gotOK := previous(s, d)
			wantTo, wantOK := previousByHand(s, d)
			if gotTo != wantTo || gotOK != wantOK {
				t.Errorf("%s: back from %q = %q %v, by hand %q %v", name, s, gotTo, gotOK, wantTo, wantOK)
			}
		}
	}
}

// previousByHand is /back as it was written before the question table.
func previousByHand(s State, c Complaint) (State, bool) {
	switch s {
	case StateConsent:
		return StateLanguage, true
	case StateComplainant:
		return StateConsent, true
	case StateCharge:
		return StateComplainant, true
	case StateProvider:
		return StateCharge, true
	case StateProviderName:
		return StateProvider, true
	case StateAmount:
		if len(c.Deductions) > 0 {
			return StateMoreDeductions, true
		}
		if c.Provider.Key == "" && c.Provider.Name != "" {
			return StateProviderName, true
		}
		return StateProvider, true
	case StateDeductionDate:
		return StateAmount, true
	case StateMethod:
		return StateDeductionDate, true
	case StateMoreDeductions:
		return StateMethod, true
	case StateDisclosure:
		return StateMoreDeductions, true
	case StateLearned:
		return StateDisclosure, true
	case StateContractDate:
		return StateLearned, true
	case StateContractChan:
		return StateContractDate, true
	case StateAgent:
		return StateContractChan, true
	case StateDevice:
		return StateAgent, true
	case StateMerchantName:
		return StateDevice, true
	case StateMerchantNumber:
		return StateMerchantName, true
	case StateNegotiated:
		if c.Complainant != Consumer && c.Complainant != "" {
			return StateMerchantNumber, true
		}
		return StateDevice, true
	case StateNegDate:
		return StateNegotiated, true
	case StateNegChannel:
		return StateNegDate, true
	case StateNegTicket:
		return StateNegChannel, true
	case StateNegReply:
		return StateNegTicket, true
	case StateProceedings:
		if c.Negotiation.Tried {
			return StateNegReply, true
		}
		return StateNegotiated, true
	case StateDescription:
		return StateProceedings, true
	case StateRequests:
		return StateDescription, true
	case StateOtherRequest:
		return StateRequests, true
	case StateEvidence:
		if c.HasRequest(RequestOther) {
			return StateOtherRequest, true
		}
		return StateRequests, true
	case StateContactName:
		return StateEvidence, true
	case StateContactPhone:
		return StateContactName, true
	case StateContactCity:
		return StateContactPhone, true
	case StateContactAddress:
		return StateContactCity, true
	case StateBody:
		return StateContactAddress, true
	case StateReview:
		return StateBody, true
	}
	return "", false
}
