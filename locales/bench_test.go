package locales_test

import (
	"html"
	"testing"

	"complaintbot/flows"
	"complaintbot/locales"
)

// BenchmarkRender measures a message: one without an action, a fixed one, one with arguments, and one whose arguments
// are messages themselves (the review's summary lines); plural-en is an English message with
// plural forms, which go-i18n's Localizer renders.
func BenchmarkRender(b *testing.B) {
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name, key string
		args      map[string]any
		lang      flows.Lang
	}{
		{"text", "staff_failed", nil, ""},
		{"plain", "ask_contact_name", nil, ""},
		{"args", "ask_deduction_date", map[string]any{"Amount": "199.00", "CaseID": ""}, ""},
		{"nested", "ask_deduction_more", map[string]any{"Count": 1, "Total": "199.00", "List": flows.Lines{
			{Key: "deduction_line", Args: map[string]any{"N": 1, "Date": "2024-05-01", "Amount": "199.00", "Method": flows.Text{Key: "method_settlement"}}},
		}}, ""},
		{"plural-en", "sum_evidence", map[string]any{"Count": 1}, flows.LangEN},
	} {
		if tc.lang == "" {
			tc.lang = flows.LangZH
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cat.Render(tc.lang, tc.key, tc.args, html.EscapeString); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
