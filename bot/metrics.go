package bot

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus metrics, registered on a registry the caller owns.
type Metrics struct {
	reg      prometheus.Registerer
	updates  *prometheus.CounterVec
	latency  prometheus.Histogram
	redis    prometheus.Counter
	telegram *prometheus.CounterVec
}

// NewMetrics registers the metrics on reg; a nil reg keeps them unregistered (tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		reg: reg,
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "complaintbot_updates_total", Help: "Updates handled, by type and outcome.",
		}, []string{"type", "outcome"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "complaintbot_step_seconds", Help: "Time from taking an update to its last reply sent.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		redis: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "complaintbot_redis_errors_total", Help: "Steps that could not be loaded or committed.",
		}),
		telegram: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "complaintbot_telegram_errors_total", Help: "Bot API call attempts that failed, by error code (0: no answer).",
		}, []string{"code"}),
	}
	if reg != nil {
		reg.MustRegister(m.updates, m.latency, m.redis, m.telegram)
	}
	return m
}

// queueLen exposes the number of updates queued or in progress.
func (m *Metrics) queueLen(f func() int) {
	if m.reg == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "complaintbot_queue_length", Help: "Updates queued or in progress across chats.",
	}, func() float64 { return float64(f()) }))
}

// update counts a handled update and its latency.
func (m *Metrics) update(kind, outcome string, start, end time.Time) {
	m.updates.WithLabelValues(kind, outcome).Inc()
	m.latency.Observe(end.Sub(start).Seconds())
}

// RedisError counts a step that could not be loaded or committed.
func (m *Metrics) RedisError() { m.redis.Inc() }

// TelegramAttempt counts a failed Bot API call attempt by its code, sender.Code's (Telegram's
// error_code, or 0 when no answer was read); 200, a success, is not counted. It is
// sender.Options.Metrics, so every call of the bot and the staff desk is counted once per
// attempt, retries included.
func (m *Metrics) TelegramAttempt(_ string, code int) {
	if code == 200 {
		return
	}
	m.telegram.WithLabelValues(strconv.Itoa(code)).Inc()
}
