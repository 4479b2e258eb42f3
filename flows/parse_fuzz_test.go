package flows

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets check properties of the parsers that hold for any input: they do not
// panic, refuse only with their own InputErrors, and what they accept is normalised (parsing
// it again gives it back).

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"199", "199元", "¥199.00", "￥199", "1,299.5", "１９９", "199 块",
		"RMB 199", "-5", "0", "199.123", "1000000.01", "99999999999999999999", ".5", "5.", "¥-5",
		"1,000,000.00", "rmb", "元", "−0.1", "一百九十九元", "一万二", "九十九点五", "约300元", "壹佰玖拾玖元整", "一九九点"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAmount(s)
		if err != nil {
			if a != 0 {
				t.Errorf("ParseAmount(%q) = %v with error %v; want 0", s, a, err)
			}
			switch err {
			case ErrAmountFormat, ErrAmountPositive, ErrAmountDecimals, ErrAmountTooLarge, ErrAmountApprox:
			default:
				t.Errorf("ParseAmount(%q) error %v is not an amount error", s, err)
			}
			return
		}
		if a <= 0 || a > MaxAmount {
			t.Errorf("ParseAmount(%q) = %v; out of (0, %v]", s, a, MaxAmount)
		}
		if b, err := ParseAmount(a.String()); b != a || err != nil {
			t.Errorf("ParseAmount(%q) = %v, but ParseAmount(%q) = %v, %v", s, a, a.String(), b, err)
		}
	})
}

// FuzzParseRecurring: a sum said to be taken several times is within what an amount and a
// complaint hold, and its sum is one ParseAmount reads back.
func FuzzParseRecurring(f *testing.F) {
	for _, s := range []string{"每年扣99，扣了三年", "连续三年每年从结算款里扣69元", "一年69，扣了两年", "每次扣99，一共扣了3次",
		"每年扣99", "每年扣0元，扣了三年", "每月扣20元，扣了十个月", "每年扣九十九，扣了三年", "每年每年扣扣了了",
		"每年扣1,299元，扣了三年", "每年扣99万，扣了三年", "每年扣99，2019年扣了第一次", "每年扣99，扣了24个月"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseRecurring(s)
		if !ok {
			if r != (Recurring{}) {
				t.Errorf("ParseRecurring(%q) = %+v, not ok", s, r)
			}
			return
		}
		if r.Times < 2 || r.Times > maxDeductions || r.Amount <= 0 || r.Amount > MaxAmount {
			t.Errorf("ParseRecurring(%q) = %+v out of range", s, r)
		}
		if b, err := ParseAmount(r.Amount.String()); b != r.Amount || err != nil {
			t.Errorf("ParseRecurring(%q) = %+v, but ParseAmount(%q) = %v, %v", s, r, r.Amount.String(), b, err)
		}
	})
}

// FuzzParseRates: two rates read from a sentence are different rates ParseRate reads back.
func FuzzParseRates(f *testing.F) {
	for _, s := range []string{"原来0.38%，现在0.6%", "从0.38涨到了0.6", "千分之3.8调成了千分之6", "0.38 -> 0.6", "2024年8月调到0.6%", "从38%涨到60%", "从3.8‰涨到6‰"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		old, new, ok := ParseRates(s)
		if !ok {
			if old != "" || new != "" {
				t.Errorf("ParseRates(%q) = %q, %q, not ok", s, old, new)
			}
			return
		}
		if old == new {
			t.Errorf("ParseRates(%q) = the same rate %q twice", s, old)
		}
		for _, r := range []string{old, new} {
			if back, err := ParseRate(r); back != r || err != nil {
				t.Errorf("ParseRates(%q) gave %q, but ParseRate(%q) = %q, %v", s, r, r, back, err)
			}
		}
	})
}

