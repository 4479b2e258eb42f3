package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"

	"complaintbot/flows"
)

// Screenshots read off the update's path (issue 13). A photo or image file sent at the evidence
// step is acknowledged by its step at once; once that step is committed the screenshot is
// queued in storage. RunReadings claims queued screenshots, downloads each (getFile, at most
// 20 MB), reads its text with OCR, and applies the text to the chat's session as a step of its
// own, in the chat's turn: flows shows what it read as an offer, once per screenshot and only
// while the user is still at the evidence step. A reading survives a restart: a job claimed
// and not done is claimed again when its lease runs out.

// OCR reads an image's text. *ocr.Reader implements it.
type OCR interface {
	Available() bool
	Read(ctx context.Context, data []byte) (string, error)
}

// Readings is the list of screenshots waiting to be read, kept where a restart finds it:
// storage.Redis's EnqueueReading, ClaimReadings and DoneReading, through the wiring's adapter
// (bot does not import storage).
type Readings interface {
	// EnqueueReading queues j at now; false when it was queued already, or its chat has as
	// many waiting as one chat may (the screenshot stays unread).
	EnqueueReading(ctx context.Context, j ReadingJob, now time.Time) (bool, error)
	// ClaimReadings claims up to limit queued jobs, or jobs whose lease ran out, for lease.
	ClaimReadings(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]ReadingJob, error)
	// DoneReading forgets a job; false when j is no longer its latest claim.
	DoneReading(ctx context.Context, j ReadingJob) (bool, error)
}

// ReadingJob is a screenshot to read: the chat, the evidence item's unique file id, the file
// id to download. Attempt and Token describe a claim. Its fields are storage.ReadingJob's.
type ReadingJob struct {
	Chat    int64
	Unique  string
	FileID  string
	Attempt int
	Token   int64
}

// defaultReadLease is how long a claimed screenshot is its worker's: longer than a download
// and an OCR reading take (the reader's own limit is a minute).
const defaultReadLease = 5 * time.Minute

// readEvery is how often RunReadings looks for screenshots besides being woken by an enqueue:
// the jobs another process queued, or left when it died.
const readEvery = 5 * time.Second

// reads reports whether screenshots are read.
func (b *Bot) reads() bool { return b.readings != nil && b.ocr != nil && b.ocr.Available() }

// queueReadings queues the screenshots this step took as evidence that have not been read,
// while the session is at a question that reads them (flows.ReadsScreenshots), and reports whether it queued any: their offer
// follows this step's messages, which then cannot wait for the webhook's answer. Queuing is
// idempotent, so a redelivered update queues nothing twice.
func (b *Bot) queueReadings(ctx context.Context, chat int64, in flows.Input, s flows.Session) bool {
	if !b.reads() || in.Kind != flows.InputAttachment || !flows.ReadsScreenshots(s) {
		return false
	}
	queued := false
	for _, a := range in.Attachments {
		if !image(a) || a.Size > flows.MaxFileSize {
			continue
		}
		i := slices.IndexFunc(s.Draft.Evidence, func(e flows.Evidence) bool { return e.UniqueID == a.UniqueID })
		if i < 0 || s.Draft.Evidence[i].Read {
			continue
		}
		j := ReadingJob{Chat: chat, Unique: a.UniqueID, FileID: a.FileID}
		if _, err := b.readings.EnqueueReading(ctx, j, b.now()); err != nil {
			b.log.Warn("a screenshot was not queued for reading", "err", err)
			continue
		}
		queued = true
	}
	if queued {
		select {
		case b.readWake <- struct{}{}:
		default:
		}
	}
	return queued
}

// image reports whether an attachment is an image OCR may read: a photo, or a file whose
// type says image.
func image(a flows.Attachment) bool {
	return a.Kind == flows.EvidencePhoto || strings.HasPrefix(a.MIME, "image/")
}

// RunReadings reads queued screenshots until ctx ends. Without OCR it returns at once.
func (b *Bot) RunReadings(ctx context.Context) error {
	if !b.reads() {
		return nil
	}
	lease := b.cfg.ReadLease
	if lease <= 0 {
		lease = defaultReadLease
	}
	tick := time.NewTicker(min(readEvery, lease))
	defer tick.Stop()
	for {
		for {
			jobs, err := b.readings.ClaimReadings(ctx, b.now(), lease, 4)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				b.log.Warn("claim screenshots to read", "err", err)
				break
			}
			for _, j := range jobs {
				b.readOne(ctx, j)
			}
			if len(jobs) == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-b.readWake:
		}
	}
}

