package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/internal/script"
)

// benchStep is one step of the benchmark conversation: the session it starts from and the
// input applied to it.
type benchStep struct {
	name string // the state and the kind of input, e.g. "deduction_amount/text"
	s    flows.Session
	in   flows.Input
}

// benchConversation plays the typical complaint (the shared script consumer-lakala, without a
// staff chat) and returns every step with the session it started from. A press finds its
// button among the previous step's replies, as a user would.
func benchConversation(b *testing.B) []benchStep {
	b.Helper()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s := flows.NewSession(1001)
	var last []flows.Reply
	var steps []benchStep
	do := func(in flows.Input, kind string) {
		b.Helper()
		in.User, in.LanguageCode, in.Now, in.NoEscalation = 1001, "zh-hans", now, true
		steps = append(steps, benchStep{name: string(s.State) + "/" + kind, s: s, in: in})
		res, err := flows.Step(context.Background(), s, in)
		if err != nil {
			b.Fatal(err)
		}
		if res.Complaint() != nil {
			res.Session.LastCase = "C-000001"
		}
		s, last = res.Session, res.Replies
	}
	press := func(action string) {
		b.Helper()
		for _, r := range last {
			for _, c := range r.Choices {
				if strings.HasSuffix(c.Data, ":"+action) {
					do(flows.Input{Kind: flows.InputButton, Data: c.Data}, "button")
					return
				}
			}
		}
		b.Fatalf("no button %q in state %s", action, s.State)
	}
	for _, a := range script.MustLoad("consumer-lakala", nil).Actions {
		switch a.Verb {
		case script.Say:
			if name, args, ok := a.Command(); ok {
				do(flows.Input{Kind: flows.InputCommand, Command: name, Args: args}, "command")
			} else {
				do(flows.Input{Kind: flows.InputText, Text: a.Arg}, "text")
			}
		case script.Press:
			press(a.Arg)
		case script.Photo:
			do(flows.Input{Kind: flows.InputAttachment, Attachments: []flows.Attachment{{Kind: flows.EvidencePhoto,
				FileID: "AgAC-photo-1", UniqueID: "uniq-1", Size: 100_001, MIME: "image/jpeg", Caption: a.Arg}}}, "photo")
		default:
			b.Fatalf("%s: the benchmark cannot play %s", a.Where, a.Verb)
		}
	}
	if s.State != flows.StateClosed {
		b.Fatalf("the conversation ended in %s", s.State)
	}
	return steps
}

// BenchmarkStep measures flows.Step in every state of the typical complaint, one sub-benchmark
// per step ("<state>/<input kind>"; a state met twice gets a number).
func BenchmarkStep(b *testing.B) {
	ctx := context.Background()
	seen := map[string]int{}
	for _, st := range benchConversation(b) {
		name := st.name
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s#%d", name, seen[name])
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := flows.Step(ctx, st.s, st.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConversation measures a whole complaint, 33 steps; ns/step is the mean of a step.
func BenchmarkConversation(b *testing.B) {
	ctx := context.Background()
	steps := benchConversation(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, st := range steps {
			if _, err := flows.Step(ctx, st.s, st.in); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(steps)), "ns/step")
}
