package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/heardhq/heard/internal/cli"
)

// about opens `heard-sandbox --help`.
const about = `heard-sandbox — heard against emulated Zendesk, Freshdesk and Intercom help desks.

Flags go before or after the arguments; every command takes --help.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a command-line mistake: the command's usage is printed
// on stderr and heard-sandbox exits with status 2.
var errUsage = cli.ErrUsage

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Execute(ctx, newRoot(), args, stdout, stderr)
}

// newRoot is heard-sandbox's command tree.
func newRoot() *cobra.Command {
	root := &cobra.Command{Use: "heard-sandbox COMMAND", Short: "heard against emulated help desks", Long: about,
		RunE: func(*cobra.Command, []string) error { return errUsage }}
	root.AddCommand(demoCmd(), serveCmd(), agentCmd())
	return root
}
