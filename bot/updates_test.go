package bot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
)

// TestClassify maps real update JSON, one file per kind under testdata/updates, to what the
// bot does with it.
func TestClassify(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	const staff = -1001234567890
	for _, tc := range []struct {
		file    string
		verdict Verdict
		kind    flows.InputKind
		check   func(t *testing.T, inc Incoming)
	}{
		{"text.json", Converse, flows.InputText, func(t *testing.T, inc Incoming) {
			if inc.Input.Text != "199元" || inc.Chat != 111 || inc.Input.User != 111 || inc.Input.LanguageCode != "zh-hans" {
				t.Fatalf("%+v", inc)
			}
			if !inc.Input.Now.Equal(time.Unix(1763690000, 0)) {
				t.Fatalf("time = %v", inc.Input.Now)
			}
		}},
		{"command.json", Converse, flows.InputCommand, func(t *testing.T, inc Incoming) {
			if inc.Input.Command != "lang" || inc.Input.Args != "en" {
				t.Fatalf("%+v", inc.Input)
			}
		}},
		{"photo.json", Converse, flows.InputAttachment, func(t *testing.T, inc Incoming) {
			a := inc.Input.Attachments[0]
			if a.FileID != "photo-large" || a.Size != 120000 || a.Caption != "扣费短信" || a.Kind != flows.EvidencePhoto {
				t.Fatalf("largest size not taken: %+v", a)
			}
		}},
		{"album_item.json", Converse, flows.InputAttachment, func(t *testing.T, inc Incoming) {
			if inc.AlbumID != "13579" || inc.Input.Attachments[0].MediaGroupID != "13579" {
				t.Fatalf("%+v", inc)
			}
		}},
		{"document.json", Converse, flows.InputAttachment, func(t *testing.T, inc Incoming) {
			a := inc.Input.Attachments[0]
			if a.Kind != flows.EvidenceDocument || a.MIME != "application/pdf" || a.FileName != "结算明细.pdf" || a.Size != 2048000 {
				t.Fatalf("%+v", a)
			}
		}},
		{"callback.json", Converse, flows.InputButton, func(t *testing.T, inc Incoming) {
			if inc.Input.Data != "7:consumer" || inc.CallbackID != "cb-1" || inc.Chat != 111 {
				t.Fatalf("%+v", inc)
			}
		}},
		{"sticker.json", Converse, flows.InputOther, nil},
		{"voice.json", Converse, flows.InputOther, nil},
		{"location.json", Converse, flows.InputOther, nil},
		{"contact.json", Converse, flows.InputOther, nil}, // someone else's: not an answer
		{"contact_own.json", Converse, flows.InputText, func(t *testing.T, inc Incoming) {
			if inc.Input.Text != "8613800138000" {
				t.Fatalf("the user's own contact: %+v", inc.Input)
			}
		}},
		{"edited.json", ReplyOnly, "", func(t *testing.T, inc Incoming) {
			if inc.Key != "edit_not_supported" {
				t.Fatalf("%+v", inc)
			}
		}},
		{"group_command.json", ReplyOnly, "", func(t *testing.T, inc Incoming) {
			if inc.Key != "group_not_supported" {
				t.Fatalf("%+v", inc)
			}
		}},
		{"group_chatter.json", Ignore, "", nil},
		{"staff_message.json", Staff, "", nil},
		{"staff_edited.json", Staff, "", func(t *testing.T, inc Incoming) {
			if inc.Message == nil || inc.Lane == inc.Chat {
				t.Fatalf("a staff edit in a topic is not in the topic's lane: %+v", inc)
			}
		}},
		{"no_from.json", Ignore, "", nil},
		{"no_chat.json", Ignore, "", nil},
		{"unknown_kind.json", Ignore, "", nil},
		{"callback_inaccessible.json", Converse, flows.InputButton, nil},
		{"channel_post.json", Ignore, "", nil},
		// someone else's press or message in a user's private chat steers nothing
		{"callback_foreign.json", Ignore, "", func(t *testing.T, inc Incoming) {
			if inc.CallbackID != "cb-2" {
				t.Fatalf("the press is not answered: %+v", inc)
			}
		}},
		{"text_foreign.json", Ignore, "", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "updates", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var u models.Update
			if err := json.Unmarshal(b, &u); err != nil {
				t.Fatal(err)
			}
			inc := Classify(&u, staff, now)
			if inc.Verdict != tc.verdict {
				t.Fatalf("verdict = %v, want %v (%+v)", inc.Verdict, tc.verdict, inc)
			}
			if tc.verdict == Converse && inc.Input.Kind != tc.kind {
				t.Fatalf("input kind = %s, want %s", inc.Input.Kind, tc.kind)
			}
			if tc.check != nil {
				tc.check(t, inc)
			}
		})
	}
}

// FuzzClassify: no update, however broken, crashes the mapping.
func FuzzClassify(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "updates", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
	}
	now := time.Unix(1763690000, 0)
	f.Fuzz(func(t *testing.T, b []byte) {
		var u models.Update
		if json.Unmarshal(b, &u) != nil {
			return
		}
		inc := Classify(&u, -100, now)
		if inc.Verdict == Converse && inc.Chat == 0 {
			t.Fatalf("a conversation without a chat: %+v", inc)
		}
	})
}

// TestStaffLanes: a complainant's chat is one lane; the staff chat has one per topic or reply
// thread, and one for the rest, so that a failing update on one case holds only that case's.
func TestStaffLanes(t *testing.T) {
	const staff = int64(-1001)
	now := time.Now()
	msg := func(chat int64, thread int) *models.Update {
		return &models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: chat, Type: models.ChatTypeSupergroup},
			From: &models.User{ID: 9}, Text: "x", MessageThreadID: thread, IsTopicMessage: thread != 0}}
	}
	press := func(thread int) *models.Update {
		return &models.Update{CallbackQuery: &models.CallbackQuery{ID: "q", From: models.User{ID: 9}, Data: "s:claim:C-000001",
			Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 5, MessageThreadID: thread,
				Chat: models.Chat{ID: staff, Type: models.ChatTypeSupergroup}}}}}
	}
	private := &models.Update{Message: &models.Message{ID: 1, Chat: models.Chat{ID: 42, Type: models.ChatTypePrivate}, From: &models.User{ID: 42}, Text: "x"}}
	lane := func(u *models.Update) int64 { return Classify(u, staff, now).Lane }
	if lane(private) != 42 || lane(msg(staff, 0)) != staff {
		t.Fatalf("lanes: private %d, staff General %d", lane(private), lane(msg(staff, 0)))
	}
	a, b := lane(msg(staff, 7)), lane(msg(staff, 8))
	if a == staff || b == staff || a == b || a == 42 {
		t.Fatalf("topic lanes %d and %d (staff chat %d)", a, b, staff)
	}
	if lane(press(7)) != a {
		t.Fatalf("a press on topic 7's card runs in lane %d, its messages in %d", lane(press(7)), a)
	}
}
