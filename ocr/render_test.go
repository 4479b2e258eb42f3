package ocr

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The CJK fonts the screenshots are drawn with, from Debian's packages fonts-noto-cjk and
// fonts-droid-fallback (test.sh installs both). WenQuanYi Zen Hei is not among them: Go's
// sfnt cannot parse its collection.
const (
	notoSans  = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	notoBold  = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
	notoSerif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
	droidSans = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
)

// screenshot describes a generated image of text.
type screenshot struct {
	font       string  // a font file above
	size       float64 // text height in pixels
	lines      []string
	fg, bg     uint8   // gray levels of text and ground; zero values: black on white
	noise      int     // ± amplitude of per-pixel noise, 0 for none
	shrink     float64 // when > 0, the width the image is scaled down to, as Telegram does
	jpegQ      int     // JPEG quality; 0 encodes a PNG
	leftMargin int
}

// render draws s and encodes it.
func render(tb testing.TB, s screenshot) []byte {
	tb.Helper()
	face := newFallbackFace([]*opentype.Font{loadFont(tb, s.font), loadFont(tb, notoSans)}, s.size)
	fg, bg := s.fg, s.bg
	if fg == 0 && bg == 0 {
		bg = 255
	}
	margin := int(s.size)
	if s.leftMargin > 0 {
		margin = s.leftMargin
	}
	lineHeight := int(s.size * 1.6)
	width := 0
	for _, line := range s.lines {
		width = max(width, face.measure(line).Ceil())
	}
	img := image.NewGray(image.Rect(0, 0, width+2*margin, len(s.lines)*lineHeight+2*margin))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{bg}), image.Point{}, draw.Src)
	ink := image.NewUniform(color.Gray{fg})
	for i, line := range s.lines {
		face.draw(img, ink, fixed.P(margin, margin+i*lineHeight+int(s.size)), line)
	}
	if s.noise > 0 {
		rng := rand.New(rand.NewPCG(1, 2))
		for i, v := range img.Pix {
			n := int(v) + rng.IntN(2*s.noise+1) - s.noise
			img.Pix[i] = uint8(min(255, max(0, n)))
		}
	}
	var out image.Image = img
	if s.shrink > 0 {
		b := img.Bounds()
		h := int(float64(b.Dy()) * s.shrink / float64(b.Dx()))
		small := image.NewGray(image.Rect(0, 0, int(s.shrink), h))
		draw.BiLinear.Scale(small, small.Bounds(), img, b, draw.Src, nil)
		out = small
	}
	var buf bytes.Buffer
	var err error
	if s.jpegQ > 0 {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: s.jpegQ})
	} else {
		err = png.Encode(&buf, out)
	}
	if err != nil {
		tb.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

// loadFont opens the Simplified Chinese font of the font file at path.
func loadFont(tb testing.TB, path string) *opentype.Font {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("font missing (test.sh installs fonts-noto-cjk and fonts-droid-fallback): %v", err)
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	f, err := pickSC(coll)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return f
}

// fallbackFace draws each rune with its first font that has it, as a phone does: Droid Sans
// Fallback has Chinese but no Latin letters or digits.
type fallbackFace struct {
	fonts []*opentype.Font
	faces []font.Face
	buf   sfnt.Buffer
}

func newFallbackFace(fonts []*opentype.Font, size float64) *fallbackFace {
	ff := &fallbackFace{fonts: fonts}
	for _, f := range fonts {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			panic(err) // only for invalid options
		}
		ff.faces = append(ff.faces, face)
	}
	return ff
}

// pick returns the face that draws r.
func (ff *fallbackFace) pick(r rune) font.Face {
	for i, f := range ff.fonts {
		if idx, err := f.GlyphIndex(&ff.buf, r); err == nil && idx != 0 {
			return ff.faces[i]
		}
	}
	return ff.faces[len(ff.faces)-1]
}

// measure returns the advance of s.
func (ff *fallbackFace) measure(s string) fixed.Int26_6 {
	var w fixed.Int26_6
	for _, r := range s {
		adv, _ := ff.pick(r).GlyphAdvance(r)
		w += adv
	}
	return w
}

