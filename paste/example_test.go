package paste_test

import (
	"fmt"
	"time"

	"complaintbot/paste"
)

// A de-registration SMS pasted together with two ledger lines.
func ExampleRead() {
	text := `【拉卡拉】尊敬的商户，您的终端（SN:WP12345678）已于2024年05月01日完成注销，注销服务费199.00元已从结算款中扣除。
06-10 09:12 调账 流量卡服务费 -99.00 余额 1,203.50
【拉卡拉】您的机具流量卡年费99元将于2024-10-10从结算资金中扣收，详询95016。`
	now := time.Date(2024, 9, 15, 12, 0, 0, 0, time.UTC)
	r := paste.Read(text, now)
	for _, d := range r.Deductions {
		fmt.Printf("%s %d.%02d %s %s planned=%v year_assumed=%v\n", d.Date, d.Amount/100, d.Amount%100, d.Label, d.Method, d.Planned, d.YearAssumed)
	}
	fmt.Println(r.Provider, r.ProviderText, r.SN, r.Deregistered)
	for _, n := range r.Notes {
		fmt.Println(n.Code, n.Value)
	}
	// Output:
	// 2024-05-01 199.00 注销服务费 settlement planned=false year_assumed=false
	// 2024-06-10 99.00 流量卡服务费 settlement planned=false year_assumed=true
	// 2024-10-10 99.00 流量卡年费 settlement planned=true year_assumed=false
	// lakala 拉卡拉 WP12345678 2024-05-01
	// year_assumed 2024-06-10
}
