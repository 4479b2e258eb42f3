// Package document renders a finished complaint as the letters a user files (DOMAIN.md §2, §3):
// the 投诉书 to a consumer association or a regulator, and the 举报信 reporting the unmarked fee
// to the market regulator; each as plain text, as plain text split into Telegram messages, and
// as a Word .docx. The Chinese letters are the ones filed; an English rendering helps an
// English-speaking user read them.
//
// The words live in embedded files, not in Go: the layout of each language is a text/template
// in templates/, the labels of the stored enum values are in labels.toml, and the statute texts
// quoted come from package law (law/statutes.toml), chosen by charge kind and complainant type. A template renders a small line markup
// (see markup.go) that this package turns into text or into Word paragraphs and tables, so the
// two forms always say the same thing.
//
// Every piece of free text the user typed passes through flows.MaskNumbers before it is
// rendered; the identifiers the receiving body needs to find the case (phone, device SN,
// merchant number, ticket number) are kept as given.
package document

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"
	"text/template"
	"time"

	"complaintbot/flows"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Letter is which document to render.
type Letter string

// The letters.
const (
	// Complaint is the 投诉书: the user's claim for their own money (DOMAIN.md §3).
	Complaint Letter = "complaint"
	// Report is the 举报信: a report of the unmarked fee as a price violation to the market
	// regulator, asking for an investigation and no refund (DOMAIN.md §2).
	Report Letter = "report"
)

// letters lists the letters.
func letters() []Letter { return []Letter{Complaint, Report} }

// templateName is the template of a letter in a language: "zh-CN", "zh-CN.report".
func templateName(l Letter, lang flows.Lang) string {
	if l == Complaint {
		return string(lang)
	}
	return string(lang) + "." + string(l)
}

// messageLimit is the length limit of a Telegram text message, in UTF-16 code units.
const messageLimit = 4096

// Renderer renders complaints. It holds the parsed templates and labels and is safe for
// concurrent use.
type Renderer struct {
	tmpl   *template.Template
	labels map[flows.Lang]labels
	docx   *docxPackage
	markup sync.Pool // of *bytes.Buffer, for a template's output
}

