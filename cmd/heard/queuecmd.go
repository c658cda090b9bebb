package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
)

// queueCmd is `heard queue dead|retry`.
func queueCmd() *cobra.Command {
	return cli.Group("queue dead|retry JOB_ID", "inspect dead-lettered jobs (queue dead) and retry one (queue retry JOB_ID)",
		queueDeadCmd(), queueRetryCmd())
}

// openQueue opens the configured store's queue; closeQueue closes both.
func openQueue(ctx context.Context, cfgPath string) (q queue.Queue, closeQueue func(), err error) {
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if q, err = st.Queue(queue.Config{}, nil); err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return q, func() { q.Close(); _ = st.Close() }, nil
}

func queueRetryCmd() *cobra.Command {
	return cli.Command("retry JOB_ID [--config FILE]", "queue a dead job again", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		return func(ctx context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != 1 {
				return errUsage
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("job id %q is not a number", args[0])
			}
			q, closeQueue, err := openQueue(ctx, *cfgPath)
			if err != nil {
				return err
			}
			defer closeQueue()
			if err := q.Retry(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "job %d queued again\n", id)
			return nil
		}
	})
}

func queueDeadCmd() *cobra.Command {
	return cli.Command("dead [--limit N] [--json] [--config FILE]", "list dead-lettered jobs with their last error", func(fs *pflag.FlagSet) cli.RunFunc {
		cfgPath := configFlag(fs)
		asJSON := fs.Bool("json", false, "print JSON")
		limit := fs.Int("limit", 50, "how many dead jobs to list")
		return func(ctx context.Context, args []string, stdout, _ io.Writer) error {
			if len(args) != 0 {
				return errUsage
			}
			q, closeQueue, err := openQueue(ctx, *cfgPath)
			if err != nil {
				return err
			}
			defer closeQueue()
			dead, err := q.Dead(ctx, *limit)
			if err != nil {
				return err
			}
			if *asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if dead == nil {
					dead = []queue.DeadJob{}
				}
				return enc.Encode(dead)
			}
			if len(dead) == 0 {
				fmt.Fprintln(stdout, "no dead jobs")
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKEY\tKIND\tTICKET\tATTEMPTS\tLAST ERROR")
			for _, d := range dead {
				last := ""
				if n := len(d.Errors); n > 0 {
					last = d.Errors[n-1]
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", d.ID, d.Job.Key, d.Job.Event.Kind, d.Job.Event.Ticket.ID, d.Attempts, last)
			}
			return tw.Flush()
		}
	})
}
