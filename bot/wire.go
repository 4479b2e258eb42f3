package bot

import (
	"encoding/json"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
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

// decodeWebhook decodes and classifies a webhook body: through wireUpdate when it holds
// everything the bot reads of the update (u is then nil: no go-telegram/bot update is made,
// and the Incoming's message only when something asks for it), else in full.
func decodeWebhook(body []byte, staffChat int64, now time.Time) (inc Incoming, u *models.Update, err error) {
	var w wireUpdate
	if err := json.Unmarshal(body, &w); err == nil {
		if inc, ok := w.incoming(staffChat, now); ok {
			return inc, nil, nil
		}
	}
	u = &models.Update{}
	if err := json.Unmarshal(body, u); err != nil {
		return Incoming{}, nil, err
	}
	return Classify(u, staffChat, now), u, nil
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

// incoming classifies w as Classify does the update in full, when w holds all the bot reads of
// it: a text message (or command) from a user in a private chat, or a button press under an
// accessible message there; false otherwise, and the body is decoded in full.
func (w *wireUpdate) incoming(staffChat int64, now time.Time) (Incoming, bool) {
	switch {
	case w.EditedMessage != nil:
		return Incoming{}, false
	case w.Message != nil && w.CallbackQuery == nil:
		m := w.Message
		if !m.private(staffChat) || m.From == nil || m.From.ID != m.Chat.ID || m.Text == "" {
			return Incoming{}, false // files, stickers and the like carry more than wireMessage reads
		}
		inc := Incoming{UpdateID: w.ID, Verdict: Converse, Chat: m.Chat.ID, Lane: m.Chat.ID, wire: m, kind: "text"}
		if m.Text[0] == '/' {
			inc.kind = "command"
		}
		inc.Input = textInput(flows.Input{User: m.From.ID, LanguageCode: m.From.LanguageCode, Now: sentAt(m.Date, now)}, m.Text)
		inc.command = commandWord(m.Text)
		return inc, true
	case w.CallbackQuery != nil && w.Message == nil:
		q := w.CallbackQuery
		if !q.Message.private(staffChat) || q.Message.Date == 0 || q.From.ID == 0 || q.From.ID != q.Message.Chat.ID {
			return Incoming{}, false // an inaccessible message (date 0), or not ours to read this way
		}
		return Incoming{UpdateID: w.ID, Verdict: Converse, Chat: q.Message.Chat.ID, Lane: q.Message.Chat.ID,
			CallbackID: q.ID, wire: q.Message, kind: "callback",
			Input: flows.Input{Kind: flows.InputButton, Data: q.Data, User: q.From.ID,
				LanguageCode: q.From.LanguageCode, Now: now}}, true
	}
	return Incoming{}, false
}
