package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// pluginCmd administers the plugin catalog: `heard plugin
// install|list|verify|remove|test`.
func pluginCmd() *cobra.Command {
	c := cli.Group("plugin install|list|verify|remove|test", "install, list, verify and remove plugins (heard plugin install PATH)",
		pluginInstallCmd(), pluginListCmd(), pluginVerifyCmd(), pluginRemoveCmd(), pluginTestCmd())
	c.Long = `Install, list, verify, remove and test plugins.

Every subcommand takes --config FILE, --catalog FILE and --start-timeout.
The catalog is plugins.json in the config directory: the config file's
directory, or data_dir when heard runs without one. Enable an installed
plugin under plugins.enabled in the config (docs/plugins.md).`
	return c
}

// pluginOptions are the flags every plugin subcommand takes.
type pluginOptions struct {
	config, catalog *string
	timeout         config.Duration
}

func pluginFlags(fs *pflag.FlagSet) *pluginOptions {
	o := &pluginOptions{config: configFlag(fs), timeout: config.Duration(10 * time.Second)}
	o.catalog = fs.String("catalog", "", "catalog `file`; default: plugins.json in the config directory")
	fs.Var(&o.timeout, "start-timeout", "how long a plugin may take to start and answer")
	return o
}

// open opens the catalog the flags name.
func (o *pluginOptions) open() (*plugins.Catalog, error) {
	path := *o.catalog
	if path == "" {
		dataDir := ""
		if *o.config == "" {
			cfg, err := config.Load("", nil) // defaults and HEARD_* overrides: data_dir
			if err != nil {
				return nil, err
			}
			dataDir = cfg.DataDir
		}
		path = plugins.CatalogPath(*o.config, dataDir)
	}
	return plugins.OpenCatalog(path)
}

// pluginLogger logs plugin errors only, on stderr.
func pluginLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

func pluginInstallCmd() *cobra.Command {
	return cli.Command("install PATH [--name NAME]", "record a plugin binary: path, checksum, kinds, version", func(fs *pflag.FlagSet) cli.RunFunc {
		o := pluginFlags(fs)
		name := fs.String("name", "", "catalog `name`; default: the name the plugin reports")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if len(args) != 1 {
				return errUsage
			}
			cat, err := o.open()
			if err != nil {
				return err
			}
			e, prev, err := plugins.Install(ctx, cat, args[0], *name, o.timeout.Std(), pluginLogger(stderr))
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
		}
	})
}

func pluginListCmd() *cobra.Command {
	return cli.Command("list [--json] [--no-health]", "installed plugins, each launched for a health check", func(fs *pflag.FlagSet) cli.RunFunc {
		o := pluginFlags(fs)
		asJSON := fs.Bool("json", false, "print JSON")
		noHealth := fs.Bool("no-health", false, "do not launch the plugins to check their health")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			if len(args) != 0 {
				return errUsage
			}
			cat, err := o.open()
			if err != nil {
				return err
			}
			return listPlugins(ctx, stdout, cat, *asJSON, !*noHealth, o.timeout.Std(), pluginLogger(stderr))
		}
	})
}

