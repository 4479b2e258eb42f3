// Package localchat talks to the complaint conversation in a terminal: type answers, pick
// buttons by number (or by action, "[agree]", as the shared scripts of internal/script do),
// attach files by path. It plays the same flows.Step, on the same storage,
// as the Telegram bot, so it is the quickest way to try the product and a driver for tests.
package localchat

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"complaintbot/casefile"
	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/followup"
	"complaintbot/locales"
	"complaintbot/providers"
	"complaintbot/workdays"
)

// Store applies steps to sessions. storage.Redis implements it.
type Store interface {
	Apply(ctx context.Context, chat, updateID int64, step func(flows.Session) (flows.Result, error)) (flows.Result, flows.Committed, error)
	Cases(ctx context.Context, chat int64) ([]flows.Complaint, error)
}

// Options configure a chat.
type Options struct {
	Store    Store
	Catalog  *locales.Catalog
	Renderer *document.Renderer
	In       io.Reader
	Out      io.Writer
	Log      *slog.Logger
	OutDir   string           // where finished documents are written
	Now      func() time.Time // the clock; time.Now when nil; /wait moves the chat's clock on
	// Files keeps the case files after the document (package casefile); without it the chat
	// does not follow cases up.
	Files casefile.Files
	// Remind shows the reminders due at now: for each it calls show, then forgets the reminder.
	// The wiring implements it over storage's timers; nil: no reminders.
	Remind func(ctx context.Context, now time.Time, show func(caseID, kind string, repeat bool) error) error
	Lang   string // the user's language code, as Telegram would send it
	Chat   int64  // the chat id to play; 1 when zero
	// OCR reads an image attached at the evidence step, whose text is then offered as the bot
	// offers a screenshot's (flows.InputReading); nil: attached images are not read.
	OCR OCR
	// Providers is the provider data (PROVIDERS_FILE); the embedded data when nil.
	Providers *providers.List
}

// OCR reads an image's text. *ocr.Reader implements it.
type OCR interface {
	Available() bool
	Read(ctx context.Context, data []byte) (string, error)
}

// Chat is one terminal conversation.
type Chat struct {
	o       Options
	choices []flows.Choice // the buttons of the latest message that had any
	update  int64
	lang    flows.Lang
	ahead   time.Duration // how far /wait moved the chat's clock on
	// Documents lists the .docx files written, in order.
	Documents []string
}

// New returns a chat with o.
func New(o Options) *Chat {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Chat == 0 {
		o.Chat = 1
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Chat{o: o, lang: flows.LangFromCode(o.Lang)}
}

// Run reads lines until the input ends or ctx is done. The conversation starts as /start would.
func (c *Chat) Run(ctx context.Context) error {
	fmt.Fprintln(c.o.Out, "complaintbot local chat: type your answers; a number (or [action]) picks a button; /attach PATH [caption] sends a file; /wait 7d moves the clock on (reminders fall due); a line ending in \\ goes on on the next (one message of several lines, as a pasted ledger); Ctrl-D ends.")
	if err := c.send(ctx, flows.Input{Kind: flows.InputCommand, Command: "start"}); err != nil {
		return err
	}
	sc := bufio.NewScanner(c.o.In)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var held []string // the lines of a message still going on (each ended in a backslash)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if more, ok := strings.CutSuffix(line, `\`); ok {
			held = append(held, strings.TrimSpace(more))
			continue
		}
		if len(held) > 0 {
			line, held = strings.Join(append(held, line), "\n"), nil
		}
		if err := c.line(ctx, strings.TrimSpace(line)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	if len(held) > 0 && ctx.Err() == nil {
		return c.line(ctx, strings.TrimSpace(strings.Join(held, "\n"))) // the input ended mid-message
	}
	return nil
}

// line plays one message typed at the terminal: a button, a command, a file, /wait or text.
func (c *Chat) line(ctx context.Context, line string) error {
	if line == "" {
		return nil
	}
	in, err := c.input(line)
	if err != nil {
		fmt.Fprintf(c.o.Out, "! %v\n", err)
		return nil
	}
	fmt.Fprintf(c.o.Out, "> %s\n", line)
	if d, ok, err := waitArg(line); ok {
		if err != nil {
			fmt.Fprintf(c.o.Out, "! %v\n", err)
			return nil
		}
		c.ahead += d
		fmt.Fprintf(c.o.Out, "[clock] %s\n", c.now().Format("2006-01-02 15:04 (Mon)"))
	} else if err := c.send(ctx, in); err != nil {
		return err
	}
	return c.reminders(ctx)
}

// input turns a typed line into an input.
func (c *Chat) input(line string) (flows.Input, error) {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.choices) {
		return flows.Input{Kind: flows.InputButton, Data: c.choices[n-1].Data}, nil
	}
	if action, ok := strings.CutPrefix(line, "["); ok && strings.HasSuffix(action, "]") {
		// a button by its action, as the shared scripts name them
		action = strings.TrimSuffix(action, "]")
		for _, ch := range c.choices {
			if _, a, _ := strings.Cut(ch.Data, ":"); a == action {
				return flows.Input{Kind: flows.InputButton, Data: ch.Data}, nil
			}
		}
		return flows.Input{}, fmt.Errorf("no button [%s] here", action)
	}
	if rest, ok := strings.CutPrefix(line, "/attach"); ok && (rest == "" || rest[0] == ' ') {
		path, caption, _ := strings.Cut(strings.TrimSpace(rest), " ")
		a, err := attachment(path, caption)
		if err != nil {
			return flows.Input{}, err
		}
		return flows.Input{Kind: flows.InputAttachment, Attachments: []flows.Attachment{a}}, nil
	}
	if strings.HasPrefix(line, "/") {
		cmd, args, _ := strings.Cut(line[1:], " ")
		return flows.Input{Kind: flows.InputCommand, Command: strings.ToLower(cmd), Args: strings.TrimSpace(args)}, nil
	}
	return flows.Input{Kind: flows.InputText, Text: line}, nil
}

