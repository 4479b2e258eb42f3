package locales

import (
	"html"
	"strings"
	"testing"

	"complaintbot/flows"
)

// render renders key in lang without arguments, failing the test on an error.
func render(t *testing.T, c *Catalog, lang flows.Lang, key string) string {
	t.Helper()
	s, err := c.Render(lang, key, nil, html.EscapeString)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFilingConsumerRoute checks how a consumer is told to file against DOMAIN.md §2 and §7:
// the consumer association and the market regulator are those of the place where the
// respondent operates or is registered, not the user's own ("local") city; and the only clock
// stated is 消法 第四十六条's seven working days to handle the complaint and tell the consumer,
// not a period to decide on acceptance taken from the unverified 12315 rules.
func TestFilingConsumerRoute(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh := render(t, c, flows.LangZH, "filing_consumer")
	for _, want := range []string{"被投诉人", "经营地", "注册地", "第四十六条", "七个工作日内", "予以处理并告知"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh filing_consumer lacks %q: %s", want, zh)
		}
	}
	for _, bad := range []string{"当地", "决定是否受理", "一般"} {
		if strings.Contains(zh, bad) {
			t.Errorf("zh filing_consumer says %q: %s", bad, zh)
		}
	}
	en := render(t, c, flows.LangEN, "filing_consumer")
	for _, want := range []string{"respondent", "Article 46", "seven working days"} {
		if !strings.Contains(en, want) {
			t.Errorf("en filing_consumer lacks %q: %s", want, en)
		}
	}
	for _, bad := range []string{"local", "whether to accept"} {
		if strings.Contains(en, bad) {
			t.Errorf("en filing_consumer says %q: %s", bad, en)
		}
	}
}
