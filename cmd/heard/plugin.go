package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
)

const pluginUsage = `plugin install PATH [--name NAME]    record a plugin binary: path, checksum, kinds, version
       heard plugin list [--json] [--no-health]   installed plugins, each launched for a health check
       heard plugin verify [NAME...]              check every binary against its recorded checksum
       heard plugin remove NAME                   forget a plugin (the binary stays where it is)

Every subcommand also takes --config FILE and --catalog FILE. The catalog is
plugins.json in the config directory: the config file's directory, or
data_dir when heard runs without one. Enable an installed plugin under
plugins.enabled in the config (docs/plugins.md).`

// cmdPlugin administers the plugin catalog.
func cmdPlugin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "Usage: heard %s\n", pluginUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errUsage
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("plugin "+sub, pluginUsage, stderr)
	cfgPath := configFlag(fs)
	catalogPath := fs.String("catalog", "", "catalog `file`; default: plugins.json in the config directory")
	timeout := fs.Duration("start-timeout", 10*time.Second, "how long a plugin may take to start and answer")
	var name *string
	var asJSON, noHealth *bool
	switch sub {
	case "install":
		name = fs.String("name", "", "catalog `name`; default: the name the plugin reports")
	case "list":
		asJSON = fs.Bool("json", false, "print JSON")
		noHealth = fs.Bool("no-health", false, "do not launch the plugins to check their health")
	case "verify", "remove":
	default:
		fmt.Fprintf(stderr, "heard plugin: unknown subcommand %q\n\nUsage: heard %s\n", sub, pluginUsage)
		return errUsage
	}
	pos, err := parsePluginArgs(fs, rest)
	if err != nil {
		return err
	}
	path := *catalogPath
	if path == "" {
		dataDir := ""
		if *cfgPath == "" {
			cfg, err := config.Load("", nil) // defaults and HEARD_* overrides: data_dir
			if err != nil {
				return err
			}
			dataDir = cfg.DataDir
		}
		path = plugins.CatalogPath(*cfgPath, dataDir)
	}
	cat, err := plugins.OpenCatalog(path)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	usage := func() error {
		fs.Usage()
		return errUsage
	}

	switch sub {
	case "install":
		if len(pos) != 1 {
			return usage()
		}
		e, prev, err := plugins.Install(ctx, cat, pos[0], *name, *timeout, log)
		if err != nil {
			return err
		}
		if prev != nil {
			fmt.Fprintf(stdout, "upgraded %s %s → %s (%s, protocol %d)\n", e.Name, versionOrDash(prev.Version), versionOrDash(e.Version), e.KindList(), e.Protocol)
		} else {
			fmt.Fprintf(stdout, "installed %s %s (%s, protocol %d)\n", e.Name, versionOrDash(e.Version), e.KindList(), e.Protocol)
		}
		fmt.Fprintf(stdout, "  path     %s\n  sha256   %s\n  catalog  %s\n", e.Path, e.SHA256, cat.Path())
		if prev != nil {
			fmt.Fprintln(stdout, "Restart heard to run the new version.")
		} else {
			fmt.Fprintf(stdout, "Enable it under plugins.enabled in the config (name: %s), then restart heard.\n", e.Name)
		}
		return nil

	case "list":
		if len(pos) != 0 {
			return usage()
		}
		return listPlugins(ctx, stdout, cat, *asJSON, !*noHealth, *timeout, log)

	case "verify":
		var failed []string
		n := 0
		for _, r := range plugins.Verify(cat) {
			if len(pos) > 0 && !slices.Contains(pos, r.Entry.Name) {
				continue
			}
			n++
			if r.Err != nil {
				failed = append(failed, r.Entry.Name)
				fmt.Fprintf(stdout, "FAILED  %s: %v\n", r.Entry.Name, r.Err)
				continue
			}
			fmt.Fprintf(stdout, "ok      %s  %s\n", r.Entry.Name, r.Entry.Path)
		}
		for _, want := range pos {
			if _, ok := cat.Get(want); !ok {
				failed = append(failed, want)
				fmt.Fprintf(stdout, "FAILED  %s: not installed\n", want)
			}
		}
		if n == 0 && len(failed) == 0 {
			fmt.Fprintf(stdout, "no plugins installed (catalog %s)\n", cat.Path())
		}
		if len(failed) > 0 {
			return fmt.Errorf("%d plugin(s) failed verification: %s", len(failed), strings.Join(failed, ", "))
		}
		return nil

	case "remove":
		if len(pos) != 1 {
			return usage()
		}
		e, err := cat.Remove(pos[0])
		if err != nil {
			return err
		}
		if err := cat.Save(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s (the binary stays at %s)\n", e.Name, e.Path)
		fmt.Fprintln(stdout, "Remove it from plugins.enabled too: heard will not start while the config enables a plugin that is not installed.")
		return nil
	}
	return nil
}

// pluginListing is one line of `heard plugin list --json`.
type pluginListing struct {
	plugins.Entry
	Health string `json:"health"` // ok | error | unchecked
	Error  string `json:"error,omitempty"`
}

func listPlugins(ctx context.Context, w io.Writer, cat *plugins.Catalog, asJSON, health bool, timeout time.Duration, log *slog.Logger) error {
	es := cat.Entries()
	out := make([]pluginListing, 0, len(es))
	for _, e := range es {
		l := pluginListing{Entry: e, Health: "unchecked"}
		if health {
			if _, err := plugins.Probe(ctx, e, timeout, log); err != nil {
				l.Health, l.Error = "error", err.Error()
			} else {
				l.Health = "ok"
			}
		}
		out = append(out, l)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintf(w, "no plugins installed (catalog %s)\n", cat.Path())
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tKINDS\tPROTOCOL\tHEALTH\tPATH")
	for _, l := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", l.Name, versionOrDash(l.Version), l.KindList(), l.Protocol, l.Health, l.Path)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range out {
		if l.Error != "" {
			fmt.Fprintf(w, "\n%s: %s\n", l.Name, l.Error)
		}
	}
	return nil
}

// parsePluginArgs parses flags that may come before, between or after
// positional arguments (`install PATH --name vip`), returning the
// positional ones.
func parsePluginArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// versionOrDash shows a missing version as "-".
func versionOrDash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
