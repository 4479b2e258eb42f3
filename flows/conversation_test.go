package flows_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaintbot/document"
	"complaintbot/flows"
	"complaintbot/internal/script"
	"complaintbot/locales"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// china is the users' time zone, fixed so the tests need no tzdata.
func china() *time.Location { return time.FixedZone("CST", 8*3600) }

// dialog plays a conversation through flows.Step and keeps its transcript, rendered with the
// real catalogs, so that every key a conversation produces must exist and render.
type dialog struct {
	t        *testing.T
	cat      *locales.Catalog
	s        flows.Session
	now      time.Time
	replies  []flows.Reply
	log      strings.Builder
	finished *flows.Complaint
	effects  []flows.Effect
	langCode string
	noStaff  bool
	nextCase int
	answer   string // what the bot answered to the latest input, as rendered into log
	files    int    // files sent so far, numbering the fake file ids
}

func newDialog(t *testing.T, langCode string) *dialog {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &dialog{t: t, cat: cat, s: flows.NewSession(1001), now: time.Date(2026, 11, 21, 10, 0, 0, 0, china()), langCode: langCode}
}

// send steps with in and checks the state it ends in ("": any).
func (d *dialog) send(in flows.Input, want flows.State) {
	d.t.Helper()
	start := d.log.Len()
	defer func() { d.answer = d.log.String()[start:] }()
	in.Now, in.User, in.LanguageCode, in.NoEscalation, in.Labels = d.now, 1001, d.langCode, d.noStaff, d.cat
	d.now = d.now.Add(time.Minute)
	res, err := flows.Step(context.Background(), d.s, in)
	if err != nil {
		d.t.Fatalf("step: %v", err)
	}
	d.s = res.Session
	d.replies = res.Replies
	d.effects = append(d.effects, res.Effects...)
	if c := res.Complaint(); c != nil {
		// what storage does: give the complaint its id and remember it
		d.nextCase++
		c.ID = fmt.Sprintf("C-%06d", d.nextCase)
		d.s.LastCase = c.ID
		d.finished = c
	}
	for _, r := range res.Replies {
		if r.Document {
			fmt.Fprintln(&d.log, "[the complaint document]")
			continue
		}
		args := map[string]any{"CaseID": d.s.LastCase}
		for k, v := range r.Args {
			args[k] = v
		}
		text, err := d.cat.Render(d.s.Lang, r.Key, args, nil)
		if err != nil {
			d.t.Fatalf("render %s: %v", r.Key, err)
		}
		if strings.Contains(text, "<no value>") {
			d.t.Fatalf("reply %s lacks an argument: %s", r.Key, text)
		}
		fmt.Fprintln(&d.log, text)
		for _, c := range r.Choices {
			label, err := d.cat.Label(d.s.Lang, c, nil)
			if err != nil {
				d.t.Fatalf("render %s: %v", c.Key, err)
			}
			fmt.Fprintf(&d.log, "  [%s]\n", label)
			if len(c.Data) > 64 {
				d.t.Fatalf("callback data %q is over 64 bytes", c.Data)
			}
		}
	}
	if want != "" && d.s.State != want {
		d.t.Fatalf("after %+v: state = %s, want %s; replies:\n%s", in, d.s.State, want, d.lastText())
	}
}

func (d *dialog) lastText() string {
	var ks []string
	for _, r := range d.replies {
		ks = append(ks, r.Key)
	}
	return strings.Join(ks, ", ")
}

// press presses the button with this action among the latest replies' buttons.
func (d *dialog) press(action string, want flows.State) {
	d.t.Helper()
	for _, r := range d.replies {
		for _, c := range r.Choices {
			if strings.HasSuffix(c.Data, ":"+action) {
				fmt.Fprintf(&d.log, "> (%s)\n", action)
				d.send(flows.Input{Kind: flows.InputButton, Data: c.Data}, want)
				return
			}
		}
	}
	d.t.Fatalf("no button %q in the latest replies (%s)", action, d.lastText())
}

