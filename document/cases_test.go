package document_test

import (
	"time"

	"complaintbot/flows"
)

// china is the zone the bot's times arrive in.
func china() *time.Location { return time.FixedZone("CST", 8*60*60) }

// testCase is a complaint with a name for golden files.
type testCase struct {
	name   string
	c      flows.Complaint
	zhOnly bool // the Chinese document alone: a Chinese-speaking user gets no English rendering
}

// cases are the complaints rendered to golden files: three hand-written ones, every charge kind
// for every complainant type, and English-speaking users.
func cases() []testCase {
	cs := []testCase{
		{name: "consumer-lakala", c: consumerLakala()},
		{name: "company-sim", c: companySIM()},
		{name: "minimal", c: minimal()},
	}
	for _, who := range []flows.ComplainantType{flows.Consumer, flows.Individual, flows.Company} {
		for _, kind := range flows.ChargeKinds() {
			cs = append(cs, testCase{name: "kind-" + string(who) + "-" + string(kind), c: combo(who, kind), zhOnly: true})
		}
	}
	return append(cs,
		testCase{name: "english-consumer-deregistration", c: englishConsumer()},
		testCase{name: "english-individual-service", c: englishIndividual()},
		testCase{name: "english-company-rate", c: englishCompany()},
	)
}

// combo is a complaint of charge kind kind by a complainant of type who, with the facts that
// kind asks for (DOMAIN.md §3) and the fields that type needs.
func combo(who flows.ComplainantType, kind flows.ChargeKind) flows.Complaint {
	at := time.Date(2024, 7, 8, 10, 0, 0, 0, china())
	c := flows.Complaint{
		ID: "C-0002" + map[flows.ComplainantType]string{flows.Consumer: "1", flows.Individual: "2", flows.Company: "3"}[who] +
			map[flows.ChargeKind]string{flows.DeregistrationFee: "1", flows.SIMFee: "2", flows.ServiceFee: "3", flows.RateIncrease: "4", flows.OtherCharge: "5"}[kind],
		Lang:            flows.LangZH,
		Complainant:     who,
		Charge:          kind,
		Provider:        flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Disclosure:      flows.NotTold,
		LearnedOn:       "2024-06-03",
		ContractDate:    "2022-03",
		ContractChannel: flows.ChannelAgent,
		Agent:           "业务员刘某，微信号 liu-pos，称机器免费、不收任何费用",
		DeviceSN:        "N5-00123456",
		Negotiation: flows.Negotiation{Tried: true, Date: "2024-06-05", Channel: flows.ChannelHotline, Ticket: "GD240605-17",
			Reply: "说费用是系统自动扣的，合同里有约定，不能退"},
		Proceedings: flows.ProceedingsNone,
		Requests:    []flows.RequestKind{flows.RequestRefund, flows.RequestStop, flows.RequestExplanation},
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, Caption: "扣费短信截图", Date: "2024-06-02", ReceivedAt: at},
			{Kind: flows.EvidencePhoto, Caption: "与业务员的微信聊天记录", ReceivedAt: at},
		},
		Contact:   flows.Contact{Name: "陈晓梅", Phone: "13600001234", City: "广州", Address: "广州市天河区体育西路100号"},
		Body:      "北京市消费者协会", // Lakala is registered in 北京 (DOMAIN.md §2: the respondent's place)
		CreatedAt: at,
	}
	switch who {
	case flows.Individual:
		c.MerchantName, c.MerchantNumber = "晓梅便利店", "822581054110233"
		c.Body = "中国人民银行北京市分行"
	case flows.Company:
		c.Company = flows.CompanyInfo{Name: "广州市晓梅餐饮管理有限公司", CreditCode: "91440101MA5CXXXX1Q", Address: "广州市天河区体育西路100号201室", Role: flows.RoleAuthorised}
		c.MerchantNumber = "822581054110877"
		c.Body = "中国人民银行北京市分行"
	}
	switch kind {
	case flows.DeregistrationFee:
		c.Deductions = []flows.Deduction{{Date: "2024-06-02", Amount: 19900, Method: flows.FromSettlement, Label: "注销服务费"}}
		c.Facts = flows.Facts{DeregOn: "2024-05-28", DeregChannel: flows.ChannelApp, DeregTicket: "ZX0528-889", DeregDone: flows.No}
		c.Requests = append(c.Requests, flows.RequestDeregister)
	case flows.SIMFee:
		c.Deductions = []flows.Deduction{
			{Date: "2023-06-02", Amount: 9900, Method: flows.FromSettlement},
			{Date: "2024-06-02", Amount: 9900, Method: flows.FromSettlement},
		}
		c.Facts = flows.Facts{FeePeriod: "2024年6月至2025年6月"}
	case flows.ServiceFee:
		c.Deductions = []flows.Deduction{{Date: "2022-03-15", Amount: 29900, Method: flows.FromBankCard, Label: "押金"}}
		c.Facts = flows.Facts{ReturnTerms: "三个月内刷卡满5万元即全额退还押金", TermsMet: flows.Yes}
		c.LearnedOn = "2022-07-01"
		c.Negotiation.Date = "2022-07-05"
		c.Negotiation.Reply = "押金要等活动结束后统一处理"
	case flows.RateIncrease:
		c.Deductions = []flows.Deduction{{Date: "2024-05-31", Amount: 4120, Method: flows.FromSettlement, Label: "手续费差额（5月）"}}
		c.Facts = flows.Facts{OldRate: "0.38%", NewRate: "0.60%", RateFrom: "2024-05", Notice: flows.No}
		c.Disclosure = flows.NotTold
	case flows.OtherCharge:
		c.Deductions = []flows.Deduction{{Date: "2024-06-01", Amount: 3800, Method: flows.FromWallet}}
		c.Description = "钱包余额被扣了38元，客服说是“会员服务费”，我从没开通过会员。"
	}
	return c
}

