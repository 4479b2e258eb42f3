package document

import (
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"complaintbot/flows"
)

//go:embed labels.toml
var labelsTOML string

// labels are one language's labels and fixed phrases, read from labels.toml.
type labels struct {
	FilePrefix    string `toml:"file_prefix"`
	DocTitle      string `toml:"doc_title"`
	ReportPrefix  string `toml:"report_prefix"`
	ReportTitle   string `toml:"report_title"`
	DateLayout    string `toml:"date_layout"`
	ListItem      string `toml:"list_item"`
	CellSeparator string `toml:"cell_separator"`
	FullStop      string `toml:"full_stop"`

	Complainant map[string]string `toml:"complainant"`
	Charge      map[string]string `toml:"charge"`
	Method      map[string]string `toml:"method"`
	Channel     map[string]string `toml:"channel"`
	Disclosure  map[string]string `toml:"disclosure"`
	Argument    map[string]string `toml:"argument"`
	Proceedings map[string]string `toml:"proceedings"`
	Request     map[string]string `toml:"request"`
	Evidence    map[string]string `toml:"evidence"`
	// Fact labels the answers the question table states by name (flows.Question.Document).
	Fact    map[string]string `toml:"fact"`
	Lead    map[string]string `toml:"lead"`    // by charge kind: the claim opening the legal basis
	Foreign map[string]string `toml:"foreign"` // what each piece of user text in another language is
	Gist    map[string]string `toml:"gist"`    // by article key: a one-line summary (English only)
	Parties map[string]string `toml:"parties"` // <letter>_who, <letter>_them, <letter>_who_title
	Role    map[string]string `toml:"role"`    // who acts for a company complainant
}

// loadLabels decodes labels.toml and checks that every language has every label.
func loadLabels() (map[flows.Lang]labels, error) {
	var ls map[flows.Lang]labels
	md, err := toml.Decode(labelsTOML, &ls)
	if err != nil {
		return nil, fmt.Errorf("decode labels: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("labels: unknown key %s", un[0])
	}
	for _, lang := range languages() {
		l, ok := ls[lang]
		if !ok {
			return nil, fmt.Errorf("labels: no table for %q", lang)
		}
		if err := l.check(); err != nil {
			return nil, fmt.Errorf("labels %s: %w", lang, err)
		}
	}
	return ls, nil
}

// check reports a missing label or one that would break the markup.
func (l labels) check() error {
	for name, s := range map[string]string{
		"file_prefix": l.FilePrefix, "doc_title": l.DocTitle,
		"report_prefix": l.ReportPrefix, "report_title": l.ReportTitle, "date_layout": l.DateLayout,
		"list_item": l.ListItem, "cell_separator": l.CellSeparator, "full_stop": l.FullStop,
	} {
		if s == "" {
			return fmt.Errorf("no %s", name)
		}
	}
	if got := fmt.Sprintf(l.ListItem, 1); strings.Contains(got, "%!") {
		return fmt.Errorf("list_item %q does not format one number", l.ListItem)
	}
	for _, layout := range strings.Split(l.DateLayout, "|") {
		if _, err := time.Parse(layout, time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC).Format(layout)); err != nil {
			return fmt.Errorf("date_layout %q: %w", l.DateLayout, err)
		}
	}
	tables := map[string]map[string]string{
		"complainant": l.Complainant, "charge": l.Charge, "method": l.Method, "channel": l.Channel,
		"disclosure": l.Disclosure, "argument": l.Argument, "proceedings": l.Proceedings,
		"request": l.Request, "evidence": l.Evidence, "lead": l.Lead, "role": l.Role,
	}
	for table, values := range enums() {
		for _, v := range values {
			s := tables[table][v]
			if s == "" {
				return fmt.Errorf("no label for %s %q", table, v)
			}
			if strings.ContainsAny(s, "\n\r"+cellSep+lineBreak) {
				return fmt.Errorf("label for %s %q holds a line break or a cell separator", table, v)
			}
		}
	}
	for _, q := range flows.Questions() {
		if q.Document != "" && l.Fact[q.Document] == "" {
			return fmt.Errorf("no label for fact %q (question %s)", q.Document, q.State)
		}
		if strings.ContainsAny(l.Fact[q.Document], "\n\r"+cellSep+lineBreak) {
			return fmt.Errorf("label for fact %q holds a line break or a cell separator", q.Document)
		}
	}
	for _, letter := range letters() {
		for _, k := range []string{"_who", "_them", "_who_title"} {
			if l.Parties[string(letter)+k] == "" {
				return fmt.Errorf("no parties.%s%s", letter, k)
			}
		}
	}
	for _, k := range []string{"agent", "description", "reply", "request", "terms", "terms_how", "period", "heading", "evidence"} {
		if l.Foreign[k] == "" {
			return fmt.Errorf("no foreign.%s", k)
		}
	}
	return nil
}

// label looks up the label of an enum value; an empty value has the empty label.
func label(table map[string]string, kind, value string) (string, error) {
	if value == "" {
		return "", nil
	}
	s, ok := table[value]
	if !ok {
		return "", fmt.Errorf("no label for %s %q", kind, value)
	}
	return s, nil
}

// enums lists, per labels table, the values flows defines (flows.Enums); each needs a label
// in every language, which New checks at start-up. The argument table explains each
// disclosure answer.
func enums() map[string][]string {
	out := map[string][]string{}
	for _, e := range flows.Enums() {
		switch e.Name {
		case "complainant", "charge", "method", "channel", "disclosure", "proceedings", "request", "evidence":
			out[e.Name] = e.Values
		}
		switch e.Name {
		case "disclosure":
			out["argument"] = e.Values
		case "charge":
			out["lead"] = e.Values
		}
	}
	out["role"] = strs(flows.RoleLegalRep, flows.RoleAuthorised)
	return out
}

// strs converts string-typed enum values to strings.
func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