// say types text.
func (d *dialog) say(text string, want flows.State) {
	d.t.Helper()
	fmt.Fprintf(&d.log, "> %s\n", text)
	d.send(flows.Input{Kind: flows.InputText, Text: text}, want)
}

// command runs a slash command.
func (d *dialog) command(cmd string, want flows.State) {
	d.t.Helper()
	fmt.Fprintf(&d.log, "> /%s\n", cmd)
	name, args, _ := strings.Cut(cmd, " ")
	d.send(flows.Input{Kind: flows.InputCommand, Command: name, Args: args}, want)
}

// attach sends files, as one album when there are several.
func (d *dialog) attach(want flows.State, as ...flows.Attachment) {
	d.t.Helper()
	fmt.Fprintf(&d.log, "> [%d file(s)]\n", len(as))
	d.send(flows.Input{Kind: flows.InputAttachment, Attachments: as}, want)
}

// sticker sends something the bot cannot use.
func (d *dialog) sticker(want flows.State) {
	d.t.Helper()
	fmt.Fprintln(&d.log, "> [sticker]")
	d.send(flows.Input{Kind: flows.InputOther}, want)
}

// play plays a shared scripted complaint (internal/script), checking that each answer contains
// the text the script expects; the states are not checked, the golden dialogue shows them.
func (d *dialog) play(sc script.Script) {
	d.t.Helper()
	for _, a := range sc.Actions {
		switch a.Verb {
		case script.Say:
			if name, args, ok := a.Command(); ok {
				d.command(strings.TrimSpace(name+" "+args), "")
			} else {
				d.say(a.Arg, "")
			}
		case script.Press:
			d.press(a.Arg, "")
		case script.Photo:
			d.files++
			d.attach("", photo(d.files, a.Arg, ""))
		case script.Document:
			d.files++
			d.attach("", flows.Attachment{Kind: flows.EvidenceDocument, FileID: fmt.Sprintf("BQAC-doc-%d", d.files),
				UniqueID: fmt.Sprintf("uniq-doc-%d", d.files), Size: a.Size, MIME: a.MIME, FileName: a.Arg})
		case script.Album:
			var as []flows.Attachment
			album := fmt.Sprintf("album-%d", d.files+1)
			for range a.N {
				d.files++
				as = append(as, photo(d.files, "", album))
			}
			d.attach("", as...)
		default:
			d.t.Fatalf("%s: the dialogue cannot play %s", a.Where, a.Verb)
		}
		if !strings.Contains(d.answer, a.Expect) {
			d.t.Fatalf("%s: the answer to %s %q lacks %q:\n%s", a.Where, a.Verb, a.Arg, a.Expect, d.answer)
		}
	}
}

func photo(n int, caption, album string) flows.Attachment {
	return flows.Attachment{Kind: flows.EvidencePhoto, FileID: fmt.Sprintf("AgAC-photo-%d", n), UniqueID: fmt.Sprintf("uniq-%d", n),
		Size: int64(100_000 + n), MIME: "image/jpeg", Caption: caption, MediaGroupID: album}
}

// golden compares got with testdata/conversations/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "conversations", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./flows -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./flows -update and review the diff\n--- got ---\n%s", path, got)
	}
}

// finish checks the complaint the conversation produced and compares its documents and the
// whole dialogue with the golden files.
func (d *dialog) finish(name string) flows.Complaint {
	d.t.Helper()
	if d.finished == nil {
		d.t.Fatal("the conversation finished no complaint")
	}
	r, err := document.New()
	if err != nil {
		d.t.Fatal(err)
	}
	for _, lang := range []flows.Lang{flows.LangZH, flows.LangEN} {
		text, err := r.Text(*d.finished, lang)
		if err != nil {
			d.t.Fatal(err)
		}
		golden(d.t, name+"."+string(lang)+".txt", text)
	}
	golden(d.t, name+".dialog.txt", d.log.String())
	return *d.finished
}

