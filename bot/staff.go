package bot

import (
	"context"
	"errors"
	"html"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/bot/sender"
	"complaintbot/flows"
)

// CaseBook reads and changes finished cases. storage.Redis implements it.
type CaseBook interface {
	// Load returns a chat's session (a new one if it has none); the staff side reads the
	// complainant's current language from it.
	Load(ctx context.Context, chat int64) (flows.Session, error)
	// Complaint returns one case.
	Complaint(ctx context.Context, id string) (flows.Complaint, error)
	// Complaints returns the cases of ids that exist, in order.
	Complaints(ctx context.Context, ids []string) ([]flows.Complaint, error)
	// CaseIDs returns the id of every case ever stored, oldest first.
	CaseIDs(ctx context.Context) ([]string, error)
	// OpenCases returns the ids of the cases staff still handle, longest escalated first.
	OpenCases(ctx context.Context) ([]string, error)
	// UpdateStatus runs decide on the stored case and appends the change it returns to the
	// history, atomically; decide's error is returned wrapped and nothing changes.
	UpdateStatus(ctx context.Context, id string, decide func(flows.Complaint) (flows.StatusChange, error)) (flows.Complaint, flows.StatusChange, error)
	// SetWaiting marks the chat's session as waiting on the user for case id (Session.Waiting),
	// or clears the mark if it names id.
	SetWaiting(ctx context.Context, chat int64, id string, waiting bool) error
}

// EscalationQueue hands escalated cases to the staff side at least once. storage.Redis
// implements it.
type EscalationQueue interface {
	// PendingEscalations returns what consumer was given before and did not acknowledge.
	PendingEscalations(ctx context.Context, consumer string, count int) ([]flows.Escalation, error)
	// ReadEscalations returns new escalations (or ones another consumer left too long),
	// waiting up to block for some.
	ReadEscalations(ctx context.Context, consumer string, count int, block time.Duration) ([]flows.Escalation, error)
	// AckEscalation marks an escalation done.
	AckEscalation(ctx context.Context, e flows.Escalation) error
	// ClaimPosting takes a lease on posting case id, so two consumers do not post it at once.
	ClaimPosting(ctx context.Context, id, consumer string, lease time.Duration) (bool, error)
	// Posted reports whether MarkPosted was called for case id.
	Posted(ctx context.Context, id string) (bool, error)
	// MarkPosted records that case id is fully posted.
	MarkPosted(ctx context.Context, id string) (bool, error)
	// DeadEscalations returns up to count escalations set aside after failing again and
	// again, oldest first.
	DeadEscalations(ctx context.Context, count int) ([]flows.Escalation, error)
}

// StaffChatMap remembers where each case lives in the staff chat, and what staff are in the
// middle of. storage.Redis implements it.
type StaffChatMap interface {
	// StaffThread returns where case id was posted; the zero value when it was not.
	StaffThread(ctx context.Context, id string) (flows.StaffThread, error)
	// SetStaffTopic records the forum topic of case id, and maps the topic to the case.
	SetStaffTopic(ctx context.Context, id string, chat int64, topic int) error
	// SetStaffCard records the card of case id, maps it to the case and opens the case.
	SetStaffCard(ctx context.Context, id string, chat int64, card int, since time.Time) error
	// AddStaffMessages maps more messages of chat to case id.
	AddStaffMessages(ctx context.Context, id string, chat int64, msgs ...int) error
	// SetStaffPart records that part "evidence" or "document" of case id was posted.
	SetStaffPart(ctx context.Context, id, part string) error
	// StaffAttempt records one more attempt at part "topic" or "card" of case id and returns
	// how many there were, this one included.
	StaffAttempt(ctx context.Context, id, part string) (int, error)
	// SetStaffReplied records when the complainant last wrote to staff about case id.
	SetStaffReplied(ctx context.Context, id string, at time.Time) error
	// StaffCaseOf finds the case of forum topic topic, or else of the first of msgs that was
	// mapped; "" when none.
	StaffCaseOf(ctx context.Context, chat int64, topic int, msgs ...int) (string, error)
	// SetAwait remembers that staff member user's next message is the text of action on id.
	SetAwait(ctx context.Context, chat, user int64, id, action string) error
	// Await returns what SetAwait remembered, or empty strings.
	Await(ctx context.Context, chat, user int64) (id, action string, err error)
	// ClearAwait forgets it.
	ClearAwait(ctx context.Context, chat, user int64) error
	// Remind reports whether case id is due for a reminder at now, at most once per period.
	Remind(ctx context.Context, id string, now time.Time, period time.Duration) (bool, error)
}

// StaffStore is everything the staff side keeps. storage.Redis implements it.
type StaffStore interface {
	CaseBook
	EscalationQueue
	StaffChatMap
}

// The parts of a case's posting, as StaffChatMap.SetStaffPart names them.
const (
	partEvidence = "evidence"
	partDocument = "document"
	partTopic    = "topic" // StaffAttempt's
	partCard     = "card"  // StaffAttempt's
)

