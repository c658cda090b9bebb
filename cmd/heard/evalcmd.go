package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// cmdEval runs the configured classifiers over a labelled CSV and prints
// accuracy, F1, the confusion matrix and throughput.
func evalCmd() *cobra.Command {
	return cli.Command("eval --labels FILE.csv [--model MODEL|current] [--json] [--config FILE]", "measure the classifiers on a labelled CSV", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		labels := fs.String("labels", "", "labelled CSV `file` with header subject,body,priority,tags (required)")
		asJSON := fs.Bool("json", false, "print one JSON object")
		modelPath := fs.String("model", "", "learned model `file` (heard train --out), or \"current\" for the store's, merged with the rules as serve would")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if *labels == "" {
				return errUsage
			}
			cfg, err := config.Load(*cfgPath, nil)
			if err != nil {
				return err
			}
			f, err := os.Open(*labels) //nolint:gosec // the admin names the file
			if err != nil {
				return fmt.Errorf("opening labels: %w", err)
			}
			defer f.Close()
			examples, err := eval.ReadCSV(f)
			if err != nil {
				return fmt.Errorf("%s: %w", *labels, err)
			}
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			// The configured classifiers and classifier plugins, as serve runs them;
			// they need no store, and the triage policy is not evaluated.
			host, err := loadPlugins(ctx, *cfgPath, cfg, log)
			if err != nil {
				return err
			}
			defer func() { _ = host.Close(context.WithoutCancel(ctx)) }()
			tri, err := buildClassifiers(cfg, host, nil, log)
			if err != nil {
				return err
			}
			defer func() { _ = tri.Close(context.WithoutCancel(ctx)) }()
			var classifier sdk.Classifier = tri.Ensemble
			if *modelPath != "" {
				if classifier, err = withModel(ctx, cfg, tri.Ensemble, *modelPath); err != nil {
					return err
				}
			}
			rep, err := eval.Run(ctx, classifier, examples, eval.Options{Taxonomy: taxonomyOf(tri.Fields)})
			if err != nil {
				return err
			}
			if *asJSON {
				return json.NewEncoder(stdout).Encode(rep)
			}
			return rep.WriteText(stdout)
		}
	})
}
