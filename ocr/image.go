package ocr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // decoder
	_ "image/jpeg" // decoder: Telegram's photos
	_ "image/png"  // decoder: screenshots sent as files
	"math"
	"slices"
	"strconv"

	_ "golang.org/x/image/bmp" // decoder
	"golang.org/x/image/draw"
	_ "golang.org/x/image/tiff" // decoder
	_ "golang.org/x/image/webp" // decoder
)

// goodHeight is the line height, in pixels, Tesseract reads Chinese well at; lines lower
// than minHeight are enlarged towards it. Telegram scales a photo so its long side is at
// most 1280 px: a phone screenshot (1080×2400) arrives 576 px wide with its body text
// 12–16 px high, a long one's smaller still. Tesseract misses characters and digits at 9–11
// px (TestPreprocessHelps: 2 and 3 of 5 strings as sent, 4 and 5 enlarged), while
// doubling a ledger at 24 px made it worse ("T1结算" read as "T1285").
const (
	goodHeight = 32
	minHeight  = 20
)

// noisyDiff is the median difference between neighbouring pixels above which an image is
// smoothed before reading. A screenshot is mostly flat ground (median 0–2, even as a
// JPEG); a photo of a screen or a grainy scan is not, and Tesseract's binarization turns its
// grain into specks it reads as characters.
const noisyDiff = 8

// checkImage reports ErrNotImage when data is not an image Go can decode, and ErrTooLarge
// when it claims more than maxPixels; it decodes only the header.
func checkImage(data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: %d×%d", ErrNotImage, cfg.Width, cfg.Height)
	}
	if cfg.Width*cfg.Height > maxPixels || cfg.Width > 1<<15 || cfg.Height > 1<<15 {
		return fmt.Errorf("%d×%d pixels: %w", cfg.Width, cfg.Height, ErrTooLarge)
	}
	if cfg.Width*cfg.Height*bytesPerPixel(cfg.ColorModel) > maxPixels*4 {
		// a 16-bit image decodes to 8 bytes a pixel: twice what a colour photo of maxPixels takes
		return fmt.Errorf("%d×%d pixels of %d bytes: %w", cfg.Width, cfg.Height, bytesPerPixel(cfg.ColorModel), ErrTooLarge)
	}
	return nil
}

// bytesPerPixel is what decoding an image of the colour model m takes a pixel, at most.
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, YCbCr (less), CMYK
}

// preprocess decodes data and returns it as a binary PGM (which Tesseract reads without
// decompressing anything): gray, dark text on a light ground (a dark-mode screenshot is
// inverted), smoothed when grainy, and enlarged when its lines of text are small.
func preprocess(data []byte) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	gray := toGray(src)
	if mean(gray) < 128 {
		for i, v := range gray.Pix {
			gray.Pix[i] = 255 - v
		}
	}
	if medianDiff(gray) > noisyDiff {
		gray = smooth(smooth(gray)) // twice: σ≈1.4, which reads grain ±35 right where once does not
	}
	b := gray.Bounds()
	if scale := enlargement(b.Dx(), b.Dy(), lineHeight(gray)); scale > 1 {
		big := image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*scale), int(float64(b.Dy())*scale)))
		draw.CatmullRom.Scale(big, big.Bounds(), gray, b, draw.Src, nil)
		gray = big
	}
	return pgm(gray), nil
}

// enlargement returns how much to enlarge an image of width×height pixels whose lines of
// text are lineHeight pixels high (0: unknown): towards goodHeight when they are lower than
// minHeight, at most threefold and never past maxPixels; 1 for not at all.
func enlargement(width, height, lineHeight int) float64 {
	if lineHeight <= 0 || lineHeight >= minHeight {
		return 1
	}
	scale := min(3, float64(goodHeight)/float64(lineHeight), math.Sqrt(maxPixels/float64(width*height)))
	if scale < 1.1 {
		return 1 // not worth a resampling
	}
	return scale
}

// toGray returns src in gray levels, laid on white. A JPEG's luma plane is its gray image already.
func toGray(src image.Image) *image.Gray {
	b := src.Bounds()
	gray := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if y, ok := src.(*image.YCbCr); ok {
		for row := range b.Dy() {
			start := y.YOffset(b.Min.X, b.Min.Y+row)
			copy(gray.Pix[row*gray.Stride:row*gray.Stride+b.Dx()], y.Y[start:start+b.Dx()])
		}
		return gray
	}
	for i := range gray.Pix { // a transparent ground reads as white, not black
		gray.Pix[i] = 255
	}
	draw.Draw(gray, gray.Bounds(), src, b.Min, draw.Over)
	return gray
}

// lineHeight estimates the height of the image's lines of text: the median height of the
// bands of rows that hold ink (pixels darker than halfway between the image's lightest and
// darkest), or 0 when there are none.
func lineHeight(g *image.Gray) int {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	lo, hi := uint8(255), uint8(0)
	for _, v := range g.Pix {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo < 32 {
		return 0 // blank
	}
	ink := int(hi) - int(hi-lo)/2
	var bands []int
	run := 0
	for y := range h + 1 {
		dark := 0
		if y < h {
			for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
				if int(v) < ink {
					dark++
				}
			}
		}
		if dark > w/400 { // a row with a few dark pixels holds text; stray specks don't count
			run++
			continue
		}
		if run > 2 {
			bands = append(bands, run)
		}
		run = 0
	}
	if len(bands) == 0 {
		return 0
	}
	slices.Sort(bands)
	return bands[len(bands)/2]
}

// medianDiff returns the median absolute difference between horizontally neighbouring
// pixels, over a sample of rows.
func medianDiff(g *image.Gray) int {
	var hist [256]int
	n := 0
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y += 4 {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := 1; x < w; x++ {
			d := int(row[x]) - int(row[x-1])
			hist[max(d, -d)]++
			n++
		}
	}
	for d, seen := 0, 0; d < 256; d++ {
		if seen += hist[d]; seen*2 >= n {
			return d
		}
	}
	return 0
}

// smooth blurs g with the 5-tap binomial kernel (about a Gaussian of σ=1), rows then
// columns.
func smooth(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(p []uint8, i, n, step int) int { return int(p[min(max(i, 0), n-1)*step]) }
	tmp := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		row := g.Pix[y*g.Stride:]
		for x := range w {
			s := at(row, x-2, w, 1) + 4*at(row, x-1, w, 1) + 6*at(row, x, w, 1) + 4*at(row, x+1, w, 1) + at(row, x+2, w, 1)
			tmp.Pix[y*tmp.Stride+x] = uint8((s + 8) / 16)
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for x := range w {
		col := tmp.Pix[x:]
		for y := range h {
			s := at(col, y-2, h, w) + 4*at(col, y-1, h, w) + 6*at(col, y, h, w) + 4*at(col, y+1, h, w) + at(col, y+2, h, w)
			out.Pix[y*out.Stride+x] = uint8((s + 8) / 16)
		}
	}
	return out
}

// mean returns the average gray level of g.
func mean(g *image.Gray) int {
	if len(g.Pix) == 0 {
		return 255
	}
	var sum uint64
	for _, v := range g.Pix {
		sum += uint64(v)
	}
	return int(sum / uint64(len(g.Pix)))
}

// pgm encodes g as a binary portable graymap (P5).
func pgm(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	header := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, 0, len(header)+w*h)
	out = append(out, header...)
	for y := range h {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return out
}
