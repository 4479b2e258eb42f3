package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
)

// benchStep is one step of the benchmark conversation: the session it starts from and the
// input applied to it.
type benchStep struct {
	name string // the state and the kind of input, e.g. "deduction_amount/text"
	s    flows.Session
	in   flows.Input
}

// benchConversation plays the typical complaint (TestConsumerLakalaDeregistration without a
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
	say := func(t string) { do(flows.Input{Kind: flows.InputText, Text: t}, "text") }
	do(flows.Input{Kind: flows.InputCommand, Command: "start"}, "command")
	press("zh-CN")
	press("agree")
	press("consumer")
	press("deregistration_fee")
	press("lakala")
	say("199元")
	say("2024年5月1日")
	press("settlement")
	press("done")
	press("not_told")
	press("first")
	say("2022-03-15")
	press("agent")
	say("业务员王某，办理时承诺“免费注销、没有任何费用”")
	say("WP 2103-4567-89")
	press("yes")
	say("2024-05-03")
	press("hotline")
	say("GD20240503001")
	say("客服称注销费是合同约定，不予退还。")
	press("none")
	say("2024年4月底我通过业务员申请注销拉卡拉POS机，5月1日发现结算款被调账扣除199元，事前没有任何人告知注销要收费，合同中也没有提示。")
	press("done")
	do(flows.Input{Kind: flows.InputAttachment, Attachments: []flows.Attachment{{Kind: flows.EvidencePhoto,
		FileID: "AgAC-photo-1", UniqueID: "uniq-1", Size: 100_001, MIME: "image/jpeg", Caption: "扣费短信截图"}}}, "photo")
	say("【拉卡拉】尊敬的商户，您的注销服务费199.00元已从结算款中扣除。")
	press("done")
	say("张三")
	say("+86 138-0013-8000")
	say("深圳")
	say("广东省深圳市南山区科技园路1号")
	press("b=0")
	press("confirm")
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
