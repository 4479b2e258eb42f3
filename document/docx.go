package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/common/constants"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/packager"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"complaintbot/flows"
)

// The look of the .docx: A4, 宋体 for Chinese and Times New Roman for Latin text, 12 pt body
// (小四), 14 pt headings, a 22 pt title, 1.5 line spacing, prose indented two characters.
const (
	pageWidth, pageHeight = 11906, 16838 // A4 in twips
	marginSide            = 1800         // the template's left and right margins, in twips
	textWidth             = pageWidth - 2*marginSide

	cjkFont   = "宋体"
	latinFont = "Times New Roman"

	bodyPt    = 12
	headingPt = 14
	titlePt   = 22

	lineSpacing = 360 // in 240ths of a line: 1.5 lines
	indentChars = 200 // in hundredths of a character: two characters
	indentTwips = 2 * bodyPt * 20

	headFill = "D9D9D9" // the shading of a table's header row

	// Parts of godocx's template document that we replace or drop.
	corePropsPart    = "docProps/core.xml"
	thumbnailPart    = "docProps/thumbnail.jpeg"
	stylesWithEffect = "stylesWithEffects.xml"
)

// docInfo is what the .docx's properties say.
type docInfo struct {
	title   string
	lang    flows.Lang
	created time.Time
}

// docxKit makes .docx files fast. godocx parses its 440 KB template (styles.xml) for every new
// document and compresses every part again when it writes one, which took some 50 ms and 12 MB
// per document. The kit does the work that does not depend on the complaint once: it keeps the
// parts that depend on the language only as compressed zip entries, and numbering.xml, which
// depends only on how many lists a document has, by that number. A document is laid out with
// godocx as before, on a body that starts as the template's, and only its document.xml and
// core.xml are written; they join the kept parts in the same archive, byte for byte, that the
// whole template gives (TestDOCXKit checks this).
type docxKit struct {
	fixed     map[flows.Lang][]rawZipEntry // the parts that depend on the language only
	sectPr    *ctypes.SectionProp          // the template's page setup, a body's start
	numbering []byte                       // the template's numbering.xml, whence godocx numbers lists
	lite      []byte                       // the template with the parts godocx does not parse emptied

	mu    sync.Mutex
	lists map[int]rawZipEntry // numbering.xml by the number of lists
}

// rawZipEntry is a zip entry kept compressed.
type rawZipEntry struct {
	header zip.FileHeader
	data   []byte
}

// Parts of the .docx that depend on the complaint.
const (
	documentPart  = "word/document.xml"
	numberingPart = "word/numbering.xml"
)

// newDOCXKit renders an empty document in each language the whole way to keep its fixed parts.
func newDOCXKit(langs []flows.Lang) (*docxKit, error) {
	k := &docxKit{fixed: map[flows.Lang][]rawZipEntry{}, lists: map[int]rawZipEntry{}}
	for _, lang := range langs {
		b, err := renderDOCXWhole(nil, docInfo{lang: lang})
		if err != nil {
			return nil, fmt.Errorf("docx kit %s: %w", lang, err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return nil, fmt.Errorf("docx kit %s: %w", lang, err)
		}
		for _, f := range zr.File {
			switch f.Name {
			case documentPart, numberingPart, corePropsPart:
				continue
			}
			data, err := readRaw(f)
			if err != nil {
				return nil, fmt.Errorf("docx kit %s: %w", lang, err)
			}
			k.fixed[lang] = append(k.fixed[lang], rawZipEntry{header: f.FileHeader, data: data})
		}
	}
	rd, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("docx template: %w", err)
	}
	if k.sectPr = rd.Document.Body.SectPr; k.sectPr == nil || len(rd.Document.Body.Children) > 0 {
		return nil, errors.New("docx template: its body is not an empty page")
	}
	n, ok := rd.FileMap.Load(numberingPart)
	if !ok {
		return nil, errors.New("docx template: no numbering.xml")
	}
	k.numbering = n.([]byte)
	if k.lite, err = liteTemplate(rd); err != nil {
		return nil, err
	}
	return k, nil
}

