package paste

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Alias is one way a payment institution is written in the texts users paste: its brand in an
// SMS signature (【拉卡拉】), its legal name, or a Latin spelling.
type Alias struct {
	Key    string // the provider's stable key, as flows.Provider.Key ("lakala")
	Text   string // how it is written; Latin aliases match case-insensitively
	Source string // where the alias comes from
	// NotAfter lists runes that, written just before the alias, make it an ordinary word
	// (赚快钱 is "quick money", not 快钱).
	NotAfter string
}

// The sources of the alias rows.
const (
	srcDomain = "DOMAIN.md §2 (legal name and short name)"
	srcLatin  = "the provider's Latin brand, as in its web domain [weak]"
)

// Aliases lists the known providers' names as they appear in pasted text, longest first within
// a provider. It is the one table of these names: flows and the bot may reuse it.
var Aliases = []Alias{
	{"lakala", "拉卡拉支付股份有限公司", srcDomain, ""},
	{"lakala", "拉卡拉", srcDomain, ""},
	{"lakala", "lakala", srcLatin, ""},
	{"shengpay", "上海盛付通电子支付服务有限公司", srcDomain, ""},
	{"shengpay", "盛付通", srcDomain, ""},
	{"shengpay", "shengpay", srcLatin, ""},
	{"yinsheng", "银盛支付服务股份有限公司", srcDomain, ""},
	{"yinsheng", "银盛支付", srcDomain, ""},
	{"yinsheng", "银盛", srcDomain, ""},
	{"ruiyinxin", "瑞银信支付技术有限公司", srcDomain, ""},
	{"ruiyinxin", "瑞银信", srcDomain, ""},
	{"suixingfu", "随行付支付有限公司", srcDomain, ""},
	{"suixingfu", "随行付", srcDomain, ""},
	{"hkrt", "北京海科融通支付服务股份有限公司", srcDomain, ""},
	{"hkrt", "海科融通", srcDomain, ""},
	{"umpay", "联动优势电子商务有限公司", srcDomain, ""},
	{"umpay", "联动优势", srcDomain, ""},
	{"umpay", "umpay", srcLatin, ""},
	{"99bill", "快钱支付清算信息有限公司", srcDomain, ""},
	{"99bill", "快钱", srcDomain, "赚挣搞"},
	{"99bill", "99bill", srcLatin, ""},
	{"leshua", "乐刷支付科技有限公司", srcDomain, ""},
	{"leshua", "乐刷", srcDomain, ""},
	{"leshua", "leshua", srcLatin, ""},
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
	for _, a := range Aliases {
		text := asciiLower(a.Text)
		for from := 0; ; {
			i := strings.Index(low[from:], text)
			if i < 0 {
				break
			}
			i += from
			from = i + len(text)
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
	return ""
}
