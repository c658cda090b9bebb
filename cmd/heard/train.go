package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/retrain"
	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/backtest"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

// cmdTrain trains the learned classifier on labelled tickets — a CSV, a
// connector's solved tickets, or the solved tickets heard has indexed —
// and stores it as a new model version (promoted when at least as good as
// the current one), or writes it to a file with --out.
func trainCmd() *cobra.Command {
	return cli.Command("train (--labels FILE.csv | --connector NAME [--since 180d] | --indexed [--since 180d]) [--out MODEL] [--promote auto|always|never] [--json] [--seed N] [--add-unknown-labels] [--config FILE]", "train the learned classifier on labelled tickets (a CSV, a connector's or the indexed solved tickets)", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		labels := fs.String("labels", "", "labelled CSV `file` with header subject,body,priority,tags")
		connector := fs.String("connector", "", "train on this configured connector's solved tickets (the agents' final priority and tags)")
		indexed := fs.Bool("indexed", false, "train on the solved tickets heard has indexed (what the periodic retrain uses)")
		since := fs.String("since", "180d", "with --connector or --indexed: tickets solved since a `duration` (180d) or a date")
		limit := fs.Int("limit", 100000, "with --connector: at most this many tickets")
		out := fs.String("out", "", "write the model to this `file` instead of the store")
		promote := fs.String("promote", retrain.PromoteAuto, "auto: promote if at least as good as the current model on the newest tickets; always; never")
		asJSON := fs.Bool("json", false, "print one JSON object")
		seed := fs.Uint64("seed", 1, "random seed; the same data and seed give the same model")
		addUnknown := fs.Bool("add-unknown-labels", false, "train labels outside the taxonomy as new classes instead of skipping them")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			sources := 0
			for _, set := range []bool{*labels != "", *connector != "", *indexed} {
				if set {
					sources++
				}
			}
			if sources != 1 {
				return cli.Usagef("give exactly one of --labels, --connector or --indexed")
			}
			if !slices.Contains([]string{retrain.PromoteAuto, retrain.PromoteAlways, retrain.PromoteNever}, *promote) {
				return fmt.Errorf("--promote %q: want auto, always or never", *promote)
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
			// The store is needed unless a CSV is trained into a file.
			var st store.Store
			if *labels == "" || *out == "" {
				if st, err = openStore(ctx, cfg); err != nil {
					return fmt.Errorf("opening store: %w", err)
				}
				defer st.Close()
			}
			tri, err := buildClassifiers(cfg, nil, nil, log)
			if err != nil {
				return err
			}
			tags := taxonomyOf(tri.Fields)
			_ = tri.Close(context.WithoutCancel(ctx))

			var train []learned.Example
			source := ""
			switch {
			case *labels != "":
				examples, err := readLabels(*labels)
				if err != nil {
					return err
				}
				for _, ex := range examples {
					train = append(train, learned.Example{Subject: ex.Subject, Body: ex.Body, Priority: string(ex.Priority), Tags: ex.Tags})
				}
				source = "csv " + filepath.Base(*labels)
			case *connector != "":
				train, err = connectorLabels(ctx, cfg, st, *connector, tags, from, *limit, *out == "", log, stderr)
				if err != nil {
					return err
				}
				source = "connector " + *connector
			default:
				sx, ix, closeSolved, err := openSolved(ctx, cfg, st, nil, log)
				if err != nil {
					return err
				}
				defer closeSolved()
				_ = sx
				rows, err := ix.List(ctx, "", from)
				if err != nil {
					return err
				}
				train = retrain.FromSolved(rows, tags)
				source = "indexed solved tickets"
			}
			if len(train) == 0 {
				return fmt.Errorf("no labelled tickets to train on (%s)", source)
			}
			tc := learned.TrainConfig{Seed: *seed, AddUnknownLabels: *addUnknown, Tags: tags, Progress: trainProgress(stderr)}
			if *out != "" {
				m, rep, err := learned.Train(ctx, train, tc)
				fmt.Fprintln(stderr)
				if err != nil {
					return err
				}
				b, err := m.Marshal()
				if err != nil {
					return err
				}
				if err := os.WriteFile(*out, b, 0o600); err != nil {
					return fmt.Errorf("writing model: %w", err)
				}
				if *asJSON {
					return json.NewEncoder(stdout).Encode(rep)
				}
				return writeTrainText(stdout, rep)
			}
			res, err := retrain.Run(ctx, st, train, retrain.Options{Train: tc, Promote: *promote, Source: source}, log)
			fmt.Fprintln(stderr)
			if err != nil {
				return err
			}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(res)
			}
			fmt.Fprintf(stdout, "stored model v%d: %s\n", res.Version, res.Reason)
			return writeTrainText(stdout, res.Report)
		}
	})
}

func trainProgress(w io.Writer) func(learned.Progress) {
	return func(p learned.Progress) {
		if p.Stage == "train" {
			fmt.Fprintf(w, "\rtraining %s: epoch %d/%d   ", p.Field, p.Epoch, p.Epochs)
		} else {
			fmt.Fprintf(w, "\r%-40s", p.Stage)
		}
	}
}

// taxonomyOf is the tag names the classifiers are asked for.
func taxonomyOf(fields []sdk.FieldSpec) []string {
	for _, f := range fields {
		if f.Name == sdk.FieldPrimaryTag {
			return f.Allowed
		}
	}
	return nil
}

