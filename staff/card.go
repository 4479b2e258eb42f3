package staff

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
)

// Limits of a case card.
const (
	cardHistory   = 20  // history entries shown at most; the oldest give way first
	maxTopicName  = 128 // Telegram's limit on a forum topic's name
	maxTopicParty = 40  // characters of the provider's name in a topic name
)

// staffData is a staff button's callback data: "s:<action>:<case id>", well under 64 bytes.
func staffData(a flows.CaseAction, id string) string { return "s:" + string(a) + ":" + id }

// parseStaffData reads staffData.
func parseStaffData(data string) (flows.CaseAction, string, bool) {
	rest, ok := strings.CutPrefix(data, "s:")
	if !ok || len(data) > 64 {
		return "", "", false
	}
	a, id, ok := strings.Cut(rest, ":")
	// an unknown action or an id without a number is refused here (found by FuzzStaffData)
	if !ok || !strings.HasPrefix(id, "C-") || len(id) == 2 || !slices.Contains(flows.CaseActions(), flows.CaseAction(a)) {
		return "", "", false
	}
	return flows.CaseAction(a), id, true
}

// cardActions are the buttons a case in status st offers.
func cardActions(st flows.Status) [][]flows.CaseAction {
	if st.Closed() {
		return [][]flows.CaseAction{{flows.ActReopen, flows.ActNote}}
	}
	return [][]flows.CaseAction{{flows.ActClaim, flows.ActAsk}, {flows.ActResolve, flows.ActReject}, {flows.ActNote}}
}

