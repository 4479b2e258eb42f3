package flows

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"complaintbot/paste"
	"complaintbot/providers"
)

// Paste it, don't type it (issue 13): text the user sends at any question of a complaint, and
// the text read from a screenshot at the evidence step, goes through the reader of package
// paste. When it reads something the complaint does not hold yet, the bot shows what it read
// and asks: add it all, confirm it one by one, or not. Nothing is added without that press;
// questions whose answers were added are then passed by (Question.Skip). A text that is a
// plain answer to the question (199 at the amount question) is taken as before.

// The sources of an offer.
const (
	offerText  = "text"  // text the user sent
	offerPhoto = "photo" // the text read from a screenshot the user sent as evidence
)

// Offer is what the reader found in a text the user sent, waiting for the user to confirm it.
type Offer struct {
	Source     string      `json:"o"`
	Deductions []Deduction `json:"dd,omitempty"`
	Provider   Provider    `json:"pv,omitzero"`
	SN         string      `json:"sn,omitempty"`
	// Deregistered and the rate change are shown and kept in the evidence's text; the
	// complaint's facts take them where it has a field for them.
	Deregistered Date   `json:"dr,omitempty"`
	OldRate      string `json:"ro,omitempty"`
	NewRate      string `json:"rn,omitempty"`
	RateFrom     Date   `json:"rf,omitempty"`
	// Text is the pasted text, kept as an evidence item when the offer is taken (offerText).
	Text string `json:"t,omitempty"`
	// Plain is set when Text was also a valid answer to the question it was sent at: "no"
	// then takes it as that answer.
	Plain bool `json:"p,omitempty"`
	// Typed is set when Text is the user's own answer, not a message they copied, so it is
	// not kept as evidence: only an amount and its date typed ahead of the amount question,
	// or a text shorter than minRecord (a provider's name, an SN).
	Typed bool `json:"ty,omitempty"`
	// At is the deduction shown when confirming one by one; Keep marks those the user added.
	At   int    `json:"i,omitempty"`
	Keep []bool `json:"k,omitempty"`
	Each bool   `json:"e,omitempty"` // confirming one by one
	// YearAssumed: a date was written without its year, and the most recent past one was
	// taken; the offer says so.
	YearAssumed bool `json:"y,omitempty"`
	// Unread are the sums the text holds that were not read as deductions (a balance, a sale,
	// a sum in a sentence that did not say it was taken), shown so that nothing is dropped
	// silently.
	Unread []string `json:"u,omitempty"`
	// Planned are the sums the text announces for later (将于…扣收): not deductions yet, shown
	// so that the user knows why they were not offered.
	Planned []string `json:"pl,omitempty"`
	// Items are the screenshots the offer was read from (their unique ids), whose own date
	// taking it sets.
	Items []string `json:"it,omitempty"`
	// Learned: the offer said the user learned of the harm on the first deduction's day,
	// which taking it records.
	Learned bool `json:"l,omitempty"`
	// LearnedOn is the day the offer said (the first deduction's of the complaint and the
	// offer): taking it records that day only when the deductions kept still start on it.
	LearnedOn Date  `json:"ld,omitempty"`
	Asked     State `json:"s,omitempty"` // the question the text was sent at
}

// empty reports whether the offer holds nothing to add.
func (o *Offer) empty() bool {
	return len(o.Deductions) == 0 && o.Provider.Name == "" && o.SN == "" && o.Deregistered == "" && o.NewRate == ""
}

// firm reports whether the offer holds something a story would not mention in passing: a
// deduction with its date, the provider, the SN. Text sent at a question that takes any text
// is offered only then.
func (o *Offer) firm() bool {
	return o.Provider.Name != "" || o.SN != "" || !o.YearAssumed && slices.ContainsFunc(o.Deductions, func(d Deduction) bool { return d.Date != "" })
}

