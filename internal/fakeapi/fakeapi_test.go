package fakeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/internal/fakeapi"
)

const token = "123456:TEST-token"

// newBot starts a fake and a real go-telegram bot talking to it (getMe included).
func newBot(t *testing.T, opts fakeapi.Options, botOpts ...tgbot.Option) (*fakeapi.Server, *tgbot.Bot) {
	t.Helper()
	srv := fakeapi.New(t, opts)
	botOpts = append([]tgbot.Option{
		tgbot.WithServerURL(srv.URL()),
		tgbot.WithErrorsHandler(func(error) {}),
	}, botOpts...)
	b, err := tgbot.New(token, botOpts...)
	if err != nil {
		t.Fatalf("tgbot.New: %v", err)
	}
	return srv, b
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestGetMeAndSendMessageRecorded(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{Token: token})
	ctx := ctxT(t)

	if got := len(srv.CallsFor("getMe")); got != 1 {
		t.Fatalf("getMe calls = %d, want 1", got)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "是", CallbackData: "c:1:yes"},
	}}}
	m1, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
		ChatID: int64(42), Text: "<b>你好</b> &lt;x&gt;", ParseMode: models.ParseModeHTML, ReplyMarkup: kb,
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	m2, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(42), Text: "second", MessageThreadID: 7})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	other, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(43), Text: "other chat"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if m1.ID != 1 || m2.ID != 2 || other.ID != 1 {
		t.Errorf("message ids = %d, %d, other chat %d; want 1, 2, 1", m1.ID, m2.ID, other.ID)
	}
	if m1.Chat.ID != 42 || m1.Chat.Type != models.ChatTypePrivate || m1.From == nil || !m1.From.IsBot {
		t.Errorf("message = %+v, want private chat 42 from the bot", m1)
	}
	if m1.ReplyMarkup == nil || m1.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "c:1:yes" {
		t.Errorf("reply markup not echoed: %+v", m1.ReplyMarkup)
	}

	calls := srv.CallsToChat(42)
	if len(calls) != 2 {
		t.Fatalf("calls to chat 42 = %d, want 2", len(calls))
	}
	c := calls[0]
	want := map[string]string{"chat_id": "42", "text": "<b>你好</b> &lt;x&gt;", "parse_mode": "HTML"}
	for k, v := range want {
		if c.Params[k] != v {
			t.Errorf("param %s = %q, want %q", k, c.Params[k], v)
		}
	}
	var markup models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(c.Params["reply_markup"]), &markup); err != nil || markup.InlineKeyboard[0][0].CallbackData != "c:1:yes" {
		t.Errorf("reply_markup = %s (%v)", c.Params["reply_markup"], err)
	}
	if calls[1].ThreadID != 7 || calls[1].MessageID() != 2 {
		t.Errorf("second call thread %d message %d, want 7 and 2", calls[1].ThreadID, calls[1].MessageID())
	}
	if c.Received.IsZero() || c.Answered.Before(c.Received) {
		t.Errorf("times not recorded: %v %v", c.Received, c.Answered)
	}
}

func TestPhotoUploadAndDownload(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	img := []byte("\x89PNG fake image bytes")

	msg, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{
		ChatID:  int64(-1001234567890),
		Photo:   &models.InputFileUpload{Filename: "receipt.png", Data: bytes.NewReader(img)},
		Caption: "收据",
	})
	if err != nil {
		t.Fatalf("SendPhoto: %v", err)
	}
	calls := srv.CallsFor("sendPhoto")
	if len(calls) != 1 {
		t.Fatalf("sendPhoto calls = %d", len(calls))
	}
	up := calls[0].File("photo")
	if up == nil || up.Filename != "receipt.png" || !bytes.Equal(up.Data, img) {
		t.Fatalf("upload = %+v", up)
	}
	if calls[0].ChatID != -1001234567890 || calls[0].Params["caption"] != "收据" {
		t.Errorf("call = %+v", calls[0])
	}
	if len(msg.Photo) == 0 || msg.Photo[0].FileID == "" {
		t.Fatalf("no photo in result: %+v", msg)
	}

	// The uploaded photo can be fetched back, like a user's photo.
	f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: msg.Photo[0].FileID})
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	got := download(t, b.FileDownloadLink(f))
	if !bytes.Equal(got, img) {
		t.Errorf("downloaded %q, want %q", got, img)
	}
}