// liteTemplate is the template rd was opened from with the parts godocx parses (the content
// types, the relationships, document.xml, numbering.xml, and an empty styles.xml) and every other
// part empty: godocx opens it in a fraction of the time, for numberingFor.
func liteTemplate(rd *docx.RootDoc) ([]byte, error) {
	var whole bytes.Buffer
	if err := rd.Write(&whole); err != nil {
		return nil, fmt.Errorf("docx template: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(whole.Bytes()), int64(whole.Len()))
	if err != nil {
		return nil, fmt.Errorf("docx template: %w", err)
	}
	keep := map[string]bool{
		"[Content_Types].xml": true, "_rels/.rels": true, "word/_rels/document.xml.rels": true,
		documentPart: true, numberingPart: true,
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, fmt.Errorf("docx template: %w", err)
		}
		switch {
		case f.Name == "word/styles.xml":
			_, err = io.WriteString(w, xml.Header+`<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"></w:styles>`)
		case keep[f.Name]:
			var r io.ReadCloser
			if r, err = f.Open(); err == nil {
				_, err = io.Copy(w, r)
				r.Close()
			}
		}
		if err != nil {
			return nil, fmt.Errorf("docx template %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx template: %w", err)
	}
	return out.Bytes(), nil
}

// numberingFor returns numbering.xml for a document with n lists, as godocx writes it: the
// template's with n list instances added. It is made the first time n is asked for.
func (k *docxKit) numberingFor(n int) (rawZipEntry, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.lists[n]; ok {
		return e, nil
	}
	rd, err := packager.Unpack(&k.lite)
	if err != nil {
		return rawZipEntry{}, fmt.Errorf("numbering for %d lists: %w", n, err)
	}
	for range n {
		rd.NewListInstance(1) // as layout does
	}
	var buf bytes.Buffer
	if err := rd.Write(&buf); err != nil {
		return rawZipEntry{}, fmt.Errorf("numbering for %d lists: %w", n, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return rawZipEntry{}, fmt.Errorf("numbering for %d lists: %w", n, err)
	}
	for _, f := range zr.File {
		if f.Name == numberingPart {
			data, err := readRaw(f)
			if err != nil {
				return rawZipEntry{}, fmt.Errorf("numbering for %d lists: %w", n, err)
			}
			e := rawZipEntry{header: f.FileHeader, data: data}
			k.lists[n] = e
			return e, nil
		}
	}
	return rawZipEntry{}, fmt.Errorf("numbering for %d lists: godocx wrote no numbering.xml", n)
}

// render lays blocks out as a Word document and completes it with the kept parts.
func (k *docxKit) render(bs []block, info docInfo) ([]byte, error) {
	fixed, ok := k.fixed[info.lang]
	if !ok {
		return renderDOCXWhole(bs, info)
	}
	// A document as godocx opens its template, but without reading it: the body is the
	// template's page setup (copied, as setDefaults changes it), and numbering.xml is where
	// godocx finds the list numbers already taken.
	rd := docx.NewRootDoc()
	rd.Document = &docx.Document{Root: rd, Body: docx.NewBody(rd)}
	sect := *k.sectPr
	rd.Document.Body.SectPr = &sect
	rd.DocStyles = &ctypes.Styles{} // the styles are among the kept parts
	rd.FileMap.Store(numberingPart, k.numbering)
	setDefaults(rd, info.lang)
	lists, err := layout(rd, bs)
	if err != nil {
		return nil, err
	}
	body, err := xml.Marshal(rd.Document)
	if err != nil {
		return nil, fmt.Errorf("write docx: %w", err)
	}
	core, err := coreXML(info)
	if err != nil {
		return nil, err
	}
	numbering, err := k.numberingFor(lists)
	if err != nil {
		return nil, err
	}
	parts, err := deflateParts(map[string][]byte{
		documentPart:  append(slices.Clone(constants.XMLHeader), body...), // as godocx writes a part
		corePropsPart: core,
	})
	if err != nil {
		return nil, err
	}
	entries := append(slices.Clone(fixed), numbering)
	entries = append(entries, parts...)
	// godocx writes the parts in the order of their names
	slices.SortFunc(entries, func(a, b rawZipEntry) int { return strings.Compare(a.header.Name, b.header.Name) })
	return writeStamped(entries, info.created)
}

// deflateParts compresses parts as godocx's zip writer does, and returns them as entries.
func deflateParts(parts map[string][]byte) ([]rawZipEntry, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			return nil, fmt.Errorf("write docx %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write docx: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return nil, fmt.Errorf("write docx: %w", err)
	}
	entries := make([]rawZipEntry, 0, len(zr.File))
	for _, f := range zr.File {
		data, err := readRaw(f)
		if err != nil {
			return nil, fmt.Errorf("write docx: %w", err)
		}
		entries = append(entries, rawZipEntry{header: f.FileHeader, data: data})
	}
	return entries, nil
}

// renderDOCXWhole lays blocks out as a Word document on godocx's whole template, as godocx
// intends; the kit uses it once per language.
func renderDOCXWhole(bs []block, info docInfo) ([]byte, error) {
	rd, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("new document: %w", err)
	}
	setDefaults(rd, info.lang)
	if err := setCoreProperties(rd, info); err != nil {
		return nil, err
	}
	dropParts(rd)
	if _, err := layout(rd, bs); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := rd.Write(&buf); err != nil {
		return nil, fmt.Errorf("write docx: %w", err)
	}
	return restamp(buf.Bytes(), info.created)
}

// layout adds the blocks to the document's body, and returns how many lists it made.
func layout(rd *docx.RootDoc, bs []block) (lists int, err error) {
	list := 0 // the numbering instance of the list being written, 0 outside a list
	for _, b := range bs {
		if b.kind != kindItem {
			list = 0
		}
		switch b.kind {
		case kindTitle:
			p := rd.AddEmptyParagraph()
			p.Justification(stypes.JustificationCenter)
			p.GetCT().Property.KeepNext = on()
			addRuns(p, b.text, true, titlePt)
		case kindHeading:
			p := rd.AddEmptyParagraph()
			p.GetCT().Property = &ctypes.ParagraphProp{KeepNext: on()}
			addRuns(p, b.text, true, headingPt)
		case kindPara:
			p := rd.AddEmptyParagraph()
			p.Indent(&ctypes.Indent{FirstLine: ptr(uint64(indentTwips)), FirstLineChars: ptr(indentChars)})
			addRuns(p, b.text, false, 0)
		case kindLine:
			p := rd.AddEmptyParagraph()
			if b.label != "" {
				addRuns(p, b.label, true, 0)
			}
			addRuns(p, b.text, false, 0)
		case kindBold:
			p := rd.AddEmptyParagraph()
			p.GetCT().Property = &ctypes.ParagraphProp{KeepNext: on()}
			addRuns(p, b.text, true, 0)
		case kindQuote:
			p := rd.AddEmptyParagraph()
			p.Indent(&ctypes.Indent{Left: ptr(indentTwips), LeftChars: ptr(indentChars)})
			addRuns(p, b.text, false, 0)
		case kindItem:
			if list == 0 {
				list = rd.NewListInstance(1) // godocx's decimal list, restarting at 1
				lists++
			}
			p := rd.AddEmptyParagraph()
			p.Numbering(list, 0)
			addRuns(p, b.text, false, 0)
		case kindRight:
			p := rd.AddEmptyParagraph()
			p.Justification(stypes.JustificationRight)
			addRuns(p, b.text, false, 0)
		case kindGap:
			rd.AddEmptyParagraph()
		case kindTable:
			addTable(rd, b.rows)
		default:
			return lists, fmt.Errorf("no layout for block %q", b.kind)
		}
	}
	return lists, nil
}

// readRaw returns a zip entry's compressed data.
func readRaw(f *zip.File) ([]byte, error) {
	r, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return b, nil
}

// restamp sets the time of every entry of a zip archive to t in China, copying the compressed
// data as it is (see writeStamped).
func restamp(b []byte, t time.Time) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("restamp docx: %w", err)
	}
	entries := make([]rawZipEntry, 0, len(zr.File))
	for _, f := range zr.File {
		data, err := readRaw(f)
		if err != nil {
			return nil, fmt.Errorf("restamp docx: %w", err)
		}
		entries = append(entries, rawZipEntry{header: f.FileHeader, data: data})
	}
	return writeStamped(entries, t)
}

