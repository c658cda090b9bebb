package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/heardhq/heard/internal/cli"
)

// commandPaths walks heard's command tree as run builds it, so a new
// command is covered without editing this test. Hidden commands (the
// demo and sandbox redirects) are left out.
func commandPaths(t *testing.T) [][]string {
	t.Helper()
	root := newRoot()
	cli.Prepare(root, io.Discard, io.Discard)
	var paths [][]string
	cli.Walk(root, func(c *cobra.Command) {
		for p := c; p != nil; p = p.Parent() {
			if p.Hidden {
				return
			}
		}
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
	})
	return paths
}

// TestEveryCommandHelp: --help on every command and subcommand prints its
// usage on stdout, nothing on stderr, and exits 0.
func TestEveryCommandHelp(t *testing.T) {
	paths := commandPaths(t)
	if len(paths) < 30 {
		t.Fatalf("walked %d commands; want the whole tree (heard has more than 30)", len(paths))
	}
	for _, path := range paths {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, path...), help)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var out, errOut bytes.Buffer
				code := run(t.Context(), args, &out, &errOut)
				want := "Usage: " + strings.Join(append([]string{"heard"}, path...), " ")
				if code != 0 || !strings.Contains(out.String(), want) || errOut.Len() > 0 {
					t.Errorf("heard %v: exit %d, stdout %q, stderr %q; want 0, stdout with %q, empty stderr", args, code, out.String(), errOut.String(), want)
				}
			})
		}
	}
}

// TestCLIConvention: flags after positional arguments, days in duration
// flags, unknown connectors, single-dash long flags and completion.
func TestCLIConvention(t *testing.T) {
	cfg := testConfig(t, "", "")
	catalog := filepath.Join(t.TempDir(), "plugins.json")
	bare := filepath.Join(t.TempDir(), "bare.yaml") // no connectors
	if err := os.WriteFile(bare, []byte("data_dir: "+filepath.Join(t.TempDir(), "data")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"flags after the positional", []string{"plugin", "verify", "ghost", "--json", "--catalog", catalog}, 1, `"error": "not installed"`, "1 plugin(s) failed verification: ghost"},
		{"flags before the positional", []string{"plugin", "verify", "--json", "--catalog", catalog, "ghost"}, 1, `"error": "not installed"`, "1 plugin(s) failed verification: ghost"},
		{"days in a duration flag", []string{"plugin", "verify", "--start-timeout", "1d", "--catalog", catalog}, 0, "no plugins installed", ""},
		{"a bad duration flag", []string{"plugin", "verify", "--start-timeout", "1x", "--catalog", catalog}, 2, "", `invalid argument "1x" for "--start-timeout"`},
		{"weeks in --since", []string{"stats", "--since", "2w", "--json", "--config", cfg}, 0, `"connector":""`, ""},
		{"a bad --since", []string{"stats", "--since", "2x", "--config", cfg}, 1, "", `--since "2x"`},
		{"unknown connector: stats", []string{"stats", "--connector", "acne", "--config", cfg}, 1, "", `no connector named "acne" in the configuration (configured: acme)`},
		{"unknown connector: report", []string{"report", "--connector", "acne", "--config", cfg}, 1, "", `no connector named "acne"`},
		{"unknown connector: show", []string{"show", "acne", "1", "--config", cfg}, 1, "", `no connector named "acne"`},
		{"unknown connector: backtest", []string{"backtest", "--connector", "acne", "--config", cfg}, 1, "", `no connector named "acne"`},
		{"unknown connector: kb sync", []string{"kb", "sync", "--connector", "acne", "--config", cfg}, 1, "", `no connector named "acne"`},
		{"single-dash long flags are mistakes", []string{"stats", "-json", "--config", cfg}, 2, "", "unknown shorthand flag"},
		{"report --json", []string{"report", "--week", "2026-W49", "--json", "--config", cfg}, 0, `"week": "2026-W49"`, ""},
		{"kb sync --json keeps notes off stdout", []string{"kb", "sync", "--json", "--config", bare}, 0, "[]\n", "no connectors configured"},
		{"version flag", []string{"--version"}, 0, "heard dev (", ""},
		{"deprecated kb eval spellings", []string{"kb", "eval", "--articles", "x", "--queries", filepath.Join(t.TempDir(), "none.csv")}, 1, "",
			"Flag --articles has been deprecated, use --dir instead"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(t.Context(), tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errOut.String(), tc.stderr) ||
				tc.stderr == "" && errOut.Len() > 0 {
				t.Errorf("heard %v: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					tc.args, code, out.String(), errOut.String(), tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	// The JSON of verify is an array of checks.
	var out bytes.Buffer
	run(t.Context(), []string{"plugin", "verify", "ghost", "--json", "--catalog", catalog}, &out, io.Discard)
	var checks []pluginCheck
	if err := json.Unmarshal(out.Bytes(), &checks); err != nil || len(checks) != 1 || checks[0].Name != "ghost" || checks[0].OK {
		t.Errorf("plugin verify --json = %q (%v); want one failed check for ghost", out.String(), err)
	}
}

// TestCompletionScripts: heard completion prints a script per shell.
func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{"bash": "__start_heard", "zsh": "#compdef heard", "fish": "complete -c heard"} {
		t.Run(shell, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(t.Context(), []string{"completion", shell}, &out, &errOut); code != 0 || !strings.Contains(out.String(), marker) {
				t.Errorf("completion %s: exit %d, stderr %q; want 0 and a script with %q", shell, code, errOut.String(), marker)
			}
		})
	}
}
