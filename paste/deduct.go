package paste

import (
	"strings"
	"unicode/utf8"
)

// The words that decide whether a sum is a deduction. Each list is matched against the
// normalized text; the comments say where it applies.
var (
	// the label just before the sum says it is a balance or a limit
	balanceEnds = []string{"余额", "结余", "剩余", "还剩", "剩", "还有", "额度", "限额", "可用", "余额(元)"}
	// the label just before the sum says it is something other than a charge
	otherEnds = []string{"交易金额", "收款金额", "消费金额", "结算金额", "订单金额", "到账金额", "入账金额", "实收金额",
		"实际到账", "退款金额", "收款", "消费", "到账", "入账", "结算", "退还", "退回", "退款", "返还", "返", "合计", "共计",
		"总计", "小计", "累计", "满", "达", "超过", "不超过", "低于", "高于", "价格", "售价", "原价", "单价", "价值", "标准",
		"最高", "最低", "上限", "下限", "交易", "刷卡", "收入", "奖励", "补贴", "红包", "赔偿", "贷款", "借款"}
	// anywhere in the sum's clause, these make it a refund, a sale, a failure, a condition
	// or a question: not read
	clauseExclusions = []string{"退还", "已退", "退回", "退款", "退给", "返还", "返现", "返给", "返利", "收款成功",
		"交易成功", "到账", "入账", "失败", "未扣", "不扣", "没扣", "没有扣", "未收", "不收", "没收", "免收", "免除",
		"免费", "无需", "不会", "不再", "如果", "若", "如未", "如不", "如您", "否则", "是否", "吗", "解冻", "奖励",
		"补贴", "红包", "优惠", "抵扣", "折扣", "分润", "赔", "撤销", "冲正", "营业额", "流水",
		"交易扣款", "消费扣款", "支付成功", "付款成功"}
	// a verb of taking: enough on its own
	takeVerbs = []string{"扣", "调账", "收取", "收了", "收走", "划走", "划扣", "被收", "代收", "拿走", "要了"}
	// a verb of paying: a deduction when a fee is named
	payVerbs = []string{"缴纳", "缴费", "交了", "付了", "支付", "交纳", "缴了", "充值"}
	// what is announced, not done
	plannedWords = []string{"将于", "将在", "将从", "将扣", "将收", "将会", "将按", "将对", "即将", "拟", "预计",
		"计划于", "届时", "下月", "次月",
		"要扣", "会扣", "要收", "会收", "准备扣", "待扣", "预扣"}
	// a day given relative to another: the other day's date is not this one's
	relativeDays   = []string{"次日", "次月", "隔日", "之后", "后续", "稍后", "明日", "明天"}
	conditionWords = []string{"如果", "若", "如未", "如不", "如您", "否则"}
	// anywhere in the sum's sentence, these make it a condition or a debt still to pay
	sentenceExclusions = append([]string{"逾期", "欠费", "待缴", "应缴", "未缴", "是否"}, conditionWords...)
	// charges per transaction, which are the price of a sale and not a complaint's deduction
	saleFees = []string{"手续费", "交易手续费", "刷卡手续费", "提现手续费", "提现费"}
	// the charges of a payment terminal, which a user may say they paid (缴纳了押金) rather
	// than that they were taken; other things paid for (运费, 话费) are not this bot's
	posFees = []string{"押金", "保证金", "激活", "服务费", "年费", "月费", "流量", "SIM", "会员", "注销", "管理费", "技术", "通讯费", "押金"}
	// where the money was taken from
	settlementWords = []string{"结算款", "结算资金", "结算金", "结算账户", "结算中", "从结算", "结算时", "调账", "结算扣", "清算款",
		"結算款", "結算資金", "結算賬戶", "調賬"}
	bankWords   = []string{"银行卡", "储蓄卡", "借记卡", "信用卡", "银行账户", "銀行卡", "儲蓄卡", "信用卡"}
	walletWords = []string{"钱包", "零钱", "账户余额", "余额中", "余额扣", "錢包", "餘額中"}
	// runes that end a fee's name when read backwards from 费
	labelStops = "我他她们付期的了将从已于扣收取除您本该其缴纳为是笔次交元块在中及和与或被把给向由按照每个台共计合约有无未不需请经以对到至起止前后内外日号:，,。;!?()（）【】[]|/#*+-=~ 　"
	// prefixes that name the device rather than the charge
	labelPrefixes = []string{"调账", "产生", "发生", "新增", "相关", "对应", "POS机", "pos机", "POS", "pos", "机具", "终端", "设备", "本次", "该笔", "此笔", "本期", "本月", "当月"}
)

