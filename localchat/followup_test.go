package localchat_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaintbot/followup"
	"complaintbot/internal/script"
	"complaintbot/localchat"
	"complaintbot/storage"
)

// files is storage.Redis as casefile.Files, as the wiring has it.
type files struct{ *storage.Redis }

func (f files) SyncReminders(ctx context.Context, id string, want []followup.Reminder) error {
	if _, err := f.CancelReminders(ctx, id); err != nil {
		return err
	}
	for _, m := range want {
		if err := f.ScheduleReminder(ctx, storage.Reminder{Case: id, Kind: m.Kind}, m.At); err != nil {
			return err
		}
	}
	return nil
}

// TestChatFollowUpOverWeeks plays a complaint at the terminal and then its follow-up over
// simulated weeks (/wait): filed with the provider today, the 受理编号, the reminder on the
// advised day, a partial refund, the 12315 letter written and filed, its reminder after the
// seven working days, /status with the history.
func TestChatFollowUpOverWeeks(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	play := script.MustLoad("consumer-lakala", nil)
	in, err := play.Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	in += strings.Join([]string{
		"/status", "1", // did you file it? today
		"[r:C-000001:provider:20261120]", // with the provider (the consumer association, to which the 投诉书 went, comes first)
		"LKL-2026-01",                    // its 受理编号
		"/wait 6d",                       // not yet due
		"/wait 1d",                       // the advised seventh day, evening
		"/wait 8h",
		"2", "50", // refunded in part: 50 yuan
		"2",               // the next rung: 12315's letter
		"1",               // filed today
		"[nr:C-000001:1]", // no 受理编号
		"/wait 14d",
		"/status",
	}, "\n") + "\n"
	var out bytes.Buffer
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return now }, Lang: "zh-CN",
		Files: files{store}, Remind: remindFrom(store),
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	transcript := out.String()
	for _, want := range []string{
		"您已经把投诉书提交出去了吗", "2026-11-20 提交给支付机构", "到 2026-11-27 还没有结果", "已记下受理编号：LKL-2026-01",
		"[clock] 2026-11-27 18:00", "[reminder]", "结果如何", "经支付机构（协商），退回了 50.00 元", "还有 149.00 元",
		"投诉经过", "受理编号：LKL-2026-01", "[document] ", "投诉书-市场监管-C-000001.docx",
		"七个工作日内予以处理并告知您，即最迟 2026-12-08",
		"2026-11-27 退款 50.00 元", "已追回 50.00 元，尚余 149.00 元",
	} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	if letter, asked := strings.Index(transcript, "投诉书-市场监管-C-000001.docx"), strings.LastIndex(transcript, "的材料，您提交了吗"); letter < 0 || asked < letter {
		t.Errorf("the question whether the letter was filed (at %d) comes before the letter (at %d)", asked, letter)
	}
	if n := strings.Count(transcript, "[reminder]"); n != 3 {
		t.Errorf("%d reminders shown, want 3 (the limitation near, the provider's day, 12315's)\n%s", n, transcript[strings.LastIndex(transcript, "> /status"):])
	}
}

// TestChatNumbersEveryButton: the buttons of several messages of one step are numbered on,
// so each number picks the button shown with it: after the document, "did you file it?"
// (1–3) and then the offer of staff (from 4); "3" is "not yet", not the staff offer's third.
func TestChatNumbersEveryButton(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	play := script.MustLoad("consumer-lakala", nil)
	in, err := play.Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	in += "3\n"
	var out bytes.Buffer
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return now }, Lang: "zh-CN", Files: files{store},
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	transcript := out.String()
	after := transcript[strings.LastIndex(transcript, "您已经把投诉书提交出去了吗"):]
	for _, want := range []string{"[3] 还没有提交", "[4] 转给工作人员", "> 3\n好的。提交之后"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the document, the transcript lacks %q:\n%s", want, after)
		}
	}
}

// TestChatNumberUnderButtonlessReminder: a reminder without buttons (the limitation's, shown
// right after the filing) leaves the numbers of the question above it: "1" is still "no
// 受理编号".
func TestChatNumberUnderButtonlessReminder(t *testing.T) {
	ctx := context.Background()
	store, cat, docs := parts(t)
	play := script.MustLoad("consumer-lakala", nil)
	in, err := play.Terminal(filepath.Join("testdata", "sms.png"))
	if err != nil {
		t.Fatal(err)
	}
	in += strings.Join([]string{"/status", "1", "[r:C-000001:provider:20261120]", "1"}, "\n") + "\n"
	var out bytes.Buffer
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	c := localchat.New(localchat.Options{
		Store: store, Catalog: cat, Renderer: docs, In: strings.NewReader(in), Out: &out, OutDir: t.TempDir(),
		Now: func() time.Time { return now }, Lang: "zh-CN", Files: files{store},
		Remind: remindFrom(store),
	})
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	transcript := out.String()
	after := transcript[strings.LastIndex(transcript, "提交给支付机构"):]
	if !strings.Contains(after, "诉讼时效") || !strings.Contains(after, "> 1\n好的，没有编号。") {
		t.Errorf("\"1\" under the limitation's reminder:\n%s", after)
	}
}

// remindFrom shows the chat the reminders due at its clock, claimed from store and then
// forgotten, as the wiring's localReminders does.
func remindFrom(store *storage.Redis) func(ctx context.Context, now time.Time, show func(string, string, bool) error) error {
	return func(ctx context.Context, now time.Time, show func(string, string, bool) error) error {
		claimed, err := store.ClaimReminders(ctx, now, "test", time.Minute, 0)
		if err != nil {
			return err
		}
		for _, c := range claimed {
			if err := show(c.Reminder.Case, c.Reminder.Kind, c.Repeat()); err != nil {
				return err
			}
			if _, err := store.DoneReminder(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
}
