package document

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"

	"complaintbot/flows"
)

// A .docx is a zip archive of XML parts (ECMA-376 Part 2, Open Packaging Conventions). Ours are
// the minimal set Word, WPS and LibreOffice open without complaint: the content types, the
// relationships, the styles (the default fonts, size, language and spacing, and the grid table
// style), the settings, the font table (宋体 with its Latin name SimSun, for substitution),
// the numbering of lists, and the core and application properties. Everything but
// document.xml, numbering.xml and core.xml is the same in every document of a language; those
// parts are files in docxparts/, compressed once by New.
//
// The documents were first written with github.com/gomutex/godocx, which is unmaintained and
// parsed its 440 KB template for every Renderer: 150 ms and 34 MB of the program's start-up.
// Its maintained fork, github.com/ubavic/godocx, keeps that design and costs the same. What
// this package needs of either is a few elements of WordprocessingML, written in docx.go.

//go:embed docxparts/*.xml
var docxParts embed.FS

// docxFixed is where each part that does not depend on the complaint comes from.
var docxFixed = [...]struct{ name, file string }{
	{"[Content_Types].xml", "content-types.xml"},
	{"_rels/.rels", "rels.xml"},
	{"docProps/app.xml", "app.xml"},
	{"word/_rels/document.xml.rels", "document-rels.xml"},
	{"word/fontTable.xml", "font-table.xml"},
	{"word/settings.xml", "settings.xml"},
	{"word/styles.xml", "styles.xml"},
}

// The parts that depend on the complaint.
const (
	documentPart  = "word/document.xml"
	numberingPart = "word/numbering.xml"
	corePart      = "docProps/core.xml"
)

// langMark in docxparts/styles.xml stands for the document's language tag.
const langMark = "{{lang}}"

// numberingEnd closes docxparts/numbering.xml; a document's lists are declared before it.
const numberingEnd = "</w:numbering>"

// docInfo is what the .docx's properties say.
type docInfo struct {
	title   string
	lang    flows.Lang
	created time.Time
}

// docxPackage writes .docx files. It is safe for concurrent use.
type docxPackage struct {
	fixed     map[flows.Lang][]rawZipEntry // the fixed parts, compressed, by language
	numbering []byte                       // docxparts/numbering.xml, declaring no list
	// flaters keeps a few compressors for the next documents. Not a sync.Pool: a garbage
	// collection empties a pool, and a new compressor allocates tens of kilobytes of tables
	// and history, often more than the document it writes.
	flaters chan *flate.Writer
	scratch sync.Pool // of *docxScratch
}

// keptFlaters is how many compressors a docxPackage keeps, about one per core writing.
const keptFlaters = 4

// docxScratch is the memory a .docx is written in and that is not part of the result, kept for
// the next one.
type docxScratch struct {
	doc    wordML       // word/document.xml
	zipped bytes.Buffer // the parts that depend on the complaint, compressed, one after another
}

// keptScratch is the largest scratch buffer kept for the next document; a larger one (a
// complaint far larger than any seen) is left to the garbage collector.
const keptScratch = 1 << 20

// rawZipEntry is a zip entry with its data compressed.
type rawZipEntry struct {
	header zip.FileHeader
	data   []byte
}

// newDOCXPackage reads the fixed parts and compresses them for each language.
func newDOCXPackage(langs []flows.Lang) (*docxPackage, error) {
	p := &docxPackage{fixed: map[flows.Lang][]rawZipEntry{}, flaters: make(chan *flate.Writer, keptFlaters)}
	var err error
	if p.numbering, err = docxParts.ReadFile("docxparts/numbering.xml"); err != nil {
		return nil, fmt.Errorf("docx numbering: %w", err)
	}
	if !bytes.Contains(p.numbering, []byte(numberingEnd)) {
		return nil, fmt.Errorf("docx numbering: no %s", numberingEnd)
	}
	for _, lang := range langs {
		for _, part := range docxFixed {
			data, err := docxParts.ReadFile("docxparts/" + part.file)
			if err != nil {
				return nil, fmt.Errorf("docx part %s: %w", part.name, err)
			}
			data = bytes.ReplaceAll(data, []byte(langMark), []byte(langTag(lang)))
			e, err := p.deflate(part.name, data, nil)
			if err != nil {
				return nil, err
			}
			p.fixed[lang] = append(p.fixed[lang], e)
		}
	}
	return p, nil
}

// langTag is the BCP 47 tag of lang in a document's properties.
func langTag(lang flows.Lang) string {
	if lang == flows.LangEN {
		return "en-US"
	}
	return "zh-CN"
}

