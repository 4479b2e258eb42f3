package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"complaintbot/internal/fakeapi"
)

// User is a simulated Telegram user in a private chat with the bot (the chat id is the user
// id). Its methods are safe for concurrent use, but a conversation is one goroutine's.
type User struct {
	tg           *Telegram
	ID           int64
	LanguageCode string // Telegram's language_code, e.g. "zh-hans" or "en"
	FirstName    string

	mu       sync.Mutex
	nextMsg  int     // the user's last message_id
	files    int     // numbers the files the user sends
	albums   int     // numbers the user's albums
	readSeq  int64   // the fakeapi.Call.Seq of the last bot message read
	keyboard Message // the last message read that carried an inline keyboard
}

// User returns a simulated user with this id and Telegram language code.
func (tg *Telegram) User(id int64, languageCode string) *User {
	return &User{tg: tg, ID: id, LanguageCode: languageCode, FirstName: fmt.Sprintf("U%d", id)}
}

// from is the user as Telegram describes it.
func (u *User) from() map[string]any {
	f := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
	if u.LanguageCode != "" {
		f["language_code"] = u.LanguageCode
	}
	return f
}

// chat is the private chat with the bot.
func (u *User) chat() map[string]any {
	return map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName}
}

// message builds a message update from the user with the given fields.
func (u *User) message(fields map[string]any) map[string]any {
	u.mu.Lock()
	u.nextMsg++
	id := u.nextMsg
	u.mu.Unlock()
	m := map[string]any{"message_id": id, "from": u.from(), "chat": u.chat(), "date": u.tg.now().Unix()}
	for k, v := range fields {
		m[k] = v
	}
	return map[string]any{"message": m}
}

// Text sends a text message; a text starting with "/" is a command.
func (u *User) Text(ctx context.Context, text string) (Sent, error) {
	return u.tg.Send(ctx, u.message(map[string]any{"text": text}))
}

// Photo sends a photo (three sizes, as Telegram does; the bot should keep the largest) with a
// caption, which may be empty. It returns the update and the largest size's file id.
func (u *User) Photo(ctx context.Context, caption string) (Sent, string, error) {
	fields, id := u.photo(caption, "")
	s, err := u.tg.Send(ctx, u.message(fields))
	return s, id, err
}

// photo builds a photo message's fields, in an album when group is set.
func (u *User) photo(caption, group string) (map[string]any, string) {
	u.mu.Lock()
	u.files++
	n := u.files
	u.mu.Unlock()
	id := fmt.Sprintf("photo-%d-%d", u.ID, n)
	sizes := []map[string]any{
		{"file_id": id + "-s", "file_unique_id": id + "-us", "file_size": 1200, "width": 90, "height": 160},
		{"file_id": id, "file_unique_id": id + "-u", "file_size": 120000 + n, "width": 720, "height": 1280},
		{"file_id": id + "-m", "file_unique_id": id + "-um", "file_size": 30000, "width": 320, "height": 568},
	}
	fields := map[string]any{"photo": sizes}
	if caption != "" {
		fields["caption"] = caption
	}
	if group != "" {
		fields["media_group_id"] = group
	}
	return fields, id
}

// Document sends a file as a document. It returns the update and the file id.
func (u *User) Document(ctx context.Context, name, mime string, size int64) (Sent, string, error) {
	u.mu.Lock()
	u.files++
	id := fmt.Sprintf("doc-%d-%d", u.ID, u.files)
	u.mu.Unlock()
	doc := map[string]any{"file_id": id, "file_unique_id": id + "-u", "file_name": name, "mime_type": mime, "file_size": size}
	s, err := u.tg.Send(ctx, u.message(map[string]any{"document": doc}))
	return s, id, err
}

// Album sends n photos as one album: n updates sharing a media_group_id, sent one after
// another as Telegram does.
func (u *User) Album(ctx context.Context, n int) ([]Sent, error) {
	u.mu.Lock()
	u.albums++
	group := fmt.Sprintf("album-%d-%d", u.ID, u.albums)
	u.mu.Unlock()
	var sent []Sent
	for range n {
		fields, _ := u.photo("", group)
		s, err := u.tg.Send(ctx, u.message(fields))
		sent = append(sent, s)
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Press presses the button of the last keyboard read (see Expect) whose action is action (see
// Message.Button).
func (u *User) Press(ctx context.Context, action string) (Sent, error) {
	u.mu.Lock()
	kb := u.keyboard
	u.mu.Unlock()
	b, ok := kb.Button(action)
	if !ok {
		var have []string
		for _, b := range kb.Buttons() {
			have = append(have, b.Data)
		}
		return Sent{}, fmt.Errorf("user %d: no button %q in the last keyboard read (message %d: %v)", u.ID, action, kb.ID, have)
	}
	return u.PressData(ctx, kb, b.Data)
}

// PressData presses a button with this callback data on message m, which may be an old message
// (a stale button) or data the bot never sent.
func (u *User) PressData(ctx context.Context, m Message, data string) (Sent, error) {
	id := fmt.Sprintf("cb-%d-%d", u.ID, u.tg.callbacks.Add(1))
	msg := map[string]any{"message_id": m.ID, "chat": u.chat(), "date": u.tg.now().Unix(), "text": m.Text}
	up := map[string]any{"callback_query": map[string]any{
		"id": id, "from": u.from(), "message": msg, "chat_instance": fmt.Sprintf("ci-%d", u.ID), "data": data,
	}}
	s, err := u.tg.Send(ctx, up)
	s.CallbackID = id
	return s, err
}

// Keyboard returns the last message read that carried an inline keyboard.
func (u *User) Keyboard() Message {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.keyboard
}

// Expect waits until the bot sends the chat a message, not read yet, whose text contains want,
// and returns it. That message and every one before it count as read; the last of them with an
// inline keyboard becomes the keyboard Press uses. The error on ctx's end lists the unread
// messages.
func (u *User) Expect(ctx context.Context, want string) (Message, error) {
	u.mu.Lock()
	after := u.readSeq
	u.mu.Unlock()
	c, err := u.tg.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.ChatID == u.ID && c.Seq > after && IsMessage(c) && strings.Contains(MessageOf(c).Text, want)
	})
	if err != nil {
		return Message{}, fmt.Errorf("user %d: waiting for %q: %w; unread: %q", u.ID, want, err, Texts(u.Unread()))
	}
	u.read(c.Seq)
	return MessageOf(c), nil
}

// read marks the chat's messages up to seq as read.
func (u *User) read(seq int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, c := range u.tg.API.CallsToChat(u.ID) {
		if c.Seq <= u.readSeq || c.Seq > seq || !IsMessage(c) {
			continue
		}
		if m := MessageOf(c); len(m.Keyboard) > 0 {
			u.keyboard = m
		}
	}
	u.readSeq = max(u.readSeq, seq)
}

// Unread returns the bot's messages to the chat not read yet.
func (u *User) Unread() []Message {
	u.mu.Lock()
	after := u.readSeq
	u.mu.Unlock()
	var ms []Message
	for _, m := range Messages(u.tg.API, u.ID) {
		if m.Call.Seq > after {
			ms = append(ms, m)
		}
	}
	return ms
}

// ReadAll marks every message the bot has sent the chat so far as read.
func (u *User) ReadAll() {
	var last int64
	for _, m := range Messages(u.tg.API, u.ID) {
		last = max(last, m.Call.Seq)
	}
	u.read(last)
}