// New parses the embedded templates and labels. It fails if a template does not parse, a
// language lacks its template or a label, or a template does not render a sample complaint
// into valid markup.
func New() (*Renderer, error) {
	ls, err := loadLabels()
	if err != nil {
		return nil, err
	}
	r := &Renderer{labels: ls}
	t, err := template.New("document").Funcs(template.FuncMap{
		"sep": func() string { return cellSep },
		"inc": func(i int) int { return i + 1 },
		// at puts an English date after its preposition: "on 2 May 2024", "in May 2024".
		"at": func(date string) string {
			if date != "" && date[0] >= '0' && date[0] <= '9' {
				return "on " + date
			}
			return "in " + date
		},
		"fact": r.fact,
	}).ParseFS(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	r.tmpl = t
	if r.docx, err = newDOCXPackage(languages()); err != nil {
		return nil, err
	}
	for _, lang := range languages() {
		for _, l := range letters() {
			name := templateName(l, lang)
			if t.Lookup(name) == nil {
				return nil, fmt.Errorf("no template %q", name)
			}
			// A dry run over a complaint that uses every branch catches a template that parses
			// but cannot execute, or renders markup this package does not know.
			for _, c := range samples() {
				if _, err := r.blocks(l, c, lang); err != nil {
					return nil, fmt.Errorf("check template %q: %w", name, err)
				}
			}
		}
	}
	return r, nil
}

// Text renders c as the whole 投诉书 in plain text, lines separated by "\n". The text is not
// escaped: a caller sending it as HTML escapes it first.
func (r *Renderer) Text(c flows.Complaint, lang flows.Lang) (string, error) {
	return r.LetterText(Complaint, c, lang)
}

// Messages renders c as Text does and splits it into parts Telegram accepts as messages.
func (r *Renderer) Messages(c flows.Complaint, lang flows.Lang) ([]string, error) {
	return r.LetterMessages(Complaint, c, lang)
}

// DOCX renders c as the 投诉书 in a Word document (.docx) that Word and WPS open. The output
// depends only on c and lang: the document's dates come from c.CreatedAt and the archive's
// entry times are fixed, so the same complaint always gives the same bytes.
func (r *Renderer) DOCX(c flows.Complaint, lang flows.Lang) ([]byte, error) {
	return r.LetterDOCX(Complaint, c, lang)
}

// LetterText renders letter l of c in plain text, as Text does the 投诉书.
func (r *Renderer) LetterText(l Letter, c flows.Complaint, lang flows.Lang) (string, error) {
	bs, err := r.blocks(l, c, lang)
	if err != nil {
		return "", err
	}
	return renderText(bs, r.labels[lang]), nil
}

// LetterMessages renders letter l of c as LetterText does and splits it into parts Telegram
// accepts as messages.
func (r *Renderer) LetterMessages(l Letter, c flows.Complaint, lang flows.Lang) ([]string, error) {
	text, err := r.LetterText(l, c, lang)
	if err != nil {
		return nil, err
	}
	return Split(text, messageLimit), nil
}

// LetterDOCX renders letter l of c as a Word document, as DOCX does the 投诉书.
func (r *Renderer) LetterDOCX(l Letter, c flows.Complaint, lang flows.Lang) ([]byte, error) {
	bs, err := r.blocks(l, c, lang)
	if err != nil {
		return nil, err
	}
	title := r.labels[lang].DocTitle
	if l == Report {
		title = r.labels[lang].ReportTitle
	}
	b, err := r.docx.render(bs, docInfo{
		title:   strings.TrimSpace(title + " " + cleanID(c.ID)),
		lang:    lang,
		created: c.CreatedAt,
	})
	if err != nil {
		return nil, fmt.Errorf("render docx %s: %w", lang, err)
	}
	return b, nil
}

// FileName returns the name to give the .docx of c, such as "投诉书-C-000123.docx" or
// "complaint-C-000123.docx".
func FileName(c flows.Complaint, lang flows.Lang) string { return LetterFileName(Complaint, c, lang) }

// LetterFileName returns the name to give the .docx of letter l of c, such as
// "举报信-C-000123.docx".
func LetterFileName(letter Letter, c flows.Complaint, lang flows.Lang) string {
	var prefix string
	if ls, err := savedLabels(); err == nil {
		l, ok := ls[lang]
		if !ok {
			l = ls[flows.LangZH]
		}
		prefix = l.FilePrefix
		if letter == Report {
			prefix = l.ReportPrefix
		}
	}
	name := prefix
	if id := cleanID(c.ID); id != "" {
		if name != "" {
			name += "-"
		}
		name += id
	}
	return name + ".docx"
}

// savedLabels is labels.toml read once, for FileName, which has no Renderer to hold them;
// reading them took half a millisecond. A table that never changes.
var savedLabels = sync.OnceValues(loadLabels)

// cleanID keeps the characters of a case id that are safe in a file name.
func cleanID(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return -1
	}, id)
}

// blocks executes the template of letter l in lang over c and parses the markup it renders.
func (r *Renderer) blocks(l Letter, c flows.Complaint, lang flows.Lang) ([]block, error) {
	ls, ok := r.labels[lang]
	if !ok {
		return nil, fmt.Errorf("render %s: unknown language %q", l, lang)
	}
	if l != Complaint && l != Report {
		return nil, fmt.Errorf("render: unknown letter %q", l)
	}
	v, err := newView(c, l, lang, ls)
	if err != nil {
		return nil, fmt.Errorf("render %s %s: %w", l, lang, err)
	}
	bs, err := r.execute(templateName(l, lang), &v)
	if err != nil {
		return nil, fmt.Errorf("render %s %s: %w", l, lang, err)
	}
	return bs, nil
}

// fact renders one fact of the case by its own template, "<lang>.fact.<name>". v is a
// pointer: a view is large, and a template function's arguments are copied.
func (r *Renderer) fact(v *view, name string) (string, error) {
	buf := r.buffer()
	defer r.release(buf)
	err := r.tmpl.ExecuteTemplate(buf, v.Lang+".fact."+name, v)
	return buf.String(), err
}

