package flows

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParseData: callback data of any shape is either refused or read back as what it says
// ("<prompt>:<action>", at most 64 bytes, a prompt of at least zero), and never panics.
func FuzzParseData(f *testing.F) {
	for _, s := range []string{"5:confirm", "0:agree", "12:t=refund", "", ":", "5:", ":x", "-1:x", "+3:x",
		"99999999999999999999:x", "1:" + strings.Repeat("x", 70), "s:claim:C-000001", "\x00:\xff", "٣:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		p, action, ok := parseData(data)
		if !ok {
			return
		}
		if len(data) > 64 || p < 0 || action == "" {
			t.Fatalf("parseData(%q) = %d %q, accepted", data, p, action)
		}
		n, rest, _ := strings.Cut(data, ":")
		if rest != action {
			t.Fatalf("parseData(%q) action %q, want %q", data, action, rest)
		}
		if m, err := strconv.Atoi(n); err != nil || m != p {
			t.Fatalf("parseData(%q) prompt %d, the data says %q", data, p, n)
		}
	})
}

// fuzzStates are the states FuzzStep starts from.
var fuzzStates = []State{StateConsent, StateComplainant, StateCharge, StateProvider, StateProviderName,
	StateAmount, StateDeductionDate, StateMethod, StateMoreDeductions, StateDisclosure, StateLearned, StateContractDate,
	StateContractChan, StateAgent, StateDevice, StateMerchantName, StateMerchantNumber, StateNegotiated, StateNegDate,
	StateNegChannel, StateNegTicket, StateNegReply, StateProceedings, StateDescription, StateRequests,
	StateOtherRequest, StateEvidence, StateContactName, StateContactPhone, StateContactCity, StateContactAddress,
	StateBody, StateReview, StateSubmitted, StateClosed}

// FuzzStep: any text, command or button press in any state is answered without an error or a
// panic, and the next session still encodes as JSON (what storage keeps).
func FuzzStep(f *testing.F) {
	f.Add(uint8(6), uint8(0), "199元")
	f.Add(uint8(7), uint8(0), "昨天")
	f.Add(uint8(29), uint8(0), "+86 138-0013-8000")
	f.Add(uint8(33), uint8(1), "5:confirm")
	f.Add(uint8(0), uint8(2), "lang en")
	f.Add(uint8(20), uint8(1), "\x00:\xff")
	f.Add(uint8(24), uint8(0), "<b>x</b>\u202e")
	f.Add(uint8(4), uint8(3), "【拉卡拉】您的终端（SN:WP2103456789）已于2024年05月01日完成注销，注销服务费199.00元已从结算款中扣除。")
	f.Add(uint8(6), uint8(3), "2024-06-01 调账 流量卡服务费 -99.00\n2024-07-01 扣收服务费 50.00元")
	f.Fuzz(func(t *testing.T, state, kind uint8, text string) {
		s := NewSession(1)
		s.State = fuzzStates[int(state)%len(fuzzStates)]
		s.Lang, s.Consented, s.Prompt = LangZH, true, 5
		s.Draft.Chat, s.Draft.User = 1, 1
		in := Input{User: 1, LanguageCode: "zh-hans", Now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		switch kind % 4 {
		case 0, 3:
			in.Kind, in.Text = InputText, text
		case 1:
			in.Kind, in.Data = InputButton, text
		default:
			in.Kind = InputCommand
			in.Command, in.Args, _ = strings.Cut(text, " ")
		}
		res, err := Step(context.Background(), s, in)
		if err != nil {
			t.Fatalf("Step from %s with %+v: %v", s.State, in, err)
		}
		if kind%4 == 3 && res.Session.Offer != nil {
			// what was read from the text, taken: all of it, or each in turn
			for _, a := range []string{"p=all", "p=each", "p=add", "p=skip", "p=add"} {
				p := Input{Kind: InputButton, Data: strconv.Itoa(res.Session.Prompt) + ":" + a, User: 1, Now: in.Now}
				if res, err = Step(context.Background(), res.Session, p); err != nil {
					t.Fatalf("Step from %s with %s: %v", res.Session.State, a, err)
				}
			}
			if res.Session.Offer != nil && !res.Session.Offer.Each {
				t.Fatalf("the offer was not taken: %+v", res.Session.Offer)
			}
		}
		if _, err := json.Marshal(res.Session); err != nil {
			t.Fatalf("the next session does not encode: %v", err)
		}
	})
}

// TestDirectionControlRefused: an amount, a date or a phone number typed with a bidirectional
// control displays in another order than it is read ("\u202e991" shows as 199), so it is
// refused and asked again, not guessed; zero-width characters alone are only removed.
func TestDirectionControlRefused(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		state State
		text  string
		ok    bool
	}{
		{StateAmount, "\u202e991元", false},
		{StateAmount, "199\u200f", false},
		{StateAmount, "1\u200b99元", true},
		{StateDeductionDate, "\u202e2024-05-01", false},
		{StateContactPhone, "\u2067138 0013 8000\u2069", false},
		{StateContactPhone, "138\u200b0013\u200b8000", true},
		{StateOldRate, "原来0.38，现在\u202e6.0", false},           // shows as 0.6, reads 6.0: both rates at once are refused too
		{StateMerchantNumber, "\u202e321011350485228", false}, // shows as 822…: a merchant number, an SN are refused too
		{StateMerchantNumber, "822584053110123", true},
		{StateDevice, "\u202e87654321PW", false},
		{StateCompanyCode, "\u202e34Y001000M00105319", false},
	} {
		s := NewSession(1)
		s.State, s.Lang, s.Consented = tc.state, LangZH, true
		s.Pend.Amount = 19900
		res, err := Step(context.Background(), s, Input{Kind: InputText, Text: tc.text, User: 1, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if moved := res.Session.State != tc.state; moved != tc.ok {
			t.Errorf("%s %q: moved to %s, want accepted %v", tc.state, tc.text, res.Session.State, tc.ok)
		}
	}
	// the shop's name with a merchant number written backwards ("\u202e321…" shows as 822…):
	// no number is taken from it
	s := NewSession(1)
	s.State, s.Lang, s.Consented, s.Draft.Complainant = StateMerchantName, LangZH, true, Individual
	res, err := Step(context.Background(), s, Input{Kind: InputText, Text: "老王便利店 \u202e321011350485228", User: 1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.Draft.MerchantNumber != "" {
		t.Errorf("merchant number %q taken from a text with a direction control", res.Session.Draft.MerchantNumber)
	}
}
