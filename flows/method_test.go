package flows

import "testing"

// TestMethodOtherWords: after "other", the user's own words for the way the money was taken are
// kept on the deduction (optional: skip keeps none; another way's button or name changes it);
// words naming a way, typed at the buttons, are the other way's; the review shows them.
func TestMethodOtherWords(t *testing.T) {
	pending := func(s *Session) { s.Pend = Deduction{Amount: 9900, Date: "2024-03-15"} }
	other := step(t, at(StateMethod, pending), "btn:other")
	if other.Session.State != StateMethod || other.Session.Pend.Method != FromOther || keys(other.Replies)[0] != "ask_method_how" {
		t.Fatalf("other: state %s, pending %+v, replies %v", other.Session.State, other.Session.Pend, keys(other.Replies))
	}
	for _, c := range []struct {
		name, input string
		method      Method
		how         string
		state       State
	}{
		{"the words typed", "txt:微信转账给业务员", FromOther, "微信转账给业务员", StateLabel},
		{"skipped", "btn:skip", FromOther, "", StateLabel},
		{"skip typed", "txt:跳过", FromOther, "", StateLabel},
		{"another way typed", "txt:银行卡", FromBankCard, "", StateLabel},
		{"another way after all", "btn:change", "", "", StateMethod},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := step(t, other.Session, c.input)
			p := res.Session.Pend // kept on the complaint at the label's answer
			if res.Session.State != c.state || p.Method != c.method || p.How != c.how {
				t.Errorf("state %s, pending %+v; want %s, %s %q (replies %v)", res.Session.State, p, c.state, c.method, c.how, keys(res.Replies))
			}
		})
	}
	// back at the date and on again: the ways are offered again, not the words
	back := step(t, other.Session, "cmd:back")
	again := step(t, back.Session, "txt:2024-03-16")
	if again.Session.State != StateMethod || again.Session.Pend.Method != "" || keys(again.Replies)[0] != "ask_deduction_method" {
		t.Errorf("back and on: state %s, pending %+v, replies %v", again.Session.State, again.Session.Pend, keys(again.Replies))
	}
	typed := step(t, at(StateMethod, pending), "txt:扫码付给业务员")
	if typed.Session.State != StateLabel || typed.Session.Pend.Method != FromOther || typed.Session.Pend.How != "扫码付给业务员" {
		t.Errorf("a way typed at the buttons: state %s, pending %+v", typed.Session.State, typed.Session.Pend)
	}
	kept := step(t, typed.Session, "btn:skip")
	ds := kept.Session.Draft.Deductions
	if len(ds) == 0 || ds[len(ds)-1].How != "扫码付给业务员" {
		t.Fatalf("deductions %+v", ds)
	}
	line := deductionLines(ds[len(ds)-1:])[0]
	if line.Args["How"] != "扫码付给业务员" {
		t.Errorf("the review's line %+v", line)
	}
	if got := Anonymize(Complaint{Deductions: ds}).Deductions; got[len(got)-1].How != "" || got[len(got)-1].Method != FromOther {
		t.Errorf("erased: %+v", got)
	}
}
