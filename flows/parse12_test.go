package flows

import (
	"errors"
	"testing"
	"time"

	"complaintbot/providers"
)

func TestParseName(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"张三", "张三", nil},
		{"  Li Si ", "Li Si", nil},
		{"深圳某某贸易有限公司", "深圳某某贸易有限公司", nil},
		{"王五2号", "王五2号", nil},
		{"😀", "", ErrNameLetters},
		{"😀😀 👍", "", ErrNameLetters},
		{"123456", "", ErrNameLetters},
		{"...", "", ErrNameLetters},
		{"   ", "", ErrTextEmpty},
		{"名名名名名名名名名名名", "", ErrTextTooLong},
	} {
		got, err := ParseName(c.in, 10)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ParseName(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestParseCreditCode(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"91350100M000100Y43", "91350100M000100Y43", true}, // GB 32100-2015's example
		{"91440300MA5D000002", "91440300MA5D000002", true},
		{"9144 0300-MA5D 000002", "91440300MA5D000002", true},
		{"91440300ma5d000002", "91440300MA5D000002", true},
		{"９１４４０３００ＭＡ５Ｄ０００００２", "91440300MA5D000002", true},
		{"91440300MA5D000001", "", false}, // wrong check character
		{"91440300MA5D00000", "", false},  // 17 characters
		{"91440300MA5D0000021", "", false},
		{"91440300IA5D000002", "", false}, // I is not used
		{"", "", false},
	} {
		got, err := ParseCreditCode(c.in)
		if got != c.want || (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrCreditCode)) {
			t.Errorf("ParseCreditCode(%q) = %q, %v; want %q ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

// TestParseMonthOrDate: a month alone is taken where the document allows month precision.
func TestParseMonthOrDate(t *testing.T) {
	now := testNow() // 2026-11-21
	for _, c := range []struct {
		in   string
		want Date
		err  error
	}{
		{"2022年3月", "2022-03", nil},
		{"2022年3月份", "2022-03", nil},
		{"2022年 03 月", "2022-03", nil},
		{"2022-03", "2022-03", nil},
		{"2022/3", "2022-03", nil},
		{"2022.03", "2022-03", nil},
		{"3/2022", "2022-03", nil},
		{"03-2022", "2022-03", nil},
		{"March 2022", "2022-03", nil},
		{"mar 2022", "2022-03", nil},
		{"2022 March", "2022-03", nil},
		{"Sept, 2023", "2023-09", nil},
		{"２０２２年３月", "2022-03", nil},
		{"2022年3月15日", "2022-03-15", nil},
		{"2022-03-15", "2022-03-15", nil},
		{"昨天", "2026-11-20", nil},
		{"2026年11月", "2026-11", nil},
		{"去年4月", "2025-04", nil},
		{"since last month", "2026-10", nil},
		{"From August 2024", "2024-08", nil},
		{"in March 2022", "2022-03", nil},
		{"从2024年8月开始", "2024-08", nil},
		{"2024年8月起", "2024-08", nil},
		{"自去年4月以来", "2025-04", nil},
		{"从昨天开始", "2026-11-20", nil},
		{"起", "", ErrDateFormat},
		{"前年3月份", "2024-03", nil},
		{"去年十月", "2025-10", nil},
		{"大概2022年3月", "2022-03", nil},
		{"上个月才发现", "2026-10", nil},
		{"10月5号才知道的", "2026-10-05", nil},
		{"2022年3月左右", "2022-03", nil},
		{"差不多去年4月份", "2025-04", nil},
		{"大概2022年3月15日", "", ErrDateFormat}, // a day said to be approximate is no day
		{"2022年左右", "", ErrDateFormat},
		{"二〇二二年三月", "2022-03", nil},
		{"24年8月", "2024-08", nil},
		{"24年8月份", "2024-08", nil},
		{"2024年3月办的", "2024-03", nil},
		{"今年11月", "2026-11", nil},
		{"今年12月", "", ErrDateFuture},
		{"去年的4月", "2025-04", nil},
		{"去年4月28日", "2025-04-28", nil},
		{"去年", "", ErrDateFormat},
		{"上个月", "2026-10", nil},
		{"上月", "2026-10", nil},
		{"本月", "2026-11", nil},
		{"Last month", "2026-10", nil},
		{"this month", "2026-11", nil},
		{"2026年12月", "", ErrDateFuture},
		{"1999年12月", "", ErrDateTooOld},
		{"2022年13月", "", ErrDateFormat},
		{"2022年", "", ErrDateFormat},
		{"Smarch 2022", "", ErrDateFormat},
		{"3/22", "2026-03-22", nil}, // month and day, as ParseDate reads it
		{"", "", ErrDateFormat},
	} {
		got, err := ParseMonthOrDate(c.in, now)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ParseMonthOrDate(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

// TestRelativeMonthsAcrossTheYear: in January, last month and last year's December are the
// same month of the year before; this year's month is still this year's.
func TestRelativeMonthsAcrossTheYear(t *testing.T) {
	jan := time.Date(2027, 1, 10, 9, 0, 0, 0, testNow().Location())
	for in, want := range map[string]Date{"上个月": "2026-12", "去年12月": "2026-12", "本月": "2027-01", "今年1月": "2027-01", "去年1月5日": "2026-01-05"} {
		if got, err := ParseMonthOrDate(in, jan); got != want || err != nil {
			t.Errorf("ParseMonthOrDate(%q) in January 2027 = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"0.38%", "0.38%"},
		{"0.38", "0.38%"},
		{"0.6 %", "0.6%"},
		{"０．６％", "0.6%"},
		{"百分之0.55", "0.55%"},
		{"千分之3.8", "0.38%"},
		{"千分之6", "0.6%"},
		{"千分之三点八", "0.38%"},
		{"原来是0.38%", "0.38%"},
		{"现在是千分之6.3", "0.63%"},
		{"3毛8", "0.38%"},
		{"六毛三", "0.63%"},
		{"5毛", "0.5%"},
		{"3毛8左右", ""},
		{"万分之60", "0.6%"},
		{"0.6%。", "0.6%"},
		{"0.38 percent", "0.38%"},
		{"0.38 per cent", "0.38%"},
		{"0.63 pct", "0.63%"},
		{"3.8‰", "0.38%"},
		{"It was 0.38%", "0.38%"},
		{"now it's 0.63%", "0.63%"},
		{"The rate was 0.38%.", "0.38%"},
		{"0.38 percentage", ""},
		{"was", ""},
		{"0", ""},
		{".000001", ""}, // below what four decimals show: not "0%"
		{"12%", ""},
		{"-0.5%", ""},
		{"0.3.8", ""},
		{"abc", ""},
		{"", ""},
	} {
		got, err := ParseRate(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("ParseRate(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// TestParseCity: a city in Latin letters is mapped to its Chinese name, or asked again.
func TestParseCity(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"深圳", "深圳市", nil},
		{"深圳市", "深圳市", nil},
		{"Shenzhen", "深圳市", nil},
		{"shen zhen", "深圳市", nil},
		{"GUANGZHOU", "广州市", nil},
		{"Canton", "广州市", nil},
		{"广东省深圳市南山区", "深圳市", nil},
		{"昆山", "昆山", nil}, // a county-level city: kept as typed, in Chinese
		{"Suzhou", "", ErrCityAmbiguous},
		{"Suzhou Jiangsu", "苏州市", nil},
		{"Atlantis", "", ErrCityUnknown},
		{"", "", ErrTextEmpty},
	} {
		got, err := ParseCity(c.in)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ParseCity(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestDateIn(t *testing.T) {
	now := testNow()
	for _, c := range []struct {
		in   string
		want Date
	}{
		{"【拉卡拉】您的终端已于2024年05月01日完成注销，注销服务费199.00元已从结算款中扣除。", "2024-05-01"},
		{"2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户", "2024-06-10"},
		{"交易日期 2024/07/01 交易类型 押金扣收 金额 ¥299.00", "2024-07-01"},
		{"您的机具流量卡年费99元将于2099-06-10从结算资金中扣收", ""}, // in the future
		{"没有日期的短信", ""},
	} {
		if got := DateIn(c.in, now); got != c.want {
			t.Errorf("DateIn(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzParseMonthOrDate(f *testing.F) {
	for _, s := range []string{"2022年3月", "March 2022", "3/2022", "2022-03-15", "昨天", "2022年13月", "１/２０２２", "去年4月", "前年的3月份", "上个月", "本月"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseMonthOrDate(s, testNow())
		if err != nil {
			return
		}
		if _, ok := d.Time(); !ok {
			t.Fatalf("ParseMonthOrDate(%q) = %q, which is not a date", s, d)
		}
		if d.Month() > "2026-11" || d.Month() < "2000-01" {
			t.Fatalf("ParseMonthOrDate(%q) = %q, out of range", s, d)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.38%", "千分之3.8", "0.6", "12%", "万分之60"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if again, err := ParseRate(r); err != nil || again != r {
			t.Fatalf("ParseRate(%q) = %q, which reads back as %q, %v", s, r, again, err)
		}
	})
}

func TestCapitalized(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"lakala", "Lakala"},
		{"Lakala", "Lakala"},
		{"lkl", "Lkl"},
		{"", ""},
		{"拉卡拉", "拉卡拉"},
		{"9pay", "9pay"},
	} {
		if got := capitalized(tc.in); got != tc.want {
			t.Errorf("capitalized(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseRates(t *testing.T) {
	for _, c := range []struct{ in, old, new string }{
		{"原来0.38%，现在0.6%", "0.38%", "0.6%"},
		{"从0.38%涨到了0.6%", "0.38%", "0.6%"},
		{"原来是0.38，后来变成0.6了，今年8月对账才发现", "0.38%", "0.6%"},
		{"千分之3.8调成了千分之6", "0.38%", "0.6%"},
		{"０.３８％调整为０.６３％", "0.38%", "0.63%"},
		{"0.38 -> 0.6", "0.38%", "0.6%"},
		{"从0.38%涨到0.6%，一个月流水5万元，多扣了110元", "0.38%", "0.6%"},
		{"0.38%", "", ""},                  // one rate: ParseRate's
		{"0.38% 0.6%", "", ""},             // two, but nothing says one became the other
		{"原来0.6%，现在还是0.6%", "", ""},        // the same rate
		{"2024年8月调到0.6%", "", ""},          // a date is no rate
		{"原来0.38%，后来0.6%，现在0.72%", "", ""}, // three: which is which is asked
		{"从38%涨到60%", "", ""},              // not a POS rate
		{"从3.8‰涨到6‰", "0.38%", "0.6%"},     // per mille: not 3.8% and 6%
		{"原来是千分之3.8，现在6‰", "0.38%", "0.6%"},
		{"从0.38%涨到6‰", "0.38%", "0.6%"},
	} {
		old, new, ok := ParseRates(c.in)
		if ok != (c.old != "") || old != c.old || new != c.new {
			t.Errorf("ParseRates(%q) = %q, %q, %v; want %q, %q", c.in, old, new, ok, c.old, c.new)
		}
	}
}

func TestCityOfAddress(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"广东省深圳市南山区科技园路1号", "深圳市"},
		{"12 Tianhe Road, Tianhe District, Guangzhou", "广州市"},
		{"88 Nanjing Road, Huangpu, Shanghai", "上海市"},
		{"Room 5, 1 Keji Road, Nanshan, Shenzhen, Guangdong 518000", "深圳市"},
		{"Guangzhou", "广州市"},
		{"Chengdu City", "成都市"},
		{"12 Nanjing Road", ""},        // a street named after a city is no city
		{"Nanjing Road 5, Room 3", ""}, // nor with its number after it
		{"Suzhou", ""},                 // two cities: asked
		{"somewhere by the sea", ""},
	} {
		c, ok := cityOfAddress(tc.addr)
		if c.Name != tc.want || ok != (tc.want != "") {
			t.Errorf("cityOfAddress(%q) = %q, %v; want %q", tc.addr, c.Name, ok, tc.want)
		}
	}
}

func TestParseTurnover(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Fen // 0: none
	}{
		{"3月份刷了8万", 8000000},
		{"每个月流水80000左右", 8000000},
		{"交易额8.5万元", 8500000},
		{"营业额十万", 10000000},
		{"刷卡 12,345.6 元", 1234560},
		{"８月刷了５万", 5000000},
		{"多收了176元", 0},       // the fee itself
		{"手续费扣了300", 0},      // the fee itself
		{"3月刷了8万，4月刷了9万", 0}, // two months: one at a time
		{"不知道", 0},
		{"收了我299", 0},         // the sum taken from them, for the amount question
		{"收了299块，扣的", 0},      // the same
		{"被扣了299，那个月刷了8万", 0}, // both: not the turnover alone
		{"刷了-8万", 0},          // no negative turnover
		{"刷了8千", 800000},      // 8 thousand, not 8 yuan
		{"刷了1.2亿", 0},         // not 1.20 yuan
		{"刷了8千万", 0},          // not 8000
		{"刷了9999999999999万", 0},
	} {
		got, ok := ParseTurnover(c.in)
		if ok != (c.want > 0) || got != c.want {
			t.Errorf("ParseTurnover(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
}

// TestEnglishAddressNamesCity: an address written in English with its city spares the city
// question, as a Chinese one does.
func TestEnglishAddressNamesCity(t *testing.T) {
	s := at(StateContactAddress, func(s *Session) { s.Draft.Contact.City = "" })
	res := step(t, s, "txt:12 Tianhe Road, Tianhe District, Guangzhou")
	if c := res.Session.Draft.Contact; c.City != "广州市" || c.Address != "12 Tianhe Road, Tianhe District, Guangzhou" || res.Session.State == StateContactCity {
		t.Fatalf("contact %+v, state %s", c, res.Session.State)
	}
	res = step(t, s, "txt:12 Nanjing Road")
	if res.Session.State != StateContactCity {
		t.Fatalf("an address without a city: state %s", res.Session.State)
	}
}

func TestLatinName(t *testing.T) {
	ps := providers.Embedded()
	for key, want := range map[string]string{"lakala": "Lakala", "shengpay": "Shengfutong", "": "", "nosuch": ""} {
		if got := latinName(ps, key); got != want {
			t.Errorf("latinName(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestExtraFee(t *testing.T) {
	for _, c := range []struct {
		turnover Fen
		old, new string
		want     Fen // 0: none
	}{
		{8000000, "0.38%", "0.6%", 17600},
		{10000000, "0.38%", "0.6%", 22000},
		{5000000, "0.55%", "0.63%", 4000},
		{333, "0.38%", "0.6%", 1},
		{8000000, "0.6%", "0.38%", 0}, // a rate that fell took nothing more
		{8000000, "", "0.6%", 0},
		{8500000, "0.38%", "0.3801%", 9},    // 8.5 fen, half up: a float difference gave 8
		{250, "0.4%", "0.6%", 1},            // 0.5 fen: a float difference gave none
		{100000000000, "0.38%", "9.99%", 0}, // beyond MaxAmount
		{100000000001, "0.38%", "0.6%", 0},  // beyond any turnover read
		{-8000000, "0.38%", "0.6%", 0},
		{8000000, "0.38%", "0.6", 17600},
		{8000000, "abc", "0.6%", 0},
	} {
		got, ok := ExtraFee(c.turnover, c.old, c.new)
		if ok != (c.want > 0) || got != c.want {
			t.Errorf("ExtraFee(%v, %s, %s) = %v, %v; want %v", c.turnover, c.old, c.new, got, ok, c.want)
		}
	}
}

func TestEnglishBody(t *testing.T) {
	for body, want := range map[string]string{"中国人民银行北京市分行": "People's Bank of China, Beijing Branch", "某某区消费者协会": "", "": ""} {
		if got := englishBody(body); got != want {
			t.Errorf("englishBody(%q) = %q, want %q", body, got, want)
		}
	}
}

func TestSplitMerchant(t *testing.T) {
	for _, c := range []struct{ in, name, number string }{
		{"老王便利店，商户号822584053110123", "老王便利店", "822584053110123"},
		{"老王便利店 822584053110123", "老王便利店", "822584053110123"},
		{"川味小馆，商户编号：8225 8405 3110 123。", "川味小馆", "822584053110123"},
		{"商户号822584053110123，老王便利店", "老王便利店", "822584053110123"},
		{"Li's noodle shop 822584053110123", "Li's noodle shop", "822584053110123"},
		{"老王便利店", "", ""},
		{"822584053110123", "", ""},
		{"老王便利店 123", "", ""},                       // no merchant number
		{"822584053110123 822584053110124", "", ""}, // two numbers
		{"老王便利店 13812345678", "", ""},               // a mobile number: not the merchant number
		{"老王便利店 电话138-1234-5678", "", ""},           // the same
		{"老王3号店 13812345678", "", ""},
		{"老王便利店，商户号13812345678", "老王便利店", "13812345678"}, // said to be the merchant number
	} {
		name, number, ok := SplitMerchant(c.in)
		if ok != (c.name != "") || name != c.name || number != c.number {
			t.Errorf("SplitMerchant(%q) = %q, %q, %v; want %q, %q", c.in, name, number, ok, c.name, c.number)
		}
	}
}

// TestKeepArgsCountDays: the privacy notice's periods are sub-messages with their own count, so
// that a retention of one day reads "1 day".
func TestKeepArgsCountDays(t *testing.T) {
	st := &stepper{in: Input{SessionDays: 1, RetentionDays: 0}}
	args := st.keepArgs()
	for name, want := range map[string]int{"SessionDays": 1, "RetentionDays": DefaultRetentionDays} {
		x, ok := args[name].(Text)
		if !ok || x.Key != "days" || x.Args["Count"] != want {
			t.Errorf("%s = %#v, want the message days with Count %d", name, args[name], want)
		}
	}
}

func TestDeductionWords(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		in         string
		fen        Fen
		date, rest string // date "": not read
	}{
		{"2024年3月15日 微信转给业务员 299", 29900, "2024-03-15", "微信转给业务员"},
		{"299元，2024-03-15，微信转账给张经理", 29900, "2024-03-15", "微信转账给张经理"},
		{"去年3月10号从结算款扣了99", 9900, "2025-03-10", "从结算款扣了"},
		{"2024年3月15日 299", 29900, "2024-03-15", ""},
		{"2024年3月 微信转给业务员 299", 0, "", ""},     // no day
		{"2024年3月15日 交了299又交了99", 0, "", ""},   // two sums
		{"3月15日和4月15日 各299", 0, "", ""},        // two dates
		{"微信转给业务员 299", 0, "", ""},             // no date
		{"2024年3月15日 微信转给业务员 2万", 0, "", ""},   // 20000 yuan, not 2.00
		{"2024年3月15日 微信转给业务员 1.5千", 0, "", ""}, // not 1.50
		{"2024年3月15日 微信转给业务员 -299", 0, "", ""}, // no negative deduction
		{"2024年3月15日 微信转给业务员 1,299", 129900, "2024-03-15", "微信转给业务员"},
		{"2024年3月15日，299，微信转账", 29900, "2024-03-15", "微信转账"},
	} {
		ad, rest, ok := DeductionWords(c.in, now)
		if ok != (c.date != "") || ok && (ad.Amount != c.fen || string(ad.Date) != c.date || rest != c.rest) {
			t.Errorf("DeductionWords(%q) = %+v, %q, %v; want %v %s %q", c.in, ad, rest, ok, c.fen, c.date, c.rest)
		}
	}
	// a date without its year is said to be assumed, as ParseAmountDate says it
	for in, assumed := range map[string]bool{"3月15日 微信转给业务员 299": true, "2024年3月15日 微信转给业务员 299": false, "去年3月10号从结算款扣了99": false, "昨天 微信 299": false} {
		if ad, _, ok := DeductionWords(in, now); !ok || ad.YearAssumed != assumed {
			t.Errorf("DeductionWords(%q) = %+v, %v; want YearAssumed %v", in, ad, ok, assumed)
		}
	}
}