// deductions reads the deductions of one line.
func (r *reader) deductions(l *lineCtx, amts []amountTok) {
	var cands []amountTok
	for _, a := range amts {
		if a.currency || a.twoDec || labelledAmount(l.ms, a) || afterTake(l.ms, a) {
			if a.fen == 0 && len(r.header) == 0 {
				continue // 0.00 only counts to line a row up with its header
			}
			cands = append(cands, a)
		}
	}
	if len(cands) > maxAmounts {
		r.note(NoteTruncated, "", l.src)
		cands = cands[:maxAmounts]
	}
	var cols []byte
	if len(r.header) > 0 && len(cands) == len(r.header) {
		cols = r.header
	}
	for i, a := range cands {
		d, ok := r.deduction(l, cands, i, cols)
		if !ok {
			if a.currency || labelledAmount(l.ms, a) {
				r.note(NoteAmountNotRead, formatFen(a.fen), l.src)
			}
			continue
		}
		if len(r.out.Deductions) >= MaxDeductions {
			r.note(NoteTruncated, "", l.src)
			return
		}
		dup := false
		for _, e := range r.out.Deductions {
			if e == d {
				dup = true
			}
		}
		if !dup {
			r.out.Deductions = append(r.out.Deductions, d)
		}
	}
}

// afterTake reports whether a sum written without a unit follows a verb of taking at once and
// ends its clause: 扣了我199, 收了99。
func afterTake(ms string, a amountTok) bool {
	pre := strings.TrimRight(ms[:a.start], " ")
	if !endsWithAny(pre, []string{"扣了我", "扣了", "扣我", "收了我", "收了", "收我", "扣除", "扣款", "扣费"}) || a.fen > 10000000 {
		return false
	}
	q := skipSpaces(ms, a.end)
	if q == len(ms) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(ms[q:])
	return !isHan(r) && !isAlnum(ms[q]) && r != '%' && r != '.'
}

// labelledAmount reports whether the sum is announced by a 金额 label: 金额 299.00, 金额(元):299.
func labelledAmount(ms string, a amountTok) bool {
	pre := strings.TrimRight(ms[:a.start], " :")
	return strings.HasSuffix(pre, "金额") || strings.HasSuffix(pre, "金额(元)") || strings.HasSuffix(pre, "(元)")
}