// readOffer reads text for what the complaint does not hold yet.
func readOffer(d Complaint, pend Deduction, text string, in Input, source string) *Offer {
	r := read(text, in)
	o := &Offer{Source: source}
	var planned []string
	for _, x := range r.Deductions {
		if x.Planned && x.Amount > 0 && len(planned) < 5 {
			if a := Fen(x.Amount).String(); !slices.Contains(planned, a) {
				planned = append(planned, a)
			}
		}
		if x.Planned || x.Amount <= 0 {
			continue
		}
		nd := Deduction{Date: Date(x.Date), Amount: Fen(x.Amount), Method: Method(x.Method), Label: truncateRunes(x.Label, maxShort)}
		if !validMethod(nd.Method) {
			nd.Method = ""
		}
		sameAmount := func(x Deduction) bool { return x.Amount == nd.Amount }
		if nd.Date == "" && (slices.ContainsFunc(d.Deductions, sameAmount) || pend.Amount == nd.Amount) {
			continue // the sum the user entered, mentioned again
		}
		sameDay := func(x Deduction) bool {
			return x.Amount == nd.Amount && len(x.Date) == 10 && len(nd.Date) == 10 && x.Date[5:] == nd.Date[5:]
		}
		if x.YearAssumed && (slices.ContainsFunc(d.Deductions, sameDay) || sameDay(pend)) {
			continue // the deduction the user entered, its day mentioned without the year
		}
		if x.YearAssumed {
			o.YearAssumed = true
		}
		if hasDeduction(d.Deductions, nd) || (pend.Amount == nd.Amount && pend.Date == nd.Date && nd.Date != "") ||
			hasDeduction(o.Deductions, nd) {
			continue
		}
		o.Deductions = append(o.Deductions, nd)
	}
	if rc, ok := ParseRecurring(text); ok && len(d.Deductions) == 0 && pend.Amount == 0 && !slices.ContainsFunc(o.Deductions, func(x Deduction) bool {
		return x.Date != "" || x.Amount != rc.Amount
	}) {
		// "每年从结算款扣99流量费，扣了三年" in a story: as many deductions of the sum as it
		// says, read alike (its name, how it was taken), each asked for its date
		each := Deduction{Amount: rc.Amount}
		if len(o.Deductions) > 0 {
			each = o.Deductions[0]
		}
		o.Deductions = slices.Repeat([]Deduction{each}, rc.Times)
	}
	if room := maxDeductions - len(d.Deductions); len(o.Deductions) > room {
		o.Deductions = o.Deductions[:max(room, 0)]
	}
	if r.Provider != "" && d.Provider.Name == "" {
		ps := in.Providers
		if ps == nil {
			ps = providers.Embedded()
		}
		if p, ok := ps.ByKey(r.Provider); ok {
			o.Provider = known(p)
		}
	}
	if r.SN != "" && d.DeviceSN == "" {
		if sn, err := ParseSN(r.SN); err == nil {
			o.SN = sn
		}
	}
	fits := func(k ChargeKind) bool { return d.Charge == "" || d.Charge == k }
	if r.Deregistered != "" && d.Facts.DeregOn == "" && fits(DeregistrationFee) {
		o.Deregistered = Date(r.Deregistered)
	}
	if rc := r.RateChange; rc != nil && d.Facts.NewRate == "" && fits(RateIncrease) {
		o.OldRate, o.NewRate, o.RateFrom = offeredRates(rc)
	}
	o.dropKnown(d)
	if o.empty() {
		return nil
	}
	for _, n := range r.Notes {
		if n.Code == paste.NoteAmountNotRead && len(o.Unread) < 5 && !slices.Contains(o.Unread, n.Value) {
			o.Unread = append(o.Unread, n.Value)
		}
	}
	o.Planned = planned
	o.Keep = make([]bool, len(o.Deductions))
	return o
}

// offeredRates returns a rate change read as the complaint will hold it, so that the offer
// shows what taking it stores: each rate as ParseRate writes it, a fixed part per transaction
// left out (0.72%+3元/笔 is 0.72%; the pasted text, kept as evidence, still says it), an old
// rate that does not parse left out. No new rate when the new one does not parse.
func offeredRates(rc *paste.RateChange) (old, new string, from Date) {
	pct := func(s string) string {
		p, _, _ := strings.Cut(s, "+")
		return p
	}
	new, err := ParseRate(pct(rc.New))
	if err != nil {
		return "", "", ""
	}
	if v, err := ParseRate(pct(rc.Old)); rc.Old != "" && err == nil {
		old = v
	}
	return old, new, Date(rc.From)
}

// read reads text with paste; when a deduction lacks its date or method and the text has lines
// a phone or OCR wrapped (a line ending mid-sentence), the text with those lines joined is read
// too, and the more complete reading wins.
func read(text string, in Input) paste.Reading {
	r := paste.Read(text, in.Now)
	if !strings.Contains(text, "\n") || complete(r) == len(r.Deductions) {
		return r
	}
	j := paste.Read(unwrap(text), in.Now)
	if len(j.Deductions) >= len(r.Deductions) && complete(j) > complete(r) {
		return j
	}
	return r
}

