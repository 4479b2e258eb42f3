package document_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/law"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// renderer returns a Renderer or stops the test.
func renderer(t testing.TB) *document.Renderer {
	t.Helper()
	r, err := document.New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./document -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./document -update and review the diff):\n%s",
			name, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\nwant: %q\n got: %q", i+1, w, g)
		}
	}
	return "(same lines)"
}

// zipFiles unpacks a .docx.
func zipFiles(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the .docx is not a zip archive: %v", err)
	}
	files := make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	return files
}

// documentXML extracts word/document.xml from a .docx.
func documentXML(t testing.TB, b []byte) string {
	t.Helper()
	x, ok := zipFiles(t, b)["word/document.xml"]
	if !ok {
		t.Fatal("no word/document.xml in the .docx")
	}
	return string(x)
}

// readableXML puts each paragraph, row and table on its own line so golden diffs are readable.
func readableXML(x string) string {
	r := strings.NewReplacer("</w:p>", "</w:p>\n", "</w:tr>", "</w:tr>\n", "<w:tbl>", "\n<w:tbl>", "<w:body>", "<w:body>\n")
	return r.Replace(x) + "\n"
}

// xmlText is the character data of an XML document: what Word shows, without markup.
func xmlText(t testing.TB, x string) string {
	t.Helper()
	var b strings.Builder
	d := xml.NewDecoder(strings.NewReader(x))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			t.Fatalf("document.xml is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			b.Write(tok)
		case xml.EndElement:
			if tok.Name.Local == "p" {
				b.WriteByte('\n')
			}
		}
	}
}

// TestGolden renders every case in both languages as text and as .docx and compares them with
// the golden files: the text, and the .docx's word/document.xml (the zip's bytes depend on the
// compressor, the XML only on us).
func TestGolden(t *testing.T) {
	r := renderer(t)
	langs := map[flows.Lang]string{flows.LangZH: "zh", flows.LangEN: "en"}
	for _, tc := range cases() {
		for lang, suffix := range langs {
			if tc.zhOnly && lang != flows.LangZH {
				continue
			}
			t.Run(tc.name+"."+suffix, func(t *testing.T) {
				text, err := r.Text(tc.c, lang)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, tc.name+"."+suffix+".txt", text+"\n")
				b, err := r.DOCX(tc.c, lang)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, tc.name+"."+suffix+".document.xml", readableXML(documentXML(t, b)))
			})
		}
	}
}

// TestGoldenReport renders the 举报信 of two cases, a Chinese and an English speaker's, to
// golden files as TestGolden does the 投诉书.
func TestGoldenReport(t *testing.T) {
	r := renderer(t)
	for _, tc := range []struct {
		name  string
		c     flows.Complaint
		langs map[flows.Lang]string
	}{
		{"report-consumer-lakala", consumerLakala(), map[flows.Lang]string{flows.LangZH: "zh"}},
		{"report-english-company-rate", englishCompany(), map[flows.Lang]string{flows.LangZH: "zh", flows.LangEN: "en"}},
	} {
		for lang, suffix := range tc.langs {
			t.Run(tc.name+"."+suffix, func(t *testing.T) {
				text, err := r.LetterText(document.Report, tc.c, lang)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, tc.name+"."+suffix+".txt", text+"\n")
				b, err := r.LetterDOCX(document.Report, tc.c, lang)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, tc.name+"."+suffix+".document.xml", readableXML(documentXML(t, b)))
				for _, want := range []string{"价格法", "第三十八条", "第五十三条", "12315"} {
					if lang == flows.LangZH && want != "12315" && !strings.Contains(text, want) {
						t.Errorf("the 举报信 lacks %q", want)
					}
				}
				if lang == flows.LangZH {
					_, requests, _ := strings.Cut(text, "\n举报请求\n")
					requests, _, _ = strings.Cut(requests, "\n此致\n")
					if requests == "" || strings.Contains(requests, "退还") {
						t.Errorf("the 举报信's requests ask for a refund, or are missing: %q", requests)
					}
				}
			})
		}
	}
}