// FuzzDateInSentence: the date found in a sentence is words of the sentence.
func FuzzDateInSentence(f *testing.F) {
	for _, s := range []string{"不知道哪天调的，大概今年3月", "应该是去年3月10号扣的", "３月５日扣的", "3月扣了一次，5月又扣了一次", "2024-08-01那天"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := DateInSentence(s)
		if ok != (w != "") || ok && !strings.Contains(foldWidth(s), w) {
			t.Errorf("DateInSentence(%q) = %q, %v", s, w, ok)
		}
	})
}

// FuzzParseTurnover: a turnover read is positive, and the fee taken more on it is an amount.
func FuzzParseTurnover(f *testing.F) {
	for _, s := range []string{"3月份刷了8万", "每个月流水80000左右", "营业额十万", "刷卡 12,345.6 元", "多收了176元", "刷了99999999999万", "刷了-8万", "刷了8千", "刷了1.2亿"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseTurnover(s)
		if ok != (v > 0) {
			t.Fatalf("ParseTurnover(%q) = %v, %v", s, v, ok)
		}
		if x, ok := ExtraFee(v, "0.38%", "0.6%"); ok && (x <= 0 || x > MaxAmount) {
			t.Errorf("ExtraFee(%v) = %v", v, x)
		}
	})
}

// FuzzSplitMerchant: a name and a number read from one message are a name and a number
// ParseMerchantNumber reads back.
func FuzzSplitMerchant(f *testing.F) {
	for _, s := range []string{"老王便利店，商户号822584053110123", "商户号822584053110123，老王便利店", "Li's noodle shop 822584053110123", "老王便利店 123", "老王便利店 13812345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, number, ok := SplitMerchant(s)
		if !ok {
			if name != "" || number != "" {
				t.Errorf("SplitMerchant(%q) = %q, %q, not ok", s, name, number)
			}
			return
		}
		if back, err := ParseMerchantNumber(number); back != number || err != nil || strings.TrimSpace(name) == "" {
			t.Errorf("SplitMerchant(%q) = %q, %q; ParseMerchantNumber = %q, %v", s, name, number, back, err)
		}
	})
}

