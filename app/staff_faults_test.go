package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
)

// reliabilityUsers, when set to a number, is the number of users of TestCrashFaultsWithStaff,
// short or long.
const reliabilityUsers = "RELIABILITY_USERS"

// faultStaffer is the staff member of the fault runs with staff in the loop (STAFF_USER_IDS).
const faultStaffer = int64(900)

// staffDesk acts in the fault runs' staff chat as faultStaffer, through the simulated Telegram
// (every update delivered again until a replica answers 2xx, as Telegram does).
type staffDesk struct {
	f    *fleet
	msgs atomic.Int64
	cbs  atomic.Int64
}

func (s *staffDesk) chat() map[string]any {
	return map[string]any{"id": reliabilityStaffChat, "type": "supergroup", "title": "staff", "is_forum": true}
}

func (s *staffDesk) from() map[string]any {
	return map[string]any{"id": faultStaffer, "is_bot": false, "first_name": "S"}
}

// press presses a button with data on the card (message card in topic).
func (s *staffDesk) press(ctx context.Context, card, topic int, data string) error {
	msg := map[string]any{"message_id": card, "chat": s.chat(), "date": time.Now().Unix(),
		"message_thread_id": topic, "is_topic_message": true, "text": "card"}
	_, err := s.f.TG.Send(ctx, map[string]any{"callback_query": map[string]any{
		"id": fmt.Sprintf("staff-cb-%d", s.cbs.Add(1)), "from": s.from(), "message": msg,
		"chat_instance": "staff", "data": data}})
	return err
}

// say writes text in the case's topic.
func (s *staffDesk) say(ctx context.Context, topic int, text string) error {
	_, err := s.f.TG.Send(ctx, map[string]any{"message": map[string]any{
		"message_id": 900000 + s.msgs.Add(1), "from": s.from(), "chat": s.chat(), "date": time.Now().Unix(),
		"message_thread_id": topic, "is_topic_message": true, "text": text,
		"reply_to_message": map[string]any{"message_id": topic, "chat": s.chat(), "date": time.Now().Unix()}}})
	return err
}

// card waits for the card posted for case id and returns the last one posted so far and its
// topic. It waits with the fake's WaitFor, which looks at each new call once: polling the
// fake's whole record every 20 ms from 50 staff goroutines at once held its lock so long that
// it answered the replicas ever more slowly, and a 200-user run stalled (docs/RELIABILITY.md).
func (s *staffDesk) card(ctx context.Context, id string) (card, topic int, err error) {
	isCard := func(c fakeapi.Call) bool {
		return c.ChatID == reliabilityStaffChat && c.Method == "sendMessage" &&
			strings.Contains(c.Params["reply_markup"], "s:claim:"+id+`"`) && c.MessageID() != 0
	}
	first, err := s.f.API.WaitFor(ctx, isCard)
	if err != nil {
		return 0, 0, fmt.Errorf("no card for %s: %w", id, err)
	}
	card, topic = first.MessageID(), first.ThreadID
	for _, c := range s.f.API.CallsToChat(reliabilityStaffChat) {
		if c.Seq > first.Seq && isCard(c) { // posted again since: staff take the newest
			card, topic = c.MessageID(), c.ThreadID
		}
	}
	return card, topic, nil
}