func TestAddFileServedByGetFile(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	path := srv.AddFile("user-photo-1", []byte("jpeg"))
	f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: "user-photo-1"})
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	if f.FilePath != path || f.FileSize != 4 {
		t.Errorf("file = %+v, want path %s size 4", f, path)
	}
	if got := download(t, b.FileDownloadLink(f)); string(got) != "jpeg" {
		t.Errorf("download = %q", got)
	}
	_, err = b.GetFile(ctx, &tgbot.GetFileParams{FileID: "nope"})
	if !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("unknown file: err = %v, want bad request", err)
	}
	if got := len(srv.CallsFor(fakeapi.MethodFile)); got != 1 {
		t.Errorf("downloads recorded = %d, want 1", got)
	}
}

func download(t *testing.T, link string) []byte {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download status %d", resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	return b
}

func TestDocumentAndMediaGroup(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	doc := []byte("PK\x03\x04 docx")
	msg, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{
		ChatID:   int64(5),
		Document: &models.InputFileUpload{Filename: "complaint.docx", Data: bytes.NewReader(doc)},
		Caption:  "投诉书",
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	if msg.Document == nil || msg.Document.FileName != "complaint.docx" || msg.Document.FileSize != int64(len(doc)) {
		t.Errorf("document = %+v", msg.Document)
	}
	c := srv.CallsFor("sendDocument")[0]
	if up := c.File("document"); up == nil || !bytes.Equal(up.Data, doc) {
		t.Errorf("document upload = %+v", up)
	}
	if stored, ok := srv.File(msg.Document.FileID); !ok || !bytes.Equal(stored, doc) {
		t.Errorf("stored file = %q, %v", stored, ok)
	}

	msgs, err := b.SendMediaGroup(ctx, &tgbot.SendMediaGroupParams{
		ChatID: int64(-100777),
		Media: []models.InputMedia{
			&models.InputMediaPhoto{Media: "attach://a.jpg", MediaAttachment: strings.NewReader("A"), Caption: "album"},
			&models.InputMediaPhoto{Media: "attach://b.jpg", MediaAttachment: strings.NewReader("B")},
			&models.InputMediaPhoto{Media: "existing-file-id"},
		},
	})
	if err != nil {
		t.Fatalf("SendMediaGroup: %v", err)
	}
	if len(msgs) != 3 || msgs[0].MediaGroupID == "" || msgs[0].MediaGroupID != msgs[2].MediaGroupID || msgs[2].ID != 3 {
		t.Errorf("album messages = %+v", msgs)
	}
	g := srv.CallsFor("sendMediaGroup")[0]
	if len(g.Files) != 2 || g.Files[1].Field != "b.jpg" || string(g.Files[1].Data) != "B" {
		t.Errorf("album files = %+v", g.Files)
	}
}

func TestCallbackMembersTopicsAndMisc(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)

	ok, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "cb-1", Text: "已过期"})
	if err != nil || !ok {
		t.Fatalf("AnswerCallbackQuery = %v, %v", ok, err)
	}
	c := srv.CallsFor("answerCallbackQuery")[0]
	if c.Params["callback_query_id"] != "cb-1" || c.Params["text"] != "已过期" {
		t.Errorf("params = %v", c.Params)
	}

	const staff = int64(-1009999)
	srv.SetMember(staff, 11, "administrator")
	srv.SetMember(staff, 12, "member")
	for user, want := range map[int64]models.ChatMemberType{11: "administrator", 12: "member", 13: "left"} {
		m, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: staff, UserID: user})
		if err != nil {
			t.Fatalf("GetChatMember(%d): %v", user, err)
		}
		if m.Type != want {
			t.Errorf("user %d status %s, want %s", user, m.Type, want)
		}
	}

	t1, err := b.CreateForumTopic(ctx, &tgbot.CreateForumTopicParams{ChatID: staff, Name: "投诉 #1"})
	if err != nil {
		t.Fatalf("CreateForumTopic: %v", err)
	}
	t2, err := b.CreateForumTopic(ctx, &tgbot.CreateForumTopicParams{ChatID: staff, Name: "投诉 #2"})
	if err != nil {
		t.Fatalf("CreateForumTopic: %v", err)
	}
	if t1.MessageThreadID == 0 || t2.MessageThreadID != t1.MessageThreadID+1 || t1.Name != "投诉 #1" {
		t.Errorf("topics = %+v %+v", t1, t2)
	}

	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
		Commands: []models.BotCommand{{Command: "start", Description: "开始"}}, LanguageCode: "zh",
	}); err != nil {
		t.Fatalf("SetMyCommands: %v", err)
	}
	if c := srv.CallsFor("setMyCommands")[0]; c.Params["language_code"] != "zh" || !strings.Contains(c.Params["commands"], `"start"`) {
		t.Errorf("setMyCommands params = %v", c.Params)
	}
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://example.test/hook", SecretToken: "s3cret"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	if w := srv.Webhook(); w.URL != "https://example.test/hook" || w.SecretToken != "s3cret" {
		t.Errorf("webhook = %+v", w)
	}
	if _, err := b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	chat, err := b.GetChat(ctx, &tgbot.GetChatParams{ChatID: staff})
	if err != nil || chat.ID != staff {
		t.Errorf("GetChat = %+v, %v", chat, err)
	}
	edited, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: int64(9), MessageID: 4, Text: "edited"})
	if err != nil || edited.ID != 4 || edited.Text != "edited" {
		t.Errorf("EditMessageText = %+v, %v", edited, err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: int64(9), MessageID: 4}); err != nil {
		t.Errorf("EditMessageReplyMarkup: %v", err)
	}
	copied, err := b.CopyMessage(ctx, &tgbot.CopyMessageParams{ChatID: staff, FromChatID: int64(9), MessageID: 4})
	if err != nil || copied.ID != 1 {
		t.Errorf("CopyMessage = %+v, %v", copied, err)
	}
	fwd, err := b.ForwardMessage(ctx, &tgbot.ForwardMessageParams{ChatID: staff, FromChatID: int64(9), MessageID: 4})
	if err != nil || fwd.ID != 2 || fwd.Chat.ID != staff {
		t.Errorf("ForwardMessage = %+v, %v", fwd, err)
	}
	if _, err := b.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: int64(9), Action: models.ChatActionTyping}); err != nil {
		t.Errorf("unknown-to-fake method: %v", err)
	}
}

