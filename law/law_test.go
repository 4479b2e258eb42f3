package law

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"complaintbot/flows"
)

// domainTexts are the articles of DOMAIN.md §4, copied character for character, so that an edit
// of statutes.toml that changes a character fails here.
var domainTexts = map[string]string{
	"《中华人民共和国消费者权益保护法》第二十六条": "经营者在经营活动中使用格式条款的，应当以显著方式提请消费者注意商品或者服务的数量和质量、价款或者费用、履行期限和方式、安全注意事项和风险警示、售后服务、民事责任等与消费者有重大利害关系的内容，并按照消费者的要求予以说明。\n" +
		"经营者不得以格式条款、通知、声明、店堂告示等方式，作出排除或者限制消费者权利、减轻或者免除经营者责任、加重消费者责任等对消费者不公平、不合理的规定，不得利用格式条款并借助技术手段强制交易。\n" +
		"格式条款、通知、声明、店堂告示等含有前款所列内容的，其内容无效。",
	"《中华人民共和国消费者权益保护法》第三十九条": "消费者和经营者发生消费者权益争议的，可以通过下列途径解决：（一）与经营者协商和解；（二）请求消费者协会或者依法成立的其他调解组织调解；（三）向有关行政部门投诉；（四）根据与经营者达成的仲裁协议提请仲裁机构仲裁；（五）向人民法院提起诉讼。",
	"《中华人民共和国民法典》第四百九十六条": "格式条款是当事人为了重复使用而预先拟定，并在订立合同时未与对方协商的条款。\n" +
		"采用格式条款订立合同的，提供格式条款的一方应当遵循公平原则确定当事人之间的权利和义务，并采取合理的方式提示对方注意免除或者减轻其责任等与对方有重大利害关系的条款，按照对方的要求，对该条款予以说明。提供格式条款的一方未履行提示或者说明义务，致使对方没有注意或者理解与其有重大利害关系的条款的，对方可以主张该条款不成为合同的内容。",
	"《中华人民共和国民法典》第四百九十七条": "有下列情形之一的，该格式条款无效：（一）具有本法第一编第六章第三节和本法第五百零六条规定的无效情形；（二）提供格式条款一方不合理地免除或者减轻其责任、加重对方责任、限制对方主要权利；（三）提供格式条款一方排除对方主要权利。",
	"《非银行支付机构监督管理条例》第二十条": "非银行支付机构应当与用户签订支付服务协议。非银行支付机构应当按照公平原则拟定协议条款，并在其经营场所、官方网站、移动互联网应用程序等的显著位置予以公示。\n" +
		"支付服务协议应当明确非银行支付机构与用户的权利义务、支付业务流程、电子支付指令传输路径、资金结算、纠纷处理原则以及违约责任等事项，且不得包含排除、限制竞争以及不合理地免除或者减轻非银行支付机构责任、加重用户责任、限制或者排除用户主要权利等内容。对于协议中足以影响用户是否同意使用支付服务的条款，非银行支付机构应当采取合理方式提示用户注意，并按照用户的要求对该条款予以说明。\n" +
		"非银行支付机构拟变更协议内容的，应当充分征求用户意见，并在本条第一款规定的显著位置公告满30日后方可变更。非银行支付机构应当以数据电文等书面形式与用户就变更的协议内容达成一致。",
	"《非银行支付机构监督管理条例》第三十四条": "非银行支付机构应当依照有关价格法律、行政法规的规定，合理确定并公开支付业务的收费项目和收费标准，进行明码标价。\n" +
		"非银行支付机构应当在经营场所的显著位置以及业务办理途径的关键节点，清晰、完整标明服务内容、收费项目、收费标准、限制条件以及相关要求等，保障用户知情权和选择权，不得收取任何未予标明的费用。",
	"《非银行支付机构监督管理条例》第三十五条": "非银行支付机构应当及时妥善处理与用户的争议，履行投诉处理主体责任，切实保护用户合法权益。\n" +
		"国家鼓励用户和非银行支付机构之间运用调解、仲裁等方式解决纠纷。",
	"《中华人民共和国价格法》第十三条": "经营者销售、收购商品和提供服务，应当按照政府价格主管部门的规定明码标价，注明商品的品名、产地、规格、等级、计价单位、价格或者服务的项目、收费标准等有关情况。\n" +
		"经营者不得在标价之外加价出售商品，不得收取任何未予标明的费用。",
	"《中华人民共和国价格法》第四十一条":   "经营者因价格违法行为致使消费者或者其他经营者多付价款的，应当退还多付部分；造成损害的，应当依法承担赔偿责任。",
	"《中华人民共和国民法典》第四百九十八条": "对格式条款的理解发生争议的，应当按照通常理解予以解释。对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释。格式条款和非格式条款不一致的，应当采用非格式条款。",
	"《中华人民共和国民法典》第五百七十七条": "当事人一方不履行合同义务或者履行合同义务不符合约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。",
}

