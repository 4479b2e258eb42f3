package flows

import (
	"testing"
	"time"
)

// TestAnonymize keeps what staff count and drops what says who the person is.
func TestAnonymize(t *testing.T) {
	c := filledDraft()
	c.ID, c.Status, c.CreatedAt = "C-000007", StatusResolved, testNow()
	c.Provider.Typed = "拉卡拉的机器"
	c.Company = CompanyInfo{Name: "深圳某某贸易有限公司", CreditCode: "91440300MA5D000002", Address: "深圳市", Role: RoleLegalRep}
	c.Facts = Facts{DeregOn: "2024-04", DeregChannel: ChannelHotline, DeregTicket: "T9", DeregDone: No, ReturnTerms: "刷满5万返还"}
	c.Negotiation.Verbatim = true
	c.Deductions[0].Label = "注销服务费"
	c.Evidence[0].Date, c.Evidence[0].Caption = "2024-05-01", "张三的短信"
	c.History = []StatusChange{{Status: StatusResolved, At: testNow(), By: "staff:9", Note: "已电话联系张三"}}
	a := Anonymize(c)
	if a.Chat != 0 || a.User != 0 || a.Contact != (Contact{}) || a.Description != "" || a.Agent != "" || a.DeviceSN != "" ||
		a.Company.Name != "" || a.Company.CreditCode != "" || a.Company.Address != "" || a.Provider.Typed != "" || a.Provider.Address != "" ||
		a.Negotiation.Ticket != "" || a.Negotiation.Reply != "" || a.Facts.DeregTicket != "" || a.Facts.ReturnTerms != "" ||
		a.Evidence[0].FileID != "" || a.Evidence[0].Caption != "" || a.History[0].Note != "" {
		t.Fatalf("personal data kept: %+v", a)
	}
	if a.ID != c.ID || a.Status != c.Status || !a.CreatedAt.Equal(c.CreatedAt) || a.Provider.Key != "lakala" || a.Total() != c.Total() ||
		a.Deductions[0].Label != "注销服务费" || a.Complainant != c.Complainant || a.Charge != c.Charge || a.Body != c.Body ||
		a.Company.Role != RoleLegalRep || a.Facts.DeregOn != "2024-04" || a.Facts.DeregDone != No || !a.Negotiation.Verbatim ||
		a.Evidence[0].Kind != EvidencePhoto || a.Evidence[0].Date != "2024-05-01" || a.History[0].By != "staff:9" || len(a.Requests) != len(c.Requests) {
		t.Fatalf("statistics lost: %+v", a)
	}
	c.Deductions[0].Label = "张三那台机器的费"
	if a := Anonymize(c); a.Deductions[0].Label != "" {
		t.Fatalf("a typed charge name kept: %q", a.Deductions[0].Label)
	}
	a.Requests[0] = RequestOther
	if c.Requests[0] == RequestOther {
		t.Fatal("the anonymized complaint shares a slice with the original")
	}
}

// TestClosedAt: resolved and rejected cases close when staff closed them, cases never handed to
// staff when their document was produced; cases staff handle are open.
func TestClosedAt(t *testing.T) {
	made := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	done := made.Add(48 * time.Hour)
	for _, c := range []struct {
		status Status
		want   time.Time
		ok     bool
	}{
		{StatusSubmitted, made, true},
		{StatusEscalated, time.Time{}, false},
		{StatusClaimed, time.Time{}, false},
		{StatusWaiting, time.Time{}, false},
		{StatusResolved, done, true},
		{StatusRejected, done, true},
	} {
		got, ok := Complaint{Status: c.status, CreatedAt: made, History: []StatusChange{
			{Status: StatusEscalated, At: made}, {Status: c.status, At: done},
		}}.ClosedAt()
		if c.status == StatusSubmitted {
			got, ok = Complaint{Status: c.status, CreatedAt: made}.ClosedAt()
		}
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("%s: closed at %v %v, want %v %v", c.status, got, ok, c.want, c.ok)
		}
	}
}
