package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	_ "github.com/heardhq/heard/connectors/all" // built-in connectors
	"github.com/heardhq/heard/internal/buildinfo"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// about opens `heard --help`.
const about = `heard — a triage sidecar for Zendesk, Freshdesk and Intercom.

Flags go before or after the arguments; every command takes --help. The
demo and the emulated help desks are a separate command, heard-sandbox
(make demo). Configuration: docs/configuration.md. Environment:
HEARD_CONFIG names the config file; HEARD_* variables override single
settings. Shell completion: heard completion bash|zsh|fish --help.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a command-line mistake: the command's usage is printed
// on stderr and heard exits with status 2.
var errUsage = cli.ErrUsage

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Execute(ctx, newRoot(), args, stdout, stderr)
}

// newRoot is heard's command tree. A new command is one more entry here.
func newRoot() *cobra.Command {
	root := &cobra.Command{Use: "heard COMMAND", Short: "a triage sidecar for Zendesk, Freshdesk and Intercom", Long: about}
	showVersion := root.Flags().BoolP("version", "v", false, "print the version")
	root.RunE = func(c *cobra.Command, _ []string) error {
		if *showVersion {
			return printVersion(c.OutOrStdout())
		}
		return errUsage
	}
	root.AddCommand(
		serveCmd(), showCmd(), statsCmd(), reportCmd(), alertsCmd(), backtestCmd(), pluginCmd(), kbCmd(),
		evalCmd(), trainCmd(), newModelCmd(), checkCmd(), migrateCmd(), queueCmd(), replayCmd(),
		&cobra.Command{Use: "version", Short: "print the version", Args: cobra.NoArgs,
			RunE: func(c *cobra.Command, _ []string) error { return printVersion(c.OutOrStdout()) }},
		movedCmd("demo"), movedCmd("sandbox"),
	)
	return root
}

// printVersion prints heard's version.
func printVersion(w io.Writer) error {
	_, err := fmt.Fprintln(w, buildinfo.String())
	return err
}

// movedCmd is a hidden command that says where it went.
func movedCmd(name string) *cobra.Command {
	return &cobra.Command{Use: name, Hidden: true, DisableFlagParsing: true,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprint(c.ErrOrStderr(), movedToSandbox(name))
			return &cli.ExitError{Code: 2}
		}}
}

// movedToSandbox says where `heard demo` and `heard sandbox` went: the
// emulated help desks are not part of the binary users deploy.
func movedToSandbox(cmd string) string {
	sub := "demo"
	if cmd == "sandbox" {
		sub = "serve"
	}
	return fmt.Sprintf("heard %s moved to its own command, heard-sandbox, so that the heard binary\n"+
		"does not carry the emulated help desks. From a checkout of heard:\n\n"+
		"  go run ./cmd/heard-sandbox %s   (or make demo)\n", cmd, sub)
}

// configFlag declares --config, the config file (default $HEARD_CONFIG).
func configFlag(fs *pflag.FlagSet) *string {
	return fs.String("config", os.Getenv("HEARD_CONFIG"), "config `file` (YAML); default: none, built-in defaults (env HEARD_CONFIG)")
}

// knownConnector checks that name is a configured connector: a misspelt
// --connector is an error, never an empty result.
func knownConnector(cfg config.Config, name string) error {
	names := make([]string, 0, len(cfg.Connectors))
	for _, c := range cfg.Connectors {
		if c.Name == name {
			return nil
		}
		names = append(names, c.Name)
	}
	have := "none"
	if len(names) > 0 {
		have = strings.Join(names, ", ")
	}
	return fmt.Errorf("no connector named %q in the configuration (configured: %s): %w", name, have, sdk.ErrInvalid)
}
