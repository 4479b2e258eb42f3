package flows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Typed replies: what people type instead of pressing a button, read in one place. Which
// button a word presses depends on the question ("没有" is "no" at a yes-or-no question, "none"
// at "filed anywhere else?", "skip" at an optional code, "done" at "any other deduction?"), so
// each reader below says what its words mean and the answer code asks the one that fits.

// reply is typed text as the readers below compare it (said).
type reply string

// said is typed text as the readers below compare it: trimmed, full-width folded (so the
// readers' words are written with ASCII punctuation: "是的,全部删除"), lower-case, without a
// closing full stop or exclamation mark; "" for text longer than any of their words (an answer, not a
// word for a button), which spares every typed answer the folding.
func said(text string) reply {
	if len(text) > maxWord {
		return ""
	}
	return reply(simplified(strings.ToLower(strings.TrimRight(trimSentence(foldWidth(strings.TrimSpace(text))), ".!！ "))))
}

// simplified writes the traditional characters of the readers' words in their simplified form
// ("註銷費" → "注销费", "沒有" → "没有"), for users whose phone types traditional characters
// (Hong Kong, Taiwan); text without one is returned as it is. Only what the readers compare is
// converted: an answer is kept as the user typed it.
func simplified(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { _, ok := traditional[r]; return ok })
	if i < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if sc, ok := traditional[r]; ok {
			return sc
		}
		return r
	}, s)
}

// traditional maps the traditional characters of the readers' words to their simplified forms.
var traditional = func() map[rune]rune {
	const pairs = "註注銷销費费帳账賬账結结銀银錢钱餘余額额戶户體体個个業业務务員员們们沒没過过達达還还說说話话電电線线網网點点門门" +
		"廳厅營营調调漲涨記记確确認认證证據据開开幫帮進进隱隐刪删數数請请問问題题麼么為为這这聯联繫系係系處处辦办裡里裏里錯错" +
		"寫写筆笔應应該该後后從从來来時时間间發发給给讓让訴诉書书報报舉举總总計计嗎吗實实際际稱称見见條条無无對对單单號号碼码" +
		"機机啟启動动並并隨随樂乐優优勢势術术簽签議议準准較较盡尽樣样層层齊齐內内經经標标"
	m := map[rune]rune{}
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}()

// maxWord bounds the typed words the readers know, in bytes: the longest, "告知过，但我没有同意",
// is 30, and a Chinese character is 3 bytes, so 48 leaves room for spaces and a full stop.
const maxWord = 48

// consent reads r at the privacy notice as its buttons: "agree", "decline" or "".
func (r reply) consent() string {
	switch r {
	case "同意", "我同意", "好", "好的", "可以", "是", "开始", "agree", "i agree", "ok", "okay", "yes", "start",
		"sure", "yes, i agree", "yes i agree", "agreed", "yes please", "go ahead", "let's start", "fine":
		return "agree"
	case "不同意", "不", "no", "decline", "i don't agree", "i do not agree", "no thanks":
		return "decline"
	}
	return ""
}

// skipping is what typed text says about skipping the question.
type skipping int

const (
	skipNot     skipping = iota // an answer (or a refusal) as usual
	skipTyped                   // "跳过" at an optional question, "没有" where a code or number is asked
	skipUnknown                 // "记不清了" (or "跳过") at a date with an "I don't remember" button
	skipRefused                 // "跳过" at a question the complaint needs that takes typed text
)

// typedSkip reads typed text for a wish to skip q, as users on a phone type it instead of
// pressing the button: "跳过" and "skip" skip an optional question; "没有", "无", "不知道",
// "I don't know" and "none" skip an optional question that asks for a code, a number or a text
// (a provider's address of "不知道" is none), unless "没有" answers it (Question.NoneSays: "no
// reply", "no terms"), where only "不知道" skips; at a date with an "I don't remember" button,
// those words and "记不清了" press it.
// Where the question is needed and takes typed text (a name, a number, a date, the provider),
// "跳过" is answered "this one is needed" instead of being kept as the answer (a company's
// address of "跳过") or refused as malformed.
func typedSkip(r reply, q *Question) skipping {
	_, parsed := q.Answer.(interface{ parses(string) bool })
	if t, ok := q.Answer.(TextAnswer); ok && t.Words {
		parsed = true // an address: "不知道" is none, not the address
	}
	if d, ok := q.Answer.(DateAnswer); ok && d.Unknown && (r.skip() || r.none()) {
		return skipUnknown
	}
	switch {
	case r.skip():
		switch {
		case q.Optional:
			return skipTyped
		case typesAnswer(q):
			return skipRefused
		}
	case r.none():
		_, text := q.Answer.(TextAnswer)
		if q.Optional && (parsed || text && (!q.NoneSays || r.unknown())) {
			return skipTyped
		}
		if !q.Optional && parsed && text && typesAnswer(q) {
			return skipRefused // "不知道" is no address, and the complaint needs one
		}
	}
	return skipNot
}