// deduction decides whether cands[i] is a deduction, and reads it.
func (r *reader) deduction(l *lineCtx, cands []amountTok, i int, cols []byte) (Deduction, bool) {
	a := cands[i]
	if a.fen == 0 {
		return Deduction{}, false
	}
	cs, ce := l.clause(a.start, false)
	ss, se := l.clause(a.start, true)
	fc, fs, fl := l.facts(cs, ce), l.facts(ss, se), l.facts(0, len(l.ms))
	ps := cs
	if i > 0 && cands[i-1].end > ps {
		ps = cands[i-1].end
	}
	if ps > a.start {
		ps = a.start
	}
	tail := strings.TrimRight(l.ms[ps:a.start], " :=为是约")
	switch {
	case a.sign == '+',
		endsWithAny(tail, balanceEnds),
		endsWithAny(tail, otherEnds),
		perUnit(l.ms, a) && !(fc.done && fc.take && !strings.HasSuffix(strings.TrimRight(l.ms[:a.start], " "), "每")),
		cols != nil && cols[i] != 'd',
		cols == nil && laterColumn(l, cands, i),
		fc.excluded,
		fs.sentExcluded,
		fs.terms && !fs.done: // 协议第5条:注销时收取服务费199元 is a term, not a deduction

		return Deduction{}, false
	}
	label := feeLabel(l.ms, cs, ce, a)
	if label == "" && ps == cs && count(cands, ss, se) <= 2 {
		// SIM卡服务费每月36元，本月36.00元已扣除: the fee is named earlier in the sentence
		if sl := feeLabel(l.ms, ss, a.start, a); sl != "" && perUnitBefore(l.ms, ss, a.start, cands) {
			label = sl
		}
	}
	if label == "" && r.prevTail != "" && strings.TrimSpace(l.ms[:a.start]) == "" {
		label = r.prevTail // 您的机具服务费 / 98.00元已于…: OCR wrapped the line
	}
	for _, f := range saleFees {
		if label == f {
			return Deduction{}, false
		}
	}
	taken := fc.take || fc.pay && containsAny(label, posFees)
	if !taken && label != "" && fs.take && count(cands, ss, se) == 1 && !fs.excluded {
		taken = true // 流量卡年费:99元,扣款日期:…
	}
	if !taken && label != "" && fs.take && !fs.excluded && cs >= 1 && strings.HasPrefix(l.ms[cs-1:], "、") {
		taken = true // 扣除服务费99.00元、流量费36.00元: fees listed after one verb of taking
	}
	bankPay := false
	if !taken && strings.Contains(l.ms[cs:ce], "支出") && bankSMS(l.ms) && namesProvider(l.ms[cs:ce]) {
		taken, bankPay = true, true // a bank's SMS: 支出(快捷支付-拉卡拉)99.00元
	}
	if !taken && a.sign == '-' && (label != "" || fl.take) {
		taken = true // a ledger's outflow: 调账 流量卡服务费 -99.00
	}
	if !taken && label != "" && (cols != nil || ledgerRow(l) && columns(l, cands) == 1) {
		taken = true // a ledger row: 2024-06-10 流量卡年费 99.00
	}
	wrapped := false
	if !taken && label != "" && ce == len(l.ms) && !endsWithAny(l.ms, []string{"。", "!", "?", ";"}) &&
		containsTake(r.nextHead) && !containsAny(r.nextHead, clauseExclusions) {
		taken, wrapped = true, true // 注销服务费199.00元已从结 / 算款中扣除: OCR wrapped the line
	}
	if !taken && r.prevTake && a.currency && strings.Trim(l.ms, " ") == l.ms[a.start:a.end] {
		taken = true // a card: 扣款成功 / ¥99.00
	}
	if !taken {
		return Deduction{}, false
	}
	// 已于9月1日扣除服务费128元，余额不足部分将于次日继续扣除: the sentence's plan is another sum's
	planned := fc.planned || fs.planned && !(fc.done && fc.take && !fc.relative)
	date, assumed := r.dateFor(l, a, cs, ce, ss, se, planned, fs.relative)
	if date == "" && wrapped && len(l.dates) == 0 {
		// 押金299.00元 / 已于2024-08-02从结算款中扣除: the date is in the wrapped line's clause
		date, assumed = r.nextDate(planned)
	}
	if date != "" && date > r.today.String() {
		planned = true
	}
	if assumed {
		r.note(NoteYearAssumed, date, l.src)
	}
	method := fc.method
	if method == "" && !fc.methodWord {
		method = l.methodIn(ss, se, fs)
		if method == "" && !fs.methodWord {
			method = l.methodIn(0, len(l.ms), fl)
		}
	}
	if method == "" && (bankPay || !fs.methodWord && bankSMS(l.ms)) {
		method = BankCard // a bank's SMS tells of its card or account
	}
	return Deduction{Date: date, Amount: a.fen, Label: label, Method: method, YearAssumed: assumed, Planned: planned, Line: l.src}, true
}

// laterColumn reports whether cands[i], a sum written without a sign, is a later column of
// a ledger's row, its balance: after a signed sum ("调账 流量卡年费 -99.00 1,203.50"), or in a
// row that starts with its date, after another sum written as ledgers write them
// ("2024-06-10 流量卡年费 99.00 1,203.50"). Such rows come from an app's export, columns set
// apart by tabs or spaces, with no header naming them. Only a column name or an account
// (结算账户) may stand between the two sums, not a fee, a verb or a clause mark.
func laterColumn(l *lineCtx, cands []amountTok, i int) bool {
	a := cands[i]
	if a.sign != 0 || i == 0 {
		return false
	}
	p := cands[i-1]
	signed := false
	for _, c := range cands[:i] {
		signed = signed || c.sign != 0
	}
	if !signed && !(p.twoDec && a.twoDec && !p.currency && !a.currency && ledgerRow(l)) {
		return false
	}
	if p.end > a.start {
		return false // a unit between them read with both (10RMB 1)
	}
	gap := l.ms[p.end:a.start]
	return !strings.ContainsAny(gap, ",;。") && !strings.Contains(gap, "费") && !containsTake(gap)
}