// englishConsumer is an English-speaking consumer in Shenzhen who typed their story in English.
func englishConsumer() flows.Complaint {
	at := time.Date(2024, 8, 2, 15, 0, 0, 0, china())
	return flows.Complaint{
		ID: "C-000301", Lang: flows.LangEN, Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: "2024-07-20", Amount: 19900, Method: flows.FromSettlement, Label: "注销服务费"}},
		Disclosure: flows.NotTold, LearnedOn: "2024-07-21", ContractDate: "2023-02", ContractChannel: flows.ChannelAgent,
		Agent:       "A sales agent at a trade fair said the terminal was free and could be cancelled any time.",
		Negotiation: flows.Negotiation{Tried: true, Date: "2024-07-22", Channel: flows.ChannelHotline, Reply: "They said the fee is in the contract and will not be refunded."},
		Facts:       flows.Facts{DeregOn: "2024-07-18", DeregChannel: flows.ChannelHotline, DeregDone: flows.Yes},
		Proceedings: flows.ProceedingsNone,
		Description: "I stopped using the terminal and asked to cancel it. Two days later 199 yuan was taken from my settlement without any notice.",
		Requests:    []flows.RequestKind{flows.RequestRefund, flows.RequestExplanation},
		Evidence: []flows.Evidence{
			{Kind: flows.EvidencePhoto, Caption: "Screenshot of the deduction SMS", Date: "2024-07-20", ReceivedAt: at},
			{Kind: flows.EvidenceText, Caption: "【拉卡拉】尊敬的商户，您的终端注销服务费199.00元已从结算款中扣除。", Date: "2024-07-20", ReceivedAt: at},
		},
		Contact:   flows.Contact{Name: "John Smith", Phone: "13512345678", City: "深圳", Address: "深圳市南山区海德三道1号"},
		Body:      "北京市市场监督管理局",
		CreatedAt: at,
	}
}

