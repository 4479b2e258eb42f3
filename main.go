// Command complaintbot helps people charged unexpectedly by payment-terminal (POS) providers
// turn their story into a complaint a consumer association will act on, over Telegram, and
// hands the hard cases to staff.
//
//	complaintbot chat    a local conversation in the terminal (no setup needed)
//	complaintbot serve   the Telegram bot (see README.md for its settings)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // the bot reads dates in Asia/Shanghai wherever it runs

	"github.com/redis/go-redis/v9"

	"complaintbot/document"
	"complaintbot/localchat"
	"complaintbot/locales"
	"complaintbot/providers"
	"complaintbot/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "complaintbot:", err)
		os.Exit(1)
	}
}

// usage is the command line we understand.
const usage = "usage: complaintbot chat [-out DIR] [-lang CODE] | complaintbot serve"

// run is the whole program, with its world passed in so tests can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "chat":
		return runChat(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return errors.New(usage)
}

// runChat plays the conversation in the terminal, on REDIS_URL when set and otherwise on an
// embedded in-process Redis.
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "complaints", "directory for the finished complaint documents")
	lang := fs.String("lang", getenv("LANG"), "the user's language code (zh-CN or en)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	rend, err := document.New()
	if err != nil {
		return fmt.Errorf("load document templates: %w", err)
	}
	store, closeStore, err := openStorage(ctx, getenv, storage.Options{Logger: log})
	if err != nil {
		return err
	}
	defer closeStore()
	provs, err := providers.Load(strings.TrimSpace(getenv("PROVIDERS_FILE")))
	if err != nil {
		return fmt.Errorf("PROVIDERS_FILE: %w", err)
	}
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: rend, In: stdin, Out: stdout, Log: log,
		OutDir: *out, Lang: *lang, Providers: provs,
	})
	return c.Run(ctx)
}

// openStorage connects to REDIS_URL with opts, or starts the embedded default (with the default
// options and opts' logger) when it is unset.
func openStorage(ctx context.Context, getenv func(string) string, opts storage.Options) (*storage.Redis, func(), error) {
	url := getenv("REDIS_URL")
	if url == "" {
		r, closeFn, err := storage.Embedded(ctx, opts.Logger)
		if err != nil {
			return nil, nil, fmt.Errorf("start embedded redis: %w", err)
		}
		return r, closeFn, nil
	}
	ropts, err := storage.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	r := storage.New(redis.NewUniversalClient(ropts), opts)
	if err := r.Ping(ctx); err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("connect to REDIS_URL: %w", err)
	}
	return r, func() { r.Close() }, nil
}
