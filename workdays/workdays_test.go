package workdays

import (
	"errors"
	"testing"
	"time"
)

// day parses "2006-01-02" as midnight China time.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, China())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The 2025 and 2026 rows were checked against lunar-go v1.4.7's table, which follows the State
// Council's notices: 国庆中秋 2025-10-01..08 with Sunday 09-28 and Saturday 10-11 worked; 2026
// 中秋 09-25..27, 国庆 10-01..07 with Sunday 09-20 and Saturday 10-10 worked.
func TestIsWorkday(t *testing.T) {
	tests := []struct {
		date    string
		work    bool
		holiday bool
	}{
		{"2025-09-26", true, false},  // Friday
		{"2025-09-27", false, false}, // Saturday
		{"2025-09-28", true, false},  // Sunday, worked for National Day
		{"2025-09-30", true, false},
		{"2025-10-01", false, true},
		{"2025-10-04", false, true}, // Saturday within the holiday
		{"2025-10-08", false, true}, // Wednesday, last day of the holiday
		{"2025-10-09", true, false},
		{"2025-10-11", true, false}, // Saturday, worked for National Day
		{"2025-10-12", false, false},
		{"2026-01-04", true, false}, // Sunday, worked for New Year
		{"2026-02-14", true, false}, // Saturday, worked for Spring Festival
		{"2026-02-17", false, true}, // Spring Festival
		{"2026-09-20", true, false}, // Sunday, worked for National Day
		{"2026-09-25", false, true}, // Mid-Autumn, a Friday
		{"2026-10-01", false, true},
		{"2026-10-07", false, true},
		{"2026-10-08", true, false},
		{"2026-10-10", true, false}, // Saturday, worked for National Day
		{"2026-10-11", false, false},
		{"2026-12-04", true, false}, // an ordinary Friday
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d := day(t, tt.date)
			if got := IsWorkday(d); got != tt.work {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.work)
			}
			if got := IsHoliday(d); got != tt.holiday {
				t.Errorf("IsHoliday(%s) = %v, want %v", tt.date, got, tt.holiday)
			}
		})
	}
}

func TestDateIsChinas(t *testing.T) {
	// 20:00 UTC on 30 September is 04:00 on 1 October in China: a holiday.
	utc := time.Date(2025, 9, 30, 20, 0, 0, 0, time.UTC)
	if IsWorkday(utc) {
		t.Error("2025-09-30T20:00Z counted as a working day; in China it is 1 October")
	}
	if got, want := Day(utc), day(t, "2025-10-01"); !got.Equal(want) {
		t.Errorf("Day = %v, want %v", got, want)
	}
	// flows.Date.Time gives midnight UTC, which is the same date in China.
	if !IsWorkday(time.Date(2025, 9, 28, 0, 0, 0, 0, time.UTC)) {
		t.Error("2025-09-28 at midnight UTC is not a working day")
	}
}

func TestAddWorkdays(t *testing.T) {
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"plain week", "2025-03-03", 7, "2025-03-12"},
		{"received Friday before National Day 2025, Sunday and Saturday worked", "2025-09-26", 7, "2025-10-13"},
		{"received the day before National Day 2025", "2025-09-30", 7, "2025-10-16"},
		{"received on a holiday", "2025-10-01", 7, "2025-10-16"},
		{"received before a swapped Saturday", "2025-10-10", 7, "2025-10-20"},
		{"one working day after the holiday eve", "2025-09-30", 1, "2025-10-09"},
		{"received Friday before 2026's swapped Sunday and Mid-Autumn", "2026-09-18", 7, "2026-09-29"},
		{"received the day before National Day 2026", "2026-09-30", 7, "2026-10-15"},
		{"received before 2026's swapped Saturday", "2026-10-09", 7, "2026-10-19"},
		{"zero is the day itself", "2025-10-04", 0, "2025-10-04"},
		{"counting back", "2025-10-13", -7, "2025-09-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AddWorkdays(day(t, tt.from), tt.n)
			if want := day(t, tt.want); !got.Equal(want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateOnly), tt.want)
			}
			if tt.n > 0 && !IsWorkday(got) {
				t.Errorf("AddWorkdays(%s, %d) = %s, not a working day", tt.from, tt.n, got.Format(time.DateOnly))
			}
		})
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-09-26", 7, "2025-10-03"}, // calendar days ignore holidays
		{"2025-12-29", 7, "2026-01-05"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2025-10-03", -7, "2025-09-26"},
	}
	for _, tt := range tests {
		if got := AddDays(day(t, tt.from), tt.n); !got.Equal(day(t, tt.want)) {
			t.Errorf("AddDays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateOnly), tt.want)
		}
	}
	// the time of day and the zone do not matter, only China's date
	late := time.Date(2025, 9, 26, 23, 30, 0, 0, time.UTC) // 27 September in China
	if got := AddDays(late, 1); !got.Equal(day(t, "2025-09-28")) {
		t.Errorf("AddDays(27 Sep in China, 1) = %s", got.Format(time.RFC3339))
	}
}

func TestNextWorkday(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2025-10-01", "2025-10-09"},
		{"2025-09-27", "2025-09-28"}, // Saturday → the swapped Sunday
		{"2025-10-09", "2025-10-09"},
		{"2026-10-03", "2026-10-08"},
	}
	for _, tt := range tests {
		if got := NextWorkday(day(t, tt.from)); !got.Equal(day(t, tt.want)) {
			t.Errorf("NextWorkday(%s) = %s, want %s", tt.from, got.Format(time.DateOnly), tt.want)
		}
	}
}

func TestCovered(t *testing.T) {
	for _, y := range []int{2002, 2025, 2026, 2027} {
		if !Covered(y) {
			t.Errorf("Covered(%d) = false; lunar-go v1.4.7 has it", y)
		}
	}
	for _, y := range []int{1999, 2100} {
		if Covered(y) {
			t.Errorf("Covered(%d) = true", y)
		}
	}
	// A year the table lacks falls back to plain weekdays.
	if !IsWorkday(day(t, "2100-10-01")) { // a Friday
		t.Error("2100-10-01 (Friday, no data) is not a working day")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		now     string
		missing int // 0: no error
	}{
		{"2026-06-01", 0},
		{"2026-12-31", 0}, // 2027 is in v1.4.7
		{"2027-11-30", 0},
		{"2027-12-01", 2028},
		{"2028-01-01", 2028},
	}
	for _, tt := range tests {
		err := Check(day(t, tt.now))
		var nd *NoDataError
		switch {
		case tt.missing == 0 && err != nil:
			t.Errorf("Check(%s) = %v, want nil", tt.now, err)
		case tt.missing != 0 && (!errors.As(err, &nd) || nd.Year != tt.missing):
			t.Errorf("Check(%s) = %v, want no data for %d", tt.now, err, tt.missing)
		}
	}
}

// TestCalendarCoversThisYear fails when the calendar does not know the current year, so that a
// build in a year nobody updated lunar-go for fails; late in the year it only logs when next
// year's notice is still missing, since the State Council publishes it in November or later and
// a build must not fail for a notice that does not exist yet. See the package comment.
func TestCalendarCoversThisYear(t *testing.T) {
	now := time.Now().In(China())
	if !Covered(now.Year()) {
		t.Fatalf("lunar-go has no holidays for %d: update it (see the package comment)", now.Year())
	}
	if now.Month() >= time.November && !Covered(now.Year()+1) {
		t.Logf("lunar-go has no holidays for %d yet: update it once the State Council's notice is out", now.Year()+1)
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	from := Date(2025, 9, 26)
	for b.Loop() {
		AddWorkdays(from, 7)
	}
}