// writeStamped writes compressed entries as a zip archive, in order, each dated t in China, or
// the earliest time the MS-DOS fields can hold when t is zero or out of their range. godocx
// stamps entries with the Unix epoch, which the MS-DOS date field cannot hold: readers of that
// field show 2098.
func writeStamped(entries []rawZipEntry, t time.Time) ([]byte, error) {
	stamp := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if local := chinaTime(t); local.Year() >= 1980 && local.Year() <= 2107 {
		stamp = local
	}
	// The MS-DOS date and time, in the zone of stamp, as zip readers expect.
	date := uint16(stamp.Day() + int(stamp.Month())<<5 + (stamp.Year()-1980)<<9)
	clock := uint16(stamp.Second()/2 + stamp.Minute()<<5 + stamp.Hour()<<11)
	size := 0
	for _, e := range entries {
		size += len(e.data) + 2*len(e.header.Name) + 100
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	zw := zip.NewWriter(out)
	for _, e := range entries {
		fh := e.header
		// CreateRaw writes the header as given: drop godocx's extended timestamp (1970) and
		// set the MS-DOS fields.
		fh.Extra = nil
		fh.Modified = stamp
		fh.ModifiedDate, fh.ModifiedTime = date, clock
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return nil, fmt.Errorf("restamp docx %s: %w", fh.Name, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, fmt.Errorf("restamp docx %s: %w", fh.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("restamp docx: %w", err)
	}
	return out.Bytes(), nil
}

// addTable adds a full-width grid table; the header and total rows are bold and the header is
// shaded and repeats on every page.
func addTable(rd *docx.RootDoc, rows []tableRow) {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r.cells))
	}
	colWidth := textWidth / cols
	widths := make([]uint64, cols)
	for i := range widths {
		widths[i] = uint64(colWidth)
	}
	t := rd.AddTable()
	t.Style("TableGrid")
	t.Width(colWidth*cols, stypes.TableWidthDxa)
	t.Grid(widths...)
	for _, r := range rows {
		row := t.AddRow()
		for i := range cols {
			cell := row.AddCell().Width(colWidth, stypes.TableWidthDxa)
			if r.kind == rowHead {
				cell.BackgroundColor(headFill)
			}
			var text string
			if i < len(r.cells) {
				text = r.cells[i]
			}
			addRuns(cell.AddEmptyPara(), text, r.kind != rowBody, 0)
		}
	}
	for i, r := range rows {
		if r.kind == rowHead {
			ct := t.GetCT().RowContents[i].Row
			ct.Property.Header = on()
			ct.Property.CantSplit = on()
		}
	}
}

