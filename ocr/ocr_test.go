package ocr

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The texts of the generated screenshots: provider SMS, an app notice and settlement ledger
// lines, as DOMAIN.md §8 describes them.
var (
	lakalaSMS = []string{
		"【拉卡拉】尊敬的商户，您的终端（SN:WP12345678）已于",
		"2024年05月01日完成注销，注销服务费199.00元已从结算款",
		"中扣除。如有疑问请致电95016。",
	}
	ledger = []string{
		"交易时间              类型    摘要            金额      账户",
		"2024-06-10 09:12:33   调账    流量卡服务费    -99.00    结算账户",
		"2024-06-11 00:05:12   结算    T1结算          1523.40   银行卡",
		"2024-07-10 09:12:35   调账    流量卡服务费    -99.00    结算账户",
	}
	rateNotice = []string{
		"【银盛支付】尊敬的客户：您的刷卡费率将由0.38%调整为0.60%，",
		"自2024年7月1日起生效，单笔另收3.00元。退订回T",
	}
	vipSMS = []string{
		"【收钱吧】您已开通商户会员服务，2024-03-15扣除会员费",
		"298.00元，有效期一年。",
	}
)

// newReader returns a Reader, failing the test when Tesseract is missing: test.sh installs
// it, so its absence in CI is a broken setup, not a reason to skip.
func newReader(t testing.TB) *Reader {
	t.Helper()
	r, err := New(context.Background(), Options{Concurrency: 2})
	if err != nil {
		t.Fatalf("tesseract with chi_sim is needed (test.sh installs tesseract-ocr tesseract-ocr-chi-sim): %v", err)
	}
	return r
}

func TestReadScreenshots(t *testing.T) {
	r := newReader(t)
	tests := []struct {
		name string
		shot screenshot
		want []string
	}{
		{"lakala sms, noto sans 28px png", screenshot{font: notoSans, size: 28, lines: lakalaSMS},
			[]string{"拉卡拉", "2024年05月01日", "199.00元", "WP12345678", "注销服务费"}},
		{"ledger, noto serif 24px png", screenshot{font: notoSerif, size: 24, lines: ledger},
			[]string{"2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户", "2024-07-10 09:12:35", "1523.40"}},
		{"rate notice, droid sans 22px jpeg", screenshot{font: droidSans, size: 22, lines: rateNotice, jpegQ: 85},
			[]string{"0.38%", "0.60%", "2024年7月1日", "3.00元"}},
		{"vip sms, noto bold 18px jpeg", screenshot{font: notoBold, size: 18, lines: vipSMS, jpegQ: 80},
			[]string{"2024-03-15", "298.00元", "收钱吧"}},
		{"phone screenshot shrunk by telegram", screenshot{font: notoSans, size: 44, lines: lakalaSMS, shrink: 640, jpegQ: 80},
			[]string{"2024年05月01日", "199.00元"}},
		{"ledger shrunk by telegram", screenshot{font: notoSans, size: 36, lines: ledger, shrink: 700, jpegQ: 80},
			[]string{"2024-06-10", "-99.00", "1523.40"}},
		{"noisy low contrast", screenshot{font: notoSans, size: 26, lines: lakalaSMS, fg: 100, bg: 170, noise: 25, jpegQ: 60},
			[]string{"2024年05月01日", "199.00元"}},
		{"dark mode", screenshot{font: notoSans, size: 24, lines: vipSMS, fg: 235, bg: 30},
			[]string{"2024-03-15", "298.00元"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := render(t, tt.shot)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			got, err := r.Read(ctx, data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			t.Logf("read:\n%s", got)
		})
	}
}
