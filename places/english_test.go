package places

import "testing"

func TestEnglish(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"中国人民银行山东省分行", "People's Bank of China, Shandong Branch"},
		{"中国人民银行北京市分行", "People's Bank of China, Beijing Branch"},
		{"中国人民银行深圳市分行", "People's Bank of China, Shenzhen Branch"},
		{"北京市消费者协会", "Beijing Consumer Association"},
		{"深圳市消费者委员会", "Shenzhen Consumer Council"},
		{"上海市市场监督管理局", "Shanghai Administration for Market Regulation"},
		{"成都市市场监督管理局", "Chengdu Administration for Market Regulation"},
		{" 北京市消费者协会 ", "Beijing Consumer Association"},
		{"某某区消费者协会", ""},    // typed by the user: no English name
		{"中国人民银行成都市分行", ""}, // not a branch: 成都 is supervised by the Sichuan branch
		{"", ""},
	} {
		got, ok := English(tc.body)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("English(%q) = %q, %v; want %q", tc.body, got, ok, tc.want)
		}
	}
}

// TestEnglishEveryBody: every body the data names has an English name.
func TestEnglishEveryBody(t *testing.T) {
	for _, c := range data().cities {
		for _, body := range []string{c.PBOCBranch(), c.ConsumerAssociation(), c.MarketRegulator()} {
			if s, ok := English(body); !ok || s == "" {
				t.Errorf("%s: %s has no English name", c.Name, body)
			}
		}
	}
}

func TestCityEnglish(t *testing.T) {
	for typed, want := range map[string]string{"深圳": "Shenzhen", "上海市": "Shanghai", "xian": "Xian"} {
		c, ok := Find(typed)
		if !ok || c.English() != want {
			t.Errorf("Find(%q).English() = %q (%v), want %q", typed, c.English(), ok, want)
		}
	}
}
