package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/internal/fakeapi"
	"complaintbot/internal/sleep"
	"complaintbot/storage"
)

// config is what one run does.
type config struct {
	apiAddr, token, secret string
	bots, pidFiles         []string
	redisURL               string
	users                  int
	maxConns               int // webhook connections open at once, over all the bots
	warmup, duration       time.Duration
	stepTimeout            time.Duration
	readyTimeout           time.Duration
	chatBase               int64
	label                  string
	cpuProfile             string
}

// user is one simulated user. The fields under mu are written by the fake API's OnCall.
type user struct {
	idx  int
	bot  string
	got  chan struct{} // signalled when the first call of the armed step arrives
	msgs int           // message ids of the user's messages

	mu       sync.Mutex
	chat     int64
	armed    bool
	first    time.Time // when the fake received the bot's first call for the chat since arm
	keyboard string    // reply_markup of the last message with buttons
	docs     int       // sendDocument calls for the chat
	samples  []sample
}

// sample is one finished step.
type sample struct {
	kind      kind
	latency   time.Duration
	done      time.Time
	confirmed bool // the step was the confirmation
}

// loadgen is one run.
type loadgen struct {
	api    *fakeapi.Server
	cfg    config
	steps  []step
	users  []*user
	client *http.Client
	rdb    *redis.Client
	base   int64

	updateID atomic.Int64
	apiCalls atomic.Int64 // Bot API requests the bots made
	inReply  atomic.Int64 // Bot API calls the bots put in their webhook answers
	ownRedis atomic.Int64 // commands this program sent to Redis (MEMORY USAGE)
	stop     atomic.Bool

	mu        sync.Mutex
	errs      map[string]int
	timeouts  int
	sessions  []int64 // MEMORY USAGE of a session at its review
	seenIDs   []int64 // MEMORY USAGE of its seen-update-ids key
	noDoc     int     // confirmations after which no document arrived
	winStart  time.Time
	winEnd    time.Time
	chatsUsed atomic.Int64
}

// snapshot is everything read at one edge of the measured window.
type snapshot struct {
	at       time.Time
	busy     time.Duration // CPU time of every process on the machine
	bots     []proc
	self     proc
	redis    redisStats
	apiCalls int64
	inReply  int64
	ownRedis int64
	chats    int64
}

func load(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	steps, err := script()
	if err != nil {
		return err
	}
	lg := &loadgen{cfg: cfg, steps: steps, errs: map[string]int{}}
	lg.base = cfg.chatBase
	if lg.base == 0 {
		lg.base = 1_000_000_000 + (time.Now().Unix()%1_000_000)*1_000_000
	}
	api, err := fakeapi.Start(fakeapi.Options{Addr: cfg.apiAddr, Token: cfg.token, Forget: true, OnCall: lg.onCall})
	if err != nil {
		return err
	}
	defer api.Close()
	lg.api = api
	fmt.Fprintf(stdout, "fakeapi %s\n", api.URL())
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}

	lg.client = &http.Client{
		Timeout: cfg.stepTimeout,
		Transport: &http.Transport{
			// as Telegram: at most max_connections requests open to the webhook, each bot (a host
			// of its own) getting its share
			MaxConnsPerHost: max(cfg.maxConns/max(len(cfg.bots), 1), 1),
			MaxIdleConns:    cfg.maxConns + 16, MaxIdleConnsPerHost: cfg.maxConns + 16,
			IdleConnTimeout: 90 * time.Second, DisableCompression: true,
		},
	}
	readyCtx, cancel := context.WithTimeout(ctx, cfg.readyTimeout)
	defer cancel()
	if cfg.bots, err = readBotURLs(readyCtx, cfg.bots); err != nil {
		return err
	}
	lg.cfg.bots = cfg.bots
	if err := waitHealthy(readyCtx, lg.client, cfg.bots); err != nil {
		return err
	}
	pids, err := readPIDs(readyCtx, cfg.pidFiles)
	if err != nil {
		return err
	}
	if cfg.redisURL != "" {
		opt, err := redis.ParseURL(cfg.redisURL)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		opt.PoolSize = 4
		lg.rdb = redis.NewClient(opt)
		defer lg.rdb.Close()
		if err := lg.rdb.Ping(ctx).Err(); err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
	}
	fmt.Fprintf(stderr, "loadgen: %d users on %d bot(s), warmup %v, window %v\n", cfg.users, len(cfg.bots), cfg.warmup, cfg.duration)

	for i := range cfg.users {
		lg.users = append(lg.users, &user{idx: i, bot: cfg.bots[i%len(cfg.bots)], got: make(chan struct{}, 1)})
	}
	initial, err := lg.snapshot(ctx, pids)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	runCtx, stopUsers := context.WithCancel(ctx)
	defer stopUsers()
	for _, u := range lg.users {
		wg.Add(1)
		go func() { defer wg.Done(); lg.play(runCtx, u) }()
	}

	if err := sleep.For(ctx, cfg.warmup); err != nil {
		return err
	}
	before, err := lg.snapshot(ctx, pids)
	if err != nil {
		return err
	}
	lg.mu.Lock()
	lg.winStart = before.at
	lg.mu.Unlock()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	if err := sleep.For(ctx, cfg.duration); err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	after, err := lg.snapshot(ctx, pids)
	if err != nil {
		return err
	}
	lg.mu.Lock()
	lg.winEnd = after.at
	lg.mu.Unlock()
	lg.stop.Store(true)
	active := lg.measureActive(ctx) // after the window: its commands are not counted
	drained := make(chan struct{})
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(cfg.stepTimeout + 5*time.Second):
		stopUsers()
		<-drained
	}
	rep := lg.report(before, after)
	rep.addMemory(initial, after, active)
	return rep.print(stdout)
}

