package flows

import (
	"reflect"
	"slices"
	"strings"

	"complaintbot/places"
	"complaintbot/providers"
)

// The conversation as data: every question is one entry of questions(). The machine (forward,
// events), the review (sections, review lines, edit buttons), /back (previous), the Mermaid
// diagram, erasure (Anonymize) and the locales start-up check all walk this table.

// Privacy is whether an answer says who the person is. The zero value is Personal: an answer
// is kept after /delete and retention only when its entry says Anonymous.
type Privacy int

// The privacy classes.
const (
	Personal  Privacy = iota // erased by /delete and retention
	Anonymous                // kept: what staff count (kind, provider, amounts, dates, status, route)
)

// Question is one step of the conversation: what is asked, how the answer is read and stored,
// when it applies, where /back leads, how it shows in the review, and whether it is personal.
type Question struct {
	State State
	// Ask is the prompt's message key. After refused input the user gets the refusal's
	// message ("invalid_…", "use_buttons", "button_stale") and, when the question has buttons,
	// the same prompt again: there is no separate re-ask key.
	Ask string
	// Args gives the prompt's arguments; nil: none.
	Args func(*Session) map[string]any
	// Answer reads the answer and stores it: Pick, Text, Parsed, DateAnswer, or Code for the
	// steps that need their own code (deductions, requests, evidence, the review).
	Answer Answer
	// Optional adds a "skip" button; skipping stores the zero value.
	Optional bool
	// NoneSays: "没有" or "不知道" typed at this optional question is an answer worth keeping
	// (no return terms were promised, the provider gave no reply), not a wish to skip it.
	NoneSays bool

	// When says whether the question applies to the complaint so far; nil: always. A question
	// with When is asked only after the question before it, through the event Enter; a run of
	// such questions ends at the next question without When (or with its own Enter). The
	// question before the run fires Enter when When holds, and its Done event otherwise. Runs
	// may follow one another (a block; their Enter events differ): the question before them,
	// and the last question of each, fires the Enter of the first later run whose When holds,
	// or Done past the block. A run's later questions share its first question's When.
	When  func(Complaint) bool
	Enter string
	// From, on a run's first question, lists the questions whose answer may lead into the run
	// (nil: any question before it in its block), so that the machine has no edge that no
	// answer takes: a company's questions never follow an individual merchant's.
	From []State
	// Covered says that every answer to the question enters one of the runs after it, so it
	// has no Done edge past them (every complainant type has its own questions).
	Covered bool
	// Done is the event an answer fires; "" means evNext.
	Done string
	// Stays lets the question's code keep the user here (evStay: one more toggle, one more file).
	Stays bool
	// Also lists edges the question's code fires besides Done and the runs after it.
	Also []Edge
	// Arrive prepares the session when the machine enters the question.
	Arrive func(*Session)
	// Skip passes the question by when the user already confirmed its answer from a pasted
	// text (Session.Filled, Session.Queue): it applies that answer and returns the event to
	// fire, or "" to ask. from is the state the machine came from. Never while editing.
	Skip func(s *Session, from State) string

	// Back overrides where /back leads ("" keeps the derived edge: the nearest question before
	// this one that applies). NoBack: /back has nowhere to go from here.
	Back   func(Complaint) State
	NoBack bool

	// Section groups questions the review changes as one; the question that has Review starts
	// the change, and its line and edit button ("edit_"+Section) are shown when it applies.
	Section string
	Review  func(Complaint) (key string, args map[string]any)

	// Document names the answer's label in the complaint document (document/labels.toml,
	// table "fact"): the document then states it as "label: answer" among the facts. Empty:
	// the document does not show it, or words it itself.
	Document string

	// Field is where the answer is kept, as a path of Complaint's Go field names
	// ("Contact.Phone", "Deductions.Amount" for each deduction); "" when it is not kept in the
	// complaint. Privacy classes it; Keep names the parts of a Personal field of structs that
	// are anonymous all the same (an evidence item's kind and size).
	Field   string
	Privacy Privacy
	Keep    []string
}

// Edge is one transition a question's code fires.
type Edge struct {
	Event string
	To    State
}

// State is a step of the conversation; the names are stored and appear in the diagram.
type State string

