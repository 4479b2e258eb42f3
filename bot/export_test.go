package bot

// ChatState counts what the bot holds per chat: queued or running chats, chats marked failing,
// chats told to retry, albums waiting for their acknowledgement, and the flood limiter's chats.
func (b *Bot) ChatState() (queued, failing, told, albums, flood int) {
	b.queue.mu.Lock()
	queued = len(b.queue.chats)
	b.queue.mu.Unlock()
	b.mu.Lock()
	failing, told = len(b.failing), len(b.toldRetry)
	b.mu.Unlock()
	b.albums.mu.Lock()
	albums = len(b.albums.pending)
	b.albums.mu.Unlock()
	b.flood.mu.Lock()
	flood = len(b.flood.chats)
	b.flood.mu.Unlock()
	return queued, failing, told, albums, flood
}
