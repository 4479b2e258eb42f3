package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWholeBodies checks that a streamed body leaves with a Content-Length, whole.
func TestWholeBodies(t *testing.T) {
	const body = "--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n--b--\r\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		if r.ContentLength != int64(len(body)) || len(r.TransferEncoding) > 0 || string(got) != body {
			t.Errorf("length %d, transfer encoding %v, body %q", r.ContentLength, r.TransferEncoding, got)
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	client := &http.Client{Transport: newWholeBodies(http.DefaultTransport)}
	pr, pw := io.Pipe()
	go func() {
		for _, part := range strings.SplitAfter(body, "\n") {
			pw.Write([]byte(part))
		}
		pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, srv.URL, pr)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
