package providers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"complaintbot/places"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		typed, want string // want "" for no match
	}{
		{"拉卡拉", "lakala"},
		{"樂刷", "leshua"}, // traditional characters
		{"銀盛電簽", "yinsheng"},
		{"聯動優勢", "umpay"},
		{"我用的是隨行付的POS機", "suixingfu"},
		{"拉卡拉支付", "lakala"},
		{"拉卡拉支付股份有限公司", "lakala"},
		{"lakala", "lakala"},
		{"LAKALA", "lakala"},
		{"Lakala", "lakala"},
		{"ｌａｋａｌａ", "lakala"},
		{"lkl", "lakala"},
		{"拉卡拉pos", "lakala"},
		{"拉卡拉POS机", "lakala"},
		{"拉卡拉 POS", "lakala"},
		{"lakala pos", "lakala"},
		{"lakalapos", "lakala"},
		{"我用的是拉卡拉的机器", "lakala"},
		{"my lakala terminal", "lakala"},
		{" 拉卡拉。", "lakala"},
		{"盛付通", "shengpay"},
		{"Sheng Pay", "shengpay"},
		{"shengpay", "shengpay"},
		{"上海盛付通电子支付服务有限公司", "shengpay"},
		{"银盛", "yinsheng"},
		{"银盛支付", "yinsheng"},
		{"银盛电签", "yinsheng"},
		{"ysepay", "yinsheng"},
		{"瑞银信", "ruiyinxin"},
		{"瑞银信支付技术有限公司", "ruiyinxin"},
		{"随行付", "suixingfu"},
		{"随行付plus", "suixingfu"},
		{"海科融通", "hkrt"},
		{"海科", "hkrt"},
		{"HKRT", "hkrt"},
		{"北京海科融通支付服务股份有限公司", "hkrt"},
		{"联动优势", "umpay"},
		{"UMPay", "umpay"},
		{"快钱", "99bill"},
		{"快钱支付", "99bill"},
		{"99bill", "99bill"},
		{"乐刷", "leshua"},
		{"乐刷POS机", "leshua"},
		{"leshua", "leshua"},
		{"很快钱就扣了", ""},
		{"快乐刷卡", ""},
		{"银行", ""},
		{"拉卡", ""},
		{"lak", ""},
		{"milkl", ""},
		{"pos", ""},
		{"POS机", ""},
		{"", ""},
		{"某某支付有限公司", ""},
		{"拉卡拉和乐刷都扣了", "lakala"}, // 乐刷 has two characters: matched only alone
		{"拉卡拉和随行付都扣了", ""},
		{"lakala or leshua", ""},
	}
	l := Embedded()
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			p, ok := l.Match(tt.typed)
			if tt.want == "" {
				if ok {
					t.Errorf("Match(%q) = %s, want no match", tt.typed, p.Key)
				}
				return
			}
			if !ok || p.Key != tt.want {
				t.Errorf("Match(%q) = %q, %v, want %s", tt.typed, p.Key, ok, tt.want)
			}
		})
	}
}

