package followup

import (
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// TestReadFiled: what people type at "did you file it?".
func TestReadFiled(t *testing.T) {
	now := workdays.Date(2025, 10, 2).Add(18 * time.Hour)
	tests := []struct {
		text string
		want Filed
	}{
		{"今天在12315平台提交了，受理号是 1234567890", Filed{Says: SaysFiled, Date: "2025-10-02", Rung: MarketRegulator, Ref: "1234567890"}},
		{"交了", Filed{Says: SaysFiled}},
		{"是的", Filed{Says: SaysFiled}},
		{"昨天交给消协了", Filed{Says: SaysFiled, Date: "2025-10-01", Rung: ConsumerAssociation}},
		{"9月30日打12363投诉了", Filed{Says: SaysFiled, Date: "2025-09-30", Rung: PBOC}},
		{"2025-09-29", Filed{Says: SaysFiled, Date: "2025-09-29"}},
		{"I filed it today with the consumer association, reference CA-2025-77", Filed{Says: SaysFiled, Date: "2025-10-02", Rung: ConsumerAssociation, Ref: "CA-2025-77"}},
		{"提交了，工单号GD1231500", Filed{Says: SaysFiled, Ref: "GD1231500"}}, // the number names no 12315
		{"I filed it on 12315 today, the number is 1234567890", Filed{Says: SaysFiled, Date: "2025-10-02", Rung: MarketRegulator, Ref: "1234567890"}},
		{"2025年10月5日提交了", Filed{Says: SaysFiled, Future: true}},
		{"还没有", Filed{Says: SaysNotYet}},
		{"还没，下周去", Filed{Says: SaysNotYet}},
		{"Not yet.", Filed{Says: SaysNotYet}},
		{"没问题", Filed{}},
		{"谢谢", Filed{}},
		{"明天提交", Filed{}},
		{"客服电话打了好几次", Filed{}}, // calling the provider is no filing
		{"今天向拉卡拉客服投诉了，工单号 LKL123456", Filed{Says: SaysFiled, Date: "2025-10-02", Rung: Provider, Ref: "LKL123456"}},
		{"昨天在支付机构的App里提交了", Filed{Says: SaysFiled, Date: "2025-10-01", Rung: Provider}},
		{"昨天打12315客服投诉了", Filed{Says: SaysFiled, Date: "2025-10-01", Rung: MarketRegulator}},
		{"", Filed{}},
	}
	for _, tc := range tests {
		if got := ReadFiled(tc.text, now); got != tc.want {
			t.Errorf("ReadFiled(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

// FuzzReadFiled: any text reads without a panic, as a day no later than today, a place on the
// ladder and a number of at most 40 characters.
func FuzzReadFiled(f *testing.F) {
	for _, s := range []string{"今天在12315平台提交了，受理号是 1234567890", "还没有", "9月30日交的", "ref: AB-12", "2025年13月40日提交了"} {
		f.Add(s)
	}
	now := workdays.Date(2025, 10, 2).Add(18 * time.Hour)
	f.Fuzz(func(t *testing.T, s string) {
		got := ReadFiled(s, now)
		if got.Date != "" && (got.Date > flows.DateOf(now) || got.Says != SaysFiled) {
			t.Fatalf("%q: %+v", s, got)
		}
		if got.Rung != "" && StageOf(flows.Consumer, got.Rung) < 0 && StageOf(flows.Individual, got.Rung) < 0 {
			t.Fatalf("%q: rung %q", s, got.Rung)
		}
		if len(got.Ref) > 40 {
			t.Fatalf("%q: ref %q", s, got.Ref)
		}
	})
}

// TestReadOutcome: what people type about what came of a filing.
func TestReadOutcome(t *testing.T) {
	tests := []struct {
		text string
		want Outcome
		ok   bool
	}{
		{"全退了", Outcome{Result: RefundedFull}, true},
		{"钱退回来了，谢谢", Outcome{Result: RefundedFull}, true},
		{"退了50元", Outcome{Result: RefundedPart, Amount: 5000}, true},
		{"退了一部分", Outcome{Result: RefundedPart}, true},
		{"退了五十元", Outcome{Result: RefundedPart, Amount: 5000}, true},
		{"只退了一百块", Outcome{Result: RefundedPart, Amount: 10000}, true},
		{"只退了一半，99.5元", Outcome{Result: RefundedPart, Amount: 9950}, true},
		{"客服拒绝了，说合同有约定", Outcome{Result: Refused, Reason: "客服拒绝了，说合同有约定"}, true},
		{"说不退", Outcome{Result: Refused, Reason: "说不退"}, true},
		{"还没退", Outcome{Result: NoAnswer}, true},
		{"一直没回复", Outcome{Result: NoAnswer}, true},
		{"They refunded everything", Outcome{Result: RefundedFull}, true},
		{"no answer yet", Outcome{Result: NoAnswer}, true},
		{"谢谢", Outcome{}, false},
		{"我想再投诉一个", Outcome{}, false},
		// a promise is no money back (Promised): not a refund, whatever sum or period it names
		{"客服打电话来，答应一周内退回", Outcome{}, false},
		{"答应退了但还没到账", Outcome{}, false},
		{"客服同意退款了，还没到账", Outcome{}, false},
		{"说7个工作日内退回", Outcome{}, false},
		{"对方承诺退还199元", Outcome{}, false},
		{"They promised to refund 199", Outcome{}, false},
		{"客服说不会退", Outcome{Result: Refused, Reason: "客服说不会退"}, true},
		// two sums: which came back is asked, never taken as everything
		{"退了99元，还差100", Outcome{Result: RefundedPart}, true},
		{"199的扣款退回了99", Outcome{Result: RefundedPart}, true},
		{"全额退回199元，2025年10月8日到账了", Outcome{Result: RefundedFull}, true},
	}
	for _, tc := range tests {
		got, ok := ReadOutcome(tc.text)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ReadOutcome(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

// TestPromised: a refund promised, or announced and not arrived, is told apart from money
// back and from a refusal.
func TestPromised(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"客服打电话来，答应一周内退回", true},
		{"客服来电说会退款", true},
		{"答应退了但还没到账", true},
		{"说7个工作日内退回", true},
		{"they called and promised a refund", true},
		{"they said they will refund it", true},
		{"全退了", false},
		{"退了50元", false},
		{"客服拒绝了，说合同有约定", false},
		{"不同意退", false},
		{"还没回复", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := Promised(tc.text); got != tc.want {
			t.Errorf("Promised(%q) = %v, want %v", tc.text, got, tc.want)
		}
		if got := SaysOutcome(tc.text); tc.want && !got {
			t.Errorf("SaysOutcome(%q) = false for a promise", tc.text)
		}
	}
}

// FuzzReadOutcome: any text reads without a panic as one of the four results, a part with a
// sum that is not negative.
func FuzzReadOutcome(f *testing.F) {
	for _, s := range []string{"全退了", "退了50元", "客服拒绝了", "还没回复", "退了-5元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := ReadOutcome(s)
		if !ok {
			return
		}
		switch o.Result {
		case RefundedFull, NoAnswer, Refused:
		case RefundedPart:
			if o.Amount < 0 {
				t.Fatalf("%q: %+v", s, o)
			}
		default:
			t.Fatalf("%q: %+v", s, o)
		}
	})
}
