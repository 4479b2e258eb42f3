package flows

import "fmt"

// InputError is why a piece of user text was refused. Its value names the locales message that
// explains the problem to the user ("invalid_" + the value), so the values are stored in the
// catalogs and must not change.
type InputError string

func (e InputError) Error() string { return string(e) }

// The reasons a parser refuses input.
const (
	ErrAmountFormat   InputError = "amount_format"   // not a number of yuan
	ErrAmountPositive InputError = "amount_positive" // zero or negative
	ErrAmountDecimals InputError = "amount_decimals" // more than two decimals
	ErrAmountTooLarge InputError = "amount_too_large"
	ErrAmountApprox   InputError = "amount_approx" // "约300元", "about 300": the document needs the sum taken

	ErrTicketFormat InputError = "ticket_format" // a ticket number with no digit: "客服说不退"
	ErrPeriodFormat InputError = "period_format" // a fee period that names no time

	ErrDateFormat InputError = "date_format"
	ErrDateFuture InputError = "date_future"
	ErrDateTooOld InputError = "date_too_old" // before 2000
	// ErrMonthFormat is ErrDateFormat where a month alone is taken too, so the example says so.
	ErrMonthFormat InputError = "month_format"
	// ErrDateNeedsDay is a month alone ("前年3月") where the day is needed: the message asks for
	// the day, not for a date it "could not read".
	ErrDateNeedsDay InputError = "date_needs_day"
	// ErrDateAmbiguous is a date of numbers whose day and month could be either ("5/3/2024": 5
	// March or 3 May): the message asks for the month in words.
	ErrDateAmbiguous InputError = "date_ambiguous"
	// ErrDateNeedsMonth is a year alone ("2021年", "去年") where the month is needed: the
	// message asks for the month, not for a date it "could not read".
	ErrDateNeedsMonth InputError = "date_needs_month"

	ErrPhoneFormat          InputError = "phone_format"
	ErrSNFormat             InputError = "sn_format"
	ErrMerchantNumberFormat InputError = "merchant_number_format"

	ErrNameLetters   InputError = "name_letters"   // a name with no letters: digits, emoji, punctuation
	ErrCreditCode    InputError = "credit_code"    // not a valid 统一社会信用代码
	ErrRateFormat    InputError = "rate_format"    // not a rate such as 0.38%
	ErrBodyChinese   InputError = "body_chinese"   // a receiving body not named in Chinese
	ErrCityUnknown   InputError = "city_unknown"   // a Latin city name we cannot map to Chinese
	ErrCityAmbiguous InputError = "city_ambiguous" // a Latin name of several cities (suzhou)

	ErrTextEmpty   InputError = "text_empty"
	ErrTextWords   InputError = "text_words"    // an address of digits alone
	ErrTextTooLong InputError = "text_too_long" // returned wrapped in a TooLongError
)

// TooLongError is ErrTextTooLong with the limit, which the user is told.
type TooLongError struct {
	Max int // characters (runes)
}

func (e TooLongError) Error() string {
	return fmt.Sprintf("%s: more than %d characters", ErrTextTooLong, e.Max)
}

// Unwrap makes errors.Is(err, ErrTextTooLong) true.
func (e TooLongError) Unwrap() error { return ErrTextTooLong }
