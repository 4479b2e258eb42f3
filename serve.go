package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"complaintbot/bot"
	"complaintbot/bot/sender"
	"complaintbot/document"
	"complaintbot/locales"
	"complaintbot/providers"
	"complaintbot/storage"
)

// runServe runs the Telegram bot until ctx ends, then stops taking updates, finishes the ones in
// flight and returns.
func runServe(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := bot.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	docs, err := document.New()
	if err != nil {
		return fmt.Errorf("load document templates: %w", err)
	}
	store, closeStore, err := openStorage(ctx, getenv, storage.Options{Logger: log, SessionTTL: cfg.SessionTTL})
	if err != nil {
		return err
	}
	defer closeStore()
	if n, err := store.Sweep(ctx); err != nil {
		log.Warn("sweep of unfinished commits failed", "err", err)
	} else if n > 0 {
		log.Info("finished commits left by a crash", "count", n)
	}

	if addr := getenv("PPROF_ADDR"); addr != "" {
		if err := startPprof(ctx, addr, log); err != nil {
			return err
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bot.NewMetrics(reg)
	// one pooled client for every Bot API call; the default allows 2 idle connections per host
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
	tg, err := tgbot.New(cfg.Token, tgbot.WithServerURL(cfg.APIURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(time.Minute, &http.Client{Timeout: time.Minute, Transport: newWholeBodies(transport)}))
	if err != nil {
		return fmt.Errorf("telegram client: %w", err)
	}
	sndOpts, err := senderOptions(getenv, log)
	if err != nil {
		return err
	}
	// A Bot API call that hangs holds up its chat's later messages; it is abandoned and retried
	// after TELEGRAM_ATTEMPT_TIMEOUT (an upload of a complaint's .docx takes well under a second).
	sndOpts.AttemptTimeout = 30 * time.Second
	if v := getenv("TELEGRAM_ATTEMPT_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("TELEGRAM_ATTEMPT_TIMEOUT is malformed: expected a positive duration such as 30s")
		}
		sndOpts.AttemptTimeout = d
	}
	snd := sender.New(sndOpts)
	provs, err := providers.Load(cfg.ProvidersFile)
	if err != nil {
		return fmt.Errorf("PROVIDERS_FILE: %w", err)
	}
	b, err := bot.New(cfg, bot.Deps{
		Telegram: tg, Store: store, Sender: snd, Catalog: cat, Docs: docs, Log: log, Metrics: metrics,
		HTTPClient: &http.Client{Transport: transport}, Staff: store, Providers: provs,
	})
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
	if cfg.StaffChat == 0 {
		log.Warn("STAFF_CHAT_ID is not set: users are told escalation to staff is not available")
	}
	// The staff side (escalation consumer, reminders) runs until shutdown; what it leaves
	// unacknowledged is delivered again at the next start.
	staffCtx, stopStaff := context.WithCancel(ctx)
	defer stopStaff()
	staffDone := make(chan error, 1)
	go func() { staffDone <- b.RunStaff(staffCtx) }()
	// Outboxes a Redis outage left unflushed (an escalation committed just before it) are
	// flushed again every few seconds, and every outbox now and then (a replica that died and
	// was not started again).
	go sweepOutboxes(staffCtx, store, log)
	// Closed cases lose their personal fields CASE_RETENTION after they closed, as the privacy
	// notice says.
	go retainCases(staffCtx, store, cfg.CaseRetention, log)
	mode := "polling"
	if cfg.WebhookURL != "" {
		mode = "webhook"
	}
	log.Info("complaintbot serving", "mode", mode, "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "complaintbot serving (%s) on %s\n", mode, ln.Addr())

	var pollErr error
	if cfg.WebhookURL == "" {
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
		log.Warn("staff side", "err", err)
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
// sweeps every outbox every 10 minutes, until ctx ends.
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
