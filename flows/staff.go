package flows

import "time"

// CaseAction is what a staff member does to an escalated case. The values travel in callback
// data and are kept in the history (StatusChange.Event), so they are strings.
type CaseAction string

// The staff actions of DOMAIN.md §6.
const (
	ActClaim   CaseAction = "claim"   // take the case: it is assigned to whoever pressed
	ActAsk     CaseAction = "ask"     // ask the complainant for more: the case waits for them
	ActResolve CaseAction = "resolve" // done
	ActReject  CaseAction = "reject"  // not taken on, with a reason the complainant is told
	ActReopen  CaseAction = "reopen"  // a resolved or rejected case is handled again
	ActNote    CaseAction = "note"    // a private note for staff, never told to the complainant
)

// CaseActions lists the staff actions in the order the case card offers them.
func CaseActions() []CaseAction {
	return []CaseAction{ActClaim, ActAsk, ActResolve, ActReject, ActReopen, ActNote}
}

// NeedsText reports whether a takes a text (the question, the reason, the note), which the
// staff member writes as their next message.
func (a CaseAction) NeedsText() bool { return a == ActAsk || a == ActReject || a == ActNote }

// CaseError is why a staff action was refused. "staff_refused_" + its value names the locales
// message that explains it, so the values are stored in the catalogs and must not change.
type CaseError string

// Error names the refusal.
func (e CaseError) Error() string { return "case action refused: " + string(e) }

// The reasons Decide refuses an action.
const (
	ErrCaseClosed       CaseError = "closed"        // resolved or rejected: reopen it first
	ErrCaseNotEscalated CaseError = "not_escalated" // never handed to staff
	ErrCaseNoChange     CaseError = "no_change"     // it would change nothing (already yours, already resolved)
	ErrCaseOpen         CaseError = "open"          // reopening a case that is not closed
	ErrCaseTextNeeded   CaseError = "text_needed"   // a question, reason or note is empty
	ErrCaseUnknown      CaseError = "unknown"       // not an action
	ErrCaseFull         CaseError = "full"          // the case's record is at its size limit
	ErrCaseMissing      CaseError = "missing"       // there is no such case
	ErrCaseUnreadable   CaseError = "unreadable"    // the case's stored record cannot be read
	ErrCaseErased       CaseError = "erased"        // asking a complainant who erased their data: nobody can answer
)

// MaxCaseNote bounds a question, reason or note kept in the history, in characters; longer
// ones are cut (the complainant still receives a question in full).
const MaxCaseNote = 500

// The bounds on what a complainant can add to a case after it was handed to staff (DOMAIN.md:
// 30 items of evidence), so that no one complainant can grow a record until it cannot be read.
const (
	// MaxCaseEvidence bounds a case's evidence items; more files still reach staff, and the
	// complainant is told they were not kept.
	MaxCaseEvidence = 30
	// MaxCaseCaptions bounds the total length of a case's evidence captions, in characters;
	// a caption beyond it is cut.
	MaxCaseCaptions = 3000
	// MaxRelaysPerHour bounds the messages and files relayed to staff per case per clock hour;
	// beyond it the complainant is told when they can write again, and nothing is relayed.
	MaxRelaysPerHour = 30
)

// MaxCasesPerDay bounds the complaints one chat finishes in a day (the users' calendar day):
// a person writes one or two, and a script repeating the conversation would otherwise fill
// Redis with case records and the staff chat with cases. The next confirm keeps the draft at
// the review and says when it can be finished.
const MaxCasesPerDay = 5

// Open reports whether staff are still handling a case in status s.
func (s Status) Open() bool {
	return s == StatusEscalated || s == StatusClaimed || s == StatusWaiting
}

// Closed reports whether a case in status s is finished: resolved or rejected.
func (s Status) Closed() bool { return s == StatusResolved || s == StatusRejected }

// Assignee returns who holds c ("staff:<id>"): whoever claimed or reopened it last, or "" when
// nobody took it since it was escalated.
func (c Complaint) Assignee() string {
	for i := len(c.History) - 1; i >= 0; i-- {
		h := c.History[i]
		switch {
		case h.Event == string(ActClaim) || h.Event == string(ActReopen):
			return h.By
		case h.Status == StatusEscalated && h.Event == "":
			return ""
		}
	}
	return ""
}

