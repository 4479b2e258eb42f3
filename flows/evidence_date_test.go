package flows

import (
	"strings"
	"testing"
)

// TestEvidenceDateNotInFuture: a date typed for the items just sent is their own date (DOMAIN.md
// §3), so one in the future is refused and asked again, not kept as an item of pasted text
// dated in the future; one in the past dates them.
func TestEvidenceDateNotInFuture(t *testing.T) {
	for _, tc := range []struct {
		text    string
		date    Date
		refused bool
	}{
		{"2024-06-02", "2024-06-02", false},
		{"2027-01-01", "", true},
		{"2026年12月1日", "", true},
		{"1990-01-01", "", true},
	} {
		res := step(t, at(StateEvidence, nil), "file")
		n := len(res.Session.Draft.Evidence)
		res = step(t, res.Session, "txt:"+tc.text)
		ev := res.Session.Draft.Evidence
		if len(ev) != n || ev[n-1].Date != tc.date {
			t.Errorf("%s: %d items, the file dated %q; want %d, %q (%v)", tc.text, len(ev), ev[len(ev)-1].Date, n, tc.date, keys(res.Replies))
		}
		if refused := len(res.Replies) > 0 && strings.HasPrefix(res.Replies[0].Key, "invalid_date"); refused != tc.refused {
			t.Errorf("%s: refused %v, want %v (%v)", tc.text, refused, tc.refused, keys(res.Replies))
		}
	}
}
