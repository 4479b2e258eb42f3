package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	scripts "complaintbot/internal/script"
)

// kind is what a step of the script sends.
type kind int

const (
	kindCommand kind = iota // "/start"
	kindText                // a typed answer
	kindPress               // a press of a button of the bot's last keyboard
	kindPhoto               // a photo, as evidence
)

func (k kind) String() string {
	switch k {
	case kindCommand:
		return "command"
	case kindText:
		return "text"
	case kindPress:
		return "button"
	case kindPhoto:
		return "photo"
	}
	return "?"
}

// step is one thing a simulated user does. For a press, arg is the button's action (its
// callback data after "<prompt>:"), looked up in the last keyboard the bot sent the chat; for
// text and commands, the text.
type step struct {
	kind kind
	arg  string
}

// script is a whole complaint: the shared script consumer-lakala (package internal/script),
// the consumer charged 199 yuan by Lakala when de-registering, in Chinese, ending with the
// confirmation that produces the 投诉书 (text and .docx). Without a staff chat the
// conversation closes there.
func script() ([]step, error) {
	s, err := scripts.Load("consumer-lakala", nil)
	if err != nil {
		return nil, err
	}
	var steps []step
	for _, a := range s.Actions {
		switch a.Verb {
		case scripts.Say:
			k := kindText
			if _, _, ok := a.Command(); ok {
				k = kindCommand
			}
			steps = append(steps, step{k, a.Arg})
		case scripts.Press:
			steps = append(steps, step{kindPress, a.Arg})
		case scripts.Photo:
			steps = append(steps, step{kindPhoto, a.Arg})
		default:
			return nil, fmt.Errorf("%s: the load generator cannot send a %s", a.Where, a.Verb)
		}
	}
	return steps, nil
}

// The shapes of the Telegram updates the load generator posts; only the fields the bot reads.
type (
	tgUser struct {
		ID           int64  `json:"id"`
		IsBot        bool   `json:"is_bot"`
		FirstName    string `json:"first_name"`
		LanguageCode string `json:"language_code"`
	}
	tgChat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
	tgPhotoSize struct {
		FileID       string `json:"file_id"`
		FileUniqueID string `json:"file_unique_id"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		FileSize     int    `json:"file_size"`
	}
	tgMessage struct {
		MessageID int           `json:"message_id"`
		From      *tgUser       `json:"from,omitempty"`
		Chat      tgChat        `json:"chat"`
		Date      int64         `json:"date"`
		Text      string        `json:"text,omitempty"`
		Photo     []tgPhotoSize `json:"photo,omitempty"`
		Caption   string        `json:"caption,omitempty"`
	}
	tgCallback struct {
		ID           string    `json:"id"`
		From         tgUser    `json:"from"`
		Message      tgMessage `json:"message"`
		ChatInstance string    `json:"chat_instance"`
		Data         string    `json:"data"`
	}
	tgUpdate struct {
		UpdateID      int64       `json:"update_id"`
		Message       *tgMessage  `json:"message,omitempty"`
		CallbackQuery *tgCallback `json:"callback_query,omitempty"`
	}
)

// updateJSON builds the update for step st of chat. data is the callback data of a press.
func updateJSON(id, chat int64, msgID int, st step, data string, now time.Time) ([]byte, error) {
	user := tgUser{ID: chat, FirstName: "Load", LanguageCode: "zh-hans"}
	c := tgChat{ID: chat, Type: "private"}
	u := tgUpdate{UpdateID: id}
	switch st.kind {
	case kindCommand, kindText:
		u.Message = &tgMessage{MessageID: msgID, From: &user, Chat: c, Date: now.Unix(), Text: st.arg}
	case kindPhoto:
		file := "AgACAgUAAxkBAAIload" + strconv.FormatInt(chat, 36)
		u.Message = &tgMessage{MessageID: msgID, From: &user, Chat: c, Date: now.Unix(), Caption: st.arg,
			Photo: []tgPhotoSize{
				{FileID: file + "-s", FileUniqueID: "AQADs" + strconv.FormatInt(chat, 36), Width: 90, Height: 160, FileSize: 1800},
				{FileID: file + "-m", FileUniqueID: "AQADm" + strconv.FormatInt(chat, 36), Width: 720, Height: 1280, FileSize: 98000},
			}}
	case kindPress:
		u.CallbackQuery = &tgCallback{
			ID: strconv.FormatInt(id, 10), From: user, ChatInstance: "-42" + strconv.FormatInt(chat, 10), Data: data,
			// the message carrying the keyboard; its date must be set or it reads as inaccessible
			Message: tgMessage{MessageID: msgID, Chat: c, Date: now.Unix() - 1},
		}
	default:
		return nil, fmt.Errorf("unknown step kind %d", st.kind)
	}
	return json.Marshal(u)
}

// button finds, in a reply_markup as the bot sent it, the callback data that ends with
// ":"+action.
func button(markup, action string) (string, bool) {
	if markup == "" {
		return "", false
	}
	var m struct {
		Keyboard [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &m) != nil {
		return "", false
	}
	for _, row := range m.Keyboard {
		for _, b := range row {
			if _, a, ok := strings.Cut(b.Data, ":"); ok && a == action {
				return b.Data, true
			}
		}
	}
	return "", false
}
