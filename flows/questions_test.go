package flows

import (
	"reflect"
	"slices"
	"strings"
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

// TestFieldsResolve: every path of Fields names a field of Complaint (through structs and
// slices), and every field of Complaint is classed by some entry, so none is erased or kept by
// accident of omission.
func TestFieldsResolve(t *testing.T) {
	top := map[string]bool{}
	for _, f := range Fields() {
		paths := []string{f.Path}
		for _, k := range f.Keep {
			paths = append(paths, f.Path+"."+k)
		}
		for _, p := range paths {
			typ := reflect.TypeOf(Complaint{})
			for _, name := range strings.Split(p, ".") {
				for typ.Kind() == reflect.Slice {
					typ = typ.Elem()
				}
				sf, ok := typ.FieldByName(name)
				if typ.Kind() != reflect.Struct || !ok {
					t.Errorf("field path %q: no field %s", p, name)
					break
				}
				typ = sf.Type
			}
		}
		top[strings.Split(f.Path, ".")[0]] = true
	}
	ct := reflect.TypeOf(Complaint{})
	for i := range ct.NumField() {
		if name := ct.Field(i).Name; !top[name] {
			t.Errorf("Complaint.%s is in no question's Field nor in Fields' record fields", name)
		}
	}
}

// TestAnonymizeKeepsOnlyAnonymous: erasure keeps the anonymous facts, drops the rest, and a
// second erasure changes nothing.
func TestAnonymizeKeepsOnlyAnonymous(t *testing.T) {
	c := filledDraft()
	c.ID, c.Status, c.CreatedAt = "C-000001", StatusEscalated, testNow()
	c.Description, c.Agent, c.OtherRequest = "故事", "业务员", "道歉"
	c.History = []StatusChange{{Status: StatusSubmitted, At: testNow(), By: "user", Note: "私人备注"}}
	got := Anonymize(c)
	if got.Chat != 0 || got.User != 0 || got.Contact != (Contact{}) || got.Description != "" || got.Agent != "" ||
		got.OtherRequest != "" || got.Negotiation.Ticket != "" || got.Negotiation.Reply != "" || got.History[0].Note != "" {
		t.Errorf("personal data kept: %+v", got)
	}
	if got.ID != c.ID || got.Status != c.Status || got.Provider != c.Provider || got.Total() != c.Total() ||
		got.Body != "" || !got.Negotiation.Tried || got.Negotiation.Date != c.Negotiation.Date ||
		!slices.Equal(got.Requests, c.Requests) || len(got.Evidence) != 1 || got.Evidence[0].Kind != EvidencePhoto ||
		got.Evidence[0].FileID != "" || got.History[0].By != "user" || got.Lang != c.Lang {
		t.Errorf("anonymous facts lost: %+v", got)
	}
	if again := Anonymize(got); !reflect.DeepEqual(again, got) {
		t.Errorf("a second erasure changed the complaint: %+v", again)
	}
	typed := c
	typed.Provider = Provider{Name: "张三的POS机 13800138000"}
	if got := Anonymize(typed); got.Provider != (Provider{}) {
		t.Errorf("a typed provider name kept: %+v", got.Provider)
	}
	got.Requests[0] = RequestOther
	if c.Requests[0] == RequestOther {
		t.Error("the kept complaint shares its requests with the original")
	}
}

// TestTypedTextIsPersonal: every answer the user types as free text is classed personal by its
// entry, so that erasure removes it (issue 17: a typed provider name and the receiving body
// made from the user's city were kept).
func TestTypedTextIsPersonal(t *testing.T) {
	for _, q := range Questions() {
		if _, typed := q.Answer.(TextAnswer); typed && q.Privacy == Anonymous {
			t.Errorf("%s: %s is typed by the user but classed anonymous", q.State, q.Field)
		}
	}
	for _, f := range Fields() {
		if f.Privacy == Anonymous && (f.Path == "Provider" || f.Path == "Provider.Name" || f.Path == "Body") {
			t.Errorf("%s holds typed text but is classed anonymous", f.Path)
		}
	}
}
