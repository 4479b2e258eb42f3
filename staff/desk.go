// Package staff is the staff desk of complaintbot: every escalated case posted to the staff
// chat (a forum topic or a reply thread per case: its card with the buttons, its evidence, its
// .docx), the buttons and commands staff act with (claim, ask, resolve, reject, reopen, note;
// /queue, /case, /stats, /export), the relay between staff and complainants, and the
// reminders of forgotten cases. It reads and keeps its state through small interfaces of its
// own, which storage.Redis implements, and calls Telegram through the sender the bot uses; the
// bot hands it the staff chat's updates (Handle) and the complainants' answers (Relay).
package staff

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/locales"
	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// Config is the staff desk's settings. The wiring (package app) reads and checks them.
type Config struct {
	Chat     int64          // the staff chat (STAFF_CHAT_ID); required
	Users    []int64        // staff besides the staff chat's members (STAFF_USER_IDS)
	Lang     flows.Lang     // the staff chat's language (STAFF_LANG); zh-CN when empty
	Forum    ForumMode      // whether each case gets a forum topic (STAFF_FORUM); auto when empty
	Location *time.Location // the zone times are shown in; UTC when nil
	// Consumer is this process's name in the escalation queue (STAFF_CONSUMER): unique per
	// running instance and the same across its restarts, so that a restarted process finishes
	// its own unacknowledged work at once; "complaintbot" when empty.
	Consumer string
	// RemindUnclaimed: a case nobody claimed for this long is raised again in the staff chat,
	// and again every such period (STAFF_REMIND_UNCLAIMED); 0 turns it off.
	RemindUnclaimed time.Duration
	// RemindWaiting: a claimed case (or one whose complainant answered) that waited on staff
	// this long is raised again, once per such period (STAFF_REMIND_WAITING); 0 turns it off.
	RemindWaiting time.Duration
}

// ForumMode says whether the staff chat is used as a forum, each case in its own topic.
type ForumMode string

// The values of STAFF_FORUM.
const (
	ForumAuto ForumMode = "auto" // ask Telegram (getChat's is_forum) at start-up; the default
	ForumOn   ForumMode = "on"   // a topic per case (the bot needs the right to manage topics)
	ForumOff  ForumMode = "off"  // an ordinary group: each case card starts a reply thread
)

// IsStaff reports whether a user is listed as staff.
func (c Config) IsStaff(user int64) bool {
	for _, u := range c.Users {
		if u == user {
			return true
		}
	}
	return false
}

// Cases reads and changes finished cases. storage.Redis implements it.
type Cases interface {
	// Complaint returns one case.
	Complaint(ctx context.Context, id string) (flows.Complaint, error)
	// Complaints returns the cases of ids that exist, in order, and the ids of those whose
	// records cannot be read, which never fail the others.
	Complaints(ctx context.Context, ids []string) (cases []flows.Complaint, unreadable []string, err error)
	// CaseIDs returns the id of every case ever stored, oldest first.
	CaseIDs(ctx context.Context) ([]string, error)
	// OpenCases returns the ids of the cases staff still handle, longest escalated first.
	OpenCases(ctx context.Context) ([]string, error)
	// UpdateStatus runs decide on the stored case and appends the change it returns to the
	// history, atomically; decide's error is returned wrapped and nothing changes.
	UpdateStatus(ctx context.Context, id string, decide func(flows.Complaint) (flows.StatusChange, error)) (flows.Complaint, flows.StatusChange, error)
}

// Complainants are the complainants' sessions, as far as staff touch them. storage.Redis
// implements it.
type Complainants interface {
	// Load returns a chat's session (a new one if it has none); the desk reads the
	// complainant's current language from it.
	Load(ctx context.Context, chat int64) (flows.Session, error)
	// SetWaiting marks the chat's session as waiting on the user for case id (Session.Waiting),
	// or clears the mark if it names id.
	SetWaiting(ctx context.Context, chat int64, id string, waiting bool) error
	// Cases returns the chat's cases, newest first: another of them may still wait for the
	// complainant when one closes.
	Cases(ctx context.Context, chat int64) ([]flows.Complaint, error)
}

