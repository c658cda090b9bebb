package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

const pluginUsage = `plugin install PATH [--name NAME]    record a plugin binary: path, checksum, kinds, version
       heard plugin list [--json] [--no-health]   installed plugins, each launched for a health check
       heard plugin verify [NAME...]              check every binary against its recorded checksum
       heard plugin remove NAME                   forget a plugin (the binary stays where it is)
       heard plugin test PATH [--settings JSON]   run heard's conformance checks against a plugin binary, in any language

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
	var settings *string
	switch sub {
	case "install":
		name = fs.String("name", "", "catalog `name`; default: the name the plugin reports")
	case "list":
		asJSON = fs.Bool("json", false, "print JSON")
		noHealth = fs.Bool("no-health", false, "do not launch the plugins to check their health")
	case "verify", "remove":
	case "test":
		settings = fs.String("settings", "{}", "the plugin's settings, a JSON `object` (what settings: holds in the config)")
	default:
		fmt.Fprintf(stderr, "heard plugin: unknown subcommand %q\n\nUsage: heard %s\n", sub, pluginUsage)
		return errUsage
	}
	pos, err := parsePluginArgs(fs, rest)
	if err != nil {
		return err
	}
	if sub == "test" {
		if len(pos) != 1 {
			fs.Usage()
			return errUsage
		}
		return testPlugin(ctx, stdout, pos[0], *settings, *timeout)
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

// testPlugin launches the plugin at path as heard does (gRPC, automatic
// mTLS, empty environment; no catalog, so no checksum), configures it with
// settings and runs sdktest's conformance checks for every kind it serves,
// printing one line per check. It fails when any check fails.
func testPlugin(ctx context.Context, w io.Writer, path, settings string, timeout time.Duration) error {
	var obj map[string]any
	if err := json.Unmarshal([]byte(settings), &obj); err != nil || obj == nil {
		return fmt.Errorf("--settings %q: want a JSON object: %w", settings, sdk.ErrInvalid)
	}
	failed := 0
	report := func(check string, err error) {
		if err != nil {
			failed++
			fmt.Fprintf(w, "FAIL  %s: %v\n", check, err)
			return
		}
		fmt.Fprintf(w, "ok    %s\n", check)
	}
	var logs bytes.Buffer // go-plugin's and the plugin's own lines, shown when the launch fails
	c, stop, err := sdkplugin.LaunchVerbose(path, &syncBuffer{b: &logs}, timeout)
	if err != nil {
		report("launch", fmt.Errorf("%w%s", err, indentLog(logs.String())))
		return fmt.Errorf("plugin %s: failed to start", path)
	}
	defer stop()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info, err := c.Info(cctx)
	if err != nil {
		report("info", err)
		return fmt.Errorf("plugin %s: 1 check failed", path)
	}
	var kinds []string
	for _, k := range info.Kinds {
		kinds = append(kinds, string(k))
	}
	report(fmt.Sprintf("launch: %s %s, protocol %d, kinds %s", info.Name, versionOrDash(info.Version), info.Protocol, strings.Join(kinds, ",")), nil)
	if len(info.Kinds) == 0 {
		report("kinds", fmt.Errorf("the plugin serves nothing heard can use at protocol %d", info.Protocol))
	}
	report("configure", c.Configure(cctx, &sdkplugin.ConfigureRequest{Settings: json.RawMessage(settings), Instance: "plugin." + info.Name}))
	report("health", c.CheckHealth(cctx))
	var fails []sdktest.Failure
	if info.Has(sdkplugin.KindClassifier) {
		fails = checks(w, "classifier", sdktest.CheckClassifier(ctx, c.Classifier()), sdktest.ClassifierChecks())
	}
	if info.Has(sdkplugin.KindEnricher) {
		fails = append(fails, checks(w, "enricher", sdktest.CheckEnricher(ctx, c.Enricher()), sdktest.EnricherChecks())...)
	}
	if info.Has(sdkplugin.KindConnector) {
		fmt.Fprintln(w, "skip  connector: no conformance checks for connectors here; test it against your help desk's sandbox")
	}
	failed += len(fails)
	if failed > 0 {
		return fmt.Errorf("plugin %s: %d check(s) failed", path, failed)
	}
	fmt.Fprintf(w, "PASS  %s\n", path)
	return nil
}

// checks prints one line per check of kind, in order, with every
// failure's message.
func checks(w io.Writer, kind string, fails []sdktest.Failure, names []string) []sdktest.Failure {
	by := map[string][]string{}
	for _, f := range fails {
		if !slices.Contains(names, f.Check) {
			names = append(names, f.Check)
		}
		by[f.Check] = append(by[f.Check], f.Message)
	}
	for _, n := range names {
		if ms := by[n]; len(ms) > 0 {
			fmt.Fprintf(w, "FAIL  %s: %s\n", kind, n)
			for _, m := range ms {
				fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(m, "\n", "\n        "))
			}
			continue
		}
		fmt.Fprintf(w, "ok    %s: %s\n", kind, n)
	}
	return fails
}

// indentLog formats captured plugin output for an error message.
func indentLog(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "\n      plugin output:\n        " + strings.ReplaceAll(s, "\n", "\n        ")
}

// syncBuffer is a bytes.Buffer safe for go-plugin's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
