package fakeapi

import (
	"fmt"
	"strconv"
	"strings"
)

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "span": true, "tg-spoiler": true, "a": true, "tg-emoji": true,
	"code": true, "pre": true, "blockquote": true,
}

// parseHTML checks text the way Telegram's HTML parse mode does, closely enough to catch
// unescaped user text ("<" that does not open a supported tag, unbalanced tags), and returns
// the visible text. An "&" that starts no entity is kept literally, as Telegram does.
func parseHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		switch text[i] {
		case '<':
			end := tagEnd(text, i)
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			inner := text[i+1 : end]
			if name, ok := strings.CutPrefix(inner, "/"); ok {
				name = strings.ToLower(strings.TrimSpace(name))
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unexpected end tag at byte offset %d", i)
				}
				open = open[:len(open)-1]
			} else {
				name := strings.ToLower(inner)
				if j := strings.IndexAny(name, " \t\n\r"); j >= 0 {
					name = name[:j]
				}
				if !htmlTags[name] {
					return "", fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
				}
				open = append(open, name)
			}
			i = end + 1
		case '&':
			r, n := htmlEntity(text[i:])
			if n == 0 {
				out.WriteByte('&')
				i++
				continue
			}
			out.WriteString(r)
			i += n
		default:
			out.WriteByte(text[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return out.String(), nil
}

// tagEnd returns the index of the '>' closing the tag opened at text[start], skipping quoted
// attribute values, or -1.
func tagEnd(text string, start int) int {
	var quote byte
	for i := start + 1; i < len(text); i++ {
		c := text[i]
		switch {
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

// htmlEntity decodes the entity at the start of s and returns it with its length, or n == 0.
func htmlEntity(s string) (string, int) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 10 {
		return "", 0
	}
	name := s[1:semi]
	switch name {
	case "lt":
		return "<", semi + 1
	case "gt":
		return ">", semi + 1
	case "amp":
		return "&", semi + 1
	case "quot":
		return `"`, semi + 1
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = hex, 16
		}
		if n, err := strconv.ParseUint(num, base, 32); err == nil {
			return string(rune(n)), semi + 1
		}
	}
	return "", 0
}
