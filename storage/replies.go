package storage

import (
	"encoding/json"
	"fmt"
	"sync"

	"complaintbot/flows"
)

// keptReplies is how many of a chat's most recent updates keep their replies in {chat:<id>}:r,
// one in each of its slots (commit.lua: the slot is the version modulo 4). A redelivery
// normally concerns the last update; a few more cover a chat whose updates were spread over
// replicas when one of them died.
const keptReplies = 4

// stored is what a commit keeps of its step for a redelivery of the update: the replies, the
// case id they name, and the effects the adapter carries out after sending them.
type stored struct {
	Replies []storedReply  `json:"r"`
	Case    string         `json:"c,omitempty"` // Committed.CaseID
	List    bool           `json:"l,omitempty"` // flows.EffectListCases
	Relay   []string       `json:"x,omitempty"` // flows.EffectRelay case ids
	Letters []storedLetter `json:"e,omitempty"` // flows.EffectLetter
}

// storedLetter is a flows.EffectLetter.
type storedLetter struct {
	Case   string       `json:"c,omitempty"`
	Letter flows.Letter `json:"l"`
}

// storedReply is a flows.Reply with its arguments tagged by type.
type storedReply struct {
	Key     string         `json:"k"`
	Args    map[string]arg `json:"a,omitempty"`
	Choices []storedChoice `json:"b,omitempty"`
	Doc     bool           `json:"d,omitempty"`
}

// storedChoice is a flows.Choice with its arguments tagged by type.
type storedChoice struct {
	Key  string         `json:"k"`
	Args map[string]arg `json:"a,omitempty"`
	Data string         `json:"d,omitempty"`
}

// arg is one message argument. Its JSON names the Go type, so that decoding gives back what the
// renderer type-switches on: {"s":string} {"i":int} {"j":int64} {"b":bool} {"f":float64}
// {"t":flows.Text} {"l":flows.Lines}. Any other type is stored as its fmt.Sprint string.
type arg struct{ v any }

// storedText is a flows.Text inside an arg.
type storedText struct {
	Key  string         `json:"k"`
	Args map[string]arg `json:"a,omitempty"`
}

func wrapArgs(m map[string]any) map[string]arg {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]arg, len(m))
	for k, v := range m {
		out[k] = arg{v}
	}
	return out
}

func unwrapArgs(m map[string]arg) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v.v
	}
	return out
}

// MarshalJSON encodes the argument with its type's tag.
func (a arg) MarshalJSON() ([]byte, error) {
	var tagged map[string]any
	switch v := a.v.(type) {
	case string:
		tagged = map[string]any{"s": v}
	case int:
		tagged = map[string]any{"i": v}
	case int64:
		tagged = map[string]any{"j": v}
	case bool:
		tagged = map[string]any{"b": v}
	case float64:
		tagged = map[string]any{"f": v}
	case flows.Text:
		tagged = map[string]any{"t": storedText{Key: v.Key, Args: wrapArgs(v.Args)}}
	case flows.Lines:
		ls := make([]storedText, len(v))
		for i, t := range v {
			ls[i] = storedText{Key: t.Key, Args: wrapArgs(t.Args)}
		}
		if v == nil {
			ls = nil
		}
		tagged = map[string]any{"l": ls}
	default:
		tagged = map[string]any{"s": fmt.Sprint(v)}
	}
	return json.Marshal(tagged)
}

