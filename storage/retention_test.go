package storage

import (
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
)

func TestScrubClosedRedisServer(t *testing.T) { testScrubClosed(t, realRedis) }

func TestScrubClosedEmbedded(t *testing.T) { testScrubClosed(t, embeddedRedis) }

// testScrubClosed: after the retention period a closed case (kept by its user, or resolved by
// staff) loses its personal fields and keeps what staff count; a case staff still handle, and a
// case closed within the period, keep everything.
func testScrubClosed(t *testing.T, newRedis factory) {
	clk := newClock()
	r := newRedis(t, Options{Now: clk.now})
	ctx := testCtx(t)
	kept := sampleComplaint(clk.now())     // C-000001: never handed to staff
	resolved := sampleComplaint(clk.now()) // C-000002: resolved by staff
	open := sampleComplaint(clk.now())     // C-000003: staff still handle it
	for i, step := range []func(flows.Session) (flows.Result, error){
		storeStep(kept), storeStep(resolved), escalateStep("C-000002"), storeStep(open), escalateStep("C-000003"),
	} {
		if _, _, err := r.Apply(ctx, testChat, int64(201+i), step); err != nil {
			t.Fatal(err)
		}
	}
	clk.advance(10 * 24 * time.Hour)
	if _, err := r.SetStatus(ctx, "C-000002", flows.StatusChange{Status: flows.StatusResolved, By: "staff:1", Note: "已退款给张三丰"}); err != nil {
		t.Fatal(err)
	}
	retention := 30 * 24 * time.Hour

	// 20 days later: the kept case is 30 days old, the resolved one closed 20 days ago
	clk.advance(20*24*time.Hour + time.Minute)
	n, err := r.ScrubClosed(ctx, clk.now().Add(-retention))
	if err != nil || n != 1 {
		t.Fatalf("first scrub: %d, %v; want 1", n, err)
	}
	assertScrubbed(t, r, "C-000001", true)
	assertScrubbed(t, r, "C-000002", false)
	assertScrubbed(t, r, "C-000003", false)

	// 10 more days: the resolved case too; the escalated one never while staff handle it
	clk.advance(10 * 24 * time.Hour)
	if n, err := r.ScrubClosed(ctx, clk.now().Add(-retention)); err != nil || n != 1 {
		t.Fatalf("second scrub: %d, %v; want 1", n, err)
	}
	assertScrubbed(t, r, "C-000002", true)
	assertScrubbed(t, r, "C-000003", false)
	if n, err := r.ScrubClosed(ctx, clk.now().Add(-retention)); err != nil || n != 0 {
		t.Fatalf("third scrub: %d, %v; want 0 (nothing left)", n, err)
	}
}

// assertScrubbed checks whether case id still holds personal data, and that a scrubbed case
// keeps its statistics.
func assertScrubbed(t *testing.T, r *Redis, id string, want bool) {
	t.Helper()
	c, err := r.Complaint(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join([]string{c.Contact.Name, c.Contact.Phone, c.Description, c.Agent, c.DeviceSN}, "|")
	for _, h := range c.History {
		text += h.Note
	}
	personal := false
	for _, p := range personalData() {
		if strings.Contains(text, p) {
			personal = true
		}
	}
	if personal == want {
		t.Fatalf("%s: personal data kept = %v (%q), want scrubbed = %v", id, personal, text, want)
	}
	if c.Total() == 0 || c.Charge == "" || c.Status == "" || c.ID != id {
		t.Fatalf("%s lost its statistics: %+v", id, c)
	}
}
