package flows

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/providers"
)

// testNow is the clock of every flows test: 2026-11-21 10:00 in China.
func testNow() time.Time {
	return time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// filledDraft is a complaint with every question answered, for starting a step anywhere.
func filledDraft() Complaint {
	return Complaint{
		Chat: 42, User: 42, Lang: LangZH,
		Complainant: Consumer, Charge: DeregistrationFee,
		Provider:   Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司", Address: "北京市测试区测试路1号"},
		Facts:      Facts{DeregOn: "2024-04-28", DeregChannel: ChannelAgent, DeregDone: Yes},
		Deductions: []Deduction{{Date: "2024-05-01", Amount: 19900, Method: FromSettlement}},
		Disclosure: NotTold, LearnedOn: "2024-05-01", ContractDate: "2022-03-15", ContractChannel: ChannelAgent,
		Negotiation: Negotiation{Tried: true, Date: "2024-05-03", Channel: ChannelHotline, Ticket: "T1", Reply: "不退"},
		Proceedings: ProceedingsNone, Description: "注销时被扣了199元。",
		Requests: []RequestKind{RequestRefund, RequestDeregister},
		Evidence: []Evidence{{Kind: EvidencePhoto, FileID: "f1", UniqueID: "u1"}},
		Contact:  Contact{Name: "张三", Phone: "13800138000", City: "深圳市", Address: "广东省深圳市南山区科技园路1号"},
		Body:     "深圳市消费者协会",
	}
}

// at returns a consented session at state s with a filled draft.
func at(s State, change func(*Session)) Session {
	sess := Session{Chat: 42, State: s, Lang: LangZH, Consented: true, Prompt: 5, Draft: filledDraft()}
	if change != nil {
		change(&sess)
	}
	return sess
}

// input reads the tests' short notation: "btn:ACTION" presses a button of the current prompt,
// "txt:TEXT" types, "file" sends a photo, "cmd:NAME ARGS" runs a command, "other" a sticker.
func input(s Session, spec string) Input {
	kind, v, _ := strings.Cut(spec, ":")
	in := Input{Now: testNow(), User: 42, Providers: testProviders()}
	switch kind {
	case "btn":
		in.Kind, in.Data = InputButton, "5:"+v
		if s.Prompt != 5 {
			in.Data = itoa(s.Prompt) + ":" + v
		}
	case "txt":
		in.Kind, in.Text = InputText, v
	case "file":
		in.Kind = InputAttachment
		in.Attachments = []Attachment{{Kind: EvidencePhoto, FileID: "f-new", UniqueID: "u-new", Size: 2048, MIME: "image/jpeg"}}
	case "cmd":
		in.Kind = InputCommand
		in.Command, in.Args, _ = strings.Cut(v, " ")
	case "other":
		in.Kind = InputOther
	}
	return in
}

// testProviders is the embedded provider data with testdata/providers.toml over it: Lakala has
// an address there, the other providers none.
var testProviders = sync.OnceValue(func() *providers.List {
	l, err := providers.Load(filepath.Join("testdata", "providers.toml"))
	if err != nil {
		panic(err)
	}
	return l
})

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// transitionCase is how a test fires one edge of the machine.
type transitionCase struct {
	change func(*Session)
	input  string
}

// sampler is an answer kind a test can answer by itself: sample is an input, in the notation
// of input, that a question of that kind takes as a valid answer; "" when there is none.
type sampler interface{ sample(q *Question) string }

// sample presses the first value's button.
func (p Pick[T]) sample(*Question) string {
	if len(p.Values) == 0 {
		return ""
	}
	return "btn:" + string(p.Values[0])
}

// sample types a short text.
func (TextAnswer) sample(*Question) string { return "txt:一段回答" }

// sample types the filled draft's first deduction's date: no date is then out of order.
func (DateAnswer) sample(*Question) string { return "txt:2024年5月1日" }

// sample types the entry's Example, or skips an optional question without one.
func (p Parsed[T]) sample(q *Question) string {
	switch {
	case p.Example != "":
		return "txt:" + p.Example
	case q.Optional:
		return "btn:skip"
	}
	return ""
}

// example is the entry's Example, for TestParsedExamples.
func (p Parsed[T]) example() string { return p.Example }

// TestParsedExamples checks that every Parsed entry has an Example its parser takes, also
// those whose edges transitionInputs fires by hand.
func TestParsedExamples(t *testing.T) {
	for _, q := range Questions() {
		p, ok := q.Answer.(interface {
			example() string
			parses(string) bool
		})
		if !ok {
			continue
		}
		if ex := p.example(); ex == "" || !p.parses(ex) {
			t.Errorf("%s: Example %q is not an answer its parser takes", q.State, ex)
		}
	}
}

// transitionFor returns how a test fires the edge tr: its case in cases, or, for the edge a
// question's answer fires (its Done event) when the question is a Pick, TextAnswer, DateAnswer
// or Parsed, its answer kind's sample from the filled draft. A plain question added to the
// table needs no case.
func transitionFor(tr transition, cases map[string]transitionCase) (transitionCase, bool) {
	if c, ok := cases[string(tr.from)+"/"+tr.event]; ok {
		return c, true
	}
	q := machine().question(tr.from)
	if q == nil {
		return transitionCase{}, false
	}
	done := q.Done
	if done == "" {
		done = evNext
	}
	a, ok := q.Answer.(sampler)
	if !ok || tr.event != done {
		return transitionCase{}, false
	}
	in := a.sample(q)
	return transitionCase{input: in}, in != ""
}

// transitionInputs gives, for the forward edges "from/event" that transitionFor cannot derive
// (a branch, a set-up, a question with its own code), the input that takes it.
func transitionInputs() map[string]transitionCase {
	merchant := func(s *Session) { s.Draft.Complainant = Individual }
	company := func(s *Session) {
		s.Draft.Complainant, s.Draft.Company.Address = Company, "广东省深圳市福田区某某大厦8楼"
	}
	companyNoCity := func(s *Session) { s.Draft.Complainant, s.Draft.Contact.City = Company, "" }
	charge := func(k ChargeKind) func(*Session) { return func(s *Session) { s.Draft.Charge = k } }
	badDates := func(s *Session) { s.Draft.ContractDate = "2024-06" }
	twoDeductions := func(s *Session) {
		s.Draft.Deductions = append(s.Draft.Deductions, Deduction{Date: "2024-06-01", Amount: 500, Method: FromBankCard})
	}
	withOther := func(s *Session) { s.Draft.Requests = []RequestKind{RequestRefund, RequestOther} }
	withCase := func(s *Session) { s.LastCase = "C-000001" }
	return map[string]transitionCase{
		"consent/agree":               {func(s *Session) { s.Consented = false }, "btn:agree"},
		"complainant/next":            {nil, "btn:consumer"},
		"complainant/company":         {nil, "btn:company"},
		"complainant/individual":      {nil, "btn:individual"},
		"company_role/merchant":       {company, "btn:legal_rep"},
		"merchant_name/merchant":      {merchant, "txt:张三便利店"},
		"charge/next":                 {nil, "btn:other"},
		"charge/individual":           {nil, "btn:as=individual"},
		"charge/company":              {nil, "btn:as=company"},
		"charge/dereg":                {nil, "btn:deregistration_fee"},
		"charge/sim":                  {nil, "btn:sim_fee"},
		"charge/deposit":              {nil, "btn:service_fee"},
		"charge/rate":                 {nil, "btn:rate_increase"},
		"rate_notice/next":            {charge(RateIncrease), "txt:2024-07-20"},
		"provider/next":               {nil, "btn:lakala"},
		"dereg_ticket/next":           {nil, "txt:GD20240503001"},   // a ticket number has digits
		"fee_period/next":             {nil, "txt:2024年6月至2025年6月"}, // a period names a time
		"negotiation_ticket/next":     {nil, "txt:GD20240503001"},
		"provider/provider_addr":      {nil, "btn:shengpay"},
		"provider/other_provider":     {nil, "btn:other"},
		"provider_name/next":          {nil, "txt:拉卡拉"},
		"provider_name/provider_addr": {nil, "txt:某某支付有限公司"},
		"deduction_amount/pasted": {func(s *Session) {
			s.Offer = &Offer{Source: offerText, Text: "【拉卡拉】扣199元", Asked: StateAmount, Keep: []bool{false},
				Deductions: []Deduction{{Date: "2024-05-01", Amount: 19900, Method: FromSettlement, Label: "注销服务费"}}}
		}, "btn:p=all"},
		"deduction_method/next":      {nil, "btn:settlement"},
		"deduction_label/next":       {nil, "btn:l=0"},
		"deduction_more/more":        {nil, "btn:more"},
		"deduction_more/stay":        {twoDeductions, "btn:remove"},
		"deduction_more/next":        {nil, "btn:done"},
		"negotiated/yes":             {nil, "btn:yes"},
		"negotiated/no":              {nil, "btn:no"},
		"requests/stay":              {nil, "btn:t=stop"},
		"requests/next":              {nil, "btn:done"},
		"requests/other":             {withOther, "btn:done"},
		"evidence/stay":              {nil, "file"},
		"evidence/next":              {nil, "btn:done"},
		"contact_phone/contact_addr": {nil, "txt:+86 139-1234-5678"},
		"contact_phone/city":         {companyNoCity, "txt:13912345678"},
		"contact_phone/next":         {company, "txt:13912345678"},
		"contact_address/city":       {nil, "txt:南山区科技园路1号"},
		"contact_address/next":       {nil, "txt:广东省深圳市南山区科技园路1号"},
		"body/next":                  {nil, "btn:b=1"},
		"body/date_check":            {badDates, "btn:b=0"},
		"date_check/next":            {badDates, "btn:keep"},
		"review/confirm":             {nil, "btn:confirm"},
		"submitted/escalate":         {withCase, "btn:escalate"},
		"submitted/decline":          {withCase, "btn:decline"},
	}
}

// TestEveryTransition fires every edge of the machine with a real input and checks where it
// leads; an edge that neither transitionInputs nor transitionFor gives an input fails the test.
func TestEveryTransition(t *testing.T) {
	cases := transitionInputs()
	for _, tr := range forward() {
		name := string(tr.from) + "/" + tr.event
		c, ok := transitionFor(tr, cases)
		if !ok {
			t.Errorf("no test input for transition %s -> %s: add one to transitionInputs (a Parsed answer: give it an Example)", name, tr.to)
			continue
		}
		t.Run(name, func(t *testing.T) {
			s := at(tr.from, c.change)
			res, err := Step(context.Background(), s, input(s, c.input))
			if err != nil {
				t.Fatal(err)
			}
			// the deductions confirmed from a pasted text pass the list by, too
			// and the usual requests are taken, not asked
			through := map[string]State{"deduction_amount/pasted": StateDisclosure, "description/next": StateEvidence}
			if res.Session.State != tr.to && res.Session.State != through[name] {
				t.Fatalf("state = %s, want %s (replies %v)", res.Session.State, tr.to, keys(res.Replies))
			}
			if len(res.Replies) == 0 {
				t.Fatal("no reply")
			}
		})
	}
}

// TestEditEdges checks that each of the review's edit buttons opens its section, and that the
// section's last answer returns to the review.
func TestEditEdges(t *testing.T) {
	cases := transitionInputs()
	for _, sec := range sections() {
		t.Run("edit_"+sec.Name, func(t *testing.T) {
			s := at(StateReview, nil)
			res, err := Step(context.Background(), s, input(s, "btn:edit="+sec.Name))
			if err != nil {
				t.Fatal(err)
			}
			if res.Session.State != sec.Start || !res.Session.Editing {
				t.Fatalf("state = %s editing=%v, want %s editing", res.Session.State, res.Session.Editing, sec.Start)
			}
		})
	}
	// a consumer switches to complaining as a merchant at the charge question, not from the review
	notEditing := map[string]bool{"charge/individual": true, "charge/company": true}
	for _, tr := range forward() {
		if !leavesSection(tr.from, tr.event) || notEditing[string(tr.from)+"/"+tr.event] {
			continue
		}
		name := string(tr.from) + "/" + tr.event
		t.Run("back to review from "+name, func(t *testing.T) {
			c, ok := transitionFor(tr, cases)
			if !ok {
				t.Fatal("no test input")
			}
			s := at(tr.from, c.change)
			s.Editing = true
			res, err := Step(context.Background(), s, input(s, c.input))
			if err != nil {
				t.Fatal(err)
			}
			if res.Session.State != StateReview || res.Session.Editing {
				t.Fatalf("state = %s editing=%v, want review", res.Session.State, res.Session.Editing)
			}
		})
	}
}

// TestUnexpectedInputKeepsState sends, in every question, input that does not fit: a sticker, a
// stale button, a button of another question, and text where only buttons are taken.
func TestUnexpectedInputKeepsState(t *testing.T) {
	for _, sec := range sections() {
		for _, state := range sec.States {
			for _, spec := range []string{"other", "stale", "btn:nonsense", "txt:"} {
				t.Run(string(state)+"/"+spec, func(t *testing.T) {
					s := at(state, nil)
					in := input(s, spec)
					if spec == "stale" {
						in = Input{Kind: InputButton, Data: "4:done", Now: testNow()}
					}
					res, err := Step(context.Background(), s, in)
					if err != nil {
						t.Fatal(err)
					}
					if res.Session.State != state {
						t.Fatalf("state moved to %s", res.Session.State)
					}
					if len(res.Replies) < 1 {
						t.Fatal("no reply")
					}
					if res.Session.Draft.Total() != s.Draft.Total() || len(res.Session.Draft.Evidence) != len(s.Draft.Evidence) {
						t.Fatal("draft changed")
					}
				})
			}
		}
	}
}

// TestFileOutsideEvidenceIsKept: a photo during the date step stays in the date step, and is
// kept as evidence, not lost.
func TestFileOutsideEvidenceIsKept(t *testing.T) {
	s := at(StateDeductionDate, nil)
	res, err := Step(context.Background(), s, input(s, "file"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.State != StateDeductionDate {
		t.Fatalf("state = %s", res.Session.State)
	}
	if got := len(res.Session.Draft.Evidence); got != 2 {
		t.Fatalf("evidence = %d, want 2", got)
	}
	if k := keys(res.Replies); k[0] != "evidence_kept_early_one" || k[len(k)-1] != "ask_deduction_date" {
		t.Fatalf("replies = %v", k)
	}
	// before consent nothing is kept
	s = at(StateConsent, func(s *Session) { s.Consented = false; s.Draft = Complaint{} })
	res, _ = Step(context.Background(), s, input(s, "file"))
	if len(res.Session.Draft.Evidence) != 0 || keys(res.Replies)[0] != "consent_first" {
		t.Fatalf("kept a file before consent: %v", keys(res.Replies))
	}
}

func keys(rs []Reply) []string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.Key)
	}
	return ks
}
