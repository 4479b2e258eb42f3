// Package fakeapi is a fake Telegram Bot API on a loopback httptest server, for tests and the
// load generator.
//
// It accepts what github.com/go-telegram/bot sends (multipart/form-data for every method) as
// well as JSON and URL-encoded bodies, records every call with its parameters and uploaded
// files, answers with plausible Telegram result objects, long-polls getUpdates over a queue
// the test fills with PushUpdate, serves getFile and file downloads, and injects faults
// (5xx, 429 with retry_after, 403 blocked, dropped connections, hangs, delays, malformed
// JSON) through a hook so reliability tests can prove that nothing is lost or doubled.
//
// A call counts as delivered only when the fake answered it normally: faulted calls are kept
// apart (see Server.Faults), so "every message arrived exactly once" is a question about
// Server.Calls alone.
package fakeapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a Server. The zero value is ready to use.
type Options struct {
	// Addr is the loopback address to listen on; default "127.0.0.1:0" (a free port).
	// Start refuses a host that is not a loopback address.
	Addr string
	// Token, when set, is the only bot token accepted; other tokens get 401 Unauthorized,
	// as Telegram answers. When empty every token is accepted.
	Token string
	// BotUsername is the username getMe reports; default "fake_complaint_bot".
	BotUsername string
	// Fault, when set, is asked about every request before it is answered. See SetFault.
	Fault func(Call) Fault
	// Latency delays every answer to the named methods (case-insensitive) by a fixed time.
	Latency map[string]time.Duration
	// MaxUpdatesPerPoll caps how many updates one getUpdates answer carries when the
	// request does not ask for fewer; default 100, Telegram's maximum.
	MaxUpdatesPerPoll int
	// OnCall, when set, is given every delivered call as soon as it is recorded and before it
	// is answered, so a caller that waits for the bot's messages (the load generator) needs
	// neither WaitFor nor a scan of Calls. It runs on the request's goroutine, without the
	// server's lock, and must be quick and safe for concurrent use.
	OnCall func(Call)
	// Forget keeps no delivered calls (Calls, CallsFor and WaitFor see none), so that memory
	// stays flat under sustained load; OnCall still sees every call.
	Forget bool
}

// Server is a running fake Bot API. All its methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	token    string
	username string
	maxPoll  int

	closed    chan struct{}
	closeOnce sync.Once

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever a call or update is recorded
	seq       int64
	calls     []Call
	resets    int
	faults    []Call
	fault     func(Call) Fault
	latency   map[string]time.Duration
	messageID map[string]int // next message id per chat_id parameter
	threadID  map[string]int // next forum topic id per chat_id parameter
	members   map[member]string
	files     map[string]*storedFile // by file_id
	paths     map[string]string      // file_path -> file_id
	fileSeq   int
	updates   []queuedUpdate // not yet confirmed by a getUpdates offset
	updateSeq int64
	webhook   Webhook
	proxy     string     // where Deliver posts instead of the webhook's scheme and host; "" for none
	onCall    func(Call) // Options.OnCall
	forget    bool       // Options.Forget
}

type member struct{ chat, user int64 }

type storedFile struct {
	id, uniqueID, path string
	data               []byte
}

type queuedUpdate struct {
	id  int64
	raw json.RawMessage
}

// Webhook is what the bot last registered with setWebhook.
type Webhook struct {
	URL            string
	SecretToken    string
	AllowedUpdates string // raw JSON array as sent, "" when not given
	MaxConnections string // as sent, "" when not given
}

