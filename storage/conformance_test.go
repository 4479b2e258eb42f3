package storage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/internal/sleep"
)

// The chat of the tests: a private chat, whose id is the user's id.
const (
	testChat int64 = 777000111
	testUser int64 = 777000111
)

// sampleComplaint is a finished complaint full of personal data.
func sampleComplaint(now time.Time) flows.Complaint {
	return flows.Complaint{
		Chat: testChat, User: testUser, Lang: flows.LangZH,
		Complainant: flows.Individual, Charge: flows.SIMFee,
		Provider: flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{
			{Date: "2024-03-01", Amount: 19900, Method: flows.FromSettlement, Label: "流量卡年费"},
			{Date: "2024-09-01", Amount: 9900, Method: flows.FromSettlement},
		},
		Disclosure: flows.NotTold, LearnedOn: "2024-09-02",
		ContractDate: "2022-05-10", ContractChannel: flows.ChannelAgent,
		Agent:    "业务员王五承诺免费",
		DeviceSN: "SN98765432100", MerchantName: "张三丰便利店", MerchantNumber: "822584053990123",
		Negotiation: flows.Negotiation{Tried: true, Date: "2024-09-05", Channel: flows.ChannelHotline,
			Ticket: "TK20240905001", Reply: "客服说无法退还给张三丰"},
		Proceedings:  flows.ProceedingsNone,
		Description:  "我在二〇二四年三月发现结算款被扣除流量卡费，从未被告知。",
		Requests:     []flows.RequestKind{flows.RequestRefund, flows.RequestStop, flows.RequestOther},
		OtherRequest: "请书面道歉给张三丰",
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, FileID: "AgACAgUAAxkBAAIBQ2ZfilePhotoOne", UniqueID: "AQADuniqPhotoOne",
				Size: 123456, MIME: "image/jpeg", Caption: "结算明细截图", ReceivedAt: now},
			{Kind: flows.EvidenceDocument, FileID: "BQACAgUAAxkBAAIBRGZfileDocTwo", UniqueID: "AgADuniqDocTwo",
				Size: 45678, MIME: "application/pdf", FileName: "张三丰合同.pdf", ReceivedAt: now},
			{Kind: flows.EvidenceText, Caption: "【拉卡拉】尊敬的张三丰，您的流量卡费199元已扣除", ReceivedAt: now},
		},
		Contact:   flows.Contact{Name: "张三丰", Phone: "13800138000", City: "深圳", Address: "深圳市南山区科技园路1号"},
		Body:      "深圳市消费者协会",
		CreatedAt: now,
	}
}

// personalData is what sampleComplaint says about the person.
func personalData() []string {
	return []string{"张三丰", "13800138000", "科技园路1号", "二〇二四年三月发现", "业务员王五",
		"AgACAgUAAxkBAAIBQ2ZfilePhotoOne", "AQADuniqPhotoOne", "BQACAgUAAxkBAAIBRGZfileDocTwo",
		"AgADuniqDocTwo", "SN98765432100", "822584053990123", "TK20240905001", "结算明细截图",
		strconv.FormatInt(testUser, 10)}
}

// storeStep finishes the draft as c.
func storeStep(c flows.Complaint) func(flows.Session) (flows.Result, error) {
	return func(s flows.Session) (flows.Result, error) {
		s.State = flows.StateSubmitted
		s.Draft = flows.Complaint{Chat: s.Chat}
		return flows.Result{
			Session: s,
			Replies: []flows.Reply{{Key: "submitted", Document: true}},
			Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}},
		}, nil
	}
}

func escalateStep(id string) func(flows.Session) (flows.Result, error) {
	return func(s flows.Session) (flows.Result, error) {
		s.State = flows.StateClosed
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectEscalate, CaseID: id}}}, nil
	}
}

// eraseStep confirms /delete as flows does: a new session in the same language, and the erasure.
// It leaves the draft behind, to show that storage writes none of it.
func eraseStep(s flows.Session) (flows.Result, error) {
	s.Lang, s.State, s.Prompt = flows.LangZH, flows.StateConsent, s.Prompt+1
	return flows.Result{Session: s, Replies: []flows.Reply{{Key: "deleted"}},
		Effects: []flows.Effect{{Kind: flows.EffectErase}}}, nil
}

func stepOf(f func(flows.Session) flows.Result) func(flows.Session) (flows.Result, error) {
	return func(s flows.Session) (flows.Result, error) { return f(s), nil }
}

