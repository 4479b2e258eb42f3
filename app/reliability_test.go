package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/storage"
)

// reliabilityLong is the environment variable that makes the fault runs long: RELIABILITY=long
// runs 200 users and at least 20 kills, and a 30-second Redis outage; without it they run a
// short version within the ordinary test command.
const reliabilityLong = "RELIABILITY"

// longRun reports whether the fault runs should run their long version.
func longRun() bool { return os.Getenv(reliabilityLong) == "long" }

// reliabilityStaffChat is the staff chat of the fault runs: a forum, as the fake reports it.
const reliabilityStaffChat = int64(-1001234567890)

// replica is one `complaintbot serve` child process in webhook mode, killed and restarted by
// the fault runs.
type replica struct {
	name string // STAFF_CONSUMER: the same across restarts
	env  []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
	addr   string        // the listener, "" while down
	log    *lockedBuffer
	logs   []*lockedBuffer // every run's output, for the log scan
}

var servingRE = regexp.MustCompile(`complaintbot serving \(webhook\) on (\S+)`)

// start runs the child and waits until it serves.
func (r *replica) start(ctx context.Context) error {
	cmd := exec.Command(os.Args[0], "-test.run=^TestStaffKillHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), staffKillHelperEnv+"=1")
	cmd.Env = append(cmd.Env, r.env...)
	log := &lockedBuffer{}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = io.MultiWriter(log, pw), log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", r.name, err)
	}
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case serving <- m[1]:
				default:
				}
			}
		}
	}()
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		pw.Close()
		close(exited)
	}()
	select {
	case addr := <-serving:
		r.mu.Lock()
		r.cmd, r.exited, r.addr, r.log = cmd, exited, addr, log
		r.logs = append(r.logs, log)
		r.mu.Unlock()
		return nil
	case <-time.After(60 * time.Second):
	case <-ctx.Done():
	}
	cmd.Process.Kill()
	<-exited
	return fmt.Errorf("%s did not start:\n%s", r.name, log.String())
}

// kill sends SIGKILL, as a crash, and waits for the process to go.
func (r *replica) kill() {
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.cmd, r.addr = nil, ""
	r.mu.Unlock()
	if cmd != nil {
		cmd.Process.Kill()
		<-exited
	}
}

// target is where the front proxy sends a delivery, "" while the replica is down.
func (r *replica) target() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// output is what every run of the replica wrote.
func (r *replica) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, l := range r.logs {
		b.WriteString(l.String())
	}
	return b.String()
}

// fleet is the system under fault: a redis-server with appendonly yes, the fake Bot API, the
// replicas, and the front proxy that spreads Telegram's deliveries over the live replicas at
// random (so one chat's updates go to both), as a load balancer in front of the webhook would.
type fleet struct {
	t        *testing.T
	Redis    *redistest.Server
	API      *fakeapi.Server
	TG       *e2e.Telegram
	store    *storage.Redis
	replicas []*replica
	front    *httptest.Server

	// lose, when set, is asked about every answer a replica gave: true drops it, and the proxy
	// answers 502, as when a bot is killed after its commit and before its answer went out (lose
	// returns once it was).
	lose atomic.Pointer[func(answer []byte) bool]

	// watch, when set, is told of every delivery and its answer (stallWatch)
	watch atomic.Pointer[stallWatch]

	replayed   int          // counted in the logs by checkLogs
	deliveries atomic.Int64 // webhook deliveries the proxy passed on, redeliveries included
	refused    atomic.Int64 // deliveries that met no live replica or a 5xx
}

// startFleet starts n replicas.
func startFleet(t *testing.T, ctx context.Context, n int, env ...string) *fleet {
	t.Helper()
	f := &fleet{
		t:     t,
		Redis: redistest.New(t, redistest.Config{TCP: true, AppendOnly: true}),
		API:   fakeapi.New(t, fakeapi.Options{Token: testToken}),
	}
	f.TG = e2e.New(f.API, e2e.Webhook)
	f.TG.Retry = 20 * time.Millisecond
	f.store = storage.New(f.Redis.Client(t), storage.Options{})
	f.front = httptest.NewServer(http.HandlerFunc(f.proxy))
	t.Cleanup(f.front.Close)
	for i := range n {
		r := &replica{name: fmt.Sprintf("replica-%d", i), env: append([]string{
			"TELEGRAM_BOT_TOKEN=" + testToken, "TELEGRAM_API_URL=" + f.API.URL(), "REDIS_URL=" + f.Redis.URL(),
			"LISTEN_ADDR=127.0.0.1:0", fmt.Sprintf("STAFF_CHAT_ID=%d", reliabilityStaffChat),
			"STAFF_CONSUMER=" + fmt.Sprintf("replica-%d", i), "LOG_LEVEL=debug",
			"WEBHOOK_URL=https://complaintbot.example.test/webhook", "WEBHOOK_SECRET=" + testSecret,
			"TELEGRAM_SEND_LIMITS=off",
		}, env...)}
		if err := r.start(ctx); err != nil {
			t.Fatal(err)
		}
		f.replicas = append(f.replicas, r)
		t.Cleanup(r.kill)
	}
	f.API.SetWebhookProxy(f.front.URL)
	// no replica's log names a chat its run wrote to (registered last, it runs first)
	t.Cleanup(func() {
		ids := privateChats(f.API)
		for _, r := range f.replicas {
			checkNoIDs(t, r.name, r.output(), ids)
		}
	})
	return f
}

