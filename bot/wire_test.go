package bot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// sameClassification fails t when decodeWebhook classifies body otherwise than Classify does
// the update decoded in full, or does not decode it when that does. (A body that is no update
// in full may still be one in the fields the bot reads: a field it skips has the wrong type.)
func sameClassification(t *testing.T, body []byte, staff int64) {
	t.Helper()
	// an hour after the messages of testdata/updates were sent, in the users' zone
	now := time.Unix(1763693600, 0).In(time.FixedZone("CST", 8*3600))
	var full models.Update
	fullErr := json.Unmarshal(body, &full)
	got, lean, err := decodeWebhook(body, staff, now)
	if fullErr != nil {
		return
	}
	if err != nil {
		t.Fatalf("decoded in full, but decodeWebhook: %v", err)
	}
	want := Classify(&full, staff, now)
	wm, gm := want.Message, got.message()
	if lean == nil && (got.Message != nil || got.wire == nil) {
		t.Fatalf("decoded in the fields the bot reads, but message %v and wire %v", got.Message, got.wire)
	}
	if lean == nil && got.Verdict == Staff {
		t.Fatalf("a staff update decoded without its update")
	}
	want.Message, got.Message, got.wire = nil, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("classified as %+v, in full %+v", got, want)
	}
	if (wm == nil) != (gm == nil) {
		t.Fatalf("message %v, in full %v", gm, wm)
	}
	if wm != nil && (gm.ID != wm.ID || gm.Chat.ID != wm.Chat.ID || gm.Chat.Type != wm.Chat.Type || gm.Text != wm.Text || gm.Date != wm.Date ||
		(gm.From == nil) != (wm.From == nil) || gm.From != nil && (gm.From.ID != wm.From.ID || gm.From.LanguageCode != wm.From.LanguageCode)) {
		t.Fatalf("message %+v, in full %+v", gm, wm)
	}
}

// TestDecodeWebhook: every kind of update under testdata/updates is classified alike whether
// decodeWebhook took its short way or decoded it in full, with and without a staff chat; and
// text messages and button presses in private chats take the short way.
func TestDecodeWebhook(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "updates", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no updates: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			sameClassification(t, b, 0)
			sameClassification(t, b, -1001234567890)
		})
	}
	for _, f := range []string{"text.json", "command.json", "callback.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "updates", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, u, err := decodeWebhook(b, 0, time.Now()); err != nil || u != nil {
			t.Errorf("%s is decoded in full: %v", f, err)
		}
	}
}

// FuzzDecodeWebhook: whatever the body, decodeWebhook classifies it as the full decoding does.
func FuzzDecodeWebhook(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "updates", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameClassification(t, b, -100)
	})
}
