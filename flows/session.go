package flows

import (
	"time"

	"complaintbot/providers"
)

// Session is one chat's conversation between updates. Storage keeps it; Step changes it.
type Session struct {
	Chat    int64   `json:"c"`
	Version int64   `json:"v,omitempty"` // storage's optimistic-lock counter; Step leaves it alone
	State   State   `json:"s"`
	Lang    Lang    `json:"l,omitempty"`
	Editing bool    `json:"e,omitempty"` // changing one answer from the review
	Pending Pending `json:"p,omitempty"` // a yes/no question asked on top of the state
	Prompt  int     `json:"n,omitempty"` // counts prompts; a press of a button from an older one is stale
	// Consented is set once the user accepted the privacy notice; /delete clears it.
	Consented bool `json:"ok,omitempty"`
	// Pend is the deduction being written, until its last question is answered.
	Pend Deduction `json:"pd,omitzero"`
	// EvFrom is the index of the first evidence item of the last batch the user sent: the
	// items a date given next applies to.
	EvFrom   int    `json:"ef,omitempty"`
	LastCase string `json:"lc,omitempty"` // the id of the last finished complaint; storage sets it
	// NoReport: the last finished complaint is about a fee the user was told of, for which a
	// 举报 of an unmarked fee does not fit (ReportFits), so its 举报信 is not offered.
	NoReport bool `json:"nr,omitempty"`
	// Waiting is the case whose staff asked this user for more, or wrote to them. While it is
	// set, what the user types or sends in the submitted and closed states goes to staff
	// (EffectRelay), files joining the case's evidence. storage sets and clears it as staff act
	// on the case.
	Waiting string `json:"w,omitempty"`
	// HandedOver is the last case this user handed to staff: "转人工" typed after the document
	// then says staff have it, instead of offering to hand it over again.
	HandedOver string `json:"ho,omitempty"`
	// Follow is the follow-up question (package followup) whose answer the user is to type:
	// the date of a filing, its 受理编号, a partial refund's amount, a refusal's reason. nil
	// when none waits. Step keeps it; the adapter routes typed text to followup while it is set.
	Follow *FollowAsk `json:"fo,omitempty"`
	// RelayHour and Relays count what was relayed to staff in the clock hour RelayHour (Unix
	// hours), against MaxRelaysPerHour.
	RelayHour int64 `json:"rh,omitempty"`
	Relays    int   `json:"rn,omitempty"`
	// CaseDay and Cases count the complaints finished on the day CaseDay (yyyymmdd, in the
	// users' zone), against MaxCasesPerDay. /delete keeps them (they say nothing about the
	// user), so that erasing does not lift the bound.
	CaseDay int       `json:"cd,omitempty"`
	Cases   int       `json:"cn,omitempty"`
	Draft   Complaint `json:"d"`

	// Offer is what was read from a pasted text or a screenshot, shown and waiting for the
	// user's confirmation; any other input drops it.
	Offer *Offer `json:"of,omitempty"`
	// Queue holds confirmed deductions still missing a date or a method: each becomes Pend in
	// turn and only its missing questions are asked (PendPasted).
	Queue      []Deduction `json:"qd,omitempty"`
	PendPasted bool        `json:"pp,omitempty"`
	// Filled lists the questions whose answers a confirmed offer gave: the machine passes each
	// by once (Question.Skip).
	Filled []State `json:"fl,omitempty"`
	// BodyAuto: the receiving body is the route's first, taken for the user, not one they
	// picked or typed; a change from the review (the provider, who complains) takes the new
	// route's first.
	BodyAuto bool `json:"ba,omitempty"`
}

// Pending is a confirmation asked on top of the current state.
type Pending string

// The confirmations.
const (
	PendingNone    Pending = ""
	PendingCancel  Pending = "cancel"
	PendingRestart Pending = "restart"
	PendingDelete  Pending = "delete"
)

// retired maps the states of questions folded into others to where a session stored at one
// goes on: the language is picked on the privacy notice, and a consumer is told that a payee
// is a merchant in law with the charge question.
var retired = map[State]State{"language": StateConsent, "consumer_check": StateCharge}

// NewSession returns the session of a chat that has not talked to the bot yet.
func NewSession(chat int64) Session {
	return Session{Chat: chat, State: StateConsent, Draft: Complaint{Chat: chat}}
}

// InputKind tells what an Input carries.
type InputKind string

// The kinds of input.
const (
	InputText       InputKind = "text"       // a typed message
	InputButton     InputKind = "button"     // a press of an inline button; Data holds its callback data
	InputCommand    InputKind = "command"    // "/start" and the like; Command without the slash, Args the rest
	InputAttachment InputKind = "attachment" // one or more files (an album arrives as one batch)
	InputOther      InputKind = "other"      // a sticker, voice, location...: something we cannot use here
	// InputReading is the text read from a screenshot the user sent as evidence, off the
	// update's path: Text is the text, Data the evidence item's unique id. It is shown as an
	// offer only while the user is still at the evidence step, once per item.
	InputReading InputKind = "reading"
)

