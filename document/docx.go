package document

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The look of the .docx: A4, 宋体 for Chinese and Times New Roman for Latin text, 12 pt body
// (小四), 14 pt headings, a 22 pt title, 1.5 line spacing, prose indented two characters. The
// fonts, the body size and the line spacing are the defaults in docxparts/styles.xml; the rest
// is set on each paragraph here.
const (
	pageWidth, pageHeight = 11906, 16838 // A4 in twips
	marginSide            = 1800         // the left and right margins, in twips
	marginEnd             = 1440         // the top and bottom margins, in twips
	marginHeader          = 720          // the header's and footer's distance from the edge
	textWidth             = pageWidth - 2*marginSide

	bodyPt    = 12
	headingPt = 14
	titlePt   = 22

	indentChars = 200 // in hundredths of a character: two characters
	indentTwips = 2 * bodyPt * 20

	headFill = "D9D9D9" // the shading of a table's header row
	bodyFill = "FFFFFF" // the shading of a table's other rows

	// firstListID is the numbering id of a document's first list; the next list takes the
	// next id. numbering.xml declares each (see numberingXML). It is 10, not 1, because the
	// library the documents were first written with began there, and the golden files keep it.
	firstListID = 10
)

// documentStart opens word/document.xml. It declares the namespaces Word's own documents do,
// as the golden files have it; only w is used.
const documentStart = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" mc:Ignorable="w14 wp14 w15"><w:body>`

// paraProps are the properties of a paragraph this package sets; the zero value sets none.
type paraProps struct {
	keepNext  bool   // keep on the page of the next paragraph
	list      int    // the numbering id of the list the paragraph is an item of, or 0
	firstLine bool   // indent the first line two characters
	left      bool   // indent every line two characters
	align     string // "center" or "right", or "" for the default
}

// run is a piece of a paragraph's text in one format.
type run struct {
	text string // may hold lineBreak, written as a line break
	bold bool
	size int // in points; 0 keeps the default
}

// wordML writes WordprocessingML: the body of word/document.xml.
type wordML struct {
	b     bytes.Buffer
	lists int    // the lists made so far
	text  []byte // a run's text being escaped
}

// layout writes word/document.xml for the blocks, and returns it with the number of lists it
// made, which numbering.xml must declare.
func layout(bs []block) ([]byte, int, error) {
	var w wordML
	if err := w.layout(bs); err != nil {
		return nil, 0, err
	}
	return w.b.Bytes(), w.lists, nil
}

// layout writes word/document.xml for the blocks into w, which is empty.
func (w *wordML) layout(bs []block) error {
	w.b.Grow(docSize(bs))
	w.b.WriteString(documentStart)
	list := 0 // the numbering id of the list being written, 0 outside a list
	for _, b := range bs {
		if b.kind != kindItem {
			list = 0
		}
		switch b.kind {
		case kindTitle:
			w.paragraph(paraProps{keepNext: true, align: "center"}, run{text: b.text, bold: true, size: titlePt})
		case kindHeading:
			w.paragraph(paraProps{keepNext: true}, run{text: b.text, bold: true, size: headingPt})
		case kindPara:
			w.paragraph(paraProps{firstLine: true}, run{text: b.text})
		case kindLine:
			if b.label != "" {
				w.paragraph(paraProps{}, run{text: b.label, bold: true}, run{text: b.text})
			} else {
				w.paragraph(paraProps{}, run{text: b.text})
			}
		case kindBold:
			w.paragraph(paraProps{keepNext: true}, run{text: b.text, bold: true})
		case kindQuote:
			w.paragraph(paraProps{left: true}, run{text: b.text})
		case kindItem:
			if list == 0 {
				list = firstListID + w.lists // a new list, numbered from 1
				w.lists++
			}
			w.paragraph(paraProps{list: list}, run{text: b.text})
		case kindRight:
			w.paragraph(paraProps{align: "right"}, run{text: b.text})
		case kindGap:
			w.paragraph(paraProps{})
		case kindTable:
			w.table(b.rows)
		default:
			return fmt.Errorf("no layout for block %q", b.kind)
		}
	}
	w.sectionEnd()
	w.b.WriteString("</w:body></w:document>")
	return nil
}

// docSize estimates the size of document.xml for bs: its text, the markup around each
// paragraph and cell, and the start and end.
func docSize(bs []block) int {
	n := len(documentStart) + 512
	for _, b := range bs {
		n += len(b.label) + len(b.text) + 150
		for _, r := range b.rows {
			for _, c := range r.cells {
				n += len(c) + 250
			}
		}
	}
	return n
}

