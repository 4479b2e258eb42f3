package botapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// NewTelegram returns go-telegram/bot's client for the bot with token at apiURL, sending
// through a copy of hc whose transport is wrapped in a Transport: every failure of its calls
// has an *Error in its chain. log receives go-telegram/bot's own complaints (a pipe that did
// not close), which it would otherwise print as plain text.
func NewTelegram(hc *http.Client, apiURL, token string, log *slog.Logger) (*tgbot.Bot, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := *hc
	c.Transport = NewTransport(c.Transport)
	return tgbot.New(token, tgbot.WithServerURL(apiURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(time.Minute, &c),
		tgbot.WithErrorsHandler(func(err error) { log.Warn("telegram client", "err", err) }))
}

// Transport is an http.RoundTripper for go-telegram/bot's client that answers its calls with
// *Error for every failure.
//
// It reads the whole answer first: an ok:true answer that is valid JSON goes on to
// go-telegram/bot unchanged; an error answer, an answer that is not JSON and a failure to
// send or read become an *Error, returned as the transport's error (go-telegram/bot and
// net/http wrap it with %w). A request body that fails while it is sent (go-telegram/bot
// could not build its multipart form) is an *Error with ErrRequest.
//
// It sends the request as go-telegram/bot streams it, chunked. Reading the body whole first
// (which app/telegram_transport.go did, for fewer writes) measured no faster and allocated four
// times the memory for an upload (BenchmarkGoTelegramSendDocument), and every update's calls go
// through Client, whose JSON bodies have a length anyway.
type Transport struct {
	next http.RoundTripper
}

// NewTransport returns a Transport sending through next (http.DefaultTransport when nil).
func NewTransport(next http.RoundTripper) *Transport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Transport{next: next}
}

// RoundTrip sends r and checks its answer.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/file/bot") {
		return t.next.RoundTrip(r) // a file download, not a Bot API method
	}
	method := path.Base(r.URL.Path)
	var body *watchedBody
	if r.Body != nil && r.Body != http.NoBody {
		body = &watchedBody{ReadCloser: r.Body}
		watched := *r // a RoundTripper must not change the caller's request
		watched.Body = body
		r = &watched
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		if berr := body.readErr(); berr != nil {
			return nil, &Error{Method: method, Err: fmt.Errorf("%w: %w", ErrRequest, berr)}
		}
		return nil, &Error{Method: method, Err: err}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	resp.Body.Close()
	if err != nil {
		return nil, &Error{Method: method, Err: err}
	}
	if e := check(method, resp.StatusCode, raw); e != nil {
		return nil, e
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	resp.ContentLength = int64(len(raw))
	return resp, nil
}

// watchedBody keeps the first error reading the request body returned, other than io.EOF.
// net/http may read it on a goroutine of its own.
type watchedBody struct {
	io.ReadCloser
	mu  sync.Mutex
	err error
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		b.mu.Lock()
		if b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
	}
	return n, err
}

// readErr is the error kept, or nil (also for a nil b).
func (b *watchedBody) readErr() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// okPrefix starts every successful answer Telegram gives.
var okPrefix = []byte(`{"ok":true,`)

// check returns nil for an ok:true answer and the *Error of any other.
func check(method string, status int, raw []byte) *Error {
	if bytes.HasPrefix(raw, okPrefix) && json.Valid(raw) {
		return nil
	}
	var a envelope
	if err := json.Unmarshal(raw, &a); err != nil {
		return malformed(method, status)
	}
	if a.OK {
		return nil
	}
	return answerError(method, status, &a)
}
