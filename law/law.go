// Package law holds the statute texts complaintbot may quote (DOMAIN.md §4), as one embedded
// data file, and chooses the articles of a complaint's legal basis by charge kind and
// complainant type. CheckQuotes lets any document's tests prove that every article they quote
// is quoted whole and exactly.
package law

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"complaintbot/flows"
)

//go:embed statutes.toml
var statutesTOML string

// Article is one article of a law: its citation and, when we hold it, its whole text.
type Article struct {
	Key        string   // stable key, e.g. "pay34"; used by the basis table and by templates
	Law        string   // the law's full name without 《》, e.g. 中华人民共和国价格法
	Number     string   // e.g. 第十三条
	Paragraphs []string // the whole text, one paragraph each; empty when we may only mention it
	Excerpts   []string // parts of the text we may quote in 「…」 when we hold no whole text
	Source     string   // where the text was copied from
}

// Citation is the article's name as a complaint writes it: 《中华人民共和国价格法》第十三条.
func (a Article) Citation() string { return "《" + a.Law + "》" + a.Number }

// Text is the article's whole text, its paragraphs joined by line breaks; empty when we hold
// only its name or excerpts.
func (a Article) Text() string { return strings.Join(a.Paragraphs, "\n") }

// Quote is the citation on its own line followed by the whole text, the form CheckQuotes
// verifies.
func (a Article) Quote() string { return a.Citation() + "\n" + a.Text() }

// Whole reports whether the article's whole text is held, so it may be quoted in full.
func (a Article) Whole() bool { return len(a.Paragraphs) > 0 }

// statutes is the parsed data file.
type statutes struct {
	articles []Article
	byKey    map[string]int
	byCite   map[string]int // key: full law name + number
	basis    []basisRow
	closing  []string
	report   []string
}

type basisRow struct {
	Kinds    []string `toml:"kinds"`
	Everyone []string `toml:"everyone"`
	Consumer []string `toml:"consumer"`
	Merchant []string `toml:"merchant"`
	Source   string   `toml:"source"`
}

type fileArticle struct {
	Key      string   `toml:"key"`
	Law      string   `toml:"law"`
	Number   string   `toml:"number"`
	Text     string   `toml:"text"`
	Excerpts []string `toml:"excerpts"`
	Source   string   `toml:"source"`
}

type file struct {
	Closing       []string      `toml:"closing"`
	ClosingSource string        `toml:"closing_source"`
	Report        []string      `toml:"report"`
	ReportSource  string        `toml:"report_source"`
	Basis         []basisRow    `toml:"basis"`
	Article       []fileArticle `toml:"article"`
}

// load is parsed once; the embedded file never changes, and its test proves it parses.
var load = sync.OnceValues(func() (*statutes, error) { return parse(statutesTOML) })

// data returns the parsed statutes. The embedded file is checked by the package's tests, so a
// failure here is a build that skipped them.
func data() *statutes {
	s, err := load()
	if err != nil {
		panic(err)
	}
	return s
}

