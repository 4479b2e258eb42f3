package storage

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"complaintbot/flows"
)

var update = flag.Bool("update", false, "rewrite MEMORY.md with the figures TestMemory measures")

// sessionBudget is the most a session may take in Redis, key and overhead included.
const sessionBudget = 2048

// states lists the conversation's states in the order a user meets them.
func states() []flows.State {
	return []flows.State{
		flows.StateConsent, flows.StateComplainant, flows.StateCharge,
		flows.StateProvider, flows.StateProviderName, flows.StateAmount, flows.StateDeductionDate,
		flows.StateMethod, flows.StateMoreDeductions, flows.StateDisclosure, flows.StateLearned,
		flows.StateContractDate, flows.StateContractChan, flows.StateAgent, flows.StateDevice,
		flows.StateMerchantName, flows.StateMerchantNumber, flows.StateNegotiated, flows.StateNegDate,
		flows.StateNegChannel, flows.StateNegTicket, flows.StateNegReply, flows.StateProceedings,
		flows.StateDescription, flows.StateRequests, flows.StateOtherRequest, flows.StateEvidence,
		flows.StateContactName, flows.StateContactPhone, flows.StateContactCity,
		flows.StateContactAddress, flows.StateBody, flows.StateReview, flows.StateSubmitted,
		flows.StateClosed,
	}
}

// description is a user's story of 300 characters, not repetitive, so it compresses as a real
// one would.
func description(runes int) string {
	const story = "二〇二二年五月，拉卡拉的业务员在我店里推销POS机，当时口头承诺机器免费、没有任何年费，" +
		"只需要激活时刷一笔。使用一年多以后，我在二〇二四年三月查看结算明细时发现，平台从我的结算款里直接" +
		"扣了一百九十九元，备注是流量卡年费。我从来没有收到过任何短信或者书面通知，合同里也没有人给我指出" +
		"这一条。九月份又扣了九十九元，我打客服电话要求解释，客服只说是系统自动收取，无法退还，也没有给我" +
		"任何书面说明。后来我申请注销这台机器，又被告知要交一百九十九元注销费才可以办理。我认为对方没有以" +
		"显著方式提示这些费用，属于单方面加重我的责任，请求退还全部扣款并停止扣费。另外，业务员当初留下的" +
		"电话已经停机，代理公司也找不到了，我只能直接向支付公司投诉。希望有关部门督促其依法处理，给出书面答复。" +
		"此前我在支付公司的应用里提交过两次工单，均被系统自动关闭，没有人工回复。"
	s := strings.Repeat(story, runes/utf8.RuneCountInString(story)+1)
	return string([]rune(s)[:runes])
}

// randomText returns n random characters of the 3,000 CJK code points from U+4E00: text that
// compresses about as badly as Chinese can, for the ceiling.
func randomText(rnd *rand.Rand, n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(0x4E00 + rnd.IntN(3000))
	}
	return string(r)
}

// telegramID returns n random base64url characters: Telegram's file ids do not compress.
func telegramID(rnd *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rnd.Uint32())
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// answer records in s what a user answers in state st, as a thorough user would.
func answer(s *flows.Session, st flows.State, rnd *rand.Rand, at time.Time) {
	d := &s.Draft
	switch st {
	case flows.StateConsent:
		s.Lang, d.Lang = flows.LangZH, flows.LangZH
		s.Consented = true
	case flows.StateComplainant:
		d.Complainant = flows.Individual
	case flows.StateCharge:
		d.Charge = flows.SIMFee
	case flows.StateProvider:
		d.Provider = flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"}
	case flows.StateAmount:
		s.Pend = flows.Deduction{Amount: 19900}
	case flows.StateDeductionDate:
		s.Pend.Date = "2024-03-01"
	case flows.StateMethod:
		s.Pend.Method = flows.FromSettlement
		s.Pend.Label = "流量卡年费"
		d.Deductions = append(d.Deductions, s.Pend)
		s.Pend = flows.Deduction{}
	case flows.StateMoreDeductions: // two more rounds of amount, date, method
		d.Deductions = append(d.Deductions,
			flows.Deduction{Date: "2024-09-01", Amount: 9900, Method: flows.FromSettlement, Label: "流量卡费"},
			flows.Deduction{Date: "2024-10-12", Amount: 19900, Method: flows.FromBankCard, Label: "注销费"})
	case flows.StateDisclosure:
		d.Disclosure = flows.NotTold
	case flows.StateLearned:
		d.LearnedOn = "2024-03-05"
	case flows.StateContractDate:
		d.ContractDate = "2022-05-10"
	case flows.StateContractChan:
		d.ContractChannel = flows.ChannelAgent
	case flows.StateAgent:
		d.Agent = "业务员李某，微信号li_pos_888，说机器免费、没有年费，押金激活后全部返还"
	case flows.StateDevice:
		d.DeviceSN = "00003302K9123456789"
	case flows.StateMerchantName:
		d.MerchantName = "深圳市南山区张记便利店"
	case flows.StateMerchantNumber:
		d.MerchantNumber = "822584053990123"
	case flows.StateNegotiated:
		d.Negotiation.Tried = true
	case flows.StateNegDate:
		d.Negotiation.Date = "2024-09-05"
	case flows.StateNegChannel:
		d.Negotiation.Channel = flows.ChannelHotline
	case flows.StateNegTicket:
		d.Negotiation.Ticket = "GD202409050012345"
	case flows.StateNegReply:
		d.Negotiation.Reply = "客服说这是系统自动收取的流量卡年费，按协议不予退还，注销需另交费用。"
	case flows.StateProceedings:
		d.Proceedings = flows.ProceedingsNone
	case flows.StateDescription:
		d.Description = description(300)
	case flows.StateRequests:
		d.Requests = []flows.RequestKind{flows.RequestRefund, flows.RequestStop, flows.RequestExplanation}
	case flows.StateEvidence: // an album of three screenshots
		album := "13579246801357924"
		for i := range 3 {
			e := flows.Evidence{Kind: flows.EvidencePhoto, FileID: "AgACAgUAAxkBAAI" + telegramID(rnd, 69),
				UniqueID: "AQAD" + telegramID(rnd, 12), Size: 180000 + int64(i)*7919, AlbumID: album,
				ReceivedAt: at}
			if i == 0 {
				e.Caption = "结算明细截图，3月1日扣款199元"
			}
			d.Evidence = append(d.Evidence, e)
		}
	case flows.StateContactName:
		d.Contact.Name = "张伟"
	case flows.StateContactPhone:
		d.Contact.Phone = "13800138000"
	case flows.StateContactCity:
		d.Contact.City = "深圳"
	case flows.StateContactAddress:
		d.Contact.Address = "广东省深圳市南山区科技园南区高新南七道12号"
	case flows.StateBody:
		d.Body = "深圳市消费者委员会"
	case flows.StateReview: // confirmed: flows starts an empty draft, storage sets LastCase
		s.Draft = flows.Complaint{Chat: s.Chat, User: d.User, Lang: s.Lang}
		s.LastCase = "C-000123"
	}
	s.Prompt++
}

