package document_test

import (
	"slices"
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
)

// TestGoldenBodiesFollowRoutes checks that every golden complaint is addressed as DOMAIN.md §2
// says it should be: when the routes for its complainant and respondent are known, its
// receiving body is one of them — a consumer's consumer association or market regulator of the
// place where the respondent is registered (not the user's own city), a merchant's PBOC branch.
// A golden document is what reviewers read as the bot's output, so it must not teach a wrong
// address.
func TestGoldenBodiesFollowRoutes(t *testing.T) {
	for _, tc := range cases() {
		routes := flows.Routes(tc.c, nil)
		if len(routes) == 0 {
			continue
		}
		var bodies []string
		for _, r := range routes {
			bodies = append(bodies, r.Body)
		}
		if !slices.Contains(bodies, tc.c.Body) {
			t.Errorf("%s is addressed to %s; its routes are %v", tc.name, tc.c.Body, bodies)
		}
	}
}

// TestReportBody checks where a 举报 goes (DOMAIN.md §2): the market regulator of the place where
// the respondent is registered — from the provider data, else from the respondent's address the
// user gave — and only without either the complainant's own city's.
func TestReportBody(t *testing.T) {
	for _, c := range []struct {
		name string
		c    flows.Complaint
		want string
	}{
		{"known provider", flows.Complaint{Provider: flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
			Contact: flows.Contact{City: "深圳"}}, "北京市市场监督管理局"},
		{"unknown provider with an address", flows.Complaint{Provider: flows.Provider{Name: "某某支付服务有限公司",
			Address: "上海市浦东新区张江路88号"}, Contact: flows.Contact{City: "深圳"}}, "上海市市场监督管理局"},
		{"nothing but the user's city", flows.Complaint{Provider: flows.Provider{Name: "某某支付服务有限公司"},
			Contact: flows.Contact{City: "深圳"}}, "深圳市市场监督管理局"},
		{"nothing known", flows.Complaint{Provider: flows.Provider{Name: "某某支付服务有限公司"}}, ""},
	} {
		if got := document.ReportBody(c.c); got != c.want {
			t.Errorf("%s: ReportBody = %q, want %q", c.name, got, c.want)
		}
	}
}