// TestNoEmptyLabel checks every golden case's Chinese document for a label with nothing after
// it and for an English word outside the marked heading: the desk reads Chinese.
func TestNoEmptyLabel(t *testing.T) {
	r := renderer(t)
	for _, tc := range cases() {
		text, err := r.Text(tc.c, flows.LangZH)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(text, "\n") {
			if strings.HasSuffix(line, "：") && !strings.HasSuffix(line, "如下：") {
				t.Errorf("%s line %d: empty label %q", tc.name, i+1, line)
			}
		}
		if tc.c.Lang == flows.LangEN {
			if !strings.Contains(text, "投诉人以英文陈述，原文如下") {
				t.Errorf("%s: the English words are not under the marked heading", tc.name)
			}
			marked := text[strings.Index(text, "投诉人以英文陈述"):]
			before := strings.TrimSuffix(text, marked)
			for _, word := range []string{" the ", " I ", " and "} {
				if strings.Contains(before, word) {
					t.Errorf("%s: English %q before the marked heading", tc.name, word)
				}
			}
		}
	}
}

// TestRequiredFields checks that every field DOMAIN.md §3 requires appears in the Chinese text.
func TestRequiredFields(t *testing.T) {
	text, err := renderer(t).Text(consumerLakala(), flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ field, want string }{
		{"title", "投诉书"},
		{"receiving body", "此致\n北京市消费者协会"},
		{"complainant name", "姓名：张三"},
		{"phone", "联系电话：13800138000"},
		{"city", "所在城市：深圳"},
		{"address", "联系地址：深圳市南山区科技园南路88号"},
		{"complainant type", "身份：消费者"},
		{"respondent", "名称：拉卡拉支付股份有限公司"},
		{"contract date and channel", "投诉人于2023年6月10日通过代理商/业务员办理了被投诉人提供的POS机收单服务"},
		{"charge kind", "注销扣费"},
		{"agent", "业务员王经理，办理时承诺机器免费、随时注销不收费"},
		{"device SN", "N910A1B2C3D4"},
		{"deduction table header", "扣费日期 | 金额（元） | 扣取方式 | 扣费名目"},
		{"deduction", "2024年4月2日 | 199.00 | 结算款调账 | 注销服务费"},
		{"total", "合计 | 199.00"},
		{"disclosure", "被投诉人从未告知投诉人该项费用，更未以显著方式提请投诉人注意，投诉人也从未同意。"},
		{"learned date", "投诉人于2024年4月3日得知上述扣费。"},
		{"negotiation", "投诉人于2024年4月5日通过客服热线与被投诉人协商（工单号：LKL20240405001）。据投诉人陈述，被投诉人答复称，注销费是合同约定的，不予退还。"},
		{"other proceedings", "本投诉事项未曾向人民法院、仲裁机构、消费者协会或其他行政部门提出。"},
		{"description", "2024年4月1日我在App申请注销，第二天结算款就被扣了199元"},
		{"refund request", "1. 退还违规扣取的费用共计人民币199.00元"},
		{"stop request", "2. 立即停止以任何名义扣取上述费用"},
		{"de-registration request", "3. 为投诉人办理完成终端注销手续"},
		{"explanation request", "4. 就上述扣费的依据向投诉人作出书面说明"},
		{"signature", "投诉人（签字）：张三"},
		{"date", "2024年5月20日"},
		{"evidence heading", "附：证据清单"},
		{"evidence header", "序号 | 证据类型 | 说明"},
		{"evidence 1", "1 | 照片 | 扣费短信截图"},
		{"evidence 2", "2 | 文件 | 注销申请记录.pdf"},
		{"evidence 3", "3 | 文字记录 | 【拉卡拉】尊敬的商户，您的终端（SN尾号C3D4）注销服务费199.00元已于2024年4月2日从…"},
	} {
		if !strings.Contains(text, f.want) {
			t.Errorf("%s: the text lacks %q", f.field, f.want)
		}
	}
	// The blocks come in the order of DOMAIN.md §3.
	last := -1
	for _, h := range []string{"投诉书", "\n投诉人\n", "\n被投诉人\n", "\n投诉请求\n", "\n事实与理由\n", "\n此致\n", "投诉人（签字）：张三", "\n附：证据清单\n"} {
		i := strings.Index(text, h)
		if i <= last {
			t.Errorf("%q is missing or out of order", h)
		}
		last = i
	}
}