// yesNo reads r as the yes, no or not-sure button ("yes", "no", "not_sure"), as people answer
// a yes-or-no question in a chat: "是", "没有", "不清楚"; "" for anything else.
func (r reply) yesNo() string {
	switch r {
	case "是", "是的", "对", "对的", "有", "有的", "嗯", "完成了", "已完成", "yes", "y", "yeah", "yep", "sure":
		return string(Yes)
	case "否", "不是", "没有", "没有了", "没", "没了", "不", "没完成", "没有完成", "未完成", "no", "n", "nope", "nah":
		return string(No)
	case "不清楚", "不知道", "不确定", "记不清", "记不清了", "not sure", "don't know", "dont know", "i don't know",
		"i don't remember", "don't remember", "i can't remember", "can't remember":
		return string(NotSureYN)
	}
	return ""
}

// who reads r as a complainant type, as people say who they are: "个体户", "我是商户", "公司";
// "" for anything else. ("商户" alone is an individual merchant: a company says it is one.)
func (r reply) who() string {
	t := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(string(r), "我是"), "i am "), "i'm ")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "a "), "an ")
	switch t {
	case "消费者", "个人消费者", "个人", "consumer", "individual consumer", "person":
		return string(Consumer)
	case "个体户", "个体工商户", "个体", "商户", "个人商户", "小商户", "individual merchant", "merchant", "shop",
		"shop owner", "store owner", "individual business", "sole trader", "sole proprietor", "self-employed":
		return string(Individual)
	case "公司", "企业", "企业商户", "公司商户", "company", "business", "firm":
		return string(Company)
	}
	return ""
}

// charge reads r as a charge kind, as people name the fee: "注销费", "流量卡", "押金", "费率";
// "" for anything else.
func (r reply) charge() string {
	switch r {
	case "注销", "注销费", "注销扣费", "注销服务费", "deregistration", "de-registration", "deregistration fee",
		"de-registration fee", "deregistration charge", "de-registration charge", "cancellation", "cancellation fee",
		"termination fee":
		return string(DeregistrationFee)
	case "流量卡", "流量卡费", "流量费", "sim", "sim卡", "sim fee", "sim卡费", "data card", "data card fee",
		"sim card", "sim card fee", "annual sim fee", "sim annual fee", "data-card fee", "data fee", "annual fee",
		"yearly fee", "flow card", "flow card fee", "traffic card fee":
		return string(SIMFee)
	case "服务费", "押金", "激活费", "保证金", "service fee", "deposit", "activation fee",
		"service charge", "activation", "security deposit":
		return string(ServiceFee)
	case "费率", "费率上调", "涨费率", "手续费", "rate", "rate increase",
		"rate rise", "rate hike", "higher rate", "fee rate", "rate went up", "rate raised", "rate change":
		return string(RateIncrease)
	case "其他", "其它", "other", "something else":
		return string(OtherCharge)
	}
	return ""
}

// method reads r as how money was taken: "结算款", "银行卡", "钱包"; "其他" is "other" at any
// question whose buttons have it. "" for anything else.
func (r reply) method() string {
	t := string(r)
	for _, p := range []string{"taken from ", "charged to ", "from ", "the ", "my ", "从"} {
		t = strings.TrimPrefix(t, p)
	}
	switch reply(strings.TrimSuffix(strings.TrimSuffix(t, "扣的"), "扣除")) {
	case "结算款", "结算", "结算款中", "调账", "settlement", "settlement funds", "settlements":
		return string(FromSettlement)
	case "银行卡", "银行卡扣款", "卡里", "bank card", "card", "bank", "bank account":
		return string(FromBankCard)
	case "钱包", "余额", "wallet", "balance", "wallet balance":
		return string(FromWallet)
	case "其他", "其它", "other", "other way":
		return string(FromOther)
	}
	return ""
}

