package paste

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reader accumulates the reading of one text, line by line.
type reader struct {
	today ymd
	out   Reading

	provKeys  []string // providers named, in order of first mention
	provText  map[string]string
	signature string   // the first SMS signature that names a payment institution
	sigKey    string   // its provider key, "" when unknown
	sigKeys   []string // the provider keys of every signature

	sns []string

	rate      *RateChange // the first rate change read from one sentence
	rateExtra bool        // a second, different change was read
	rateOld   string      // 原费率 on a line of its own
	rateNew   string      // 新费率 / 现费率 / 调整后费率 on a line of its own
	rateFrom  string      // 生效日期 on a line of its own
	effective string      // the one date of a line saying 生效 or 执行, with no rate on it
	rateSeen  bool        // a rate was mentioned at all

	dereg      string
	deregClash bool
	deregSeen  bool

	// a notice written as a form, one "key: value" a line (扣费项目：注销服务费 / 扣费金额：199元)
	formLabels, formDates, formMethods []string
	formAssumed                        bool
	formDeds                           []int // deductions read from a form's amount line

	prevTake  bool       // the line before was a short 扣款成功 standing alone
	prevLabel string     // the line before was nothing but a fee's name (流量卡服务费)
	prevTail  string     // the line before ended, unpunctuated, with a fee's name (OCR wrapped it)
	nextHead  string     // the first clause of the line after, normalized
	undated   []int      // the deductions read from the line before without a date, no date line above them
	pending   *Deduction // a bare -99.00 that a form's lines may show to be a deduction
	formTake  bool       // a form's line says money was taken (扣款时间, 流量卡年费扣收)
	rateTitle bool       // a line named a rate (费率变更记录), so 变更前 0.55% is one

	header   []byte // the numeric columns of a ledger header: 'd' may hold a deduction, 'x' not
	enDeds   []int  // the deductions read from English lines
	lastDate *dateTok
}

func (r *reader) note(code, value, line string) {
	if len(r.out.Notes) >= MaxNotes {
		return
	}
	for _, n := range r.out.Notes {
		if n.Code == code && n.Value == value && n.Line == line {
			return
		}
	}
	r.out.Notes = append(r.out.Notes, Note{Code: code, Value: value, Line: line})
}

// lineCtx is one line under reading.
type lineCtx struct {
	src   string // as pasted, trimmed
	s     string // normalized
	ms    string // normalized with dates, numbers of record and read spans masked
	dates []dateTok
	memo  map[[2]int]*spanFacts // facts of the clauses and sentences weighed so far
}

// clause returns the bounds of the clause (sentence when whole) around byte i.
func (l *lineCtx) clause(i int, whole bool) (int, int) {
	start, end := 0, len(l.ms)
	for k := i - 1; k >= 0; k-- {
		if isDelim(l.ms, k, whole) {
			start = k + 1
			break
		}
	}
	for k := i; k < len(l.ms); k++ {
		if isDelim(l.ms, k, whole) {
			end = k
			break
		}
	}
	return start, end
}

// isDelim reports whether the byte at k ends a clause (a sentence when whole).
func isDelim(s string, k int, whole bool) bool {
	switch s[k] {
	case '!', '?', ';':
		return true
	case ',':
		if whole {
			return false
		}
		// 1,234.56: a thousands separator
		if k > 0 && isDigit(s[k-1]) && k+3 < len(s) && isDigit(s[k+1]) && isDigit(s[k+2]) && isDigit(s[k+3]) && (k+4 >= len(s) || !isDigit(s[k+4])) {
			return false
		}
		return true
	case 0xE3: // 。 (E3 80 82) and 、 (E3 80 81)
		if k+2 < len(s) && s[k+1] == 0x80 && s[k+2] == 0x82 {
			return true
		}
		if !whole && k+2 < len(s) && s[k+1] == 0x80 && s[k+2] == 0x81 {
			return true
		}
	}
	return false
}