// complete counts the deductions read with their date and method.
func complete(r paste.Reading) int {
	n := 0
	for _, d := range r.Deductions {
		if d.Date != "" && d.Method != "" {
			n++
		}
	}
	return n
}

// unwrap joins each line that ends mid-sentence (no closing punctuation, at least 12
// characters: a line the screen's width cut) to the next, unless the next starts with a date.
func unwrap(text string) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		t := strings.TrimSpace(l)
		if utf8.RuneCountInString(t) < 12 || strings.ContainsAny(lastRune(t), "。！？!?.;；)）") ||
			rowStart.MatchString(strings.TrimSpace(lines[i+1])) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// rowStart is a line that starts with a date: a ledger's row, not the rest of a sentence.
var rowStart = regexp.MustCompile(`^(\d{4}[-/.年]|\d{1,2}[-/月]\d{1,2})`)

// lastRune returns the last character of s, or "".
func lastRune(s string) string {
	r, n := utf8.DecodeLastRuneInString(s)
	if n == 0 {
		return ""
	}
	return string(r)
}

// hasDeduction reports whether ds holds a deduction of the same amount on the same day.
func hasDeduction(ds []Deduction, x Deduction) bool {
	return slices.ContainsFunc(ds, func(d Deduction) bool { return d.Amount == x.Amount && d.Date == x.Date })
}

// validMethod reports whether m is one of the methods offered.
func validMethod(m Method) bool {
	_, ok := oneOf(string(m), FromSettlement, FromBankCard, FromWallet, FromOther)
	return ok
}

// offerFromText shows what the typed text says, when it says something new; false when the
// text goes to the question as usual.
func (st *stepper) offerFromText() bool {
	if st.in.Kind != InputText || !st.s.Consented || !inCase(st.s.State) || st.s.State == StateReview {
		return false
	}
	plain := st.plainAnswer()
	if plain && st.s.State != StateEvidence && !freeText(st.s.State) {
		return false // 199 at the amount question, a date at a date question
	}
	// read whole, as long as Telegram lets a message be (a ledger of a few dozen rows is over a
	// thousand characters); what is kept of it as evidence is cut to maxEvidenceText (takeOffer)
	t, err := CleanText(st.in.Text, maxPasted)
	if err != nil {
		return false
	}
	// A text sent under an offer still shown (a ledger's rows sent one message each, the text
	// after a screenshot) joins it: what was read before is not dropped for the later.
	prev := st.s.Offer
	joins := prev != nil && !prev.Each
	seen := st.s.Draft
	if joins {
		seen = prev.over(seen)
	}
	o := readOffer(seen, st.s.Pend, t, st.in, offerText)
	whole := false // the text is nothing but an amount and its date: no address or story
	if plain && freeText(st.s.State) && (o == nil || !o.firm()) {
		if ad, err := ParseAmountDate(t, st.in.Now); err == nil && len(seen.Deductions) < maxDeductions {
			nd := Deduction{Amount: ad.Amount, Date: ad.Date}
			if !hasDeduction(seen.Deductions, nd) {
				o, whole = &Offer{Source: offerText, Deductions: []Deduction{nd}, Keep: []bool{false}, YearAssumed: ad.YearAssumed, Typed: true}, true
			}
		}
	}
	if o == nil || plain && freeText(st.s.State) && !o.firm() && !whole {
		return false
	}
	o.Text, o.Plain, o.Asked = t, plain, st.s.State
	o.Typed = o.Typed || utf8.RuneCountInString(strings.TrimSpace(t)) < minRecord
	if joins {
		switch {
		case prev.Text == "" || prev.Typed:
			prev.Text, prev.Typed = o.Text, o.Typed
		case !o.Typed:
			prev.Text = truncateRunes(prev.Text+"\n"+o.Text, maxEvidenceText)
		}
		prev.join(o)
		prev.Plain, prev.Asked = false, st.s.State
		o = prev
	}
	st.s.Offer = o
	st.showOffer()
	return true
}

// over returns d as it would be with the offer taken, so that a text or a screenshot read
// to join the offer offers only what neither holds.
func (o *Offer) over(d Complaint) Complaint {
	d.Deductions = append(slices.Clip(d.Deductions), o.Deductions...)
	if o.Provider.Name != "" {
		d.Provider = o.Provider
	}
	if o.SN != "" {
		d.DeviceSN = o.SN
	}
	if o.Deregistered != "" {
		d.Facts.DeregOn = o.Deregistered
	}
	if o.NewRate != "" {
		d.Facts.NewRate = o.NewRate
	}
	return d
}

