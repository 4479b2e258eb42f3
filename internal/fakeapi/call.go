package fakeapi

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// MethodFile is the Method of a recorded file download (GET /file/bot<token>/<path>); its
// Params hold "file_path".
const MethodFile = "file"

// ErrClosed is what WaitFor reports when the server closes while it waits.
var ErrClosed = errors.New("fakeapi: server closed")

// Call is one request the fake received.
type Call struct {
	// Seq numbers requests in the order they arrived, delivered or not.
	Seq int64
	// Method is the Bot API method as the client spelled it, e.g. "sendMessage".
	Method string
	// Params holds every parameter as a string: form values as sent; for a JSON body, string
	// values unquoted and every other value (numbers, objects such as reply_markup, arrays)
	// as its raw JSON text.
	Params map[string]string
	// Files are the uploaded files of a multipart request, in the order sent.
	Files []File
	// ChatID is the chat_id parameter when it is numeric, else 0.
	ChatID int64
	// ThreadID is the message_thread_id parameter, else 0.
	ThreadID int
	// Received is when the request arrived; Answered when a delivered call was answered.
	Received, Answered time.Time
	// Result is the JSON "result" the fake answered (delivered calls only).
	Result json.RawMessage
	// InReply marks a call the bot made in its answer to a webhook delivery (WebhookReply).
	InReply bool
	// Fault is what was injected; its Kind is FaultNone (or FaultLostAnswer) for delivered calls (a Delay-only
	// fault still delivers).
	Fault Fault
}

// File is one uploaded file part.
type File struct {
	Field    string // form field name, e.g. "photo", "document", or an attach:// name
	Filename string
	Data     []byte
}

// File returns the uploaded file sent in field, or nil.
func (c Call) File(field string) *File {
	for i := range c.Files {
		if c.Files[i].Field == field {
			return &c.Files[i]
		}
	}
	return nil
}

// MessageID returns the message_id of the message a delivered send created, or 0.
func (c Call) MessageID() int {
	var m struct {
		MessageID int `json:"message_id"`
	}
	if json.Unmarshal(c.Result, &m) != nil {
		return 0
	}
	return m.MessageID
}

// Calls returns the delivered calls in the order the fake answered them. Calls that one client
// made one after another are in that order; concurrent ones in any. Empty getUpdates answers
// are not recorded (a polling bot makes one per poll timeout); those carrying updates are.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// CallsFor returns the delivered calls of method (case-insensitive).
func (s *Server) CallsFor(method string) []Call {
	return s.filter(func(c Call) bool { return strings.EqualFold(c.Method, method) })
}

// CallsToChat returns the delivered calls whose chat_id is chatID.
func (s *Server) CallsToChat(chatID int64) []Call {
	return s.filter(func(c Call) bool { return c.ChatID == chatID })
}

// Faults returns the calls that were answered with an injected fault or an error (and so
// were not delivered), in the order they ended.
func (s *Server) Faults() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.faults)
}

func (s *Server) filter(keep func(Call) bool) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// WaitFor blocks until a delivered call satisfies match, and returns the first that does;
// calls recorded before WaitFor was called count too. match runs without the server's lock,
// so it may call the Server. WaitFor returns ctx's error when ctx ends first, and ErrClosed
// when the server closes. Tests use it instead of sleeping.
func (s *Server) WaitFor(ctx context.Context, match func(Call) bool) (Call, error) {
	next, gen := 0, -1
	for {
		s.mu.Lock()
		if gen != s.resets { // first pass, or Reset ran: scan from the start
			next, gen = 0, s.resets
		}
		fresh := slices.Clone(s.calls[next:])
		next = len(s.calls)
		changed := s.changed
		s.mu.Unlock()
		for _, c := range fresh {
			if match(c) {
				return c, nil
			}
		}
		if err := s.wait(ctx, changed); err != nil {
			return Call{}, err
		}
	}
}

// WaitUntil blocks until cond returns true. cond runs without the server's lock at once and
// again after every change the fake sees (a call answered or faulted, an update pushed or
// confirmed, Reset), so it can inspect the Server, e.g. len(s.CallsFor("sendMessage")) == 20
// or s.PendingUpdates() == 0. Errors as for WaitFor.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if err := s.wait(ctx, changed); err != nil {
			return err
		}
	}
}

// wait blocks until changed is closed, ctx ends or the server closes.
func (s *Server) wait(ctx context.Context, changed <-chan struct{}) error {
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closed:
		return ErrClosed
	}
}

// Reset forgets the recorded calls and faults. Queued updates, files, members and the
// webhook are kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.faults = nil
	s.resets++
	s.notifyLocked()
}
