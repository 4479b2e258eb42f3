package staff

import (
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"complaintbot/flows"
	"complaintbot/locales"
)

func TestStaffData(t *testing.T) {
	for _, a := range flows.CaseActions() {
		for _, id := range []string{"C-000001", "C-123456789012"} {
			data := staffData(a, id)
			if len(data) > 64 {
				t.Errorf("%q is %d bytes, over Telegram's 64", data, len(data))
			}
			if ga, gid, ok := parseStaffData(data); !ok || ga != a || gid != id {
				t.Errorf("parse %q = %q %q %v", data, ga, gid, ok)
			}
		}
	}
	for _, bad := range []string{"", "5:claim", "s:claim", "s:claim:", "s:claim:X-1", "x:claim:C-000001",
		"s:claim:C-" + strings.Repeat("9", 70)} {
		if _, _, ok := parseStaffData(bad); ok {
			t.Errorf("parse %q accepted", bad)
		}
	}
}

func TestMemberCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newMemberCache(time.Minute, 3)
	c.put(1, true, now)
	c.put(2, false, now)
	if ok, known := c.get(1, now.Add(59*time.Second)); !ok || !known {
		t.Error("fresh member forgotten")
	}
	if ok, known := c.get(2, now); ok || !known {
		t.Error("fresh refusal forgotten")
	}
	if _, known := c.get(1, now.Add(time.Minute)); known {
		t.Error("stale answer trusted")
	}
	for u := range int64(100) {
		c.put(10+u, true, now.Add(time.Duration(u)*time.Second))
	}
	if n := c.len(); n > 3 {
		t.Errorf("cache holds %d users, bound 3", n)
	}
	if ok, known := c.get(109, now.Add(99*time.Second)); !ok || !known {
		t.Error("the newest answer was evicted")
	}
}

func TestRemindEvery(t *testing.T) {
	for _, tc := range []struct {
		periods []time.Duration
		want    time.Duration
	}{
		{[]time.Duration{0, 0}, 0},
		{[]time.Duration{4 * time.Hour, 24 * time.Hour}, time.Minute},
		{[]time.Duration{0, 5 * time.Minute}, 30 * time.Second},
		{[]time.Duration{time.Minute, 0}, 6 * time.Second},
	} {
		if got := remindEvery(tc.periods...); got != tc.want {
			t.Errorf("remindEvery(%v) = %s, want %s", tc.periods, got, tc.want)
		}
	}
}

func TestDue(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	esc := flows.StatusChange{Status: flows.StatusEscalated, At: t0, By: "user"}
	claim := flows.StatusChange{Status: flows.StatusClaimed, At: t0.Add(time.Hour), By: "staff:1", Event: "claim"}
	ask := flows.StatusChange{Status: flows.StatusWaiting, At: t0.Add(2 * time.Hour), By: "staff:1", Event: "ask", Note: "?"}
	for _, tc := range []struct {
		name    string
		c       flows.Complaint
		replied time.Time
		key     string
		since   time.Time
	}{
		{"unclaimed", flows.Complaint{Status: flows.StatusEscalated, History: []flows.StatusChange{esc}}, time.Time{}, "staff_remind_unclaimed", t0},
		{"claimed", flows.Complaint{Status: flows.StatusClaimed, History: []flows.StatusChange{esc, claim}}, time.Time{}, "staff_remind_waiting", t0.Add(time.Hour)},
		{"waiting for the complainant", flows.Complaint{Status: flows.StatusWaiting, History: []flows.StatusChange{esc, claim, ask}}, time.Time{}, "", time.Time{}},
		{"the complainant answered", flows.Complaint{Status: flows.StatusWaiting, History: []flows.StatusChange{esc, claim, ask}}, t0.Add(5 * time.Hour), "staff_remind_waiting", t0.Add(5 * time.Hour)},
		{"resolved", flows.Complaint{Status: flows.StatusResolved}, time.Time{}, "", time.Time{}},
	} {
		key, since, _ := due(tc.c, flows.StaffThread{Replied: tc.replied}, time.Hour, 2*time.Hour)
		if key != tc.key || !since.Equal(tc.since) {
			t.Errorf("%s: due = %q %v, want %q %v", tc.name, key, since, tc.key, tc.since)
		}
	}
}

func TestAge(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		key  string
		args map[string]any
	}{
		{90 * time.Second, "age_minutes", map[string]any{"M": 2}},
		{3*time.Hour + 5*time.Minute, "age_hours", map[string]any{"H": 3, "M": 5}},
		{50 * time.Hour, "age_days", map[string]any{"D": 2, "H": 2}},
	} {
		got := age(tc.d)
		if got.Key != tc.key || len(got.Args) != len(tc.args) {
			t.Errorf("age(%s) = %+v", tc.d, got)
		}
		for k, v := range tc.args {
			if got.Args[k] != v {
				t.Errorf("age(%s) %s = %v, want %v", tc.d, k, got.Args[k], v)
			}
		}
	}
}

