package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"complaintbot/places"
	"complaintbot/providers"
)

// This file is the knowledge of DOMAIN.md §2 and §3 the conversation applies: the respondent
// from the provider data, the receiving bodies by complainant type (Routes), the city as a
// Chinese name, the order of the dates, and the pre-filing check (Checklist).

// known is the respondent for a provider of the data: its key, legal name and address (empty
// when the data has none: the user is asked, nothing is guessed).
func known(p providers.Provider) Provider {
	return Provider{Key: p.Key, Name: p.Name, Address: p.Address}
}

// setProvider makes p the respondent; a provider whose payment licence the data reports ended
// is named with the notice that it must still answer for the money it took (DOMAIN.md §2).
func (st *stepper) setProvider(p Provider) {
	st.s.Draft.Provider = p
	if k, ok := st.providers().ByKey(p.Key); ok && k.LicenceEnded {
		st.say("provider_licence_ended", map[string]any{"Name": p.Name})
	}
}

// legalName reports whether a typed provider name looks like a legal name (…有限公司).
func legalName(s string) bool {
	return strings.HasSuffix(s, "公司") && utf8.RuneCountInString(s) >= 6
}

// buttonProviders is how many providers of the list are offered as buttons.
const buttonProviders = 4

// Route is a receiving body that fits the complaint (DOMAIN.md §2), with why.
type Route struct {
	Body   string // the institution's Chinese name
	Reason string // a locales key that says why it fits; its argument Body is the institution
	// Guess marks a suggestion: the provider's supervisor is not known, so the user's own
	// province's branch is offered, which also supervises providers' local branches.
	Guess bool
}

// Routes returns the bodies that fit the complaint, best first: for a consumer the consumer
// association and the market regulator of the place where the respondent is registered (from
// the provider data, or a city in the respondent's address), never the user's own city; for a
// merchant or a company the PBOC branch that supervises the provider, or, for a provider we do
// not know, the branch of the user's province as a suggestion. Every name is Chinese. A nil ps
// is the embedded provider data.
func Routes(c Complaint, ps *providers.List) []Route {
	if ps == nil {
		ps = providers.Embedded()
	}
	p, isKnown := ps.ByKey(c.Provider.Key)
	place, placeKnown := places.City{}, false
	if isKnown {
		place, placeKnown = p.Place()
	}
	if !placeKnown && c.Provider.Address != "" {
		place, placeKnown = cityOfAddress(c.Provider.Address)
	}
	switch c.Complainant {
	case Consumer:
		if !placeKnown {
			return nil
		}
		return []Route{
			{Body: place.ConsumerAssociation(), Reason: "route_why_association"},
			{Body: place.MarketRegulator(), Reason: "route_why_regulator"},
		}
	case Individual, Company:
		switch {
		case isKnown && p.PBOCBranch != "":
			return []Route{{Body: p.PBOCBranch, Reason: "route_why_pboc"}}
		case placeKnown:
			return []Route{{Body: place.PBOCBranch(), Reason: "route_why_pboc"}}
		}
		home, ok := places.Find(c.Contact.City)
		if !ok {
			home, ok = cityOfAddress(c.Company.Address)
		}
		if ok {
			return []Route{{Body: home.PBOCBranch(), Reason: "route_why_pboc_guess", Guess: true}}
		}
	}
	return nil
}

