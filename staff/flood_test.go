package staff_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"complaintbot/flows"
	"complaintbot/internal/fakeapi"
	"complaintbot/storage"
)

// clock is a test clock the bot and the desk read, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// floodFiles is how many files the flooding complainant sends: the incident's 1,037, scaled
// down so that the test runs in seconds; spread over floodSpan of the test's clock, so that
// several hours' relay limits and the evidence limit are all reached.
const (
	floodFiles = 400
	floodSpan  = 3 * time.Hour
)

// TestFloodWhileWaiting replays issue 17's flood: while staff wait for them on their case, a
// complainant sends hundreds of files with 200-character captions. Nothing grows past its
// bound (evidence items, captions, relays per hour, the record's size), the complainant is told
// in plain words when a bound is reached, and afterwards every staff command, the resolve
// button, the complainant's /status and a restart's outbox sweep work; a damaged record planted
// beside it (as one left by the incident) is named alone and fails nothing else.
func TestFloodWhileWaiting(t *testing.T) {
	w := newWorld(t, forumChat)
	w.cfg.UserRate, w.cfg.UserBurst = rate.Inf, 1 // the flood arrives over hours: the chat's rate limit is not what is tested
	clk := &clock{t: time.Now()}
	w.now = clk.now
	id, th := w.firstCase()
	w.staffPress(staffer, th, "s:ask:"+id)
	w.staffSay(staffer, th, &models.Message{Text: "请补充合同照片"})
	if s, _ := w.store.Load(w.ctx(), complainant); s.Waiting != id {
		t.Fatalf("the session does not wait for %s", id)
	}

	// A record the incident left behind: it cannot be read. It is open, listed, and the
	// complainant's.
	const broken = "C-000099"
	ctx := w.ctx()
	if err := w.rc.Set(ctx, "case:"+broken, "3:s\xff\xff\xff\xffgarbage", 0).Err(); err != nil {
		t.Fatal(err)
	}
	w.rc.ZAdd(ctx, "cases:all", redisZ(99, broken))
	w.rc.ZAdd(ctx, "{staff}:open", redisZ(float64(time.Now().UnixMilli()), broken))
	w.rc.ZAdd(ctx, fmt.Sprintf("{chat:%d}:cases", complainant), redisZ(99, broken))
	w.rc.HSet(ctx, fmt.Sprintf("{staff}:msgs:%d", forumChat), "777", broken) // its card
	brokenCard := thread{chat: forumChat, card: 777}

	caption := strings.Repeat("费", 200)
	start := clk.now()
	for i := range floodFiles {
		at := start.Add(time.Duration(i) * floodSpan / floodFiles)
		clk.set(at)
		m := &models.Message{Caption: caption, Date: int(at.Unix())}
		if i%2 == 0 {
			m.Document = &models.Document{FileID: fmt.Sprintf("flood-%d", i), FileUniqueID: fmt.Sprintf("u-flood-%d", i),
				FileName: "f.pdf", MimeType: "application/pdf", FileSize: 1000}
		} else {
			m.Photo = []models.PhotoSize{{FileID: fmt.Sprintf("flood-%d", i), FileUniqueID: fmt.Sprintf("u-flood-%d", i), Width: 10, Height: 10}}
		}
		w.floodMessage(m)
	}

	// The bounds held.
	c, err := w.store.Complaint(w.ctx(), id)
	if err != nil {
		t.Fatalf("the flooded case cannot be read: %v", err)
	}
	captions := 0
	for _, e := range c.Evidence {
		captions += utf8.RuneCountInString(e.Caption)
	}
	if len(c.Evidence) != flows.MaxCaseEvidence || captions > flows.MaxCaseCaptions {
		t.Fatalf("evidence %d items, %d caption characters; want %d items, at most %d", len(c.Evidence), captions, flows.MaxCaseEvidence, flows.MaxCaseCaptions)
	}
	raw, _ := w.rc.Get(w.ctx(), "case:"+id).Result()
	decoded := len(storage.Readable(raw)) - len(raw)
	if decoded > storage.MaxRecord {
		t.Fatalf("the record decodes to %d bytes, over %d", decoded, storage.MaxRecord)
	}
	relayed := 0
	for _, call := range w.api.CallsToChat(forumChat) {
		if call.Method == "copyMessage" && call.Params["from_chat_id"] == fmt.Sprint(complainant) {
			relayed++
		}
	}
	hours := int(floodSpan/time.Hour) + 1
	if relayed == 0 || relayed > hours*flows.MaxRelaysPerHour {
		t.Fatalf("%d files relayed to staff over %d clock hours; at most %d an hour", relayed, hours, flows.MaxRelaysPerHour)
	}
	told := map[string]int{}
	for _, text := range w.userTexts(0) {
		switch {
		case strings.Contains(text, "达到每小时上限"):
			told["relay_limit"]++
		case strings.Contains(text, "达到一个案件的上限"):
			told["evidence_full"]++
		}
	}
	if told["relay_limit"] == 0 || told["evidence_full"] == 0 {
		t.Fatalf("the complainant was not told of the bounds: %v", told)
	}
	t.Logf("%d files: %d relayed, %d kept as evidence (%d caption characters), record %d bytes stored, %d decoded; told %v",
		floodFiles, relayed, len(c.Evidence), captions, len(raw), decoded, told)

	// Every staff command works, and names the damaged case alone.
	failed := w.text(flows.LangZH, "staff_failed", nil)
	for _, cmd := range []string{"/queue", "/stats", "/case " + id, "/case " + broken, "/cancel", "/pending", "/help"} {
		mark := w.seq()
		w.staffCommand(staffer, cmd)
		reply := w.wait(cmd, func(c fakeapi.Call) bool { return c.Seq > mark && c.ChatID == forumChat && c.Method == "sendMessage" })
		if reply.Params["text"] == failed {
			t.Errorf("%s failed", cmd)
		}
		if (cmd == "/queue" || cmd == "/stats" || cmd == "/case "+broken) && !strings.Contains(reply.Params["text"], broken) {
			t.Errorf("%s does not name the damaged case: %q", cmd, reply.Params["text"])
		}
		if cmd == "/queue" && !strings.Contains(reply.Params["text"], id) {
			t.Errorf("/queue lacks %s: %q", id, reply.Params["text"])
		}
	}
	mark := w.seq()
	w.staffCommand(staffer, "/export")
	export := w.wait("/export", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "sendDocument" })
	if csv := string(export.File("document").Data); !strings.Contains(csv, id) || !strings.Contains(export.Params["caption"], broken) {
		t.Errorf("the export lacks %s or does not name %s: %q", id, broken, export.Params["caption"])
	}
	// The resolve button, on the flooded case and on the damaged one.
	w.staffPress(staffer, th, "s:resolve:"+id)
	w.wait("the resolution told", func(c fakeapi.Call) bool {
		return c.ChatID == complainant && strings.Contains(c.Params["text"], "已处理完毕")
	})
	mark = w.seq()
	w.staffPress(staffer, brokenCard, "s:resolve:"+broken)
	alert := w.wait("the refusal", func(c fakeapi.Call) bool { return c.Seq > mark && c.Method == "answerCallbackQuery" })
	if want := w.text(flows.LangZH, "staff_refused_unreadable", nil); alert.Params["text"] != want {
		t.Errorf("resolving the damaged case answered %q; want %q", alert.Params["text"], want)
	}
	// The complainant's /status lists both cases, the damaged one by its id.
	mark = w.seq()
	w.floodMessage(&models.Message{Text: "/status", Date: int(clk.now().Unix())})
	status := w.wait("/status", func(c fakeapi.Call) bool {
		return c.Seq > mark && c.ChatID == complainant && strings.Contains(c.Params["text"], id)
	})
	if !strings.Contains(status.Params["text"], broken) || !strings.Contains(status.Params["text"], w.text(flows.LangZH, "status_resolved", nil)) {
		t.Errorf("/status = %q", status.Params["text"])
	}

	// A restart's sweep: one chat's outbox holds an entry that always fails, another an
	// evidence entry for the damaged case, a third a commit a crash left unflushed. The sweep
	// goes past the first two and carries out the third.
	entries := map[int64][]string{
		501: {`{"k":"bogus","i":"x1"}`},
		502: {`{"k":"evidence","i":"x2","c":"` + broken + `","ev":[{"k":"photo","f":"p","q":"u"}]}`},
		503: {`{"k":"store","i":"x3","c":"C-000050","r":{"id":"C-000050","chat":503,"st":"submitted"}}`},
	}
	for chat, ops := range entries {
		for _, o := range ops {
			w.rc.RPush(w.ctx(), fmt.Sprintf("{chat:%d}:outbox", chat), o)
		}
	}
	w.stop()
	n, err := w.store.Sweep(w.ctx())
	if n != 2 || err == nil || !strings.Contains(err.Error(), "1 left") {
		t.Errorf("sweep = %d, %v; want 2 emptied and 1 left", n, err)
	}
	if c, err := w.store.Complaint(w.ctx(), "C-000050"); err != nil || c.ID != "C-000050" {
		t.Errorf("the unflushed commit was not carried out: %+v %v", c, err)
	}
}

// floodMessage is userMessage with the message's date kept (the test's clock).
func (w *world) floodMessage(m *models.Message) {
	m.ID = int(w.msgs.Add(1))
	m.Chat = models.Chat{ID: complainant, Type: models.ChatTypePrivate}
	m.From = &models.User{ID: complainant, FirstName: "A", LanguageCode: "zh-hans"}
	w.process(&models.Update{Message: m})
}

// redisZ is a sorted set member.
func redisZ(score float64, member string) redis.Z { return redis.Z{Score: score, Member: member} }