// New starts a Server for a test or benchmark and closes it when tb's test ends. tb may be nil
// (then the caller closes the server); a start-up failure is fatal to tb, or panics without
// one. Programs that want the error use Start.
func New(tb testing.TB, opts Options) *Server {
	if tb != nil {
		tb.Helper()
	}
	s, err := Start(opts)
	if err != nil {
		if tb == nil {
			panic(err)
		}
		tb.Fatalf("fakeapi: %v", err)
	}
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Start starts a Server on a loopback address. The caller must Close it.
func Start(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("start fake bot api: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("start fake bot api: address %q is not loopback", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("start fake bot api: %w", err)
	}
	s := &Server{
		token:     opts.Token,
		username:  opts.BotUsername,
		maxPoll:   opts.MaxUpdatesPerPoll,
		closed:    make(chan struct{}),
		changed:   make(chan struct{}),
		fault:     opts.Fault,
		latency:   map[string]time.Duration{},
		messageID: map[string]int{},
		threadID:  map[string]int{},
		members:   map[member]string{},
		files:     map[string]*storedFile{},
		paths:     map[string]string{},
		onCall:    opts.OnCall,
		forget:    opts.Forget,
	}
	if s.username == "" {
		s.username = "fake_complaint_bot"
	}
	if s.maxPoll <= 0 {
		s.maxPoll = 100
	}
	for m, d := range opts.Latency {
		s.latency[strings.ToLower(m)] = d
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Listener = ln
	s.srv.Start()
	return s, nil
}

// URL is the base URL of the fake, for tgbot.WithServerURL or TELEGRAM_API_URL.
func (s *Server) URL() string { return s.srv.URL }

// Close wakes every pending long poll and hung request, then shuts the server down. It is
// safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// SetFault replaces the fault hook. f is called once per request, outside the server's lock
// (it may call the Server's accessors), after the request is parsed and before it is
// answered; the zero Fault means answer normally. f must be safe for concurrent use. A nil f
// turns fault injection off.
func (s *Server) SetFault(f func(Call) Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetLatency makes every answer to method (case-insensitive) wait d first; 0 removes it.
func (s *Server) SetLatency(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.latency, strings.ToLower(method))
		return
	}
	s.latency[strings.ToLower(method)] = d
}

// SetMember sets the status getChatMember reports for user in chat: "creator",
// "administrator", "member", "restricted", "left" or "kicked". Users never set are "left".
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[member{chatID, userID}] = status
}

// Webhook returns what the bot last registered with setWebhook (zero after deleteWebhook).
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// AddFile registers a file the bot can fetch: getFile with fileID answers a file_path, and
// downloading that path returns content. It returns the file_path.
func (s *Server) AddFile(fileID string, content []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeFileLocked(fileID, "documents", "", content).path
}

// File returns the bytes stored under fileID: files added with AddFile and files the bot
// uploaded (their file_id is in the recorded call's Result).
func (s *Server) File(fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[fileID]
	if !ok {
		return nil, false
	}
	return f.data, true
}