// TestConsumerLakalaDeregistration is the typical case, played from the shared script
// consumer-lakala that the benchmarks, the load generator and the local chat play too: a
// consumer charged 199 yuan by Lakala when de-registering, told that a payee is a merchant in
// law and staying a consumer, filing with the consumer association of Lakala's place (Beijing),
// not their own, and here handing the case to staff. The respondent's address is skipped, which
// the pre-filing check flags.
func TestConsumerLakalaDeregistration(t *testing.T) {
	d := newDialog(t, "zh-hans")
	d.play(script.MustLoad("consumer-lakala", nil))
	d.press("escalate", flows.StateClosed)

	c := d.finish("consumer-lakala")
	if c.Total() != 19900 || c.Body != "北京市消费者协会" || c.DeviceSN != "WP2103456789" || c.Contact.Phone != "13800138000" || c.Contact.City != "深圳市" {
		t.Fatalf("complaint = %+v", c)
	}
	if c.Facts.DeregOn != "2024-04" || c.Facts.DeregDone != flows.Yes || c.Deductions[0].Label != "注销服务费" || c.Negotiation.Verbatim {
		t.Fatalf("facts = %+v, deductions %+v", c.Facts, c.Deductions)
	}
	if len(c.Evidence) != 2 || c.Evidence[1].Kind != flows.EvidenceText || c.Evidence[0].Date != "" || c.Evidence[1].Date != "2024-05-01" {
		t.Fatalf("evidence = %+v", c.Evidence)
	}
	if got := d.effects[len(d.effects)-1]; got.Kind != flows.EffectEscalate || got.CaseID != "C-000001" {
		t.Fatalf("last effect = %+v", got)
	}
	if d.s.Draft.Contact.Name != "" || len(d.s.Draft.Deductions) != 0 {
		t.Fatal("the finished draft was not cleared from the session")
	}
}

