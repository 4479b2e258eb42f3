package document

// The letters of the later rungs (DOMAIN.md §7, package followup): the same facts as the 投诉书
// plus what happened on the rungs before — when it was filed, where, its 受理编号, and the answer
// or the silence — addressed to the next rung: the consumer association or 12315, the PBOC
// branch, the provider itself; the 举报信 as it is; and for a court the outline of a 民事起诉状 for
// small claims. They are Chinese only: they are what gets filed.

import (
	"fmt"
	"slices"
	"strings"

	"complaintbot/flows"
	"complaintbot/followup"
)

// rungView is what a rung's letter shows: the complaint's view and the case file's history.
type rungView struct {
	V         *view
	Rung      string // the rung's stored value
	Body      string // to whom the letter goes (此致)
	Remaining string // the money still claimed, "199.00"
	Recovered string // refunded before, "" when nothing
	History   []historyView
	Venue     string // the court outline's venue
	Defendant string // the court outline's 被告 address clause
}

// historyView is one earlier filing and its answer, in the letter's words.
type historyView struct {
	Filed, Rung, Body, Ref string
	Who, Them              string // the letter's words for the parties (投诉人/被投诉人, 原告/被告)
	Result                 string // followup.Result; "" while waiting
	On, Amount, Reason     string
	Due                    string // when its answer was due, when the rung has a clock
	Law                    bool   // the due date is the law's (消法 第四十六条)
	// Overdue: the user said no answer came on or after the due date, so the period ran out;
	// a silence reported earlier states the due date and does not say it passed.
	Overdue bool
	// Promised is the day the user said a refund was promised and had not come, when the
	// filing's answer was not everything back (followup.Case.Promise).
	Promised string
}

// rungNames are the rungs as a letter names them; a table that never changes.
var rungNames = map[followup.Rung]string{
	followup.Provider:            "被投诉人",
	followup.ConsumerAssociation: "消费者协会",
	followup.MarketRegulator:     "市场监督管理部门（全国12315平台）",
	followup.PBOC:                "中国人民银行分行",
	followup.Report:              "市场监督管理部门（举报）",
	followup.Court:               "人民法院",
}

// rungTemplate is the template of rung r's letter.
func rungTemplate(r followup.Rung) (string, error) {
	switch r {
	case followup.Provider, followup.ConsumerAssociation, followup.MarketRegulator, followup.PBOC:
		return "rung.complaint", nil
	case followup.Court:
		return "rung.court", nil
	}
	return "", fmt.Errorf("render: no letter for rung %q", r)
}

// RungText renders the letter of rung r for complaint c with its case file h, in Chinese plain
// text. The 举报信 (followup.Report) is LetterText's Report: it asks no refund, so the history
// of the refund claim does not belong in it.
func (r *Renderer) RungText(c flows.Complaint, h followup.Case, rung followup.Rung) (string, error) {
	c = dated(c, h)
	if rung == followup.Report {
		bs, err := r.reportBlocks(c, h)
		if err != nil {
			return "", err
		}
		return renderText(bs, r.labels[flows.LangZH]), nil
	}
	bs, err := r.rungBlocks(c, h, rung)
	if err != nil {
		return "", err
	}
	return renderText(bs, r.labels[flows.LangZH]), nil
}

// RungMessages renders RungText split into parts Telegram accepts as messages.
func (r *Renderer) RungMessages(c flows.Complaint, h followup.Case, rung followup.Rung) ([]string, error) {
	text, err := r.RungText(c, h, rung)
	if err != nil {
		return nil, err
	}
	return Split(text, messageLimit), nil
}