// Queue hands escalated cases to the desk at least once. storage.Redis implements it.
type Queue interface {
	// PendingEscalations returns what consumer was given before and did not acknowledge.
	PendingEscalations(ctx context.Context, consumer string, count int) ([]flows.Escalation, error)
	// ReadEscalations returns new escalations (or ones another consumer left too long),
	// waiting up to block for some.
	ReadEscalations(ctx context.Context, consumer string, count int, block time.Duration) ([]flows.Escalation, error)
	// AckEscalation marks an escalation done.
	AckEscalation(ctx context.Context, e flows.Escalation) error
	// DeadEscalations returns up to count escalations set aside after failing again and
	// again, oldest first.
	DeadEscalations(ctx context.Context, count int) ([]flows.Escalation, error)
}

// Postings records how far the posting of each case got, so that a redelivered escalation
// resumes after the last part Telegram accepted. storage.Redis implements it.
type Postings interface {
	// ClaimPosting takes a lease on posting case id, so two consumers do not post it at once.
	ClaimPosting(ctx context.Context, id, consumer string, lease time.Duration) (bool, error)
	// Posted reports whether MarkPosted was called for case id.
	Posted(ctx context.Context, id string) (bool, error)
	// MarkPosted records that case id is fully posted.
	MarkPosted(ctx context.Context, id string) (bool, error)
	// StaffAttempt records one more attempt at part "topic", "card", "evidence" or "document"
	// of case id and returns how many there were, this one included.
	StaffAttempt(ctx context.Context, id, part string) (int, error)
	// SetStaffTopic records the forum topic of case id, and maps the topic to the case.
	SetStaffTopic(ctx context.Context, id string, chat int64, topic int) error
	// SetStaffCard records the card of case id, maps it to the case and opens the case.
	SetStaffCard(ctx context.Context, id string, chat int64, card int, since time.Time) error
	// SetStaffPart records that part "evidence" or "document" of case id was posted.
	SetStaffPart(ctx context.Context, id, part string) error
}

// Threads remembers where each case lives in the staff chat. storage.Redis implements it.
type Threads interface {
	// StaffThread returns where case id was posted; the zero value when it was not.
	StaffThread(ctx context.Context, id string) (flows.StaffThread, error)
	// AddStaffMessages maps more messages of chat to case id.
	AddStaffMessages(ctx context.Context, id string, chat int64, msgs ...int) error
	// StaffCaseOf finds the case of forum topic topic, or else of the first of msgs that was
	// mapped; "" when none.
	StaffCaseOf(ctx context.Context, chat int64, topic int, msgs ...int) (string, error)
	// SetStaffReplied records when the complainant last wrote to staff about case id.
	SetStaffReplied(ctx context.Context, id string, at time.Time) error
}

// Awaits remembers what a staff member's messages in a case's topic or thread are for: the
// question, reason or note of a button they pressed, one per staff member and case.
// storage.Redis implements it.
type Awaits interface {
	// SetAwait remembers that staff member user's next message on case id is the text of action.
	SetAwait(ctx context.Context, chat, user int64, id, action string) error
	// PendingActions returns what SetAwait remembered for user, oldest first.
	PendingActions(ctx context.Context, chat, user int64) ([]flows.PendingAction, error)
	// ClearAwait forgets it for case id; for every case when id is "".
	ClearAwait(ctx context.Context, chat, user int64, id string) error
}

// Erasures hands the desk the cases whose complainants erased their data, so that it removes
// its copy in the staff chat. storage.Redis implements it.
type Erasures interface {
	// ErasedCases returns up to count erased cases still to remove from the staff chat.
	ErasedCases(ctx context.Context, count int) ([]string, error)
	// DoneErased records that case id's copy was removed.
	DoneErased(ctx context.Context, id string) error
	// StaffMessagesOf returns the messages posted for case id besides its card and topic.
	StaffMessagesOf(ctx context.Context, id string) ([]flows.StaffMessage, error)
}

// Journal remembers how far each staff chat update got, so that an update Telegram delivers
// again (after a failure, or a duplicate) is carried out once, or repeated marked as such.
// storage.Redis implements it.
type Journal interface {
	// StaffUpdate returns the state SetStaffUpdate recorded for update; "" when none.
	StaffUpdate(ctx context.Context, update int64) (string, error)
	// SetStaffUpdate records the state of update for as long as Telegram may deliver it again.
	SetStaffUpdate(ctx context.Context, update int64, state string) error
}

