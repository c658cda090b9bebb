package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/heardhq/heard/connectors/all" // built-in connectors
	"github.com/heardhq/heard/internal/buildinfo"
)

const usage = `heard — a triage sidecar for Zendesk, Freshdesk and Intercom.

Usage:
  heard <command> [flags]

Commands:
  serve     run the webhook receiver and the queue workers
  show      one ticket's decision trace: events, predictions, gates, what was
            written and errors (heard show CONNECTOR TICKET [--json])
  stats     how often agents kept heard's priority and tags, per field and
            confidence threshold (heard stats [--connector N] [--since 30d])
  report    the weekly support report: volume, response times, SLA, CSAT,
            backlog, voice of the customer (heard report [--week 2026-W49]
            [--connector N] [--format text|md|html|json])
  alerts    recent alerts (CSAT, first response, reopen rate, repeat customer,
            NPS detractor) and their webhook deliveries (heard alerts [--since 7d])
  backtest  triage a connector's solved tickets in shadow and compare with the
            agents' final values (heard backtest --connector N --since 30d)
  plugin    install, list, verify and remove plugins (heard plugin install PATH)
  kb        the knowledge base: ingest, sync, search "query", stats, eval
  eval      measure the classifiers on a labelled CSV (heard eval --labels FILE
            [--model MODEL])
  train     train the learned classifier on a labelled CSV
            (heard train --labels FILE --out MODEL)
  model     the learned classifier's stored versions: list, show VERSION,
            promote VERSION, rollback
  migrate   create or upgrade the database schema, then exit
  queue     inspect dead-lettered jobs (queue dead) and retry one (queue retry ID)
  replay    sign a stored webhook payload with a connector's secret and post it
            (heard replay FILE --connector NAME)
  version   print the version

Run 'heard <command> --help' for a command's flags. The demo and the
emulated help desks are a separate command, heard-sandbox (make demo).
Configuration: docs/configuration.md. Environment: HEARD_CONFIG names the
config file; HEARD_* variables override single settings.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a command-line mistake; the usage text has been printed.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = cmdServe(ctx, rest, stderr)
	case "demo", "sandbox":
		fmt.Fprint(stderr, movedToSandbox(cmd))
		return 2
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "queue":
		err = cmdQueue(ctx, rest, stdout, stderr)
	case "replay":
		err = cmdReplay(ctx, rest, stdout, stderr)
	case "eval":
		err = cmdEval(ctx, rest, stdout, stderr)
	case "train":
		err = cmdTrain(ctx, rest, stdout, stderr)
	case "show":
		err = cmdShow(ctx, rest, stdout, stderr)
	case "stats":
		err = cmdStats(ctx, rest, stdout, stderr)
	case "report":
		err = cmdReport(ctx, rest, stdout, stderr)
	case "alerts":
		err = cmdAlerts(ctx, rest, stdout, stderr)
	case "backtest":
		err = cmdBacktest(ctx, rest, stdout, stderr)
	case "kb":
		err = cmdKB(ctx, rest, stdout, stderr)
	case "plugin":
		err = cmdPlugin(ctx, rest, stdout, stderr)
	case "model":
		err = cmdModel(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, buildinfo.String())
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "heard: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(stderr, "heard: %v\n", err)
		return 1
	}
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

// newFlags returns a flag set that prints its usage to w and reports
// mistakes as errUsage.
func newFlags(name, synopsis string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: heard %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", os.Getenv("HEARD_CONFIG"), "config `file` (YAML); default: none, built-in defaults (env HEARD_CONFIG)")
}