// draw draws s on dst in src's colour from dot.
func (ff *fallbackFace) draw(dst draw.Image, src image.Image, dot fixed.Point26_6, s string) {
	for _, r := range s {
		face := ff.pick(r)
		d := font.Drawer{Dst: dst, Src: src, Face: face, Dot: dot}
		d.DrawString(string(r))
		adv, _ := face.GlyphAdvance(r)
		dot.X += adv
	}
}

// pickSC returns the collection's Simplified Chinese font (Noto's collections hold JP, KR,
// SC, TC and HK), or its first.
func pickSC(coll *opentype.Collection) (*opentype.Font, error) {
	var buf sfnt.Buffer
	for i := range coll.NumFonts() {
		f, err := coll.Font(i)
		if err != nil {
			return nil, err
		}
		name, err := f.Name(&buf, sfnt.NameIDFamily)
		if err == nil && strings.HasSuffix(name, " SC") {
			return f, nil
		}
	}
	return coll.Font(0)
}

// phone describes a generated phone screenshot of an SMS thread: a status bar, the sender's
// number as the title, a centred date, and each message in a rounded bubble, 1080 px wide as
// an Android phone takes it.
type phone struct {
	sender   string
	date     string
	messages [][]string // each message's lines
	dark     bool
	shrink   float64 // as screenshot.shrink
	jpegQ    int
}

// renderPhone draws p and encodes it.
func renderPhone(tb testing.TB, p phone) []byte {
	tb.Helper()
	const width, size, pad = 1080, 40.0, 36
	bg, fg, bubble, muted := uint8(255), uint8(20), uint8(233), uint8(130)
	if p.dark {
		bg, fg, bubble, muted = 0, 235, 48, 150
	}
	small := newFallbackFace([]*opentype.Font{loadFont(tb, notoSans)}, 30)
	body := newFallbackFace([]*opentype.Font{loadFont(tb, notoSans)}, size)
	title := newFallbackFace([]*opentype.Font{loadFont(tb, notoBold)}, 48)
	height := 420
	for _, m := range p.messages {
		height += len(m)*int(size*1.45) + 2*pad + 40
	}
	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{bg}), image.Point{}, draw.Src)
	ink, grey := image.NewUniform(color.Gray{fg}), image.NewUniform(color.Gray{muted})
	small.draw(img, ink, fixed.P(48, 60), "10:12")
	small.draw(img, ink, fixed.P(width-200, 60), "5G 85%")
	title.draw(img, ink, fixed.P((width-title.measure(p.sender).Ceil())/2, 190), p.sender)
	small.draw(img, grey, fixed.P((width-small.measure(p.date).Ceil())/2, 300), p.date)
	y := 350
	for _, m := range p.messages {
		w := 0
		for _, line := range m {
			w = max(w, body.measure(line).Ceil())
		}
		h := len(m)*int(size*1.45) + 2*pad
		roundRect(img, image.Rect(40, y, 40+w+2*pad, y+h), 36, bubble)
		for i, line := range m {
			body.draw(img, ink, fixed.P(40+pad, y+pad+int(size)+i*int(size*1.45)-8), line)
		}
		y += h + 40
	}
	var out image.Image = img
	if p.shrink > 0 {
		h := int(float64(height) * p.shrink / width)
		s := image.NewGray(image.Rect(0, 0, int(p.shrink), h))
		draw.BiLinear.Scale(s, s.Bounds(), img, img.Bounds(), draw.Src, nil)
		out = s
	}
	var buf bytes.Buffer
	var err error
	if p.jpegQ > 0 {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: p.jpegQ})
	} else {
		err = png.Encode(&buf, out)
	}
	if err != nil {
		tb.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

// roundRect fills r with gray level v, its corners rounded with radius rad.
func roundRect(img *image.Gray, r image.Rectangle, rad int, v uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cx := min(max(x, r.Min.X+rad), r.Max.X-rad-1)
			cy := min(max(y, r.Min.Y+rad), r.Max.Y-rad-1)
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rad*rad {
				img.SetGray(x, y, color.Gray{v})
			}
		}
	}
}