// The states of the conversation, in the order a user meets them.
const (
	StateConsent        State = "consent"
	StateComplainant    State = "complainant"
	StateCompanyName    State = "company_name"
	StateCompanyCode    State = "company_code"
	StateCompanyAddress State = "company_address"
	StateCompanyRole    State = "company_role"
	StateMerchantName   State = "merchant_name"
	StateMerchantNumber State = "merchant_number"
	StateCharge         State = "charge"
	StateDeregDate      State = "dereg_date"
	StateDeregChannel   State = "dereg_channel"
	StateDeregTicket    State = "dereg_ticket"
	StateDeregDone      State = "dereg_done"
	StateFeePeriod      State = "fee_period"
	StateReturnTerms    State = "return_terms"
	StateTermsMet       State = "terms_met"
	StateOldRate        State = "old_rate"
	StateNewRate        State = "new_rate"
	StateRateFrom       State = "rate_from"
	StateNotice         State = "rate_notice"
	StateProvider       State = "provider"
	StateProviderName   State = "provider_name"
	StateProviderAddr   State = "provider_address"
	StateAmount         State = "deduction_amount"
	StateDeductionDate  State = "deduction_date"
	StateMethod         State = "deduction_method"
	StateLabel          State = "deduction_label"
	StateMoreDeductions State = "deduction_more"
	StateDisclosure     State = "disclosure"
	StateLearned        State = "learned"
	StateContractDate   State = "contract_date"
	StateContractChan   State = "contract_channel"
	StateAgent          State = "agent"
	StateDevice         State = "device"
	StateNegotiated     State = "negotiated"
	StateNegDate        State = "negotiation_date"
	StateNegChannel     State = "negotiation_channel"
	StateNegTicket      State = "negotiation_ticket"
	StateNegReply       State = "negotiation_reply"
	StateProceedings    State = "proceedings"
	StateDescription    State = "description"
	StateRequests       State = "requests"
	StateOtherRequest   State = "other_request"
	StateEvidence       State = "evidence"
	StateContactName    State = "contact_name"
	StateContactPhone   State = "contact_phone"
	StateContactCity    State = "contact_city"
	StateContactAddress State = "contact_address"
	StateBody           State = "body"
	StateDateCheck      State = "date_check" // dates out of order, asked before the review
	StateReview         State = "review"
	StateSubmitted      State = "submitted" // complaint produced; escalation offered
	StateClosed         State = "closed"    // no case in progress (sent to staff, kept, or cancelled); /start begins a new case
)

// Questions returns the conversation's table, in the order a user meets it.
func Questions() []Question { return slices.Clone(machine().questions) }

