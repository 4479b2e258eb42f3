package app

import (
	"context"
	"time"

	"complaintbot/bot"
	"complaintbot/storage"
)

// readings hands the bot storage's list of screenshots to read (bot does not import storage).
type readings struct{ s *storage.Redis }

func (r readings) EnqueueReading(ctx context.Context, j bot.ReadingJob, now time.Time) (bool, error) {
	return r.s.EnqueueReading(ctx, storage.ReadingJob(j), now)
}

func (r readings) ClaimReadings(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.ReadingJob, error) {
	js, err := r.s.ClaimReadings(ctx, now, lease, limit)
	out := make([]bot.ReadingJob, len(js))
	for i, j := range js {
		out[i] = bot.ReadingJob(j)
	}
	return out, err
}

func (r readings) DoneReading(ctx context.Context, j bot.ReadingJob) (bool, error) {
	return r.s.DoneReading(ctx, storage.ReadingJob(j))
}
