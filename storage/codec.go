package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"complaintbot/flows"

	"github.com/klauspost/compress/s2"
)

// compressAbove is the JSON size from which a session is stored compressed. Below it a session
// is well inside its 2 KB budget as it is, and compressing on every commit costs more CPU than
// the bytes are worth (S2 clears a 64 KB table on the stack for every block); plain JSON is
// also easier to read with redis-cli.
const compressAbove = 1024

// recordCompressAbove is the same for complaint records, which are written a few times and
// kept for years (erased ones too, for the statistics): their bytes matter more than the CPU.
const recordCompressAbove = 256

// maxPayload bounds a decompressed payload, against a corrupt or hostile value.
const maxPayload = 1 << 20

// dictionary primes the S2 compressor with what every session and complaint is made of — the
// JSON keys, the values of the flows enums, the providers offered as buttons, the receiving
// bodies, the vocabulary of DOMAIN.md, the start of Telegram's file ids — so that short payloads
// compress too. It holds no user's text. Stored values depend on it: it must never change; a
// better one would get a new payload prefix beside "s", and this one would stay to decode old
// values. The most frequent parts come last, where matches reach
// them with the shortest distances.
const dictionary = `"ct":"consumer","ct":"company","ck":"deregistration_fee","ck":"service_fee",` +
	`"ck":"rate_increase","ck":"other","ds":"fine_print","ds":"told_no_agree","ds":"agreed",` +
	`"ds":"not_sure","pr":"consumer_association","pr":"12315","pr":"pboc","pr":"court","pr":"other",` +
	`"cc":"app","cc":"offline","cc":"other","m":"bank_card","m":"wallet","m":"other","lang":"en",` +
	`"rq":["deregister","other"],"ro":"","k":"document","m":"application/pdf","n":".pdf","k":"text",` +
	`"m":"image/jpeg","f":"BQACAgUAAxkBAAI","q":"AgAD","hi":[{"s":"claimed","b":"staff:"},` +
	`{"s":"waiting_user","n":""},{"s":"resolved"},{"s":"rejected"}],{"s":"escalated","t":"202",` +
	`"b":"user"}],"p":"cancel","p":"restart","p":"delete","e":true,` +
	`"s":"language","s":"consent","s":"complainant","s":"charge","s":"provider","s":"provider_name",` +
	`"s":"deduction_amount","s":"deduction_date","s":"deduction_method","s":"deduction_more",` +
	`"s":"disclosure","s":"learned","s":"contract_date","s":"contract_channel","s":"agent",` +
	`"s":"device","s":"merchant_name","s":"merchant_number","s":"negotiated","s":"negotiation_date",` +
	`"s":"negotiation_channel","s":"negotiation_ticket","s":"negotiation_reply","s":"proceedings",` +
	`"s":"description","s":"requests","s":"other_request","s":"evidence","s":"contact_name",` +
	`"s":"contact_phone","s":"contact_city","s":"contact_address","s":"body","s":"submitted",` +
	`"s":"closed","pv":{"k":"shengpay","n":"上海盛付通电子支付服务有限公司"},` +
	`"pv":{"k":"ruiyinxin","n":"瑞银信支付技术有限公司"},"pv":{"k":"yinsheng","n":"银盛支付服务股份有限公司"},` +
	`"bo":"中国人民银行分行","bo":"市场监督管理局","bo":"消费者委员会",` +
	`注销扣费，流量卡费，SIM年费，服务费，押金，激活费，费率上调，结算款调账，银行卡，钱包，结算明细，` +
	`调账记录，没有通知，短信，合同，协议，代理商，业务员，承诺，免费，退还，扣款，扣费，客服，投诉，元。` +
	`{"id":"C-000","chat":0,"user":,"lang":"zh-CN","ct":"individual","ck":"sim_fee",` +
	`"pv":{"k":"lakala","n":"拉卡拉支付股份有限公司"},"dd":[{"d":"202","a":,"m":"settlement","l":""}],` +
	`"ds":"not_told","lo":"202","cd":"202","cc":"agent","ag":"","sn":"","mn":"","mo":"",` +
	`"ng":{"t":true,"d":"202","c":"hotline","k":"","r":""},"pr":"none","de":"",` +
	`"rq":["refund","stop","explanation"],"ev":[{"k":"photo","f":"AgACAgUAAxkBAAI","q":"AQAD",` +
	`"z":,"g":"","c":"","t":"202"}],"co":{"n":"","p":"1","c":"","a":"省市区路号"},"bo":"消费者协会",` +
	`"at":"202","st":"submitted","hi":[{"s":"submitted","t":"202","b":"user"}]}` +
	`{"s":"review","l":"zh-CN","ok":true,"n":,"pd":{"d":"202","a":,"m":"settlement"},"lc":"C-000",` +
	`"d":{"chat":0,"user":,"lang":"zh-CN",`

