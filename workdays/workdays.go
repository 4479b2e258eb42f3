// Package workdays counts Chinese working days: Monday to Friday, except the public holidays of
// the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知), plus the weekend
// days that notice turns into working days (调休).
//
// # Calendar
//
// The holidays come from github.com/6tail/lunar-go's HolidayUtil, a maintained table of every
// notice since 2001-12-29. Version v1.4.7 (2026-11-06) knows the years 2002 to 2027. A year the
// table does not know is counted as plain weekdays (Covered reports which years are known), so
// a date in such a year may be off by the holidays and swapped days of that year.
//
// # Keeping it current
//
// The State Council publishes the next year's notice each year, usually in November, and
// lunar-go adds it within days (v1.4.6 added 2026 on 2025-11-05, v1.4.7 added 2027 on
// 2026-11-06). When it is out: `go get github.com/6tail/lunar-go@latest`, run this package's
// tests, and add the new year's National Day and a swapped workday to the table test after
// checking them against the notice. TestCalendarCoversThisYear fails when the current year is
// not in the table, so a build in January of a year nobody bumped the library for fails; in
// November and December it logs when next year is still missing. The wiring can call Check at
// start-up to log the same.
//
// # Dates
//
// A time's calendar date is its date in China Standard Time (UTC+8; China has no daylight
// saving time), whatever its location: 2025-09-30T20:00Z is 1 October in China. Results are
// midnight China time of the date found.
package workdays

import (
	"fmt"
	"strconv"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// china is China Standard Time. A fixed zone needs no tzdata on the machine.
var china = time.FixedZone("CST", 8*3600)

// China returns China Standard Time (UTC+8), the zone every date here is read in.
func China() *time.Location { return china }

// Date returns midnight China time of year-month-day.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, china)
}

// Day returns midnight China time of t's date in China.
func Day(t time.Time) time.Time {
	y, m, d := t.In(china).Date()
	return Date(y, m, d)
}

// Covered reports whether the calendar has the State Council's holiday notice for year.
func Covered(year int) bool {
	return HolidayUtil.GetHolidaysByYear(year).Len() > 0
}

// NoDataError is Check's error: the calendar has no holiday notice for Year.
type NoDataError struct{ Year int }

// Error says which year is missing and what to do.
func (e *NoDataError) Error() string {
	return "workdays: no holiday data for " + strconv.Itoa(e.Year) + "; update github.com/6tail/lunar-go"
}

// Check returns a *NoDataError when the calendar does not know the year of now (in China), or,
// from 1 December, the next year: that year's working days would be counted as plain weekdays.
func Check(now time.Time) error {
	t := now.In(china)
	if !Covered(t.Year()) {
		return &NoDataError{Year: t.Year()}
	}
	if t.Month() == time.December && !Covered(t.Year()+1) {
		return &NoDataError{Year: t.Year() + 1}
	}
	return nil
}

// IsWorkday reports whether t's date in China is a working day: a weekday that is not a public
// holiday, or a weekend day the State Council made a working day.
func IsWorkday(t time.Time) bool {
	y, m, d := t.In(china).Date()
	if h := HolidayUtil.GetHoliday(fmt.Sprintf("%04d%02d%02d", y, m, d)); h != nil {
		return h.IsWork()
	}
	wd := t.In(china).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// IsHoliday reports whether t's date in China is a public holiday of the State Council's notice
// (not merely a weekend).
func IsHoliday(t time.Time) bool {
	y, m, d := t.In(china).Date()
	h := HolidayUtil.GetHoliday(fmt.Sprintf("%04d%02d%02d", y, m, d))
	return h != nil && !h.IsWork()
}

// AddWorkdays returns the date n working days after from's date, at midnight China time.
//
// The day of from itself is not counted: a period counted in days starts on the next day
// (民法典 第二百零一条), so 「自收到投诉之日起七个工作日内」 for a complaint received on a
// Friday, with no holiday near, ends on the Tuesday after next — AddWorkdays(friday, 7). The
// result is always a working day when n > 0. n == 0 returns from's date; n < 0 counts back.
func AddWorkdays(from time.Time, n int) time.Time {
	d := Day(from)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if IsWorkday(d) {
			n--
		}
	}
	return d
}

// AddDays returns the date n calendar days after from's date (n < 0: before), at midnight China
// time. The day of from is not counted, as for AddWorkdays: AddDays(monday, 7) is the next
// Monday.
func AddDays(from time.Time, n int) time.Time {
	return Day(from).AddDate(0, 0, n)
}

// NextWorkday returns from's date if it is a working day, else the first working day after it,
// at midnight China time.
func NextWorkday(from time.Time) time.Time {
	d := Day(from)
	for !IsWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
