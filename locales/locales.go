// Package locales holds the bot's messages in Chinese (zh-CN, first) and English, as go-i18n
// TOML catalogs embedded in the binary, and renders flows' replies in a user's language.
//
// Load checks at start-up that both languages have every key flows can emit (for every value of
// every enum: charge kinds, complainant types, routes, checklists, rights texts, statuses...)
// and the same keys, and that every message's template parses and renders, so a broken catalog stops the program before it talks to anyone.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"complaintbot/flows"
)

//go:embed zh-CN.toml en.toml
var catalogs embed.FS

// Catalog renders messages by key in a language.
type Catalog struct {
	messages map[flows.Lang]map[string]message
	keys     []string
	// plural renders, in each language, the messages that have plural forms: go-i18n's
	// Localizer picks the form the argument Count takes by the language's plural rules.
	plural map[flows.Lang]*i18n.Localizer
}

// PluralCount is the argument that chooses a message's plural form: a message written with
// forms besides "other" (English "one") renders the form go-i18n's plural rules give its
// language for args[PluralCount], an integer; without it, "other". Chinese has no plural
// forms; a message with two counts gives one of them to a sub-message (a flows.Text argument).
const PluralCount = "Count"

// message is one message of a catalog, ready to render. go-i18n reads the catalogs; rendering
// does what its Localizer does for a message without a plural count (the "other" form,
// text/template with missingkey=default), without matching the language and parsing the
// configuration on every call: a message without an action is its text, with no allocation.
// A message with plural forms is rendered by the Localizer itself when it has a count.
type message struct {
	text   string             // the message as written ("other")
	tmpl   *template.Template // the message parsed, when it has an action; nil otherwise
	plural bool               // it has forms besides "other"
}

// newMessage prepares m as go-i18n's text parser does, and checks that its other plural forms
// parse too.
func newMessage(m *i18n.Message) (message, error) {
	left, right := m.LeftDelim, m.RightDelim
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	msg := message{text: m.Other}
	if m.Other == "" {
		return msg, fmt.Errorf("message %q has no text (no \"other\")", m.ID)
	}
	for _, form := range []string{m.Zero, m.One, m.Two, m.Few, m.Many} {
		if form == "" {
			continue
		}
		msg.plural = true
		if _, err := template.New("").Delims(left, right).Option("missingkey=default").Parse(form); err != nil {
			return msg, fmt.Errorf("message %q: %w", m.ID, err)
		}
	}
	if !strings.Contains(m.Other, left) {
		return msg, nil
	}
	t, err := template.New("").Delims(left, right).Option("missingkey=default").Parse(m.Other)
	if err != nil {
		return msg, fmt.Errorf("message %q: %w", m.ID, err)
	}
	msg.tmpl = t
	return msg, nil
}

// Languages lists the languages the catalogs cover, default first.
func Languages() []flows.Lang { return []flows.Lang{flows.LangZH, flows.LangEN} }

// Load reads the embedded catalogs and checks them.
func Load() (*Catalog, error) { return LoadFS(catalogs) }

// LoadFS reads the catalogs "<lang>.toml" from fsys and checks them: every message key flows
// can emit (flows.MessageKeys) is in each, both have the same keys, and every message renders.
// A failed check is one line naming the catalog and the key.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	bundle := i18n.NewBundle(language.Make(string(flows.LangZH)))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{messages: map[flows.Lang]map[string]message{}, plural: map[flows.Lang]*i18n.Localizer{}}
	var first map[string]bool
	for _, lang := range Languages() {
		name := string(lang) + ".toml"
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", name, err)
		}
		file, err := bundle.ParseMessageFileBytes(b, name)
		if err != nil {
			return nil, fmt.Errorf("parse catalog %s: %w", name, err)
		}
		msgs := make(map[string]message, len(file.Messages))
		for _, m := range file.Messages {
			if msgs[m.ID], err = newMessage(m); err != nil {
				return nil, fmt.Errorf("parse catalog %s: %w", name, err)
			}
		}
		var raw map[string]map[string]string
		if err := toml.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("read keys of %s: %w", name, err)
		}
		keys := map[string]bool{}
		for k := range raw {
			keys[k] = true
		}
		for _, k := range flows.MessageKeys() {
			if !keys[k] {
				return nil, fmt.Errorf("catalog %s lacks key %q, which flows can emit", name, k)
			}
		}
		if first == nil {
			first = keys
			for k := range keys {
				c.keys = append(c.keys, k)
			}
			slices.Sort(c.keys)
		} else if err := sameKeys(first, keys, name); err != nil {
			return nil, err
		}
		c.messages[lang] = msgs
		c.plural[lang] = i18n.NewLocalizer(bundle, string(lang))
	}
	for _, lang := range Languages() {
		for _, k := range c.keys {
			if _, err := c.Render(lang, k, nil, nil); err != nil {
				return nil, err
			}
			if !c.messages[lang][k].plural {
				continue
			}
			for _, n := range []int{0, 1, 2, 5, 21} {
				if _, err := c.Render(lang, k, map[string]any{PluralCount: n}, nil); err != nil {
					return nil, err
				}
			}
		}
	}
	return c, nil
}

