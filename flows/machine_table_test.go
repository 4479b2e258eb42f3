package flows

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/looplab/fsm"
)

// TestMachineTablesDecideAsWholeMachine checks that the machine a step takes from the
// precomputed tables decides every event in every state as the whole machine built from
// events() does: the same next state, and the same kind of refusal, also when the machine was
// used before (or left by a cancelled context); and that the other tables say what sections()
// and forward() say.
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
	outcome := func(to string, err error) string {
		var stay fsm.NoTransitionError
		var notHere fsm.InvalidEventError
		var unknown fsm.UnknownEventError
		switch {
		case err == nil:
			return "moved to " + to
		case errors.As(err, &stay):
			return "stayed in " + to
		case errors.As(err, &notHere):
			return "not here"
		case errors.As(err, &unknown):
			return "unknown event"
		}
		return fmt.Sprintf("%T", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for s := range states {
		for ev := range names {
			whole := fsm.NewFSM(s, events(), nil)
			err := whole.Event(ctx, ev)
			want := outcome(whole.Current(), err)
			for i := range 3 {
				if i == 1 {
					decide(cancelled, State(s), ev) // whatever it says, the next is right
				}
				to, err := decide(ctx, State(s), ev)
				if got := outcome(string(to), err); got != want {
					t.Errorf("%s from %q (decision %d): %s, the whole machine: %s", ev, s, i, got, want)
				}
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
