package bot_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/go-telegram/bot/models"
)

// TestMemoryFlatInFinishedChats: the bot keeps nothing for a chat whose complaint is finished
// (no queue, limiter, failure or album entry), so its heap after 600 finished chats is where it
// was after 200. Sessions live in the Store, which the test empties of each finished chat.
func TestMemoryFlatInFinishedChats(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 600 complaints")
	}
	bt, store := benchBot(t)
	ups := benchUpdates(t, bt, store, 1)
	ctx := context.Background()
	id := int64(len(ups))
	play := func(from, to int64) {
		for chat := from; chat < to; chat++ {
			for _, u := range ups {
				id++
				u.ID = id
				setChat(u, chat)
				if err := bt.Process(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			store.forget(chat)
		}
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC() // pooled buffers survive one collection
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	play(2, 202)
	before := heap()
	play(202, 602)
	after := heap()
	grew := int64(after) - int64(before)
	t.Logf("heap after 200 chats %d B, after 600 %d B: %+d B, %.0f B per chat", before, after, grew, float64(grew)/400)
	if grew > 100<<10 {
		t.Errorf("the heap grew by %d B over 400 finished chats, want it flat", grew)
	}
	if q, f, told, a, fl := bt.ChatState(); q+f+told+a+fl != 0 {
		t.Errorf("per-chat state left after the chats finished: queue %d, failing %d, told %d, albums %d, flood %d", q, f, told, a, fl)
	}
}

// setChat moves update u to chat (the user is the chat, as in a private chat).
func setChat(u *models.Update, chat int64) {
	switch {
	case u.CallbackQuery != nil:
		u.CallbackQuery.From.ID = chat
		u.CallbackQuery.Message.Message.Chat.ID = chat
	case u.Message != nil:
		u.Message.Chat.ID = chat
		u.Message.From.ID = chat
	}
}
