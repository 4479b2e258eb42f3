package document

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"complaintbot/flows"
	"complaintbot/law"
	"complaintbot/places"
	"complaintbot/providers"
)

// view is what a template sees: every value already masked, cleaned, labelled and formatted,
// so templates only place strings. Empty means unknown or not given.
type view struct {
	Lang string // the template's language, which picks the fact templates

	// History is what happened on the rungs before, for a 举报信 sent as a later rung
	// (Renderer.RungText): each filing, its 受理编号, and the answer or the silence. Empty for
	// the first documents.
	History []historyView

	// Who is the party filing, Them the party filed against, in the letter's own words:
	// 投诉人 and 被投诉人 in a complaint, 举报人 and 被举报人 in a report. WhoTitle is Who
	// starting a sentence.
	Who, Them, WhoTitle string

	Type      string // the complainant type's stored value: "consumer", "individual", "company"
	TypeLabel string
	Kind      string // the charge kind's stored value

	Name, Phone, City, Address string
	// CityEnglish and RespondentEnglish are the city's and the respondent's names in English
	// (Shenzhen, Lakala), which the English rendering gives beside the Chinese ones; empty when
	// the data has none.
	CityEnglish, RespondentEnglish string
	MerchantName, MerchantNumber   string

	// A company is the complainant itself (DOMAIN.md §3): its name, its optional unified social
	// credit code, and the person who acts for it. Name and Phone above are that person's.
	CompanyName, CreditCode string
	ActorRole               string // "法定代表人" or "授权联系人", from the labels; empty: a contact

	Respondent        string
	RespondentAddress string // empty: unknown, which the template says in one clause
	Charge            string

	ContractDate    string
	ContractChannel string
	Agent           string
	AgentForeign    bool // the agent's story is in another language, under Foreign
	KindFacts       kindFacts
	DeviceSN        string
	Named           []namedFact // the answers the question table names (flows.StatedFacts)

	Deductions []deductionView
	Total      string // "199.00"
	HasLabels  bool   // some deduction has a label: the table has the 扣费名目 column

	Disclosure string // the fact, a sentence
	Lead       string // the legal claim the charge kind makes, a sentence
	Argument   string // the legal claim drawn from the disclosure, a sentence
	LearnedOn  string

	Negotiation negotiationView
	Proceedings string // a sentence
	Description string

	// Facts are the dated facts of the case in date order, each rendered by the template
	// "<lang>.fact.<Name>" (see fact).
	Facts []factView
	// Foreign is the user's own words in a language other than the document's, kept verbatim
	// under the marked heading instead of in the sentences (DOMAIN.md §3).
	Foreign         []foreignView
	ForeignHeading  string // 「投诉人以英文陈述，原文如下」
	ForeignEvidence string // marks an evidence description in another language

	Basis  []articleView // the articles of the legal basis (law.Basis), quoted whole
	Report []articleView // the articles of a 举报 (law.Report), quoted whole

	Requests      []requestView
	Evidence      []evidenceView
	EvidenceDates bool // some evidence item has its own date: the list has a date column

	Body       string
	ReportBody string // the market regulator a 举报 goes to
	// BodyEnglish and ReportBodyEnglish are the bodies' English names (places.English), which the
	// English rendering gives beside the Chinese ones; empty for a body the user typed.
	BodyEnglish, ReportBodyEnglish string
	Date                           string // the date of the complaint, from CreatedAt
}

// namedFact is an answer the question table states by its label (flows.Question.Document).
type namedFact struct {
	Label, Value string
}

type deductionView struct {
	Date, Amount, Method, Label string
	How                         string // the user's words for an "other" way of taking
}

type negotiationView struct {
	Tried                        bool
	Date, Channel, Ticket, Reply string
	// Verbatim: the reply is the provider's own words as pasted, quoted; otherwise it is the
	// user's account of it, reported as such.
	Verbatim bool
	// ReplyForeign: the user reported the reply in another language; it is under Foreign.
	ReplyForeign bool
}

type requestView struct {
	Kind    string // the stored value, so a template can add the total to "refund"
	Text    string // the label, or the user's words for "other"
	Foreign bool   // the user's words are in another language, kept under Foreign
}

