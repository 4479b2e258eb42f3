// Package flows is the complaint conversation and its domain: the complaint a user builds, the
// session that carries it between messages, and Step, which applies one input to a session.
//
// flows is pure: it reads no clock, network or global state. Time arrives in the Input, replies
// leave as data (locale keys and arguments), and work that needs storage (keep a finished
// complaint, escalate it, erase a user's data, list their cases, pass a message to staff)
// leaves as Effects for the adapters in bot and storage to carry out. The staff side's rules
// (which action a case in which status allows) are here too, as the pure Decide.
package flows

import (
	"encoding/json"
	"fmt"
	"time"
)

// Lang is a user's language. Values are stored, so they are strings.
type Lang string

// The languages the bot speaks. Chinese comes first.
const (
	LangZH Lang = "zh-CN"
	LangEN Lang = "en"
)

// ComplainantType is who is complaining; it decides the route and the articles quoted.
type ComplainantType string

// The three kinds of complainant in DOMAIN.md §2.
const (
	Consumer   ComplainantType = "consumer"   // 消费者
	Individual ComplainantType = "individual" // 个体工商户 / individual merchant
	Company    ComplainantType = "company"    // 企业商户
)

// ChargeKind is what the complaint is about. Values are stored, so they are strings, not iota.
type ChargeKind string

// The charge kinds in DOMAIN.md §1.
const (
	DeregistrationFee ChargeKind = "deregistration_fee" // 注销扣费
	SIMFee            ChargeKind = "sim_fee"            // 流量卡费 / SIM 年费
	ServiceFee        ChargeKind = "service_fee"        // 服务费 / 押金 / 激活费
	RateIncrease      ChargeKind = "rate_increase"      // 费率上调
	OtherCharge       ChargeKind = "other"              // 其他
)

// ChargeKinds lists the charge kinds in the order the bot offers them.
func ChargeKinds() []ChargeKind {
	return []ChargeKind{DeregistrationFee, SIMFee, ServiceFee, RateIncrease, OtherCharge}
}

// Fen is an amount of money in fen (hundredths of a yuan), so sums are exact.
type Fen int64

// String formats f as yuan with two decimals, e.g. "199.00".
func (f Fen) String() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// Date is a calendar date without a time zone, stored as "2006-01-02". The zero value means
// unknown.
type Date string

// MonthOf returns the month y-m as a Date of month precision, "2022-03".
func MonthOf(y int, m time.Month) Date { return Date(fmt.Sprintf("%04d-%02d", y, int(m))) }

// IsMonth reports whether d names only a month ("2022-03"): DOMAIN.md §3 lets a contract date,
// a de-registration request and a rate change be known to the month.
func (d Date) IsMonth() bool { return len(d) == len("2006-01") }

// Month returns d's month, "2022-03", for a date of either precision.
func (d Date) Month() Date {
	if len(d) >= len("2006-01") {
		return d[:len("2006-01")]
	}
	return d
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(time.DateOnly)) }