// disclosure reads r as whether the fee was disclosed: "没人告诉我", "合同小字"; "" for
// anything else ("没有" is read as "no" and taken as "not told" where that is a button).
func (r reply) disclosure() string {
	switch r {
	case "没有告知", "没告知", "没告诉我", "没人告诉我", "没有人告诉我", "完全没有", "完全没有告知", "从来没说过",
		"not told", "not told at all", "nobody told me", "no one told me", "never", "never told", "never told me",
		"they never told me", "i was never told", "i wasn't told", "i was not told":
		return string(NotTold)
	case "小字", "合同小字", "只在合同里", "合同里写了", "small print", "fine print", "in the small print",
		"in the fine print", "only in the small print", "only in the fine print", "only in the contract's small print",
		"in the contract's small print", "the contract's small print", "only in the contract", "in the contract":
		return string(FinePrint)
	case "告知过但我没同意", "告知过,但我没有同意", "告知过但没同意", "说过但我没同意", "告诉过但我没同意", "我没同意", "没同意",
		"told but i did not agree", "told, but i did not agree", "i did not agree", "i didn't agree",
		"told, but i didn't agree", "told but i didn't agree", "i never agreed":
		return string(ToldNoAgree)
	case "告知过,我同意了", "告知过我同意了", "我同意了", "同意了", "told and i agreed", "told, and i agreed", "i agreed":
		return string(Agreed)
	}
	return ""
}

// channel reads r as a channel: "业务员", "客服电话", "App", "营业厅"; "其他" is read by method.
// "" for anything else.
func (r reply) channel() string {
	switch r {
	case "代理商", "业务员", "代理", "销售", "agent", "an agent", "sales agent", "salesperson", "reseller":
		return string(ChannelAgent)
	case "客服", "客服电话", "热线", "电话", "打电话", "hotline", "phone", "customer service":
		return string(ChannelHotline)
	case "app", "网站", "小程序", "公众号", "微信", "website", "online", "mini-program":
		return string(ChannelApp)
	case "网点", "营业厅", "线下", "门店", "branch", "in person", "office":
		return string(ChannelOffline)
	}
	return ""
}

// notice reads r as the answer to "were you notified of the new rate?", as people say it:
// "没有通知", "没收到", "收到过"; "" for anything else.
func (r reply) notice() string {
	switch strings.ReplaceAll(strings.TrimPrefix(string(r), "我"), "任何", "") {
	case "没有通知", "没通知", "没收到", "没有收到", "没收到通知", "没有收到通知", "没有通知我", "没通知我", "从来没通知",
		"不通知", "没有发通知", "no notice", "not notified", "never notified", "no", "nothing", "never got one":
		return string(No)
	case "收到过", "收到了", "有通知", "通知过", "收到过通知", "got one", "notified", "yes, notified":
		return string(Yes)
	}
	return ""
}

// role reads r as who acts for a company: "法定代表人", "法人", "授权联系人"; "" for anything else.
func (r reply) role() string {
	switch strings.TrimPrefix(string(r), "我是") {
	case "法定代表人", "法人", "法人代表", "legal representative", "legal rep":
		return string(RoleLegalRep)
	case "授权联系人", "授权人", "联系人", "员工", "经办人", "authorised contact", "authorized contact", "employee":
		return string(RoleAuthorised)
	}
	return ""
}

// escalation reads r at "shall our staff follow this case?": "escalate" for "转人工", "需要";
// "decline" for "不用了", "我自己提交"; "" for anything else. A closing thanks is passed over.
func (r reply) escalation() string {
	t := string(r)
	for _, thanks := range []string{"，谢谢", ",谢谢", "谢谢", ", thanks", " thanks", ", thank you", " thank you"} {
		t = strings.TrimSuffix(t, thanks)
	}
	switch strings.TrimSpace(t) {
	case "转人工", "人工", "转给工作人员", "转工作人员", "需要", "要", "需要人工", "需要帮忙", "帮我跟进", "请帮我跟进",
		"staff", "yes", "yes please", "hand it over", "hand over", "please follow it":
		return "escalate"
	case "不用", "不用了", "不需要", "不要", "我自己提交", "自己提交", "我自己来", "no", "no thanks", "not needed",
		"i'll file it myself", "i will file it myself", "myself":
		return "decline"
	}
	return ""
}

