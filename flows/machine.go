package flows

import (
	"fmt"

	"github.com/looplab/fsm"
)

// The events of the machine. A state handler turns an input into one of these; the machine
// decides whether it is allowed here and where it leads.
const (
	evLanguage      = "language"       // a language was picked
	evAgree         = "agree"          // consent given
	evNext          = "next"           // the answer was taken (or an optional step skipped)
	evOtherProvider = "other_provider" // the provider is not among the buttons
	evMore          = "more"           // another deduction
	evMerchant      = "merchant"       // a merchant goes on to the merchant details
	evYes           = "yes"
	evNo            = "no"
	evStay          = "stay" // the answer was taken and the step asks for more (a toggle, a piece of evidence)
	evOther         = "other"
	evReview        = "review" // back to the review after changing an answer
	evConfirm       = "confirm"
	evEscalate      = "escalate"
	evDecline       = "decline"
)

// transition is one edge of the conversation.
type transition struct {
	event    string
	from, to State
}

// forward lists the conversation's edges, apart from the review's edit edges and the edges back
// to the review, which are derived from sections.
func forward() []transition {
	return []transition{
		{evLanguage, StateLanguage, StateConsent},
		{evAgree, StateConsent, StateComplainant},
		{evNext, StateComplainant, StateCharge},
		{evNext, StateCharge, StateProvider},
		{evNext, StateProvider, StateAmount},
		{evOtherProvider, StateProvider, StateProviderName},
		{evNext, StateProviderName, StateAmount},
		{evNext, StateAmount, StateDeductionDate},
		{evNext, StateDeductionDate, StateMethod},
		{evNext, StateMethod, StateMoreDeductions},
		{evMore, StateMoreDeductions, StateAmount},
		{evStay, StateMoreDeductions, StateMoreDeductions},
		{evNext, StateMoreDeductions, StateDisclosure},
		{evNext, StateDisclosure, StateLearned},
		{evNext, StateLearned, StateContractDate},
		{evNext, StateContractDate, StateContractChan},
		{evNext, StateContractChan, StateAgent},
		{evNext, StateAgent, StateDevice},
		{evNext, StateDevice, StateNegotiated},
		{evMerchant, StateDevice, StateMerchantName},
		{evNext, StateMerchantName, StateMerchantNumber},
		{evNext, StateMerchantNumber, StateNegotiated},
		{evYes, StateNegotiated, StateNegDate},
		{evNo, StateNegotiated, StateProceedings},
		{evNext, StateNegDate, StateNegChannel},
		{evNext, StateNegChannel, StateNegTicket},
		{evNext, StateNegTicket, StateNegReply},
		{evNext, StateNegReply, StateProceedings},
		{evNext, StateProceedings, StateDescription},
		{evNext, StateDescription, StateRequests},
		{evStay, StateRequests, StateRequests},
		{evNext, StateRequests, StateEvidence},
		{evOther, StateRequests, StateOtherRequest},
		{evNext, StateOtherRequest, StateEvidence},
		{evStay, StateEvidence, StateEvidence},
		{evNext, StateEvidence, StateContactName},
		{evNext, StateContactName, StateContactPhone},
		{evNext, StateContactPhone, StateContactCity},
		{evNext, StateContactCity, StateContactAddress},
		{evNext, StateContactAddress, StateBody},
		{evNext, StateBody, StateReview},
		{evConfirm, StateReview, StateSubmitted},
		{evEscalate, StateSubmitted, StateClosed},
		{evDecline, StateSubmitted, StateClosed},
	}
}

// Section is a group of questions the review can change as one.
type Section struct {
	Name   string  // the edit button's name, e.g. "contact"
	Start  State   // where a change begins
	States []State // the questions of the section
}

