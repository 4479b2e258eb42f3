package flows

import (
	"unicode/utf8"
)

// MaskNumbers hides Chinese ID-card and bank-card numbers inside free text, so a complaint can
// be shown to staff or posted without them. It keeps the first four and the last four
// characters of each number and turns every hidden digit into one '*', in place: spaces,
// dashes and the ID's final X stay where they were, so the output has exactly the input's rune
// count, and masking masked text changes nothing.
//
//	卡号6222021234567890123     → 卡号6222***********0123
//	6222 0212 3456 7890 123     → 6222 **** **** ***0 123
//	身份证 11010519491231002X   → 身份证 1101**********002X
//	110105 19491231 002X        → 1101** ******** 002X
//
// A number is
//   - a run of 15 to 19 digits (a bank card; an 18-digit ID card; a 15-digit old ID card), or 17
//     digits followed by X or x (an ID card), not counting digits of a longer run;
//   - a bank card in groups: exactly four groups of four digits, then maybe a group of one to
//     three, joined by single spaces or dashes (the same one throughout), and not part of a
//     longer chain of four-digit groups;
//   - an ID card in groups of 6, 8 and 4 (or 3 and X), alone.
//
// Mobile numbers (11 digits, also as 3-4-4) and longer runs such as order numbers are left as
// they are. Full-width digits count as digits. A 15-digit merchant number looks like an old ID
// card and is masked too.
func MaskNumbers(s string) string {
	if maskDigitCount(s) < 15 { // no number is shorter
		return s
	}
	// rs[k] is the k-th rune of s and off[k] its byte offset; off[len(rs)] == len(s).
	rs := make([]rune, 0, len(s))
	off := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		rs = append(rs, r)
		off = append(off, i)
		i += size
	}
	off = append(off, len(s))

	hide := make([]bool, len(rs))
	var groups []maskSpan
	for k := 0; k < len(rs); {
		if !maskTokenRune(rs[k]) {
			k++
			continue
		}
		groups, k = maskChain(rs, k, groups[:0])
		maskChainNumbers(rs, groups, hide)
	}

	out := make([]byte, 0, len(s))
	changed := false
	for k := range rs {
		if hide[k] {
			out = append(out, '*')
			changed = true
		} else {
			out = append(out, s[off[k]:off[k+1]]...)
		}
	}
	if !changed {
		return s
	}
	return string(out)
}

// maskSpan is a group of a chain: runes [start, end).
type maskSpan struct{ start, end int }

// maskChain reads the chain of groups starting at rs[k]: runs of digits and '*' joined by
// single separators, all the same. It appends the groups to groups and returns them with the
// index after the chain's last group. Since masking turns digits into '*' in place, masked text
// splits into the very same chains and groups as the original.
func maskChain(rs []rune, k int, groups []maskSpan) ([]maskSpan, int) {
	var sep rune
	for {
		e := k
		for e < len(rs) && maskTokenRune(rs[e]) {
			e++
		}
		groups = append(groups, maskSpan{k, e})
		if e+1 < len(rs) && maskSepRune(rs[e]) && (sep == 0 || rs[e] == sep) && maskTokenRune(rs[e+1]) {
			sep, k = rs[e], e+1
			continue
		}
		return groups, e
	}
}

// maskChainNumbers marks in hide the hidden digits of the numbers found in one chain.
func maskChainNumbers(rs []rune, groups []maskSpan, hide []bool) {
	size := func(g maskSpan) int { return g.end - g.start }
	digits := func(g maskSpan) bool {
		for _, r := range rs[g.start:g.end] {
			if !maskDigit(r) {
				return false
			}
		}
		return true
	}
	// An ID card in groups 6-8-4 or 6-8-3X, as the whole chain.
	if len(groups) == 3 && digits(groups[0]) && digits(groups[1]) && digits(groups[2]) &&
		size(groups[0]) == 6 && size(groups[1]) == 8 &&
		(size(groups[2]) == 4 || size(groups[2]) == 3 && maskIDCheck(rs, groups[2].end)) {
		last := groups[2].end
		if size(groups[2]) == 3 {
			last++
		}
		maskMiddle(rs, groups[0].start, last, hide)
		return
	}
	// A bank card in groups: a maximal run of exactly four 4-digit groups, and maybe a short
	// last group.
	four := func(i int) bool { return i < len(groups) && size(groups[i]) == 4 && digits(groups[i]) }
	for i := 0; i < len(groups); {
		if !four(i) {
			i++
			continue
		}
		j := i
		for four(j) {
			j++
		}
		if j-i == 4 {
			end := groups[j-1].end
			if j < len(groups) && size(groups[j]) < 4 && digits(groups[j]) {
				end = groups[j].end
			}
			maskMiddle(rs, groups[i].start, end, hide)
		}
		i = j
	}
	// Numbers written without separators: digit runs inside each group, which may also hold '*'
	// (text already masked elsewhere, or Markdown like "**6222…**").
	for _, g := range groups {
		for p := g.start; p < g.end; {
			if !maskDigit(rs[p]) {
				p++
				continue
			}
			q := p
			for q < g.end && maskDigit(rs[q]) {
				q++
			}
			switch n := q - p; {
			case n == 17 && maskIDCheck(rs, q):
				maskMiddle(rs, p, q+1, hide)
			case n >= 15 && n <= 19:
				maskMiddle(rs, p, q, hide)
			}
			p = q
		}
	}
}

// maskMiddle hides the digits of rs[start:end] except the first four and the last four
// number characters (digits, and an ID card's X); separators do not count.
func maskMiddle(rs []rune, start, end int, hide []bool) {
	total := 0
	for _, r := range rs[start:end] {
		if !maskSepRune(r) {
			total++
		}
	}
	seen := 0
	for k := start; k < end; k++ {
		if maskSepRune(rs[k]) {
			continue
		}
		if seen >= 4 && seen < total-4 && maskDigit(rs[k]) {
			hide[k] = true
		}
		seen++
	}
}

// maskIDCheck reports whether rs[k] is the X check character that ends an 18-character ID card:
// X or x (also full-width), not followed by a letter or digit.
func maskIDCheck(rs []rune, k int) bool {
	if k >= len(rs) {
		return false
	}
	switch rs[k] {
	case 'X', 'x', 'Ｘ', 'ｘ':
	default:
		return false
	}
	if k+1 == len(rs) {
		return true
	}
	r := rs[k+1]
	return !(maskDigit(r) || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
		'ａ' <= r && r <= 'ｚ' || 'Ａ' <= r && r <= 'Ｚ')
}

// maskDigit reports whether r is an ASCII or full-width digit.
func maskDigit(r rune) bool { return '0' <= r && r <= '9' || '０' <= r && r <= '９' }

// maskTokenRune reports whether r can be part of a group: a digit, or a '*' left by masking.
func maskTokenRune(r rune) bool { return maskDigit(r) || r == '*' }

// maskSepRune reports whether r joins groups of a number: a space or a dash, ASCII or
// full-width.
func maskSepRune(r rune) bool { return r == ' ' || r == '-' || r == '\u3000' || r == '－' }

// maskDigitCount counts the digits of s, to skip text that cannot hold a number.
func maskDigitCount(s string) int {
	n := 0
	for _, r := range s {
		if maskDigit(r) {
			n++
		}
	}
	return n
}
