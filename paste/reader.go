package paste

import (
	"regexp"
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
	bareDed   int        // the deduction read from the line before, a bare sum without a date; -1 if none
	pending   *Deduction // a bare -99.00 that a form's lines may show to be a deduction
	formTake  bool       // a form's line says money was taken (扣款时间, 流量卡年费扣收)
	rateTitle bool       // a line named a rate (费率变更记录), so 变更前 0.55% is one

	header   []byte // the numeric columns of a ledger header: 'd' may hold a deduction, 'x' not
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
		if k > 0 && isDigit(s[k-1]) && k+3 < len(s)+0 && k+3 <= len(s)-1 && isDigit(s[k+1]) && isDigit(s[k+2]) && isDigit(s[k+3]) && (k+4 >= len(s) || !isDigit(s[k+4])) {
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
	dates := findDates(s, m)
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
	bareDed := r.bareDed
	r.bareDed = -1
	if !r.bareAmount(l, amts) {
		r.deductions(l, amts)
	}
	if (isForm && strings.Contains(key, "金额") || r.prevTake) && len(r.out.Deductions) == before+1 {
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
		if bareDed >= 0 && r.out.Deductions[bareDed].Date == "" {
			r.dateBare(&r.out.Deductions[bareDed], d)
		}
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
	if d.Date == "" {
		r.bareDed = len(r.out.Deductions) - 1
	}
	return true
}

// dateBare gives a deduction read from a bare sum the date of a line of its own.
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

// ---- providers

var signatureRe = regexp.MustCompile(`【([^】]{1,24})】|\[([^\]]{1,24})\]`)

func (r *reader) providersIn(s string) {
	low := asciiLower(s)
	for _, g := range signatureRe.FindAllStringSubmatch(s, cheap(strings.ContainsAny(s, "【["))) {
		name := g[1] + g[2]
		if k := aliasKey(asciiLower(name)); k != "" && !contains(r.sigKeys, k) {
			r.sigKeys = append(r.sigKeys, k)
		}
		if r.signature != "" || !paymentName(name) {
			continue
		}
		r.signature = strings.TrimSpace(name)
		r.sigKey = aliasKey(asciiLower(name))
	}
	for _, a := range Aliases {
		text := asciiLower(a.Text)
		for from := 0; ; {
			i := strings.Index(low[from:], text)
			if i < 0 {
				break
			}
			i += from
			from = i + len(text)
			if a.NotAfter != "" && i > 0 {
				prev, _ := utf8.DecodeLastRuneInString(low[:i])
				if strings.ContainsRune(a.NotAfter, prev) {
					continue
				}
			}
			if r.provText == nil {
				r.provText = map[string]string{}
			}
			if _, ok := r.provText[a.Key]; !ok {
				r.provText[a.Key] = s[i : i+len(text)]
				r.provKeys = append(r.provKeys, a.Key)
			}
		}
	}
}

// asciiLower lowers ASCII letters only, so that byte offsets in the result are those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// paymentName reports whether an SMS signature looks like a payment institution's.
func paymentName(name string) bool {
	low := asciiLower(name)
	if aliasKey(low) != "" {
		return true
	}
	for _, w := range []string{"支付", "付", "刷", "pos", "钱", "收银", "商户", "融通", "pay"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

func aliasKey(low string) string {
	for _, a := range Aliases {
		if strings.Contains(low, asciiLower(a.Text)) {
			return a.Key
		}
	}
	return ""
}

// ---- serial numbers

var snRe = regexp.MustCompile(`(?i)(S/N|SN|序列号|机身号|机具号|设备号|机器号|机身编号|设备编号|机具编号)(?:号|码)?\s*[:：]?\s*([A-Za-z0-9*\-]+)`)

func (r *reader) serials(s string, m []byte) {
	if !hasSNWord(s) {
		return
	}
	for _, g := range snRe.FindAllStringSubmatchIndex(s, -1) {
		if g[2] > 0 && isAlnum(s[g[2]-1]) {
			continue // ASN…, not a keyword
		}
		val := s[g[4]:g[5]]
		end := g[5]
		// spaced groups: SN 1234 5678 90
		if allDigits(val) && len(val) <= 6 {
			for end < len(s) && s[end] == ' ' {
				k := end + 1
				for k < len(s) && isAlnum(s[k]) {
					k++
				}
				if k == end+1 || k-end-1 > 6 || !groupEnds(s, k) {
					break
				}
				val += s[end+1 : k]
				end = k
			}
		}
		val = strings.Trim(val, "-")
		if len(val)-strings.Count(val, "*") < 6 || len(val) > 32 || !strings.ContainsAny(val, "0123456789") {
			continue
		}
		if !free(m, g[4], end) {
			continue
		}
		mask(m, g[4], end)
		if !contains(r.sns, strings.ToUpper(val)) {
			r.sns = append(r.sns, strings.ToUpper(val))
		}
	}
}

// longestRuns returns the length of the longest run of digits in s (counting the - and
// spaces inside phone numbers) and of the longest run of digits and Latin letters.
func longestRuns(s string) (digits, alnum int) {
	d, a := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			d++
			a++
		case isAlnum(c):
			d = 0
			a++
		case c == '-' || c == ' ':
			a = 0
		default:
			d, a = 0, 0
		}
		digits, alnum = max(digits, d), max(alnum, a)
	}
	return digits, alnum
}

// hasSNWord is a cheap test for snRe's keywords.
func hasSNWord(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == 'S' || s[i] == 's') && (s[i+1] == 'N' || s[i+1] == 'n' || s[i+1] == '/') {
			return true
		}
	}
	return containsAny(s, []string{"序列号", "机身", "机具号", "机具编号", "设备号", "设备编号", "机器号"})
}

