package document_test

import (
	"slices"
	"testing"

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