// addRuns adds text to p as runs, a line break for each lineBreak; size 0 keeps the default.
func addRuns(p *docx.Paragraph, text string, bold bool, size uint64) {
	for i, seg := range strings.Split(text, lineBreak) {
		if i > 0 {
			p.AddRun().AddBreak(nil)
		}
		r := p.AddText(seg)
		if bold {
			r.Bold(true)
		}
		if size > 0 {
			r.Size(size)
		}
	}
}

// setDefaults sets the document's default fonts, size, language, spacing and page size.
func setDefaults(rd *docx.RootDoc, lang flows.Lang) {
	st := rd.DocStyles
	if st.DocDefaults == nil {
		st.DocDefaults = &ctypes.DocDefault{}
	}
	langTag := "zh-CN"
	if lang == flows.LangEN {
		langTag = "en-US"
	}
	st.DocDefaults.RunProp = &ctypes.RunPropDefault{RunProp: &ctypes.RunProperty{
		// Explicit font names, not the template's theme fonts, which name no Chinese font.
		Fonts:  &ctypes.RunFonts{Ascii: latinFont, HAnsi: latinFont, EastAsia: cjkFont, CS: latinFont},
		Size:   ctypes.NewFontSize(2 * bodyPt),
		SizeCs: ctypes.NewFontSizeCS(2 * bodyPt),
		Lang:   &ctypes.Lang{Val: ptr(langTag), EastAsia: ptr("zh-CN")},
	}}
	st.DocDefaults.ParaProp = &ctypes.ParaPropDefault{ParaProp: &ctypes.ParagraphProp{
		Spacing: &ctypes.Spacing{
			Before:   ptr(uint64(0)),
			After:    ptr(uint64(0)),
			Line:     ptr(lineSpacing),
			LineRule: ptr(stypes.LineSpacingRuleAuto),
		},
	}}
	body := rd.Document.Body
	if body.SectPr == nil {
		body.SectPr = ctypes.NewSectionProper()
	}
	body.SectPr.PageSize = &ctypes.PageSize{Width: ptr(uint64(pageWidth)), Height: ptr(uint64(pageHeight))}
}