// ParseCity reads the user's city and returns its Chinese name: a city we know, typed in
// Chinese or Latin letters (深圳, 深圳市, Shenzhen), becomes its full name (深圳市); other
// Chinese text is kept as typed (a county, a district); Latin text we cannot map is refused, so
// that no institution's name is written with a Latin place. Errors: ErrCityAmbiguous (suzhou:
// 苏州 or 宿州), ErrCityUnknown, and those of CleanText.
func ParseCity(s string) (string, error) {
	t, err := CleanText(s, maxCity)
	if err != nil {
		return "", err
	}
	if c, ok := places.Find(t); ok {
		return c.Name, nil
	}
	if len(places.Candidates(t)) > 1 {
		return "", ErrCityAmbiguous
	}
	if !hasHan(t) {
		return "", ErrCityUnknown
	}
	return t, nil
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// pasted reports whether the provider's reply looks pasted as they wrote it (an SMS's 【…】
// signature, or text in quotation marks) rather than told in the user's words.
func pasted(s string) bool {
	s = strings.TrimSpace(s)
	for _, open := range []string{"【", "“", "「", "\"", "『"} {
		if strings.HasPrefix(s, open) {
			return true
		}
	}
	return false
}

// DateProblem is dates that do not agree (DOMAIN.md §3: contract ≤ deductions ≤ learned,
// negotiation after the first deduction and, but for a deposit, after the charge was found; a
// rate increase before the extra fees it took): Key is the locales message, Section the answer
// to change, At the question to open when it is not the section's first (the rate increase's
// date, not its kind and rates).
type DateProblem struct {
	Key     string
	Section string
	Args    map[string]any
	At      State
}

// DateProblems checks the order of the complaint's dates. Dates known only to the month are
// compared by month. Future dates never reach here: the date questions refuse them.
func DateProblems(c Complaint) []DateProblem {
	var ps []DateProblem
	first := firstDeduction(c.Deductions)
	if first == "" {
		return nil
	}
	if c.ContractDate != "" && after(c.ContractDate, first) {
		ps = append(ps, DateProblem{Key: "dates_contract_after", Section: "contract", Args: map[string]any{"Contract": string(c.ContractDate), "First": string(first)}})
	}
	if c.LearnedOn != "" && after(first, c.LearnedOn) {
		ps = append(ps, DateProblem{Key: "dates_learned_before", Section: "learned", Args: map[string]any{"Learned": string(c.LearnedOn), "First": string(first)}})
	}
	if c.Charge == RateIncrease && c.Facts.RateFrom != "" && after(c.Facts.RateFrom, first) {
		// the extra fees of a rate increase are taken after it, not before
		ps = append(ps, DateProblem{Key: "dates_rate_after", Section: "charge", At: StateRateFrom,
			Args: map[string]any{"From": string(c.Facts.RateFrom), "First": string(first)}})
	}
	if !deposit(c) && c.Negotiation.Tried && c.Negotiation.Date != "" && c.LearnedOn != "" &&
		!after(first, c.LearnedOn) && !after(first, c.Negotiation.Date) && after(c.LearnedOn, c.Negotiation.Date) {
		// a refund asked for before the charge was found: one of the two dates is wrong (a
		// deposit's harm is learned when its return is refused, which follows the asking)
		ps = append(ps, DateProblem{Key: "dates_negotiation_before_learned", Section: "learned",
			Args: map[string]any{"Negotiation": string(c.Negotiation.Date), "Learned": string(c.LearnedOn)}})
	}
	if c.Negotiation.Tried && c.Negotiation.Date != "" && after(first, c.Negotiation.Date) {
		ps = append(ps, DateProblem{Key: "dates_negotiation_before", Section: "negotiation", Args: map[string]any{"Negotiation": string(c.Negotiation.Date), "First": string(first)}})
	}
	return ps
}

// after reports whether a is after b; when either is known only to the month, by month.
func after(a, b Date) bool {
	if a.IsMonth() || b.IsMonth() {
		return a.Month() > b.Month()
	}
	return a > b
}

// Check is one item of the pre-filing check: whether the complaint meets one of the receiving
// body's acceptance rules (DOMAIN.md §2).
type Check struct {
	Item string // respondent, request, facts, limit, elsewhere, dispute, dates, negotiated, merchant
	OK   bool
	Args map[string]any
}

// Key is the check's message: "check_<item>_ok", or "check_<item>_warn", which says what to do.
func (k Check) Key() string {
	if k.OK {
		return "check_" + k.Item + "_ok"
	}
	return "check_" + k.Item + "_warn"
}

// Checklist checks the complaint against the receiving body's acceptance rules before it is
// filed: the respondent's name and address, a specific request, the facts, the three-year limit
// counted from the day the user learned of the harm, other proceedings, a consumer route for a
// business dispute, the dates' order, whether the provider was asked first, and for an
// individual merchant the shop's name and merchant number (DOMAIN.md §3: the complainant "plus
// for a merchant the shop's name (商户名称) and merchant number"), which the questions leave
// optional, since not every merchant has them at hand.
func Checklist(c Complaint, today Date) []Check {
	consumerBody := strings.Contains(c.Body, "消费者") || strings.Contains(c.Body, "消协") ||
		strings.Contains(c.Body, "市场监督") || strings.Contains(c.Body, "12315")
	refundOK := !c.HasRequest(RequestRefund) || c.Total() > 0
	limitArgs := map[string]any{"Learned": string(c.LearnedOn), "Until": ""}
	if t, ok := c.LearnedOn.Time(); ok {
		limitArgs["Until"] = string(DateOf(t.AddDate(3, 0, 0)))
	}
	checks := []Check{
		{Item: "respondent", OK: c.Provider.Name != "" && c.Provider.Address != ""},
		{Item: "request", OK: len(c.Requests) > 0 && refundOK},
		{Item: "facts", OK: len(c.Deductions) > 0 && c.Description != "" && c.Disclosure != "",
			Args: map[string]any{"Deductions": len(c.Deductions) > 0, "Description": c.Description != ""}},
		{Item: "limit", OK: c.LearnedOn != "" && !olderThanYears(c.LearnedOn, today, 3), Args: limitArgs},
		{Item: "elsewhere", OK: c.Proceedings == ProceedingsNone || c.Proceedings == ""},
		{Item: "dispute", OK: c.Complainant == Consumer || !consumerBody},
		{Item: "dates", OK: len(DateProblems(c)) == 0},
		{Item: "negotiated", OK: c.Negotiation.Tried},
	}
	if c.Complainant == Individual {
		checks = append(checks, Check{Item: "merchant", OK: c.MerchantName != "" && c.MerchantNumber != ""})
	}
	return checks
}

// ReportFits reports whether a 举报 fits complaint c (DOMAIN.md §2): it reports a fee that was
// never clearly marked (价格法 第十三条, 条例 第三十四条), so it does not fit a fee the user
// says they were told of, whether they agreed to it or not; the document's legal basis drops
// its unmarked-fee claim for such a fee too. A fee the user does not remember being told of
// keeps the 举报 open to them.
func ReportFits(c Complaint) bool {
	return c.Disclosure != Agreed && c.Disclosure != ToldNoAgree
}

// NoReturnPromised reports whether complaint c is about a service fee or deposit that nobody
// promised to return: the user answered the return-terms question with "没有" (none), which
// that question keeps as its answer. Such a fee is one of DOMAIN.md §4's "other unmarked fees",
// not a "服务费 / 押金 with a promised return": it is claimed back as a fee taken, not returned
// under a promise.
func NoReturnPromised(c Complaint) bool {
	if c.Charge != ServiceFee {
		return false
	}
	r := said(c.Facts.ReturnTerms)
	switch r {
	case "没有承诺", "没承诺", "无承诺", "没有任何承诺", "没有承诺退还", "没有承诺返还", "不退", "不退还",
		"no promise", "not promised", "none promised", "nothing":
		return true
	}
	return r.none() && !r.unknown()
}

// deposit reports whether c claims back money paid under a promise to return it: a service
// fee or deposit, unless nobody promised its return (NoReturnPromised).
func deposit(c Complaint) bool { return c.Charge == ServiceFee && !NoReturnPromised(c) }

// labelSuggestions are the names providers commonly give a charge of kind k (DOMAIN.md §8),
// offered as buttons when the user is asked what the charge was called.
func labelSuggestions(k ChargeKind) []string {
	switch k {
	case DeregistrationFee:
		return []string{"注销服务费", "注销费"}
	case SIMFee:
		return []string{"流量卡服务费", "流量卡年费"}
	case ServiceFee:
		return []string{"押金", "服务费", "激活费"}
	case RateIncrease:
		return []string{"手续费"}
	}
	return nil
}
