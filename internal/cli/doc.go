// Package cli is the command-line convention shared by heard and
// heard-sandbox, on top of cobra and pflag: flags before or after
// positional arguments, --help on every command printed to stdout with
// exit status 0, command-line mistakes reported on stderr with the
// command's usage and exit status 2, other failures as "name: error" with
// exit status 1, deprecated flag spellings kept as hidden aliases, and
// shell completion scripts for bash, zsh and fish.
//
// A command is a cobra.Command made by Command (a leaf that does the work)
// or Group (a command whose subcommands do). A leaf's body has the shape
// the commands had before cobra: func(ctx, args, stdout, stderr) error,
// where args are the positional arguments left after the flags.
//
// It is not a public API: it may change with the commands that use it.
package cli
