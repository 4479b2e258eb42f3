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

// sameClassification fails t when decodeUpdate's update of body is classified otherwise than
// the update decoded in full, or does not decode when that does. (A body that is no update in
// full may still be one in the fields the bot reads: a field it skips has the wrong type.)
func sameClassification(t *testing.T, body []byte, staff int64) {
	t.Helper()
	now := time.Unix(1763690000, 0)
	var full models.Update
	fullErr := json.Unmarshal(body, &full)
	lean, err := decodeUpdate(body, staff)
	if fullErr != nil {
		return
	}
	if err != nil {
		t.Fatalf("decoded in full, but decodeUpdate: %v", err)
	}
	want, got := Classify(&full, staff, now), Classify(lean, staff, now)
	wm, gm := want.Message, got.Message
	want.Message, got.Message = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("classified as %+v, in full %+v", got, want)
	}
	if (wm == nil) != (gm == nil) {
		t.Fatalf("message %v, in full %v", gm, wm)
	}
	if wm != nil && (gm.ID != wm.ID || gm.Chat.ID != wm.Chat.ID || gm.Text != wm.Text || gm.Date != wm.Date) {
		t.Fatalf("message %+v, in full %+v", gm, wm)
	}
	if updateKind(lean) != updateKind(&full) {
		t.Fatalf("kind %s, in full %s", updateKind(lean), updateKind(&full))
	}
}

// TestDecodeUpdate: every kind of update under testdata/updates is classified alike whether
// decodeUpdate took its short way or decoded it in full, with and without a staff chat; and
// text messages and button presses in private chats take the short way.
func TestDecodeUpdate(t *testing.T) {
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
		var w wireUpdate
		if err := json.Unmarshal(b, &w); err != nil || w.update(0) == nil {
			t.Errorf("%s is decoded in full: %v", f, err)
		}
	}
}

// FuzzDecodeUpdate: whatever the body, decodeUpdate classifies it as the full decoding does.
func FuzzDecodeUpdate(f *testing.F) {
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
