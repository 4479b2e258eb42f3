package fakeapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Telegram's limits that the fake enforces, as Telegram does, with 400 answers.
const (
	maxTextLen         = 4096 // UTF-16 code units after entity parsing
	maxCaptionLen      = 1024
	maxCallbackData    = 64 // bytes
	maxCallbackTextLen = 200
)

// mediaFields are the send methods that carry one file, by the field that carries it.
var mediaFields = map[string]string{
	"sendphoto":     "photo",
	"senddocument":  "document",
	"sendvideo":     "video",
	"sendaudio":     "audio",
	"sendvoice":     "voice",
	"sendanimation": "animation",
	"sendsticker":   "sticker",
	"sendvideonote": "video_note",
}

func badRequest(description string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + description}
}

// dispatch answers one delivered method call with its JSON result.
func (s *Server) dispatch(ctx context.Context, c Call) (json.RawMessage, *apiError) {
	p := c.Params
	method := strings.ToLower(c.Method)
	if method == "getupdates" {
		return s.getUpdates(ctx, p)
	}
	if field, ok := mediaFields[method]; ok {
		return s.sendMedia(c, field)
	}
	switch method {
	case "getme":
		return marshal(s.botUser())
	case "sendmessage":
		if err := checkText(p["text"], p["parse_mode"], maxTextLen, "message text"); err != nil {
			return nil, err
		}
		if err := checkMarkup(p["reply_markup"]); err != nil {
			return nil, err
		}
		return s.newMessage(c, func(m map[string]any) {
			m["text"] = p["text"]
			setMarkup(m, p["reply_markup"])
		})
	case "sendmediagroup":
		return s.sendMediaGroup(c)
	case "copymessage":
		if p["from_chat_id"] == "" || p["message_id"] == "" {
			return nil, badRequest("message to copy not found")
		}
		if p["chat_id"] == "" {
			return nil, badRequest("chat not found")
		}
		if err := checkText(p["caption"], p["parse_mode"], maxCaptionLen, "message caption"); err != nil && p["caption"] != "" {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return marshal(map[string]int{"message_id": s.nextMessageIDLocked(p["chat_id"])})
	case "forwardmessage":
		if p["from_chat_id"] == "" || p["message_id"] == "" {
			return nil, badRequest("message to forward not found")
		}
		return s.newMessage(c, func(m map[string]any) { m["forward_date"] = time.Now().Unix() })
	case "editmessagetext":
		if err := checkText(p["text"], p["parse_mode"], maxTextLen, "message text"); err != nil {
			return nil, err
		}
		if err := checkMarkup(p["reply_markup"]); err != nil {
			return nil, err
		}
		return editedMessage(c, func(m map[string]any) {
			m["text"] = p["text"]
			setMarkup(m, p["reply_markup"])
		})
	case "editmessagereplymarkup":
		if err := checkMarkup(p["reply_markup"]); err != nil {
			return nil, err
		}
		return editedMessage(c, func(m map[string]any) { setMarkup(m, p["reply_markup"]) })
	case "editmessagecaption":
		if err := checkText(p["caption"], p["parse_mode"], maxCaptionLen, "message caption"); err != nil && p["caption"] != "" {
			return nil, err
		}
		return editedMessage(c, func(m map[string]any) { m["caption"] = p["caption"] })
	case "deleteforumtopic":
		if c.ChatID >= 0 {
			return nil, badRequest("the chat is not a forum")
		}
		if p["message_thread_id"] == "" || p["message_thread_id"] == "1" {
			return nil, badRequest("TOPIC_ID_INVALID") // the General topic cannot be deleted
		}
		return marshal(true)
	case "deletemessage":
		if p["chat_id"] == "" || p["message_id"] == "" {
			return nil, badRequest("message to delete not found")
		}
		return marshal(true)
	case "createforumtopic":
		if c.ChatID >= 0 {
			return nil, badRequest("the chat is not a forum")
		}
		if p["name"] == "" {
			return nil, badRequest("topic name is empty")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.threadID[p["chat_id"]] == 0 {
			s.threadID[p["chat_id"]] = 1 // 1 is the General topic
		}
		s.threadID[p["chat_id"]]++
		return marshal(map[string]any{"message_thread_id": s.threadID[p["chat_id"]], "name": p["name"], "icon_color": 7322096})
	case "answercallbackquery":
		if p["callback_query_id"] == "" {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		if len(utf16.Encode([]rune(p["text"]))) > maxCallbackTextLen {
			return nil, badRequest("MESSAGE_TOO_LONG")
		}
		return json.RawMessage("true"), nil
	case "getchatmember":
		user, err := strconv.ParseInt(p["user_id"], 10, 64)
		if err != nil || p["chat_id"] == "" {
			return nil, badRequest("invalid user_id specified")
		}
		s.mu.Lock()
		status, ok := s.members[member{c.ChatID, user}]
		s.mu.Unlock()
		if !ok {
			status = "left"
		}
		return marshal(map[string]any{
			"status": status,
			"user":   map[string]any{"id": user, "is_bot": false, "first_name": fmt.Sprintf("User %d", user)},
		})
	case "getchat":
		if p["chat_id"] == "" {
			return nil, badRequest("chat not found")
		}
		chat := chatObject(p["chat_id"])
		chat["accent_color_id"] = 0
		chat["max_reaction_count"] = 11
		return marshal(chat)
	case "getfile":
		return s.getFile(p)
	case "setwebhook":
		s.mu.Lock()
		defer s.mu.Unlock()
		s.webhook = Webhook{URL: p["url"], SecretToken: p["secret_token"], AllowedUpdates: p["allowed_updates"],
			MaxConnections: p["max_connections"]}
		if p["drop_pending_updates"] == "true" {
			s.updates = nil
		}
		return json.RawMessage("true"), nil
	case "deletewebhook":
		s.mu.Lock()
		defer s.mu.Unlock()
		s.webhook = Webhook{}
		if p["drop_pending_updates"] == "true" {
			s.updates = nil
		}
		return json.RawMessage("true"), nil
	case "getwebhookinfo":
		s.mu.Lock()
		defer s.mu.Unlock()
		return marshal(map[string]any{"url": s.webhook.URL, "has_custom_certificate": false, "pending_update_count": len(s.updates)})
	case "getmycommands":
		return json.RawMessage("[]"), nil
	default:
		return json.RawMessage("true"), nil
	}
}

// botUser is getMe's answer; its id is the numeric prefix of the token when one is set.
func (s *Server) botUser() map[string]any {
	id := int64(1000001)
	if n, err := strconv.ParseInt(strings.Split(s.token, ":")[0], 10, 64); err == nil && n > 0 {
		id = n
	}
	return map[string]any{
		"id": id, "is_bot": true, "first_name": "Fake Complaint Bot", "username": s.username,
		"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
	}
}

// newMessage creates a message in the call's chat with the next message id.
func (s *Server) newMessage(c Call, fill func(map[string]any)) (json.RawMessage, *apiError) {
	if c.Params["chat_id"] == "" {
		return nil, badRequest("chat_id is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(c)
	fill(m)
	return marshal(m)
}

// messageLocked builds a message object with the next id of the call's chat. s.mu must be held.
func (s *Server) messageLocked(c Call) map[string]any {
	m := map[string]any{
		"message_id": s.nextMessageIDLocked(c.Params["chat_id"]),
		"date":       time.Now().Unix(),
		"chat":       chatObject(c.Params["chat_id"]),
		"from":       s.botUser(),
	}
	if c.ThreadID != 0 {
		m["message_thread_id"] = c.ThreadID
		m["is_topic_message"] = true
	}
	return m
}

func (s *Server) nextMessageIDLocked(chat string) int {
	s.messageID[chat]++
	return s.messageID[chat]
}

// editedMessage answers an edit: the edited message, or true for inline messages.
func editedMessage(c Call, fill func(map[string]any)) (json.RawMessage, *apiError) {
	p := c.Params
	if p["inline_message_id"] != "" {
		return json.RawMessage("true"), nil
	}
	id, err := strconv.Atoi(p["message_id"])
	if err != nil || id <= 0 || p["chat_id"] == "" {
		return nil, badRequest("message to edit not found")
	}
	m := map[string]any{
		"message_id": id,
		"date":       time.Now().Unix(),
		"edit_date":  time.Now().Unix(),
		"chat":       chatObject(p["chat_id"]),
	}
	fill(m)
	return marshal(m)
}

// sendMedia answers sendPhoto, sendDocument and the other one-file sends. An uploaded file
// is stored so getFile and downloads serve it; a file_id or URL string is echoed.
func (s *Server) sendMedia(c Call, field string) (json.RawMessage, *apiError) {
	p := c.Params
	if err := checkText(p["caption"], p["parse_mode"], maxCaptionLen, "message caption"); err != nil && p["caption"] != "" {
		return nil, err
	}
	if err := checkMarkup(p["reply_markup"]); err != nil {
		return nil, err
	}
	upload := c.File(field)
	if upload == nil && p[field] == "" {
		return nil, badRequest("there is no " + field + " in the request")
	}
	if p["chat_id"] == "" {
		return nil, badRequest("chat_id is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(c)
	m[field] = s.mediaObjectLocked(field, upload, p[field])
	if p["caption"] != "" {
		m["caption"] = p["caption"]
	}
	setMarkup(m, p["reply_markup"])
	return marshal(m)
}

// mediaObjectLocked stores an upload (or echoes a file id) and returns the message field's
// value: a PhotoSize array for photos, a file object otherwise. s.mu must be held.
func (s *Server) mediaObjectLocked(field string, upload *File, ref string) any {
	var obj map[string]any
	if upload != nil {
		f := s.storeFileLocked("", field+"s", upload.Filename, upload.Data)
		obj = map[string]any{"file_id": f.id, "file_unique_id": f.uniqueID, "file_size": len(f.data)}
		if field == "document" {
			obj["file_name"] = upload.Filename
		}
	} else {
		obj = map[string]any{"file_id": ref, "file_unique_id": "u-" + ref}
		if f, ok := s.files[ref]; ok {
			obj["file_unique_id"], obj["file_size"] = f.uniqueID, len(f.data)
		}
	}
	if field == "photo" {
		obj["width"], obj["height"] = 800, 600
		return []any{obj}
	}
	return obj
}

// sendMediaGroup answers an album: one message per item, sharing a media_group_id.
func (s *Server) sendMediaGroup(c Call) (json.RawMessage, *apiError) {
	var items []struct {
		Type    string `json:"type"`
		Media   string `json:"media"`
		Caption string `json:"caption"`
	}
	if err := json.Unmarshal([]byte(c.Params["media"]), &items); err != nil || len(items) == 0 {
		return nil, badRequest("can't parse media JSON object")
	}
	if c.Params["chat_id"] == "" {
		return nil, badRequest("chat_id is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	group := fmt.Sprintf("fake-album-%d", s.fileSeq+1)
	var msgs []map[string]any
	for _, it := range items {
		var upload *File
		if name, ok := strings.CutPrefix(it.Media, "attach://"); ok {
			if upload = c.File(name); upload == nil {
				return nil, badRequest("wrong file identifier/HTTP URL specified")
			}
		}
		m := s.messageLocked(c)
		m["media_group_id"] = group
		m[it.Type] = s.mediaObjectLocked(it.Type, upload, it.Media)
		if it.Caption != "" {
			m["caption"] = it.Caption
		}
		msgs = append(msgs, m)
	}
	return marshal(msgs)
}

// chatObject describes the chat named by a chat_id parameter.
func chatObject(chatID string) map[string]any {
	id, err := strconv.ParseInt(chatID, 10, 64)
	switch {
	case err != nil:
		return map[string]any{"id": int64(-1001000000001), "type": "channel", "title": "Channel", "username": strings.TrimPrefix(chatID, "@")}
	case id > 0:
		return map[string]any{"id": id, "type": "private", "first_name": fmt.Sprintf("User %d", id)}
	case id <= -1000000000000:
		return map[string]any{"id": id, "type": "supergroup", "title": "Supergroup", "is_forum": true}
	default:
		return map[string]any{"id": id, "type": "group", "title": "Group"}
	}
}

// setMarkup copies a reply_markup parameter into a message when it is an inline keyboard.
func setMarkup(m map[string]any, markup string) {
	if markup == "" {
		return
	}
	var kb struct {
		InlineKeyboard json.RawMessage `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &kb) == nil && kb.InlineKeyboard != nil {
		m["reply_markup"] = json.RawMessage(markup)
	}
}

// checkMarkup rejects reply markup Telegram would reject: bad JSON and callback data outside
// 1..64 bytes.
func checkMarkup(markup string) *apiError {
	if markup == "" {
		return nil
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return badRequest("text buttons are unallowed in the inline keyboard")
			}
			if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > maxCallbackData) {
				return badRequest("BUTTON_DATA_INVALID")
			}
		}
	}
	return nil
}

// checkText rejects text Telegram would reject: empty, malformed HTML in HTML parse mode, or
// longer than limit UTF-16 code units once entities are parsed. what names it in the error.
func checkText(text, parseMode string, limit int, what string) *apiError {
	visible := text
	if strings.EqualFold(parseMode, "HTML") {
		v, err := parseHTML(text)
		if err != nil {
			return badRequest("can't parse entities: " + err.Error())
		}
		visible = v
	}
	if strings.TrimSpace(visible) == "" {
		return badRequest(what + " is empty")
	}
	if len(utf16.Encode([]rune(visible))) > limit {
		if what == "message caption" {
			return badRequest("message caption is too long")
		}
		return badRequest("message is too long")
	}
	return nil
}

func marshal(v any) (json.RawMessage, *apiError) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &apiError{code: http.StatusInternalServerError, description: "Internal Server Error: " + err.Error()}
	}
	return b, nil
}
