package paste

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ＳＮ：ＷＰ８８７７", "SN:WP8877"},
		{"￥９９．００", "¥99.00"},
		{"−99.00\t结算", "-99.00 结算"},
		{"注 销 服 务 费 1 9 9 . 0 0 元", "注销服务费199.00元"},
		{"调账 流量卡服务费 -99.00", "调账 流量卡服务费 -99.00"},
		{"扣除　99元", "扣除 99元"},
		{"扣了一百九十九元", "扣了199元"},
		{"两千零五块", "2005块"},
		{"十五元", "15元"},
		{"一万二千元", "12000元"},
		{"一二元", "一二元"},
		{"十元店", "10元店"},
		{"第一百", "第一百"},
	} {
		if got := normalize(c.in); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestResolveYear(t *testing.T) {
	today := ymd{2024, 9, 15}
	for _, c := range []struct {
		m, d    int
		planned bool
		want    string
	}{
		{8, 20, false, "2024-08-20"},
		{9, 15, false, "2024-09-15"},
		{9, 16, false, "2023-09-16"},
		{9, 16, true, "2024-09-16"},
		{1, 5, true, "2025-01-05"},
		{2, 29, false, "2024-02-29"},
		{2, 29, true, "2028-02-29"},
	} {
		if got := resolve(ymd{0, c.m, c.d}, today, c.planned).String(); got != c.want {
			t.Errorf("resolve(%02d-%02d, planned %v) = %s, want %s", c.m, c.d, c.planned, got, c.want)
		}
	}
}

func TestAmounts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int64 // fen of the sums found, currency or two decimals
	}{
		{"扣除199元", []int64{19900}},
		{"¥1,299.50", []int64{129950}},
		{"RMB 99.00", []int64{9900}},
		{"-99.00", []int64{9900}},
		{"99.000", nil},
		{"WP12345678", nil},
		{"1,23", nil},
		{"0199元", nil},
		{"12345678901元", nil},
		{"99块", []int64{9900}},
		{"4G 99", nil},
	} {
		var got []int64
		for _, a := range findAmounts(normalize(c.in)) {
			if a.currency || a.twoDec {
				got = append(got, a.fen)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("amounts in %q = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestProviderKeys(t *testing.T) {
	want := []string{"lakala", "shengpay", "yinsheng", "ruiyinxin", "suixingfu", "hkrt", "umpay", "99bill", "leshua"}
	if got := ProviderKeys(); !reflect.DeepEqual(got, want) {
		t.Errorf("ProviderKeys() = %v, want %v", got, want)
	}
	for _, a := range Aliases {
		if a.Source == "" || a.Text == "" {
			t.Errorf("alias %+v lacks its text or source", a)
		}
	}
}

func TestTruncated(t *testing.T) {
	long := strings.Repeat("扣", MaxText) + "\n扣除流量费99元"
	got := Read(long, defaultNow)
	if len(got.Deductions) != 0 || len(got.Notes) == 0 || got.Notes[0].Code != NoteTruncated {
		t.Errorf("a text longer than MaxText: %+v", got)
	}
}

// TestLongInputs reads texts built to be slow: long lines full of sums. They are read in
// pieces with at most maxAmounts sums weighed a line and MaxDeductions kept, and say so.
func TestLongInputs(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("扣99元,", 5000),
		strings.Repeat("扣99元 ", 5000),
		strings.Repeat("2024-06-10 调账 流量费 -99.00\n", 2000),
		strings.Repeat("余额1元", 5000),
		strings.Repeat("1", MaxText),
	} {
		got := Read(text, defaultNow)
		checkReading(t, text, defaultNow, got)
		if len(got.Deductions) > MaxDeductions || len(got.Notes) > MaxNotes {
			t.Errorf("%d deductions and %d notes from %.20q…", len(got.Deductions), len(got.Notes), text)
		}
	}
	var lines []string
	for d := 1; d <= 28; d++ {
		for m := 1; m <= 12; m++ {
			lines = append(lines, fmt.Sprintf("2023-%02d-%02d 调账 流量费 -99.00", m, d))
		}
	}
	got := Read(strings.Join(lines, "\n"), defaultNow)
	if len(got.Deductions) != MaxDeductions || !hasNote(got, NoteTruncated) {
		t.Errorf("336 ledger lines: %d deductions, notes %v", len(got.Deductions), got.Notes)
	}
}

func hasNote(r Reading, code string) bool {
	for _, n := range r.Notes {
		if n.Code == code {
			return true
		}
	}
	return false
}

func TestYearAssumedNote(t *testing.T) {
	got := Read("08月20日扣除流量卡年费99元", defaultNow)
	if len(got.Deductions) != 1 || !got.Deductions[0].YearAssumed {
		t.Fatalf("got %+v", got)
	}
	found := false
	for _, n := range got.Notes {
		found = found || n.Code == NoteYearAssumed && n.Value == "2024-08-20"
	}
	if !found {
		t.Errorf("no year_assumed note in %+v", got.Notes)
	}
}

// checkReading asserts the properties every reading has, whatever the text.
func checkReading(t *testing.T, text string, now time.Time, got Reading) {
	t.Helper()
	today := dateOf(now.In(shanghai)).String()
	keys := ProviderKeys()
	for _, d := range got.Deductions {
		if d.Amount <= 0 {
			t.Errorf("amount %d ≤ 0 in %+v", d.Amount, d)
		}
		if d.Date != "" {
			if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
				t.Errorf("date %q: %v", d.Date, err)
			}
		}
		if d.Date > today && !d.Planned {
			t.Errorf("a future date %s not marked planned", d.Date)
		}
		switch d.Method {
		case "", Settlement, BankCard, Wallet, Other:
		default:
			t.Errorf("method %q", d.Method)
		}
		if d.Line == "" || !strings.Contains(text, d.Line) {
			t.Errorf("line %q is not in the text", d.Line)
		}
		digits := strings.ReplaceAll(normalize(d.Line), ",", "")
		if whole := formatFen(d.Amount); !strings.Contains(digits, whole[:len(whole)-3]) {
			t.Errorf("amount %s is not in its line %q", whole, d.Line)
		}
	}
	if !utf8.ValidString(got.ProviderText) || got.ProviderText != "" && !strings.Contains(strings.ToLower(normalize(text)), strings.ToLower(got.ProviderText)) {
		t.Errorf("provider text %q is not in the text", got.ProviderText)
	}
	if got.Provider != "" && !contains(keys, got.Provider) {
		t.Errorf("provider %q is not a key", got.Provider)
	}
	if got.SN != "" && (strings.ContainsAny(got.SN, " \t\n") || len(got.SN) < 6) {
		t.Errorf("SN %q", got.SN)
	}
	if rc := got.RateChange; rc != nil && (rc.New == "" || rc.Old == rc.New) {
		t.Errorf("rate change %+v", *rc)
	}
	if got.Deregistered != "" {
		if _, err := time.Parse(time.DateOnly, got.Deregistered); err != nil || got.Deregistered > today {
			t.Errorf("de-registered %q", got.Deregistered)
		}
	}
	if again := Read(text, now); !reflect.DeepEqual(again, got) {
		t.Errorf("two readings differ:\n%+v\n%+v", got, again)
	}
}

func TestCorpusProperties(t *testing.T) {
	for _, c := range loadCorpus(t) {
		checkReading(t, c.text, c.now, Read(c.text, c.now))
	}
}

// FuzzRead reads arbitrary text: the reader must not panic, and what it reads must hold the
// properties of checkReading (amounts > 0 and in the text, valid dates, known keys…).
func FuzzRead(f *testing.F) {
	for _, c := range loadCorpus(f) {
		f.Add(c.text, int64(0))
	}
	f.Add("1,234,567.89元 ¥-0.01 --99.00 +-1元 9999999999元", int64(86400*200))
	f.Add("2024-02-30 02月30日 13月45日 12-31 25:61 扣99元", int64(-86400*400))
	f.Add("SN SN: SN 1 2 3 4 5 6 7 SN:****** 【】【", int64(0))
	f.Add("费率由%调整为%，0.5%→", int64(0))
	f.Add("İİİİLAKALA扣99元", int64(0))
	f.Fuzz(func(t *testing.T, text string, shift int64) {
		now := defaultNow.Add(time.Duration(shift%(86400*3650)) * time.Second)
		checkReading(t, text, now, Read(text, now))
	})
}

// BenchmarkRead reads the corpus's messages one per operation. Besides the wall-clock ns/op
// it reports cpu-ns/op, the process's CPU time per message, which a busy machine inflates less.
func BenchmarkRead(b *testing.B) {
	cases := loadCorpus(b)
	b.ReportAllocs()
	start, n := cpuTime(), 0
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		Read(c.text, c.now)
		n++
	}
	if cpu := cpuTime() - start; cpu > 0 && n > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
	}
}
