package flows

import (
	"fmt"
	"testing"
	"unicode/utf8"
)

func TestMaskNumbers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"bank card after a label", "卡号6222021234567890123", "卡号6222***********0123"},
		{"sixteen-digit card", "card 6222021234567890.", "card 6222********7890."},
		{"bank card in groups of four with a short last group",
			"6222 0212 3456 7890 123", "6222 **** **** ***0 123"},
		{"bank card in groups with dashes", "6222-0212-3456-7890", "6222-****-****-7890"},
		{"bank card in groups with a one-digit last group",
			"6222 0212 3456 7890 1", "6222 **** **** *890 1"},
		{"grouped card followed by an amount",
			"扣款卡 6222 0212 3456 7890 123 199元", "扣款卡 6222 **** **** ***0 123 199元"},
		{"grouped card followed by a comma", "卡号 6222 0212 3456 7890，手机 138 0013 8000",
			"卡号 6222 **** **** 7890，手机 138 0013 8000"},
		{"grouped card after a short group", "第2 6222 0212 3456 7890", "第2 6222 **** **** 7890"},
		{"id card with X", "身份证 11010519491231002X", "身份证 1101**********002X"},
		{"id card with lower-case x and a full stop", "11010519491231002x。", "1101**********002x。"},
		{"id card with X then chinese", "11010519491231002X号", "1101**********002X号"},
		{"eighteen-digit id card", "110105194912310021", "1101**********0021"},
		{"old fifteen-digit id card", "旧证110105491231002", "旧证1101*******1002"},
		{"id card in groups 6-8-4", "110105 19491231 0021", "1101** ******** 0021"},
		{"id card in groups 6-8-3X", "110105 19491231 002X", "1101** ******** 002X"},
		{"full-width digits", "６２２２０２１２３４５６７８９０１２３", "６２２２***********０１２３"},
		{"full-width groups", "６２２２　０２１２　３４５６　７８９０", "６２２２　****　****　７８９０"},
		{"inside markdown stars", "**6222021234567890123**", "**6222***********0123**"},
		{"two numbers", "卡6222021234567890123 证11010519491231002X",
			"卡6222***********0123 证1101**********002X"},

		{"mobile number left", "手机13800138000", "手机13800138000"},
		{"mobile number in groups left", "138 0013 8000", "138 0013 8000"},
		{"mobile number with country code left", "+86 138 0013 8000", "+86 138 0013 8000"},
		{"mobile number with glued country code left", "8613800138000", "8613800138000"},
		{"fourteen digits left", "12345678901234", "12345678901234"},
		{"twenty-digit order number left", "12345678901234567890", "12345678901234567890"},
		{"five groups of four left", "1234 5678 9012 3456 7890", "1234 5678 9012 3456 7890"},
		{"three groups of four left", "1234 5678 9012", "1234 5678 9012"},
		{"mixed separators left", "6222 0212-3456 7890", "6222 0212-3456 7890"},
		{"double spaces left", "6222  0212  3456  7890", "6222  0212  3456  7890"},
		{"dates left", "2024-05-01 至 2024-06-01", "2024-05-01 至 2024-06-01"},
		{"already masked left", "6222***********0123", "6222***********0123"},
		{"short text left", "199元", "199元"},
		{"empty left", "", ""},
		{"invalid utf-8 kept", "\xff6222021234567890123\xfe", "\xff6222***********0123\xfe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MaskNumbers(tt.in)
			if got != tt.want {
				t.Errorf("MaskNumbers(%q) = %q; want %q", tt.in, got, tt.want)
			}
			if again := MaskNumbers(got); again != got {
				t.Errorf("MaskNumbers(%q) = %q; masking is not idempotent", got, again)
			}
			if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
				t.Errorf("MaskNumbers(%q) = %q; rune count changed", tt.in, got)
			}
		})
	}
}

func ExampleMaskNumbers() {
	fmt.Println(MaskNumbers("扣款卡 6222 0212 3456 7890 123，身份证 11010519491231002X，电话 13800138000"))
	// Output:
	// 扣款卡 6222 **** **** ***0 123，身份证 1101**********002X，电话 13800138000
}