// storeFileLocked stores data under id (a new id when empty). s.mu must be held.
func (s *Server) storeFileLocked(id, dir, name string, data []byte) *storedFile {
	s.fileSeq++
	if id == "" {
		id = fmt.Sprintf("fake-file-%d", s.fileSeq)
	}
	if old, ok := s.files[id]; ok {
		delete(s.paths, old.path)
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.ContainsAny(name[i:], "/\\") {
		ext = name[i:]
	}
	f := &storedFile{
		id:       id,
		uniqueID: fmt.Sprintf("fake-unique-%d", s.fileSeq),
		path:     fmt.Sprintf("%s/file_%d%s", dir, s.fileSeq, ext),
		data:     append([]byte(nil), data...),
	}
	s.files[id] = f
	s.paths[f.path] = id
	return f
}

// serveHTTP routes /bot<token>/<method> and /file/bot<token>/<path>.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		token, filePath, found := strings.Cut(rest, "/")
		if !found {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		s.serveFile(w, r, token, filePath)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	token, method, found := strings.Cut(rest, "/")
	if !found || method == "" || strings.Contains(method, "/") {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	if s.token != "" && token != s.token {
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	received := time.Now()
	params, files, err := parseParams(r)
	c := s.newCall(method, params, files, received)
	if err != nil {
		c.Fault = Fault{Kind: FaultStatus, Status: http.StatusBadRequest, Description: "Bad Request: " + err.Error()}
		s.recordFault(c)
		writeFault(w, c.Fault)
		return
	}
	s.answer(w, r, c, func() (json.RawMessage, *apiError) { return s.dispatch(r.Context(), c) }, nil)
}

// serveFile serves a download. It is recorded as a call to the pseudo-method MethodFile.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, token, filePath string) {
	if s.token != "" && token != s.token {
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	s.mu.Lock()
	s.seq++
	c := Call{Seq: s.seq, Method: MethodFile, Params: map[string]string{"file_path": filePath}, Received: time.Now()}
	s.mu.Unlock()
	var data []byte
	s.answer(w, r, c, func() (json.RawMessage, *apiError) {
		s.mu.Lock()
		defer s.mu.Unlock()
		id, ok := s.paths[filePath]
		if !ok {
			return nil, &apiError{code: http.StatusNotFound, description: "Not Found"}
		}
		data = s.files[id].data
		return nil, nil
	}, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	})
}

// apiError is a Telegram error answer produced by a method itself (not by a fault).
type apiError struct {
	code        int
	description string
}

// answer applies latency and the fault hook, then runs handle and writes its result (with
// write when not nil, as a JSON "result" otherwise). The call is recorded as delivered only
// when handle ran and succeeded.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c Call, handle func() (json.RawMessage, *apiError), write func(http.ResponseWriter)) {
	s.mu.Lock()
	hook := s.fault
	latency := s.latency[strings.ToLower(c.Method)]
	s.mu.Unlock()

	var f Fault
	if hook != nil {
		f = hook(c)
	}
	c.Fault = f
	// A hang is recorded as one even when the client gave up first (it may, as soon as the
	// fault hook has seen the call).
	if !s.sleep(r.Context(), latency+f.Delay) && f.Kind != FaultHang {
		c.Fault.Kind = FaultClientGone
		s.recordFault(c)
		return
	}
	switch f.Kind {
	case FaultNone, FaultLostAnswer:
	case FaultDrop:
		s.recordFault(c)
		dropConnection(w)
		return
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		s.recordFault(c)
		dropConnection(w)
		return
	default:
		s.recordFault(c)
		writeFault(w, f)
		return
	}

	result, apiErr := handle()
	if apiErr != nil {
		c.Fault = Fault{Kind: FaultStatus, Status: apiErr.code, Description: apiErr.description}
		s.recordFault(c)
		writeError(w, apiErr.code, apiErr.description)
		return
	}
	c.Result = result
	c.Answered = time.Now()
	if c.Method != "getUpdates" || len(result) > 2 {
		// Empty long polls are not worth a record: a polling bot makes one per timeout.
		s.record(c)
	}
	if f.Kind == FaultLostAnswer {
		dropConnection(w)
		return
	}
	if write != nil {
		write(w)
		return
	}
	writeResult(w, result)
}

// newCall numbers a call as it arrives and reads its chat and thread from its parameters.
func (s *Server) newCall(method string, params map[string]string, files []File, received time.Time) Call {
	s.mu.Lock()
	s.seq++
	c := Call{Seq: s.seq, Method: method, Params: params, Files: files, Received: received}
	s.mu.Unlock()
	c.ChatID, _ = strconv.ParseInt(params["chat_id"], 10, 64)
	c.ThreadID, _ = strconv.Atoi(params["message_thread_id"])
	return c
}

// sleep waits d unless the request ends or the server closes first; it reports whether the
// full time passed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

// record appends a delivered call and wakes waiters, then hands it to OnCall.
func (s *Server) record(c Call) {
	s.mu.Lock()
	if !s.forget {
		s.calls = append(s.calls, c)
		s.notifyLocked()
	}
	s.mu.Unlock()
	if s.onCall != nil {
		s.onCall(c)
	}
}

// recordFault appends a faulted (undelivered) call and wakes waiters.
func (s *Server) recordFault(c Call) {
	if c.Fault.Kind == FaultNone {
		c.Fault.Kind = FaultStatus
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, c)
	s.notifyLocked()
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// dropConnection closes the TCP connection without an answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakeapi: response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

func writeResult(w http.ResponseWriter, result json.RawMessage) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"ok":true,"result":%s}`, result)
}

func writeError(w http.ResponseWriter, code int, description string) {
	writeFault(w, Fault{Kind: FaultStatus, Status: code, Description: description})
}

// writeFault writes the Telegram-style error answer for f.
func writeFault(w http.ResponseWriter, f Fault) {
	w.Header().Set("Content-Type", "application/json")
	status, body := f.response()
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