func TestDataEqualsDomainTexts(t *testing.T) {
	held := 0
	for _, a := range Articles() {
		if !a.Whole() {
			continue
		}
		held++
		want, ok := domainTexts[a.Citation()]
		if !ok {
			t.Errorf("%s: whole text held but not in DOMAIN.md §4", a.Citation())
			continue
		}
		if a.Text() != want {
			t.Errorf("%s: text differs from DOMAIN.md §4:\n got %q\nwant %q", a.Citation(), a.Text(), want)
		}
		if a.Source == "" {
			t.Errorf("%s: no source", a.Citation())
		}
	}
	if held != len(domainTexts) {
		t.Errorf("the data holds %d whole articles, DOMAIN.md §4 quotes %d", held, len(domainTexts))
	}
}

func TestBasis(t *testing.T) {
	const merchantRow1 = "pay34 price13 cc496 cc497 pay35"
	tests := []struct {
		kind flows.ChargeKind
		typ  flows.ComplainantType
		want string
	}{
		{flows.DeregistrationFee, flows.Consumer, "pay34 price13 cc496 cpl26 pay35"},
		{flows.DeregistrationFee, flows.Individual, merchantRow1},
		{flows.DeregistrationFee, flows.Company, merchantRow1},
		{flows.SIMFee, flows.Consumer, "pay34 price13 cc496 cpl26 pay35"},
		{flows.SIMFee, flows.Individual, merchantRow1},
		{flows.SIMFee, flows.Company, merchantRow1},
		{flows.OtherCharge, flows.Consumer, "pay34 price13 cc496 cpl26 pay35"},
		{flows.OtherCharge, flows.Individual, merchantRow1},
		{flows.OtherCharge, flows.Company, merchantRow1},
		{flows.ServiceFee, flows.Consumer, "cc577 pay34 cpl26 pay35"},
		{flows.ServiceFee, flows.Individual, "cc577 pay34 pay35"},
		{flows.ServiceFee, flows.Company, "cc577 pay34 pay35"},
		{flows.RateIncrease, flows.Consumer, "pay20 cpl26 pay35"},
		{flows.RateIncrease, flows.Individual, "pay20 cc496 pay35"},
		{flows.RateIncrease, flows.Company, "pay20 cc496 pay35"},
		{"unknown_kind", flows.Company, merchantRow1},
		{flows.SIMFee, "", "pay34 price13 cc496 pay35"},
	}
	covered := map[[2]string]bool{}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+string(tt.typ), func(t *testing.T) {
			covered[[2]string{string(tt.kind), string(tt.typ)}] = true
			var keys []string
			for _, a := range Basis(tt.kind, tt.typ) {
				keys = append(keys, a.Key)
				if !a.Whole() {
					t.Errorf("%s has no whole text", a.Key)
				}
			}
			if got := strings.Join(keys, " "); got != tt.want {
				t.Errorf("Basis(%s, %s) = %s, want %s", tt.kind, tt.typ, got, tt.want)
			}
			if slices.Contains(keys, "cpl39") {
				t.Error("消法 第三十九条 belongs in explanations, not in a legal basis")
			}
			if keys[len(keys)-1] != "pay35" {
				t.Error("条例 第三十五条 does not close the legal basis")
			}
			if tt.typ != flows.Consumer && slices.Contains(keys, "cpl26") {
				t.Error("the Consumer Protection Law is quoted for a merchant")
			}
		})
	}
	for _, k := range flows.ChargeKinds() {
		for _, typ := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
			if !covered[[2]string{string(k), string(typ)}] {
				t.Errorf("no test for %s × %s", k, typ)
			}
		}
	}
}

