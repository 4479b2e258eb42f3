package bot

import (
	"encoding/binary"
	"hash/fnv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
)

// Verdict is what the bot does with an update.
type Verdict int

// The verdicts.
const (
	Ignore    Verdict = iota // nothing to do: not ours, or nothing we act on
	Converse                 // a complainant's input for flows.Step
	ReplyOnly                // answer with a fixed message (Incoming.Key) and change nothing
	Staff                    // something in the staff chat, for the staff side
)

// Incoming is an update taken out of Telegram's shape.
type Incoming struct {
	Verdict  Verdict
	UpdateID int64
	Chat     int64 // where to answer
	// Lane orders updates: those of one lane run one at a time, in order, and a failure holds
	// the lane's later updates. A complainant's chat is one lane; the staff chat has one per
	// forum topic or reply thread (a case), and one for the rest, so that a failure on one case
	// does not hold the whole staff desk.
	Lane       int64
	Key        string // ReplyOnly: the locales message to send
	Lang       flows.Lang
	Input      flows.Input
	CallbackID string // a button press to answer, whatever happens
	AlbumID    string // the media group of an album item, whose acknowledgements are merged
	// Message is the update's message, or nil when the update was decoded only in the fields
	// the bot reads (a webhook's text or press in a private chat): message makes it then.
	Message *models.Message
	wire    *wireMessage // the message as decoded, when Message is nil
	kind    string       // the update's kind, for the metrics (updateKind)
	// command is a command's word after the slash, with the bot it names ("start@other_bot"),
	// for the bot to leave alone a command addressed to another bot; "" when not a command.
	command string
}

// message returns the update's message: Message, or the one made from what was decoded of it;
// nil when the update has none.
func (inc Incoming) message() *models.Message {
	if inc.Message == nil && inc.wire != nil {
		return inc.wire.message()
	}
	return inc.Message
}

// Classify maps every kind of update to what the bot does with it. It never fails: updates
// with missing fields or of unknown kinds are ignored, and kinds a complainant may send but we
// cannot use get a clear reply.
func Classify(u *models.Update, staffChat int64, now time.Time) Incoming {
	inc := classify(u, staffChat, now)
	inc.Lane = inc.Chat
	inc.kind = updateKind(u)
	if inc.Verdict == Staff && inc.Message != nil && inc.Message.MessageThreadID != 0 {
		inc.Lane = staffLane(inc.Chat, inc.Message.MessageThreadID)
	}
	return inc
}

// staffLane is the lane of a topic or reply thread of the staff chat: a negative number made
// from both (a collision with another lane would only order their updates together).
func staffLane(chat int64, thread int) int64 {
	h := fnv.New64a()
	binary.Write(h, binary.LittleEndian, chat)
	binary.Write(h, binary.LittleEndian, int64(thread))
	return -int64(h.Sum64()>>2) - 1
}

// classify is Classify without the lane.
func classify(u *models.Update, staffChat int64, now time.Time) Incoming {
	inc := Incoming{UpdateID: u.ID}
	switch {
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		inc.CallbackID = q.ID
		m := q.Message.Message
		if m == nil && q.Message.InaccessibleMessage != nil {
			m = &models.Message{Chat: q.Message.InaccessibleMessage.Chat}
		}
		if m == nil || q.From.ID == 0 || m.Chat.ID == 0 {
			// a press without a chat (found by FuzzClassify): nowhere to answer, and a commit
			// without a chat would fail for ever, Telegram delivering it again and again
			inc.Verdict = Ignore
			return inc
		}
		inc.Chat = m.Chat.ID
		inc.Message = m
		if staffChat != 0 && m.Chat.ID == staffChat {
			inc.Verdict = Staff
			return inc
		}
		if m.Chat.Type != models.ChatTypePrivate || q.From.ID != m.Chat.ID {
			// a group's press, or someone else's press of a button in a private chat (a copy
			// of the bot's message forwarded with its keyboard, a forged update): a private
			// chat's id is its user's, and only that user steers its conversation
			inc.Verdict = Ignore
			return inc
		}
		inc.Verdict = Converse
		inc.Input = flows.Input{Kind: flows.InputButton, Data: q.Data, User: q.From.ID,
			LanguageCode: q.From.LanguageCode, Now: now}
		return inc
	case u.Message != nil:
		return classifyMessage(inc, u.Message, staffChat, now)
	case u.EditedMessage != nil:
		m := u.EditedMessage
		if staffChat != 0 && m.Chat.ID == staffChat {
			// staff are told that an edit does not reach the complainant
			inc.Verdict, inc.Chat, inc.Message = Staff, m.Chat.ID, m
			return inc
		}
		if m.Chat.Type == models.ChatTypePrivate && m.Chat.ID != 0 {
			// an edit does not change an answer already taken; say so instead of silently ignoring it
			inc.Verdict, inc.Chat, inc.Key = ReplyOnly, m.Chat.ID, "edit_not_supported"
			inc.Lang = langOf(m.From)
		}
		return inc
	}
	return inc
}

