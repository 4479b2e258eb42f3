package places

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFind(t *testing.T) {
	tests := []struct {
		typed, want string // want "" for not found
	}{
		{"深圳", "深圳市"},
		{"深圳市", "深圳市"},
		{" 深圳市 ", "深圳市"},
		{"Shenzhen", "深圳市"},
		{"shen zhen", "深圳市"},
		{"SHENZHEN", "深圳市"},
		{"Shenzhen City", "深圳市"},
		{"shenzhen shi", "深圳市"},
		{"shenzhenshi", "深圳市"},
		{"ＳＨＥＮＺＨＥＮ", "深圳市"},
		{"Shēnzhèn", "深圳市"},
		{"广东深圳", "深圳市"},
		{"广东省深圳市", "深圳市"},
		{"广东省深圳市南山区", "深圳市"},
		{"深圳南山区", "深圳市"},
		{"中国深圳", "深圳市"},
		{"深圳市 (Shenzhen)", "深圳市"},
		{"北京", "北京市"},
		{"北京市朝阳区", "北京市"},
		{"Beijing", "北京市"},
		{"Peking", "北京市"},
		{"Canton", "广州市"},
		{"Xi'an", "西安市"},
		{"xian", "西安市"},
		{"Xī'ān", "西安市"},
		{"Harbin", "哈尔滨市"},
		{"Huang Shi", "黄石市"},
		{"Huangshi City", "黄石市"},
		{"Shenzhen, Guangdong, China", "深圳市"},
		{"Bayannur", "巴彦淖尔市"},
		{"Urumqi", "乌鲁木齐市"},
		{"Hohhot", "呼和浩特市"},
		{"Inner Mongolia", ""},
		{"Lüliang", "吕梁市"},
		{"lvliang", "吕梁市"},
		{"Suzhou, Jiangsu", "苏州市"},
		{"Suzhou Anhui", "宿州市"},
		{"Jiangsu Suzhou", "苏州市"},
		{"suzhou", ""},
		{"taizhou", ""},
		{"Taizhou, Zhejiang", "台州市"},
		{"fuzhou fujian", "福州市"},
		{"苏州", "苏州市"},
		{"宿州", "宿州市"},
		{"吉林", "吉林市"},
		{"吉林省吉林市", "吉林市"},
		{"辽宁朝阳", "朝阳市"},
		{"朝阳", "朝阳市"},
		{"朝阳区", ""},
		{"广东", ""},
		{"广东省", ""},
		{"海南", ""},
		{"Guangdong", ""},
		{"Gotham", ""},
		{"Hong Kong", ""},
		{"", ""},
		{"市", ""},
		{"123", ""},
		{"深", ""},
		{"四川省深圳市", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			c, ok := Find(tt.typed)
			if tt.want == "" {
				if ok {
					t.Errorf("Find(%q) = %s, want not found", tt.typed, c.Name)
				}
				return
			}
			if !ok || c.Name != tt.want {
				t.Errorf("Find(%q) = %q, %v, want %s", tt.typed, c.Name, ok, tt.want)
			}
		})
	}
}

func TestCandidatesForSharedPinyin(t *testing.T) {
	for pinyin, want := range map[string]string{
		"suzhou": "苏州市 宿州市", "taizhou": "泰州市 台州市", "fuzhou": "福州市 抚州市",
		"yichun": "伊春市 宜春市", "yulin": "玉林市 榆林市",
	} {
		var names []string
		for _, c := range Candidates(pinyin) {
			names = append(names, c.Name)
		}
		if got := strings.Join(names, " "); got != want {
			t.Errorf("Candidates(%q) = %s, want %s", pinyin, got, want)
		}
	}
}

