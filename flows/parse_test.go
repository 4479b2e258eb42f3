package flows

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/width"
)

// parseNow is the moment the parser tests run at: 2026-11-21 10:00 in Shanghai. A fixed zone
// keeps the tests independent of the machine's tzdata.
func parseNow() time.Time {
	return time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Fen
		err  error
	}{
		{"plain yuan", "199", 19900, nil},
		{"amount with yuan", "199元", 19900, nil},
		{"amount with yuan sign and decimals", "¥199.00", 19900, nil},
		{"amount with full-width yuan sign", "￥199", 19900, nil},
		{"amount with thousands separator", "1,299.5", 129950, nil},
		{"full-width digits", "１９９", 19900, nil},
		{"full-width digits, comma, point and unit", "１，２９９．５０元", 129950, nil},
		{"kuai after a space", "199 块", 19900, nil},
		{"kuai qian", "199块钱", 19900, nil},
		{"yuan zheng", "199元整", 19900, nil},
		{"RMB prefix", "RMB 199", 19900, nil},
		{"lower-case rmb prefix without space", "rmb199", 19900, nil},
		{"CNY prefix with one decimal", "CNY 199.9", 19990, nil},
		{"renminbi prefix and yuan suffix", "人民币199元", 19900, nil},
		{"sign and unit together", "¥ 199 元", 19900, nil},
		{"ideographic spaces around", "\u3000199元\u3000", 19900, nil},
		{"trailing full stop", "199元。", 19900, nil},
		{"one fen", "0.01", 1, nil},
		{"no whole part", ".5", 50, nil},
		{"point without decimals", "5.", 500, nil},
		{"leading zeros", "00199", 19900, nil},
		{"the largest amount", "1000000", 100000000, nil},
		{"the largest amount grouped", "1,000,000.00", 100000000, nil},
		{"Chinese numerals", "一百九十九元", 19900, nil},
		{"Chinese numerals with 两", "两千", 200000, nil},
		{"Chinese numerals with 零", "两千零五块", 200500, nil},
		{"Chinese numerals, tens said short", "三百五", 35000, nil},
		{"Chinese numerals, thousands said short", "一万二", 1200000, nil},
		{"Chinese ten alone", "十五元", 1500, nil},
		{"Chinese digits one by one", "一九九", 19900, nil},
		{"capital numerals of a receipt", "壹佰玖拾玖元整", 19900, nil},
		{"Chinese numerals with a point", "九十九点五", 9950, nil},
		{"Chinese numerals, three decimals", "九点九九九", 0, ErrAmountDecimals},
		{"Chinese zero", "零元", 0, ErrAmountPositive},
		{"Chinese numerals beyond the largest", "一千万", 0, ErrAmountTooLarge},
		{"a point and nothing", "九点", 0, ErrAmountFormat},
		{"not a numeral", "一些", 0, ErrAmountFormat},
		{"about", "约300元", 0, ErrAmountApprox},
		{"roughly, in English", "about 300 yuan", 0, ErrAmountApprox},
		{"more or less after", "300元左右", 0, ErrAmountApprox},
		{"and a bit", "300多", 0, ErrAmountApprox},
		{"about nothing readable", "大概吧", 0, ErrAmountFormat},

		{"negative amount re-asks", "-5", 0, ErrAmountPositive},
		{"negative with unicode minus re-asks", "−5", 0, ErrAmountPositive},
		{"negative after yuan sign re-asks", "¥-5", 0, ErrAmountPositive},
		{"negative before yuan sign re-asks", "-¥5", 0, ErrAmountPositive},
		{"huge negative re-asks as negative", "-99999999999999999999", 0, ErrAmountPositive},
		{"zero re-asks", "0", 0, ErrAmountPositive},
		{"zero with decimals re-asks", "0.00元", 0, ErrAmountPositive},
		{"negative zero re-asks", "-0", 0, ErrAmountPositive},
		{"three decimals re-asks", "199.123", 0, ErrAmountDecimals},
		{"a thousandth re-asks", "0.001", 0, ErrAmountDecimals},
		{"three zero decimals re-asks", "199.000", 0, ErrAmountDecimals},
		{"just over the limit re-asks", "1000000.01", 0, ErrAmountTooLarge},
		{"eight digits re-asks", "12345678", 0, ErrAmountTooLarge},
		{"order number re-asks without overflow", "99999999999999999999999999", 0, ErrAmountTooLarge},
		{"words re-ask", "abc", 0, ErrAmountFormat},
		{"empty re-asks", "", 0, ErrAmountFormat},
		{"spaces re-ask", "   ", 0, ErrAmountFormat},
		{"yuan sign alone re-asks", "¥", 0, ErrAmountFormat},
		{"point alone re-asks", ".", 0, ErrAmountFormat},
		{"yuan and jiao re-ask", "199元5角", 0, ErrAmountFormat},
		{"bad thousands grouping re-asks", "1,29", 0, ErrAmountFormat},
		{"comma group after the point re-asks", "12,34.5", 0, ErrAmountFormat},
		{"leading comma re-asks", ",199", 0, ErrAmountFormat},
		{"european decimal comma re-asks", "199,5", 0, ErrAmountFormat},
		{"two points re-ask", "1.2.3", 0, ErrAmountFormat},
		{"space inside the number re-asks", "1 299", 0, ErrAmountFormat},
		{"plus sign re-asks", "+199", 0, ErrAmountFormat},
		{"two minus signs re-ask", "--5", 0, ErrAmountFormat},
		{"exponent re-asks", "1e3", 0, ErrAmountFormat},
		{"arabic-indic digits re-ask", "١٩٩", 0, ErrAmountFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("ParseAmount(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	cst := parseNow().Location()
	tests := []struct {
		name string
		in   string
		now  time.Time // parseNow when zero
		want Date
		err  error
	}{
		{"iso date", "2024-05-01", time.Time{}, "2024-05-01", nil},
		{"slashes without zeros", "2024/5/1", time.Time{}, "2024-05-01", nil},
		{"dots", "2024.5.1", time.Time{}, "2024-05-01", nil},
		{"compact digits", "20240501", time.Time{}, "2024-05-01", nil},
		{"year month day in chinese", "2024年5月1日", time.Time{}, "2024-05-01", nil},
		{"hao for the day", "2024年5月1号", time.Time{}, "2024-05-01", nil},
		{"chinese date without the day mark", "2024年05月01", time.Time{}, "2024-05-01", nil},
		{"spaces between the parts", " 2024 年 5 月 1 日 ", time.Time{}, "2024-05-01", nil},
		{"spaces around dashes", "2024 - 05 - 01", time.Time{}, "2024-05-01", nil},
		{"full-width digits", "２０２４年５月１日", time.Time{}, "2024-05-01", nil},
		{"full-width slashes", "２０２４／５／１", time.Time{}, "2024-05-01", nil},
		{"trailing full stop", "2024年5月1日。", time.Time{}, "2024-05-01", nil},
		{"with a time, as a ledger line has it", "2024-05-01 09:12:33", time.Time{}, "2024-05-01", nil},
		{"with hours and minutes", "2024年05月01日 14:35", time.Time{}, "2024-05-01", nil},
		{"iso with T", "2024-06-10T09:12:33", time.Time{}, "2024-06-10", nil},
		{"slashes with a time", "2024/5/1 8:00", time.Time{}, "2024-05-01", nil},
		{"full-width time", "２０２４－０５－０１　０９：１２", time.Time{}, "2024-05-01", nil},
		{"a time alone is no date", "09:12:33", time.Time{}, "", ErrDateFormat},
		{"a time that is none", "2024-05-01 25:99", time.Time{}, "", ErrDateFormat},
		{"month and day is this year", "5月1日", time.Time{}, "2026-05-01", nil},
		{"last year's month and day", "去年5月1日", time.Time{}, "2025-05-01", nil},
		{"english day month year", "1 May 2024", time.Time{}, "2024-05-01", nil},
		{"english month day, year", "May 1, 2024", time.Time{}, "2024-05-01", nil},
		{"english ordinal of", "1st of May 2024", time.Time{}, "2024-05-01", nil},
		{"english with on, abbreviated, yearless", "on Sept 3rd", time.Time{}, "2026-09-03", nil},
		{"english yearless after today is last year", "Dec 25", time.Time{}, "2025-12-25", nil},
		{"english year first", "2024 May 1", time.Time{}, "2024-05-01", nil},
		{"english abbreviation with a dot", "3 Jan. 2025", time.Time{}, "2025-01-03", nil},
		{"english as a statement prints it", "15-Mar-2024", time.Time{}, "2024-03-15", nil},
		{"english statement form, two-digit year", "15-Mar-24", time.Time{}, "2024-03-15", nil},
		{"english month first with dashes", "Mar-15-2024", time.Time{}, "2024-03-15", nil},
		{"english two-digit year with spaces", "15 Mar 24", time.Time{}, "2024-03-15", nil},
		{"english two-digit number before the month is the day", "24 Mar", time.Time{}, "2026-03-24", nil},
		{"english two-digit year not last", "15 24 Mar", time.Time{}, "", ErrDateFormat},
		{"english impossible day", "30 Feb 2024", time.Time{}, "", ErrDateFormat},
		{"english month alone is no day", "May 2024", time.Time{}, "", ErrDateFormat},
		{"english words around", "may be yesterday", time.Time{}, "", ErrDateFormat},
		{"english two days", "1 2 May", time.Time{}, "", ErrDateFormat},
		{"english future", "1 Dec 2026", time.Time{}, "", ErrDateFuture},
		{"this year's, with hao", "今年5月1号", time.Time{}, "2026-05-01", nil},
		{"the year before last, with de", "前年的12月25日", time.Time{}, "2024-12-25", nil},
		{"last year, spaced", "去年 5 月 1 日", time.Time{}, "2025-05-01", nil},
		{"this year's date after today", "今年12月1日", time.Time{}, "", ErrDateFuture},
		{"last year alone says no day", "去年", time.Time{}, "", ErrDateFormat},
		{"last year and words", "去年的时候", time.Time{}, "", ErrDateFormat},
		{"last month is no day", "上个月", time.Time{}, "", ErrDateFormat},
		{"month and hao", "5月1号", time.Time{}, "2026-05-01", nil},
		// as people type it in a chat: the verb after it, numerals in Chinese, a two-digit year
		{"the verb after it", "3月15号交的", time.Time{}, "2026-03-15", nil},
		{"last year and the verb", "去年3月15号交的", time.Time{}, "2025-03-15", nil},
		{"taken, with a year", "2024年5月1日扣的", time.Time{}, "2024-05-01", nil},
		{"month and day in chinese numerals", "三月十五号", time.Time{}, "2026-03-15", nil},
		{"a date in chinese numerals", "二〇二四年十二月三十一日", time.Time{}, "2024-12-31", nil},
		{"last year in chinese numerals", "去年十月一号", time.Time{}, "2025-10-01", nil},
		{"a two-digit year", "24年3月15日", time.Time{}, "2024-03-15", nil},
		{"day first, as the English write it", "15/3/2024", time.Time{}, "2024-03-15", nil},
		{"month first, as Americans write it", "3/15/2024", time.Time{}, "2024-03-15", nil},
		{"with on", "on 15/3/2024", time.Time{}, "2024-03-15", nil},
		{"day or month first cannot be told", "5/3/2024", time.Time{}, "", ErrDateAmbiguous},
		{"day or month first cannot be told, with dots", "05.03.2024", time.Time{}, "", ErrDateAmbiguous},
		{"day and month the same", "5/5/2024", time.Time{}, "2024-05-05", nil},
		{"one reading in the future leaves the other", "12/11/2026", time.Time{}, "2026-11-12", nil},
		{"both readings too old", "2/1/1999", time.Time{}, "", ErrDateTooOld},
		{"a year of no one's", "2/1/0001", time.Time{}, "", ErrDateTooOld},
		{"no thirteenth month either way", "13/13/2024", time.Time{}, "", ErrDateFormat},
		{"a zero day is no date", "0/3/2024", time.Time{}, "", ErrDateFormat},
		{"a weekday is no numeral", "上周日", time.Time{}, "2026-11-15", nil},
		{"numerals in chinese alone are no date", "三十一", time.Time{}, "", ErrDateFormat},
		{"a verb alone is no date", "交的", time.Time{}, "", ErrDateFormat},
		{"month and day without mark", "5月1", time.Time{}, "2026-05-01", nil},
		{"month slash day", "5/1", time.Time{}, "2026-05-01", nil},
		{"month dash day", "05-01", time.Time{}, "2026-05-01", nil},
		{"month dot day", "5.1", time.Time{}, "2026-05-01", nil},
		{"month and day of today", "11月21日", time.Time{}, "2026-11-21", nil},
		{"month and day after today is last year", "11月22日", time.Time{}, "2025-11-22", nil},
		{"december is last year", "12/25", time.Time{}, "2025-12-25", nil},
		{"leap day without year goes back to a leap year",
			"2月29日", time.Date(2025, 1, 10, 9, 0, 0, 0, cst), "2024-02-29", nil},
		{"today", "今天", time.Time{}, "2026-11-21", nil},
		{"today in classical form", "今日", time.Time{}, "2026-11-21", nil},
		{"yesterday", "昨天", time.Time{}, "2026-11-20", nil},
		{"day before yesterday", "前天", time.Time{}, "2026-11-19", nil},
		{"three days ago", "大前天", time.Time{}, "2026-11-18", nil},
		// parseNow is Saturday 2026-11-21; a week starts on Monday
		{"last week's friday", "上周五", time.Time{}, "2026-11-13", nil},
		{"last week's sunday", "上个星期天", time.Time{}, "2026-11-15", nil},
		{"this week's monday", "这周一", time.Time{}, "2026-11-16", nil},
		{"this week's friday", "本周五", time.Time{}, "2026-11-20", nil},
		{"a weekday alone: the latest", "周五", time.Time{}, "2026-11-20", nil},
		{"today's weekday alone", "星期六", time.Time{}, "2026-11-21", nil},
		{"sunday alone", "礼拜天", time.Time{}, "2026-11-15", nil},
		{"this week's sunday is to come", "这周日", time.Time{}, "", ErrDateFuture},
		{"english last friday", "last Friday", time.Time{}, "2026-11-20", nil},
		{"english last saturday is a week ago", "last saturday", time.Time{}, "2026-11-14", nil},
		{"a weekend is no day", "周末", time.Time{}, "", ErrDateFormat},
		{"a week is no day", "上周", time.Time{}, "", ErrDateFormat},
		{"english today", "Today", time.Time{}, "2026-11-21", nil},
		{"english yesterday", " YESTERDAY ", time.Time{}, "2026-11-20", nil},
		{"yesterday across a month", "昨天", time.Date(2026, 3, 1, 9, 0, 0, 0, cst), "2026-02-28", nil},
		{"yesterday across a year", "yesterday", time.Date(2026, 1, 1, 9, 0, 0, 0, cst), "2025-12-31", nil},
		{"today follows the user's zone, not UTC",
			"今天", time.Date(2026, 11, 21, 0, 30, 0, 0, cst), "2026-11-21", nil},
		{"leap day in a leap year", "2024-02-29", time.Time{}, "2024-02-29", nil},
		{"first accepted day", "2000-01-01", time.Time{}, "2000-01-01", nil},
		{"today in full", "2026-11-21", time.Time{}, "2026-11-21", nil},

		{"tomorrow re-asks", "2026-11-22", time.Time{}, "", ErrDateFuture},
		{"next year re-asks", "2027年1月1日", time.Time{}, "", ErrDateFuture},
		{"far future re-asks", "9999-12-31", time.Time{}, "", ErrDateFuture},
		{"last century re-asks", "1999-12-31", time.Time{}, "", ErrDateTooOld},
		{"year zero re-asks", "0001-01-01", time.Time{}, "", ErrDateTooOld},
		{"leap day of a common year re-asks", "2023-02-29", time.Time{}, "", ErrDateFormat},
		{"february thirtieth re-asks", "2024年2月30日", time.Time{}, "", ErrDateFormat},
		{"leap day without year and no leap year near re-asks", "2月29日", time.Time{}, "", ErrDateFormat},
		{"thirteenth month re-asks", "2024-13-01", time.Time{}, "", ErrDateFormat},
		{"day zero re-asks", "2024-05-00", time.Time{}, "", ErrDateFormat},
		{"thirty-second day re-asks", "5月32日", time.Time{}, "", ErrDateFormat},
		{"month zero re-asks", "0/1", time.Time{}, "", ErrDateFormat},
		{"year and month only re-asks", "2024-5", time.Time{}, "", ErrDateFormat},
		{"chinese year and month only re-asks", "2024年5月", time.Time{}, "", ErrDateFormat},
		{"two-digit year re-asks", "24-5-1", time.Time{}, "", ErrDateFormat},
		{"mixed separators re-ask", "2024-5/1", time.Time{}, "", ErrDateFormat},
		{"day first european order, when the day cannot be a month", "25/12/2024", time.Time{}, "2024-12-25", nil},
		{"three-digit day re-asks", "2024-05-001", time.Time{}, "", ErrDateFormat},
		{"spaces only between numbers re-ask", "2024 5 1", time.Time{}, "", ErrDateFormat},
		{"words re-ask", "上个月", time.Time{}, "", ErrDateFormat},
		{"tomorrow in words re-asks", "明天", time.Time{}, "", ErrDateFormat},
		{"empty re-asks", "", time.Time{}, "", ErrDateFormat},
		{"day mark without day re-asks", "5月日", time.Time{}, "", ErrDateFormat},
		{"ri before yue re-asks", "2024年5日1月", time.Time{}, "", ErrDateFormat},
		{"long compact digits re-ask", "202405011", time.Time{}, "", ErrDateFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.now
			if now.IsZero() {
				now = parseNow()
			}
			got, err := ParseDate(tt.in, now)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("ParseDate(%q, %s) = %q, %v; want %q, %v", tt.in, now, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain mobile", "13800138000", "13800138000"},
		{"with a label", "电话是13988887777", "13988887777"},
		{"with a label and a colon", "手机号：139 8888 7777。", "13988887777"},
		{"with an English label", "my number is +86 139 8888 7777", "13988887777"},
		{"mobile in groups of 3-4-4", "138 0013 8000", "13800138000"},
		{"mobile with dashes", "138-0013-8000", "13800138000"},
		{"plus 86 with spaces", "+86 138 0013 8000", "13800138000"},
		{"plus 86 glued", "+8613800138000", "13800138000"},
		{"0086 prefix", "0086 13800138000", "13800138000"},
		{"86 prefix", "86 13800138000", "13800138000"},
		{"86-prefix with dash", "86-138-0013-8000", "13800138000"},
		{"full-width digits", "１３８００１３８０００", "13800138000"},
		{"full-width plus and ideographic space", "＋８６\u3000１９９００１３８０００", "19900138000"},
		{"mixed width digits", "138 0013 800０", "13800138000"},
		{"second digit 3", "13012345678", "13012345678"},
		{"second digit 9", "19912345678", "19912345678"},
		{"surrounding spaces", "  15912345678\n", "15912345678"},

		{"second digit 2 re-asks", "12800138000", ""},
		{"second digit 0 re-asks", "10800138000", ""},
		{"ten digits re-ask", "1380013800", ""},
		{"twelve digits re-ask", "138001380001", ""},
		{"landline re-asks", "02012345678", ""},
		{"not starting with 1 re-asks", "23800138000", ""},
		{"other country re-asks", "+1 13800138000", ""},
		{"86 prefix on a short number re-asks", "86138001380", ""},
		{"letter inside re-asks", "1380013800a", ""},
		{"plus 86 alone re-asks", "+86", ""},
		{"empty re-asks", "", ""},
		{"parentheses re-ask", "(138)00138000", ""},
		{"dots re-ask", "138.0013.8000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePhone(tt.in)
			if tt.want == "" {
				if err != ErrPhoneFormat || got != "" {
					t.Errorf("ParsePhone(%q) = %q, %v; want ErrPhoneFormat", tt.in, got, err)
				}
				return
			}
			if got != tt.want || err != nil {
				t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseSN(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"digits", "00001234", "00001234"},
		{"letters upper-cased", "n5g0012345", "N5G0012345"},
		{"dashes and spaces removed", "ab12-34 cd", "AB1234CD"},
		{"full-width letters and digits", "ＡＢ１２３４", "AB1234"},
		{"shortest", "ABC123", "ABC123"},
		{"longest", strings.Repeat("A1", 16), strings.Repeat("A1", 16)},
		{"surrounding spaces", " 98765432 \n", "98765432"},
		{"unicode dash removed", "SN1234–5678", "SN12345678"},

		{"five characters re-ask", "AB123", ""},
		{"thirty-three characters re-ask", strings.Repeat("A", 33), ""},
		{"label with colon re-asks", "SN:12345678", ""},
		{"chinese label re-asks", "序列号12345678", ""},
		{"underscore re-asks", "ABC_12345", ""},
		{"dashes only re-ask", "------", ""},
		{"empty re-asks", "", ""},
		{"accented letter re-asks", "ÀBC12345", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSN(tt.in)
			if tt.want == "" {
				if err != ErrSNFormat || got != "" {
					t.Errorf("ParseSN(%q) = %q, %v; want ErrSNFormat", tt.in, got, err)
				}
				return
			}
			if got != tt.want || err != nil {
				t.Errorf("ParseSN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseMerchantNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"fifteen-digit unionpay number", "822584054110001", "822584054110001"},
		{"grouped with spaces", "822 5840 5411 0001", "822584054110001"},
		{"after a label", "商户号：822584054110001", "822584054110001"},
		{"after a label and is", "商户编号是 822584054110001。", "822584054110001"},
		{"with letters upper-cased", "m100012345", "M100012345"},
		{"full-width digits", "８２２５８４０５４１１０００１", "822584054110001"},
		{"shortest", "AB123456", "AB123456"},
		{"exactly six digits", "ABCDEFGH123456", "ABCDEFGH123456"},
		{"longest", "12345678901234567890", "12345678901234567890"},

		{"seven characters re-ask", "1234567", ""},
		{"twenty-one characters re-ask", "123456789012345678901", ""},
		{"five digits re-ask", "ABCDEFG12345", ""},
		{"letters only re-ask", "ABCDEFGHIJ", ""},
		{"a label glued on", "商户号822584054110001", "822584054110001"},
		{"chinese re-asks", "商户号码不记得了", ""},
		{"empty re-asks", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMerchantNumber(tt.in)
			if tt.want == "" {
				if err != ErrMerchantNumberFormat || got != "" {
					t.Errorf("ParseMerchantNumber(%q) = %q, %v; want ErrMerchantNumberFormat", tt.in, got, err)
				}
				return
			}
			if got != tt.want || err != nil {
				t.Errorf("ParseMerchantNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
		err  error
	}{
		{"plain text kept", "代理商说不收费", 0, "代理商说不收费", nil},
		{"surrounding space trimmed", "  hello \n", 0, "hello", nil},
		{"tab becomes a space", "a\tb", 0, "a b", nil},
		{"windows line ends", "a\r\nb\r\n", 0, "a\nb", nil},
		{"old mac line ends", "a\rb", 0, "a\nb", nil},
		{"nul and bell removed", "a\x00b\x07c", 0, "abc", nil},
		{"escape sequence loses its escape", "\x1b[31mred", 0, "[31mred", nil},
		{"c1 control removed", "a\u0085b", 0, "ab", nil},
		{"zero-width space removed", "a\u200bb", 0, "ab", nil},
		{"right-to-left override removed", "abc\u202edcb", 0, "abcdcb", nil},
		{"bidi isolate removed", "\u2066x\u2069", 0, "x", nil},
		{"byte-order mark removed", "\ufeff你好", 0, "你好", nil},
		{"invisible operators removed", "张\u2061\u2062\u2063\u2064三", 0, "张三", nil},
		{"deprecated format characters removed", "张\u206a\u206f三", 0, "张三", nil},
		{"tag characters removed", "张三\U000E0001\U000E0069\U000E0067\U000E006E\U000E007F", 0, "张三", nil},
		{"soft hyphen removed", "张\u00ad三", 0, "张三", nil},
		{"mongolian vowel separator removed", "张\u180e三", 0, "张三", nil},
		{"interlinear annotation removed", "\ufff9张\ufffa三\ufffb", 0, "张三", nil},
		{"combining grapheme joiner removed", "张\u034f三", 0, "张三", nil},
		{"hangul fillers removed", "张\u3164三\u115f\u1160\uffa0", 0, "张三", nil},
		{"noncharacters removed", "张\ufffe三\uffff\ufdd0\U0010FFFF", 0, "张三", nil},
		{"emoji variation selector kept", "❤\ufe0f", 0, "❤\ufe0f", nil},
		{"ideographic variation selector kept", "葛\U000E0100", 0, "葛\U000E0100", nil},
		{"invalid utf-8 dropped", "a\xffb\xc3", 0, "ab", nil},
		{"replacement character kept", "a\ufffdb", 0, "a\ufffdb", nil},
		{"trailing spaces of each line trimmed", "a   \nb\u3000\nc", 0, "a\nb\nc", nil},
		{"leading spaces of inner lines kept", "a\n  b", 0, "a\n  b", nil},
		{"two blank lines kept", "a\n\n\nb", 0, "a\n\n\nb", nil},
		{"five blank lines collapse to two", "a\n\n\n\n\n\nb", 0, "a\n\n\nb", nil},
		{"lines of spaces count as blank", "a\n \n\t\n \n b", 0, "a\n\n\n b", nil},
		{"blank lines at the ends trimmed", "\n\n\na\n\n\n\n", 0, "a", nil},
		{"exactly max runes", "投诉投诉投", 5, "投诉投诉投", nil},
		{"length counted after cleaning", "  abc\u200b  ", 3, "abc", nil},
		{"no limit", strings.Repeat("长", 10000), 0, strings.Repeat("长", 10000), nil},

		{"empty re-asks", "", 0, "", ErrTextEmpty},
		{"only spaces re-ask", " \n\t\u3000 ", 0, "", ErrTextEmpty},
		{"only invisible characters re-ask", "\u200b\ufeff\x00", 0, "", ErrTextEmpty},
		{"only invalid bytes re-ask", "\xff\xfe", 0, "", ErrTextEmpty},
		{"one rune too many re-asks", "投诉投诉投诉", 5, "", TooLongError{Max: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanText(tt.in, tt.max)
			if got != tt.want || err != tt.err {
				t.Errorf("CleanText(%q, %d) = %q, %v; want %q, %v", tt.in, tt.max, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestCleanTextTooLongUnwraps(t *testing.T) {
	_, err := CleanText("abcdef", 5)
	var tl TooLongError
	if !errors.Is(err, ErrTextTooLong) || !errors.As(err, &tl) || tl.Max != 5 {
		t.Fatalf("CleanText(abcdef, 5) error = %v; want TooLongError{Max: 5} wrapping ErrTextTooLong", err)
	}
}

func ExampleParseAmount() {
	for _, s := range []string{"¥199.00", "１，２９９．５元", "-5", "199.999"} {
		f, err := ParseAmount(s)
		fmt.Println(f, err)
	}
	// Output:
	// 199.00 <nil>
	// 1299.50 <nil>
	// 0.00 amount_positive
	// 0.00 amount_decimals
}

func ExampleParseDate() {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, s := range []string{"2024年5月1日", "12月25日", "昨天", "2026-12-01"} {
		d, err := ParseDate(s, now)
		fmt.Printf("%q %v\n", d, err)
	}
	// Output:
	// "2024-05-01" <nil>
	// "2025-12-25" <nil>
	// "2026-11-20" <nil>
	// "" date_future
}

// TestParseAmountLead: an amount with words around it, as typed at the amount question.
func TestParseAmountLead(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		in     string
		amount Fen
		date   Date
		ok     bool
	}{
		{"交了99", 9900, "", true},
		{"被扣了 199元", 19900, "", true},
		{"paid 99", 9900, "", true},
		{"99元，去年3月", 9900, "", true},
		{"99 不记得哪天了", 9900, "", true},
		{"99块去年3月15号", 9900, "2025-03-15", true},
		{"交了99块，24年3月15号", 9900, "2024-03-15", true},
		{"¥199.00 昨天扣的", 19900, "2026-11-20", true},
		{"99", 0, "", false},       // an amount alone: the question reads it
		{"199 200", 0, "", false},  // two sums
		{"不知道多扣了多少", 0, "", false}, // no amount first
		{"去年3月交了99", 0, "", false}, // a date first: the reader's, or asked again
		{"交了", 0, "", false},
		{"-99 退款", 0, "", false},
		{"2025年6月", 0, "", false}, // a month: its year is no amount
		{"2024年3月15日扣的", 0, "", false},
		{"99元去年", 9900, "", true},
		{"300多", 0, "", false},
	} {
		got, ok := ParseAmountLead(c.in, now)
		if ok != c.ok || ok && (got.Amount != c.amount || got.Date != c.date) {
			t.Errorf("ParseAmountLead(%q) = %+v, %v; want %d, %q, %v", c.in, got, ok, c.amount, c.date, c.ok)
		}
	}
}

func TestParseAmountDate(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		in      string
		amount  Fen
		date    Date
		assumed bool
		err     error
	}{
		{"199元 2024年5月1日", 19900, "2024-05-01", false, nil},
		{"2024-05-01 199", 19900, "2024-05-01", false, nil},
		{"¥1,299.50，2024/5/1", 129950, "2024-05-01", false, nil},
		{"199 元   2024-05-01", 19900, "2024-05-01", false, nil},
		{"2024-06-10 09:12:33 ¥99.00", 9900, "2024-06-10", false, nil},
		{"199元 20240501", 19900, "2024-05-01", false, nil},
		{"199元 去年5月1日", 19900, "2025-05-01", false, nil},
		{"99块 24年3月15号", 9900, "2024-03-15", false, nil}, // a two-digit year is a year
		{"99块 三月十五号", 9900, "2026-03-15", true, nil},
		{"199 yuan on 1 May 2024", 19900, "2024-05-01", false, nil},
		{"May 1 99.5", 9950, "2026-05-01", true, nil},
		{"199元 昨天", 19900, "2026-11-20", false, nil},
		{"  99.5 5月1日 ", 9950, "2026-05-01", true, nil}, // the most recent 1 May, said
		{"12/25 48", 4800, "2025-12-25", true, nil},
		{"199", 0, "", false, ErrAmountFormat},               // an amount alone: the question reads it
		{"15 September 2026", 0, "", false, ErrAmountFormat}, // a date alone: its year is no amount
		{"September 15, 2026", 0, "", false, ErrAmountFormat},
		{"99元 上周五", 9900, "2026-11-13", false, nil},        // a weekday is no date without its year
		{"199元 2027-01-01", 0, "", false, ErrAmountFormat}, // a future date is no date
		{"199元 2024年5月1日 退款", 0, "", false, ErrAmountFormat},
		{"2024年5月1日扣了199元", 0, "", false, ErrAmountFormat}, // a sentence: the reader's, offered
		{"13800138000 2024-05-01", 0, "", false, ErrAmountFormat},
		{"199 200", 0, "", false, ErrAmountFormat},
		{"", 0, "", false, ErrAmountFormat},
		{"199元 " + strings.Repeat(" ", 60) + "2024-05-01", 0, "", false, ErrAmountFormat},
	} {
		ad, err := ParseAmountDate(c.in, now)
		if ad.Amount != c.amount || ad.Date != c.date || ad.YearAssumed != c.assumed || err != c.err {
			t.Errorf("ParseAmountDate(%q) = %+v, %v; want %v, %q, assumed %v, %v", c.in, ad, err, c.amount, c.date, c.assumed, c.err)
		}
	}
}

// TestFoldWidth: foldWidth's shortcut agrees with width.Fold on every rune.
func TestFoldWidth(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := "a" + string(r)
		if got, want := foldWidth(s), width.Fold.String(s); got != want {
			t.Fatalf("foldWidth(%q) = %q, width.Fold gives %q", s, got, want)
		}
	}
}

func TestParseRecurring(t *testing.T) {
	for _, c := range []struct {
		in    string
		fen   Fen
		times int // 0: not read
	}{
		{"每年扣99，扣了三年", 9900, 3},
		{"每年扣99元，扣了3年", 9900, 3},
		{"每年扣９９，扣了三年", 9900, 3},
		{"连续三年每年从结算款里扣69元", 6900, 3},
		{"一年69，扣了两年", 6900, 2},
		{"每次扣99，一共扣了3次", 9900, 3},
		{"每年都扣99块钱，已经4年了", 9900, 4},
		{"流量卡每年99元，三年都扣了", 9900, 3},
		{"每月扣20元，扣了十个月", 2000, 10},
		{"每个月扣20，扣了一年", 2000, 12}, // monthly for a year
		{"每月扣20，扣了两年", 0, 0},      // 24: beyond what one complaint holds
		{"每年扣九十九，扣了三年", 9900, 3},
		{"每年扣99", 0, 0},                                   // how many times is not said
		{"扣了三年", 0, 0},                                    // nor the sum
		{"每年扣99，扣了1年", 0, 0},                              // once is one deduction
		{"每年扣99，扣了99年", 0, 0},                             // beyond what one complaint holds
		{"每年扣0元，扣了三年", 0, 0},                              // no sum
		{"2024年扣了99", 0, 0},                               // one deduction with its year
		{"199元 2024年5月1日", 0, 0},                          // an amount with its date
		{"每年扣99，扣了三年，" + strings.Repeat("很气人", 40), 0, 0}, // a long story is a story
		{"每年扣1,299元，扣了三年", 129900, 3},                     // thousands separated: the whole sum
		{"每年扣99万，扣了三年", 0, 0},                             // 990000 yuan each: beyond MaxAmount
		{"每年扣9万，扣了三年", 0, 0},                              // not 9 yuan
		{"每年扣99.999，扣了三年", 0, 0},                          // three decimals: no sum, not 99.99
		{"每年扣9\u200b9，扣了三年", 0, 0},                        // an invisible mark inside: not 9
		{"每年扣一万，扣了两年", 1000000, 2},                        // a Chinese 万 is part of the sum
		{"每年扣99，2019年扣了第一次", 0, 0},                        // a year, not 19 times
		{"每年扣99,2012年扣的", 0, 0},                           // nor 12
		{"每年扣99 2012年扣的", 0, 0},                           // nor 12
		{"每次扣99，100000002次都扣了", 0, 0},                     // not 2 times
		{"每年扣99，1.5年都扣了", 0, 0},                           // not 5
		{"每年扣99，扣了12个月", 0, 0},                            // a yearly fee over 12 months: once, one deduction
		{"每年扣99，扣了24个月", 9900, 2},                         // twice
		{"每年扣99，扣了8个月", 0, 0},                             // not 8 yearly fees
		{"每年扣99，3年都扣了", 9900, 3},                          // a comma, then the count
	} {
		r, ok := ParseRecurring(c.in)
		if ok != (c.times > 0) || ok && (r.Amount != c.fen || r.Times != c.times) {
			t.Errorf("ParseRecurring(%q) = %+v, %v; want %d fen × %d", c.in, r, ok, c.fen, c.times)
		}
	}
}
