package followup

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Problem is what was wrong with the user's input; the bot turns it into a reply (a locale key
// such as "followup_" + the problem) and asks again. Values are stable.
type Problem string

// The problems a Case method reports.
const (
	RefTooLong          Problem = "ref_too_long"          // a 受理编号 over MaxRef characters
	RefNotPrintable     Problem = "ref_not_printable"     // a 受理编号 with control or invisible characters
	BodyTooLong         Problem = "body_too_long"         // a body's name over MaxBody characters
	BodyNotPrintable    Problem = "body_not_printable"    //
	ReasonTooLong       Problem = "reason_too_long"       // a refusal's reason over MaxReason characters
	ReasonNotPrintable  Problem = "reason_not_printable"  // control characters other than line breaks
	AmountTooLarge      Problem = "amount_too_large"      // a refund over what is still claimed
	AmountNotPositive   Problem = "amount_not_positive"   // a partial refund of zero or less
	BadDate             Problem = "bad_date"              // not a date
	FiledInFuture       Problem = "filed_in_future"       // a filing date after today
	FiledBeforeDocument Problem = "filed_before_document" // a filing date before the document
	AnswerInFuture      Problem = "answer_in_future"      // an answer dated after today
	AnswerBeforeFiling  Problem = "answer_before_filing"  // an answer dated before its filing
	NotOnLadder         Problem = "not_on_ladder"         // a rung that does not fit the complainant (a merchant to 12315)
	AlreadyFiled        Problem = "already_filed"         // the rung has a filing still waiting for its answer
	NoSuchFiling        Problem = "no_such_filing"        // an answer or 受理编号 for a filing that does not exist
	AlreadyAnswered     Problem = "already_answered"      // a second answer to one filing
	BadResult           Problem = "bad_result"            // an outcome that is none of the four
	Closed              Problem = "closed"                // the claim was refunded in full: nothing more to file
	BadCase             Problem = "bad_case"              // a case without id, known complainant type, document date, or with a negative claim
)

// The limits on what the user types, in characters.
const (
	MaxRef    = 64   // a 受理编号
	MaxBody   = 100  // the name of the body filed with
	MaxReason = 1000 // why the provider or body refused
)

// InputError is input a Case method refused; nothing was changed.
type InputError struct {
	Problem Problem
	// Max is the limit broken, for the reply: characters for the text problems, fen for
	// AmountTooLarge (what is still claimed); 0 otherwise.
	Max int64
}

// Error names the problem.
func (e *InputError) Error() string {
	s := "followup: " + strings.ReplaceAll(string(e.Problem), "_", " ")
	if e.Max != 0 {
		s += " (limit " + strconv.FormatInt(e.Max, 10) + ")"
	}
	return s
}

func invalid(p Problem) error { return &InputError{Problem: p} }

// cleanText normalises s by form (NFKC for a number, so that full-width letters and digits
// become ASCII; NFC for words quoted in a Chinese letter, whose full-width punctuation ，：（）
// NFKC would turn into ASCII) with its surrounding space trimmed, and checks it: at most max
// characters, printable, line breaks only when multiline.
func cleanText(s string, form norm.Form, max int, multiline bool, tooLong, notPrintable Problem) (string, error) {
	s = strings.TrimSpace(form.String(s))
	if n := len([]rune(s)); n > max {
		return "", &InputError{Problem: tooLong, Max: int64(max)}
	}
	for _, r := range s {
		if r == '\n' && multiline {
			continue
		}
		if !unicode.IsPrint(r) {
			return "", invalid(notPrintable)
		}
	}
	return s, nil
}

// CleanRef returns a 受理编号 as it is kept (NFKC-normalised, trimmed), or a *InputError: more
// than MaxRef characters, or characters that are not printable. An empty ref is allowed: not
// every body gives one.
func CleanRef(ref string) (string, error) {
	return cleanText(ref, norm.NFKC, MaxRef, false, RefTooLong, RefNotPrintable)
}