// sessionAt returns the session of a thorough user arriving at the i-th state.
func sessionAt(chat int64, i int, at time.Time) flows.Session {
	rnd := rand.New(rand.NewPCG(1, 2))
	s := flows.NewSession(chat)
	s.Draft.User = chat
	for _, st := range states()[:i] {
		answer(&s, st, rnd, at)
	}
	s.State = states()[i]
	return s
}

// worstSession is a draft at every limit flows allows: the largest a session gets.
func worstSession(chat int64, at time.Time) flows.Session {
	rnd := rand.New(rand.NewPCG(3, 4))
	s := sessionAt(chat, len(states())-3, at) // at review
	d := &s.Draft
	d.Description = randomText(rnd, 1000)
	d.Agent = randomText(rnd, 300)
	d.Negotiation.Reply = randomText(rnd, 500)
	d.OtherRequest = randomText(rnd, 200)
	for len(d.Deductions) < 20 {
		d.Deductions = append(d.Deductions, d.Deductions[len(d.Deductions)%3])
	}
	d.Evidence = nil
	for range 30 {
		d.Evidence = append(d.Evidence, flows.Evidence{Kind: flows.EvidencePhoto,
			FileID: "AgACAgUAAxkBAAI" + telegramID(rnd, 69), UniqueID: "AQAD" + telegramID(rnd, 12),
			Size: 180000, AlbumID: "13579246801357924", Caption: randomText(rnd, 200), ReceivedAt: at})
	}
	return s
}

