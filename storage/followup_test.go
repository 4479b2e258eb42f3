package storage

import (
	"errors"
	"sync"
	"testing"

	"complaintbot/flows"
)

// TestChangeFollowUp: the case file is written into the record, a concurrent change of the
// record (a staff action) is kept and decide runs again on it, a decision not to change writes
// nothing, and an erased case refuses.
func TestChangeFollowUp(t *testing.T) {
	r := realRedis(t, Options{})
	ctx := testCtx(t)
	c := flows.Complaint{Chat: testChat, Lang: flows.LangZH, Complainant: flows.Consumer, Charge: flows.SIMFee,
		Deductions: []flows.Deduction{{Date: "2025-01-01", Amount: 9900}}, Contact: flows.Contact{Name: "张三"}}
	_, com, err := r.Apply(ctx, testChat, 1, storeStep(c))
	if err != nil {
		t.Fatal(err)
	}
	id := com.CaseID

	// two changes at once, each adding to what it read: both land
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			_, err := r.ChangeFollowUp(ctx, id, func(k flows.Complaint) (flows.FollowUp, bool, error) {
				fu := k.FollowUp
				fu.Recovered += flows.Fen(100 * (i + 1))
				fu.File = []byte(`{"n":1}`)
				return fu, true, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	k, err := r.Complaint(ctx, id)
	if err != nil || k.FollowUp.Recovered != 300 || string(k.FollowUp.File) != `{"n":1}` || k.Contact.Name != "张三" {
		t.Fatalf("after two changes: %+v %v", k, err)
	}
	before := k
	if _, err := r.ChangeFollowUp(ctx, id, func(flows.Complaint) (flows.FollowUp, bool, error) {
		return flows.FollowUp{Rung: "court"}, false, nil
	}); err != nil {
		t.Fatal(err)
	}
	if k, _ := r.Complaint(ctx, id); k.FollowUp.Rung != before.FollowUp.Rung {
		t.Error("a decision not to change changed the record")
	}

	// erased: refused, and the record keeps no file
	if _, err := r.change(ctx, id, func(k *flows.Complaint) (bool, error) { return scrub(k), nil }); err != nil {
		t.Fatal(err)
	}
	_, err = r.ChangeFollowUp(ctx, id, func(flows.Complaint) (flows.FollowUp, bool, error) {
		return flows.FollowUp{File: []byte(`{"personal":true}`)}, true, nil
	})
	if !errors.Is(err, ErrErased) {
		t.Errorf("an erased case's file changed: %v", err)
	}
	if k, _ := r.Complaint(ctx, id); len(k.FollowUp.File) != 0 || k.FollowUp.Recovered != 300 {
		t.Errorf("erased: %+v", k.FollowUp)
	}
}
