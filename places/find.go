package places

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Find reads a city as a user types it: 深圳, 深圳市, 广东深圳, 广东省深圳市南山区, Shenzhen,
// shen zhen, SHENZHEN, Shenzhen City, Xi'an, Suzhou Jiangsu. It reports false when the text names
// no city in the data, only a province, or several cities (suzhou is 苏州 and 宿州; Candidates
// lists them), so that the bot asks again rather than write a Latin or a wrong name into a
// complaint.
func Find(typed string) (City, bool) {
	cs := Candidates(typed)
	if len(cs) != 1 {
		return City{}, false
	}
	return cs[0], true
}

// Candidates returns every city the typed text may mean: none, one, or several for a pinyin that
// several cities share (suzhou, taizhou, fuzhou, yichun, yulin) unless a province is typed too.
func Candidates(typed string) []City {
	ix := data()
	s := clean(typed)
	if hasHan(s) {
		var han strings.Builder
		for _, r := range s {
			if unicode.Is(unicode.Han, r) {
				han.WriteRune(r)
			}
		}
		if i, ok := ix.chinese(han.String(), false); ok {
			return []City{ix.cities[i]}
		}
		return nil
	}
	return ix.latin(latinWords(s))
}

// InAddress finds the city an address is in, from its beginning: 北京市海淀区…, 广东省深圳市…,
// 深圳南山区…. It reports false when the address does not start with a city in the data.
func InAddress(address string) (City, bool) {
	ix := data()
	s := strings.Join(strings.Fields(clean(address)), "")
	if i, ok := ix.chinese(s, true); ok {
		return ix.cities[i], true
	}
	return City{}, false
}

// chinese reads a Chinese city name, optionally preceded by 中国 and a province and followed by a
// district (南山区) or, in an address, anything after the full name.
func (ix *index) chinese(s string, address bool) (int, bool) {
	s = strings.TrimPrefix(s, "中国")
	if i, ok := ix.byName[s]; ok {
		return i, true
	}
	rest, province := s, ""
	for _, p := range ix.provinces {
		if p.Kind == KindMunicipality {
			continue // 北京市 is read as the city
		}
		for _, name := range []string{p.Name, p.Short} {
			if r, ok := strings.CutPrefix(s, name); ok && r != "" {
				rest, province = r, p.Name
				break
			}
		}
		if province != "" {
			break
		}
	}
	if i, ok := ix.byName[rest]; ok && (province == "" || ix.cities[i].Province == province) {
		return i, true
	}
	// The longest city name the text starts with: 深圳市 in 深圳市南山区. Its prefixes are looked
	// up from the longest a name can be, so the first that fits is the longest.
	ends := make([]int, 0, 16)
	for i := range rest {
		if i > 0 && i <= ix.maxName {
			ends = append(ends, i)
		}
	}
	if len(rest) <= ix.maxName {
		ends = append(ends, len(rest))
	}
	for _, end := range slices.Backward(ends) {
		name := rest[:end]
		i, found := ix.byName[name]
		if !found {
			continue
		}
		if province != "" && ix.cities[i].Province != province {
			continue
		}
		after := rest[len(name):]
		ok := false
		if name == ix.cities[i].Name {
			ok = address || districtOnly(after)
		} else if !strings.HasPrefix(after, "市") {
			// 深圳南山区, but not 朝阳区 (Beijing's district, not 朝阳市).
			ok = (address && (province != "" || startsWithDistrict(after))) ||
				(districtOnly(after) && len([]rune(after)) > 1)
		}
		if ok {
			return i, true
		}
	}
	return -1, false
}

// districtOnly reports whether s is a district or county name: 南山区, 市南山区 (after a short
// name), 海淀区.
func districtOnly(s string) bool {
	s = strings.TrimPrefix(s, "市")
	return s != "" && (strings.HasSuffix(s, "区") || strings.HasSuffix(s, "县"))
}

// startsWithDistrict reports whether an address goes on with a district or county name of at
// least two characters: 南山区科技园 does, 区… and 门外大街 do not.
func startsWithDistrict(s string) bool {
	r := []rune(s)
	for i := 1; i < len(r) && i < 5; i++ {
		if r[i] == '区' || r[i] == '县' {
			return true
		}
	}
	return false
}

// stopWords are the Latin words that add nothing to a city's name.
var stopWords = []string{"city", "shi", "municipality", "china", "prc", "province", "sheng", "prefecture"}

// latin reads a city from Latin words.
func (ix *index) latin(words []string) []City {
	if cs := ix.latinKey(strings.Join(words, "")); len(cs) > 0 {
		return cs // before stop words go: huang shi is 黄石
	}
	words = slices.DeleteFunc(words, func(w string) bool { return slices.Contains(stopWords, w) })
	if len(words) == 0 {
		return nil
	}
	if cs := ix.latinKey(strings.Join(words, "")); len(cs) > 0 {
		return cs
	}
	// A province typed before or after the city: "Suzhou, Jiangsu", "guangdong shenzhen".
	for _, end := range []int{0, len(words) - 1} {
		pi, ok := ix.provByKey[words[end]]
		if !ok || len(words) < 2 {
			continue
		}
		rest := slices.Delete(slices.Clone(words), end, end+1)
		cs := slices.DeleteFunc(ix.latinKey(strings.Join(rest, "")), func(c City) bool {
			return c.Province != ix.provinces[pi].Name
		})
		if len(cs) > 0 {
			return cs
		}
	}
	return nil
}

// latinKey looks a joined Latin name up, also without a trailing "shi" (shenzhenshi).
func (ix *index) latinKey(key string) []City {
	is := ix.byLatin[key]
	if len(is) == 0 {
		if k, ok := strings.CutSuffix(key, "shi"); ok {
			is = ix.byLatin[k]
		}
	}
	out := make([]City, 0, len(is))
	for _, i := range is {
		if !slices.ContainsFunc(out, func(c City) bool { return c.Name == ix.cities[i].Name }) {
			out = append(out, ix.cities[i])
		}
	}
	return out
}

// clean folds full-width forms (ＳＨＥＮＺＨＥＮ, 　) to their ordinary ones and trims space.
func clean(s string) string { return strings.TrimSpace(width.Fold.String(s)) }

// latinWords lowercases s, drops accents (Xī'ān, Lǚliáng), and splits it into runs of letters;
// an apostrophe joins (xi'an is one word).
func latinWords(s string) []string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\'' || r == '’':
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			w.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return words
}

// latinKey is the form the data's Latin names take: lowercase ASCII letters only.
func latinKey(s string) string { return strings.Join(latinWords(s), "") }

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
