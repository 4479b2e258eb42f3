package document

import (
	"html"
	"strings"
	"unicode/utf8"
)

// SplitHTML splits a message in Telegram's HTML into parts of at most limit UTF-16 code units
// as Telegram counts them: in the text it shows, after parsing, where a tag counts nothing and
// an entity such as "&amp;" counts as the character it stands for. It packs whole lines as
// Split does and cuts a longer line only between characters, never inside a tag or an entity;
// a tag open at a split point is closed at the end of its part and opened again at the start
// of the next, so that every part is HTML Telegram parses. Text that fits is returned
// unchanged as the only part; empty text has no parts. A limit below 2 is taken as 2.
func SplitHTML(text string, limit int) []string {
	limit = max(limit, 2)
	if text == "" {
		return nil
	}
	if len(text) <= limit || utf16Len(text) <= limit {
		// counted as plain text, tags and entities count at least what Telegram counts: it fits
		return []string{text}
	}
	toks := htmlTokens(text)
	total := 0
	for _, t := range toks {
		total += t.units
	}
	if total <= limit {
		return []string{text}
	}
	var sp htmlSplitter
	line := 0 // the first token of the line being read
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i].s != "\n" {
			continue
		}
		sp.line(toks[line:i], limit)
		line = i + 1
	}
	sp.flush()
	return sp.parts
}

// htmlToken is a piece of an HTML message: a tag, an entity, a newline or one other character.
type htmlToken struct {
	s     string
	units int    // the UTF-16 code units Telegram counts for it
	tag   string // a tag's name, lower case; "" for text
	close bool   // a closing tag
}

// htmlTokens cuts text into its tags, entities and characters. Markup that is not a tag or an
// entity (a "<" or "&" alone) is text, as each of its characters.
func htmlTokens(text string) []htmlToken {
	var toks []htmlToken
	for i := 0; i < len(text); {
		switch text[i] {
		case '<':
			if j := tagLen(text[i:]); j > 0 {
				s := text[i : i+j+1]
				name := strings.TrimPrefix(s[1:len(s)-1], "/")
				if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
					name = name[:k]
				}
				toks = append(toks, htmlToken{s: s, tag: strings.ToLower(name), close: strings.HasPrefix(s, "</")})
				i += j + 1
				continue
			}
		case '&':
			if j := strings.IndexByte(text[i:], ';'); j > 1 && j <= 32 {
				s := text[i : i+j+1]
				if u := html.UnescapeString(s); u != s {
					toks = append(toks, htmlToken{s: s, units: utf16Len(u)})
					i += j + 1
					continue
				}
			}
		}
		_, size := utf8.DecodeRuneInString(text[i:]) // one character, or one invalid byte
		toks = append(toks, htmlToken{s: text[i : i+size], units: utf16Len(text[i : i+size])})
		i += size
	}
	return toks
}

// htmlSplitter packs lines of tokens into parts.
type htmlSplitter struct {
	parts []string
	start string          // the opening tags the part being built starts with
	cur   strings.Builder // the part's text after start
	n     int             // the UTF-16 code units of cur as Telegram counts them
	open  []htmlToken     // the tags open at the end of cur
}

// line adds one line's tokens, starting a new part when the line does not fit beside what the
// part holds, and cutting it when it is longer than limit.
func (sp *htmlSplitter) line(toks []htmlToken, limit int) {
	l := 0
	for _, t := range toks {
		l += t.units
	}
	switch {
	case l > limit:
		sp.flush()
		for _, t := range toks {
			if sp.n+t.units > limit && sp.n > 0 {
				sp.flush()
			}
			sp.add(t)
		}
		return
	case sp.cur.Len() == 0:
	case sp.n+1+l <= limit:
		sp.add(htmlToken{s: "\n", units: 1})
	default:
		sp.flush()
	}
	for _, t := range toks {
		sp.add(t)
	}
}

// add appends a token to the part, following the tags it opens and closes.
func (sp *htmlSplitter) add(t htmlToken) {
	sp.cur.WriteString(t.s)
	sp.n += t.units
	switch {
	case t.tag == "":
	case !t.close:
		sp.open = append(sp.open, t)
	default:
		for i := len(sp.open) - 1; i >= 0; i-- {
			if sp.open[i].tag == t.tag {
				sp.open = append(sp.open[:i], sp.open[i+1:]...)
				break
			}
		}
	}
}

// flush ends the part being built, closing the tags open in it, and starts the next with them
// opened again. A part that shows nothing is dropped.
func (sp *htmlSplitter) flush() {
	body := strings.Trim(sp.cur.String(), "\n")
	var b strings.Builder
	for _, t := range sp.open {
		b.WriteString(t.s)
	}
	if strings.TrimSpace(htmlText(body)) != "" {
		var part strings.Builder
		part.WriteString(sp.start)
		part.WriteString(body)
		for i := len(sp.open) - 1; i >= 0; i-- {
			part.WriteString("</" + sp.open[i].tag + ">")
		}
		sp.parts = append(sp.parts, part.String())
	}
	sp.start = b.String()
	sp.cur.Reset()
	sp.n = 0
}

// htmlText is what Telegram shows of an HTML fragment: its tags left out, its entities read.
func htmlText(s string) string {
	var b strings.Builder
	for _, t := range htmlTokens(s) {
		if t.tag == "" {
			b.WriteString(t.s)
		}
	}
	return html.UnescapeString(b.String())
}

// tagLen returns the index of the '>' that closes the tag s starts with, quoted attribute
// values skipped, or -1 when s does not start a tag.
func tagLen(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		case c == '<':
			return -1
		}
	}
	return -1
}