// RungDOCX renders the letter of rung r as a Word document; like DOCX, the same input always
// gives the same bytes.
func (r *Renderer) RungDOCX(c flows.Complaint, h followup.Case, rung followup.Rung) ([]byte, error) {
	c = dated(c, h)
	var bs []block
	var err error
	if rung == followup.Report {
		bs, err = r.reportBlocks(c, h)
	} else {
		bs, err = r.rungBlocks(c, h, rung)
	}
	if err != nil {
		return nil, err
	}
	b, err := r.docx.render(bs, docInfo{title: strings.TrimSpace(rungTitle(rung) + " " + cleanID(c.ID)), lang: flows.LangZH, created: c.CreatedAt})
	if err != nil {
		return nil, fmt.Errorf("render docx of rung %s: %w", rung, err)
	}
	return b, nil
}

// dated returns c dated as a later rung's letter is signed: on the day of the last event of
// its case file (a filing, an answer, the day the user said none came) when that is after the
// complaint's own date, so that a letter is never dated before the facts it states. The same
// case file always gives the same date.
func dated(c flows.Complaint, h followup.Case) flows.Complaint {
	first := flows.DateOf(chinaTime(c.CreatedAt))
	last := first
	for _, f := range h.Filings {
		last = max(last, f.Filed)
		if f.Outcome != nil {
			last = max(last, f.Outcome.On)
		}
	}
	if t, ok := last.Time(); ok && last != first && !last.IsMonth() {
		c.CreatedAt = t
	}
	return c
}

// rungFilePrefixes name each rung's .docx apart from the first 投诉书's; a table that never
// changes.
var rungFilePrefixes = map[followup.Rung]string{
	followup.Provider:            "协商函",
	followup.ConsumerAssociation: "投诉书-消费者协会",
	followup.MarketRegulator:     "投诉书-市场监管",
	followup.PBOC:                "投诉书-人民银行",
	followup.Court:               "起诉状提纲",
}

// RungFileName is the name of the .docx of rung r's letter, such as "起诉状提纲-C-000123.docx"
// or "投诉书-市场监管-C-000123.docx".
func RungFileName(c flows.Complaint, rung followup.Rung) string {
	if rung == followup.Report {
		return LetterFileName(Report, c, flows.LangZH)
	}
	name := rungFilePrefixes[rung]
	if id := cleanID(c.ID); id != "" {
		name += "-" + id
	}
	return name + ".docx"
}

// rungTitle is the short title of a rung's letter, for its file and its properties.
func rungTitle(r followup.Rung) string {
	switch r {
	case followup.Provider:
		return "协商函"
	case followup.Court:
		return "起诉状提纲"
	case followup.Report:
		return "举报信"
	}
	return "投诉书"
}

// reportBlocks renders the 举报信 sent as a later rung: LetterText's Report, its facts followed
// by what happened on the rungs before (DOMAIN.md §7: each rung's letter states the earlier
// filings, their 受理编号 and the answer or the silence). It still asks no refund.
func (r *Renderer) reportBlocks(c flows.Complaint, h followup.Case) ([]block, error) {
	v, err := newView(c, Report, flows.LangZH, r.labels[flows.LangZH])
	if err != nil {
		return nil, fmt.Errorf("render rung %s: %w", followup.Report, err)
	}
	v.History = history(h, followup.Report, v.Who, v.Them, r.labels[flows.LangZH].DateLayout)
	dropUntried(&v, h)
	bs, err := r.execute(templateName(Report, flows.LangZH), &v)
	if err != nil {
		return nil, fmt.Errorf("render rung %s: %w", followup.Report, err)
	}
	return bs, nil
}

// dropUntried leaves out of a later letter's facts the 投诉书's "尚未与被投诉人协商" when the case
// file records a filing with the provider since: the history tells that negotiation, and the
// letter would contradict itself.
func dropUntried(v *view, h followup.Case) {
	if v.Negotiation.Tried || !slices.ContainsFunc(h.Filings, func(f followup.Filing) bool { return f.Rung == followup.Provider }) {
		return
	}
	v.Facts = slices.DeleteFunc(v.Facts, func(f factView) bool { return f.Name == "negotiation" })
}