// testConformance is what every Redis backend must do: a real server, the embedded default, a
// cluster.
func testConformance(t *testing.T, newRedis factory) {
	t.Run("a chat without a session loads a fresh one", func(t *testing.T) {
		r := newRedis(t, Options{})
		s, err := r.Load(testCtx(t), testChat)
		if err != nil {
			t.Fatal(err)
		}
		want := flows.NewSession(testChat)
		if !equalJSON(t, s, want) {
			t.Errorf("Load = %+v, want %+v", s, want)
		}
	})

	t.Run("a commit is loaded back with the next version", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		s := flows.NewSession(testChat)
		s.State, s.Lang, s.Consented = flows.StateCharge, flows.LangZH, true
		s.Pend = flows.Deduction{Amount: 19900}
		s.Draft.Description = strings.Repeat("我的描述", 200) // long enough to be compressed
		c, err := r.Commit(ctx, flows.Result{Session: s}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Duplicate || c.Session.Version != 1 {
			t.Fatalf("Commit = %+v, want version 1", c)
		}
		got, err := r.Load(ctx, testChat)
		if err != nil {
			t.Fatal(err)
		}
		s.Version = 1
		if !equalJSON(t, got, s) {
			t.Errorf("Load = %+v\nwant %+v", got, s)
		}
		ttl, err := r.rdb.PTTL(ctx, sessionKey(testChat)).Result()
		if err != nil || ttl <= 0 || ttl > 30*24*time.Hour {
			t.Errorf("session TTL = %v, %v; want at most 30 days", ttl, err)
		}
		// the seen ids' TTL is set every half window, to a window and a half
		ttl, err = r.rdb.PTTL(ctx, seenKey(testChat)).Result()
		if err != nil || ttl <= 24*time.Hour || ttl > 36*time.Hour {
			t.Errorf("seen ids TTL = %v, %v; want a day and a half", ttl, err)
		}
	})

	t.Run("a commit from a stale version conflicts", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		s, _ := r.Load(ctx, testChat)
		if _, err := r.Commit(ctx, commitStep(s), 1); err != nil {
			t.Fatal(err)
		}
		_, err := r.Commit(ctx, commitStep(s), 2)
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("stale Commit = %v, want ErrConflict", err)
		}
		got, _ := r.Load(ctx, testChat)
		if got.Version != 1 || got.Prompt != 1 {
			t.Errorf("after the conflict the session is %+v, want version 1 prompt 1", got)
		}
	})

	t.Run("a redelivered update changes nothing", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		s, _ := r.Load(ctx, testChat)
		if _, err := r.Commit(ctx, commitStep(s), 42); err != nil {
			t.Fatal(err)
		}
		s, _ = r.Load(ctx, testChat)
		c, err := r.Commit(ctx, commitStep(s), 42)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Duplicate || c.Session.Version != 1 || c.Session.Prompt != 1 {
			t.Errorf("redelivered Commit = %+v, want Duplicate with version 1", c)
		}
		// A smaller id is not a duplicate: Telegram may start its numbering again.
		if c, err := r.Commit(ctx, commitStep(s), 7); err != nil || c.Duplicate {
			t.Errorf("smaller update id: %+v, %v; want a commit", c, err)
		}
	})

	t.Run("a resent commit script is our own commit, not a duplicate", func(t *testing.T) {
		r := newRedis(t, Options{})
		other := sibling(t, r, Options{})
		ctx := testCtx(t)
		now := time.Now()
		stamp := now.UnixMilli()*stampScale + 250
		res := commitStep(flows.NewSession(testChat))
		c, _, err := r.commitStamp(ctx, res, 5, now, stamp)
		if err != nil || c.Duplicate || c.Session.Version != 1 {
			t.Fatalf("first send: %+v, %v; want version 1", c, err)
		}
		// Another process commits the next update before the resend arrives.
		s, _ := other.Load(ctx, testChat)
		if _, err := other.Commit(ctx, commitStep(s), 6); err != nil {
			t.Fatal(err)
		}
		// go-redis resends the same EVALSHA after a timeout: the same stamp.
		c, _, err = r.commitStamp(ctx, res, 5, now, stamp)
		if err != nil || c.Duplicate || c.Session.Version != 1 {
			t.Errorf("resend: %+v, %v; want our commit (version 1), not a duplicate", c, err)
		}
		// Another attempt (another stamp) with the same update is a duplicate.
		if c, _, err := r.commitStamp(ctx, res, 5, now, stamp+1); err != nil || !c.Duplicate {
			t.Errorf("other attempt: %+v, %v; want a duplicate", c, err)
		}
		if s, _ := r.Load(ctx, testChat); s.Version != 2 {
			t.Errorf("stored version %d, want 2", s.Version)
		}
	})

	t.Run("update ids are remembered for the dedupe window", func(t *testing.T) {
		clk := newClock()
		r := newRedis(t, Options{Now: clk.now, DedupeWindow: time.Hour, DedupeMax: 3})
		ctx := testCtx(t)
		apply := func(id int64) Committed {
			t.Helper()
			_, c, err := r.Apply(ctx, testChat, id, stepOf(commitStep))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		apply(1)
		clk.advance(2 * time.Hour)
		apply(2)
		if c := apply(1); c.Duplicate {
			t.Errorf("update 1 after the window: a duplicate, want it applied")
		}
		for id := int64(3); id <= 6; id++ {
			apply(id)
		}
		if c := apply(2); c.Duplicate {
			t.Errorf("update 2 beyond DedupeMax: a duplicate, want it applied")
		}
		if c := apply(6); !c.Duplicate {
			t.Errorf("update 6: applied twice")
		}
		if n, _ := r.rdb.ZCard(ctx, seenKey(testChat)).Result(); n != 3 {
			t.Errorf("remembered ids = %d, want DedupeMax = 3", n)
		}
	})

	t.Run("a stored complaint gets an id, a status and an index entry", func(t *testing.T) {
		clk := newClock()
		r := newRedis(t, Options{Now: clk.now})
		ctx := testCtx(t)
		now := clk.now()
		first := sampleComplaint(now)
		res, c, err := r.Apply(ctx, testChat, 1, storeStep(first))
		if err != nil {
			t.Fatal(err)
		}
		if c.CaseID != "C-000001" || c.Session.LastCase != "C-000001" || res.Session.LastCase != "C-000001" {
			t.Fatalf("Committed = %+v, want case C-000001 in it and in LastCase", c)
		}
		if len(res.Replies) != 1 || res.Complaint() == nil || res.Complaint().ID != "C-000001" {
			t.Errorf("Apply's result = %+v, want the replies and the stored complaint", res)
		}
		got, err := r.Complaint(ctx, "C-000001")
		if err != nil {
			t.Fatal(err)
		}
		want := first
		want.ID, want.Status = "C-000001", flows.StatusSubmitted
		want.History = []flows.StatusChange{{Status: flows.StatusSubmitted, At: now, By: "user"}}
		if !equalJSON(t, got, want) {
			t.Errorf("Complaint = %+v\nwant %+v", got, want)
		}
		second := sampleComplaint(clk.now())
		second.Charge = flows.DeregistrationFee
		if _, c, err = r.Apply(ctx, testChat, 2, storeStep(second)); err != nil || c.CaseID != "C-000002" {
			t.Fatalf("second store: %+v, %v; want C-000002", c, err)
		}
		cases, err := r.Cases(ctx, testChat)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cases {
			ids = append(ids, c.ID)
		}
		if !slices.Equal(ids, []string{"C-000002", "C-000001"}) {
			t.Errorf("Cases = %v, want newest first", ids)
		}
		if _, err := r.Complaint(ctx, "C-999999"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Complaint of an unknown id: %v, want ErrNotFound", err)
		}
		if cases, err := r.Cases(ctx, testChat+1); err != nil || len(cases) != 0 {
			t.Errorf("Cases of another chat = %v, %v; want none", cases, err)
		}
	})

	t.Run("an escalation sets the status and queues the case", func(t *testing.T) {
		clk := newClock()
		r := newRedis(t, Options{Now: clk.now})
		ctx := testCtx(t)
		if _, _, err := r.Apply(ctx, testChat, 1, storeStep(sampleComplaint(clk.now()))); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Apply(ctx, testChat, 2, escalateStep("C-000001")); err != nil {
			t.Fatal(err)
		}
		got, err := r.Complaint(ctx, "C-000001")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != flows.StatusEscalated || len(got.History) != 2 || got.History[1].Status != flows.StatusEscalated || got.History[1].By != "user" {
			t.Errorf("escalated complaint: status %s, history %+v", got.Status, got.History)
		}
		es, err := r.ReadEscalations(ctx, "staff-1", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].CaseID != "C-000001" || es[0].Deliveries != 1 {
			t.Fatalf("ReadEscalations = %+v, want C-000001 once", es)
		}
		if err := r.AckEscalation(ctx, es[0]); err != nil {
			t.Fatal(err)
		}
		if es, err := r.ReadEscalations(ctx, "staff-1", 10, 0); err != nil || len(es) != 0 {
			t.Errorf("after the ack: %+v, %v; want nothing", es, err)
		}
		if first, err := r.MarkPosted(ctx, "C-000001"); err != nil || !first {
			t.Errorf("MarkPosted = %v, %v; want first", first, err)
		}
		if first, err := r.MarkPosted(ctx, "C-000001"); err != nil || first {
			t.Errorf("MarkPosted again = %v, %v; want not first", first, err)
		}
		if posted, err := r.Posted(ctx, "C-000001"); err != nil || !posted {
			t.Errorf("Posted = %v, %v; want true", posted, err)
		}
	})

	t.Run("a store and an escalation in one commit", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		c := sampleComplaint(time.Now())
		_, com, err := r.Apply(ctx, testChat, 1, func(s flows.Session) (flows.Result, error) {
			return flows.Result{Session: s, Effects: []flows.Effect{
				{Kind: flows.EffectStore, Complaint: &c}, {Kind: flows.EffectEscalate},
			}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Complaint(ctx, com.CaseID)
		if err != nil || got.Status != flows.StatusEscalated {
			t.Errorf("Complaint = %s, %v; want escalated", got.Status, err)
		}
	})

	t.Run("escalating another chat's case fails and writes nothing", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		if _, _, err := r.Apply(ctx, testChat+1, 1, storeStep(sampleComplaint(time.Now()))); err != nil {
			t.Fatal(err)
		}
		_, _, err := r.Apply(ctx, testChat, 2, escalateStep("C-000001"))
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("escalate another chat's case: %v, want ErrNotFound", err)
		}
		s, _ := r.Load(ctx, testChat)
		if s.Version != 0 {
			t.Errorf("session version %d after a refused commit, want 0", s.Version)
		}
		if n, _ := r.rdb.XLen(ctx, streamKey).Result(); n != 0 {
			t.Errorf("stream length %d, want 0", n)
		}
	})

	t.Run("status changes and late evidence are recorded once", func(t *testing.T) {
		clk := newClock()
		r := newRedis(t, Options{Now: clk.now})
		ctx := testCtx(t)
		if _, _, err := r.Apply(ctx, testChat, 1, storeStep(sampleComplaint(clk.now()))); err != nil {
			t.Fatal(err)
		}
		ch := flows.StatusChange{Status: flows.StatusClaimed, At: clk.now(), By: "staff:42"}
		for range 2 {
			c, err := r.SetStatus(ctx, "C-000001", ch)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != flows.StatusClaimed || len(c.History) != 2 {
				t.Errorf("SetStatus: status %s, history %+v", c.Status, c.History)
			}
		}
		ev := []flows.Evidence{{Kind: flows.EvidencePhoto, FileID: "late-file", UniqueID: "late-uniq", ReceivedAt: clk.now()}}
		for range 2 {
			if err := r.AddEvidence(ctx, "C-000001", ev); err != nil {
				t.Fatal(err)
			}
		}
		c, _ := r.Complaint(ctx, "C-000001")
		if len(c.Evidence) != 4 || c.Evidence[3].UniqueID != "late-uniq" {
			t.Errorf("evidence after AddEvidence twice: %+v", c.Evidence)
		}
		if _, err := r.SetStatus(ctx, "C-404", ch); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetStatus of an unknown case: %v, want ErrNotFound", err)
		}
		if err := r.AddEvidence(ctx, "C-404", ev); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddEvidence to an unknown case: %v, want ErrNotFound", err)
		}
	})

	t.Run("work left in the outbox by a crash is done by Load and by Sweep", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		r.skipFlush = true // the process dies right after each commit script
		// Commit without Load, which would flush.
		commit := func(s flows.Session, id int64, step func(flows.Session) (flows.Result, error)) flows.Session {
			t.Helper()
			res, _ := step(s)
			c, err := r.Commit(ctx, res, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Session
		}
		s := commit(flows.NewSession(testChat), 1, storeStep(sampleComplaint(time.Now())))
		commit(s, 2, escalateStep("C-000001"))
		other := testChat + 1
		commit(flows.NewSession(other), 1, storeStep(sampleComplaint(time.Now())))
		if _, err := r.Complaint(ctx, "C-000001"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("before any flush: %v, want ErrNotFound", err)
		}
		r2 := sibling(t, r, Options{}) // a restarted process
		if _, err := r2.Load(ctx, testChat); err != nil {
			t.Fatal(err)
		}
		if c, err := r2.Complaint(ctx, "C-000001"); err != nil || c.Status != flows.StatusEscalated {
			t.Errorf("after Load: %s, %v; want the escalated complaint", c.Status, err)
		}
		if es, err := r2.ReadEscalations(ctx, "staff", 10, 0); err != nil || len(es) != 1 {
			t.Errorf("after Load: escalations %+v, %v; want one", es, err)
		}
		n, err := r2.Sweep(ctx)
		if err != nil || n != 1 {
			t.Errorf("Sweep = %d, %v; want the other chat's outbox", n, err)
		}
		if _, err := r2.Complaint(ctx, "C-000002"); err != nil {
			t.Errorf("after Sweep: %v", err)
		}
		if n, err := r2.Sweep(ctx); err != nil || n != 0 {
			t.Errorf("second Sweep = %d, %v; want nothing left", n, err)
		}
	})

	t.Run("Apply retries on a conflict and skips redelivered updates", func(t *testing.T) {
		r := newRedis(t, Options{})
		other := sibling(t, r, Options{})
		ctx := testCtx(t)
		runs := 0
		step := func(s flows.Session) (flows.Result, error) {
			runs++
			if runs == 1 { // another process commits meanwhile
				if _, err := other.Commit(ctx, commitStep(s), 100); err != nil {
					t.Fatal(err)
				}
			}
			return commitStep(s), nil
		}
		res, c, err := r.Apply(ctx, testChat, 1, step)
		if err != nil {
			t.Fatal(err)
		}
		if runs != 2 || c.Session.Version != 2 || res.Session.Prompt != 2 {
			t.Errorf("Apply: %d runs, %+v; want 2 runs and version 2", runs, c)
		}
		res, c, err = r.Apply(ctx, testChat, 1, step)
		if err != nil || !c.Duplicate || runs != 2 || len(res.Replies) != 0 || res.Session.Version != 2 {
			t.Errorf("redelivered Apply: %+v %+v %v, %d runs; want a duplicate without running the step", res, c, err, runs)
		}
		boom := errors.New("boom")
		if _, _, err := r.Apply(ctx, testChat, 3, func(flows.Session) (flows.Result, error) { return flows.Result{}, boom }); !errors.Is(err, boom) {
			t.Errorf("a failing step: %v, want it returned", err)
		}
	})

	t.Run("a redelivered update gets its replies again", func(t *testing.T) {
		testReplay(t, newRedis)
	})

	t.Run("erasure leaves nothing personal in the keyspace", func(t *testing.T) {
		testErasure(t, newRedis)
	})

	t.Run("escalation queue", func(t *testing.T) {
		testQueue(t, newRedis)
	})

	t.Run("50 goroutines apply 1000 updates exactly once", func(t *testing.T) {
		testConcurrency(t, newRedis)
	})
}

