package flows

import (
	"slices"
	"strings"
	"testing"
)

// TestRoutes: known and unknown providers × complainant types × the forms a city is typed in.
func TestRoutes(t *testing.T) {
	lakala := Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}
	yinsheng := Provider{Key: "yinsheng", Name: "银盛支付服务股份有限公司"}
	ruiyinxin := Provider{Key: "ruiyinxin", Name: "瑞银信支付技术有限公司"}
	unknown := Provider{Name: "某某支付科技有限公司"}
	unknownWithAddress := Provider{Name: "某某支付科技有限公司", Address: "浙江省杭州市西湖区某某路8号"}
	for _, c := range []struct {
		name     string
		who      ComplainantType
		provider Provider
		city     string // the user's city as stored (ParseCity's output) or as typed before
		company  string // a company's address
		want     []string
		guess    bool
	}{
		// a consumer: the respondent's place, never the user's
		{"consumer, Lakala, user in Shenzhen", Consumer, lakala, "深圳市", "", []string{"北京市消费者协会", "北京市市场监督管理局"}, false},
		{"consumer, Yinsheng (Shenzhen's own body)", Consumer, yinsheng, "北京市", "", []string{"深圳市消费者委员会", "深圳市市场监督管理局"}, false},
		{"consumer, Ruiyinxin (moved to Jinan)", Consumer, ruiyinxin, "深圳", "", []string{"济南市消费者协会", "济南市市场监督管理局"}, false},
		{"consumer, unknown provider", Consumer, unknown, "深圳市", "", nil, false},
		{"consumer, unknown provider with its address", Consumer, unknownWithAddress, "深圳市", "", []string{"杭州市消费者协会", "杭州市市场监督管理局"}, false},
		// a merchant: the PBOC branch supervising the provider
		{"individual, Lakala", Individual, lakala, "深圳市", "", []string{"中国人民银行北京市分行"}, false},
		{"individual, Yinsheng (a planning city)", Individual, yinsheng, "", "", []string{"中国人民银行深圳市分行"}, false},
		{"individual, Ruiyinxin (a province's branch)", Individual, ruiyinxin, "", "", []string{"中国人民银行山东省分行"}, false},
		{"company, Lakala", Company, lakala, "", "广东省广州市天河区某路1号", []string{"中国人民银行北京市分行"}, false},
		{"individual, unknown provider with its address", Individual, unknownWithAddress, "深圳市", "", []string{"中国人民银行浙江省分行"}, false},
		// an unknown provider: the user's own place, as a suggestion
		{"individual, unknown, user in Guangzhou", Individual, unknown, "广州市", "", []string{"中国人民银行广东省分行"}, true},
		{"individual, unknown, user in Shenzhen", Individual, unknown, "深圳市", "", []string{"中国人民银行深圳市分行"}, true},
		{"individual, unknown, city typed short", Individual, unknown, "成都", "", []string{"中国人民银行四川省分行"}, true},
		{"individual, unknown, city in pinyin", Individual, unknown, "Chengdu", "", []string{"中国人民银行四川省分行"}, true},
		{"individual, unknown, a municipality", Individual, unknown, "重庆市", "", []string{"中国人民银行重庆市分行"}, true},
		{"individual, unknown, a county we do not know", Individual, unknown, "某某县", "", nil, false},
		{"company, unknown, its address", Company, unknown, "", "广东省东莞市某某镇1号", []string{"中国人民银行广东省分行"}, true},
		{"company, unknown, nothing known", Company, unknown, "", "", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Complaint{Complainant: c.who, Provider: c.provider, Contact: Contact{City: c.city}, Company: CompanyInfo{Address: c.company}}
			rs := Routes(d, nil)
			var got []string
			for _, r := range rs {
				got = append(got, r.Body)
				if r.Guess != c.guess {
					t.Errorf("%s: guess = %v, want %v", r.Body, r.Guess, c.guess)
				}
				if !hasHan(r.Body) || strings.ContainsFunc(r.Body, func(r rune) bool { return r < 0x80 }) {
					t.Errorf("body %q is not all Chinese", r.Body)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("routes = %v, want %v", got, c.want)
			}
		})
	}
}

