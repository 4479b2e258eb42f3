package flows

import (
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

// TestBackEdges checks /back, derived from the table, for drafts that take each branch: it
// leads to the nearest earlier question that applies to the draft, or the one before it in its
// run.
func TestBackEdges(t *testing.T) {
	consumer := filledDraft()
	company := filledDraft()
	company.Complainant, company.Charge, company.Facts = Company, RateIncrease, Facts{}
	company.Company.Address = "广东省深圳市福田区某某大厦8楼"
	individual := filledDraft()
	individual.Complainant = Individual
	typed := filledDraft()
	typed.Provider, typed.Contact.Address, typed.Contact.City = Provider{Name: "某某支付有限公司", Typed: "某某支付"}, "", "深圳市"
	for _, c := range []struct {
		name  string
		draft Complaint
		from  State
		to    State
	}{
		{"consumer", consumer, StateCharge, StateConsumerCheck},
		{"consumer", consumer, StateConsumerCheck, StateComplainant},
		{"consumer", consumer, StateProvider, StateDeregDone},
		{"consumer", consumer, StateAmount, StateMoreDeductions},
		{"consumer", consumer, StateMoreDeductions, StateLabel},
		{"consumer", consumer, StateBody, StateContactAddress},
		{"consumer", consumer, StateReview, StateBody},
		{"company", company, StateCharge, StateMerchantNumber},
		{"company", company, StateMerchantNumber, StateCompanyRole},
		{"company", company, StateCompanyName, StateComplainant},
		{"company", company, StateProvider, StateNotice},
		{"company", company, StateBody, StateContactPhone},
		{"individual", individual, StateCharge, StateMerchantNumber},
		{"individual", individual, StateMerchantNumber, StateMerchantName},
		{"individual", individual, StateMerchantName, StateComplainant},
		{"typed provider", typed, StateProviderAddr, StateProviderName},
		{"typed provider", typed, StateProviderName, StateProvider},
		{"typed provider", typed, StateBody, StateContactCity},
	} {
		if got, ok := previous(c.from, c.draft); !ok || got != c.to {
			t.Errorf("%s: back from %s = %s %v, want %s", c.name, c.from, got, ok, c.to)
		}
	}
	for _, s := range []State{StateLanguage, StateSubmitted, StateClosed, "nonsense"} {
		if got, ok := previous(s, consumer); ok {
			t.Errorf("back from %s = %s, want nowhere", s, got)
		}
	}
}
