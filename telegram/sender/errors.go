package sender

import (
	"context"
	"errors"
	"io"
	"net"

	"complaintbot/telegram/botapi"
)

// ErrBlocked is in the chain of Do's error when the chat cannot be written to for good: any
// 403 (the user blocked the bot or was deactivated, the bot left or was removed from the
// group).
var ErrBlocked = errors.New("chat unreachable")

// MigratedError reports that a group was upgraded to a supergroup, which has a new chat id;
// the call should be made again for NewChatID (and the stored id replaced).
type MigratedError struct {
	ChatID    int64 // the id the call used
	NewChatID int64 // the supergroup's id
	Err       error // the call's error, with the *botapi.Error in its chain
}

// Error says that the chat moved; the ids are in the fields, never in the text.
func (e *MigratedError) Error() string { return "group migrated to a supergroup" }

// Unwrap returns the call's error.
func (e *MigratedError) Unwrap() error { return e.Err }

// Permanent marks err, returned from a call, as not worth retrying (for example a file that
// could not be opened while building the request). Do returns it at once. Permanent(nil) is
// nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Class is what Do does about a call's error.
type Class int

// The classes, as Classify returns them.
const (
	ClassPermanent   Class = iota // return at once: a 4xx, a request that cannot be built, Permanent, the call's own context cancelled
	ClassTransient                // back off and retry: a 5xx, no answer (network failure, timeout), an answer that is not JSON
	ClassRateLimited              // a 429: wait retry_after and retry
	ClassBlocked                  // a 403: return ErrBlocked
	ClassMigrated                 // a 400 with migrate_to_chat_id: return *MigratedError
)

// String names the class for tests and logs.
func (c Class) String() string {
	switch c {
	case ClassPermanent:
		return "permanent"
	case ClassTransient:
		return "transient"
	case ClassRateLimited:
		return "rate limited"
	case ClassBlocked:
		return "blocked"
	case ClassMigrated:
		return "migrated"
	}
	return "unknown"
}

// Classify maps a call's error to what Do does about it, by the types in its chain only: the
// *botapi.Error (botapi.From) by its fields, then context and network errors. An error of no
// known type is permanent.
func Classify(err error) Class {
	var perm *permanentError
	switch {
	case errors.As(err, &perm), errors.Is(err, botapi.ErrRequest):
		return ClassPermanent
	case errors.Is(err, context.Canceled):
		return ClassPermanent // the call's own context, not Do's, was cancelled
	}
	if e := botapi.From(err); e != nil {
		switch {
		case e.Code == 0:
			return ClassTransient // no answer, or not JSON
		case e.Code == 429:
			return ClassRateLimited
		case e.Code == 400 && e.MigrateToChatID != 0:
			return ClassMigrated
		case e.Code == 403:
			return ClassBlocked
		case e.Code >= 500:
			return ClassTransient
		}
		return ClassPermanent
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ClassTransient
	}
	return ClassPermanent
}

// Code is the Telegram error_code behind err, for metrics and logs: 200 for nil, the code of
// Telegram's error answer (400, 403, 429, 500, 502...), and 0 when Telegram's answer never
// arrived or was not JSON (network failure, timeout, malformed body) or err did not come from
// Telegram.
func Code(err error) int {
	if err == nil {
		return 200
	}
	if e := botapi.From(err); e != nil {
		return e.Code
	}
	return 0
}

// OutcomeUnknown reports whether err leaves it unknown if Telegram carried the call out: the
// request may have reached it, but no answer was read — the attempt timed out, the connection
// broke while waiting, or the answer was not JSON. A connection that could not be made, and any
// answer Telegram gave (an error code), say it was not. Do retries such a call like any
// transient failure; a call whose repetition people would see (a second card in the staff
// chat) should turn it into Permanent and be retried by a path that knows.
func OutcomeUnknown(err error) bool {
	if err == nil || Classify(err) != ClassTransient || Code(err) != 0 {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return true
}