// Reminders spaces the reminders of forgotten cases, across processes. storage.Redis
// implements it.
type Reminders interface {
	// Remind reports whether case id is due for a reminder at now, at most once per period.
	Remind(ctx context.Context, id string, now time.Time, period time.Duration) (bool, error)
}

// Sender runs every outgoing Bot API call within Telegram's limits. sender.Sender implements it.
type Sender interface {
	Do(ctx context.Context, chatID int64, call func(ctx context.Context) error) error
}

// Metrics counts failures. bot.Metrics implements it.
type Metrics interface {
	RedisError() // storage failed
}

// Deps are the parts the desk is built from. Every one is required but Log, Metrics and Now.
type Deps struct {
	Telegram *tgbot.Bot // the Bot API client from botapi.NewTelegram (its failures are *botapi.Error), used for its methods only (never Start)
	Sender   Sender
	Catalog  *locales.Catalog
	Docs     *document.Renderer
	Log      *slog.Logger
	Metrics  Metrics          // nil: nothing counted
	Now      func() time.Time // the clock; time.Now when nil

	Cases        Cases
	Complainants Complainants
	Queue        Queue
	Postings     Postings
	Threads      Threads
	Awaits       Awaits
	Reminders    Reminders
	Journal      Journal
	Erasures     Erasures
}

// stores are the desk's parts of storage together.
type stores struct {
	Cases
	Complainants
	Queue
	Postings
	Threads
	Awaits
	Reminders
	Journal
	Erasures
}

// The parts of a case's posting, as Postings.SetStaffPart and StaffAttempt name them.
const (
	partEvidence = "evidence"
	partDocument = "document"
	partTopic    = "topic" // StaffAttempt's
	partCard     = "card"  // StaffAttempt's
)

// Desk is the staff desk: the escalation consumer, case handling in the staff chat, the relay
// between staff and complainants, and the reminders.
type Desk struct {
	cfg     Config
	tg      *tgbot.Bot
	send    Sender
	cat     *locales.Catalog
	docs    *document.Renderer
	log     *slog.Logger
	m       Metrics
	now     func() time.Time
	st      stores
	members *memberCache
	self    *botapi.Self // the bot's username: a command naming another bot is that bot's
	forum   atomic.Bool  // the staff chat is a forum: each case gets a topic (decided by Run)

	mu         sync.Mutex
	toldUnable map[int64]time.Time // when each staff member was last told the bot cannot save
}

// selfTimeout bounds the getMe that learns the bot's username; a command waits for it once.
const selfTimeout = 10 * time.Second

// New builds a desk for the staff chat cfg.Chat.
func New(cfg Config, d Deps) (*Desk, error) {
	if cfg.Chat == 0 {
		return nil, errors.New("staff: no staff chat")
	}
	if d.Telegram == nil || d.Sender == nil || d.Catalog == nil || d.Docs == nil || d.Cases == nil ||
		d.Complainants == nil || d.Queue == nil || d.Postings == nil || d.Threads == nil || d.Awaits == nil || d.Reminders == nil || d.Journal == nil || d.Erasures == nil {
		return nil, errors.New("staff: missing a dependency")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = noMetrics{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Forum == "" {
		cfg.Forum = ForumAuto
	}
	tg := d.Telegram
	self := botapi.NewSelf(func(ctx context.Context) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, selfTimeout)
		defer cancel()
		me, err := tg.GetMe(ctx)
		if err != nil {
			return "", err
		}
		return me.Username, nil
	})
	return &Desk{
		cfg: cfg, tg: d.Telegram, send: d.Sender, cat: d.Catalog, docs: d.Docs, log: d.Log, m: d.Metrics, now: d.Now,
		st: stores{Cases: d.Cases, Complainants: d.Complainants, Queue: d.Queue, Postings: d.Postings,
			Threads: d.Threads, Awaits: d.Awaits, Reminders: d.Reminders, Journal: d.Journal, Erasures: d.Erasures},
		members:    newMemberCache(memberTTL, maxMembersCached),
		self:       self,
		toldUnable: map[int64]time.Time{},
	}, nil
}

// noMetrics counts nothing.
type noMetrics struct{}

func (noMetrics) RedisError() {}

// messageLimit is Telegram's limit on a message's text, in UTF-16 code units after parsing.
const messageLimit = 4096

// staffLang is the language of the staff chat.
func (d *Desk) staffLang() flows.Lang {
	if d.cfg.Lang == "" {
		return flows.LangZH
	}
	return d.cfg.Lang
}