func testErasure(t *testing.T, newRedis factory) {
	clk := newClock()
	r := newRedis(t, Options{Now: clk.now})
	ctx := testCtx(t)
	first := sampleComplaint(clk.now())
	second := sampleComplaint(clk.now())
	second.Charge = flows.DeregistrationFee
	second.Deductions = []flows.Deduction{{Date: "2024-10-01", Amount: 19900, Method: flows.FromBankCard}}
	for i, step := range []func(flows.Session) (flows.Result, error){
		storeStep(first), storeStep(second), escalateStep("C-000001"),
		func(s flows.Session) (flows.Result, error) { // a half-filled draft
			s.State = flows.StateContactPhone
			s.Draft = sampleComplaint(clk.now())
			return flows.Result{Session: s}, nil
		},
	} {
		if _, _, err := r.Apply(ctx, testChat, int64(101+i), step); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.ReadEscalations(ctx, "staff", 10, 0); err != nil { // delivered, not acked
		t.Fatal(err)
	}
	if _, err := r.MarkPosted(ctx, "C-000001"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetStatus(ctx, "C-000001", flows.StatusChange{Status: flows.StatusWaiting, By: "staff:1",
		Note: "请张三丰补充合同"}); err != nil {
		t.Fatal(err)
	}
	// The dump must see the personal data before, or the search below proves nothing.
	before := strings.Join(slices.Collect(mapValues(dump(t, r))), "\n")
	for _, p := range personalData() {
		if !strings.Contains(before, p) {
			t.Fatalf("before erasure the keyspace lacks %q: the search cannot find it", p)
		}
	}

	res, c, err := r.Apply(ctx, testChat, 105, eraseStep)
	if err != nil {
		t.Fatal(err)
	}
	// a fresh session that goes on counting prompts: the erased conversation's buttons stay stale
	fresh := flows.NewSession(testChat)
	fresh.Version, fresh.Lang, fresh.Prompt = 5, flows.LangZH, 1
	if len(res.Replies) != 1 || !equalJSON(t, c.Session, fresh) || !equalJSON(t, res.Session, fresh) {
		t.Errorf("erasing Apply = %+v %+v; want the reply and a fresh session at version 5", res, c)
	}

	chatID := strconv.FormatInt(testChat, 10)
	for key, v := range dump(t, r) {
		for _, p := range personalData() {
			if strings.Contains(v, p) {
				t.Errorf("after erasure key %s still holds %q:\n%s", key, p, v)
			}
		}
		// the session, the erasing update's id and its reply ("deleted"), all expiring
		if strings.Contains(key, chatID) && key != sessionKey(testChat) && key != seenKey(testChat) && key != repliesKey(testChat) {
			t.Errorf("after erasure key %s still names the chat", key)
		}
	}
	// What staff count stays.
	for _, id := range []string{"C-000001", "C-000002"} {
		got, err := r.Complaint(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		orig := first
		if id == "C-000002" {
			orig = second
		}
		if got.Provider != orig.Provider || got.Charge != orig.Charge || got.Total() != orig.Total() ||
			got.Complainant != orig.Complainant || len(got.Evidence) != 3 || got.Body != "" ||
			!slices.Equal(got.Requests, orig.Requests) || got.CreatedAt.IsZero() {
			t.Errorf("%s after erasure lost anonymous facts: %+v", id, got)
		}
	}
	if got, _ := r.Complaint(ctx, "C-000001"); got.Status != flows.StatusWaiting || len(got.History) != 3 {
		t.Errorf("C-000001 after erasure: status %s history %+v", got.Status, got.History)
	}
	if err := r.AddEvidence(ctx, "C-000001", []flows.Evidence{{Kind: flows.EvidencePhoto, FileID: "x"}}); !errors.Is(err, ErrErased) {
		t.Errorf("AddEvidence after erasure: %v, want ErrErased", err)
	}
	if cases, err := r.Cases(ctx, testChat); err != nil || len(cases) != 0 {
		t.Errorf("Cases after erasure = %v, %v; want none", cases, err)
	}
	if s, err := r.Load(ctx, testChat); err != nil || !equalJSON(t, s, fresh) {
		t.Errorf("Load after erasure = %+v, %v; want %+v", s, err, fresh)
	}
	// The erasing update itself is still recognised; a stale writer conflicts.
	if _, c, err := r.Apply(ctx, testChat, 105, eraseStep); err != nil || !c.Duplicate {
		t.Errorf("erasure redelivered: %+v, %v; want a duplicate", c, err)
	}
	old := flows.NewSession(testChat)
	old.Version = 4
	if _, err := r.Commit(ctx, commitStep(old), 999); !errors.Is(err, ErrConflict) {
		t.Errorf("commit from before the erasure: %v, want ErrConflict", err)
	}
	// The user may start again.
	if _, c, err := r.Apply(ctx, testChat, 106, storeStep(sampleComplaint(clk.now()))); err != nil || c.CaseID != "C-000003" {
		t.Errorf("new case after erasure: %+v, %v", c, err)
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func testQueue(t *testing.T, newRedis factory) {
	escalate := func(t *testing.T, r *Redis, chat int64) string {
		t.Helper()
		ctx := testCtx(t)
		_, c, err := r.Apply(ctx, chat, 1, storeStep(sampleComplaint(time.Now())))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Apply(ctx, chat, 2, escalateStep(c.CaseID)); err != nil {
			t.Fatal(err)
		}
		return c.CaseID
	}
	// readUntil polls until consumer gets something; idle times are the server's to count.
	readUntil := func(t *testing.T, r *Redis, consumer string) []Escalation {
		t.Helper()
		ctx := testCtx(t)
		for {
			es, err := r.ReadEscalations(ctx, consumer, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) > 0 {
				return es
			}
			if err := sleep.For(ctx, 2*time.Millisecond); err != nil {
				t.Fatal("nothing to read")
			}
		}
	}

	t.Run("a finite block returns on an empty stream", func(t *testing.T) {
		r := newRedis(t, Options{})
		es, err := r.ReadEscalations(testCtx(t), "staff", 10, 20*time.Millisecond)
		if err != nil || len(es) != 0 {
			t.Errorf("ReadEscalations = %+v, %v; want nothing", es, err)
		}
		es, err = r.ReadEscalations(testCtx(t), "staff", 10, 20*time.Millisecond) // the group exists now
		if err != nil || len(es) != 0 {
			t.Errorf("second ReadEscalations = %+v, %v; want nothing", es, err)
		}
	})

	t.Run("the group is created again when the stream vanishes", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		if _, err := r.ReadEscalations(ctx, "staff", 10, 0); err != nil {
			t.Fatal(err)
		}
		if err := r.rdb.Del(ctx, streamKey).Err(); err != nil {
			t.Fatal(err)
		}
		id := escalate(t, r, testChat)
		es, err := r.ReadEscalations(ctx, "staff", 10, 0)
		if err != nil || len(es) != 1 || es[0].CaseID != id {
			t.Errorf("after the stream vanished: %+v, %v; want %s", es, err, id)
		}
	})

	t.Run("the group is created again when it is destroyed", func(t *testing.T) {
		r := newRedis(t, Options{})
		ctx := testCtx(t)
		id := escalate(t, r, testChat)
		if _, err := r.ReadEscalations(ctx, "staff", 10, 0); err != nil {
			t.Fatal(err)
		}
		if err := r.rdb.XGroupDestroy(ctx, streamKey, "staff").Err(); err != nil {
			t.Fatal(err)
		}
		// The unacknowledged entry is delivered again from the new group.
		es, err := r.ReadEscalations(ctx, "staff", 10, 0)
		if err != nil || len(es) != 1 || es[0].CaseID != id {
			t.Errorf("after the group was destroyed: %+v, %v; want %s", es, err, id)
		}
	})

	t.Run("a dead consumer's entry is reclaimed", func(t *testing.T) {
		r := newRedis(t, Options{ClaimIdle: time.Millisecond})
		ctx := testCtx(t)
		id := escalate(t, r, testChat)
		es, err := r.ReadEscalations(ctx, "dead", 10, 0)
		if err != nil || len(es) != 1 {
			t.Fatalf("first read: %+v, %v", es, err)
		}
		es = readUntil(t, r, "alive")
		if len(es) != 1 || es[0].CaseID != id || es[0].Deliveries != 2 || es[0].MsgID == "" {
			t.Fatalf("reclaimed = %+v, want %s delivered twice", es, id)
		}
		if err := r.AckEscalation(ctx, es[0]); err != nil {
			t.Fatal(err)
		}
		if p, err := r.rdb.XPending(ctx, streamKey, "staff").Result(); err != nil || p.Count != 0 {
			t.Errorf("pending after the ack: %+v, %v", p, err)
		}
	})

	t.Run("an entry delivered too often goes to the dead-letter stream", func(t *testing.T) {
		r := newRedis(t, Options{ClaimIdle: time.Millisecond, MaxDeliveries: 2, DeadLetterAfter: time.Nanosecond})
		ctx := testCtx(t)
		id := escalate(t, r, testChat)
		if es, err := r.ReadEscalations(ctx, "a", 10, 0); err != nil || len(es) != 1 {
			t.Fatalf("delivery 1: %+v, %v", es, err)
		}
		if es := readUntil(t, r, "b"); es[0].Deliveries != 2 {
			t.Fatalf("delivery 2: %+v", es)
		}
		// The third delivery is refused: the entry moves to the dead-letter stream.
		for {
			dead, err := r.DeadEscalations(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) > 0 {
				if len(dead) != 1 || dead[0].CaseID != id || dead[0].Deliveries != 2 {
					t.Errorf("dead letters = %+v, want %s after 2 deliveries", dead, id)
				}
				break
			}
			es, err := r.ReadEscalations(ctx, "c", 10, 0)
			if err != nil || len(es) != 0 {
				t.Fatalf("delivery 3: %+v, %v; want nothing", es, err)
			}
			if err := sleep.For(ctx, 2*time.Millisecond); err != nil {
				t.Fatal("never dead-lettered")
			}
		}
		if n, _ := r.rdb.XLen(ctx, streamKey).Result(); n != 0 {
			t.Errorf("stream length %d after dead-lettering, want 0", n)
		}
		if p, _ := r.rdb.XPending(ctx, streamKey, "staff").Result(); p.Count != 0 {
			t.Errorf("pending after dead-lettering: %+v", p)
		}
	})
}

// testConcurrency applies updates 1..1000 to one chat from 50 goroutines spread over five
// Redis values (five processes), then delivers them all again.
func testConcurrency(t *testing.T, newRedis factory) {
	const (
		updates    = 1000
		goroutines = 50
		processes  = 5
	)
	r := newRedis(t, Options{})
	procs := []*Redis{r}
	for len(procs) < processes {
		procs = append(procs, sibling(t, r, Options{}))
	}
	ctx := testCtx(t)
	// The step is a commutative fold: count the update and note its id.
	step := func(id int64) func(flows.Session) (flows.Result, error) {
		return func(s flows.Session) (flows.Result, error) {
			s.Prompt++
			s.Draft.Description += strconv.FormatInt(id, 10) + ","
			return flows.Result{Session: s}, nil
		}
	}
	deliver := func() (applied, duplicates, retried int) {
		ids := make(chan int64)
		go func() {
			for id := int64(1); id <= updates; id++ {
				ids <- id
			}
			close(ids)
		}()
		var mu sync.Mutex
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				p := procs[g%processes]
				for id := range ids {
					for {
						_, c, err := p.Apply(ctx, testChat, id, step(id))
						if errors.Is(err, ErrConflict) {
							// Attempts ran out; Telegram would deliver the update again.
							mu.Lock()
							retried++
							mu.Unlock()
							continue
						}
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						if c.Duplicate {
							duplicates++
						} else {
							applied++
						}
						mu.Unlock()
						break
					}
				}
			})
		}
		wg.Wait()
		return
	}

	applied, duplicates, retried := deliver()
	t.Logf("first delivery: %d applied, %d duplicates, %d redelivered after running out of attempts", applied, duplicates, retried)
	if applied != updates || duplicates != 0 {
		t.Fatalf("first delivery: %d applied, %d duplicates; want %d and 0", applied, duplicates, updates)
	}
	got, err := r.Load(ctx, testChat)
	if err != nil {
		t.Fatal(err)
	}
	// The sequential result: the same fold over 1..1000 in order. Goroutines interleave, so the
	// ids are compared as a set.
	want := flows.NewSession(testChat)
	for id := int64(1); id <= updates; id++ {
		res, _ := step(id)(want)
		want = res.Session
	}
	if got.Prompt != want.Prompt || got.Version != updates {
		t.Errorf("final session: prompt %d version %d, want %d and %d", got.Prompt, got.Version, want.Prompt, updates)
	}
	if g, w := sortedIDs(got.Draft.Description), sortedIDs(want.Draft.Description); !slices.Equal(g, w) {
		t.Errorf("applied ids differ from 1..%d: %d ids", updates, len(g))
	}
	raw, err := r.rdb.Get(ctx, sessionKey(testChat)).Result()
	if err != nil {
		t.Fatal(err)
	}

	applied, duplicates, _ = deliver()
	if applied != 0 || duplicates != updates {
		t.Errorf("second delivery: %d applied, %d duplicates; want 0 and %d", applied, duplicates, updates)
	}
	if again, _ := r.rdb.Get(ctx, sessionKey(testChat)).Result(); again != raw {
		t.Errorf("the second delivery changed the stored session")
	}
}

func sortedIDs(desc string) []int64 {
	var ids []int64
	for _, f := range strings.Split(strings.TrimSuffix(desc, ","), ",") {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			panic(fmt.Sprintf("bad id %q", f))
		}
		ids = append(ids, n)
	}
	slices.Sort(ids)
	return ids
}
