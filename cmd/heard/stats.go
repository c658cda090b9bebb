package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// parseSince reads a duration back from now ("30d", "2w", "12h", "90m";
// see config.ParseDuration; whole days are calendar days) or a date
// "2026-11-01".
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	d, err := config.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("--since %q: want a duration like 30d, 2w or 12h, or a date like 2026-11-01", s)
	}
	return now.Add(-d), nil
}

// cmdStats prints how often agents kept heard's predictions.
func statsCmd() *cobra.Command {
	return cli.Command("stats [--connector NAME] [--since 30d] [--json] [--config FILE]", "how often agents kept heard's priority and tags, per field and confidence threshold", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		connector := fs.String("connector", "", "only this connector `name`")
		since := fs.String("since", "30d", "how far back: a `duration` (30d, 12h) or a date (2026-11-01)")
		asJSON := fs.Bool("json", false, "print one JSON object")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			from, err := parseSince(*since, time.Now())
			if err != nil {
				return err
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			if *connector != "" {
				if err := knownConnector(cfg, *connector); err != nil {
					return err
				}
			}
			st, err := openStore(ctx, cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			rows, err := st.Feedback(ctx, store.FeedbackFilter{Connector: *connector, Since: from})
			if err != nil {
				return err
			}
			rep := summarize(rows, *connector, from)
			if *asJSON {
				return json.NewEncoder(stdout).Encode(rep)
			}
			if len(rows) == 0 {
				fmt.Fprintln(stdout, "no agent corrections recorded yet: heard compares its predictions when tickets it enriched are updated or solved.")
				return nil
			}
			return rep.WriteText(stdout)
		}
	})
}

func summarize(rows []store.Feedback, connector string, since time.Time) agreement.Report {
	fb := make([]agreement.Feedback, 0, len(rows))
	for _, r := range rows {
		fb = append(fb, agreement.Feedback{Connector: r.Connector, TicketID: r.TicketID, Field: r.Field, Predicted: r.Predicted,
			Confidence: r.Confidence, Final: r.Final, Agreed: r.Agreed, At: r.At})
	}
	rep := agreement.Summarize(fb)
	rep.Connector, rep.Since = connector, since
	return rep
}
