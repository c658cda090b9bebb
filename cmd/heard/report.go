package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/report"
)

// cmdReport prints the weekly support report.
func reportCmd() *cobra.Command {
	return cli.Command("report [--week 2026-W49] [--connector NAME] [--format text|md|html|json] [--json] [--config FILE]", "the weekly support report: volume, response times, SLA, CSAT, backlog, voice of the customer", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		week := fs.String("week", "", "the ISO `week` to report, e.g. 2026-W49 (default: the last complete week)")
		connector := fs.String("connector", "", "only this connector `name` (default: all)")
		format := fs.String("format", "text", "output `format`: text, md, html or json")
		asJSON := fs.Bool("json", false, "print JSON: the same as --format json")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if len(args) > 0 {
				return errUsage
			}
			if *asJSON {
				*format = "json"
			}
			now := time.Now()
			w := report.WeekOf(now).Prev()
			if *week != "" {
				var err error
				if w, err = report.ParseWeek(*week); err != nil {
					return fmt.Errorf("--week: %w", err)
				}
			}
			write := map[string]func(*report.Report, io.Writer) error{
				"text": (*report.Report).WriteText, "md": (*report.Report).WriteMarkdown,
				"html": (*report.Report).WriteHTML, "json": (*report.Report).WriteJSON,
			}[*format]
			if write == nil {
				return fmt.Errorf("--format %q: want text, md, html or json", *format)
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
				return fmt.Errorf("opening store: %w", err)
			}
			defer st.Close()
			rep, err := report.Build(ctx, st, report.Options{Week: w, Connector: *connector, Now: now})
			if err != nil {
				return err
			}
			return write(rep, stdout)
		}
	})
}