func TestPlainText(t *testing.T) {
	if got := plainText(`<b>案件</b> &lt;x&gt; <a href="tg://user?id=1">#1</a>`); got != "案件 <x> #1" {
		t.Errorf("plainText = %q", got)
	}
}

// TestCardText: a card keeps to Telegram's limit however long the history, shows the newest
// entries, and names nobody by their Telegram account.
func TestCardText(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := &Desk{cfg: Config{Location: time.UTC, Lang: flows.LangZH}, cat: cat, log: slog.New(slog.DiscardHandler)}
	c := flows.Complaint{ID: "C-000042", Chat: 987654321, User: 987654321, Lang: flows.LangZH, Complainant: flows.Individual,
		Charge: flows.SIMFee, Provider: flows.Provider{Name: "拉卡拉<支付>"}, Status: flows.StatusClaimed,
		Deductions: []flows.Deduction{{Date: "2025-01-01", Amount: 9900, Method: flows.FromSettlement}},
		Requests:   []flows.RequestKind{flows.RequestRefund, flows.RequestOther}, OtherRequest: "赔礼道歉",
		Contact: flows.Contact{Name: "李四", Phone: "13900139000"}}
	at := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range 300 {
		c.History = append(c.History, flows.StatusChange{Status: flows.StatusClaimed, At: at.Add(time.Duration(i) * time.Minute),
			By: "staff:7", Event: "note", Note: strings.Repeat("很长的备注", 90) + strconv.Itoa(i)})
	}
	text, err := d.cardText(c, flows.StaffThread{})
	if err != nil {
		t.Fatal(err)
	}
	if !fits(text) {
		t.Fatalf("the card is %d characters", len([]rune(text)))
	}
	for _, want := range []string{"C-000042", "拉卡拉&lt;支付&gt;", "其他：赔礼道歉", "李四 · 13900139000", "299", "条记录"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	if strings.Contains(text, "987654321") {
		t.Error("the card names the complainant's Telegram account")
	}
}

// FuzzStaffData: staff callback data of any shape is refused or names a known action and a
// case id, and never panics.
func FuzzStaffData(f *testing.F) {
	for _, s := range []string{"s:claim:C-000001", "s:note:C-1", "s::", "s:claim:", "5:claim", "s:claim:C-" + strings.Repeat("9", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		a, id, ok := parseStaffData(data)
		if !ok {
			return
		}
		if len(data) > 64 || !slices.Contains(flows.CaseActions(), a) || !strings.HasPrefix(id, "C-") {
			t.Fatalf("parseStaffData(%q) = %q %q, accepted", data, a, id)
		}
	})
}

// TestTakenFrom: a claim names whom it took the case from only when someone else had it in hand.
func TestTakenFrom(t *testing.T) {
	esc := flows.StatusChange{Status: flows.StatusEscalated, By: "user", Update: 0}
	claim := func(by string, u int64) flows.StatusChange {
		return flows.StatusChange{Status: flows.StatusClaimed, Event: "claim", By: by, Update: u}
	}
	ask := flows.StatusChange{Status: flows.StatusWaiting, Event: "ask", By: "staff:1", Update: 3}
	resolve := flows.StatusChange{Status: flows.StatusResolved, Event: "resolve", By: "staff:1", Update: 4}
	reopen := flows.StatusChange{Status: flows.StatusClaimed, Event: "reopen", By: "staff:1", Update: 5}
	for _, tc := range []struct {
		name string
		h    []flows.StatusChange
		ch   flows.StatusChange // the change made: the last of h, or an earlier one of h by its update
		want string
	}{
		{"first claim", []flows.StatusChange{esc, claim("staff:1", 2)}, claim("staff:1", 2), ""},
		{"claimed by another", []flows.StatusChange{esc, claim("staff:1", 2), claim("staff:2", 7)}, claim("staff:2", 7), "staff:1"},
		{"taken back from another while waiting", []flows.StatusChange{esc, claim("staff:1", 2), ask, claim("staff:2", 7)}, claim("staff:2", 7), "staff:1"},
		{"one's own case taken back from waiting", []flows.StatusChange{esc, claim("staff:1", 2), ask, claim("staff:1", 7)}, claim("staff:1", 7), ""},
		{"after a reopen by another", []flows.StatusChange{esc, claim("staff:1", 2), resolve, reopen, claim("staff:2", 7)}, claim("staff:2", 7), "staff:1"},
		{"a resolve is no claim", []flows.StatusChange{esc, claim("staff:1", 2), resolve}, resolve, ""},
		{"delivered again after more changes", []flows.StatusChange{esc, claim("staff:1", 2), claim("staff:2", 7), ask}, claim("staff:2", 7), "staff:1"},
		{"escalated again after a claim", []flows.StatusChange{esc, claim("staff:1", 2), esc, claim("staff:2", 7)}, claim("staff:2", 7), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := flows.Complaint{History: tc.h, Status: tc.h[len(tc.h)-1].Status}
			if got := takenFrom(c, tc.ch); got != tc.want {
				t.Errorf("takenFrom = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseCaseID: /case takes a case id as staff type it, on a Chinese keyboard too.
func TestParseCaseID(t *testing.T) {
	for _, tc := range []struct {
		name, arg, want string
	}{
		{"canonical", "C-000123", "C-000123"},
		{"number alone", "123", "C-000123"},
		{"lower case", "c-123", "C-000123"},
		{"no hyphen", "C000123", "C-000123"},
		{"with a hash", "#C-000123", "C-000123"},
		{"full-width", "Ｃ－０００１２３", "C-000123"},
		{"full-width digits alone", "１２３", "C-000123"},
		{"spaces around", "\u3000 C-000123 \n", "C-000123"},
		{"seven digits", "C-1234567", "C-1234567"},
		{"empty", "", ""},
		{"zero", "C-000000", ""},
		{"negative", "C--5", ""},
		{"letters", "C-12a", ""},
		{"hostile", "../../<b>x</b>", ""},
		{"two ids", "C-1 C-2", ""},
		{"another prefix", "X-000123", ""},
		{"too long", "C-" + strings.Repeat("9", 30), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseCaseID(tc.arg)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("parseCaseID(%q) = %q, %v; want %q", tc.arg, got, ok, tc.want)
			}
		})
	}
}

// TestSplitCommand: a staff command and its argument are split at any space, as typed on a
// Chinese keyboard (the ideographic space) or on a new line; the bot's name after @ is kept apart.
func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		text, cmd, bot, args string
	}{
		{"/case C-000001", "case", "", "C-000001"},
		{"/case\u3000C-000001", "case", "", "C-000001"},
		{"/case\nC-000001", "case", "", "C-000001"},
		{"/case\tC-000001 ", "case", "", "C-000001"},
		{"/Queue@Complaint_Bot", "queue", "complaint_bot", ""},
		{"/case@complaint_bot 12", "case", "complaint_bot", "12"},
		{"/stats", "stats", "", ""},
		{"/", "", "", ""},
	} {
		cmd, bot, args := splitCommand(tc.text)
		if cmd != tc.cmd || bot != tc.bot || args != tc.args {
			t.Errorf("splitCommand(%q) = %q, %q, %q; want %q, %q, %q", tc.text, cmd, bot, args, tc.cmd, tc.bot, tc.args)
		}
	}
}

// FuzzParseCaseID: whatever staff type after /case, the id it yields is one /case can name.
func FuzzParseCaseID(f *testing.F) {
	for _, s := range []string{"C-000123", "１２３", "#c000001", "C--5", "", "\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		id, ok := parseCaseID(arg)
		if ok != (id != "") {
			t.Fatalf("parseCaseID(%q) = %q, %v", arg, id, ok)
		}
		if !ok {
			return
		}
		n, err := strconv.Atoi(strings.TrimPrefix(id, "C-"))
		if !strings.HasPrefix(id, "C-") || err != nil || n <= 0 || len(id) < len("C-000001") || fmt.Sprintf("C-%06d", n) != id {
			t.Fatalf("parseCaseID(%q) = %q, not a case id", arg, id)
		}
	})
}

// TestCardNamesTheLanguage: the card says which language the complainant reads, so that staff
// write their questions in it (the bot's words around them are translated, theirs are not).
func TestCardNamesTheLanguage(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		staff, user flows.Lang
		want        string
	}{
		{flows.LangZH, flows.LangEN, "沟通语言：English"},
		{flows.LangZH, flows.LangZH, "沟通语言：中文"},
		{flows.LangEN, flows.LangZH, "Language: 中文"},
		{flows.LangZH, "", "沟通语言：中文"}, // a record from before languages were kept: Chinese, as the bot reads it
	} {
		d := &Desk{cfg: Config{Location: time.UTC, Lang: tc.staff}, cat: cat, log: slog.New(slog.DiscardHandler)}
		c := flows.Complaint{ID: "C-000042", Lang: tc.user, Charge: flows.SIMFee, Status: flows.StatusEscalated}
		text, err := d.cardText(c, flows.StaffThread{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, tc.want) {
			t.Errorf("staff in %s, complainant in %q: the card lacks %q:\n%s", tc.staff, tc.user, tc.want, text)
		}
	}
}

// TestCardWithUnknownValues: a case written by another release (a charge kind, complainant type,
// payment method or request this one does not know) still has a card, its values shown as
// stored: a card that cannot be rendered is never posted, and its case never reaches staff.
func TestCardWithUnknownValues(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	d := &Desk{cfg: Config{Location: time.UTC, Lang: flows.LangZH}, cat: cat, log: slog.New(slog.DiscardHandler)}
	c := flows.Complaint{ID: "C-000042", Status: flows.StatusEscalated, Complainant: "ngo", Charge: "rental_fee",
		Deductions: []flows.Deduction{{Date: "2025-01-01", Amount: 9900, Method: "cash"}},
		Requests:   []flows.RequestKind{flows.RequestRefund, "apology"}}
	text, err := d.cardText(c, flows.StaffThread{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"投诉人类型：ngo", "费用类型：rental_fee", "cash", "apology", "退还扣款"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card lacks %q:\n%s", want, text)
		}
	}
}