// classifyMessage maps a message.
func classifyMessage(inc Incoming, m *models.Message, staffChat int64, now time.Time) Incoming {
	if m.Chat.ID == 0 {
		return inc
	}
	inc.Chat = m.Chat.ID
	inc.Message = m
	if staffChat != 0 && m.Chat.ID == staffChat {
		inc.Verdict = Staff
		return inc
	}
	if m.Chat.Type != models.ChatTypePrivate {
		// groups other than the staff chat: a complaint is private. Answer a command addressed
		// to us once, ignore the chatter.
		if strings.HasPrefix(m.Text, "/") {
			inc.Verdict, inc.Key, inc.Lang = ReplyOnly, "group_not_supported", langOf(m.From)
			inc.command = commandWord(m.Text)
		}
		return inc
	}
	if m.From == nil || m.From.ID != m.Chat.ID {
		return inc // a private chat's messages are its user's
	}
	in := flows.Input{User: m.From.ID, LanguageCode: m.From.LanguageCode, Now: sentAt(m.Date, now)}
	inc.Verdict = Converse
	switch {
	case len(m.Photo) > 0:
		p := m.Photo[0]
		for _, s := range m.Photo[1:] {
			if s.Width*s.Height > p.Width*p.Height || s.FileSize > p.FileSize {
				p = s
			}
		}
		in.Kind = flows.InputAttachment
		in.Attachments = []flows.Attachment{{Kind: flows.EvidencePhoto, FileID: p.FileID, UniqueID: p.FileUniqueID,
			Size: int64(p.FileSize), MIME: "image/jpeg", Caption: m.Caption, MediaGroupID: m.MediaGroupID}}
		inc.AlbumID = m.MediaGroupID
	case m.Document != nil:
		d := m.Document
		in.Kind = flows.InputAttachment
		in.Attachments = []flows.Attachment{{Kind: flows.EvidenceDocument, FileID: d.FileID, UniqueID: d.FileUniqueID,
			Size: d.FileSize, MIME: d.MimeType, FileName: d.FileName, Caption: m.Caption, MediaGroupID: m.MediaGroupID}}
		inc.AlbumID = m.MediaGroupID
	case m.Text != "":
		in = textInput(in, m.Text)
		inc.command = commandWord(m.Text)
	case m.Contact != nil && m.Contact.UserID == m.From.ID && m.Contact.PhoneNumber != "":
		// the user's own contact, shared from Telegram's attachment menu: their phone number,
		// as if typed (the phone question takes it; another question refuses it as typed text)
		in.Kind, in.Text = flows.InputText, m.Contact.PhoneNumber
	default:
		// stickers, voice, video, locations, contacts, polls...: flows explains what it needs
		in.Kind = flows.InputOther
	}
	inc.Input = in
	return inc
}

// textInput is in with a message's text, which is not empty: a command or a typed answer.
func textInput(in flows.Input, text string) flows.Input {
	if strings.HasPrefix(text, "/") {
		cmd, args, _ := strings.Cut(text[1:], " ")
		cmd, _, _ = strings.Cut(cmd, "@") // "/start@complaint_bot"
		in.Kind, in.Command, in.Args = flows.InputCommand, strings.ToLower(cmd), strings.TrimSpace(args)
		return in
	}
	in.Kind, in.Text = flows.InputText, text
	return in
}

// commandWord is the word after the slash of a command ("start@complaint_bot" of
// "/start@complaint_bot 1"); "" when text is not a command.
func commandWord(text string) string {
	if !strings.HasPrefix(text, "/") {
		return ""
	}
	w, _, _ := strings.Cut(text[1:], " ")
	return w
}

// sentAt is when the user sent a message dated date (Unix seconds), in now's zone (the
// users'); now when Telegram did not say.
func sentAt(date int, now time.Time) time.Time {
	if date > 0 {
		return time.Unix(int64(date), 0).In(now.Location())
	}
	return now
}

// langOf is the language for fixed replies to a user we may not have a session for.
func langOf(u *models.User) flows.Lang {
	if u == nil {
		return flows.LangZH
	}
	return flows.LangFromCode(u.LanguageCode)
}