// TestMerchantIsSpecialMerchant: a merchant's or a company's complaint says the complainant is
// the provider's 特约商户 in the words of 条例 第十二条 (DOMAIN.md §2), which makes the payment
// regulation's duties to its users the provider's duties to them; a consumer's does not.
func TestMerchantIsSpecialMerchant(t *testing.T) {
	const want = "投诉人系与被投诉人签订支付服务协议、由被投诉人为其完成资金结算的特约商户。"
	for _, who := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
		c := consumerLakala()
		c.Complainant = who
		if who == flows.Company {
			c.Company = flows.CompanyInfo{Name: "东莞市长安镇宏发五金厂", Address: "广东省东莞市长安镇振安中路100号"}
		}
		text, err := renderer(t).Text(c, flows.LangZH)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(text, want); got != (who != flows.Consumer) {
			t.Errorf("%s: says it is a 特约商户 = %v", who, got)
		}
	}
}

// TestLegalBasis checks the articles quoted for every charge kind and complainant type
// (DOMAIN.md §4, chosen by package law), that each is quoted whole and exactly, in Chinese, in
// both languages, that the consumer law is quoted for consumers only, and that 消法 第三十九条
// (a list of routes) is never a legal basis.
func TestLegalBasis(t *testing.T) {
	r := renderer(t)
	for _, kind := range flows.ChargeKinds() {
		for _, who := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
			for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
				c := consumerLakala()
				c.Complainant, c.Charge = who, kind
				text, err := r.Text(c, lang)
				if err != nil {
					t.Fatal(err)
				}
				basis := law.Basis(kind, who)
				if len(basis) < 2 {
					t.Fatalf("%s %s: law.Basis gives %d articles", kind, who, len(basis))
				}
				for _, a := range basis {
					if !strings.Contains(text, a.Quote()+"\n") {
						t.Errorf("%s %s %s: %s is not quoted whole", kind, who, lang, a.Citation())
					}
				}
				if err := law.CheckQuotes(text); err != nil {
					t.Errorf("%s %s %s: %v", kind, who, lang, err)
				}
				if strings.Contains(text, "第三十九条") {
					t.Errorf("%s %s %s: quotes 消法 第三十九条", kind, who, lang)
				}
				if consumerLaw := strings.Contains(text, "消费者权益保护法"); consumerLaw != (who == flows.Consumer) {
					t.Errorf("%s %s %s: cites the consumer protection law: %v", kind, who, lang, consumerLaw)
				}
			}
		}
	}
}

// TestMasking checks that an ID-card number in the user's text is masked in text and .docx,
// and that the identifiers the receiving body needs are not.
func TestMasking(t *testing.T) {
	r := renderer(t)
	const id = "110105194912310021"
	c := consumerLakala()
	c.Description = "我的身份证号是" + id + "，银行卡 6222 0212 3456 7890 123 被扣款。"
	c.Agent = "业务员拿走了我的身份证复印件（" + id + "）"
	c.Evidence[0].Caption = "身份证 " + id
	c.Contact.Address = "深圳市南山区（身份证地址同" + id + "）"
	c.MerchantNumber = "822584053110001" // 15 digits, like an old ID card, but needed as is
	for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
		text, err := r.Text(c, lang)
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.DOCX(c, lang)
		if err != nil {
			t.Fatal(err)
		}
		docText := xmlText(t, documentXML(t, b))
		for form, s := range map[string]string{"text": text, "docx": docText} {
			if strings.Contains(s, id) {
				t.Errorf("%s %s: the ID-card number is not masked", lang, form)
			}
			if !strings.Contains(s, "1101**********0021") {
				t.Errorf("%s %s: no masked ID-card number", lang, form)
			}
			if strings.Contains(s, "3456 7890") {
				t.Errorf("%s %s: the bank-card number is not masked", lang, form)
			}
			for _, keep := range []string{"822584053110001", "13800138000", "N910A1B2C3D4", "LKL20240405001"} {
				if !strings.Contains(s, keep) {
					t.Errorf("%s %s: %s was masked", lang, form, keep)
				}
			}
		}
	}
}