// confirmation reads r at a yes-or-no confirmation (/cancel, /restart, /delete): "yes" for
// "是", "确定", "删除"; "no" for "不", "继续"; "" for anything else.
func (r reply) confirmation() string {
	switch {
	case r.yesNo() == string(Yes) || r.confirmed():
		return "yes"
	case r.yesNo() == string(No):
		return "no"
	}
	switch r {
	case "删除", "全部删除", "是的,全部删除", "取消", "放弃", "是的,放弃", "重新开始", "是的,重新开始",
		"delete", "delete everything", "cancel", "restart", "yes, erase everything", "yes, drop it", "yes, start again":
		return "yes"
	case "继续", "不,继续", "不要", "算了", "keep", "keep going", "continue", "no, carry on", "carry on":
		return "no"
	}
	return ""
}

// command reads r as a command typed without its slash, as people used to keyword replies type
// it: "上一步" is /back, "进度" /status, a greeting or "我昨天没弄完" "resume" (where the user
// left off, said again), "重新开始" /restart, "？" and "什么意思" /help; "" for
// anything else. The commands that erase or drop something still ask to confirm. "人工客服" is
// "human": asking for a person while a complaint is being written (run answers it there only).
func (r reply) command() string {
	if r != "" && strings.Trim(string(r), "?") == "" {
		return "help" // "？" alone: the user is lost
	}
	if parts := strings.Split(string(r), ","); len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool {
		return reply(strings.TrimSpace(p)).command() != "resume"
	}) {
		return "resume" // "你好，我昨天没弄完"
	}
	switch reply(strings.TrimRight(string(r), "?")) {
	case "上一步", "返回", "返回上一步", "回到上一步", "go back", "previous question":
		return "back"
	case "帮助", "怎么用", "help", "什么意思", "啥意思", "这是什么意思", "不懂", "看不懂", "不明白", "没看懂", "听不懂",
		"怎么填", "不知道怎么填", "为什么要问这个", "为什么问这个", "为什么要填这个", "问这个干什么", "问这个干嘛",
		"what", "what does this mean", "i don't understand", "i dont understand", "why do you ask", "why":
		return "help"
	case "人工客服", "转人工", "转人工客服", "人工", "找人工", "人工服务", "我要人工", "我要找人工", "我要人工客服", "找真人",
		"真人", "有人吗", "有真人吗", "客服在吗", "human", "talk to a human", "a human", "real person", "talk to a person",
		"speak to a person", "talk to someone":
		return "human"
	case "你好", "您好", "在吗", "在不在", "哈喽", "嗨", "我回来了", "继续", "继续吧", "接着来", "接着填", "继续填", "继续投诉",
		"昨天没弄完", "我昨天没弄完", "昨天没填完", "我昨天没填完", "上次没填完", "上次没弄完", "刚才没填完",
		"hi", "hello", "i'm back", "im back", "continue", "let's continue":
		return "resume"
	case "进度", "查看进度", "查询进度", "我的投诉", "案件进度", "my complaints", "status":
		return "status"
	case "重新开始", "重来", "start over":
		return "restart"
	case "取消投诉", "不投诉了", "cancel the complaint":
		return "cancel"
	case "删除我的数据", "删除数据", "delete my data":
		return "delete"
	case "隐私", "隐私政策", "privacy":
		return "privacy"
	}
	return ""
}

// language reads r as a wish to read the bot in another language, typed as a message of its
// own ("English", "in English please", "中文", "说中文"), as people do after /lang shows its
// buttons or seeing the other language's name; "" for anything else. The two-letter codes of
// /lang ("en", "zh") are not read: alone, they are no one's way of saying it.
func (r reply) language() Lang {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(string(r), "in "), "请用"), " please")
	switch strings.TrimPrefix(strings.TrimPrefix(t, "说"), "用") {
	case "english", "英文", "英语":
		return LangEN
	case "chinese", "中文", "汉语", "简体中文":
		return LangZH
	}
	return ""
}

