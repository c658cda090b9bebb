package plugins

import (
	"github.com/prometheus/client_golang/prometheus"
)

var (
	restartsDesc = prometheus.NewDesc("heard_plugin_restarts_total",
		"Times a plugin was launched again after a crash, a panic, an exit or a failed launch, by plugin ID.", []string{"plugin"}, nil)
	circuitDesc = prometheus.NewDesc("heard_plugin_circuit_open",
		"1 while a plugin's circuit breaker is open (it is skipped after repeated failures), else 0, by plugin ID.", []string{"plugin"}, nil)
	runningDesc = prometheus.NewDesc("heard_plugin_running",
		"1 while a plugin's process runs, else 0, by plugin ID.", []string{"plugin"}, nil)
)

var _ prometheus.Collector = (*Host)(nil)

// Describe implements prometheus.Collector: a Host reports its plugins'
// restarts and circuit-breaker state, labelled with their configured IDs.
func (h *Host) Describe(ch chan<- *prometheus.Desc) {
	ch <- restartsDesc
	ch <- circuitDesc
	ch <- runningDesc
}

// Collect implements prometheus.Collector from Status snapshots, so a
// scrape never waits for a plugin call.
func (h *Host) Collect(ch chan<- prometheus.Metric) {
	for _, s := range h.Status() {
		ch <- prometheus.MustNewConstMetric(restartsDesc, prometheus.CounterValue, float64(s.Restarts), s.ID)
		ch <- prometheus.MustNewConstMetric(circuitDesc, prometheus.GaugeValue, flag(!s.SkippedUntil.IsZero()), s.ID)
		ch <- prometheus.MustNewConstMetric(runningDesc, prometheus.GaugeValue, flag(s.PID != 0), s.ID)
	}
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
