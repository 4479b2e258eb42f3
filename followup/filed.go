package followup

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"complaintbot/flows"
	"complaintbot/workdays"
)

// Typed answers to "did you file it?": people type what they did instead of pressing a button
// ("今天在12315平台提交了，受理号是 1234567890", "交了，昨天", "还没有"). ReadFiled reads such a
// text; what it cannot read is left to the caller.

// FiledSays is what a text says about a filing.
type FiledSays int

const (
	SaysNothing FiledSays = iota // no answer to "did you file it?"
	SaysNotYet                   // not filed yet
	SaysFiled                    // filed, on Filed.Date when it is set
)

// Filed is what a typed text says about filing the document: whether, when, where and under
// which number.
type Filed struct {
	Says FiledSays
	Date flows.Date // the day named (今天, 昨天, 12月3日, 2026-12-03), or ""
	Rung Rung       // the place named (12315, 消协, 12363, 法院), or ""
	Ref  string     // a number given after 受理号, 编号, 单号, ref or number, or ""
	// Future: the day named is after today (Date is then ""), a filing that cannot have been.
	Future bool
}

// ReadFiled reads text typed at "did you file it?" as of now (China's time): a date alone or
// a word of filing (提交了, 交了, filed) says it was filed; "还没有" or "not yet" says it was not.
func ReadFiled(text string, now time.Time) Filed {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimRight(t, "。.!！~～ ")
	if t == "" || len(t) > maxFiledText {
		return Filed{}
	}
	for _, w := range notYetWords {
		if t == w || strings.HasPrefix(t, w+"，") || strings.HasPrefix(t, w+",") || strings.HasPrefix(t, w+" ") {
			return Filed{Says: SaysNotYet}
		}
	}
	f := Filed{Ref: refIn(text)}
	f.Date, f.Future = dateIn(t, now)
	f.Rung = placeIn(strings.ReplaceAll(t, strings.ToLower(f.Ref), "")) // GD1231500 names no 12315
	said := f.Date != "" || f.Future
	for _, w := range filedWords {
		said = said || strings.Contains(t, w)
	}
	for _, w := range yesWords {
		said = said || t == w
	}
	if !said {
		return Filed{}
	}
	f.Says = SaysFiled
	return f
}

// maxFiledText bounds what is read as an answer: a story is longer.
const maxFiledText = 200

var (
	// notYetWords say the document is not filed yet, alone or opening the text.
	notYetWords = []string{"还没有", "还没", "没有", "没", "未提交", "还没提交", "还没有提交", "没有提交", "还没交",
		"no", "not yet", "nope", "not filed", "haven't", "i haven't", "i have not"}
	// filedWords say it was filed, anywhere in the text.
	filedWords = []string{"提交了", "已提交", "交了", "投诉了", "已投诉", "递交了", "寄出", "寄了", "举报了", "反映了", "交到了",
		"filed", "submitted", "sent it", "i sent", "handed in", "called 12315", "called 12363"}
	// yesWords say it was filed when they are the whole text.
	yesWords = []string{"是", "是的", "嗯", "对", "提交", "已交", "yes", "yep", "yeah", "done"}
	// placeWords name the rung a filing was made at, the more specific first.
	placeWords = []struct {
		word string
		rung Rung
	}{
		{"举报", Report}, {"12315", MarketRegulator}, {"市场监管", MarketRegulator}, {"市场监督", MarketRegulator},
		{"消协", ConsumerAssociation}, {"消费者协会", ConsumerAssociation}, {"消委会", ConsumerAssociation},
		{"12363", PBOC}, {"人民银行", PBOC}, {"人行", PBOC}, {"央行", PBOC},
		{"法院", Court}, {"court", Court}, {"consumer association", ConsumerAssociation}, {"central bank", PBOC}, {"pboc", PBOC},
		// the provider itself, last: "12315客服" is 12315's
		{"客服", Provider}, {"支付机构", Provider}, {"customer service", Provider}, {"the provider", Provider},
	}
	// relDays are the days named relative to today.
	relDays = []struct {
		word string
		days int
	}{{"前天", -2}, {"昨天", -1}, {"今天", 0}, {"day before yesterday", -2}, {"yesterday", -1}, {"today", 0}}
	// dateWords finds a written date inside a sentence; flows.ParseDate reads it.
	dateWords = regexp.MustCompile(`\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?|\d{1,2}月\d{1,2}[日号]?|\d{1,2}/\d{1,2}\b`)
	// refWords finds a filing's number after its name.
	refWords = regexp.MustCompile(`(?i)(?:受理号|受理编号|编号|单号|工单号|投诉号|ref(?:erence)?|number|no\.)\s*(?:是|为|:|：|is\b)?\s*([A-Za-z0-9-]{4,40})`)
)