// connectorLabels reads a connector's solved tickets with the agents'
// final values, redacted; with index set it also stores them in the
// solved-ticket index (for similar-ticket search and later retrains).
func connectorLabels(ctx context.Context, cfg config.Config, st store.Store, name string, taxonomy []string, from time.Time, limit int, index bool, log *slog.Logger, stderr io.Writer) ([]learned.Example, error) {
	built, err := buildConnectors(ctx, cfg, nil, name, log)
	if err != nil {
		return nil, err
	}
	defer connectors.Close(context.WithoutCancel(ctx), built)
	conn := built[0].Connector
	lister, ok := conn.(sdk.TicketLister)
	if !ok {
		return nil, fmt.Errorf("connector %q (%s) cannot list tickets", name, built[0].Config.Type)
	}
	var sx *solved.Indexer
	if index {
		var closeSolved func()
		links := map[string]sdk.TicketLinker{}
		if l, ok := conn.(sdk.TicketLinker); ok {
			links[name] = l
		}
		if sx, _, closeSolved, err = openSolved(ctx, cfg, st, links, log); err != nil {
			return nil, err
		}
		defer closeSolved()
	}
	refs, err := backtest.ListSolved(ctx, lister, from, limit)
	if err != nil {
		return nil, err
	}
	bar := newProgress(stderr, len(refs), "reading solved tickets")
	rows := make([]solved.Ticket, 0, len(refs))
	for i, ref := range refs {
		t, err := conn.Ticket(ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("fetching ticket %s: %w", ref, err)
		}
		if sx != nil {
			if err := sx.IndexSolved(ctx, t); err != nil {
				return nil, err
			}
		}
		row := solved.FromTicket(t)
		if row.SolvedAt.IsZero() {
			row.SolvedAt = t.CreatedAt
		}
		rows = append(rows, row)
		bar.set(i + 1)
	}
	bar.done()
	return retrain.FromSolved(rows, taxonomy), nil
}

func readLabels(path string) ([]eval.Example, error) {
	f, err := os.Open(path) //nolint:gosec // the admin names the file
	if err != nil {
		return nil, fmt.Errorf("opening labels: %w", err)
	}
	defer f.Close()
	examples, err := eval.ReadCSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return examples, nil
}

func writeTrainText(w io.Writer, rep *learned.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "trained on %d tickets, metrics on the newest %d (holdout); %d buckets, %d bytes, %s\n",
		rep.TrainExamples, rep.HoldoutExamples, rep.Rows, rep.ModelBytes, rep.Duration.Round(1e6))
	for f, vs := range rep.Unknown {
		fmt.Fprintf(tw, "labels outside the taxonomy in %s (added: %v): %v\n", f, rep.UnknownAdded, vs)
	}
	for f, why := range rep.Skipped {
		fmt.Fprintf(tw, "%s not trained: %s\n", f, why)
	}
	for _, f := range rep.Fields {
		h := f.Holdout
		fmt.Fprintf(tw, "\n%s\taccuracy %.3f\tmacro-F1 %.3f\tECE %.3f\t(n=%d, temperature %.2f, %d epochs)\n", f.Name, h.Accuracy, h.MacroF1, h.ECE, h.N, f.Temperature, f.Epochs)
		if len(f.Thresholds) == 0 {
			fmt.Fprintln(tw, "class\ttrain examples\tprecision\trecall\tf1\tsupport")
		} else {
			fmt.Fprintln(tw, "class\ttrain examples\tprecision\trecall\tf1\tsupport\tthreshold")
		}
		for k, c := range f.Classes {
			cm := h.PerClass[c]
			fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%d", c, f.ClassCounts[c], cm.Precision, cm.Recall, cm.F1, cm.Support)
			if k < len(f.Thresholds) {
				fmt.Fprintf(tw, "\t%.2f", f.Thresholds[k])
			}
			fmt.Fprintln(tw)
		}
	}
	return tw.Flush()
}

// withModel loads a model file and joins it, gated by the default merge
// policy, to the classifiers in c (an ensemble as buildClassifiers makes
// it), so the model decides where it has support and confidence.
// path "current" is the store's current model.
func withModel(ctx context.Context, cfg config.Config, c sdk.Classifier, path string) (sdk.Classifier, error) {
	var b []byte
	var err error
	if path == "current" {
		st, err := openStore(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("opening store: %w", err)
		}
		defer st.Close()
		mv, err := st.CurrentModel(ctx, retrain.Kind)
		if err != nil {
			return nil, fmt.Errorf("reading the current model (train one with heard train): %w", err)
		}
		b, path = mv.Blob, fmt.Sprintf("model v%d", mv.Version)
	} else if b, err = os.ReadFile(path); err != nil { //nolint:gosec // the admin names the file
		return nil, fmt.Errorf("reading model: %w", err)
	}
	lcfg, err := retrain.ConfigFrom(cfg.Classify)
	if err != nil {
		return nil, err
	}
	policy := lcfg.Policy()
	m, err := learned.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	lc, err := learned.NewClassifier(m)
	if err != nil {
		return nil, err
	}
	g, err := learned.NewGated(lc, policy)
	if err != nil {
		return nil, err
	}
	ens, ok := c.(*classify.Ensemble)
	if !ok {
		return nil, fmt.Errorf("joining the model: classifier is %T, not an ensemble", c)
	}
	out := *ens
	out.Classifiers = append(slices.Clone(ens.Classifiers), classify.Named{ID: learned.ID, Impl: g})
	out.Merge = learned.EnsembleMerge(ens.Merge)
	return &out, nil
}
