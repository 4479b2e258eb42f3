package staff_test

import (
	"html"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"complaintbot/internal/fakeapi"
)

// longMarkup is a message of Telegram's longest, one line of characters HTML escapes: "&" is
// five characters escaped and one as Telegram counts it, so the escaped text is far over the
// limit while the message as read is not; cut blindly, a part would end inside an entity.
var longMarkup = strings.Repeat("a&b<c>d\"", 4000/8)

// TestLongRelays: a complainant's longest message full of markup characters reaches the case's
// topic whole, and so does a staff member's in the other direction: every part is valid HTML
// (the fake Bot API refuses others), and the parts read together are the message.
func TestLongRelays(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:claim:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "您好"})

	mark := w.seq()
	w.userMessage(&models.Message{Text: longMarkup})
	w.wait("the relayed message", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == forumChat && c.ThreadID == th.topic && strings.Contains(c.Params["text"], "d&#34;")
	})
	var got strings.Builder
	for _, c := range w.api.CallsToChat(forumChat) {
		if c.Seq > mark && c.Method == "sendMessage" {
			got.WriteString(shown(t, c.Params["text"]))
		}
	}
	if !strings.Contains(strings.ReplaceAll(got.String(), "\n", ""), longMarkup) {
		t.Errorf("the topic did not get the complainant's message whole (%d characters of %d)", got.Len(), len(longMarkup))
	}

	mark = w.seq()
	w.staffSay(staffer, th, &models.Message{Text: longMarkup})
	var user strings.Builder
	for _, s := range w.userTexts(mark) {
		user.WriteString(shown(t, s))
	}
	if !strings.Contains(strings.ReplaceAll(user.String(), "\n", ""), longMarkup) {
		t.Errorf("the complainant did not get the staff member's message whole (%d characters of %d)", user.Len(), len(longMarkup))
	}
}

// shown is what Telegram shows of an HTML message: without its tags, its entities read; a
// part cut inside an entity or a tag fails t.
func shown(t *testing.T, s string) string {
	t.Helper()
	var out strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				t.Errorf("a part cut inside a tag: ...%q", s[i:])
				return out.String()
			}
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 || j > 8 {
				t.Errorf("a part cut inside an entity: ...%q", s[i:min(len(s), i+8)])
				return out.String()
			}
			out.WriteString(html.UnescapeString(s[i : i+j+1]))
			i += j + 1
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	return out.String()
}

// TestLongCaptionRelayed: a complainant's photo with a caption of Telegram's longest made of
// emoji (two UTF-16 code units each, as Telegram counts) reaches the case's topic, its caption
// shortened to fit with the bot's heading; and so does a staff member's in the other direction.
func TestLongCaptionRelayed(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:claim:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "您好"})
	caption := strings.Repeat("😀", 512) // 1,024 UTF-16 code units

	mark := w.seq()
	w.userMessage(&models.Message{Caption: caption, Photo: []models.PhotoSize{{FileID: "emoji-f", FileUniqueID: "emoji-u", Width: 10, Height: 10}}})
	w.wait("the photo in the case's topic", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.Method == "copyMessage" && c.ChatID == forumChat && c.ThreadID == th.topic
	})
	mark = w.seq()
	w.staffSay(staffer, th, &models.Message{Caption: caption, Photo: []models.PhotoSize{{FileID: "staff-f", FileUniqueID: "staff-u", Width: 10, Height: 10}}})
	w.wait("the staff member's photo", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.Method == "copyMessage" && c.ChatID == complainant
	})
}

// TestLongCaptionWhole: a caption too long to carry with the bot's heading is not cut short:
// what does not fit follows the file as a message, in the complainant's chat and in the case's
// topic alike, so that neither side loses the end of what the other wrote.
func TestLongCaptionWhole(t *testing.T) {
	w := newWorld(t, forumChat)
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:claim:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "您好"})
	caption := strings.Repeat("<合同&>😀", 145) + "请在周五前回复" // 1,022 UTF-16 code units, ending in what matters

	received := func(calls []fakeapi.Call, mark int64) string {
		var b strings.Builder
		for _, c := range calls {
			if c.Seq > mark {
				b.WriteString(shown(t, c.Params["caption"]) + shown(t, c.Params["text"]))
			}
		}
		return strings.NewReplacer("\n", "", "…", "").Replace(b.String())
	}
	mark := w.seq()
	w.staffSay(staffer, th, &models.Message{Caption: caption, Photo: []models.PhotoSize{{FileID: "staff-f", FileUniqueID: "staff-u", Width: 10, Height: 10}}})
	if got := received(w.api.CallsToChat(complainant), mark); !strings.Contains(got, caption) {
		t.Errorf("the complainant did not get the staff member's caption whole:\n%s", got)
	}
	mark = w.seq()
	w.userMessage(&models.Message{Caption: caption, Photo: []models.PhotoSize{{FileID: "user-f", FileUniqueID: "user-u", Width: 10, Height: 10}}})
	var topic []fakeapi.Call
	for _, c := range w.api.CallsToChat(forumChat) {
		if c.ThreadID == th.topic {
			topic = append(topic, c)
		}
	}
	if got := received(topic, mark); !strings.Contains(got, caption) {
		t.Errorf("the case's topic did not get the complainant's caption whole:\n%s", got)
	}
}