// Time returns d as midnight UTC, and false when d is unknown or malformed. A month-precision
// date gives the first of its month.
func (d Date) Time() (time.Time, bool) {
	if d.IsMonth() {
		t, err := time.Parse("2006-01", string(d))
		return t, err == nil
	}
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// Method is how a deduction was taken.
type Method string

// The ways money is taken, from DOMAIN.md §1.
const (
	FromSettlement Method = "settlement" // 结算款调账
	FromBankCard   Method = "bank_card"  // 银行卡
	FromWallet     Method = "wallet"     // 钱包
	FromOther      Method = "other"      // 其他
)

// Deduction is one sum taken from the user.
type Deduction struct {
	Date   Date   `json:"d"`
	Amount Fen    `json:"a"`
	Method Method `json:"m"`
	Label  string `json:"l,omitempty"` // what the provider called it, if the user said
	// How is the user's own words for how it was taken when Method is FromOther ("微信转账给
	// 业务员"), if they gave them; personal, like every typed answer.
	How string `json:"h,omitempty"`
}

// Disclosure is whether the fee was disclosed to or agreed by the user; "prominently notified"
// is the legal test.
type Disclosure string

// The answers to "were you told about this fee?".
const (
	NotTold     Disclosure = "not_told"      // never told
	FinePrint   Disclosure = "fine_print"    // only in the contract's small print, not pointed out
	ToldNoAgree Disclosure = "told_no_agree" // told, but did not agree
	Agreed      Disclosure = "agreed"        // told and agreed
	NotSureTold Disclosure = "not_sure"      // does not remember
)

// Channel is how the user dealt with the provider: where they signed up, or where they asked.
type Channel string

// The channels offered as buttons; anything else is ChannelOther.
const (
	ChannelAgent   Channel = "agent"   // a sales agent / reseller (代理商、业务员)
	ChannelApp     Channel = "app"     // the provider's app, website or mini-program
	ChannelHotline Channel = "hotline" // the customer-service hotline
	ChannelOffline Channel = "offline" // in person, at a branch or office
	ChannelOther   Channel = "other"
)

// Proceedings is whether the case was already taken elsewhere; 12315 refuses cases another body
// handled.
type Proceedings string

// The answers to "have you already filed this anywhere?".
const (
	ProceedingsNone        Proceedings = "none"
	ProceedingsConsumerOrg Proceedings = "consumer_association"
	Proceedings12315       Proceedings = "12315"
	ProceedingsPBOC        Proceedings = "pboc"
	ProceedingsCourt       Proceedings = "court" // court or arbitration
	ProceedingsOther       Proceedings = "other"
)

// RequestKind is one thing the complainant asks for.
type RequestKind string

// The requests of DOMAIN.md §3.
const (
	RequestRefund      RequestKind = "refund"      // refund of the computed total
	RequestStop        RequestKind = "stop"        // stop the deductions
	RequestDeregister  RequestKind = "deregister"  // complete the de-registration
	RequestExplanation RequestKind = "explanation" // a written explanation
	RequestOther       RequestKind = "other"       // free text in Complaint.OtherRequest
)

// RequestKinds lists the requests in the order the bot offers them.
func RequestKinds() []RequestKind {
	return []RequestKind{RequestRefund, RequestStop, RequestDeregister, RequestExplanation, RequestOther}
}

// EvidenceKind is what sort of thing a piece of evidence is.
type EvidenceKind string

// The evidence the bot accepts.
const (
	EvidencePhoto    EvidenceKind = "photo"    // a photo or screenshot
	EvidenceDocument EvidenceKind = "document" // a file: PDF, image sent as a file, spreadsheet
	EvidenceText     EvidenceKind = "text"     // pasted text such as an SMS
)

// Evidence is one item the user sent. Files stay on Telegram; we keep the reference.
type Evidence struct {
	Kind       EvidenceKind `json:"k"`
	FileID     string       `json:"f,omitempty"`
	UniqueID   string       `json:"q,omitempty"`
	Size       int64        `json:"z,omitempty"`
	MIME       string       `json:"m,omitempty"`
	FileName   string       `json:"n,omitempty"`
	Caption    string       `json:"c,omitempty"` // the caption, or the pasted text for EvidenceText
	AlbumID    string       `json:"g,omitempty"` // Telegram's media group id
	ReceivedAt time.Time    `json:"t"`
	// Read is set once the item's text was read for an offer (a pasted text, a screenshot),
	// so that a reading is offered once.
	Read bool `json:"r,omitempty"`
	// Date is the item's own date (the SMS's, the screenshot's), asked or read from pasted
	// text; empty when the user skipped it. Not the upload date, which is ReceivedAt.
	Date Date `json:"dt,omitempty"`
}

// Provider is the respondent: the payment institution complained about.
type Provider struct {
	Key  string `json:"k,omitempty"` // a known provider's key ("lakala"), empty for free text
	Name string `json:"n"`           // the legal name to put in the complaint
	// Address is the respondent's address: from the provider data when it has one, else as the
	// user gave it (contract, receipt, the app's about page); empty when unknown, never guessed.
	Address string `json:"a,omitempty"`
	// Typed is what the user typed when no known provider matched it, kept besides the legal
	// name they gave afterwards.
	Typed string `json:"t,omitempty"`
}

// Negotiation is what the user already tried with the provider.
type Negotiation struct {
	Tried   bool    `json:"t"`
	Date    Date    `json:"d,omitempty"`
	Channel Channel `json:"c,omitempty"`
	Ticket  string  `json:"k,omitempty"` // ticket / case number
	Reply   string  `json:"r,omitempty"` // what the provider answered, in the user's words
	// Verbatim is set when Reply was pasted as the provider wrote it (it may be quoted); false:
	// the user's account, to be written as reported speech.
	Verbatim bool `json:"v,omitempty"`
}

// Contact is how the receiving body reaches the complainant.
type Contact struct {
	Name    string `json:"n,omitempty"`
	Phone   string `json:"p,omitempty"` // 11 digits, normalised
	City    string `json:"c,omitempty"`
	Address string `json:"a,omitempty"`
}

// Status is where a case is in its lifecycle (DOMAIN.md §6).
type Status string

// The case lifecycle.
const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted" // template produced
	StatusEscalated Status = "escalated"
	StatusClaimed   Status = "claimed"
	StatusWaiting   Status = "waiting_user"
	StatusResolved  Status = "resolved"
	StatusRejected  Status = "rejected"
)

