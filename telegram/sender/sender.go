// Package sender is the one way every outgoing Telegram Bot API call goes: it keeps to
// Telegram's rate limits, honours 429 retry_after, retries transient failures with backoff,
// and tells blocked chats apart from everything else.
//
// A call is a closure that builds and sends one request, for example
//
//	err := s.DoMethod(ctx, chatID, "sendMessage", func(ctx context.Context) error {
//		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: text})
//		return err
//	})
//
// Do runs it again on every retry, so the request (and any upload reader in it) must be
// rebuilt inside the closure, never captured half-read from outside.
//
// Ordering: calls for one chat that one goroutine issues one after another are sent in that
// order, because Do returns only after its call succeeded or failed for good (retries happen
// inside Do). Calls issued concurrently from several goroutines have no order; keeping one
// chat's calls on one goroutine (or queue) is the caller's job.
//
// Delivery is at least once for ambiguous failures: when a request fails after Telegram may
// have acted on it (a dropped connection, a timeout, a 5xx from a proxy), Do retries it and
// the message may appear twice. Telegram offers no idempotency key; the retries exist because
// losing a reply is worse.
//
// Do decides by the types in a call's error (Classify): the *botapi.Error that every call made
// through telegram/botapi's Client or NewTelegram fails with, carrying Telegram's error_code,
// retry_after and migrate_to_chat_id, and context and network errors. No error text is read.
// Log Code(err) and the class (errors.Is), not err.Error(): go-telegram/bot's wrapping can
// quote a request's parameters.
package sender

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"complaintbot/internal/sleep"
	"complaintbot/telegram/botapi"
)

// Limit is a token bucket: Burst calls at once, then Rate calls per second on average.
// The zero Limit means the default for its place in Options; Rate rate.Inf disables it.
type Limit struct {
	Rate  rate.Limit
	Burst int
}

// defaultLimits are Telegram's limits from its FAQ ("My bot is hitting limits, how do I
// avoid this?"), as Options documents them.
func defaultLimits() (global, perChat, perGroup Limit) {
	return Limit{Rate: 30, Burst: 30},
		Limit{Rate: 1, Burst: 3},
		Limit{Rate: rate.Every(time.Minute / 17), Burst: 3}
}

// Defaults for the other Options.
const (
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultMaxAttempts   = 5
	DefaultBackoff       = 250 * time.Millisecond
	DefaultMaxBackoff    = 10 * time.Second
	DefaultIdleSweep     = time.Minute
)

// Clock is the time source Do waits on. Tests pass a fake one to check limits without
// sleeping; the default is the real clock.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, and then returns ctx's error, if any.
	Sleep(ctx context.Context, d time.Duration) error
}

// Options configures a Sender. The zero value gives Telegram's limits and sensible retries.
type Options struct {
	// Global limits all calls; default 30/s with a burst of 30. Telegram's "about 30
	// messages per second" tolerates short bursts, and a spike of replies to many chats then
	// goes out at once; when Telegram disagrees it answers 429, which Do honours.
	Global Limit
	// PerChat limits each private chat (id > 0); default 1/s with a burst of 3. One step of
	// a conversation often answers with two or three messages (an acknowledgement, the next
	// question, a document); spacing those a second apart would only add latency, while the
	// sustained rate stays at Telegram's one per second.
	PerChat Limit
	// PerGroup limits each group, supergroup or channel (id < 0, such as the staff group);
	// default a burst of 3 plus 17 per minute. Telegram allows 20 messages per minute in a
	// group, and a token bucket lets through at most Burst + Rate*60s calls in any 60
	// seconds, so the default can never exceed 20 in any minute.
	PerGroup Limit

	// MaxRetryAfter caps how long Do waits on one 429 retry_after before retrying; a longer
	// retry_after is waited only up to the cap (the next attempt then usually meets another
	// 429 carrying the remaining time). Default DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// MaxAttempts bounds the attempts of one Do, 429s included. Default DefaultMaxAttempts.
	MaxAttempts int
	// Backoff is the first wait before retrying a transient failure; it doubles per attempt
	// up to MaxBackoff, and each wait is jittered to between half and all of it. Default
	// DefaultBackoff.
	Backoff time.Duration
	// MaxBackoff caps the doubling of Backoff. Default DefaultMaxBackoff.
	MaxBackoff time.Duration
	// AttemptTimeout, when set, bounds each attempt; a timed-out attempt is retried. When
	// zero, only ctx and the bot's HTTP client (one minute in go-telegram/bot) bound it.
	AttemptTimeout time.Duration
	// IdleSweep is how often per-chat limiters that are back to a full bucket (so identical
	// to new ones) are dropped. Default DefaultIdleSweep.
	IdleSweep time.Duration

	Clock  Clock        // default the real clock
	Logger *slog.Logger // retries at debug, 429s at warn; never chat ids or text. Default discards.
	// Metrics, when set, observes every attempt: method as given to DoMethod ("" from Do)
	// and Code of its outcome (200 for success, 0 for transport failures).
	Metrics func(method string, code int)
}

