package app

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaintbot/internal/e2e"
	"complaintbot/internal/script"
)

// The user actions from /start to the document, at most: with the provider's SMS pasted, and
// for a complete consumer case without pasting (issue 13's targets). The language is picked on
// the privacy notice, a consumer is told that a payee is a merchant in law with the charge
// question, the charge kind's usual requests are taken (the review changes them), and the
// amount may be typed with its date.
const (
	maxActionsPasted = 15
	maxActionsTyped  = 22
)

// TestActionCounts plays the seed case with its SMS pasted (consumer-lakala-paste) and a complete
// consumer case typed on the short path (consumer-lakala-short) through the local chat, as
// `go run . chat` does, and counts what the user did from /start to the document: every typed
// message, press and file is one action. consumer-lakala, which fills in every optional
// answer and the negotiation's details, is counted for comparison.
func TestActionCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		max  int
	}{
		{"consumer-lakala-paste", maxActionsPasted},
		{"consumer-lakala-short", maxActionsTyped},
		{"consumer-lakala", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := script.MustLoad(tc.name, nil)
			chat, err := s.Terminal(filepath.Join("testdata", "sms.png"))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			t.Chdir(filepath.Join("..", "localchat"))
			err = Run(context.Background(), []string{"chat", "-out", dir, "-lang", "zh-CN"}, func(string) string { return "" },
				strings.NewReader(chat), &stdout, &stderr)
			if err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			if files, _ := filepath.Glob(filepath.Join(dir, "*.docx")); len(files) != 1 {
				t.Fatalf("documents = %v\n%s", files, stdout.String())
			}
			n := len(s.Actions)
			t.Logf("%s: %d user actions from /start to the document", tc.name, n)
			if tc.max > 0 && n > tc.max {
				t.Errorf("%d actions, want at most %d", n, tc.max)
			}
		})
	}
}

// TestServeSeedPasted plays the seed case with its SMS pasted through the program and the fake
// Bot API: the complaint arrives as a .docx, and the deduction, provider and SN read from the
// SMS are in the stored case.
func TestServeSeedPasted(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Polling})
	ctx := testContext(t)
	u := p.TG.User(1004, "zh-hans")
	if err := u.Play(ctx, e2e.FromScript(script.MustLoad("consumer-lakala-paste", nil).Actions)...); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := p.API.WaitUntil(wait, func() bool {
		for _, m := range e2e.Messages(p.API, u.ID) {
			if m.Document != nil {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no document: %v\n%s", err, strings.Join(e2e.Texts(e2e.Messages(p.API, u.ID)), "\n---\n"))
	}
	cases, err := p.store.Cases(ctx, u.ID)
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases %v, %v", cases, err)
	}
	c := cases[0]
	if c.Provider.Key != "lakala" || c.DeviceSN != "WP2103456789" || c.Total() != 19900 || len(c.Deductions) != 1 ||
		c.Deductions[0].Date != "2024-05-01" || c.LearnedOn != "2024-05-01" || len(c.Evidence) != 1 {
		t.Fatalf("case %+v", c)
	}
	p.stop(personalData...)
}