func TestTelegramValidation(t *testing.T) {
	_, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	cases := []struct {
		name   string
		params *tgbot.SendMessageParams
		want   string
	}{
		{"unescaped user html", &tgbot.SendMessageParams{ChatID: 1, Text: "金额 <100 元", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"unbalanced tag", &tgbot.SendMessageParams{ChatID: 1, Text: "<b>粗体", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{"empty text", &tgbot.SendMessageParams{ChatID: 1, Text: " "}, "message text is empty"},
		{"too long", &tgbot.SendMessageParams{ChatID: 1, Text: strings.Repeat("投", 4097)}, "message is too long"},
		{"callback data over 64 bytes", &tgbot.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: &models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "b", CallbackData: strings.Repeat("d", 65)}}}}}, "BUTTON_DATA_INVALID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, tc.params)
			if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want bad request %q", err, tc.want)
			}
		})
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 1, Text: strings.Repeat("投", 4096) + "<b></b>", ParseMode: models.ParseModeHTML}); err != nil {
		t.Errorf("4096 visible characters rejected: %v", err)
	}
}

func TestWrongTokenUnauthorized(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.Options{Token: token})
	_, err := tgbot.New("999:other", tgbot.WithServerURL(srv.URL()))
	if !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Errorf("err = %v, want unauthorized", err)
	}
}

