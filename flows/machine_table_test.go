package flows

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/looplab/fsm"
)

// TestMachineTablesDecideAsWholeMachine checks that the machine a step builds from the
// precomputed tables decides every event in every state as the whole machine built from
// events() does: the same next state, and the same kind of refusal; and that the other tables
// say what sections() and forward() say.
func TestMachineTablesDecideAsWholeMachine(t *testing.T) {
	ctx := context.Background()
	states := map[string]bool{"no_such_state": true, "": true}
	names := map[string]bool{"no_such_event": true}
	for _, e := range events() {
		names[e.Name] = true
		states[e.Dst] = true
		for _, s := range e.Src {
			states[s] = true
		}
	}
	outcome := func(m *fsm.FSM, ev string) string {
		err := m.Event(ctx, ev)
		var stay fsm.NoTransitionError
		var notHere fsm.InvalidEventError
		var unknown fsm.UnknownEventError
		switch {
		case err == nil:
			return "moved to " + m.Current()
		case errors.As(err, &stay):
			return "stayed in " + m.Current()
		case errors.As(err, &notHere):
			return "not here"
		case errors.As(err, &unknown):
			return "unknown event"
		}
		return fmt.Sprintf("%T", err)
	}
	for s := range states {
		for ev := range names {
			want := outcome(fsm.NewFSM(s, events(), nil), ev)
			if got := outcome(newMachine(State(s), ev), ev); got != want {
				t.Errorf("%s from %q: %s, the whole machine: %s", ev, s, got, want)
			}
		}
	}
	for _, tr := range forward() {
		if leavesSection(tr.from, tr.event) != leaves(tr.from, tr.event) {
			t.Errorf("leavesSection(%s, %s) differs from the derivation", tr.from, tr.event)
		}
	}
	for _, sec := range sections() {
		for _, st := range sec.States {
			if got, ok := sectionOf(st); !ok || got.Name != sec.Name {
				t.Errorf("sectionOf(%s) = %v, %v; want %s", st, got.Name, ok, sec.Name)
			}
		}
	}
}