// buffer returns a buffer for a template's output, kept from an earlier document: grown from
// empty, the markup took more memory than the document. Give it back with release.
func (r *Renderer) buffer() *bytes.Buffer {
	if buf, _ := r.markup.Get().(*bytes.Buffer); buf != nil {
		return buf
	}
	return new(bytes.Buffer)
}

// release gives back a buffer from buffer; an outsized one is left to the garbage collector.
func (r *Renderer) release(buf *bytes.Buffer) {
	if buf.Cap() <= keptScratch {
		buf.Reset()
		r.markup.Put(buf)
	}
}

// execute executes template name over data and parses the markup it renders.
func (r *Renderer) execute(name string, data any) ([]block, error) {
	buf := r.buffer()
	defer r.release(buf)
	if err := r.tmpl.ExecuteTemplate(buf, name, data); err != nil {
		return nil, err
	}
	return parseMarkup(buf.String()) // a copy: the blocks' text outlives buf
}

// languages lists the languages a document is rendered in.
func languages() []flows.Lang { return []flows.Lang{flows.LangZH, flows.LangEN} }

// samples are complaints that between them take every branch of the templates; New renders
// them to check the templates. Their values are placeholders.
func samples() []flows.Complaint {
	at := time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)
	var every []flows.Evidence
	for _, k := range enums()["evidence"] {
		every = append(every, flows.Evidence{Kind: flows.EvidenceKind(k), Caption: "x", ReceivedAt: at})
	}
	return []flows.Complaint{
		{}, // nothing known
		{
			ID: "C-1", Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
			Provider:   flows.Provider{Name: "x"},
			Deductions: []flows.Deduction{{Date: "2024-01-02", Amount: 1, Method: flows.FromSettlement, Label: "x"}, {Amount: 1}},
			Disclosure: flows.NotTold, LearnedOn: "2024-01-03",
			ContractDate: "2023-01-01", ContractChannel: flows.ChannelAgent, Agent: "x\ny", DeviceSN: "x",
			MerchantName: "x", MerchantNumber: "1",
			Negotiation: flows.Negotiation{Tried: true, Date: "2024-01-04", Channel: flows.ChannelHotline, Ticket: "x", Reply: "x"},
			Proceedings: flows.ProceedingsNone, Description: "x\ny",
			Requests: flows.RequestKinds(), OtherRequest: "x",
			Evidence: every,
			Contact:  flows.Contact{Name: "x", Phone: "1", City: "x", Address: "x"},
			Body:     "x", CreatedAt: at,
		},
		{Complainant: flows.Company, MerchantName: "x", Negotiation: flows.Negotiation{Tried: true}},
		{
			Complainant: flows.Company, Charge: flows.ServiceFee, ContractDate: "2023-01",
			Company:     flows.CompanyInfo{Name: "x", CreditCode: "x", Address: "x", Role: flows.RoleLegalRep},
			Provider:    flows.Provider{Name: "x", Address: "x"},
			Deductions:  []flows.Deduction{{Date: "2024-01-02", Amount: 1, Method: flows.FromBankCard}},
			Negotiation: flows.Negotiation{Tried: true, Reply: "x", Verbatim: true},
			Facts: flows.Facts{DeregOn: "2024-01", DeregChannel: flows.ChannelApp, DeregTicket: "x", DeregDone: flows.No,
				FeePeriod: "x", ReturnTerms: "terms in English", TermsMet: flows.Partly,
				OldRate: "x", NewRate: "x", RateFrom: "2024-02", Notice: flows.Yes, NoticeOn: "2024-02-01"},
			Description: "in English", Agent: "in English", OtherRequest: "in English",
			Requests: []flows.RequestKind{flows.RequestRefund, flows.RequestOther},
			Evidence: []flows.Evidence{{Kind: flows.EvidencePhoto, Caption: "in English", Date: "2024-01-02"}},
		},
	}
}
