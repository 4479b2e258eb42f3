package storage

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"complaintbot/flows"
)

func TestStaffRedisServer(t *testing.T) { testStaff(t, realRedis) }

func TestStaffEmbedded(t *testing.T) { testStaff(t, embeddedRedis) }

// testStaff runs what the staff side asks of storage against one implementation.
func testStaff(t *testing.T, newRedis factory) {
	// escalated stores a case for chat and escalates it.
	escalated := func(t *testing.T, r *Redis, chat int64, update int64) string {
		t.Helper()
		ctx := testCtx(t)
		c := sampleComplaint(time.Now())
		c.Chat = chat
		_, com, err := r.Apply(ctx, chat, update, storeStep(c))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Apply(ctx, chat, update+1, escalateStep(com.CaseID)); err != nil {
			t.Fatal(err)
		}
		return com.CaseID
	}
	decide := func(a flows.CaseAction, by, text string) func(flows.Complaint) (flows.StatusChange, error) {
		return func(c flows.Complaint) (flows.StatusChange, error) {
			return flows.Decide(c, a, by, time.Time{}, text)
		}
	}

	t.Run("every stored case is indexed and read back in order", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		var want []string
		for i := range 3 {
			want = append(want, escalated(t, r, testChat+int64(i), 10))
		}
		ids, err := r.CaseIDs(ctx)
		if err != nil || !slices.Equal(ids, want) {
			t.Fatalf("CaseIDs = %v, %v; want %v", ids, err, want)
		}
		cs, _, err := r.Complaints(ctx, []string{want[2], "C-999999", want[0]})
		if err != nil || len(cs) != 2 || cs[0].ID != want[2] || cs[1].ID != want[0] {
			t.Fatalf("Complaints = %+v, %v", cs, err)
		}
	})

	t.Run("bounds: evidence, captions and record size; an unreadable record named alone", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		id := escalated(t, r, testChat, 10)
		before, _ := r.Complaint(ctx, id)
		var ev []flows.Evidence
		for i := range 2 * flows.MaxCaseEvidence {
			ev = append(ev, flows.Evidence{Kind: flows.EvidencePhoto, FileID: "f" + strconv.Itoa(i), UniqueID: "u" + strconv.Itoa(i),
				Caption: strings.Repeat("字", 200)})
		}
		if err := r.AddEvidence(ctx, id, ev); err != nil {
			t.Fatal(err)
		}
		c, _ := r.Complaint(ctx, id)
		captions := 0
		for _, e := range c.Evidence[len(before.Evidence):] {
			captions += utf8.RuneCountInString(e.Caption)
		}
		if len(c.Evidence) != flows.MaxCaseEvidence || captions > flows.MaxCaseCaptions {
			t.Fatalf("%d items, %d caption characters", len(c.Evidence), captions)
		}
		// notes until the record is full: refused, and the record stays readable
		var err error
		for i := 0; i < 1000 && err == nil; i++ {
			_, _, err = r.UpdateStatus(ctx, id, decide(flows.ActNote, "staff:1", strings.Repeat("注", 400)+strconv.Itoa(i)))
		}
		if !errors.Is(err, ErrTooLarge) || !errors.Is(err, flows.ErrCaseFull) {
			t.Fatalf("a record past MaxRecord: %v", err)
		}
		if _, err := r.Complaint(ctx, id); err != nil {
			t.Fatalf("the full record cannot be read: %v", err)
		}
		// a damaged record beside it: named, never failing the others
		other := escalated(t, r, testChat+1, 10)
		if err := r.rdb.Set(ctx, caseKey(other), "2:s\xff\xffbroken", 0).Err(); err != nil {
			t.Fatal(err)
		}
		cs, unreadable, err := r.Complaints(ctx, []string{id, other})
		if err != nil || len(cs) != 1 || cs[0].ID != id || !slices.Equal(unreadable, []string{other}) {
			t.Fatalf("Complaints = %d cases, unreadable %v, %v", len(cs), unreadable, err)
		}
		if _, err := r.Complaint(ctx, other); !errors.Is(err, ErrUnreadable) {
			t.Fatalf("Complaint of the damaged record: %v", err)
		}
		listed, err := r.Cases(ctx, testChat+1)
		if err != nil || len(listed) != 1 || listed[0].ID != other || listed[0].Status != "" {
			t.Fatalf("Cases of the damaged record's chat = %+v, %v", listed, err)
		}
		if err := r.AddEvidence(ctx, other, ev[:1]); !errors.Is(err, ErrUnreadable) {
			t.Fatalf("AddEvidence to the damaged record: %v", err)
		}
	})

	t.Run("status changes follow the rules atomically", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		id := escalated(t, r, testChat, 10)
		c, ch, err := r.UpdateStatus(ctx, id, decide(flows.ActClaim, "staff:1", ""))
		if err != nil || c.Status != flows.StatusClaimed || ch.By != "staff:1" || ch.At.IsZero() || c.Assignee() != "staff:1" {
			t.Fatalf("claim: %+v %+v %v", c, ch, err)
		}
		if open, _ := r.OpenCases(ctx); !slices.Equal(open, []string{id}) {
			t.Fatalf("open after claim = %v", open)
		}
		// Two staff resolving at once: one wins, the other is told it changes nothing.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() {
				_, _, errs[i] = r.UpdateStatus(ctx, id, decide(flows.ActResolve, "staff:2", ""))
			})
		}
		wg.Wait()
		var ce flows.CaseError
		if (errs[0] == nil) == (errs[1] == nil) || !errors.As(errors.Join(errs...), &ce) || ce != flows.ErrCaseNoChange {
			t.Fatalf("concurrent resolves: %v", errs)
		}
		got, _ := r.Complaint(ctx, id)
		if got.Status != flows.StatusResolved || len(got.History) != 4 {
			t.Fatalf("after resolve: %s %+v", got.Status, got.History)
		}
		if open, _ := r.OpenCases(ctx); len(open) != 0 {
			t.Fatalf("open after resolve = %v", open)
		}
		// A refused action writes nothing.
		if _, _, err := r.UpdateStatus(ctx, id, decide(flows.ActAsk, "staff:1", "more?")); !errors.As(err, &ce) || ce != flows.ErrCaseClosed {
			t.Fatalf("ask on a resolved case: %v", err)
		}
		if again, _ := r.Complaint(ctx, id); len(again.History) != 4 {
			t.Fatalf("a refused action changed the history: %+v", again.History)
		}
		if _, _, err := r.UpdateStatus(ctx, id, decide(flows.ActReopen, "staff:3", "")); err != nil {
			t.Fatal(err)
		}
		if open, _ := r.OpenCases(ctx); !slices.Equal(open, []string{id}) {
			t.Fatalf("open after reopen = %v", open)
		}
	})

	t.Run("waiting is set on the session like a commit", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		id := escalated(t, r, testChat, 10)
		before, _ := r.Load(ctx, testChat)
		if err := r.SetWaiting(ctx, testChat, id, true); err != nil {
			t.Fatal(err)
		}
		s, _ := r.Load(ctx, testChat)
		if s.Waiting != id || s.Version != before.Version+1 || s.State != before.State {
			t.Fatalf("after SetWaiting: %+v (before %+v)", s, before)
		}
		// A step from the session loaded before conflicts rather than losing the mark.
		stale := flows.Result{Session: before}
		if _, err := r.Commit(ctx, stale, 99); !errors.Is(err, ErrConflict) {
			t.Fatalf("stale commit: %v, want ErrConflict", err)
		}
		// Clearing another case's mark leaves it; clearing its own removes it.
		if err := r.SetWaiting(ctx, testChat, "C-999999", false); err != nil {
			t.Fatal(err)
		}
		if s, _ := r.Load(ctx, testChat); s.Waiting != id {
			t.Fatalf("cleared by another case: %+v", s)
		}
		if err := r.SetWaiting(ctx, testChat, id, false); err != nil {
			t.Fatal(err)
		}
		if s, _ := r.Load(ctx, testChat); s.Waiting != "" {
			t.Fatalf("not cleared: %+v", s)
		}
		// An expired session comes back closed, in the case's language, waiting.
		if err := r.rdb.Del(ctx, sessionKey(testChat)).Err(); err != nil {
			t.Fatal(err)
		}
		if err := r.SetWaiting(ctx, testChat, id, true); err != nil {
			t.Fatal(err)
		}
		if s, _ := r.Load(ctx, testChat); s.State != flows.StateClosed || s.Lang != flows.LangZH || !s.Consented || s.Waiting != id || s.LastCase != id {
			t.Fatalf("recreated session: %+v", s)
		}
	})

	t.Run("the staff thread and the message map", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		const staff = -1001234567890
		if th, err := r.StaffThread(ctx, "C-000001"); err != nil || th != (flows.StaffThread{}) {
			t.Fatalf("unposted thread = %+v, %v", th, err)
		}
		since := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
		if err := r.SetStaffTopic(ctx, "C-000001", staff, 7); err != nil {
			t.Fatal(err)
		}
		if err := r.SetStaffCard(ctx, "C-000001", staff, 70, since); err != nil {
			t.Fatal(err)
		}
		if err := r.SetStaffCard(ctx, "C-000002", staff, 80, since.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := r.AddStaffMessages(ctx, "C-000001", staff, 71, 72); err != nil {
			t.Fatal(err)
		}
		if err := r.SetStaffPart(ctx, "C-000001", PartEvidence); err != nil {
			t.Fatal(err)
		}
		if err := r.SetStaffReplied(ctx, "C-000001", since.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		th, err := r.StaffThread(ctx, "C-000001")
		want := flows.StaffThread{Chat: staff, Topic: 7, Card: 70, Evidence: true, Replied: since.Add(time.Minute)}
		if err != nil || th.Chat != want.Chat || th.Topic != 7 || th.Card != 70 || !th.Evidence || th.Document || !th.Replied.Equal(want.Replied) {
			t.Fatalf("thread = %+v, %v; want %+v", th, err, want)
		}
		for _, tc := range []struct {
			topic int
			msgs  []int
			want  string
		}{
			{7, nil, "C-000001"},
			{0, []int{72}, "C-000001"},
			{0, []int{999, 80}, "C-000002"},
			{3, []int{999}, ""},
			{0, nil, ""},
		} {
			if got, err := r.StaffCaseOf(ctx, staff, tc.topic, tc.msgs...); err != nil || got != tc.want {
				t.Errorf("StaffCaseOf(%d, %v) = %q, %v; want %q", tc.topic, tc.msgs, got, err, tc.want)
			}
		}
		if got, _ := r.StaffCaseOf(ctx, -42, 7); got != "" {
			t.Errorf("another chat's topic found %q", got)
		}
		if open, _ := r.OpenCases(ctx); !slices.Equal(open, []string{"C-000002", "C-000001"}) {
			t.Errorf("open cases by age = %v", open)
		}
	})

	t.Run("a staff member's awaited texts, one per case", func(t *testing.T) {
		clk := newClock()
		r := newRedis(t, Options{Now: clk.now})
		ctx := testCtx(t)
		summary := func(user int64) string {
			t.Helper()
			ps, err := r.PendingActions(ctx, -1, user)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range ps {
				out = append(out, p.Case+":"+string(p.Action))
			}
			return strings.Join(out, " ")
		}
		if got := summary(5); got != "" {
			t.Fatalf("nothing awaited: %q", got)
		}
		r.SetAwait(ctx, -1, 5, "C-000003", "reject")
		clk.advance(time.Second)
		r.SetAwait(ctx, -1, 5, "C-000001", "ask")
		clk.advance(time.Second)
		r.SetAwait(ctx, -1, 5, "C-000003", "note") // the same case again: replaced
		if got := summary(5); got != "C-000001:ask C-000003:note" {
			t.Fatalf("awaited %q", got)
		}
		if got := summary(6); got != "" {
			t.Fatalf("another staff member sees %q", got)
		}
		if err := r.ClearAwait(ctx, -1, 5, "C-000003"); err != nil {
			t.Fatal(err)
		}
		if got := summary(5); got != "C-000001:ask" {
			t.Fatalf("after clearing one: %q", got)
		}
		clk.advance(AwaitTTL)
		if got := summary(5); got != "" {
			t.Fatalf("older than AwaitTTL: %q", got)
		}
		r.SetAwait(ctx, -1, 5, "C-000004", "ask")
		if err := r.ClearAwait(ctx, -1, 5, ""); err != nil || summary(5) != "" {
			t.Fatalf("clearing all: %v %q", err, summary(5))
		}
	})

	t.Run("the journal of staff updates", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		if st, err := r.StaffUpdate(ctx, 7); err != nil || st != "" {
			t.Fatalf("unknown update: %q %v", st, err)
		}
		r.SetStaffUpdate(ctx, 7, "begun")
		r.SetStaffUpdate(ctx, 7, "done")
		if st, _ := r.StaffUpdate(ctx, 7); st != "done" {
			t.Fatalf("state %q", st)
		}
		if ttl := r.rdb.TTL(ctx, staffUpdateKey(7)).Val(); ttl <= 0 || ttl > StaffUpdateTTL {
			t.Fatalf("ttl %v", ttl)
		}
	})

	t.Run("a restarted consumer gets its own unacknowledged work at once", func(t *testing.T) {
		r := newRedis(t, Options{MaxDeliveries: 3, DeadLetterAfter: time.Nanosecond}) // ClaimIdle stays a minute: XAUTOCLAIM plays no part
		ctx := testCtx(t)
		id := escalated(t, r, testChat, 10)
		if es, err := r.PendingEscalations(ctx, "bot-1", 10); err != nil || len(es) != 0 {
			t.Fatalf("pending before any delivery: %+v, %v", es, err)
		}
		es, err := r.ReadEscalations(ctx, "bot-1", 10, 0)
		if err != nil || len(es) != 1 {
			t.Fatalf("first delivery: %+v, %v", es, err)
		}
		// another consumer does not see it; the same one, restarted, does
		if other, err := r.PendingEscalations(ctx, "bot-2", 10); err != nil || len(other) != 0 {
			t.Fatalf("another consumer's pending: %+v, %v", other, err)
		}
		again, err := r.PendingEscalations(ctx, "bot-1", 10)
		if err != nil || len(again) != 1 || again[0].CaseID != id || again[0].MsgID != es[0].MsgID || again[0].Deliveries < 1 {
			t.Fatalf("after a restart: %+v, %v; want %s", again, err, id)
		}
		if err := r.AckEscalation(ctx, again[0]); err != nil {
			t.Fatal(err)
		}
		if left, err := r.PendingEscalations(ctx, "bot-1", 10); err != nil || len(left) != 0 {
			t.Fatalf("after the ack: %+v, %v", left, err)
		}
		// A consumer that keeps dying on an entry ends up dead-lettering it.
		escalated(t, r, testChat+1, 10)
		if es, err := r.ReadEscalations(ctx, "bot-1", 10, 0); err != nil || len(es) != 1 {
			t.Fatalf("second case: %+v, %v", es, err)
		}
		for range 10 {
			es, err := r.PendingEscalations(ctx, "bot-1", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				break
			}
		}
		if dead, err := r.DeadEscalations(ctx, 10); err != nil || len(dead) != 1 {
			t.Fatalf("dead letters = %+v, %v", dead, err)
		}
	})

	t.Run("crashes in a row do not dead-letter a young escalation", func(t *testing.T) {
		now := time.Now()
		r := newRedis(t, Options{MaxDeliveries: 3, Now: func() time.Time { return now }}) // DeadLetterAfter: 10 minutes
		ctx := testCtx(t)
		id := escalated(t, r, testChat, 10)
		if es, err := r.ReadEscalations(ctx, "bot-1", 10, 0); err != nil || len(es) != 1 {
			t.Fatalf("first delivery: %+v, %v", es, err)
		}
		for i := range 10 { // ten restarts within a minute
			es, err := r.PendingEscalations(ctx, "bot-1", 1)
			if err != nil || len(es) != 1 || es[0].CaseID != id {
				t.Fatalf("restart %d: %+v, %v; want %s still pending", i, es, err, id)
			}
		}
		now = now.Add(11 * time.Minute) // the case still fails ten minutes on: it goes
		if es, err := r.PendingEscalations(ctx, "bot-1", 1); err != nil || len(es) != 0 {
			t.Fatalf("eleven minutes on: %+v, %v; want it dead-lettered", es, err)
		}
		if dead, err := r.DeadEscalations(ctx, 10); err != nil || len(dead) != 1 {
			t.Fatalf("dead letters = %+v, %v", dead, err)
		}
	})

	t.Run("one consumer at a time posts a case", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		for _, step := range []struct {
			consumer string
			want     bool
		}{{"bot-1", true}, {"bot-2", false}, {"bot-1", true}} {
			if got, err := r.ClaimPosting(ctx, "C-000001", step.consumer, time.Minute); err != nil || got != step.want {
				t.Errorf("ClaimPosting(%s) = %v, %v; want %v", step.consumer, got, err, step.want)
			}
		}
		if got, _ := r.ClaimPosting(ctx, "C-000002", "bot-2", time.Minute); !got {
			t.Error("another case's lease is not free")
		}
	})

	t.Run("reminders once per period", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
		for _, step := range []struct {
			after time.Duration
			want  bool
		}{{0, true}, {time.Minute, false}, {59 * time.Minute, false}, {time.Hour, true}, {61 * time.Minute, false}, {2 * time.Hour, true}} {
			got, err := r.Remind(ctx, "C-000001", now.Add(step.after), time.Hour)
			if err != nil || got != step.want {
				t.Errorf("Remind after %s = %v, %v; want %v", step.after, got, err, step.want)
			}
		}
	})
}
