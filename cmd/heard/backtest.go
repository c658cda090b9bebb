package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/classify/learned/retrain"
	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/backtest"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// cmdBacktest runs the whole triage — enrichers, classifiers, plugins and
// the decide stage, as serve does — over a connector's solved tickets and
// reports agreement with the agents' final values. Nothing is written to
// the help desk (package backtest never hands the pipeline the connector's
// Apply) or to heard's records.
func backtestCmd() *cobra.Command {
	return cli.Command("backtest --connector NAME [--since 30d] [--limit K] [--json] [--config FILE]", "triage a connector's solved tickets in shadow and compare with the agents' final values", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		name := fs.String("connector", "", "configured connector `name` to read solved tickets from (required)")
		since := fs.String("since", "30d", "tickets solved since: a `duration` (30d) or a date (2026-11-01)")
		limit := fs.Int("limit", 500, "at most this many tickets")
		asJSON := fs.Bool("json", false, "print one JSON object")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if *name == "" {
				return errUsage
			}
			from, err := parseSince(*since, time.Now())
			if err != nil {
				return err
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			host, err := loadPlugins(ctx, *cfgPath, cfg, log)
			if err != nil {
				return err
			}
			defer func() { _ = host.Close(context.WithoutCancel(ctx)) }()
			built, err := buildConnectors(ctx, cfg, host, *name, log)
			if err != nil {
				return err
			}
			defer connectors.Close(context.WithoutCancel(ctx), built)
			c := built[0]
			src, ok := c.Connector.(backtest.Source)
			if !ok {
				return fmt.Errorf("connector type %q cannot list tickets", c.Config.Type)
			}
			// The store and knowledge base are read (same-issue counts, articles for
			// drafts); records go to memory only.
			st, err := openStore(ctx, cfg)
			if err != nil {
				return fmt.Errorf("opening store: %w", err)
			}
			defer st.Close()
			var search enrich.KBSearch
			var answerThreshold float64
			if k, err := openKnowledgeBase(ctx, cfg, st, "", 0, log); err == nil {
				defer k.close()
				search, answerThreshold = draftSearch(k.KB), k.AnswerThreshold()
			}
			var similar enrich.SolvedSearch
			if sx, _, closeSolved, err := openSolved(ctx, cfg, st, nil, log); err == nil {
				defer closeSolved()
				similar = similarSolved(sx)
			}
			tri, err := buildTriage(cfg, st, search, answerThreshold, similar, host, log)
			if err != nil {
				return err
			}
			defer func() { _ = tri.Close(context.WithoutCancel(ctx)) }()

			// With a current learned model, the same tickets also run without it,
			// so the report shows what training bought.
			var baseline sdk.Classifier
			modelName := ""
			if v := learnedVersion(ctx, tri.Ensemble); v > 0 {
				b := *tri.Ensemble
				b.Classifiers = slices.DeleteFunc(slices.Clone(b.Classifiers), func(n classify.Named) bool { return n.ID == classify.LearnedID })
				baseline, modelName = &b, fmt.Sprintf("with model v%d", v)
			}
			bar := newProgress(stderr, 0, "backtest")
			res, err := backtest.Run(ctx, backtest.Config[enrich.Explanation]{
				Connector: c.Config.Name, Source: src, Mode: c.Config.Mode, Since: from, Limit: *limit,
				Enrichers: tri.enrichers, Classifier: tri.Ensemble, Fields: tri.Fields, Decider: tri.decider,
				Baseline: baseline, BaselineName: "without the learned model",
				Progress: func(done, total int) { bar.total = total; bar.set(done) }, Logger: log,
			})
			if err != nil {
				return err
			}
			bar.done()
			if *asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "%d solved tickets on %s since %s, triaged in shadow (nothing written; live mode would have written to %d):\n\n",
				res.Tickets, *name, from.Format(time.DateOnly), res.WouldWrite)
			if res.Tickets == 0 {
				return nil
			}
			if res.Baseline != nil {
				writeSideBySide(stdout, res.Baseline.Report, res.Report, res.Baseline.Name, modelName)
				fmt.Fprintf(stdout, "\nDetail %s:\n\n", modelName)
			}
			return res.WriteText(stdout)
		}
	})
}

// learnedVersion loads the learned classifier's current model, if the
// ensemble has one, and returns its version (0: none).
func learnedVersion(ctx context.Context, e *classify.Ensemble) int64 {
	for _, n := range e.Classifiers {
		if srv, ok := n.Impl.(*retrain.Serving); ok {
			if err := srv.Refresh(ctx); err != nil {
				return 0
			}
			return srv.Version()
		}
	}
	return 0
}

// writeSideBySide prints agreement per field for two runs.
func writeSideBySide(w io.Writer, a, b agreement.Report, nameA, nameB string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "field\t%s\t%s\n", nameA, nameB)
	rate := func(r agreement.Report, field string) string {
		for _, f := range r.Fields {
			if f.Field == field {
				return fmt.Sprintf("%.1f%% (%d/%d)", 100*f.Rate, f.Agreed, f.Predictions)
			}
		}
		return "-"
	}
	for _, f := range b.Fields {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Field, rate(a, f.Field), rate(b, f.Field))
	}
	_ = tw.Flush()
}

// progress draws a one-line progress bar on a terminal-ish writer.
type progress struct {
	w     io.Writer
	total int
	label string
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int, label string) *progress {
	return &progress{w: w, total: total, label: label, start: time.Now()}
}

func (p *progress) set(n int) {
	if p.total == 0 || (time.Since(p.last) < 100*time.Millisecond && n < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * n / p.total
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(p.w, "\r%s [%s] %d/%d %s", p.label, bar, n, p.total, time.Since(p.start).Round(time.Millisecond))
}

func (p *progress) done() {
	if p.total > 0 {
		fmt.Fprintln(p.w)
	}
}
