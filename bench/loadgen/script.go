package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// script is a whole complaint: the consumer charged 199 yuan by Lakala when de-registering, as
// in flows' TestConsumerLakalaDeregistration, in Chinese, ending with the confirmation that
// produces the 投诉书 (text and .docx). Without a staff chat the conversation closes there.
func script() []step {
	press := func(a string) step { return step{kindPress, a} }
	text := func(t string) step { return step{kindText, t} }
	return []step{
		{kindCommand, "/start"},
		press("zh-CN"),
		press("agree"),
		press("consumer"),
		press("deregistration_fee"),
		press("lakala"),
		text("199元"),
		text("2024年5月1日"),
		press("settlement"),
		press("done"),
		press("not_told"),
		press("first"),
		text("2022-03-15"),
		press("agent"),
		text("业务员王某，办理时承诺“免费注销、没有任何费用”"),
		text("WP 2103-4567-89"),
		press("yes"),
		text("2024-05-03"),
		press("hotline"),
		text("GD20240503001"),
		text("客服称注销费是合同约定，不予退还。"),
		press("none"),
		text("2024年4月底我通过业务员申请注销拉卡拉POS机，5月1日发现结算款被调账扣除199元，事前没有任何人告知注销要收费，合同中也没有提示。"),
		press("done"),
		{kindPhoto, "扣费短信截图"},
		text("【拉卡拉】尊敬的商户，您的注销服务费199.00元已从结算款中扣除。"),
		press("done"),
		text("张三"),
		text("+86 138-0013-8000"),
		text("深圳"),
		text("广东省深圳市南山区科技园路1号"),
		press("b=0"),
		press("confirm"),
	}
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
