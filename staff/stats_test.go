package staff_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
)

// TestStatsAndExportOverManyCases: /stats and /export over 1,000 generated cases agree with the
// test's own count, and the export names nobody.
func TestStatsAndExportOverManyCases(t *testing.T) {
	const n = 1000
	w := newWorld(t, groupChat)
	w.startBot(false) // the cases are not posted: only the commands are tested
	loc := w.cfg.Location
	providers := []flows.Provider{
		{Key: "lakala", Name: "拉卡拉支付股份有限公司"}, {Key: "shengpay", Name: "上海盛付通电子支付服务有限公司"},
		{Key: "yinsheng", Name: "银盛支付服务股份有限公司"}, {Name: "某某科技有限公司"},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	type gen struct {
		c      flows.Complaint
		status flows.Status
	}
	cases := make([]gen, n)
	for i := range cases {
		c := draft()
		c.Chat, c.User = 10_000+int64(i), 10_000+int64(i)
		c.Provider = providers[rng.IntN(len(providers))]
		c.Charge = flows.ChargeKinds()[rng.IntN(len(flows.ChargeKinds()))]
		c.Deductions = nil
		for range 1 + rng.IntN(3) {
			c.Deductions = append(c.Deductions, flows.Deduction{Date: "2025-01-01", Amount: flows.Fen(100 + rng.IntN(50_000)), Method: flows.FromBankCard})
		}
		c.CreatedAt = time.Date(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, loc)
		c.Contact = flows.Contact{Name: fmt.Sprintf("投诉人%04d", i), Phone: fmt.Sprintf("139%08d", i), City: "广州"}
		c.Description = fmt.Sprintf("私密陈述%04d", i)
		cases[i] = gen{c: c, status: []flows.Status{flows.StatusSubmitted, flows.StatusEscalated, flows.StatusClaimed,
			flows.StatusResolved, flows.StatusRejected}[rng.IntN(5)]}
	}
	// Store them from eight "chats at once"; escalate and act on some.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	work := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range work {
				if err := w.makeCase(ctx, cases[i].c, cases[i].status); err != nil {
					errs <- fmt.Errorf("case %d: %w", i, err)
				}
			}
		})
	}
	for i := range cases {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// The test's own count.
	type tally struct {
		count int
		total flows.Fen
	}
	want := map[string]map[string]*tally{"provider": {}, "charge": {}, "status": {}, "month": {}}
	var all tally
	for _, g := range cases {
		all.count++
		all.total += g.c.Total()
		for d, v := range map[string]string{"provider": g.c.Provider.Name, "charge": string(g.c.Charge),
			"status": string(g.status), "month": g.c.CreatedAt.Format("2006-01")} {
			if want[d][v] == nil {
				want[d][v] = &tally{}
			}
			want[d][v].count++
			want[d][v].total += g.c.Total()
		}
	}

	// /stats
	zh := flows.LangZH
	mark := w.seq()
	w.staffCommand(staffer, "/stats")
	reply := w.wait("/stats", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendMessage" })
	stats := reply.Params["text"]
	if head := w.text(zh, "staff_stats", map[string]any{"Count": n, "Total": all.total.String()}); !strings.HasPrefix(stats, head+"\n") {
		t.Fatalf("/stats starts %q, want %q", stats[:min(len(stats), 200)], head)
	}
	for d, values := range want {
		for v, tl := range values {
			name := v
			switch d {
			case "charge":
				name = w.text(zh, "charge_"+v, nil)
			case "status":
				name = w.text(zh, "staff_status_"+v, nil)
			}
			line := w.text(zh, "staff_stats_line", map[string]any{"Name": name, "Count": tl.count, "Total": tl.total.String()})
			if !strings.Contains(stats, "\n"+line+"\n") && !strings.HasSuffix(stats, "\n"+line) {
				t.Errorf("/stats lacks %s line %q", d, line)
			}
		}
	}

	// Patterns: under each provider's line, its cases by charge kind, exactly.
	cross := map[string]map[string]*tally{}
	for _, g := range cases {
		p, k := g.c.Provider.Name, string(g.c.Charge)
		if cross[p] == nil {
			cross[p] = map[string]*tally{}
		}
		if cross[p][k] == nil {
			cross[p][k] = &tally{}
		}
		cross[p][k].count++
		cross[p][k].total += g.c.Total()
	}
	under := map[string][]string{} // a provider's line → the lines beneath it
	byProvider := w.text(zh, "staff_stats_by", map[string]any{"Name": flows.Text{Key: "staff_stats_provider"}})
	section, provider := false, ""
	for _, line := range strings.Split(stats, "\n") {
		switch {
		case line == byProvider:
			section = true
		case strings.HasPrefix(line, "<b>"):
			section = false
		case section && strings.HasPrefix(line, "\u3000"):
			under[provider] = append(under[provider], line)
		case section:
			provider = line
		}
	}
	for p, charges := range cross {
		pl := w.text(zh, "staff_stats_line", map[string]any{"Name": p, "Count": want["provider"][p].count, "Total": want["provider"][p].total.String()})
		var lines []string
		for k, tl := range charges {
			lines = append(lines, w.text(zh, "staff_stats_subline", map[string]any{"Name": flows.Text{Key: "charge_" + k},
				"Count": tl.count, "Total": tl.total.String()}))
		}
		slices.Sort(lines)
		got := slices.Sorted(slices.Values(under[pl]))
		if !slices.Equal(got, lines) {
			t.Errorf("/stats under %q:\n%s\nwant\n%s", pl, strings.Join(got, "\n"), strings.Join(lines, "\n"))
		}
	}

	// /export
	mark = w.seq()
	w.staffCommand(staffer, "/export")
	doc := w.wait("/export", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendDocument" })
	f := doc.File("document")
	if f == nil || !strings.HasSuffix(f.Filename, ".csv") {
		t.Fatalf("export file = %+v", f)
	}
	for i := range cases {
		for _, secret := range []string{cases[i].c.Contact.Name, cases[i].c.Contact.Phone, cases[i].c.Description} {
			if bytes.Contains(f.Data, []byte(secret)) {
				t.Fatalf("the export holds personal data %q", secret)
			}
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("export has %d rows, want a header and %d cases", len(rows), n)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	got := map[string]map[string]*tally{"provider": {}, "charge": {}, "status": {}, "month": {}}
	var exported tally
	for _, r := range rows[1:] {
		yuan, err := strconv.ParseFloat(r[col["total_yuan"]], 64)
		if err != nil {
			t.Fatalf("total %q: %v", r[col["total_yuan"]], err)
		}
		fen := flows.Fen(yuan*100 + 0.5)
		exported.count++
		exported.total += fen
		for _, d := range []string{"provider", "charge", "status", "month"} {
			v := r[col[d]]
			if got[d][v] == nil {
				got[d][v] = &tally{}
			}
			got[d][v].count++
			got[d][v].total += fen
		}
	}
	if exported != all {
		t.Errorf("export totals %+v, want %+v", exported, all)
	}
	for d := range want {
		if len(got[d]) != len(want[d]) {
			t.Errorf("export has %d %s values, want %d", len(got[d]), d, len(want[d]))
		}
		for v, tl := range want[d] {
			if g := got[d][v]; g == nil || *g != *tl {
				t.Errorf("export %s %q = %+v, want %+v", d, v, g, tl)
			}
		}
	}
}

// makeCase stores c as its chat's complaint and brings it to status st as the bot would.
func (w *world) makeCase(ctx context.Context, c flows.Complaint, st flows.Status) error {
	_, com, err := w.store.Apply(ctx, c.Chat, 1, func(s flows.Session) (flows.Result, error) {
		s.State = flows.StateSubmitted
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}}}, nil
	})
	if err != nil || st == flows.StatusSubmitted {
		return err
	}
	if _, _, err := w.store.Apply(ctx, c.Chat, 2, func(s flows.Session) (flows.Result, error) {
		s.State = flows.StateClosed
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectEscalate, CaseID: com.CaseID}}}, nil
	}); err != nil {
		return err
	}
	var acts []flows.CaseAction
	switch st {
	case flows.StatusClaimed:
		acts = []flows.CaseAction{flows.ActClaim}
	case flows.StatusResolved:
		acts = []flows.CaseAction{flows.ActClaim, flows.ActResolve}
	case flows.StatusRejected:
		acts = []flows.CaseAction{flows.ActReject}
	}
	for _, a := range acts {
		if _, _, err := w.store.UpdateStatus(ctx, com.CaseID, func(c flows.Complaint) (flows.StatusChange, error) {
			return flows.Decide(c, a, "staff:900", time.Time{}, "不属于受理范围")
		}); err != nil {
			return err
		}
	}
	return nil
}