// columns counts the sums of cands that are not a later column of a ledger's row.
func columns(l *lineCtx, cands []amountTok) int {
	n := 0
	for i := range cands {
		if !laterColumn(l, cands, i) {
			n++
		}
	}
	return n
}

// methodIn returns the one way of taking the clauses of [a, b) name, leaving out the clauses
// about something else: in "扣除服务费99元，其中36元已退回结算账户" the refund's account is not
// where the fee was taken from. f is the span's facts.
func (l *lineCtx) methodIn(a, b int, f *spanFacts) string {
	if !f.methodWord || !f.excluded {
		return f.method
	}
	method := ""
	for k := a; k < b; {
		cs, ce := l.clause(k, false)
		if c := l.facts(cs, ce); c.methodWord && !c.excluded {
			if c.method == "" || method != "" && method != c.method {
				return ""
			}
			method = c.method
		}
		k = ce + 1
	}
	return method
}

// bankSMS reports whether the line is a bank's notice of a card or account: its signature
// names a bank (【工商银行】), or it speaks of the card or account by its last digits (尾号).
func bankSMS(ms string) bool {
	return strings.Contains(ms, "银行】") || strings.Contains(ms, "尾号") && containsAny(ms, []string{"卡", "账户"})
}

// namesProvider reports whether s names a payment institution of Aliases.
func namesProvider(s string) bool {
	low := asciiLower(s)
	for _, a := range Aliases {
		if strings.Contains(low, asciiLower(a.Text)) {
			return true
		}
	}
	return false
}

// spanFacts are what the words of a clause or sentence say, worked out once per span.
type spanFacts struct {
	excluded     bool   // a refund, a sale, a failure, a condition… (clauseExclusions)
	sentExcluded bool   // a condition or a debt (sentenceExclusions)
	take         bool   // money was taken
	pay          bool   // money was paid
	done         bool   // 已: it has happened
	terms        bool   // it quotes an agreement's terms (协议, 条款, 收费标准)
	planned      bool   // it is announced for later
	relative     bool   // a day relative to another (次日)
	method       string // how it was taken, "" when unsaid or unclear
	methodWord   bool   // some way of taking is named
}

// facts returns the facts of the span [a, b) of the line, computing them once.
func (l *lineCtx) facts(a, b int) *spanFacts {
	key := [2]int{a, b}
	if f, ok := l.memo[key]; ok {
		return f
	}
	s := l.ms[a:b]
	m := factWords.scan(s)
	has := func(list uint64) bool { return m&(1<<list) != 0 }
	f := &spanFacts{
		excluded:     has(factExclusions) || has(factConsumption) && strings.Contains(strings.ReplaceAll(s, "消费者", ""), "消费"),
		sentExcluded: has(factSentenceExclusions),
		take:         has(factTake) && !has(factNotTake) || has(factNotTake) && containsTake(s),
		pay:          has(factPay),
		done:         has(factDone),
		terms:        has(factTerms),
		planned:      has(factPlanned),
		relative:     has(factRelative),
	}
	switch m & (1<<factSettlement | 1<<factBank | 1<<factWallet) {
	case 1 << factSettlement:
		f.method = Settlement
	case 1 << factBank:
		f.method = BankCard
	case 1 << factWallet:
		f.method = Wallet
	case 0:
	default:
		f.methodWord = true
	}
	f.methodWord = f.methodWord || f.method != ""
	if l.memo == nil {
		l.memo = map[[2]int]*spanFacts{}
	}
	l.memo[key] = f
	return f
}

// The lists of factWords, each a bit of what it finds.
const (
	factExclusions         = iota // clauseExclusions
	factConsumption               // 消费, which excludes unless it is part of 消费者
	factSentenceExclusions        // sentenceExclusions
	factTake                      // takeVerbs
	factNotTake                   // notTakeWords: then containsTake decides
	factPay                       // payVerbs
	factDone                      // 已
	factTerms                     // termsWords
	factPlanned                   // plannedWords
	factRelative                  // relativeDays
	factSettlement                // settlementWords
	factBank                      // bankWords
	factWallet                    // walletWords
)