func TestJSONAndFormBodies(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.Options{})
	post := func(ct, body string) {
		t.Helper()
		resp, err := http.Post(srv.URL()+"/bot1:x/sendMessage", ct, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			OK bool `json:"ok"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || !r.OK {
			t.Fatalf("%s: ok=%v err=%v", ct, r.OK, err)
		}
	}
	post("application/json", `{"chat_id":7,"text":"hi \"there\"","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"x"}]]}}`)
	post("application/x-www-form-urlencoded", url.Values{"chat_id": {"8"}, "text": {"表单"}}.Encode())

	calls := srv.CallsFor("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("calls = %d", len(calls))
	}
	if c := calls[0]; c.ChatID != 7 || c.Params["text"] != `hi "there"` || c.Params["reply_markup"] != `{"inline_keyboard":[[{"text":"a","callback_data":"x"}]]}` {
		t.Errorf("json call = %+v", c)
	}
	if c := calls[1]; c.ChatID != 8 || c.Params["text"] != "表单" {
		t.Errorf("form call = %+v", c)
	}
}

func TestLongPollDeliversToStartedBot(t *testing.T) {
	got := make(chan *models.Update, 10)
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe(), tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(func(_ context.Context, _ *tgbot.Bot, u *models.Update) { got <- u }))

	// One update waits in the queue before the bot starts; the others arrive during a poll.
	if id, err := srv.PushUpdate(models.Update{Message: &models.Message{ID: 1, Date: 1, Chat: models.Chat{ID: 42, Type: "private"}, Text: "一"}}); err != nil || id != 1 {
		t.Fatalf("PushUpdate = %d, %v", id, err)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	recv := func() *models.Update {
		select {
		case u := <-got:
			return u
		case <-time.After(5 * time.Second):
			t.Fatal("update not delivered")
			return nil
		}
	}
	if u := recv(); u.ID != 1 || u.Message.Text != "一" {
		t.Fatalf("first update = %+v", u)
	}
	if _, err := srv.PushUpdate(`{"message":{"message_id":2,"date":1,"chat":{"id":42,"type":"private"},"text":"二"}}`); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PushUpdate([]byte(`{"update_id":10,"callback_query":{"id":"cb","from":{"id":42,"is_bot":false,"first_name":"u"},"chat_instance":"ci","data":"c:1"}}`)); err != nil {
		t.Fatal(err)
	}
	if u := recv(); u.ID != 2 || u.Message.Text != "二" {
		t.Fatalf("second update = %+v", u)
	}
	if u := recv(); u.ID != 10 || u.CallbackQuery == nil || u.CallbackQuery.Data != "c:1" {
		t.Fatalf("third update = %+v", u)
	}
	if id, _ := srv.PushUpdate(models.Update{}); id != 11 {
		t.Errorf("next assigned id = %d, want 11", id)
	}
	recv()
	// The next poll confirms everything delivered.
	if err := srv.WaitUntil(ctx, func() bool { return srv.PendingUpdates() == 0 }); err != nil {
		t.Fatalf("WaitUntil: %v", err)
	}
}

func TestGetUpdatesTimeoutAndOffset(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.Options{})
	poll := func(body string) []json.RawMessage {
		t.Helper()
		resp, err := http.Post(srv.URL()+"/bot1:x/getUpdates", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			Result []json.RawMessage `json:"result"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r.Result
	}
	if got := poll(`{"timeout":0}`); len(got) != 0 {
		t.Fatalf("empty queue returned %d updates", len(got))
	}
	result := make(chan []json.RawMessage)
	go func() { result <- poll(`{"timeout":30}`) }()
	time.Sleep(20 * time.Millisecond) // let the poll start waiting; correctness does not depend on it
	srv.PushUpdate(`{"message":{"text":"a"}}`)
	select {
	case got := <-result:
		if len(got) != 1 {
			t.Fatalf("long poll returned %d updates", len(got))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return on push")
	}
	srv.PushUpdate(`{"message":{"text":"b"}}`)
	if got := poll(`{"offset":1,"limit":1}`); len(got) != 1 || !strings.Contains(string(got[0]), `"update_id":1`) {
		t.Errorf("offset 1 = %s", got)
	}
	if got := poll(`{"offset":2}`); len(got) != 1 || !strings.Contains(string(got[0]), `"update_id":2`) {
		t.Errorf("offset 2 = %s", got)
	}
	if n := srv.PendingUpdates(); n != 1 {
		t.Errorf("pending = %d, want 1 (update 1 confirmed)", n)
	}
	// A request that ends (client gives up) ends the long poll too.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/bot1:x/getUpdates?offset=3&timeout=30", nil)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline", err)
	}
}

func TestFaultsAsConfigured(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	srv.SetFault(fakeapi.Sequence(
		fakeapi.Status(500),
		fakeapi.Status(502),
		fakeapi.TooManyRequests(3),
		fakeapi.Blocked(),
		fakeapi.Drop(),
		fakeapi.Malformed(),
		fakeapi.Migrated(-1005550001),
		fakeapi.BadRequest("message thread not found"),
		fakeapi.Fault{Kind: fakeapi.FaultStatus, Status: 502, Body: "<html>502 Bad Gateway</html>"},
	))
	send := func() error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(-77), Text: "x"})
		return err
	}
	checks := []struct {
		name string
		ok   func(error) bool
	}{
		{"500", func(err error) bool { return err != nil && strings.Contains(err.Error(), "500 Internal Server Error") }},
		{"502", func(err error) bool { return err != nil && strings.Contains(err.Error(), "502 Bad Gateway") }},
		{"429", func(err error) bool {
			var tm *tgbot.TooManyRequestsError
			return errors.As(err, &tm) && tm.RetryAfter == 3
		}},
		{"blocked", func(err error) bool {
			return errors.Is(err, tgbot.ErrorForbidden) && strings.Contains(err.Error(), "bot was blocked by the user")
		}},
		{"drop", func(err error) bool { var ue *url.Error; return errors.As(err, &ue) }},
		{"malformed", func(err error) bool {
			var se *json.SyntaxError
			return errors.As(err, &se) || strings.Contains(err.Error(), "error decode response body")
		}},
		{"migrate", func(err error) bool {
			var me *tgbot.MigrateError
			return errors.As(err, &me) && me.MigrateToChatID == -1005550001
		}},
		{"400", func(err error) bool { return errors.Is(err, tgbot.ErrorBadRequest) }},
		{"html 502", func(err error) bool { return err != nil && strings.Contains(err.Error(), "error decode response body") }},
	}
	for _, c := range checks {
		if err := send(); !c.ok(err) {
			t.Errorf("%s: unexpected err %v", c.name, err)
		}
	}
	if err := send(); err != nil {
		t.Fatalf("after the sequence: %v", err)
	}
	if n := len(srv.CallsFor("sendMessage")); n != 1 {
		t.Errorf("delivered = %d, want 1", n)
	}
	faults := srv.Faults()
	if len(faults) != len(checks) {
		t.Fatalf("faults recorded = %d, want %d", len(faults), len(checks))
	}
	if faults[3].Fault.Kind != fakeapi.FaultBlocked || faults[4].Fault.Kind != fakeapi.FaultDrop || faults[0].ChatID != -77 {
		t.Errorf("faults = %+v", faults[:5])
	}
	if m := srv.Calls()[0].MessageID(); m != 1 {
		t.Errorf("the delivered message got id %d, want 1 (faults use no ids)", m)
	}
}

func TestHangDelayAndLatency(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{Latency: map[string]time.Duration{"getChat": 20 * time.Millisecond}}, tgbot.WithSkipGetMe())
	hung := make(chan struct{}, 1)
	srv.SetFault(func(c fakeapi.Call) fakeapi.Fault {
		switch c.Params["text"] {
		case "hangs":
			hung <- struct{}{}
			return fakeapi.Hang()
		case "delayed":
			return fakeapi.Delay(10 * time.Millisecond)
		}
		return fakeapi.Fault{}
	})

	// The client gives up only once the fake holds the request, so no timing is assumed.
	ctx, cancel := context.WithCancel(ctxT(t))
	go func() { <-hung; cancel() }()
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 1, Text: "hangs"}); !errors.Is(err, context.Canceled) {
		t.Errorf("hang: err = %v, want canceled", err)
	}
	if err := srv.WaitUntil(ctxT(t), func() bool { return len(srv.Faults()) > 0 }); err != nil {
		t.Fatalf("hung call never recorded: %v", err)
	}
	if f := srv.Faults()[0]; f.Fault.Kind != fakeapi.FaultHang || f.Params["text"] != "hangs" {
		t.Errorf("fault = %+v", f)
	}

	if _, err := b.SendMessage(ctxT(t), &tgbot.SendMessageParams{ChatID: 1, Text: "delayed"}); err != nil {
		t.Errorf("delay: %v", err)
	}
	calls := srv.CallsFor("sendMessage")
	if len(calls) != 1 || calls[0].Params["text"] != "delayed" || calls[0].Answered.Sub(calls[0].Received) < 10*time.Millisecond {
		t.Errorf("delivered = %+v", calls)
	}

	if _, err := b.GetChat(ctxT(t), &tgbot.GetChatParams{ChatID: 1}); err != nil {
		t.Fatalf("GetChat: %v", err)
	}
	if c := srv.CallsFor("getChat")[0]; c.Answered.Sub(c.Received) < 20*time.Millisecond {
		t.Errorf("latency not applied: %v", c.Answered.Sub(c.Received))
	}
}

func TestRandomFaults(t *testing.T) {
	f := fakeapi.Random(0.5, 1, []fakeapi.Fault{fakeapi.Status(500), fakeapi.Drop()}, "getUpdates")
	n := 0
	for range 1000 {
		if f(fakeapi.Call{Method: "sendMessage"}).Kind != fakeapi.FaultNone {
			n++
		}
		if f(fakeapi.Call{Method: "getUpdates"}).Kind != fakeapi.FaultNone {
			t.Fatal("skipped method faulted")
		}
	}
	if n < 400 || n > 600 {
		t.Errorf("faulted %d of 1000 at p=0.5", n)
	}
}

func TestWaitForAndReset(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	go func() {
		_, _ = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 3, Text: "later"})
	}()
	c, err := srv.WaitFor(ctx, func(c fakeapi.Call) bool { return c.ChatID == 3 })
	if err != nil || c.Params["text"] != "later" {
		t.Fatalf("WaitFor = %+v, %v", c, err)
	}
	srv.Reset()
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("calls after reset = %d", n)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := srv.WaitFor(short, func(c fakeapi.Call) bool { return c.ChatID == 3 }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor after reset: %v, want deadline", err)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	if s, err := fakeapi.Start(fakeapi.Options{Addr: "0.0.0.0:0"}); err == nil {
		s.Close()
		t.Fatal("listening on all interfaces was allowed")
	}
	s, err := fakeapi.Start(fakeapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(s.URL()); u.Hostname() != "127.0.0.1" {
		t.Errorf("URL %s not on 127.0.0.1", s.URL())
	}
	s.Close()
	s.Close() // idempotent
}

func TestDeliverToWebhook(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- r.Header.Get("X-Telegram-Bot-Api-Secret-Token") + " " + string(body)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer hook.Close()

	if _, _, err := srv.Deliver(ctx, `{"message":{"text":"x"}}`); err == nil {
		t.Error("delivered without a webhook")
	}
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: hook.URL, SecretToken: "s3"}); err != nil {
		t.Fatal(err)
	}
	id, status, err := srv.Deliver(ctx, `{"message":{"text":"x"}}`)
	if err != nil || status != http.StatusServiceUnavailable {
		t.Fatalf("Deliver = %d, %d, %v", id, status, err)
	}
	if g := <-got; !strings.HasPrefix(g, "s3 ") || !strings.Contains(g, fmt.Sprintf(`"update_id":%d`, id)) {
		t.Errorf("webhook got %q", g)
	}
	// While a webhook is set, getUpdates conflicts, as on Telegram.
	resp, err := http.Post(srv.URL()+"/bot1:x/getUpdates", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("getUpdates with webhook: status %d, want 409", resp.StatusCode)
	}
}

// TestWebhookReply: a call in a webhook's 200 answer is carried out and recorded as one, as
// Telegram does; other answers are no call.
func TestWebhookReply(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{})
	ctx := ctxT(t)
	answers := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, <-answers)
	}))
	defer hook.Close()
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: hook.URL}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"", "ok", `{"ok":true}`, `{"method":"answerCallbackQuery","callback_query_id":"q-1"}`} {
		answers <- a
		if _, status, err := srv.Deliver(ctx, `{"message":{"text":"x"}}`); err != nil || status != http.StatusOK {
			t.Fatalf("Deliver = %d, %v", status, err)
		}
	}
	calls := srv.CallsFor("answerCallbackQuery")
	if len(calls) != 1 || !calls[0].InReply || calls[0].Params["callback_query_id"] != "q-1" || calls[0].Params["method"] != "" {
		t.Fatalf("answerCallbackQuery calls = %+v, want one in reply for q-1", calls)
	}
	for _, c := range srv.Calls() {
		if c.InReply && c.Method != "answerCallbackQuery" {
			t.Errorf("an answer that is no call was recorded: %+v", c)
		}
	}
}
