package bot

import (
	"errors"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
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
			Name: "complaintbot_telegram_errors_total", Help: "Bot API calls that failed, by error code.",
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

// TelegramError counts a failed Bot API call by its code.
func (m *Metrics) TelegramError(err error) {
	m.telegram.WithLabelValues(errorCode(err)).Inc()
}

// errorCode classifies a go-telegram/bot error.
func errorCode(err error) string {
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		return "429"
	case errors.Is(err, tgbot.ErrorForbidden):
		return "403"
	case errors.Is(err, tgbot.ErrorBadRequest):
		return "400"
	case errors.Is(err, tgbot.ErrorUnauthorized):
		return "401"
	case errors.Is(err, tgbot.ErrorNotFound):
		return "404"
	case errors.Is(err, tgbot.ErrorConflict):
		return strconv.Itoa(409)
	}
	return "other"
}
