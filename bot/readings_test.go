package bot_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
	"complaintbot/locales"
	"complaintbot/ocr"
	"complaintbot/storage"
	"complaintbot/telegram/sender"
)

const readToken = "123456:reading-test-token"

// readings hands the bot storage's list, as the wiring does.
type readings struct{ s *storage.Redis }

func (r readings) EnqueueReading(ctx context.Context, j bot.ReadingJob, now time.Time) (bool, error) {
	return r.s.EnqueueReading(ctx, storage.ReadingJob(j), now)
}

func (r readings) ClaimReadings(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.ReadingJob, error) {
	js, err := r.s.ClaimReadings(ctx, now, lease, limit)
	out := make([]bot.ReadingJob, len(js))
	for i, j := range js {
		out[i] = bot.ReadingJob(j)
	}
	return out, err
}

func (r readings) DoneReading(ctx context.Context, j bot.ReadingJob) (bool, error) {
	return r.s.DoneReading(ctx, storage.ReadingJob(j))
}

// fakeOCR reads every image as text, or, when blocked, never finishes until its caller gives up.
type fakeOCR struct {
	text    string
	blocked bool
	mu      sync.Mutex
	reads   int
	started chan struct{}
}

func (f *fakeOCR) Available() bool { return true }

func (f *fakeOCR) Read(ctx context.Context, _ []byte) (string, error) {
	f.mu.Lock()
	f.reads++
	f.mu.Unlock()
	if f.blocked {
		close(f.started)
		<-ctx.Done()
		return "", ctx.Err()
	}
	return f.text, nil
}

