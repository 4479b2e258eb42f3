package ocr

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"complaintbot/paste"
)

// TestReadAppScreenshots reads the phone screenshots of testdata/screens (rendered with
// ImageMagick at 1080 px wide with a status bar, light and dark, then cut and reduced to 16
// grays to keep them small) and the text Tesseract makes of them with package paste: each
// must give the deductions a person reads on it, no more (a balance is not one), no fewer.
func TestReadAppScreenshots(t *testing.T) {
	r := newReader(t)
	cst := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct {
		file     string
		want     []string // date amount(fen) of each deduction, in order
		provider string
		now      time.Time // the zero value is 2024-09-15
	}{
		// an SMS bubble: ¥ misread, a balance after the charge
		{"sms_lakala_light.png", []string{"2024-06-10 9900"}, "lakala", time.Time{}},
		// an app's bill, dark: ¥ read as # or Y, each row's date and balance on the line under it
		{"bill_dark.png", []string{"2024-07-10 9900", "2024-07-15 1100"}, "", time.Time{}},
		// an app's list, dark: the date and account under each row
		{"list_date_below_dark.png", []string{"2024-06-10 9900", "2024-08-01 19900"}, "", time.Time{}},
		// a ledger table with a header: the balance column is not a deduction
		{"ledger_balance_light.png", []string{"2024-06-10 9900", "2024-07-10 3600"}, "", time.Time{}},
		// a WeChat chat: the agent's promise (押金299元…全额退给你) and a price per year
		// (流量卡每年99元，会从结算款里扣) are no deductions
		{"wechat_agent_promise.png", nil, "", time.Time{}},
		// a ledger of 1s: header titles glued, 。 in the gap after the time, 1,199.00 read with
		// a space for its comma
		{"ledger_ones_light.png", []string{"2024-11-11 11110", "2024-11-12 119900", "2024-11-17 110"}, "", time.Date(2024, 12, 1, 12, 0, 0, 0, cst)},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			text, err := r.ReadFile(t.Context(), filepath.Join("testdata", "screens", tt.file))
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			now := tt.now
			if now.IsZero() {
				now = time.Date(2024, 9, 15, 12, 0, 0, 0, cst)
			}
			got := paste.Read(text, now)
			var ds []string
			for _, d := range got.Deductions {
				ds = append(ds, fmt.Sprintf("%s %d", d.Date, d.Amount))
			}
			if !slices.Equal(ds, tt.want) || got.Provider != tt.provider {
				t.Errorf("read %q, provider %q; want %q, provider %q; the text read:\n%s", ds, got.Provider, tt.want, tt.provider, text)
			}
		})
	}
}
