package botapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/telegram/botapi"
)

// BenchmarkGoTelegramSendDocument measures a go-telegram/bot upload (a 20 KB .docx, as staff and
// the bot send them) against a loopback server, through Transport ("transport": the answer
// read and checked) and straight ("streamed"). Both client and server run in this process, so
// ns/op is the CPU of both. (A Transport that read the request body whole, as
// app/telegram_transport.go did, measured 100–140 µs and 54 KB per upload here against
// 87–128 µs and 12.6 KB streamed, so it went.)
func BenchmarkGoTelegramSendDocument(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"}}}`)
	}))
	defer srv.Close()
	doc := bytes.Repeat([]byte("PK\x03\x04 docx "), 2000)
	plain, err := tgbot.New(token, tgbot.WithServerURL(srv.URL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(0, &http.Client{Transport: srv.Client().Transport}))
	if err != nil {
		b.Fatal(err)
	}
	wrapped, err := botapi.NewTelegram(&http.Client{Transport: srv.Client().Transport}, srv.URL, token, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		tg   *tgbot.Bot
	}{{"streamed", plain}, {"transport", wrapped}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, err := c.tg.SendDocument(context.Background(), &tgbot.SendDocumentParams{ChatID: int64(1),
					Document: &models.InputFileUpload{Filename: "complaint.docx", Data: bytes.NewReader(doc)}, Caption: "投诉书"})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// answerTransport answers every request in-process with a sent message, as Telegram would.
type answerTransport struct{}

func (answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(strings.NewReader(`{"ok":true,"result":{"message_id":77,"from":{"id":1,"is_bot":true,"first_name":"bot"},"chat":{"id":42,"type":"private"},"date":1700000000,"text":"请选择扣费的方式"}}`)),
		Request: r}, nil
}

// BenchmarkClientSendMessage is the call every update makes, sendMessage with a keyboard,
// through Client, without a network: the CPU of building the request and reading the answer.
func BenchmarkClientSendMessage(b *testing.B) {
	c := botapi.New(&http.Client{Transport: answerTransport{}}, "https://api.telegram.org", token)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "从结算款中扣除", CallbackData: "3:settlement"}, {Text: "从银行卡扣款", CallbackData: "3:card"}},
		{{Text: "返回", CallbackData: "3:back"}}}}
	p := &tgbot.SendMessageParams{ChatID: int64(42), Text: "<b>请选择扣费的方式</b>", ParseMode: models.ParseModeHTML, ReplyMarkup: botapi.Keyboard(kb)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.SendMessage(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
