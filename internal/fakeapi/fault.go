package fakeapi

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// FaultKind says how a request is answered instead of normally.
type FaultKind string

// The kinds of fault. FaultClientGone is never returned by a hook: the fake records it when
// the client went away during a Delay or latency, so the call was not delivered.
const (
	FaultNone            FaultKind = ""          // answer normally (after Delay, if any)
	FaultStatus          FaultKind = "status"    // HTTP Status with a Telegram-style error body
	FaultTooManyRequests FaultKind = "429"       // 429 with parameters.retry_after
	FaultBlocked         FaultKind = "blocked"   // 403 "Forbidden: bot was blocked by the user"
	FaultDrop            FaultKind = "drop"      // close the connection without an answer
	FaultHang            FaultKind = "hang"      // never answer; close when the client gives up
	FaultMalformed       FaultKind = "malformed" // 200 with a truncated JSON body
	// FaultLostAnswer carries the call out (it is recorded as delivered) and then closes the
	// connection without answering: the answer lost on its way back.
	FaultLostAnswer FaultKind = "lost answer"
	FaultClientGone FaultKind = "client gone"
)

// Fault is what the fault hook returns for one request. The zero Fault answers normally.
type Fault struct {
	Kind FaultKind
	// Status is the HTTP status and error_code of FaultStatus (default 500).
	Status int
	// Description overrides Telegram's description text.
	Description string
	// RetryAfter is parameters.retry_after in seconds for FaultTooManyRequests.
	RetryAfter int
	// MigrateTo, with FaultStatus 400, sets parameters.migrate_to_chat_id (a group that
	// became a supergroup).
	MigrateTo int64
	// Body, when set, replaces the JSON error body (e.g. an nginx HTML page for a 502).
	Body string
	// Delay waits before answering. With FaultNone the call is then answered normally, unless
	// the client gave up meanwhile (recorded as FaultClientGone, not delivered).
	Delay time.Duration
}

// Status answers with HTTP status code and a Telegram-style error body, e.g. Status(502).
func Status(code int) Fault { return Fault{Kind: FaultStatus, Status: code} }

// BadRequest answers 400 "Bad Request: <description>".
func BadRequest(description string) Fault {
	return Fault{Kind: FaultStatus, Status: http.StatusBadRequest, Description: "Bad Request: " + description}
}

// Migrated answers 400 with parameters.migrate_to_chat_id set to newChatID.
func Migrated(newChatID int64) Fault {
	return Fault{Kind: FaultStatus, Status: http.StatusBadRequest, MigrateTo: newChatID,
		Description: "Bad Request: group chat was upgraded to a supergroup chat"}
}

// TooManyRequests answers 429 "Too Many Requests: retry after N" with retry_after N.
func TooManyRequests(retryAfter int) Fault {
	return Fault{Kind: FaultTooManyRequests, RetryAfter: retryAfter}
}

// Blocked answers 403 "Forbidden: bot was blocked by the user".
func Blocked() Fault { return Fault{Kind: FaultBlocked} }

// Drop closes the connection without answering.
func Drop() Fault { return Fault{Kind: FaultDrop} }

// Hang never answers: the request ends when the client times out or the server closes.
func Hang() Fault { return Fault{Kind: FaultHang} }

// Malformed answers 200 with a body that is not valid JSON.
func Malformed() Fault { return Fault{Kind: FaultMalformed} }

// LostAnswer carries the call out, then closes the connection without an answer.
func LostAnswer() Fault { return Fault{Kind: FaultLostAnswer} }

// Delay answers normally after d.
func Delay(d time.Duration) Fault { return Fault{Delay: d} }

// response returns the HTTP status and body for f.
func (f Fault) response() (int, []byte) {
	type parameters struct {
		RetryAfter      int   `json:"retry_after,omitempty"`
		MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	}
	body := struct {
		OK          bool        `json:"ok"`
		ErrorCode   int         `json:"error_code"`
		Description string      `json:"description"`
		Parameters  *parameters `json:"parameters,omitempty"`
	}{}
	status := f.Status
	switch f.Kind {
	case FaultMalformed:
		return http.StatusOK, []byte(`{"ok":true,"result":{"message_id":`)
	case FaultTooManyRequests:
		status = http.StatusTooManyRequests
		body.Description = fmt.Sprintf("Too Many Requests: retry after %d", f.RetryAfter)
		body.Parameters = &parameters{RetryAfter: f.RetryAfter}
	case FaultBlocked:
		status = http.StatusForbidden
		body.Description = "Forbidden: bot was blocked by the user"
	default:
		if status == 0 {
			status = http.StatusInternalServerError
		}
		body.Description = http.StatusText(status)
		if f.MigrateTo != 0 {
			body.Parameters = &parameters{MigrateToChatID: f.MigrateTo}
		}
	}
	if f.Description != "" {
		body.Description = f.Description
	}
	if f.Body != "" {
		return status, []byte(f.Body)
	}
	body.ErrorCode = status
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // a struct of ints and strings always marshals
	}
	return status, b
}

// Sequence returns a fault hook that answers the i-th request (of any method, counted from
// the hook's creation) with faults[i], and every later request normally.
func Sequence(faults ...Fault) func(Call) Fault {
	var mu sync.Mutex
	next := 0
	return func(Call) Fault {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(faults) {
			return Fault{}
		}
		next++
		return faults[next-1]
	}
}

// Random returns a fault hook that, with probability p, answers a request with one of faults
// chosen uniformly, and otherwise normally. The seed makes a run repeatable (given the same
// request order). Methods listed in skip (e.g. "getUpdates") are never faulted.
func Random(p float64, seed uint64, faults []Fault, skip ...string) func(Call) Fault {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(c Call) Fault {
		for _, m := range skip {
			if m == c.Method {
				return Fault{}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(faults) == 0 || rng.Float64() >= p {
			return Fault{}
		}
		return faults[rng.IntN(len(faults))]
	}
}