// cardKeyboard is a case card's buttons.
func (d *Desk) cardKeyboard(c flows.Complaint) *models.InlineKeyboardMarkup {
	var rows [][]models.InlineKeyboardButton
	for _, actions := range cardActions(c.Status) {
		var row []models.InlineKeyboardButton
		for _, a := range actions {
			row = append(row, models.InlineKeyboardButton{
				Text: plainText(d.staffText("staff_btn_"+string(a), nil)), CallbackData: staffData(a, c.ID),
			})
		}
		rows = append(rows, row)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// cardText is a case card: the facts staff act on and the case's history. It names nobody by
// their Telegram account: the contact details are the ones the complainant gave for the
// complaint.
func (d *Desk) cardText(c flows.Complaint, th flows.StaffThread) (string, error) {
	notGiven := flows.Text{Key: "not_given"}
	orNot := func(s string) any {
		if s == "" {
			return notGiven
		}
		return s
	}
	var deds flows.Lines
	for i, d := range c.Deductions {
		deds = append(deds, flows.Text{Key: "deduction_line", Args: map[string]any{
			"N": i + 1, "Date": orNot(string(d.Date)), "Amount": d.Amount.String(), "Method": enumText("method", "method_", string(d.Method)),
		}})
	}
	var reqs flows.Lines
	for _, r := range c.Requests {
		t := flows.Text{Key: "request_" + string(r), Args: map[string]any{"On": false, "Total": c.Total().String(), "Deposit": c.Charge == flows.ServiceFee && !flows.NoReturnPromised(c)}}
		switch {
		case r == flows.RequestOther && c.OtherRequest != "":
			t = flows.Text{Key: "staff_request_other", Args: map[string]any{"Text": c.OtherRequest}}
		case !known("request", string(r)):
			t = flows.Text{Key: "staff_request_other", Args: map[string]any{"Text": string(r)}}
		}
		reqs = append(reqs, t)
	}
	var contact []string
	for _, s := range []string{c.Contact.Name, c.Contact.Phone, c.Contact.City} {
		if s != "" {
			contact = append(contact, s)
		}
	}
	var holder any = flows.Text{Key: "staff_nobody"}
	if a := c.Assignee(); a != "" {
		holder = who(a)
	}
	replied := ""
	if !th.Replied.IsZero() {
		replied = d.stamp(th.Replied)
	}
	args := map[string]any{
		"CaseID":      c.ID,
		"Status":      statusText(c, th),
		"Complainant": enumText("complainant", "complainant_", string(c.Complainant)),
		"Provider":    orNot(c.Provider.Name),
		"Charge":      enumText("charge", "charge_", string(c.Charge)),
		"Total":       c.Total().String(),
		"Deducted":    flows.Text{Key: "staff_card_deducted", Args: map[string]any{"Count": len(c.Deductions)}},
		"Deductions":  deds,
		"Learned":     orNot(string(c.LearnedOn)),
		"Contract":    orNot(string(c.ContractDate)),
		"Requests":    reqs,
		"Route":       flows.Text{Key: "route_" + string(c.Complainant)},
		"Body":        orNot(c.Body),
		"Evidence":    flows.Text{Key: "staff_card_evidence", Args: map[string]any{"Count": len(c.Evidence)}},
		"Contact":     orNot(strings.Join(contact, " · ")),
		"Lang":        flows.Text{Key: "lang_" + langKey(c.Lang)}, // staff write to them in it
		"Who":         holder,
		"Replied":     replied,
		"Resent":      th.CardAttempts > 1,
	}
	if !known("complainant", string(c.Complainant)) {
		args["Route"] = notGiven
	}
	hist := d.historyLines(c.History)
	for shown := len(hist); ; shown-- {
		lines := hist[len(hist)-shown:]
		if shown < len(hist) {
			lines = append(flows.Lines{{Key: "staff_hist_more", Args: map[string]any{"Count": len(hist) - shown}}}, lines...)
		}
		args["History"] = lines
		text, err := d.cat.Render(d.staffLang(), "staff_card", args, html.EscapeString)
		if err != nil {
			return "", fmt.Errorf("render the card of %s: %w", c.ID, err)
		}
		if fu, ok := followLine(c); ok {
			line, err := d.cat.Render(d.staffLang(), fu.Key, fu.Args, html.EscapeString)
			if err != nil {
				return "", fmt.Errorf("render the card of %s: %w", c.ID, err)
			}
			text += "\n" + line
		}
		if fits(text) || shown == 0 {
			return clip(text), nil
		}
	}
}

// known reports whether v is a value of flows' set of values set (flows.Enums): one this
// release has messages for. A record written by another release may hold others.
func known(set, v string) bool {
	for _, e := range flows.Enums() {
		if e.Name == set {
			return slices.Contains(e.Values, v)
		}
	}
	return false
}

// enumText names value v of set by its message (prefix + v); one this release does not know by
// the stored value itself, which has no message to render; an empty one as not given.
func enumText(set, prefix, v string) any {
	switch {
	case known(set, v):
		return flows.Text{Key: prefix + v}
	case v == "":
		return flows.Text{Key: "not_given"}
	}
	return v
}

// statusText is a case's status as staff see it: a case waiting for its complainant shows as
// answered once they wrote back since staff last acted, the turn being staff's again.
func statusText(c flows.Complaint, th flows.StaffThread) flows.Text {
	if answered(c, th) {
		return flows.Text{Key: "staff_status_answered"}
	}
	return flows.Text{Key: "staff_status_" + string(c.Status)}
}

// answered reports whether case c waits for its complainant and they wrote back since staff
// last acted on it.
func answered(c flows.Complaint, th flows.StaffThread) bool {
	return c.Status == flows.StatusWaiting && th.Replied.After(c.Updated())
}

// langKey is the suffix of the message naming language l (lang_zh, lang_en): Chinese when the
// record names none, as the desk then writes to the complainant.
func langKey(l flows.Lang) string {
	if l == flows.LangEN {
		return "en"
	}
	return "zh"
}

// historyLines renders the last cardHistory entries of a case's history.
func (d *Desk) historyLines(h []flows.StatusChange) flows.Lines {
	if len(h) > cardHistory {
		h = h[len(h)-cardHistory:]
	}
	var ls flows.Lines
	for _, e := range h {
		var note any = e.Note
		if e.Note == "" && flows.CaseAction(e.Event).NeedsText() {
			note = flows.Text{Key: "staff_note_erased"} // erasure takes the texts: they may name the complainant
		}
		args := map[string]any{"At": d.stamp(e.At), "Who": who(e.By), "Note": note,
			"Status": flows.Text{Key: "staff_status_" + string(e.Status)}}
		key := "staff_hist_other"
		switch {
		case e.Event != "" && validAction(flows.CaseAction(e.Event)):
			key = "staff_hist_" + e.Event
		case e.Status == flows.StatusSubmitted:
			key = "staff_hist_submitted"
		case e.Status == flows.StatusEscalated:
			key = "staff_hist_escalated"
		}
		ls = append(ls, flows.Text{Key: key, Args: args})
	}
	return ls
}

func validAction(a flows.CaseAction) bool {
	for _, x := range flows.CaseActions() {
		if x == a {
			return true
		}
	}
	return false
}

// stamp formats a time for staff, in Config.Location.
func (d *Desk) stamp(t time.Time) string { return t.In(d.cfg.Location).Format("2006-01-02 15:04") }

// fits reports whether an HTML message is within Telegram's limit (the markup counted too, so
// the check errs on the safe side).
func fits(text string) bool { return len(utf16.Encode([]rune(text))) <= messageLimit }

// clip cuts a message that is still too long, at a line.
func clip(text string) string {
	for !fits(text) {
		i := strings.LastIndexByte(text, '\n')
		if i <= 0 {
			return string([]rune(text)[:messageLimit/2])
		}
		text = text[:i]
	}
	return text
}

// topicName is the name of a case's forum topic: its id, provider and total, as plain text;
// again marks a topic created again after an attempt that may have left an empty one.
func (d *Desk) topicName(c flows.Complaint, again bool) string {
	party := c.Provider.Name
	if utf8.RuneCountInString(party) > maxTopicParty {
		party = string([]rune(party)[:maxTopicParty]) + "…"
	}
	s, err := d.cat.Render(d.staffLang(), "staff_topic_name",
		map[string]any{"CaseID": c.ID, "Provider": party, "Total": c.Total().String(), "Again": again}, nil)
	if err != nil {
		s = c.ID
	}
	if r := []rune(s); len(r) > maxTopicName {
		s = string(r[:maxTopicName])
	}
	return s
}
