package ocr

import (
	"testing"
	"time"
)

// BenchmarkRead reads one screenshot per iteration: the Lakala SMS as a phone shows it
// (1080 px wide, 40 px text, PNG) and as Telegram delivers it as a photo (shrunk to 576 px,
// JPEG), and a four-line ledger. Besides time and Go's allocations it reports the peak
// memory of the tesseract process (tesseract-MB) and its CPU time, which unlike ns/op does
// not grow when other work shares the machine. Run it short:
//
//	go test ./ocr -run '^$' -bench . -benchtime=3x
func BenchmarkRead(b *testing.B) {
	r := newReader(b)
	sms := append(append([]string{}, lakalaSMS...), lakalaSMS...) // a screen of two messages
	for _, bb := range []struct {
		name string
		shot screenshot
	}{
		{"phone png 1080px", screenshot{font: notoSans, size: 40, lines: sms, leftMargin: 40}},
		{"telegram photo 576px", screenshot{font: notoSans, size: 40, lines: sms, leftMargin: 40, shrink: 576, jpegQ: 87}},
		{"ledger png", screenshot{font: notoSans, size: 28, lines: ledger}},
	} {
		data := render(b, bb.shot)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			var peak int64
			var cpu time.Duration
			for b.Loop() {
				img, err := preprocess(data)
				if err != nil {
					b.Fatal(err)
				}
				text, u, err := r.recognize(b.Context(), img)
				if err != nil || Normalize(text) == "" {
					b.Fatalf("read %q, %v", text, err)
				}
				peak = max(peak, u.peak)
				cpu += u.cpu
			}
			b.ReportMetric(float64(peak)/(1<<20), "tesseract-MB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "tesseract-cpu-s/op")
		})
	}
}