// readBotURLs replaces every "@FILE" among the bots' URLs by the URL written to FILE, waiting
// for it to appear.
func readBotURLs(ctx context.Context, bots []string) ([]string, error) {
	out := make([]string, len(bots))
	for i, b := range bots {
		f, ok := strings.CutPrefix(b, "@")
		if !ok {
			out[i] = b
			continue
		}
		for {
			data, err := os.ReadFile(f)
			if u := strings.TrimSpace(string(data)); err == nil && strings.HasSuffix(string(data), "\n") && u != "" {
				if err := checkLoopbackURL(u); err != nil {
					return nil, fmt.Errorf("bot URL in %s: %w", f, err)
				}
				out[i] = u
				break
			}
			if err := sleep.For(ctx, 50e6); err != nil {
				return nil, fmt.Errorf("bot URL file %s: %w", f, err)
			}
		}
	}
	return out, nil
}

// readPIDs reads the bots' pid files, waiting for them to appear.
func readPIDs(ctx context.Context, files []string) ([]string, error) {
	var pids []string
	for _, f := range files {
		for {
			b, err := os.ReadFile(f)
			if p := strings.TrimSpace(string(b)); err == nil && p != "" {
				if _, err := strconv.Atoi(p); err != nil {
					return nil, fmt.Errorf("pid file %s: %q is not a pid", f, p)
				}
				pids = append(pids, p)
				break
			}
			if err := sleep.For(ctx, 50e6); err != nil {
				return nil, fmt.Errorf("pid file %s: %w", f, err)
			}
		}
	}
	return pids, nil
}

// snapshot reads the bots, this process and Redis.
func (lg *loadgen) snapshot(ctx context.Context, pids []string) (snapshot, error) {
	s := snapshot{at: time.Now(), apiCalls: lg.apiCalls.Load(), inReply: lg.inReply.Load(), ownRedis: lg.ownRedis.Load(), chats: lg.chatsUsed.Load()}
	for _, p := range pids {
		pr, err := readProc(p)
		if err != nil {
			return snapshot{}, fmt.Errorf("bot process: %w", err)
		}
		s.bots = append(s.bots, pr)
	}
	s.self, _ = readProc("self")
	s.busy, _ = machineBusy()
	if lg.rdb != nil {
		var err error
		if s.redis, err = readRedis(ctx, lg.rdb); err != nil {
			return snapshot{}, err
		}
	}
	return s, nil
}

