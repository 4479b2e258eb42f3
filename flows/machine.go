package flows

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/looplab/fsm"
)

// The events of the machine. A state handler turns an input into one of these; the machine
// decides whether it is allowed here and where it leads.
const (
	evAgree         = "agree"          // consent given
	evNext          = "next"           // the answer was taken (or an optional step skipped)
	evOtherProvider = "other_provider" // the provider is not among the buttons
	evMore          = "more"           // another deduction
	evPasted        = "pasted"         // the deductions were confirmed from a pasted text
	evMerchant      = "merchant"       // a merchant goes on to the merchant details
	evYes           = "yes"
	evNo            = "no"
	evStay          = "stay" // the answer was taken and the step asks for more (a toggle, a piece of evidence)
	evOther         = "other"
	evReview        = "review" // back to the review after changing an answer
	evConfirm       = "confirm"
	evEscalate      = "escalate"
	evDecline       = "decline"
	// the Enter events of the runs of issue 12
	evCompany      = "company"       // a company's own details
	evIndividual   = "individual"    // an individual merchant's shop
	evDereg        = "dereg"         // the de-registration's facts
	evSIM          = "sim"           // the SIM fee's period
	evDeposit      = "deposit"       // a deposit's return conditions
	evRate         = "rate"          // the rate increase's facts
	evProviderAddr = "provider_addr" // the respondent's address, when the data has none
	evContactAddr  = "contact_addr"  // a person's address
	evCity         = "city"          // the city, when the address did not give it
	evDateCheck    = "date_check"    // dates out of order
)

// transition is one edge of the conversation.
type transition struct {
	event    string
	from, to State
}

// forward derives the conversation's edges from the question table, apart from the review's
// edit edges and the edges back to the review, which events derives from sections. Each
// question's answer fires its Done event to the next question; when a run of questions that
// apply only When follows, Enter leads into it and Done past it; Stays and Also add the edges
// its code fires.
func forward() []transition { return forwardOf(questions()) }

func forwardOf(qs []Question) []transition {
	var ts []transition
	for i, q := range qs {
		done := q.Done
		if done == "" {
			done = evNext
		}
		// runs may follow one another (a block: the company's questions, then the individual
		// merchant's): each run's Enter leads into it, Done past the whole block
		starts, to := runsAfter(qs, i)
		for _, r := range starts {
			ts = append(ts, transition{qs[r].Enter, q.State, qs[r].State})
		}
		if to < len(qs) && !q.Covered {
			ts = append(ts, transition{done, q.State, qs[to].State})
		}
		if q.Stays {
			ts = append(ts, transition{evStay, q.State, q.State})
		}
		for _, e := range q.Also {
			ts = append(ts, transition{e.Event, q.State, e.To})
		}
	}
	return ts
}

// runsAfter returns the first questions of the runs an answer to qs[i] may enter (those that
// start right after it, in the block of runs that follows, and that list it in From when they
// have From), and the index of the first question past the block, where Done leads. Inside a
// run, the next question is the run's own: no run starts there, and past is i+1.
func runsAfter(qs []Question, i int) (starts []int, past int) {
	to := i + 1
	for to < len(qs) && qs[to].Enter != "" {
		if qs[to].From == nil || slices.Contains(qs[to].From, qs[i].State) {
			starts = append(starts, to)
		}
		for to++; to < len(qs) && qs[to].When != nil && qs[to].Enter == ""; to++ {
		}
	}
	return starts, to
}

// Section is a group of questions the review can change as one.
type Section struct {
	Name   string  // the edit button's name, e.g. "contact"
	Start  State   // where a change begins: the question with the review line
	States []State // the questions of the section
}

// sections derives the answers the review can change, in the review's order, from the
// questions' Section and Review.
func sections() []Section { return sectionsOf(questions()) }

func sectionsOf(qs []Question) []Section {
	var out []Section
	at := map[string]int{}
	for _, q := range qs {
		if q.Section == "" {
			continue
		}
		i, ok := at[q.Section]
		if !ok {
			i = len(out)
			at[q.Section] = i
			out = append(out, Section{Name: q.Section})
		}
		out[i].States = append(out[i].States, q.State)
		if q.Review != nil {
			out[i].Start = q.State
		}
	}
	return out
}

// sectionOf returns the section a question belongs to.
func sectionOf(s State) (Section, bool) {
	sec, ok := machine().section[s]
	return sec, ok
}

