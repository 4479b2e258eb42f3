package flows

import "testing"

// TestLicenceEndedTold: a provider whose payment licence is reported ended (瑞银信) is named with
// the notice that it must still answer for the money it took (DOMAIN.md §2), whether picked by
// its name at "which provider?" or at "its legal name?"; a provider still licensed is not.
func TestLicenceEndedTold(t *testing.T) {
	told := func(res Result) bool {
		for _, r := range res.Replies {
			if r.Key == "provider_licence_ended" {
				return r.Args["Name"] == "瑞银信支付技术有限公司"
			}
		}
		return false
	}
	empty := func(s *Session) { s.Draft.Provider = Provider{} }
	if res := step(t, at(StateProvider, empty), "txt:瑞银信"); !told(res) || res.Session.Draft.Provider.Key != "ruiyinxin" {
		t.Errorf("瑞银信 typed at the provider: provider %+v, replies %+v", res.Session.Draft.Provider, res.Replies)
	}
	// the legal name typed is read as a pasted text naming the provider: taking the reading
	res := step(t, at(StateProviderName, func(s *Session) { s.Draft.Provider = Provider{Typed: "那家POS公司"} }), "txt:瑞银信支付技术有限公司")
	if res.Session.Offer != nil {
		res = step(t, res.Session, "btn:p=all")
	}
	if !told(res) || res.Session.Draft.Provider.Key != "ruiyinxin" {
		t.Errorf("瑞银信's legal name typed: provider %+v, replies %+v", res.Session.Draft.Provider, res.Replies)
	}
	if res := step(t, at(StateProvider, empty), "txt:拉卡拉"); told(res) || res.Session.Draft.Provider.Key != "lakala" {
		t.Errorf("拉卡拉 typed at the provider: provider %+v, replies %+v", res.Session.Draft.Provider, res.Replies)
	}
}
