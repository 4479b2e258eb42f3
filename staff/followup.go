package staff

// What staff see of a case's life after the document (package followup): the rung reached and
// the last answer on the card and in /case, and the money recovered in /stats and /export.

import (
	"context"

	"complaintbot/flows"
	"complaintbot/followup"
)

// caseFile is the case file kept with c, or false when c has none or it cannot be read (an
// erased case's is dropped with its personal fields).
func caseFile(c flows.Complaint) (followup.Case, bool) {
	if len(c.FollowUp) == 0 {
		return followup.Case{}, false
	}
	f, err := followup.Open(c)
	return f, err == nil
}

// recovered is the money refunded on case c so far, as its complainant reported it.
func recovered(c flows.Complaint) flows.Fen {
	if f, ok := caseFile(c); ok {
		return f.Recovered()
	}
	return 0
}

// followLine is the card's line about the case file: the rung reached, the last answer, the
// money recovered of the claim; "" when nothing was filed yet.
func followLine(c flows.Complaint) (flows.Text, bool) {
	f, ok := caseFile(c)
	if !ok || len(f.Filings) == 0 {
		return flows.Text{}, false
	}
	args := map[string]any{"Rung": followup.RungText(f.CurrentRung()), "Count": len(f.Filings),
		"Recovered": f.Recovered().String(), "Claim": f.Claim.String()}
	if o := f.LastOutcome(); o != nil {
		args["Result"] = flows.Text{Key: "fu_res_" + string(o.Result)}
		args["On"] = string(o.On)
	}
	return flows.Text{Key: "staff_followup", Args: args}, true
}

// exportFollowUp is the export's columns about the case file: the rung reached, the last
// answer's result, the money recovered.
func exportFollowUp(c flows.Complaint) []string {
	f, ok := caseFile(c)
	if !ok {
		return []string{"", "", "0.00"}
	}
	res := ""
	if o := f.LastOutcome(); o != nil {
		res = string(o.Result)
	}
	return []string{string(f.CurrentRung()), res, f.Recovered().String()}
}

// FollowedUp edits the card of case id, when it has been posted, to show its case file as it is
// now: the complainant recorded a filing or an answer. The bot calls it after such a change.
func (d *Desk) FollowedUp(ctx context.Context, id string) {
	th, err := d.st.StaffThread(ctx, id)
	if err != nil || th.Card == 0 {
		return // not posted to staff: nothing to edit
	}
	c, err := d.st.Complaint(ctx, id)
	if err != nil {
		d.log.Warn("follow-up: load the case for its card", "err", err)
		return
	}
	d.refreshCard(ctx, c, th)
}