type evidenceView struct {
	Kind, Date, Description string
	Foreign                 bool // the description is the user's words in another language
}

// kindFacts are the facts DOMAIN.md §3 asks by charge kind, formatted; YesNo values are kept
// as stored ("yes", "no", "not_sure", "partly") for the template to choose a sentence.
type kindFacts struct {
	DeregOn, DeregChannel, DeregTicket, DeregDone string
	FeePeriod                                     string
	ReturnTerms, TermsMet, TermsHow               string
	TermsForeign                                  bool
	OldRate, NewRate, RateFrom, Notice, NoticeOn  string
}

// factView is one dated fact of the case; Name picks its sentence.
type factView struct {
	Name string
	key  string // the date it sorts by, as stored ("2024-05-01"); inherited when it has none
}

// foreignView is one piece of the user's text in another language, with what it is.
type foreignView struct {
	Label, Text string
}

// articleView is one article quoted whole: its citation on a line, then its paragraphs.
type articleView struct {
	Key        string
	Citation   string
	Paragraphs []string
	Gist       string // the English rendering's one-line summary; empty in Chinese
}

// Rendering details that are not words.
const (
	// lineBreak stands for a line break inside one paragraph of user text: user text never
	// holds "\n" once cleaned, so it cannot start a markup line.
	lineBreak = "\u2028"
	// cellSep separates the cells of a table row and a field's label from its value in the
	// markup; cleaned user text never holds it.
	cellSep = "\x1f"
	// pastedTextRunes is how much of a pasted text the evidence list shows.
	pastedTextRunes = 50
	// ellipsis ends a shortened text.
	ellipsis = "…"
)

