package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/sandbox/desks"
)

// serveHelp is what serve prints once the emulations are up.
const serveHelp = `heard-sandbox: Zendesk, Freshdesk and Intercom emulations on %s
Every request heard makes is checked against the vendor's contract; violations are listed at GET %s/_sandbox/.

Add this to heard's config (mode live writes back to the sandbox) and run heard serve on %s:

%s
Open a ticket (vendor: zendesk, freshdesk or intercom) and see what the agent sees:

  curl -s -X POST %s/_sandbox/zendesk/%s/tickets -d '{"Subject":"Charged twice","Body":"We were charged twice for March.","Requester":{"Name":"Dana","Email":"dana@example.com"}}'
  curl -s %s/_sandbox/zendesk/%s/tickets/<id>

Ctrl-C stops it.
`

func serveCmd() *cobra.Command {
	return cli.Command("serve [--listen ADDR] [--heard URL] [--account NAME] [--auto-reply] [--read-only]", "serve emulated Zendesk, Freshdesk and Intercom help desks that check every request against the vendor contracts", func(fs *pflag.FlagSet) cli.RunFunc {
		listen := fs.String("listen", "127.0.0.1:9090", "`address` the sandbox help desks listen on")
		heardURL := fs.String("heard", "http://127.0.0.1:8080", "base `URL` of the heard that receives the sandbox's webhooks")
		account := fs.String("account", "acme", "account `name` created on each vendor")
		autoReply := fs.Bool("auto-reply", false, "accept public replies from heard (set when heard's triage.auto_reply.enabled is on); without it a public reply is a contract violation")
		readOnly := fs.Bool("read-only", false, "give heard's credentials no write access (Zendesk end-user, Freshdesk restricted agent, Intercom admin without an Inbox seat), to try heard check")
		return func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			env, err := desks.Start(desks.Config{Listen: *listen, HeardURL: *heardURL, Account: *account, AutoReply: *autoReply, ReadOnly: *readOnly, Logger: log})
			if err != nil {
				return err
			}
			defer env.Close()
			fmt.Fprintf(stdout, serveHelp, env.Root, env.Root, *heardURL, env.ConnectorsYAML("live"), env.Root, *account, env.Root, *account)
			<-ctx.Done()
			if v := env.Server.Violations(); len(v) > 0 {
				fmt.Fprintf(stderr, "%d contract violations were recorded:\n", len(v))
				for _, x := range v {
					fmt.Fprintln(stderr, " -", x)
				}
				return errors.New("sandbox saw contract violations")
			}
			return nil
		}
	})
}
