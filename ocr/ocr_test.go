package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The texts of the generated screenshots: provider SMS, an app notice and settlement ledger
// lines, as DOMAIN.md §8 describes them.
var (
	lakalaSMS = []string{
		"【拉卡拉】尊敬的商户，您的终端（SN:WP12345678）已于",
		"2024年05月01日完成注销，注销服务费199.00元已从结算款",
		"中扣除。如有疑问请致电95016。",
	}
	ledger = []string{
		"交易时间              类型    摘要            金额      账户",
		"2024-06-10 09:12:33   调账    流量卡服务费    -99.00    结算账户",
		"2024-06-11 00:05:12   结算    T1结算          1523.40   银行卡",
		"2024-07-10 09:12:35   调账    流量卡服务费    -99.00    结算账户",
	}
	rateNotice = []string{
		"【银盛支付】尊敬的客户：您的刷卡费率将由0.38%调整为0.60%，",
		"自2024年7月1日起生效，单笔另收3.00元。退订回T",
	}
	vipSMS = []string{
		"【收钱吧】您已开通商户会员服务，2024-03-15扣除会员费",
		"298.00元，有效期一年。",
	}
)

// smsThread is two SMS from Lakala as a phone's messages app wraps them in bubbles.
var smsThread = [][]string{
	{"【拉卡拉】尊敬的商户，您的终端", "（SN:WP12345678）已于2024年05月", "01日完成注销，注销服务费199.00元", "已从结算款中扣除。"},
	{"【拉卡拉】您本月流量卡服务费", "99.00元已于2024年06月10日扣除。"},
}