// paragraph writes a paragraph of runs.
func (w *wordML) paragraph(p paraProps, runs ...run) {
	w.b.WriteString("<w:p>")
	if p != (paraProps{}) {
		// In the order the schema gives the elements of w:pPr.
		w.b.WriteString("<w:pPr>")
		if p.keepNext {
			w.b.WriteString(`<w:keepNext w:val="true"></w:keepNext>`)
		}
		if p.list != 0 {
			w.b.WriteString(`<w:numPr><w:ilvl w:val="0"></w:ilvl><w:numId w:val="`)
			w.int(p.list)
			w.b.WriteString(`"></w:numId></w:numPr>`)
		}
		if p.left || p.firstLine {
			w.b.WriteString(`<w:ind`)
			if p.left {
				w.b.WriteString(` w:left="`)
				w.int(indentTwips)
				w.b.WriteString(`" w:leftChars="`)
				w.int(indentChars)
				w.b.WriteByte('"')
			}
			if p.firstLine {
				w.b.WriteString(` w:firstLine="`)
				w.int(indentTwips)
				w.b.WriteString(`" w:firstLineChars="`)
				w.int(indentChars)
				w.b.WriteByte('"')
			}
			w.b.WriteString(`></w:ind>`)
		}
		if p.align != "" {
			w.b.WriteString(`<w:jc w:val="` + p.align + `"></w:jc>`)
		}
		w.b.WriteString("</w:pPr>")
	}
	for _, r := range runs {
		w.run(r)
	}
	w.b.WriteString("</w:p>")
}

// run writes r, each of its line breaks as a run of its own.
func (w *wordML) run(r run) {
	for i, rest, more := 0, r.text, true; more; i++ {
		var seg string
		seg, rest, more = strings.Cut(rest, lineBreak)
		if i > 0 {
			w.b.WriteString("<w:r><w:br></w:br></w:r>")
		}
		w.b.WriteString("<w:r>")
		if r.bold || r.size > 0 {
			w.b.WriteString("<w:rPr>")
			if r.bold {
				w.b.WriteString(`<w:b w:val="true"></w:b>`)
			}
			if r.size > 0 {
				w.b.WriteString(`<w:sz w:val="`)
				w.int(2 * r.size) // in half-points
				w.b.WriteString(`"></w:sz>`)
			}
			w.b.WriteString("</w:rPr>")
		}
		// Word drops white space at the ends of a text unless told to keep it.
		if strings.TrimSpace(seg) != seg {
			w.b.WriteString(`<w:t xml:space="preserve">`)
		} else {
			w.b.WriteString("<w:t>")
		}
		w.text = append(w.text[:0], seg...)
		xml.EscapeText(&w.b, w.text) // cannot fail on a bytes.Buffer
		w.b.WriteString("</w:t></w:r>")
	}
}

// table writes a full-width grid table with columns of equal width; the header and total rows
// are bold, and the header is shaded, repeats on every page and is not split across pages.
func (w *wordML) table(rows []tableRow) {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r.cells))
	}
	if cols == 0 {
		return
	}
	colWidth := textWidth / cols
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"></w:tblStyle><w:tblW w:w="`)
	w.int(colWidth * cols)
	w.b.WriteString(`" w:type="dxa"></w:tblW></w:tblPr><w:tblGrid>`)
	for range cols {
		w.b.WriteString(`<w:gridCol w:w="`)
		w.int(colWidth)
		w.b.WriteString(`"></w:gridCol>`)
	}
	w.b.WriteString("</w:tblGrid>")
	for _, r := range rows {
		fill := bodyFill
		w.b.WriteString("<w:tr><w:trPr>")
		if r.kind == rowHead {
			fill = headFill
			w.b.WriteString(`<w:cantSplit w:val="true"></w:cantSplit><w:tblHeader w:val="true"></w:tblHeader>`)
		}
		w.b.WriteString("</w:trPr>")
		for i := range cols {
			w.b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="`)
			w.int(colWidth)
			w.b.WriteString(`" w:type="dxa"></w:tcW><w:shd w:val="clear" w:color="auto" w:fill="` + fill + `"></w:shd></w:tcPr>`)
			var text string
			if i < len(r.cells) {
				text = r.cells[i]
			}
			w.paragraph(paraProps{}, run{text: text, bold: r.kind != rowBody})
			w.b.WriteString("</w:tc>")
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
}

// sectionEnd writes the page setup, which ends the body.
func (w *wordML) sectionEnd() {
	fmt.Fprintf(&w.b, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"></w:pgSz><w:pgMar w:left="%d" w:right="%d" w:gutter="0" w:header="%d" w:top="%d" w:footer="%d" w:bottom="%d"></w:pgMar><w:docGrid w:linePitch="360"></w:docGrid></w:sectPr>`,
		pageWidth, pageHeight, marginSide, marginSide, marginHeader, marginEnd, marginHeader, marginEnd)
}

// int writes n in decimal.
func (w *wordML) int(n int) {
	var a [20]byte
	w.b.Write(strconv.AppendInt(a[:0], int64(n), 10))
}
