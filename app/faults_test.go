package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
)

// caseIDPattern matches a case id, which differs between otherwise equal transcripts.
var caseIDPattern = regexp.MustCompile(`C-\d{6}`)

// TestRedeliveryAfterCrash: the bot commits a step, starts sending its reply and is killed
// with SIGKILL before the reply went out. Telegram delivers the update again (the webhook
// never answered); the restarted bot recognises it as a duplicate, does not apply it twice,
// and sends the reply its first run kept with the commit. Without the kept replies the user
// would wait for ever.
func TestRedeliveryAfterCrash(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	f := startFleet(t, ctx, 1)
	u := newFaultUser(f.TG, 1)
	steps := u.complaint()
	amount := slices.IndexFunc(steps, func(s e2e.Step) bool { return strings.Contains(s.Expect, "哪天扣的") })
	if amount < 0 {
		t.Fatal("the complaint has no amount step")
	}
	if err := u.Play(ctx, steps[:amount]...); err != nil {
		t.Fatal(err)
	}
	before, err := f.store.Load(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The reply goes by the Bot API (hung there) or in the webhook's answer (lost on its way,
	// as when the bot dies before answering): either way the bot is killed before it went out.
	hanging := make(chan struct{})
	var hung atomic.Bool
	f.API.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "sendMessage" && c.ChatID == u.ID && strings.Contains(c.Params["text"], "哪天扣的") && hung.CompareAndSwap(false, true) {
			close(hanging)
			return fakeapi.Hang()
		}
		return fakeapi.Fault{}
	})
	killed := make(chan struct{})
	lose := func(answer []byte) bool {
		if strings.Contains(string(answer), "哪天扣的") && hung.CompareAndSwap(false, true) {
			close(hanging)
			<-killed
			return true
		}
		return false
	}
	f.lose.Store(&lose)
	played := make(chan error, 1)
	go func() { played <- u.Play(ctx, steps[amount]) }() // "199元"
	select {
	case <-hanging:
	case <-ctx.Done():
		t.Fatal("the reply was never sent")
	}
	f.replicas[0].kill()
	close(killed)
	committed, err := f.store.Load(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if committed.Version != before.Version+1 {
		t.Fatalf("killed at version %d, want the step committed (%d)", committed.Version, before.Version+1)
	}
	if err := f.replicas[0].start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-played; err != nil {
		t.Fatalf("the reply never arrived after the restart: %v", err)
	}
	after, err := f.store.Load(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != committed.Version || len(after.Draft.Deductions) != len(committed.Draft.Deductions) {
		t.Errorf("the redelivered update was applied again: version %d, was %d", after.Version, committed.Version)
	}
	if err := u.Play(ctx, steps[amount+1:]...); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.replicas[0].output(), "update delivered again") {
		t.Error("the restarted bot did not log the replay")
	}
}

