package bot_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/ocr"
)

// TestRealScreenshotOffer: a phone screenshot of an app's bill (dark, ¥ misread by Tesseract,
// each row's date and balance on the line under it), read by the real OCR, is offered as its
// two deductions, with their dates, and nothing else.
func TestRealScreenshotOffer(t *testing.T) {
	r, err := ocr.New(context.Background(), ocr.Options{})
	if err != nil {
		t.Fatalf("tesseract with chi_sim is needed (test.sh installs it): %v", err)
	}
	png, err := os.ReadFile("../ocr/testdata/screens/bill_dark.png")
	if err != nil {
		t.Fatal(err)
	}
	api, store, ctx := readingWorld(t)
	startReader(t, api, store, r, time.Minute)
	u := e2e.New(api, e2e.Polling).User(2011, "zh-hans")
	api.AddPhoto("photo-2011-1", png)
	steps := []e2e.Step{
		e2e.Say("/start", "您同意吗"), e2e.Press("agree", "以什么身份"), e2e.Press("consumer", "哪一类费用"),
		e2e.Press("sim_fee", ""),
		e2e.Photo("账单截图", "已作为第 1 件证据保存"),
		{Name: "the offer", Do: func(ctx context.Context, u *e2e.User) error {
			m, err := u.Expect(ctx, "我从您发的截图里读到 2 笔扣款，合计 <b>110.00</b> 元")
			if err != nil {
				return err
			}
			for _, row := range []string{"-07-10　99.00 元", "-07-15　11.00 元"} {
				if !strings.Contains(m.Text, row) {
					return fmt.Errorf("the offer lacks %q:\n%s", row, m.Text)
				}
			}
			return nil
		}},
		e2e.Press("p=all", "已加入 2 笔扣款"),
	}
	if err := u.Play(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}
