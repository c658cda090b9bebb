package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/trace"
)

// cmdShow prints one ticket's decision trace: every event heard recorded
// for it, oldest first, with predictions, gates, what was written and errors.
func showCmd() *cobra.Command {
	return cli.Command("show CONNECTOR TICKET [--json] [--config FILE]", "one ticket's decision trace: events, predictions, gates, what was written and errors", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		asJSON := fs.Bool("json", false, "print one JSON array, oldest event first")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			pos := args
			if len(pos) != 2 {
				return errUsage
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			if err := knownConnector(cfg, pos[0]); err != nil {
				return err
			}
			st, err := openStore(ctx, cfg)
			if err != nil {
				return fmt.Errorf("opening store: %w", err)
			}
			defer st.Close()
			events, err := trace.Load(ctx, st, pos[0], pos[1])
			if err != nil {
				return err
			}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(events)
			}
			writeTrace(stdout, pos[0], pos[1], events)
			return nil
		}
	})
}

func writeTrace(w io.Writer, connector, ticket string, events []trace.Event) {
	fmt.Fprintf(w, "ticket %s on %s: %d event(s)\n", ticket, connector, len(events))
	for _, ev := range events {
		fmt.Fprintf(w, "\n%s  %s  %s (attempt %d)  %s\n", ev.ProcessedAt.Local().Format("2006-01-02 15:04:05"), ev.Kind, ev.Status, ev.Attempt, ev.EventKey)
		d := ev.Detail
		if d == nil {
			continue
		}
		if !d.OccurredAt.IsZero() || d.Actor != "" {
			fmt.Fprintf(w, "  event seen: occurred %s", d.OccurredAt.Local().Format("2006-01-02 15:04:05"))
			if d.Actor != "" {
				fmt.Fprintf(w, " by %s", d.Actor)
			}
			fmt.Fprintln(w)
		}
		if d.Mode != "" {
			fmt.Fprintf(w, "  mode: %s\n", d.Mode)
		}
		if d.Reason != "" {
			fmt.Fprintf(w, "  %s\n", d.Reason)
		}
		if len(d.Predictions) > 0 {
			var sources []string
			for _, p := range d.Predictions {
				if p.Source != "" && !slices.Contains(sources, p.Source) {
					sources = append(sources, p.Source)
				}
			}
			fmt.Fprintf(w, "  predictions (merged from %s; per field the most confident wins, a forced rule says so):\n", strings.Join(sources, ", "))
			for _, p := range d.Predictions {
				fmt.Fprintf(w, "    %-16s %-16s %.2f  %-18s %s\n", p.Field, p.Value, p.Confidence, p.Source, p.Reason)
			}
		}
		if x := d.Decision; x != nil {
			fmt.Fprintf(w, "  decision: %s (%s)", x.Priority, x.PriorityReason)
			tags := x.Tags
			if x.PrimaryTag != "" && !slices.Contains(tags, x.PrimaryTag) {
				tags = append([]string{x.PrimaryTag}, tags...)
			}
			if len(tags) > 0 {
				fmt.Fprintf(w, " · %s", strings.Join(tags, ", "))
			}
			fmt.Fprintf(w, " · churn %d (%s)\n", x.Churn.Score, x.Churn.Level)
			writeDecision(w, x)
			if len(x.Gate) > 0 {
				fmt.Fprintln(w, "  gates:")
				for _, g := range x.Gate {
					verdict := "held back"
					switch {
					case g.Written:
						verdict = "written"
					case g.WouldWrite:
						verdict = "would be written in live mode"
					}
					value, _, _ := strings.Cut(g.Value, "\n") // the note: its first line
					if r := []rune(value); len(r) > 40 {
						value = string(r[:37]) + "…"
					}
					fmt.Fprintf(w, "    %-16s %-16s %.2f", g.Field, value, g.Confidence)
					if g.Threshold > 0 {
						fmt.Fprintf(w, " (threshold %.2f)", g.Threshold)
					}
					fmt.Fprintf(w, "  %s", verdict)
					if g.Reason != "" && g.Reason != verdict {
						fmt.Fprintf(w, ": %s", g.Reason)
					}
					fmt.Fprintln(w)
				}
			}
			for _, e := range x.Errors {
				fmt.Fprintf(w, "  decide error: %s\n", e)
			}
		}
		if c := d.Written; c != nil {
			var parts []string
			if c.Priority != nil {
				parts = append(parts, "priority "+string(*c.Priority))
			}
			if len(c.AddTags) > 0 {
				parts = append(parts, "tags "+strings.Join(c.AddTags, ", "))
			}
			for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
				parts = append(parts, k+"="+c.Fields[k])
			}
			if c.InternalNote != "" {
				parts = append(parts, fmt.Sprintf("internal note (%d bytes)", len(c.InternalNote)))
			}
			if c.PublicReply != "" {
				parts = append(parts, "public reply to the customer")
			}
			fmt.Fprintf(w, "  written at %s: %s\n", ev.ProcessedAt.Local().Format("2006-01-02 15:04:05"), strings.Join(parts, "; "))
		} else if d.Decision != nil {
			fmt.Fprintf(w, "  written: nothing (mode %s)\n", orDash(string(d.Mode)))
		}
		for _, stage := range slices.Sorted(maps.Keys(d.Errors)) {
			fmt.Fprintf(w, "  %s failed: %s\n", stage, d.Errors[stage])
		}
	}
}

// writeDecision prints the rest of the decision: SLA, routing and why,
// escalations, and the fields the gates held back.
func writeDecision(w io.Writer, x *enrich.Explanation) {
	if x.SLA != nil {
		clock := "business hours"
		if !x.SLA.BusinessHours {
			clock = "24/7"
		}
		fmt.Fprintf(w, "  sla (%s, ×%.1f): first response by %s, resolution by %s\n", clock, x.SLA.Multiplier,
			x.SLA.FirstResponseDue.UTC().Format(time.RFC3339), x.SLA.ResolutionDue.UTC().Format(time.RFC3339))
	}
	route := "  route: " + orDash(x.Route.Route)
	if x.Route.Rule != "" {
		route += " (rule " + x.Route.Rule + ")"
	} else {
		route += " (no rule matched: the default route)"
	}
	fmt.Fprintln(w, route)
	if x.FirstContact != "" {
		fmt.Fprintf(w, "    %s\n", x.FirstContact)
	}
	for _, f := range x.Route.Flags {
		fmt.Fprintf(w, "    flag %s: %s\n", f.Name, f.Reason)
	}
	for _, n := range x.Route.Escalations {
		fmt.Fprintf(w, "  escalation: %s (%s)\n", n.Action, n.Reason)
	}
	for _, s := range x.Churn.Signals {
		fmt.Fprintf(w, "    churn signal %s +%d: %s\n", s.Name, s.Points, s.Reason)
	}
	if len(x.HeldBack) > 0 {
		fmt.Fprintln(w, "  held back by the gates:")
		for _, h := range x.HeldBack {
			fmt.Fprintf(w, "    %s\n", h)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