// onCall is the fake API's hook: it timestamps the first call of a step and keeps the chat's
// last keyboard.
func (lg *loadgen) onCall(c fakeapi.Call) {
	if c.InReply {
		lg.inReply.Add(1)
	} else {
		lg.apiCalls.Add(1)
	}
	off := c.ChatID - lg.base
	if c.ChatID <= 0 || off < 0 {
		return // answerCallbackQuery, setMyCommands, setWebhook...
	}
	u := lg.users[off%int64(len(lg.users))]
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.chat != c.ChatID {
		return
	}
	if u.armed && u.first.IsZero() {
		u.first = c.Received
		select {
		case u.got <- struct{}{}:
		default:
		}
	}
	if m := c.Params["reply_markup"]; m != "" {
		u.keyboard = m
	}
	if strings.EqualFold(c.Method, "sendDocument") {
		u.docs++
	}
}

// play runs complaints, each in a new chat, until the run stops.
func (lg *loadgen) play(ctx context.Context, u *user) {
	n := int64(len(lg.users))
	for round := int64(0); ; round++ {
		chat := lg.base + round*n + int64(u.idx)
		u.mu.Lock()
		u.chat, u.keyboard, u.docs, u.armed = chat, "", 0, false
		u.mu.Unlock()
		lg.chatsUsed.Add(1)
		for i, st := range lg.steps {
			if lg.stop.Load() || ctx.Err() != nil {
				return
			}
			confirm := i == len(lg.steps)-1
			if confirm && lg.rdb != nil {
				lg.measureSession(ctx, chat)
			}
			if !lg.step(ctx, u, chat, st, confirm) {
				break // the conversation is off script: start again in a new chat
			}
			if confirm {
				u.mu.Lock()
				docs := u.docs
				u.mu.Unlock()
				if docs == 0 {
					lg.mu.Lock()
					lg.noDoc++
					lg.mu.Unlock()
				}
			}
		}
	}
}

// step sends one update and waits until the step is done. It reports false when the step
// failed, which ends the user's conversation.
func (lg *loadgen) step(ctx context.Context, u *user, chat int64, st step, confirm bool) bool {
	var data string
	if st.kind == kindPress {
		u.mu.Lock()
		kb := u.keyboard
		u.mu.Unlock()
		var ok bool
		if data, ok = button(kb, st.arg); !ok {
			lg.fail("no button " + st.arg)
			return false
		}
	}
	u.msgs++
	body, err := updateJSON(lg.updateID.Add(1), chat, u.msgs, st, data, time.Now())
	if err != nil {
		lg.fail("encode update")
		return false
	}
	u.mu.Lock()
	u.armed, u.first = true, time.Time{}
	select {
	case <-u.got: // a signal left by a step that timed out
	default:
	}
	u.mu.Unlock()

	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.bot, bytes.NewReader(body))
	if err != nil {
		lg.fail("request")
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", lg.cfg.secret)
	resp, err := lg.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		var ne interface{ Timeout() bool }
		if errors.As(err, &ne) && ne.Timeout() {
			lg.timeout()
		} else {
			lg.fail("webhook post")
		}
		return false
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	answered := time.Now()
	if err != nil {
		lg.fail("webhook answer")
		return false
	}
	if resp.StatusCode != http.StatusOK {
		lg.fail("webhook HTTP " + strconv.Itoa(resp.StatusCode))
		return false
	}
	lg.api.WebhookReply(ctx, answer) // the call a bot may make in its answer, as Telegram would
	t := time.NewTimer(max(lg.cfg.stepTimeout-answered.Sub(t0), 0))
	defer t.Stop()
	select {
	case <-u.got:
	case <-t.C:
		lg.timeout()
		return false
	case <-ctx.Done():
		return false
	}
	u.mu.Lock()
	first := u.first
	u.armed = false
	done := answered
	if first.After(done) {
		done = first
	}
	u.samples = append(u.samples, sample{kind: st.kind, latency: done.Sub(t0), done: done, confirmed: confirm})
	u.mu.Unlock()
	return true
}

// activeMemory is the Redis memory of the chats in progress when the window ended.
type activeMemory struct {
	sessions []int64 // each chat's session key
	chats    []int64 // all of each chat's keys (its hash tag): session, seen ids, replies...
}

