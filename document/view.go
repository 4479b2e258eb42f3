package document

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"complaintbot/flows"
)

// view is what a template sees: every value already masked, cleaned, labelled and formatted,
// so templates only place strings. Empty means unknown or not given.
type view struct {
	Type      string // the complainant type's stored value: "consumer", "individual", "company"
	TypeLabel string

	Name, Phone, City, Address   string
	MerchantName, MerchantNumber string

	Respondent string
	Charge     string

	ContractDate    string
	ContractChannel string
	Agent           string
	DeviceSN        string
	Facts           []factView // the answers the question table names (flows.Facts)

	Deductions []deductionView
	Total      string // "199.00"

	Disclosure string // the fact, a sentence
	Argument   string // the legal claim drawn from it, a sentence
	LearnedOn  string

	Negotiation negotiationView
	Proceedings string // a sentence
	Description string

	Requests []requestView
	Evidence []evidenceView

	Body string
	Date string // the date of the complaint, from CreatedAt
}

type factView struct {
	Label, Value string
}

type deductionView struct {
	Date, Amount, Method, Label string
}

type negotiationView struct {
	Tried                        bool
	Date, Channel, Ticket, Reply string
}

type requestView struct {
	Kind string // the stored value, so a template can add the total to "refund"
	Text string // the label, or the user's words for "other"
}

type evidenceView struct {
	Kind, Date, Description string
}

// Rendering details that are not words.
const (
	// lineBreak stands for a line break inside one paragraph of user text: user text never
	// holds "\n" once cleaned, so it cannot start a markup line.
	lineBreak = "\u2028"
	// cellSep separates the cells of a table row and a field's label from its value in the
	// markup; cleaned user text never holds it.
	cellSep = "\x1f"
	// pastedTextRunes is how much of a pasted text the evidence list shows.
	pastedTextRunes = 50
	// ellipsis ends a shortened text.
	ellipsis = "…"
)

// newView prepares c for a template in the language of ls.
func newView(c flows.Complaint, ls labels) (view, error) {
	v := view{
		Type:           string(c.Complainant),
		Name:           userLine(c.Contact.Name),
		Phone:          cleanLine(c.Contact.Phone),
		City:           userLine(c.Contact.City),
		Address:        userLine(c.Contact.Address),
		MerchantName:   userLine(c.MerchantName),
		MerchantNumber: cleanLine(c.MerchantNumber),
		Respondent:     userLine(c.Provider.Name),
		ContractDate:   formatDate(c.ContractDate, ls.DateLayout),
		Agent:          userText(c.Agent),
		DeviceSN:       cleanLine(c.DeviceSN),
		Total:          c.Total().String(),
		LearnedOn:      formatDate(c.LearnedOn, ls.DateLayout),
		Description:    userText(c.Description),
		Body:           userLine(c.Body),
		Date:           formatTime(c.CreatedAt, ls.DateLayout),
	}
	type lookup struct {
		dst         *string
		table       map[string]string
		kind, value string
	}
	lookups := []lookup{
		{&v.TypeLabel, ls.Complainant, "complainant", string(c.Complainant)},
		{&v.Charge, ls.Charge, "charge", string(c.Charge)},
		{&v.ContractChannel, ls.Channel, "channel", string(c.ContractChannel)},
		{&v.Disclosure, ls.Disclosure, "disclosure", string(c.Disclosure)},
		{&v.Argument, ls.Argument, "disclosure", string(c.Disclosure)},
		{&v.Proceedings, ls.Proceedings, "proceedings", string(c.Proceedings)},
	}
	if c.Negotiation.Tried {
		v.Negotiation = negotiationView{
			Tried:  true,
			Date:   formatDate(c.Negotiation.Date, ls.DateLayout),
			Ticket: cleanLine(c.Negotiation.Ticket),
			Reply:  trimStop(userText(c.Negotiation.Reply)),
		}
		lookups = append(lookups, lookup{&v.Negotiation.Channel, ls.Channel, "channel", string(c.Negotiation.Channel)})
	}
	for _, f := range flows.DocumentFacts(c) {
		v.Facts = append(v.Facts, factView{ls.Fact[f.Label], userLine(f.Value)})
	}
	for _, l := range lookups {
		var err error
		if *l.dst, err = label(l.table, l.kind, l.value); err != nil {
			return view{}, err
		}
	}

	for _, d := range c.Deductions {
		method, err := label(ls.Method, "method", string(d.Method))
		if err != nil {
			return view{}, err
		}
		v.Deductions = append(v.Deductions, deductionView{
			Date:   formatDate(d.Date, ls.DateLayout),
			Amount: d.Amount.String(),
			Method: method,
			Label:  userLine(d.Label),
		})
	}
	for _, k := range c.Requests {
		text, err := label(ls.Request, "request", string(k))
		if err != nil {
			return view{}, err
		}
		if k == flows.RequestOther {
			if text = userText(c.OtherRequest); text == "" {
				continue // nothing to ask
			}
		}
		v.Requests = append(v.Requests, requestView{Kind: string(k), Text: text})
	}
	for _, e := range c.Evidence {
		kind, err := label(ls.Evidence, "evidence", string(e.Kind))
		if err != nil {
			return view{}, err
		}
		v.Evidence = append(v.Evidence, evidenceView{
			Kind:        kind,
			Date:        formatTime(e.ReceivedAt, ls.DateLayout),
			Description: evidenceDescription(e),
		})
	}
	return v, nil
}

// evidenceDescription is the caption, else the file name; pasted text is shortened.
func evidenceDescription(e flows.Evidence) string {
	if e.Kind == flows.EvidenceText {
		return shorten(userLine(e.Caption), pastedTextRunes)
	}
	if s := userLine(e.Caption); s != "" {
		return s
	}
	return userLine(e.FileName)
}

// userText masks and cleans free text the user typed, keeping its line breaks as lineBreak.
func userText(s string) string { return clean(flows.MaskNumbers(s), lineBreak) }

// userLine masks and cleans free text the user typed, joining its lines with spaces.
func userLine(s string) string { return clean(flows.MaskNumbers(s), " ") }

// cleanLine cleans an identifier the receiving body needs as given (not masked).
func cleanLine(s string) string { return clean(s, " ") }

// clean makes s safe for the markup and for XML: valid UTF-8, no control characters, line
// breaks (of any kind) replaced by br, blank lines and surrounding space removed.
func clean(s, br string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var lines []string
	for _, line := range strings.FieldsFunc(s, isLineBreak) {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t':
				return ' '
			case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
				return -1
			}
			return r
		}, line)
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, br)
}

// isLineBreak reports whether r ends a line: "\n", "\r", VT, FF, NEL, LS or PS.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// trimStop removes the punctuation that ends s, for text the template quotes and ends itself.
func trimStop(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool { return strings.ContainsRune("。．.；;，,、 ", r) })
}

// shorten cuts s to at most n runes, ending a cut text with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimSpace(string(runes[:n-1])) + ellipsis
}

// formatDate formats a calendar date; an unknown date is empty and a malformed one kept as is.
func formatDate(d flows.Date, layout string) string {
	if d == "" {
		return ""
	}
	t, ok := d.Time()
	if !ok {
		return cleanLine(string(d))
	}
	return t.Format(layout)
}

// formatTime formats the date of t in China, where the complaint is filed; zero is empty.
func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return chinaTime(t).Format(layout)
}

// chinaTime returns t in China Standard Time, UTC+8 all year round since 1991, so a fixed zone
// is exact and needs no time-zone database.
func chinaTime(t time.Time) time.Time {
	return t.In(time.FixedZone("CST", 8*60*60))
}