// sameDay reports whether r says "the day of the first deduction" at "when did you find out?":
// "扣款那天", "第一笔扣款那天", "the same day".
func (r reply) sameDay() bool {
	switch strings.TrimPrefix(string(r), "就是") {
	case "扣款那天", "扣款当天", "第一笔扣款那天", "第一笔扣款的那天", "第一笔扣款的日期", "第一次扣款那天", "被扣那天", "扣钱那天", "当天",
		"the same day", "same day", "that day", "the day of the first deduction", "the first deduction's day", "when it was taken":
		return true
	}
	return false
}

// confirmed reports whether r confirms the review: "确认", "没问题", "confirm".
func (r reply) confirmed() bool {
	switch r {
	case "确认", "确认无误", "确定", "没问题", "没有问题", "都对", "都对的", "对的", "正确", "生成", "生成投诉书",
		"confirm", "correct", "looks good", "all good", "all correct", "ok", "okay":
		return true
	}
	return false
}

// sectionWords name a section of the review, as people say what to change: "手机号写错了" is
// the contact, "金额不对" the deductions. Matched anywhere in the text, the longer first.
var sectionWords = []struct{ word, section string }{
	{"被投诉人", "provider"}, {"支付机构", "provider"}, {"机构地址", "provider"},
	{"受理机构", "body"}, {"交给哪", "body"},
	{"联系方式", "contact"}, {"联系地址", "contact"}, {"联系人", "contact"}, {"手机号", "contact"}, {"手机", "contact"},
	{"电话", "contact"}, {"姓名", "contact"}, {"名字", "contact"},
	{"扣款", "deductions"}, {"金额", "deductions"}, {"扣费日期", "deductions"},
	{"发现日期", "learned"}, {"告知", "disclosure"}, {"代理商", "agent"}, {"业务员", "agent"},
	{"序列号", "device"}, {"sn", "device"}, {"协商", "negotiation"}, {"其他程序", "proceedings"},
	{"商户号", "complainant"}, {"商户编号", "complainant"}, {"商户名", "complainant"}, {"店名", "complainant"},
	{"办理日期", "contract"}, {"办理时间", "contract"}, {"办理渠道", "contract"},
	{"陈述", "description"}, {"请求", "requests"}, {"证据", "evidence"}, {"身份", "complainant"},
	{"phone", "contact"}, {"my name", "contact"}, {"my address", "contact"}, {"contact", "contact"},
	{"amount", "deductions"}, {"deduction", "deductions"}, {"provider", "provider"}, {"evidence", "evidence"},
	{"description", "description"}, {"story", "description"}, {"agent", "agent"}, {"serial", "device"},
	{"receiving body", "body"}, {"requests", "requests"},
}

// section returns the one review section text names ("手机号写错了，是139…": contact), or ""
// when it names none or several.
func section(text string) string {
	t := strings.ToLower(foldWidth(text))
	if len(t) > maxSectionText {
		return ""
	}
	found := ""
	for _, w := range sectionWords {
		if strings.Contains(t, w.word) {
			if found != "" && found != w.section {
				return ""
			}
			found = w.section
		}
	}
	return found
}

// maxSectionText bounds the text read for a section's name: a request to change, not a story.
const maxSectionText = 150

// more reports whether r asks to add one more to a list: "还有", "再加一笔".
func (r reply) more() bool {
	switch r {
	case "还有", "还有的", "再加一笔", "加一笔", "more", "another", "add another":
		return true
	}
	return false
}

// done reports whether r says a list is complete: "完成", "就这些", "done".
func (r reply) done() bool {
	switch r {
	case "完成", "完成了", "好了", "就这些", "就这些了", "就这样", "没有别的了", "没有其他的了", "没别的了", "下一步",
		"done", "finish", "finished", "next", "no more", "nothing else", "that's all", "thats all", "that is all",
		"that's it", "no others", "no more, next":
		return true
	}
	return false
}

// typesAnswer reports whether q takes a typed answer that "跳过" would otherwise be read as or
// refused for being malformed: text, a parsed value, a date, the provider's or the receiving
// body's name.
func typesAnswer(q *Question) bool {
	switch q.Answer.(type) {
	case TextAnswer, DateAnswer:
		return true
	case interface{ parses(string) bool }:
		return true
	}
	return q.State == StateProvider || q.State == StateBody
}

