package storage

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCodecRoundTrip(t *testing.T) {
	var c codec
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range states() {
		s := sessionAt(testChat, i, at)
		s.Version = int64(i + 1)
		v, err := c.encodeSession(s)
		if err != nil {
			t.Fatal(err)
		}
		if plain := strings.TrimPrefix(v, strconv.Itoa(i+1)+":"); strings.HasPrefix(plain, "{") &&
			(!strings.HasPrefix(plain, `{"c":0,`) || !strings.Contains(plain, `"d":{"chat":0,`)) {
			t.Errorf("%s: the stored session repeats the chat id, which the key holds: %s", s.State, plain)
		}
		got, err := c.decodeSession(testChat, v)
		if err != nil {
			t.Fatal(err)
		}
		if !equalJSON(t, got, s) {
			t.Errorf("%s: round trip changed the session:\n%+v\n%+v", s.State, got, s)
		}
	}
	cp := sampleComplaint(at)
	v, err := c.encodeCase(7, cp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "7:s") {
		t.Errorf("a complaint of this size should be stored compressed: %.20q", v)
	}
	rev, got, err := c.decodeCase(v)
	if err != nil || rev != 7 || !equalJSON(t, got, cp) {
		t.Errorf("decodeCase = %d, %+v, %v", rev, got, err)
	}
}

func TestCodecRefusesBadValues(t *testing.T) {
	var c codec
	for _, v := range []string{"", "x", "1", "1:", "a:{}", "1:zgarbage", "1:sgarbage", "1:s", "1:q{}", "1:{bad json"} {
		if _, err := c.decodeSession(testChat, v); err == nil {
			t.Errorf("decodeSession(%q) succeeded", v)
		}
		if _, _, err := c.decodeCase(v); err == nil {
			t.Errorf("decodeCase(%q) succeeded", v)
		}
	}
	// A value that inflates beyond maxPayload is refused, not read into memory.
	big := c.pack([]byte(`{"de":"`+strings.Repeat("a", maxPayload)+`"}`), compressAbove)
	if _, err := c.unpack(big); err == nil {
		t.Error("an oversized payload was accepted")
	}
}
