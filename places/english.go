package places

import (
	"strings"
	"sync"
)

// English is the English name of a body this package names (a PBOC branch, a consumer
// association or council, a market regulator), for English readers beside the Chinese name the
// desk needs: 中国人民银行山东省分行 is "People's Bank of China, Shandong Branch", 北京市消费者协会
// "Beijing Consumer Association", 深圳市消费者委员会 "Shenzhen Consumer Council", 上海市市场监督管理局
// "Shanghai Administration for Market Regulation". It reports false for any other name (a body
// the user typed), which has no English name here.
func English(body string) (string, bool) {
	s, ok := englishNames()[strings.TrimSpace(body)]
	return s, ok
}

// English is the city's name as English writes it: "Shenzhen" for 深圳市.
func (c City) English() string { return latinTitle(c.Pinyin) }

// englishNames maps every body name the data gives to its English name.
var englishNames = sync.OnceValue(func() map[string]string {
	ix := data()
	m := map[string]string{}
	pboc := func(place string) string { return "People's Bank of China, " + place + " Branch" }
	for _, p := range ix.provinces {
		m[p.PBOCBranch()] = pboc(latinTitle(p.Pinyin))
	}
	for _, c := range ix.cities {
		name := latinTitle(c.Pinyin)
		if c.Municipality || c.Planning {
			m[c.PBOCBranch()] = pboc(name)
		}
		if body := c.ConsumerAssociation(); strings.HasSuffix(body, "委员会") {
			m[body] = name + " Consumer Council"
		} else {
			m[body] = name + " Consumer Association"
		}
		m[c.MarketRegulator()] = name + " Administration for Market Regulation"
	}
	return m
})

// latinTitle writes a pinyin name as English writes a place's name: "shandong" is "Shandong".
func latinTitle(pinyin string) string {
	if pinyin == "" || pinyin[0] < 'a' || pinyin[0] > 'z' {
		return pinyin
	}
	return string(pinyin[0]-'a'+'A') + pinyin[1:]
}