// TestIndividualMerchantSIMFees: an English-speaking individual merchant with several SIM fee
// deductions, the provider's address typed, an album of screenshots, a city in pinyin, filing
// with the PBOC branch that supervises Shengpay and keeping the case.
func TestIndividualMerchantSIMFees(t *testing.T) {
	d := newDialog(t, "en")
	d.say("hello", flows.StateConsent)
	d.press("agree", flows.StateComplainant)
	d.press("individual", flows.StateMerchantName)
	d.say("Li's noodle shop", flows.StateMerchantNumber)
	d.say("822584053110123", flows.StateCharge)
	d.press("sim_fee", flows.StateFeePeriod)
	d.say("2024-03 to 2026-03, yearly", flows.StateProvider)
	d.press("shengpay", flows.StateProviderAddr)
	d.say("上海市浦东新区某某路100号", flows.StateAmount)
	d.say("99", flows.StateDeductionDate)
	d.say("2024-03-10", flows.StateMethod)
	d.press("settlement", flows.StateLabel)
	d.press("l=1", flows.StateMoreDeductions)
	d.press("more", flows.StateAmount)
	d.say("９９.００", flows.StateDeductionDate)
	d.say("2025/3/10", flows.StateMethod)
	d.press("settlement", flows.StateLabel)
	d.press("skip", flows.StateMoreDeductions)
	d.press("more", flows.StateAmount)
	d.say("¥48", flows.StateDeductionDate)
	d.say("2025年9月10日", flows.StateMethod)
	d.press("wallet", flows.StateLabel)
	d.say("data card fee", flows.StateMoreDeductions)
	d.press("done", flows.StateDisclosure)
	d.press("fine_print", flows.StateLearned)
	d.say("2025-09-12", flows.StateContractDate)
	d.say("March 2022", flows.StateContractChan)
	d.press("agent", flows.StateAgent)
	d.press("skip", flows.StateDevice)
	d.say("SPT88001234", flows.StateNegotiated)
	d.press("no", flows.StateProceedings)
	d.press("none", flows.StateDescription)
	d.say("Every year a 'data card fee' is taken from my settlement. Nobody told me; the agent said the terminal was free.", flows.StateEvidence)
	d.attach(flows.StateEvidence, photo(1, "ledger 2024", "album-1"), photo(2, "", "album-1"), photo(3, "", "album-1"))
	d.press("today", flows.StateEvidence)
	d.attach(flows.StateEvidence, photo(2, "", "")) // the same file again is not counted twice
	d.press("done", flows.StateContactName)
	d.say("😀", flows.StateContactName) // a name needs letters
	d.say("Li Si", flows.StateContactPhone)
	d.say("13912345678", flows.StateContactAddress)
	d.say("Room 501, 8 Sunrise Road", flows.StateContactCity) // required, and names no city
	d.say("Guangzhou", flows.StateReview)
	// the charge kind's usual requests were taken; one is dropped from the review
	d.press("edit=requests", flows.StateRequests)
	d.press("t=explanation", flows.StateRequests)
	d.press("done", flows.StateReview)
	d.press("confirm", flows.StateSubmitted)
	d.press("decline", flows.StateClosed)

	c := d.finish("individual-sim")
	if c.Total() != 9900+9900+4800 || len(c.Deductions) != 3 || c.Deductions[2].Label != "data card fee" {
		t.Fatalf("deductions = %+v", c.Deductions)
	}
	if c.Body != "中国人民银行上海市分行" || c.Contact.City != "广州市" || c.ContractDate != "2022-03" || c.Provider.Address == "" {
		t.Fatalf("complaint = %+v", c)
	}
	if len(c.Evidence) != 3 || c.Evidence[2].AlbumID != "album-1" || c.Evidence[0].Date != "2026-11-21" {
		t.Fatalf("evidence = %+v", c.Evidence)
	}
	if c.HasRequest(flows.RequestExplanation) || !c.HasRequest(flows.RequestStop) {
		t.Fatalf("requests = %v", c.Requests)
	}
	if c.Lang != flows.LangEN {
		t.Fatalf("lang = %s", c.Lang)
	}
}