func (r *reader) line(raw string) {
	src := strings.TrimSpace(raw)
	if src == "" {
		return
	}
	s := normalize(src)
	if strings.Count(src, ",") >= 3 && !strings.Contains(src, "，") {
		s = csvFields(s)
	}
	r.providersIn(s)
	m := []byte(s)
	dates := findDates(s, m, r.today.y)
	en := isEnglish(s)
	if en {
		dates = englishDates(s, m, dates)
	}
	r.serials(s, m)
	maskRecords(s, m)
	pcts := findPercents(s, m)
	l := &lineCtx{src: src, s: s, ms: string(m), dates: dates}
	r.rates(l, pcts)
	r.deregistration(l)
	if r.headerLine(l) {
		return
	}
	key, isForm := r.formLine(l)
	amts := findAmounts(l.ms)
	before := len(r.out.Deductions)
	undated := r.undated
	r.undated = nil
	bare := false
	switch {
	case en:
		r.english(l, amts)
	default:
		if bare = r.bareAmount(l, amts); !bare {
			r.deductions(l, amts)
		}
	}
	if isForm && strings.Contains(key, "金额") && len(r.out.Deductions) == before && r.pending == nil &&
		len(amts) == 1 && amts[0].sign == '-' && amts[0].fen > 0 {
		// 交易金额:-99.00 is a sale's amount unless the form says money was taken (交易类型:调账)
		r.pending = &Deduction{Amount: amts[0].fen, Line: l.src}
	}
	if len(dates) == 0 && r.lastDate == nil && !strings.ContainsAny(l.ms, "。,;!?") {
		for k := before; k < len(r.out.Deductions); k++ {
			if r.out.Deductions[k].Date == "" {
				r.undated = append(r.undated, k)
			}
		}
	}
	// a sum the form's lines may complete: a form's amount, one under 扣款成功, or a bill's sum
	// under its title (拉卡拉流量卡服务费 / -99.00 / 支付时间 … / 支付方式 零钱)
	if (isForm && strings.Contains(key, "金额") || r.prevTake || bare) && len(r.out.Deductions) == before+1 {
		r.formDeds = append(r.formDeds, before)
	}
	r.prevTake = len(amts) == 0 && utf8.RuneCountInString(l.ms) <= 8 && containsTake(l.ms) &&
		!containsAny(l.ms, clauseExclusions)
	r.prevLabel, r.prevTail = "", ""
	if len(amts) == 0 {
		t := strings.TrimSpace(l.ms)
		lab := feeLabel(t, 0, len(t), amountTok{start: len(t), end: len(t)})
		if lab != "" && strings.HasSuffix(t, lab) && !containsAny(t, clauseExclusions) {
			r.prevTail = lab
			if stripPrefix(strings.TrimSuffix(t, lab)) == "" {
				r.prevLabel = lab
			}
		}
	}
	switch {
	case len(dates) > 0 && len(amts) == 0 && onlyDate(l):
		d := dates[0]
		r.lastDate = &d
		if r.dateUndated(undated, d, "") {
			r.lastDate = nil // the row's above, not the next one's
		}
	case len(dates) == 1 && len(amts) == 0 && chatHeader(l):
		d := dates[0]
		r.lastDate = &d // the day of the chat message under it
	case len(dates) == 1 && len(undated) > 0 && len(r.out.Deductions) == before && underRow(l, amts):
		r.dateUndated(undated, dates[0], methodOf(l.ms))
		r.lastDate = nil
	default:
		r.lastDate = nil
	}
}

// bareAmount reads a line holding nothing but a sum, as app screenshots show one: under a
// fee's name (流量卡服务费 / -99.00), after 扣款成功, or above a form (账单详情 / -99.00 /
// 交易类型 流量卡年费扣收). It reports whether the line was such a sum.
func (r *reader) bareAmount(l *lineCtx, amts []amountTok) bool {
	if len(amts) != 1 || strings.TrimSpace(l.ms) != l.ms[amts[0].start:amts[0].end] {
		return false
	}
	a := amts[0]
	if !a.currency && !a.twoDec || a.fen == 0 || a.sign != '-' && !(a.currency && r.prevTake) {
		return false
	}
	d := Deduction{Amount: a.fen, Label: r.prevLabel, Line: l.src}
	if r.lastDate != nil {
		r.dateBare(&d, *r.lastDate)
	}
	switch {
	case r.prevLabel != "", r.prevTake:
	case a.sign == '-' && r.pending == nil:
		r.pending = &d
		return true
	default:
		return true
	}
	if len(r.out.Deductions) >= MaxDeductions {
		r.note(NoteTruncated, "", l.src)
		return true
	}
	r.out.Deductions = append(r.out.Deductions, d)
	return true
}

// dateUndated gives the deductions of the row above, read without a date, the date t of the
// line under them, and the way of taking that line names when they name none. An app's list
// shows each charge's date (and time, and account) under its name and sum:
// 流量卡服务费 -99.00 / 2024-06-10 09:12:33 结算账户. It reports whether a date was given.
func (r *reader) dateUndated(undated []int, t dateTok, method string) bool {
	dated := false
	for _, k := range undated {
		d := &r.out.Deductions[k]
		if d.Date != "" {
			continue
		}
		r.dateBare(d, t)
		if d.Date != "" {
			dated = true
			if d.Method == "" {
				d.Method = method
			}
		}
	}
	return dated
}