// join adds to the offer what o, read over it, adds; the deductions are asked for again.
func (o *Offer) join(x *Offer) {
	o.Items = append(o.Items, x.Items...)
	o.Deductions = append(o.Deductions, x.Deductions...)
	o.Keep = make([]bool, len(o.Deductions))
	o.YearAssumed = o.YearAssumed || x.YearAssumed
	if o.Provider.Name == "" {
		o.Provider = x.Provider
	}
	if o.SN == "" {
		o.SN = x.SN
	}
	if o.Deregistered == "" {
		o.Deregistered = x.Deregistered
	}
	if o.NewRate == "" {
		o.OldRate, o.NewRate, o.RateFrom = x.OldRate, x.NewRate, x.RateFrom
	}
	for _, u := range x.Unread {
		if len(o.Unread) < 5 && !slices.Contains(o.Unread, u) {
			o.Unread = append(o.Unread, u)
		}
	}
	for _, p := range x.Planned {
		if len(o.Planned) < 5 && !slices.Contains(o.Planned, p) {
			o.Planned = append(o.Planned, p)
		}
	}
}

// minRecord is the fewest characters of a pasted text kept as evidence. What people type as
// an answer (拉卡拉, an SN, 拉卡拉 199元) is shorter; the shortest record seen, a ledger's row
// (2024-05-01 注销服务费 -199.00), is 25.
const minRecord = 20

// freeText reports whether the question at s takes any text, so that text it reads things
// from may still be meant as its answer.
func freeText(s State) bool {
	q := machine().question(s)
	if q == nil {
		return false
	}
	_, ok := q.Answer.(TextAnswer)
	return ok
}

// plainAnswer reports whether the typed text would be taken by the current question as it is.
func (st *stepper) plainAnswer() bool {
	q := machine().question(st.s.State)
	if q == nil {
		return false
	}
	t := st.in.Text
	switch a := q.Answer.(type) {
	case TextAnswer:
		_, err := CleanText(t, a.Max)
		return err == nil
	case DateAnswer:
		_, err := ParseDate(t, st.in.Now)
		return err == nil
	case interface{ parses(string) bool }:
		return a.parses(t)
	case Code:
		switch st.s.State {
		case StateProvider, StateProviderName:
			_, err := CleanText(t, maxProviderName)
			return err == nil && len([]rune(strings.TrimSpace(t))) <= 20 && !strings.ContainsAny(t, "0123456789")
		case StateEvidence:
			return true
		}
	}
	return false
}

func (p Parsed[T]) parses(t string) bool {
	c, err := CleanText(t, 0)
	if err != nil {
		return false
	}
	_, err = p.Parse(c)
	return err == nil
}

// ReadsScreenshots reports whether an image the user sends now is read for what it says (an
// SMS, a ledger), as a pasted text is: at any question of a complaint in progress, not at the
// review. People send the screenshot when they have it, not when the evidence is asked for.
func ReadsScreenshots(s Session) bool {
	return s.Consented && inCase(s.State) && s.State != StateReview
}

// offerFromReading shows what was read from a screenshot the user sent as evidence item
// in.Data (its unique id): where ReadsScreenshots, once per item; over an offer still shown
// (an album's other screenshots, a pasted text), it joins it. Otherwise the reading is stale
// and nothing is said.
func (st *stepper) offerFromReading() {
	d := &st.s.Draft
	i := slices.IndexFunc(d.Evidence, func(e Evidence) bool { return e.UniqueID != "" && e.UniqueID == st.in.Data })
	prev := st.s.Offer
	joins := prev != nil && !prev.Each
	if !ReadsScreenshots(st.s) || prev != nil && !joins || st.s.Pending != PendingNone || i < 0 || d.Evidence[i].Read {
		return
	}
	d.Evidence[i].Read = true
	seen := *d
	if joins {
		// an album's screenshots: what this one adds joins the offer still shown, shown again
		seen = prev.over(seen)
	}
	o := readOffer(seen, st.s.Pend, st.in.Text, st.in, offerPhoto)
	if o == nil {
		return
	}
	o.Items = []string{st.in.Data}
	if joins {
		prev.join(o)
		prev.Plain = false // the offer is no longer the text alone, which "no" would answer with
		o = prev
	}
	o.Asked = st.s.State
	st.s.Offer = o
	st.moved = true
	st.showOffer()
}