// measureActive reads the Redis memory of every user's current chat, wherever in the
// conversation it is: its session key, and all the keys under its hash tag, found by one SCAN.
func (lg *loadgen) measureActive(ctx context.Context) activeMemory {
	var m activeMemory
	if lg.rdb == nil {
		return m
	}
	active := map[string]bool{}
	for _, u := range lg.users {
		u.mu.Lock()
		active["{chat:"+strconv.FormatInt(u.chat, 10)+"}"] = true
		u.mu.Unlock()
	}
	keys := map[string][]string{} // by hash tag
	iter := lg.rdb.Scan(ctx, 0, "{chat:*}:*", 1000).Iterator()
	for iter.Next(ctx) {
		lg.ownRedis.Add(1)
		k := iter.Val()
		if i := strings.IndexByte(k, '}'); i > 0 && active[k[:i+1]] {
			keys[k[:i+1]] = append(keys[k[:i+1]], k)
		}
	}
	if iter.Err() != nil {
		return m
	}
	pipe := lg.rdb.Pipeline()
	usage := map[string][]*redis.IntCmd{}
	for tag, ks := range keys {
		for _, k := range ks {
			usage[tag] = append(usage[tag], pipe.MemoryUsage(ctx, k))
		}
	}
	pipe.Exec(ctx)
	for tag, cmds := range usage {
		var all, session int64
		for i, c := range cmds {
			n, err := c.Result()
			if err != nil {
				continue
			}
			all += n
			if strings.HasSuffix(keys[tag][i], "}:s") {
				session = n
			}
		}
		if session > 0 {
			m.sessions = append(m.sessions, session)
			m.chats = append(m.chats, all)
		}
	}
	return m
}

// measureSession reads the Redis memory of a chat's session at its review.
func (lg *loadgen) measureSession(ctx context.Context, chat int64) {
	s, err1 := lg.rdb.MemoryUsage(ctx, storage.SessionKey(chat)).Result()
	u, err2 := lg.rdb.MemoryUsage(ctx, "{chat:"+strconv.FormatInt(chat, 10)+"}:u").Result()
	lg.ownRedis.Add(2)
	if err1 != nil || err2 != nil {
		return
	}
	lg.mu.Lock()
	lg.sessions = append(lg.sessions, s)
	lg.seenIDs = append(lg.seenIDs, u)
	lg.mu.Unlock()
}

func (lg *loadgen) fail(what string) {
	lg.mu.Lock()
	lg.errs[what]++
	lg.mu.Unlock()
}

func (lg *loadgen) timeout() {
	lg.mu.Lock()
	lg.timeouts++
	lg.mu.Unlock()
}

// report is the result of a run; its JSON is the last line of the output.
type report struct {
	Label          string                 `json:"label,omitempty"`
	Users          int                    `json:"users"`
	MaxConnections int                    `json:"max_connections"`
	Replicas       int                    `json:"replicas"`
	Window         float64                `json:"window_s"`
	Updates        int                    `json:"updates"`
	UpdatesPerSec  float64                `json:"updates_per_s"`
	Complaints     int                    `json:"complaints"`
	Latency        percentiles            `json:"latency"`
	ByKind         map[string]percentiles `json:"latency_by_kind"`
	Errors         int                    `json:"errors"`
	ErrorKinds     map[string]int         `json:"error_kinds,omitempty"`
	Timeouts       int                    `json:"timeouts"`
	NoDocument     int                    `json:"no_document"`
	APICallsPerUpd float64                `json:"api_calls_per_update"` // requests the bots made
	InReplyPerUpd  float64                `json:"webhook_answer_calls_per_update"`

	// OtherCores is the CPU the rest of the machine used during the window, in cores: neither the
	// bots, this program nor Redis. Well above zero, the run shared the machine.
	OtherCores      float64   `json:"other_cores"`
	BotCPUPerUpdate float64   `json:"bot_cpu_ms_per_update"`
	BotCPUCores     float64   `json:"bot_cpu_cores"`
	BotRSSStartMB   []float64 `json:"bot_rss_start_mb,omitempty"`
	BotRSSEndMB     []float64 `json:"bot_rss_end_mb,omitempty"`
	BotRSSPeakMB    []float64 `json:"bot_rss_peak_mb,omitempty"`
	LoadgenCPUPerUp float64   `json:"loadgen_cpu_ms_per_update"`

	RedisCommandsPerUpdate float64            `json:"redis_commands_per_update,omitempty"`
	RedisRoundTrips        float64            `json:"redis_round_trips_per_update,omitempty"`
	RedisByCommand         map[string]float64 `json:"redis_commands_by_name,omitempty"`
	RedisCPUPerUpdate      float64            `json:"redis_cpu_ms_per_update,omitempty"`
	RedisBytesPerChat      float64            `json:"redis_dataset_bytes_per_chat,omitempty"`
	SessionBytes           float64            `json:"session_bytes_at_review_mean,omitempty"`
	SessionBytesMax        int64              `json:"session_bytes_at_review_max,omitempty"`
	SeenIDsBytes           float64            `json:"seen_ids_bytes_at_review_mean,omitempty"`
	ActiveSessionBytes     float64            `json:"session_bytes_active_mean,omitempty"`
	ActiveSessionBytesMax  int64              `json:"session_bytes_active_max,omitempty"`
	ActiveChatBytes        float64            `json:"chat_keys_bytes_active_mean,omitempty"`
	ActiveChatBytesMax     int64              `json:"chat_keys_bytes_active_max,omitempty"`
	ActiveSessions         int                `json:"active_sessions,omitempty"`
	ChatsTotal             int64              `json:"chats,omitempty"`
}