// questions is the conversation. Add a question here; the machine, the review, /back, the
// diagram and erasure follow.
func questions() []Question {
	merchant := func(c Complaint) bool { return c.Complainant == Individual || c.Complainant == Company }
	is := func(t ComplainantType) func(Complaint) bool {
		return func(c Complaint) bool { return c.Complainant == t }
	}
	kind := func(k ChargeKind) func(Complaint) bool { return func(c Complaint) bool { return c.Charge == k } }
	maxArg := func(n int) func(*Session) map[string]any {
		return func(*Session) map[string]any { return map[string]any{"Max": n} }
	}
	return []Question{
		// the welcome and the privacy notice in the language of the user's Telegram, with a
		// button for the other language (a global one: it works at any question)
		{State: StateConsent, Ask: "ask_consent", Answer: Code{(*stepper).askConsent, (*stepper).answerConsent},
			Done: evAgree, NoBack: true, Field: "Lang", Privacy: Anonymous},
		{State: StateComplainant, Ask: "ask_complainant",
			Answer:  Pick[ComplainantType]{"complainant_", []ComplainantType{Consumer, Individual, Company}, setComplainant},
			Section: "complainant", Review: reviewComplainant,
			Field: "Complainant", Privacy: Anonymous},
		// a company is the complainant itself (DOMAIN.md §3)
		{State: StateCompanyName, Ask: "ask_company_name", Args: maxArg(maxShort),
			Answer: Parsed[string]{func(t string) (string, error) { return ParseName(t, maxShort) }, "深圳某某贸易有限公司", nil, func(s *Session, v string) { s.Draft.Company.Name = v }},
			When:   is(Company), Enter: evCompany, From: []State{StateComplainant},
			Section: "complainant", Field: "Company.Name"},
		{State: StateCompanyCode, Ask: "ask_company_code", Optional: true,
			Answer: Parsed[string]{ParseCreditCode, "91350100M000100Y43", ErrCreditCode, func(s *Session, v string) { s.Draft.Company.CreditCode = v }},
			When:   is(Company), Section: "complainant", Field: "Company.CreditCode"},
		{State: StateCompanyAddress, Ask: "ask_company_address", Args: maxArg(maxAddress),
			Answer: TextAnswer{Max: maxAddress, Words: true, Store: func(s *Session, v string) {
				v = cutLabel(v, addressLabels)
				s.Draft.Company.Address = v
				if c, ok := cityOfAddress(v); ok {
					s.Draft.Contact.City = c.Name
				}
			}},
			When: is(Company), Section: "complainant", Field: "Company.Address"},
		{State: StateCompanyRole, Ask: "ask_company_role",
			Answer: Pick[Role]{"role_", []Role{RoleLegalRep, RoleAuthorised}, func(s *Session, v Role) { s.Draft.Company.Role = v }},
			When:   is(Company), Covered: true, Section: "complainant", Field: "Company.Role", Privacy: Anonymous},
		{State: StateMerchantName, Ask: "ask_merchant_name", Optional: true,
			Answer: TextAnswer{Max: maxShort, Store: func(s *Session, v string) { s.Draft.MerchantName = v }},
			When:   is(Individual), Enter: evIndividual, From: []State{StateComplainant}, Covered: true,
			Section: "complainant", Field: "MerchantName"},
		{State: StateMerchantNumber, Ask: "ask_merchant_number", Optional: true,
			Answer: Parsed[string]{ParseMerchantNumber, "822584053110123", ErrMerchantNumberFormat, func(s *Session, v string) { s.Draft.MerchantNumber = v }},
			When:   merchant, Enter: evMerchant, From: []State{StateCompanyRole, StateMerchantName},
			Section: "complainant", Field: "MerchantNumber"},

		// a consumer is first told that a payee is a merchant in law (DOMAIN.md §2), with
		// buttons to complain as a merchant instead
		{State: StateCharge, Ask: "ask_charge", Answer: Code{(*stepper).askCharge, (*stepper).answerCharge},
			Also:    []Edge{{evIndividual, StateMerchantName}, {evCompany, StateCompanyName}},
			Section: "charge", Review: reviewCharge,
			Field: "Charge", Privacy: Anonymous},
		// the facts of each charge kind (DOMAIN.md §3)
		{State: StateDeregDate, Ask: "ask_dereg_date",
			Answer: DateAnswer{Month: true, Recent: true, Unknown: true, Store: func(s *Session, d Date) { s.Draft.Facts.DeregOn = d }},
			When:   kind(DeregistrationFee), Enter: evDereg, From: []State{StateCharge}, Section: "charge", Field: "Facts.DeregOn", Privacy: Anonymous},
		{State: StateDeregChannel, Ask: "ask_dereg_channel",
			Answer: Pick[Channel]{"channel_", []Channel{ChannelAgent, ChannelHotline, ChannelApp, ChannelOffline, ChannelOther}, func(s *Session, v Channel) { s.Draft.Facts.DeregChannel = v }},
			When:   kind(DeregistrationFee), Section: "charge", Field: "Facts.DeregChannel", Privacy: Anonymous},
		{State: StateDeregTicket, Ask: "ask_dereg_ticket", Optional: true,
			Answer: TextAnswer{Max: maxShort, Store: func(s *Session, v string) { s.Draft.Facts.DeregTicket = cutLabel(v, codeLabels) }},
			When:   kind(DeregistrationFee), Section: "charge", Field: "Facts.DeregTicket"},
		{State: StateDeregDone, Ask: "ask_dereg_done",
			Answer: Pick[YesNo]{"dereg_done_", []YesNo{Yes, No, NotSureYN}, func(s *Session, v YesNo) { s.Draft.Facts.DeregDone = v }},
			When:   kind(DeregistrationFee), Section: "charge", Field: "Facts.DeregDone", Privacy: Anonymous},
		{State: StateFeePeriod, Ask: "ask_fee_period", Args: maxArg(maxShort), Optional: true,
			Answer: TextAnswer{Max: maxShort, Check: checkPeriod, Store: func(s *Session, v string) { s.Draft.Facts.FeePeriod = v }},
			When:   kind(SIMFee), Enter: evSIM, From: []State{StateCharge}, Section: "charge", Field: "Facts.FeePeriod"},
		{State: StateReturnTerms, Ask: "ask_return_terms", Args: maxArg(maxAgent), Optional: true, NoneSays: true,
			Answer: TextAnswer{Max: maxAgent, Store: func(s *Session, v string) { s.Draft.Facts.ReturnTerms = v }},
			When:   kind(ServiceFee), Enter: evDeposit, From: []State{StateCharge}, Section: "charge", Field: "Facts.ReturnTerms"},
		{State: StateTermsMet, Ask: "ask_terms_met",
			Answer: Pick[YesNo]{"terms_met_", []YesNo{Yes, Partly, No, NotSureYN}, func(s *Session, v YesNo) { s.Draft.Facts.TermsMet = v }},
			When:   kind(ServiceFee), Section: "charge", Field: "Facts.TermsMet", Privacy: Anonymous},
		{State: StateOldRate, Ask: "ask_old_rate",
			Answer: Parsed[string]{ParseRate, "0.38%", ErrRateFormat, func(s *Session, v string) { s.Draft.Facts.OldRate = v }},
			When:   kind(RateIncrease), Enter: evRate, From: []State{StateCharge}, Section: "charge", Field: "Facts.OldRate", Privacy: Anonymous},
		{State: StateNewRate, Ask: "ask_new_rate",
			Answer: Parsed[string]{ParseRate, "0.6", ErrRateFormat, func(s *Session, v string) { s.Draft.Facts.NewRate = v }},
			When:   kind(RateIncrease), Section: "charge", Field: "Facts.NewRate", Privacy: Anonymous},
		{State: StateRateFrom, Ask: "ask_rate_from",
			Answer: DateAnswer{Month: true, Unknown: true, Store: func(s *Session, d Date) { s.Draft.Facts.RateFrom = d }},
			When:   kind(RateIncrease), Section: "charge", Field: "Facts.RateFrom", Privacy: Anonymous},
		// a notice's date typed, or a button: none, not sure, notified on a date not remembered
		{State: StateNotice, Ask: "ask_rate_notice", Answer: Code{(*stepper).askNotice, (*stepper).answerNotice},
			When: kind(RateIncrease), Section: "charge", Field: "Facts.Notice", Privacy: Anonymous},

		{State: StateProvider, Ask: "ask_provider", Answer: Code{(*stepper).askProvider, (*stepper).answerProvider},
			Section: "provider", Review: func(c Complaint) (string, map[string]any) {
				return "sum_provider", map[string]any{"Value": c.Provider.Name, "Latin": latinName(providers.Embedded(), c.Provider.Key), "Address": orUnknown(c.Provider.Address)}
			},
			Field: "Provider.Key", Privacy: Anonymous},
		{State: StateProviderName, Ask: "ask_provider_name",
			Args: func(s *Session) map[string]any {
				return map[string]any{"Max": maxProviderName, "Typed": s.Draft.Provider.Typed}
			},
			Answer: Code{(*stepper).askProviderName, (*stepper).answerProviderName},
			When: func(c Complaint) bool {
				return c.Provider.Key == "" && (c.Provider.Name == "" || c.Provider.Typed != "")
			}, Enter: evOtherProvider,
			Section: "provider", Field: "Provider.Name"},
		{State: StateProviderAddr, Ask: "ask_provider_address", Args: maxArg(maxAddress), Optional: true,
			Answer: TextAnswer{Max: maxAddress, Words: true, Store: func(s *Session, v string) { s.Draft.Provider.Address = cutLabel(v, addressLabels) }},
			When:   func(c Complaint) bool { return c.Provider.Address == "" }, Enter: evProviderAddr,
			Section: "provider", Field: "Provider.Address"},
		{State: StateAmount, Ask: "ask_amount", Args: amountArgs,
			Answer: Parsed[Fen]{ParseAmount, "¥199.00", ErrAmountFormat, func(s *Session, v Fen) { s.Pend.Amount = v }},
			Arrive: pend, // a new deduction starts empty, or is the next pasted one missing answers
			Skip: func(s *Session, _ State) string {
				switch {
				case s.PendPasted && s.Pend.Amount > 0:
					return evNext
				case filled(s, StateAmount) && len(s.Draft.Deductions)+len(s.Queue) > 0:
					return evPasted
				}
				return ""
			},
			Also: []Edge{{evPasted, StateMoreDeductions}},
			Back: func(c Complaint) State {
				if len(c.Deductions) > 0 {
					return StateMoreDeductions
				}
				return ""
			},
			Section: "deductions", Field: "Deductions.Amount", Privacy: Anonymous},
		{State: StateDeductionDate, Ask: "ask_deduction_date",
			Args: func(s *Session) map[string]any {
				args := map[string]any{"Amount": s.Pend.Amount.String()}
				if s.PendPasted && (len(s.Queue) > 0 || len(s.Draft.Deductions) > 0) {
					// one of several read or said at once ("每年扣99，扣了三年"): which one
					args["N"] = len(s.Draft.Deductions) + 1
				}
				return args
			},
			Answer: DateAnswer{Recent: true, Store: func(s *Session, d Date) { s.Pend.Date = d }},
			Skip: func(s *Session, _ State) string {
				if s.PendPasted && s.Pend.Date != "" {
					return evNext
				}
				return ""
			},
			Section: "deductions", Field: "Deductions.Date", Privacy: Anonymous},
		// the way of taking; "other" is followed by the user's own words for it, optional
		{State: StateMethod, Ask: "ask_deduction_method", Answer: Code{(*stepper).askMethod, (*stepper).answerMethod},
			Arrive: func(s *Session) { // asked afresh from the date: the ways, not the words after "other"
				if !s.PendPasted {
					s.Pend.Method, s.Pend.How = "", ""
				}
			},
			Skip: func(s *Session, _ State) string {
				if s.PendPasted && s.Pend.Method != "" {
					return evNext
				}
				return ""
			},
			Section: "deductions", Field: "Deductions.Method", Privacy: Anonymous},
		// 扣费名目: what the provider called the charge, when the user knows; optional
		{State: StateLabel, Ask: "ask_deduction_label", Answer: Code{(*stepper).askLabel, (*stepper).answerLabel},
			Skip: func(s *Session, _ State) string {
				if s.PendPasted && s.Pend.Label != "" {
					keepPend(s) // a pasted deduction named by its text
					return evNext
				}
				return ""
			},
			// typed text is the user's; Anonymize keeps a label picked from labelSuggestions
			Section: "deductions", Field: "Deductions.Label"},
		{State: StateMoreDeductions, Ask: "ask_deduction_more", Answer: Code{(*stepper).askMoreDeductions, (*stepper).answerMoreDeductions},
			Stays: true, Also: []Edge{{evMore, StateAmount}},
			Skip: func(s *Session, _ State) string {
				switch {
				case len(s.Queue) > 0:
					return evMore
				case filled(s, StateMoreDeductions) && len(s.Draft.Deductions) > 0:
					return evNext
				}
				return ""
			},
			Section: "deductions", Review: func(c Complaint) (string, map[string]any) {
				return "sum_deductions", map[string]any{"Count": len(c.Deductions), "Total": c.Total().String(), "List": deductionLines(c.Deductions)}
			}},
		{State: StateDisclosure, Ask: "ask_disclosure",
			Args:    func(s *Session) map[string]any { return map[string]any{"Rate": s.Draft.Charge == RateIncrease} },
			Answer:  Pick[Disclosure]{"disclosure_", []Disclosure{NotTold, FinePrint, ToldNoAgree, Agreed, NotSureTold}, func(s *Session, v Disclosure) { s.Draft.Disclosure = v }},
			Section: "disclosure", Review: func(c Complaint) (string, map[string]any) {
				return "sum_disclosure", map[string]any{"Value": Text{Key: "disclosure_" + string(c.Disclosure)}}
			},
			Field: "Disclosure", Privacy: Anonymous},
		{State: StateLearned, Ask: "ask_learned",
			// a deposit was paid knowingly: the harm is learned when it is not returned
			Args: func(s *Session) map[string]any { return map[string]any{"Deposit": deposit(s.Draft)} },
			// a month is enough when the day is not remembered ("今年10月"): counted from its first
			Answer:  DateAnswer{First: true, Month: true, Store: func(s *Session, d Date) { s.Draft.LearnedOn = d }},
			Section: "learned", Review: func(c Complaint) (string, map[string]any) {
				return "sum_learned", map[string]any{"Value": string(c.LearnedOn)}
			},
			Field: "LearnedOn", Privacy: Anonymous},
		{State: StateContractDate, Ask: "ask_contract_date",
			Answer:  DateAnswer{Month: true, Unknown: true, Store: func(s *Session, d Date) { s.Draft.ContractDate = d }},
			Section: "contract", Review: func(c Complaint) (string, map[string]any) {
				return "sum_contract", map[string]any{"Date": orNot(string(c.ContractDate)), "Channel": Text{Key: "channel_" + string(c.ContractChannel)}}
			},
			Field: "ContractDate", Privacy: Anonymous},
		{State: StateContractChan, Ask: "ask_contract_channel",
			Answer:  Pick[Channel]{"channel_", []Channel{ChannelAgent, ChannelApp, ChannelOffline, ChannelOther}, func(s *Session, v Channel) { s.Draft.ContractChannel = v }},
			Section: "contract", Field: "ContractChannel", Privacy: Anonymous},
		{State: StateAgent, Ask: "ask_agent", Args: maxArg(maxAgent), Optional: true,
			Answer:  TextAnswer{Max: maxAgent, Store: func(s *Session, v string) { s.Draft.Agent = v }},
			Section: "agent", Review: func(c Complaint) (string, map[string]any) {
				return "sum_agent", map[string]any{"Value": orNot(c.Agent)}
			},
			Field: "Agent"},
		{State: StateDevice, Ask: "ask_device", Optional: true,
			Answer:  Parsed[string]{ParseSN, "WP12345678", ErrSNFormat, func(s *Session, v string) { s.Draft.DeviceSN = v }},
			Section: "device", Review: func(c Complaint) (string, map[string]any) {
				return "sum_device", map[string]any{"Value": orNot(c.DeviceSN)}
			},
			Field: "DeviceSN"},
		{State: StateNegotiated, Ask: "ask_negotiated",
			Answer: Pick[string]{"negotiated_", []string{"yes", "no", "neither"}, func(s *Session, v string) {
				if v == "yes" {
					s.Draft.Negotiation.Tried = true
				} else {
					s.Draft.Negotiation = Negotiation{}
				}
				if v == "neither" {
					// nor filed anywhere: the proceedings question is answered too
					s.Draft.Proceedings = ProceedingsNone
					s.Filled = append(s.Filled, StateProceedings)
				}
			}},
			Done:    evNo,
			Section: "negotiation", Review: func(c Complaint) (string, map[string]any) {
				n := c.Negotiation
				if !n.Tried {
					return "sum_negotiation_no", nil
				}
				return "sum_negotiation_yes", map[string]any{"Date": string(n.Date), "Channel": Text{Key: "channel_" + string(n.Channel)}, "Ticket": orNot(n.Ticket), "Reply": orNot(n.Reply), "Verbatim": n.Verbatim}
			},
			Field: "Negotiation.Tried", Privacy: Anonymous},
		{State: StateNegDate, Ask: "ask_negotiation_date",
			Answer: DateAnswer{Recent: true, Store: func(s *Session, d Date) { s.Draft.Negotiation.Date = d }},
			When:   tried, Enter: evYes, Section: "negotiation", Field: "Negotiation.Date", Privacy: Anonymous},
		{State: StateNegChannel, Ask: "ask_negotiation_channel",
			Answer: Pick[Channel]{"channel_", []Channel{ChannelHotline, ChannelApp, ChannelAgent, ChannelOffline, ChannelOther}, func(s *Session, v Channel) { s.Draft.Negotiation.Channel = v }},
			When:   tried, Section: "negotiation", Field: "Negotiation.Channel", Privacy: Anonymous},
		{State: StateNegTicket, Ask: "ask_negotiation_ticket", Optional: true,
			Answer: TextAnswer{Max: maxShort, Store: func(s *Session, v string) { s.Draft.Negotiation.Ticket = cutLabel(v, codeLabels) }},
			When:   tried, Section: "negotiation", Field: "Negotiation.Ticket"},
		{State: StateNegReply, Ask: "ask_negotiation_reply", Args: maxArg(maxReply), Optional: true, NoneSays: true,
			Answer: TextAnswer{Max: maxReply, Store: func(s *Session, v string) {
				s.Draft.Negotiation.Reply, s.Draft.Negotiation.Verbatim = v, pasted(v)
			}},
			When: tried, Section: "negotiation", Field: "Negotiation.Reply"},
		{State: StateProceedings, Ask: "ask_proceedings",
			Answer:  Pick[Proceedings]{"proceedings_", []Proceedings{ProceedingsNone, ProceedingsConsumerOrg, Proceedings12315, ProceedingsPBOC, ProceedingsCourt, ProceedingsOther}, func(s *Session, v Proceedings) { s.Draft.Proceedings = v }},
			Section: "proceedings", Review: func(c Complaint) (string, map[string]any) {
				return "sum_proceedings", map[string]any{"Value": Text{Key: "proceedings_" + string(c.Proceedings)}}
			},
			Field: "Proceedings", Privacy: Anonymous},
		{State: StateDescription, Ask: "ask_description", Args: maxArg(maxDescription), Optional: true,
			Answer:  TextAnswer{Max: maxDescription, Store: func(s *Session, v string) { s.Draft.Description = v }},
			Section: "description", Review: func(c Complaint) (string, map[string]any) {
				return "sum_description", map[string]any{"Value": orNot(c.Description)}
			},
			Field: "Description"},
		{State: StateRequests, Ask: "ask_requests", Answer: Code{(*stepper).askRequests, (*stepper).answerRequests},
			Stays: true,
			Arrive: func(s *Session) {
				if len(s.Draft.Requests) == 0 {
					s.Draft.Requests = defaultRequests(s.Draft.Charge)
				}
			},
			// the charge kind's usual requests are taken, not asked: the review shows them and
			// changes them, and /back from the evidence comes here
			Skip:    func(s *Session, _ State) string { return machine().next(StateRequests, s.Draft) },
			Section: "requests", Review: func(c Complaint) (string, map[string]any) {
				var reqs Lines
				for _, r := range c.Requests {
					reqs = append(reqs, Text{Key: "request_" + string(r), Args: map[string]any{"On": false, "Total": c.Total().String(), "Deposit": deposit(c)}})
				}
				return "sum_requests", map[string]any{"List": reqs, "Other": c.OtherRequest}
			},
			Field: "Requests", Privacy: Anonymous},
		{State: StateOtherRequest, Ask: "ask_other_request", Args: maxArg(maxOtherRequest),
			Answer: TextAnswer{Max: maxOtherRequest, Store: func(s *Session, v string) { s.Draft.OtherRequest = v }},
			When:   func(c Complaint) bool { return c.HasRequest(RequestOther) }, Enter: evOther,
			Section: "requests", Field: "OtherRequest"},
		{State: StateEvidence, Ask: "ask_evidence", Answer: Code{(*stepper).askEvidence, (*stepper).evidence},
			Stays:   true,
			Section: "evidence", Review: func(c Complaint) (string, map[string]any) {
				return "sum_evidence", map[string]any{"Count": len(c.Evidence)}
			},
			Field: "Evidence", Keep: []string{"Kind", "Size", "MIME", "ReceivedAt", "Date"}},
		{State: StateContactName, Ask: "ask_contact_name",
			Args: func(s *Session) map[string]any { return map[string]any{"Company": s.Draft.Complainant == Company} },
			Answer: Parsed[Contact]{parseContact, "李四", nil, func(s *Session, c Contact) {
				s.Draft.Contact.Name = c.Name
				if c.Phone == "" {
					return
				}
				// the whole contact in one message: the questions it answered are passed by
				s.Draft.Contact.Phone = c.Phone
				s.Filled = append(s.Filled, StateContactPhone)
				if c.Address != "" {
					s.Draft.Contact.Address = c.Address
					if p, ok := cityOfAddress(c.Address); ok {
						s.Draft.Contact.City = p.Name
					}
					s.Filled = append(s.Filled, StateContactAddress)
				}
				if c.City != "" {
					if s.Draft.Contact.City == "" {
						s.Draft.Contact.City = c.City
					}
					s.Filled = append(s.Filled, StateContactCity)
				}
			}},
			Section: "contact", Review: func(c Complaint) (string, map[string]any) {
				return "sum_contact", map[string]any{"Name": c.Contact.Name, "Phone": c.Contact.Phone, "City": c.Contact.City, "Address": orNot(c.Contact.Address)}
			},
			Field: "Contact.Name"},
		{State: StateContactPhone, Ask: "ask_contact_phone",
			Answer:  Parsed[string]{ParsePhone, "13912345678", ErrPhoneFormat, func(s *Session, v string) { s.Draft.Contact.Phone = v }},
			Section: "contact", Field: "Contact.Phone"},
		// the address first: a city in it spares the city question. Required (DOMAIN.md §3: the
		// complainant's name, phone and address); a company's is its own address, asked above.
		{State: StateContactAddress, Ask: "ask_contact_address", Args: maxArg(maxAddress),
			Answer: TextAnswer{Max: maxAddress, Words: true, Store: func(s *Session, v string) {
				v = cutLabel(v, addressLabels) // "地址是四川省成都市…"
				s.Draft.Contact.Address = v
				if c, ok := cityOfAddress(v); ok {
					s.Draft.Contact.City = c.Name
				}
			}},
			When: func(c Complaint) bool { return c.Complainant != Company }, Enter: evContactAddr,
			Section: "contact", Field: "Contact.Address"},
		{State: StateContactCity, Ask: "ask_contact_city",
			Answer: Parsed[string]{ParseCity, "Guangzhou", nil, func(s *Session, v string) { s.Draft.Contact.City = v }},
			When:   cityAsked, Enter: evCity,
			Section: "contact", Field: "Contact.City"},
		{State: StateBody, Ask: "ask_body", Answer: Code{(*stepper).askBody, (*stepper).answerBody},
			// the route's first body is taken and shown in the review, which changes it
			Skip: func(s *Session, _ State) string {
				// the embedded provider data: a Skip has no input (PROVIDERS_FILE only adds addresses)
				if routes := Routes(s.Draft, nil); s.Draft.Body == "" && len(routes) > 0 {
					s.Draft.Body, s.BodyAuto = routes[0].Body, true
					return machine().next(StateBody, s.Draft)
				}
				return ""
			},
			Section: "body", Review: func(c Complaint) (string, map[string]any) {
				// a branch guessed for a provider we do not know is said to be a suggestion
				routes := Routes(c, nil)
				guess := len(routes) > 0 && routes[0].Guess && routes[0].Body == c.Body
				return "sum_body", map[string]any{"Value": c.Body, "English": englishBody(c.Body), "Guess": guess}
			},
			Field: "Body"}, // typed, or made from a place the user gave: personal
		// dates out of order are questioned before the review (DOMAIN.md §3)
		{State: StateDateCheck, Ask: "date_check", Answer: Code{(*stepper).askDateCheck, (*stepper).answerDateCheck},
			When: func(c Complaint) bool { return !c.DatesConfirmed && len(DateProblems(c)) > 0 }, Enter: evDateCheck,
			Section: "body"},
		{State: StateReview, Ask: "review", Answer: Code{(*stepper).review, (*stepper).answerReview},
			Done: evConfirm},
		{State: StateSubmitted, Ask: "offer_escalation", Answer: Code{(*stepper).askEscalation, (*stepper).answerEscalation},
			Done: evEscalate, Also: []Edge{{evDecline, StateClosed}}, NoBack: true},
		{State: StateClosed, Ask: "closed_hint", Answer: Code{(*stepper).askClosed, (*stepper).answerClosed},
			NoBack: true},
	}
}