func TestReport(t *testing.T) {
	var keys []string
	for _, a := range Report() {
		keys = append(keys, a.Key)
	}
	if got := strings.Join(keys, " "); got != "price13 pay34" {
		t.Errorf("Report() = %s", got)
	}
}

func TestLookup(t *testing.T) {
	a, ok := Lookup("price13")
	if !ok || a.Citation() != "《中华人民共和国价格法》第十三条" {
		t.Fatalf("Lookup(price13) = %+v, %v", a, ok)
	}
	if !strings.HasPrefix(a.Quote(), a.Citation()+"\n经营者销售") {
		t.Errorf("Quote() = %q", a.Quote())
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found something")
	}
}

func TestParseRejects(t *testing.T) {
	const art = "[[article]]\nkey = \"a\"\nlaw = \"L\"\nnumber = \"第一条\"\nsource = \"s\"\ntext = \"t\"\n"
	const row = "[[basis]]\nkinds = [\"other\"]\neveryone = [\"a\"]\nsource = \"s\"\n"
	tests := map[string]string{
		"not toml":              "[[",
		"unknown field":         "colour = 1\n" + art + row,
		"missing source":        strings.Replace(art, "source = \"s\"\n", "", 1) + row,
		"bad number":            strings.Replace(art, "第一条", "1", 1) + row,
		"duplicate key":         art + art + row,
		"unknown article":       art + strings.Replace(row, `["a"]`, `["b"]`, 1),
		"no whole text":         strings.Replace(art, "text = \"t\"\n", "", 1) + row,
		"cpl39 in a basis":      strings.Replace(art, `"a"`, `"cpl39"`, 1) + strings.Replace(row, `["a"]`, `["cpl39"]`, 1),
		"no row for other":      art + strings.Replace(row, "other", "sim_fee", 1),
		"kind in two rows":      art + row + row,
		"paragraph with spaces": strings.Replace(art, `"t"`, `" t"`, 1) + row,
	}
	for name, src := range tests {
		if _, err := parse(src); err == nil {
			t.Errorf("%s: parse accepted it", name)
		}
	}
	if _, err := parse(art + row); err != nil {
		t.Errorf("the minimal file: %v", err)
	}
}

func TestCheckQuotes(t *testing.T) {
	p34, _ := Lookup("pay34")
	c26, _ := Lookup("cpl26")
	tests := []struct {
		name, text string
		ok         bool
	}{
		{"whole quote on the next lines", "法律依据\n" + p34.Quote() + "\n综上所述", true},
		{"every article of every basis", quoteAll(Basis(flows.SIMFee, flows.Consumer)), true},
		{"whole quote at the end", c26.Quote(), true},
		{"markdown form of DOMAIN.md", "**" + p34.Citation() + "** " + p34.Text() + "\n", true},
		{"English line before the citation", "Payment Regulation, Article 34: " + p34.Quote(), true},
		{"a mention in English", "Charging it breaks 《中华人民共和国价格法》第十三条 and 《非银行支付机构监督管理条例》第三十四条.", true},
		{"a mention", "违反了《中华人民共和国价格法》第十三条的规定。", true},
		{"a mention with the short name", "依据《民法典》第一百八十八条，", true},
		{"a paragraph reference", "《非银行支付机构监督管理条例》第三十四条第二款规定的", true},
		{"an excerpt", "《中华人民共和国价格法》第三十八条规定：「任何单位和个人均有权对价格违法行为进行举报」。", true},
		{"an excerpt with an ellipsis", "《非银行支付机构监督管理条例》第五十三条：「由有关主管部门…进行处罚」", true},
		{"an excerpt of a whole article", "《非银行支付机构监督管理条例》第三十四条规定：“不得收取任何未予标明的费用”。", true},
		{"no citations", "投诉书\n投诉人：张三", true},
		{"one character changed", strings.Replace(p34.Quote(), "不得收取", "不能收取", 1), false},
		{"qualifier dropped", strings.Replace(quoteOf("cc497"), "不合理地", "", 1), false},
		{"a paragraph missing", strings.Replace(c26.Quote(), "\n格式条款、通知", "\n", 1), false},
		{"text appended", p34.Quote() + "等等", false},
		{"citation without text", "法律依据\n" + p34.Citation() + "\n", false},
		{"whole quote of an excerpt-only article", "《中华人民共和国价格法》第三十八条\n任何单位和个人均有权对价格违法行为进行举报", false},
		{"an invented article", "违反《中华人民共和国价格法》第九十九条的规定", false},
		{"Arabic numbers", "《中华人民共和国价格法》第13条的规定", false},
		{"an unknown law", "《市场监督管理投诉举报处理暂行办法》第十条的规定", false},
		{"an excerpt not in the text", "《中华人民共和国价格法》第十三条规定：「经营者可以收取服务费」", false},
		{"an excerpt of an article without text", "《中华人民共和国民法典》第一百八十八条规定：「三年」", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckQuotes(tt.text)
			if (err == nil) != tt.ok {
				t.Errorf("CheckQuotes = %v, want ok=%v", err, tt.ok)
			}
			var qe *QuoteError
			if err != nil && !errors.As(err, &qe) {
				t.Errorf("error %v is not a *QuoteError", err)
			}
		})
	}
}

