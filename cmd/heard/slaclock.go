package main

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/enrich/timeline"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
)

// slaClockJob is the periodic SLA warning job (one replica at a time, as
// every queue.Periodic); ok is false when triage.sla_clock.every is 0.
func slaClockJob(tri *triage, st store.Store, built []connectors.Configured, reg prometheus.Registerer, log *slog.Logger) (queue.Periodic, bool, error) {
	cfg := tri.policy.SLAClock
	if cfg.Every <= 0 {
		return queue.Periodic{}, false, nil
	}
	targets := map[string]timeline.Target{}
	for _, c := range built {
		targets[c.Config.Name] = timeline.Target{Desk: c.Connector, Mode: c.Config.Mode}
	}
	j, err := timeline.NewJob(timeline.JobConfig{Store: st, Targets: targets, Policy: tri.policy.SLA, Gate: tri.policy.Gate,
		Config: cfg, Logger: log, Metrics: reg})
	if err != nil {
		return queue.Periodic{}, false, err
	}
	return queue.Periodic{Name: "sla.warnings", Every: cfg.Every, Run: j.Run}, true, nil
}