// readingWorld is a fake Bot API and a store on a real redis-server for a reading test, with a
// context that ends after a minute.
func readingWorld(t *testing.T) (*fakeapi.Server, *storage.Redis, context.Context) {
	t.Helper()
	api := fakeapi.New(t, fakeapi.Options{Token: readToken})
	rdb := redistest.New(t, redistest.Config{})
	rc := redis.NewClient(rdb.Options())
	t.Cleanup(func() { rc.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return api, storage.New(rc, storage.Options{}), ctx
}

// readingBot is a bot on api and store that reads screenshots with o, with no sending limits;
// cfg gives its mode (polling or webhook) and lease. It returns the bot and its Telegram client.
func readingBot(t *testing.T, api *fakeapi.Server, store *storage.Redis, o bot.OCR, cfg bot.Config) (*bot.Bot, *tgbot.Bot) {
	t.Helper()
	tg, err := tgbot.New(readToken, tgbot.WithServerURL(api.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	off := sender.Limit{Rate: rate.Inf, Burst: 1}
	snd := sender.New(sender.Options{Global: off, PerChat: off, PerGroup: off, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Token, cfg.APIURL, cfg.Location = readToken, api.URL(), loc
	b, err := bot.New(cfg, bot.Deps{Telegram: tg, Store: store, Sender: snd, Catalog: cat, Docs: docs, OCR: o, Readings: readings{store}})
	if err != nil {
		t.Fatal(err)
	}
	return b, tg
}

// startReader runs a bot (a process, as far as memory goes) that polls and reads screenshots
// with o, until the returned stop.
func startReader(t *testing.T, api *fakeapi.Server, store *storage.Redis, o bot.OCR, lease time.Duration) (stop func()) {
	t.Helper()
	b, _ := readingBot(t, api, store, o, bot.Config{PollWait: 100 * time.Millisecond, ReadLease: lease})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.Poll(ctx) })
	wg.Go(func() { b.RunReadings(ctx) })
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			b.Shutdown()
		})
	}
	t.Cleanup(stop)
	return stop
}

// TestReadingSurvivesRestart: a screenshot is acknowledged at once; the process reading it dies
// before its proposal; the next process proposes it, once.
func TestReadingSurvivesRestart(t *testing.T) {
	api, store, ctx := readingWorld(t)
	const lease = 300 * time.Millisecond

	dying := &fakeOCR{blocked: true, started: make(chan struct{})}
	stop := startReader(t, api, store, dying, lease)
	tg := e2e.New(api, e2e.Polling)
	u := tg.User(2001, "zh-hans")
	if err := u.Play(ctx, e2e.Script("consumer-lakala-files", nil, "intake")...); err != nil {
		t.Fatal(err)
	}
	api.AddPhoto("photo-2001-1", []byte("a screenshot"))
	if err := u.Play(ctx, e2e.Photo("", "已收到第 1 件证据")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dying.started:
	case <-ctx.Done():
		t.Fatal("the screenshot was never read")
	}
	stop() // the process dies while reading

	sms := "【拉卡拉】尊敬的商户，您的流量卡服务费99.00元已于2024年06月01日从结算款中扣除。"
	startReader(t, api, store, &fakeOCR{text: sms}, lease)
	if _, err := u.Expect(ctx, "我从您发的截图里读到 1 笔扣款"); err != nil {
		t.Fatal(err)
	}
	// nothing more comes: wait past another lease and a claim, then count
	time.Sleep(3 * lease)
	n := 0
	for _, m := range e2e.Messages(api, 2001) {
		if strings.Contains(m.Text, "我从您发的截图里读到") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("proposed %d times", n)
	}
	if err := u.Play(ctx, e2e.Press("p=all", "已加入 1 笔扣款")); err != nil {
		t.Fatal(err)
	}
}

// TestWithoutOCR: without Tesseract (a nil *ocr.Reader, as the wiring holds then) a photo is
// kept and acknowledged as before, and nothing is queued or downloaded.
func TestWithoutOCR(t *testing.T) {
	api, store, ctx := readingWorld(t)
	var none *ocr.Reader
	startReader(t, api, store, none, time.Second)
	u := e2e.New(api, e2e.Polling).User(2002, "zh-hans")
	steps := append(e2e.Script("consumer-lakala-files", nil, "intake"), e2e.Photo("", "已收到第 1 件证据"), e2e.Press("done", "投诉书需要署名"))
	if err := u.Play(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	if calls := api.CallsFor("getFile"); len(calls) != 0 {
		t.Fatalf("%d getFile calls without OCR", len(calls))
	}
	if jobs, err := store.ClaimReadings(ctx, time.Now(), time.Second, 10); err != nil || len(jobs) != 0 {
		t.Fatalf("queued without OCR: %v %v", jobs, err)
	}
}

// TestReadingAfterItsAcknowledgement: by webhook, a screenshot's acknowledgement goes by the
// Bot API, not in the webhook's answer, which Telegram carries out only once it has the answer:
// after the reading's offer, when the reading is quick.
func TestReadingAfterItsAcknowledgement(t *testing.T) {
	api, store, ctx := readingWorld(t)
	sms := "【拉卡拉】尊敬的商户，您的流量卡服务费99.00元已于2024年06月01日从结算款中扣除。"
	b, tg := readingBot(t, api, store, &fakeOCR{text: sms}, bot.Config{WebhookSecret: "s"})
	hook := httptest.NewServer(b)
	t.Cleanup(hook.Close)
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { b.RunReadings(runCtx) })
	t.Cleanup(func() { stop(); wg.Wait(); b.Shutdown() })
	if _, err := tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://bot.example.test/hook", SecretToken: "s"}); err != nil {
		t.Fatal(err)
	}
	api.SetWebhookProxy(hook.URL)
	u := e2e.New(api, e2e.Webhook).User(2003, "zh-hans")
	if err := u.Play(ctx, e2e.Script("consumer-lakala-files", nil, "intake")...); err != nil {
		t.Fatal(err)
	}
	api.AddPhoto("photo-2003-1", []byte("a screenshot"))
	if err := u.Play(ctx, e2e.Photo("", "已收到第 1 件证据"), e2e.Step{Name: "the offer", Do: func(context.Context, *e2e.User) error { return nil }, Expect: "我从您发的截图里读到 1 笔扣款"}); err != nil {
		t.Fatal(err)
	}
	inReply := 0
	for _, c := range api.CallsToChat(2003) {
		if c.Method == "sendMessage" && c.InReply {
			inReply++
			if strings.Contains(c.Params["text"], "已收到第 1 件证据") {
				t.Errorf("the screenshot's acknowledgement went in the webhook's answer, after its offer: %q", c.Params["text"])
			}
		}
	}
	if inReply == 0 {
		t.Error("no message went in a webhook answer: the test does not test the answer")
	}
}

// TestScreenshotEarly: a screenshot sent at the first question after the charge kind, long
// before the evidence is asked for, is read and offered there; taken, its deduction, provider
// and SN are not asked again.
func TestScreenshotEarly(t *testing.T) {
	api, store, ctx := readingWorld(t)
	sms := "【拉卡拉】尊敬的商户，您的终端SN:WP2103456789注销服务费199.00元已于2024年05月01日从结算款中扣除。"
	startReader(t, api, store, &fakeOCR{text: sms}, time.Second)
	u := e2e.New(api, e2e.Polling).User(2004, "zh-hans")
	api.AddPhoto("photo-2004-1", []byte("a screenshot"))
	steps := []e2e.Step{
		e2e.Say("/start", "您同意吗"), e2e.Press("agree", "以什么身份"), e2e.Press("consumer", "哪一类费用"),
		e2e.Press("deregistration_fee", "申请注销的"),
		e2e.Photo("扣费短信", "已作为第 1 件证据保存"),
		{Name: "the offer", Do: func(context.Context, *e2e.User) error { return nil }, Expect: "我从您发的截图里读到 1 笔扣款"},
		e2e.Press("p=all", "已加入 1 笔扣款"),
	}
	if err := u.Play(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}