// cheap turns a cheap test into FindAll's count: -1 (all) when worth it, 0 (none) otherwise.
func cheap(worth bool) int {
	if worth {
		return -1
	}
	return 0
}

// groupEnds reports whether a spaced SN group ending at k is followed by nothing that makes
// it a quantity (元, %, a decimal point).
func groupEnds(s string, k int) bool {
	if k >= len(s) {
		return true
	}
	if s[k] == ' ' || s[k] == ',' || s[k] == ')' {
		return !unitAt(s, skipSpaces(s, k))
	}
	if s[k] == '.' || s[k] == '%' || s[k] == ':' || s[k] == '-' || s[k] == '/' {
		return false
	}
	return !unitAt(s, k)
}

func unitAt(s string, k int) bool {
	for _, u := range []string{"元", "块", "%", "年", "月", "日", "号", "笔", "次", "RMB", "CNY"} {
		if strings.HasPrefix(s[k:], u) {
			return true
		}
	}
	return false
}

func skipSpaces(s string, k int) int {
	for k < len(s) && s[k] == ' ' {
		k++
	}
	return k
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ---- numbers of record: phones, order and merchant numbers, card tails

var (
	recordWords = []string{"订单号", "订单编号", "单号", "流水号", "交易号", "参考号", "凭证号", "批次号", "商户号", "商户编号",
		"终端号", "终端编号", "工单号", "受理号", "受理编号", "编号", "尾号", "卡号", "账号", "手机号", "手机", "电话", "热线",
		"客服", "致电", "拨打", "联系", "No.", "NO.", "No", "NO", "no.", "ID", "TID", "MID"}
	phoneRe = regexp.MustCompile(`1[3-9]\d{9}|400[- ]?\d{3}[- ]?\d{4}|800[- ]?\d{3}[- ]?\d{4}|0\d{2,3}-\d{7,8}|95\d{3,4}`)
	longRe  = regexp.MustCompile(`[A-Za-z0-9]{10,}`) // a long run of digits or letters is an identifier
)

func maskRecords(s string, m []byte) {
	if !strings.ContainsAny(s, "0123456789") {
		return
	}
	for _, w := range recordWords {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			i += from
			from = i + len(w)
			if i > 0 && isAlnum(s[i-1]) && isAlnum(w[0]) {
				continue // KNOW, PAID: not a keyword
			}
			j := skipSpaces(s, from)
			if j < len(s) && s[j] == ':' {
				j = skipSpaces(s, j+1)
			}
			k := j
			for k < len(s) && (isAlnum(s[k]) || s[k] == '*' || s[k] == '-') {
				k++
			}
			if k-j >= 3 {
				mask(m, j, k)
			}
		}
	}
	digits, alnum := longestRuns(s)
	for _, g := range phoneRe.FindAllStringIndex(s, cheap(digits >= 3)) {
		if boundary(s, g[0], g[1]) && (g[0] == 0 || s[g[0]-1] != '.') && (g[1] >= len(s) || s[g[1]] != '.') {
			mask(m, g[0], g[1])
		}
	}
	for _, g := range longRe.FindAllStringIndex(s, cheap(alnum >= 10)) {
		mask(m, g[0], g[1])
	}
}

// ---- rates

// pctTok is a percentage found in a line.
type pctTok struct {
	start, end int
	text       string // "0.63%" or "0.63%+3元"
}

var pctRe = regexp.MustCompile(`(\d{1,2}(?:\.\d{1,4})?)\s*(%|‰)(?:\s*\+\s*(\d{1,3}(?:\.\d{1,2})?)\s*元(?:\s*/\s*笔)?)?`)

