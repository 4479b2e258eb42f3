package document_test

import (
	"strings"
	"testing"

	"complaintbot/document"
	"complaintbot/flows"
)

// TestArgumentBackedByQuotedArticle: the sentences opening the legal basis claim nothing the
// articles quoted below them do not say (DOMAIN.md §4: the articles are chosen by complainant
// type and charge kind): a term called void (无效) needs 民法典 第四百九十七条 or 消法 第二十六条
// among them, which a merchant's rate increase does not quote; a term that is not part of the
// contract needs 民法典 第四百九十六条, which a consumer's rate increase does not quote.
func TestArgumentBackedByQuotedArticle(t *testing.T) {
	r := renderer(t)
	for _, who := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
		for _, kind := range flows.ChargeKinds() {
			for _, disclosure := range []flows.Disclosure{flows.NotTold, flows.FinePrint, flows.ToldNoAgree, flows.Agreed, flows.NotSureTold} {
				c := combo(who, kind)
				c.Disclosure = disclosure
				text, err := r.LetterText(document.Complaint, c, flows.LangZH)
				if err != nil {
					t.Fatal(err)
				}
				_, basis, _ := strings.Cut(text, "\n法律依据\n")
				claims, _, _ := strings.Cut(basis, "\n《")
				if strings.Contains(claims, "无效") && !strings.Contains(basis, "《中华人民共和国民法典》第四百九十七条") &&
					!strings.Contains(basis, "《中华人民共和国消费者权益保护法》第二十六条") {
					t.Errorf("%s, %s, %s: the legal basis calls a term void without quoting an article that voids it: %s", who, kind, disclosure, claims)
				}
				if strings.Contains(claims, "不成为合同的内容") && !strings.Contains(basis, "《中华人民共和国民法典》第四百九十六条") {
					t.Errorf("%s, %s, %s: the legal basis says the term is not part of the contract without quoting 民法典 第四百九十六条: %s", who, kind, disclosure, claims)
				}
			}
		}
	}
}

// TestServiceFeeWithoutPromise: a service fee nobody promised to return is one of DOMAIN.md §4's
// "other unmarked fees": its legal basis is that row's (价格法 第十三条, and for a merchant 民法典
// 第四百九十七条), not breach of a promise (第五百七十七条), and it is claimed back as a fee taken,
// not "returned as promised".
func TestServiceFeeWithoutPromise(t *testing.T) {
	r := renderer(t)
	for _, who := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
		c := combo(who, flows.ServiceFee)
		c.Facts.ReturnTerms, c.Facts.TermsMet = "没有", flows.No
		text, err := r.LetterText(document.Complaint, c, flows.LangZH)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"本案涉及的费用：服务费/押金/激活费", "《中华人民共和国价格法》第十三条", "退还违规扣取的费用", "得知上述扣费"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: lacks %q", who, want)
			}
		}
		for _, bad := range []string{"第五百七十七条", "按承诺返还", "承诺的返还条件", "未按承诺返还"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: says %q", who, bad)
			}
		}
		if merchant := who != flows.Consumer; merchant != strings.Contains(text, "第四百九十七条") {
			t.Errorf("%s: 第四百九十七条 quoted: %v", who, !merchant)
		}
	}
}
