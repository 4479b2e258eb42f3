// Package botapi is the one path every Bot API call of the bot and the staff desk takes, and
// the one shape of its failures: *Error, with Telegram's error_code, retry_after,
// migrate_to_chat_id and description as fields, so that callers (telegram/sender first) decide by
// type and value, never by an error's text.
//
// Two clients share that path. Client makes the calls of every update (sendMessage,
// answerCallbackQuery, getUpdates) and any other method through Call: a JSON body, one decode
// into the result the caller wants. github.com/go-telegram/bot makes every other call (uploads,
// topics, edits) and stays the library of Telegram's types; NewTelegram builds it on Transport,
// which reads each answer before go-telegram/bot does and turns every failure into an *Error.
// go-telegram/bot alone would report a 5xx only in its error's text and quote a malformed
// answer's body (which may echo a user's message) in it.
package botapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxAnswer bounds an answer read: a sent message is echoed back in a few KB; getUpdates'
// hundred updates may be a few MB.
const maxAnswer = 64 << 20

// Client calls the Bot API of one bot with JSON bodies.
type Client struct {
	http  *http.Client
	base  string // "<api URL>/bot<token>/"
	token string
}

// New returns a Client for the bot with token at apiURL ("https://api.telegram.org"), using
// client. Each call ends with its context; client needs no timeout of its own.
func New(client *http.Client, apiURL, token string) *Client {
	return &Client{http: client, base: strings.TrimRight(apiURL, "/") + "/bot" + token + "/", token: token}
}

// Sent is what the bot reads of a sent message.
type Sent struct {
	MessageID int `json:"message_id"`
}

// SendMessage sends a text message.
func (c *Client) SendMessage(ctx context.Context, p *tgbot.SendMessageParams) (Sent, error) {
	var s Sent
	err := Call(ctx, c, "sendMessage", p, &s)
	return s, err
}

// AnswerCallbackQuery answers a button press.
func (c *Client) AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) error {
	var ok bool
	return Call(ctx, c, "answerCallbackQuery", p, &ok)
}

// answer is the Bot API's envelope with the result the caller wants.
type answer[R any] struct {
	envelope
	Result R `json:"result"`
}

// Call posts params (a go-telegram/bot ...Params or any value encoding/json turns into the
// method's parameters) as JSON to method and decodes the answer's result into result. Every
// failure is an *Error but one: an ok:true answer whose result is not of R's shape, which
// Telegram carried out.
func Call[R any](ctx context.Context, c *Client, method string, params any, result *R) error {
	body, err := json.Marshal(params)
	if err != nil {
		return &Error{Method: method, Err: fmt.Errorf("%w: %w", ErrRequest, err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, bytes.NewReader(body))
	if err != nil {
		return &Error{Method: method, Err: fmt.Errorf("%w: %w", ErrRequest, c.redact(err))}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Method: method, Err: c.redact(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return &Error{Method: method, Err: err}
	}
	var a answer[R]
	if err := json.Unmarshal(raw, &a); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && a.OK {
			return fmt.Errorf("telegram %s: decode result: %w", method, err)
		}
		return malformed(method, resp.StatusCode)
	}
	if !a.OK {
		return answerError(method, resp.StatusCode, &a.envelope)
	}
	*result = a.Result
	return nil
}

// redact keeps the token out of an error that quotes the URL.
func (c *Client) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = strings.ReplaceAll(ue.URL, c.token, "***")
	}
	return err
}

// Keyboard is m as it should go to Telegram. models.InlineKeyboardButton's CopyText is a
// struct, which encoding/json cannot leave out, so every button of a go-telegram/bot keyboard
// carries "copy_text":{"text":""}, which the Bot API may refuse (BUTTON_COPY_TEXT_INVALID,
// go-telegram/bot#167). Keyboard's buttons leave it out unless it has a text. Use it as
// ReplyMarkup for go-telegram/bot's methods as well as this package's.
func Keyboard(m *models.InlineKeyboardMarkup) models.ReplyMarkup {
	if m == nil {
		return nil
	}
	k := inlineKeyboard{InlineKeyboard: make([][]button, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		k.InlineKeyboard[i] = make([]button, len(row))
		for j, b := range row {
			k.InlineKeyboard[i][j].InlineKeyboardButton = b
			if b.CopyText.Text != "" {
				k.InlineKeyboard[i][j].CopyText = &b.CopyText
			}
		}
	}
	return k
}

type inlineKeyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard"`
}

// button is a go-telegram/bot button whose copy_text, shadowing the embedded one, can be left
// out.
type button struct {
	models.InlineKeyboardButton
	CopyText *models.CopyTextButton `json:"copy_text,omitempty"`
}