func TestCheckQuotesReportsEveryProblem(t *testing.T) {
	text := "《中华人民共和国价格法》第九十九条\n" + strings.Replace(quoteOf("pay34"), "显著", "明显", 1)
	err := CheckQuotes(text)
	var qe *QuoteError
	if !errors.As(err, &qe) || qe.Line != 1 {
		t.Fatalf("CheckQuotes = %v", err)
	}
	if n := strings.Count(err.Error(), "line "); n != 2 {
		t.Errorf("%d problems reported, want 2: %v", n, err)
	}
	if !strings.Contains(err.Error(), "line 2: 《非银行支付机构监督管理条例》第三十四条: paragraph 2") {
		t.Errorf("the second problem is not located: %v", err)
	}
}

func TestCheckQuotesWordML(t *testing.T) {
	para := func(s string) string {
		return `<w:p><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p>`
	}
	a, _ := Lookup("cc496")
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		para("法律依据") + `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>` + a.Citation() + `</w:t></w:r></w:p>`
	good, bad := doc, doc
	for i, p := range a.Paragraphs {
		good += para(p)
		if i == 1 {
			p = strings.Replace(p, "公平", "公正", 1)
		}
		bad += para(p)
	}
	good += `</w:body></w:document>`
	bad += `</w:body></w:document>`
	if err := CheckQuotesWordML([]byte(good)); err != nil {
		t.Errorf("good document: %v", err)
	}
	if err := CheckQuotesWordML([]byte(bad)); err == nil {
		t.Error("a changed character passed")
	}
	if err := CheckQuotesWordML([]byte("<w:p>")); err == nil {
		t.Error("broken XML passed")
	}
}

// TestDocumentGoldens checks every article quoted in the document package's golden files and
// in flows' golden dialogues, which show the documents the conversations produce.
func TestDocumentGoldens(t *testing.T) {
	files, err := filepath.Glob("../document/testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	// the documents inside flows' golden dialogues too
	dialogues, err := filepath.Glob("../flows/testdata/conversations/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, dialogues...)
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(f, ".txt"):
			err = CheckQuotes(string(b))
		case strings.HasSuffix(f, ".xml"):
			err = CheckQuotesWordML(b)
		default:
			continue
		}
		checked++
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if checked == 0 {
		t.Skip("no golden documents found")
	}
}

func quoteOf(key string) string {
	a, _ := Lookup(key)
	return a.Quote()
}

func quoteAll(as []Article) string {
	var b strings.Builder
	for _, a := range as {
		b.WriteString(a.Quote() + "\n")
	}
	return b.String()
}
