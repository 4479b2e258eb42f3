package app

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"time"
)

// stalled describes, for a test whose users waited in vain for the bot, where the bot stands
// with each of their chats (chatReport), then the program's goroutines and the end of its
// log. A stall seen once in CI is then explained by its own output.
func (p *program) stalled(chats ...int64) string {
	var b strings.Builder
	for _, chat := range chats {
		p.chatReport(&b, chat)
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		// the program's own goroutines, not the test's or the runtime's
		if strings.Contains(g, "complaintbot/bot.") || strings.Contains(g, "complaintbot/storage.") ||
			strings.Contains(g, "complaintbot/telegram/") || strings.Contains(g, "complaintbot/staff.") {
			b.WriteString(g)
			b.WriteString("\n\n")
		}
	}
	log := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
	b.WriteString("the log's end:\n")
	for _, l := range log[max(0, len(log)-40):] {
		b.WriteString(l)
		b.WriteString("\n")
	}
	return b.String()
}

// chatReport writes where the bot stands with chat: its stored session, when getUpdates first
// carried each of its updates, and every Bot API call concerning it, delivered or faulted, with
// the time and the fault.
func (p *program) chatReport(b *strings.Builder, chat int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s, err := p.store.Load(ctx, chat); err == nil {
		fmt.Fprintf(b, "chat %d: session at %s, version %d, prompt %d, pending %q\n", chat, s.State, s.Version, s.Prompt, s.Pending)
	} else {
		fmt.Fprintf(b, "chat %d: session not read: %v\n", chat, err)
	}
	press := fmt.Sprintf("cb-%d-", chat)
	line := func(kind string, c callView) {
		fmt.Fprintf(b, "  %s %s #%d %s fault=%q %q\n", kind, c.at.Format("15:04:05.000"), c.seq, c.method, c.fault, c.text)
	}
	polled := map[int64]bool{}
	for _, c := range p.API.Calls() {
		switch {
		case c.Method == "getUpdates":
			// each of the chat's updates, when getUpdates first carried it
			var ups []struct {
				ID      int64 `json:"update_id"`
				Message *struct {
					Chat struct{ ID int64 } `json:"chat"`
					Text string             `json:"text"`
				} `json:"message"`
				Press *struct {
					From struct{ ID int64 } `json:"from"`
					Data string             `json:"data"`
				} `json:"callback_query"`
			}
			if json.Unmarshal(c.Result, &ups) != nil {
				continue
			}
			for _, u := range ups {
				what := ""
				switch {
				case u.Message != nil && u.Message.Chat.ID == chat:
					what = "message " + u.Message.Text
				case u.Press != nil && u.Press.From.ID == chat:
					what = "press " + u.Press.Data
				}
				if what != "" && !polled[u.ID] {
					polled[u.ID] = true
					line("polled", view(c.Seq, c.Received, fmt.Sprintf("update %d", u.ID), "", what))
				}
			}
		case c.ChatID == chat || strings.HasPrefix(c.Params["callback_query_id"], press):
			line("call", view(c.Seq, c.Received, c.Method, string(c.Fault.Kind), c.Params["text"]+c.Params["callback_query_id"]))
		}
	}
	for _, c := range p.API.Faults() {
		if c.ChatID == chat || strings.HasPrefix(c.Params["callback_query_id"], press) {
			line("fault", view(c.Seq, c.Received, c.Method, string(c.Fault.Kind), c.Params["text"]+c.Params["callback_query_id"]))
		}
	}
}

// callView is one call as stalled prints it.
type callView struct {
	seq                 int64
	at                  time.Time
	method, fault, text string
}

// view makes a callView, its text cut to 60 characters.
func view(seq int64, at time.Time, method, fault, text string) callView {
	if r := []rune(text); len(r) > 60 {
		text = string(r[:60]) + "…"
	}
	return callView{seq: seq, at: at, method: method, fault: fault, text: text}
}
