package followup

import (
	"slices"
	"testing"

	"complaintbot/flows"
)

func TestLadder(t *testing.T) {
	tests := []struct {
		who  flows.ComplainantType
		want []Stage
	}{
		{flows.Consumer, []Stage{{Provider}, {ConsumerAssociation, MarketRegulator}, {Report}, {Court}}},
		{flows.Individual, []Stage{{Provider}, {PBOC}, {Report}, {Court}}},
		{flows.Company, []Stage{{Provider}, {PBOC}, {Report}, {Court}}},
		{"", nil},
		{"alien", nil},
	}
	for _, tt := range tests {
		got := Ladder(tt.who)
		if !slices.EqualFunc(got, tt.want, func(a, b Stage) bool { return slices.Equal(a, b) }) {
			t.Errorf("Ladder(%q) = %v, want %v", tt.who, got, tt.want)
		}
	}
	// every rung is on some ladder
	for _, r := range Rungs() {
		if StageOf(flows.Consumer, r) < 0 && StageOf(flows.Company, r) < 0 {
			t.Errorf("rung %s is on no ladder", r)
		}
	}
}

func TestStageOf(t *testing.T) {
	tests := []struct {
		who  flows.ComplainantType
		r    Rung
		want int
	}{
		{flows.Consumer, Provider, 0},
		{flows.Consumer, ConsumerAssociation, 1},
		{flows.Consumer, MarketRegulator, 1},
		{flows.Consumer, PBOC, -1}, // consumers go to the consumer association or 12315
		{flows.Consumer, Report, 2},
		{flows.Consumer, Court, 3},
		{flows.Individual, PBOC, 1},
		{flows.Individual, MarketRegulator, -1}, // 12315 takes no merchant dispute
		{flows.Individual, ConsumerAssociation, -1},
		{flows.Company, Court, 3},
		{flows.Company, "nowhere", -1},
		{"", Provider, -1},
	}
	for _, tt := range tests {
		if got := StageOf(tt.who, tt.r); got != tt.want {
			t.Errorf("StageOf(%q, %s) = %d, want %d", tt.who, tt.r, got, tt.want)
		}
	}
}

func TestNextAfter(t *testing.T) {
	tests := []struct {
		name string
		who  flows.ComplainantType
		r    Rung
		res  Result
		want []Rung
	}{
		{"consumer refused by the provider", flows.Consumer, Provider, Refused, []Rung{ConsumerAssociation, MarketRegulator}},
		{"consumer partly refunded by the provider", flows.Consumer, Provider, RefundedPart, []Rung{ConsumerAssociation, MarketRegulator}},
		{"merchant with no answer from the provider", flows.Individual, Provider, NoAnswer, []Rung{PBOC}},
		{"12315 refused: a 举报", flows.Consumer, MarketRegulator, Refused, []Rung{Report}},
		{"consumer association silent: a 举报, not 12315", flows.Consumer, ConsumerAssociation, NoAnswer, []Rung{Report}},
		{"company after the PBOC branch", flows.Company, PBOC, Refused, []Rung{Report}},
		{"after a 举报: court", flows.Company, Report, NoAnswer, []Rung{Court}},
		{"after court: nothing", flows.Consumer, Court, Refused, nil},
		{"full refund: nothing", flows.Consumer, Provider, RefundedFull, nil},
		{"rung not on the ladder", flows.Individual, MarketRegulator, Refused, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextAfter(tt.who, tt.r, tt.res); !slices.Equal(got, tt.want) {
				t.Errorf("NextAfter = %v, want %v", got, tt.want)
			}
		})
	}
	// the result is the caller's to change
	got := NextAfter(flows.Consumer, Provider, Refused)
	got[0] = Court
	if NextAfter(flows.Consumer, Provider, Refused)[0] != ConsumerAssociation {
		t.Error("NextAfter returned the ladder's own slice")
	}
}

func TestClockOf(t *testing.T) {
	tests := []struct {
		r    Rung
		want Clock
		ok   bool
	}{
		{Provider, Clock{Days: 7}, true},
		{MarketRegulator, Clock{Days: 7, Working: true, Law: true}, true},
		{ConsumerAssociation, Clock{Days: 15}, true},
		{PBOC, Clock{Days: 15}, true},
		{Report, Clock{Days: 15}, true},
		{Court, Clock{}, false},
	}
	for _, tt := range tests {
		got, ok := ClockOf(tt.r)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ClockOf(%s) = %+v, %v; want %+v, %v", tt.r, got, ok, tt.want, tt.ok)
		}
	}
	// only the market regulator's period is law
	for _, r := range Rungs() {
		if c, _ := ClockOf(r); c.Law != (r == MarketRegulator) {
			t.Errorf("ClockOf(%s).Law = %v", r, c.Law)
		}
	}
}

