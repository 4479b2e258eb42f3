package locales

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"

	"complaintbot/flows"
)

// withMessage appends a message's TOML table to a copy of the catalog of lang.
func withMessage(cats fstest.MapFS, lang flows.Lang, table string) {
	f := cats[string(lang)+".toml"]
	f.Data = append(append(f.Data, '\n'), table...)
}

// TestPluralForms: a message with a "one" form renders it in English for a Count of 1 and
// "other" for the rest, as go-i18n's rules say; Chinese, without plural forms, always "other".
func TestPluralForms(t *testing.T) {
	cats := catalogCopy(t)
	withMessage(cats, flows.LangEN, "[test_plural]\none = \"{{.Count}} case{{if .Open}}, open{{end}}\"\nother = \"{{.Count}} cases{{if .Open}}, open{{end}}\"\n")
	withMessage(cats, flows.LangZH, "[test_plural]\nother = \"{{.Count}} 件{{if .Open}}，未结{{end}}\"\n")
	c, err := LoadFS(cats)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang flows.Lang
		args map[string]any
		want string
	}{
		{flows.LangEN, map[string]any{"Count": 1}, "1 case"},
		{flows.LangEN, map[string]any{"Count": 1, "Open": true}, "1 case, open"},
		{flows.LangEN, map[string]any{"Count": 2}, "2 cases"},
		{flows.LangEN, map[string]any{"Count": 0}, "0 cases"},
		{flows.LangEN, map[string]any{"Count": 21}, "21 cases"},
		{flows.LangEN, map[string]any{"Count": int64(1)}, "1 case"},
		{flows.LangEN, map[string]any{"Open": true}, "<no value> cases, open"},
		{flows.LangEN, nil, "<no value> cases"},
		{flows.LangZH, map[string]any{"Count": 1}, "1 件"},
		{flows.LangZH, map[string]any{"Count": 2, "Open": true}, "2 件，未结"},
		{"fr", map[string]any{"Count": 1}, "1 件"},
	} {
		got, err := c.Render(tc.lang, "test_plural", tc.args, nil)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.lang, tc.args, err)
		}
		if got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.args, got, tc.want)
		}
	}
	if _, err := c.Render(flows.LangEN, "test_plural", map[string]any{"Count": 1.5}, nil); err == nil {
		t.Error("a count that is no integer renders")
	}
}

// TestStartupRefusesBrokenPluralForm: a "one" form that does not parse stops start-up, naming
// the message, although "other" is fine.
func TestStartupRefusesBrokenPluralForm(t *testing.T) {
	cats := catalogCopy(t)
	withMessage(cats, flows.LangEN, "[test_plural]\none = \"{{.Count case\"\nother = \"{{.Count}} cases\"\n")
	withMessage(cats, flows.LangZH, "[test_plural]\nother = \"{{.Count}} 件\"\n")
	_, err := LoadFS(cats)
	if err == nil || !strings.Contains(err.Error(), `"test_plural"`) {
		t.Fatalf("start-up with a broken plural form: %v", err)
	}
}

