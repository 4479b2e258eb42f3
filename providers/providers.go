// Package providers knows the payment institutions complained about (DOMAIN.md §2): their legal
// names, the short names users type, where they are registered and so which PBOC branch
// supervises them, their address when verified, and where each fact comes from. The data is
// embedded in the binary; an operator file of the same form adds providers or fills in fields
// (an address) without a release.
package providers

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/width"

	"complaintbot/places"
)

//go:embed providers.toml
var providersTOML string

// Provider is a payment institution a complaint may name as respondent.
type Provider struct {
	Key          string   // stable id stored with complaints: lakala
	Name         string   // legal name: 拉卡拉支付股份有限公司
	Short        []string // Chinese short names users type: 拉卡拉, 拉卡拉支付
	Latin        []string // pinyin, English names and abbreviations: lakala, lkl
	City         string   // registered city's full name (北京市); empty when unknown
	PBOCBranch   string   // the supervising PBOC branch by DOMAIN.md §2's rule; empty when City is
	Address      string   // registered address when verified; empty otherwise, never guessed
	LicenceEnded bool     // its licence is reported cancelled or expired; it still answers for money it took
	Note         string   // what staff should know
	Source       string   // where the facts come from; an operator row's source is appended
}

// Place returns the city where the provider is registered, which decides the market regulator
// and consumer association of a consumer's complaint (the respondent's place, DOMAIN.md §2).
func (p Provider) Place() (places.City, bool) {
	if p.City == "" {
		return places.City{}, false
	}
	return places.ByName(p.City)
}

// RowError is a row of a providers file that cannot be used.
type RowError struct {
	File string // "providers.toml (embedded)" or the operator file's path
	Row  int    // 1-based index of the [[provider]] row; 0 for the file as a whole
	Key  string // the row's key, when it has one
	Err  error
}