// Escalated returns when c was last handed to staff, and false if it never was.
func (c Complaint) Escalated() (time.Time, bool) {
	for i := len(c.History) - 1; i >= 0; i-- {
		if h := c.History[i]; h.Status == StatusEscalated && h.Event == "" {
			return h.At, true
		}
	}
	return time.Time{}, false
}

// Updated returns when c last changed: its last history entry, or its creation.
func (c Complaint) Updated() time.Time {
	if n := len(c.History); n > 0 {
		return c.History[n-1].At
	}
	return c.CreatedAt
}

// Decide returns the history entry that staff member by ("staff:<id>") makes by taking action
// a on c at time at, text being the question, the reason or the note of the actions that take
// one; or a CaseError when the action does not apply to c as it stands. It is pure: storage
// runs it on the stored case inside its compare-and-swap, so two staff pressing at once cannot
// both resolve a case.
func Decide(c Complaint, a CaseAction, by string, at time.Time, text string) (StatusChange, error) {
	ch := StatusChange{At: at, By: by, Event: string(a)}
	if !c.Status.Open() && !c.Status.Closed() {
		return StatusChange{}, ErrCaseNotEscalated
	}
	switch a {
	case ActClaim:
		if c.Status.Closed() {
			return StatusChange{}, ErrCaseClosed
		}
		if c.Status == StatusClaimed && c.Assignee() == by {
			return StatusChange{}, ErrCaseNoChange
		}
		ch.Status = StatusClaimed
	case ActAsk:
		if c.Status.Closed() {
			return StatusChange{}, ErrCaseClosed
		}
		if c.Chat == 0 {
			// erased (by /delete or retention): the case would wait for an answer for ever
			return StatusChange{}, ErrCaseErased
		}
		ch.Status = StatusWaiting
	case ActResolve, ActReject:
		switch {
		case c.Status == StatusResolved && a == ActResolve, c.Status == StatusRejected && a == ActReject:
			return StatusChange{}, ErrCaseNoChange
		case c.Status.Closed():
			return StatusChange{}, ErrCaseClosed
		}
		ch.Status = StatusResolved
		if a == ActReject {
			ch.Status = StatusRejected
		}
	case ActReopen:
		if !c.Status.Closed() {
			return StatusChange{}, ErrCaseOpen
		}
		ch.Status = StatusClaimed
	case ActNote:
		ch.Status = c.Status
	default:
		return StatusChange{}, ErrCaseUnknown
	}
	if a.NeedsText() {
		t, _ := CleanText(text, 0)
		if t == "" {
			return StatusChange{}, ErrCaseTextNeeded
		}
		ch.Note = truncateRunes(t, MaxCaseNote)
	}
	return ch, nil
}

// Told reports whether the complainant is told of ch: every change of a case but a private
// note.
func (ch StatusChange) Told() bool { return ch.Event != string(ActNote) }

// PendingAction is a staff member's action on a case that waits for its text (the question, the
// reason, the note): storage keeps one per staff member and case.
type PendingAction struct {
	Case   string
	Action CaseAction
	At     time.Time // when the button was pressed
}

// StaffMessage is a message the staff desk posted about a case (its evidence, its .docx, a
// relayed message, a prompt), and when: after an erasure it is deleted while Telegram allows.
type StaffMessage struct {
	ID int
	At time.Time
}

// StaffThread is where a case lives in the staff chat: the forum topic or the card that starts
// its reply thread, and how far posting it got. storage keeps it; bot reads it without
// importing storage.
type StaffThread struct {
	Chat     int64 // the staff chat it was posted to
	Topic    int   // the forum topic (message_thread_id), 0 in an ordinary group
	Card     int   // the case card's message id, 0 until it is posted
	Evidence bool  // the evidence was posted
	Document bool  // the .docx was posted
	// TopicAttempts and CardAttempts count the attempts to create the topic and post the card,
	// each recorded before Telegram is asked. More than one means an attempt may have reached
	// Telegram without being recorded (a crash in between): staff may see an earlier, empty
	// topic or an earlier card, and the one posted later says so.
	TopicAttempts, CardAttempts int
	// Replied is when the complainant last wrote to staff about the case (a relayed message).
	Replied time.Time
}

// Escalation is one delivery of an escalated case from storage's queue; storage.Escalation is
// this type, so that bot reads it without importing storage.
type Escalation struct {
	MsgID      string // the queue entry's id, for acknowledging it
	CaseID     string // the case to post to staff; the same case may come twice
	Deliveries int64  // how often the entry was delivered, this time included
}