// readOne reads one screenshot and applies its text. A failure that another try may not meet
// (Redis down) leaves the job for its lease to run out; one it would meet again (the file is
// gone, not an image) drops it.
func (b *Bot) readOne(ctx context.Context, j ReadingJob) {
	text, err := b.readFile(ctx, j.FileID)
	if err == nil {
		err = b.applyReading(ctx, j, text)
	}
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errTransient) {
			b.log.Warn("a screenshot's reading is left for another try", "attempt", j.Attempt, "err", err)
			return
		}
		// the error's text may quote the file's URL and with it the token: its class only
		b.log.Info("a screenshot was not read", "attempt", j.Attempt, "reason", readFailure(err))
	}
	if _, err := b.readings.DoneReading(ctx, j); err != nil {
		b.log.Warn("mark a screenshot read", "err", err)
	}
}

// errNotRead classes the failures that another try would meet again.
var errNotRead = errors.New("screenshot not read")

// readFailure names a failure for the log without quoting it.
func readFailure(err error) string {
	if errors.Is(err, errNotRead) {
		return strings.TrimPrefix(err.Error(), errNotRead.Error()+": ")
	}
	return "other"
}

// readFile downloads a file by its id and reads its text.
func (b *Bot) readFile(ctx context.Context, fileID string) (string, error) {
	var link string
	err := b.send.Do(ctx, 0, func(ctx context.Context) error {
		f, err := b.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
		if err != nil {
			return err
		}
		if f.FileSize > flows.MaxFileSize {
			return fmt.Errorf("%w: too large", errNotRead)
		}
		link = b.tg.FileDownloadLink(f)
		return nil
	})
	if err != nil {
		if errors.Is(err, errNotRead) {
			return "", err
		}
		return "", fmt.Errorf("%w: getFile failed", errNotRead)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", fmt.Errorf("%w: bad link", errNotRead)
	}
	resp, err := b.httpClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("download: %w", errTransient)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%w: download answered %d", errNotRead, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, flows.MaxFileSize+1))
	if err != nil {
		return "", fmt.Errorf("download: %w", errTransient)
	}
	if len(data) > flows.MaxFileSize {
		return "", fmt.Errorf("%w: too large", errNotRead)
	}
	text, err := b.ocr.Read(ctx, data)
	if err != nil {
		return "", fmt.Errorf("%w: ocr failed", errNotRead)
	}
	return text, nil
}

// applyReading applies a screenshot's text to its chat's session in the chat's turn, and sends
// what flows answers. Its step has an update id of its own, negative so that it never meets
// Telegram's: a claim that committed and died before DoneReading commits nothing twice.
func (b *Bot) applyReading(ctx context.Context, j ReadingJob, text string) error {
	in := flows.Input{Kind: flows.InputReading, Text: text, Data: j.Unique, Now: b.now().In(b.cfg.Location),
		NoEscalation: b.desk == nil, Providers: b.providers}
	var err error
	work := context.WithoutCancel(ctx)
	if !b.queue.Do(ctx, j.Chat, func() {
		res, committed, aerr := b.store.Apply(work, j.Chat, readingUpdateID(j), func(s flows.Session) (flows.Result, error) {
			return flows.Step(work, s, in)
		})
		if aerr != nil {
			b.m.RedisError()
			err = fmt.Errorf("commit a reading: %w: %w", errTransient, aerr)
			return
		}
		if committed.Duplicate {
			// committed by a claim that died after it: its offer may have been shown, and an
			// offer is shown once (a death between commit and send loses it; the user is
			// still at the evidence step and goes on as without OCR)
			return
		}
		outs, rerr := b.render.render(committed.Session.Lang, res, committed)
		if rerr != nil {
			b.log.Error("render a reading's offer", "err", rerr)
			return
		}
		b.sendAll(work, j.Chat, outs)
	}) {
		return fmt.Errorf("%w: shutting down", errTransient)
	}
	return err
}

// readingUpdateID is the update id of a screenshot's reading: negative, one per chat and file,
// and within the ±2^46 storage's commit script holds exactly (its numbers are Lua's doubles).
func readingUpdateID(j ReadingJob) int64 {
	h := fnv.New64a()
	h.Write([]byte(j.Unique))
	return -int64(h.Sum64()%(1<<46)) - 1
}
