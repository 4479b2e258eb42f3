package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"complaintbot/bot/sender"
)

// Two settings of `serve` exist for measuring the bot (bench/run.sh uses them); production
// leaves both unset.
//
//	PPROF_ADDR            a loopback address such as 127.0.0.1:6060: serve net/http/pprof
//	                      there, on a listener of its own (never on LISTEN_ADDR)
//	TELEGRAM_SEND_LIMITS  "off": send without Telegram's rate limits, for load tests against
//	                      a fake Bot API; empty: Telegram's limits (30 messages/s in all,
//	                      1/s per chat with a burst of 3)

// senderOptions returns the sender's options for TELEGRAM_SEND_LIMITS.
func senderOptions(getenv func(string) string, log *slog.Logger) (sender.Options, error) {
	o := sender.Options{Logger: log}
	switch v := strings.TrimSpace(getenv("TELEGRAM_SEND_LIMITS")); v {
	case "":
	case "off":
		off := sender.Limit{Rate: rate.Inf, Burst: 1}
		o.Global, o.PerChat, o.PerGroup = off, off, off
		log.Warn("TELEGRAM_SEND_LIMITS=off: sending without Telegram's rate limits (load tests only)")
	default:
		return sender.Options{}, fmt.Errorf("TELEGRAM_SEND_LIMITS is malformed: expected off or nothing")
	}
	return o, nil
}

// startPprof serves the profiles on addr (PPROF_ADDR), which must be a loopback address, until
// ctx ends.
func startPprof(ctx context.Context, addr string, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		return fmt.Errorf("PPROF_ADDR is malformed: expected a loopback address such as 127.0.0.1:6060")
	}
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
