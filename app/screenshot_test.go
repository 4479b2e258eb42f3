package app

import (
	"context"
	"strings"
	"testing"

	"complaintbot/internal/e2e"
	"complaintbot/internal/screenshot"
	"complaintbot/ocr"
)

// TestServeReadsScreenshot sends a generated screenshot of a provider's SMS as evidence through
// the program: the photo is acknowledged at once, the text Tesseract read from it (downloaded
// by getFile) is offered as a deduction, pressing "add all" adds it, and it is offered once.
func TestServeReadsScreenshot(t *testing.T) {
	if _, err := ocr.New(context.Background(), ocr.Options{}); err != nil {
		t.Skipf("tesseract is not installed (test.sh installs it): %v", err)
	}
	png, err := screenshot.Render([]string{
		"【拉卡拉】尊敬的商户，您的流量卡服务费99.00元",
		"已于2024年06月01日从结算款中扣除。",
	}, 36)
	if err != nil {
		t.Fatal(err)
	}
	p := startProgram(t, programOptions{Mode: e2e.Polling})
	ctx := testContext(t)
	u := p.TG.User(1003, "zh-hans")
	if err := u.Play(ctx, intakeSteps()...); err != nil {
		t.Fatal(err)
	}
	p.API.AddPhoto("photo-1003-1", png) // the user's first file
	if err := u.Play(ctx, e2e.Photo("", "已收到第 1 件证据")); err != nil {
		t.Fatal(err)
	}
	offer, err := u.Expect(ctx, "我从您发的截图里读到 1 笔扣款")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(offer.Text, "2024-06-01") || !strings.Contains(offer.Text, "99.00") {
		t.Fatalf("offer %q lacks the date or the amount", offer.Text)
	}
	if err := u.Play(ctx, e2e.Press("p=all", "已加入 1 笔扣款"), e2e.Step{Name: "read the prompt", Do: func(context.Context, *e2e.User) error { return nil }, Expect: "现在请发送证据"}, e2e.Press("done", "投诉书需要署名")); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range e2e.Messages(p.API, 1003) {
		if strings.Contains(m.Text, "我从您发的截图里读到") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the screenshot was offered %d times", n)
	}
	p.stop(personalData...)
}