// placeIn returns the rung text (lower-case) names, or "".
func placeIn(t string) Rung {
	for _, p := range placeWords {
		if strings.Contains(t, p.word) {
			return p.rung
		}
	}
	return ""
}

// Implied returns "did you file it?" of s's latest case as the question typed text in answers,
// when in says it was filed (or not yet) right after the document or later, while no other
// question waits: the question's buttons were shown with the document but set no waiting
// question, so that other text still goes to a new complaint. nil otherwise.
func Implied(s flows.Session, in flows.Input) *flows.FollowAsk {
	if !unasked(s, in) || s.LastCase == "" {
		return nil
	}
	if ReadFiled(in.Text, in.Now.In(workdays.China())).Says == SaysNothing {
		return nil
	}
	return &flows.FollowAsk{Case: s.LastCase, Ask: AskFiled}
}

// SaysOutcome reports whether text says what came of a filing (ReadOutcome) or that a refund
// was promised (Promised): an answer to "what came of it?".
func SaysOutcome(text string) bool {
	_, ok := ReadOutcome(text)
	return ok || Promised(text)
}

// ImpliedOutcome returns "what came of it?" as the question typed text in answers, when in
// says what came of a filing (SaysOutcome) while no other question waits, and exactly one of
// the chat's cases ks has a filing waiting for its answer (its first such filing); nil
// otherwise. The reminder that asks it is sent outside any step, so it sets no waiting question.
func ImpliedOutcome(s flows.Session, in flows.Input, ks []flows.Complaint) *flows.FollowAsk {
	if !unasked(s, in) || !SaysOutcome(in.Text) {
		return nil
	}
	w := waitingCases(s, ks, 2)
	if len(w) != 1 {
		return nil // none, or two cases wait: WhichCase's buttons say which
	}
	return &flows.FollowAsk{Case: w[0].ID, Ask: AskResult, Filing: w[0].Waiting()[0]}
}

// MaxWhichCase is how many waiting cases WhichCase asks about.
const MaxWhichCase = 3

// WhichCase returns, when in says what came of a filing (SaysOutcome) while no other question
// waits and more than one of the chat's cases ks waits for an answer, the question of each
// (the newest MaxWhichCase, as ks lists them), under a line saying the text was not taken:
// which case it is about, its buttons say. Nil otherwise.
func WhichCase(s flows.Session, in flows.Input, ks []flows.Complaint) []flows.Reply {
	if !unasked(s, in) || !SaysOutcome(in.Text) {
		return nil
	}
	w := waitingCases(s, ks, MaxWhichCase)
	if len(w) < 2 {
		return nil
	}
	out := []flows.Reply{{Key: "fu_which_case", Args: map[string]any{"Count": len(w)}}}
	for _, c := range w {
		out = append(out, AskOutcome(c, c.Waiting()[0], false))
	}
	return out
}

// waitingCases returns up to max of chat s's open cases in ks with a filing waiting for its
// answer, in ks's order.
func waitingCases(s flows.Session, ks []flows.Complaint, max int) []Case {
	var out []Case
	for _, k := range ks {
		c, err := Open(k)
		if err != nil || k.Chat != s.Chat || c.Closed() || len(c.Waiting()) == 0 {
			continue
		}
		if out = append(out, c); len(out) == max {
			break
		}
	}
	return out
}

// Outdated reports whether text typed while ask waits may instead answer what came of a
// filing (SaysOutcome): ask is about filing (did you file it, on which day, where, its
// 受理编号), a question users leave unanswered, and the reminder that asks what came of it
// weeks later sets no question of its own. The questions of an answer (the sum, the reason)
// keep their text.
func Outdated(ask *flows.FollowAsk) bool {
	if ask == nil {
		return false
	}
	switch ask.Ask {
	case AskRef, AskDate, AskRung, AskFiled:
		return true
	}
	return false
}

// unasked reports whether in is text typed between complaints while nothing waits for it: no
// follow-up question, no confirmation of flows, no complaint being written; and more than a
// bare yes or no, which answers whatever was asked last.
func unasked(s flows.Session, in flows.Input) bool {
	return in.Kind == flows.InputText && s.Follow == nil && s.Pending == flows.PendingNone &&
		(s.State == flows.StateSubmitted || s.State == flows.StateClosed) && !bare(in.Text)
}

// bare reports whether text is only a yes or a no ("是", "没有", "no"): the answer to whatever
// was asked last, which, with no follow-up question waiting, may be flows' ("delete everything?").
func bare(text string) bool {
	t := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), "。.!！ "))
	return slices.Contains(yesWords, t) || slices.Contains([]string{"没有", "没", "不", "不是", "否", "no", "nope", "n", "y"}, t)
}

