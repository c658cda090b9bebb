package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	kbpostgres "github.com/heardhq/heard/kb/postgres"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
	"github.com/heardhq/heard/sdk"
)

// kbCmd is `heard kb ingest|sync|search|stats|eval`.
func kbCmd() *cobra.Command {
	c := cli.Group("kb COMMAND", "the knowledge base: ingest, sync, search \"query\", stats, eval",
		kbIngestCmd(), kbSyncCmd(), kbSearchCmd(), kbStatsCmd(), kbEvalCmd())
	c.Long = `The knowledge base: ingest, sync, search, stats and eval.

The knowledge base lives in the configured store (SQLite by default,
PostgreSQL when database_url is set). Embeddings come from the embedder set
under kb.embedder in the config file: hashed (offline, the default) or
openai (the llm: section's embedding model); see docs/configuration.md.`
	return c
}

// kbOptions are the flags every kb command shares.
type kbOptions struct {
	config   *string
	embedder *string
	minScore *float64
}

func kbFlags(fs *pflag.FlagSet) *kbOptions {
	return &kbOptions{
		config:   configFlag(fs),
		embedder: fs.String("embedder", "", "embedder `name` to use instead of kb.embedder: "+strings.Join(embed.Components.Names(), " or ")+"; its settings come from the config"),
		minScore: fs.Float64("min-score", 0, fmt.Sprintf("hide matches scoring below this (0..1); 0 means kb.min_score or the default %.2f, negative shows all", kb.DefaultMinScore)),
	}
}

// kbSession is a knowledge base on the configured store.
type kbSession struct {
	*openedKB
	cfg config.Config
	log *slog.Logger
}

// openKB loads the config and opens the knowledge base in heard's store.
func openKB(ctx context.Context, o *kbOptions, stderr io.Writer) (*kbSession, error) {
	cfg, err := config.Load(*o.config, nil)
	if err != nil {
		return nil, err
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	k, err := openKnowledgeBase(ctx, cfg, st, *o.embedder, *o.minScore, log)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	closeKB := k.close
	k.close = func() {
		closeKB()
		_ = st.Close()
	}
	return &kbSession{openedKB: k, cfg: cfg, log: log}, nil
}

// progressPrinter prints sync progress lines to w, at most one a second
// plus the last.
func progressPrinter(w io.Writer) func(kb.Progress) {
	var last time.Time
	return func(p kb.Progress) {
		if !p.Done && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "kb: %s: %d listed, %d added, %d updated, %d unchanged, %d deleted, %d skipped, %d chunks embedded\n",
			p.Source, p.Listed, p.Added, p.Updated, p.Unchanged, p.Deleted, p.Skipped, p.Chunks)
	}
}

func printSyncResult(w io.Writer, r kb.SyncResult) {
	mode := "incremental"
	if r.Full {
		mode = "full"
	}
	fmt.Fprintf(w, "%s: %s sync in %s: %d added, %d updated, %d unchanged, %d deleted (%d chunks embedded)\n",
		r.Source, mode, r.Duration.Round(time.Millisecond), r.Added, r.Updated, r.Unchanged, r.Deleted, r.Chunks)
}

func kbIngestCmd() *cobra.Command {
	return cli.Command("ingest --dir DIR [--source NAME] [--reembed] [--config FILE]", "index a local folder of Markdown/HTML articles, or re-embed the knowledge base", func(fs *pflag.FlagSet) cli.RunFunc {
		o := kbFlags(fs)
		dir := fs.String("dir", "", "folder of Markdown (.md), HTML (.html) and text files with front matter (id, title, url, locale, section)")
		source := fs.String("source", "local", "source `name` the folder's articles are kept under; files removed from the folder are removed from it")
		reembed := fs.Bool("reembed", false, "first re-embed every stored chunk with the configured embedder (after changing embedders)")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if *dir == "" && !*reembed {
				return cli.Usagef("--dir or --reembed is required")
			}
			ok, err := openKB(ctx, o, stderr)
			if err != nil {
				return err
			}
			defer ok.close()
			if *reembed {
				var last time.Time
				err := ok.Reembed(ctx, func(done, total int) {
					if done == total || time.Since(last) >= time.Second {
						last = time.Now()
						fmt.Fprintf(stderr, "kb: re-embedded %d of %d chunks\n", done, total)
					}
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "re-embedded the knowledge base with %s (%d dimensions)\n", ok.KB.Meta().Model, ok.KB.Meta().Dim)
			}
			if *dir == "" {
				return nil
			}
			res, err := ok.Sync(ctx, kb.FromDir(*source, *dir), kb.SyncOptions{Full: true, Progress: progressPrinter(stderr)})
			if err != nil {
				return err
			}
			printSyncResult(stdout, res)
			return nil
		}
	})
}

