package storage

import (
	"context"
	"fmt"

	"complaintbot/flows"
)

// ChangeFollowUp changes the case file kept with case id (flows.Complaint.FollowUp, whose file
// is JSON that its owner, package followup, reads and writes; storage does not look inside). decide sees the
// record as stored and returns the new case file, or false to change nothing; it runs again
// when someone else changed the record meanwhile, so it must be a function of the record it is
// given. An erased case refuses with ErrErased. It returns the record as written.
func (r *Redis) ChangeFollowUp(ctx context.Context, id string, decide func(flows.Complaint) (flows.FollowUp, bool, error)) (flows.Complaint, error) {
	c, err := r.change(ctx, id, func(c *flows.Complaint) (bool, error) {
		if erased(*c) {
			return false, ErrErased
		}
		fu, ok, err := decide(*c)
		if err != nil || !ok {
			return false, err
		}
		c.FollowUp = fu
		return true, nil
	})
	if err != nil {
		return flows.Complaint{}, fmt.Errorf("change the case file of %s: %w", id, err)
	}
	return c, nil
}
