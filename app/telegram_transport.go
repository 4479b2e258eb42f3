package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// wholeBodies sends every request with its body in one piece. go-telegram/bot streams each
// request's multipart form through a pipe, so net/http sends it chunked, one chunk per form
// part, and flushes every chunk: a sendMessage cost about ten write system calls, a fifth of
// the bot's CPU under load (`bench/run.sh profile`). Read whole, the body gets a Content-Length
// and the request leaves in one write. The bodies are small: the largest is a complaint's .docx.
type wholeBodies struct {
	next http.RoundTripper
	bufs *sync.Pool // of *[]byte, read buffers
}

// newWholeBodies returns a wholeBodies sending through next.
func newWholeBodies(next http.RoundTripper) wholeBodies {
	return wholeBodies{next: next, bufs: &sync.Pool{}}
}

// RoundTrip reads the body of a request of unknown length, then sends the request with it.
func (t wholeBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > 0 {
		return t.next.RoundTrip(r)
	}
	b, err := t.readAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	whole := *r // a RoundTripper must not change the caller's request
	whole.Body = io.NopCloser(bytes.NewReader(b))
	whole.ContentLength = int64(len(b))
	whole.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return t.next.RoundTrip(&whole)
}

// readAll reads r to its end into a buffer kept between requests and returns a copy of
// exactly the body's size: io.ReadAll starts at 512 bytes and doubles its way up, and the
// collector pays for every step.
func (t wholeBodies) readAll(r io.Reader) ([]byte, error) {
	bp, _ := t.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, 0, 16<<10)
		bp = &b
	}
	b := (*bp)[:0]
	defer func() { *bp = b[:0]; t.bufs.Put(bp) }()
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return bytes.Clone(b), nil
		}
		if err != nil {
			return nil, err
		}
	}
}
