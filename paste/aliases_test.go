package paste

import (
	"testing"

	"complaintbot/providers"
)

// TestAliasesFromProviders: the names paste reads are package providers' data: every provider
// is named, an operator's change to the data reaches the reader, and the names that are
// ordinary words or begin serial numbers are read as a signature only.
func TestAliasesFromProviders(t *testing.T) {
	named := map[string]bool{}
	for _, k := range ProviderKeys() {
		named[k] = true
	}
	for _, p := range providers.Embedded().All() {
		if !named[p.Key] {
			t.Errorf("provider %s is not read", p.Key)
		}
	}
	for _, tc := range []struct{ text, want string }{
		{"【随行付】您的服务费99.00元已从结算款中扣除", "suixingfu"},
		{"VBILL 扣收服务费99.00元", "suixingfu"},
		{"【海科】您的流量卡费99.00元已扣除", "hkrt"},
		{"我在上海科技园办的机器", ""},
		{"机具SN号：HKRT-00998877", ""},
	} {
		if got := Read(tc.text, defaultNow).Provider; got != tc.want {
			t.Errorf("%q: provider %q, want %q", tc.text, got, tc.want)
		}
	}
}
