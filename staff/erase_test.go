package staff_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/internal/redistest"
)

// aofBytes is everything the server's append-only files hold.
func (w *world) aofBytes() string {
	w.t.Helper()
	var b strings.Builder
	filepath.WalkDir(w.rdb.Dir(), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(path, ".aof") {
			data, _ := os.ReadFile(path)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

// TestErasureInStaffChat: a complainant whose case staff handled erases their data. The staff
// chat's copy goes where the Bot API allows (in a forum the case's topic is deleted; in an
// ordinary group the card is edited to say so, without their details, and the evidence, the
// .docx and the relayed messages are deleted), and once the append-only file is rewritten
// (at most once per period) it holds none of the erased values.
func TestErasureInStaffChat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chat  int64
		forum bool
	}{
		{"forum", forumChat, true},
		{"reply threads", groupChat, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorldWith(t, tc.chat, redistest.Config{AppendOnly: true,
				Args: []string{"--aof-use-rdb-preamble", "no"}}) // the rewritten file as commands, values as stored
			id, th := w.firstCase()
			w.staffPress(staffer, th, "s:ask:"+id)
			w.staffSay(staffer, th, &models.Message{Text: "请补充合同"})
			w.userMessage(&models.Message{Photo: []models.PhotoSize{{FileID: "contract", FileUniqueID: "u-contract", Width: 9, Height: 9}}, Caption: "合同 张三"})
			w.wait("the relayed photo", func(c fakeapi.Call) bool { return c.Method == "copyMessage" && c.ChatID == tc.chat })
			var posted []int // every message posted for the case but its card
			for _, c := range w.api.CallsToChat(tc.chat) {
				switch c.Method {
				case "sendMessage", "sendDocument", "sendPhoto", "copyMessage":
					if id := c.MessageID(); id != 0 && id != th.card {
						posted = append(posted, id)
					}
				case "sendMediaGroup":
					var ms []struct {
						MessageID int `json:"message_id"`
					}
					jsonUnmarshal(t, c.Result, &ms)
					for _, m := range ms {
						posted = append(posted, m.MessageID)
					}
				}
			}
			record, err := w.rc.Get(w.ctx(), "case:"+id).Result()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(w.aofBytes(), record) {
				t.Fatal("the case's record is not in the append-only file: the search below cannot find it")
			}

			mark := w.seq()
			w.userMessage(&models.Message{Text: "/delete"})
			w.userPress("!yes")
			if _, err := w.desk.Unpost(w.ctx()); err != nil { // Run's loop would, within seconds
				t.Fatal(err)
			}
			if tc.forum {
				del := w.wait("the topic deleted", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "deleteForumTopic" })
				if del.ThreadID != th.topic {
					t.Fatalf("deleted topic %d, not the case's %d", del.ThreadID, th.topic)
				}
				// the case is still open: its anonymous card, with its buttons, comes to General,
				// so that staff see where the topic went and can close the case
				card := w.wait("the erased case's card in General", func(c fakeapi.Call) bool {
					return c.Seq > mark && c.Method == "sendMessage" && c.ChatID == tc.chat && c.ThreadID == 0 &&
						strings.Contains(c.Params["text"], "已删除其数据")
				})
				if !strings.Contains(card.Params["text"], id) || !strings.Contains(card.Params["reply_markup"], "s:resolve:"+id) {
					t.Errorf("the card in General: %q %s", card.Params["text"], card.Params["reply_markup"])
				}
				for _, personal := range []string{"张三", "13800138000", "深圳", "请补充合同"} {
					if strings.Contains(card.Params["text"], personal) {
						t.Errorf("the card in General shows %q:\n%s", personal, card.Params["text"])
					}
				}
			} else {
				edit := w.wait("the card edited", func(c fakeapi.Call) bool {
					return c.Seq > mark && c.Method == "editMessageText" && strings.Contains(c.Params["text"], "已删除其数据")
				})
				for _, personal := range []string{"张三", "13800138000", "深圳", "请补充合同"} {
					if strings.Contains(edit.Params["text"], personal) {
						t.Errorf("the edited card still shows %q:\n%s", personal, edit.Params["text"])
					}
				}
				// the question went with the complainant's data, and the card says so
				if erased := "请投诉人补充：" + w.text(flows.LangZH, "staff_note_erased", nil); !strings.Contains(edit.Params["text"], erased) {
					t.Errorf("the edited card lacks %q:\n%s", erased, edit.Params["text"])
				}
				if edit.Params["message_id"] != itoa(th.card) {
					t.Errorf("edited message %s, not the card %d", edit.Params["message_id"], th.card)
				}
				if err := w.api.WaitUntil(w.ctx(), func() bool { return len(deleted(w.api, mark)) >= len(posted) }); err != nil {
					t.Fatal(err)
				}
				got := deleted(w.api, mark)
				for _, m := range posted {
					if !slices.Contains(got, m) {
						t.Errorf("message %d posted for the case was not deleted (deleted %v, posted %v)", m, got, posted)
					}
				}
				if slices.Contains(got, th.card) {
					t.Error("the card was deleted: staff lose the case's anonymous facts and buttons")
				}
			}
			// the desk is done with it: nothing left to remove, and a second round removes nothing
			w.eventually("the erased case handled", func() bool { ids, _ := w.store.ErasedCases(w.ctx(), 10); return len(ids) == 0 })

			// The append-only file, rewritten after the erasure, once per period.
			if ok, err := w.store.RewriteAfterErasures(w.ctx(), time.Hour); !ok || err != nil {
				t.Fatalf("rewrite after the erasure: %v %v", ok, err)
			}
			if ok, _ := w.store.RewriteAfterErasures(w.ctx(), time.Hour); ok {
				t.Fatal("a second rewrite within the period")
			}
			w.eventually("the erased record gone from the append-only file", func() bool {
				info, _ := w.rc.Info(w.ctx(), "persistence").Result()
				return strings.Contains(info, "aof_rewrite_in_progress:0") && strings.Contains(info, "aof_rewrite_scheduled:0") &&
					strings.Contains(info, "aof_last_bgrewrite_status:ok") && !strings.Contains(w.aofBytes(), record)
			})
			aof := w.aofBytes()
			for _, personal := range []string{"13800138000", "张三"} {
				if strings.Contains(aof, personal) {
					t.Errorf("%q is in the rewritten append-only file", personal)
				}
			}
			if c, _ := w.store.Complaint(w.ctx(), id); c.Chat != 0 || c.Contact != (flows.Contact{}) {
				t.Fatalf("the case was not erased: %+v", c)
			}
		})
	}
}

// eventually waits until cond holds, checking every 20 ms; it asserts no timing.
func (w *world) eventually(what string, cond func() bool) {
	w.t.Helper()
	ctx := w.ctx()
	for !cond() {
		select {
		case <-ctx.Done():
			w.t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// deleted are the message ids deleteMessage was called for since seq.
func deleted(api *fakeapi.Server, since int64) []int {
	var out []int
	for _, c := range api.CallsFor("deleteMessage") {
		if c.Seq > since {
			var n int
			for _, r := range c.Params["message_id"] {
				n = n*10 + int(r-'0')
			}
			out = append(out, n)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func jsonUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
