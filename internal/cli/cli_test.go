package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// toy is a small tree: toy greet NAME [--loud] [--times N] [--shout
// (deprecated --loud)], toy box open|close, toy fail, toy quit.
func toy() *cobra.Command {
	greet := Command("greet NAME [--loud] [--times N]", "say hello", func(fs *pflag.FlagSet) RunFunc {
		loud := fs.Bool("loud", false, "shout")
		times := fs.Int("times", 1, "how many times")
		Alias(fs, "shout", "loud")
		return func(_ context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != 1 {
				return ErrUsage
			}
			msg := "hello " + args[0]
			if *loud {
				msg = strings.ToUpper(msg)
			}
			for range *times {
				fmt.Fprintln(stdout, msg)
			}
			return nil
		}
	})
	leaf := func(name string) *cobra.Command {
		return Command(name, name+" the box", func(*pflag.FlagSet) RunFunc {
			return func(_ context.Context, _ []string, stdout, _ io.Writer) error {
				_, err := fmt.Fprintln(stdout, name+"ed")
				return err
			}
		})
	}
	fail := Command("fail", "fail", func(*pflag.FlagSet) RunFunc {
		return func(context.Context, []string, io.Writer, io.Writer) error { return errors.New("it broke") }
	})
	quit := Command("quit", "quit with 3", func(*pflag.FlagSet) RunFunc {
		return func(context.Context, []string, io.Writer, io.Writer) error { return &ExitError{Code: 3} }
	})
	picky := Command("picky", "wants an even number", func(*pflag.FlagSet) RunFunc {
		return func(context.Context, []string, io.Writer, io.Writer) error { return Usagef("want an even number") }
	})
	root := &cobra.Command{Use: "toy COMMAND", Long: "toy is a test tree.", RunE: func(*cobra.Command, []string) error { return ErrUsage }}
	root.AddCommand(greet, Group("box open|close", "a box", leaf("open"), leaf("close")), fail, quit, picky)
	return root
}

func TestExecute(t *testing.T) {
	cases := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string // contained; "" for empty
	}{
		{"flags before the argument", []string{"greet", "--times", "2", "ann"}, 0, "hello ann\nhello ann\n", ""},
		{"flags after the argument", []string{"greet", "ann", "--times", "2", "--loud"}, 0, "HELLO ANN\nHELLO ANN\n", ""},
		{"flag=value", []string{"greet", "--times=3", "bo"}, 0, "hello bo\nhello bo\nhello bo\n", ""},
		{"deprecated alias works and says so on stderr", []string{"greet", "cy", "--shout"}, 0, "HELLO CY\n", "Flag --shout has been deprecated, use --loud instead"},
		{"help on stdout", []string{"greet", "--help"}, 0, "Usage: toy greet NAME [--loud] [--times N]", ""},
		{"-h on stdout", []string{"box", "open", "-h"}, 0, "Usage: toy box open", ""},
		{"help command", []string{"help", "greet"}, 0, "--times int", ""},
		{"root help lists commands", []string{"--help"}, 0, "toy is a test tree.", ""},
		{"no command", nil, 2, "", "Commands:"},
		{"group alone", []string{"box"}, 2, "", "Usage: toy box open|close"},
		{"unknown command", []string{"frob"}, 2, "", `toy: unknown command "frob" for "toy"`},
		{"unknown subcommand", []string{"box", "frob"}, 2, "", `unknown command "frob" for "toy box"`},
		{"unknown flag", []string{"greet", "ann", "--nope"}, 2, "", "toy greet: unknown flag: --nope"},
		{"single-dash long flag", []string{"greet", "ann", "-times", "2"}, 2, "", "unknown shorthand flag"},
		{"bad flag value", []string{"greet", "ann", "--times", "x"}, 2, "", `invalid argument "x"`},
		{"missing argument", []string{"greet"}, 2, "", "Usage: toy greet"},
		{"usage error with a message", []string{"picky"}, 2, "", "toy picky: want an even number\n\nUsage: toy picky"},
		{"failure", []string{"fail"}, 1, "", "toy: it broke\n"},
		{"exit code", []string{"quit"}, 3, "", ""},
		{"subcommand", []string{"box", "close"}, 0, "closeed\n", ""},
		{"group help", []string{"box", "help"}, 0, "Usage: toy box open|close", ""},
		{"group help for a subcommand", []string{"box", "help", "open"}, 0, "Usage: toy box open", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Execute(t.Context(), toy(), tc.args, &out, &errOut)
			ok := code == tc.code && strings.Contains(out.String(), tc.stdout) && strings.Contains(errOut.String(), tc.stderr)
			if tc.stdout == "" && out.Len() > 0 || tc.stderr == "" && errOut.Len() > 0 {
				ok = false
			}
			if !ok {
				t.Errorf("toy %v: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					tc.args, code, out.String(), errOut.String(), tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestCompletionScripts(t *testing.T) {
	markers := map[string]string{"bash": "__start_toy", "zsh": "#compdef toy", "fish": "complete -c toy"}
	for shell, marker := range markers {
		t.Run(shell, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Execute(t.Context(), toy(), []string{"completion", shell}, &out, &errOut); code != 0 || !strings.Contains(out.String(), marker) {
				t.Errorf("completion %s: exit %d, stderr %q, script has %q: %v", shell, code, errOut.String(), marker, strings.Contains(out.String(), marker))
			}
		})
	}
}

func TestWalkAfterPrepare(t *testing.T) {
	root := toy()
	Prepare(root, io.Discard, io.Discard)
	var paths []string
	Walk(root, func(c *cobra.Command) { paths = append(paths, c.CommandPath()) })
	for _, want := range []string{"toy", "toy greet", "toy box open", "toy completion bash", "toy completion fish", "toy completion zsh", "toy help"} {
		found := false
		for _, p := range paths {
			found = found || p == want
		}
		if !found {
			t.Errorf("Walk did not visit %q (visited %q)", want, paths)
		}
	}
}
