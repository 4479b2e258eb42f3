package paste_test

import (
	"testing"

	"complaintbot/flows"
	"complaintbot/paste"
	"complaintbot/providers"
)

// TestSameWordsAsFlows keeps the reader's method values and provider keys those of flows,
// which turns a Reading into answers.
func TestSameWordsAsFlows(t *testing.T) {
	for _, c := range []struct {
		paste string
		flows flows.Method
	}{
		{paste.Settlement, flows.FromSettlement},
		{paste.BankCard, flows.FromBankCard},
		{paste.Wallet, flows.FromWallet},
		{paste.Other, flows.FromOther},
	} {
		if c.paste != string(c.flows) {
			t.Errorf("method %q in paste, %q in flows", c.paste, c.flows)
		}
	}
	keys := map[string]bool{}
	for _, k := range paste.ProviderKeys() {
		keys[k] = true
	}
	for _, p := range providers.Embedded().All() {
		if !keys[p.Key] {
			t.Errorf("flows offers provider %q, which paste.Aliases does not name", p.Key)
		}
	}
}