// filled reports whether a confirmed offer answered the question at q, and forgets it: a
// question is passed by once.
func filled(s *Session, q State) bool {
	i := slices.Index(s.Filled, q)
	if i < 0 {
		return false
	}
	s.Filled = slices.Delete(s.Filled, i, i+1)
	if len(s.Filled) == 0 {
		s.Filled = nil
	}
	return true
}

// cityAsked is when the city is asked: the address (the company's for a company) names none.
func cityAsked(c Complaint) bool {
	addr := c.Contact.Address
	if c.Complainant == Company {
		addr = c.Company.Address
	}
	_, ok := cityOfAddress(addr)
	return !ok
}

// parseContact reads the name question's answer: a name (ParseName), or the whole contact in
// one message (ParseContactLine).
func parseContact(t string) (Contact, error) {
	c, err := ParseContactLine(t)
	if err != nil {
		return Contact{}, err
	}
	if c.Phone == "" {
		c.Name, err = ParseName(t, maxName)
		return c, err
	}
	if c.City != "" {
		// the city as the city question would take it (Guangzhou → 广州市); a word that is no
		// city we can name is part of the address, and the city is asked
		if name, err := ParseCity(c.City); err == nil {
			c.City = name
		} else {
			c.City, c.Address = "", strings.TrimSpace(c.City+" "+c.Address)
		}
	}
	c.Name, err = ParseName(c.Name, maxName)
	return c, err
}