// sections lists the answers the review can change, in the review's order.
func sections() []Section {
	return []Section{
		{"complainant", StateComplainant, []State{StateComplainant}},
		{"charge", StateCharge, []State{StateCharge}},
		{"provider", StateProvider, []State{StateProvider, StateProviderName}},
		{"deductions", StateMoreDeductions, []State{StateAmount, StateDeductionDate, StateMethod, StateMoreDeductions}},
		{"disclosure", StateDisclosure, []State{StateDisclosure}},
		{"learned", StateLearned, []State{StateLearned}},
		{"contract", StateContractDate, []State{StateContractDate, StateContractChan}},
		{"agent", StateAgent, []State{StateAgent}},
		{"device", StateDevice, []State{StateDevice}},
		{"merchant", StateMerchantName, []State{StateMerchantName, StateMerchantNumber}},
		{"negotiation", StateNegotiated, []State{StateNegotiated, StateNegDate, StateNegChannel, StateNegTicket, StateNegReply}},
		{"proceedings", StateProceedings, []State{StateProceedings}},
		{"description", StateDescription, []State{StateDescription}},
		{"requests", StateRequests, []State{StateRequests, StateOtherRequest}},
		{"evidence", StateEvidence, []State{StateEvidence}},
		{"contact", StateContactName, []State{StateContactName, StateContactPhone, StateContactCity, StateContactAddress}},
		{"body", StateBody, []State{StateBody}},
	}
}

// sectionOf returns the section a question belongs to.
func sectionOf(s State) (Section, bool) {
	sec, ok := machine.section[s]
	return sec, ok
}

// leavesSection reports whether event ev from state s leaves s's section, which during a change
// from the review means going back to the review instead.
func leavesSection(s State, ev string) bool {
	return machine.leaves[edge{ev, s}]
}

// leaves computes leavesSection from the tables.
func leaves(s State, ev string) bool {
	sec, ok := sectionOfTable(s)
	if !ok {
		return false
	}
	for _, t := range forward() {
		if t.from != s || t.event != ev {
			continue
		}
		for _, st := range sec.States {
			if st == t.to {
				return false
			}
		}
		return true
	}
	return false
}

// sectionOfTable computes sectionOf from sections.
func sectionOfTable(s State) (Section, bool) {
	for _, sec := range sections() {
		for _, st := range sec.States {
			if st == s {
				return sec, true
			}
		}
	}
	return Section{}, false
}

// events builds the machine's event table: the forward edges, an edit edge from the review to
// each section, and an edge back to the review from every question that can leave its section.
func events() fsm.Events {
	var evs fsm.Events
	toReview := []string{}
	seen := map[State]bool{}
	for _, t := range forward() {
		evs = append(evs, fsm.EventDesc{Name: t.event, Src: []string{string(t.from)}, Dst: string(t.to)})
		if !seen[t.from] && leaves(t.from, t.event) {
			seen[t.from] = true
			toReview = append(toReview, string(t.from))
		}
	}
	for _, sec := range sections() {
		evs = append(evs, fsm.EventDesc{Name: "edit_" + sec.Name, Src: []string{string(StateReview)}, Dst: string(sec.Start)})
	}
	evs = append(evs, fsm.EventDesc{Name: evReview, Src: toReview, Dst: string(StateReview)})
	return evs
}

// edge is an event from a state.
type edge struct {
	event string
	from  State
}

// tables is what the machine is built from, derived once from forward and sections, so that a
// step builds its machine in about a microsecond instead of deriving every edge again.
type tables struct {
	// decide holds, for every event and every state it may come from, the one edge a step's
	// machine needs to decide that event there.
	decide map[edge]fsm.Events
	// elsewhere holds, for every event, one of its edges: from any other state, the machine
	// built from it refuses the event as not allowed here (fsm.InvalidEventError), as the
	// whole machine does; an event that is in neither table does not exist
	// (fsm.UnknownEventError).
	elsewhere map[string]fsm.Events
	section   map[State]Section
	leaves    map[edge]bool
}

// machine is the tables of the conversation; it never changes.
var machine = newTables()