// laterAnswer returns the message naming the question r answers when r, typed at a question
// that takes a name, is the word of the charge kind or of who is complaining ("费率上调",
// "押金", "个体户" typed as the company's, the shop's or the signer's name); "" otherwise.
func laterAnswer(q *Question, r reply) string {
	switch q.State {
	case StateCompanyName, StateMerchantName, StateContactName:
	default:
		return ""
	}
	switch {
	case r.charge() != "" && r.charge() != string(OtherCharge):
		return "question_charge"
	case r.who() != "":
		return "question_complainant"
	}
	return ""
}

// buttonWord reports whether r is the word of a button ("完成", "确认", "全部加入"), which is
// no answer to a question that takes typed text.
func (r reply) buttonWord() bool {
	switch r {
	case "全部加入", "逐笔确认", "加入", "确认并生成投诉书", "保持不变", "add all", "one by one", "keep":
		return true
	}
	return r.done() || r.confirmed()
}

// skip reports whether r asks to skip: "跳过", "skip".
func (r reply) skip() bool {
	switch r {
	case "跳过", "略过", "跳过吧", "跳过此项", "skip", "pass":
		return true
	}
	return false
}

// none reports whether r says there is none, or it is not known: "没有", "不知道".
func (r reply) none() bool {
	switch r {
	case "没有", "无", "没", "none", "n/a", "no":
		return true
	}
	return r.unknown()
}

// unknown reports whether r says the answer is not known: "不知道", "I don't know".
func (r reply) unknown() bool {
	switch strings.TrimPrefix(string(r), "i ") {
	case "不知道", "不清楚", "记不清", "记不清了", "忘了", "不记得", "不记得了", "我不知道", "不晓得",
		"don't know", "dont know", "do not know", "not sure", "don't remember", "forgot", "no idea", "unknown":
		return true
	}
	return false
}

// typedLabel returns the action of the button shown now whose label the typed text is, as
// the user sees it (Input.Labels): "达到了", "全部加入" without its ✅, "个人商户" for
// "个体工商户 / 个人商户", "注销扣费" for "注销扣费（如注销时扣 199 元）". "" when the input is
// not text, no label matches, or two buttons' labels do.
func (st *stepper) typedLabel() string {
	if st.in.Kind != InputText || st.in.Labels == nil || len(st.in.Text) > maxLabel {
		return ""
	}
	t := labelForm(st.in.Text)
	if t == "" {
		return ""
	}
	// the buttons as the offer shown over the question, then the question, show them now (a
	// label of the question's is its plain answer, which drops the offer as its press does);
	// asking has no effect but its replies, which are put back
	replies, buttons := st.replies, st.buttons
	defer func() { st.replies, st.buttons = replies, buttons }()
	var shown [][]Reply
	if st.s.Offer != nil {
		st.showOffer()
		shown = append(shown, st.replies[len(replies):])
	}
	n := len(st.replies)
	st.ask()
	shown = append(shown, st.replies[n:])
	for _, rs := range shown {
		if a := st.labelled(rs, t); a != "" {
			return a
		}
	}
	return ""
}

// labelled returns the action of the one button of rs whose label reads as t; "" when none
// does, or two buttons with different actions do.
func (st *stepper) labelled(rs []Reply, t string) string {
	found := ""
	for _, r := range rs {
		for _, c := range r.Choices {
			label, err := st.in.Labels.Label(st.s.Lang, c, nil)
			if err != nil || !labelSays(label, t) {
				continue
			}
			_, action, ok := strings.Cut(c.Data, ":")
			if !ok || found != "" && found != action {
				return ""
			}
			found = action
		}
	}
	return found
}

// maxLabel bounds typed text compared with the labels, in bytes: the longest label is shorter.
const maxLabel = 96

// labelSays reports whether the label reads as t (labelForm): the whole label, a part of it
// between slashes, or the label without its bracketed note.
func labelSays(label, t string) bool {
	l := labelForm(label)
	if l == t {
		return true
	}
	for _, open := range []string{"（", "("} {
		if before, _, ok := strings.Cut(l, open); ok && strings.TrimSpace(before) == t {
			return true
		}
	}
	for part := range strings.SplitSeq(l, "/") {
		if strings.TrimSpace(part) == t {
			return true
		}
	}
	return false
}