// tried is when the negotiation questions apply.
func tried(c Complaint) bool { return c.Negotiation.Tried }

// Field is a place in Complaint and its privacy class.
type Field struct {
	Path    string   // Go field names from Complaint, e.g. "Contact.Phone"; through a slice, each element's
	Privacy Privacy  // Personal unless Anonymous
	Keep    []string // for a Personal field of structs: the parts that are anonymous all the same
}

// Fields lists every place the complaint keeps something: each question's Field, and the
// complaint's own fields that no question fills (its id, the chat and user it came from, the
// case's status and history). Erasure keeps only what is Anonymous here.
func Fields() []Field {
	var fs []Field
	for _, q := range Questions() {
		if q.Field != "" {
			fs = append(fs, Field{q.Field, q.Privacy, q.Keep})
		}
	}
	return append(fs,
		Field{Path: "ID", Privacy: Anonymous},
		Field{Path: "Chat"},
		Field{Path: "User"},
		Field{Path: "CreatedAt", Privacy: Anonymous},
		Field{Path: "Status", Privacy: Anonymous},
		Field{Path: "Negotiation.Verbatim", Privacy: Anonymous},
		Field{Path: "DatesConfirmed", Privacy: Anonymous},
		Field{Path: "Facts.NoticeOn", Privacy: Anonymous},
		Field{Path: "Provider.Typed"}, // what the user typed is theirs
		Field{Path: "Deductions.How"}, // the user's words for an "other" way of taking (StateMethod)

		Field{Path: "History", Keep: []string{"Status", "At", "By", "Event"}}, // staff write notes freely
		// the case file after the document: its file (bodies, 受理编号, reasons) is personal,
		// the rung, the result and the money recovered are statistics
		Field{Path: "FollowUp", Keep: []string{"Rung", "Result", "Recovered"}},
	)
}