// pluginCheck is one line of `heard plugin verify --json`.
type pluginCheck struct {
	Name  string `json:"name"`
	Path  string `json:"path,omitempty"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func pluginVerifyCmd() *cobra.Command {
	return cli.Command("verify [NAME...] [--json]", "check every binary against its recorded checksum", func(fs *pflag.FlagSet) cli.RunFunc {
		o := pluginFlags(fs)
		asJSON := fs.Bool("json", false, "print a JSON array, one object per plugin")
		return func(_ context.Context, args []string, stdout, _ io.Writer) error {
			cat, err := o.open()
			if err != nil {
				return err
			}
			checks := []pluginCheck{}
			for _, r := range plugins.Verify(cat) {
				if len(args) > 0 && !slices.Contains(args, r.Entry.Name) {
					continue
				}
				c := pluginCheck{Name: r.Entry.Name, Path: r.Entry.Path, OK: r.Err == nil}
				if r.Err != nil {
					c.Error = r.Err.Error()
				}
				checks = append(checks, c)
			}
			for _, want := range args {
				if _, ok := cat.Get(want); !ok {
					checks = append(checks, pluginCheck{Name: want, Error: "not installed"})
				}
			}
			var failed []string
			for _, c := range checks {
				if !c.OK {
					failed = append(failed, c.Name)
				}
			}
			if *asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(checks); err != nil {
					return err
				}
			} else {
				for _, c := range checks {
					if c.OK {
						fmt.Fprintf(stdout, "ok      %s  %s\n", c.Name, c.Path)
					} else {
						fmt.Fprintf(stdout, "FAILED  %s: %s\n", c.Name, c.Error)
					}
				}
				if len(checks) == 0 {
					fmt.Fprintf(stdout, "no plugins installed (catalog %s)\n", cat.Path())
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("%d plugin(s) failed verification: %s", len(failed), strings.Join(failed, ", "))
			}
			return nil
		}
	})
}

func pluginRemoveCmd() *cobra.Command {
	return cli.Command("remove NAME", "forget a plugin (the binary stays where it is)", func(fs *pflag.FlagSet) cli.RunFunc {
		o := pluginFlags(fs)
		return func(_ context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != 1 {
				return errUsage
			}
			cat, err := o.open()
			if err != nil {
				return err
			}
			e, err := cat.Remove(args[0])
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
	})
}

func pluginTestCmd() *cobra.Command {
	return cli.Command("test PATH [--settings JSON]", "run heard's conformance checks against a plugin binary, in any language", func(fs *pflag.FlagSet) cli.RunFunc {
		o := pluginFlags(fs)
		settings := fs.String("settings", "{}", "the plugin's settings, a JSON `object` (what settings: holds in the config)")
		asJSON := fs.Bool("json", false, "print a JSON list of {check, status, detail} instead of one line per check")
		return func(ctx context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != 1 {
				return errUsage
			}
			if !*asJSON {
				_, err := testPlugin(ctx, stdout, args[0], *settings, o.timeout.Std())
				return err
			}
			res, err := testPlugin(ctx, io.Discard, args[0], *settings, o.timeout.Std())
			if res == nil {
				res = []conformanceCheck{} // an empty list, not null, when --settings is refused
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(res); jerr != nil {
				return jerr
			}
			return err
		}
	})
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

// versionOrDash shows a missing version as "-".
func versionOrDash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}

// conformanceCheck is one check of `heard plugin test`, as --json prints it.
type conformanceCheck struct {
	Check  string `json:"check"`
	Status string `json:"status"` // ok | fail | skip
	Detail string `json:"detail,omitempty"`
}

// testPlugin launches the plugin at path as heard does (gRPC, automatic
// mTLS, empty environment; no catalog, so no checksum), configures it with
// settings and runs sdktest's conformance checks for every kind it serves,
// printing one line per check to w and returning them. It fails when any
// check fails.
func testPlugin(ctx context.Context, w io.Writer, path, settings string, timeout time.Duration) ([]conformanceCheck, error) {
	var obj map[string]any
	if err := json.Unmarshal([]byte(settings), &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("--settings %q: want a JSON object: %w", settings, sdk.ErrInvalid)
	}
	var res []conformanceCheck
	failed := 0
	report := func(check, detail string, err error) {
		if err != nil {
			failed++
			fmt.Fprintf(w, "FAIL  %s: %v\n", check, err)
			res = append(res, conformanceCheck{Check: check, Status: "fail", Detail: err.Error()})
			return
		}
		if detail != "" {
			fmt.Fprintf(w, "ok    %s: %s\n", check, detail)
		} else {
			fmt.Fprintf(w, "ok    %s\n", check)
		}
		res = append(res, conformanceCheck{Check: check, Status: "ok", Detail: detail})
	}
	var logs bytes.Buffer // go-plugin's and the plugin's own lines, shown when the launch fails
	c, stop, err := sdkplugin.LaunchVerbose(path, &syncBuffer{b: &logs}, timeout)
	if err != nil {
		report("launch", "", fmt.Errorf("%w%s", err, indentLog(logs.String())))
		return res, fmt.Errorf("plugin %s: failed to start", path)
	}
	defer stop()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info, err := c.Info(cctx)
	if err != nil {
		report("info", "", err)
		return res, fmt.Errorf("plugin %s: 1 check failed", path)
	}
	var kinds []string
	for _, k := range info.Kinds {
		kinds = append(kinds, string(k))
	}
	report("launch", fmt.Sprintf("%s %s, protocol %d, kinds %s", info.Name, versionOrDash(info.Version), info.Protocol, strings.Join(kinds, ",")), nil)
	if len(info.Kinds) == 0 {
		report("kinds", "", fmt.Errorf("the plugin serves nothing heard can use at protocol %d", info.Protocol))
	}
	report("configure", "", c.Configure(cctx, &sdkplugin.ConfigureRequest{Settings: json.RawMessage(settings), Instance: "plugin." + info.Name}))
	report("health", "", c.CheckHealth(cctx))
	var fails []sdktest.Failure
	if info.Has(sdkplugin.KindClassifier) {
		fails = checks(w, &res, "classifier", sdktest.CheckClassifier(ctx, c.Classifier()), sdktest.ClassifierChecks())
	}
	if info.Has(sdkplugin.KindEnricher) {
		fails = append(fails, checks(w, &res, "enricher", sdktest.CheckEnricher(ctx, c.Enricher()), sdktest.EnricherChecks())...)
	}
	if info.Has(sdkplugin.KindConnector) {
		const why = "no conformance checks for connectors here; test it against your help desk's sandbox"
		fmt.Fprintln(w, "skip  connector: "+why)
		res = append(res, conformanceCheck{Check: "connector", Status: "skip", Detail: why})
	}
	failed += len(fails)
	if failed > 0 {
		return res, fmt.Errorf("plugin %s: %d check(s) failed", path, failed)
	}
	fmt.Fprintf(w, "PASS  %s\n", path)
	return res, nil
}

// checks prints one line per check of kind, in order, with every
// failure's message, and adds each to res.
func checks(w io.Writer, res *[]conformanceCheck, kind string, fails []sdktest.Failure, names []string) []sdktest.Failure {
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
			*res = append(*res, conformanceCheck{Check: kind + ": " + n, Status: "fail", Detail: strings.Join(ms, "\n")})
			continue
		}
		fmt.Fprintf(w, "ok    %s: %s\n", kind, n)
		*res = append(*res, conformanceCheck{Check: kind + ": " + n, Status: "ok"})
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