// FuzzDeductionWords: a deduction read from a sentence has an amount ParseAmount reads back
// and a full date.
func FuzzDeductionWords(f *testing.F) {
	for _, s := range []string{"2024年3月15日 微信转给业务员 299", "299元，2024-03-15，微信转账给张经理", "去年3月10号从结算款扣了99", "3月15日和4月15日 各299",
		"2024年3月15日 微信转给业务员 2万", "2024年3月15日 -299", "3月15日 1,299"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ad, rest, ok := DeductionWords(s, parseNow())
		if !ok {
			if ad != (AmountDate{}) || rest != "" {
				t.Errorf("DeductionWords(%q) = %+v, %q, not ok", s, ad, rest)
			}
			return
		}
		if b, err := ParseAmount(ad.Amount.String()); b != ad.Amount || err != nil || len(ad.Date) != 10 {
			t.Errorf("DeductionWords(%q) = %+v", s, ad)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "2024年5月1号",
		"5月1日", "5/1", "12/25", "2月29日", "今天", "昨天", "前天", "today", "yesterday", "上周五", "这周日", "last friday",
		"２０２４年５月１日", "20240501", "1999-12-31", "2026-11-22", "2024-02-30", "9999-99-99", "1 May 2024", "on Sept 3rd", "1st of May",
		"去年5月1日", "今年5月1号", "前年的12月25日", "去年"} {
		f.Add(s, int16(0))
	}
	f.Add("2月29日", int16(-16000))
	f.Fuzz(func(t *testing.T, s string, hours int16) {
		now := parseNow().Add(time.Duration(hours) * time.Hour)
		d, err := ParseDate(s, now)
		if err != nil {
			if d != "" {
				t.Errorf("ParseDate(%q) = %q with error %v; want \"\"", s, d, err)
			}
			switch err {
			case ErrDateFormat, ErrDateFuture, ErrDateTooOld, ErrDateAmbiguous:
			default:
				t.Errorf("ParseDate(%q) error %v is not a date error", s, err)
			}
			return
		}
		if _, ok := d.Time(); !ok {
			t.Fatalf("ParseDate(%q) = %q; not a Date", s, d)
		}
		if d < "2000-01-01" || d > DateOf(now) {
			t.Errorf("ParseDate(%q, %s) = %q; out of [2000-01-01, %s]", s, now, d, DateOf(now))
		}
		if again, err := ParseDate(string(d), now); again != d || err != nil {
			t.Errorf("ParseDate(%q) = %q, but ParseDate(%q) = %q, %v", s, d, d, again, err)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"13800138000", "138 0013 8000", "+86 138-0013-8000", "008613800138000",
		"8613800138000", "１３８００１３８０００", "12800138000", "+86", "86138001380"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			if err != ErrPhoneFormat || p != "" {
				t.Errorf("ParsePhone(%q) = %q, %v; want \"\", ErrPhoneFormat", s, p, err)
			}
			return
		}
		if len(p) != 11 || !allASCIIDigits(p) || p[0] != '1' || p[1] < '3' {
			t.Errorf("ParsePhone(%q) = %q; not a mainland mobile number", s, p)
		}
		if again, err := ParsePhone(p); again != p || err != nil {
			t.Errorf("ParsePhone(%q) = %q, but ParsePhone(%q) = %q, %v", s, p, p, again, err)
		}
	})
}

func FuzzParseSN(f *testing.F) {
	for _, s := range []string{"00001234", "ab12-34 cd", "ＡＢ１２３４", "AB123", "SN:12345678",
		"822 5840 5411 0001", "ABCDEFG12345", "ǅ12345678", "ﬀ123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sn, err := ParseSN(s)
		if err != nil {
			if err != ErrSNFormat || sn != "" {
				t.Errorf("ParseSN(%q) = %q, %v; want \"\", ErrSNFormat", s, sn, err)
			}
		} else {
			if len(sn) < 6 || len(sn) > 32 || !upperASCIICode(sn) {
				t.Errorf("ParseSN(%q) = %q; not 6-32 upper-case letters and digits", s, sn)
			}
			if again, err := ParseSN(sn); again != sn || err != nil {
				t.Errorf("ParseSN(%q) = %q, but ParseSN(%q) = %q, %v", s, sn, sn, again, err)
			}
		}

		mn, err := ParseMerchantNumber(s)
		if err != nil {
			if err != ErrMerchantNumberFormat || mn != "" {
				t.Errorf("ParseMerchantNumber(%q) = %q, %v; want \"\", ErrMerchantNumberFormat", s, mn, err)
			}
			return
		}
		digits := len(mn) - len(strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return -1
			}
			return r
		}, mn))
		if len(mn) < 8 || len(mn) > 20 || digits < 6 || !upperASCIICode(mn) {
			t.Errorf("ParseMerchantNumber(%q) = %q; not 8-20 upper-case letters and at least 6 digits", s, mn)
		}
		if again, err := ParseMerchantNumber(mn); again != mn || err != nil {
			t.Errorf("ParseMerchantNumber(%q) = %q, but again = %q, %v", s, mn, again, err)
		}
	})
}

