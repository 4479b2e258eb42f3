package paste

// traditional maps the traditional characters of the words the reader looks for to their
// simplified forms, so that a message written in traditional characters (from Hong Kong,
// Taiwan or a phone set to them: 註銷服務費199元已從結算款中扣除) is read as its simplified
// twin. It holds the characters of this domain's words, not a whole conversion table; a
// character with several simplified forms in other words is left out. Each pair maps one
// rune to one rune of the same UTF-8 length, so offsets in a folded line stay those of the
// line.
var traditional = map[rune]rune{
	'註': '注', '銷': '销', '費': '费', '務': '务', '從': '从', '結': '结', '將': '将', '於': '于',
	'帳': '账', '賬': '账', '戶': '户', '機': '机', '終': '终', '銀': '银', '錢': '钱', '隨': '随',
	'額': '额', '餘': '余', '號': '号', '為': '为', '請': '请', '電': '电', '話': '话', '聯': '联',
	'詢': '询', '據': '据', '單': '单', '續': '续', '轉': '转', '還': '还', '證': '证', '確': '确',
	'實': '实', '際': '际', '資': '资', '達': '达', '標': '标', '準': '准', '動': '动', '劃': '划',
	'條': '条', '協': '协', '議': '议', '約': '约', '規': '规', '現': '现', '時': '时', '間': '间',
	'數': '数', '員': '员', '會': '会', '萬': '万', '億': '亿', '專': '专', '開': '开', '關': '关',
	'處': '处', '辦': '办', '變': '变', '調': '调', '價': '价', '說': '说', '無': '无', '與': '与',
	'這': '这', '個': '个', '們': '们', '來': '来', '對': '对', '應': '应', '該': '该', '區': '区',
	'發': '发', '類': '类', '種': '种', '項': '项', '營': '营', '業': '业', '統': '统', '網': '网',
	'碼': '码', '設': '设', '備': '备', '總': '总', '計': '计', '記': '记', '錄': '录', '詳': '详',
	'細': '细', '儲': '储', '貸': '贷', '積': '积', '獎': '奖', '勵': '励', '補': '补', '貼': '贴',
	'紅': '红', '優': '优', '潤': '润', '賠': '赔', '沖': '冲', '敗': '败', '凍': '冻', '擬': '拟',
	'預': '预', '屆': '届', '後': '后', '術': '术', '訊': '讯', '產': '产', '筆': '笔', '當': '当',
	'嗎': '吗', '沒': '没', '給': '给', '幣': '币', '並': '并', '僅': '仅', '臺': '台', '裡': '里',
	'裏': '里', '讓': '让', '則': '则', '啟': '启', '週': '周', '內': '内', '繳': '缴', '納': '纳',
	'須': '须', '減': '减', '權': '权', '雲': '云', '閃': '闪', '樂': '乐', '匯': '汇', '鋪': '铺',
	'場': '场', '簽': '签', '購': '购', '買': '买', '賣': '卖', '貨': '货', '齡': '龄', '歲': '岁',
	'東': '东', '車': '车', '頁': '页', '態': '态', '維': '维', '護': '护', '撥': '拨', '歷': '历',
	'獲': '获', '級': '级', '經': '经', '託': '托', '嚴': '严', '騙': '骗', '訴': '诉', '舉': '举',
	'報': '报', '門': '门', '檢': '检', '閱': '阅', '絡': '络', '傳': '传', '層': '层', '組': '组',
	'織': '织', '庫': '库',
}

// hanFirst and hanLast bound the CJK Unified Ideographs block, where traditional's keys are.
const hanFirst, hanLast = 0x4E00, 0x9FFF

// isTraditional has bit r-hanFirst set for each key of traditional: most characters of a
// line are not in the table, and a bit test is cheaper than a map lookup.
var isTraditional = func() *[(hanLast - hanFirst + 64) / 64]uint64 {
	var bits [(hanLast - hanFirst + 64) / 64]uint64
	for r := range traditional {
		bits[(r-hanFirst)/64] |= 1 << ((r - hanFirst) % 64)
	}
	return &bits
}()

// simplified returns the simplified form of r when it is a traditional character of the
// table, else r.
func simplified(r rune) rune {
	if r < hanFirst || r > hanLast || isTraditional[(r-hanFirst)/64]&(1<<((r-hanFirst)%64)) == 0 {
		return r
	}
	return traditional[r]
}