// The market regulator's 七个工作日 across National Day 2025 (10-01..08 off; Sunday 09-28 and
// Saturday 10-11 worked) and 2026 (中秋 09-25..27, 国庆 10-01..07 off; Sunday 09-20 and
// Saturday 10-10 worked), from lunar-go's table; the provider's 7 calendar days.
func TestDue(t *testing.T) {
	tests := []struct {
		name  string
		r     Rung
		filed flows.Date
		want  flows.Date
		ok    bool
	}{
		{"12315, an ordinary week", MarketRegulator, "2025-03-03", "2025-03-12", true},
		{"12315 filed Friday before National Day: the swapped Sunday and Saturday count", MarketRegulator, "2025-09-26", "2025-10-13", true},
		{"12315 filed on the holiday eve", MarketRegulator, "2025-09-30", "2025-10-16", true},
		{"12315 filed during the holiday", MarketRegulator, "2025-10-03", "2025-10-16", true},
		{"12315 filed on the swapped Saturday", MarketRegulator, "2025-10-11", "2025-10-21", true},
		{"12315 filed before 2026's swapped Sunday and Mid-Autumn", MarketRegulator, "2026-09-18", "2026-09-29", true},
		{"12315 filed on 2026's holiday eve", MarketRegulator, "2026-09-30", "2026-10-15", true},
		{"provider: calendar days through the holiday", Provider, "2025-09-30", "2025-10-07", true},
		{"provider over the new year", Provider, "2025-12-29", "2026-01-05", true},
		{"PBOC advice", PBOC, "2025-10-01", "2025-10-16", true},
		{"court has no clock", Court, "2025-10-01", "", false},
		{"not a date", MarketRegulator, "2025-13-01", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := Due(tt.r, tt.filed)
			if ok != tt.ok || d.Date != tt.want {
				t.Fatalf("Due(%s, %s) = %+v, %v; want %s, %v", tt.r, tt.filed, d, ok, tt.want, tt.ok)
			}
			if ok && d.Estimated {
				t.Errorf("Due(%s, %s) estimated; the calendar has the year", tt.r, tt.filed)
			}
		})
	}
	if d, _ := Due(MarketRegulator, "2099-03-02"); !d.Estimated || d.Date != "2099-03-11" {
		t.Errorf("Due in a year without data = %+v, want estimated 2099-03-11", d)
	}
}

// TestNextPassesReportThatDoesNotFit: the 举报 reports a fee never clearly marked (DOMAIN.md
// §2); for a complaint about a fee the user was told of, the ladder goes from the second stage
// straight to court, and a 举报 filed all the same is recorded and leads to court.
func TestNextPassesReportThatDoesNotFit(t *testing.T) {
	for _, tt := range []struct {
		who        flows.ComplainantType
		disclosure flows.Disclosure
		second     Rung
		want       []Rung
	}{
		{flows.Consumer, flows.NotTold, MarketRegulator, []Rung{Report}},
		{flows.Consumer, flows.Agreed, MarketRegulator, []Rung{Court}},
		{flows.Individual, flows.FinePrint, PBOC, []Rung{Report}},
		{flows.Individual, flows.ToldNoAgree, PBOC, []Rung{Court}},
		{flows.Company, flows.Agreed, PBOC, []Rung{Court}},
	} {
		k := complaint(tt.who)
		k.Disclosure = tt.disclosure
		c, err := New(k, "2025-09-15")
		if err != nil {
			t.Fatal(err)
		}
		c = must(t)(c.File(Filing{Rung: tt.second, Filed: "2025-09-16"}, "2025-09-16"))
		c = must(t)(c.Answer(0, Outcome{Result: Refused}, "2025-10-20"))
		if got := c.Next(); !slices.Equal(got, tt.want) {
			t.Errorf("%s, %s: after %s refused, Next = %v, want %v", tt.who, tt.disclosure, tt.second, got, tt.want)
		}
		c = must(t)(c.File(Filing{Rung: Report, Filed: "2025-10-21"}, "2025-10-21"))
		c = must(t)(c.Answer(1, Outcome{Result: NoAnswer}, "2025-11-21"))
		if got := c.Next(); !slices.Equal(got, []Rung{Court}) {
			t.Errorf("%s, %s: after the 举报, Next = %v, want [court]", tt.who, tt.disclosure, got)
		}
	}
}

// TestOpenDerivesNoReport: a case file stored before Case.NoReport existed gets it from its
// complaint when opened.
func TestOpenDerivesNoReport(t *testing.T) {
	k := complaint(flows.Individual)
	k.Disclosure = flows.Agreed
	c, err := New(k, "2025-09-15")
	if err != nil {
		t.Fatal(err)
	}
	c.NoReport = false // as a file kept before the field was
	if k.FollowUp, err = Encode(c); err != nil {
		t.Fatal(err)
	}
	got, err := Open(k)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NoReport {
		t.Error("Open: NoReport = false for a fee the user agreed to")
	}
}
