package followup

import (
	"errors"
	"regexp"
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
	filedWords = []string{"提交了", "已提交", "交了", "投诉了", "已投诉", "递交了", "寄出", "寄了", "举报了", "反映了",
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
	}
	// relDays are the days named relative to today.
	relDays = []struct {
		word string
		days int
	}{{"前天", -2}, {"昨天", -1}, {"今天", 0}, {"day before yesterday", -2}, {"yesterday", -1}, {"today", 0}}
	// dateWords finds a written date inside a sentence; flows.ParseDate reads it.
	dateWords = regexp.MustCompile(`\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?|\d{1,2}月\d{1,2}[日号]?|\d{1,2}/\d{1,2}\b`)
	// refWords finds a filing's number after its name.
	refWords = regexp.MustCompile(`(?i)(?:受理号|受理编号|编号|单号|工单号|投诉号|ref(?:erence)?|number|no\.)\s*(?:是|为|:|：)?\s*([A-Za-z0-9-]{4,40})`)
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
	if in.Kind != flows.InputText || s.Follow != nil || s.LastCase == "" ||
		s.State != flows.StateSubmitted && s.State != flows.StateClosed {
		return nil
	}
	if ReadFiled(in.Text, in.Now.In(workdays.China())).Says == SaysNothing {
		return nil
	}
	return &flows.FollowAsk{Case: s.LastCase, Ask: AskFiled}
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
