package followup

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// complaint is a stored complaint of 199 yuan, learned of on 2025-09-01.
func complaint(who flows.ComplainantType) flows.Complaint {
	return flows.Complaint{
		ID:          "C-000123",
		Complainant: who,
		LearnedOn:   "2025-09-01",
		Deductions:  []flows.Deduction{{Date: "2025-08-20", Amount: 19900, Method: flows.FromSettlement}},
	}
}

func mustNew(t *testing.T, who flows.ComplainantType) Case {
	t.Helper()
	c, err := New(complaint(who), "2025-09-15")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func must(t *testing.T) func(Case, error) Case {
	return func(c Case, err error) Case {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// problem returns the Problem of err, or "" when err is not a *InputError.
func problem(err error) Problem {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Problem
	}
	return ""
}

func TestNew(t *testing.T) {
	c := mustNew(t, flows.Consumer)
	want := Case{ID: "C-000123", Complainant: flows.Consumer, Claim: 19900, Document: "2025-09-15", Learned: "2025-09-01"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("New = %+v, want %+v", c, want)
	}
	bad := []struct {
		name string
		edit func(*flows.Complaint)
		doc  flows.Date
	}{
		{"no id", func(c *flows.Complaint) { c.ID = "" }, "2025-09-15"},
		{"no complainant type", func(c *flows.Complaint) { c.Complainant = "" }, "2025-09-15"},
		{"negative claim", func(c *flows.Complaint) { c.Deductions[0].Amount = -1 }, "2025-09-15"},
		{"no document date", func(c *flows.Complaint) {}, ""},
	}
	for _, tt := range bad {
		k := complaint(flows.Consumer)
		tt.edit(&k)
		if _, err := New(k, tt.doc); problem(err) != BadCase {
			t.Errorf("%s: New = %v, want %s", tt.name, err, BadCase)
		}
	}
}

func TestCleanRef(t *testing.T) {
	tests := []struct {
		in, want string
		problem  Problem
	}{
		{"", "", ""},
		{"  SZ20251009-0042 ", "SZ20251009-0042", ""},
		{"１２３４５ＡＢ", "12345AB", ""}, // full-width folds to ASCII
		{"京市监投〔2025〕第12号", "京市监投〔2025〕第12号", ""},
		{strings.Repeat("9", 64), strings.Repeat("9", 64), ""},
		{strings.Repeat("9", 65), "", RefTooLong},
		{strings.Repeat("号", 500), "", RefTooLong}, // 500 characters
		{"12\n34", "", RefNotPrintable},
		{"12\u200b34", "", RefNotPrintable}, // zero-width space
		{"12\x0034", "", RefNotPrintable},
	}
	for _, tt := range tests {
		got, err := CleanRef(tt.in)
		if problem(err) != tt.problem || got != tt.want {
			t.Errorf("CleanRef(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.problem)
		}
	}
	var ie *InputError
	if _, err := CleanRef(strings.Repeat("x", 500)); !errors.As(err, &ie) || ie.Max != MaxRef {
		t.Errorf("CleanRef of 500 characters: %v, want Max %d", err, MaxRef)
	}
}

func FuzzCleanRef(f *testing.F) {
	for _, s := range []string{"", "SZ-1", "１２３", strings.Repeat("号", 65), "a\tb", "\u00a0x\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanRef(s)
		if err != nil {
			if problem(err) == "" {
				t.Fatalf("CleanRef(%q) = %v, not a *InputError", s, err)
			}
			return
		}
		if n := len([]rune(got)); n > MaxRef {
			t.Fatalf("CleanRef(%q) kept %d characters", s, n)
		}
		if again, err := CleanRef(got); err != nil || again != got {
			t.Fatalf("CleanRef is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}

func TestInputErrorText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&InputError{Problem: RefTooLong, Max: 64}, "followup: ref too long (limit 64)"},
		{&InputError{Problem: FiledInFuture}, "followup: filed in future"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestFile(t *testing.T) {
	consumer := mustNew(t, flows.Consumer)
	waiting := must(t)(consumer.File(Filing{Rung: Provider, Filed: "2025-09-16"}, "2025-09-16"))
	closed := must(t)(waiting.Answer(0, Outcome{Result: RefundedFull}, "2025-09-20"))
	merchant := mustNew(t, flows.Individual)
	const today = flows.Date("2025-10-09")
	tests := []struct {
		name    string
		c       Case
		f       Filing
		want    Filing
		problem Problem
	}{
		{"12315 with a ref", consumer, Filing{Rung: MarketRegulator, Body: " 深圳市市场监督管理局 ", Filed: "2025-09-30", Ref: "SZ-0042"},
			Filing{Rung: MarketRegulator, Body: "深圳市市场监督管理局", Filed: "2025-09-30", Ref: "SZ-0042"}, ""},
		{"filed on the document's day", consumer, Filing{Rung: Provider, Filed: "2025-09-15"}, Filing{Rung: Provider, Filed: "2025-09-15"}, ""},
		{"filed today", consumer, Filing{Rung: Report, Filed: today}, Filing{Rung: Report, Filed: today}, ""},
		{"an outcome given is dropped", consumer, Filing{Rung: Report, Filed: today, Outcome: &Outcome{Result: RefundedFull}}, Filing{Rung: Report, Filed: today}, ""},
		{"a ref of 500 characters", consumer, Filing{Rung: MarketRegulator, Filed: today, Ref: strings.Repeat("1", 500)}, Filing{}, RefTooLong},
		{"a ref with a control character", consumer, Filing{Rung: MarketRegulator, Filed: today, Ref: "SZ\x1b[31m"}, Filing{}, RefNotPrintable},
		{"a body too long", consumer, Filing{Rung: MarketRegulator, Filed: today, Body: strings.Repeat("局", 101)}, Filing{}, BodyTooLong},
		{"a body with a line break", consumer, Filing{Rung: MarketRegulator, Filed: today, Body: "深圳\n市"}, Filing{}, BodyNotPrintable},
		{"filed in the future", consumer, Filing{Rung: MarketRegulator, Filed: "2025-10-10"}, Filing{}, FiledInFuture},
		{"filed before the document", consumer, Filing{Rung: MarketRegulator, Filed: "2025-09-14"}, Filing{}, FiledBeforeDocument},
		{"not a date", consumer, Filing{Rung: MarketRegulator, Filed: "10/01"}, Filing{}, BadDate},
		{"no date", consumer, Filing{Rung: MarketRegulator}, Filing{}, BadDate},
		{"a merchant to 12315", merchant, Filing{Rung: MarketRegulator, Filed: today}, Filing{}, NotOnLadder},
		{"a consumer to the PBOC branch", consumer, Filing{Rung: PBOC, Filed: today}, Filing{}, NotOnLadder},
		{"an unknown rung", consumer, Filing{Rung: "ombudsman", Filed: today}, Filing{}, NotOnLadder},
		{"the provider again while it has not answered", waiting, Filing{Rung: Provider, Filed: today}, Filing{}, AlreadyFiled},
		{"after a full refund", closed, Filing{Rung: Report, Filed: today}, Filing{}, Closed},
		{"a case without id", Case{}, Filing{Rung: Provider, Filed: today}, Filing{}, BadCase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.c.clone()
			got, err := tt.c.File(tt.f, today)
			if problem(err) != tt.problem {
				t.Fatalf("File = %v, want %q", err, tt.problem)
			}
			if !reflect.DeepEqual(tt.c, before) {
				t.Errorf("File changed its receiver: %+v", tt.c)
			}
			if tt.problem != "" {
				if !reflect.DeepEqual(got, Case{}) {
					t.Errorf("File returned %+v with its error", got)
				}
				return
			}
			if n := len(got.Filings); n != len(tt.c.Filings)+1 || !reflect.DeepEqual(got.Filings[n-1], tt.want) {
				t.Errorf("filings = %+v, want %+v last", got.Filings, tt.want)
			}
		})
	}
}

func TestSetRef(t *testing.T) {
	c := must(t)(mustNew(t, flows.Consumer).File(Filing{Rung: MarketRegulator, Filed: "2025-09-30"}, "2025-09-30"))
	got, err := c.SetRef(0, " ３２０１-77 ")
	if err != nil || got.Filings[0].Ref != "3201-77" || c.Filings[0].Ref != "" {
		t.Errorf("SetRef = %+v, %v (receiver %+v)", got.Filings, err, c.Filings)
	}
	for _, tt := range []struct {
		i       int
		ref     string
		problem Problem
	}{
		{1, "x", NoSuchFiling},
		{-1, "x", NoSuchFiling},
		{0, strings.Repeat("a", 500), RefTooLong},
		{0, "a\u202eb", RefNotPrintable}, // a right-to-left override
	} {
		if _, err := c.SetRef(tt.i, tt.ref); problem(err) != tt.problem {
			t.Errorf("SetRef(%d, %q) = %v, want %s", tt.i, tt.ref, err, tt.problem)
		}
	}
}

func TestAnswer(t *testing.T) {
	base := must(t)(mustNew(t, flows.Consumer).File(Filing{Rung: Provider, Filed: "2025-09-20"}, "2025-09-20"))
	part := must(t)(base.Answer(0, Outcome{Result: RefundedPart, Amount: 5000, On: "2025-09-25"}, "2025-09-25"))
	part = must(t)(part.File(Filing{Rung: MarketRegulator, Filed: "2025-09-26"}, "2025-09-26")) // 149.00 left
	const today = flows.Date("2025-10-13")
	tests := []struct {
		name    string
		c       Case
		i       int
		o       Outcome
		want    Outcome
		problem Problem
	}{
		{"refunded in full", base, 0, Outcome{Result: RefundedFull, On: "2025-09-27"}, Outcome{Result: RefundedFull, Amount: 19900, On: "2025-09-27"}, ""},
		{"full ignores an amount and a reason", base, 0, Outcome{Result: RefundedFull, Amount: 1, Reason: "x"}, Outcome{Result: RefundedFull, Amount: 19900, On: today}, ""},
		{"in part", base, 0, Outcome{Result: RefundedPart, Amount: 9900}, Outcome{Result: RefundedPart, Amount: 9900, On: today}, ""},
		{"in part, all of it: full", base, 0, Outcome{Result: RefundedPart, Amount: 19900}, Outcome{Result: RefundedFull, Amount: 19900, On: today}, ""},
		{"the rest after a part refund", part, 1, Outcome{Result: RefundedPart, Amount: 14900}, Outcome{Result: RefundedFull, Amount: 14900, On: today}, ""},
		{"full after a part refund is the rest", part, 1, Outcome{Result: RefundedFull}, Outcome{Result: RefundedFull, Amount: 14900, On: today}, ""},
		{"refused with a reason", base, 0, Outcome{Result: Refused, Reason: " 协议已约定\n注销费 ", Amount: 5}, Outcome{Result: Refused, Reason: "协议已约定\n注销费", On: today}, ""},
		{"a reason keeps its Chinese punctuation", base, 0, Outcome{Result: Refused, Reason: "客服说不退，合同第5条（注销）有约定：不退！"}, Outcome{Result: Refused, Reason: "客服说不退，合同第5条（注销）有约定：不退！", On: today}, ""},
		{"refused without a reason", base, 0, Outcome{Result: Refused}, Outcome{Result: Refused, On: today}, ""},
		{"no answer", base, 0, Outcome{Result: NoAnswer, Reason: "x"}, Outcome{Result: NoAnswer, On: today}, ""},
		{"answered on the filing day", base, 0, Outcome{Result: NoAnswer, On: "2025-09-20"}, Outcome{Result: NoAnswer, On: "2025-09-20"}, ""},
		{"more than claimed", base, 0, Outcome{Result: RefundedPart, Amount: 19901}, Outcome{}, AmountTooLarge},
		{"more than is left", part, 1, Outcome{Result: RefundedPart, Amount: 15000}, Outcome{}, AmountTooLarge},
		{"zero", base, 0, Outcome{Result: RefundedPart}, Outcome{}, AmountNotPositive},
		{"negative", base, 0, Outcome{Result: RefundedPart, Amount: -100}, Outcome{}, AmountNotPositive},
		{"a reason too long", base, 0, Outcome{Result: Refused, Reason: strings.Repeat("不", 1001)}, Outcome{}, ReasonTooLong},
		{"a reason with an escape", base, 0, Outcome{Result: Refused, Reason: "\x1b[2J"}, Outcome{}, ReasonNotPrintable},
		{"dated in the future", base, 0, Outcome{Result: NoAnswer, On: "2025-10-14"}, Outcome{}, AnswerInFuture},
		{"dated before the filing", base, 0, Outcome{Result: NoAnswer, On: "2025-09-19"}, Outcome{}, AnswerBeforeFiling},
		{"not a date", base, 0, Outcome{Result: NoAnswer, On: "yesterday"}, Outcome{}, BadDate},
		{"an unknown result", base, 0, Outcome{Result: "maybe"}, Outcome{}, BadResult},
		{"no such filing", base, 1, Outcome{Result: NoAnswer}, Outcome{}, NoSuchFiling},
		{"answered already", part, 0, Outcome{Result: NoAnswer}, Outcome{}, AlreadyAnswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.c.clone()
			got, err := tt.c.Answer(tt.i, tt.o, today)
			if problem(err) != tt.problem {
				t.Fatalf("Answer = %v, want %q", err, tt.problem)
			}
			if !reflect.DeepEqual(tt.c, before) {
				t.Errorf("Answer changed its receiver: %+v", tt.c)
			}
			if tt.problem != "" {
				return
			}
			if o := got.Filings[tt.i].Outcome; o == nil || *o != tt.want {
				t.Errorf("outcome = %+v, want %+v", o, tt.want)
			}
		})
	}
	var ie *InputError
	if _, err := part.Answer(1, Outcome{Result: RefundedPart, Amount: 20000}, today); !errors.As(err, &ie) || ie.Max != 14900 {
		t.Errorf("too large: %v, want Max 14900 (what is left)", err)
	}
}

func TestMoneyAndState(t *testing.T) {
	c0 := mustNew(t, flows.Individual)
	c1 := must(t)(c0.File(Filing{Rung: Provider, Filed: "2025-09-16"}, "2025-09-16"))
	c2 := must(t)(c1.Answer(0, Outcome{Result: RefundedPart, Amount: 4900}, "2025-09-22"))
	c3 := must(t)(c2.File(Filing{Rung: PBOC, Filed: "2025-09-23"}, "2025-09-23"))
	c4 := must(t)(c3.File(Filing{Rung: Report, Filed: "2025-09-24"}, "2025-09-24"))
	c5 := must(t)(c4.Answer(1, Outcome{Result: RefundedFull}, "2025-10-09"))
	tests := []struct {
		name       string
		c          Case
		recovered  flows.Fen
		remaining  flows.Fen
		closed     bool
		waiting    []int
		current    int
		hasCurrent bool
		next       []Rung
	}{
		{"new", c0, 0, 19900, false, nil, -1, false, []Rung{Provider}},
		{"filed with the provider", c1, 0, 19900, false, []int{0}, 0, true, nil},
		{"part refund", c2, 4900, 15000, false, nil, 0, true, []Rung{PBOC}},
		{"PBOC branch waiting", c3, 4900, 15000, false, []int{1}, 1, true, nil},
		{"举报 alongside", c4, 4900, 15000, false, []int{1, 2}, 2, true, nil},
		{"the rest refunded", c5, 19900, 0, true, []int{2}, 2, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Recovered(); got != tt.recovered {
				t.Errorf("Recovered = %v, want %v", got, tt.recovered)
			}
			if got := tt.c.Remaining(); got != tt.remaining {
				t.Errorf("Remaining = %v, want %v", got, tt.remaining)
			}
			if got := tt.c.Closed(); got != tt.closed {
				t.Errorf("Closed = %v", got)
			}
			if got := tt.c.Waiting(); !slices.Equal(got, tt.waiting) {
				t.Errorf("Waiting = %v, want %v", got, tt.waiting)
			}
			if got, ok := tt.c.Current(); got != tt.current || ok != tt.hasCurrent {
				t.Errorf("Current = %d, %v; want %d, %v", got, ok, tt.current, tt.hasCurrent)
			}
			if got := tt.c.Next(); !slices.Equal(got, tt.next) {
				t.Errorf("Next = %v, want %v", got, tt.next)
			}
		})
	}
	// the 举报 refused after the PBOC branch refunded nothing more: court, not the 举报 again
	c6 := must(t)(c3.Answer(1, Outcome{Result: NoAnswer}, "2025-10-09"))
	c6 = must(t)(c6.File(Filing{Rung: Report, Filed: "2025-10-09"}, "2025-10-09"))
	c6 = must(t)(c6.File(Filing{Rung: Court, Filed: "2025-10-09"}, "2025-10-09"))
	if got := c6.Next(); got != nil {
		t.Errorf("Next while the court case waits = %v", got)
	}
}

func TestSetQuiet(t *testing.T) {
	c := must(t)(mustNew(t, flows.Consumer).File(Filing{Rung: Provider, Filed: "2025-09-16"}, "2025-09-16"))
	q := c.SetQuiet(true)
	if !q.Quiet || c.Quiet || len(q.Reminders()) != 0 {
		t.Errorf("SetQuiet(true): quiet %v, receiver %v, reminders %v", q.Quiet, c.Quiet, q.Reminders())
	}
	if on := q.SetQuiet(false); on.Quiet || len(on.Reminders()) != 2 {
		t.Errorf("SetQuiet(false): quiet %v, reminders %v", on.Quiet, on.Reminders())
	}
}

// The stored form's tags are short and must not change: a change makes stored cases unreadable.
func TestJSON(t *testing.T) {
	c := must(t)(mustNew(t, flows.Consumer).File(Filing{Rung: MarketRegulator, Body: "深圳市市场监督管理局", Filed: "2025-09-30", Ref: "SZ-1"}, "2025-09-30"))
	c = must(t)(c.Answer(0, Outcome{Result: Refused, Reason: "不属于消费纠纷"}, "2025-10-16"))
	c = c.SetQuiet(true)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"C-000123","t":"consumer","m":19900,"d":"2025-09-15","l":"2025-09-01","f":[{"r":"market_regulator","b":"深圳市市场监督管理局","f":"2025-09-30","n":"SZ-1","o":{"r":"refused","w":"不属于消费纠纷","d":"2025-10-16"}}],"q":true}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
	var back Case
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, c) {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func TestLimitDate(t *testing.T) {
	tests := []struct {
		learned, want flows.Date
		ok            bool
	}{
		{"2023-05-10", "2026-05-10", true},
		{"2024-02-29", "2027-02-28", true}, // no 29 February: the month's last day
		{"2023-12-31", "2026-12-31", true},
		{"", "", false},
		{"2023-02-30", "", false},
	}
	for _, tt := range tests {
		got, ok := LimitDate(tt.learned)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LimitDate(%q) = %q, %v; want %q, %v", tt.learned, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLimitation(t *testing.T) {
	c := mustNew(t, flows.Consumer) // learned 2025-09-01: limit 2028-09-01
	tests := []struct {
		today flows.Date
		want  Limitation
	}{
		{"2025-10-01", Limitation{Date: "2028-09-01"}},
		{"2028-03-01", Limitation{Date: "2028-09-01"}},             // six months exactly
		{"2028-03-02", Limitation{Date: "2028-09-01", Show: true}}, // less than six months
		{"2028-09-01", Limitation{Date: "2028-09-01", Show: true}}, // the last day
		{"2028-09-02", Limitation{Date: "2028-09-01", Show: true, Passed: true}},
	}
	for _, tt := range tests {
		got, ok := c.Limitation(tt.today)
		if !ok || got != tt.want {
			t.Errorf("Limitation(%s) = %+v, %v; want %+v", tt.today, got, ok, tt.want)
		}
	}
	c.Learned = ""
	if _, ok := c.Limitation("2025-10-01"); ok {
		t.Error("Limitation without a learned date reported one")
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		kind   string
		filing int
		ok     bool
	}{
		{DueKind(0), 0, true},
		{DueKind(12), 12, true},
		{KindLimit, -1, true},
		{"due:", 0, false},
		{"due:-1", 0, false},
		{"due:01", 0, false},
		{"due:x", 0, false},
		{"other", 0, false},
	}
	for _, tt := range tests {
		i, ok := ParseKind(tt.kind)
		if i != tt.filing || ok != tt.ok {
			t.Errorf("ParseKind(%q) = %d, %v; want %d, %v", tt.kind, i, ok, tt.filing, tt.ok)
		}
	}
}

func at(t *testing.T, date string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, date, workdays.China())
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(AskHour * time.Hour)
}

func TestReminders(t *testing.T) {
	c := mustNew(t, flows.Consumer)
	c1 := must(t)(c.File(Filing{Rung: Provider, Filed: "2025-09-26"}, "2025-09-26"))
	c2 := must(t)(c1.File(Filing{Rung: MarketRegulator, Filed: "2025-09-30"}, "2025-09-30"))
	c3 := must(t)(c2.File(Filing{Rung: Court, Filed: "2025-10-09"}, "2025-10-09"))
	c4 := must(t)(c3.Answer(0, Outcome{Result: NoAnswer}, "2025-10-09"))
	c5 := must(t)(c4.Answer(1, Outcome{Result: RefundedFull}, "2025-10-16"))
	limit := Reminder{Kind: KindLimit, At: at(t, "2028-03-02"), Filing: -1}
	tests := []struct {
		name string
		c    Case
		want []Reminder
	}{
		{"nothing filed", c, []Reminder{limit}},
		{"provider: 7 calendar days, through the holiday",
			c1, []Reminder{{Kind: "due:0", At: at(t, "2025-10-03"), Filing: 0}, limit}},
		{"12315: 7 working days after the holiday",
			c2, []Reminder{{Kind: "due:0", At: at(t, "2025-10-03"), Filing: 0}, {Kind: "due:1", At: at(t, "2025-10-16"), Filing: 1}, limit}},
		{"court: no clock", c3, []Reminder{{Kind: "due:0", At: at(t, "2025-10-03"), Filing: 0}, {Kind: "due:1", At: at(t, "2025-10-16"), Filing: 1}, limit}},
		{"provider answered", c4, []Reminder{{Kind: "due:1", At: at(t, "2025-10-16"), Filing: 1}, limit}},
		{"closed", c5, nil},
		{"quiet", c2.SetQuiet(true), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Reminders()
			if !slices.EqualFunc(got, tt.want, func(a, b Reminder) bool {
				return a.Kind == b.Kind && a.At.Equal(b.At) && a.Filing == b.Filing
			}) {
				t.Errorf("Reminders =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
	// the 12315 reminder fires on a working day, in the evening in China
	r := c2.Reminders()[1]
	if !workdays.IsWorkday(r.At) || r.At.In(workdays.China()).Hour() != AskHour {
		t.Errorf("12315 reminder at %v", r.At)
	}
}

func TestCourtOutline(t *testing.T) {
	c := mustNew(t, flows.Company)
	c = must(t)(c.File(Filing{Rung: PBOC, Body: "中国人民银行北京市分行", Filed: "2025-09-20"}, "2025-09-20"))
	c = must(t)(c.File(Filing{Rung: Provider, Filed: "2025-09-16"}, "2025-09-20"))
	c = must(t)(c.Answer(1, Outcome{Result: RefundedPart, Amount: 900}, "2025-09-22"))
	got, err := c.CourtOutline()
	if err != nil {
		t.Fatal(err)
	}
	if got.Claim != 19000 || got.Recovered != 900 || got.Venue != Venue || len(got.Earlier) != 2 ||
		got.Earlier[0].Rung != Provider || got.Earlier[1].Rung != PBOC {
		t.Errorf("CourtOutline = %+v", got)
	}
	got.Earlier[0].Outcome.Amount = 1 // the outline is a copy
	if c.Filings[1].Outcome.Amount != 900 {
		t.Error("CourtOutline shares the case's outcomes")
	}
	closed := must(t)(c.Answer(0, Outcome{Result: RefundedFull}, "2025-10-01"))
	if _, err := closed.CourtOutline(); problem(err) != Closed {
		t.Errorf("CourtOutline of a closed case = %v", err)
	}
}

// TestPromise: a promised refund keeps the filing waiting and asks again PromiseDays later,
// at AskHour; a later promise moves that day on, even once the first was asked; an answered
// filing takes no promise; the kind reads back as its filing.
func TestPromise(t *testing.T) {
	c := must(t)(mustNew(t, flows.Consumer).File(Filing{Rung: Provider, Filed: "2025-09-20"}, "2025-09-20"))
	p := must(t)(c.Promise(0, "2025-09-29"))
	if !reflect.DeepEqual(c.Filings[0].Promised, flows.Date("")) || p.Filings[0].Promised != "2025-09-29" || p.Closed() || len(p.Waiting()) != 1 {
		t.Fatalf("Promise: receiver %+v, result %+v", c.Filings[0], p.Filings[0])
	}
	at := func(c Case, kind string) time.Time {
		for _, m := range c.Reminders() {
			if m.Kind == kind {
				return m.At
			}
		}
		return time.Time{}
	}
	if got, want := at(p, PromiseKind(0)), workdays.Date(2025, 10, 6).Add(AskHour*time.Hour); !got.Equal(want) {
		t.Errorf("the promise's reminder at %v, want %v", got, want)
	}
	again := must(t)(p.MarkSent(PromiseKind(0)).Promise(0, "2025-10-07"))
	if got, want := at(again, PromiseKind(0)), workdays.Date(2025, 10, 14).Add(AskHour*time.Hour); !got.Equal(want) {
		t.Errorf("a second promise's reminder at %v, want %v", got, want)
	}
	answered := must(t)(p.Answer(0, Outcome{Result: RefundedFull}, "2025-10-01"))
	if _, err := answered.Promise(0, "2025-10-02"); problem(err) != AlreadyAnswered {
		t.Errorf("a promise on an answered filing: %v", err)
	}
	if len(answered.Reminders()) != 0 && at(answered, PromiseKind(0)) != (time.Time{}) {
		t.Error("an answered filing keeps its promise's reminder")
	}
	if i, ok := ParseKind(PromiseKind(3)); !ok || i != 3 {
		t.Errorf("ParseKind(%q) = %d, %v", PromiseKind(3), i, ok)
	}
}