// factWords finds the words of spanFacts in one pass over a span. Its lists are in the order of
// the fact constants.
var factWords = newLexicon(clauseExclusions, []string{"消费"}, sentenceExclusions, takeVerbs, notTakeWords,
	payVerbs, []string{"已"}, termsWords, plannedWords, relativeDays, settlementWords, bankWords, walletWords)

// notTakeWords are the words where 扣 means a rate, a discount or a failure, not a taking.
var notTakeWords = []string{"扣率", "折扣", "抵扣", "扣款失败"}

// termsWords say a text quotes an agreement's terms.
var termsWords = []string{"协议", "合同", "条款", "规定", "约定", "收费标准", "资费"}

// containsTake reports whether s says money was taken (扣, 调账, 收取 …), leaving out the
// words where 扣 means a rate or a discount.
func containsTake(s string) bool {
	for _, w := range notTakeWords {
		s = strings.ReplaceAll(s, w, "")
	}
	return containsAny(s, takeVerbs)
}

// perUnit reports whether the sum is a price per unit (99元/年, 每笔3元), not a sum taken.
func perUnit(ms string, a amountTok) bool {
	q := skipSpaces(ms, a.end)
	if strings.HasPrefix(ms[q:], "/") || strings.HasPrefix(ms[q:], "每") {
		return true
	}
	return strings.HasSuffix(strings.TrimRight(ms[:a.start], " "), "每")
}

// perUnitBefore reports whether every sum in [from, to) is a price per unit (每月36元), so
// that the fee named there is the one a later sum of the sentence is taken for.
func perUnitBefore(ms string, from, to int, cands []amountTok) bool {
	for _, c := range cands {
		if c.start < from || c.start >= to || perUnit(ms, c) {
			continue
		}
		pre := strings.TrimRight(ms[:c.start], " ")
		_, size := utf8.DecodeLastRuneInString(pre)
		if !strings.HasSuffix(pre[:len(pre)-size], "每") {
			return false // 每月36元 passes; 36元 alone does not
		}
	}
	return true
}

func count(cands []amountTok, a, b int) int {
	n := 0
	for _, c := range cands {
		if c.start >= a && c.start < b {
			n++
		}
	}
	return n
}