// newView prepares c for letter's template in the language of ls.
func newView(c flows.Complaint, letter Letter, lang flows.Lang, ls labels) (view, error) {
	// A service fee nobody promised to return is an unmarked fee taken (DOMAIN.md §4's first
	// row), not a deposit owed back: it is argued and claimed as one, under the name the user
	// chose for it.
	charge := c.Charge
	if flows.NoReturnPromised(c) {
		c.Charge = flows.OtherCharge
		c.Facts.ReturnTerms, c.Facts.TermsMet = "", ""
	}
	v := view{
		Lang:              string(lang),
		Who:               ls.Parties[string(letter)+"_who"],
		Them:              ls.Parties[string(letter)+"_them"],
		WhoTitle:          ls.Parties[string(letter)+"_who_title"],
		ForeignHeading:    ls.Foreign["heading"],
		ForeignEvidence:   ls.Foreign["evidence"],
		Type:              string(c.Complainant),
		Kind:              string(c.Charge),
		Name:              userLine(c.Contact.Name),
		Phone:             cleanLine(c.Contact.Phone),
		City:              userLine(c.Contact.City),
		Address:           userLine(c.Contact.Address),
		MerchantName:      userLine(c.MerchantName),
		MerchantNumber:    cleanLine(c.MerchantNumber),
		Respondent:        userLine(c.Provider.Name),
		RespondentEnglish: respondentEnglish(c.Provider.Key),
		CityEnglish:       cityEnglish(c.Contact.City),
		ContractDate:      formatDate(c.ContractDate, ls.DateLayout),
		DeviceSN:          cleanLine(c.DeviceSN),
		Total:             c.Total().String(),
		LearnedOn:         formatDate(c.LearnedOn, ls.DateLayout),
		Body:              userLine(c.Body),
		ReportBody:        reportBody(c),
		BodyEnglish:       englishName(c.Body),
		ReportBodyEnglish: englishName(reportBody(c)),
		Date:              formatTime(c.CreatedAt, ls.DateLayout),
	}
	if c.Complainant == flows.Company {
		v.CompanyName = userLine(c.Company.Name)
		if v.CompanyName == "" {
			v.CompanyName = v.MerchantName
		}
		v.MerchantName = ""
		v.CreditCode = cleanLine(c.Company.CreditCode)
		if a := userLine(c.Company.Address); a != "" {
			v.Address = a
		}
		v.ActorRole = ls.Role[string(c.Company.Role)]
	}
	v.RespondentAddress = userLine(c.Provider.Address)
	// What the user wrote in another language than the document's stays as written, marked,
	// out of the document's own sentences.
	foreign := func(label, s string) bool {
		if s == "" || !isForeign(s, lang) {
			return false
		}
		v.Foreign = append(v.Foreign, foreignView{Label: ls.Foreign[label], Text: s})
		return true
	}
	if s := userText(c.Agent); foreign("agent", s) {
		v.AgentForeign = true
	} else if s != "" {
		v.Agent = endSentence(s, ls.FullStop)
	}
	if s := userText(c.Description); !foreign("description", s) {
		v.Description = s
	}
	type lookup struct {
		dst         *string
		table       map[string]string
		kind, value string
	}
	lookups := []lookup{
		{&v.TypeLabel, ls.Complainant, "complainant", string(c.Complainant)},
		{&v.Charge, ls.Charge, "charge", string(charge)},
		{&v.ContractChannel, ls.Channel, "channel", string(c.ContractChannel)},
		{&v.Disclosure, ls.Disclosure, "disclosure", string(c.Disclosure)},
		{&v.Argument, ls.Argument, "disclosure", string(c.Disclosure)},
		{&v.Lead, ls.Lead, "charge", string(c.Charge)},
		{&v.Proceedings, ls.Proceedings, "proceedings", string(c.Proceedings)},
	}
	if c.Negotiation.Tried {
		v.Negotiation = negotiationView{
			Tried:  true,
			Date:   formatDate(c.Negotiation.Date, ls.DateLayout),
			Ticket: cleanLine(c.Negotiation.Ticket),
		}
		v.Negotiation.Verbatim = c.Negotiation.Verbatim
		if s := userText(c.Negotiation.Reply); foreign("reply", s) {
			v.Negotiation.ReplyForeign = true
		} else if c.Negotiation.Verbatim {
			v.Negotiation.Reply = trimStop(s)
		} else {
			v.Negotiation.Reply = reported(trimStop(s))
		}
		lookups = append(lookups, lookup{&v.Negotiation.Channel, ls.Channel, "channel", string(c.Negotiation.Channel)})
	}
	for _, f := range flows.StatedFacts(c) {
		v.Named = append(v.Named, namedFact{ls.Fact[f.Label], userLine(f.Value)})
	}
	for _, l := range lookups {
		var err error
		if *l.dst, err = label(l.table, l.kind, l.value); err != nil {
			return view{}, err
		}
	}
	// A fee the user was told of is not an unmarked fee, and one they agreed to leaves only
	// the standard-terms argument.
	if c.Disclosure == flows.Agreed || c.Disclosure == flows.ToldNoAgree && c.Charge != flows.ServiceFee && c.Charge != flows.RateIncrease {
		v.Lead = ""
	}
	// A consumer's rate increase quotes 消法 第二十六条, not 民法典 第四百九十六条 (DOMAIN.md
	// §4): the fee was not pointed out as the former requires, without the latter's consequence.
	if c.Charge == flows.RateIncrease && c.Complainant == flows.Consumer {
		if s := ls.Argument[string(c.Disclosure)+"_cpl26"]; s != "" {
			v.Argument = s
		}
	}
	// A merchant's rate increase quotes no article that voids a term (DOMAIN.md §4): the
	// agreement may not contain such terms (条例 第二十条), which is what it claims.
	if c.Charge == flows.RateIncrease && c.Disclosure == flows.Agreed && c.Complainant != flows.Consumer {
		if s := ls.Argument["agreed_rate_increase"]; s != "" {
			v.Argument = s
		}
	}

	for _, d := range c.Deductions {
		method, err := label(ls.Method, "method", string(d.Method))
		if err != nil {
			return view{}, err
		}
		dv := deductionView{
			Date:   formatDate(d.Date, ls.DateLayout),
			Amount: d.Amount.String(),
			Method: method,
			Label:  userLine(d.Label),
		}
		if d.Method == flows.FromOther {
			dv.How = userLine(d.How)
		}
		v.HasLabels = v.HasLabels || dv.Label != ""
		v.Deductions = append(v.Deductions, dv)
	}
	for _, k := range c.Requests {
		text, err := label(ls.Request, "request", string(k))
		if err != nil {
			return view{}, err
		}
		if k == flows.RequestRefund {
			// A deposit is returned, an overcharge refunded: not "an unlawful charge".
			if s := ls.Request["refund_"+string(c.Charge)]; s != "" {
				text = s
			}
		}
		rv := requestView{Kind: string(k), Text: text}
		if k == flows.RequestOther {
			s := userText(c.OtherRequest)
			if s == "" {
				continue // nothing to ask
			}
			if rv.Foreign = foreign("request", s); !rv.Foreign {
				rv.Text = s
			}
		}
		v.Requests = append(v.Requests, rv)
	}
	for _, e := range c.Evidence {
		kind, err := label(ls.Evidence, "evidence", string(e.Kind))
		if err != nil {
			return view{}, err
		}
		desc := evidenceDescription(e)
		ev := evidenceView{
			Kind:        kind,
			Date:        formatDate(evidenceDate(e), ls.DateLayout),
			Description: desc,
			// a caption the user wrote, not a file's name
			Foreign: e.Kind != flows.EvidenceText && userLine(e.Caption) != "" && isForeign(desc, lang),
		}
		v.EvidenceDates = v.EvidenceDates || ev.Date != ""
		v.Evidence = append(v.Evidence, ev)
	}
	f := c.Facts
	v.KindFacts = kindFacts{
		DeregOn: formatDate(f.DeregOn, ls.DateLayout), DeregTicket: cleanLine(f.DeregTicket), DeregDone: string(f.DeregDone),
		TermsMet: string(f.TermsMet),
		OldRate:  cleanLine(f.OldRate), NewRate: cleanLine(f.NewRate), RateFrom: formatDate(f.RateFrom, ls.DateLayout),
		Notice: string(f.Notice), NoticeOn: formatDate(f.NoticeOn, ls.DateLayout),
	}
	if s := userLine(f.FeePeriod); !foreign("period", s) {
		v.KindFacts.FeePeriod = s // "June 2024 to June 2025" is kept as written, under Foreign
	}
	if s := userText(f.TermsHow); s != "" && !foreign("terms_how", s) {
		v.KindFacts.TermsHow = endSentence(s, ls.FullStop) // "达到了，三个月刷了五万多", in the user's words
	}
	if s := userText(f.ReturnTerms); foreign("terms", s) {
		v.KindFacts.TermsForeign = true
	} else {
		v.KindFacts.ReturnTerms = s
	}
	if ch, err := label(ls.Channel, "channel", string(f.DeregChannel)); err == nil {
		v.KindFacts.DeregChannel = ch
	} else {
		return view{}, err
	}
	// The labels name the parties as a complaint does; another letter names them its own way.
	if letter != Complaint {
		v.nameParties(ls, v.Who, v.Them, v.WhoTitle)
	}
	// A deposit is claimed back under the promise, not as a fee taken without consent.
	if c.Charge == flows.ServiceFee {
		v.Argument = ""
	}
	// A deposit whose return conditions were not met is owed no return under the contract.
	if c.Charge == flows.ServiceFee && (f.TermsMet == flows.No || f.TermsMet == flows.NotSureYN) {
		v.Lead = ""
	}
	v.Basis = articles(law.Basis(c.Charge, c.Complainant), lang, ls)
	v.Report = articles(law.Report(), lang, ls)
	v.Facts = facts(c, v)
	return v, nil
}

