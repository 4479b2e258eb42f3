package ocr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"characters spaced out are joined", "注 销 服 务 费 199.00 元", "注销服务费 199.00 元"},
		{"spaced-out line with punctuation", "尊 敬 的 商 户 ， 您 的 终 端 （ SN:WP12345678 ） 已 于", "尊敬的商户,您的终端(SN:WP12345678)已于"},
		{"ledger columns stay apart", "2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户", "2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户"},
		{"full-width digits and colon", "２０２４年０５月０１日 ０９：１２", "2024年05月01日 09:12"},
		{"full-width parentheses beside Chinese", "终端 （SN：WP123） 已于", "终端(SN:WP123)已于"},
		{"space after a full-width bracket", "【拉卡拉】 尊敬的商户。 如有疑问", "【拉卡拉】尊敬的商户。如有疑问"},
		{"ideographic space is a space", "调账\u3000\u3000-99.00", "调账 -99.00"},
		{"decimal split after the point", "服务费199. 00元", "服务费199.00元"},
		{"decimal split before the point", "服务费 199 .00 元", "服务费 199.00 元"},
		{"colon misread as the decimal point", "注销服务费199:00元已扣除", "注销服务费199.00元已扣除"},
		{"comma misread as the decimal point", "会员费298,00元", "会员费298.00元"},
		{"time before 元 is not an amount", "09:12 元旦", "09:12 元旦"},
		{"thousands separator stays", "共1,523元", "共1,523元"},
		{"unpaired closing quote is a gap", "调账”流量卡服务费” -99.00", "调账 流量卡服务费 -99.00"},
		{"paired quotes stay", "回复“TD”退订", "回复“TD”退订"},
		{"blank lines and form feed dropped", "第一行\n\n  \n第二行\n\f", "第一行\n第二行"},
		{"spaces collapse and lines are trimmed", "  a   b\t c  ", "a b c"},
		{"latin words keep their spaces", "Your terminal SN WP1 was closed", "Your terminal SN WP1 was closed"},
		{"yen read as # after a minus", "SIM卡年费扣收 -#99.00", "SIM卡年费扣收 -¥99.00"},
		{"yen read as Y after a plus", "T1结算 +Y2,000.00", "T1结算 +¥2,000.00"},
		{"yen read as y after a balance", "07-15 10:01 余额y3,090.00", "07-15 10:01 余额¥3,090.00"},
		{"yen read as a character", "SIM卡年费扣收 -半99.00", "SIM卡年费扣收 -¥99.00"},
		{"Y of a code stays", "TY99.00 SN:Y12345 Y99", "TY99.00 SN:Y12345 Y99"},
		{"Y before a longer number stays", "Y99.001 #12.34.5", "Y99.001 #12.34.5"},
		{"date glued to its time", "2024-11-1201:01 扣款 -1,199.00", "2024-11-12 01:01 扣款 -1,199.00"},
		{"month-day glued to its time", "07-1100:30 余额3,101.00", "07-11 00:30 余额3,101.00"},
		{"full stop read in a row's gap", "2024-11-12 01:01。扣款 -199.00 10,001.10", "2024-11-12 01:01 扣款 -199.00 10,001.10"},
		{"quotes read in a row's gap", "2024-06-10 “” 调账 -99.00 1,203.50", "2024-06-10 调账 -99.00 1,203.50"},
		{"comma read in a row's gap", "2024-11-11 11:11,调账 -111.10", "2024-11-11 11:11 调账 -111.10"},
		{"thousands separator read as a space", "2024-11-12 01:01 扣款 -1 199.00 10,001.10", "2024-11-12 01:01 扣款 -1,199.00 10,001.10"},
		{"thousands separator read as a parenthesis", "扣款 -1)199.00 10,001.10", "扣款 -1,199.00 10,001.10"},
		{"a sentence's date and full stop stay", "生效日期2024-07-01。如有疑问", "生效日期2024-07-01。如有疑问"},
		{"two columns without a sign stay", "数量 2 199.00", "数量 2 199.00"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"注 销 服 务 费 199. 00 元", "2024-06-10 09:12:33 调账”流量卡服务费 -99.00", "（ＳＮ：１２）\f", "“”“", "1:00元", "\xff 元", "-#99.00 余额y1,203.50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, got)
		}
		if again := Normalize(got); again != got {
			t.Errorf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		if strings.Contains(got, "  ") || strings.Contains(got, "\n\n") {
			t.Errorf("Normalize(%q) = %q: doubled space or blank line", s, got)
		}
	})
}
