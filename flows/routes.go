package flows

import "strings"

// olderThanYears reports whether d is more than n years before today.
func olderThanYears(d, today Date, n int) bool {
	t, ok := d.Time()
	now, ok2 := today.Time()
	if !ok || !ok2 {
		return false
	}
	return t.AddDate(n, 0, 0).Before(now)
}

// defaultRequests are the requests preselected for a charge kind; the user can change them.
func defaultRequests(k ChargeKind) []RequestKind {
	switch k {
	case DeregistrationFee:
		return []RequestKind{RequestRefund, RequestDeregister, RequestExplanation}
	case SIMFee, RateIncrease:
		return []RequestKind{RequestRefund, RequestStop, RequestExplanation}
	default:
		return []RequestKind{RequestRefund, RequestExplanation}
	}
}

// LangFromCode picks the bot's language from a Telegram language code: English for "en…",
// Chinese for "zh…" and when unknown (our users are in China), English for any other language.
func LangFromCode(code string) Lang {
	code = strings.ToLower(code)
	switch {
	case code == "", strings.HasPrefix(code, "zh"):
		return LangZH
	default:
		return LangEN
	}
}