// staffText renders a staff chat message.
func (d *Desk) staffText(key string, args map[string]any) string {
	s, err := d.cat.Render(d.staffLang(), key, args, html.EscapeString)
	if err != nil {
		d.log.Error("render staff message", "key", key, "err", err)
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

// Handle handles an update from the staff chat: a press of a case card's button, a command, a
// message in a case's topic or thread. It answers button presses itself, some with an alert.
// Like a complainant's, a staff update is done only once its effect is committed: when storage
// fails it returns an error, the update is to be delivered again (5xx to the webhook), and the
// staff member is told, once a minute at most, that the bot is briefly unable to save.
// Delivered again, what it began is carried out once, or repeated marked as a repeat.
func (d *Desk) Handle(ctx context.Context, u *models.Update) error {
	var err error
	switch {
	case u.CallbackQuery != nil:
		err = d.staffButton(ctx, u.ID, u.CallbackQuery)
	case u.Message != nil:
		err = d.staffMessage(ctx, u.ID, u.Message)
	case u.EditedMessage != nil:
		err = d.staffEdit(ctx, u.EditedMessage)
	}
	if err == nil {
		return nil
	}
	if !errors.Is(err, errStore) {
		d.log.Error("staff update failed", "err", err) // a bug: not worth delivering again
		return nil
	}
	d.m.RedisError()
	d.tellUnable(ctx, u)
	return fmt.Errorf("staff update %d: %w", u.ID, err)
}

// unableEvery is how often one staff member is told the bot is briefly unable to save.
const unableEvery = time.Minute

// tellUnable tells the staff member behind u that the bot is briefly unable to save, at most
// once per unableEvery, as an alert on a press or a reply to a message; a press is answered
// whatever happens, so that its button stops spinning.
func (d *Desk) tellUnable(ctx context.Context, u *models.Update) {
	var user int64
	switch {
	case u.CallbackQuery != nil:
		user = u.CallbackQuery.From.ID
	case u.Message != nil && u.Message.From != nil:
		user = u.Message.From.ID
	}
	now := d.now()
	d.mu.Lock()
	tell := now.Sub(d.toldUnable[user]) >= unableEvery
	if tell {
		for k, t := range d.toldUnable {
			if now.Sub(t) >= unableEvery {
				delete(d.toldUnable, k)
			}
		}
		d.toldUnable[user] = now
	}
	d.mu.Unlock()
	switch {
	case u.CallbackQuery != nil && tell:
		d.answerStaff(ctx, u.CallbackQuery.ID, plainText(d.staffText("staff_unable_to_save", nil)), true)
	case u.CallbackQuery != nil:
		d.answerStaff(ctx, u.CallbackQuery.ID, "", false)
	case tell:
		d.replyStaff(ctx, u.Message, "staff_unable_to_save", nil)
	}
}

// isStaff reports whether user may act on cases: listed in STAFF_USER_IDS, or a member of the
// staff chat (creator, administrator or member). A failed lookup refuses.
func (d *Desk) isStaff(ctx context.Context, user int64) bool {
	if user == 0 {
		return false
	}
	if d.cfg.IsStaff(user) {
		return true
	}
	now := d.now()
	if ok, known := d.members.get(user, now); known {
		return ok
	}
	var m *models.ChatMember
	err := d.send.Do(ctx, 0, func(ctx context.Context) error {
		var err error
		m, err = d.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: d.cfg.Chat, UserID: user})
		return err
	})
	if err != nil {
		if sender.Code(err) != 400 {
			d.log.Warn("staff membership lookup failed", "code", sender.Code(err))
			return false
		}
		m = &models.ChatMember{Type: models.ChatMemberTypeLeft} // "user not found"
	}
	ok := false
	switch m.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		ok = true
	}
	d.members.put(user, ok, now)
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

// forget drops what is remembered of user: their membership changed.
func (c *memberCache) forget(user int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, user)
}

// len is the number of users remembered, for tests.
func (c *memberCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// answerStaff answers a press in the staff chat, as an alert when alert is set.
func (d *Desk) answerStaff(ctx context.Context, id, text string, alert bool) {
	if _, err := d.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
		CallbackQueryID: id, Text: text, ShowAlert: alert,
	}); err != nil {
		d.log.Debug("answer staff callback query failed", "code", sender.Code(err))
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
