package flows

import (
	"context"
	"testing"
	"time"
)

// TestTypedSkip: what typed text says about skipping each kind of question.
func TestTypedSkip(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		state State
		want  skipping
	}{
		{"skip typed at an optional code", "跳过", StateCompanyCode, skipTyped},
		{"with a full stop and spaces", " 跳过。", StateDeregTicket, skipTyped},
		{"in English, capitalised", "Skip", StateDevice, skipTyped},
		{"none at an optional code", "没有", StateCompanyCode, skipTyped},
		{"don't know at an optional number", "不知道", StateMerchantNumber, skipTyped},
		{"none at optional free text is its answer", "没有", StateNegReply, skipNot},
		{"skip at optional free text", "跳过", StateNegReply, skipTyped},
		{"skip where the complaint needs free text", "跳过", StateCompanyAddress, skipRefused},
		{"skip at a needed parsed answer is refused by its parser", "跳过", StateContactPhone, skipNot},
		{"none at a needed number", "无", StateContactPhone, skipNot},
		{"skip at buttons is for the buttons", "跳过", StateComplainant, skipNot},
		{"a sentence with the word is an answer", "跳过了这一步", StateDeregTicket, skipNot},
		{"a real answer", "GD20240503001", StateDeregTicket, skipNot},
		{"forgotten at a date with its button", "记不清了", StateContractDate, skipUnknown},
		{"skip at a date with the button", "跳过", StateContractDate, skipUnknown},
		{"don't know in English", "Don't know", StateContractDate, skipUnknown},
		{"forgotten at a date without one", "记不清了", StateLearned, skipNot},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := machine().question(c.state)
			if q == nil {
				t.Fatalf("no question %s", c.state)
			}
			if got := typedSkip(c.text, q); got != c.want {
				t.Fatalf("typedSkip(%q) at %s = %d, want %d", c.text, c.state, got, c.want)
			}
		})
	}
}

// TestTypedSkipSteps: "跳过" typed skips an optional question as its button does, and is
// refused, not kept, where the complaint needs the answer.
func TestTypedSkipSteps(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	company := func(s *Session) {
		s.Draft.Complainant, s.Draft.Company = Company, CompanyInfo{Name: "深圳某某贸易有限公司"}
	}
	res, err := Step(ctx, at(StateCompanyCode, company), Input{Kind: InputText, Text: "跳过", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.State != StateCompanyAddress || res.Session.Draft.Company.CreditCode != "" {
		t.Fatalf("after 跳过 at the credit code: state %s, code %q", res.Session.State, res.Session.Draft.Company.CreditCode)
	}
	res, err = Step(ctx, res.Session, Input{Kind: InputText, Text: "跳过", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.State != StateCompanyAddress || res.Session.Draft.Company.Address != "" || len(res.Replies) == 0 || res.Replies[0].Key != "skip_needed" {
		t.Fatalf("after 跳过 at the company's address: state %s, address %q, replies %+v", res.Session.State, res.Session.Draft.Company.Address, res.Replies)
	}
	// "记不清了" typed at the contract's date presses its "I don't remember"
	res, err = Step(ctx, at(StateContractDate, nil), Input{Kind: InputText, Text: "记不清了", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.State != StateContractChan || res.Session.Draft.ContractDate != "" {
		t.Fatalf("after 记不清了 at the contract's date: state %s, date %q", res.Session.State, res.Session.Draft.ContractDate)
	}
	// the deduction's name has its own skip button
	res, err = Step(ctx, at(StateLabel, func(s *Session) {
		s.Draft.Deductions, s.Pend = nil, Deduction{Date: "2025-03-10", Amount: 9900, Method: FromSettlement}
	}), Input{Kind: InputText, Text: "跳过", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Session.Draft.Deductions; res.Session.State != StateMoreDeductions || len(d) != 1 || d[0].Label != "" {
		t.Fatalf("after 跳过 at the deduction's name: state %s, deductions %+v", res.Session.State, d)
	}
}
