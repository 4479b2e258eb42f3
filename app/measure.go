package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"golang.org/x/time/rate"

	"complaintbot/telegram/sender"
)

// Two settings of `serve` exist for measuring the bot (bench/run.sh uses them); production
// leaves both unset.
//
//	PPROF_ADDR            a loopback address such as 127.0.0.1:6060: serve net/http/pprof
//	                      there, on a listener of its own (never on LISTEN_ADDR)
//	TELEGRAM_SEND_LIMITS  "off": send without Telegram's rate limits, for load tests against
//	                      a fake Bot API; empty: Telegram's limits (30 messages/s in all,
//	                      1/s per chat with a burst of 3)

// senderOptions returns the sender's options for cfg: Telegram's limits unless
// TELEGRAM_SEND_LIMITS=off, and TELEGRAM_ATTEMPT_TIMEOUT.
func senderOptions(cfg Config, log *slog.Logger) sender.Options {
	// A Bot API call that hangs holds up its chat's later messages; it is abandoned and retried
	// after TELEGRAM_ATTEMPT_TIMEOUT (an upload of a complaint's .docx takes well under a second).
	o := sender.Options{Logger: log, AttemptTimeout: cfg.AttemptTimeout}
	if cfg.NoSendLimits {
		off := sender.Limit{Rate: rate.Inf, Burst: 1}
		o.Global, o.PerChat, o.PerGroup = off, off, off
		log.Warn("TELEGRAM_SEND_LIMITS=off: sending without Telegram's rate limits (load tests only)")
	}
	return o
}

// startPprof serves the profiles on addr (PPROF_ADDR, a loopback address as ConfigFromEnv
// checked), until ctx ends.
func startPprof(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on PPROF_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Warn("pprof server", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("pprof serving", "addr", ln.Addr().String())
	return nil
}
