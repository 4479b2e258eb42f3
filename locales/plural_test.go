package locales

import (
	"strings"
	"testing"
	"testing/fstest"

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