// StatusChange is one entry of a case's history.
type StatusChange struct {
	Status Status    `json:"s"`
	At     time.Time `json:"t"`
	By     string    `json:"b"`           // "user", "system" or "staff:<id>"
	Note   string    `json:"n,omitempty"` // e.g. the reason of a rejection
	// Event is the staff action that made the change (a CaseAction), empty for the
	// complainant's own steps. A private note keeps the status and has Event "note".
	Event string `json:"e,omitempty"`
	// Update is the staff chat's Telegram update that made the change, so that the update
	// delivered again finds its change instead of making it twice; 0 for the others.
	Update int64 `json:"u,omitempty"`
}

// Complaint is one case: everything the 投诉书 needs. While the conversation runs it is the
// session's draft; when the user confirms it is finished and stored.
type Complaint struct {
	ID   string `json:"id,omitempty"` // "C-000123", given by storage when the complaint is kept
	Chat int64  `json:"chat"`
	User int64  `json:"user,omitempty"`
	Lang Lang   `json:"lang"`

	Complainant ComplainantType `json:"ct,omitempty"`
	Charge      ChargeKind      `json:"ck,omitempty"`
	Provider    Provider        `json:"pv,omitempty"`
	Deductions  []Deduction     `json:"dd,omitempty"`
	Disclosure  Disclosure      `json:"ds,omitempty"`
	LearnedOn   Date            `json:"lo,omitempty"` // when the user learned of the harm

	ContractDate    Date    `json:"cd,omitempty"` // empty: the user does not remember
	ContractChannel Channel `json:"cc,omitempty"`
	Agent           string  `json:"ag,omitempty"` // who sold the terminal and what they promised
	DeviceSN        string  `json:"sn,omitempty"`
	MerchantName    string  `json:"mn,omitempty"`
	MerchantNumber  string  `json:"mo,omitempty"`

	Negotiation  Negotiation   `json:"ng,omitempty"`
	Proceedings  Proceedings   `json:"pr,omitempty"`
	Description  string        `json:"de,omitempty"`
	Requests     []RequestKind `json:"rq,omitempty"`
	OtherRequest string        `json:"ro,omitempty"`
	Evidence     []Evidence    `json:"ev,omitempty"`
	Contact      Contact       `json:"co,omitempty"`
	Body         string        `json:"bo,omitempty"` // the receiving body, e.g. 深圳市消费者协会

	// Issue 12: the company as complainant, the charge kind's own facts, the date check.
	Company CompanyInfo `json:"cp,omitzero"` // set when Complainant is Company
	Facts   Facts       `json:"fa,omitzero"` // the facts DOMAIN.md §3 asks by charge kind
	// DatesConfirmed is set when the user kept dates the date-order check questioned.
	DatesConfirmed bool `json:"dk,omitempty"`

	// FollowUp is the case file after the document (package followup), kept with the record so
	// that staff see the outcome.
	FollowUp FollowUp `json:"fu,omitzero"`

	CreatedAt time.Time      `json:"at,omitzero"` // when the user confirmed
	Status    Status         `json:"st,omitempty"`
	History   []StatusChange `json:"hi,omitempty"`
}

