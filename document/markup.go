package document

import (
	"fmt"
	"strings"
)

// A template renders a small line markup, one element per line: a tag, a space, the content.
// Lines holding only white space are ignored and leading white space is dropped, so templates
// may lay out their actions freely. Cleaned user text holds no "\n" (its line breaks are
// lineBreak) and no cellSep, so it can neither start an element nor split a cell.
//
//	title X     the document's title (centred and bold in the .docx)
//	h X         a heading (bold)
//	p X         a paragraph of prose (first line indented in the .docx)
//	l X         a line; "l Label{{sep}}value" makes Label bold in the .docx
//	b X         a bold line, such as the name of a quoted article
//	q X         a quoted paragraph (indented in the .docx)
//	li X        an item of a numbered list; consecutive items form one list
//	th, tr, tf  a table's header, body and total row, cells separated by {{sep}};
//	            consecutive rows form one table
//	r X         a right-aligned line (signature and date)
//	gap         an empty line between sections; runs of gaps collapse and none begins or
//	            ends the document

// blockKind is a markup tag; a table gathers the th, tr and tf rows.
type blockKind string

// The blocks of a document.
const (
	kindTitle   blockKind = "title"
	kindHeading blockKind = "h"
	kindPara    blockKind = "p"
	kindLine    blockKind = "l"
	kindBold    blockKind = "b"
	kindQuote   blockKind = "q"
	kindItem    blockKind = "li"
	kindRight   blockKind = "r"
	kindGap     blockKind = "gap"
	kindTable   blockKind = "table"
)

// The kinds of table row.
const (
	rowHead  = "th"
	rowBody  = "tr"
	rowTotal = "tf"
)

// block is one element of a document.
type block struct {
	kind  blockKind
	label string // kindLine: the bold label before the value, if any
	text  string // may hold lineBreak
	rows  []tableRow
}

// tableRow is one row of a table.
type tableRow struct {
	kind  string // rowHead, rowBody or rowTotal
	cells []string
}

// parseMarkup parses what a template rendered.
func parseMarkup(s string) ([]block, error) {
	bs := make([]block, 0, elements(s))
	for i := 0; s != ""; i++ {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		line = strings.TrimLeft(line, " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		tag, content, _ := strings.Cut(line, " ")
		switch kind := blockKind(tag); kind {
		case kindGap:
			if content != "" {
				return nil, fmt.Errorf("markup line %d: gap with content %q", i+1, content)
			}
			// One gap between two elements: none first, none twice.
			if n := len(bs); n > 0 && bs[n-1].kind != kindGap {
				bs = append(bs, block{kind: kindGap})
			}
		case rowHead, rowBody, rowTotal:
			row := tableRow{kind: tag, cells: strings.Split(content, cellSep)}
			if n := len(bs); n > 0 && bs[n-1].kind == kindTable {
				bs[n-1].rows = append(bs[n-1].rows, row)
			} else {
				bs = append(bs, block{kind: kindTable, rows: []tableRow{row}})
			}
		case kindLine:
			b := block{kind: kindLine, text: content}
			if l, v, ok := strings.Cut(content, cellSep); ok {
				b.label, b.text = l, v
			}
			if strings.Contains(b.text, cellSep) {
				return nil, fmt.Errorf("markup line %d: more than one separator in %q", i+1, line)
			}
			bs = append(bs, b)
		case kindTitle, kindHeading, kindPara, kindBold, kindQuote, kindItem, kindRight:
			if strings.Contains(content, cellSep) {
				return nil, fmt.Errorf("markup line %d: separator outside a table or line: %q", i+1, line)
			}
			bs = append(bs, block{kind: kind, text: content})
		default:
			return nil, fmt.Errorf("markup line %d: unknown tag %q", i+1, tag)
		}
	}
	if n := len(bs); n > 0 && bs[n-1].kind == kindGap {
		bs = bs[:n-1] // none last
	}
	return bs, nil
}

// elements counts the lines of markup s that are not blank: at most the blocks it parses into.
func elements(s string) int {
	n := 0
	for s != "" {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// renderText renders blocks as plain text: one line per element, list items numbered, table
// rows with their cells joined, an empty line for a gap.
func renderText(bs []block, ls labels) string {
	var t strings.Builder
	t.Grow(textSize(bs, ls))
	first := true
	newLine := func() {
		if !first {
			t.WriteByte('\n')
		}
		first = false
	}
	item := 0
	for _, b := range bs {
		if b.kind != kindItem {
			item = 0
		}
		switch b.kind {
		case kindGap:
			newLine()
		case kindItem:
			item++
			newLine()
			fmt.Fprintf(&t, ls.ListItem, item)
			writeBreaks(&t, b.text, "\n")
		case kindTable:
			for _, r := range b.rows {
				cells := r.cells
				// lineBreak is white space to TrimSpace, as the space it becomes
				for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
					cells = cells[:len(cells)-1]
				}
				newLine()
				for i, c := range cells {
					if i > 0 {
						t.WriteString(ls.CellSeparator)
					}
					writeBreaks(&t, c, " ")
				}
			}
		default:
			newLine()
			writeBreaks(&t, b.label, "\n")
			writeBreaks(&t, b.text, "\n")
		}
	}
	return t.String()
}

// textSize is about the length of the text of bs, so that it is written without growing.
func textSize(bs []block, ls labels) int {
	n := 0
	for _, b := range bs {
		n += len(b.label) + len(b.text) + len(ls.ListItem) + 8
		for _, r := range b.rows {
			n += 1 + len(r.cells)*len(ls.CellSeparator)
			for _, c := range r.cells {
				n += len(c)
			}
		}
	}
	return n
}

// writeBreaks writes s with each line break inside user text as br: a newline in a line of its
// own, a space in a table cell.
func writeBreaks(t *strings.Builder, s, br string) {
	for {
		seg, rest, ok := strings.Cut(s, lineBreak)
		t.WriteString(seg)
		if !ok {
			return
		}
		t.WriteString(br)
		s = rest
	}
}
