package paste

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusCase is one message of testdata/corpus.txt with its expected reading.
type corpusCase struct {
	name string
	now  time.Time
	text string
	want Reading
}

// defaultNow is the corpus's "today" unless a message sets its own.
var defaultNow = time.Date(2024, 9, 15, 12, 0, 0, 0, shanghai)

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	var c *corpusCase
	var text []string
	inText := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "=== "):
			cases = append(cases, corpusCase{name: strings.TrimSpace(line[4:]), now: defaultNow})
			c, text, inText = &cases[len(cases)-1], nil, true
		case c == nil:
			// the file's header
		case inText && strings.HasPrefix(line, "now ") && len(text) == 0:
			d, err := time.ParseInLocation(time.DateOnly, line[4:], shanghai)
			if err != nil {
				t.Fatalf("corpus line %d: %v", n, err)
			}
			c.now = d.Add(12 * time.Hour)
		case inText && line == "---":
			c.text, inText = strings.Join(text, "\n"), false
		case inText:
			text = append(text, line)
		case strings.TrimSpace(line) == "", strings.HasPrefix(line, "#"):
		default:
			if err := c.want.addFact(line); err != nil {
				t.Fatalf("corpus line %d: %v", n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// addFact adds one expected fact written as in the corpus.
func (r *Reading) addFact(line string) error {
	f := strings.Fields(line)
	switch {
	case f[0] == "ded" && len(f) >= 5:
		fen, err := parseFen(f[2])
		if err != nil {
			return err
		}
		label := strings.ReplaceAll(dash(f[3]), "_", " ") // an English label's spaces are written _
		d := Deduction{Date: dash(f[1]), Amount: fen, Label: label, Method: dash(f[4])}
		for _, flag := range f[5:] {
			switch flag {
			case "planned":
				d.Planned = true
			case "assumed":
				d.YearAssumed = true
			default:
				return fmt.Errorf("unknown flag %q", flag)
			}
		}
		r.Deductions = append(r.Deductions, d)
	case f[0] == "provider" && len(f) == 2:
		r.Provider = f[1]
	case f[0] == "text" && len(f) == 2:
		r.ProviderText = f[1]
	case f[0] == "sn" && len(f) == 2:
		r.SN = f[1]
	case f[0] == "dereg" && len(f) == 2:
		r.Deregistered = f[1]
	case f[0] == "rate" && len(f) == 4:
		r.RateChange = &RateChange{Old: dash(f[1]), New: dash(f[2]), From: dash(f[3])}
	default:
		return fmt.Errorf("bad fact %q", line)
	}
	return nil
}

func parseFen(s string) (int64, error) {
	y, f, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(y+(f + "00")[:2], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return n, nil
}

// verdict compares a reading with the expected one: "full" when every fact agrees, "partly"
// when something was missed (a fact, or a field of a deduction) but nothing false was read,
// "wrong" otherwise. The reasons say what differed.
func verdict(got, want Reading) (string, []string) {
	var missed, wrong []string
	field := func(name, g, w string) {
		switch {
		case g == w:
		case g == "":
			missed = append(missed, fmt.Sprintf("%s: missed %q", name, w))
		default:
			wrong = append(wrong, fmt.Sprintf("%s: got %q, want %q", name, g, w))
		}
	}
	field("provider", got.Provider, want.Provider)
	if got.Provider == "" && want.Provider == "" {
		field("provider text", got.ProviderText, want.ProviderText)
	}
	field("sn", got.SN, want.SN)
	field("dereg", got.Deregistered, want.Deregistered)
	switch g, w := got.RateChange, want.RateChange; {
	case g == nil && w == nil:
	case g == nil:
		missed = append(missed, fmt.Sprintf("rate: missed %+v", *w))
	case w == nil:
		wrong = append(wrong, fmt.Sprintf("rate: got %+v, want none", *g))
	default:
		field("rate old", g.Old, w.Old)
		field("rate new", g.New, w.New)
		field("rate from", g.From, w.From)
	}
	used := make([]bool, len(want.Deductions))
	for _, g := range got.Deductions {
		best, bestMissed := -1, 0
		for i, w := range want.Deductions {
			if used[i] || !consistent(g, w) {
				continue
			}
			if m := missedFields(g, w); best < 0 || m < bestMissed {
				best, bestMissed = i, m
			}
		}
		if best < 0 {
			wrong = append(wrong, "deduction not expected: "+describe(g))
			continue
		}
		used[best] = true
		if bestMissed > 0 {
			missed = append(missed, fmt.Sprintf("deduction read as %s, want %s", describe(g), describe(want.Deductions[best])))
		}
	}
	for i, w := range want.Deductions {
		if !used[i] {
			missed = append(missed, "deduction missed: "+describe(w))
		}
	}
	switch {
	case len(wrong) > 0:
		return "wrong", append(wrong, missed...)
	case len(missed) > 0:
		return "partly", missed
	}
	return "full", nil
}

// consistent reports whether g says nothing that contradicts w: the same amount, and each
// field either the same or left empty. Planned and YearAssumed must agree when a date is read.
func consistent(g, w Deduction) bool {
	eqOrEmpty := func(a, b string) bool { return a == "" || a == b }
	return g.Amount == w.Amount && eqOrEmpty(g.Date, w.Date) && eqOrEmpty(g.Label, w.Label) &&
		eqOrEmpty(g.Method, w.Method) && g.Planned == w.Planned && (g.Date == "" || g.YearAssumed == w.YearAssumed)
}

func missedFields(g, w Deduction) int {
	n := 0
	for _, p := range [][2]string{{g.Date, w.Date}, {g.Label, w.Label}, {g.Method, w.Method}} {
		if p[0] != p[1] {
			n++
		}
	}
	return n
}

func describe(d Deduction) string {
	s := fmt.Sprintf("{%s %s %s %s", or(d.Date), formatFen(d.Amount), or(d.Label), or(d.Method))
	if d.Planned {
		s += " planned"
	}
	if d.YearAssumed {
		s += " assumed"
	}
	return s + "}"
}

func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TestCorpus reads every message of testdata/corpus.txt and compares the reading with the
// expected one. No message may be read wrongly; the figures are logged (go test -v).
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 80 {
		t.Errorf("the corpus holds %d messages, want at least 80", len(cases))
	}
	counts := map[string]int{}
	for _, c := range cases {
		got := Read(c.text, c.now)
		v, why := verdict(got, c.want)
		counts[v]++
		switch v {
		case "wrong":
			t.Errorf("%s: read wrongly:\n  %s", c.name, strings.Join(why, "\n  "))
		case "partly":
			t.Logf("%s: read partly:\n  %s", c.name, strings.Join(why, "\n  "))
		}
		for _, d := range got.Deductions {
			if d.Line == "" || !strings.Contains(c.text, d.Line) {
				t.Errorf("%s: deduction %s has line %q, not one of the text's", c.name, describe(d), d.Line)
			}
		}
	}
	t.Logf("corpus: %d messages: %d read fully right, %d partly, %d wrongly",
		len(cases), counts["full"], counts["partly"], counts["wrong"])
}

// readFully are corpus messages that must be read fully right, not merely without error: each
// names a shape DOMAIN.md §8 lists that the reader once missed a fact of.
var readFully = []string{
	"g-en-story-then-rows", "header-deduction-column", "d-ocr-statusbar-noise", "g-one-way-one-row",
	"g-yinsheng-dereg-slash-date",
	"g-sms-rmb-glued",
	"g-two-fees-listed",
	"c-bank-sms",
	"g-bank-sms-quick-pay",
	"g-monthly-sim-named-before",
	"b-english-only",
	"g-en-lakala-app",
	"g-en-ledger-rows",
	"g-en-rate-notice",
	"g-en-sim-planned",
	"g-en-typed-story",
	"g-en-month-name-date",
	"g-en-bank-card-debit",
	"g-en-yearless-planned",
	"g-en-above-chinese-sms",
	"g-en-two-different-fees",
	"h-ledger-tabs-unsigned-balance",
	"h-ocr-card-ledger-date-below",
	"h-card-ledger-date-below-status",
	"h-traditional-lakala-dereg",
	"h-traditional-suixingfu-planned",
	"h-bank-sms-account-tail-debit",
	"h-sms-wrapped-date-next-line",
	"h-ocr-dark-bill-date-and-balance-below",
	"h-ocr-header-titles-glued",
	"h-bill-title-sum-then-form",
	"h-chat-speaker-date-lines",
	"h-form-trade-amount-negative",
	"i-en-statement-date-dashes",
	"i-en-statement-date-two-digit-year",
	"i-en-statement-date-month-first-dashes",
}

// TestCorpusReadFully checks the messages of readFully.
func TestCorpusReadFully(t *testing.T) {
	byName := map[string]corpusCase{}
	for _, c := range loadCorpus(t) {
		byName[c.name] = c
	}
	for _, name := range readFully {
		c, ok := byName[name]
		if !ok {
			t.Errorf("%s: not in the corpus", name)
			continue
		}
		if v, why := verdict(Read(c.text, c.now), c.want); v != "full" {
			t.Errorf("%s: read %s:\n  %s", name, v, strings.Join(why, "\n  "))
		}
	}
}
