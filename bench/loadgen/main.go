// Command loadgen measures complaintbot as a whole: it plays the Telegram side of many
// conversations at once against one or more running bots (replicas) in webhook mode, and
// reports throughput, step latency, the bot's CPU and memory from /proc, and what each update
// costs in Redis.
//
// It starts the fake Bot API (internal/fakeapi) in-process, prints its URL on the first line of
// its output ("fakeapi http://127.0.0.1:PORT") and waits for the bots to answer /healthz: the
// bots are started after it, with TELEGRAM_API_URL set to that URL (bench/run.sh does this).
// Then -users simulated users, each in a chat of their own, play a whole complaint (script.go):
// text answers, presses of buttons taken from the last keyboard the bot sent that chat, a
// photo, and the confirmation that produces the document; a user who finishes starts again in
// a new chat. Each update is POSTed to the bot's webhook over at most -max-connections
// connections in all (setWebhook's max_connections: Telegram's default 40, at most 100; the bots
// share them evenly), and the user waits until the step is done before the next one: a step is done when both the bot's first Bot API call for the chat
// (as the fake received it) and the webhook's HTTP answer have arrived, as Telegram itself
// waits for the answer before it sends the chat's next update.
//
// A run is bounded: -warmup, then a measured window of -duration, then the steps in flight
// finish (each bounded by -step-timeout). Everything stays on loopback: the fake listens on
// 127.0.0.1, and bot and Redis URLs must be loopback addresses.
//
// The report ends with one JSON line; `loadgen table FILE...` turns such lines into the
// Markdown table of docs/BENCHMARKS.md. `loadgen startup -bin BINARY` measures start-up instead:
// the time to a served /healthz and to the first answered update (startup.go).
//
// # Redis figures
//
// With -redis, INFO is read at the start and the end of the measured window. Commands per
// update is the growth of every command's calls in INFO commandstats (which counts the commands
// a Lua script runs as well as EVALSHA itself) divided by the updates done in the window; the
// load generator's own INFO and MEMORY USAGE calls are left out. Round trips per update is the
// growth of total_reads_processed, the read events Redis handled on client sockets, less the
// load generator's own commands: a pipeline (written at once by go-redis) and an EVALSHA each
// arrive as one read, so this counts exactly "a pipeline or a script is one round trip".
// Memory per active session is MEMORY USAGE of the session key of every user's current chat
// when the window ends, wherever in the conversation it is, beside the sum over all the chat's
// keys (its hash tag: session, seen update ids, kept replies...); and separately of each session
// read just before its user presses "confirm", when the draft is fullest. Dataset per chat is
// the growth of used_memory_dataset since the run began (bench/run.sh empties Redis first) over
// every chat the run opened, finished complaints included.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"complaintbot/internal/sleep"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// run is the program with its world passed in.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "table" {
		return table(args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "startup" {
		return startup(ctx, args[1:], stdout, stderr)
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return load(ctx, cfg, stdout, stderr)
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var bots, pidFiles string
	fs.StringVar(&c.apiAddr, "api", "127.0.0.1:0", "loopback `address` of the fake Bot API")
	fs.StringVar(&c.token, "token", "123456:bench-token-abcdefgh", "the bot `token` the fake accepts")
	fs.StringVar(&c.secret, "secret", "bench-secret-0123456789", "the webhook secret `token` the bots expect")
	fs.StringVar(&bots, "bots", "http://127.0.0.1:8080/webhook", "the bots' webhook `URLs`, comma-separated; chats are spread across them. @FILE stands for the URL written to FILE, waited for (a bot started after this program on a port of its choosing)")
	fs.StringVar(&pidFiles, "pidfiles", "", "`files` holding the bots' process ids, comma-separated, for CPU and RSS from /proc")
	fs.StringVar(&c.redisURL, "redis", "", "the bots' Redis `URL`, for INFO commandstats and MEMORY USAGE")
	fs.IntVar(&c.users, "users", 50, "concurrent simulated `users`")
	fs.IntVar(&c.maxConns, "max-connections", 40, "at most this many webhook `connections` open at once over all the bots, as Telegram's setWebhook max_connections caps them (1-100; Telegram's default is 40); users beyond it wait for a connection, as Telegram's updates do")
	fs.DurationVar(&c.warmup, "warmup", 2e9, "`time` played before the measured window")
	fs.DurationVar(&c.duration, "duration", 15e9, "the measured window")
	fs.DurationVar(&c.stepTimeout, "step-timeout", 10e9, "how long one step may take before it counts as a timeout")
	fs.DurationVar(&c.readyTimeout, "ready-timeout", 60e9, "how long to wait for the bots to answer /healthz")
	fs.Int64Var(&c.chatBase, "chat-base", 0, "first chat id; 0 picks one from the clock so that runs do not meet old sessions")
	fs.StringVar(&c.label, "label", "", "a name for this run in the report")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write this program's CPU profile of the measured window to `file`")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for b := range strings.SplitSeq(bots, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		if !strings.HasPrefix(b, "@") {
			if err := checkLoopbackURL(b); err != nil {
				return config{}, fmt.Errorf("-bots: %w", err)
			}
		}
		c.bots = append(c.bots, b)
	}
	if len(c.bots) == 0 {
		return config{}, errors.New("-bots: no webhook URL")
	}
	for f := range strings.SplitSeq(pidFiles, ",") {
		if f = strings.TrimSpace(f); f != "" {
			c.pidFiles = append(c.pidFiles, f)
		}
	}
	if c.redisURL != "" {
		if err := checkLoopbackURL(c.redisURL); err != nil {
			return config{}, fmt.Errorf("-redis: %w", err)
		}
	}
	switch {
	case c.users < 1 || c.users > 100_000:
		return config{}, errors.New("-users: between 1 and 100000")
	case c.maxConns < 1 || c.maxConns > 100:
		return config{}, errors.New("-max-connections: between 1 and 100, as Telegram allows")
	case c.maxConns < len(c.bots):
		return config{}, errors.New("-max-connections: at least one per bot")
	case c.duration <= 0 || c.duration > 30*60e9:
		return config{}, errors.New("-duration: more than 0 and at most 30m")
	case c.warmup < 0 || c.warmup > 10*60e9:
		return config{}, errors.New("-warmup: at most 10m")
	case c.stepTimeout <= 0 || c.stepTimeout > 5*60e9:
		return config{}, errors.New("-step-timeout: more than 0 and at most 5m")
	}
	return c, nil
}

// checkLoopbackURL refuses a URL whose host is not a loopback address: the load stays on
// this machine.
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not a loopback address", raw)
	}
	return nil
}

// healthURL is the bot's /healthz beside its webhook.
func healthURL(webhook string) string {
	u, err := url.Parse(webhook)
	if err != nil {
		return webhook
	}
	u.Path, u.RawQuery = "/healthz", ""
	return u.String()
}

// waitHealthy polls every bot's /healthz until it answers 200.
func waitHealthy(ctx context.Context, client *http.Client, bots []string) error {
	for _, b := range bots {
		h := healthURL(b)
		for {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, h, nil)
			if err != nil {
				return err
			}
			resp, err := client.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if err := sleep.For(ctx, 50e6); err != nil {
				return fmt.Errorf("bot %s did not answer /healthz: %w", h, err)
			}
		}
	}
	return nil
}
