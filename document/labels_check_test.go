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
