package fakeapi_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"complaintbot/internal/fakeapi"
)

func TestAddPhotoDownloadedAsTelegramServesIt(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{Token: token})
	ctx := ctxT(t)
	jpeg := []byte("\xff\xd8\xff\xe0 a screenshot")
	path := srv.AddPhoto("AgACAgUAAxkBAAI-photo", jpeg)
	if !strings.HasPrefix(path, "photos/") || !strings.HasSuffix(path, ".jpg") {
		t.Errorf("file_path = %q, want photos/….jpg", path)
	}
	f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: "AgACAgUAAxkBAAI-photo"})
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	if f.FilePath != path || f.FileSize != int64(len(jpeg)) || f.FileUniqueID == "" {
		t.Errorf("file = %+v, want path %s size %d", f, path, len(jpeg))
	}
	if got := download(t, b.FileDownloadLink(f)); !bytes.Equal(got, jpeg) {
		t.Errorf("download = %q, want %q", got, jpeg)
	}
	calls := srv.CallsFor(fakeapi.MethodFile)
	if len(calls) != 1 || calls[0].Params["file_path"] != path {
		t.Errorf("recorded downloads = %+v, want one of %s", calls, path)
	}
}

func TestGetFileOver20MBIsTooBig(t *testing.T) {
	srv, b := newBot(t, fakeapi.Options{}, tgbot.WithSkipGetMe())
	ctx := ctxT(t)
	srv.AddFile("at-limit", make([]byte, fakeapi.MaxDownload))
	srv.AddFile("over-limit", make([]byte, fakeapi.MaxDownload+1))
	if f, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: "at-limit"}); err != nil || f.FileSize != fakeapi.MaxDownload {
		t.Errorf("GetFile of 20 MB: %+v, %v; want its path", f, err)
	}
	_, err := b.GetFile(ctx, &tgbot.GetFileParams{FileID: "over-limit"})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "file is too big") {
		t.Errorf("GetFile of 20 MB + 1: %v, want Bad Request: file is too big", err)
	}
}

func TestDownloadNeedsTokenAndKnownPath(t *testing.T) {
	srv, _ := newBot(t, fakeapi.Options{Token: token}, tgbot.WithSkipGetMe())
	path := srv.AddPhoto("p1", []byte("jpeg"))
	for _, tt := range []struct {
		name, url string
		want      int
	}{
		{"right token", srv.URL() + "/file/bot" + token + "/" + path, http.StatusOK},
		{"wrong token", srv.URL() + "/file/bot123:other/" + path, http.StatusUnauthorized},
		{"unknown path", srv.URL() + "/file/bot" + token + "/photos/none.jpg", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}
