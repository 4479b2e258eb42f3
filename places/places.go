// Package places knows the provinces and prefecture-level cities of mainland China well enough
// to name the institutions a complaint goes to (DOMAIN.md §2, §3): it reads a city as users type
// it (深圳, 深圳市, 广东省深圳市南山区, Shenzhen, shen zhen), and gives its province, the PBOC
// branch that supervises it, its consumer association and its market regulator, always in
// Chinese. The data is one embedded file with its sources.
package places

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

//go:embed places.toml
var placesTOML string

// Hotlines the route explanations name (DOMAIN.md §2).
const (
	PBOCHotline   = "12363" // the PBOC's financial-consumer hotline, answered locally on working days
	MarketHotline = "12315" // the market regulators' complaint and report platform
)

// Kind is what a provincial-level division is.
type Kind string

// The kinds of provincial-level divisions.
const (
	KindProvince     Kind = "province"     // 省
	KindRegion       Kind = "region"       // 自治区
	KindMunicipality Kind = "municipality" // 直辖市
)

// Province is a provincial-level division.
type Province struct {
	Name   string // full name: 广东省, 广西壮族自治区, 北京市
	Short  string // what people say: 广东, 广西, 北京
	Pinyin string // e.g. guangdong
	Kind   Kind
	Source string
}

// PBOCBranch is the PBOC branch of the province: 中国人民银行广东省分行, 中国人民银行北京市分行.
func (p Province) PBOCBranch() string { return "中国人民银行" + p.Name + "分行" }

// City is a prefecture-level city, or a municipality.
type City struct {
	Name         string // full name: 深圳市
	Short        string // without 市: 深圳
	Pinyin       string // e.g. shenzhen
	Province     string // the province's full name: 广东省; a municipality's is its own name
	Municipality bool   // 直辖市
	Planning     bool   // a city with separate planning status (计划单列市)
	consumerBody string // a name other than the rule's, from the data
	Source       string
}

// PBOCBranch is the PBOC branch that supervises the city (DOMAIN.md §2): a municipality's or a
// planning city's own (中国人民银行深圳市分行), otherwise its province's (中国人民银行山东省分行).
func (c City) PBOCBranch() string {
	if c.Municipality || c.Planning {
		return "中国人民银行" + c.Name + "分行"
	}
	return "中国人民银行" + c.Province + "分行"
}

// ConsumerAssociation is the city's consumer association: XX市消费者协会, or the body's own name
// where the data has one (深圳市消费者委员会).
func (c City) ConsumerAssociation() string {
	if c.consumerBody != "" {
		return c.consumerBody
	}
	return c.Name + "消费者协会"
}

// MarketRegulator is the city's market regulator: XX市市场监督管理局.
func (c City) MarketRegulator() string { return c.Name + "市场监督管理局" }

// index is the parsed data.
type index struct {
	provinces []Province
	cities    []City
	byName    map[string]int   // city full and short names
	maxName   int              // the longest of byName's keys, in bytes
	byLatin   map[string][]int // pinyin and aliases; several cities may share one (suzhou)
	provByKey map[string]int   // province full name, short name, pinyin
}

type file struct {
	Planning       []string `toml:"planning"`
	PlanningSource string   `toml:"planning_source"`
	ConsumerBody   []struct {
		City   string `toml:"city"`
		Name   string `toml:"name"`
		Source string `toml:"source"`
	} `toml:"consumer_body"`
	Alias []struct {
		City   string   `toml:"city"`
		Latin  []string `toml:"latin"`
		Source string   `toml:"source"`
	} `toml:"alias"`
	Province []struct {
		Name   string   `toml:"name"`
		Pinyin string   `toml:"pinyin"`
		Kind   Kind     `toml:"kind"`
		Cities []string `toml:"cities"`
		Source string   `toml:"source"`
	} `toml:"province"`
}

// provinceLatin are English names of provinces besides their pinyin.
var provinceLatin = map[string]string{"innermongolia": "内蒙古自治区", "tibet": "西藏自治区"}

var load = sync.OnceValues(func() (*index, error) { return parse(placesTOML) })

// data returns the parsed embedded file; its tests prove it parses.
func data() *index {
	ix, err := load()
	if err != nil {
		panic(err)
	}
	return ix
}