// staffSide is the bot's staff half: the escalation consumer, case handling in the staff chat
// and the relay between staff and complainants.
type staffSide struct {
	store   StaffStore // nil: no staff side
	members *memberCache
	forum   atomic.Bool // the staff chat is a forum: each case gets a topic (decided by RunStaff)
}

// enabled reports whether the staff side runs: a staff chat is configured and a store given.
func (b *Bot) staffEnabled() bool { return b.cfg.StaffChat != 0 && b.staff.store != nil }

// staffLang is the language of the staff chat.
func (b *Bot) staffLang() flows.Lang {
	if b.cfg.StaffLang == "" {
		return flows.LangZH
	}
	return b.cfg.StaffLang
}

// staffText renders a staff chat message.
func (b *Bot) staffText(key string, args map[string]any) string {
	s, err := b.render.cat.Render(b.staffLang(), key, args, html.EscapeString)
	if err != nil {
		b.log.Error("render staff message", "key", key, "err", err)
		return key
	}
	return s
}

// who names a staff member ("staff:<id>") in the staff chat.
func who(by string) flows.Text {
	id, ok := strings.CutPrefix(by, "staff:")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return flows.Text{Key: "staff_nobody"}
	}
	return flows.Text{Key: "staff_who", Args: map[string]any{"ID": n}}
}

// staffBy is the history's name of a staff member.
func staffBy(user int64) string { return "staff:" + strconv.FormatInt(user, 10) }

// handleStaff handles an update from the staff chat: a press of a case card's button, a
// command, a message in a case's topic or thread.
func (b *Bot) handleStaff(ctx context.Context, u *models.Update) {
	if !b.staffEnabled() {
		if u.CallbackQuery != nil {
			b.answerCallback(ctx, u.CallbackQuery.ID)
		}
		return
	}
	switch {
	case u.CallbackQuery != nil:
		b.staffButton(ctx, u.CallbackQuery)
	case u.Message != nil:
		b.staffMessage(ctx, u.Message)
	}
}

// isStaff reports whether user may act on cases: listed in STAFF_USER_IDS, or a member of the
// staff chat (creator, administrator or member). A failed lookup refuses.
func (b *Bot) isStaff(ctx context.Context, user int64) bool {
	if user == 0 {
		return false
	}
	if b.cfg.IsStaff(user) {
		return true
	}
	now := b.now()
	if ok, known := b.staff.members.get(user, now); known {
		return ok
	}
	var m *models.ChatMember
	err := b.send.Do(ctx, 0, func(ctx context.Context) error {
		var err error
		m, err = b.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: b.cfg.StaffChat, UserID: user})
		return err
	})
	if err != nil {
		if !errors.Is(err, tgbot.ErrorBadRequest) {
			b.log.Warn("staff membership lookup failed", "code", sender.Code(err))
			return false
		}
		m = &models.ChatMember{Type: models.ChatMemberTypeLeft} // "user not found"
	}
	ok := false
	switch m.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		ok = true
	}
	b.staff.members.put(user, ok, now)
	return ok
}

// memberCache remembers staff chat membership briefly, so that a busy staff chat does not ask
// Telegram at every press. It holds at most max users.
type memberCache struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	m   map[int64]member
}

type member struct {
	ok bool
	at time.Time
}

func newMemberCache(ttl time.Duration, max int) *memberCache {
	return &memberCache{ttl: ttl, max: max, m: map[int64]member{}}
}

// get returns the remembered answer for user and whether there is one still fresh at now.
func (c *memberCache) get(user int64, now time.Time) (ok, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, found := c.m[user]
	if !found || now.Sub(e.at) >= c.ttl || now.Before(e.at) {
		return false, false
	}
	return e.ok, true
}

// put remembers the answer for user, making room first: stale entries go, then any.
func (c *memberCache) put(user int64, ok bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for u, e := range c.m {
			if now.Sub(e.at) >= c.ttl {
				delete(c.m, u)
			}
		}
		for u := range c.m {
			if len(c.m) < c.max {
				break
			}
			delete(c.m, u)
		}
	}
	c.m[user] = member{ok: ok, at: now}
}

// len is the number of users remembered, for tests.
func (c *memberCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// answerStaff answers a press in the staff chat, as an alert when alert is set.
func (b *Bot) answerStaff(ctx context.Context, id, text string, alert bool) {
	if _, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
		CallbackQueryID: id, Text: text, ShowAlert: alert,
	}); err != nil {
		b.m.telegramError(err)
		b.log.Debug("answer staff callback query failed", "code", sender.Code(err))
	}
}

// plainText turns a rendered HTML message into the plain text of an alert or a topic name.
func plainText(s string) string {
	var out strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			out.WriteRune(r)
		}
	}
	return html.UnescapeString(out.String())
}