// TestCompanyRateIncrease: a company as the complainant (a name without letters and a wrong
// credit code refused), whose rate was raised, with a provider typed by its legal name we do not
// know; the route is a suggestion (the company's province), a Latin body is refused, a consumer
// body fails the pre-filing check and is changed; the case was already taken to the PBOC, which
// the check flags too. Escalation is not configured.
func TestCompanyRateIncrease(t *testing.T) {
	d := newDialog(t, "zh-CN")
	d.noStaff = true
	d.command("start", flows.StateConsent)
	d.press("!lang=en", flows.StateConsent)
	d.press("!lang=zh-CN", flows.StateConsent)
	d.press("agree", flows.StateComplainant)
	d.press("company", flows.StateCompanyName)
	d.say("123", flows.StateCompanyName)
	d.say("深圳某某贸易有限公司", flows.StateCompanyCode)
	d.say("91440300MA5D000001", flows.StateCompanyCode)
	d.say("91440300MA5D000002", flows.StateCompanyAddress)
	d.say("深圳市福田区某某大厦8楼", flows.StateCompanyRole)
	d.press("legal_rep", flows.StateMerchantNumber)
	d.press("skip", flows.StateCharge)
	d.press("rate_increase", flows.StateOldRate)
	d.say("0.38%", flows.StateNewRate)
	d.say("千分之6", flows.StateRateFrom)
	d.say("2026年10月", flows.StateNotice)
	d.press("no", flows.StateProvider)
	d.say("某某支付科技有限公司", flows.StateProviderAddr)
	d.press("skip", flows.StateAmount)
	d.say("1,299.5", flows.StateDeductionDate)
	d.press("yesterday", flows.StateMethod)
	d.press("settlement", flows.StateLabel)
	d.press("l=0", flows.StateMoreDeductions)
	d.press("done", flows.StateDisclosure)
	d.press("told_no_agree", flows.StateLearned)
	d.say("昨天", flows.StateContractDate)
	d.say("2021年6月", flows.StateContractChan)
	d.press("offline", flows.StateAgent)
	d.press("skip", flows.StateDevice)
	d.press("skip", flows.StateNegotiated)
	d.press("yes", flows.StateNegDate)
	d.press("today", flows.StateNegChannel)
	d.press("app", flows.StateNegTicket)
	d.press("skip", flows.StateNegReply)
	d.say("【某某支付】您好，费率调整已在官网公告，不予退还。", flows.StateProceedings)
	d.press("pboc", flows.StateDescription)
	d.say("费率从0.38%被上调到0.60%，没有任何通知，多扣手续费1299.50元。", flows.StateEvidence)
	d.attach(flows.StateEvidence, flows.Attachment{Kind: flows.EvidenceDocument, FileID: "BQAC-doc-1", UniqueID: "uniq-doc-1", Size: 300_000, MIME: "application/pdf", FileName: "结算明细.pdf"})
	d.say("2026年11月1日", flows.StateEvidence) // the file's own date
	d.press("done", flows.StateContactName)
	d.say("王某某", flows.StateContactPhone)
	d.say("13600000000", flows.StateReview)
	d.press("edit=body", flows.StateBody)
	d.say("Shenzhen consumer council", flows.StateBody)
	d.say("深圳市消费者委员会", flows.StateReview)
	d.press("edit=body", flows.StateBody)
	d.press("b=0", flows.StateReview)
	d.press("confirm", flows.StateClosed)

	c := d.finish("company-rate")
	if c.Total() != 129950 || c.Provider.Key != "" || c.Provider.Name != "某某支付科技有限公司" || c.Body != "中国人民银行深圳市分行" {
		t.Fatalf("complaint = %+v", c)
	}
	if c.Company.Name != "深圳某某贸易有限公司" || c.Company.CreditCode != "91440300MA5D000002" || c.Company.Role != flows.RoleLegalRep || c.Signer() != c.Company.Name {
		t.Fatalf("company = %+v", c.Company)
	}
	if c.Facts.OldRate != "0.38%" || c.Facts.NewRate != "0.6%" || c.Facts.RateFrom != "2026-10" || c.Facts.Notice != flows.No {
		t.Fatalf("facts = %+v", c.Facts)
	}
	if c.Deductions[0].Date != "2026-11-20" || c.LearnedOn != "2026-11-20" || !c.Negotiation.Verbatim || c.Evidence[0].Date != "2026-11-01" {
		t.Fatalf("relative dates: %+v, learned %s", c.Deductions, c.LearnedOn)
	}
	for _, e := range d.effects {
		if e.Kind == flows.EffectEscalate {
			t.Fatal("escalated although no staff chat is configured")
		}
	}
}