// showOffer shows the offer: everything read, or the deduction to confirm next.
func (st *stepper) showOffer() {
	o := st.s.Offer
	if o.Each {
		x := o.Deductions[o.At]
		st.sayWith("paste_each", map[string]any{"N": o.At + 1, "Count": len(o.Deductions), "Line": pastedLine(0, x)},
			st.choice("paste_add", "p=add", nil), st.choice("paste_skip", "p=skip", nil))
		return
	}
	var ls Lines
	for i, x := range o.Deductions {
		ls = append(ls, pastedLine(i+1, x))
	}
	if o.Provider.Name != "" {
		ls = append(ls, Text{Key: "paste_provider", Args: map[string]any{"Name": o.Provider.Name, "Latin": latinName(st.providers(), o.Provider.Key)}})
	}
	if o.SN != "" {
		ls = append(ls, Text{Key: "paste_sn", Args: map[string]any{"SN": o.SN}})
	}
	if o.Deregistered != "" {
		ls = append(ls, Text{Key: "paste_deregistered", Args: map[string]any{"Date": string(o.Deregistered)}})
	}
	o.Learned, o.LearnedOn = false, ""
	if first := firstDeduction(append(slices.Clip(st.s.Draft.Deductions), o.Deductions...)); first != "" && st.s.Draft.LearnedOn == "" &&
		!olderThanYears(first, DateOf(st.in.Now), 3) && !deposit(st.s.Draft) {
		// learned of it that day, unless that would say the complaint came too late (a ledger
		// read years on was not known of on its first row's day), or the money was a deposit,
		// paid knowingly, whose harm is that it was not returned later: then the user is asked
		o.Learned, o.LearnedOn = true, first
		ls = append(ls, Text{Key: "paste_learned", Args: map[string]any{"Date": string(first)}})
	}
	if o.YearAssumed {
		ls = append(ls, Text{Key: "paste_year_assumed"})
	}
	if len(o.Unread) > 0 {
		ls = append(ls, Text{Key: "paste_not_read", Args: map[string]any{"Amounts": strings.Join(o.Unread, "、")}})
	}
	if len(o.Planned) > 0 {
		ls = append(ls, Text{Key: "paste_planned", Args: map[string]any{"Amounts": strings.Join(o.Planned, "、")}})
	}
	if o.NewRate != "" {
		ls = append(ls, Text{Key: "paste_rate", Args: map[string]any{"Old": orNot(o.OldRate), "New": o.NewRate, "From": orNot(string(o.RateFrom))}})
	}
	total := Fen(0)
	for _, x := range o.Deductions {
		total += x.Amount
	}
	source := Text{Key: "paste_source_text"}
	if o.Source == offerPhoto {
		source = Text{Key: "paste_source_photo"}
	}
	cs := []Choice{st.choice("paste_all", "p=all", nil)}
	if len(o.Deductions) > 1 {
		cs = append(cs, st.choice("paste_each_button", "p=each", nil))
	}
	cs = append(cs, st.choice("paste_no", "p=no", nil))
	st.sayWith("paste_offer", map[string]any{
		"Source": source, "Count": len(o.Deductions), "Total": total.String(), "List": ls,
	}, cs...)
}

// pastedLine shows one deduction read: its number (none when n is 0), date, amount, name and
// method, and what is still to be asked.
func pastedLine(n int, x Deduction) Text {
	method := any(Text{Key: "paste_unknown"})
	if x.Method != "" {
		method = Text{Key: "method_" + string(x.Method)}
	}
	date := any(Text{Key: "paste_unknown"})
	if x.Date != "" {
		date = string(x.Date)
	}
	return Text{Key: "paste_line", Args: map[string]any{"N": n, "Date": date, "Amount": x.Amount.String(), "Label": x.Label, "Method": method}}
}

