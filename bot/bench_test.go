package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"complaintbot/bot"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/internal/script"
	"complaintbot/locales"
	"complaintbot/telegram/botapi"
)

// memStore is a Store in memory: what is left of an update's path once Redis is taken away.
// It gives finished complaints their ids as storage does.
type memStore struct {
	mu       sync.Mutex
	sessions map[int64]flows.Session
	cases    int
}

func (m *memStore) Apply(ctx context.Context, chat, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, flows.Committed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[chat]
	if !ok {
		s = flows.NewSession(chat)
	}
	res, err := step(s)
	if err != nil {
		return flows.Result{}, flows.Committed{}, err
	}
	res.Session.Chat, res.Session.Version = chat, s.Version+1
	c := flows.Committed{Session: res.Session}
	for i, e := range res.Effects {
		if e.Kind == flows.EffectStore {
			m.cases++
			k := *e.Complaint
			k.ID = fmt.Sprintf("C-%06d", m.cases)
			res.Effects[i].Complaint = &k
			c.CaseID, res.Session.LastCase = k.ID, k.ID
			c.Session.LastCase = k.ID
		}
	}
	m.sessions[chat] = res.Session
	return res, c, nil
}

func (m *memStore) Cases(context.Context, int64) ([]flows.Complaint, error) { return nil, nil }
func (m *memStore) Ping(context.Context) error                              { return nil }

// forget drops a chat's session, so that it starts again.
func (m *memStore) forget(chat int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, chat)
}

// prompt is the chat's prompt counter, which a button's callback data carries.
func (m *memStore) prompt(chat int64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessions[chat].Prompt
}

// nopSender sends nothing: the request to Telegram is never built. (answerCallbackQuery does
// not go through the Sender; okTransport answers it.)
type nopSender struct{}

func (nopSender) Do(context.Context, int64, func(context.Context) error) error { return nil }

// okTransport answers every Bot API request with success, without a network.
type okTransport struct{}