// coreProperties is docProps/core.xml. godocx's template says it was written by "gomutex" in
// 2013; ours carries the complaint's title, language and date, and no personal data.
type coreProperties struct {
	XMLName  xml.Name `xml:"cp:coreProperties"`
	CP       string   `xml:"xmlns:cp,attr"`
	DC       string   `xml:"xmlns:dc,attr"`
	DCTerms  string   `xml:"xmlns:dcterms,attr"`
	XSI      string   `xml:"xmlns:xsi,attr"`
	Title    string   `xml:"dc:title"`
	Language string   `xml:"dc:language"`
	Revision int      `xml:"cp:revision"`
	Created  *w3cdtf  `xml:"dcterms:created,omitempty"`
	Modified *w3cdtf  `xml:"dcterms:modified,omitempty"`
}

// w3cdtf is a date in core properties.
type w3cdtf struct {
	Type  string `xml:"xsi:type,attr"`
	Value string `xml:",chardata"`
}

// setCoreProperties replaces the template's core properties; the dates are the complaint's.
func setCoreProperties(rd *docx.RootDoc, info docInfo) error {
	b, err := coreXML(info)
	if err != nil {
		return err
	}
	rd.FileMap.Store(corePropsPart, b)
	return nil
}

// coreXML is docProps/core.xml for info.
func coreXML(info docInfo) ([]byte, error) {
	cp := coreProperties{
		CP:       "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
		DC:       "http://purl.org/dc/elements/1.1/",
		DCTerms:  "http://purl.org/dc/terms/",
		XSI:      "http://www.w3.org/2001/XMLSchema-instance",
		Title:    info.title,
		Language: string(info.lang),
		Revision: 1,
	}
	if !info.created.IsZero() {
		at := &w3cdtf{Type: "dcterms:W3CDTF", Value: info.created.UTC().Format(time.RFC3339)}
		cp.Created, cp.Modified = at, at
	}
	b, err := xml.Marshal(cp)
	if err != nil {
		return nil, fmt.Errorf("core properties: %w", err)
	}
	return append([]byte(xml.Header), b...), nil
}

// dropParts removes two parts of godocx's template: the thumbnail (a picture of some other
// document, which file browsers would show for ours) and stylesWithEffects.xml (Word 2010's copy
// of the styles, which would not carry our default fonts; it is also half the file's size).
func dropParts(rd *docx.RootDoc) {
	rd.FileMap.Delete(thumbnailPart)
	rd.FileMap.Delete("word/" + stylesWithEffect)
	keep := func(rels []*docx.Relationship, target string) []*docx.Relationship {
		var out []*docx.Relationship
		for _, r := range rels {
			if r.Target != target {
				out = append(out, r)
			}
		}
		return out
	}
	rd.RootRels.Relationships = keep(rd.RootRels.Relationships, thumbnailPart)
	rd.Document.DocRels.Relationships = keep(rd.Document.DocRels.Relationships, stylesWithEffect)
	var overrides []docx.Override
	for _, o := range rd.ContentType.Override {
		if o.PartName != "/word/"+stylesWithEffect {
			overrides = append(overrides, o)
		}
	}
	rd.ContentType.Override = overrides
}

// on is a set on/off property.
func on() *ctypes.OnOff { return ctypes.OnOffFromBool(true) }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
