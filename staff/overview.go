package staff

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/text/width"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// maxQueueLines bounds /queue's list; the header still counts every open case.
const maxQueueLines = 100

// staffCommand runs a staff command written in the staff chat by user (staff reports whether
// they are staff). Commands that are not ours (for another bot in the group) are left alone;
// ours are refused to anyone but staff. It returns an error wrapping errStore when storage
// failed: the command is then delivered again.
func (d *Desk) staffCommand(ctx context.Context, m *models.Message, user int64, staff func() bool) error {
	cmd, bot, args := splitCommand(m.Text)
	switch cmd {
	case "queue", "case", "stats", "export", "cancel", "pending", "help":
	default:
		return nil
	}
	if bot != "" && !d.self.Addressed(ctx, cmd+"@"+bot) {
		return nil // another bot's command of the same name (a group manager's /help, /cancel@other_bot)
	}
	if !staff() {
		d.replyStaff(ctx, m, "staff_not_staff", nil)
		return nil
	}
	var err error
	switch cmd {
	case "queue":
		err = d.staffQueue(ctx, m)
	case "case":
		err = d.staffCase(ctx, m, args)
	case "stats":
		err = d.staffStats(ctx, m)
	case "export":
		err = d.staffExport(ctx, m)
	case "cancel":
		err = d.staffCancel(ctx, m, user)
	case "pending":
		err = d.staffPending(ctx, m, user)
	case "help":
		d.replyStaff(ctx, m, "staff_help", nil)
	}
	if errors.Is(err, errStore) {
		return err
	}
	if err != nil {
		d.log.Warn("staff command failed", "command", cmd, "err", err)
		d.replyStaff(ctx, m, "staff_failed", nil)
	}
	return nil
}

// splitCommand splits a command ("/case@complaint_bot C-000123") into its name and the bot it
// names, both lower case, and its argument. The argument starts after any space: a Chinese
// keyboard types the ideographic space, and a new line is a space too.
func splitCommand(text string) (cmd, bot, args string) {
	s := strings.TrimPrefix(text, "/")
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		s, args = s[:i], strings.TrimSpace(s[i:])
	}
	cmd, bot, _ = strings.Cut(s, "@")
	return strings.ToLower(cmd), strings.ToLower(bot), args
}

// parseCaseID reads a case id as staff type it: "C-000123", "c-123", "C000123", "#C-000123",
// "123", in full-width characters too; false when arg is none.
func parseCaseID(arg string) (string, bool) {
	s := strings.ToUpper(strings.TrimSpace(width.Fold.String(arg)))
	s = strings.TrimPrefix(s, "#")
	if rest, ok := strings.CutPrefix(s, "C"); ok {
		s = strings.TrimPrefix(rest, "-")
	}
	if s == "" || len(s) > 15 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return "", false
	}
	return fmt.Sprintf("C-%06d", n), true
}

// staffCancel answers /cancel: in a case's topic or thread it drops the staff member's pending
// action on that case; elsewhere every one of theirs. The reply names what was dropped.
func (d *Desk) staffCancel(ctx context.Context, m *models.Message, user int64) error {
	st := d.st
	id, err := d.caseOf(ctx, m)
	if err != nil {
		return stored(err)
	}
	pending, err := st.PendingActions(ctx, d.cfg.Chat, user)
	if err != nil {
		return stored(err)
	}
	if id != "" {
		pending = slices.DeleteFunc(pending, func(p flows.PendingAction) bool { return p.Case != id })
	}
	if len(pending) == 0 {
		d.replyStaff(ctx, m, "staff_nothing_to_cancel", nil)
		return nil
	}
	if err := st.ClearAwait(ctx, d.cfg.Chat, user, id); err != nil {
		return stored(err)
	}
	var lines flows.Lines
	for _, p := range pending {
		lines = append(lines, flows.Text{Key: "staff_cancelled_case", Args: map[string]any{
			"CaseID": p.Case, "Action": flows.Text{Key: "staff_btn_" + string(p.Action)}}})
	}
	return d.replyLines(ctx, m, lines)
}