func TestReadPhoneScreenshots(t *testing.T) {
	r := newReader(t)
	// The greeting may be misread (尊敬 as 尊和敬 in the PNG); what the complaint needs is not.
	want := []string{"95016", "【拉卡拉】", "(SN:WP12345678)已于2024年05月", "01日完成注销,注销服务费199.00元",
		"【拉卡拉】您本月流量卡服务费", "99.00元已于2024年06月10日扣除。"}
	for _, tt := range []struct {
		name string
		shot phone
	}{
		{"as taken, png", phone{sender: "95016", date: "2024年5月1日 上午10:12", messages: smsThread}},
		{"as telegram sends the photo", phone{sender: "95016", date: "2024年5月1日 上午10:12", messages: smsThread, shrink: 576, jpegQ: 87}},
		{"dark mode photo", phone{sender: "95016", date: "2024年5月1日 上午10:12", messages: smsThread, dark: true, shrink: 576, jpegQ: 87}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := r.Read(t.Context(), renderPhone(t, tt.shot))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}

// newReader returns a Reader, failing the test when Tesseract is missing: test.sh installs
// it, so its absence in CI is a broken setup, not a reason to skip.
func newReader(t testing.TB) *Reader {
	t.Helper()
	r, err := New(context.Background(), Options{Concurrency: 2})
	if err != nil {
		t.Fatalf("tesseract with chi_sim is needed (test.sh installs tesseract-ocr tesseract-ocr-chi-sim): %v", err)
	}
	return r
}

func TestReadScreenshots(t *testing.T) {
	r := newReader(t)
	tests := []struct {
		name string
		shot screenshot
		want []string
	}{
		{"lakala sms, noto sans 28px png", screenshot{font: notoSans, size: 28, lines: lakalaSMS},
			[]string{"拉卡拉", "2024年05月01日", "199.00元", "WP12345678", "注销服务费"}},
		{"ledger, noto serif 24px png", screenshot{font: notoSerif, size: 24, lines: ledger},
			[]string{"2024-06-10 09:12:33 调账 流量卡服务费 -99.00 结算账户", "2024-07-10 09:12:35", "1523.40"}},
		{"rate notice, droid sans 22px jpeg", screenshot{font: droidSans, size: 22, lines: rateNotice, jpegQ: 85},
			[]string{"0.38%", "0.60%", "2024年7月1日", "3.00元"}},
		{"vip sms, noto bold 18px jpeg", screenshot{font: notoBold, size: 18, lines: vipSMS, jpegQ: 80},
			[]string{"2024-03-15", "298.00元", "收钱吧"}},
		{"phone screenshot shrunk by telegram", screenshot{font: notoSans, size: 44, lines: lakalaSMS, shrink: 640, jpegQ: 80},
			[]string{"2024年05月01日", "199.00元"}},
		{"ledger shrunk by telegram", screenshot{font: notoSans, size: 36, lines: ledger, shrink: 700, jpegQ: 80},
			[]string{"2024-06-10", "-99.00", "1523.40"}},
		{"noisy low contrast", screenshot{font: notoSans, size: 26, lines: lakalaSMS, fg: 100, bg: 170, noise: 25, jpegQ: 60},
			[]string{"2024年05月01日", "199.00元"}},
		{"dark mode", screenshot{font: notoSans, size: 24, lines: vipSMS, fg: 235, bg: 30},
			[]string{"2024-03-15", "298.00元"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := render(t, tt.shot)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			got, err := r.Read(ctx, data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			t.Logf("read:\n%s", got)
		})
	}
}

// TestPreprocessHelps reads the images that preprocessing is for, once as sent and once
// preprocessed, and counts the expected strings found: preprocessing must find more in all,
// and no fewer in any but by one string (a single character misread either way). With
// Tesseract 5.3 it finds 2→4, 3→5, 0→4, 0→4 and 5→4 of 5.
func TestPreprocessHelps(t *testing.T) {
	smsWant := []string{"2024年05月01日", "199.00元", "WP12345678", "注销服务费", "95016"}
	ledgerWant := []string{"2024-06-10 09:12:33", "2024-07-10 09:12:35", "-99.00", "1523.40", "流量卡服务费"}
	r := newReader(t)
	tests := []struct {
		name string
		shot screenshot
		want []string
	}{
		{"9px text", screenshot{font: notoSans, size: 9, lines: lakalaSMS, jpegQ: 80}, smsWant},
		{"11px serif ledger", screenshot{font: notoSerif, size: 11, lines: ledger, jpegQ: 80}, ledgerWant},
		{"grainy ±35", screenshot{font: notoSans, size: 26, lines: lakalaSMS, fg: 95, bg: 165, noise: 35, jpegQ: 70}, smsWant},
		{"grainy ±30, 20px", screenshot{font: notoSans, size: 20, lines: lakalaSMS, fg: 90, bg: 170, noise: 30, jpegQ: 70}, smsWant},
		{"12px dark mode", screenshot{font: notoSans, size: 12, lines: lakalaSMS, fg: 230, bg: 30, jpegQ: 80}, smsWant},
	}
	var rawTotal, prepTotal int
	for _, tt := range tests {
		data := render(t, tt.shot)
		raw, _, err := r.recognize(t.Context(), data)
		if err != nil {
			t.Fatalf("%s: raw: %v", tt.name, err)
		}
		img, err := preprocess(data)
		if err != nil {
			t.Fatalf("%s: preprocess: %v", tt.name, err)
		}
		prep, _, err := r.recognize(t.Context(), img)
		if err != nil {
			t.Fatalf("%s: preprocessed: %v", tt.name, err)
		}
		rawFound, prepFound := found(Normalize(raw), tt.want), found(Normalize(prep), tt.want)
		t.Logf("%s: %d/%d found as sent, %d/%d preprocessed", tt.name, rawFound, len(tt.want), prepFound, len(tt.want))
		if prepFound < rawFound-1 {
			t.Errorf("%s: preprocessing found %d of %d, the image as sent %d:\n%s", tt.name, prepFound, len(tt.want), rawFound, Normalize(prep))
		}
		rawTotal += rawFound
		prepTotal += prepFound
	}
	if prepTotal <= rawTotal {
		t.Errorf("preprocessing found %d strings, the images as sent %d: it does not help", prepTotal, rawTotal)
	}
}

func found(text string, want []string) int {
	n := 0
	for _, w := range want {
		if strings.Contains(text, w) {
			n++
		}
	}
	return n
}

func TestLineHeight(t *testing.T) {
	for _, tt := range []struct {
		size     float64
		enlarged bool
	}{{12, true}, {16, true}, {26, false}, {40, false}} {
		data := render(t, screenshot{font: notoSans, size: tt.size, lines: lakalaSMS})
		src, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		h := lineHeight(toGray(src))
		if got := h < minHeight; got != tt.enlarged || h == 0 {
			t.Errorf("%vpx text: line height %d, enlarged %v, want %v", tt.size, h, got, tt.enlarged)
		}
	}
	if h := lineHeight(image.NewGray(image.Rect(0, 0, 50, 50))); h != 0 {
		t.Errorf("blank image: line height %d, want 0", h)
	}
}

func TestNotInstalled(t *testing.T) {
	r, err := New(t.Context(), Options{Command: filepath.Join(t.TempDir(), "tesseract")})
	var ni *NotInstalledError
	if !errors.Is(err, ErrNotInstalled) || !errors.As(err, &ni) || len(ni.Missing) != 0 {
		t.Fatalf("New with a missing command: %v, want a NotInstalledError for the command", err)
	}
	if r.Available() {
		t.Error("nil Reader is Available")
	}
	if _, err := r.Read(t.Context(), []byte("x")); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Read on nil Reader: %v, want ErrNotInstalled", err)
	}
	if _, err := r.ReadFile(t.Context(), "x.png"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("ReadFile on nil Reader: %v, want ErrNotInstalled", err)
	}
}

func TestMissingLanguage(t *testing.T) {
	newReader(t) // tesseract itself must be there
	_, err := New(t.Context(), Options{Languages: "chi_sim+zz_none"})
	var ni *NotInstalledError
	if !errors.As(err, &ni) || !slices.Equal(ni.Missing, []string{"zz_none"}) || !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("New with a missing language: %v, want NotInstalledError missing zz_none", err)
	}
}

func TestReadRejects(t *testing.T) {
	r := newReader(t)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"over 20 MB", make([]byte, MaxBytes+1), ErrTooLarge},
		{"text", []byte("【拉卡拉】注销服务费199.00元"), ErrNotImage},
		{"empty", nil, ErrNotImage},
		{"truncated png", render(t, screenshot{font: notoSans, size: 20, lines: vipSMS})[:200], ErrNotImage},
		{"claims a gigapixel", pngHeader(40000, 40000), ErrTooLarge},
		// 30 Mpx of 16-bit colour decode to 240 MB: refused before decoding
		{"16-bit colour, 30 Mpx", pngHeaderOf(6000, 5000, 16, 6), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := r.Read(t.Context(), tt.data); !errors.Is(err, tt.want) {
				t.Errorf("Read: %v, want %v", err, tt.want)
			}
		})
	}
}

