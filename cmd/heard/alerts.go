package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/alerts"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
)

// alertsJob is the periodic alerts task (one replica at a time, as every
// queue.Periodic); ok is false when alerts.every is 0.
func alertsJob(cfg config.Config, policy enrich.Config, st store.Store, log *slog.Logger) (queue.Periodic, bool, error) {
	j, ac, err := newAlertsJob(cfg, policy, st, log)
	if err != nil || ac.Every <= 0 {
		return queue.Periodic{}, false, err
	}
	if len(ac.Webhooks) == 0 {
		log.Info("alerts have no webhooks: they are logged and listed by heard alerts only")
	}
	return queue.Periodic{Name: "alerts", Every: ac.Every.Std(), Run: j.Run}, true, nil
}

func newAlertsJob(cfg config.Config, policy enrich.Config, st store.Store, log *slog.Logger) (*alerts.Job, alerts.Config, error) {
	ac, err := alerts.Load(cfg.Alerts)
	if err != nil {
		return nil, ac, err
	}
	j, err := alerts.NewJob(alerts.JobConfig{Store: st, Config: ac, Logger: log,
		Clock: alerts.Clock{Policy: policy.SLA, DefaultPriority: policy.SLAClock.DefaultPriority}})
	return j, ac, err
}

// cmdAlerts lists recent alerts and their deliveries.
func alertsCmd() *cobra.Command {
	return cli.Command("alerts [--since 7d] [--pending] [--evaluate] [--json] [--config FILE]", "recent alerts (CSAT, first response, reopen rate, repeat customer, NPS detractor) and their webhook deliveries", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		since := fs.String("since", "7d", "how far back: a `duration` (7d, 12h) or a date (2026-11-01)")
		pending := fs.Bool("pending", false, "only alerts not yet delivered to every webhook")
		asJSON := fs.Bool("json", false, "print a JSON array")
		evaluate := fs.Bool("evaluate", false, "evaluate the rules now (storing and delivering new alerts, as the periodic task does) before listing")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			from, err := parseSince(*since, time.Now())
			if err != nil {
				return err
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			st, err := openStore(ctx, cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			if *evaluate {
				policy := enrich.DefaultConfig()
				if err := cfg.Triage.Decode("triage", &policy); err != nil {
					return err
				}
				j, _, err := newAlertsJob(cfg, policy, st, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
				if err != nil {
					return err
				}
				if err := j.Run(ctx); err != nil {
					return fmt.Errorf("evaluating alerts: %w", err)
				}
			}
			list, err := st.ListAlerts(ctx, store.AlertFilter{Since: from, Pending: *pending, Limit: 1000})
			if err != nil {
				return err
			}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(list)
			}
			if len(list) == 0 {
				fmt.Fprintf(stdout, "no alerts since %s.\n", from.Format(time.DateTime))
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "WHEN\tRULE\tSUBJECT\tDELIVERED\tMESSAGE")
			for _, a := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.FiredAt.Local().Format("2006-01-02 15:04"), a.Rule, a.Subject, deliveredText(a), a.Message)
			}
			return tw.Flush()
		}
	})
}

// deliveredText says per webhook whether an alert was delivered.
func deliveredText(a store.Alert) string {
	if len(a.Deliveries) == 0 {
		return "no webhooks"
	}
	parts := make([]string, 0, len(a.Deliveries))
	for _, d := range a.Deliveries {
		switch {
		case !d.DeliveredAt.IsZero():
			parts = append(parts, d.Webhook+": yes")
		case d.Attempts == 0:
			parts = append(parts, d.Webhook+": pending")
		default:
			parts = append(parts, fmt.Sprintf("%s: no (%d tries: %s)", d.Webhook, d.Attempts, d.LastError))
		}
	}
	return strings.Join(parts, ", ")
}