// addMemory adds what Redis holds per chat: the growth of used_memory since the run began
// (Redis emptied) over every chat the run opened, finished complaints included, and the
// sessions active at the end.
func (r *report) addMemory(initial, after snapshot, m activeMemory) {
	r.ChatsTotal = after.chats
	if after.chats > 0 && after.redis.usedMemory > 0 {
		r.RedisBytesPerChat = round3(float64(after.redis.usedMemory-initial.redis.usedMemory) / float64(after.chats))
	}
	var sum, all int64
	for i, n := range m.sessions {
		sum += n
		all += m.chats[i]
		r.ActiveSessionBytesMax = max(r.ActiveSessionBytesMax, n)
		r.ActiveChatBytesMax = max(r.ActiveChatBytesMax, m.chats[i])
	}
	if r.ActiveSessions = len(m.sessions); r.ActiveSessions > 0 {
		r.ActiveSessionBytes = round3(float64(sum) / float64(len(m.sessions)))
		r.ActiveChatBytes = round3(float64(all) / float64(len(m.sessions)))
	}
}

// report computes the figures of the window between a and b.
func (lg *loadgen) report(a, b snapshot) report {
	lg.mu.Lock()
	defer lg.mu.Unlock()
	r := report{Label: lg.cfg.label, Users: lg.cfg.users, MaxConnections: lg.cfg.maxConns, Replicas: len(lg.cfg.bots), ByKind: map[string]percentiles{}}
	window := b.at.Sub(a.at)
	r.Window = round3(window.Seconds())
	var all []time.Duration
	byKind := map[string][]time.Duration{}
	for _, u := range lg.users {
		u.mu.Lock()
		for _, s := range u.samples {
			if s.done.Before(a.at) || s.done.After(b.at) {
				continue
			}
			all = append(all, s.latency)
			k := s.kind.String()
			if s.confirmed {
				k = "confirm"
				r.Complaints++
			}
			byKind[k] = append(byKind[k], s.latency)
		}
		u.mu.Unlock()
	}
	r.Updates = len(all)
	r.Latency = summarize(all)
	for k, ds := range byKind {
		r.ByKind[k] = summarize(ds)
	}
	r.ErrorKinds = lg.errs
	for _, n := range lg.errs {
		r.Errors += n
	}
	r.Timeouts, r.NoDocument = lg.timeouts, lg.noDoc
	if r.Updates == 0 {
		return r
	}
	n := float64(r.Updates)
	r.UpdatesPerSec = round3(n / window.Seconds())
	r.APICallsPerUpd = round3(float64(b.apiCalls-a.apiCalls) / n)
	r.InReplyPerUpd = round3(float64(b.inReply-a.inReply) / n)
	var cpu time.Duration
	for i := range b.bots {
		cpu += b.bots[i].cpu - a.bots[i].cpu
		r.BotRSSStartMB = append(r.BotRSSStartMB, mb(a.bots[i].rss))
		r.BotRSSEndMB = append(r.BotRSSEndMB, mb(b.bots[i].rss))
		r.BotRSSPeakMB = append(r.BotRSSPeakMB, mb(b.bots[i].hwm))
	}
	if len(b.bots) > 0 {
		r.BotCPUPerUpdate = round3(ms(cpu) / n)
		r.BotCPUCores = round3(cpu.Seconds() / window.Seconds())
	}
	r.LoadgenCPUPerUp = round3(ms(b.self.cpu-a.self.cpu) / n)
	other := (b.busy - a.busy) - cpu - (b.self.cpu - a.self.cpu) - (b.redis.cpu - a.redis.cpu)
	r.OtherCores = round3(max(other, 0).Seconds() / window.Seconds())
	if lg.rdb != nil {
		own := b.ownRedis - a.ownRedis
		var total int64
		r.RedisByCommand = map[string]float64{}
		for name, calls := range b.redis.calls {
			if strings.HasPrefix(name, "info") || strings.HasPrefix(name, "memory") {
				continue // this program's own
			}
			d := calls - a.redis.calls[name]
			if d <= 0 {
				continue
			}
			total += d
			r.RedisByCommand[name] = round3(float64(d) / n)
		}
		r.RedisCommandsPerUpdate = round3(float64(total) / n)
		// the second INFO's read is in the count, and each of this program's commands is one
		r.RedisRoundTrips = round3(float64(b.redis.reads-a.redis.reads-1-own) / n)
		r.RedisCPUPerUpdate = round3(ms(b.redis.cpu-a.redis.cpu) / n)
	}
	if len(lg.sessions) > 0 {
		var sum, seen int64
		for i, s := range lg.sessions {
			sum += s
			seen += lg.seenIDs[i]
			r.SessionBytesMax = max(r.SessionBytesMax, s)
		}
		r.SessionBytes = round3(float64(sum) / float64(len(lg.sessions)))
		r.SeenIDsBytes = round3(float64(seen) / float64(len(lg.sessions)))
	}
	return r
}