// proxy passes one delivery to a live replica picked at random; 502 when none is live.
func (f *fleet) proxy(w http.ResponseWriter, req *http.Request) {
	f.deliveries.Add(1)
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	status := http.StatusBadGateway
	defer func() {
		if sw := f.watch.Load(); sw != nil {
			sw.delivered(body, status)
		}
	}()
	var live []string
	for _, r := range f.replicas {
		if a := r.target(); a != "" {
			live = append(live, a)
		}
	}
	if len(live) == 0 {
		f.refused.Add(1)
		http.Error(w, "no replica", http.StatusBadGateway)
		return
	}
	out, err := http.NewRequestWithContext(req.Context(), http.MethodPost, "http://"+live[rand.IntN(len(live))]+req.URL.Path, bytes.NewReader(body))
	if err != nil {
		http.Error(w, "request", http.StatusInternalServerError)
		return
	}
	out.Header = req.Header.Clone()
	resp, err := http.DefaultClient.Do(out)
	if err != nil { // killed in the middle
		f.refused.Add(1)
		http.Error(w, "replica gone", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if lose := f.lose.Load(); err == nil && lose != nil && (*lose)(answer) {
		err = errors.New("the answer was lost")
	}
	if err != nil { // killed while answering
		f.refused.Add(1)
		http.Error(w, "replica gone", http.StatusBadGateway)
		return
	}
	if status = resp.StatusCode; status >= 500 {
		f.refused.Add(1)
	}
	// the answer as it is: a 200 may carry a Bot API call (a button's answer, a message)
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

// faultUser is one simulated complainant of a fault run; everything it types carries its marker,
// so that a message that reaches another chat is found.
type faultUser struct {
	*e2e.User
	marker string
	phone  string
}

// newFaultUser returns user i of a run.
func newFaultUser(tg *e2e.Telegram, i int) *faultUser {
	id := int64(700000 + i)
	return &faultUser{User: tg.User(id, "zh-hans"), marker: fmt.Sprintf("Q%dQ", id), phone: fmt.Sprintf("1390%07d", i)}
}

// steps are the user's whole complaint, escalated to staff: every typed answer carries the
// marker; the evidence is a photo and a document.
func (u *faultUser) steps() []e2e.Step {
	return append(u.complaint(), e2e.Script(lakalaFiles, nil, "escalate")...)
}

// complaint is steps up to the offer to hand the case to staff.
func (u *faultUser) complaint() []e2e.Step {
	return e2e.Script(lakalaFiles, u.vars(), "intake", "photo", "document", "contact", "confirm-staff")
}

// vars are the script's texts, each carrying the user's marker.
func (u *faultUser) vars() map[string]string {
	return map[string]string{"agent": "业务员" + u.marker, "sn": "SN" + u.marker,
		"description": "5月1日结算款被扣199元，事前没人告知。" + u.marker, "caption": "扣费短信" + u.marker,
		"phone": u.phone, "address": "深圳市南山区" + u.marker}
}

// faultFigures are what a fault run reports.
type faultFigures struct {
	Users, Kills, RedisKills int
	Updates, Deliveries      int64
	Refused                  int64
	Lost, Doubled, Leaked    int
	EmptyTopics              int // topics created by a consumer killed before it recorded them
	RepeatedCards            int // cards posted again after a kill between Telegram's answer and the record
	Replayed                 int // redelivered updates whose kept replies were sent again
	Wall                     time.Duration
}

func (f faultFigures) String() string {
	return fmt.Sprintf("users=%d kills=%d redis_kills=%d updates=%d deliveries=%d refused=%d replayed=%d lost=%d doubled=%d leaked=%d empty_topics=%d repeated_cards=%d wall=%s",
		f.Users, f.Kills, f.RedisKills, f.Updates, f.Deliveries, f.Refused, f.Replayed, f.Lost, f.Doubled, f.Leaked, f.EmptyTopics, f.RepeatedCards, f.Wall.Round(time.Second))
}

// verify checks every guarantee of a fault run once the users finished, and fills the figures:
// each user's complaint exists exactly once with both pieces of evidence, every case was posted
// to staff exactly once (one topic, one card), and no chat got another user's marker.
func (f *fleet) verify(ctx context.Context, users []*faultUser, fig *faultFigures) {
	t := f.t
	t.Helper()
	ids := map[string]*faultUser{}
	for _, u := range users {
		cases, err := f.store.Cases(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(cases) == 0:
			fig.Lost++
			t.Errorf("user %d: no complaint", u.ID)
			continue
		case len(cases) > 1:
			fig.Doubled++
			t.Errorf("user %d: %d complaints", u.ID, len(cases))
		}
		c := cases[0]
		ids[c.ID] = u
		if len(c.Evidence) != 2 || c.Evidence[0].FileID != fmt.Sprintf("photo-%d-1", u.ID) || !strings.Contains(c.Evidence[0].Caption, u.marker) ||
			c.Contact.Phone != u.phone || !strings.Contains(c.Description, u.marker) {
			fig.Lost++
			t.Errorf("user %d: case %s holds evidence %+v, phone %q", u.ID, c.ID, c.Evidence, c.Contact.Phone)
		}
	}
	all, err := f.Redis.Client(t).ZCard(ctx, "cases:all").Result()
	if err != nil || int(all) != len(users) {
		fig.Doubled += max(0, int(all)-len(users))
		t.Errorf("%d cases stored for %d users (%v)", all, len(users), err)
	}
	// every escalation reaches staff: wait until each case is marked posted
	for id := range ids {
		for {
			posted, err := f.store.Posted(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if posted {
				break
			}
			select {
			case <-ctx.Done():
				fig.Lost++
				left := f.Redis.Client(t).LLen(context.Background(), fmt.Sprintf("{chat:%d}:outbox", ids[id].ID)).Val()
				t.Errorf("case %s never posted to staff (%d operations left in its chat's outbox)", id, left)
				for _, r := range f.replicas {
					for line := range strings.SplitSeq(r.output(), "\n") {
						if strings.Contains(line, id) || strings.Contains(line, "outbox") || strings.Contains(line, "escalation") {
							t.Logf("%s: %s", r.name, line)
						}
					}
				}
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	// Calls in the order the fake received them: a case's first card and topic, then any
	// posted again after a crash.
	cards, topics, unmarked := map[string]int{}, map[string]int{}, 0
	for _, c := range f.API.CallsToChat(reliabilityStaffChat) {
		for id := range ids {
			switch {
			case c.Method == "createForumTopic" && strings.HasPrefix(c.Params["name"], id+" "):
				if topics[id]++; topics[id] > 1 && !strings.HasSuffix(c.Params["name"], "（重发）") {
					unmarked++
					t.Errorf("case %s: topic %d is not marked as created again: %q", id, topics[id], c.Params["name"])
				}
			case c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id+`"`):
				if cards[id]++; cards[id] > 1 && !strings.Contains(c.Params["text"], "本卡片为重发") {
					unmarked++
					t.Errorf("case %s: card %d is not marked as posted again", id, cards[id])
				}
			}
		}
	}
	// A card Telegram accepted from a consumer killed before it recorded the card (one Redis
	// round trip) is posted again: the Bot API has no idempotency key and no way to find the
	// message it made. Such repeats are counted (fig.RepeatedCards), must say that an older
	// card may be above, and may not outnumber the kills; any other count is a bug.
	for id := range ids {
		switch n := cards[id]; {
		case n == 0:
			fig.Lost++
			t.Errorf("case %s: staff saw no card", id)
		case n > 1:
			fig.RepeatedCards += n - 1
			t.Logf("case %s: staff saw %d cards", id, n)
		}
	}
	if fig.RepeatedCards > fig.Kills || unmarked > 0 {
		fig.Doubled += fig.RepeatedCards
		t.Errorf("%d repeated cards for %d kills, %d repeated cards or topics not marked", fig.RepeatedCards, fig.Kills, unmarked)
	}
	// A crash after Telegram created a case's topic and before the topic was recorded leaves
	// an empty topic behind (the Bot API cannot list topics to find it); the case is posted in
	// the next one, named as created again. That is the one thing staff may see twice.
	n := 0
	for id := range ids {
		if topics[id] == 0 {
			t.Errorf("case %s: staff saw no topic", id)
		}
		n += topics[id]
	}
	fig.EmptyTopics = n - len(ids)
	// no chat got another user's text
	for _, u := range users {
		for _, m := range e2e.Messages(f.API, u.ID) {
			text := m.Text
			if m.Document != nil {
				text += string(m.Document.Data)
			}
			for _, v := range users {
				if v != u && strings.Contains(text, v.marker) {
					fig.Leaked++
					t.Errorf("user %d got user %d's text: %q", u.ID, v.ID, m.Text)
				}
			}
		}
	}
	fig.Deliveries, fig.Refused = f.deliveries.Load(), f.refused.Load()
}

// logs checks the replicas' logs for the personal data and the token.
func (f *fleet) checkLogs(users []*faultUser) {
	for _, r := range f.replicas {
		out := r.output()
		for _, u := range users {
			for _, p := range []string{u.marker, u.phone, "张三"} {
				if strings.Contains(out, p) {
					f.t.Errorf("%s's log holds %q", r.name, p)
				}
			}
		}
		f.replayed += strings.Count(out, "update delivered again")
		if strings.Contains(out, "test-token-abcdef") {
			f.t.Errorf("%s's log holds the token", r.name)
		}
	}
}

// chaos kills a fleet's replicas at random while a fault run plays, and its Redis once.
type chaos struct {
	kills               int // replica kills the run is to have
	killed, redisKilled atomic.Int64
	done, stopped       chan struct{}
}

// startChaos kills a random replica after each pause of pause plus up to spread (the random
// source seeded with seed1 and seed2), kills times, and kills and restarts Redis once half-way.
func (f *fleet) startChaos(t *testing.T, ctx context.Context, seed1, seed2 uint64, pause, spread time.Duration, kills int) *chaos {
	c := &chaos{kills: kills, done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(c.stopped)
		rng := rand.New(rand.NewPCG(seed1, seed2))
		for k := 0; ; k++ {
			select {
			case <-c.done:
				return
			case <-time.After(pause + time.Duration(rng.IntN(int(spread/time.Millisecond)))*time.Millisecond):
			}
			if k == kills/2 && c.redisKilled.Load() == 0 {
				if err := f.Redis.Kill(); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(300 * time.Millisecond)
				if err := f.Redis.Restart(); err != nil {
					t.Error(err)
					return
				}
				c.redisKilled.Add(1)
				continue
			}
			if c.killed.Load() >= int64(kills) {
				continue
			}
			r := f.replicas[rng.IntN(len(f.replicas))]
			r.kill()
			c.killed.Add(1)
			if err := r.start(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	return c
}

// finish waits for the kills the run was to have, even if the users were quicker, stops the
// chaos, and returns the replica and Redis kills.
func (c *chaos) finish(t *testing.T, ctx context.Context) (kills, redisKills int) {
	t.Helper()
	for c.killed.Load() < int64(c.kills) || c.redisKilled.Load() == 0 {
		select {
		case <-c.stopped:
			t.Fatal("the chaos goroutine stopped")
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	close(c.done)
	<-c.stopped
	return int(c.killed.Load()), int(c.redisKilled.Load())
}

// runFaultUsers plays every user's complaint, at most par at once, while chaos runs; it returns
// the number of updates the users sent.
func runFaultUsers(ctx context.Context, t *testing.T, users []*faultUser, par int) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := u.Play(ctx, u.steps()...); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestCrashFaults (issue 7, faults 1 and 2): simulated users make whole complaints, escalated to
// staff, through the program in webhook mode against redis-server with appendonly yes, while
// the harness SIGKILLs and restarts the bot at random moments and once SIGKILLs and restarts
// redis-server. With one replica, and with two behind a proxy that spreads every chat's updates
// over both. Every complaint must exist once with all its evidence, every escalation reach staff
// once, no chat see another user's text, and each user's replies come in order (each step waits
// for its answer after the one before). Replies may repeat: a crash after sending and before
// answering the webhook sends them again (at least once).
func TestCrashFaults(t *testing.T) {
	users, kills, par := 12, 6, 12
	if longRun() {
		users, kills, par = 200, 24, 50
	}
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("replicas=%d", n), func(t *testing.T) {
			start := time.Now()
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
			defer cancel()
			f := startFleet(t, ctx, n)
			us := make([]*faultUser, users)
			for i := range us {
				us[i] = newFaultUser(f.TG, i)
			}
			fig := faultFigures{Users: users}
			chaos := f.startChaos(t, ctx, uint64(n), 7, 200*time.Millisecond, 800*time.Millisecond, kills)
			runFaultUsers(ctx, t, us, par)
			fig.Kills, fig.RedisKills = chaos.finish(t, ctx)
			if t.Failed() {
				t.FailNow()
			}
			for _, u := range us {
				fig.Updates += int64(len(u.steps()))
			}
			f.verify(ctx, us, &fig)
			f.checkLogs(us)
			fig.Replayed = f.replayed
			fig.Wall = time.Since(start)
			t.Logf("figures: %s", fig)
		})
	}
}
