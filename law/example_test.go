package law_test

import (
	"fmt"

	"complaintbot/flows"
	"complaintbot/law"
)

// The legal basis of an individual merchant's complaint about a de-registration fee: the
// payment regulation and the Price Law first, the Civil Code's standard-terms articles, and the
// provider's duty to handle complaints last.
func ExampleBasis() {
	for _, a := range law.Basis(flows.DeregistrationFee, flows.Individual) {
		fmt.Println(a.Citation())
	}
	// Output:
	// 《非银行支付机构监督管理条例》第三十四条
	// 《中华人民共和国价格法》第十三条
	// 《中华人民共和国民法典》第四百九十六条
	// 《中华人民共和国民法典》第四百九十七条
	// 《非银行支付机构监督管理条例》第三十五条
}

// A document's test checks its quotations against the statute data.
func ExampleCheckQuotes() {
	a, _ := law.Lookup("price13")
	fmt.Println(law.CheckQuotes("法律依据\n" + a.Quote() + "\n综上所述"))
	fmt.Println(law.CheckQuotes("违反《中华人民共和国价格法》第九十九条的规定"))
	// Output:
	// <nil>
	// line 1: 《中华人民共和国价格法》第九十九条: not an article in the statute data (numbers are written as there, e.g. 第三十四条)
}
