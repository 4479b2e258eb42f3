package botapi

import (
	"errors"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// Error is a failed Bot API call: Telegram's error answer (Code not 0), or the reason no
// usable answer was read (Code 0, the reason in Err). Its text names the method, the code and
// Telegram's description, never the request, the answer's body, a chat id or the token.
type Error struct {
	Method          string        // the Bot API method, e.g. "sendMessage"
	Code            int           // Telegram's error_code: 400, 403, 429, 500...; 0 when no answer was read or it was not JSON
	Description     string        // Telegram's description of an error answer, e.g. "Forbidden: bot was blocked by the user"
	RetryAfter      time.Duration // a 429's parameters.retry_after
	MigrateToChatID int64         // a 400's parameters.migrate_to_chat_id: the group became this supergroup
	Err             error         // Code 0: the transport failure, timeout, ErrMalformed or ErrRequest; else nil
}

// ErrMalformed is in the chain of an Error whose answer was not the Bot API's JSON (a truncated
// body, a proxy's HTML page): Telegram may or may not have carried the call out.
var ErrMalformed = errors.New("answer is not Bot API JSON")

// ErrRequest is in the chain of an Error whose request could not be built (parameters that do
// not encode, an upload that could not be read): nothing was sent, and sending again cannot help.
var ErrRequest = errors.New("request could not be built")

// Error says what failed.
func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
	}
	return fmt.Sprintf("telegram %s: %v", e.Method, e.Err)
}

// Unwrap returns the reason no answer was read (Code 0), or nil.
func (e *Error) Unwrap() error { return e.Err }

// From returns the Bot API failure in err's chain: the *Error this package made (by Client or
// Transport), or one made from go-telegram/bot's typed errors for a client built without
// Transport (*TooManyRequestsError, *MigrateError and the sentinels of 400, 401, 403, 404,
// 409, which carry the code but no description). It returns nil when err holds neither.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		return &Error{Code: 429, RetryAfter: time.Duration(tooMany.RetryAfter) * time.Second}
	}
	var migrate *tgbot.MigrateError
	if errors.As(err, &migrate) {
		return &Error{Code: 400, MigrateToChatID: int64(migrate.MigrateToChatID)}
	}
	for _, s := range []struct {
		err  error
		code int
	}{
		{tgbot.ErrorBadRequest, 400}, {tgbot.ErrorUnauthorized, 401}, {tgbot.ErrorForbidden, 403},
		{tgbot.ErrorNotFound, 404}, {tgbot.ErrorConflict, 409}, {tgbot.ErrorTooManyRequests, 429},
	} {
		if errors.Is(err, s.err) {
			return &Error{Code: s.code}
		}
	}
	return nil
}

// envelope is the Bot API's answer without its result.
type envelope struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// answerError is the *Error of an ok:false answer (HTTP status status).
func answerError(method string, status int, a *envelope) *Error {
	if a.ErrorCode == 0 {
		return malformed(method, status)
	}
	return &Error{
		Method: method, Code: a.ErrorCode, Description: a.Description,
		RetryAfter:      time.Duration(a.Parameters.RetryAfter) * time.Second,
		MigrateToChatID: a.Parameters.MigrateToChatID,
	}
}

// malformed is the *Error of an answer that is not JSON, with the HTTP status it came with.
// The decoder's own error is left out: it quotes the body.
func malformed(method string, status int) *Error {
	return &Error{Method: method, Err: fmt.Errorf("%w (HTTP %d)", ErrMalformed, status)}
}
