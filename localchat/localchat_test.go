package localchat_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaintbot/document"
	"complaintbot/internal/script"
	"complaintbot/localchat"
	"complaintbot/locales"
	"complaintbot/storage"
)

// parts returns what every chat here runs on: the embedded storage (closed when the test
// ends), the real catalogs and the real document renderer.
func parts(t *testing.T) (*storage.Redis, *locales.Catalog, *document.Renderer) {
	t.Helper()
	store, closeStore, err := storage.Embedded(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeStore)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	return store, cat, docs
}

// TestScriptedChatProducesDocument plays a whole complaint, the shared script consumer-lakala,
// on stdin, as a user at the terminal would, on the embedded storage, and checks the document file it writes.
func TestScriptedChatProducesDocument(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	play := script.MustLoad("consumer-lakala", nil)
	in, err := play.Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	in += "3\n/status\n" // the 举报信's button under the offer to hand the case over
	var out bytes.Buffer
	dir := t.TempDir()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: dir,
		Now: func() time.Time { return now }, Lang: "zh-CN",
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	transcript := out.String()
	if len(c.Documents) != 2 || filepath.Base(c.Documents[1]) != "举报信-C-000001.docx" {
		t.Fatalf("documents = %v\n%s", c.Documents, transcript)
	}
	b, err := os.ReadFile(c.Documents[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PK")) || filepath.Base(c.Documents[0]) != "投诉书-C-000001.docx" {
		t.Fatalf("%s is not the complaint's .docx", c.Documents[0])
	}
	for _, want := range []string{
		"投诉书", "张三", "13800138000", "拉卡拉支付股份有限公司", "退还违规扣取的费用共计人民币199.00元", "北京市消费者协会",
		"扣费短信截图", "[document] ", "C-000001　拉卡拉支付股份有限公司　199.00 元　已生成",
		"举报信", "被举报人", "《中华人民共和国价格法》第三十八条",
	} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	// the script's expectations hold in the transcript, in order
	rest := transcript
	for _, a := range play.Actions {
		i := strings.Index(rest, a.Expect)
		if i < 0 {
			t.Errorf("%s: the answer to %s %q lacks %q", a.Where, a.Verb, a.Arg, a.Expect)
			continue
		}
		rest = rest[i:]
	}
	if strings.Contains(transcript, "<b>") {
		t.Error("HTML markup reached the terminal")
	}
}

// TestScriptedCompanyCaseInEnglish plays the shared script company-en: a company, in English,
// to its document; the company is the complainant and the route the PBOC branch of its place.
func TestScriptedCompanyCaseInEnglish(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	play := script.MustLoad("company-en", nil)
	in, err := play.Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return now }, Lang: "en",
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	transcript := out.String()
	if len(c.Documents) == 0 {
		t.Fatalf("no document written\n%s", transcript)
	}
	rest := transcript
	for _, a := range play.Actions {
		i := strings.Index(rest, a.Expect)
		if i < 0 {
			t.Fatalf("%s: the answer to %s %q lacks %q\n%s", a.Where, a.Verb, a.Arg, a.Expect, rest)
		}
		rest = rest[i:]
	}
	for _, want := range []string{"深圳某某贸易有限公司", "某某支付科技有限公司", "中国人民银行深圳市分行", "1299.50"} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
}

// smsReader reads every image as the provider's SMS about a yearly SIM fee.
type smsReader struct{}

func (smsReader) Available() bool { return true }

func (smsReader) Read(context.Context, []byte) (string, error) {
	return "【拉卡拉】尊敬的商户，您的流量卡服务费99.00元已于2024年06月01日从结算款中扣除。", nil
}

// TestAttachedScreenshotIsRead: an image attached at the evidence step is read and its text
// offered; adding it adds the deduction.
func TestAttachedScreenshotIsRead(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	intake, err := script.Script{Actions: script.MustLoad("consumer-lakala-files", nil).MustParts("intake")}.Terminal("")
	if err != nil {
		t.Fatal(err)
	}
	in := intake + "/attach " + filepath.Join("testdata", "sms.png") + "\n[p=all]\n"
	var out bytes.Buffer
	c := localchat.New(localchat.Options{Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out,
		OutDir: t.TempDir(), Lang: "zh-CN", OCR: smsReader{}})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"我从您发的截图里读到 1 笔扣款", "已加入 1 笔扣款"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("transcript lacks %q:\n%s", want, out.String())
		}
	}
}

// TestClockInChinaTime: a terminal whose clock is in UTC still reads "today" as China's day,
// as the bot does: at 17:00 UTC it is already the next day in China.
func TestClockInChinaTime(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	in := "/start\n[agree]\n[consumer]\n[deregistration_fee]\n2024年4月\n[agent]\n[skip_rest]\n[yes]\n[lakala]\n199元 今天\n"
	var out bytes.Buffer
	utc := time.Date(2026, 11, 21, 17, 0, 0, 0, time.UTC)
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return utc }, Lang: "zh-CN",
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "已记下：2026-11-22 扣款 199.00 元") {
		t.Fatalf("today was not China's day:\n%s", out.String())
	}
}

// TestMultiLineMessage: lines ending in a backslash go on into the next, one message of
// several lines, as a ledger pasted into Telegram is: its three rows make one offer of three
// deductions.
func TestMultiLineMessage(t *testing.T) {
	store, cat, docs := parts(t)
	in := strings.Join([]string{"同意", "个体户", "跳过", "跳过", "流量卡",
		`2023-03-15 调账 流量卡服务费 -99.00 结算账户 \`,
		`2024-03-15 调账 流量卡服务费 -99.00 结算账户 \`,
		"2025-03-15 调账 流量卡服务费 -99.00 结算账户",
	}, "\n") + "\n"
	var out bytes.Buffer
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return now }, Lang: "zh-CN",
	})
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "读到 3 笔扣款，合计 297.00 元") || strings.Count(got, "读到 1 笔扣款") > 0 {
		t.Errorf("the three rows were not one message:\n%s", got[strings.LastIndex(got, "> 流量卡"):])
	}
}

// TestResumedChat: a chat run again on the same store (a kept Redis, the user back the next
// day) goes on where it was: its first messages are answered, not taken for ones it had seen.
func TestResumedChat(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	run := func(in string) string {
		var out bytes.Buffer
		c := localchat.New(localchat.Options{Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out,
			OutDir: t.TempDir(), Now: func() time.Time { return now }, Lang: "zh-CN"})
		if err := c.Run(ctx); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	run("同意\n个体户\n")
	time.Sleep(20 * time.Millisecond) // the ids come from the wall clock's milliseconds
	now = now.Add(24 * time.Hour)
	out := run("老王便利店\n")
	if !strings.Contains(out, "我们继续刚才的投诉") || !strings.Contains(out, "商户号") {
		t.Fatalf("the next day:\n%s", out)
	}
}
