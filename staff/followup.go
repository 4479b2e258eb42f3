package staff

// What staff see of a case's life after the document (package followup): the rung reached and
// the last answer on the card and in /case, and the money recovered in /stats and /export.

import (
	"context"

	"complaintbot/flows"
	"complaintbot/followup"
)

// recovered is the money refunded on case c so far, as its complainant reported it; it
// survives erasure (flows.FollowUp's summary).
func recovered(c flows.Complaint) flows.Fen { return c.FollowUp.Recovered }

// followLine is the card's line about the case file: the rung reached, the last answer, the
// money recovered of the claim, and a refund the complainant said was promised on a filing
// still waiting (the latest such promise), which a caseworker chasing the case must know of;
// false when nothing was filed yet.
func followLine(c flows.Complaint) (flows.Text, bool) {
	fu := c.FollowUp
	if fu.Rung == "" {
		return flows.Text{}, false
	}
	args := map[string]any{"Rung": followup.RungText(followup.Rung(fu.Rung)),
		"Recovered": fu.Recovered.String(), "Claim": c.Total().String()}
	if fu.Result != "" {
		args["Result"] = flows.Text{Key: "fu_res_" + fu.Result}
	}
	if f, ok := promised(c); ok {
		args["Promised"] = flows.Text{Key: "staff_followup_promised",
			Args: map[string]any{"Rung": followup.RungText(f.Rung), "On": string(f.Promised)}}
	}
	return flows.Text{Key: "staff_followup", Args: args}, true
}

// promised returns the filing of case c, still waiting for its answer, at which the
// complainant last said a refund was promised; false when there is none or the case file
// cannot be read (erased: only its summary is left).
func promised(c flows.Complaint) (followup.Filing, bool) {
	if len(c.FollowUp.File) == 0 {
		return followup.Filing{}, false
	}
	k, err := followup.Open(c)
	if err != nil {
		return followup.Filing{}, false
	}
	var last followup.Filing
	for _, i := range k.Waiting() {
		if f := k.Filings[i]; f.Promised != "" && f.Promised >= last.Promised {
			last = f
		}
	}
	return last, last.Promised != ""
}

// exportFollowUp is the export's columns about the case file: the rung reached, the last
// answer's result, the money recovered.
func exportFollowUp(c flows.Complaint) []string {
	return []string{c.FollowUp.Rung, c.FollowUp.Result, c.FollowUp.Recovered.String()}
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