// answerOffer takes a press of the offer's buttons, or a yes or a no typed; false when the input
// is a plain answer to the question beneath (a button of it, "199" at the amount), which drops
// the offer. Other typed text keeps it: see below.
func (st *stepper) answerOffer(ctx context.Context, action string) (bool, error) {
	o := st.s.Offer
	if action == "" && st.in.Kind == InputText {
		// "要加入您的投诉吗？" or, one by one, "加入这一笔吗？" answered by typing
		r := said(st.in.Text)
		yes, no := "p=all", "p=no"
		if o.Each {
			yes, no = "p=add", "p=skip"
		}
		switch {
		case r.yesNo() == string(Yes) || r == "要" || r == "加" || r == "加上" || r == "add":
			action = yes
		case r.yesNo() == string(No) || r == "不要" || r == "不加" || r == "不用" || r == "算了":
			action = no
		}
	}
	switch action {
	case "p=all":
		for i := range o.Keep {
			o.Keep[i] = true
		}
		return true, st.takeOffer(ctx)
	case "p=each":
		if len(o.Deductions) < 2 {
			return true, st.stale()
		}
		o.Each, o.At = true, 0
		st.showOffer()
		return true, nil
	case "p=add", "p=skip":
		if !o.Each {
			return true, st.stale()
		}
		o.Keep[o.At] = action == "p=add"
		o.At++
		if o.At < len(o.Deductions) {
			st.showOffer()
			return true, nil
		}
		return true, st.takeOffer(ctx)
	case "p=no":
		st.s.Offer = nil
		if o.Plain && st.s.State == o.Asked && o.Source == offerText {
			// the text was an answer after all
			st.in.Kind, st.in.Text = InputText, o.Text
			return true, st.answerQuestion(ctx, "")
		}
		st.say("paste_dropped", nil)
		st.ask()
		return true, nil
	}
	if action == "" && st.in.Kind == InputText && st.s.State == StateEvidence && !o.Each && st.offerFromText() {
		return true, nil // the next row of a ledger sent at the evidence step joins the offer
	}
	if action == "" && st.in.Kind == InputText && st.s.State != StateEvidence && (freeText(st.s.State) || !st.plainAnswer()) {
		// Text typed under the offer that is no plain answer to the question beneath it: the
		// visible question is the offer's, so it is not taken as that answer (an address of
		// "结算款"). New things read from it join the offer (or, under a screenshot's, are
		// offered instead); otherwise the offer stays.
		if st.offerFromText() {
			return true, nil
		}
		if !st.keepTyped(false) { // "业务员还说不给退" said under the offer is kept, not dropped
			st.say("use_buttons", nil)
		}
		st.showOffer()
		return true, nil
	}
	st.s.Offer = nil
	return false, nil
}

// takeOffer adds what the user confirmed: the deductions kept (those missing a date or a
// method are asked for), the provider, the SN; a pasted text becomes an evidence item. Then
// the questions already answered are passed by.
func (st *stepper) takeOffer(ctx context.Context) error {
	o := st.s.Offer
	st.s.Offer = nil
	d := &st.s.Draft
	added, before := 0, len(d.Deductions)
	for i, x := range o.Deductions {
		if !o.Keep[i] {
			continue
		}
		added++
		if x.Date != "" && x.Method != "" {
			if len(d.Deductions) < maxDeductions {
				d.Deductions = append(d.Deductions, x)
			}
			continue
		}
		st.s.Queue = append(st.s.Queue, x)
	}
	if added > 0 {
		st.fill(StateAmount)
		// pasted in the middle of the deductions loop (a ledger row at "the 3rd deduction's
		// amount"), the user is still listing them: "any other?" is asked
		if o.Asked != StateAmount || before == 0 {
			st.fill(StateMoreDeductions)
		}

	}
	if o.Learned && d.LearnedOn == "" {
		// shown in the offer: learned of it on the day of the first deduction, counting those
		// kept that wait for their way of taking; when the user left that one out, the day
		// shown no longer holds and is asked
		kept := slices.Clip(d.Deductions)
		for i, x := range o.Deductions {
			if o.Keep[i] {
				kept = append(kept, x)
			}
		}
		if first := firstDeduction(kept); first != "" && (o.LearnedOn == "" || first == o.LearnedOn) {
			d.LearnedOn = first
			st.fill(StateLearned)
		}
	}
	if o.Provider.Name != "" && d.Provider.Name == "" {
		st.setProvider(o.Provider)
		st.fill(StateProvider)
	}
	if o.SN != "" && d.DeviceSN == "" {
		d.DeviceSN = o.SN
		st.fill(StateDevice)
	}
	st.applyFacts(d, o)
	record := o.Text != "" && !o.Typed // a text the user sent, alone or with screenshots
	story := record && o.Source == offerText && ownStory(o.Text)
	if story {
		// "我是开小超市的，用的拉卡拉的机子，每年扣99…": the user's own account is their
		// statement (陈述), not a document to list as evidence
		record = false
		if v, err := CleanText(o.Text, maxDescription); err == nil && d.Description == "" {
			d.Description = v
			st.fill(StateDescription)
		} else if err == nil && !strings.Contains(d.Description, v) {
			d.Description = truncateRunes(d.Description+"\n"+v, maxDescription)
		}
	}
	if record && len(d.Evidence) < maxEvidence {
		d.Evidence = append(d.Evidence, Evidence{Kind: EvidenceText, Caption: truncateRunes(o.Text, maxEvidenceText), ReceivedAt: st.in.Now, Read: true, Date: o.ownDate()})
	}
	for i := range d.Evidence {
		if e := &d.Evidence[i]; e.Date == "" && slices.Contains(o.Items, e.UniqueID) {
			e.Date = o.ownDate() // a screenshot's own date, as read from it
		}
	}
	st.say("paste_taken", map[string]any{"Count": added, "Evidence": len(d.Evidence), "Text": record, "Story": story})
	return st.resume(ctx)
}

