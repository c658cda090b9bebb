package plugins_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/plugins"
)

// metric returns the value of the host's metric name for plugin, failing
// the test when the host does not export it.
func metric(t *testing.T, h *plugins.Host, name, plugin string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(h)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "plugin" && l.GetValue() == plugin {
					if c := m.GetCounter(); c != nil {
						return c.GetValue()
					}
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{plugin=%q} in the host's metrics", name, plugin)
	return 0
}

// wantMetrics checks the host's restart count, circuit state and running
// state for plugin.
func wantMetrics(t *testing.T, h *plugins.Host, plugin string, restarts, open, running float64) {
	t.Helper()
	got := [3]float64{metric(t, h, "heard_plugin_restarts_total", plugin), metric(t, h, "heard_plugin_circuit_open", plugin), metric(t, h, "heard_plugin_running", plugin)}
	if want := [3]float64{restarts, open, running}; got != want {
		t.Errorf("%s: restarts, circuit open, running = %v; want %v", plugin, got, want)
	}
}
