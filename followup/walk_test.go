package followup

import (
	"fmt"
	"slices"
	"testing"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// TestWalkEveryRung walks a consumer's case over simulated weeks from the provider through
// 12315 and a 举报 to the court outline. today moves as the user would; at each step the
// reminder the case wants and the rungs it offers are checked.
func TestWalkEveryRung(t *testing.T) {
	c := mustNew(t, flows.Consumer) // document 2025-09-15, 199.00 claimed
	step := func(name string, next []Rung, due ...string) {
		t.Helper()
		if got := c.Next(); !slices.Equal(got, next) {
			t.Errorf("%s: Next = %v, want %v", name, got, next)
		}
		var got []string
		for _, r := range c.Reminders() {
			if r.Kind != KindLimit {
				got = append(got, r.At.In(workdays.China()).Format("2006-01-02 15:04"))
			}
		}
		if !slices.Equal(got, due) {
			t.Errorf("%s: due reminders at %v, want %v", name, got, due)
		}
	}
	step("document produced", []Rung{Provider})

	// Friday before National Day: the provider gets our 7 days' advice.
	c = must(t)(c.File(Filing{Rung: Provider, Body: "拉卡拉支付股份有限公司", Filed: "2025-09-19"}, "2025-09-19"))
	d, _ := c.Filings[0].Deadline()
	if d.Clock.Law || d.Date != "2025-09-26" {
		t.Errorf("provider deadline = %+v, want advice on 2025-09-26", d)
	}
	step("filed with the provider", nil, "2025-09-26 18:00")

	c = must(t)(c.Answer(0, Outcome{Result: Refused, Reason: "协议约定收取注销费"}, "2025-09-26"))
	step("the provider refused", []Rung{ConsumerAssociation, MarketRegulator})

	// 12315 on the same Friday: 7 working days, with the swapped Sunday 09-28 and Saturday
	// 10-11 counted and 10-01..08 not, end on Monday 10-13.
	c = must(t)(c.File(Filing{Rung: MarketRegulator, Body: "北京市市场监督管理局", Filed: "2025-09-26"}, "2025-09-26"))
	c = must(t)(c.SetRef(1, "BJ20250926-000123"))
	if d, _ := c.Filings[1].Deadline(); !d.Clock.Law || d.Date != "2025-10-13" {
		t.Errorf("12315 deadline = %+v, want law on 2025-10-13", d)
	}
	step("filed with 12315", nil, "2025-10-13 18:00")
	if _, err := c.File(Filing{Rung: MarketRegulator, Filed: "2025-10-01"}, "2025-10-01"); problem(err) != AlreadyFiled {
		t.Errorf("12315 again while waiting: %v", err)
	}

	c = must(t)(c.Answer(1, Outcome{Result: NoAnswer}, "2025-10-13"))
	step("12315 silent", []Rung{Report}) // not the consumer association: 12315 handled it

	c = must(t)(c.File(Filing{Rung: Report, Body: "北京市市场监督管理局", Filed: "2025-10-14"}, "2025-10-14"))
	step("举报 filed", nil, "2025-10-29 18:00")

	c = must(t)(c.Answer(2, Outcome{Result: NoAnswer}, "2025-10-30"))
	step("举报 unanswered", []Rung{Court})

	o, err := c.CourtOutline()
	if err != nil {
		t.Fatal(err)
	}
	if o.Claim != 19900 || o.Recovered != 0 || len(o.Earlier) != 3 || o.Earlier[1].Ref != "BJ20250926-000123" {
		t.Errorf("court outline = %+v", o)
	}

	c = must(t)(c.File(Filing{Rung: Court, Body: "北京市海淀区人民法院", Filed: "2025-11-03"}, "2025-11-03"))
	step("in court: no clock of ours", nil)
	c = must(t)(c.Answer(3, Outcome{Result: RefundedFull}, "2025-12-15"))
	step("judgment paid", nil)
	if !c.Closed() || c.Recovered() != 19900 || c.Reminders() != nil {
		t.Errorf("closed %v, recovered %v, reminders %v", c.Closed(), c.Recovered(), c.Reminders())
	}
}

// TestWalkPartRefund: an individual merchant's provider refunds part; the PBOC branch is offered
// for the rest, which is then refunded, closing the case.
func TestWalkPartRefund(t *testing.T) {
	k := complaint(flows.Individual)
	k.Deductions = append(k.Deductions, flows.Deduction{Date: "2025-08-21", Amount: 9900, Method: flows.FromSettlement})
	c, err := New(k, "2025-09-15") // 298.00
	if err != nil {
		t.Fatal(err)
	}
	c = must(t)(c.File(Filing{Rung: Provider, Filed: "2025-09-16"}, "2025-09-16"))
	if _, err := c.Answer(0, Outcome{Result: RefundedPart, Amount: 29801}, "2025-09-22"); problem(err) != AmountTooLarge {
		t.Fatalf("a part refund above the claim: %v", err)
	}
	c = must(t)(c.Answer(0, Outcome{Result: RefundedPart, Amount: 19900}, "2025-09-22"))
	if c.Recovered() != 19900 || c.Remaining() != 9900 || c.Closed() {
		t.Fatalf("after the part refund: recovered %v, remaining %v, closed %v", c.Recovered(), c.Remaining(), c.Closed())
	}
	if got := c.Next(); !slices.Equal(got, []Rung{PBOC}) {
		t.Fatalf("Next = %v, want the PBOC branch for the rest", got)
	}
	c = must(t)(c.File(Filing{Rung: PBOC, Body: "中国人民银行北京市分行", Filed: "2025-09-23"}, "2025-09-23"))
	if _, err := c.Answer(1, Outcome{Result: RefundedPart, Amount: 9901}, "2025-10-09"); problem(err) != AmountTooLarge {
		t.Fatalf("a part refund above the rest: %v", err)
	}
	c = must(t)(c.Answer(1, Outcome{Result: RefundedPart, Amount: 9900}, "2025-10-09"))
	if !c.Closed() || c.Recovered() != 29800 || c.Next() != nil || c.Filings[1].Outcome.Result != RefundedFull {
		t.Errorf("after the rest: %+v", c)
	}
	if _, err := c.File(Filing{Rung: Report, Filed: "2025-10-10"}, "2025-10-10"); problem(err) != Closed {
		t.Errorf("filing after the claim was refunded: %v", err)
	}
}

// A consumer's case, step by step, as /status might list it.
func ExampleCase() {
	c, _ := New(flows.Complaint{ID: "C-000007", Complainant: flows.Consumer, LearnedOn: "2025-09-01",
		Deductions: []flows.Deduction{{Date: "2025-08-20", Amount: 19900}}}, "2025-09-25")
	c, _ = c.File(Filing{Rung: MarketRegulator, Filed: "2025-09-30", Ref: "SZ-42"}, "2025-09-30")
	for _, f := range c.Filings {
		d, _ := f.Deadline()
		fmt.Println(f.Rung, f.Filed, f.Ref, "answer due", d.Date, "law:", d.Clock.Law)
	}
	c, _ = c.Answer(0, Outcome{Result: RefundedPart, Amount: 9900}, "2025-10-16")
	fmt.Println("recovered", c.Recovered(), "of", c.Claim, "next:", c.Next())
	// Output:
	// market_regulator 2025-09-30 SZ-42 answer due 2025-10-16 law: true
	// recovered 99.00 of 199.00 next: [report]
}