func findPercents(s string, m []byte) []pctTok {
	var out []pctTok
	for _, g := range matches(pctRe, s, strings.ContainsAny(s, "%‰")) {
		if !free(m, g[0], g[1]) || g[0] > 0 && (isAlnum(s[g[0]-1]) || s[g[0]-1] == '.') {
			continue
		}
		t := s[g[2]:g[3]] + s[g[4]:g[5]]
		if g[6] >= 0 {
			t += "+" + s[g[6]:g[7]] + "元"
		}
		out = append(out, pctTok{g[0], g[1], t})
		mask(m, g[0], g[1])
	}
	return out
}

var (
	rateWords   = []string{"费率", "扣率", "手续费"}
	changeWords = []string{"调整", "上调", "调至", "调为", "变更", "改为", "提高", "提升", "上涨", "涨", "由", "->", "→", "原"}
	toWords     = []string{"调整为", "调整至", "上调至", "上调为", "上调到", "调至", "调为", "变更为", "改为", "提高至", "提高到", "提高为", "涨至", "涨到", "涨为"}
)

func (r *reader) rates(l *lineCtx, pcts []pctTok) {
	titled := r.rateTitle
	if containsAny(l.ms, rateWords) {
		r.rateTitle = true
	}
	if len(pcts) == 0 {
		if containsAny(l.ms, []string{"生效", "执行"}) && r.effective == "" {
			r.effective = r.sentenceDate(l, 0, len(l.ms), false)
		}
		return
	}
	if !containsAny(l.ms, rateWords) && !(titled && len(pcts) == 1) {
		return
	}
	r.rateSeen = true
	// labelled lines of a notice: 原费率：0.55% / 调整后费率：0.63%
	if len(pcts) == 1 {
		pre := l.ms[:pcts[0].start]
		switch {
		case strings.Contains(pre, "原") || strings.Contains(pre, "调整前") || strings.Contains(pre, "变更前"):
			r.rateOld = pcts[0].text
			return
		case containsAny(pre, []string{"新", "现", "调整后", "变更后"}):
			r.rateNew = pcts[0].text
			r.rateFromSentence(l, pcts[0].start)
			return
		}
	}
	for i := 0; i < len(pcts); {
		a, b := l.clause(pcts[i].start, true)
		var in []pctTok
		for ; i < len(pcts) && pcts[i].start < b; i++ {
			in = append(in, pcts[i])
		}
		sent := l.ms[a:b]
		if !containsAny(sent, rateWords) {
			continue
		}
		var rc *RateChange
		switch {
		case len(in) == 2 && containsAny(sent, changeWords) && in[0].text != in[1].text:
			rc = &RateChange{Old: in[0].text, New: in[1].text}
		case len(in) == 1 && endsWithAny(strings.TrimRight(l.ms[a:in[0].start], " :"), toWords):
			rc = &RateChange{New: in[0].text}
		default:
			continue
		}
		rc.From = r.sentenceDate(l, a, b, false)
		r.setRate(rc)
	}
}

func (r *reader) rateFromSentence(l *lineCtx, i int) {
	a, b := l.clause(i, true)
	if d := r.sentenceDate(l, a, b, false); d != "" {
		r.rateFrom = d
	}
}

func (r *reader) setRate(rc *RateChange) {
	switch {
	case r.rate == nil:
		r.rate = rc
	case *r.rate != *rc:
		r.rateExtra = true
	}
}

// sentenceDate returns the one date of bytes [a, b) of the line, or "" when none or several.
func (r *reader) sentenceDate(l *lineCtx, a, b int, planned bool) string {
	got := ""
	for _, d := range l.dates {
		if d.start < a || d.start >= b {
			continue
		}
		v := resolve(d.d, r.today, planned)
		if !v.valid() {
			continue
		}
		if got != "" && got != v.String() {
			return ""
		}
		got = v.String()
	}
	return got
}

// ---- de-registration

var deregDone = []string{"完成", "成功", "已注销", "已经注销", "已于", "已办理", "办理完毕", "已被注销", "注销了"}

func (r *reader) deregistration(l *lineCtx) {
	for from := 0; ; {
		i := strings.Index(l.ms[from:], "注销")
		if i < 0 {
			return
		}
		i += from
		from = i + len("注销")
		rest := l.ms[from:]
		if strings.HasPrefix(rest, "费") || strings.HasPrefix(rest, "服务费") || strings.HasPrefix(rest, "手续费") {
			continue
		}
		r.deregSeen = true
		a, b := l.clause(i, false)
		cl := l.ms[a:b]
		if !containsAny(cl, deregDone) || containsAny(cl, plannedWords) || containsAny(cl, conditionWords) {
			continue
		}
		d := r.sentenceDate(l, a, b, false)
		if d == "" || d > r.today.String() {
			continue
		}
		switch {
		case r.dereg == "":
			r.dereg = d
		case r.dereg != d:
			r.deregClash = true
		}
	}
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
	fields := strings.FieldsFunc(l.s, func(c rune) bool { return c == ' ' || c == '|' || c == ',' || c == '/' })
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
	case r.rate == nil && r.rateNew != "":
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
