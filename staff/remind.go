package staff

import (
	"context"
	"time"

	"complaintbot/flows"
)

// maxRemindersPerRound bounds the reminders one round posts, so a backlog does not flood the
// staff chat (Telegram allows a group 20 messages a minute); the rest come in later rounds.
const maxRemindersPerRound = 5

// remindLoop raises forgotten cases again until ctx ends, checking a few times per period.
func (d *Desk) remindLoop(ctx context.Context) {
	every := remindEvery(d.cfg.RemindUnclaimed, d.cfg.RemindWaiting)
	if every == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := d.Remind(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn("staff reminders", "err", err)
			}
		}
	}
}

// remindEvery is how often reminders are looked for: a tenth of the shorter period, between a
// second and a minute; 0 when both are off.
func remindEvery(periods ...time.Duration) time.Duration {
	var shortest time.Duration
	for _, p := range periods {
		if p > 0 && (shortest == 0 || p < shortest) {
			shortest = p
		}
	}
	if shortest == 0 {
		return 0
	}
	return min(max(shortest/10, time.Second), time.Minute)
}

// Remind posts a reminder in the thread of each open case that waited too long: unclaimed for
// Config.RemindUnclaimed, or waiting on staff (claimed, or answered by the complainant) for
// Config.RemindWaiting, each at most once per that period (storage keeps the time, so several
// processes remind once) and at most maxRemindersPerRound at a time, longest waiting first. It
// returns how many it posted. Run calls it now and then; tests call it with their own clock.
func (d *Desk) Remind(ctx context.Context) (int, error) {
	st := d.st
	ids, err := st.OpenCases(ctx)
	if err != nil {
		return 0, err
	}
	cases, _, err := st.Complaints(ctx, ids) // an unreadable case cannot be reminded of
	if err != nil {
		return 0, err
	}
	now := d.now()
	sent := 0
	for _, c := range cases {
		if sent == maxRemindersPerRound || ctx.Err() != nil {
			break
		}
		th, err := st.StaffThread(ctx, c.ID)
		if err != nil {
			return sent, err
		}
		key, since, period := due(c, th, d.cfg.RemindUnclaimed, d.cfg.RemindWaiting)
		if key == "" || period == 0 || now.Sub(since) < period {
			continue
		}
		ok, err := st.Remind(ctx, c.ID, now, period)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue
		}
		holder := any(flows.Text{Key: "staff_nobody"})
		if a := c.Assignee(); a != "" {
			holder = who(a)
		}
		d.postToCase(ctx, c.ID, th, key, map[string]any{"CaseID": c.ID, "Age": age(now.Sub(since)), "Who": holder})
		sent++
	}
	return sent, nil
}

// due says what a case waits for: the reminder's message, since when, and the period that
// applies; an empty key when it waits on nobody from staff (the complainant has the turn).
func due(c flows.Complaint, th flows.StaffThread, unclaimed, waiting time.Duration) (string, time.Time, time.Duration) {
	switch c.Status {
	case flows.StatusEscalated:
		since, ok := c.Escalated()
		if !ok {
			since = c.CreatedAt
		}
		return "staff_remind_unclaimed", since, unclaimed
	case flows.StatusClaimed:
		since := c.Updated()
		if th.Replied.After(since) {
			since = th.Replied
		}
		return "staff_remind_waiting", since, waiting
	case flows.StatusWaiting:
		if th.Replied.After(c.Updated()) {
			return "staff_remind_waiting", th.Replied, waiting
		}
	}
	return "", time.Time{}, 0
}

// age renders a duration for staff: days and hours, hours and minutes, or minutes.
func age(d time.Duration) flows.Text {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return flows.Text{Key: "age_days", Args: map[string]any{"D": days, "H": hours}}
	case hours > 0:
		return flows.Text{Key: "age_hours", Args: map[string]any{"H": hours, "M": mins}}
	}
	return flows.Text{Key: "age_minutes", Args: map[string]any{"M": mins}}
}
