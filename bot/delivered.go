package bot

import (
	"hash/fnv"
	"sync"
)

// A step's replies that did not go out after the sender's retries (Telegram failing for longer
// than they last) are not given up: the update fails, comes again (Telegram's redelivery, the
// poller's retry), and storage's replay hands back the replies its commit kept. delivered
// remembers which of such an update's messages went out, so that the replay sends only the rest
// and the user sees each message once. It is this process's memory, kept only for updates whose
// replies failed: a redelivery that reaches another replica sends them all again (at least once).

// maxDelivered bounds the updates delivered remembers; the oldest is forgotten first.
const maxDelivered = 1024

// maxReplyTries bounds the tries of one update whose message keeps failing (a file that always
// times out): after that many, the message is given up and the chat's later updates go on.
const maxReplyTries = 6

// delivered counts, per update whose replies did not all go out, how many times each of its
// messages did.
type delivered struct {
	mu    sync.Mutex
	m     map[deliveryKey]map[uint64]int
	tries map[deliveryKey]int // the failed tries of each update in m
	order []deliveryKey
}

// deliveryKey names an update of a chat.
type deliveryKey struct{ chat, update int64 }

func newDelivered() *delivered {
	return &delivered{m: map[deliveryKey]map[uint64]int{}, tries: map[deliveryKey]int{}}
}

// outgoingID identifies a message by what it shows: its text, or its file's name and caption.
func outgoingID(o Outgoing) uint64 {
	h := fnv.New64a()
	h.Write([]byte(o.Text))
	if o.File != nil {
		h.Write([]byte{0})
		h.Write([]byte(o.File.Name))
		h.Write([]byte{0})
		h.Write([]byte(o.File.Caption))
	}
	return h.Sum64()
}

// notDelivered returns the messages of outs that earlier tries did not deliver, by what
// earlier counts: a repeated text is left out only as often as it went out.
func notDelivered(outs []Outgoing, earlier map[uint64]int) []Outgoing {
	var todo []Outgoing
	met := map[uint64]int{}
	for _, o := range outs {
		if id := outgoingID(o); met[id] < earlier[id] {
			met[id]++
			continue
		}
		todo = append(todo, o)
	}
	return todo
}

// earlier returns a copy of what earlier tries of update k delivered, or nil when none failed.
func (d *delivered) earlier(k deliveryKey) map[uint64]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	got := d.m[k]
	if got == nil {
		return nil
	}
	out := make(map[uint64]int, len(got))
	for id, n := range got {
		out[id] = n
	}
	return out
}

// add records the messages of update k that went out in a try that then failed, and returns
// how many tries of k have failed.
func (d *delivered) add(k deliveryKey, outs []Outgoing) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m[k] == nil {
		if len(d.order) >= maxDelivered {
			delete(d.m, d.order[0])
			delete(d.tries, d.order[0])
			d.order = d.order[1:]
		}
		d.m[k] = map[uint64]int{}
		d.order = append(d.order, k)
	}
	for _, o := range outs {
		d.m[k][outgoingID(o)]++
	}
	d.tries[k]++
	return d.tries[k]
}

// forget drops what is known of update k: the rest of its messages went out.
func (d *delivered) forget(k deliveryKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.m[k]; !ok {
		return
	}
	delete(d.m, k)
	delete(d.tries, k)
	for i, o := range d.order {
		if o == k {
			d.order = append(d.order[:i], d.order[i+1:]...)
			break
		}
	}
}
