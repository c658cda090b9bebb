package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// modelMetrics are the Meta paths `heard model list` shows when a model's
// metadata has them (a dotted path is read through nested objects).
var modelMetrics = []struct{ header, path string }{
	{"PRIORITY ACC", "metrics.priority.accuracy"},
	{"TAG ACC", "metrics.tag.primary.accuracy"},
	{"ECE", "ece"},
}

// newModelCmd is `heard model list|show|promote|rollback`.
func newModelCmd() *cobra.Command {
	return cli.Group("model list|show VERSION|promote VERSION|rollback", "the learned classifier's stored versions: list, show VERSION, promote VERSION, rollback",
		modelSubCmd("list [--kind KIND] [--json] [--config FILE]", "the stored versions, newest first, with their metrics", 0,
			func(mc modelCmd, ctx context.Context, _ int64) error { return mc.list(ctx) }),
		modelSubCmd("show VERSION [--kind KIND] [--json] [--config FILE]", "one version's status, metrics and metadata", 1, modelCmd.show),
		modelSubCmd("promote VERSION [--kind KIND] [--json] [--config FILE]", "make a version the current one", 1, modelCmd.promote),
		modelSubCmd("rollback [--kind KIND] [--json] [--config FILE]", "make the previous current version current again", 0,
			func(mc modelCmd, ctx context.Context, _ int64) error { return mc.rollback(ctx) }),
	)
}

// modelSubCmd is one model subcommand taking nargs positional arguments
// (0, or 1: a version) and the flags they share.
func modelSubCmd(use, short string, nargs int, do func(modelCmd, context.Context, int64) error) *cobra.Command {
	return cli.Command(use, short, func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		asJSON := fs.Bool("json", false, "print JSON")
		kind := fs.String("kind", store.ModelClassifier, "the `kind` of model")
		return func(ctx context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != nargs {
				return errUsage
			}
			var version int64
			if nargs == 1 {
				var err error
				if version, err = strconv.ParseInt(args[0], 10, 64); err != nil || version <= 0 {
					return fmt.Errorf("model version %q is not a positive number", args[0])
				}
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
			return do(modelCmd{st: st, kind: *kind, json: *asJSON, out: stdout}, ctx, version)
		}
	})
}

// modelCmd runs one `heard model` subcommand against a store.
type modelCmd struct {
	st   store.Store
	kind string
	json bool
	out  io.Writer
}

func (c modelCmd) encode(v any) error {
	enc := json.NewEncoder(c.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (c modelCmd) list(ctx context.Context) error {
	ms, err := c.st.Models(ctx, c.kind)
	if err != nil {
		return err
	}
	if c.json {
		if ms == nil {
			ms = []store.ModelVersion{}
		}
		return c.encode(ms)
	}
	if len(ms) == 0 {
		fmt.Fprintf(c.out, "no %s models\n", c.kind)
		return nil
	}
	tw := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "VERSION\tSTATUS\tCREATED\tPROMOTED\tSIZE")
	for _, m := range modelMetrics {
		fmt.Fprint(tw, "\t"+m.header)
	}
	fmt.Fprintln(tw)
	for _, m := range ms {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s", m.Version, m.Status, stamp(m.CreatedAt), stamp(m.PromotedAt), byteSize(m.Size))
		for _, k := range modelMetrics {
			fmt.Fprint(tw, "\t"+metric(m.Meta, k.path))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func (c modelCmd) show(ctx context.Context, version int64) error {
	m, err := c.st.Model(ctx, c.kind, version)
	if err != nil {
		return err
	}
	if c.json {
		return c.encode(m)
	}
	fmt.Fprintf(c.out, "version:   %d\nkind:      %s\nstatus:    %s\ncreated:   %s\npromoted:  %s\nsize:      %s\n",
		m.Version, m.Kind, m.Status, stamp(m.CreatedAt), stamp(m.PromotedAt), byteSize(m.Size))
	for _, k := range modelMetrics {
		fmt.Fprintf(c.out, "%-30s %s\n", k.path+":", metric(m.Meta, k.path))
	}
	var meta bytes.Buffer
	if err := json.Indent(&meta, m.Meta, "", "  "); err != nil {
		meta.Reset()
		meta.Write(m.Meta)
	}
	fmt.Fprintf(c.out, "meta:\n%s\n", meta.String())
	return nil
}

// modelChange is what promote and rollback print with --json.
type modelChange struct {
	Kind     string `json:"kind"`
	Current  int64  `json:"current"`
	Previous int64  `json:"previous,omitempty"`
}

func (c modelCmd) promote(ctx context.Context, version int64) error {
	prev, err := c.st.CurrentModelVersion(ctx, c.kind)
	if err != nil {
		return err
	}
	if err := c.st.PromoteModel(ctx, c.kind, version); err != nil {
		return err
	}
	if c.json {
		return c.encode(modelChange{Kind: c.kind, Current: version, Previous: prev})
	}
	switch prev {
	case version:
		fmt.Fprintf(c.out, "%s model %d was already current\n", c.kind, version)
	case 0:
		fmt.Fprintf(c.out, "%s model %d is now current\n", c.kind, version)
	default:
		fmt.Fprintf(c.out, "%s model %d is now current (model %d retired; `heard model rollback` restores it)\n", c.kind, version, prev)
	}
	return nil
}

func (c modelCmd) rollback(ctx context.Context) error {
	prev, err := c.st.CurrentModelVersion(ctx, c.kind)
	if err != nil {
		return err
	}
	v, err := c.st.RollbackModel(ctx, c.kind)
	if err != nil {
		return err
	}
	if c.json {
		return c.encode(modelChange{Kind: c.kind, Current: v, Previous: prev})
	}
	fmt.Fprintf(c.out, "%s model %d is current again (model %d retired)\n", c.kind, v, prev)
	return nil
}

// metric formats the number at a dotted path of meta; "-" when it is
// missing or not a number (see store.MetaNumber).
func metric(meta json.RawMessage, path string) string {
	if f, ok := store.MetaNumber(meta, path); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return "-"
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