func TestInstitutions(t *testing.T) {
	tests := []struct {
		city, province, pboc, consumer, market string
	}{
		{"深圳", "广东省", "中国人民银行深圳市分行", "深圳市消费者委员会", "深圳市市场监督管理局"},
		{"广州", "广东省", "中国人民银行广东省分行", "广州市消费者委员会", "广州市市场监督管理局"},
		{"东莞", "广东省", "中国人民银行广东省分行", "东莞市消费者协会", "东莞市市场监督管理局"},
		{"北京", "北京市", "中国人民银行北京市分行", "北京市消费者协会", "北京市市场监督管理局"},
		{"上海", "上海市", "中国人民银行上海市分行", "上海市消费者协会", "上海市市场监督管理局"},
		{"天津", "天津市", "中国人民银行天津市分行", "天津市消费者协会", "天津市市场监督管理局"},
		{"重庆", "重庆市", "中国人民银行重庆市分行", "重庆市消费者协会", "重庆市市场监督管理局"},
		{"大连", "辽宁省", "中国人民银行大连市分行", "大连市消费者协会", "大连市市场监督管理局"},
		{"青岛", "山东省", "中国人民银行青岛市分行", "青岛市消费者协会", "青岛市市场监督管理局"},
		{"宁波", "浙江省", "中国人民银行宁波市分行", "宁波市消费者协会", "宁波市市场监督管理局"},
		{"厦门", "福建省", "中国人民银行厦门市分行", "厦门市消费者协会", "厦门市市场监督管理局"},
		{"济南", "山东省", "中国人民银行山东省分行", "济南市消费者协会", "济南市市场监督管理局"},
		{"成都", "四川省", "中国人民银行四川省分行", "成都市消费者协会", "成都市市场监督管理局"},
		{"沈阳", "辽宁省", "中国人民银行辽宁省分行", "沈阳市消费者协会", "沈阳市市场监督管理局"},
		{"南宁", "广西壮族自治区", "中国人民银行广西壮族自治区分行", "南宁市消费者协会", "南宁市市场监督管理局"},
		{"呼和浩特", "内蒙古自治区", "中国人民银行内蒙古自治区分行", "呼和浩特市消费者协会", "呼和浩特市市场监督管理局"},
		{"拉萨", "西藏自治区", "中国人民银行西藏自治区分行", "拉萨市消费者协会", "拉萨市市场监督管理局"},
		{"银川", "宁夏回族自治区", "中国人民银行宁夏回族自治区分行", "银川市消费者协会", "银川市市场监督管理局"},
		{"乌鲁木齐", "新疆维吾尔自治区", "中国人民银行新疆维吾尔自治区分行", "乌鲁木齐市消费者协会", "乌鲁木齐市市场监督管理局"},
	}
	for _, tt := range tests {
		c, ok := ByName(tt.city)
		if !ok {
			t.Errorf("ByName(%s) not found", tt.city)
			continue
		}
		p, ok := ProvinceOf(c)
		if !ok || p.Name != tt.province || c.Province != tt.province {
			t.Errorf("%s: province %q (%v), want %s", tt.city, p.Name, ok, tt.province)
		}
		if got := c.PBOCBranch(); got != tt.pboc {
			t.Errorf("%s: PBOC branch %s, want %s", tt.city, got, tt.pboc)
		}
		if got := c.ConsumerAssociation(); got != tt.consumer {
			t.Errorf("%s: consumer association %s, want %s", tt.city, got, tt.consumer)
		}
		if got := c.MarketRegulator(); got != tt.market {
			t.Errorf("%s: market regulator %s, want %s", tt.city, got, tt.market)
		}
	}
}

func TestFindProvince(t *testing.T) {
	tests := map[string]string{
		"广东": "广东省", "广东省": "广东省", "Guangdong": "广东省", "guangdong province": "广东省",
		"广西": "广西壮族自治区", "内蒙古": "内蒙古自治区", "Inner Mongolia": "内蒙古自治区", "Tibet": "西藏自治区",
		"新疆": "新疆维吾尔自治区", "宁夏": "宁夏回族自治区", "北京": "北京市", "shanxi": "山西省", "Shaanxi": "陕西省",
		"Gotham": "", "": "", "深圳": "",
	}
	for typed, want := range tests {
		p, ok := FindProvince(typed)
		if ok != (want != "") || p.Name != want {
			t.Errorf("FindProvince(%q) = %q, %v, want %q", typed, p.Name, ok, want)
		}
	}
	p, _ := FindProvince("广东")
	if p.PBOCBranch() != "中国人民银行广东省分行" {
		t.Errorf("广东 PBOC branch %s", p.PBOCBranch())
	}
}

func TestInAddress(t *testing.T) {
	tests := map[string]string{
		"北京市海淀区中关村大街1号":        "北京市",
		"广东省深圳市南山区科技园":         "深圳市",
		"深圳南山区科技园":             "深圳市",
		"上海市浦东新区":              "上海市",
		"中国山东省济南市高新区":          "济南市",
		"山东济南高新区舜华路":           "济南市",
		"济南市":                  "济南市",
		"朝阳区建国路88号":            "",
		"朝阳门外大街":               "",
		"Room 5, Shenzhen Bay": "",
		"":                     "",
	}
	for addr, want := range tests {
		c, ok := InAddress(addr)
		if ok != (want != "") || c.Name != want {
			t.Errorf("InAddress(%q) = %q, %v, want %q", addr, c.Name, ok, want)
		}
	}
}