// upperASCIICode reports whether s is only upper-case ASCII letters and digits.
func upperASCIICode(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"代理商说不收费", "  a\tb \r\n\r\n\r\n\r\nc  ", "\u202eabc\u200b", "\xff\xfe",
		"\ufeff", "a\n \n\t\n \n b", "\u3000x\u3000", "a\u2028\nb", "\x1b[31m"} {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		out, err := CleanText(s, max)
		if slow, _ := checkText(cleanLines(s), max); out != slow {
			t.Errorf("CleanText(%q) = %q, but the slow path gives %q", s, out, slow)
		}
		if err != nil {
			var tl TooLongError
			switch {
			case out != "":
				t.Errorf("CleanText(%q) = %q with error %v; want \"\"", s, out, err)
			case err == ErrTextEmpty:
			case errors.As(err, &tl) && tl.Max == max && max > 0 && errors.Is(err, ErrTextTooLong):
			default:
				t.Errorf("CleanText(%q, %d) error %v is not a text error", s, max, err)
			}
			return
		}
		if out == "" || max > 0 && utf8.RuneCountInString(out) > max {
			t.Errorf("CleanText(%q, %d) = %q; empty or too long", s, max, out)
		}
		if !utf8.ValidString(out) {
			t.Errorf("CleanText(%q) = %q; not valid UTF-8", s, out)
		}
		for _, r := range out {
			if r != '\n' && unicode.IsControl(r) || invisibleRune(r) {
				t.Errorf("CleanText(%q) = %q; keeps %U", s, out, r)
			}
		}
		if strings.TrimSpace(out) != out || strings.Contains(out, "\n\n\n\n") {
			t.Errorf("CleanText(%q) = %q; untrimmed, or more than two blank lines", s, out)
		}
		for line := range strings.SplitSeq(out, "\n") {
			if strings.TrimRightFunc(line, unicode.IsSpace) != line {
				t.Errorf("CleanText(%q) = %q; line %q has trailing space", s, out, line)
			}
		}
		if again, err := CleanText(out, max); again != out || err != nil {
			t.Errorf("CleanText(%q) = %q, but CleanText(%q) = %q, %v", s, out, out, again, err)
		}
	})
}

func FuzzMaskNumbers(f *testing.F) {
	for _, s := range []string{"卡号6222021234567890123", "6222 0212 3456 7890 123 199元",
		"身份证 11010519491231002X", "110105 19491231 002X", "手机 138 0013 8000",
		"１２３４５６７８９０１２３４５６７", "**6222021234567890123**", "1234 5678 9012 3456 7890",
		"6222 0212 3456 7890 123 4567 8901 2345", "110105 19491231 6222 0212 3456 7890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskNumbers(s)
		in, got := []rune(s), []rune(out)
		if len(in) != len(got) {
			t.Fatalf("MaskNumbers(%q) = %q; %d runes, want %d", s, out, len(got), len(in))
		}
		for k := range in {
			if got[k] != in[k] && !(got[k] == '*' && maskDigit(in[k])) {
				t.Fatalf("MaskNumbers(%q) = %q; rune %d %q became %q", s, out, k, in[k], got[k])
			}
		}
		if again := MaskNumbers(out); again != out {
			t.Errorf("MaskNumbers(%q) = %q, but MaskNumbers of that = %q", s, out, again)
		}
		// No run of 15 to 19 digits survives.
		run := 0
		for _, r := range out + "." {
			if maskDigit(r) {
				run++
				continue
			}
			if run >= 15 && run <= 19 {
				t.Errorf("MaskNumbers(%q) = %q; a run of %d digits is left", s, out, run)
			}
			run = 0
		}
		// A text that is one mobile number is left alone.
		if p, err := ParsePhone(s); err == nil && s == p && out != s {
			t.Errorf("MaskNumbers(%q) = %q; masked a mobile number", s, out)
		}
	})
}

func FuzzParseContactLine(f *testing.F) {
	for _, s := range []string{"张三", "张三 13800138000 深圳 南山区科技园路1号", "李四，+86 139-1234-5678，广州",
		"13800138000", "王五１３８００１３８０００", " ,13800138000, "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseContactLine(s)
		if err != nil {
			return
		}
		if c.Name == "" || utf8.RuneCountInString(c.Name) > maxName {
			t.Errorf("ParseContactLine(%q): name %q", s, c.Name)
		}
		if c.Phone != "" {
			if p, err := ParsePhone(c.Phone); err != nil || p != c.Phone {
				t.Errorf("ParseContactLine(%q): phone %q", s, c.Phone)
			}
		} else if c.City != "" || c.Address != "" {
			t.Errorf("ParseContactLine(%q): a city or address without a phone: %+v", s, c)
		}
	})
}