// chatHeader reports whether l is the header a chat app shows above a message, its sender
// and the date and time it was sent: 王经理 2024/6/1 10:20, 我 2024/9/1 09:00.
func chatHeader(l *lineCtx) bool {
	name, rest, ok := strings.Cut(strings.TrimSpace(l.ms), " ")
	if !ok || strings.Trim(rest, "# ") != "" || strings.Count(rest, "#") < len("2024/6/1 10:20") || utf8.RuneCountInString(name) > 6 {
		return false
	}
	for _, c := range name {
		if !isHan(c) && !(c < utf8.RuneSelf && isAlnum(byte(c)) && !isDigit(byte(c))) {
			return false
		}
	}
	return true
}

// underRow reports whether l, holding one date, is the line an app's list shows under a row:
// the date and time, and at most a few words naming the account or the state
// (结算账户, 交易成功, 扣款成功), or the balance after the row (余额¥1,101.00); no other sum,
// no sentence.
func underRow(l *lineCtx, amts []amountTok) bool {
	rest, limit := l.ms, len(l.ms)
	for k := len(amts) - 1; k >= 0; k-- {
		a := amts[k]
		pre := strings.TrimRight(l.ms[:a.start], " :")
		if !strings.HasSuffix(pre, "余额") || a.end > limit {
			return false
		}
		limit = len(pre) - len("余额")
		rest = rest[:limit] + rest[a.end:]
	}
	rest = strings.TrimSpace(strings.Trim(rest, "# "))
	if utf8.RuneCountInString(rest) > 8 {
		return false
	}
	for _, c := range rest {
		if !isHan(c) && c != ' ' && c != '#' {
			return false
		}
	}
	return true
}

// dateBare gives a deduction read without a date the date of a line of its own.
func (r *reader) dateBare(d *Deduction, t dateTok) {
	v := resolve(t.d, r.today, false)
	if !v.valid() {
		return
	}
	d.Date, d.YearAssumed = v.String(), t.d.y == 0
	if d.YearAssumed {
		r.note(NoteYearAssumed, d.Date, d.Line)
	}
	if d.Date > r.today.String() {
		d.Planned = true
	}
}

// formLine reads a line of a notice written as a form and returns its key.
func (r *reader) formLine(l *lineCtx) (string, bool) {
	key, value, ok := strings.Cut(l.ms, ":")
	if !ok {
		// 扣款项目 流量卡年费: a known key, then a space
		key, value, ok = strings.Cut(l.ms, " ")
		ok = ok && containsAny(key, formKeys) && !strings.ContainsAny(key, "0123456789#")
	}
	if !ok || utf8.RuneCountInString(key) > 8 || strings.TrimSpace(value) == "" {
		return "", false
	}
	key = strings.TrimSpace(key)
	add := func(xs *[]string, v string) {
		if v != "" && !contains(*xs, v) {
			*xs = append(*xs, v)
		}
	}
	if (containsTake(key) || containsTake(value)) && !containsAny(l.ms, clauseExclusions) {
		r.formTake = true
	}
	switch {
	case strings.Contains(key, "金额"):
	case containsAny(key, []string{"时间", "日期"}):
		if d := r.sentenceDate(l, 0, len(l.ms), false); d != "" {
			add(&r.formDates, d)
			for _, t := range l.dates {
				r.formAssumed = r.formAssumed || t.d.y == 0
			}
		}
	case containsAny(key, []string{"项目", "名称", "类型", "原因", "事由", "摘要", "说明"}):
		v := l.ms[len(l.ms)-len(value):]
		add(&r.formLabels, feeLabel(v, 0, len(v), amountTok{start: len(v), end: len(v)}))
	case containsAny(key, []string{"方式", "渠道", "来源"}):
		add(&r.formMethods, methodOf(value))
	}
	return key, true
}

// formKeys are the keys of a notice's form lines.
var formKeys = []string{"金额", "时间", "日期", "项目", "名称", "类型", "原因", "事由", "摘要", "说明", "方式", "渠道", "来源"}