// parse reads and validates a statutes file.
func parse(src string) (*statutes, error) {
	var f file
	md, err := toml.Decode(src, &f)
	if err != nil {
		return nil, fmt.Errorf("law: statutes.toml: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("law: statutes.toml: unknown field %s", un[0])
	}
	s := &statutes{byKey: map[string]int{}, byCite: map[string]int{}, basis: f.Basis, closing: f.Closing, report: f.Report}
	for i, fa := range f.Article {
		row := fmt.Sprintf("law: statutes.toml: article %d (%s)", i+1, fa.Key)
		if fa.Key == "" || fa.Law == "" || fa.Number == "" || fa.Source == "" {
			return nil, fmt.Errorf("%s: key, law, number and source are required", row)
		}
		if !strings.HasPrefix(fa.Number, "第") || !strings.HasSuffix(fa.Number, "条") {
			return nil, fmt.Errorf("%s: number %q is not 第…条", row, fa.Number)
		}
		if _, dup := s.byKey[fa.Key]; dup {
			return nil, fmt.Errorf("%s: duplicate key", row)
		}
		a := Article{Key: fa.Key, Law: fa.Law, Number: fa.Number, Excerpts: fa.Excerpts, Source: fa.Source}
		if t := strings.TrimSuffix(fa.Text, "\n"); t != "" {
			a.Paragraphs = strings.Split(t, "\n")
			for _, p := range a.Paragraphs {
				if p == "" || strings.TrimSpace(p) != p {
					return nil, fmt.Errorf("%s: a paragraph is empty or has surrounding spaces", row)
				}
			}
		}
		cite := fa.Law + fa.Number
		if _, dup := s.byCite[cite]; dup {
			return nil, fmt.Errorf("%s: %s listed twice", row, a.Citation())
		}
		s.byKey[a.Key] = len(s.articles)
		s.byCite[cite] = len(s.articles)
		s.articles = append(s.articles, a)
	}
	whole := func(where string, keys []string) error {
		for _, k := range keys {
			i, ok := s.byKey[k]
			if !ok {
				return fmt.Errorf("law: statutes.toml: %s names unknown article %q", where, k)
			}
			if !s.articles[i].Whole() {
				return fmt.Errorf("law: statutes.toml: %s names %q, whose whole text we do not hold", where, k)
			}
			if k == "cpl39" {
				return fmt.Errorf("law: statutes.toml: %s names cpl39, which belongs in explanations only", where)
			}
		}
		return nil
	}
	if err := whole("closing", s.closing); err != nil {
		return nil, err
	}
	if err := whole("report", s.report); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, b := range s.basis {
		where := fmt.Sprintf("basis %d", i+1)
		if b.Source == "" || len(b.Kinds) == 0 {
			return nil, fmt.Errorf("law: statutes.toml: %s: kinds and source are required", where)
		}
		for _, k := range b.Kinds {
			if seen[k] {
				return nil, fmt.Errorf("law: statutes.toml: %s: kind %q in two rows", where, k)
			}
			seen[k] = true
		}
		for _, keys := range [][]string{b.Everyone, b.Consumer, b.Merchant} {
			if err := whole(where, keys); err != nil {
				return nil, err
			}
		}
	}
	if !seen[string(flows.OtherCharge)] {
		return nil, fmt.Errorf("law: statutes.toml: no basis row for %q", flows.OtherCharge)
	}
	return s, nil
}

// Articles returns every article in the data, in the file's order.
func Articles() []Article { return slices.Clone(data().articles) }

// Lookup returns the article with the given key.
func Lookup(key string) (Article, bool) {
	s := data()
	i, ok := s.byKey[key]
	if !ok {
		return Article{}, false
	}
	return s.articles[i], true
}

// Basis returns the articles a complaint's legal basis quotes, in order (DOMAIN.md §4): those
// for everyone, then the consumer's or the merchant's, then 条例 第三十五条 closing every case.
// An unknown charge kind is treated as "other"; an empty or unknown complainant type gets the
// articles for everyone only. 消法 第三十九条 is never among them.
func Basis(kind flows.ChargeKind, typ flows.ComplainantType) []Article {
	s := data()
	row := s.row(string(kind))
	if row == nil {
		row = s.row(string(flows.OtherCharge))
	}
	keys := slices.Clone(row.Everyone)
	switch typ {
	case flows.Consumer:
		keys = append(keys, row.Consumer...)
	case flows.Individual, flows.Company:
		keys = append(keys, row.Merchant...)
	}
	keys = append(keys, s.closing...)
	return s.pick(keys)
}

// Report returns the articles a 举报 (a report of an unmarked fee as a price violation, DOMAIN.md
// §2) quotes whole.
func Report() []Article {
	s := data()
	return s.pick(s.report)
}

func (s *statutes) row(kind string) *basisRow {
	for i := range s.basis {
		if slices.Contains(s.basis[i].Kinds, kind) {
			return &s.basis[i]
		}
	}
	return nil
}

func (s *statutes) pick(keys []string) []Article {
	out := make([]Article, 0, len(keys))
	for _, k := range keys {
		a := s.articles[s.byKey[k]]
		if !slices.ContainsFunc(out, func(b Article) bool { return b.Key == a.Key }) {
			out = append(out, a)
		}
	}
	return out
}