// caseOf waits until the user's case can be read (Redis may be restarting) and returns its id.
func (f *fleet) caseOf(ctx context.Context, u *faultUser) (string, error) {
	for {
		cases, err := f.store.Cases(ctx, u.ID)
		if err == nil && len(cases) > 0 {
			return cases[0].ID, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("user %d: no case: %v %w", u.ID, err, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// handle plays one case through the staff desk while the harness kills the bot: claim, ask (a
// question in the topic), the complainant's answer relayed back, a staff message relayed to
// them, resolve. Each step waits for what the complainant (or staff) must see of the one before.
// w, when set, is told what the staff member and the complainant wait for.
func (s *staffDesk) handle(ctx context.Context, u *faultUser, w *stallWatch) error {
	name := fmt.Sprintf("staff of user %d", u.ID)
	set := func(doing string) {
		if w != nil {
			w.set(name, u.ID, doing)
		}
	}
	set("waiting for the case record")
	id, err := s.f.caseOf(ctx, u)
	if err != nil {
		return err
	}
	set("waiting for the card of " + id)
	card, topic, err := s.card(ctx, id)
	if err != nil {
		return err
	}
	if w != nil {
		w.place(name, id, topic)
	}
	steps := []struct {
		what string
		do   func() error
	}{
		{"pressing claim", func() error { return s.press(ctx, card, topic, "s:claim:"+id) }},
		{"waiting for the complainant to be told of the claim", func() error { _, err := u.Expect(ctx, "工作人员已开始处理您的案件 "+id); return err }},
		{"pressing ask", func() error { return s.press(ctx, card, topic, "s:ask:"+id) }},
		{"writing the question", func() error { return s.say(ctx, topic, "请补充合同"+u.marker) }},
		{"waiting for the question to reach the complainant", func() error { _, err := u.Expect(ctx, "请补充合同"+u.marker); return err }},
		{"the complainant answering", func() error { _, err := u.Text(ctx, "合同在此"+u.marker); return err }},
		{"waiting for the answer to reach staff", func() error { return s.waitStaff(ctx, "合同在此"+u.marker) }},
		{"writing to the complainant", func() error { return s.say(ctx, topic, "收到"+u.marker) }},
		{"waiting for the message to reach the complainant", func() error { _, err := u.Expect(ctx, "收到"+u.marker); return err }},
		{"pressing resolve", func() error { return s.press(ctx, card, topic, "s:resolve:"+id) }},
		{"waiting for the complainant to be told of the resolution", func() error { _, err := u.Expect(ctx, "您的案件 "+id+" 已处理完毕"); return err }},
	}
	for i, step := range steps {
		set(fmt.Sprintf("staff step %d: %s", i+1, step.what))
		if err := step.do(); err != nil {
			return fmt.Errorf("user %d, case %s, staff step %d (%s): %w", u.ID, id, i+1, step.what, err)
		}
	}
	if w != nil {
		w.finish(name)
	}
	return nil
}

// watched are steps that tell w what user u does and waits for.
func watched(w *stallWatch, u *faultUser, steps []e2e.Step) []e2e.Step {
	name := fmt.Sprintf("user %d", u.ID)
	out := slices.Clone(steps)
	for i, st := range out {
		out[i].Do = func(ctx context.Context, eu *e2e.User) error {
			w.set(name, u.ID, fmt.Sprintf("step %d/%d (%s): sending", i+1, len(out), st.Name))
			err := st.Do(ctx, eu)
			w.set(name, u.ID, fmt.Sprintf("step %d/%d (%s): waiting for %q", i+1, len(out), st.Name, short(st.Expect, 40)))
			return err
		}
	}
	return out
}

// waitStaff waits until the staff chat got a message containing text.
func (s *staffDesk) waitStaff(ctx context.Context, text string) error {
	_, err := s.f.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.ChatID == reliabilityStaffChat && strings.Contains(c.Params["text"]+c.Params["caption"], text)
	})
	return err
}

// staffFigures are what a fault run with staff in the loop adds to faultFigures.
type staffFigures struct {
	Updates                int // staff updates sent (claim, ask, question, message, resolve per case)
	Actions, Relays        int // status changes and relays (both ways) that had to arrive
	Repeats                int // arrived more than once, marked as a repeat
	LostStaff, Unmarked    int // never arrived; arrived again unmarked
	StatusTold, StatusLost int // status changes told to the complainant; not told
}

func (s staffFigures) String() string {
	return fmt.Sprintf("staff_updates=%d status_changes=%d relays=%d marked_repeats=%d lost=%d unmarked_doubles=%d status_told=%d status_lost=%d",
		s.Updates, s.Actions, s.Relays, s.Repeats, s.LostStaff, s.Unmarked, s.StatusTold, s.StatusLost)
}

// verifyStaff checks that every staff action and relay arrived once, or more than once marked
// as a repeat, that each case's history holds each action once, and that the complainant was
// told each status change.
func (f *fleet) verifyStaff(ctx context.Context, users []*faultUser, fig *staffFigures) {
	t := f.t
	const userRepeat, staffRepeat = "（重发：您可能已经收到过这条消息）", "（重发：上方可能已有一份）"
	count := func(texts []string, want, mark string) {
		n, marked := 0, 0
		for _, s := range texts {
			if strings.Contains(s, want) {
				n++
				if strings.Contains(s, mark) {
					marked++
				}
			}
		}
		switch {
		case n == 0:
			fig.LostStaff++
			t.Errorf("%q never arrived", want)
		case n-1 > marked:
			fig.Unmarked += n - 1 - marked
			t.Errorf("%q arrived %d times, %d marked as a repeat", want, n, marked)
		}
		if n > 1 {
			fig.Repeats += n - 1
		}
	}
	var staffTexts []string
	for _, m := range e2e.Messages(f.API, reliabilityStaffChat) {
		staffTexts = append(staffTexts, m.Text)
	}
	for _, u := range users {
		id, err := f.caseOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		texts := e2e.Texts(e2e.Messages(f.API, u.ID))
		for _, want := range []string{"工作人员已开始处理您的案件 " + id, "工作人员需要您为案件 " + id, "您的案件 " + id + " 已处理完毕"} {
			fig.Actions++
			before := fig.LostStaff
			count(texts, want, userRepeat)
			if fig.LostStaff == before {
				fig.StatusTold++
			} else {
				fig.StatusLost++
			}
		}
		for _, want := range []string{"请补充合同" + u.marker, "收到" + u.marker} {
			fig.Relays++
			count(texts, want, userRepeat)
		}
		fig.Relays++
		count(staffTexts, "合同在此"+u.marker, staffRepeat)
		c, err := f.store.Complaint(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		events := map[string]int{}
		for _, h := range c.History {
			events[h.Event]++
		}
		if events["claim"] != 1 || events["ask"] != 1 || events["resolve"] != 1 {
			fig.Unmarked++
			t.Errorf("case %s: history %v; want each staff action once", id, events)
		}
	}
}

// TestCrashFaultsWithStaff (issue 17, item 6): the crash runs of TestCrashFaults with staff in
// the loop. While the harness SIGKILLs and restarts the bot at random moments, and once
// SIGKILLs and restarts redis-server, users make and escalate their complaints and a staff
// member claims each case, asks a question in its topic, receives the complainant's answer,
// writes back and resolves it. Every staff action and every relay must arrive, once or again
// marked as a repeat; each case's history holds each action once; the complainant is told each
// status change; and everything TestCrashFaults checks holds too.
func TestCrashFaultsWithStaff(t *testing.T) {
	users, kills, par := 6, 6, 6
	if longRun() {
		users, kills, par = 200, 24, 50
	}
	if n, err := strconv.Atoi(os.Getenv(reliabilityUsers)); err == nil && n > 0 {
		users = n // a size between the short and the long run, to find where a run stops
	}
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("replicas=%d", n), func(t *testing.T) {
			start := time.Now()
			tctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
			defer cancel()
			ctx, stall := context.WithCancelCause(tctx)
			defer stall(nil)
			f := startFleet(t, ctx, n, fmt.Sprintf("STAFF_USER_IDS=%d", faultStaffer))
			desk := &staffDesk{f: f}
			watch := watchStalls(t, ctx, f, stall)
			us := make([]*faultUser, users)
			for i := range us {
				us[i] = newFaultUser(f.TG, 100+i)
			}
			fig := faultFigures{Users: users}
			chaos := f.startChaos(t, ctx, uint64(n), 17, 300*time.Millisecond, 900*time.Millisecond, kills)
			sem := make(chan struct{}, par)
			var wg sync.WaitGroup
			for _, u := range us {
				wg.Go(func() {
					sem <- struct{}{}
					defer func() { <-sem }()
					if err := u.Play(ctx, watched(watch, u, u.steps())...); err != nil {
						t.Error(err, context.Cause(ctx))
						return
					}
					watch.finish(fmt.Sprintf("user %d", u.ID))
					if err := desk.handle(ctx, u, watch); err != nil {
						t.Error(err, context.Cause(ctx))
					}
				})
			}
			wg.Wait()
			fig.Kills, fig.RedisKills = chaos.finish(t, ctx)
			if t.Failed() {
				t.FailNow()
			}
			for _, u := range us {
				fig.Updates += int64(len(u.steps()) + 1) // and the answer to staff's question
			}
			f.verify(ctx, us, &fig)
			sf := staffFigures{Updates: 5 * users}
			f.verifyStaff(ctx, us, &sf)
			f.checkLogs(us)
			fig.Replayed = f.replayed
			fig.Wall = time.Since(start)
			t.Logf("figures: %s %s", fig, sf)
			var pace strings.Builder
			watch.pace(&pace)
			t.Log(pace.String())
		})
	}
}