// newTables derives the tables from events and sections.
func newTables() tables {
	t := tables{decide: map[edge]fsm.Events{}, elsewhere: map[string]fsm.Events{},
		section: map[State]Section{}, leaves: map[edge]bool{}}
	for _, e := range events() {
		if _, ok := t.elsewhere[e.Name]; !ok {
			t.elsewhere[e.Name] = fsm.Events{{Name: e.Name, Src: e.Src[:1], Dst: e.Dst}}
		}
		for _, src := range e.Src {
			// a later edge of an event from a state replaces an earlier one, as in fsm.NewFSM
			t.decide[edge{e.Name, State(src)}] = fsm.Events{{Name: e.Name, Src: []string{src}, Dst: e.Dst}}
		}
	}
	for _, sec := range sections() {
		for _, st := range sec.States {
			t.section[st] = sec
		}
	}
	for _, tr := range forward() {
		if leaves(tr.from, tr.event) {
			t.leaves[edge{tr.event, tr.from}] = true
		}
	}
	return t
}

// newMachine builds the machine at state s that decides event ev: the whole machine's edge of
// ev from s, or when there is none, another of ev's edges so that the refusal is the whole
// machine's. It decides; it does no I/O and has no callbacks.
func newMachine(s State, ev string) *fsm.FSM {
	evs, ok := machine.decide[edge{ev, s}]
	if !ok {
		evs = machine.elsewhere[ev]
	}
	return fsm.NewFSM(string(s), evs, nil)
}

// Diagram returns the conversation as a Mermaid state diagram. Global commands (/back,
// /cancel, /restart, /lang...) work in every state and are left out to keep the picture legible.
func Diagram() (string, error) {
	d, err := fsm.VisualizeWithType(fsm.NewFSM(string(StateLanguage), events(), nil), fsm.MermaidStateDiagram)
	if err != nil {
		return "", fmt.Errorf("draw the machine: %w", err)
	}
	return d, nil
}

// previous is where /back leads from s, given the answers so far; false when there is nothing
// to go back to.
func previous(s State, c Complaint) (State, bool) {
	switch s {
	case StateConsent:
		return StateLanguage, true
	case StateComplainant:
		return StateConsent, true
	case StateCharge:
		return StateComplainant, true
	case StateProvider:
		return StateCharge, true
	case StateProviderName:
		return StateProvider, true
	case StateAmount:
		if len(c.Deductions) > 0 {
			return StateMoreDeductions, true
		}
		if c.Provider.Key == "" && c.Provider.Name != "" {
			return StateProviderName, true
		}
		return StateProvider, true
	case StateDeductionDate:
		return StateAmount, true
	case StateMethod:
		return StateDeductionDate, true
	case StateMoreDeductions:
		return StateMethod, true
	case StateDisclosure:
		return StateMoreDeductions, true
	case StateLearned:
		return StateDisclosure, true
	case StateContractDate:
		return StateLearned, true
	case StateContractChan:
		return StateContractDate, true
	case StateAgent:
		return StateContractChan, true
	case StateDevice:
		return StateAgent, true
	case StateMerchantName:
		return StateDevice, true
	case StateMerchantNumber:
		return StateMerchantName, true
	case StateNegotiated:
		if c.Complainant != Consumer && c.Complainant != "" {
			return StateMerchantNumber, true
		}
		return StateDevice, true
	case StateNegDate:
		return StateNegotiated, true
	case StateNegChannel:
		return StateNegDate, true
	case StateNegTicket:
		return StateNegChannel, true
	case StateNegReply:
		return StateNegTicket, true
	case StateProceedings:
		if c.Negotiation.Tried {
			return StateNegReply, true
		}
		return StateNegotiated, true
	case StateDescription:
		return StateProceedings, true
	case StateRequests:
		return StateDescription, true
	case StateOtherRequest:
		return StateRequests, true
	case StateEvidence:
		if c.HasRequest(RequestOther) {
			return StateOtherRequest, true
		}
		return StateRequests, true
	case StateContactName:
		return StateEvidence, true
	case StateContactPhone:
		return StateContactName, true
	case StateContactCity:
		return StateContactPhone, true
	case StateContactAddress:
		return StateContactCity, true
	case StateBody:
		return StateContactAddress, true
	case StateReview:
		return StateBody, true
	}
	return "", false
}

// inCase reports whether s is a question of a complaint being written (so /cancel and
// /restart have something to throw away).
func inCase(s State) bool {
	_, ok := sectionOf(s)
	return ok || s == StateReview
}
