// Package botapi calls the Telegram Bot API methods the bot makes for every update —
// sendMessage and answerCallbackQuery — with JSON bodies, and reads only what the bot uses of
// the answer. github.com/go-telegram/bot, which makes every other call, builds each request as
// multipart/form-data by reflection and decodes every answer three times over into its full
// models (together about a sixth of the bot's CPU per update, by `bench/run.sh profile`).
//
// Its errors are go-telegram/bot's: the same sentinel errors, types and texts for each kind of
// answer (raw_request.go of v1.19), so that bot/sender classifies them alike; unlike
// go-telegram/bot's, they never quote the answer's body, which may hold a user's text.
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

// maxAnswer bounds the answer read: a sent message is echoed back, at most a few KB.
const maxAnswer = 1 << 20

// Client calls the Bot API of one bot.
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
	err := call(ctx, c, "sendMessage", p, &s)
	return s, err
}

// AnswerCallbackQuery answers a button press.
func (c *Client) AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) error {
	var ok bool
	return call(ctx, c, "answerCallbackQuery", p, &ok)
}

// answer is the Bot API's envelope with the result the caller wants.
type answer[R any] struct {
	OK          bool   `json:"ok"`
	Result      R      `json:"result"`
	Description string `json:"description"`
	ErrorCode   int    `json:"error_code"`
	Parameters  struct {
		RetryAfter      int `json:"retry_after"`
		MigrateToChatID int `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// call posts params as JSON to method and decodes the result into result.
func call[R any](ctx context.Context, c *Client, method string, params any, result *R) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("error build request form for method %s, %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("error create request for method %s, %w", method, c.redact(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("error do request for method %s, %w", method, c.redact(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("error read response body for method %s, %w", method, err)
	}
	var a answer[R]
	if err := json.Unmarshal(raw, &a); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) || !bytes.Contains(raw, []byte(`"ok":true`)) {
			return fmt.Errorf("error decode response body for method %s, %w", method, err)
		}
		// ok:true with a result of another shape: delivered, as go-telegram/bot reports it
		return fmt.Errorf("error decode response result for method %s, %w", method, err)
	}
	if !a.OK {
		return answerError(method, a.ErrorCode, a.Description, a.Parameters.RetryAfter, a.Parameters.MigrateToChatID)
	}
	*result = a.Result
	return nil
}

// answerError is go-telegram/bot's error for an ok:false answer.
func answerError(method string, code int, desc string, retryAfter, migrateTo int) error {
	switch code {
	case http.StatusForbidden:
		return fmt.Errorf("%w, %s", tgbot.ErrorForbidden, desc)
	case http.StatusBadRequest:
		if migrateTo != 0 {
			return &tgbot.MigrateError{
				Message:         fmt.Sprintf("%s: %s", tgbot.ErrorBadRequest, desc),
				MigrateToChatID: migrateTo,
			}
		}
		return fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, desc)
	case http.StatusUnauthorized:
		return fmt.Errorf("%w, %s", tgbot.ErrorUnauthorized, desc)
	case http.StatusNotFound:
		return fmt.Errorf("%w, %s", tgbot.ErrorNotFound, desc)
	case http.StatusConflict:
		return fmt.Errorf("%w, %s", tgbot.ErrorConflict, desc)
	case http.StatusTooManyRequests:
		return &tgbot.TooManyRequestsError{
			Message:    fmt.Sprintf("%s, %s", tgbot.ErrorTooManyRequests, desc),
			RetryAfter: retryAfter,
		}
	default:
		return fmt.Errorf("error response from telegram for method %s, %d %s", method, code, desc)
	}
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
