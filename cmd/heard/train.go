package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/sdk"
)

// errNoOut says where a model goes until models are kept in the store.
var errNoOut = errors.New("--out is required (models are not stored in the database yet)")

// cmdTrain trains the learned classifier on a labelled CSV and writes the
// model file.
func cmdTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "train --labels FILE.csv --out MODEL [--json] [--seed N] [--add-unknown-labels]", stderr)
	labels := fs.String("labels", "", "labelled CSV `file` with header subject,body,priority,tags (required)")
	out := fs.String("out", "", "model `file` to write (required for now)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	seed := fs.Uint64("seed", 1, "random seed; the same data and seed give the same model")
	addUnknown := fs.Bool("add-unknown-labels", false, "train labels outside the taxonomy as new classes instead of skipping them")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *labels == "" {
		fs.Usage()
		return errUsage
	}
	if *out == "" {
		return errNoOut
	}
	examples, err := readLabels(*labels)
	if err != nil {
		return err
	}
	train := make([]learned.Example, 0, len(examples))
	for _, ex := range examples {
		train = append(train, learned.Example{Subject: ex.Subject, Body: ex.Body, Priority: string(ex.Priority), Tags: ex.Tags})
	}
	m, rep, err := learned.Train(ctx, train, learned.TrainConfig{Seed: *seed, AddUnknownLabels: *addUnknown,
		Progress: func(p learned.Progress) {
			if p.Stage == "train" {
				fmt.Fprintf(stderr, "\rtraining %s: epoch %d/%d   ", p.Field, p.Epoch, p.Epochs)
			} else {
				fmt.Fprintf(stderr, "\r%-40s", p.Stage)
			}
		}})
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
func withModel(c sdk.Classifier, path string) (sdk.Classifier, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the admin names the file
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	m, err := learned.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	lc, err := learned.NewClassifier(m)
	if err != nil {
		return nil, err
	}
	g, err := learned.NewGated(lc, learned.DefaultMergePolicy())
	if err != nil {
		return nil, err
	}
	ens, ok := c.(*classify.Ensemble)
	if !ok {
		return nil, fmt.Errorf("joining the model: classifier is %T, not an ensemble", c)
	}
	out := *ens
	out.Classifiers = append(slices.Clone(ens.Classifiers), classify.Named{ID: learned.ID, Classifier: g})
	out.Merge = learned.EnsembleMerge(ens.Merge)
	return &out, nil
}
