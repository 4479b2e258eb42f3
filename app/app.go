// Package app is complaintbot's wiring: it reads the configuration, opens Redis, builds the
// complainant's side (bot), the staff desk and the HTTP server, and runs them. main calls Run;
// the whole-program tests call it too, with their own environment and output.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"

	"complaintbot/document"
	"complaintbot/localchat"
	"complaintbot/locales"
	"complaintbot/ocr"
	"complaintbot/providers"
	"complaintbot/storage"
)

// usage is the command line we understand.
const usage = "usage: complaintbot chat [-out DIR] [-lang CODE] | complaintbot serve"

// Run is the whole program, with its world passed in so tests can run it: args without the
// program's name, the environment as getenv, and the standard streams.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
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

// terminalLanguage returns the language the terminal's locale asks for, as a Telegram client
// would send its language code: the first of LC_ALL, LC_MESSAGES and LANG that is set (the order
// POSIX reads them), without its encoding and modifier ("zh_CN.UTF-8" → "zh-CN"). The C and
// POSIX locales name no language: "", and the bot starts in Chinese, as for a Telegram user
// whose client sends no language.
func terminalLanguage(getenv func(string) string) string {
	var locale string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = strings.TrimSpace(getenv(name)); locale != "" {
			break
		}
	}
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	if locale == "C" || locale == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(locale, "_", "-")
}

// runChat plays the conversation in the terminal, on REDIS_URL when set and otherwise on an
// embedded in-process Redis.
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "complaints", "directory for the finished complaint documents")
	lang := fs.String("lang", terminalLanguage(getenv), "the user's language code (zh-CN or en; default: the terminal's locale, Chinese when it names no language)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	redisOpts, err := chatRedis(getenv)
	if err != nil {
		return err
	}
	provs, err := providers.Load(strings.TrimSpace(getenv("PROVIDERS_FILE")))
	if err != nil {
		return &ConfigError{Problems: []error{fmt.Errorf("PROVIDERS_FILE cannot be used: %w", err)}}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	useRedisLog(log)
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	rend, err := document.New()
	if err != nil {
		return fmt.Errorf("load document templates: %w", err)
	}
	store, closeStore, err := openStorage(ctx, redisOpts, storage.Options{Logger: log})
	if err != nil {
		return err
	}
	defer closeStore()
	o := localchat.Options{
		Store: store, Catalog: cat, Renderer: rend, In: stdin, Out: stdout, Log: log,
		OutDir: *out, Lang: *lang, Providers: provs,
		Files: caseFiles{store}, Remind: localReminders(store),
	}
	// an image attached at the evidence step is read, as the bot reads screenshots
	if reader, err := ocr.New(ctx, ocr.Options{}); err != nil {
		log.Info("attached screenshots are not read: " + err.Error())
	} else {
		o.OCR = reader
	}
	c := localchat.New(o)
	return c.Run(ctx)
}

// openStorage connects to the Redis of ropts with opts, or starts the in-process one (with the
// default options and opts' logger) when ropts is nil.
func openStorage(ctx context.Context, ropts *redis.UniversalOptions, opts storage.Options) (*storage.Redis, func(), error) {
	if ropts == nil {
		r, closeFn, err := storage.Embedded(ctx, opts.Logger)
		if err != nil {
			return nil, nil, fmt.Errorf("start embedded redis: %w", err)
		}
		return r, closeFn, nil
	}
	r := storage.New(redis.NewUniversalClient(ropts), opts)
	if err := r.Ping(ctx); err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("connect to REDIS_URL: %w", err)
	}
	return r, func() { r.Close() }, nil
}
