package sender

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// ErrBlocked is in the chain of Do's error when the chat cannot be written to for good: the
// user blocked the bot or was deactivated, the bot left or was removed from the group, or the
// chat does not exist.
var ErrBlocked = errors.New("chat unreachable")

// MigratedError reports that a group was upgraded to a supergroup, which has a new chat id;
// the call should be made again for NewChatID (and the stored id replaced). It wraps
// go-telegram/bot's *MigrateError.
type MigratedError struct {
	ChatID    int64 // the id the call used
	NewChatID int64 // the supergroup's id
	Err       error
}

func newMigratedError(chatID int64, err error) *MigratedError {
	e := &MigratedError{ChatID: chatID, Err: err}
	var me *tgbot.MigrateError
	if errors.As(err, &me) {
		e.NewChatID = int64(me.MigrateToChatID)
	}
	return e
}

// Error says which way the chat moved; it names no other data.
func (e *MigratedError) Error() string {
	return fmt.Sprintf("chat %d migrated to supergroup %d", e.ChatID, e.NewChatID)
}

// Unwrap returns go-telegram/bot's error.
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

// class is what Do does about an error.
type class int

const (
	classPermanent   class = iota // return at once
	classTransient                // back off and retry
	classRateLimited              // wait retry_after and retry
	classBlocked                  // OnBlocked, return ErrBlocked
	classMigrated                 // return *MigratedError
)

// Fragments of go-telegram/bot v1.19 error texts (raw_request.go) that carry information no
// error type does. Tests against internal/fakeapi pin them.
const (
	tgUnmappedCode  = "error response from telegram for method " // "...%s, %d %s": codes other than 400-404/409/429
	tgDecodeBody    = "error decode response body"               // the answer was not JSON: not acted on, or unknown
	tgReadBody      = "error read response body"                 // connection broke while reading the answer
	tgBuildForm     = "error build request form"                 // params could not be encoded: retrying cannot help
	tgDecodeResult  = "error decode response result"             // ok:true with an unexpected result: delivered
	chatNotFoundMsg = "chat not found"
)

// classify maps a call's error to what Do does about it. go-telegram/bot turns an ok:false
// answer into a sentinel by error_code (403 ErrorForbidden, 400 ErrorBadRequest or
// *MigrateError, 401, 404, 409, 429 *TooManyRequestsError); other codes, 5xx included,
// become an unwrapped fmt error with the code in its text. It never looks at the HTTP
// status, only at the JSON body. Transport failures wrap *url.Error.
func classify(err error) class {
	var perm *permanentError
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	msg := err.Error()
	switch {
	case errors.As(err, &perm):
		return classPermanent
	case errors.As(err, &tooMany):
		return classRateLimited
	case errors.As(err, &migrate):
		return classMigrated
	case errors.Is(err, tgbot.ErrorForbidden):
		return classBlocked
	case errors.Is(err, tgbot.ErrorBadRequest):
		if strings.Contains(strings.ToLower(msg), chatNotFoundMsg) {
			return classBlocked
		}
		return classPermanent
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound),
		errors.Is(err, tgbot.ErrorConflict), errors.Is(err, tgbot.ErrorTooManyRequests):
		return classPermanent
	case errors.Is(err, context.Canceled):
		return classPermanent // the call's own context, not Do's, was cancelled
	case errors.Is(err, context.DeadlineExceeded):
		return classTransient // AttemptTimeout or the HTTP client's timeout
	}
	if code, ok := unmappedCode(msg); ok {
		if code >= 500 || code == 0 {
			return classTransient
		}
		return classPermanent
	}
	switch {
	case strings.Contains(msg, tgBuildForm), strings.Contains(msg, tgDecodeResult):
		return classPermanent
	case strings.Contains(msg, tgDecodeBody), strings.Contains(msg, tgReadBody):
		return classTransient
	}
	var urlErr *url.Error
	var netErr net.Error
	if errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return classTransient
	}
	return classPermanent
}

// unmappedCode extracts the error_code from go-telegram/bot's "error response from telegram
// for method <m>, <code> <description>".
func unmappedCode(msg string) (int, bool) {
	_, rest, ok := strings.Cut(msg, tgUnmappedCode)
	if !ok {
		return 0, false
	}
	_, rest, ok = strings.Cut(rest, ", ")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(num)
	return code, err == nil
}

// retryAfter is a 429's retry_after, or 0.
func retryAfter(err error) time.Duration {
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) && tooMany.RetryAfter > 0 {
		return time.Duration(tooMany.RetryAfter) * time.Second
	}
	return 0
}

// Code is the Telegram error_code behind err, for metrics and logs: 200 for nil, 429, 403,
// 400 (a migration included), 401, 404, 409, or the code of any other Telegram error answer
// such as 500 or 502; 0 when Telegram's answer never arrived or was not JSON (network
// failure, timeout, malformed body) or err did not come from Telegram.
func Code(err error) int {
	if err == nil {
		return 200
	}
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(err, &tooMany):
		return 429
	case errors.As(err, &migrate):
		return 400
	case errors.Is(err, tgbot.ErrorForbidden):
		return 403
	case errors.Is(err, tgbot.ErrorBadRequest):
		return 400
	case errors.Is(err, tgbot.ErrorUnauthorized):
		return 401
	case errors.Is(err, tgbot.ErrorNotFound):
		return 404
	case errors.Is(err, tgbot.ErrorConflict):
		return 409
	}
	if code, ok := unmappedCode(err.Error()); ok {
		return code
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
	if err == nil || classify(err) != classTransient || Code(err) != 0 {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return true
}
