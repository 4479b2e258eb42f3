package paste

import "unicode/utf8"

// A lexicon finds, in one pass over a text, which of its word lists occur in it. Asking
// strings.Contains once per word is slow on Chinese: every Chinese character starts with one of
// a few bytes (E4–E9), so the first-byte search that makes strings.Index fast stops at almost
// every character, once for each of the dozens of words. The lexicon instead looks each
// character of the text up once, among the words that start with it. (An Aho–Corasick automaton
// would avoid re-reading the few characters after a hit too; for lists of short words, which
// is what the lexicon holds, this is as fast and has no dependency.)
type lexicon struct {
	byFirst map[rune][]lexWord
	ascii   bool // some word starts with an ASCII character
}

// lexWord is one word and the lists it is in, one bit per list.
type lexWord struct {
	word  string
	lists uint64
}

// newLexicon indexes the lists; list i sets bit i of what scan returns. It panics on more than 64
// lists or an empty word, which are mistakes in this package's tables.
func newLexicon(lists ...[]string) *lexicon {
	if len(lists) > 64 {
		panic("paste: a lexicon holds at most 64 lists")
	}
	x := &lexicon{byFirst: map[rune][]lexWord{}}
	for i, list := range lists {
		for _, w := range list {
			r, _ := utf8.DecodeRuneInString(w)
			if w == "" {
				panic("paste: an empty word in a lexicon")
			}
			x.ascii = x.ascii || r < utf8.RuneSelf
			ws := x.byFirst[r]
			found := false
			for j := range ws {
				if ws[j].word == w {
					ws[j].lists |= 1 << i
					found = true
				}
			}
			if !found {
				ws = append(ws, lexWord{w, 1 << i})
			}
			x.byFirst[r] = ws
		}
	}
	return x
}

// scan returns the lists some word of which occurs in s: bit i for list i.
func (x *lexicon) scan(s string) uint64 {
	var found uint64
	for i, r := range s {
		if r < utf8.RuneSelf && !x.ascii {
			continue
		}
		for _, w := range x.byFirst[r] {
			if found&w.lists != w.lists && len(s)-i >= len(w.word) && s[i:i+len(w.word)] == w.word {
				found |= w.lists
			}
		}
	}
	return found
}
