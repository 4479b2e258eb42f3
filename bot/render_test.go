package bot

import (
	"strings"
	"testing"
	"time"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/locales"
)

// TestDelivery checks what a user gets after "confirm" and on the letters' buttons: the .docx
// alone (an English speaker also the English rendering, captioned as for reading only), the
// full text only on its button, and the 举报信 with a word on where to file it.
func TestDelivery(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.New()
	if err != nil {
		t.Fatal(err)
	}
	r := renderer{cat: cat, docs: docs}
	c := flows.Complaint{
		ID: "C-000007", Complainant: flows.Consumer, Charge: flows.DeregistrationFee,
		Provider:   flows.Provider{Key: "lakala", Name: "拉卡拉支付股份有限公司"},
		Deductions: []flows.Deduction{{Date: "2024-05-01", Amount: 19900, Method: flows.FromSettlement}},
		Requests:   []flows.RequestKind{flows.RequestRefund},
		Contact:    flows.Contact{Name: "张三", Phone: "13800138000"},
		Body:       "北京市市场监督管理局",
		CreatedAt:  time.Date(2024, 5, 20, 2, 0, 0, 0, time.UTC),
	}
	for _, tc := range []struct {
		lang  flows.Lang
		files int
	}{{flows.LangZH, 1}, {flows.LangEN, 2}} {
		outs, err := r.document(tc.lang, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != tc.files {
			t.Fatalf("%s: %d messages after confirm, want %d files", tc.lang, len(outs), tc.files)
		}
		captions := map[string]bool{}
		for _, o := range outs {
			if o.File == nil {
				t.Fatalf("%s: a text message after confirm: the full text belongs on its button", tc.lang)
			}
			captions[o.File.Caption] = true
		}
		if len(captions) != tc.files {
			t.Errorf("%s: the files share a caption: %v", tc.lang, captions)
		}
		if tc.lang == flows.LangEN && !strings.Contains(outs[1].File.Caption, "reading only") {
			t.Errorf("the English rendering's caption %q does not say it is for reading only", outs[1].File.Caption)
		}

		full, err := r.letter(tc.lang, c, flows.LetterComplaintText)
		if err != nil {
			t.Fatal(err)
		}
		if len(full) == 0 || full[0].File != nil || !strings.Contains(full[0].Text, "投诉书") {
			t.Errorf("%s: the full text button gives %+v", tc.lang, full)
		}

		report, err := r.letter(tc.lang, c, flows.LetterReport)
		if err != nil {
			t.Fatal(err)
		}
		var files, texts int
		for _, o := range report {
			if o.File != nil {
				files++
				if !strings.HasPrefix(o.File.Name, "举报信-") && !strings.HasPrefix(o.File.Name, "report-") {
					t.Errorf("%s: report file named %q", tc.lang, o.File.Name)
				}
			} else {
				texts++
			}
		}
		if files != tc.files || texts < 2 || !strings.Contains(report[0].Text, "北京市市场监督管理局") {
			t.Errorf("%s: the 举报信 button gives %d files and %d texts, the first %q", tc.lang, files, texts, report[0].Text)
		}
	}
}

// TestKeyboardLayout checks how buttons are laid out: two short ones to a row, a long one
// (more than 12 characters) alone, every button alone when there are three or fewer; and that
// a row taken from the keyboard and appended to does not change the next row.
func TestKeyboardLayout(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := renderer{cat: cat}
	const long = "一二三四五六七八九十一二三"
	for _, tc := range []struct {
		labels []string
		want   string // the rows' labels, rows separated by "|"
	}{
		{[]string{"a", "b", "c"}, "a|b|c"},
		{[]string{"a", "b", "c", "d"}, "a b|c d"},
		{[]string{"a", "b", "c", "d", "e"}, "a b|c d|e"},
		{[]string{"a", long, "c", "d", "e"}, "a|" + long + "|c d|e"},
		{[]string{"a", "b", long, long, "e", "f", "g"}, "a b|" + long + "|" + long + "|e f|g"},
		{[]string{long, "b", "c", "d", long}, long + "|b c|d|" + long},
		{[]string{"a"}, "a"},
	} {
		var cs []flows.Choice
		for i, l := range tc.labels {
			cs = append(cs, flows.Choice{Key: "provider_button", Args: map[string]any{"Name": l}, Data: string(rune('0' + i))})
		}
		kb, err := r.keyboard(flows.LangZH, cs)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		n := 0
		for _, row := range kb.InlineKeyboard {
			var ls []string
			for _, b := range row {
				if b.CallbackData != string(rune('0'+n)) {
					t.Errorf("%v: button %d carries %q", tc.labels, n, b.CallbackData)
				}
				n++
				ls = append(ls, b.Text)
			}
			rows = append(rows, strings.Join(ls, " "))
		}
		if got := strings.Join(rows, "|"); got != tc.want {
			t.Errorf("%v: rows %s, want %s", tc.labels, got, tc.want)
		}
		if len(kb.InlineKeyboard) > 1 {
			first := kb.InlineKeyboard[0]
			next := kb.InlineKeyboard[1][0].Text
			_ = append(first, first[0])
			if kb.InlineKeyboard[1][0].Text != next {
				t.Errorf("%v: appending to the first row changed the second", tc.labels)
			}
		}
	}
}