// pngHeader returns the start of a PNG claiming width×height pixels of 8-bit gray.
func pngHeader(width, height uint32) []byte { return pngHeaderOf(width, height, 8, 0) }

// pngHeaderOf returns the start of a PNG claiming width×height pixels of the bit depth and
// colour type given (16, 6: 16-bit RGBA).
func pngHeaderOf(width, height uint32, depth, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))...)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

// TestCheckImageBytes: the bound on an image's decoded size counts its bytes a pixel, so 30 Mpx
// of 8-bit gray or 8-bit colour pass and 30 Mpx of 16-bit colour do not.
func TestCheckImageBytes(t *testing.T) {
	for _, tc := range []struct {
		depth, colorType byte
		want             error
	}{{8, 0, nil}, {8, 6, nil}, {16, 0, nil}, {16, 2, ErrTooLarge}, {16, 6, ErrTooLarge}} {
		if err := checkImage(pngHeaderOf(6000, 5000, tc.depth, tc.colorType)); !errors.Is(err, tc.want) {
			t.Errorf("depth %d, colour type %d: %v, want %v", tc.depth, tc.colorType, err, tc.want)
		}
	}
}

func TestReadFile(t *testing.T) {
	r := newReader(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "sms.jpg")
	if err := os.WriteFile(path, render(t, screenshot{font: notoSans, size: 24, lines: vipSMS, jpegQ: 90}), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := r.ReadFile(t.Context(), path)
	if err != nil || !strings.Contains(got, "298.00元") {
		t.Errorf("ReadFile = %q, %v; want the amount 298.00元", got, err)
	}
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadFile(t.Context(), big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile of a 20 MB + 1 file: %v, want ErrTooLarge", err)
	}
	if _, err := r.ReadFile(t.Context(), filepath.Join(dir, "none.png")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestEnlargement(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		width, height, height2 int
		want                   float64
	}{
		{"unknown line height", 576, 1280, 0, 1},
		{"lines high enough", 576, 1280, 20, 1},
		{"16 px lines doubled", 576, 1280, 16, 2},
		{"8 px lines at most threefold", 576, 1280, 8, 3},
		{"never past 40 Mpx", 5000, 5000, 9, math.Sqrt(40e6 / 25e6)},
		{"not for a few percent", 6000, 6000, 9, 1},
	} {
		if got := enlargement(tt.width, tt.height, tt.height2); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: enlargement(%d, %d, %d) = %v, want %v", tt.name, tt.width, tt.height, tt.height2, got, tt.want)
		}
	}
}

func TestBlankImageReadsEmpty(t *testing.T) {
	r := newReader(t)
	got, err := r.Read(t.Context(), render(t, screenshot{font: notoSans, size: 20}))
	if err != nil || got != "" {
		t.Errorf("Read of a blank image = %q, %v; want \"\", nil", got, err)
	}
}
