package flows

import (
	"context"
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
		{"consumer", consumer, StateCharge, StateComplainant},
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
	for _, s := range []State{StateConsent, StateSubmitted, StateClosed, "nonsense"} {
		if got, ok := previous(s, consumer); ok {
			t.Errorf("back from %s = %s, want nowhere", s, got)
		}
	}
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
	if got.ID != c.ID || got.Status != c.Status || got.Provider.Key != c.Provider.Key || got.Provider.Name != c.Provider.Name || got.Total() != c.Total() ||
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

// TestRetiredStates: a session stored at a question folded into another goes on where that
// question now is: the language on the privacy notice, the consumer check with the charge.
func TestRetiredStates(t *testing.T) {
	for _, c := range []struct {
		from State
		want State
		key  string
	}{
		{"language", StateConsent, "ask_consent"},
		{"consumer_check", StateCharge, "ask_charge"},
	} {
		s := at(c.from, func(s *Session) { s.Consented = c.from != "language"; s.Draft.Complainant = Consumer })
		res, err := Step(context.Background(), s, input(s, "cmd:help"))
		if err != nil {
			t.Fatal(err)
		}
		if k := keys(res.Replies); res.Session.State != c.want || k[len(k)-1] != c.key {
			t.Errorf("from %s: state %s, replies %v; want %s asking %s", c.from, res.Session.State, k, c.want, c.key)
		}
	}
}
