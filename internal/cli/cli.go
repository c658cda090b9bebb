package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ErrUsage marks a command-line mistake: Execute prints the error's
// message, if it has one beyond this, and the command's usage on stderr,
// and exits with status 2.
var ErrUsage = errors.New("usage")

// Usagef returns a command-line mistake with a message, for Execute to
// print above the command's usage.
func Usagef(format string, a ...any) error {
	return fmt.Errorf("%s%w", fmt.Sprintf(format, a...), usageError{})
}

// usageError marks an error as a usage mistake (errors.Is ErrUsage)
// without adding to its message.
type usageError struct{}

func (usageError) Error() string        { return "" }
func (usageError) Is(target error) bool { return target == ErrUsage }

// ExitError ends a command with a status and no further output: the
// command has said what it had to.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// RunFunc is a command's body: args are the positional arguments, the
// flags are parsed into the variables its setup declared.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Command returns a leaf command. use is the synopsis shown in its usage
// line, its first word the command's name ("show CONNECTOR TICKET
// [--json]"); short is the one line listed under its parent. setup
// declares the flags on fs and returns the body that reads them.
func Command(use, short string, setup func(fs *pflag.FlagSet) RunFunc) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs}
	run := setup(c.Flags())
	c.RunE = func(c *cobra.Command, args []string) error {
		return run(c.Context(), args, c.OutOrStdout(), c.ErrOrStderr())
	}
	return c
}

// Group returns a command whose subcommands do the work. Run alone it is
// a usage mistake; an unknown subcommand is one too. "GROUP help [SUB]"
// prints the group's (or the subcommand's) help, as "GROUP [SUB] --help".
func Group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 && args[0] == "help" {
				if sub, rest, err := c.Find(args[1:]); err == nil && len(rest) == 0 {
					return sub.Help()
				}
				return c.Help()
			}
			if err := noSubcommand(c, args); err != nil {
				return err
			}
			return ErrUsage
		}}
	c.AddCommand(subs...)
	return c
}

// noSubcommand rejects positional arguments of a group: the first would
// have named a subcommand.
func noSubcommand(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return Usagef("unknown command %q for %q", args[0], c.CommandPath())
	}
	return nil
}

// Alias adds old as a deprecated spelling of the flag canonical, already
// defined on fs: it sets the same value, is hidden from help and prints a
// deprecation note on stderr when used.
func Alias(fs *pflag.FlagSet, old, canonical string) {
	f := fs.Lookup(canonical)
	if f == nil {
		panic("cli.Alias: no flag --" + canonical)
	}
	fs.Var(f.Value, old, f.Usage)
	fs.Lookup(old).NoOptDefVal = f.NoOptDefVal
	_ = fs.MarkDeprecated(old, "use --"+canonical+" instead")
}

// Walk calls fn on c and every command below it, parents first.
func Walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		Walk(sub, fn)
	}
}

const usageTemplate = `Usage: {{if .HasParent}}{{.Parent.CommandPath}} {{end}}{{.Use}}{{if .HasAvailableSubCommands}}

Commands:{{range .Commands}}{{if .IsAvailableCommand}}
  {{rpad .Name .NamePadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Run '{{.CommandPath}} COMMAND --help' for a command's flags.{{end}}
`

const helpTemplate = `{{with (or .Long .Short)}}{{. | trimTrailingWhitespaces}}

{{end}}{{.UsageString}}`

// Prepare finishes a command tree for Execute and for tests that walk it:
// output writers, templates, the help and completion commands, and flag
// mistakes reported as usage errors. Deprecation notes go to stderr.
func Prepare(root *cobra.Command, stdout, stderr io.Writer) {
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpTemplate(helpTemplate)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w%w", err, usageError{})
	})
	if root.Args == nil {
		root.Args = noSubcommand
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	Walk(root, func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.Flags().SetOutput(stderr)
		c.PersistentFlags().SetOutput(stderr)
	})
}

// Execute runs the command tree under root with args (without the
// program name) and returns the exit status: 0 when it succeeded or
// printed help, 2 for a usage mistake, the ExitError's code, else 1 with
// the error printed as "name: error" on stderr.
func Execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	Prepare(root, stdout, stderr)
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var exit *ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code
	case errors.Is(err, ErrUsage):
		if msg := err.Error(); msg != "" && msg != ErrUsage.Error() {
			fmt.Fprintf(stderr, "%s: %s\n\n", cmd.CommandPath(), msg)
		}
		fmt.Fprint(stderr, cmd.UsageString())
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %v\n", root.Name(), err)
		return 1
	}
}