// labelForm is text as labels are compared: width folded, lower case, without the symbols a
// label starts with (✅, ➕, ⏭) and a closing full stop.
func labelForm(s string) string {
	s = strings.ToLower(trimSentence(foldWidth(strings.TrimSpace(s))))
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r > 0x2000 && r < 0x2E80 || r >= 0x1F000 || r == ' ' || r == '\ufe0f' })
	// "Customer-service hotline" typed as "customer service hotline", with a closing full stop
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "-", " ")), " ")
	return strings.TrimRight(s, ".!")
}

// correction reads text that corrects the answer before it, as people type it right after a
// slip: "不对，是198", "写错了 198", "sorry, 198". It returns what follows the correction
// ("198"; "" when nothing does) and whether the text starts with one.
func correction(text string) (string, bool) {
	t := strings.TrimSpace(foldWidth(text))
	lower := strings.ToLower(t)
	for _, p := range []string{"不对", "错了", "写错了", "打错了", "输错了", "说错了", "填错了", "弄错了", "搞错了", "更正",
		"sorry", "oops", "wrong", "correction", "actually"} {
		if !strings.HasPrefix(lower, p) {
			continue
		}
		t = strings.TrimLeft(t[len(p):], " ,.;:!，。；：！")
		for _, w := range []string{"应该是", "其实是", "金额是", "日期是", "是", "it's ", "it is ", "should be ", "it should be "} {
			if r, ok := strings.CutPrefix(strings.ToLower(t), w); ok {
				t = t[len(t)-len(r):]
				break
			}
		}
		return strings.TrimSpace(t), true
	}
	return "", false
}

// mentioned reads a short sentence typed at a question with buttons ("业务员上门办的",
// "微信转账给业务员的", "找过业务员好几次了") for the one button it speaks of: the button whose
// words (mentions, keyed by the button's label key) it contains, a denial (denials) first. It
// reports false when the text is long, names no button or names several.
func mentioned[T ~string](text, label string, values []T) (T, bool) {
	t := simplified(strings.ToLower(foldWidth(text)))
	if utf8.RuneCountInString(t) > maxMentioned {
		return "", false
	}
	for _, v := range values {
		for _, w := range denials[label+string(v)] {
			if strings.Contains(t, w) {
				return v, true
			}
		}
	}
	var found T
	n := 0
	for _, v := range values {
		if slices.ContainsFunc(mentions[label+string(v)], func(w string) bool { return strings.Contains(t, w) }) {
			found, n = v, n+1
		}
	}
	return found, n == 1
}

// maxMentioned bounds the sentences mentioned reads, in characters: a longer text is a story,
// not an answer to a button.
const maxMentioned = 30

// mentions are the words that, inside a short sentence, speak of a button, keyed by its label
// key.
var mentions = map[string][]string{
	"complainant_individual": {"个体", "开店", "店主", "小店", "摆摊", "商户", "老板", "shop", "store", "self-employed", "small business"},
	"complainant_company":    {"公司", "企业", "company", "ltd", "co."},
	"complainant_consumer":   {"消费者", "consumer"},
	"channel_agent":          {"业务员", "代理", "销售", "推销", "agent", "salesman"},
	"channel_hotline":        {"客服电话", "热线", "打电话", "打客服", "电话", "hotline", "phone", "called"},
	"channel_app":            {"app", "小程序", "公众号", "官网", "网站", "网上", "online"},
	"channel_offline":        {"营业厅", "网点", "门店", "线下", "branch"},
	"method_settlement":      {"结算", "调账", "到账", "settlement"},
	"method_bank_card":       {"银行卡", "储蓄卡", "卡里", "bank"},
	"method_wallet":          {"钱包", "余额", "wallet", "balance"},
	"method_other":           {"转账", "现金", "扫码", "红包", "cash", "transfer"}, // "微信" alone may be its wallet
	"negotiated_yes":         {"找过", "联系过", "问过", "打过", "反映过", "投诉过", "要过", "催过", "contacted", "called", "asked"},
	"terms_met_yes":          {"达到了", "达标了", "刷够了", "刷满了", "都刷了", "都达到"},
	"terms_met_partly":       {"部分", "差一点", "差一些"},
	"disclosure_not_told":    {"没说", "没告诉", "没讲", "没提", "没人说", "没通知", "never told", "nobody told"},
}

