package paste

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"complaintbot/providers"
)

// Alias is one way a payment institution is written in the texts users paste: its brand in an
// SMS signature (【拉卡拉】), its legal name, or a Latin spelling.
type Alias struct {
	Key    string // the provider's stable key, as flows.Provider.Key ("lakala")
	Text   string // how it is written; Latin aliases match case-insensitively, as whole words
	Source string // where the alias comes from
	// NotAfter lists runes that, written just before the alias, make it an ordinary word
	// (赚快钱 is "quick money", not 快钱).
	NotAfter string
	low      string // Text with its ASCII letters lowered, as providersIn compares it
}

// shortInText are the two-character short names that may be read inside running text, with the
// runes that make them an ordinary word when written just before. The other two-character
// names of package providers (海科: 上海科技) are read only as an SMS signature.
var shortInText = map[string]string{"银盛": "", "快钱": "赚挣搞", "乐刷": ""}

// Aliases lists the known providers' names as they appear in pasted text, longest first within
// a provider: the legal names, short names and Latin names of package providers, the one table
// of providers (flows, the bot and the document use it too), less the two-character names that
// are ordinary words in running text and the Latin abbreviations that begin serial numbers
// (those two are read as an SMS signature only).
var Aliases = aliasesOf(providers.Embedded().All())

// aliasLexicon finds which aliases a lowered text holds, bit i for Aliases[i]; nil when there are
// more aliases than a lexicon tells apart, and then each alias is looked for.
var aliasLexicon = lexiconOfAliases(Aliases)

func lexiconOfAliases(as []Alias) *lexicon {
	if len(as) > 64 {
		return nil
	}
	lows := make([]string, len(as))
	for i, a := range as {
		lows[i] = a.low
	}
	return newLexicon(each(lows)...)
}

// aliasesOf derives the aliases from the providers' data.
func aliasesOf(ps []providers.Provider) []Alias {
	var out []Alias
	for _, p := range ps {
		var as []Alias
		add := func(text, notAfter string) {
			for _, a := range as {
				if strings.EqualFold(a.Text, text) {
					return
				}
			}
			as = append(as, Alias{Key: p.Key, Text: text, Source: "providers: " + p.Source, NotAfter: notAfter, low: asciiLower(text)})
		}
		add(p.Name, "")
		for _, s := range p.Short {
			notAfter, ok := shortInText[s]
			if utf8.RuneCountInString(s) > 2 || ok {
				add(s, notAfter)
			}
		}
		for _, l := range p.Latin {
			if l = strings.ReplaceAll(strings.ToLower(l), " ", ""); len(l) > 4 {
				add(l, "") // abbreviations (lkl, hkrt) also begin SNs: LKL-00998877
			}
		}
		slices.SortStableFunc(as, func(a, b Alias) int { return len(b.Text) - len(a.Text) })
		out = append(out, as...)
	}
	return out
}

// ProviderKeys returns the distinct provider keys of Aliases in table order.
func ProviderKeys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, a := range Aliases {
		if !seen[a.Key] {
			seen[a.Key] = true
			keys = append(keys, a.Key)
		}
	}
	return keys
}

var signatureRe = regexp.MustCompile(`【([^】]{1,24})】|\[([^\]]{1,24})\]`)

func (r *reader) providersIn(s string) {
	low := asciiLower(s)
	for _, g := range signatureRe.FindAllStringSubmatch(s, cheap(strings.ContainsAny(s, "【["))) {
		name := g[1] + g[2]
		if k := aliasKey(asciiLower(name)); k != "" && !contains(r.sigKeys, k) {
			r.sigKeys = append(r.sigKeys, k)
		}
		if r.signature != "" || !paymentName(name) {
			continue
		}
		r.signature = strings.TrimSpace(name)
		r.sigKey = aliasKey(asciiLower(name))
	}
	held := ^uint64(0)
	if aliasLexicon != nil {
		held = aliasLexicon.scan(low)
	}
	for n, a := range Aliases {
		if n < 64 && held&(1<<n) == 0 {
			continue
		}
		text := a.low
		for from := 0; ; {
			i := strings.Index(low[from:], text)
			if i < 0 {
				break
			}
			i += from
			from = i + len(text)
			if latin(text) && (i > 0 && alnum(low[i-1]) || from < len(low) && alnum(low[from])) {
				continue // part of a longer word or code
			}
			if a.NotAfter != "" && i > 0 {
				prev, _ := utf8.DecodeLastRuneInString(low[:i])
				if strings.ContainsRune(a.NotAfter, prev) {
					continue
				}
			}
			if r.provText == nil {
				r.provText = map[string]string{}
			}
			if _, ok := r.provText[a.Key]; !ok {
				r.provText[a.Key] = s[i : i+len(text)]
				r.provKeys = append(r.provKeys, a.Key)
			}
		}
	}
}

// asciiLower lowers ASCII letters only, so that byte offsets in the result are those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// paymentName reports whether an SMS signature looks like a payment institution's.
func paymentName(name string) bool {
	low := asciiLower(name)
	if aliasKey(low) != "" {
		return true
	}
	for _, w := range []string{"支付", "付", "刷", "pos", "钱", "收银", "商户", "融通", "pay"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

func aliasKey(low string) string {
	for _, a := range Aliases {
		if strings.Contains(low, asciiLower(a.Text)) {
			return a.Key
		}
	}
	for _, p := range providers.Embedded().All() {
		if name := strings.TrimSpace(low); slices.Contains(p.Short, name) || slices.Contains(p.Latin, name) {
			return p.Key // a signature that is a short name on its own: 【海科】, 【LKL】
		}
	}
	return ""
}

// latin reports whether an alias is written in ASCII.
func latin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// alnum reports whether b is an ASCII letter or digit.
func alnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