// ── Issue 12: the complainant by type and the facts by charge kind (DOMAIN.md §3) ──────────

// CompanyInfo is the complainant when it is a company (企业商户): the company itself is the 投诉人
// and signs with its seal (盖章); Contact holds the natural person who acts for it (Role says
// which) with their phone, and the merchant number stays in Complaint.MerchantNumber.
type CompanyInfo struct {
	Name       string `json:"n,omitempty"`  // the full registered name
	CreditCode string `json:"uc,omitempty"` // 统一社会信用代码, 18 characters, checked; optional
	Address    string `json:"a,omitempty"`  // the registered or business address
	Role       Role   `json:"r,omitempty"`  // who Contact is for the company
}

// Role is who acts for a company complainant.
type Role string

// The roles of a company's contact person.
const (
	RoleLegalRep   Role = "legal_rep"  // 法定代表人
	RoleAuthorised Role = "authorised" // 授权联系人 / 委托代理人
)

// YesNo is an answer that may also be "not sure". Values are stored.
type YesNo string

// The answers of a YesNo question.
const (
	Yes       YesNo = "yes"
	No        YesNo = "no"
	NotSureYN YesNo = "not_sure"
	Partly    YesNo = "partly" // a deposit's conditions met in part
)

// Facts are the facts DOMAIN.md §3 asks by charge kind; only the charge kind's own are set.
type Facts struct {
	// 注销 (DeregistrationFee): when and through which channel the user asked to de-register,
	// the ticket, and whether the de-registration was completed.
	DeregOn      Date    `json:"do,omitempty"` // day or month precision
	DeregChannel Channel `json:"dc,omitempty"`
	DeregTicket  string  `json:"dt,omitempty"`
	DeregDone    YesNo   `json:"dn,omitempty"`
	// 流量卡 (SIMFee): the period the fee is for, as the user says it ("2024-06 至 2025-06");
	// the SN is Complaint.DeviceSN.
	FeePeriod string `json:"fp,omitempty"`
	// 押金 / 服务费 (ServiceFee): the promised return conditions and whether they were met; the
	// amount paid is the deductions' total.
	ReturnTerms string `json:"rt,omitempty"`
	TermsMet    YesNo  `json:"tm,omitempty"`
	// TermsHow is what the user said with the answer to "were the conditions met?", kept in
	// their words ("达到了，三个月刷了五万多"): how they met them, or why not.
	TermsHow string `json:"th,omitempty"`
	// 费率上调 (RateIncrease): the old and new rate as percentages ("0.38%"), when it changed,
	// whether a notice came and its date.
	OldRate  string `json:"or,omitempty"`
	NewRate  string `json:"nr,omitempty"`
	RateFrom Date   `json:"rf,omitempty"` // day or month precision
	Notice   YesNo  `json:"nt,omitempty"`
	NoticeOn Date   `json:"nd,omitempty"`
}

// Signer is the complainant's name as it signs the complaint: the company's for a company,
// the person's otherwise.
func (c Complaint) Signer() string {
	if c.Complainant == Company && c.Company.Name != "" {
		return c.Company.Name
	}
	return c.Contact.Name
}

// Total is the sum of the deductions.
func (c Complaint) Total() Fen {
	var t Fen
	for _, d := range c.Deductions {
		t += d.Amount
	}
	return t
}

// HasRequest reports whether the complainant asked for k.
func (c Complaint) HasRequest(k RequestKind) bool {
	for _, r := range c.Requests {
		if r == k {
			return true
		}
	}
	return false
}

// FollowUp is a case's file after the document as its record keeps it: package followup's own
// JSON (filings, bodies, 受理编号, answers in the user's words), which flows neither reads nor
// writes and erasure drops, and what statistics keep after erasure, which followup writes with it.
type FollowUp struct {
	File      json.RawMessage `json:"f,omitempty"`
	Rung      string          `json:"r,omitempty"` // the rung reached (followup.Rung)
	Result    string          `json:"o,omitempty"` // the latest answer's result (followup.Result); "" for none
	Recovered Fen             `json:"m,omitempty"` // money refunded so far, as the complainant reported it
}