// history is case file h's filings as the letter to rung tells them, who and them being the
// letter's words for the parties and its dates written in layout as the facts' are ("2024年5月
// 21日"); rung's own filing still waiting (the letter's own, recorded early) is left out.
func history(h followup.Case, rung followup.Rung, who, them, layout string) []historyView {
	var out []historyView
	for _, f := range h.Filings {
		if f.Rung == rung && f.Outcome == nil {
			continue
		}
		hv := historyView{Who: who, Them: them, Filed: formatDate(f.Filed, layout), Rung: rungNames[f.Rung], Body: cleanLine(f.Body), Ref: cleanLine(f.Ref)}
		dl, due := f.Deadline()
		if due {
			hv.Due, hv.Law = formatDate(dl.Date, layout), dl.Clock.Law
		}
		if o := f.Outcome; o != nil {
			hv.Result, hv.On, hv.Amount, hv.Reason = string(o.Result), formatDate(o.On, layout), o.Amount.String(), userLine(o.Reason)
			hv.Overdue = due && o.On >= dl.Date
		}
		if f.Promised != "" && (f.Outcome == nil || f.Outcome.Result != followup.RefundedFull) {
			hv.Promised = formatDate(f.Promised, layout)
		}
		out = append(out, hv)
	}
	return out
}

// rungBlocks renders a rung's letter into markup blocks.
func (r *Renderer) rungBlocks(c flows.Complaint, h followup.Case, rung followup.Rung) ([]block, error) {
	name, err := rungTemplate(rung)
	if err != nil {
		return nil, err
	}
	if followup.StageOf(h.Complainant, rung) < 0 {
		return nil, fmt.Errorf("render: rung %q does not fit complainant %q", rung, h.Complainant)
	}
	ls := r.labels[flows.LangZH]
	v, err := newView(c, Complaint, flows.LangZH, ls)
	if err != nil {
		return nil, fmt.Errorf("render rung %s: %w", rung, err)
	}
	if rung == followup.Court {
		v.nameParties(ls, "原告", "被告", "原告")
	}
	rv := rungView{V: &v, Rung: string(rung), Body: rungBody(c, rung), Remaining: h.Remaining().String()}
	if h.Recovered() > 0 {
		rv.Recovered = h.Recovered().String()
	}
	rv.History = history(h, rung, v.Who, v.Them, ls.DateLayout)
	dropUntried(&v, h)
	if rung == followup.Court {
		out, err := h.CourtOutline()
		if err != nil {
			return nil, fmt.Errorf("render the court outline: %w", err)
		}
		rv.Venue = out.Venue
		rv.Remaining = out.Claim.String()
	}
	bs, err := r.execute(name, rv)
	if err != nil {
		return nil, fmt.Errorf("render rung %s: %w", rung, err)
	}
	return bs, nil
}

// rungBody is to whom a rung's letter goes (DOMAIN.md §2, §3: a real institution's Chinese
// name): the body the 投诉书 named when it is of that rung's kind, else the one of that kind
// flows.Routes names for the complaint (where the respondent is registered, from the provider
// data or its address; a guessed PBOC branch is not taken), else the kind of body with where
// to find it — never an invented name.
func rungBody(c flows.Complaint, r followup.Rung) string {
	body := cleanLine(c.Body)
	mark, generic := "", ""
	switch r {
	case followup.Provider:
		return cleanLine(c.Provider.Name)
	case followup.ConsumerAssociation:
		mark, generic = "消费者", "被投诉人经营地或住所地消费者协会"
	case followup.MarketRegulator:
		mark, generic = "市场监督", "被投诉人经营地或住所地县级市场监督管理部门"
	case followup.PBOC:
		mark, generic = "人民银行", "被投诉人注册地所在的中国人民银行分行"
	default:
		return ""
	}
	if strings.Contains(body, mark) {
		return body
	}
	for _, rt := range flows.Routes(c, nil) {
		if !rt.Guess && strings.Contains(rt.Body, mark) {
			return rt.Body
		}
	}
	return generic
}
