package ocr

import (
	"testing"
	"time"
)

// BenchmarkRead reads one screenshot per iteration: the SMS thread of TestReadPhoneScreenshots
// as the phone takes it (1080 px wide PNG) and as Telegram delivers it as a photo (576 px
// JPEG), and a four-line ledger. Besides time and Go's allocations (decoding and
// preprocessing) it reports the tesseract process's CPU time, which unlike ns/op does not
// grow when other work shares the machine. Run it short:
//
//	go test ./ocr -run '^$' -bench . -benchtime=3x
//
// The process's peak memory is not among the figures (see processUsage); measured apart
// with /usr/bin/time -f %M on the same preprocessed images, it is 68–72 MB.
func BenchmarkRead(b *testing.B) {
	r := newReader(b)
	thread := phone{sender: "95016", date: "2024年5月1日 上午10:12", messages: smsThread}
	photo := thread
	photo.shrink, photo.jpegQ = 576, 87
	for _, bb := range []struct {
		name string
		data []byte
	}{
		{"phone png 1080px", renderPhone(b, thread)},
		{"telegram photo 576px", renderPhone(b, photo)},
		{"ledger png", render(b, screenshot{font: notoSans, size: 28, lines: ledger})},
	} {
		data := bb.data
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
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
				cpu += u.cpu
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "tesseract-cpu-s/op")
		})
	}
}