// sameKeys reports the first key that one catalog has and the other lacks.
func sameKeys(want, got map[string]bool, name string) error {
	for k := range want {
		if !got[k] {
			return fmt.Errorf("catalog %s lacks key %q", name, k)
		}
	}
	for k := range got {
		if !want[k] {
			return fmt.Errorf("catalog %s has key %q that %s lacks", name, k, flows.LangZH)
		}
	}
	return nil
}

// Keys returns every message key, sorted.
func (c *Catalog) Keys() []string { return slices.Clone(c.keys) }

// Has reports whether key names a message.
func (c *Catalog) Has(key string) bool {
	_, ok := slices.BinarySearch(c.keys, key)
	return ok
}

// Render renders message key in lang with args. Arguments that are flows.Text or flows.Lines
// are rendered first, in the same language; escape, when not nil, is applied to every string
// argument (the user's text) but not to the catalog's own markup.
func (c *Catalog) Render(lang flows.Lang, key string, args map[string]any, escape func(string) string) (string, error) {
	msgs, ok := c.messages[lang]
	if !ok {
		lang = flows.LangZH
		msgs = c.messages[lang]
	}
	m, ok := msgs[key]
	if !ok {
		return "", fmt.Errorf("render %s in %s: no such message", key, lang)
	}
	if m.tmpl == nil && len(args) == 0 {
		return m.text, nil
	}
	data := make(map[string]any, len(args))
	size := len(m.text)
	for k, v := range args {
		rv, err := c.arg(lang, v, escape)
		if err != nil {
			return "", fmt.Errorf("render %s argument %s: %w", key, k, err)
		}
		if s, ok := rv.(string); ok {
			size += len(s)
		}
		data[k] = rv
	}
	if count, ok := args[PluralCount]; ok && m.plural {
		s, err := c.plural[lang].Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
		if err != nil {
			return "", fmt.Errorf("render %s in %s: %w", key, lang, err)
		}
		return s, nil
	}
	if m.tmpl == nil {
		return m.text, nil
	}
	var b strings.Builder
	b.Grow(size + 16)
	if err := m.tmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render %s in %s: %w", key, lang, err)
	}
	return b.String(), nil
}

// arg prepares one template argument.
func (c *Catalog) arg(lang flows.Lang, v any, escape func(string) string) (any, error) {
	switch x := v.(type) {
	case flows.Text:
		return c.Render(lang, x.Key, x.Args, escape)
	case flows.Lines:
		parts := make([]string, 0, len(x))
		for _, t := range x {
			s, err := c.Render(lang, t.Key, t.Args, escape)
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "\n"), nil
	case string:
		if escape != nil {
			return escape(x), nil
		}
		return x, nil
	}
	return v, nil
}

// Reply renders a flows.Reply's message (not its buttons).
func (c *Catalog) Reply(lang flows.Lang, r flows.Reply, escape func(string) string) (string, error) {
	return c.Render(lang, r.Key, r.Args, escape)
}

// Label renders a button's label.
func (c *Catalog) Label(lang flows.Lang, ch flows.Choice, escape func(string) string) (string, error) {
	return c.Render(lang, ch.Key, ch.Args, escape)
}

// Cases renders a user's list of cases for /status, each with the time it last changed in loc
// (the users' zone, China time): a case staff touched carries their server's clock, often UTC.
func (c *Catalog) Cases(lang flows.Lang, cases []flows.Complaint, loc *time.Location, escape func(string) string) (string, error) {
	if len(cases) == 0 {
		return c.Render(lang, "cases_none", nil, escape)
	}
	lines := flows.Lines{{Key: "cases_header"}}
	for _, k := range cases {
		if k.Status == "" {
			// storage lists a record it cannot read by its id alone
			lines = append(lines, flows.Text{Key: "case_line_unreadable", Args: map[string]any{"ID": k.ID}})
			continue
		}
		lines = append(lines, flows.Text{Key: "case_line", Args: map[string]any{
			"ID": k.ID, "Provider": k.Provider.Name, "Total": k.Total().String(),
			"Status": flows.Text{Key: "status_" + string(k.Status)}, "Updated": k.Updated().In(loc).Format("2006-01-02 15:04"),
		}})
	}
	s, err := c.arg(lang, lines, escape)
	if err != nil {
		return "", fmt.Errorf("render cases: %w", err)
	}
	return s.(string), nil
}