// FuzzParseAmountDate: an amount and a date read together are each what its own parser reads
// from some part of the text, and any failure is ErrAmountFormat.
func FuzzParseAmountDate(f *testing.F) {
	for _, s := range []string{"199元 2024年5月1日", "2024-05-01 199", "¥1,299.50，2024/5/1", "199 昨天", "199", "a b c", "199 200"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		now := parseNow()
		ad, err := ParseAmountDate(s, now)
		a, d := ad.Amount, ad.Date
		if err != nil {
			if err != ErrAmountFormat || ad != (AmountDate{}) {
				t.Fatalf("ParseAmountDate(%q) = %+v, %v", s, ad, err)
			}
			return
		}
		if a <= 0 || a > MaxAmount {
			t.Errorf("ParseAmountDate(%q) amount %v out of range", s, a)
		}
		if again, err := ParseDate(string(d), now); again != d || err != nil {
			t.Errorf("ParseAmountDate(%q) date %q does not read back: %q, %v", s, d, again, err)
		}
	})
}

// FuzzParseAmountLead: whatever is typed at the amount question, ParseAmountLead never panics,
// reads an amount in range when it reads one, a date that reads back, and never reads a date
// or a month typed alone as an amount.
func FuzzParseAmountLead(f *testing.F) {
	for _, s := range []string{"交了99", "99元，去年3月", "99块去年3月15号", "2025年6月", "199 200", "paid 99", "¥1,299.5 不记得了"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		now := parseNow()
		ad, ok := ParseAmountLead(s, now)
		if !ok {
			return
		}
		if ad.Amount <= 0 || ad.Amount > MaxAmount {
			t.Errorf("ParseAmountLead(%q) amount %v out of range", s, ad.Amount)
		}
		if ad.Date != "" {
			if again, err := ParseDate(string(ad.Date), now); again != ad.Date || err != nil {
				t.Errorf("ParseAmountLead(%q) date %q does not read back: %q, %v", s, ad.Date, again, err)
			}
		}
		if _, err := ParseMonthOrDate(s, now); err == nil {
			t.Errorf("ParseAmountLead(%q) = %+v: a date or a month alone", s, ad)
		}
	})
}

// FuzzExtraFee: the fee taken more on a turnover is turnover × (new − old) exactly, rounded
// half up to the fen (computed here with big rationals), for any rates ParseRate writes.
func FuzzExtraFee(f *testing.F) {
	f.Add(int64(8000000), "0.38", "0.6")
	f.Add(int64(8500000), "0.38", "0.3801")
	f.Add(int64(250), "0.4", "0.6")
	f.Add(int64(100000000000), "0.0001", "9.9999")
	f.Add(int64(-1), "0.38", "0.6")
	f.Fuzz(func(t *testing.T, turnover int64, a, b string) {
		lo, err1 := ParseRate(a)
		hi, err2 := ParseRate(b)
		if err1 != nil || err2 != nil {
			return
		}
		got, ok := ExtraFee(Fen(turnover), lo, hi)
		o, _ := new(big.Rat).SetString(strings.TrimSuffix(lo, "%"))
		n, _ := new(big.Rat).SetString(strings.TrimSuffix(hi, "%"))
		want := new(big.Rat).Mul(new(big.Rat).SetInt64(turnover), new(big.Rat).Sub(n, o))
		want.Quo(want, big.NewRat(100, 1)).Add(want, big.NewRat(1, 2))
		w := new(big.Int).Quo(want.Num(), want.Denom()) // floor(x + 1/2), x > 0 where it counts
		fits := turnover > 0 && turnover <= int64(1000*MaxAmount) && n.Cmp(o) > 0 && w.Sign() > 0 && w.Cmp(big.NewInt(int64(MaxAmount))) <= 0
		if ok != fits || ok && w.Int64() != int64(got) {
			t.Errorf("ExtraFee(%d, %s, %s) = %v, %v; want %v (%v)", turnover, lo, hi, got, ok, w, fits)
		}
	})
}