// UnmarshalJSON decodes an argument encoded by MarshalJSON.
func (a *arg) UnmarshalJSON(b []byte) error {
	var t struct {
		S *string       `json:"s"`
		I *int          `json:"i"`
		J *int64        `json:"j"`
		B *bool         `json:"b"`
		F *float64      `json:"f"`
		T *storedText   `json:"t"`
		L *[]storedText `json:"l"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return fmt.Errorf("reply argument: %w", err)
	}
	switch {
	case t.S != nil:
		a.v = *t.S
	case t.I != nil:
		a.v = *t.I
	case t.J != nil:
		a.v = *t.J
	case t.B != nil:
		a.v = *t.B
	case t.F != nil:
		a.v = *t.F
	case t.T != nil:
		a.v = flows.Text{Key: t.T.Key, Args: unwrapArgs(t.T.Args)}
	case t.L != nil:
		var ls flows.Lines
		for _, x := range *t.L {
			ls = append(ls, flows.Text{Key: x.Key, Args: unwrapArgs(x.Args)})
		}
		a.v = ls
	default:
		if string(b) == `{"l":null}` {
			a.v = flows.Lines(nil)
			return nil
		}
		return fmt.Errorf("reply argument: unknown encoding %s", b)
	}
	return nil
}

// encodeReplies returns what a commit keeps of res for a redelivery, "" when there is nothing to
// send again.
func encodeReplies(res flows.Result, caseID string) (string, error) {
	st := stored{Case: caseID}
	for _, rep := range res.Replies {
		sr := storedReply{Key: rep.Key, Args: wrapArgs(rep.Args), Doc: rep.Document}
		for _, c := range rep.Choices {
			sr.Choices = append(sr.Choices, storedChoice{Key: c.Key, Args: wrapArgs(c.Args), Data: c.Data})
		}
		st.Replies = append(st.Replies, sr)
	}
	for _, e := range res.Effects {
		switch e.Kind {
		case flows.EffectListCases:
			st.List = true
		case flows.EffectRelay:
			st.Relay = append(st.Relay, e.CaseID)
		case flows.EffectLetter:
			st.Letters = append(st.Letters, storedLetter{Case: e.CaseID, Letter: e.Letter})
		}
	}
	if len(st.Replies) == 0 && !st.List && len(st.Relay) == 0 && len(st.Letters) == 0 {
		return "", nil
	}
	b, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("encode replies: %w", err)
	}
	return string(b), nil
}

// decodeReplies returns the replies and effects encodeReplies kept, and the case id.
func decodeReplies(raw string) ([]flows.Reply, []flows.Effect, string, error) {
	var st stored
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, nil, "", fmt.Errorf("decode replies: %w", err)
	}
	var reps []flows.Reply
	for _, sr := range st.Replies {
		r := flows.Reply{Key: sr.Key, Args: unwrapArgs(sr.Args), Document: sr.Doc}
		for _, c := range sr.Choices {
			r.Choices = append(r.Choices, flows.Choice{Key: c.Key, Args: unwrapArgs(c.Args), Data: c.Data})
		}
		reps = append(reps, r)
	}
	var effects []flows.Effect
	if st.List {
		effects = append(effects, flows.Effect{Kind: flows.EffectListCases})
	}
	for _, id := range st.Relay {
		effects = append(effects, flows.Effect{Kind: flows.EffectRelay, CaseID: id})
	}
	for _, l := range st.Letters {
		effects = append(effects, flows.Effect{Kind: flows.EffectLetter, CaseID: l.Case, Letter: l.Letter})
	}
	return reps, effects, st.Case, nil
}

// maxHandled bounds handledUpdates; beyond it the map starts again empty, which costs only a
// reply sent twice should an old update be delivered again, or an outbox read once more. It
// keeps the process's memory flat in the number of chats it has served.
const maxHandled = 4096

// handledUpdates remembers, per chat, the last update whose replies this process returned and
// the version it committed (or found), and whether this process saw the outbox emptied after
// committing that version.
type handledUpdates struct {
	mu sync.Mutex
	m  map[int64]handled
}

type handled struct {
	update, version int64
	emptied         bool
}

func (h *handledUpdates) get(chat int64) (int64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.m[chat]
	return e.update, ok
}

func (h *handledUpdates) set(chat, updateID, version int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= maxHandled {
		h.m = make(map[int64]handled, 64)
	}
	e := h.m[chat]
	h.m[chat] = handled{update: updateID, version: version, emptied: e.emptied && e.version == version}
}

// emptied records that this process emptied the chat's outbox after committing version.
func (h *handledUpdates) emptied(chat, version int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= maxHandled {
		h.m = make(map[int64]handled, 64)
	}
	e := h.m[chat]
	e.version, e.emptied = version, true
	h.m[chat] = e
}

// flushed reports whether the outbox of the chat at version was emptied by this process.
func (h *handledUpdates) flushed(chat, version int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.m[chat]
	return ok && e.emptied && e.version == version
}