// leavesSection reports whether event ev from state s leaves s's section, which during a change
// from the review means going back to the review instead.
func leavesSection(s State, ev string) bool {
	return machine().leaves[edge{ev, s}]
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
// step takes a machine of one edge instead of deriving every edge again.
type tables struct {
	// decide holds, for every event and every state it may come from, the machines of the one
	// edge a step needs to decide that event there.
	decide map[edge]*machines
	// elsewhere holds, for every event, the machines of one of its edges: from any other
	// state, such a machine refuses the event as not allowed here (fsm.InvalidEventError), as
	// the whole machine does; an event that is in neither table does not exist, which the
	// machines of unknown, with no edge, say (fsm.UnknownEventError).
	elsewhere map[string]*machines
	unknown   *machines
	section   map[State]Section
	leaves    map[edge]bool
	named     map[string]Section
	questions []Question
	index     map[State]int // a state's question in questions
	// runs holds, for a question followed by runs of questions that apply only When, each
	// run's first question, in order.
	runs map[State][]int
}

// The tables of the conversation, derived on first use and never changed. They cannot be a
// variable's initial value: the question table holds the steps' code, which reads the tables.
var (
	tablesOnce sync.Once
	theTables  tables
)

// machine returns the tables of the conversation.
func machine() *tables {
	tablesOnce.Do(func() { theTables = newTables() })
	return &theTables
}

// newTables derives the tables from the questions, events and sections.
func newTables() tables {
	t := tables{decide: map[edge]*machines{}, elsewhere: map[string]*machines{}, unknown: &machines{},
		section: map[State]Section{}, leaves: map[edge]bool{},
		named: map[string]Section{}, questions: questions(), index: map[State]int{}, runs: map[State][]int{}}
	for i, q := range t.questions {
		t.index[q.State] = i
		if starts, _ := runsAfter(t.questions, i); len(starts) > 0 {
			t.runs[q.State] = starts
		}
	}
	for _, e := range events() {
		if _, ok := t.elsewhere[e.Name]; !ok {
			t.elsewhere[e.Name] = &machines{events: fsm.Events{{Name: e.Name, Src: e.Src[:1], Dst: e.Dst}}}
		}
		for _, src := range e.Src {
			// a later edge of an event from a state replaces an earlier one, as in fsm.NewFSM
			t.decide[edge{e.Name, State(src)}] = &machines{events: fsm.Events{{Name: e.Name, Src: []string{src}, Dst: e.Dst}}}
		}
	}
	for _, sec := range sections() {
		t.named[sec.Name] = sec
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

// machines are the machines of one edge (or of none), built from events as a step needs one
// and kept for the next step: building one (fsm.NewFSM) cost each step most of what the
// machine allocates. A machine is used by one step at a time; it decides, does no I/O and has
// no callbacks.
type machines struct {
	events fsm.Events
	pool   sync.Pool // of *fsm.FSM
}

// decide moves the machine from state s by event ev and returns the state it is in then, and
// its error: fsm.NoTransitionError for an event that stays, fsm.InvalidEventError for one not
// allowed in s, fsm.UnknownEventError for one that does not exist. The machine is the whole
// machine's edge of ev from s or, when there is none, another of ev's edges, so that the
// refusal is the whole machine's.
func decide(ctx context.Context, s State, ev string) (State, error) {
	t := machine()
	ms, ok := t.decide[edge{ev, s}]
	if !ok {
		if ms, ok = t.elsewhere[ev]; !ok {
			ms = t.unknown
		}
	}
	m, _ := ms.pool.Get().(*fsm.FSM)
	if m == nil {
		m = fsm.NewFSM(string(s), ms.events, nil)
	} else {
		m.SetState(string(s))
	}
	err := m.Event(ctx, ev)
	to := State(m.Current())
	if decided(err) {
		// a machine that failed otherwise (a context cancelled during the transition) may be
		// left in the transition: it is not used again
		ms.pool.Put(m)
	}
	return to, err
}

// decided reports whether err is the machine's decision, which leaves it ready for another.
func decided(err error) bool {
	switch err.(type) { // as fsm.FSM.Event returns them, not wrapped
	case nil, fsm.NoTransitionError, fsm.InvalidEventError, fsm.UnknownEventError:
		return true
	}
	return false
}

// Diagram returns the conversation as a Mermaid state diagram. Global commands (/back,
// /cancel, /restart, /lang...) work in every state and are left out to keep the picture legible.
func Diagram() (string, error) {
	d, err := fsm.VisualizeWithType(fsm.NewFSM(string(StateConsent), events(), nil), fsm.MermaidStateDiagram)
	if err != nil {
		return "", fmt.Errorf("draw the machine: %w", err)
	}
	return d, nil
}

// question returns the question of state s, or nil for a state that is not in the table.
func (t *tables) question(s State) *Question {
	i, ok := t.index[s]
	if !ok {
		return nil
	}
	return &t.questions[i]
}

// next is the event an answer to the question of state s fires, given the answers so far:
// Enter of the first run of questions after it that applies, its Done event otherwise.
func (t *tables) next(s State, c Complaint) string {
	for _, i := range t.runs[s] {
		if r := &t.questions[i]; r.When(c) {
			return r.Enter
		}
	}
	if q := t.question(s); q != nil && q.Done != "" {
		return q.Done
	}
	return evNext
}

// previous is where /back leads from s, given the answers so far: the question's Back, the
// question before it in its run, or the nearest question before it that applies; false when
// there is nothing to go back to.
func previous(s State, c Complaint) (State, bool) {
	i, ok := machine().index[s]
	if !ok {
		return "", false
	}
	qs := machine().questions
	if qs[i].NoBack {
		return "", false
	}
	if qs[i].Back != nil {
		if to := qs[i].Back(c); to != "" {
			return to, true
		}
	}
	if qs[i].When != nil && qs[i].Enter == "" {
		// inside a run: the question before is the run's too, and it was asked
		return qs[i-1].State, true
	}
	for j := i - 1; j >= 0; j-- {
		if qs[j].When == nil || qs[j].When(c) {
			return qs[j].State, true
		}
	}
	return "", false
}

// inCase reports whether s is a question of a complaint being written (so /cancel and
// /restart have something to throw away).
func inCase(s State) bool {
	_, ok := sectionOf(s)
	return ok || s == StateReview
}