// TestTelegramFaults (issue 7, fault 3): the fake Bot API fails 10% of calls at random (every
// method but getUpdates): dropped connections, 500, 502, 429 with retry_after 1, hangs (cut by
// TELEGRAM_ATTEMPT_TIMEOUT) and malformed JSON, with Telegram's send limits on. Every user's
// transcript is the same as that of a user who met no fault (every message once, in order),
// the escalated cases reach staff, and no 60 seconds saw more than 20 messages in the staff
// group (checked from the fake's timestamps).
func TestTelegramFaults(t *testing.T) {
	users, escalating := 4, 2
	if longRun() {
		users, escalating = 20, 10
	}
	start := time.Now()
	p := startProgram(t, programOptions{Mode: e2e.Polling, Env: map[string]string{
		"TELEGRAM_SEND_LIMITS": "",
		// long enough that a call the fake carries out is not cut as a hang on a loaded
		// machine (-race, every package at once): a .docx cut at 1 s was then sent twice
		"TELEGRAM_ATTEMPT_TIMEOUT": "3s",
		"STAFF_CHAT_ID":            fmt.Sprint(reliabilityStaffChat),
		"STAFF_CONSUMER":           "faults",
	}})
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()

	normal := func(u *faultUser) []string { // the transcript, the user's own strings replaced
		var out []string
		for _, m := range e2e.Messages(p.API, u.ID) {
			text := strings.ReplaceAll(strings.ReplaceAll(m.Text, u.marker, "<m>"), u.phone, "<p>")
			text = strings.ReplaceAll(text, fmt.Sprint(u.ID), "<id>")
			out = append(out, text)
		}
		return out
	}
	cut := func(ts []string) []string { // up to the offer to escalate, case ids removed
		var out []string
		for _, s := range ts {
			out = append(out, caseIDPattern.ReplaceAllString(s, "C-<n>"))
			if strings.Contains(s, "需要我们的工作人员帮您跟进") {
				break
			}
		}
		return out
	}
	// The reference user meets no fault; the others do, at the same time.
	ref := newFaultUser(p.TG, 999)
	faults := []fakeapi.Fault{fakeapi.Drop(), fakeapi.Status(500), fakeapi.Status(502), fakeapi.TooManyRequests(1),
		fakeapi.Hang(), fakeapi.Malformed()}
	random := fakeapi.Random(0.10, 7, faults, "getUpdates")
	p.API.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.ChatID == ref.ID || strings.HasPrefix(c.Params["callback_query_id"], fmt.Sprintf("cb-%d-", ref.ID)) {
			return fakeapi.Fault{}
		}
		return random(c)
	})
	us := make([]*faultUser, users)
	var wg sync.WaitGroup
	wg.Add(1)
	var stuckMu sync.Mutex
	var stuck []int64 // the users who waited for the bot in vain
	fail := func(id int64, err error) {
		t.Error(err)
		stuckMu.Lock()
		stuck = append(stuck, id)
		stuckMu.Unlock()
	}
	go func() {
		defer wg.Done()
		if err := ref.Play(ctx, append(ref.complaint(), e2e.Press("decline", ""))...); err != nil {
			fail(ref.ID, err)
		}
	}()
	for i := range us {
		us[i] = newFaultUser(p.TG, i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			steps := us[i].complaint()
			if i < escalating {
				// nothing follows "已转交工作人员" (no "no case in progress" after a hand-over)
				steps = append(steps, e2e.Press("escalate", "已转交工作人员"))
			}
			if err := us[i].Play(ctx, steps...); err != nil {
				fail(us[i].ID, err)
			}
		}()
	}
	wg.Wait()
	if len(stuck) > 0 {
		t.Logf("where the bot stands with the users who waited in vain:\n%s", p.stalled(stuck...))
	}
	if t.Failed() {
		t.FailNow()
	}
	reference := cut(normal(ref))
	for i, u := range us {
		got := normal(u)
		if c := cut(got); !slices.Equal(c, reference) {
			t.Errorf("user %d's transcript differs from the reference:\n%s\n=== want\n%s", u.ID, strings.Join(c, "\n---\n"), strings.Join(reference, "\n---\n"))
		}
		if i < escalating && (len(got) != len(reference)+1 || !strings.Contains(got[len(reference)], "已转交工作人员")) {
			t.Errorf("user %d after the offer: %q", u.ID, got[len(reference):])
		}
	}
	// the escalated cases reach staff, each card once
	repeatedCards := 0
	for i := range escalating {
		cases, err := p.store.Cases(ctx, us[i].ID)
		if err != nil || len(cases) != 1 {
			t.Fatalf("user %d: cases %v, %v", us[i].ID, cases, err)
		}
		id := cases[0].ID
		if _, err := p.API.WaitFor(ctx, func(c fakeapi.Call) bool {
			return c.Method == "sendDocument" && c.ChatID == reliabilityStaffChat && strings.Contains(c.Params["caption"], id)
		}); err != nil {
			t.Fatalf("case %s never reached staff: %v", id, err)
		}
		// One card; a second only after an attempt whose outcome the bot could not know (the
		// fake carried the card out as the bot's attempt timed out, under load), and then it
		// must say that it may be a second copy.
		cards := 0
		for _, c := range p.API.CallsToChat(reliabilityStaffChat) {
			if c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id+`"`) {
				if cards++; cards > 1 {
					repeatedCards++
					if !strings.Contains(c.Params["text"], "本卡片为重发") {
						t.Errorf("case %s: card %d does not say it was posted again", id, cards)
					}
				}
			}
		}
		if cards == 0 {
			t.Errorf("case %s: no card", id)
		}
	}
	// Telegram's 20 messages a minute in a group, from the fake's clock
	var sent []time.Time
	for _, c := range p.API.CallsToChat(reliabilityStaffChat) {
		if c.Fault.Kind == fakeapi.FaultNone && c.Method != "getChat" && c.Method != "getChatMember" {
			sent = append(sent, c.Received)
		}
	}
	slices.SortFunc(sent, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i := range sent {
		n := 0
		for j := i; j < len(sent) && sent[j].Sub(sent[i]) < time.Minute; j++ {
			n++
		}
		most = max(most, n)
	}
	if most > 20 {
		t.Errorf("%d messages to the staff group within a minute", most)
	}
	kinds := map[fakeapi.FaultKind]int{}
	for _, c := range p.API.Faults() {
		kinds[c.Fault.Kind]++
	}
	p.stop(append(personalData, "张三")...)
	t.Logf("figures: users=%d escalated=%d calls=%d faults=%v staff_calls=%d staff_max_per_minute=%d repeated_cards=%d wall=%s",
		users+1, escalating, len(p.API.Calls()), kinds, len(sent), most, repeatedCards, time.Since(start).Round(time.Second))
}