func mb(b int64) float64 { return round3(float64(b) / (1 << 20)) }

// print writes the report for people, then as one JSON line.
func (r report) print(w io.Writer) error {
	fmt.Fprintf(w, "users %d over at most %d webhook connections, replicas %d: %d updates in %.1fs = %.0f updates/s, %d complaints\n",
		r.Users, r.MaxConnections, r.Replicas, r.Updates, r.Window, r.UpdatesPerSec, r.Complaints)
	fmt.Fprintf(w, "step latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n", r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Latency.Max)
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		p := r.ByKind[k]
		fmt.Fprintf(w, "  %-8s n %6d  p50 %.2f  p99 %.2f  max %.2f\n", k, p.N, p.P50, p.P99, p.Max)
	}
	fmt.Fprintf(w, "bot API: %.2f requests per update, and %.2f calls in webhook answers\n", r.APICallsPerUpd, r.InReplyPerUpd)
	fmt.Fprintf(w, "errors %d %v, timeouts %d, confirmations without a document %d\n", r.Errors, r.ErrorKinds, r.Timeouts, r.NoDocument)
	fmt.Fprintf(w, "bot: %.3f ms CPU per update (%.2f cores), RSS MB start %v end %v peak %v; loadgen %.3f ms CPU per update; other processes %.2f cores\n",
		r.BotCPUPerUpdate, r.BotCPUCores, r.BotRSSStartMB, r.BotRSSEndMB, r.BotRSSPeakMB, r.LoadgenCPUPerUp, r.OtherCores)
	if r.RedisCommandsPerUpdate > 0 {
		fmt.Fprintf(w, "redis: %.2f commands and %.2f round trips per update, %.3f ms Redis CPU per update\n",
			r.RedisCommandsPerUpdate, r.RedisRoundTrips, r.RedisCPUPerUpdate)
		fmt.Fprintf(w, "redis memory: %d active chats: session %.0f B (max %d), all the chat's keys %.0f B (max %d); at review: session %.0f B (max %d), seen ids %.0f B; dataset %.0f B per chat over %d chats\n",
			r.ActiveSessions, r.ActiveSessionBytes, r.ActiveSessionBytesMax, r.ActiveChatBytes, r.ActiveChatBytesMax,
			r.SessionBytes, r.SessionBytesMax, r.SeenIDsBytes, r.RedisBytesPerChat, r.ChatsTotal)
		fmt.Fprintf(w, "redis commands per update: %v\n", r.RedisByCommand)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
