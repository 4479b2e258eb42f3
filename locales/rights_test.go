package locales

import (
	"html"
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestRightsLaw checks the /rights texts against DOMAIN.md §4: the articles each kind relies on
// are named in plain words, 第四百九十七条 keeps its 「不合理地」 qualifier wherever it is explained,
// and 消法 第三十九条 appears only in the explanation of routes.
func TestRightsLaw(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh := map[flows.ChargeKind][]string{
		flows.DeregistrationFee: {"条例第三十四条", "价格法第十三条", "民法典第四百九十六条", "民法典第四百九十七条", "消费者权益保护法第二十六条"},
		flows.SIMFee:            {"条例第三十四条", "价格法第十三条", "民法典第四百九十六条", "民法典第四百九十七条"},
		flows.ServiceFee:        {"民法典第五百七十七条", "条例第三十四条", "消费者权益保护法第二十六条"},
		flows.RateIncrease:      {"条例第二十条", "满 30 日", "书面形式", "民法典第四百九十六条"},
		flows.OtherCharge:       {"条例第三十四条", "价格法第十三条"},
	}
	en := map[flows.ChargeKind][]string{
		flows.DeregistrationFee: {"art. 34", "Price Law art. 13", "art. 496", "art. 497"},
		flows.SIMFee:            {"art. 34", "Price Law art. 13", "art. 497"},
		flows.ServiceFee:        {"art. 577", "art. 34"},
		flows.RateIncrease:      {"art. 20", "30 days", "in writing"},
		flows.OtherCharge:       {"art. 34", "Price Law art. 13"},
	}
	for lang, want := range map[flows.Lang]map[flows.ChargeKind][]string{flows.LangZH: zh, flows.LangEN: en} {
		for kind, parts := range want {
			s, err := c.Render(lang, "rights_"+string(kind), nil, html.EscapeString)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range parts {
				if !strings.Contains(s, p) {
					t.Errorf("%s rights_%s lacks %q", lang, kind, p)
				}
			}
			if strings.Contains(s, "第三十九条") || strings.Contains(s, "art. 39") {
				t.Errorf("%s rights_%s cites 消法 第三十九条 as law for a fee", lang, kind)
			}
			if strings.Contains(s, "四百九十七") && !strings.Contains(s, "不合理地") {
				t.Errorf("%s rights_%s explains 第四百九十七条 without 「不合理地」", lang, kind)
			}
			if strings.Contains(s, "art. 497") && !strings.Contains(s, "unreasonably") {
				t.Errorf("%s rights_%s explains art. 497 without \"unreasonably\"", lang, kind)
			}
		}
	}
}
