package app

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"complaintbot/internal/e2e"
	"complaintbot/internal/fakeapi"
	"complaintbot/storage"
)

// Markup a hostile complainant types into every free-text answer. Each must reach every
// message (as HTML, escaped) and every document (as XML, escaped) as the literal text typed.
const (
	injAgent   = `<b>代理</b><a href="https://evil.example/a">点我</a>`
	injDesc    = `</b></i><tg-spoiler>描述</tg-spoiler>&amp; <pre>x`
	injAddress = `深圳市<script>alert("地址")</script>`
	injCaption = `<u>截图</u></a>`
	injPhone   = "13912345678"
)

// hostileSteps is a whole complaint, escalated, with markup in every free-text answer.
func hostileSteps() []e2e.Step {
	return e2e.Script(lakalaFiles, map[string]string{"agent": injAgent, "sn": "WP2103456789", "description": injDesc,
		"caption": injCaption, "phone": injPhone, "address": injAddress},
		"intake", "photo", "contact", "confirm-staff", "escalate")
}

// docxText returns the XML of a .docx's body.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// escapedHTML is s as Telegram's HTML must carry it.
func escapedHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestHostileComplainant (issue 7, security): a complainant puts HTML and Telegram markup in
// every free-text answer and a caption, and hands the case to staff. Every message (to them and
// to staff: the review, the complaint text, the case card, the evidence caption) carries the
// text escaped, never as markup (the fake Bot API also rejects malformed HTML), and both .docx
// files carry it escaped as XML text. Then /delete erases them: a scan of the whole keyspace,
// compressed payloads decoded, finds none of their personal data, and the log never held it.
func TestHostileComplainant(t *testing.T) {
	p := startProgram(t, programOptions{Mode: e2e.Webhook, Env: map[string]string{
		"STAFF_CHAT_ID": fmt.Sprint(reliabilityStaffChat), "STAFF_CONSUMER": "hostile"}})
	ctx := testContext(t)
	u := p.TG.User(8001, "zh-hans")
	if err := u.Play(ctx, hostileSteps()...); err != nil {
		t.Fatal(err)
	}
	cases, err := p.store.Cases(ctx, u.ID)
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases %v, %v", cases, err)
	}
	id := cases[0].ID
	if _, err := p.API.WaitFor(ctx, func(c fakeapi.Call) bool {
		return c.Method == "sendDocument" && c.ChatID == reliabilityStaffChat && strings.Contains(c.Params["caption"], id)
	}); err != nil {
		t.Fatal(err)
	}
	all := func(chat int64) (html, docs string) {
		var h, d strings.Builder
		for _, m := range e2e.Messages(p.API, chat) {
			h.WriteString(m.Text + "\n")
			if m.Document != nil {
				d.WriteString(docxText(t, m.Document.Data))
			}
		}
		for _, c := range p.API.CallsToChat(chat) {
			if c.Method == "sendPhoto" || c.Method == "sendMediaGroup" {
				h.WriteString(c.Params["caption"] + c.Params["media"] + "\n")
			}
		}
		return h.String(), d.String()
	}
	userHTML, userDocs := all(u.ID)
	staffHTML, staffDocs := all(reliabilityStaffChat)
	hasEscaped := func(html, s string) bool {
		return strings.Contains(html, escapedHTML(s)) || strings.Contains(html, strings.ReplaceAll(escapedHTML(s), "&#34;", `"`))
	}
	// the staff card leaves out the story and the address (they are in the .docx); the caption
	// is relayed
	if !hasEscaped(staffHTML, injCaption) {
		t.Errorf("the staff's messages lack the caption escaped")
	}
	for _, s := range []string{injAgent, injDesc, injAddress, injCaption} {
		for where, html := range map[string]string{"the user's messages": userHTML, "the staff's messages": staffHTML} {
			if strings.Contains(html, s) {
				t.Errorf("%s carry %q unescaped", where, s)
			}
		}
		if s != injCaption && !hasEscaped(userHTML, s) {
			t.Errorf("the user's messages (the review, the complaint text) lack %q escaped", s)
		}
		for where, xml := range map[string]string{"the user's .docx": userDocs, "the staff's .docx": staffDocs} {
			if strings.Contains(xml, s) {
				t.Errorf("%s carries %q as markup", where, s)
			}
			if !strings.Contains(xml, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(strings.SplitN(s, `"`, 2)[0])) {
				t.Errorf("%s lacks %q escaped", where, s)
			}
		}
	}
	if t.Failed() {
		t.Logf("staff messages:\n%s", staffHTML)
	}

	if n, err := p.Redis.Client(t).MemoryUsage(ctx, fmt.Sprintf("{chat:%d}:r", u.ID)).Result(); err == nil {
		t.Logf("the kept replies of the chat's last update take %d bytes", n)
	}

	// /delete, then nothing personal anywhere in Redis
	if err := u.Play(ctx, e2e.Say("/delete", "确定要删除您的全部数据吗"), e2e.Press("!yes", "您的个人数据已全部删除")); err != nil {
		t.Fatal(err)
	}
	personal := []string{"张三", injPhone, "代理", "描述", "alert(", "截图", "WP2103456789", fmt.Sprintf("photo-%d-", u.ID)}
	rdb := redis.NewClient(p.Redis.Options())
	defer rdb.Close()
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for { // the outbox flush scrubs the case right after the commit; wait for it
		found := scanKeyspace(t, waitCtx, rdb, personal)
		if len(found) == 0 {
			break
		}
		select {
		case <-waitCtx.Done():
			t.Fatalf("after /delete the keyspace still holds: %v", found)
		case <-time.After(50 * time.Millisecond):
		}
	}
	p.stop(append(personal, injAgent, injDesc)...)
}

// scanKeyspace returns "key: string" for each of the strings found in any key or value.
func scanKeyspace(t *testing.T, ctx context.Context, rdb *redis.Client, find []string) []string {
	t.Helper()
	var found []string
	it := rdb.Scan(ctx, 0, "*", 200).Iterator()
	for it.Next(ctx) {
		key := it.Val()
		var parts []string
		switch rdb.Type(ctx, key).Val() {
		case "string":
			parts = append(parts, storage.Readable(rdb.Get(ctx, key).Val()))
		case "hash":
			for k, v := range rdb.HGetAll(ctx, key).Val() {
				parts = append(parts, k, storage.Readable(v))
			}
		case "list":
			parts = rdb.LRange(ctx, key, 0, -1).Val()
		case "set":
			parts = rdb.SMembers(ctx, key).Val()
		case "zset":
			parts = rdb.ZRange(ctx, key, 0, -1).Val()
		case "stream":
			for _, m := range rdb.XRange(ctx, key, "-", "+").Val() {
				for k, v := range m.Values {
					parts = append(parts, k, fmt.Sprint(v))
				}
			}
		}
		v := key + "\n" + strings.Join(parts, "\n")
		for _, s := range find {
			if strings.Contains(v, s) {
				found = append(found, key+": "+s)
			}
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return found
}