// dateIn returns the first day text names, or "" and whether that day is after today.
func dateIn(t string, now time.Time) (flows.Date, bool) {
	for _, r := range relDays {
		if strings.Contains(t, r.word) {
			return flows.DateOf(now.AddDate(0, 0, r.days)), false
		}
	}
	if m := dateWords.FindString(t); m != "" {
		d, err := flows.ParseDate(m, now)
		return d, errors.Is(err, flows.ErrDateFuture)
	}
	return "", false
}

// refIn returns the number text gives for the filing, or "".
func refIn(text string) string {
	if m := refWords.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// ReadOutcome reads text typed about what came of a filing, as people answer the reminder
// instead of pressing its buttons: "全退了", "退了50元", "客服拒绝了，说合同有约定", "还没回复".
// ok is false when the text says none of these, and for a promise of a refund ("客服答应一周内
// 退回", "说会退，还没到账": see Promised), which is no money back; an Outcome of RefundedPart
// without an Amount ("退了一部分") asks for the sum. A refusal keeps the whole text as its reason.
func ReadOutcome(text string) (o Outcome, ok bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "" || len(t) > maxFiledText {
		return Outcome{}, false
	}
	has := func(ws []string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(t, w) })
	}
	switch {
	case promised(t, has):
		return Outcome{}, false
	case has(noAnswerWords):
		return Outcome{Result: NoAnswer}, true
	case has(refusedWords):
		return Outcome{Result: Refused, Reason: strings.TrimSpace(text)}, true
	case has(partWords):
		o := Outcome{Result: RefundedPart}
		if ns := amountInText.FindAllString(t, 2); len(ns) == 1 {
			if a, err := flows.ParseAmount(ns[0]); err == nil {
				o.Amount = a
			}
		}
		return o, true
	case has(refundWords):
		ns := amountInText.FindAllString(t, 2)
		if len(ns) == 1 {
			if a, err := flows.ParseAmount(ns[0]); err == nil {
				return Outcome{Result: RefundedPart, Amount: a}, true // the sum says whether it was all
			}
		}
		if len(ns) > 1 && !has(allWords) {
			// "退了99元，还差100": which sum came back is asked, not taken as everything
			return Outcome{Result: RefundedPart}, true
		}
		return Outcome{Result: RefundedFull}, true
	}
	return Outcome{}, false
}

// Promised reports whether text typed about what came of a filing says the provider or body
// promised a refund that has not come ("客服打电话说会退", "答应7个工作日内退回", "they promised
// to refund"): the filing still waits for its answer, which is the money arriving or not.
func Promised(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "" || len(t) > maxFiledText {
		return false
	}
	return promised(t, func(ws []string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(t, w) })
	})
}

// promised reports whether lower-cased t says a refund was promised and not refused.
func promised(t string, has func([]string) bool) bool {
	return has(promiseWords) && !has(refusedWords)
}

var (
	// promiseWords: a refund promised, or announced and not arrived: no money back yet.
	promiseWords = []string{"答应", "承诺", "保证", "会退", "将退", "会给退", "会返还", "会给我退", "内退",
		"没到账", "未到账", "没有到账", "没收到钱", "没收到退款",
		"promised", "will refund", "would refund", "'ll refund", "going to refund", "agreed to refund",
		"not arrived", "hasn't arrived", "has not arrived", "not received it yet"}
	// noAnswerWords: nothing came back (before "退" is read as a refund: 还没退).
	noAnswerWords = []string{"没回复", "没有回复", "没答复", "没有答复", "没消息", "没有消息", "没动静", "没人理", "没人管", "还没退", "没有退", "没退",
		"no answer", "no reply", "no response", "not answered", "nothing yet", "haven't heard", "not refunded yet"}
	// refusedWords: the provider or body refused.
	refusedWords = []string{"拒绝", "不退", "不会退", "不给退", "不予退", "不能退", "不同意退", "不受理", "不予受理", "驳回",
		"refused", "rejected", "won't refund", "will not refund", "declined"}
	// partWords: part of the money came back.
	partWords = []string{"一部分", "部分", "一半", "part of", "partly", "partial", "some of"}
	// allWords: all of the money came back, whatever sums the text names.
	allWords = []string{"全退", "全额", "全部退", "都退了", "in full", "everything", "all of it"}
	// refundWords: money came back (all of it unless a sum says otherwise).
	refundWords = []string{"退了", "退款了", "已退", "退回", "退还了", "到账了", "钱回来了", "全退", "全额",
		"refunded", "got it back", "got my money back", "paid back", "money back"}
)
