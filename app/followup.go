package app

// The case files after the document (package followup) in the wiring: storage.Redis as the
// bot's CaseFiles, and the loop that claims due reminders and has the bot send them.

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"complaintbot/followup"
	"complaintbot/storage"
)

// caseFiles is storage.Redis as bot.CaseFiles: the case file inside the case record
// (ChangeFollowUp), and its reminders as storage timers.
type caseFiles struct{ *storage.Redis }

// SyncReminders makes the case's scheduled reminders exactly want: those missing or moved are
// scheduled, those no longer wanted cancelled.
func (f caseFiles) SyncReminders(ctx context.Context, id string, want []followup.Reminder) error {
	have, err := f.Reminders(ctx, id)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, m := range want {
		keep[m.Kind] = true
		if at, ok := have[m.Kind]; ok && at.Equal(m.At) {
			continue
		}
		if err := f.ScheduleReminder(ctx, storage.Reminder{Case: id, Kind: m.Kind}, m.At); err != nil {
			return err
		}
	}
	for kind := range have {
		if !keep[kind] {
			if _, err := f.CancelReminder(ctx, storage.Reminder{Case: id, Kind: kind}); err != nil {
				return err
			}
		}
	}
	return nil
}

// reminderStore is what the reminder loop needs of storage. storage.Redis implements it.
type reminderStore interface {
	ClaimReminders(ctx context.Context, now time.Time, owner string, lease time.Duration, max int) ([]storage.ClaimedReminder, error)
	DoneReminder(ctx context.Context, c storage.ClaimedReminder) (bool, error)
	CancelReminders(ctx context.Context, caseID string) (int, error)
}

// reminderSender sends one reminder. bot.Bot implements it: it checks that the case still wants
// it, and sends through the sender, within Telegram's limits.
type reminderSender interface {
	Remind(ctx context.Context, id, kind string, repeat bool) (sent, gone bool, err error)
}

// reminderLoop claims the reminders that are due and has them sent, once each across replicas
// and restarts: a reminder is claimed by one process for lease; it is forgotten (DoneReminder)
// only after its send; a process that dies in between leaves it to be claimed again when the
// lease ends, and that send says it is sent again (storage.ClaimedReminder.Repeat).
type reminderLoop struct {
	store reminderStore
	send  reminderSender
	now   func() time.Time // the clock; injected by the tests
	owner string           // this instance's name (STAFF_CONSUMER)
	lease time.Duration
	log   *slog.Logger
}

// defaultReminderLease is longer than a send (the sender's retries included) and its record.
const defaultReminderLease = 2 * time.Minute

// once claims and sends the reminders due now, and returns how many were sent. A reminder
// whose send failed stays claimed until its lease ends, and is tried again then.
func (l reminderLoop) once(ctx context.Context) (int, error) {
	claimed, err := l.store.ClaimReminders(ctx, l.now(), l.owner, l.lease, 0)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range claimed {
		ok, gone, err := l.send.Remind(ctx, c.Reminder.Case, c.Reminder.Kind, c.Repeat())
		if err != nil {
			// left claimed: claimed again when the lease ends, and then sent marked as a repeat
			// unless the send was recorded meanwhile
			msg := "reminder not sent; it is tried again when its lease ends"
			if ok {
				msg = "reminder sent but its send not recorded; it is sent again, marked, when its lease ends"
			}
			l.log.Warn(msg, "reminder", c.Reminder.String(), "err", err)
			continue
		}
		if ok {
			sent++
		}
		if gone {
			// erased, or the complainant blocked the bot: none of the case's reminders is sent
			if _, err := l.store.CancelReminders(ctx, c.Reminder.Case); err != nil {
				return sent, fmt.Errorf("cancel the reminders of %s: %w", c.Reminder.Case, err)
			}
			continue
		}
		if _, err := l.store.DoneReminder(ctx, c); err != nil {
			return sent, fmt.Errorf("reminder %s done: %w", c.Reminder, err)
		}
	}
	return sent, nil
}

// run calls once every tick until ctx ends.
func (l reminderLoop) run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if n, err := l.once(ctx); err != nil {
			l.log.Warn("reminders", "err", err)
		} else if n > 0 {
			l.log.Info("reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// localReminders shows the terminal chat the reminders due at its clock: claimed like the
// bot's, shown, then forgotten.
func localReminders(store *storage.Redis) func(ctx context.Context, now time.Time, show func(id, kind string, repeat bool) error) error {
	return func(ctx context.Context, now time.Time, show func(id, kind string, repeat bool) error) error {
		claimed, err := store.ClaimReminders(ctx, now, "localchat", defaultReminderLease, 0)
		if err != nil {
			return err
		}
		for _, c := range claimed {
			if err := show(c.Reminder.Case, c.Reminder.Kind, c.Repeat()); err != nil {
				return err
			}
			if _, err := store.DoneReminder(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
}
