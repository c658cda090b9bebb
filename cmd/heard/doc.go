// Command heard is the heard sidecar: it receives help-desk webhooks,
// enriches each ticket and writes the results back through the vendor's API.
//
// Usage:
//
//	heard serve [--config FILE]   run the webhook receiver and workers
//	heard migrate [--config FILE] create or upgrade the database schema
//	heard queue dead|retry ...    inspect and retry dead-lettered jobs
//	heard version                 print the version
//
// With no config file, heard serve listens on :8080 and keeps its data in
// ./heard-data (an embedded SQLite file). See docs/configuration.md.
//
// Commands are cobra commands built with internal/cli and listed in
// newRoot (main.go). A leaf command is
//
//	func fooCmd() *cobra.Command {
//		return cli.Command("foo ARG [--json] [--config FILE]", "one line for the list", func(fs *pflag.FlagSet) cli.RunFunc {
//			cfgPath := configFlag(fs)
//			asJSON := fs.Bool("json", false, "print JSON")
//			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
//				// args are the positional arguments; flags may come anywhere.
//				// return errUsage (or cli.Usagef) for a command-line mistake.
//			}
//		})
//	}
//
// and a command with subcommands is cli.Group. Run `heard COMMAND --help`
// for the full list.
//
// The demo and the emulated help desks are a separate command,
// heard-sandbox, which this binary does not link.
package main