// TestRedisOutage (issue 7, fault 4): Redis is unreachable for a while (RELIABILITY=long: 30
// seconds; else 4) while several users keep answering, Telegram delivering each refused update
// again every second. The webhook answers 5xx for as long as Redis is down, each user is told
// to try again exactly once (at most once a minute), and when Redis is back every
// conversation resumes exactly where it was: the one pending answer is applied once, and the
// next questions follow.
func TestRedisOutage(t *testing.T) {
	outage := 4 * time.Second
	if longRun() {
		outage = 30 * time.Second
	}
	p := startProgram(t, programOptions{Mode: e2e.Webhook, Redis: redistest.Config{AppendOnly: true}})
	ctx := testContext(t)
	p.TG.Retry = time.Second
	users := make([]*e2e.User, 5)
	for i := range users {
		users[i] = p.TG.User(int64(6100+i), "zh-hans")
		if err := users[i].Play(ctx, first(t, askAmount)...); err != nil {
			t.Fatal(err)
		}
	}
	before := map[int64]string{}
	for _, u := range users {
		before[u.ID] = snapshot(t, p.session(u.ID))
	}
	if err := p.Redis.Kill(); err != nil { // a crash, not a clean stop
		t.Fatal(err)
	}
	down := time.Now()
	go func() {
		time.Sleep(outage)
		if err := p.Redis.Restart(); err != nil {
			t.Error(err)
		}
	}()
	errs := make(chan error, len(users))
	deduction := after(t, askAmount)[:4]
	for _, u := range users {
		go func() { errs <- u.Play(ctx, deduction...) }() // the first deduction: amount, date, method, label
	}
	for range users {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if since := time.Since(down); since < outage {
		t.Fatalf("the users finished %v into a %v outage", since, outage)
	}
	for _, u := range users {
		told, amounts := 0, 0
		for _, m := range e2e.Messages(p.API, u.ID) {
			if strings.Contains(m.Text, "系统暂时繁忙") {
				told++
			}
			if strings.Contains(m.Text, "这笔 199.00 元是哪天扣的") {
				amounts++
			}
		}
		if told != 1 || amounts != 1 {
			t.Errorf("user %d: told to try again %d times, asked for the date %d times; want once each", u.ID, told, amounts)
		}
		s := p.session(u.ID)
		if len(s.Draft.Deductions) != 1 || s.Draft.Deductions[0].Amount != 19900 {
			t.Errorf("user %d: deductions %+v after the outage", u.ID, s.Draft.Deductions)
		}
	}
	refused := strings.Count(p.stderr.String(), "step not committed")
	p.stop(personalData...)
	t.Logf("figures: users=%d outage=%s refused_deliveries=%d", len(users), outage, refused)
}

// TestRedisMemoryFull (issue 7, fault 4): Redis at its maxmemory with noeviction refuses the
// commit: the webhook answers 5xx, the user is told to try again, the log names the cause, and
// nothing of the step is stored (the commit script writes all or nothing). Once memory is
// freed, the redelivered update is applied once.
func TestRedisMemoryFull(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook, Redis: redistest.Config{
		Args: []string{"--maxmemory-policy", "noeviction"}}})
	ctx := testContext(t)
	u := p.TG.User(6200, "zh-hans")
	if err := u.Play(ctx, first(t, askAmount)...); err != nil {
		t.Fatal(err)
	}
	rdb := p.Redis.Client(t)
	// Redis refuses writes once its memory is above maxmemory: set the limit just below use.
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	var inUse int64
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			fmt.Sscan(v, &inUse)
		}
	}
	if inUse == 0 {
		t.Fatalf("no used_memory in %q", info)
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", fmt.Sprint(inUse-256<<10)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, "probe", "x", 0).Err(); err == nil || !strings.Contains(err.Error(), "OOM") {
		t.Fatalf("Redis takes writes at maxmemory %d below %d in use: %v", inUse-256<<10, inUse, err)
	}
	dump := func() map[string]string {
		out := map[string]string{}
		for _, k := range rdb.Keys(ctx, "{chat:6200}*").Val() {
			out[k] = rdb.Dump(ctx, k).Val()
		}
		return out
	}
	before, session := dump(), snapshot(t, p.session(u.ID))
	sent, err := u.Text(ctx, "199元")
	var refused *e2e.RefusedError
	if !errors.As(err, &refused) || refused.Status < 500 {
		t.Fatalf("with Redis full: %v, want a 5xx", err)
	}
	if _, err := u.Expect(ctx, "系统暂时繁忙"); err != nil {
		t.Fatal(err)
	}
	if after := dump(); !maps.Equal(after, before) || snapshot(t, p.session(u.ID)) != session {
		t.Errorf("a refused commit changed the chat's keys")
	}
	if !strings.Contains(p.stderr.String(), "OOM") {
		t.Errorf("the log does not name the cause (OOM)")
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.TG.Redeliver(ctx, sent); err != nil {
		t.Fatal(err)
	}
	if _, err := u.Expect(ctx, "这笔 199.00 元是哪天扣的"); err != nil {
		t.Fatal(err)
	}
	p.stop(personalData...)
}