// TestDOCXOpens checks that the .docx is a package Word, WPS and LibreOffice open (ECMA-376
// Part 2): a zip whose first entry is [Content_Types].xml, every part with a content type and
// every content type's part present, every XML part well-formed, every relationship's target
// present, the main document's list ids declared in numbering.xml and its table styles in
// styles.xml, and the styles' fonts and language as the document needs them.
func TestDOCXOpens(t *testing.T) {
	r := renderer(t)
	for _, tc := range cases() {
		for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
			b, err := r.DOCX(tc.c, lang)
			if err != nil {
				t.Fatal(err)
			}
			name := tc.name + " " + string(lang)
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if first := zr.File[0].Name; first != "[Content_Types].xml" {
				t.Errorf("%s: the first entry is %s, not [Content_Types].xml", name, first)
			}
			files := zipFiles(t, b)
			for _, part := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/numbering.xml", "docProps/core.xml"} {
				if _, ok := files[part]; !ok {
					t.Errorf("%s: no %s", name, part)
				}
			}
			for part, data := range files {
				if strings.HasSuffix(part, ".xml") || strings.HasSuffix(part, ".rels") {
					if err := wellFormed(data); err != nil {
						t.Errorf("%s: %s: %v", name, part, err)
					}
				}
			}
			types := contentTypes(t, name, files)
			for _, rels := range []struct{ part, dir string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}} {
				rs := relationships(t, files[rels.part], rels.dir)
				if len(rs) == 0 {
					t.Errorf("%s: %s has no relationships", name, rels.part)
				}
				for _, r := range rs {
					if _, ok := files[r.target]; !ok {
						t.Errorf("%s: %s points to missing %s", name, rels.part, r.target)
					}
					if want, ok := partTypes[r.kind]; !ok {
						t.Errorf("%s: %s: a relationship of unknown type %s (add it to partTypes)", name, rels.part, r.kind)
					} else if got := types(r.target); got != want {
						t.Errorf("%s: %s, the target of a %s relationship, has content type %q, want %q", name, r.target, r.kind, got, want)
					}
				}
			}
			doc, numbering, styles := string(files["word/document.xml"]), string(files["word/numbering.xml"]), string(files["word/styles.xml"])
			for _, want := range []string{"<w:tbl>", "<w:tblHeader", "<w:numPr>", `<w:jc w:val="center">`, "<w:b"} {
				if tc.name != "minimal" && !strings.Contains(doc, want) {
					t.Errorf("%s: document.xml lacks %s", name, want)
				}
			}
			for _, id := range attrValues(doc, "numId", "val") {
				if !strings.Contains(numbering, `<w:num w:numId="`+id+`">`) {
					t.Errorf("%s: list %s is not declared in numbering.xml", name, id)
				}
			}
			for _, style := range attrValues(doc, "tblStyle", "val") {
				if !strings.Contains(styles, `w:styleId="`+style+`"`) {
					t.Errorf("%s: table style %s is not in styles.xml", name, style)
				}
			}
			tag := map[flows.Lang]string{flows.LangZH: "zh-CN", flows.LangEN: "en-US"}[lang]
			for _, want := range []string{`w:eastAsia="宋体"`, `w:ascii="Times New Roman"`, `<w:lang w:val="` + tag + `" w:eastAsia="zh-CN"/>`} {
				if !strings.Contains(styles, want) {
					t.Errorf("%s: styles.xml lacks %s", name, want)
				}
			}
		}
	}
}

// partTypes is the content type of the target of each kind of relationship a .docx of ours
// has (ECMA-376 Part 1, §11 and §15).
var partTypes = map[string]string{
	"officeDocument":      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
	"core-properties":     "application/vnd.openxmlformats-package.core-properties+xml",
	"extended-properties": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
	"styles":              "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
	"settings":            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
	"fontTable":           "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
	"numbering":           "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
}

