package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/storage"
)

// staffKillHelperEnv marks the child process of TestStaffConsumerSIGKILL.
const staffKillHelperEnv = "COMPLAINTBOT_STAFF_KILL_HELPER"

// TestStaffKillHelperProcess is `complaintbot serve` in a child process of
// TestStaffConsumerSIGKILL, which kills it; run alone, it does nothing.
func TestStaffKillHelperProcess(t *testing.T) {
	if os.Getenv(staffKillHelperEnv) != "1" {
		t.Skip("the child of TestStaffConsumerSIGKILL")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, []string{"serve"}, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// TestStaffConsumerSIGKILL: `complaintbot serve` is killed with SIGKILL after it posted a case's
// topic, card and evidence but before it acknowledged the escalation (its .docx upload hangs);
// started again, it posts only the .docx: staff see one topic and one card.
func TestStaffConsumerSIGKILL(t *testing.T) {
	const staffChat = int64(-1001234567890) // a forum, as the fake reports it
	const token = "123456:staff-kill-token"
	server := redistest.New(t, redistest.Config{TCP: true, AppendOnly: true})
	api := fakeapi.New(t, fakeapi.Options{Token: token})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// A complaint escalated by its user, waiting in the queue.
	st := storage.New(server.Client(t), storage.Options{})
	const complainant = int64(736105111) // never in a log line
	c := flows.Complaint{Chat: complainant, User: complainant, Lang: flows.LangZH, Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: "2026-02-01", Amount: 19900, Method: flows.FromSettlement}},
		Requests:   []flows.RequestKind{flows.RequestRefund}, Body: "深圳市消费者协会",
		Evidence: []flows.Evidence{{Kind: flows.EvidencePhoto, FileID: "photo-1"}, {Kind: flows.EvidencePhoto, FileID: "photo-2"}},
		Contact:  flows.Contact{Name: "张三", Phone: "13800138000", City: "深圳"}}
	_, com, err := st.Apply(ctx, complainant, 1, func(s flows.Session) (flows.Result, error) {
		s.State, s.Consented = flows.StateClosed, true
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectStore, Complaint: &c}, {Kind: flows.EffectEscalate}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	id := com.CaseID

	uploading := make(chan struct{})
	var hung atomic.Bool
	api.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		if c.Method == "sendDocument" && c.ChatID == staffChat && len(c.Files) > 0 && hung.CompareAndSwap(false, true) {
			close(uploading)
			return fakeapi.Fault{Kind: fakeapi.FaultHang}
		}
		return fakeapi.Fault{}
	})
	var outs []*lockedBuffer
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStaffKillHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), staffKillHelperEnv+"=1",
			"TELEGRAM_BOT_TOKEN="+token, "TELEGRAM_API_URL="+api.URL(), "REDIS_URL="+server.URL(),
			"LISTEN_ADDR=127.0.0.1:0", fmt.Sprintf("STAFF_CHAT_ID=%d", staffChat), "STAFF_CONSUMER=kill-test",
			"TELEGRAM_SEND_LIMITS=off", "LOG_LEVEL=warn")
		out := &lockedBuffer{}
		outs = append(outs, out)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("child output:\n%s", out.String())
			}
		})
		return cmd
	}

	first := start()
	select {
	case <-uploading:
	case <-ctx.Done():
		t.Fatal("the .docx upload never started")
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: no shutdown, no acknowledgement
		t.Fatal(err)
	}
	first.Wait()
	if posted, _ := st.Posted(ctx, id); posted {
		t.Fatal("the case counts as posted although its .docx never went out")
	}
	api.SetFault(nil)
	calls := len(api.Calls())

	second := start()
	if _, err := api.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.ChatID == staffChat && c.File("document") != nil
	}); err != nil {
		t.Fatalf("the restarted program did not finish the case: %v", err)
	}
	cards, topics := 0, 0
	for _, c := range api.CallsToChat(staffChat) {
		switch {
		case c.Method == "createForumTopic":
			topics++
		case c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "s:claim:"+id):
			cards++
		}
	}
	if cards != 1 || topics != 1 {
		t.Fatalf("staff saw %d cards and %d topics, want one each", cards, topics)
	}
	for _, c := range api.Calls()[calls:] {
		if c.ChatID == staffChat && c.Method != "getChat" && c.Method != "sendDocument" {
			t.Errorf("after the restart: %s", c.Method)
		}
	}
	// The case is marked posted (and then acknowledged) once the .docx is recorded.
	for posted := false; !posted; {
		if posted, err = st.Posted(ctx, id); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatal("never marked posted")
		case <-time.After(5 * time.Millisecond):
		}
	}
	second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Fatalf("the restarted program did not stop cleanly: %v", err)
	}
	for i, out := range outs {
		checkNoIDs(t, fmt.Sprintf("run %d", i+1), out.String(), []int64{complainant})
	}
}
