package paste

// Serial numbers, and the numbers of record (phones, order and merchant numbers, card tails)
// that are masked so that no sum is read from them.

import (
	"regexp"
	"strings"
)

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
	// recordLexicon finds which of recordWords a line holds, bit n for recordWords[n]
	recordLexicon = newLexicon(each(recordWords)...)
)

// phoneRune reports whether r may be part of a phoneRe match besides its digits.
func phoneRune(r rune) bool { return r == ' ' || r == '-' }

// each makes a list of every word, for a lexicon that tells the words apart.
func each(words []string) [][]string {
	lists := make([][]string, len(words))
	for i, w := range words {
		lists[i] = []string{w}
	}
	return lists
}

func maskRecords(s string, m []byte) {
	if !strings.ContainsAny(s, "0123456789") {
		return
	}
	found := recordLexicon.scan(s)
	for n, w := range recordWords {
		if found&(1<<n) == 0 {
			continue
		}
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
	var phones [][]int
	if digits >= 3 {
		phones = spanMatches(phoneRe, s, numberSpans(s, phoneRune))
	}
	for _, g := range phones {
		if boundary(s, g[0], g[1]) && (g[0] == 0 || s[g[0]-1] != '.') && (g[1] >= len(s) || s[g[1]] != '.') {
			mask(m, g[0], g[1])
		}
	}
	for _, g := range longRe.FindAllStringIndex(s, cheap(alnum >= 10)) {
		mask(m, g[0], g[1])
	}
}