// ownStory reports whether a text sent is the user's own account ("我是开小超市的…从来没人通知过我"),
// not a message they copied: it speaks in the first person and is neither quoted, nor an SMS
// (【…】, 尊敬的…), nor lines copied from a chat (with times or dates).
func ownStory(text string) bool {
	t := strings.TrimSpace(text)
	return strings.Contains(t, "我") && !strings.Contains(t, "【") && !strings.Contains(t, "尊敬的") && !copiedChat(t)
}

// applyFacts keeps the de-registration (completed on its date) and the rate change in the
// charge kind's facts, and passes their questions by.
func (st *stepper) applyFacts(d *Complaint, o *Offer) {
	f := &d.Facts
	if o.Deregistered != "" && f.DeregOn == "" {
		f.DeregOn, f.DeregDone = o.Deregistered, Yes
		st.fill(StateDeregDate, StateDeregDone)
	}
	if o.NewRate == "" || f.NewRate != "" {
		return
	}
	if v, err := ParseRate(o.NewRate); err == nil {
		f.NewRate = v
		st.fill(StateNewRate)
	}
	if v, err := ParseRate(o.OldRate); o.OldRate != "" && err == nil {
		f.OldRate = v
		st.fill(StateOldRate)
	}
	if o.RateFrom != "" {
		f.RateFrom = o.RateFrom
		st.fill(StateRateFrom)
	}
}

// ownDate is the date of the text an offer was read from: the latest date it names.
func (o *Offer) ownDate() Date {
	last := o.Deregistered
	for _, x := range o.Deductions {
		if x.Date > last {
			last = x.Date
		}
	}
	return last
}

// resume continues after an offer was taken: past the current question when it is now
// answered, else the question again.
func (st *stepper) resume(ctx context.Context) error {
	q := machine().question(st.s.State)
	if q != nil && !st.s.Editing {
		if ev := st.skipEvent(q, st.s.State); ev != "" {
			return st.fire(ctx, ev)
		}
	}
	st.ask()
	return nil
}

// fill notes that the offer answered the questions qs, to be passed by once.
func (st *stepper) fill(qs ...State) {
	for _, q := range qs {
		if !slices.Contains(st.s.Filled, q) {
			st.s.Filled = append(st.s.Filled, q)
		}
	}
}

// dropKnown leaves out of the offer what the draft holds already.
func (o *Offer) dropKnown(d Complaint) {
	if d.Provider.Name != "" {
		o.Provider = Provider{}
	}
	if d.DeviceSN != "" {
		o.SN = ""
	}
}

// pend takes the next deduction waiting for its missing answers, or starts an empty one.
func pend(s *Session) {
	s.Pend, s.PendPasted = Deduction{}, false
	if len(s.Queue) > 0 {
		s.Pend, s.Queue, s.PendPasted = s.Queue[0], s.Queue[1:], true
		if len(s.Queue) == 0 {
			s.Queue = nil
		}
	}
}

// keepPend adds the deduction being written to the complaint.
func keepPend(s *Session) {
	if len(s.Draft.Deductions) < maxDeductions {
		s.Draft.Deductions = append(s.Draft.Deductions, s.Pend)
	}
	s.Pend, s.PendPasted = Deduction{}, false
}

