package flows

import (
	"strings"
	"unicode"
)

// KnownProvider is a payment institution offered as a button.
type KnownProvider struct {
	Key  string // stable key, also the locales label "provider_<key>"
	Name string // the legal name the complaint names as respondent
	City string // where it is registered, which decides the PBOC branch; empty when we do not know
}

// KnownProviders lists the providers offered as buttons, most complained about first.
func KnownProviders() []KnownProvider {
	return []KnownProvider{
		{Key: "lakala", Name: "拉卡拉支付股份有限公司", City: "北京"},
		{Key: "shengpay", Name: "上海盛付通电子支付服务有限公司", City: "上海"},
		{Key: "ruiyinxin", Name: "瑞银信支付技术有限公司"},
		{Key: "yinsheng", Name: "银盛支付服务股份有限公司", City: "深圳"},
	}
}

// knownProvider finds a provider by key.
func knownProvider(key string) (KnownProvider, bool) {
	for _, p := range KnownProviders() {
		if p.Key == key {
			return p, true
		}
	}
	return KnownProvider{}, false
}

// cityName turns what the user typed as their city into the form used in a body's name:
// "深圳" and "深圳市" both give "深圳市"; text without Chinese characters is kept as typed.
func cityName(city string) string {
	city = strings.TrimSpace(city)
	if city == "" || strings.HasSuffix(city, "市") {
		return city
	}
	for _, r := range city {
		if !unicode.Is(unicode.Han, r) {
			return city
		}
	}
	return city + "市"
}

// SuggestBodies returns receiving bodies that fit the complainant (DOMAIN.md §2), best first:
// for a consumer the consumer association and the market regulator (12315) of their city; for a
// merchant the People's Bank of China branch where the provider is registered (when known) and,
// for an individual merchant, the consumer association, which may refuse a business dispute.
func SuggestBodies(c Complaint) []string {
	city := cityName(c.Contact.City)
	var pboc string
	if p, ok := knownProvider(c.Provider.Key); ok && p.City != "" {
		pboc = "中国人民银行" + cityName(p.City) + "分行"
	}
	var out []string
	switch c.Complainant {
	case Consumer:
		if city != "" {
			out = append(out, city+"消费者协会", city+"市场监督管理局")
		}
	case Individual:
		if pboc != "" {
			out = append(out, pboc)
		}
		if city != "" {
			out = append(out, city+"消费者协会")
		}
	case Company:
		if pboc != "" {
			out = append(out, pboc)
		}
	}
	return out
}

// Warnings are the acceptance rules of DOMAIN.md §2 that the complaint as written runs into,
// as locales keys, so the user can fix them before filing.
func Warnings(c Complaint, today Date) []string {
	var w []string
	consumerBody := strings.Contains(c.Body, "消费者协会") || strings.Contains(c.Body, "消协")
	regulator := strings.Contains(c.Body, "市场监督") || strings.Contains(c.Body, "12315")
	if c.Complainant != Consumer && (consumerBody || regulator) {
		w = append(w, "warn_business_dispute")
	}
	if regulator && c.Proceedings != ProceedingsNone && c.Proceedings != "" {
		w = append(w, "warn_already_handled")
	}
	if regulator && olderThanYears(c.LearnedOn, today, 3) {
		w = append(w, "warn_three_years")
	}
	if c.Complainant == Consumer && !c.Negotiation.Tried {
		w = append(w, "warn_negotiate_first")
	}
	return w
}

// olderThanYears reports whether d is more than n years before today.
func olderThanYears(d, today Date, n int) bool {
	t, ok := d.Time()
	now, ok2 := today.Time()
	if !ok || !ok2 {
		return false
	}
	return t.AddDate(n, 0, 0).Before(now)
}

// defaultRequests are the requests preselected for a charge kind; the user can change them.
func defaultRequests(k ChargeKind) []RequestKind {
	switch k {
	case DeregistrationFee:
		return []RequestKind{RequestRefund, RequestDeregister, RequestExplanation}
	case SIMFee, RateIncrease:
		return []RequestKind{RequestRefund, RequestStop, RequestExplanation}
	default:
		return []RequestKind{RequestRefund, RequestExplanation}
	}
}

// LangFromCode picks the bot's language from a Telegram language code: English for "en…",
// Chinese for "zh…" and when unknown (our users are in China), English for any other language.
func LangFromCode(code string) Lang {
	code = strings.ToLower(code)
	switch {
	case code == "", strings.HasPrefix(code, "zh"):
		return LangZH
	default:
		return LangEN
	}
}