// TestEveryDetour plays a consumer's case with a wrong input at every step, /back at several,
// a sticker, a stale button, a change from the review, and /lang half-way.
func TestEveryDetour(t *testing.T) {
	d := newDialog(t, "")
	d.command("start", flows.StateConsent)
	d.say("我要投诉", flows.StateConsent)
	d.say("你好", flows.StateConsent)
	d.press("decline", flows.StateConsent)
	d.press("agree", flows.StateComplainant)
	d.sticker(flows.StateComplainant)
	d.press("consumer", flows.StateCharge)
	d.command("back", flows.StateComplainant)
	d.press("consumer", flows.StateCharge)
	d.say("被扣钱了", flows.StateCharge)
	d.press("deregistration_fee", flows.StateDeregDate)
	d.say("去年", flows.StateDeregDate)
	d.press("unknown", flows.StateDeregChannel)
	d.press("hotline", flows.StateDeregTicket)
	d.say("ZX001", flows.StateDeregDone)
	d.press("no", flows.StateProvider)
	d.say("", flows.StateProvider)
	d.say("LAKALA pos", flows.StateProviderAddr)
	d.say("北京市海淀区某某路1号（合同上写的）", flows.StateAmount)
	d.say("大概两百", flows.StateAmount)
	d.say("-199", flows.StateAmount)
	d.say("199.999", flows.StateAmount)
	d.say("99999999", flows.StateAmount)
	d.say("199", flows.StateDeductionDate)
	d.say("明天", flows.StateDeductionDate)
	d.say("2027-01-01", flows.StateDeductionDate)
	d.say("1999-12-31", flows.StateDeductionDate)
	d.say("2024-02-30", flows.StateDeductionDate)
	d.attach(flows.StateDeductionDate, photo(9, "先发一张截图", ""))
	d.say("5月1日", flows.StateMethod)
	d.command("back", flows.StateDeductionDate)
	d.say("2023-05-01", flows.StateMethod)
	d.say("扣走了", flows.StateMethod)
	d.press("settlement", flows.StateLabel)
	d.say("注销费", flows.StateMoreDeductions)
	d.press("more", flows.StateAmount)
	d.say("10", flows.StateDeductionDate)
	d.say("2023-05-02", flows.StateMethod)
	d.press("bank_card", flows.StateLabel)
	d.press("skip", flows.StateMoreDeductions)
	d.press("remove", flows.StateMoreDeductions)
	d.command("back", flows.StateLabel)
	d.press("skip", flows.StateMoreDeductions)
	d.press("done", flows.StateDisclosure)
	d.say("不好说", flows.StateDisclosure)
	d.press("not_told", flows.StateLearned)
	d.say("不记得了", flows.StateLearned)
	d.say("2023-05-01", flows.StateContractDate)
	d.say("很久以前", flows.StateContractDate)
	d.say("2023年6月", flows.StateContractChan)
	d.press("agent", flows.StateAgent)
	d.say(strings.Repeat("长", 301), flows.StateAgent)
	d.press("skip", flows.StateDevice)
	d.say("SN?", flows.StateDevice)
	d.press("skip", flows.StateNegotiated)
	d.command("lang en", flows.StateNegotiated)
	d.say("maybe", flows.StateNegotiated)
	d.press("no", flows.StateProceedings)
	d.command("lang zh", flows.StateProceedings)
	d.command("rights", flows.StateProceedings)
	d.press("none", flows.StateDescription)
	d.say("   ", flows.StateDescription)
	d.say("注销时被扣了199元，没有人提前告诉我。", flows.StateEvidence)
	d.command("back", flows.StateRequests) // the usual requests were taken; /back shows them
	d.say("退钱", flows.StateRequests)
	d.press("t=refund", flows.StateRequests)
	d.press("t=deregister", flows.StateRequests)
	d.press("t=explanation", flows.StateRequests)
	d.press("done", flows.StateRequests) // nothing chosen: asked again
	d.press("t=other", flows.StateRequests)
	d.press("done", flows.StateOtherRequest)
	d.say("\x00\x01", flows.StateOtherRequest)
	d.say("公开道歉", flows.StateEvidence)
	d.sticker(flows.StateEvidence)
	d.attach(flows.StateEvidence, flows.Attachment{Kind: flows.EvidenceDocument, FileID: "big", UniqueID: "big", Size: 25 << 20, FileName: "scan.pdf"})
	d.press("done", flows.StateContactName)
	d.say(strings.Repeat("名", 41), flows.StateContactName)
	d.say("王五", flows.StateContactPhone)
	d.say("12345", flows.StateContactPhone)
	d.say("138 0013 8000", flows.StateContactAddress)
	d.say("跳过", flows.StateContactAddress) // the complaint needs the complainant's address
	d.say("不知道", flows.StateContactAddress)
	d.say("园区路1号", flows.StateContactCity)
	d.say("Suzhou", flows.StateContactCity)
	d.say("Atlantis", flows.StateContactCity)
	d.say("beijing", flows.StateDateCheck)
	d.press("keep", flows.StateReview)
	d.press("edit=body", flows.StateBody)
	d.say("Beijing consumer association", flows.StateBody)
	d.press("b=1", flows.StateReview)
	// change the phone and add a deduction from the review; each returns to the review
	d.press("edit=contact", flows.StateContactName)
	d.say("王五", flows.StateContactPhone)
	d.say("13900000000", flows.StateContactAddress)
	d.say("北京市朝阳区某某街2号", flows.StateReview)
	d.press("edit=deductions", flows.StateMoreDeductions)
	d.press("more", flows.StateAmount)
	d.say("20", flows.StateDeductionDate)
	d.say("2023-06-01", flows.StateMethod)
	d.press("wallet", flows.StateLabel)
	d.press("skip", flows.StateMoreDeductions)
	d.press("done", flows.StateReview)
	d.press("edit=description", flows.StateDescription)
	d.command("back", flows.StateReview)
	d.send(flows.Input{Kind: flows.InputButton, Data: "1:confirm"}, flows.StateReview) // a stale button
	d.command("cancel", flows.StateReview)
	d.press("!no", flows.StateReview)
	d.press("confirm", flows.StateSubmitted)
	d.press("escalate", flows.StateClosed)

	c := d.finish("every-detour")
	if c.Total() != 19900+2000 || c.Contact.Phone != "13900000000" || c.Body != "北京市市场监督管理局" {
		t.Fatalf("complaint = %+v", c)
	}
	if len(c.Evidence) != 1 || c.Evidence[0].Caption != "先发一张截图" {
		t.Fatalf("evidence = %+v", c.Evidence)
	}
	if c.OtherRequest != "公开道歉" || !c.HasRequest(flows.RequestOther) {
		t.Fatalf("requests = %v %q", c.Requests, c.OtherRequest)
	}
	// a new complaint after a finished one is a new case
	d.command("start", flows.StateComplainant)
	if d.s.Draft.Total() != 0 || d.s.LastCase != "C-000001" {
		t.Fatalf("new case carries old data: %+v", d.s.Draft)
	}
}

