package app

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"complaintbot/flows"
	"complaintbot/internal/e2e"
)

// lakalaFiles is the shared script these tests play (internal/script's consumer-lakala-files).
const lakalaFiles = "consumer-lakala-files"

// intakeSteps are a consumer's answers up to the evidence: Lakala took 199 yuan from the
// settlement when they de-registered their terminal.
func intakeSteps() []e2e.Step { return e2e.Script(lakalaFiles, nil, "intake") }

// The intake's questions that tests stop at.
const (
	askComplainant = "您是以什么身份投诉"
	askCharge      = "被扣的是哪一类费用"
	askAmount      = "第 1 笔扣款的金额是多少元"
)

// first returns the intake's steps up to the one the bot answers with the question ask.
func first(t testing.TB, ask string) []e2e.Step { return intakeAt(t, ask, true) }

// after returns the intake's steps after the one the bot answers with the question ask.
func after(t testing.TB, ask string) []e2e.Step { return intakeAt(t, ask, false) }

// finishFromCharge plays, for each user at once, the rest of the complaint from the charge
// question on: the intake after it, the evidence and the closing.
func finishFromCharge(ctx context.Context, t *testing.T, users ...*e2e.User) {
	t.Helper()
	rest := append(append(after(t, askCharge), evidenceSteps()...), closingSteps()...)
	errs := make(chan error, len(users))
	for _, u := range users {
		go func() { errs <- u.Play(ctx, slices.Clone(rest)...) }()
	}
	for range users {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func intakeAt(t testing.TB, ask string, upTo bool) []e2e.Step {
	t.Helper()
	steps := intakeSteps()
	for i, s := range steps {
		if !strings.Contains(s.Expect, ask) {
			continue
		}
		if upTo {
			return steps[:i+1]
		}
		return steps[i+1:]
	}
	t.Fatalf("no intake step is answered with %q", ask)
	return nil
}

// evidenceSteps send a photo, a document and an album of three photos, which is acknowledged
// once, for all three.
func evidenceSteps() []e2e.Step { return e2e.Script(lakalaFiles, nil, "photo", "document", "album") }

// closingSteps finish the complaint: contact details, the receiving body, the review. No staff
// chat is configured, so the user is told escalation is not available and the case closes.
func closingSteps() []e2e.Step { return e2e.Script(lakalaFiles, nil, "contact", "confirm") }

// personalData is what the users of these tests type or send that must never reach the log.
var personalData = []string{"张三", "13800138000", "138-0013-8000", "科技园路", "业务员王某", "WP2103456789",
	"扣费短信", "结算明细", "事前没人告知", "photo-100", "doc-100"}

// TestServeComplaint plays whole complaints through the program, in polling mode and in webhook
// mode, two users at once (one whose Telegram is in English, who switches to Chinese on the
// privacy notice): buttons, typed answers, a photo, a document, an album of three
// (acknowledged once, as "items 3–5") and a press of a stale button (answered, told it expired,
// the session unchanged). Each user receives the complaint as text and as an uploaded .docx, the
// case is stored with its five pieces of evidence, every button press was answered, and the log
// holds no personal data.
func TestServeComplaint(t *testing.T) {
	for _, mode := range []e2e.Mode{e2e.Polling, e2e.Webhook} {
		t.Run(string(mode), func(t *testing.T) {
			p := startProgram(t, programOptions{Mode: mode})
			ctx := testContext(t)
			users := []*e2e.User{p.TG.User(1001, "zh-hans"), p.TG.User(1002, "en")}
			errs := make(chan error, len(users))
			for _, u := range users {
				go func() { errs <- playComplaint(ctx, p, u) }()
			}
			for range users {
				if err := <-errs; err != nil {
					t.Error(err)
				}
			}
			if t.Failed() {
				t.FailNow()
			}
			cases := map[string]bool{}
			for _, u := range users {
				cases[checkComplaint(t, p, u)] = true
			}
			if len(cases) != len(users) {
				t.Errorf("case ids %v are not one per user", cases)
			}
			p.stop(personalData...)
		})
	}
}

// playComplaint plays one user's complaint, with the stale button in the middle of the
// evidence.
func playComplaint(ctx context.Context, p *program, u *e2e.User) error {
	intake := intakeSteps()
	if u.LanguageCode == "en" {
		// the privacy notice comes in English; the user switches to Chinese on it
		intake = append([]e2e.Step{e2e.Say("/start", "Do you agree"), e2e.Press("!lang=zh-CN", "您同意吗")}, intake[1:]...)
	}
	if err := u.Play(ctx, intake...); err != nil {
		return err
	}
	if err := u.Play(ctx, evidenceSteps()...); err != nil {
		return err
	}
	if err := pressStale(ctx, p, u); err != nil {
		return err
	}
	return u.Play(ctx, closingSteps()...)
}

// pressStale presses "agree" on the consent question, answered long ago: the press is
// answered, the user told the button expired and asked the current question again, and the
// session keeps its state and evidence.
func pressStale(ctx context.Context, p *program, u *e2e.User) error {
	var consent e2e.Message
	for _, m := range e2e.Messages(p.API, u.ID) {
		if _, ok := m.Button("agree"); ok {
			consent = m
			break
		}
	}
	b, ok := consent.Button("agree")
	if !ok {
		return fmt.Errorf("user %d: the consent question was never sent", u.ID)
	}
	before, err := p.store.Load(ctx, u.ID)
	if err != nil {
		return err
	}
	sent, err := u.PressData(ctx, consent, b.Data)
	if err != nil {
		return err
	}
	if _, err := u.Expect(ctx, "这个按钮已经过期了"); err != nil {
		return err
	}
	if _, err := u.Expect(ctx, "已收到 5 件"); err != nil { // the evidence question again
		return err
	}
	after, err := p.store.Load(ctx, u.ID)
	if err != nil {
		return err
	}
	if after.State != before.State || after.State != flows.StateEvidence || len(after.Draft.Evidence) != 5 ||
		after.Pending != before.Pending || !after.Consented {
		return fmt.Errorf("user %d: the stale press changed the session: %s with %d pieces of evidence, was %s",
			u.ID, after.State, len(after.Draft.Evidence), before.State)
	}
	for _, c := range p.API.CallsFor("answerCallbackQuery") {
		if c.Params["callback_query_id"] == sent.CallbackID {
			return nil
		}
	}
	return errors.New("the stale press was not answered with answerCallbackQuery")
}

// checkComplaint checks what the user received and what was stored, and returns the case id.
func checkComplaint(t *testing.T, p *program, u *e2e.User) string {
	t.Helper()
	ms := e2e.Messages(p.API, u.ID)
	index := func(match func(e2e.Message) bool) int {
		for i, m := range ms {
			if match(m) {
				return i
			}
		}
		return -1
	}
	ready := index(func(m e2e.Message) bool { return strings.Contains(m.Text, "投诉书已生成") })
	docx := index(func(m e2e.Message) bool { return m.Document != nil })
	if ready < 0 || docx < ready {
		t.Fatalf("user %d: announcement %d, .docx %d; messages:\n%s",
			u.ID, ready, docx, strings.Join(e2e.Texts(ms), "\n---\n"))
	}
	// The full text comes only on its button, not after "confirm" (issue 12, delivery).
	if text := index(func(m e2e.Message) bool { return strings.HasPrefix(m.Text, "投诉书\n") }); text >= 0 {
		t.Errorf("user %d: the complaint's full text was sent without its button", u.ID)
	}
	doc := ms[docx].Document
	if !strings.HasSuffix(doc.Filename, ".docx") || !bytes.HasPrefix(doc.Data, []byte("PK")) || len(doc.Data) < 1000 {
		t.Errorf("user %d: uploaded %q, %d bytes: not a .docx", u.ID, doc.Filename, len(doc.Data))
	}
	body := docxBody(t, doc.Data)
	for _, want := range []string{"张三", "13800138000", "拉卡拉支付股份有限公司", "199.00"} {
		if !strings.Contains(body, want) {
			t.Errorf("user %d: the complaint's .docx lacks %q", u.ID, want)
		}
	}
	cases, err := p.store.Cases(context.Background(), u.ID)
	if err != nil || len(cases) != 1 {
		t.Fatalf("user %d: cases %v, %v", u.ID, cases, err)
	}
	c := cases[0]
	if !strings.Contains(ms[ready].Text, c.ID) || !strings.Contains(ms[docx].Text, c.ID) {
		t.Errorf("user %d: case %s not named in %q and the caption %q", u.ID, c.ID, ms[ready].Text, ms[docx].Text)
	}
	if len(c.Evidence) != 5 || c.Evidence[0].FileID != fmt.Sprintf("photo-%d-1", u.ID) ||
		c.Evidence[1].Kind != flows.EvidenceDocument || c.Evidence[4].AlbumID == "" {
		t.Errorf("user %d: evidence %+v", u.ID, c.Evidence)
	}

	var acks []string
	for _, m := range ms {
		if strings.Contains(m.Text, "件证据") && strings.HasPrefix(m.Text, "已收到第") {
			acks = append(acks, m.Text)
		}
	}
	if len(acks) != 3 {
		t.Errorf("user %d: evidence acknowledged %d times, want 3 (photo, document, album):\n%s", u.ID, len(acks), strings.Join(acks, "\n"))
	}
	// Told that escalation is unavailable, and nothing after it (no "no case in progress").
	if !strings.Contains(ms[len(ms)-1].Text, "目前暂时无法转交工作人员") {
		t.Errorf("user %d: not told escalation is unavailable last: %q", u.ID, ms[len(ms)-1].Text)
	}

	presses := 1 // the stale one
	if u.LanguageCode == "en" {
		presses++ // the switch to Chinese
	}
	for _, s := range append(append(intakeSteps(), evidenceSteps()...), closingSteps()...) {
		if strings.HasPrefix(s.Name, "press ") {
			presses++
		}
	}
	answered := 0
	for _, c := range p.API.CallsFor("answerCallbackQuery") {
		if strings.HasPrefix(c.Params["callback_query_id"], fmt.Sprintf("cb-%d-", u.ID)) {
			answered++
			// a webhook carries the answer in its HTTP answer; long polling must call
			if c.InReply != (p.TG.Mode == e2e.Webhook) {
				t.Errorf("user %d: in %s mode a press was answered in a webhook reply: %v", u.ID, p.TG.Mode, c.InReply)
			}
		}
	}
	if answered != presses {
		t.Errorf("user %d: %d button presses answered, want %d", u.ID, answered, presses)
	}
	return c.ID
}

// docxBody is the text of a .docx's word/document.xml, markup and all.
func docxBody(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatalf("no word/document.xml: %v", err)
	}
	defer f.Close()
	x, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}
