package e2e

import (
	"encoding/json"
	"strings"

	"complaintbot/internal/fakeapi"
)

// Message is one message the bot sent to a chat, read from the fake's record.
type Message struct {
	Call     fakeapi.Call // the recorded sendMessage, sendDocument... call
	ID       int          // its message_id
	Text     string       // the text, or a media message's caption
	Keyboard [][]Button   // the inline keyboard, if any
	// Document is the file a sendDocument uploaded; nil for other messages.
	Document *fakeapi.File
}

// Button is one inline keyboard button.
type Button struct {
	Text string // the label
	Data string // the callback_data
}

// Buttons returns the keyboard's buttons row by row.
func (m Message) Buttons() []Button {
	var bs []Button
	for _, row := range m.Keyboard {
		bs = append(bs, row...)
	}
	return bs
}

// Button finds the button whose callback data is action, or ends with ":"+action (the bot's
// data is "<prompt>:<action>", and the prompt number changes with every question).
func (m Message) Button(action string) (Button, bool) {
	for _, b := range m.Buttons() {
		if b.Data == action || strings.HasSuffix(b.Data, ":"+action) {
			return b, true
		}
	}
	return Button{}, false
}

// IsMessage reports whether c is a message the bot sent to a chat: a delivered send* call.
func IsMessage(c fakeapi.Call) bool {
	return c.ChatID != 0 && strings.HasPrefix(c.Method, "send") && c.Method != "sendChatAction"
}

// MessageOf reads a recorded send call as a Message.
func MessageOf(c fakeapi.Call) Message {
	m := Message{Call: c, ID: c.MessageID(), Text: c.Params["text"]}
	if m.Text == "" {
		m.Text = c.Params["caption"]
	}
	if c.Method == "sendDocument" {
		m.Document = c.File("document")
	}
	if raw := c.Params["reply_markup"]; raw != "" {
		var kb struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		if json.Unmarshal([]byte(raw), &kb) == nil {
			for _, row := range kb.InlineKeyboard {
				var r []Button
				for _, b := range row {
					r = append(r, Button{Text: b.Text, Data: b.CallbackData})
				}
				m.Keyboard = append(m.Keyboard, r)
			}
		}
	}
	return m
}

// Messages returns the messages the bot sent to chat, in the order sent.
func Messages(api *fakeapi.Server, chat int64) []Message {
	var ms []Message
	for _, c := range api.CallsToChat(chat) {
		if IsMessage(c) {
			ms = append(ms, MessageOf(c))
		}
	}
	return ms
}

// Texts returns the messages' texts.
func Texts(ms []Message) []string {
	ts := make([]string, len(ms))
	for i, m := range ms {
		ts[i] = m.Text
	}
	return ts
}