// nameParties names the parties who and them (whoTitle starting a sentence) in the sentences
// the view took from the labels, which name them as a complaint does (投诉人, 被投诉人): a
// 举报信 says 举报人 and 被举报人, a court outline 原告 and 被告, down to the heading over the
// user's words in another language.
func (v *view) nameParties(ls labels, who, them, whoTitle string) {
	v.Who, v.Them, v.WhoTitle = who, them, whoTitle
	r := strings.NewReplacer(
		ls.Parties["complaint_them"], them, ls.Parties["complaint_who"], who,
		ls.Parties["complaint_who_title"], whoTitle)
	for _, p := range []*string{&v.Disclosure, &v.Argument, &v.Lead, &v.Proceedings,
		&v.ContractChannel, &v.Negotiation.Channel, &v.KindFacts.DeregChannel, &v.ForeignHeading} {
		*p = r.Replace(*p)
	}
	for i := range v.Foreign {
		v.Foreign[i].Label = r.Replace(v.Foreign[i].Label)
	}
}

// facts lists the facts of c that the 事实与理由 tells, in date order (DOMAIN.md §3): a fact
// without a date keeps its place after the fact before it.
func facts(c flows.Complaint, v view) []factView {
	var fs []factView
	add := func(name string, d flows.Date) {
		key := string(d)
		if key == "" && len(fs) > 0 {
			key = fs[len(fs)-1].key
		}
		fs = append(fs, factView{Name: name, key: key})
	}
	k := v.KindFacts
	add("contract", c.ContractDate)
	if v.Agent != "" || v.AgentForeign || v.DeviceSN != "" {
		add("agent", "")
	}
	// A rate increase's notice fact says what the disclosure would, in the rate's words.
	if v.Disclosure != "" && (c.Charge != flows.RateIncrease || k.Notice == "") {
		add("disclosure", "")
	}
	if k.DeregOn != "" || k.DeregChannel != "" || k.DeregTicket != "" || k.DeregDone != "" {
		add("dereg", c.Facts.DeregOn)
	}
	if k.OldRate != "" || k.NewRate != "" || k.RateFrom != "" {
		add("rate", c.Facts.RateFrom)
	}
	if k.Notice != "" {
		add("notice", c.Facts.NoticeOn)
	}
	var first flows.Date
	for _, d := range c.Deductions {
		if d.Date != "" && (first == "" || d.Date < first) {
			first = d.Date
		}
	}
	add("deductions", first)
	if k.ReturnTerms != "" || k.TermsForeign || k.TermsMet != "" || k.TermsHow != "" {
		add("terms", "") // what was promised for the money paid, and whether it was earned
	}
	if k.FeePeriod != "" {
		add("period", "")
	}
	add("learned", c.LearnedOn)
	add("negotiation", c.Negotiation.Date)
	slices.SortStableFunc(fs, func(a, b factView) int { return strings.Compare(a.key, b.key) })
	return fs
}