func TestEmbedded(t *testing.T) {
	want := map[string]struct{ name, city, branch string }{
		"lakala":    {"拉卡拉支付股份有限公司", "北京市", "中国人民银行北京市分行"},
		"shengpay":  {"上海盛付通电子支付服务有限公司", "上海市", "中国人民银行上海市分行"},
		"yinsheng":  {"银盛支付服务股份有限公司", "深圳市", "中国人民银行深圳市分行"},
		"ruiyinxin": {"瑞银信支付技术有限公司", "济南市", "中国人民银行山东省分行"},
		"suixingfu": {"随行付支付有限公司", "北京市", "中国人民银行北京市分行"},
		"hkrt":      {"北京海科融通支付服务股份有限公司", "北京市", "中国人民银行北京市分行"},
		"umpay":     {"联动优势电子商务有限公司", "北京市", "中国人民银行北京市分行"},
		"99bill":    {"快钱支付清算信息有限公司", "上海市", "中国人民银行上海市分行"},
		"leshua":    {"乐刷支付科技有限公司", "深圳市", "中国人民银行深圳市分行"},
	}
	all := Embedded().All()
	if len(all) != len(want) {
		t.Errorf("%d providers, want %d", len(all), len(want))
	}
	for _, p := range all {
		w, ok := want[p.Key]
		if !ok {
			t.Errorf("unexpected provider %s", p.Key)
			continue
		}
		if p.Name != w.name || p.City != w.city || p.PBOCBranch != w.branch {
			t.Errorf("%s = %s, %s, %s; want %s, %s, %s", p.Key, p.Name, p.City, p.PBOCBranch, w.name, w.city, w.branch)
		}
		if p.Address != "" {
			t.Errorf("%s: an address in the embedded data, which has none verified", p.Key)
		}
		if p.Source == "" || len(p.Short) == 0 || len(p.Latin) == 0 {
			t.Errorf("%s: source, short or Latin names missing", p.Key)
		}
		if (p.Key == "ruiyinxin") != p.LicenceEnded {
			t.Errorf("%s: LicenceEnded = %v", p.Key, p.LicenceEnded)
		}
		c, ok := p.Place()
		if !ok || c.Name != p.City {
			t.Errorf("%s: Place() = %s, %v", p.Key, c.Name, ok)
		}
	}
	// The keys flows already stores stay.
	for _, key := range []string{"lakala", "shengpay", "ruiyinxin", "yinsheng"} {
		if _, ok := Embedded().ByKey(key); !ok {
			t.Errorf("key %s, stored by flows, is gone", key)
		}
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "providers.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadOverride(t *testing.T) {
	path := writeFile(t, `
[[provider]]
key = "lakala"
address = "北京市海淀区某某路1号"
short = ["拉卡拉电签"]
source = "the provider's contract, page 1"

[[provider]]
key = "zhongfu"
name = "中付支付科技有限公司"
short = ["中付"]
latin = ["zhongfu"]
city = "广州市"
source = "staff, case C-000123"
`)
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := l.Match("拉卡拉")
	if !ok || p.Address != "北京市海淀区某某路1号" || p.Name != "拉卡拉支付股份有限公司" || p.PBOCBranch != "中国人民银行北京市分行" {
		t.Errorf("lakala after the override: %+v", p)
	}
	if !strings.Contains(p.Source, "DOMAIN.md") || !strings.Contains(p.Source, "the provider's contract") {
		t.Errorf("lakala's source lost a part: %s", p.Source)
	}
	if _, ok := l.Match("中付"); !ok {
		t.Error("the new provider does not match")
	}
	if p, ok := l.ByKey("zhongfu"); !ok || p.PBOCBranch != "中国人民银行广东省分行" {
		t.Errorf("zhongfu: %+v", p)
	}
	if p, _ := Embedded().ByKey("lakala"); p.Address != "" || len(p.Short) != 2 {
		t.Errorf("the override changed the embedded data: %+v", p)
	}
	if l2, err := Load(""); err != nil || len(l2.All()) != len(Embedded().All()) {
		t.Errorf("Load(\"\") = %v", err)
	}
}

func TestLoadRejects(t *testing.T) {
	const ok = "[[provider]]\nkey = \"x1\"\nname = \"某支付有限公司\"\nsource = \"s\"\n"
	tests := map[string]struct {
		body string
		row  int
	}{
		"not toml":             {"[[provider", 0},
		"unknown field":        {ok + "adress = \"x\"\n", 0},
		"no rows":              {"", 0},
		"no source":            {strings.Replace(ok, "source = \"s\"\n", "", 1), 1},
		"no name for new":      {strings.Replace(ok, "name = \"某支付有限公司\"\n", "", 1), 1},
		"bad key":              {strings.Replace(ok, "x1", "X 1", 1), 1},
		"Latin legal name":     {strings.Replace(ok, "某支付有限公司", "Some Pay Ltd", 1), 1},
		"unknown city":         {ok + "city = \"Gotham\"\n", 1},
		"short city name":      {ok + "city = \"北京\"\n", 1},
		"one-character short":  {ok + "short = [\"某\"]\n", 1},
		"short with Latin":     {ok + "short = [\"某pay\"]\n", 1},
		"uppercase latin":      {ok + "latin = [\"SomePay\"]\n", 1},
		"two-letter latin":     {ok + "latin = [\"sp\"]\n", 1},
		"name of another":      {ok + "short = [\"拉卡拉\"]\n", 1},
		"key twice":            {ok + ok, 2},
		"address with spaces":  {ok + "address = \" 北京市 \"\n", 1},
		"second row is wrong":  {ok + strings.Replace(ok, "x1", "x2", 1) + "city = \"Gotham\"\n", 2},
		"existing row, no src": {"[[provider]]\nkey = \"lakala\"\naddress = \"北京市\"\n", 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, tt.body)
			_, err := Load(path)
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("Load = %v, want a *RowError", err)
			}
			if re.File != path || re.Row != tt.row || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q names file %q row %d, want %q row %d", err, re.File, re.Row, path, tt.row)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Error("a missing file loaded")
	}
}

