package document_test

import (
	"time"

	"complaintbot/flows"
)

// china is the zone the bot's times arrive in.
func china() *time.Location { return time.FixedZone("CST", 8*60*60) }

// testCase is a complaint with a name for golden files.
type testCase struct {
	name string
	c    flows.Complaint
}

// cases are the complaints rendered to golden files.
func cases() []testCase {
	return []testCase{
		{"consumer-lakala", consumerLakala()},
		{"company-sim", companySIM()},
		{"minimal", minimal()},
	}
}

// consumerLakala is a consumer in 深圳 charged a 199-yuan de-registration fee by Lakala, going to
// the 深圳市消费者协会, with every field of DOMAIN.md §3 filled in.
func consumerLakala() flows.Complaint {
	received := time.Date(2024, 5, 18, 21, 30, 0, 0, china())
	return flows.Complaint{
		ID:          "C-000123",
		Chat:        1001,
		User:        1001,
		Lang:        flows.LangZH,
		Complainant: flows.Consumer,
		Charge:      flows.DeregistrationFee,
		Provider:    flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{
			{Date: "2024-04-02", Amount: 19900, Method: flows.FromSettlement, Label: "注销服务费"},
		},
		Disclosure:      flows.NotTold,
		LearnedOn:       "2024-04-03",
		ContractDate:    "2023-06-10",
		ContractChannel: flows.ChannelAgent,
		Agent:           "业务员王经理，办理时承诺机器免费、随时注销不收费",
		DeviceSN:        "N910A1B2C3D4",
		Negotiation: flows.Negotiation{
			Tried:   true,
			Date:    "2024-04-05",
			Channel: flows.ChannelHotline,
			Ticket:  "LKL20240405001",
			Reply:   "注销费是合同约定的，不予退还。",
		},
		Proceedings: flows.ProceedingsNone,
		Description: "2023年6月业务员上门推广，说机器免费送，不用了随时可以注销。\n2024年4月1日我在App申请注销，第二天结算款就被扣了199元，事先没有任何提示。",
		Requests: []flows.RequestKind{
			flows.RequestRefund, flows.RequestStop, flows.RequestDeregister, flows.RequestExplanation,
		},
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, FileID: "p1", Caption: "扣费短信截图", ReceivedAt: received},
			{Kind: flows.EvidenceDocument, FileID: "d1", FileName: "注销申请记录.pdf", MIME: "application/pdf", ReceivedAt: received},
			{Kind: flows.EvidenceText, Caption: "【拉卡拉】尊敬的商户，您的终端（SN尾号C3D4）注销服务费199.00元已于2024年4月2日从结算款中扣除，如有疑问请致电客服热线95016。", ReceivedAt: received},
		},
		Contact: flows.Contact{Name: "张三", Phone: "13800138000", City: "深圳", Address: "深圳市南山区科技园南路88号"},
		Body:    "深圳市消费者协会",
		// Stored in UTC: still 20 May in China.
		CreatedAt: time.Date(2024, 5, 20, 2, 0, 0, 0, time.UTC),
		Status:    flows.StatusSubmitted,
	}
}

// companySIM is a company charged yearly SIM fees several times, going to the PBOC branch.
func companySIM() flows.Complaint {
	received := time.Date(2024, 6, 1, 9, 15, 0, 0, china())
	return flows.Complaint{
		ID:          "C-000456",
		Lang:        flows.LangZH,
		Complainant: flows.Company,
		Charge:      flows.SIMFee,
		Provider:    flows.Provider{Key: "shengpay", Name: "上海盛付通电子支付服务有限公司"},
		Deductions: []flows.Deduction{
			{Date: "2023-09-15", Amount: 6900, Method: flows.FromSettlement, Label: "流量卡年费"},
			{Date: "2024-03-15", Amount: 6900, Method: flows.FromSettlement, Label: "流量服务费"},
			{Date: "2024-04-20", Amount: 9900, Method: flows.FromWallet, Label: "SIM卡服务费"},
			{Date: "2024-05-02", Amount: 3600, Method: flows.FromBankCard},
		},
		Disclosure:      flows.FinePrint,
		LearnedOn:       "2024-05-03",
		ContractDate:    "2023-03-01",
		ContractChannel: flows.ChannelOffline,
		DeviceSN:        "SP930-77881234",
		MerchantName:    "深圳市华兴商贸有限公司",
		MerchantNumber:  "822584053110001",
		Negotiation:     flows.Negotiation{Tried: true, Date: "2024-05-06", Channel: flows.ChannelApp},
		Proceedings:     flows.Proceedings12315,
		Description:     "合同里只有一行小字写着“流量服务费按年收取”，签约时没有人提醒。",
		Requests:        []flows.RequestKind{flows.RequestRefund, flows.RequestStop, flows.RequestOther},
		OtherRequest:    "公开说明流量卡费的收费标准",
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, Caption: "结算明细 2023-09", AlbumID: "g1", ReceivedAt: received},
			{Kind: flows.EvidencePhoto, Caption: "结算明细 2024-03", AlbumID: "g1", ReceivedAt: received},
			{Kind: flows.EvidenceDocument, FileName: "调账记录.xlsx", ReceivedAt: received.Add(time.Hour)},
		},
		Contact:   flows.Contact{Name: "李四", Phone: "13912345678", City: "深圳", Address: "深圳市福田区华强北路1号"},
		Body:      "中国人民银行上海市分行",
		CreatedAt: time.Date(2024, 6, 1, 10, 0, 0, 0, china()),
	}
}

// minimal is an individual merchant's complaint with most optional fields left empty.
func minimal() flows.Complaint {
	return flows.Complaint{
		Complainant: flows.Individual,
		Charge:      flows.OtherCharge,
		Provider:    flows.Provider{Name: "某支付公司"},
		Deductions:  []flows.Deduction{{Amount: 5000, Method: flows.FromSettlement}},
		Disclosure:  flows.NotSureTold,
		Requests:    []flows.RequestKind{flows.RequestRefund},
		Contact:     flows.Contact{Name: "王五", Phone: "13700001111"},
		Body:        "中国人民银行深圳市分行",
	}
}