// dateFor finds the date of the sum: the one date of its clause, else of its sentence, else
// of its line, else of a line before holding nothing but a date.
func (r *reader) dateFor(l *lineCtx, a amountTok, cs, ce, ss, se int, planned, relative bool) (string, bool) {
	spans := [][2]int{{cs, ce}, {ss, se}, {0, len(l.ms)}}
	if relative {
		spans = spans[:1] // 将从次日结算款中扣除: the sentence's date is not the deduction's
	}
	for _, span := range spans {
		var found []ymd
		for _, d := range l.dates {
			if span[0] != cs && r.otherEvent(l, d) {
				continue // 客服说5月8日会退: that date is another event's
			}
			if d.start >= span[0] && d.start < span[1] && !containsYMD(found, d.d) {
				found = append(found, d.d)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			v := resolve(found[0], r.today, planned)
			if !v.valid() {
				return "", false
			}
			return v.String(), found[0].y == 0
		default:
			r.note(NoteDateUnclear, formatFen(a.fen), l.src)
			return "", false
		}
	}
	if r.lastDate != nil && len(spans) == 3 {
		v := resolve(r.lastDate.d, r.today, planned)
		if v.valid() {
			return v.String(), r.lastDate.d.y == 0
		}
	}
	return "", false
}

// nextDate returns the one date of the first clause of the line after, resolved, and whether
// its year was assumed; "" when it holds none or several.
func (r *reader) nextDate(planned bool) (string, bool) {
	if !strings.ContainsAny(r.nextHead, "0123456789") {
		return "", false
	}
	ds := findDates(r.nextHead, []byte(r.nextHead), r.today.y)
	if len(ds) != 1 {
		return "", false
	}
	v := resolve(ds[0].d, r.today, planned)
	if !v.valid() {
		return "", false
	}
	return v.String(), ds[0].d.y == 0
}

// otherEvent reports whether the clause of date d is about something other than a charge:
// a refund, an application, a period, a deadline.
func (r *reader) otherEvent(l *lineCtx, d dateTok) bool {
	a, b := l.clause(d.start, false)
	cl := l.ms[a:b]
	if strings.Contains(cl, "已于") && strings.Contains(cl, "注销") && !containsAny(cl, []string{"退", "生效", "到期"}) {
		return false // 您申请的机具已于11月8日办理注销: the completed de-registration, the fee's day
	}
	return containsAny(cl, []string{"退", "申请", "激活", "开通", "签约", "购买", "买的", "办的", "生效", "到期", "至", "前", "起"}) ||
		strings.Contains(cl, "办理") && !strings.Contains(cl, "注销")
}

func containsYMD(xs []ymd, x ymd) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// methodOf says how the money was taken, or "" when s does not say or says several ways.
func methodOf(s string) string {
	var got []string
	if containsAny(s, settlementWords) {
		got = append(got, Settlement)
	}
	if containsAny(s, bankWords) {
		got = append(got, BankCard)
	}
	if containsAny(s, walletWords) {
		got = append(got, Wallet)
	}
	if len(got) == 1 {
		return got[0]
	}
	return ""
}

func hasMethodWord(s string) bool {
	return containsAny(s, settlementWords) || containsAny(s, bankWords) || containsAny(s, walletWords)
}

// feeLabel finds what the charge was called in the clause [cs, ce): the fee's name nearest
// before the sum, else nearest after it.
func feeLabel(ms string, cs, ce int, a amountTok) string {
	before, after := "", ""
	beforeAt, afterAt := -1, len(ms)
	cl := ms[cs:ce]
	for _, end := range []string{"费用", "费", "押金", "保证金", "費用", "費", "保證金"} {
		for from := 0; ; {
			k := strings.Index(cl[from:], end)
			if k < 0 {
				break
			}
			k += from
			from = k + len(end)
			if (end == "费" || end == "費") && (strings.HasPrefix(cl[from:], "率") || strings.HasPrefix(cl[from:], "用")) {
				continue
			}
			start := labelStart(cl, k)
			name := stripPrefix(cl[start:k]) + end
			if name == end && (strings.HasSuffix(cl[:k], "扣") || strings.HasSuffix(cl[:k], "收")) {
				// 流量卡扣费: the charge is named before the verb
				v := k - len("扣")
				if n := stripPrefix(cl[labelStart(cl, v):v]); utf8.RuneCountInString(n) >= 2 && !endsWithAny(n, howTaken) {
					name = n
				}
			}
			if utf8.RuneCountInString(name) < 2 || name == "费用" {
				continue
			}
			abs := cs + k
			switch {
			case abs < a.start && abs > beforeAt:
				before, beforeAt = name, abs
			case abs >= a.end && abs < afterAt:
				after, afterAt = name, abs
			}
		}
	}
	if before != "" {
		return before
	}
	return after
}

// howTaken are the words before a verb of taking that say how, not what: 自动扣费 names no charge.
var howTaken = []string{"自动", "直接", "系统", "继续", "重复", "再次", "统一", "批量", "强制", "私自", "擅自", "偷偷", "违规", "已经", "定期", "按月", "按年", "每月", "每年"}

// labelStart walks back from k over the runes that may belong to a fee's name.
func labelStart(s string, k int) int {
	n := 0
	for k > 0 && n < 12 {
		r, size := utf8.DecodeLastRuneInString(s[:k])
		if strings.ContainsRune(labelStops, r) || !(isHan(r) || r < 128 && isAlnum(byte(r))) {
			break
		}
		k -= size
		n++
	}
	return k
}

func stripPrefix(s string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range labelPrefixes {
			if strings.HasPrefix(s, p) {
				s = s[len(p):]
				changed = true
			}
		}
	}
	// a fee's name does not start with digits, nor with the period it is for (本月服务费)
	s = strings.TrimLeft(s, "0123456789")
	for _, p := range []string{"月", "年"} {
		if strings.HasPrefix(s, p) && utf8.RuneCountInString(s) >= 3 && !strings.HasPrefix(s, p+"度") {
			s = s[len(p):]
		}
	}
	return s
}

// ledgerRow reports whether l looks like a row of a statement: it starts with its date and
// holds no prose punctuation.
func ledgerRow(l *lineCtx) bool {
	if len(l.dates) == 0 || strings.Contains(l.ms, "。") {
		return false
	}
	for k := 0; k < len(l.ms); k++ {
		if l.ms[k] == ',' && isDelim(l.ms, k, false) {
			return false
		}
	}
	return strings.TrimLeft(l.s[:l.dates[0].start], " |") == ""
}