// ExampleList_Match shows the route data a complaint needs from what the user typed: the
// respondent, the PBOC branch a merchant files with, and a consumer's bodies at the
// respondent's registered place, not the user's city.
func ExampleList_Match() {
	p, _ := Embedded().Match("瑞银信pos机")
	c, _ := p.Place()
	fmt.Println(p.Name, p.LicenceEnded)
	fmt.Println("merchant:", p.PBOCBranch, places.PBOCHotline)
	fmt.Println("consumer:", c.ConsumerAssociation(), c.MarketRegulator(), places.MarketHotline)

	// An unknown provider: the user's own province's branch, offered as a suggestion.
	if _, ok := Embedded().Match("某某支付"); !ok {
		home, _ := places.Find("Shenzhen")
		prov, _ := places.ProvinceOf(home)
		fmt.Println("suggestion:", prov.PBOCBranch())
	}
	// Output:
	// 瑞银信支付技术有限公司 true
	// merchant: 中国人民银行山东省分行 12363
	// consumer: 济南市消费者协会 济南市市场监督管理局 12315
	// suggestion: 中国人民银行广东省分行
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"拉卡拉pos", "LAKALA", "很快钱就扣了", "lakala or leshua", "ｌｋｌ", "\xff拉卡拉"} {
		f.Add(s)
	}
	l := Embedded()
	f.Fuzz(func(t *testing.T, typed string) {
		p, ok := l.Match(typed)
		if !ok {
			return
		}
		if again, ok := l.Match(p.Name); !ok || again.Key != p.Key {
			t.Fatalf("Match(%q) = %s, but its legal name matches %q", typed, p.Key, again.Key)
		}
		for _, short := range p.Short {
			if q, ok := l.Match(short); !ok || q.Key != p.Key {
				t.Fatalf("short name %s of %s matches %q", short, p.Key, q.Key)
			}
		}
	})
}

// TestMentioned: the providers a story names, two-character names included, in the data's
// order; a Latin name counts as a word only.
func TestMentioned(t *testing.T) {
	l := Embedded()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"拉卡拉和乐刷两台机器都扣了", []string{"lakala", "leshua"}},
		{"乐刷扣了99，拉卡拉扣了199", []string{"lakala", "leshua"}},
		{"my lakala and shengpay terminals", []string{"lakala", "shengpay"}},
		{"拉卡拉", []string{"lakala"}},
		{"flakalas", nil}, // no word
		{"扣了我199元", nil},
	} {
		var got []string
		for _, p := range l.Mentioned(c.text) {
			got = append(got, p.Key)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Mentioned(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
