package bot

import (
	"fmt"
	"html"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/locales"
)

// messageLimit is Telegram's limit on a message's text, in UTF-16 code units after parsing.
const messageLimit = 4096

// Outgoing is one message to send, already in Telegram's terms.
type Outgoing struct {
	Text     string // HTML; the user's text in it is escaped
	Keyboard *models.InlineKeyboardMarkup
	File     *File // a document to upload instead of a text
	AlbumID  string
	// Ack marks an evidence acknowledgement, which is merged with the others of the same album.
	Ack *ack
}

// File is a document to upload.
type File struct {
	Name    string
	Data    []byte
	Caption string
}

// ack is the numbers an evidence acknowledgement reports.
type ack struct {
	From, To, Count int
	Keyboard        *models.InlineKeyboardMarkup
}

// renderer turns flows' replies into Telegram messages.
type renderer struct {
	cat  *locales.Catalog
	docs *document.Renderer
}

// render turns one step's result into messages, in order. caseID is the id storage gave the
// complaint the step finished, if any.
func (r renderer) render(lang flows.Lang, res flows.Result, committed flows.Committed) ([]Outgoing, error) {
	var out []Outgoing
	caseID := committed.CaseID
	if caseID == "" {
		caseID = committed.Session.LastCase
	}
	for _, rep := range res.Replies {
		if rep.Document {
			c := res.Complaint()
			if c == nil {
				return nil, fmt.Errorf("a document reply without a finished complaint")
			}
			k := *c
			k.ID = caseID
			docs, err := r.document(lang, k)
			if err != nil {
				return nil, err
			}
			out = append(out, docs...)
			continue
		}
		args := make(map[string]any, len(rep.Args)+1)
		args["CaseID"] = caseID
		for k, v := range rep.Args {
			args[k] = v
		}
		text, err := r.cat.Render(lang, rep.Key, args, html.EscapeString)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", rep.Key, err)
		}
		kb, err := r.keyboard(lang, rep.Choices)
		if err != nil {
			return nil, err
		}
		parts := document.SplitHTML(text, messageLimit)
		for i, p := range parts {
			o := Outgoing{Text: p}
			if i == len(parts)-1 {
				o.Keyboard = kb
			}
			if rep.Key == "evidence_received" || rep.Key == "evidence_received_many" {
				o.Ack = &ack{From: argInt(rep.Args, "From"), To: argInt(rep.Args, "To"), Count: argInt(rep.Args, "Count"), Keyboard: kb}
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// argInt reads an int argument.
func argInt(args map[string]any, k string) int {
	n, _ := args[k].(int)
	return n
}

// document renders a finished complaint as the .docx to file, in Chinese, and for an
// English-speaking user also the English rendering, captioned as for their reading only. The
// full text comes on a button (flows.LetterComplaintText), not here.
func (r renderer) document(lang flows.Lang, c flows.Complaint) ([]Outgoing, error) {
	return r.files(lang, c, document.Complaint, "document_caption")
}

// files renders letter l of c as .docx files: the Chinese one to file and, for an English
// speaker, the English rendering; captionKey names the Chinese file's caption, captionKey+"_en"
// the rendering's.
func (r renderer) files(lang flows.Lang, c flows.Complaint, l document.Letter, captionKey string) ([]Outgoing, error) {
	var out []Outgoing
	for _, dl := range docLangs(lang) {
		b, err := r.docs.LetterDOCX(l, c, dl)
		if err != nil {
			return nil, fmt.Errorf("render %s docx: %w", l, err)
		}
		key := captionKey
		if dl != flows.LangZH {
			key += "_en"
		}
		caption, err := r.cat.Render(lang, key, map[string]any{"CaseID": c.ID}, html.EscapeString)
		if err != nil {
			return nil, fmt.Errorf("render caption: %w", err)
		}
		out = append(out, Outgoing{File: &File{Name: document.LetterFileName(l, c, dl), Data: b, Caption: caption}})
	}
	return out, nil
}

// letter renders what flows.EffectLetter asks for: the 投诉书's full text as messages (the
// Chinese, and the English rendering for an English speaker), or the 举报信 with a word on
// where to file it, its .docx and its text.
func (r renderer) letter(lang flows.Lang, c flows.Complaint, l flows.Letter) ([]Outgoing, error) {
	var out []Outgoing
	text := func(dl document.Letter) error {
		for _, tl := range docLangs(lang) {
			msgs, err := r.docs.LetterMessages(dl, c, tl)
			if err != nil {
				return fmt.Errorf("render %s text: %w", dl, err)
			}
			for _, m := range msgs {
				out = append(out, Outgoing{Text: html.EscapeString(m)})
			}
		}
		return nil
	}
	switch l {
	case flows.LetterComplaintText:
		if err := text(document.Complaint); err != nil {
			return nil, err
		}
	case flows.LetterReport:
		body := document.ReportBody(c)
		if body == "" {
			var err error
			if body, err = r.cat.Render(lang, "report_body_unknown", nil, nil); err != nil {
				return nil, fmt.Errorf("render report_body_unknown: %w", err)
			}
		}
		intro, err := r.cat.Render(lang, "report_ready", map[string]any{"CaseID": c.ID, "Body": body}, html.EscapeString)
		if err != nil {
			return nil, fmt.Errorf("render report_ready: %w", err)
		}
		out = append(out, Outgoing{Text: intro})
		files, err := r.files(lang, c, document.Report, "report_caption")
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
		if err := text(document.Report); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown letter %q", l)
	}
	return out, nil
}

// docLangs are the languages a user gets a letter in: Chinese, the one filed, and English
// for an English speaker's own reading.
func docLangs(lang flows.Lang) []flows.Lang {
	if lang == flows.LangEN {
		return []flows.Lang{flows.LangZH, flows.LangEN}
	}
	return []flows.Lang{flows.LangZH}
}

// keyboard lays buttons out: two to a row when the labels are short, one when they are long.
// The rows are slices of one array of buttons, each capped at its end.
func (r renderer) keyboard(lang flows.Lang, cs []flows.Choice) (*models.InlineKeyboardMarkup, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	buttons := make([]models.InlineKeyboardButton, len(cs))
	rows := make([][]models.InlineKeyboardButton, 0, len(cs))
	start := -1 // the short button waiting for a second in its row, if any
	for i, c := range cs {
		label, err := r.cat.Label(lang, c, nil)
		if err != nil {
			return nil, fmt.Errorf("render button %s: %w", c.Key, err)
		}
		buttons[i] = models.InlineKeyboardButton{Text: label, CallbackData: c.Data}
		switch {
		case utf8.RuneCountInString(label) > 12 || len(cs) <= 3:
			if start >= 0 {
				rows = append(rows, buttons[start:i:i])
				start = -1
			}
			rows = append(rows, buttons[i:i+1:i+1])
		case start < 0:
			start = i
		default:
			rows = append(rows, buttons[start:i+1:i+1])
			start = -1
		}
	}
	if start >= 0 {
		rows = append(rows, buttons[start:])
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}, nil
}

// plain renders a fixed message with no arguments.
func (r renderer) plain(lang flows.Lang, key string) (string, error) {
	return r.cat.Render(lang, key, nil, html.EscapeString)
}
