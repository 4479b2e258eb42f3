package paste

// Rate changes and de-registration dates.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// pctTok is a percentage found in a line.
type pctTok struct {
	start, end int
	text       string // "0.63%" or "0.63%+3元"
}

var pctRe = regexp.MustCompile(`(\d{1,2}(?:\.\d{1,4})?)\s*(%|‰)(?:\s*\+\s*(\d{1,3}(?:\.\d{1,2})?)\s*元(?:\s*/\s*笔)?)?`)

func findPercents(s string, m []byte) []pctTok {
	var out []pctTok
	for _, g := range pctRe.FindAllStringSubmatchIndex(s, cheap(strings.ContainsAny(s, "%‰"))) {
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
		pair := changedPair(l.ms, in)
		switch {
		case pair >= 0:
			rc = &RateChange{Old: in[pair].text, New: in[pair+1].text}
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

// changedPair finds the one pair of neighbouring rates joined by a word of change (0.6%调整为
// 0.68%, 0.55% → 0.63%) among a sentence's rates, and returns the first one's index, or -1
// when there is none or several.
func changedPair(ms string, in []pctTok) int {
	found := -1
	for k := 0; k+1 < len(in); k++ {
		between := strings.TrimSpace(ms[in[k].end:in[k+1].start])
		if in[k].text == in[k+1].text || utf8.RuneCountInString(between) > 6 || strings.ContainsAny(between, ",;") {
			continue
		}
		if endsWithAny(between, toWords) || containsAny(between, []string{"→", "->"}) {
			if found >= 0 {
				return -1
			}
			found = k
		}
	}
	return found
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