func (okTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"ok":true,"result":true}`)), Request: r}, nil
}

const benchSecret = "bench-secret-0123456789"

// callSender makes every call at once, and okTransport answers it.
type callSender struct{}

func (callSender) Do(ctx context.Context, _ int64, call func(context.Context) error) error {
	return call(ctx)
}

// benchBot is a bot on a memStore and a nopSender.
func benchBot(b testing.TB) (*bot.Bot, *memStore) {
	return benchBotWith(b, nopSender{})
}

// benchBotWith is benchBot on sender, its Bot API calls answered by okTransport.
func benchBotWith(b testing.TB, sender bot.Sender) (*bot.Bot, *memStore) {
	b.Helper()
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		b.Fatal(err)
	}
	// The one call that bypasses the Sender, answerCallbackQuery, is answered in-process.
	tg, err := botapi.NewTelegram(&http.Client{Transport: okTransport{}}, "https://api.telegram.org", "123456:bench-token-abcdefgh", nil)
	if err != nil {
		b.Fatal(err)
	}
	store := &memStore{sessions: map[int64]flows.Session{}}
	// UserRate off: the benchmark replays one chat far faster than a person types.
	cfg := bot.Config{WebhookSecret: benchSecret, Location: time.FixedZone("CST", 8*3600), UserRate: rate.Inf}
	bt, err := bot.New(cfg, bot.Deps{Telegram: tg, Store: store, Sender: sender, Catalog: cat, Docs: docs,
		HTTPClient: &http.Client{Transport: okTransport{}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(bt.Shutdown)
	return bt, store
}

// benchAction is one thing the benchmark user does: a press (press set) or a message.
type benchAction struct {
	press string // a button's action
	text  string // a message: text or a command
	photo bool
}

// benchScript is the typical complaint, the shared script consumer-lakala, without a staff chat.
func benchScript(b testing.TB) []benchAction {
	b.Helper()
	var as []benchAction
	for _, a := range script.MustLoad("consumer-lakala", nil).Actions {
		switch a.Verb {
		case script.Say:
			as = append(as, benchAction{text: a.Arg})
		case script.Press:
			as = append(as, benchAction{press: a.Arg})
		case script.Photo:
			as = append(as, benchAction{photo: true, text: a.Arg})
		default:
			b.Fatalf("%s: the benchmark cannot play %s", a.Where, a.Verb)
		}
	}
	return as
}

// benchUpdate is the update for action a in chat; data is a press's callback data.
func benchUpdate(id, chat int64, a benchAction, data string) *models.Update {
	user := &models.User{ID: chat, FirstName: "Bench", LanguageCode: "zh-hans"}
	c := models.Chat{ID: chat, Type: models.ChatTypePrivate}
	date := int(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC).Unix())
	u := &models.Update{ID: id}
	switch {
	case a.press != "":
		u.CallbackQuery = &models.CallbackQuery{ID: strconv.FormatInt(id, 10), From: *user, Data: data,
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
				Message: &models.Message{ID: int(id), Chat: c, Date: date}}}
	case a.photo:
		u.Message = &models.Message{ID: int(id), From: user, Chat: c, Date: date, Caption: a.text,
			Photo: []models.PhotoSize{{FileID: "AgAC-photo", FileUniqueID: "AQAD-photo", Width: 720, Height: 1280, FileSize: 98000}}}
	default:
		u.Message = &models.Message{ID: int(id), From: user, Chat: c, Date: date, Text: a.text}
	}
	return u
}

// benchUpdates plays the script once in chat and returns its updates, with the callback data
// each press carried; the conversation is deterministic, so they serve every later run.
func benchUpdates(b testing.TB, bt *bot.Bot, store *memStore, chat int64) []*models.Update {
	b.Helper()
	ctx := context.Background()
	var ups []*models.Update
	for i, a := range benchScript(b) {
		var data string
		if a.press != "" {
			data = strconv.Itoa(store.prompt(chat)) + ":" + a.press
		}
		u := benchUpdate(int64(i+1), chat, a, data)
		if err := bt.Process(ctx, u); err != nil {
			b.Fatal(err)
		}
		ups = append(ups, u)
	}
	store.mu.Lock()
	s := store.sessions[chat]
	store.mu.Unlock()
	if s.State != flows.StateClosed || s.LastCase == "" {
		b.Fatalf("the script ended in %s with case %q", s.State, s.LastCase)
	}
	store.forget(chat)
	return ups
}

// BenchmarkProcess measures an update's whole path without the network: Classify, the chat's
// queue, flows.Step in Store.Apply, rendering the replies (and at the end the 投诉书 as text and
// .docx) and handing them to the Sender. One op is a whole complaint; ns/update is the mean.
func BenchmarkProcess(b *testing.B) {
	bt, store := benchBot(b)
	const chat = 4242
	ups := benchUpdates(b, bt, store, chat)
	ctx := context.Background()
	id := int64(len(ups))
	b.ReportAllocs()
	per := perUpdate(b, len(ups))
	for b.Loop() {
		for _, u := range ups {
			id++
			u.ID = id // a fresh update, not a redelivery
			if err := bt.Process(ctx, u); err != nil {
				b.Fatal(err)
			}
		}
		store.forget(chat)
	}
	per()
}

// perUpdate reports the benchmark's time, bytes and allocations per update, each op being
// updates updates; call the function it returns when the loop is done.
func perUpdate(b *testing.B, updates int) func() {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	return func() {
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		n := float64(b.N * updates)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/update")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/update")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/update")
	}
}

// discard is a ResponseWriter that keeps the status only: the HTTP server's own writer, which
// reuses its buffers, is not what the benchmark measures.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }

// BenchmarkServeHTTP is BenchmarkProcess through the webhook handler: the secret, the JSON
// update decoded, the answer written.
func BenchmarkServeHTTP(b *testing.B) {
	bt, store := benchBot(b)
	const chat = 4343
	var bodies [][]byte // each update's JSON after its update_id
	for _, u := range benchUpdates(b, bt, store, chat) {
		body, err := json.Marshal(u)
		if err != nil {
			b.Fatal(err)
		}
		_, rest, ok := bytes.Cut(body, []byte(","))
		if !ok || !bytes.HasPrefix(body, []byte(`{"update_id":`)) {
			b.Fatalf("update JSON %s", body)
		}
		bodies = append(bodies, rest)
	}
	id := int64(len(bodies))
	ctx := context.Background()
	w := &discard{h: http.Header{}}
	var body []byte
	b.ReportAllocs()
	per := perUpdate(b, len(bodies))
	for b.Loop() {
		for _, rest := range bodies {
			id++ // a fresh update, not a redelivery
			body = append(strconv.AppendInt(append(body[:0], `{"update_id":`...), id, 10), ',')
			body = append(body, rest...)
			// what the server hands the handler: a request read from the connection
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/webhook", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", benchSecret)
			clear(w.h)
			bt.ServeHTTP(w, req)
			if w.code != http.StatusOK {
				b.Fatalf("HTTP %d", w.code)
			}
		}
		store.forget(chat)
	}
	per()
}