// render lays blocks out as a Word document and packages it with the fixed parts.
func (p *docxPackage) render(bs []block, info docInfo) ([]byte, error) {
	fixed, ok := p.fixed[info.lang]
	if !ok {
		return nil, fmt.Errorf("write docx: no parts for language %q", info.lang)
	}
	sc, _ := p.scratch.Get().(*docxScratch)
	if sc == nil {
		sc = &docxScratch{}
	}
	defer func() {
		// the entries below point into sc until writeStamped has copied them
		if sc.doc.b.Cap() <= keptScratch && sc.zipped.Cap() <= keptScratch {
			sc.doc.b.Reset()
			sc.doc.lists = 0
			sc.zipped.Reset()
			p.scratch.Put(sc)
		}
	}()
	if err := sc.doc.layout(bs); err != nil {
		return nil, err
	}
	entries := make([]rawZipEntry, len(fixed), len(fixed)+3)
	copy(entries, fixed)
	for _, part := range []struct {
		name string
		data []byte
	}{{documentPart, sc.doc.b.Bytes()}, {numberingPart, p.numberingXML(sc.doc.lists)}, {corePart, coreXML(info)}} {
		e, err := p.deflate(part.name, part.data, &sc.zipped)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	// In the order of their names, which puts [Content_Types].xml first.
	slices.SortFunc(entries, func(a, b rawZipEntry) int { return strings.Compare(a.header.Name, b.header.Name) })
	return writeStamped(entries, info.created)
}

// numberingXML is word/numbering.xml declaring n lists, each numbered from 1, with the ids
// layout gives them.
func (p *docxPackage) numberingXML(n int) []byte {
	end := bytes.LastIndex(p.numbering, []byte(numberingEnd))
	b := bytes.NewBuffer(make([]byte, 0, len(p.numbering)+150*n))
	b.Write(p.numbering[:end])
	for i := range n {
		fmt.Fprintf(b, `<w:num w:numId="%d"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`, firstListID+i)
	}
	b.Write(p.numbering[end:])
	return b.Bytes()
}

// storeBelow is the size under which a part is stored as it is: compressing it would save a
// few hundred bytes at the cost of resetting the compressor.
const storeBelow = 1024

// deflate compresses a part as a zip entry, appending the compressed data to out, or to a
// buffer of its own when out is nil; the entry's data points into it (or into data, for a part
// stored as it is). It uses klauspost/compress's DEFLATE, a third of the time of the standard
// library's for document.xml, at nearly its ratio.
func (p *docxPackage) deflate(name string, data []byte, out *bytes.Buffer) (rawZipEntry, error) {
	fh := zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(data), UncompressedSize64: uint64(len(data))}
	if len(data) < storeBelow {
		fh.CompressedSize64 = fh.UncompressedSize64
		return rawZipEntry{header: fh, data: data}, nil
	}
	if out == nil {
		out = bytes.NewBuffer(make([]byte, 0, len(data)/3+64))
	}
	start := out.Len()
	var fw *flate.Writer
	select {
	case fw = <-p.flaters:
		fw.Reset(out)
	default:
		var err error
		if fw, err = flate.NewWriter(out, flate.DefaultCompression); err != nil {
			return rawZipEntry{}, fmt.Errorf("write docx %s: %w", name, err)
		}
	}
	_, err := fw.Write(data)
	if err == nil {
		err = fw.Close()
	}
	select {
	case p.flaters <- fw:
	default:
	}
	if err != nil {
		return rawZipEntry{}, fmt.Errorf("write docx %s: %w", name, err)
	}
	zipped := out.Bytes()[start:]
	fh.Method, fh.CompressedSize64 = zip.Deflate, uint64(len(zipped))
	return rawZipEntry{header: fh, data: zipped}, nil
}

// writeStamped writes compressed entries as a zip archive, in order, each dated t in China, or
// the earliest time the MS-DOS fields can hold when t is zero or out of their range (a zero
// time would read as 2098 in the many readers of that field).
func writeStamped(entries []rawZipEntry, t time.Time) ([]byte, error) {
	stamp := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if local := chinaTime(t); local.Year() >= 1980 && local.Year() <= 2107 {
		stamp = local
	}
	// The MS-DOS date and time, in the zone of stamp, as zip readers expect.
	date := uint16(stamp.Day() + int(stamp.Month())<<5 + (stamp.Year()-1980)<<9)
	clock := uint16(stamp.Second()/2 + stamp.Minute()<<5 + stamp.Hour()<<11)
	size := 22 // the end of the central directory
	for _, e := range entries {
		size += len(e.data) + 2*len(e.header.Name) + 100
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	zw := zip.NewWriter(out)
	for _, e := range entries {
		fh := e.header
		// CreateRaw writes the MS-DOS fields as given, and no extended timestamp.
		fh.ModifiedDate, fh.ModifiedTime = date, clock
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return nil, fmt.Errorf("write docx %s: %w", fh.Name, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, fmt.Errorf("write docx %s: %w", fh.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write docx: %w", err)
	}
	return out.Bytes(), nil
}

// The namespaces of docProps/core.xml.
const (
	nsCoreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
	nsDublinCore     = "http://purl.org/dc/elements/1.1/"
	nsDCTerms        = "http://purl.org/dc/terms/"
	nsXSI            = "http://www.w3.org/2001/XMLSchema-instance"
)

// coreXML is docProps/core.xml for info: the complaint's title, language and date, and no
// personal data. It is written by hand as encoding/xml would marshal it (TestCoreXML), at a
// fraction of the cost.
func coreXML(info docInfo) []byte {
	var b bytes.Buffer
	b.Grow(len(xml.Header) + 512 + len(info.title))
	b.WriteString(xml.Header)
	b.WriteString(`<cp:coreProperties xmlns:cp="` + nsCoreProperties + `" xmlns:dc="` + nsDublinCore +
		`" xmlns:dcterms="` + nsDCTerms + `" xmlns:xsi="` + nsXSI + `"><dc:title>`)
	xml.EscapeText(&b, []byte(info.title)) // cannot fail on a bytes.Buffer
	b.WriteString(`</dc:title><dc:language>`)
	xml.EscapeText(&b, []byte(info.lang))
	b.WriteString(`</dc:language><cp:revision>1</cp:revision>`)
	if !info.created.IsZero() {
		var a [64]byte
		at := info.created.UTC().AppendFormat(a[:0], time.RFC3339)
		for _, el := range []string{"dcterms:created", "dcterms:modified"} {
			b.WriteString("<" + el + ` xsi:type="dcterms:W3CDTF">`)
			xml.EscapeText(&b, at)
			b.WriteString("</" + el + ">")
		}
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.Bytes()
}