// denials are the words that deny a button's own words ("没达到" holds "达到"), read before
// mentions.
var denials = map[string][]string{
	"terms_met_no":  {"没达到", "没有达到", "没达标", "未达标", "没刷够", "没刷满"},
	"negotiated_no": {"没找过", "没联系", "没有联系", "没问过", "没打过", "haven't contacted", "not yet"},
}

// firstWord is text up to its first space or comma ("yes" of "yes I did", "是的" of "是的，都达到了"),
// "" when it has none.
func firstWord(text string) string {
	t := strings.TrimSpace(foldWidth(text))
	if i := strings.IndexAny(t, " ,;"); i > 0 {
		return t[:i]
	}
	return ""
}

// deductionEdit is a change to one listed deduction typed at "any other deduction?": remove it,
// or give its amount or date again (Value, read by the caller).
type deductionEdit struct {
	N      int // 1-based, as the list numbers them
	Remove bool
	Value  string
}

// readDeductionEdit reads "删除第1笔", "删掉 2", "delete 1", "remove no. 2" (a removal) and
// "第1笔改成198", "第2笔的日期是2024年6月10日", "1 should be 198", "change 2 to 2024-06-10" (a
// change), as people type them looking at the numbered list; false for anything else.
func readDeductionEdit(text string) (deductionEdit, bool) {
	t := strings.ToLower(strings.TrimSpace(foldWidth(text)))
	if m := deductionRemoval.FindStringSubmatch(t); m != nil {
		if n, ok := listNumber(m[1]); ok {
			return deductionEdit{N: n, Remove: true}, true
		}
	}
	if m := deductionChange.FindStringSubmatch(t); m != nil {
		num, value := m[1], m[2]
		if num == "" { // the English form
			num, value = m[3], m[4]
		}
		if n, ok := listNumber(num); ok {
			return deductionEdit{N: n, Value: strings.TrimSpace(value)}, true
		}
	}
	return deductionEdit{}, false
}

var (
	deductionRemoval = regexp.MustCompile(`^(?:删除|删掉|去掉|删|不要|remove|delete|drop)\s*(?:第|no\.?|number|deduction|#)?\s*([0-9]{1,2}|[一二三四五六七八九十]{1,2})\s*(?:笔|个|条)?(?:扣款)?$`)
	deductionChange  = regexp.MustCompile(`^(?:change|set)?\s*(?:第|no\.?|number|deduction|#)?\s*([0-9]{1,2}|[一二三四五六七八九十]{1,2})\s*(?:笔|条)(?:扣款)?\s*(?:的)?\s*(?:金额|日期|钱)?\s*(?:改成|改为|改|应该是|应为|是|换成|=|:)\s*(.+)$|^(?:change|set)?\s*(?:no\.?|number|deduction|#)?\s*([0-9]{1,2})\s+(?:to|is|should be|=)\s+(.+)$`)
)

// listNumber reads a number in the deductions list: "2", "二".
func listNumber(s string) (int, bool) {
	if d, ok := chineseNumber(s); ok {
		s = d
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// asks reads a short refused text for a request for a person ("human": "can I talk to a real
// person", "有没有人工") or a question about the question ("help": "why do you need this",
// "这是干什么用的"); "" for anything else. It is asked only of text a question refused, so a story
// that mentions 人工客服 is never read so.
func asks(text string) string {
	t := simplified(strings.ToLower(foldWidth(text)))
	if utf8.RuneCountInString(t) > maxMentioned {
		return ""
	}
	for _, w := range []string{"人工", "真人", "real person", "human", "talk to someone", "speak to someone", "a person"} {
		if strings.Contains(t, w) {
			return "human"
		}
	}
	for _, w := range []string{"为什么", "干什么用", "有什么用", "什么意思", "啥意思", "不明白", "不懂", "看不懂", "why", "what does", "what is this",
		"don't understand", "dont understand", "what do you mean"} {
		if strings.Contains(t, w) {
			return "help"
		}
	}
	return ""
}