// Input is one thing the user did, already taken out of its transport.
type Input struct {
	Kind         InputKind
	Text         string       // the message text (InputText)
	Data         string       // callback data (InputButton)
	Command      string       // "start", "lang"... (InputCommand)
	Args         string       // what follows the command
	Attachments  []Attachment // InputAttachment
	User         int64        // the Telegram user id
	LanguageCode string       // the user's Telegram language code, e.g. "zh-hans" or "en"
	Now          time.Time    // the time of the update, in the user's zone (Asia/Shanghai)
	// NoEscalation tells Step that no staff chat is configured, so the user is not offered
	// escalation and is told so.
	NoEscalation bool
	// SessionDays and RetentionDays are the storage's periods the privacy notice states: how
	// long an idle conversation is kept (SESSION_TTL) and how long a closed case keeps its
	// personal fields (CASE_RETENTION); DefaultSessionDays and DefaultRetentionDays when zero.
	SessionDays, RetentionDays int
	// Providers is the provider data the operator configured (providers.Load of PROVIDERS_FILE),
	// set by the adapter from its wiring; nil means the embedded data (providers.Embedded).
	Providers *providers.List
	// Labels renders the buttons' labels as the user sees them (locales.Catalog), so that a
	// label typed instead of pressed ("达到了", "✅ 全部加入") presses its button; nil: only the
	// words of typed.go are read.
	Labels Labeler
}

// Labeler renders a button's label in a language; locales.Catalog implements it.
type Labeler interface {
	Label(lang Lang, c Choice, escape func(string) string) (string, error)
}

// Attachment is a file the user sent, by reference.
type Attachment struct {
	Kind         EvidenceKind // EvidencePhoto or EvidenceDocument
	FileID       string
	UniqueID     string
	Size         int64
	MIME         string
	FileName     string
	Caption      string
	MediaGroupID string
}

// Choice is one button.
type Choice struct {
	Key  string // names a locales message for the label
	Args map[string]any
	Data string // the callback data; under 64 bytes
}

// Reply is one message to send.
type Reply struct {
	Key     string         // names a locales message
	Args    map[string]any // values for the message
	Choices []Choice       // buttons, each carrying the event it triggers
	// Document asks the adapter to send the finished complaint here, as text and as a .docx.
	Document bool
}

// EffectKind names work that needs storage.
type EffectKind string

// The effects.
const (
	// EffectStore keeps Effect.Complaint as a new case (status submitted); storage gives it its id
	// and sets Session.LastCase, in the same commit as the session.
	EffectStore EffectKind = "store"
	// EffectEscalate hands case Effect.CaseID to staff (status escalated, queued for the staff
	// chat), in the same commit as the session.
	EffectEscalate EffectKind = "escalate"
	// EffectErase erases everything personal the chat left: its session, its personal fields in
	// its cases, its indexes.
	EffectErase EffectKind = "erase"
	// EffectAddEvidence adds Effect.Evidence to the finished case Effect.CaseID: files the user
	// sent after the complaint was produced, for instance because staff asked for more.
	EffectAddEvidence EffectKind = "add_evidence"
	// EffectListCases asks the adapter to tell the user their cases and their status.
	EffectListCases EffectKind = "list_cases"
	// EffectRelay asks the adapter to pass the message this input came from to the staff
	// handling case Effect.CaseID (Session.Waiting). Nothing is stored for it.
	EffectRelay EffectKind = "relay"
	// EffectLetter asks the adapter to send a letter of the finished case Effect.CaseID (the
	// session's LastCase when empty): Effect.Letter names which. Nothing is stored for it.
	EffectLetter EffectKind = "letter"
)

// Letter is a document of a finished case the user may ask for after it is produced.
type Letter string

// The letters offered after the 投诉书's .docx.
const (
	// LetterComplaintText is the 投诉书's full text, in the chat, for those who want to read it
	// there rather than open the .docx.
	LetterComplaintText Letter = "complaint_text"
	// LetterReport is the 举报信: the unmarked fee reported to the market regulator as a price
	// violation (DOMAIN.md §2), as text and .docx.
	LetterReport Letter = "report"
)

// Effect is one piece of work for the adapters.
type Effect struct {
	Kind      EffectKind
	Complaint *Complaint // EffectStore
	CaseID    string     // EffectEscalate, EffectAddEvidence, EffectRelay
	Evidence  []Evidence // EffectAddEvidence
	Letter    Letter     // EffectLetter
}

// Result is what one Step produced.
type Result struct {
	Session Session // the next session, to commit
	Replies []Reply
	Effects []Effect
}

// Complaint returns the complaint the step finished, or nil.
func (r Result) Complaint() *Complaint {
	for _, e := range r.Effects {
		if e.Kind == EffectStore {
			return e.Complaint
		}
	}
	return nil
}

// Committed is what storage reports after committing a step's result.
type Committed struct {
	Session   Session // the session as written, with its new version and LastCase
	CaseID    string  // the id given to the complaint the step finished, if any
	Duplicate bool    // the update was applied before; nothing was changed
	// Replayed marks a duplicate whose Result carries the replies its first commit kept, for the
	// adapter to send again: the process that committed it may have died before sending them.
	Replayed bool
}

// FollowAsk is a follow-up question waiting for a typed answer. Its values belong to package
// followup, which asks them; they are stored, so they are strings.
type FollowAsk struct {
	Case   string `json:"c"`           // the case asked about
	Ask    string `json:"a"`           // what the text answers, e.g. "date", "ref", "amount", "reason"
	Filing int    `json:"f,omitempty"` // the filing it is about
	Rung   string `json:"r,omitempty"` // the rung a filing is being recorded for
	Date   Date   `json:"d,omitempty"` // the day of the filing whose rung is asked (followup.AskRung)
	// Ref is the filing's 受理编号, typed with it before its day or rung was known
	// (followup.AskDate, followup.AskRung): kept for the filing once they are answered.
	Ref string `json:"n,omitempty"`
}
