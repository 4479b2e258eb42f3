package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// wholeBodies sends every request with its body in one piece. go-telegram/bot streams each
// request's multipart form through a pipe, so net/http sends it chunked, one chunk per form
// part, and flushes every chunk: a sendMessage cost about ten write system calls, a fifth of
// the bot's CPU under load (bench/BENCHMARKS.md). Read whole, the body gets a Content-Length
// and the request leaves in one write. The bodies are small: the largest is a complaint's .docx.
type wholeBodies struct{ next http.RoundTripper }

// RoundTrip reads the body of a request of unknown length, then sends the request with it.
func (t wholeBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > 0 {
		return t.next.RoundTrip(r)
	}
	// Most bodies (a message with its keyboard) fit the first 4 KB; io.ReadAll would start at
	// 512 bytes and grow through every size on the way.
	var buf bytes.Buffer
	buf.Grow(4 << 10)
	_, err := buf.ReadFrom(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	b := buf.Bytes()
	whole := *r // a RoundTripper must not change the caller's request
	whole.Body = io.NopCloser(bytes.NewReader(b))
	whole.ContentLength = int64(len(b))
	whole.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return t.next.RoundTrip(&whole)
}
