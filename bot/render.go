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
		parts := document.Split(text, messageLimit)
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

// document renders a finished complaint: its text in Chinese (what the receiving body reads),
// in English too for an English-speaking user, and the .docx of each.
func (r renderer) document(lang flows.Lang, c flows.Complaint) ([]Outgoing, error) {
	langs := []flows.Lang{flows.LangZH}
	if lang == flows.LangEN {
		langs = append(langs, flows.LangEN)
	}
	var out []Outgoing
	for _, l := range langs {
		msgs, err := r.docs.Messages(c, l)
		if err != nil {
			return nil, fmt.Errorf("render complaint text: %w", err)
		}
		for _, m := range msgs {
			out = append(out, Outgoing{Text: html.EscapeString(m)})
		}
	}
	for _, l := range langs {
		b, err := r.docs.DOCX(c, l)
		if err != nil {
			return nil, fmt.Errorf("render complaint docx: %w", err)
		}
		caption, err := r.cat.Render(lang, "document_caption", map[string]any{"CaseID": c.ID}, html.EscapeString)
		if err != nil {
			return nil, fmt.Errorf("render caption: %w", err)
		}
		out = append(out, Outgoing{File: &File{Name: document.FileName(c, l), Data: b, Caption: caption}})
	}
	return out, nil
}

// keyboard lays buttons out: two to a row when the labels are short, one when they are long.
func (r renderer) keyboard(lang flows.Lang, cs []flows.Choice) (*models.InlineKeyboardMarkup, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	var rows [][]models.InlineKeyboardButton
	var row []models.InlineKeyboardButton
	for _, c := range cs {
		label, err := r.cat.Label(lang, c, nil)
		if err != nil {
			return nil, fmt.Errorf("render button %s: %w", c.Key, err)
		}
		b := models.InlineKeyboardButton{Text: label, CallbackData: c.Data}
		if utf8.RuneCountInString(label) > 12 || len(cs) <= 3 {
			if len(row) > 0 {
				rows = append(rows, row)
				row = nil
			}
			rows = append(rows, []models.InlineKeyboardButton{b})
			continue
		}
		row = append(row, b)
		if len(row) == 2 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}, nil
}

// plain renders a fixed message with no arguments.
func (r renderer) plain(lang flows.Lang, key string) (string, error) {
	return r.cat.Render(lang, key, nil, html.EscapeString)
}
