// Package screenshot draws text as a phone screenshot for the tests of screenshot reading:
// black on white with Noto Sans CJK (Debian's fonts-noto-cjk, which test.sh installs), so that
// no test image is downloaded or kept in the repository.
package screenshot

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Font is the font the text is drawn with.
const Font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

// Render draws lines of text size pixels high and returns the PNG.
func Render(lines []string, size float64) ([]byte, error) {
	data, err := os.ReadFile(Font)
	if err != nil {
		return nil, fmt.Errorf("font missing (test.sh installs fonts-noto-cjk): %w", err)
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("parse the font: %w", err)
	}
	f, err := simplified(coll)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("font face: %w", err)
	}
	defer face.Close()
	margin, lineHeight := int(size), int(size*1.6)
	width := 0
	for _, l := range lines {
		width = max(width, font.MeasureString(face, l).Ceil())
	}
	img := image.NewGray(image.Rect(0, 0, width+2*margin, len(lines)*lineHeight+2*margin))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(margin, margin+i*lineHeight+int(size))
		d.DrawString(l)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// simplified picks the collection's Simplified Chinese face (Noto's collections hold JP, KR,
// SC, TC and HK faces; their glyphs for the same character differ).
func simplified(c *opentype.Collection) (*opentype.Font, error) {
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			return nil, fmt.Errorf("font %d: %w", i, err)
		}
		name, err := f.Name(nil, 1) // the family name
		if err == nil && bytes.Contains([]byte(name), []byte(" SC")) {
			return f, nil
		}
	}
	return nil, errors.New("no Simplified Chinese face in the collection")
}