// TestDateProblems: contract ≤ deductions ≤ learned, negotiation after the first deduction;
// month-precision dates compare by month.
func TestDateProblems(t *testing.T) {
	base := func() Complaint {
		return Complaint{Deductions: []Deduction{{Date: "2024-05-01"}, {Date: "2024-06-01"}},
			ContractDate: "2022-03-15", LearnedOn: "2024-05-03",
			Negotiation: Negotiation{Tried: true, Date: "2024-05-04"}}
	}
	for _, c := range []struct {
		name   string
		change func(*Complaint)
		want   []string
	}{
		{"in order", nil, nil},
		{"learned on the first deduction", func(c *Complaint) { c.LearnedOn = "2024-05-01" }, nil},
		{"contract in the deduction's month", func(c *Complaint) { c.ContractDate = "2024-05" }, nil},
		{"contract unknown", func(c *Complaint) { c.ContractDate = "" }, nil},
		{"no deductions", func(c *Complaint) { c.Deductions = nil; c.ContractDate = "2025-01-01" }, nil},
		{"contract after the first deduction", func(c *Complaint) { c.ContractDate = "2024-05-02" }, []string{"dates_contract_after"}},
		{"contract month after", func(c *Complaint) { c.ContractDate = "2024-06" }, []string{"dates_contract_after"}},
		{"learned before", func(c *Complaint) { c.LearnedOn = "2024-04-30" }, []string{"dates_learned_before"}},
		{"negotiated before", func(c *Complaint) { c.Negotiation.Date = "2024-04-01" }, []string{"dates_negotiation_before"}},
		{"negotiation not tried", func(c *Complaint) { c.Negotiation = Negotiation{Date: "2024-04-01"} }, nil},
		{"rate raised before its extra fees", func(c *Complaint) {
			c.Charge, c.Facts = RateIncrease, Facts{OldRate: "0.38%", NewRate: "0.63%", RateFrom: "2024-04"}
		}, nil},
		{"rate raised in the first fee's month", func(c *Complaint) { c.Charge, c.Facts.RateFrom = RateIncrease, "2024-05" }, nil},
		{"rate raised after its extra fees", func(c *Complaint) { c.Charge, c.Facts.RateFrom = RateIncrease, "2025-10" }, []string{"dates_rate_after"}},
		{"negotiated before learning of it", func(c *Complaint) { c.LearnedOn = "2024-06" }, []string{"dates_negotiation_before_learned"}},
		{"negotiated in the month learned", func(c *Complaint) { c.LearnedOn = "2024-05" }, nil},
		{"a deposit's refusal learned after the asking", func(c *Complaint) { c.Charge, c.LearnedOn = ServiceFee, "2024-06" }, nil},
		{"a rate date on another kind", func(c *Complaint) { c.Charge, c.Facts.RateFrom = SIMFee, "2025-10" }, nil},
		{"all three", func(c *Complaint) {
			c.ContractDate, c.LearnedOn, c.Negotiation.Date = "2025-01", "2024-01-01", "2024-01-02"
		}, []string{"dates_contract_after", "dates_learned_before", "dates_negotiation_before"}},
	} {
		d := base()
		if c.change != nil {
			c.change(&d)
		}
		var got []string
		for _, p := range DateProblems(d) {
			got = append(got, p.Key)
			if _, ok := sectionNamed(p.Section); !ok {
				t.Errorf("%s: %s names no section %q", c.name, p.Key, p.Section)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: problems = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestChecklist fails each item of the pre-filing check with one change to a complaint that
// passes them all.
func TestChecklist(t *testing.T) {
	today := Date("2026-11-21")
	good := filledDraft()
	for _, k := range Checklist(good, today) {
		if !k.OK {
			t.Fatalf("the filled draft fails %s", k.Item)
		}
	}
	for _, c := range []struct {
		item   string
		change func(*Complaint)
	}{
		{"respondent", func(c *Complaint) { c.Provider.Address = "" }},
		{"request", func(c *Complaint) { c.Requests = nil }},
		{"request", func(c *Complaint) { c.Deductions = nil; c.Description = "x" }},
		{"facts", func(c *Complaint) { c.Description = "" }},
		{"limit", func(c *Complaint) { c.LearnedOn = "2023-11-20" }},
		{"limit", func(c *Complaint) { c.LearnedOn = "" }},
		{"elsewhere", func(c *Complaint) { c.Proceedings = Proceedings12315 }},
		{"dispute", func(c *Complaint) { c.Complainant = Individual; c.Body = "深圳市消费者委员会" }},
		{"dispute", func(c *Complaint) { c.Complainant = Company; c.Body = "北京市市场监督管理局" }},
		{"dates", func(c *Complaint) { c.ContractDate = "2025-01-01" }},
		{"negotiated", func(c *Complaint) { c.Negotiation = Negotiation{} }},
		{"merchant", func(c *Complaint) {
			c.Complainant, c.MerchantName, c.MerchantNumber = Individual, "晓梅便利店", ""
		}},
		{"merchant", func(c *Complaint) {
			c.Complainant, c.MerchantName, c.MerchantNumber = Individual, "", "822584053110123"
		}},
	} {
		d := filledDraft()
		c.change(&d)
		var failed []string
		for _, k := range Checklist(d, today) {
			if !k.OK {
				failed = append(failed, k.Item)
			}
		}
		if !slices.Contains(failed, c.item) {
			t.Errorf("%s: failed %v, want it among them", c.item, failed)
		}
	}
	// an individual merchant with both is told so; a consumer is not asked for them
	d := filledDraft()
	d.Complainant, d.MerchantName, d.MerchantNumber = Individual, "晓梅便利店", "822584053110123"
	if ks := Checklist(d, today); ks[len(ks)-1].Item != "merchant" || !ks[len(ks)-1].OK {
		t.Errorf("a merchant with name and number: %+v", ks[len(ks)-1])
	}
	if slices.ContainsFunc(Checklist(filledDraft(), today), func(k Check) bool { return k.Item == "merchant" }) {
		t.Error("a consumer's checklist has the merchant item")
	}
	// the limit is counted from the learned date: three years to the day is still in time
	d = filledDraft()
	d.LearnedOn = "2023-11-21"
	if k := Checklist(d, today)[3]; k.Item != "limit" || !k.OK || k.Args["Until"] != "2026-11-21" {
		t.Errorf("three years to the day: %+v", k)
	}
}

// TestRateDateFix: a rate increase dated after its first extra fee is caught before the review,
// and its button opens the rate's date alone, with the date kept as it is on offer.
func TestRateDateFix(t *testing.T) {
	s := at(StateDateCheck, func(s *Session) {
		s.Draft.Charge = RateIncrease
		s.Draft.Facts = Facts{OldRate: "0.38%", NewRate: "0.63%", RateFrom: "2025-10", Notice: No}
		s.Draft.Deductions = []Deduction{{Date: "2024-11-30", Amount: 25000, Method: FromSettlement}}
		s.Draft.LearnedOn, s.Draft.Negotiation.Date = "2025-12-01", "2025-12-05"
	})
	res := step(t, s, "cmd:help")
	last := res.Replies[len(res.Replies)-1]
	if last.Key != "date_check" || len(last.Choices) != 2 || !strings.HasSuffix(last.Choices[0].Data, ":fix=charge") {
		t.Fatalf("the date check: %+v", last)
	}
	res = step(t, res.Session, "btn:fix=charge")
	if res.Session.State != StateRateFrom || !res.Session.Editing {
		t.Fatalf("fix=charge: state %s, editing %v", res.Session.State, res.Session.Editing)
	}
	res = step(t, res.Session, "txt:2024年11月")
	if res.Session.Draft.Facts.RateFrom != "2024-11" {
		t.Fatalf("the rate's date: %q", res.Session.Draft.Facts.RateFrom)
	}
}