// TestEnglishPlurals renders each English message that counts something with a Count of 1 and
// of 2: "1 case", never "1 cases" or "1 case(s)".
func TestEnglishPlurals(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	list := flows.Lines{{Key: "deduction_line", Args: map[string]any{"N": 1, "Date": "2024-05-01", "Amount": "199.00", "Method": flows.Text{Key: "method_settlement"}}}}
	for _, tc := range []struct {
		key       string
		args      map[string]any
		one, many string
	}{
		{"ask_deduction_more", map[string]any{"Total": "199.00", "List": list}, "1 deduction so far", "2 deductions so far"},
		{"deduction_no_such", map[string]any{"N": 3}, "only 1 is listed", "2 are listed"},
		{"evidence_added_to_case", map[string]any{"CaseID": "C-000001"}, "1 new item of evidence", "2 new items of evidence"},
		{"sum_deductions", map[string]any{"Total": "199.00", "List": list}, "1 deduction, 199.00 yuan", "2 deductions, 199.00 yuan"},
		{"sum_evidence", nil, "Evidence: 1 item", "Evidence: 2 items"},
		{"staff_hist_more", nil, "1 earlier entry", "2 earlier entries"},
		{"staff_stats", map[string]any{"Total": "199.00"}, "1 case, 199.00 yuan", "2 cases, 199.00 yuan"},
		{"staff_stats_line", map[string]any{"Name": "Lakala", "Total": "199.00"}, "Lakala: 1 case,", "Lakala: 2 cases,"},
		{"staff_stats_subline", map[string]any{"Name": "SIM fee", "Total": "99.00"}, "SIM fee: 1 case,", "SIM fee: 2 cases,"},
		{"staff_export_caption", nil, "1 case, without", "2 cases, without"},
		{"staff_unreadable", map[string]any{"IDs": "C-000001"}, "1 case could not be read and is left out", "2 cases could not be read and are left out"},
		{"staff_card_deducted", nil, "1 deduction", "2 deductions"},
		{"days", nil, "1 day", "2 days"},
		{"staff_card_evidence", nil, "1 item", "2 items"},
		{"paste_offer", map[string]any{"Source": "SMS", "Total": "199.00", "List": list}, "1 deduction, <b>199.00</b>", "2 deductions, <b>199.00</b>"},
		{"paste_taken", nil, "Added 1 deduction and", "Added 2 deductions and"},
		{"fu_filed_advice", map[string]any{"Case": "C-000001", "Filed": "2024-06-01", "Due": "2024-06-08"}, "about 1 day,", "about 2 days,"},
	} {
		for n, want := range map[int]string{1: tc.one, 2: tc.many} {
			args := map[string]any{"Count": n}
			for k, v := range tc.args {
				args[k] = v
			}
			s, err := c.Render(flows.LangEN, tc.key, args, nil)
			if err != nil {
				t.Fatalf("%s: %v", tc.key, err)
			}
			if !strings.Contains(s, want) || strings.Contains(s, "(s)") {
				t.Errorf("%s with Count %d: %q, want %q in it", tc.key, n, s, want)
			}
		}
	}
}

// countedNoun is a count followed by an English plural noun ("{{.Count}} cases"): the message
// needs a "one" form.
var countedNoun = regexp.MustCompile(`\{\{\.Count\}\} (?:new )?[a-z]+s\b`)

// TestEnglishCatalogPlurals: no English message hedges with "(s)", and every one that puts a
// plural noun after its Count has a "one" form. Chinese has no plural forms: zh-CN keeps only
// "other".
func TestEnglishCatalogPlurals(t *testing.T) {
	for _, lang := range Languages() {
		b, err := catalogs.ReadFile(string(lang) + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]map[string]string
		if err := toml.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		for key, forms := range raw {
			for form, text := range forms {
				switch {
				case lang == flows.LangZH && form != "other":
					t.Errorf("zh-CN %s has a %q form; Chinese has only \"other\"", key, form)
				case lang == flows.LangEN && strings.Contains(text, "(s)"):
					t.Errorf("en %s says %q", key, text)
				case lang == flows.LangEN && form == "other" && forms["one"] == "" && countedNoun.MatchString(text):
					t.Errorf("en %s has no \"one\" form for %q", key, countedNoun.FindString(text))
				}
			}
		}
	}
}

// TestEnglishExamplesEnglish: the examples an English message gives of what to type are
// English: a rate is no "千分之3.8", an amount no "199元" (Chinese stays where the authority
// needs it, beside the English).
func TestEnglishExamplesEnglish(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	chineseForm := regexp.MustCompile(`千分之|万分之|百分之|[0-9]元`)
	for _, k := range c.Keys() {
		s, err := c.Render(flows.LangEN, k, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m := chineseForm.FindString(s); m != "" {
			t.Errorf("en %s gives the Chinese form %q: %q", k, m, s)
		}
	}
}

// TestPluralUserTextInert: the user's words given to a message with plural forms are data, not
// template: "{{.Total}}" typed as a deduction's label shows as typed, and markup is escaped,
// whichever form (one, other) and language renders it.
func TestPluralUserTextInert(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const typed = `{{.Total}}{{template "x"}}<b>`
	for _, lang := range Languages() {
		for _, n := range []int{1, 2} {
			got, err := c.Render(lang, "ask_deduction_more", map[string]any{"List": typed, "Total": "9.00", "Count": n, "Several": n > 1}, html.EscapeString)
			if err != nil {
				t.Fatalf("%s, %d: %v", lang, n, err)
			}
			if !strings.Contains(got, html.EscapeString(typed)) || strings.Contains(got, "<b>{{") || strings.Count(got, "9.00") != 1 {
				t.Errorf("%s, %d: the typed text was not kept as data: %q", lang, n, got)
			}
		}
	}
}