// contentTypes checks that every part has a content type, by name or by its extension, and
// that every part named in [Content_Types].xml is present; it returns the content type of a
// part.
func contentTypes(t *testing.T, name string, files map[string][]byte) func(part string) string {
	t.Helper()
	var types struct {
		Default []struct {
			Extension   string `xml:",attr"`
			ContentType string `xml:",attr"`
		}
		Override []struct {
			PartName    string `xml:",attr"`
			ContentType string `xml:",attr"`
		}
	}
	if err := xml.Unmarshal(files["[Content_Types].xml"], &types); err != nil {
		t.Fatalf("%s: [Content_Types].xml: %v", name, err)
	}
	byExt, byName := map[string]string{}, map[string]string{}
	for _, d := range types.Default {
		byExt["."+d.Extension] = d.ContentType
	}
	for _, o := range types.Override {
		part := strings.TrimPrefix(o.PartName, "/")
		if _, ok := files[part]; !ok {
			t.Errorf("%s: [Content_Types].xml names missing %s", name, part)
		}
		byName[part] = o.ContentType
	}
	typeOf := func(part string) string {
		if ct, ok := byName[part]; ok {
			return ct
		}
		return byExt[path.Ext(part)]
	}
	for part := range files {
		if part != "[Content_Types].xml" && typeOf(part) == "" {
			t.Errorf("%s: %s has no content type", name, part)
		}
	}
	return typeOf
}

// attrValues lists the values of the w:attr attribute of every w:elem element in x.
func attrValues(x, elem, attr string) []string {
	var out []string
	d := xml.NewDecoder(strings.NewReader(x))
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == elem {
			for _, a := range se.Attr {
				if a.Name.Local == attr {
					out = append(out, a.Value)
				}
			}
		}
	}
}

// wellFormed decodes every token of an XML document.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// relationship is an internal relationship of a package: its type's last path segment
// ("styles") and the target's part name.
type relationship struct{ kind, target string }

// relationships lists the internal relationships of a relationships part, whose source part
// is in dir.
func relationships(t testing.TB, data []byte, dir string) []relationship {
	t.Helper()
	var rels struct {
		Rel []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &rels); err != nil {
		t.Fatalf("relationships: %v", err)
	}
	var out []relationship
	for _, r := range rels.Rel {
		if r.TargetMode != "External" {
			out = append(out, relationship{kind: path.Base(r.Type), target: path.Clean(dir + r.Target)})
		}
	}
	return out
}

// TestDOCXDeterministic checks that a complaint always gives the same bytes, and that the
// document's dates are the complaint's.
func TestDOCXDeterministic(t *testing.T) {
	r := renderer(t)
	c := consumerLakala()
	a, err := r.DOCX(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	b, err := renderer(t).DOCX(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same complaint differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		// The MS-DOS time fields hold the complaint's time in China.
		if got := f.Modified.Format("2006-01-02 15:04"); got != "2024-05-20 10:00" {
			t.Errorf("%s is dated %s, want the complaint's 2024-05-20 10:00", f.Name, got)
		}
	}
	core := string(zipFiles(t, a)["docProps/core.xml"])
	for _, want := range []string{"2024-05-20T02:00:00Z", "投诉书 C-000123", "zh-CN"} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %q:\n%s", want, core)
		}
	}
	if strings.Contains(core, "gomutex") {
		t.Errorf("core.xml still names the template's author:\n%s", core)
	}
}

// TestFileName checks the .docx names.
func TestFileName(t *testing.T) {
	c := consumerLakala()
	for _, tc := range []struct {
		id   string
		lang flows.Lang
		want string
	}{
		{"C-000123", flows.LangZH, "投诉书-C-000123.docx"},
		{"C-000123", flows.LangEN, "complaint-C-000123.docx"},
		{"", flows.LangZH, "投诉书.docx"},
		{"../C-1/\x00", flows.LangEN, "complaint-C-1.docx"},
	} {
		c.ID = tc.id
		if got := document.FileName(c, tc.lang); got != tc.want {
			t.Errorf("FileName(%q, %s) = %q, want %q", tc.id, tc.lang, got, tc.want)
		}
	}
}