// englishIndividual is an English-speaking individual merchant whose deposit was not returned.
func englishIndividual() flows.Complaint {
	at := time.Date(2024, 9, 10, 9, 0, 0, 0, china())
	return flows.Complaint{
		ID: "C-000302", Lang: flows.LangEN, Complainant: flows.Individual, Charge: flows.ServiceFee,
		Provider:   flows.Provider{Name: "某某支付服务有限公司", Address: "上海市浦东新区张江路88号"},
		Deductions: []flows.Deduction{{Date: "2023-10-08", Amount: 29900, Method: flows.FromBankCard}},
		Disclosure: flows.ToldNoAgree, LearnedOn: "2024-04-10", ContractDate: "2023-10-08", ContractChannel: flows.ChannelAgent,
		Facts:        flows.Facts{ReturnTerms: "The agent promised the deposit back after 3 months with over 30,000 yuan of card payments.", TermsMet: flows.Yes},
		MerchantName: "Maria's Coffee", MerchantNumber: "822290058120011",
		Negotiation:  flows.Negotiation{Tried: true, Date: "2024-04-12", Channel: flows.ChannelAgent},
		Proceedings:  flows.ProceedingsNone,
		Requests:     []flows.RequestKind{flows.RequestRefund, flows.RequestOther},
		OtherRequest: "Confirm in writing when the deposit will be paid back.",
		Evidence:     []flows.Evidence{{Kind: flows.EvidenceDocument, FileName: "bank-transfer.pdf", Date: "2023-10-08", ReceivedAt: at}},
		Contact:      flows.Contact{Name: "Maria Garcia", Phone: "13912340000", City: "上海", Address: "上海市徐汇区衡山路10号"},
		Body:         "中国人民银行上海市分行",
		CreatedAt:    at,
	}
}

// englishCompany is a company whose English-speaking manager reports a rate increase.
func englishCompany() flows.Complaint {
	at := time.Date(2024, 10, 15, 11, 0, 0, 0, china())
	return flows.Complaint{
		ID: "C-000303", Lang: flows.LangEN, Complainant: flows.Company, Charge: flows.RateIncrease,
		Provider:   flows.Provider{Key: "yinsheng", Name: "银盛支付服务股份有限公司"},
		Company:    flows.CompanyInfo{Name: "深圳市蓝海贸易有限公司", Address: "深圳市福田区福华路8号", Role: flows.RoleLegalRep},
		Deductions: []flows.Deduction{{Date: "2024-09-30", Amount: 128050, Method: flows.FromSettlement}},
		Disclosure: flows.NotTold, LearnedOn: "2024-10-02", ContractDate: "2021-05", ContractChannel: flows.ChannelOffline,
		Facts:          flows.Facts{OldRate: "0.38%", NewRate: "0.55%", RateFrom: "2024-09-01", Notice: flows.NotSureYN},
		MerchantNumber: "849584053990012",
		Negotiation:    flows.Negotiation{Tried: true, Date: "2024-10-03", Channel: flows.ChannelApp, Ticket: "YS-88123", Reply: "尊敬的商户，费率调整已于8月在官网公告。", Verbatim: true},
		Proceedings:    flows.ProceedingsNone,
		Description:    "Our September statement shows the higher rate on every transaction. Nobody asked us to agree to it.",
		Requests:       []flows.RequestKind{flows.RequestRefund, flows.RequestStop, flows.RequestExplanation},
		Evidence:       []flows.Evidence{{Kind: flows.EvidencePhoto, Caption: "September settlement statement", Date: "2024-10-01", ReceivedAt: at}},
		Contact:        flows.Contact{Name: "David Lee", Phone: "13800990011"},
		Body:           "中国人民银行深圳市分行",
		CreatedAt:      at,
	}
}

// consumerLakala is a consumer in 深圳 charged a 199-yuan de-registration fee by Lakala, going to
// the consumer association where Lakala is registered (北京市消费者协会), with every field of
// DOMAIN.md §3 filled in.
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
		Body:    "北京市消费者协会", // the respondent's place, not the user's 深圳 (DOMAIN.md §2)
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
			{Date: "2024-05-02", Amount: 3600, Method: flows.FromOther, How: "业务员微信收款"},
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
