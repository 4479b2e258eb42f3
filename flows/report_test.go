package flows

import (
	"slices"
	"testing"
)

// TestReportOfferedWhereItFits: a 举报 reports a fee that was never clearly marked (DOMAIN.md
// §2), so its letter is offered after a complaint about such a fee and only there: not when the
// user said they were told of the fee, agreed or not (the 举报信 would contradict its own facts).
func TestReportOfferedWhereItFits(t *testing.T) {
	for _, c := range []struct {
		disclosure Disclosure
		fits       bool
	}{
		{NotTold, true},
		{FinePrint, true},
		{NotSureTold, true},
		{ToldNoAgree, false},
		{Agreed, false},
	} {
		if got := ReportFits(Complaint{Disclosure: c.disclosure}); got != c.fits {
			t.Errorf("ReportFits(%s) = %v, want %v", c.disclosure, got, c.fits)
		}
		for _, kind := range ChargeKinds() {
			s := at(StateReview, func(s *Session) {
				s.Draft.Charge, s.Draft.Disclosure = kind, c.disclosure
				s.Draft.Requests = []RequestKind{RequestRefund}
			})
			res := step(t, s, "btn:confirm")
			if res.Complaint() == nil {
				t.Fatalf("%s %s: no complaint produced: %v", kind, c.disclosure, keys(res.Replies))
			}
			offered, said := false, false
			for _, r := range res.Replies {
				offered = offered || slices.ContainsFunc(r.Choices, func(ch Choice) bool { return ch.Key == "letter_report" })
				if r.Key == "complaint_ready" {
					said = r.Args["Report"] == true
				}
			}
			if offered != c.fits || said != c.fits {
				t.Errorf("%s %s: 举报信 button %v, mentioned %v; want %v", kind, c.disclosure, offered, said, c.fits)
			}
			// the button of an older message brings no 举报信 where it does not fit
			s = res.Session
			s.LastCase = "C-000009"
			res = step(t, s, "btn:"+string(LetterReport))
			letter := slices.ContainsFunc(res.Effects, func(e Effect) bool { return e.Kind == EffectLetter && e.Letter == LetterReport })
			if letter != c.fits {
				t.Errorf("%s %s: the 举报信's button brings the letter: %v, want %v (%v)", kind, c.disclosure, letter, c.fits, keys(res.Replies))
			}
		}
	}
}

// TestNoReturnPromised: "没有" at the return terms says nobody promised to return the money; a
// promise, or not knowing, leaves it a deposit owed back (DOMAIN.md §4's row 服务费 / 押金 with a
// promised return).
func TestNoReturnPromised(t *testing.T) {
	for _, tc := range []struct {
		kind  ChargeKind
		terms string
		want  bool
	}{
		{ServiceFee, "没有", true},
		{ServiceFee, "没有承诺。", true},
		{ServiceFee, "None", true},
		{ServiceFee, "三个月内刷满5万元全额返还", false},
		{ServiceFee, "", false},
		{ServiceFee, "不知道", false},
		{SIMFee, "没有", false},
	} {
		c := Complaint{Charge: tc.kind, Facts: Facts{ReturnTerms: tc.terms}}
		if got := NoReturnPromised(c); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.kind, tc.terms, got, tc.want)
		}
	}
}