// TestMessages checks that a long complaint is split into messages Telegram accepts that
// together say what Text says.
func TestMessages(t *testing.T) {
	r := renderer(t)
	c := consumerLakala()
	c.Description = strings.Repeat("业务员承诺注销免费，但结算款仍被扣除。\n", 400)
	text, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := r.Messages(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 2 {
		t.Fatalf("got %d message(s), want the long complaint split", len(msgs))
	}
	if err := checkSplit(text, 4096, msgs); err != nil {
		t.Error(err)
	}
}

// TestUnknownValue checks that a value with no label is an error, not a raw key in the document.
func TestUnknownValue(t *testing.T) {
	r := renderer(t)
	c := consumerLakala()
	c.Deductions[0].Method = "carrier_pigeon"
	if _, err := r.Text(c, flows.LangZH); err == nil || !strings.Contains(err.Error(), "carrier_pigeon") {
		t.Errorf("Text with an unknown method: err = %v", err)
	}
	if _, err := r.Text(consumerLakala(), "fr"); err == nil {
		t.Error("Text in an unknown language: no error")
	}
}

// TestControlCharacters checks that control characters and line breaks in user text neither
// reach the document nor break its layout.
func TestControlCharacters(t *testing.T) {
	r := renderer(t)
	c := consumerLakala()
	c.Contact.Name = "张\x00三\x1f\n"
	c.Description = "第一行\r\n\x1ftr 伪造的表格行\nh 伪造的标题\x07"
	text, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(text, "\x00\x1f\x07\r") {
		t.Errorf("control characters in the text: %q", text)
	}
	if !strings.Contains(text, "投诉人（签字）：张三\n") {
		t.Error("the name was not cleaned")
	}
	if !strings.Contains(text, "投诉人陈述：第一行\ntr 伪造的表格行\nh 伪造的标题\n") {
		t.Error("the description's lines were not kept as text")
	}
	b, err := r.DOCX(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(documentXML(t, b), "<w:tbl>"); got != 2 { // the deductions and the evidence
		t.Errorf("%d tables in the .docx, want 2", got)
	}
}

// TestConcurrent renders from one Renderer on several goroutines, for the race detector.
func TestConcurrent(t *testing.T) {
	r := renderer(t)
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			c := cases()[i%len(cases())].c
			lang := []flows.Lang{flows.LangZH, flows.LangEN}[i%2]
			if _, err := r.Messages(c, lang); err != nil {
				errs <- err
				return
			}
			_, err := r.DOCX(c, lang)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestEnglishNamesTheBody: the English rendering names the receiving body in English with the
// Chinese name beside it; the Chinese document, which is filed, names it in Chinese only; a body
// the user typed has no English name and stays as typed.
func TestEnglishNamesTheBody(t *testing.T) {
	r := renderer(t)
	c := consumerLakala() // to 北京市消费者协会
	en, err := r.Text(c, flows.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en, "Beijing Consumer Association (北京市消费者协会)") {
		t.Errorf("the English rendering does not name the body in English:\n%s", en)
	}
	zh, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(zh, "Consumer Association") {
		t.Error("the Chinese document names the body in English")
	}
	c.Body = "某某区消费者协会"
	if en, err = r.Text(c, flows.LangEN); err != nil || !strings.Contains(en, "\n某某区消费者协会\n") {
		t.Errorf("a typed body in the English rendering: %v\n%s", err, en)
	}
}

// TestEnglishNamesRespondentAndCity: the English rendering names the respondent and the
// complainant's city in English with the Chinese beside them; the Chinese document does not.
func TestEnglishNamesRespondentAndCity(t *testing.T) {
	r := renderer(t)
	c := consumerLakala()
	en, err := r.Text(c, flows.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Lakala (拉卡拉支付股份有限公司)", "Shenzhen (深圳"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English rendering lacks %q:\n%s", want, en)
		}
	}
	zh, err := r.Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(zh, "Lakala") || strings.Contains(zh, "Shenzhen") {
		t.Error("the Chinese document names the respondent or the city in English")
	}
}

// TestTermsHowSaid: what the complainant said with "the conditions were met" is told after it,
// as their account.
func TestTermsHowSaid(t *testing.T) {
	c := combo(flows.Individual, flows.ServiceFee)
	c.Facts.TermsHow = "达到了，三个月刷了五万多"
	text, err := renderer(t).Text(c, flows.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	const want = "投诉人已达到上述返还条件，被投诉人至今未予返还。\n据投诉人陈述：达到了，三个月刷了五万多。"
	if !strings.Contains(text, want) {
		t.Fatalf("the text lacks %q:\n%s", want, text)
	}
}