// attachment describes a local file as Telegram would: a file id, a unique id from its content,
// its size and type. Images count as photos, anything else as a document.
func attachment(path, caption string) (flows.Attachment, error) {
	if path == "" {
		return flows.Attachment{}, fmt.Errorf("usage: /attach PATH [caption]")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return flows.Attachment{}, fmt.Errorf("attach %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return flows.Attachment{}, fmt.Errorf("attach %s: %w", path, err)
	}
	sum := sha256.Sum256(b)
	mt := mime.TypeByExtension(filepath.Ext(path))
	if mt == "" {
		mt = http.DetectContentType(b)
	}
	kind := flows.EvidenceDocument
	if strings.HasPrefix(mt, "image/") {
		kind = flows.EvidencePhoto
	}
	return flows.Attachment{
		Kind: kind, FileID: "local:" + abs, UniqueID: hex.EncodeToString(sum[:8]), Size: int64(len(b)),
		MIME: mt, FileName: filepath.Base(path), Caption: caption,
	}, nil
}

// send steps the conversation with in and prints the replies.
func (c *Chat) send(ctx context.Context, in flows.Input) error {
	// Update ids rise across runs, as Telegram's do: the store takes an id it has seen for the
	// chat as a delivery again, so a chat resumed on a kept Redis (REDIS_URL) that counted from
	// 1 again had its first messages answered with nothing. The wall clock's milliseconds keep
	// them rising (and within the 14 digits the store's Lua writes whole).
	c.update = max(c.update+1, time.Now().UnixMilli())
	in.Now = c.now()
	in.User = c.o.Chat
	in.LanguageCode = c.o.Lang
	in.NoEscalation = false
	in.Providers, in.Labels = c.o.Providers, c.o.Catalog
	var turn casefile.Turn
	res, done, err := c.o.Store.Apply(ctx, c.o.Chat, c.update, func(s flows.Session) (flows.Result, error) {
		if c.o.Files != nil {
			r, t, ok, err := casefile.Step(ctx, c.o.Files, c.o.Store.Cases, s, in)
			if ok || err != nil {
				turn = t
				return r, err
			}
			s = casefile.ForFlows(s, in)
		}
		return flows.Step(ctx, s, in)
	})
	if err != nil {
		return fmt.Errorf("step: %w", err)
	}
	if c.o.Files != nil && done.CaseID != "" && res.Complaint() != nil {
		res.Replies = casefile.AfterDocument(res.Replies, done.CaseID)
	}
	c.lang = done.Session.Lang
	c.choices = nil // a number only picks a button of this step's messages
	var finished *flows.Complaint
	if k := res.Complaint(); k != nil {
		fin := *k
		fin.ID = done.CaseID
		finished = &fin
	}
	if turn.Letter != "" {
		// the next rung's letter, before the question whether it was filed
		if err := c.rungLetter(ctx, turn.Case, turn.Letter); err != nil {
			return err
		}
	}
	for _, r := range res.Replies {
		if r.Document {
			if err := c.document(finished); err != nil {
				return err
			}
			continue
		}
		caseID := done.CaseID
		if caseID == "" {
			caseID = done.Session.LastCase
		}
		if err := c.print(r, caseID); err != nil {
			return err
		}
	}
	if err := c.readImages(ctx, in, done.Session); err != nil {
		return err
	}
	for _, e := range res.Effects {
		if e.Kind == flows.EffectLetter {
			if err := c.letter(ctx, e, done.Session.LastCase); err != nil {
				return err
			}
			continue
		}
		if e.Kind != flows.EffectListCases {
			continue
		}
		cases, err := c.o.Store.Cases(ctx, c.o.Chat)
		if err != nil {
			return fmt.Errorf("list cases: %w", err)
		}
		text, err := c.o.Catalog.Cases(c.lang, cases, workdays.China(), nil) // China's time, as every time here
		if err != nil {
			return err
		}
		fmt.Fprintln(c.o.Out, plain(text))
		if c.o.Files == nil {
			continue
		}
		for i, k := range cases {
			lines, choices, ok := casefile.Status(k, c.now())
			if !ok {
				continue
			}
			r := flows.Reply{Key: "fu_status", Args: map[string]any{"Lines": lines}}
			if i < statusButtons {
				r.Choices = choices // the newest cases' next steps, numbered on, as the bot gives them
			}
			if err := c.print(r, k.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// statusButtons is how many of the chat's newest cases /status gives their buttons, as the
// bot does.
const statusButtons = 3

// now is the chat's clock: the real one, moved on by /wait.
// now is the chat's clock in China's time, as the bot's updates carry it (flows.Input.Now): the
// terminal's own zone would make "today" another day for eight hours of every day.
func (c *Chat) now() time.Time { return c.o.Now().Add(c.ahead).In(workdays.China()) }

// print prints one reply and its buttons, numbered; they become the ones a number picks.
func (c *Chat) print(r flows.Reply, caseID string) error {
	args := map[string]any{"CaseID": caseID}
	for k, v := range r.Args {
		args[k] = v
	}
	text, err := c.o.Catalog.Render(c.lang, r.Key, args, nil)
	if err != nil {
		return fmt.Errorf("render %s: %w", r.Key, err)
	}
	fmt.Fprintln(c.o.Out, plain(text))
	// the buttons of every message shown since the last input are numbered on, not from 1
	// again: "did you file it?" above the staff offer, the questions of two cases
	for _, ch := range r.Choices {
		label, err := c.o.Catalog.Label(c.lang, ch, nil)
		if err != nil {
			return fmt.Errorf("render %s: %w", ch.Key, err)
		}
		c.choices = append(c.choices, ch)
		fmt.Fprintf(c.o.Out, "  [%d] %s\n", len(c.choices), label)
	}
	return nil
}

// reminders shows the reminders due at the chat's clock, as the bot would send them.
func (c *Chat) reminders(ctx context.Context) error {
	if c.o.Remind == nil || c.o.Files == nil {
		return nil
	}
	first := true
	return c.o.Remind(ctx, c.now(), func(id, kind string, repeat bool) error {
		k, err := c.o.Files.Complaint(ctx, id)
		if err != nil || k.Chat != c.o.Chat {
			return nil // erased, or another chat's
		}
		r, ok := casefile.Reminder(k, kind, c.now(), repeat)
		if !ok {
			return nil
		}
		if first && len(r.Choices) > 0 {
			c.choices, first = nil, false // a number now picks a reminder's button
		}
		fmt.Fprintln(c.o.Out, "[reminder]")
		if err := c.print(r, id); err != nil {
			return err
		}
		return casefile.MarkSent(ctx, c.o.Files, id, kind)
	})
}

// rungLetter prints the letter of a later rung and writes its .docx.
func (c *Chat) rungLetter(ctx context.Context, id string, rung followup.Rung) error {
	k, err := c.o.Files.Complaint(ctx, id)
	if err != nil {
		return fmt.Errorf("letter: %w", err)
	}
	h, err := followup.Open(k)
	if err != nil {
		return fmt.Errorf("letter: %w", err)
	}
	text, err := c.o.Renderer.RungText(k, h, rung)
	if err != nil {
		return fmt.Errorf("render the %s letter: %w", rung, err)
	}
	fmt.Fprintln(c.o.Out, text)
	b, err := c.o.Renderer.RungDOCX(k, h, rung)
	if err != nil {
		return fmt.Errorf("render the %s letter: %w", rung, err)
	}
	if err := os.MkdirAll(c.o.OutDir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", c.o.OutDir, err)
	}
	path := filepath.Join(c.o.OutDir, document.RungFileName(k, rung))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	c.Documents = append(c.Documents, path)
	fmt.Fprintf(c.o.Out, "[document] %s\n", path)
	return nil
}

// waitArg reads "/wait 7d", "/wait 36h", "/wait 2d12h": how far to move the clock on; ok is
// false for a line that is not /wait.
func waitArg(line string) (time.Duration, bool, error) {
	rest, ok := strings.CutPrefix(line, "/wait")
	if !ok || (rest != "" && rest[0] != ' ') {
		return 0, false, nil
	}
	arg := strings.TrimSpace(rest)
	var d time.Duration
	if days, after, found := strings.Cut(arg, "d"); found {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3660 {
			return 0, true, fmt.Errorf("usage: /wait 7d (days), /wait 12h, /wait 2d12h")
		}
		d, arg = time.Duration(n)*24*time.Hour, after
	}
	if arg != "" {
		h, err := time.ParseDuration(arg)
		if err != nil || h < 0 {
			return 0, true, fmt.Errorf("usage: /wait 7d (days), /wait 12h, /wait 2d12h")
		}
		d += h
	}
	if d == 0 {
		return 0, true, fmt.Errorf("usage: /wait 7d (days), /wait 12h, /wait 2d12h")
	}
	return d, true, nil
}

// document prints the finished complaint and writes it as .docx files: the Chinese one always,
// the English rendering too for an English-speaking user.
func (c *Chat) document(k *flows.Complaint) error {
	if k == nil {
		return fmt.Errorf("a document was asked for but no complaint was finished")
	}
	langs := []flows.Lang{flows.LangZH}
	if c.lang == flows.LangEN {
		langs = append(langs, flows.LangEN)
	}
	if err := os.MkdirAll(c.o.OutDir, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", c.o.OutDir, err)
	}
	for _, l := range langs {
		msgs, err := c.o.Renderer.Messages(*k, l)
		if err != nil {
			return fmt.Errorf("render complaint: %w", err)
		}
		for _, m := range msgs {
			fmt.Fprintln(c.o.Out, m)
		}
		b, err := c.o.Renderer.DOCX(*k, l)
		if err != nil {
			return fmt.Errorf("render complaint document: %w", err)
		}
		path := filepath.Join(c.o.OutDir, document.FileName(*k, l))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		c.Documents = append(c.Documents, path)
		fmt.Fprintf(c.o.Out, "[document] %s\n", path)
		c.o.Log.Info("complaint document written", "case", k.ID, "lang", l)
	}
	return nil
}

// letter prints a letter of a finished case (flows.EffectLetter) and writes the 举报信 as .docx
// files, as document does the complaint.
func (c *Chat) letter(ctx context.Context, e flows.Effect, last string) error {
	id := e.CaseID
	if id == "" {
		id = last
	}
	cases, err := c.o.Store.Cases(ctx, c.o.Chat)
	if err != nil {
		return fmt.Errorf("letter: list cases: %w", err)
	}
	i := slices.IndexFunc(cases, func(k flows.Complaint) bool { return k.ID == id })
	if i < 0 {
		fmt.Fprintln(c.o.Out, "(case "+id+" not found)")
		return nil
	}
	k := cases[i]
	l := document.Complaint
	if e.Letter == flows.LetterReport {
		l = document.Report
	}
	langs := []flows.Lang{flows.LangZH}
	if c.lang == flows.LangEN {
		langs = append(langs, flows.LangEN)
	}
	for _, lang := range langs {
		text, err := c.o.Renderer.LetterText(l, k, lang)
		if err != nil {
			return fmt.Errorf("render %s: %w", l, err)
		}
		fmt.Fprintln(c.o.Out, text)
		if l != document.Report {
			continue
		}
		b, err := c.o.Renderer.LetterDOCX(l, k, lang)
		if err != nil {
			return fmt.Errorf("render %s document: %w", l, err)
		}
		if err := os.MkdirAll(c.o.OutDir, 0o755); err != nil {
			return fmt.Errorf("make %s: %w", c.o.OutDir, err)
		}
		path := filepath.Join(c.o.OutDir, document.LetterFileName(l, k, lang))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		c.Documents = append(c.Documents, path)
		fmt.Fprintf(c.o.Out, "[document] %s\n", path)
	}
	return nil
}

// plain removes the HTML markup the catalogs use for Telegram.
func plain(s string) string {
	return strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "").Replace(s)
}

// readImages reads the images in just took as evidence, still unread, at a question that
// reads them (flows.ReadsScreenshots), and
// steps the conversation with each one's text, here and now rather than off the path as the
// bot does.
func (c *Chat) readImages(ctx context.Context, in flows.Input, s flows.Session) error {
	if c.o.OCR == nil || !c.o.OCR.Available() || in.Kind != flows.InputAttachment || !flows.ReadsScreenshots(s) {
		return nil
	}
	for _, a := range in.Attachments {
		path, local := strings.CutPrefix(a.FileID, "local:")
		if !local || !strings.HasPrefix(a.MIME, "image/") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // it was read a moment ago; gone now, it is simply not read
		}
		text, err := c.o.OCR.Read(ctx, data)
		if err != nil || strings.TrimSpace(text) == "" {
			continue
		}
		if err := c.send(ctx, flows.Input{Kind: flows.InputReading, Text: text, Data: a.UniqueID}); err != nil {
			return err
		}
	}
	return nil
}
