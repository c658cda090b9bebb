package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
)

const queueUsage = "queue dead [--config FILE] [--json] [--limit N] | queue retry [--config FILE] JOB_ID"

func cmdQueue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "dead" && args[0] != "retry") {
		fmt.Fprintf(stderr, "Usage: heard %s\n", queueUsage)
		return errUsage
	}
	sub := args[0]
	fs := newFlags("queue "+sub, queueUsage, stderr)
	cfgPath := configFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 50, "how many dead jobs to list")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath, nil)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	q, err := st.Queue(queue.Config{}, nil)
	if err != nil {
		return err
	}
	defer q.Close()
	if sub == "retry" {
		if fs.NArg() != 1 {
			fmt.Fprintf(stderr, "Usage: heard %s\n", queueUsage)
			return errUsage
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("job id %q is not a number", fs.Arg(0))
		}
		if err := q.Retry(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job %d queued again\n", id)
		return nil
	}
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