func parse(src string) (*index, error) {
	var f file
	md, err := toml.Decode(src, &f)
	if err != nil {
		return nil, fmt.Errorf("places: places.toml: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("places: places.toml: unknown field %s", un[0])
	}
	ix := &index{byName: map[string]int{}, byLatin: map[string][]int{}, provByKey: map[string]int{}}
	for i, fp := range f.Province {
		row := fmt.Sprintf("places: places.toml: province %d (%s)", i+1, fp.Name)
		if fp.Source == "" || fp.Pinyin == "" || len(fp.Cities) == 0 {
			return nil, fmt.Errorf("%s: pinyin, cities and source are required", row)
		}
		p := Province{Name: fp.Name, Pinyin: fp.Pinyin, Kind: fp.Kind, Source: fp.Source}
		switch fp.Kind {
		case KindProvince:
			p.Short, _ = strings.CutSuffix(fp.Name, "省")
		case KindMunicipality:
			p.Short, _ = strings.CutSuffix(fp.Name, "市")
		case KindRegion:
			p.Short, _ = strings.CutSuffix(fp.Name, "自治区")
			for _, people := range []string{"壮族", "回族", "维吾尔"} {
				p.Short = strings.TrimSuffix(p.Short, people)
			}
		default:
			return nil, fmt.Errorf("%s: kind %q is not province, region or municipality", row, fp.Kind)
		}
		if p.Short == fp.Name || p.Short == "" {
			return nil, fmt.Errorf("%s: the name does not end as its kind says", row)
		}
		for _, k := range []string{p.Name, p.Short, p.Pinyin} {
			if _, dup := ix.provByKey[k]; dup {
				return nil, fmt.Errorf("%s: %q listed twice", row, k)
			}
			ix.provByKey[k] = len(ix.provinces)
		}
		ix.provinces = append(ix.provinces, p)
		if fp.Kind == KindMunicipality && len(fp.Cities) != 1 {
			return nil, fmt.Errorf("%s: a municipality is its own only city", row)
		}
		for _, entry := range fp.Cities {
			short, py, ok := strings.Cut(entry, " ")
			if !ok || short == "" || py != latinKey(py) || strings.HasSuffix(short, "市") {
				return nil, fmt.Errorf("%s: city %q is not \"汉字 pinyin\"", row, entry)
			}
			c := City{Name: short + "市", Short: short, Pinyin: py, Province: p.Name,
				Municipality: fp.Kind == KindMunicipality, Source: fp.Source}
			if c.Municipality && c.Name != p.Name {
				return nil, fmt.Errorf("%s: the municipality's city is not named as it", row)
			}
			if _, dup := ix.byName[c.Name]; dup {
				return nil, fmt.Errorf("%s: city %s listed twice", row, c.Name)
			}
			n := len(ix.cities)
			ix.byName[c.Name], ix.byName[c.Short] = n, n
			ix.maxName = max(ix.maxName, len(c.Name))
			ix.byLatin[py] = append(ix.byLatin[py], n)
			ix.cities = append(ix.cities, c)
		}
	}
	city := func(what, name string) (*City, error) {
		i, ok := ix.byName[name]
		if !ok || ix.cities[i].Name != name {
			return nil, fmt.Errorf("places: places.toml: %s names %q, not a city's full name in the file", what, name)
		}
		return &ix.cities[i], nil
	}
	if f.PlanningSource == "" {
		return nil, fmt.Errorf("places: places.toml: planning_source is required")
	}
	for _, name := range f.Planning {
		c, err := city("planning", name)
		if err != nil {
			return nil, err
		}
		c.Planning = true
	}
	for i, cb := range f.ConsumerBody {
		c, err := city(fmt.Sprintf("consumer_body %d", i+1), cb.City)
		if err != nil {
			return nil, err
		}
		if cb.Source == "" || !strings.HasPrefix(cb.Name, c.Name) {
			return nil, fmt.Errorf("places: places.toml: consumer_body %d: a source and a name starting with %s are required", i+1, c.Name)
		}
		c.consumerBody = cb.Name
	}
	for i, a := range f.Alias {
		where := fmt.Sprintf("alias %d", i+1)
		if _, err := city(where, a.City); err != nil {
			return nil, err
		}
		if a.Source == "" {
			return nil, fmt.Errorf("places: places.toml: %s: source is required", where)
		}
		for _, l := range a.Latin {
			if l != latinKey(l) {
				return nil, fmt.Errorf("places: places.toml: %s: %q is not lowercase letters", where, l)
			}
			ix.byLatin[l] = append(ix.byLatin[l], ix.byName[a.City])
		}
	}
	return ix, nil
}

// Cities returns every city in the data, by province.
func Cities() []City { return slices.Clone(data().cities) }

// Provinces returns every provincial-level division in the data.
func Provinces() []Province { return slices.Clone(data().provinces) }

// ByName returns the city with this full or short Chinese name (深圳市 or 深圳).
func ByName(name string) (City, bool) {
	ix := data()
	i, ok := ix.byName[name]
	if !ok {
		return City{}, false
	}
	return ix.cities[i], true
}

// ProvinceOf returns the province a city belongs to.
func ProvinceOf(c City) (Province, bool) {
	ix := data()
	i, ok := ix.provByKey[c.Province]
	if !ok {
		return Province{}, false
	}
	return ix.provinces[i], true
}

// FindProvince reads a province as typed: 广东, 广东省, Guangdong, guangdong province, Tibet.
func FindProvince(typed string) (Province, bool) {
	ix := data()
	s := clean(typed)
	if i, ok := ix.provByKey[s]; ok {
		return ix.provinces[i], true
	}
	words := latinWords(s)
	key := strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "province" || w == "sheng" || w == "china" }), "")
	if name, ok := provinceLatin[key]; ok {
		key = name
	}
	if i, ok := ix.provByKey[key]; ok && key != "" {
		return ix.provinces[i], true
	}
	return Province{}, false
}