func kbSyncCmd() *cobra.Command {
	return cli.Command("sync [--connector NAME] [--full] [--json] [--config FILE]", "sync the help centers of the configured connectors", func(fs *pflag.FlagSet) cli.RunFunc {
		o := kbFlags(fs)
		only := fs.String("connector", "", "sync only this configured connector")
		full := fs.Bool("full", false, "list every article (and remove deleted ones) even if an incremental sync would do")
		asJSON := fs.Bool("json", false, "print a JSON array, one sync result per help center")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if len(args) > 0 {
				return errUsage
			}
			notes := stdout // skipped connectors; with --json, stdout holds only the JSON
			if *asJSON {
				notes = stderr
			}
			results := []kb.SyncResult{}
			ok, err := openKB(ctx, o, stderr)
			if err != nil {
				return err
			}
			defer ok.close()
			synced := 0
			var errs []error
			built, err := buildConnectors(ctx, ok.cfg, nil, *only, ok.log)
			if err != nil {
				return err
			}
			defer connectors.Close(ctx, built)
			for _, c := range built {
				lister, isLister := c.Connector.(sdk.ArticleLister)
				if !isLister {
					fmt.Fprintf(notes, "%s: the %s connector has no help center to sync; skipped\n", c.Config.Name, c.Config.Type)
					continue
				}
				res, err := ok.Sync(ctx, kb.FromLister(c.Config.Name, lister), kb.SyncOptions{Full: *full, Progress: progressPrinter(stderr)})
				if err != nil {
					errs = append(errs, err)
					continue
				}
				results = append(results, res)
				if !*asJSON {
					printSyncResult(stdout, res)
				}
				synced++
			}
			if *asJSON {
				if err := json.NewEncoder(stdout).Encode(results); err != nil {
					return err
				}
			}
			if *only != "" && synced == 0 && len(errs) == 0 {
				return fmt.Errorf("no configured connector named %q has a help center", *only)
			}
			if len(ok.cfg.Connectors) == 0 {
				fmt.Fprintln(notes, "no connectors configured; use heard kb ingest --dir DIR for local articles")
			}
			return errors.Join(errs...)
		}
	})
}

func kbSearchCmd() *cobra.Command {
	return cli.Command(`search "QUERY" [--locale L] [--source S] [--k N] [--mode hybrid|vector|text] [--json] [--config FILE]`, "search the knowledge base", func(fs *pflag.FlagSet) cli.RunFunc {
		o := kbFlags(fs)
		locale := fs.String("locale", "", "only articles in this locale's language (e.g. en, fr-ca)")
		source := fs.String("source", "", "only articles of this source (connector name or local source)")
		k := fs.Int("k", kb.DefaultK, fmt.Sprintf("how many articles to show (at most %d)", kb.MaxK))
		modeFlag := fs.String("mode", "hybrid", "ranking: hybrid (vector and full-text, fused), vector or text")
		asJSON := fs.Bool("json", false, "print the matches as JSON")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			query := strings.Join(args, " ")
			if strings.TrimSpace(query) == "" {
				return cli.Usagef("a query is required")
			}
			mode, err := kb.ParseMode(*modeFlag)
			if err != nil {
				return err
			}
			ok, err := openKB(ctx, o, stderr)
			if err != nil {
				return err
			}
			defer ok.close()
			ms, err := ok.Search(ctx, kb.Query{Text: query, Locale: *locale, Source: *source, K: *k, Mode: mode})
			if err != nil {
				return err
			}
			if *asJSON {
				if ms == nil {
					ms = []kb.Match{}
				}
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(ms)
			}
			if len(ms) == 0 {
				fmt.Fprintln(stdout, "no article matches well enough")
				return nil
			}
			for i, m := range ms {
				fmt.Fprintf(stdout, "%d. %s  (score %.2f)\n   %s\n", i+1, m.Title, m.Score, m.URL)
				if m.Heading != "" {
					fmt.Fprintf(stdout, "   § %s\n", m.Heading)
				}
				fmt.Fprintf(stdout, "   %s\n", m.Snippet)
			}
			return nil
		}
	})
}