// staffPending answers /pending: the staff member's actions waiting for their text, one per case.
func (d *Desk) staffPending(ctx context.Context, m *models.Message, user int64) error {
	pending, err := d.st.PendingActions(ctx, d.cfg.Chat, user)
	if err != nil {
		return stored(err)
	}
	if len(pending) == 0 {
		d.replyStaff(ctx, m, "staff_pending_none", nil)
		return nil
	}
	lines := flows.Lines{{Key: "staff_pending"}}
	for _, p := range pending {
		lines = append(lines, flows.Text{Key: "staff_pending_line", Args: map[string]any{
			"CaseID": p.Case, "Action": flows.Text{Key: "staff_btn_" + string(p.Action)}}})
	}
	return d.replyLines(ctx, m, lines)
}

// replyLines renders lines and sends them where m was written.
func (d *Desk) replyLines(ctx context.Context, m *models.Message, lines flows.Lines) error {
	text, err := d.renderLines(lines)
	if err != nil {
		return err
	}
	_, err = d.replyStaffText(ctx, m, text, nil)
	return err
}

// replyStaffText sends already rendered HTML where m was written, in parts if it is long.
func (d *Desk) replyStaffText(ctx context.Context, m *models.Message, text string, kb *models.InlineKeyboardMarkup) (int, error) {
	var last int
	parts := document.SplitHTML(text, messageLimit)
	for i, part := range parts {
		err := d.send.Do(ctx, m.Chat.ID, func(ctx context.Context) error {
			p := &tgbot.SendMessageParams{ChatID: m.Chat.ID, Text: part, ParseMode: models.ParseModeHTML,
				ReplyParameters: &models.ReplyParameters{MessageID: m.ID, AllowSendingWithoutReply: true}}
			if m.IsTopicMessage {
				p.MessageThreadID = m.MessageThreadID
			}
			if kb != nil && i == len(parts)-1 {
				p.ReplyMarkup = botapi.Keyboard(kb)
			}
			sent, err := d.tg.SendMessage(ctx, p)
			if err == nil {
				last = sent.ID
			}
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("reply in the staff chat: code %d", sender.Code(err))
		}
	}
	return last, nil
}

// staffQueue answers /queue: the open cases, unclaimed first, each group longest waiting first,
// and the escalated cases that could not be posted to the staff chat (dead-lettered), which
// staff would otherwise never see.
func (d *Desk) staffQueue(ctx context.Context, m *models.Message) error {
	st := d.st
	ids, err := st.OpenCases(ctx)
	if err != nil {
		return stored(err)
	}
	cases, unreadable, err := st.Complaints(ctx, ids)
	if err != nil {
		return stored(err)
	}
	cases = slices.DeleteFunc(cases, func(c flows.Complaint) bool { return !c.Status.Open() })
	unposted, err := d.unposted(ctx)
	if err != nil {
		return stored(err)
	}
	deadLine := unreadableLines(unreadable)
	if len(unposted) > 0 {
		deadLine = append(deadLine, flows.Text{Key: "staff_queue_unposted", Args: map[string]any{"IDs": strings.Join(unposted, ", ")}})
	}
	if len(cases) == 0 {
		if deadLine == nil {
			d.replyStaff(ctx, m, "staff_queue_empty", nil)
			return nil
		}
		text, err := d.renderLines(append(flows.Lines{{Key: "staff_queue_empty"}}, deadLine...))
		if err != nil {
			return err
		}
		_, err = d.replyStaffText(ctx, m, text, nil)
		return err
	}
	since := func(c flows.Complaint) time.Time {
		t, ok := c.Escalated()
		if !ok {
			return c.CreatedAt
		}
		return t
	}
	slices.SortStableFunc(cases, func(x, y flows.Complaint) int {
		ux, uy := x.Status == flows.StatusEscalated, y.Status == flows.StatusEscalated
		if ux != uy {
			if ux {
				return -1
			}
			return 1
		}
		return since(x).Compare(since(y))
	})
	now := d.now()
	lines := flows.Lines{{Key: "staff_queue_header", Args: map[string]any{"Count": len(cases)}}}
	for _, c := range cases[:min(len(cases), maxQueueLines)] {
		var holder any = flows.Text{Key: "staff_nobody"}
		if a := c.Assignee(); a != "" {
			holder = who(a)
		}
		var th flows.StaffThread
		if c.Status == flows.StatusWaiting {
			if th, err = st.StaffThread(ctx, c.ID); err != nil {
				return stored(err)
			}
		}
		lines = append(lines, flows.Text{Key: "staff_queue_line", Args: map[string]any{
			"CaseID": c.ID, "Status": statusText(c, th), "Age": age(now.Sub(since(c))),
			"Provider": c.Provider.Name, "Total": c.Total().String(), "Who": holder,
		}})
	}
	lines = append(lines, deadLine...)
	text, err := d.renderLines(lines)
	if err != nil {
		return err
	}
	_, err = d.replyStaffText(ctx, m, text, nil)
	return err
}

// unposted returns the ids of the dead-lettered escalations whose cases were never fully posted.
func (d *Desk) unposted(ctx context.Context) ([]string, error) {
	st := d.st
	dead, err := st.DeadEscalations(ctx, maxQueueLines)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range dead {
		if e.CaseID == "" || slices.Contains(ids, e.CaseID) {
			continue
		}
		if done, err := st.Posted(ctx, e.CaseID); err != nil {
			return nil, err
		} else if !done {
			ids = append(ids, e.CaseID)
		}
	}
	return ids, nil
}

// unreadableLines says which cases were left out because their records cannot be read; none
// when all could.
func unreadableLines(ids []string) flows.Lines {
	if len(ids) == 0 {
		return nil
	}
	shown := ids[:min(len(ids), maxQueueLines)]
	return flows.Lines{{Key: "staff_unreadable", Args: map[string]any{"Count": len(ids), "IDs": strings.Join(shown, ", ")}}}
}

// renderLines renders staff lines, one per line.
func (d *Desk) renderLines(lines flows.Lines) (string, error) {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		s, err := d.cat.Render(d.staffLang(), l.Key, l.Args, html.EscapeString)
		if err != nil {
			return "", fmt.Errorf("render %s: %w", l.Key, err)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n"), nil
}

// staffCase answers /case C-000123 with the case's card and buttons, where it was asked; /case
// alone, in a case's topic or thread, with that case's.
func (d *Desk) staffCase(ctx context.Context, m *models.Message, arg string) error {
	st := d.st
	id, ok := parseCaseID(arg)
	if arg == "" {
		// in a case's topic or thread, the case is known: its card is far above by now
		found, err := d.caseOf(ctx, m)
		if err != nil {
			return stored(err)
		}
		id, ok = found, found != ""
	}
	if !ok {
		d.replyStaff(ctx, m, "staff_case_usage", nil)
		return nil
	}
	c, err := st.Complaint(ctx, id)
	if errors.Is(err, flows.ErrCaseUnreadable) {
		text, err := d.renderLines(unreadableLines([]string{id}))
		if err != nil {
			return err
		}
		_, err = d.replyStaffText(ctx, m, text, nil)
		return err
	}
	if errors.Is(err, flows.ErrCaseMissing) {
		d.replyStaff(ctx, m, "staff_case_unknown", map[string]any{"CaseID": id})
		return nil
	}
	if err != nil {
		return stored(err)
	}
	th, err := st.StaffThread(ctx, id)
	if err != nil {
		return stored(err)
	}
	text, err := d.cardText(c, th)
	if err != nil {
		return err
	}
	var kb *models.InlineKeyboardMarkup
	if c.Status.Open() || c.Status.Closed() {
		kb = d.cardKeyboard(c)
	}
	msg, err := d.replyStaffText(ctx, m, text, kb)
	if err != nil {
		return err
	}
	// replying to this copy reaches the complainant as replying to the card does
	return stored(st.AddStaffMessages(ctx, id, m.Chat.ID, msg))
}

// allCases reads every case, and names those whose records cannot be read.
func (d *Desk) allCases(ctx context.Context) ([]flows.Complaint, []string, error) {
	ids, err := d.st.CaseIDs(ctx)
	if err != nil {
		return nil, nil, stored(err)
	}
	cases, unreadable, err := d.st.Complaints(ctx, ids)
	return cases, unreadable, stored(err)
}

// stats are the counts /stats shows: cases and the sum claimed, by provider, charge kind,
// status and month (of filing, in Config.Location).
type stats struct {
	Count     int
	Total     flows.Fen
	Recovered flows.Fen                    // refunded, as the complainants reported it (package followup)
	By        map[string]map[string]*tally // "provider", "charge", "status", "month" → value → tally
	// Charges is each provider's cases by charge kind (provider → charge → tally): which
	// provider takes which fee, the pattern staff watch for.
	Charges map[string]map[string]*tally
}

// tally is one line of stats.
type tally struct {
	Count     int
	Total     flows.Fen
	Recovered flows.Fen
}

// statsDimensions are the groupings of /stats, in the order shown.
func statsDimensions() []string { return []string{"provider", "charge", "status", "month"} }

// caseStats counts cases for /stats, months in loc.
func caseStats(cases []flows.Complaint, loc *time.Location) stats {
	s := stats{By: map[string]map[string]*tally{}, Charges: map[string]map[string]*tally{}}
	for _, d := range statsDimensions() {
		s.By[d] = map[string]*tally{}
	}
	for _, c := range cases {
		s.Count++
		s.Total += c.Total()
		rec := recovered(c)
		s.Recovered += rec
		provider := c.Provider.Name
		if provider == "" {
			provider = "?"
		}
		for d, v := range map[string]string{
			"provider": provider, "charge": string(c.Charge), "status": string(c.Status),
			"month": c.CreatedAt.In(loc).Format("2006-01"),
		} {
			t := s.By[d][v]
			if t == nil {
				t = &tally{}
				s.By[d][v] = t
			}
			t.Count++
			t.Total += c.Total()
			t.Recovered += rec
		}
		if s.Charges[provider] == nil {
			s.Charges[provider] = map[string]*tally{}
		}
		t := s.Charges[provider][string(c.Charge)]
		if t == nil {
			t = &tally{}
			s.Charges[provider][string(c.Charge)] = t
		}
		t.Count++
		t.Total += c.Total()
		t.Recovered += rec
	}
	return s
}

// byCount returns the values of m, most cases first, then by value.
func byCount(m map[string]*tally) []string {
	values := make([]string, 0, len(m))
	for v := range m {
		values = append(values, v)
	}
	slices.SortFunc(values, func(x, y string) int {
		return cmp.Or(cmp.Compare(m[y].Count, m[x].Count), cmp.Compare(x, y))
	})
	return values
}

// staffStats answers /stats.
func (d *Desk) staffStats(ctx context.Context, m *models.Message) error {
	cases, unreadable, err := d.allCases(ctx)
	if err != nil {
		return err
	}
	s := caseStats(cases, d.cfg.Location)
	lines := flows.Lines{{Key: "staff_stats", Args: map[string]any{"Count": s.Count, "Total": s.Total.String(),
		"Recovered": yuanIf(s.Recovered)}}}
	for _, d := range statsDimensions() {
		lines = append(lines, flows.Text{Key: "staff_stats_by", Args: map[string]any{"Name": flows.Text{Key: "staff_stats_" + d}}})
		values := byCount(s.By[d])
		if d == "month" {
			slices.SortFunc(values, func(x, y string) int { return cmp.Compare(y, x) }) // newest first
		}
		for _, v := range values {
			name := statsName(d, v)
			lines = append(lines, flows.Text{Key: "staff_stats_line", Args: map[string]any{
				"Name": name, "Count": s.By[d][v].Count, "Total": s.By[d][v].Total.String(),
				"Recovered": yuanIf(s.By[d][v].Recovered)}})
			if d != "provider" {
				continue
			}
			for _, k := range byCount(s.Charges[v]) {
				t := s.Charges[v][k]
				lines = append(lines, flows.Text{Key: "staff_stats_subline", Args: map[string]any{
					"Name": statsName("charge", k), "Count": t.Count, "Total": t.Total.String(),
					"Recovered": yuanIf(t.Recovered)}})
			}
		}
	}
	lines = append(lines, unreadableLines(unreadable)...)
	text, err := d.renderLines(lines)
	if err != nil {
		return err
	}
	_, err = d.replyStaffText(ctx, m, text, nil)
	return err
}

// statsName names value v of /stats's grouping d: a charge kind or a status by its message; one
// this release does not know (a record written by another release) by the stored value, which
// has no message to render, and an empty one as not given.
func statsName(d, v string) any {
	switch d {
	case "charge":
		return enumText(d, "charge_", v)
	case "status":
		return enumText(d, "staff_status_", v)
	}
	return v
}

// exportHeader is the CSV export's first row. No column names a person: no contact details,
// story, agent, device or merchant, no Telegram ids, no staff notes.
func exportHeader() []string {
	return []string{"id", "created", "month", "status", "complainant_type", "charge", "provider_key", "provider",
		"deductions", "total_yuan", "first_deduction", "last_deduction", "disclosure", "learned_on",
		"contract_channel", "negotiated", "proceedings", "requests", "body", "evidence", "escalated", "updated",
		"rung", "outcome", "recovered_yuan"}
}

// exportCSV writes cases as CSV without personal data, times in loc. It starts with a UTF-8
// byte order mark, which spreadsheet programs need to read Chinese.
func exportCSV(cases []flows.Complaint, loc *time.Location) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	writeCells(w, exportHeader())
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	for _, c := range cases {
		first, last := "", ""
		for _, d := range c.Deductions {
			if d.Date == "" {
				continue
			}
			if first == "" || string(d.Date) < first {
				first = string(d.Date)
			}
			if string(d.Date) > last {
				last = string(d.Date)
			}
		}
		reqs := make([]string, len(c.Requests))
		for i, r := range c.Requests {
			reqs[i] = string(r)
		}
		escalated := ""
		if t, ok := c.Escalated(); ok {
			escalated = stamp(t)
		}
		writeCells(w, append([]string{
			c.ID, stamp(c.CreatedAt), c.CreatedAt.In(loc).Format("2006-01"), string(c.Status), string(c.Complainant),
			string(c.Charge), c.Provider.Key, c.Provider.Name, strconv.Itoa(len(c.Deductions)), c.Total().String(),
			first, last, string(c.Disclosure), string(c.LearnedOn), string(c.ContractChannel),
			strconv.FormatBool(c.Negotiation.Tried), string(c.Proceedings), strings.Join(reqs, ";"), c.Body,
			strconv.Itoa(len(c.Evidence)), escalated, stamp(c.Updated()),
		}, exportFollowUp(c)...))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write the export: %w", err)
	}
	return buf.Bytes(), nil
}

// writeCells writes one row with every cell neutralised (cell).
func writeCells(w *csv.Writer, row []string) {
	for i, s := range row {
		row[i] = cell(s)
	}
	w.Write(row)
}

// cell is s as a CSV cell no spreadsheet runs as a formula: a cell starting with = + - @, a
// tab or a carriage return (a provider name typed as =HYPERLINK(...), say) gets a single quote
// in front, which Excel, WPS and LibreOffice show as text (OWASP's advice on CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// staffExport answers /export with every case as a CSV document.
func (d *Desk) staffExport(ctx context.Context, m *models.Message) error {
	cases, unreadable, err := d.allCases(ctx)
	if err != nil {
		return err
	}
	data, err := exportCSV(cases, d.cfg.Location)
	if err != nil {
		return err
	}
	name := "cases-" + d.now().In(d.cfg.Location).Format("20060102-1504") + ".csv"
	caption := d.staffText("staff_export_caption", map[string]any{"Count": len(cases)})
	if len(unreadable) > 0 {
		more, err := d.renderLines(unreadableLines(unreadable))
		if err != nil {
			return err
		}
		caption += "\n" + truncate(more, maxCaption-units(caption)-1)
	}
	err = d.send.Do(ctx, m.Chat.ID, func(ctx context.Context) error {
		p := &tgbot.SendDocumentParams{ChatID: m.Chat.ID, Caption: caption, ParseMode: models.ParseModeHTML,
			Document:        &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
			ReplyParameters: &models.ReplyParameters{MessageID: m.ID, AllowSendingWithoutReply: true}}
		if m.IsTopicMessage {
			p.MessageThreadID = m.MessageThreadID
		}
		_, err := d.tg.SendDocument(ctx, p)
		return err
	})
	if err != nil {
		return fmt.Errorf("send the export: code %d", sender.Code(err))
	}
	return nil
}

// yuanIf is a sum for a message, or "" for none, which the message then leaves out.
func yuanIf(f flows.Fen) string {
	if f == 0 {
		return ""
	}
	return f.String()
}