// articles makes the views of statute articles; the English rendering adds each one's gist.
func articles(as []law.Article, lang flows.Lang, ls labels) []articleView {
	out := make([]articleView, 0, len(as))
	for _, a := range as {
		out = append(out, articleView{Key: a.Key, Citation: a.Citation(), Paragraphs: a.Paragraphs, Gist: ls.Gist[a.Key]})
	}
	return out
}

// cityEnglish is the English name of a city the places data knows; "" for any other.
func cityEnglish(city string) string {
	if c, ok := places.Find(city); ok {
		return c.English()
	}
	return ""
}

// respondentEnglish is the name English speakers know the provider of key by, capitalised
// ("Lakala"); "" for a provider the data does not know or gives no Latin name.
func respondentEnglish(key string) string {
	p, ok := providers.Embedded().ByKey(key)
	if !ok || len(p.Latin) == 0 || p.Latin[0] == "" {
		return ""
	}
	l := p.Latin[0]
	return strings.ToUpper(l[:1]) + l[1:]
}

// englishName is the English name of a body the places data names; "" for any other.
func englishName(body string) string {
	s, _ := places.English(body)
	return s
}

// ReportBody is the market regulator a 举报信 about c goes to, by DOMAIN.md §2: the one of the
// place where the respondent is registered (the provider data, else the respondent's address),
// else the complainant's city's; empty when none is known.
func ReportBody(c flows.Complaint) string { return reportBody(c) }

// reportBody is the market regulator a 举报 goes to: the one of the place where the respondent is
// registered when the provider data knows it (DOMAIN.md §2), else the one of a city in the
// respondent's address, else the one of the complainant's city, else empty (the template names
// the kind of body and the 12315 platform).
func reportBody(c flows.Complaint) string {
	if p, ok := providers.Embedded().ByKey(c.Provider.Key); ok {
		if city, ok := p.Place(); ok {
			return city.MarketRegulator()
		}
	}
	if city, ok := places.InAddress(c.Provider.Address); ok && c.Provider.Address != "" {
		return city.MarketRegulator()
	}
	// The violation was done where the complainant does business: their city's regulator.
	if city, ok := places.Find(c.Contact.City); ok {
		return city.MarketRegulator()
	}
	return ""
}