// fillForm completes the one deduction read from a form's amount line with the form's other
// lines, each when it says one thing only.
func (r *reader) fillForm() {
	if r.pending != nil && r.formTake && len(r.formDeds) == 0 && len(r.out.Deductions) < MaxDeductions {
		r.out.Deductions = append(r.out.Deductions, *r.pending)
		r.out.Notes = slices.DeleteFunc(r.out.Notes, func(n Note) bool {
			return n.Code == NoteAmountNotRead && n.Line == r.pending.Line && n.Value == formatFen(r.pending.Amount)
		})
		r.formDeds = []int{len(r.out.Deductions) - 1}
	}
	if len(r.formDeds) != 1 {
		return
	}
	d := &r.out.Deductions[r.formDeds[0]]
	if d.Label == "" && len(r.formLabels) == 1 {
		d.Label = r.formLabels[0]
	}
	if d.Method == "" && len(r.formMethods) == 1 {
		d.Method = r.formMethods[0]
	}
	if d.Date == "" && len(r.formDates) == 1 {
		d.Date, d.YearAssumed = r.formDates[0], r.formAssumed
		if d.YearAssumed {
			r.note(NoteYearAssumed, d.Date, "")
		}
		if d.Date > r.today.String() {
			d.Planned = true
		}
	}
}

// csvFields turns the commas that separate a CSV row's fields into spaces, keeping the
// thousands separators of its amounts.
func csvFields(s string) string {
	b := []byte(s)
	for k := range b {
		if b[k] == ',' && isDelim(s, k, false) {
			b[k] = ' '
		}
	}
	return string(b)
}

// onlyDate reports whether the line holds nothing but its date and time.
func onlyDate(l *lineCtx) bool {
	return strings.Trim(l.ms, "# ") == ""
}

// ---- ledger headers

var (
	headerOther = []string{"余额", "交易金额", "结算金额", "到账", "入账", "收入", "手续费", "收款"}
	headerDeduc = []string{"金额", "发生额", "支出", "扣款", "扣费", "费用"}
)

// headerLine reads a ledger's column titles (日期 摘要 金额 余额) and reports whether l is one.
func (r *reader) headerLine(l *lineCtx) bool {
	if strings.ContainsAny(l.s, "0123456789") || !containsAny(l.s, headerDeduc) {
		return false
	}
	// a title ends at its unit's closing parenthesis too: OCR glues 金额(元)余额(元) together
	fields := strings.FieldsFunc(l.s, func(c rune) bool { return c == ' ' || c == '|' || c == ',' || c == '/' || c == ')' })
	if len(fields) < 3 {
		return false
	}
	var cols []byte
	for _, f := range fields {
		switch {
		case containsAny(f, headerOther):
			cols = append(cols, 'x')
		case containsAny(f, headerDeduc):
			cols = append(cols, 'd')
		}
	}
	r.header = cols
	return true
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func endsWithAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// ---- the end

func (r *reader) finish() {
	r.fillForm()
	r.dropRepeated()
	switch {
	case len(r.sigKeys) > 1:
		r.note(NoteProviderUnclear, strings.Join(r.sigKeys, ","), "")
	case r.sigKey != "":
		r.out.Provider = r.sigKey
		r.out.ProviderText = r.signature
	case len(r.provKeys) == 1:
		r.out.Provider = r.provKeys[0]
		r.out.ProviderText = r.provText[r.provKeys[0]]
		if r.signature != "" {
			r.out.ProviderText = r.signature
		}
	case len(r.provKeys) > 1:
		r.note(NoteProviderUnclear, strings.Join(r.provKeys, ","), "")
	case r.signature != "":
		r.out.ProviderText = r.signature
	}
	switch {
	case len(r.sns) == 1:
		r.out.SN = r.sns[0]
	case len(r.sns) > 1:
		r.note(NoteSNUnclear, strings.Join(r.sns, ","), "")
	}
	switch {
	case r.rate != nil && !r.rateExtra:
		r.out.RateChange = r.rate
	case r.rate == nil && r.rateNew != "" && r.rateNew != r.rateOld: // 原费率 0.60% / 调整后 0.60% is no change
		from := r.rateFrom
		if from == "" {
			from = r.effective
		}
		r.out.RateChange = &RateChange{Old: r.rateOld, New: r.rateNew, From: from}
	case r.rateSeen:
		r.note(NoteRateUnclear, "", "")
	}
	switch {
	case r.dereg != "" && !r.deregClash:
		r.out.Deregistered = r.dereg
	case r.deregSeen && hasLabel(r.out.Deductions, "注销"):
		r.note(NoteDeregisterUnread, "", "")
	}
}

func hasLabel(ds []Deduction, w string) bool {
	for _, d := range ds {
		if strings.Contains(d.Label, w) {
			return true
		}
	}
	return false
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
