package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/heardhq/heard/internal/cli"
)

// TestEveryCommandHelp walks heard-sandbox's command tree: --help on each
// command prints its usage on stdout, nothing on stderr, and exits 0.
func TestEveryCommandHelp(t *testing.T) {
	root := newRoot()
	cli.Prepare(root, io.Discard, io.Discard)
	var paths [][]string
	cli.Walk(root, func(c *cobra.Command) { paths = append(paths, strings.Fields(c.CommandPath())[1:]) })
	if len(paths) < 9 {
		t.Fatalf("walked %d commands; want root, demo, serve, agent, help and completion with 4 shells", len(paths))
	}
	for _, path := range paths {
		args := append(append([]string{}, path...), "--help")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(t.Context(), args, &out, &errOut)
			want := "Usage: " + strings.Join(append([]string{"heard-sandbox"}, path...), " ")
			if code != 0 || !strings.Contains(out.String(), want) || errOut.Len() > 0 {
				t.Errorf("heard-sandbox %v: exit %d, stdout %q, stderr %q; want 0, stdout with %q, empty stderr", args, code, out.String(), errOut.String(), want)
			}
		})
	}
}

// TestAgentFlagsAfterPositionals: flags may follow VENDOR TICKET ACTION;
// a bad action is a usage mistake named on stderr.
func TestAgentFlagsAfterPositionals(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"agent", "zendesk", "1", "frobnicate", "--sandbox", "http://127.0.0.1:1", "--body", "x"}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "heard-sandbox agent: ") || !strings.Contains(errOut.String(), "Usage: heard-sandbox agent") {
		t.Errorf("exit %d, stderr %q; want 2 with the action's error and the usage", code, errOut.String())
	}
}