// Stated is an answer the complaint document states as "label: answer" (Question.Document).
type Stated struct {
	Label string // the document label's name
	Value string // the answer as the user gave it
}

// StatedFacts returns the answers of c that the document states by their entries' Document label,
// in the table's order: those that apply and were given.
func StatedFacts(c Complaint) []Stated {
	var fs []Stated
	for _, q := range machine().questions {
		if q.Document == "" || q.When != nil && !q.When(c) {
			continue
		}
		if v := answerText(c, q.Field); v != "" {
			fs = append(fs, Stated{q.Document, v})
		}
	}
	return fs
}

// answerText returns the answer c keeps at field (a Field path, "Contact.Phone") when it is
// text (a string, a Date), or "" when it is not, or the path leads through a list.
func answerText(c Complaint, field string) string {
	v := reflect.ValueOf(c)
	for _, name := range strings.Split(field, ".") {
		if v.Kind() != reflect.Struct {
			return ""
		}
		if v = v.FieldByName(name); !v.IsValid() {
			return ""
		}
	}
	if v.Kind() != reflect.String {
		return ""
	}
	return v.String()
}

// Summary returns the review's lines for c without its buttons: every answer that applies, as
// the complainant confirmed it. Other views of a case (the staff card) can show it, so that a
// new question reaches them from its entry.
func Summary(c Complaint) Lines {
	var sum Lines
	for i := range machine().questions {
		q := &machine().questions[i]
		if q.Review == nil || q.When != nil && !q.When(c) {
			continue
		}
		key, args := q.Review(c)
		sum = append(sum, Text{Key: key, Args: args})
	}
	return sum
}

// orNot shows an optional answer in the review, or "not given".
func orNot(s string) any {
	if s == "" {
		return Text{Key: "not_given"}
	}
	return short(s)
}

// cityOfAddress finds the city an address is in: at its start in Chinese (places.InAddress:
// 广东省深圳市…), or, as English speakers write an address, as one of its comma-separated parts
// in Latin letters, the last first ("12 Tianhe Road, Tianhe District, Guangzhou", "…, Shenzhen,
// Guangdong 518000", "Guangzhou"). A part with digits or Chinese in it is a street, not a city.
func cityOfAddress(addr string) (places.City, bool) {
	if c, ok := places.InAddress(addr); ok {
		return c, true
	}
	parts := strings.FieldsFunc(foldWidth(addr), func(r rune) bool { return r == ',' || r == '，' || r == '\n' || r == ';' })
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimRight(strings.TrimSpace(parts[i]), "0123456789 .") // a postcode after the city
		if p == "" || hasHan(p) || strings.ContainsAny(p, "0123456789") {
			continue
		}
		if c, ok := places.Find(p); ok {
			return c, true
		}
	}
	return places.City{}, false
}