// TestCoverage checks the data against what the complaint routes need: every province with its
// capital, the municipalities and the planning cities, and no city that Find cannot read back.
func TestCoverage(t *testing.T) {
	capitals := []string{"石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州",
		"南昌", "济南", "郑州", "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安",
		"兰州", "西宁", "银川", "乌鲁木齐", "北京", "天津", "上海", "重庆"}
	for _, name := range capitals {
		if _, ok := ByName(name); !ok {
			t.Errorf("capital %s missing", name)
		}
	}
	planning, municipal := 0, 0
	for _, c := range Cities() {
		if c.Planning {
			planning++
		}
		if c.Municipality {
			municipal++
		}
		if c.Source == "" || c.Pinyin == "" || !strings.HasSuffix(c.Name, "市") || utf8.RuneCountInString(c.Short) < 2 {
			t.Errorf("%+v: incomplete", c)
		}
		for _, typed := range []string{c.Name, c.Short} {
			if got, ok := Find(typed); !ok || got.Name != c.Name {
				t.Errorf("Find(%q) = %q, %v", typed, got.Name, ok)
			}
		}
		if cs := Candidates(c.Pinyin); len(cs) == 1 && cs[0].Name != c.Name {
			t.Errorf("Find(%q) = %s, want %s", c.Pinyin, cs[0].Name, c.Name)
		} else if len(cs) == 0 {
			t.Errorf("Candidates(%q) is empty", c.Pinyin)
		}
		if p, ok := Find(c.Province + c.Name); !c.Municipality && (!ok || p.Name != c.Name) {
			t.Errorf("Find(%q) = %q, %v", c.Province+c.Name, p.Name, ok)
		}
	}
	if planning != 5 || municipal != 4 {
		t.Errorf("%d planning cities and %d municipalities, want 5 and 4", planning, municipal)
	}
	if n := len(Provinces()); n != 31 {
		t.Errorf("%d provinces, want the 31 of the mainland", n)
	}
	if n := len(Cities()); n < 150 {
		t.Errorf("only %d cities", n)
	}
	t.Logf("%d provinces, %d cities", len(Provinces()), len(Cities()))
}

func TestParseRejects(t *testing.T) {
	const head = "planning = []\nplanning_source = \"s\"\n"
	const prov = "[[province]]\nname = \"广东省\"\npinyin = \"guangdong\"\nkind = \"province\"\ncities = [\"深圳 shenzhen\"]\nsource = \"s\"\n"
	tests := map[string]string{
		"not toml":             "[[",
		"unknown field":        head + "colour = 1\n" + prov,
		"no source":            head + strings.Replace(prov, "source = \"s\"\n", "", 1),
		"bad kind":             head + strings.Replace(prov, "\"province\"\n", "\"state\"\n", 1),
		"kind and name differ": head + strings.Replace(prov, "\"province\"\n", "\"region\"\n", 1),
		"city without pinyin":  head + strings.Replace(prov, "深圳 shenzhen", "深圳", 1),
		"city with 市":          head + strings.Replace(prov, "深圳 shenzhen", "深圳市 shenzhen", 1),
		"pinyin not lowercase": head + strings.Replace(prov, "深圳 shenzhen", "深圳 Shenzhen", 1),
		"city twice":           head + strings.Replace(prov, "\"深圳 shenzhen\"", "\"深圳 shenzhen\", \"深圳 shenzhen\"", 1),
		"province twice":       head + prov + prov,
		"unknown planning":     strings.Replace(head, "[]", "[\"大连市\"]", 1) + prov,
		"planning short name":  strings.Replace(head, "[]", "[\"深圳\"]", 1) + prov,
		"no planning source":   "planning = []\n" + prov,
		"body without source":  head + "[[consumer_body]]\ncity = \"深圳市\"\nname = \"深圳市消费者委员会\"\n" + prov,
		"body of another city": head + "[[consumer_body]]\ncity = \"深圳市\"\nname = \"广州市消费者委员会\"\nsource = \"s\"\n" + prov,
		"alias not lowercase":  head + "[[alias]]\ncity = \"深圳市\"\nlatin = [\"Shen-zhen\"]\nsource = \"s\"\n" + prov,
		"alias unknown city":   head + "[[alias]]\ncity = \"大连市\"\nlatin = [\"dairen\"]\nsource = \"s\"\n" + prov,
	}
	for name, src := range tests {
		if _, err := parse(src); err == nil {
			t.Errorf("%s: parse accepted it", name)
		}
	}
	if _, err := parse(head + prov); err != nil {
		t.Errorf("the minimal file: %v", err)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"深圳", "shen zhen", "Suzhou, Jiangsu", "广东省深圳市南山区", "Xī'ān", "ＳＨＥＮＺＨＥＮ", "朝阳区", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		c, ok := Find(typed)
		if !ok {
			return
		}
		if !strings.HasSuffix(c.Name, "市") || c.Province == "" {
			t.Fatalf("Find(%q) = %+v", typed, c)
		}
		if again, ok := Find(c.Name); !ok || again.Name != c.Name {
			t.Fatalf("Find(%q) = %s, but Find(%s) = %q", typed, c.Name, c.Name, again.Name)
		}
		if strings.ContainsAny(c.PBOCBranch()+c.ConsumerAssociation()+c.MarketRegulator(), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Fatalf("Latin letters in an institution's name for %q", typed)
		}
		_, _ = InAddress(typed)
	})
}

// BenchmarkInAddress reads the city of an address as the contact question does, and a city as
// typed.
func BenchmarkInAddress(b *testing.B) {
	for _, tc := range []struct{ name, text string }{
		{"address", "广东省深圳市南山区科技园路1号"},
		{"short", "深圳南山区科技园路1号"},
		{"none", "科技园路1号"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				InAddress(tc.text)
			}
		})
	}
}
