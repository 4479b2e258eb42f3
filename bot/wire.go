package bot

import (
	"encoding/json"

	"github.com/go-telegram/bot/models"
)

// wireUpdate is what the bot reads of most webhook updates: a private chat's text message or
// command, or a press of a button under one of the bot's messages there. go-telegram/bot's
// models.Update is large and its MaybeInaccessibleMessage decodes a callback's message twice;
// decoding only these fields takes a fraction of the allocations. Everything else (the staff
// chat, files, edits, other kinds) is decoded in full.
type wireUpdate struct {
	ID            int64           `json:"update_id"`
	Message       *wireMessage    `json:"message"`
	EditedMessage json.RawMessage `json:"edited_message"`
	CallbackQuery *wireCallback   `json:"callback_query"`
}

type wireMessage struct {
	ID   int       `json:"message_id"`
	From *wireUser `json:"from"`
	Chat struct {
		ID   int64           `json:"id"`
		Type models.ChatType `json:"type"`
	} `json:"chat"`
	Date int    `json:"date"`
	Text string `json:"text"`
}

type wireUser struct {
	ID           int64  `json:"id"`
	LanguageCode string `json:"language_code"`
}

type wireCallback struct {
	ID      string       `json:"id"`
	From    wireUser     `json:"from"`
	Message *wireMessage `json:"message"`
	Data    string       `json:"data"`
}

// decodeUpdate decodes a webhook body: through wireUpdate when it holds everything the bot
// reads of the update, else in full.
func decodeUpdate(body []byte, staffChat int64) (*models.Update, error) {
	var w wireUpdate
	if err := json.Unmarshal(body, &w); err == nil {
		if u := w.update(staffChat); u != nil {
			return u, nil
		}
	}
	u := &models.Update{}
	if err := json.Unmarshal(body, u); err != nil {
		return nil, err
	}
	return u, nil
}

// private reports whether m is a message in a private chat other than the staff chat.
func (m *wireMessage) private(staffChat int64) bool {
	return m != nil && m.Chat.ID != 0 && m.Chat.Type == models.ChatTypePrivate && (staffChat == 0 || m.Chat.ID != staffChat)
}

// message is m as go-telegram/bot's message, with the fields wireMessage has.
func (m *wireMessage) message() *models.Message {
	out := &models.Message{ID: m.ID, Chat: models.Chat{ID: m.Chat.ID, Type: m.Chat.Type}, Date: m.Date, Text: m.Text}
	if m.From != nil {
		out.From = &models.User{ID: m.From.ID, LanguageCode: m.From.LanguageCode}
	}
	return out
}

// update returns w as go-telegram/bot's update when w holds all the bot reads of it: a text
// message (or command) from a user in a private chat, or a button press under an accessible
// message there. Otherwise nil: the body is decoded in full.
func (w *wireUpdate) update(staffChat int64) *models.Update {
	switch {
	case w.EditedMessage != nil:
		return nil
	case w.Message != nil && w.CallbackQuery == nil:
		m := w.Message
		if !m.private(staffChat) || m.From == nil || m.Text == "" {
			return nil // files, stickers and the like carry more than wireMessage reads
		}
		return &models.Update{ID: w.ID, Message: m.message()}
	case w.CallbackQuery != nil && w.Message == nil:
		q := w.CallbackQuery
		if !q.Message.private(staffChat) || q.Message.Date == 0 || q.From.ID == 0 {
			return nil // an inaccessible message (date 0), or not ours to read this way
		}
		return &models.Update{ID: w.ID, CallbackQuery: &models.CallbackQuery{
			ID: q.ID, From: models.User{ID: q.From.ID, LanguageCode: q.From.LanguageCode}, Data: q.Data,
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: q.Message.message()},
		}}
	}
	return nil
}