// codec turns sessions and complaints into stored values and back. Sessions above compressAbove
// and records above recordCompressAbove are stored as S2 blocks primed with dictionary ("s…"):
// a few microseconds either way (DEFLATE with the same dictionary took 80 µs to compress a
// session at the review, a tenth of the bot's CPU per update). The zero codec is ready to use.
type codec struct {
	once sync.Once
	dict *s2.Dict
}

// s2Dict is dictionary as an S2 dictionary, made on first use.
func (c *codec) s2Dict() *s2.Dict {
	c.once.Do(func() { c.dict = s2.MakeDict([]byte(dictionary), []byte(`{"s":"`)) })
	return c.dict
}

// pack returns js as a payload: js itself if it is no longer than above, else "s" and js
// compressed (with dictionary) if that is shorter.
func (c *codec) pack(js []byte, above int) string {
	if len(js) <= above {
		return string(js)
	}
	b := make([]byte, 1+s2.MaxEncodedLen(len(js)))
	b[0] = 's'
	z := c.s2Dict().Encode(b[1:], js) // b[1:] is large enough: z is in b
	if len(z) >= len(js) {
		return string(js)
	}
	return string(b[:1+len(z)])
}

// unpack returns the JSON of a payload.
func (c *codec) unpack(p string) ([]byte, error) {
	switch {
	case p == "":
		return nil, errors.New("empty payload")
	case p[0] == '{':
		return []byte(p), nil
	case p[0] == 's':
		src := []byte(p[1:])
		n, err := s2.DecodedLen(src)
		if err != nil {
			return nil, fmt.Errorf("decompress: %w", err)
		}
		if n > maxPayload {
			return nil, errors.New("payload too large")
		}
		b, err := c.s2Dict().Decode(make([]byte, n), src)
		if err != nil {
			return nil, fmt.Errorf("decompress: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("unknown payload encoding %q", p[0])
	}
}

// encodeSession returns the stored form of s: "<version>:<payload>", to which commit.lua adds
// the chat's bookkeeping after the version (header). The version lives in the header, where
// commit.lua reads it, not in the JSON. Nor does the chat id, which the key holds:
// a session's value names nobody by itself.
func (c *codec) encodeSession(s flows.Session) (string, error) {
	head := strconv.FormatInt(s.Version, 10) + ":"
	s.Version = 0
	if s.Draft.Chat == s.Chat {
		s.Draft.Chat = 0
	}
	s.Chat = 0
	js, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("encode session: %w", err)
	}
	return head + c.pack(js, compressAbove), nil
}

// header is the bookkeeping commit.lua keeps before a session's payload: "v,l,r,n,o,s0,s1,s2,s3"
// (see commit.lua). A value written before these fields existed has the version alone: known is
// false, and every check they spare is made.
type header struct {
	version int64
	known   bool
	last    int64    // the highest update id committed
	outbox  bool     // the outbox may hold entries
	slots   [4]int64 // the update whose replies each slot of {chat:<id>}:r holds; 0: none
}

// slotOf returns the slot holding update id's replies, or -1.
func (h header) slotOf(id int64) int {
	for i, u := range h.slots {
		if u == id && id != 0 {
			return i
		}
	}
	return -1
}

// parseHeader reads the header of a stored session and returns it with the payload.
func parseHeader(raw string) (header, string, error) {
	head, payload, ok := strings.Cut(raw, ":")
	if !ok {
		return header{}, "", errors.New("decode session: no version")
	}
	ver, rest, more := strings.Cut(head, ",")
	v, err := strconv.ParseInt(ver, 10, 64)
	if err != nil {
		return header{}, "", fmt.Errorf("decode session: version: %w", err)
	}
	h := header{version: v}
	if !more {
		return h, payload, nil
	}
	var f [8]int64
	for i := range f {
		var x string
		x, rest, _ = strings.Cut(rest, ",")
		if f[i], err = strconv.ParseInt(x, 10, 64); err != nil {
			return header{}, "", fmt.Errorf("decode session: header: %w", err)
		}
	}
	h.known, h.last, h.outbox = true, f[0], f[3] != 0
	copy(h.slots[:], f[4:])
	return h, payload, nil
}

// decodeSession reads a stored session of chat.
func (c *codec) decodeSession(chat int64, raw string) (flows.Session, error) {
	s, _, err := c.decodeStored(chat, raw)
	return s, err
}

// decodeStored reads a stored session of chat and its header.
func (c *codec) decodeStored(chat int64, raw string) (flows.Session, header, error) {
	h, payload, err := parseHeader(raw)
	if err != nil {
		return flows.Session{}, header{}, err
	}
	js, err := c.unpack(payload)
	if err != nil {
		return flows.Session{}, header{}, fmt.Errorf("decode session: %w", err)
	}
	var s flows.Session
	if err := json.Unmarshal(js, &s); err != nil {
		return flows.Session{}, header{}, fmt.Errorf("decode session: %w", err)
	}
	s.Version, s.Chat = h.version, chat
	if s.Draft.Chat == 0 {
		s.Draft.Chat = chat
	}
	return s, h, nil
}

// encodeCase returns the stored form of a complaint: "<revision>:<payload>".
func (c *codec) encodeCase(rev int64, cp flows.Complaint) (string, error) {
	js, err := json.Marshal(cp)
	if err != nil {
		return "", fmt.Errorf("encode complaint: %w", err)
	}
	return strconv.FormatInt(rev, 10) + ":" + c.pack(js, recordCompressAbove), nil
}

// decodeCase reads a stored complaint and its revision.
func (c *codec) decodeCase(raw string) (int64, flows.Complaint, error) {
	rev, payload, ok := strings.Cut(raw, ":")
	if !ok {
		return 0, flows.Complaint{}, errors.New("decode complaint: no revision")
	}
	n, err := strconv.ParseInt(rev, 10, 64)
	if err != nil {
		return 0, flows.Complaint{}, fmt.Errorf("decode complaint: revision: %w", err)
	}
	js, err := c.unpack(payload)
	if err != nil {
		return 0, flows.Complaint{}, fmt.Errorf("decode complaint: %w", err)
	}
	var cp flows.Complaint
	if err := json.Unmarshal(js, &cp); err != nil {
		return 0, flows.Complaint{}, fmt.Errorf("decode complaint: %w", err)
	}
	return n, cp, nil
}

// Readable returns a stored value with each compressed payload in it ("z…" at the start or
// after a ':') followed by its JSON, for whoever inspects the keyspace: a test, or an operator
// checking that an erasure left nothing personal.
func Readable(v string) string {
	var c codec
	out := []string{v}
	for i := 0; i < len(v); i++ {
		if (v[i] == 'z' || v[i] == 's') && (i == 0 || v[i-1] == ':') {
			if js, err := c.unpack(v[i:]); err == nil {
				out = append(out, string(js))
			}
		}
	}
	return strings.Join(out, "\n")
}