func kbStatsCmd() *cobra.Command {
	return cli.Command("stats [--json] [--config FILE]", "show what the knowledge base holds", func(fs *pflag.FlagSet) cli.RunFunc {
		o := kbFlags(fs)
		asJSON := fs.Bool("json", false, "print JSON")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			ok, err := openKB(ctx, o, stderr)
			if err != nil {
				return err
			}
			defer ok.close()
			st, err := ok.Stats(ctx)
			if err != nil {
				return err
			}
			if *asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			model := st.Model
			if model == "" {
				model = "(none yet)"
			}
			fmt.Fprintf(stdout, "store:    %s\nmodel:    %s (%d dimensions)\narticles: %d\nchunks:   %d\nlast sync: %s\n",
				st.Driver, model, st.Dim, st.Articles, st.Chunks, formatWhen(st.LastSync))
			if len(st.Sources) > 0 {
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "\nSOURCE\tARTICLES\tCHUNKS\tLAST SYNC\tLAST FULL SYNC")
				for _, s := range st.Sources {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", s.Source, s.Articles, s.Chunks, formatWhen(s.LastSync), formatWhen(s.LastFull))
				}
				return tw.Flush()
			}
			return nil
		}
	})
}

func formatWhen(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func kbEvalCmd() *cobra.Command {
	return cli.Command("eval --dir DIR --labels FILE.csv [--json] [--database-url URL] [--mode hybrid|vector|text] [--embedder NAME] [--config FILE]", "measure recall@1/3/5/10, MRR and latency of a folder of articles against labelled questions", func(fs *pflag.FlagSet) cli.RunFunc {
		o := kbFlags(fs)
		dir := fs.String("dir", "", "folder of articles (Markdown with front-matter id)")
		queries := fs.String("labels", "", "labelled questions: a CSV `file` with the header query,article_id")
		cli.Alias(fs, "articles", "dir")
		cli.Alias(fs, "queries", "labels")
		asJSON := fs.Bool("json", false, "print one JSON object: n, recall_at_1/3/5/10, mrr, p50_ms, p99_ms, answer_threshold, answer_precision, answer_coverage, curve")
		fitOut := fs.String("fit-answer-model", "", "also refit the answer model on these queries (5-fold cross-validated figures on stderr) and write it to this JSON `file`, for kb.answer_model")
		dbURL := fs.String("database-url", "", "evaluate on PostgreSQL at this URL (in a temporary schema, dropped after) instead of a temporary SQLite file")
		modeFlag := fs.String("mode", "hybrid", "ranking: hybrid, vector or text")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if *dir == "" || *queries == "" {
				return cli.Usagef("--dir and --labels are required")
			}
			mode, err := kb.ParseMode(*modeFlag)
			if err != nil {
				return err
			}
			f, err := os.Open(*queries)
			if err != nil {
				return fmt.Errorf("reading queries: %w", err)
			}
			qs, err := kb.ReadQueries(f)
			_ = f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", *queries, err)
			}
			cfg, err := config.Load(*o.config, nil)
			if err != nil {
				return err
			}
			log := newLogger(stderr, "warn", "text")
			emb, kc, closeEmb, err := embed.Build(embed.Components, cfg.KB, cfg.LLM, *o.embedder, log)
			if err != nil {
				return err
			}
			defer func() { _ = closeEmb(context.WithoutCancel(ctx)) }()
			if *o.minScore == 0 {
				*o.minScore = kc.MinScore
			}
			var st kb.Store
			if *dbURL != "" {
				st, err = kbpostgres.Open(ctx, *dbURL, kbpostgres.Options{Temporary: true})
			} else {
				tmp, terr := os.MkdirTemp("", "heard-kb-eval-")
				if terr != nil {
					return fmt.Errorf("creating a temporary store: %w", terr)
				}
				defer os.RemoveAll(tmp)
				st, err = kbsqlite.Open(ctx, filepath.Join(tmp, "kb.db"))
			}
			if err != nil {
				return err
			}
			defer st.Close()
			var model *kb.AnswerModel
			if kc.AnswerModel != "" {
				m, merr := kb.ReadAnswerModel(kc.AnswerModel)
				if merr != nil {
					return fmt.Errorf("kb.answer_model: %w", merr)
				}
				model = &m
			}
			k, err := kb.New(kb.Config{Store: st, Embedder: emb, Logger: log, MinScore: *o.minScore, AnswerThreshold: kc.AnswerThreshold, AnswerModel: model})
			if err != nil {
				return err
			}
			res, err := k.Sync(ctx, kb.FromDir("eval", *dir), kb.SyncOptions{Progress: progressPrinter(stderr)})
			if err != nil {
				return err
			}
			if res.Added == 0 {
				return fmt.Errorf("no articles found in %s", *dir)
			}
			var last time.Time
			m, err := kb.Evaluate(ctx, k, qs, kb.EvalOptions{Mode: mode, Progress: func(done, total int) {
				if done == total || time.Since(last) >= time.Second {
					last = time.Now()
					fmt.Fprintf(stderr, "kb: %d of %d queries\n", done, total)
				}
			}})
			if err != nil {
				return err
			}
			if *fitOut != "" {
				if err := fitAnswerModel(ctx, k, qs, *fitOut, stderr); err != nil {
					return err
				}
			}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(m)
			}
			fmt.Fprintf(stdout, "%d articles (%d chunks) on %s, %s search with %s, %d queries:\n", res.Added, res.Chunks, st.Driver(), mode, emb.Model(), m.N)
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "recall@1\t%.3f\nrecall@3\t%.3f\nrecall@5\t%.3f\nrecall@10\t%.3f\nMRR\t%.3f\np50\t%.2f ms\np99\t%.2f ms\n",
				m.RecallAt1, m.RecallAt3, m.RecallAt5, m.RecallAt10, m.MRR, m.P50Ms, m.P99Ms)
			fmt.Fprintf(tw, "answer threshold\t%.2f\nanswer precision\t%.3f\nanswer coverage\t%.3f\n", m.AnswerThreshold, m.AnswerPrecision, m.AnswerCoverage)
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "\nanswer precision/coverage by threshold:")
			tw = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "threshold\tprecision\tcoverage")
			for _, p := range m.Curve {
				fmt.Fprintf(tw, "%.2f\t%.3f\t%.3f\n", p.Threshold, p.Precision, p.Coverage)
			}
			return tw.Flush()
		}
	})
}

// fitAnswerModel refits the answer model on qs, prints its 5-fold
// cross-validated precision and coverage at the KB's threshold, and
// writes it to path.
func fitAnswerModel(ctx context.Context, k *kb.KB, qs []kb.EvalQuery, path string, stderr io.Writer) error {
	samples, err := kb.AnswerSamples(ctx, k, qs)
	if err != nil {
		return fmt.Errorf("fitting the answer model: %w", err)
	}
	held, err := kb.CrossValidate(samples, 5, kb.DefaultAnswerLambda)
	if err != nil {
		return err
	}
	right := make([]bool, len(samples))
	for i, s := range samples {
		right[i] = s.Right
	}
	at := kb.AnswerAt(held, right, k.AnswerThreshold())
	fmt.Fprintf(stderr, "kb: answer model, 5-fold cross-validated at %.2f: precision %.3f, coverage %.3f\n", at.Threshold, at.Precision, at.Coverage)
	m, err := kb.FitAnswerModel(samples, kb.DefaultAnswerLambda)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("writing the answer model: %w", err)
	}
	fmt.Fprintf(stderr, "kb: answer model written to %s (set kb.answer_model to use it)\n", path)
	return nil
}