// keepTyped keeps a text typed at a question it does not answer (one that takes only its
// buttons, or an offer's) when it tells something, so that nothing the user wrote is lost:
// their own account, or a fact said in passing ("5月1日被扣了199，业务员说不退"), joins the
// complaint's statement (Complaint.Description, which the review shows and lets them change);
// a message they copied (an SMS, lines of a chat) is kept as a text evidence item. It says
// where the text went and reports whether it kept it; a word or two ("好的", "不知道") is
// not kept, and the caller refuses it as before. refused: the text was refused as an answer
// to a question that takes text (a date, an amount, a name too long), which a failed try at
// the answer ("2024年5月左右吧") also is: only a sentence of a dozen words is kept there.
func (st *stepper) keepTyped(refused bool) bool {
	if st.in.Kind != InputText || !st.s.Consented || !inCase(st.s.State) {
		return false
	}
	t, err := CleanText(st.in.Text, maxDescription)
	if long := (TooLongError{}); !refused && errors.As(err, &long) {
		// longer than a statement holds, and read for nothing: said, not dropped unseen
		st.say("invalid_text_too_long", map[string]any{"Max": maxDescription, "Got": utf8.RuneCountInString(st.in.Text)})
		return true
	}
	if err != nil || !worthKeeping(t, refused) {
		return false
	}
	d := &st.s.Draft
	if copied(t) {
		if !slices.ContainsFunc(d.Evidence, func(e Evidence) bool { return e.Kind == EvidenceText && e.Caption == truncateRunes(t, maxEvidenceText) }) {
			if len(d.Evidence) >= maxEvidence {
				return false
			}
			d.Evidence = append(d.Evidence, Evidence{Kind: EvidenceText, Caption: truncateRunes(t, maxEvidenceText), ReceivedAt: st.in.Now, Read: true})
		}
		st.say("typed_kept", map[string]any{"Story": false, "Evidence": len(d.Evidence), "Buttons": !refused})
		return true
	}
	switch {
	case d.Description == "":
		d.Description = t
		st.fill(StateDescription)
	case strings.Contains(d.Description, t): // sent twice
	case utf8.RuneCountInString(d.Description)+1+utf8.RuneCountInString(t) > maxDescription:
		return false // no room: refused as before, rather than cut
	default:
		d.Description += "\n" + t
	}
	st.say("typed_kept", map[string]any{"Story": true, "Buttons": !refused})
	return true
}

// worthKeeping reports whether text typed where it answers nothing tells something: a dozen
// words when it was refused as an answer, otherwise eight, or a number with two words beside
// it; not a key held down, nor a correction or a question the refusal's hint answers ("不对，
// 金额写错了", "why do you need this").
func worthKeeping(t string, refused bool) bool {
	if n, digits := words(t); refused && n < 12 || !refused && n < 8 && !(digits && n >= 3) || few(t) {
		return false
	}
	_, ok := correction(t)
	return !ok && asks(t) == ""
}

// keepOnCase adds a text typed after the document, at the offer to hand the case to staff,
// to that case as a text evidence item when it tells something ("他们今天来电话说只退100"),
// and says so; it reports whether it did.
func (st *stepper) keepOnCase() bool {
	if st.in.Kind != InputText || st.s.LastCase == "" {
		return false
	}
	t, err := CleanText(st.in.Text, maxEvidenceText)
	if err != nil || !worthKeeping(t, false) {
		return false
	}
	ev := Evidence{Kind: EvidenceText, Caption: t, ReceivedAt: st.in.Now, Date: DateIn(t, st.in.Now)}
	st.effects = append(st.effects, Effect{Kind: EffectAddEvidence, CaseID: st.s.LastCase, Evidence: []Evidence{ev}})
	st.say("evidence_added_to_case", map[string]any{"CaseID": st.s.LastCase, "Count": 1})
	return true
}

// copied reports whether a text is a message the user copied (an SMS, lines of a chat), not
// their own words.
func copied(t string) bool {
	return strings.Contains(t, "【") || strings.Contains(t, "尊敬的") || copiedChat(t)
}

// few reports whether t is made of fewer than five different characters ("长长长长…",
// "?????"): a key held down, nothing to keep.
func few(t string) bool {
	seen := map[rune]bool{}
	for _, r := range t {
		if seen[r] = true; len(seen) >= 5 {
			return false
		}
	}
	return true
}

// words counts the words of t (a Chinese character, or a run of Latin letters or digits, each)
// and reports whether it holds a digit. Typed where it answers nothing, at least eight words,
// or a number with two words beside it ("扣了199元", "paid 199 on May 1"), say something worth
// keeping; "好的", "不知道", "I don't know" do not.
func words(t string) (n int, digits bool) {
	inWord := false
	for _, r := range t {
		switch {
		case unicode.Is(unicode.Han, r):
			n++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			digits = digits || unicode.IsDigit(r)
			if !inWord {
				n++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return n, digits
}