// TestCancelRestartDelete covers the confirmations of the global commands.
func TestCancelRestartDelete(t *testing.T) {
	d := newDialog(t, "zh")
	d.command("start", flows.StateConsent)
	d.press("agree", flows.StateComplainant)
	d.press("consumer", flows.StateCharge)
	d.command("cancel", flows.StateCharge)
	d.press("!yes", flows.StateClosed)
	d.command("start", flows.StateComplainant)
	d.press("company", flows.StateCompanyName)
	d.command("restart", flows.StateCompanyName)
	d.press("!yes", flows.StateComplainant)
	if d.s.Draft.Complainant != "" {
		t.Fatal("restart kept the draft")
	}
	d.press("consumer", flows.StateCharge)
	d.command("delete", flows.StateCharge)
	d.press("!yes", flows.StateConsent)
	if d.s.Consented || d.s.Draft.Complainant != "" {
		t.Fatal("delete kept data in the session")
	}
	if e := d.effects[len(d.effects)-1]; e.Kind != flows.EffectErase {
		t.Fatalf("last effect = %+v, want erase", e)
	}
	d.command("status", flows.StateConsent)
	if e := d.effects[len(d.effects)-1]; e.Kind != flows.EffectListCases {
		t.Fatalf("last effect = %+v, want list", e)
	}
	d.command("nonsense", flows.StateConsent)
	d.command("help", flows.StateConsent)
	d.command("privacy", flows.StateConsent)
	d.command("cancel", flows.StateConsent)
}
