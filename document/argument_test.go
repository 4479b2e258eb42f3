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
