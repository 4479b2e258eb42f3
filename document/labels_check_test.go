package document

import (
	"maps"
	"strings"
	"testing"

	"complaintbot/flows"
)

// TestLabelsRefuseMissingValue: for every value of every set flows defines (flows.Enums) that
// the document labels, a language without its label stops New with one line naming it.
func TestLabelsRefuseMissingValue(t *testing.T) {
	ls, err := loadLabels()
	if err != nil {
		t.Fatal(err)
	}
	for table, values := range enums() {
		for _, v := range values {
			l := ls[flows.LangEN]
			tables := map[string]*map[string]string{
				"complainant": &l.Complainant, "charge": &l.Charge, "method": &l.Method, "channel": &l.Channel,
				"disclosure": &l.Disclosure, "argument": &l.Argument, "proceedings": &l.Proceedings,
				"request": &l.Request, "evidence": &l.Evidence, "lead": &l.Lead, "role": &l.Role,
			}
			m := maps.Clone(*tables[table])
			delete(m, v)
			*tables[table] = m
			err := l.check()
			if err == nil || !strings.Contains(err.Error(), table) || !strings.Contains(err.Error(), `"`+v+`"`) || strings.Contains(err.Error(), "\n") {
				t.Errorf("without the label of %s %q: %v", table, v, err)
			}
		}
	}
}

// TestEnglishGistNamesTheArticle: the English rendering quotes each article in Chinese; its gist
// names the law and the article in English, so that the reader knows which one it is.
func TestEnglishGistNamesTheArticle(t *testing.T) {
	ls, err := loadLabels()
	if err != nil {
		t.Fatal(err)
	}
	const pay = "Regulations on the Supervision and Administration of Non-bank Payment Institutions"
	want := map[string]string{
		"cpl26": "Consumer Rights and Interests Protection Law, Article 26",
		"cc496": "Civil Code, Article 496", "cc497": "Civil Code, Article 497", "cc577": "Civil Code, Article 577",
		"pay20": pay + ", Article 20", "pay34": pay + ", Article 34", "pay35": pay + ", Article 35",
		"price13": "Price Law, Article 13",
	}
	gists := ls[flows.LangEN].Gist
	if len(gists) != len(want) {
		t.Errorf("%d gists, %d named here: name the new article's English title", len(gists), len(want))
	}
	for key, g := range gists {
		if !strings.HasPrefix(g, want[key]+", in short: ") || want[key] == "" {
			t.Errorf("gist %s does not start with %q: %q", key, want[key]+", in short: ", g)
		}
	}
}