// Sender sends Bot API calls within Telegram's limits. It is safe for concurrent use.
type Sender struct {
	global        *rate.Limiter
	chats         *chatLimiters
	maxRetryAfter time.Duration
	maxAttempts   int
	backoff       time.Duration
	maxBackoff    time.Duration
	attemptTO     time.Duration
	clock         Clock
	log           *slog.Logger
	metrics       func(string, int)
}

// New returns a Sender with opts, defaults filled in.
func New(opts Options) *Sender {
	defGlobal, defChat, defGroup := defaultLimits()
	global := orDefault(opts.Global, defGlobal)
	s := &Sender{
		global:        rate.NewLimiter(global.Rate, global.Burst),
		maxRetryAfter: orDur(opts.MaxRetryAfter, DefaultMaxRetryAfter),
		maxAttempts:   opts.MaxAttempts,
		backoff:       orDur(opts.Backoff, DefaultBackoff),
		maxBackoff:    orDur(opts.MaxBackoff, DefaultMaxBackoff),
		attemptTO:     opts.AttemptTimeout,
		clock:         opts.Clock,
		log:           opts.Logger,
		metrics:       opts.Metrics,
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = DefaultMaxAttempts
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.chats = &chatLimiters{
		private: orDefault(opts.PerChat, defChat),
		group:   orDefault(opts.PerGroup, defGroup),
		sweep:   orDur(opts.IdleSweep, DefaultIdleSweep),
		m:       map[int64]*rate.Limiter{},
	}
	return s
}

func orDefault(l, def Limit) Limit {
	if l.Rate == 0 {
		l.Rate = def.Rate
	}
	if l.Burst <= 0 {
		l.Burst = def.Burst
	}
	return l
}

func orDur(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Do sends one call for chatID, as DoMethod without a method name.
func (s *Sender) Do(ctx context.Context, chatID int64, call func(ctx context.Context) error) error {
	return s.DoMethod(ctx, chatID, "", call)
}

// DoMethod waits for the chat's and the global rate limit, runs call, and retries it while
// the failure is transient: after a 429 it waits retry_after (up to MaxRetryAfter); after a
// 5xx, a network error, a timed-out attempt or a malformed answer it backs off
// exponentially with jitter. Every attempt waits for the limiters again.
//
// chatID selects the per-chat limit (> 0 private, < 0 group); 0 means the call concerns no
// chat (answerCallbackQuery, getFile, setMyCommands) and only the global limit applies.
// method names the call in logs and Metrics.
//
// It returns nil once call succeeds, and otherwise an error wrapping the last failure:
// ErrBlocked when the chat is unreachable (a 403: the user blocked the bot or was deactivated,
// or the bot was removed from the group), a *MigratedError when a group
// became a supergroup, other 4xx (a *botapi.Error) at once without retrying, the
// transient failure after MaxAttempts, or ctx's error when ctx ends while waiting.
func (s *Sender) DoMethod(ctx context.Context, chatID int64, method string, call func(ctx context.Context) error) error {
	op := "telegram call"
	if method != "" {
		op = "telegram " + method
	}
	if call == nil {
		return fmt.Errorf("%s: nil call", op)
	}
	for attempt := 1; ; attempt++ {
		if err := s.wait(ctx, chatID); err != nil {
			return fmt.Errorf("%s: wait for rate limit: %w", op, err)
		}
		err := s.attempt(ctx, call)
		code := Code(err)
		if s.metrics != nil {
			s.metrics(method, code)
		}
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		class := Classify(err)
		switch class {
		case ClassBlocked:
			return fmt.Errorf("%s: %w: %w", op, ErrBlocked, err)
		case ClassMigrated:
			return fmt.Errorf("%s: %w", op, &MigratedError{ChatID: chatID, NewChatID: botapi.From(err).MigrateToChatID, Err: err})
		case ClassPermanent:
			return fmt.Errorf("%s: %w", op, err)
		}
		if attempt >= s.maxAttempts {
			return fmt.Errorf("%s: giving up after %d attempts: %w", op, attempt, err)
		}
		wait, level := s.backoffFor(attempt), slog.LevelDebug
		if ra := botapi.From(err); class == ClassRateLimited && ra.RetryAfter > 0 {
			wait, level = min(ra.RetryAfter, s.maxRetryAfter), slog.LevelWarn
		}
		s.log.LogAttrs(ctx, level, "telegram call retry",
			slog.String("method", method), slog.String("chat_kind", chatKind(chatID)),
			slog.Int("attempt", attempt), slog.Int("code", code), slog.Duration("wait", wait))
		if serr := s.clock.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s: wait to retry: %w (last failure: %w)", op, serr, err)
		}
	}
}

// attempt runs call once, bounded by AttemptTimeout when set.
func (s *Sender) attempt(ctx context.Context, call func(context.Context) error) error {
	if s.attemptTO <= 0 {
		return call(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, s.attemptTO)
	defer cancel()
	return call(actx)
}

// backoffFor returns the jittered wait after the attempt-th transient failure.
func (s *Sender) backoffFor(attempt int) time.Duration {
	d := s.backoff
	for i := 1; i < attempt && d < s.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.maxBackoff)
	half := d / 2
	return half + rand.N(d-half+1)
}

// wait takes a token from the chat's limiter and then from the global one, sleeping on the
// clock as needed. The chat comes first: its waits are the long ones, and a global token
// taken before them would be wasted.
func (s *Sender) wait(ctx context.Context, chatID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if chatID != 0 {
		now := s.clock.Now()
		if err := s.waitFor(ctx, s.chats.reserve(chatID, now), now); err != nil {
			return err
		}
	}
	now := s.clock.Now()
	return s.waitFor(ctx, s.global.ReserveN(now, 1), now)
}

// waitFor sleeps until reservation r, made at now, may act; when ctx ends first it gives
// the token back.
func (s *Sender) waitFor(ctx context.Context, r *rate.Reservation, now time.Time) error {
	if !r.OK() {
		return errors.New("rate limit burst is zero")
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := s.clock.Sleep(ctx, d); err != nil {
		r.CancelAt(s.clock.Now())
		return err
	}
	return nil
}

// chatLimiters holds one limiter per recently active chat. A limiter whose bucket has
// refilled completely behaves exactly like a new one, so the periodic sweep drops those: the
// map holds only chats that sent within the last few seconds (a group's bucket takes about
// ten seconds to refill), never every chat ever seen.
type chatLimiters struct {
	private, group Limit
	sweep          time.Duration

	mu        sync.Mutex
	m         map[int64]*rate.Limiter
	lastSweep time.Time
}

// reserve takes a token for chatID at now. Reserving under the lock means the sweep can never
// drop a limiter between a lookup and its reservation.
func (c *chatLimiters) reserve(chatID int64, now time.Time) *rate.Reservation {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.lastSweep) >= c.sweep {
		for id, l := range c.m {
			if l.TokensAt(now) >= float64(l.Burst()) {
				delete(c.m, id)
			}
		}
		c.lastSweep = now
	}
	l, ok := c.m[chatID]
	if !ok {
		lim := c.private
		if chatID < 0 {
			lim = c.group
		}
		l = rate.NewLimiter(lim.Rate, lim.Burst)
		c.m[chatID] = l
	}
	return l.ReserveN(now, 1)
}

func (c *chatLimiters) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func chatKind(chatID int64) string {
	switch {
	case chatID > 0:
		return "private"
	case chatID < 0:
		return "group"
	}
	return "none"
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error { return sleep.For(ctx, d) }
