package paste

import (
	"strings"
	"testing"
)

// TestLexicon holds scan to what strings.Contains says of each list.
func TestLexicon(t *testing.T) {
	lists := [][]string{clauseExclusions, takeVerbs, settlementWords, {"SIM", "已"}, {"扣"}}
	x := newLexicon(lists...)
	for _, s := range []string{
		"",
		"您的注销服务费199.00元已于2024年05月01日从结算款中扣除。",
		"SIM卡年费99元",
		"退款成功",
		"扣",
		"结算",
		"如果您未按时缴费，将从结算款中扣除",
		"abc 中文 ＳＩＭ",
	} {
		if got, want := x.scan(s), containsLists(s, lists); got != want {
			t.Errorf("scan(%q) = %b, want %b", s, got, want)
		}
	}
}

// FuzzLexicon: for any text, scan agrees with strings.Contains word by word.
func FuzzLexicon(f *testing.F) {
	lists := [][]string{clauseExclusions, sentenceExclusions, takeVerbs, payVerbs, settlementWords, bankWords, walletWords, {"SIM", "a", "已"}}
	x := newLexicon(lists...)
	for _, s := range []string{"您的注销服务费199.00元已于2024年05月01日从结算款中扣除。", "SIM卡", "\xff扣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := x.scan(s), containsLists(s, lists); got != want {
			t.Errorf("scan(%q) = %b, want %b", s, got, want)
		}
	})
}

// containsLists is what scan should return: bit i when strings.Contains finds a word of
// lists[i] in s.
func containsLists(s string, lists [][]string) uint64 {
	var found uint64
	for i, list := range lists {
		for _, w := range list {
			if strings.Contains(s, w) {
				found |= 1 << i
			}
		}
	}
	return found
}