func (e *RowError) Error() string {
	if e.Row == 0 {
		return fmt.Sprintf("providers: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("providers: %s: provider %d (key %q): %v", e.File, e.Row, e.Key, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// List is a loaded set of providers; it is read-only and safe for concurrent use.
type List struct {
	providers []Provider
	byName    map[string]int // every normalised name form
	contained []nameAt       // Chinese names of three or more characters, matched inside text
}

type nameAt struct {
	name string
	at   int
}

type row struct {
	Key          string   `toml:"key"`
	Name         string   `toml:"name"`
	Short        []string `toml:"short"`
	Latin        []string `toml:"latin"`
	City         string   `toml:"city"`
	Address      string   `toml:"address"`
	LicenceEnded *bool    `toml:"licence_ended"`
	Note         string   `toml:"note"`
	Source       string   `toml:"source"`
}

type file struct {
	Provider []row `toml:"provider"`
}

const embeddedName = "providers.toml (embedded)"

var embedded = sync.OnceValues(func() (*List, error) {
	l := &List{}
	if err := l.merge(embeddedName, providersTOML); err != nil {
		return nil, err
	}
	return l, nil
})

// Embedded returns the providers of the embedded data alone. Its tests prove the data loads.
func Embedded() *List {
	l, err := embedded()
	if err != nil {
		panic(err)
	}
	return l
}

// Load returns the embedded providers merged with the operator file at overridePath (none when
// the path is empty). A row of that file whose key is known fills in or replaces the fields it
// sets (name, city, address, note, licence_ended) and adds its short and Latin names; a row with
// a new key adds a provider, which needs a name. Every row needs a source. Errors are *RowError,
// naming the file and the row.
func Load(overridePath string) (*List, error) {
	base := Embedded()
	if overridePath == "" {
		return base, nil
	}
	b, err := os.ReadFile(overridePath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &RowError{File: overridePath, Err: fmt.Errorf("no such file: %w", err)}
		}
		return nil, &RowError{File: overridePath, Err: err}
	}
	l := &List{providers: make([]Provider, len(base.providers))}
	for i, p := range base.providers {
		p.Short, p.Latin = slices.Clone(p.Short), slices.Clone(p.Latin)
		l.providers[i] = p
	}
	if err := l.merge(overridePath, string(b)); err != nil {
		return nil, err
	}
	return l, nil
}

// merge applies the rows of one file and rebuilds the name index.
func (l *List) merge(name, src string) error {
	var f file
	md, err := toml.Decode(src, &f)
	if err != nil {
		return &RowError{File: name, Err: err}
	}
	if un := md.Undecoded(); len(un) > 0 {
		return &RowError{File: name, Err: fmt.Errorf("unknown field %s", un[0])}
	}
	if len(f.Provider) == 0 {
		return &RowError{File: name, Err: errors.New("no [[provider]] rows")}
	}
	seen := map[string]bool{}
	rowOf := map[int]int{} // provider index → the row of this file that set it
	for i, r := range f.Provider {
		bad := func(format string, args ...any) error {
			return &RowError{File: name, Row: i + 1, Key: r.Key, Err: fmt.Errorf(format, args...)}
		}
		if !validKey(r.Key) {
			return bad("key must be lowercase letters, digits, - or _")
		}
		if seen[r.Key] {
			return bad("key listed twice")
		}
		seen[r.Key] = true
		if strings.TrimSpace(r.Source) == "" {
			return bad("source is required: say where the facts come from")
		}
		at := slices.IndexFunc(l.providers, func(p Provider) bool { return p.Key == r.Key })
		if at < 0 {
			if r.Name == "" {
				return bad("name (the legal name) is required for a new provider")
			}
			l.providers = append(l.providers, Provider{Key: r.Key})
			at = len(l.providers) - 1
		}
		rowOf[at] = i + 1
		p := &l.providers[at]
		if r.Name != "" {
			if !hasHan(r.Name) || strings.TrimSpace(r.Name) != r.Name {
				return bad("name %q is not a Chinese legal name", r.Name)
			}
			p.Name = r.Name
		}
		for _, s := range r.Short {
			if utf8.RuneCountInString(s) < 2 || !allHan(s) {
				return bad("short name %q: two or more Chinese characters only", s)
			}
			if !slices.Contains(p.Short, s) {
				p.Short = append(p.Short, s)
			}
		}
		for _, s := range r.Latin {
			if len(s) < 3 || normalise(s) != s || hasHan(s) {
				return bad("latin name %q: three or more lowercase letters or digits only", s)
			}
			if !slices.Contains(p.Latin, s) {
				p.Latin = append(p.Latin, s)
			}
		}
		if r.City != "" {
			c, ok := places.ByName(r.City)
			if !ok || c.Name != r.City {
				return bad("city %q is not a city's full name we know (e.g. 北京市)", r.City)
			}
			p.City, p.PBOCBranch = c.Name, c.PBOCBranch()
		}
		if r.Address != "" {
			if strings.TrimSpace(r.Address) != r.Address || !hasHan(r.Address) {
				return bad("address must be the Chinese address, without surrounding spaces")
			}
			p.Address = r.Address
		}
		if r.LicenceEnded != nil {
			p.LicenceEnded = *r.LicenceEnded
		}
		if r.Note != "" {
			p.Note = r.Note
		}
		if p.Source == "" {
			p.Source = r.Source
		} else {
			p.Source += "; " + name + ": " + r.Source
		}
	}
	return l.index(name, rowOf)
}

// index builds the name lookups and refuses a name that two providers share, naming the row of
// file that introduced it.
func (l *List) index(file string, rowOf map[int]int) error {
	l.byName = map[string]int{}
	l.contained = nil
	for i, p := range l.providers {
		forms := append([]string{p.Key, p.Name}, p.Short...)
		forms = append(forms, p.Latin...)
		for _, f := range forms {
			n := normalise(f)
			if j, dup := l.byName[n]; dup && j != i {
				row, other := rowOf[i], l.providers[j].Key
				if row == 0 {
					row, p, other = rowOf[j], l.providers[j], p.Key
				}
				return &RowError{File: file, Row: row, Key: p.Key,
					Err: fmt.Errorf("name %q also names provider %q", f, other)}
			}
			l.byName[n] = i
			if hasHan(n) && utf8.RuneCountInString(n) >= 3 {
				l.contained = append(l.contained, nameAt{n, i})
			}
		}
	}
	return nil
}

// All returns the providers, embedded ones first in the data's order.
func (l *List) All() []Provider { return slices.Clone(l.providers) }

// ByKey returns the provider with the given key.
func (l *List) ByKey(key string) (Provider, bool) {
	i := slices.IndexFunc(l.providers, func(p Provider) bool { return p.Key == key })
	if i < 0 {
		return Provider{}, false
	}
	return l.providers[i], true
}

// noise are words users type around a provider's name: 拉卡拉POS机, lakala pos, 乐刷的机器.
var noise = []string{"智能pos", "mpos", "pos机", "pos", "刷卡机", "电签版", "电签", "机器", "机具", "终端",
	"收款码", "收款", "app", "客服", "公司", "的"}

// Match finds the provider a user means: its legal name, a short name (拉卡拉, 拉卡拉支付), a
// Latin name in any case or spacing (lakala, LAKALA, Sheng Pay), possibly with words like POS机
// around it, or a Chinese name of three or more characters inside a sentence (我用的是拉卡拉的
// 机器). A two-character name (快钱, 乐刷) is matched only on its own, so 很快钱就扣了 is no
// match; text that could mean two providers is no match either.
func (l *List) Match(typed string) (Provider, bool) {
	n := normalise(typed)
	if n == "" {
		return Provider{}, false
	}
	if i, ok := l.byName[n]; ok {
		return l.providers[i], true
	}
	if i, ok := l.byName[stripNoise(n)]; ok {
		return l.providers[i], true
	}
	found := -1
	add := func(i int) bool {
		if found >= 0 && found != i {
			return false
		}
		found = i
		return true
	}
	for _, c := range l.contained {
		if strings.Contains(n, c.name) && !add(c.at) {
			return Provider{}, false
		}
	}
	for _, w := range latinWords(typed) {
		i, ok := l.byName[w]
		if !ok {
			i, ok = l.byName[stripNoise(w)]
		}
		if ok && !hasHan(w) && !add(i) {
			return Provider{}, false
		}
	}
	if found < 0 {
		return Provider{}, false
	}
	return l.providers[found], true
}

// Mentioned lists the providers a text names anywhere inside it, in the data's order: a
// Chinese name of two or more characters, or a Latin name as a word ("拉卡拉和乐刷两台机器都扣了"
// names 拉卡拉 and 乐刷). Unlike Match it reads two-character names inside text, so it is for
// telling whether a story is about several providers, not for picking one.
func (l *List) Mentioned(text string) []Provider {
	n := normalise(text)
	words := latinWords(text)
	seen := map[int]bool{}
	for name, i := range l.byName {
		if hasHan(name) && utf8.RuneCountInString(name) >= 2 && strings.Contains(n, name) || !hasHan(name) && slices.Contains(words, name) {
			seen[i] = true
		}
	}
	var out []Provider
	for i, p := range l.providers {
		if seen[i] {
			out = append(out, p)
		}
	}
	return out
}

// stripNoise removes the noise words from a normalised text.
func stripNoise(n string) string {
	for _, w := range noise {
		n = strings.ReplaceAll(n, w, "")
	}
	return n
}

// normalise folds width and case, writes the traditional characters of the providers' names
// and the noise words in their simplified form (樂刷 → 乐刷, 銀盛 → 银盛, POS機 → pos机), and keeps
// only letters and digits: "LAKALA POS" → "lakalapos".
func normalise(s string) string {
	var b strings.Builder
	for _, r := range width.Fold.String(s) {
		if sc, ok := simplified[r]; ok {
			r = sc
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// simplified maps the traditional characters that differ in the embedded providers' names and
// the noise words to their simplified forms, for users who type traditional characters (Hong
// Kong, Taiwan, or a phone set to them). A name added by PROVIDERS_FILE with other such
// characters is matched as typed.
var simplified = map[rune]rune{
	'樂': '乐', '銀': '银', '隨': '随', '聯': '联', '動': '动', '優': '优', '勢': '势', '務': '务', '錢': '钱',
	'術': '术', '電': '电', '機': '机', '訊': '讯', '資': '资', '終': '终', '簽': '签',
	'碼': '码', '戶': '户', '們': '们', '東': '东', '廣': '广', '寶': '宝', '網': '网', '絡': '络', '雲': '云',
}

// latinWords splits text into its runs of ASCII letters and digits, lowercased.
func latinWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(width.Fold.String(s)), func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func allHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) < 0
}