// TestMemory measures the Redis bytes of a session in every state and of a finished complaint,
// holds sessions to the budget, and with -update writes the figures to MEMORY.md.
func TestMemory(t *testing.T) {
	clk := newClock()
	r := realRedis(t, Options{Now: clk.now})
	ctx := testCtx(t)
	at := clk.now()
	usage := func(key string) int64 {
		t.Helper()
		n, err := r.MemoryUsage(ctx, key)
		if err != nil || n == 0 {
			t.Fatalf("MEMORY USAGE %s = %d, %v", key, n, err)
		}
		return n
	}
	var doc strings.Builder
	info, err := r.rdb.Info(ctx, "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	version := "?"
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "redis_version:"); ok {
			version = v
		}
	}
	fmt.Fprintf(&doc, `# Redis memory

What one chat costs in Redis, measured by TestMemory with `+"`MEMORY USAGE`"+` (key, value and
allocator overhead included) against redis-server %s (jemalloc), 64-bit. Regenerate with
`+"`go test ./storage -run TestMemory -update`"+`.

The chat id is a 9-digit private chat. A session above %d bytes of JSON (a complaint record
above %d) is stored compressed as an S2 block primed with a fixed dictionary of the JSON keys,
enum values and domain words, when that is shorter (S2 rather than DEFLATE for speed; see
codec.go): "JSON" is the size before, "stored" the value's size after, "MEMORY USAGE" what
Redis takes for it, and "uncompressed" what it would take stored as plain JSON.

## Sessions, one per state

A thorough user's session arriving at each state: every earlier question answered — three
deductions, a 300-character Chinese description, an album of three photos (Telegram file ids
are random and do not compress), full contact details. Confirming at review stores the
complaint and empties the draft, so the session shrinks again. The budget is %d bytes.

| state | JSON bytes | stored bytes | MEMORY USAGE | uncompressed |
|---|---:|---:|---:|---:|
`, version, compressAbove, recordCompressAbove, sessionBudget)

	chat := int64(700000000)
	var largest int64
	for i, st := range states() {
		s := sessionAt(chat, i, at)
		js, _ := json.Marshal(s)
		if _, err := r.Commit(ctx, flows.Result{Session: s}, 1); err != nil {
			t.Fatal(err)
		}
		n := usage(sessionKey(chat))
		stored, _ := r.rdb.StrLen(ctx, sessionKey(chat)).Result()
		// The same key name holding "<version>:" and the plain JSON.
		plain := sessionKey(chat + 1_000_000)
		s.Version = 0
		pjs, _ := json.Marshal(s)
		if err := r.rdb.Set(ctx, plain, "1:"+string(pjs), 0).Err(); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&doc, "| %s | %d | %d | %d | %d |\n", st, len(js), stored, n, usage(plain))
		if n > sessionBudget {
			t.Errorf("session at %s takes %d bytes, over the %d budget", st, n, sessionBudget)
		}
		largest = max(largest, n)
		chat++
	}
	t.Logf("largest session: %d bytes", largest)

	w := worstSession(chat, at)
	wjs, _ := json.Marshal(w)
	if _, err := r.Commit(ctx, flows.Result{Session: w}, 1); err != nil {
		t.Fatal(err)
	}
	wn := usage(sessionKey(chat))
	wstored, _ := r.rdb.StrLen(ctx, sessionKey(chat)).Result()
	fmt.Fprintf(&doc, `
Largest of these: %d bytes. A draft at every limit flows allows (1,000-character description,
300-character agent, 500-character reply, 200-character other request, 20 deductions, 30 photos
each with a 200-character caption; random characters, which compress worse than prose) is the
ceiling, not the rule: JSON %d bytes, stored %d, MEMORY USAGE %d. Such a session is legal and
works; it only exceeds the budget.
`, largest, len(wjs), wstored, wn)

	// A finished complaint through its life, and the chat's other keys.
	chat++
	full := sessionAt(chat, len(states())-3, at).Draft
	_, c, err := r.Apply(ctx, chat, 1, storeStep(full))
	if err != nil {
		t.Fatal(err)
	}
	id := c.CaseID
	cjs, _ := json.Marshal(full)
	submittedN := usage(caseKey(id))
	if _, _, err := r.Apply(ctx, chat, 2, escalateStep(id)); err != nil {
		t.Fatal(err)
	}
	escalatedN := usage(caseKey(id))
	for u := int64(3); u <= 40; u++ { // the rest of a 40-update conversation
		if _, _, err := r.Apply(ctx, chat, u, stepOf(commitStep)); err != nil {
			t.Fatal(err)
		}
	}
	liveN := usage(sessionKey(chat))
	seenN := usage(seenKey(chat))
	indexN := usage(casesKey(chat))
	streamN := usage(streamKey)
	for range 100 {
		if err := r.rdb.XAdd(ctx, &redis.XAddArgs{Stream: streamKey, Values: []string{"case", "C-000123"}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	perEntry := (usage(streamKey) - streamN) / 100
	if err := r.rdb.XTrimMaxLen(ctx, streamKey, 1).Err(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Apply(ctx, chat, 41, eraseStep); err != nil {
		t.Fatal(err)
	}
	erasedN := usage(caseKey(id))
	tombN := usage(sessionKey(chat))
	seenAfterN := usage(seenKey(chat))
	fmt.Fprintf(&doc, `
## A finished complaint and the chat's other keys

| what | MEMORY USAGE |
|---|---:|
| complaint record, submitted (the review-state draft above; JSON %d bytes) | %d |
| the same, escalated (one more history entry) | %d |
| the same, erased (personal fields scrubbed) | %d |
| update ids seen, after a 40-update conversation (`+"`{chat:<id>}:u`"+`) | %d |
| case index with one case (`+"`{chat:<id>}:cases`"+`) | %d |
| escalation stream holding one entry (a fixed cost: one 4 KB listpack node) | %d |
| each further entry, until acknowledged (acknowledged entries are deleted) | %d |
| session after erasure (fresh, keeping only the language) | %d |
| update ids after erasure (the erasing one) | %d |

The outbox list exists only between a commit and its flush. A chat that has finished one
complaint thus holds about %d bytes while its session lives (%d bytes for the closed session,
%d-day idle TTL; the update ids expire a day to a day and a half after the last update) and %d bytes afterwards (the index and the
record, which do not expire).
`, len(cjs), submittedN, escalatedN, erasedN, seenN, indexN, streamN, perEntry, tombN, seenAfterN,
		liveN+seenN+indexN+escalatedN, liveN, int(r.ttl/(24*time.Hour)), indexN+escalatedN)

	t.Log("\n" + doc.String())
	if *update {
		if err := os.WriteFile("MEMORY.md", []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
