package storage

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
)

// anonymousByNature are the plain text fields that say nothing about the person: the
// provider's key, the case id, an evidence item's file type, who changed a case's status and by
// which action, and the rung and result of its case file. Every other text of a complaint, and
// every personal number, is personal, whatever the question table says: a provider's name and
// the receiving body may be typed (or made from a place the user gave), and a known provider's
// name comes back from its key. The test below fails when a field's entry is wrongly marked
// anonymous (and when one of these is wrongly marked personal).
var anonymousByNature = map[string]bool{
	"Provider.Key": true, "ID": true,
	"Evidence.MIME": true, "Evidence.Size": true, "History.By": true, "History.Event": true,
	"FollowUp.Rung": true, "FollowUp.Result": true, // the case file's rung and result: values of package followup
	"Facts.OldRate": true, "Facts.NewRate": true, // rates as flows.ParseRate writes them: digits and a %
}

// marker is a value planted in one field.
type marker struct {
	path, value string
}

// plantMarkers fills every plain string and int64 field under every field the question table
// classes (flows.Fields), two elements to each slice of structs, with a unique marker, and
// returns the markers. The chat id stays: storage indexes the case by it. The id is storage's.
func plantMarkers(c *flows.Complaint) []marker {
	var ms []marker
	seed := 913570000
	var plant func(v reflect.Value, path string)
	plant = func(v reflect.Value, path string) {
		switch {
		case v.Kind() == reflect.Struct && v.Type().PkgPath() == reflect.TypeOf(flows.Complaint{}).PkgPath():
			for i := range v.NumField() {
				plant(v.Field(i), strings.TrimPrefix(path+"."+v.Type().Field(i).Name, "."))
			}
		case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for i := range 2 {
				plant(v.Index(i), path)
			}
		case v.Type() == reflect.TypeOf(""):
			seed++
			m := fmt.Sprintf("MK%dX", seed)
			v.SetString(m)
			ms = append(ms, marker{path, m})
		case v.Type() == reflect.TypeOf(int64(0)):
			seed++
			v.SetInt(int64(seed))
			ms = append(ms, marker{path, strconv.Itoa(seed)})
		}
	}
	root := reflect.ValueOf(c).Elem()
	done := map[string]bool{}
	for _, f := range flows.Fields() {
		top, _, _ := strings.Cut(f.Path, ".")
		if done[top] || top == "Chat" || top == "ID" {
			continue
		}
		done[top] = true
		plant(root.FieldByName(top), top)
	}
	return ms
}

// TestErasureByAllowList plants a unique marker in every free-text and personal field of the
// question table (found by walking the table, so a new field is covered without editing this
// test), keeps a complaint and a draft full of them, runs /delete through flows.Step, and
// scans the whole keyspace: no personal marker may remain anywhere, and the anonymous ones must.
func TestErasureByAllowList(t *testing.T) {
	clk := newClock()
	r := realRedis(t, Options{Now: clk.now})
	ctx := testCtx(t)
	c := flows.Complaint{Chat: testChat, Lang: flows.LangZH, Complainant: flows.Consumer, Charge: flows.SIMFee,
		Status: flows.StatusSubmitted, CreatedAt: clk.now()}
	ms := plantMarkers(&c)
	if len(ms) < 20 {
		t.Fatalf("only %d markers planted: %v", len(ms), ms)
	}
	draft := c
	for i, step := range []func(flows.Session) (flows.Result, error){
		storeStep(c),
		func(s flows.Session) (flows.Result, error) { // the next complaint, half written
			s.State, s.Draft, s.Consented = flows.StateContactPhone, draft, true
			return flows.Result{Session: s}, nil
		},
	} {
		if _, _, err := r.Apply(ctx, testChat, int64(201+i), step); err != nil {
			t.Fatal(err)
		}
	}
	keyspace := func() string {
		var b strings.Builder
		for k, v := range dump(t, r) {
			b.WriteString(k + "\n" + v + "\n")
		}
		return b.String()
	}
	before := keyspace()
	for _, m := range ms {
		if !strings.Contains(before, m.value) {
			t.Fatalf("before erasure the keyspace lacks %s's marker %s: the search cannot find it", m.path, m.value)
		}
	}

	user := func(in flows.Input) func(flows.Session) (flows.Result, error) {
		return func(s flows.Session) (flows.Result, error) {
			in.Now, in.User = clk.now(), testUser
			if in.Kind == flows.InputButton {
				in.Data = strconv.Itoa(s.Prompt) + ":" + in.Data
			}
			return flows.Step(ctx, s, in)
		}
	}
	for i, in := range []flows.Input{{Kind: flows.InputCommand, Command: "delete"}, {Kind: flows.InputButton, Data: "!yes"}} {
		res, _, err := r.Apply(ctx, testChat, int64(203+i), user(in))
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && (len(res.Replies) != 1 || res.Replies[0].Key != "deleted") {
			t.Fatalf("/delete confirmed: replies %+v", res.Replies)
		}
	}

	var after string
	for deadline := time.Now().Add(20 * time.Second); ; { // the outbox's flush scrubs the case; wait for it
		after = keyspace()
		left := false
		for _, m := range ms {
			left = left || !anonymousByNature[m.path] && strings.Contains(after, m.value)
		}
		if !left || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, m := range ms {
		switch kept := strings.Contains(after, m.value); {
		case kept && !anonymousByNature[m.path]:
			t.Errorf("after /delete %s (%s) is still in the keyspace: is its entry wrongly Anonymous?", m.path, m.value)
		case !kept && anonymousByNature[m.path]:
			t.Errorf("after /delete the anonymous %s (%s) is gone: staff can no longer count it", m.path, m.value)
		}
	}
}

// TestErasureKeepsTheDaysCases: the session an erasure leaves keeps the language, the day's
// count of finished complaints (flows.MaxCasesPerDay: /delete does not lift the bound) and the
// prompt counter (the erased conversation's buttons stay stale in the next one), and nothing
// else.
func TestErasureKeepsTheDaysCases(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	erase := func(s flows.Session) (flows.Result, error) {
		s.Lang, s.CaseDay, s.Cases, s.Consented, s.Prompt = flows.LangEN, 20261121, flows.MaxCasesPerDay, true, 17
		s.Draft.Contact.Name = "张三"
		return flows.Result{Session: s, Effects: []flows.Effect{{Kind: flows.EffectErase}}}, nil
	}
	if _, _, err := r.Apply(ctx, testChat, 401, erase); err != nil {
		t.Fatal(err)
	}
	s, err := r.Load(ctx, testChat)
	if err != nil {
		t.Fatal(err)
	}
	if s.Lang != flows.LangEN || s.CaseDay != 20261121 || s.Cases != flows.MaxCasesPerDay {
		t.Errorf("after the erasure: lang %q, day %d, cases %d", s.Lang, s.CaseDay, s.Cases)
	}
	if s.Prompt != 17 {
		t.Errorf("after the erasure the prompt counter is %d, want 17: the erased conversation's buttons are current again", s.Prompt)
	}
	if s.Consented || s.Draft.Contact.Name != "" {
		t.Errorf("the erasure kept more: %+v", s)
	}
}