// evidenceDate is the evidence item's own date when the user gave it; the upload date is not
// the item's, so without one the date is unknown.
func evidenceDate(e flows.Evidence) flows.Date { return e.Date }

// isForeign reports whether the user's text s is in a language other than the document's: for
// the Chinese document, text with Latin letters and no Chinese character; the English
// rendering takes everything as written.
func isForeign(s string, lang flows.Lang) bool {
	if lang != flows.LangZH {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			return false
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 3
}

// evidenceDescription is the caption, else the file name; pasted text is shortened.
func evidenceDescription(e flows.Evidence) string {
	if e.Kind == flows.EvidenceText {
		return shorten(userLine(e.Caption), pastedTextRunes)
	}
	if s := userLine(e.Caption); s != "" {
		return s
	}
	return userLine(e.FileName)
}

// userText masks and cleans free text the user typed, keeping its line breaks as lineBreak.
func userText(s string) string { return clean(flows.MaskNumbers(s), lineBreak) }

// userLine masks and cleans free text the user typed, joining its lines with spaces.
func userLine(s string) string { return clean(flows.MaskNumbers(s), " ") }

// cleanLine cleans an identifier the receiving body needs as given (not masked).
func cleanLine(s string) string { return clean(s, " ") }

// clean makes s safe for the markup and for XML: valid UTF-8, no control characters, line
// breaks (of any kind) replaced by br, blank lines and surrounding space removed.
func clean(s, br string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var lines []string
	for _, line := range strings.FieldsFunc(s, isLineBreak) {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t':
				return ' '
			case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
				return -1
			}
			return r
		}, line)
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, br)
}

// isLineBreak reports whether r ends a line: "\n", "\r", VT, FF, NEL, LS or PS.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// endSentence ends the user's sentence s, part of a sentence of the document, with the
// document's full stop (stop), whatever script s itself ends in (承诺“免费”, 微信 wang88);
// Chinese words quoted in the English document end with "。", closing quotes and brackets
// passed over.
func endSentence(s, stop string) string {
	s = trimStop(s)
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, closers)); r >= 0x2E80 {
		return s + "。"
	}
	return s + stop
}

// closers are the quotes and brackets that may close a sentence before its full stop.
const closers = "”’」』）)》】〕\"'"

// reported drops the verb a user's account of a reply often starts with ("说…", "客服说…"),
// which the sentence reporting it already says (「据投诉人陈述，被投诉人答复称，……」).
func reported(s string) string {
	for _, verb := range []string{"对方说", "客服说", "他们说", "他说", "她说", "说是", "对方称", "客服称", "他们称", "对方表示", "客服表示", "说", "称"} {
		rest, ok := strings.CutPrefix(s, verb)
		// 说明, 说法, 说服: a noun or another verb, not "said"
		if !ok || rest == "" || verb == "说" && strings.ContainsAny(rest[:len(string([]rune(rest)[0]))], "明法服") {
			continue
		}
		return strings.TrimLeft(rest, "：:，, ")
	}
	return s
}

// trimStop removes the punctuation that ends s, for text the template quotes and ends itself.
func trimStop(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool { return strings.ContainsRune("。．.；;，,、 ", r) })
}

// shorten cuts s to at most n runes, ending a cut text with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimSpace(string(runes[:n-1])) + ellipsis
}

// formatDate formats a calendar date, or a month-precision date ("2022-03") by the month
// layout that follows the date layout after a "|" ("2006年1月2日|2006年1月"); an unknown date
// is empty and a malformed one kept as is.
func formatDate(d flows.Date, layout string) string {
	if d == "" {
		return ""
	}
	t, ok := d.Time()
	if !ok {
		return cleanLine(string(d))
	}
	day, month, _ := strings.Cut(layout, "|")
	if d.IsMonth() && month != "" {
		return t.Format(month)
	}
	return t.Format(day)
}

// formatTime formats the date of t in China, where the complaint is filed; zero is empty.
func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	day, _, _ := strings.Cut(layout, "|")
	return chinaTime(t).Format(day)
}

// chinaTime returns t in China Standard Time, UTC+8 all year round since 1991, so a fixed zone
// is exact and needs no time-zone database.
func chinaTime(t time.Time) time.Time {
	return t.In(time.FixedZone("CST", 8*60*60))
}
