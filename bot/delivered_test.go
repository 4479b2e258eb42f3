package bot

import (
	"slices"
	"testing"
)

// TestDeliveredSkipsWhatWentOut: an update's replay skips the messages an earlier try of it
// delivered, a repeated text only as often as it went out, and the record goes once all are out.
func TestDeliveredSkipsWhatWentOut(t *testing.T) {
	d := newDelivered()
	k := deliveryKey{chat: 7, update: 42}
	a, b, c := Outgoing{Text: "a"}, Outgoing{Text: "b"}, Outgoing{Text: "c"}
	doc := Outgoing{File: &File{Name: "C-000001.docx", Caption: "a"}}
	outs := []Outgoing{a, doc, a, b, c}
	if d.earlier(k) != nil {
		t.Fatal("an update never tried has a record")
	}
	if got := notDelivered(outs, d.earlier(k)); !slices.EqualFunc(got, outs, sameOutgoing) {
		t.Fatalf("the first try sends %v; want all", texts(got))
	}
	// the first try delivered a and the document, then the second a failed
	d.add(k, outs[:2])
	// the second try skips those two and sends the second a, b and c; c fails
	todo := notDelivered(outs, d.earlier(k))
	if !slices.EqualFunc(todo, []Outgoing{a, b, c}, sameOutgoing) {
		t.Fatalf("the second try sends %v; want the second a, b and c", texts(todo))
	}
	d.add(k, todo[:2])
	if got := notDelivered(outs, d.earlier(k)); !slices.EqualFunc(got, []Outgoing{c}, sameOutgoing) {
		t.Fatalf("the third try sends %v; want only c", texts(got))
	}
	d.forget(k)
	if d.earlier(k) != nil || len(d.order) != 0 {
		t.Error("the record outlived the update's last message")
	}
	for i := range maxDelivered + 5 {
		d.add(deliveryKey{chat: 1, update: int64(i)}, outs[:1])
	}
	if len(d.m) != maxDelivered || len(d.order) != maxDelivered || d.earlier(deliveryKey{chat: 1, update: 0}) != nil {
		t.Errorf("%d updates remembered (order %d); want the newest %d", len(d.m), len(d.order), maxDelivered)
	}
}

func sameOutgoing(x, y Outgoing) bool { return outgoingID(x) == outgoingID(y) }

func texts(os []Outgoing) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Text)
	}
	return out
}

// TestDeliveredCountsTries: each failed try of an update is counted, so that a message that
// fails every time is given up after maxReplyTries instead of holding its chat for ever.
func TestDeliveredCountsTries(t *testing.T) {
	d := newDelivered()
	k := deliveryKey{chat: 7, update: 1}
	for want := 1; want <= maxReplyTries; want++ {
		if got := d.add(k, nil); got != want {
			t.Fatalf("try %d counted as %d", want, got)
		}
	}
	d.forget(k)
	if got := d.add(k, nil); got != 1 {
		t.Errorf("after forget, a new failure is try %d; want 1", got)
	}
}
