package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/locales"
	"complaintbot/ocr"
	"complaintbot/staff"
	"complaintbot/storage"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// runServe runs the Telegram bot until ctx ends, then stops taking updates, finishes the ones in
// flight and returns.
func runServe(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	// Every setting is read and checked before anything is opened.
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	useRedisLog(log) // before Redis is opened: go-redis logs its dial failures too
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	docs, err := document.New()
	if err != nil {
		return fmt.Errorf("load document templates: %w", err)
	}
	store, closeStore, err := openStorage(ctx, cfg.Redis, storage.Options{Logger: log, SessionTTL: cfg.SessionTTL})
	if err != nil {
		return err
	}
	defer closeStore()
	if cfg.Redis == nil {
		log.Warn("REDIS_URL=memory://: every session, case and queued escalation is lost when the process ends")
	}
	if n, err := store.Sweep(ctx); err != nil {
		log.Warn("sweep of unfinished commits failed", "err", err)
	} else if n > 0 {
		log.Info("finished commits left by a crash", "count", n)
	}

	if cfg.PprofAddr != "" {
		if err := startPprof(ctx, cfg.PprofAddr, log); err != nil {
			return err
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bot.NewMetrics(reg)
	// one pooled client for every Bot API call; the default allows 2 idle connections per host
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
	// go-telegram/bot on botapi.Transport: every call's failure is a *botapi.Error
	tg, err := botapi.NewTelegram(&http.Client{Timeout: time.Minute, Transport: transport}, cfg.Bot.APIURL, cfg.Bot.Token, log)
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	sopts := senderOptions(cfg, log)
	sopts.Metrics = metrics.TelegramAttempt
	snd := sender.New(sopts)
	// The staff desk runs when a staff chat is configured; without one users are told
	// escalation is not available.
	var desk *staff.Desk
	deps := bot.Deps{
		Telegram: tg, Store: store, Sender: snd, Catalog: cat, Docs: docs, Log: log, Metrics: metrics,
		HTTPClient: &http.Client{Transport: transport},
		Files:      caseFiles{store}, Providers: cfg.Providers,
	}
	// Screenshots sent as evidence are read with Tesseract when it is installed; without it
	// the bot keeps them unread, and says so once here.
	if reader, err := ocr.New(ctx, ocr.Options{}); err != nil {
		log.Warn("screenshots sent as evidence are not read: " + err.Error())
	} else {
		deps.OCR, deps.Readings = reader, readings{store}
	}
	if cfg.Staff.Chat != 0 {
		desk, err = staff.New(cfg.Staff, staff.Deps{
			Telegram: tg, Sender: snd, Catalog: cat, Docs: docs, Log: log, Metrics: metrics,
			Cases: store, Complainants: store, Queue: store, Postings: store, Threads: store, Awaits: store, Reminders: store, Journal: store, Erasures: store,
		})
		if err != nil {
			return err
		}
		deps.Desk = desk
	}
	b, err := bot.New(cfg.Bot, deps)
	if err != nil {
		return err
	}
	// Serve before registering the webhook: Telegram delivers as soon as it is set.
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on LISTEN_ADDR %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           b.Handler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if err := b.Setup(ctx); err != nil {
		srv.Close()
		b.Shutdown()
		return fmt.Errorf("register with telegram: %w", err)
	}
	// The staff desk (escalation consumer, reminders) runs until shutdown; what it leaves
	// unacknowledged is delivered again at the next start.
	staffCtx, stopStaff := context.WithCancel(ctx)
	defer stopStaff()
	staffDone := make(chan error, 1)
	if desk != nil {
		go func() { staffDone <- desk.Run(staffCtx) }()
	} else {
		log.Warn("STAFF_CHAT_ID is not set: users are told escalation to staff is not available")
		staffDone <- nil
	}
	// Outboxes a Redis outage left unflushed (an escalation committed just before it) are
	// flushed again every few seconds, and every outbox now and then (a replica that died and
	// was not started again).
	go sweepOutboxes(staffCtx, store, log)
	// The complainants' reminders (package followup): due answers and the limitation date.
	remindDone := make(chan struct{})
	go func() {
		defer close(remindDone)
		reminderLoop{store: store, send: b, now: time.Now, owner: cfg.Staff.Consumer,
			lease: defaultReminderLease, log: log}.run(staffCtx, 30*time.Second)
	}()
	readsDone := make(chan error, 1)
	go func() { readsDone <- b.RunReadings(staffCtx) }()
	// Closed cases lose their personal fields CASE_RETENTION after they closed, as the privacy
	// notice says.
	go retainCases(staffCtx, store, cfg.CaseRetention, log)
	mode := "polling"
	if cfg.Bot.WebhookURL != "" {
		mode = "webhook"
	}
	log.Info("complaintbot serving", "mode", mode, "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "complaintbot serving (%s) on %s\n", mode, ln.Addr())

	var pollErr error
	if cfg.Bot.WebhookURL == "" {
		pollErr = b.Poll(ctx)
	} else {
		select {
		case <-ctx.Done():
		case err := <-served:
			pollErr = err
		}
	}
	stopStaff()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	if err := <-staffDone; err != nil {
		log.Warn("staff desk", "err", err)
	}
	<-remindDone
	if err := <-readsDone; err != nil {
		log.Warn("screenshot reading", "err", err)
	}
	b.Shutdown()
	log.Info("complaintbot stopped")
	if pollErr != nil && !errors.Is(pollErr, http.ErrServerClosed) {
		return pollErr
	}
	return nil
}

// retainCases scrubs the personal fields of cases closed longer than retention ago, at start
// and then every hour, until ctx ends.
func retainCases(ctx context.Context, store *storage.Redis, retention time.Duration, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := store.ScrubClosed(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("retention: scrubbing closed cases failed; tried again in an hour", "err", err)
		case n > 0:
			log.Info("retention: closed cases scrubbed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sweepOutboxes retries the outbox flushes that failed in this process every 5 seconds and
// sweeps every outbox every 10 minutes, until ctx ends; it also has the append-only file
// rewritten after erasures, at most once per storage.AOFRewritePeriod.
func sweepOutboxes(ctx context.Context, store *storage.Redis, log *slog.Logger) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n, err := store.Reflush(ctx); err != nil {
			log.Warn("outbox flush failed again; it stays queued", "err", err)
		} else if n > 0 {
			log.Info("flushed outboxes left by a Redis outage", "count", n)
		}
		if ok, err := store.RewriteAfterErasures(ctx, storage.AOFRewritePeriod); err != nil {
			log.Warn("rewrite of the append-only file after erasures failed", "err", err)
		} else if ok {
			log.Info("append-only file rewritten after erasures")
		}
		if time.Since(last) >= 10*time.Minute {
			last = time.Now()
			if n, err := store.Sweep(ctx); err != nil {
				log.Warn("sweep of unfinished commits failed", "err", err)
			} else if n > 0 {
				log.Info("finished commits left by a crash", "count", n)
			}
		}
	}
}
