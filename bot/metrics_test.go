package bot

import (
	"errors"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"complaintbot/telegram/botapi"
	"complaintbot/telegram/sender"
)

// TestTelegramMetricsUseSenderCode: the Telegram error counter is labelled with sender.Code,
// so a 5xx counts under its own code, not "other", and a call without an answer under 0.
func TestTelegramMetricsUseSenderCode(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	for _, err := range []error{
		nil,
		&botapi.Error{Code: 502},
		&botapi.Error{Code: 502},
		&botapi.Error{Code: 429},
		&botapi.Error{Code: 403},
		&botapi.Error{Err: botapi.ErrMalformed},
		errors.New("not from telegram"),
	} {
		m.TelegramAttempt("sendMessage", sender.Code(err))
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "complaintbot_telegram_errors_total" {
			continue
		}
		for _, c := range f.GetMetric() {
			got[c.GetLabel()[0].GetValue()] = c.GetCounter().GetValue()
		}
	}
	want := map[string]float64{"502": 2, "429": 1, "403": 1, "0": 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counted %v, want %v", got, want)
	}
}
