package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// cmdBacktest runs the whole triage in shadow over a connector's solved
// tickets and reports agreement with the agents' final values. Nothing is
// written to the help desk or to heard's store.
func cmdBacktest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backtest", "backtest --connector NAME [--since 30d] [--limit K] [--json] [--config FILE]", stderr)
	cfgPath := configFlag(fs)
	name := fs.String("connector", "", "configured connector `name` to read solved tickets from (required)")
	since := fs.String("since", "30d", "tickets solved since: a `duration` (30d) or a date (2026-11-01)")
	limit := fs.Int("limit", 500, "at most this many tickets")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		fs.Usage()
		return errUsage
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath, nil)
	if err != nil {
		return err
	}
	var cc *config.Connector
	for i := range cfg.Connectors {
		if cfg.Connectors[i].Name == *name {
			cc = &cfg.Connectors[i]
		}
	}
	if cc == nil {
		return fmt.Errorf("no connector named %q in the configuration", *name)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	conn, err := connectors.Default.New(cc.Type, connectors.Spec{Name: cc.Name, Decode: cc.Decode}, connectors.Deps{Logger: log})
	if err != nil {
		return err
	}
	lister, ok := conn.(sdk.TicketLister)
	if !ok {
		return fmt.Errorf("connector type %q cannot list tickets", cc.Type)
	}
	tri, err := buildClassifiers(cfg, log)
	if err != nil {
		return err
	}
	defer func() { _ = tri.close(context.WithoutCancel(ctx)) }()

	refs, err := listSolved(ctx, lister, from, *limit)
	if err != nil {
		return err
	}
	var rows []agreement.Feedback
	bar := newProgress(stderr, len(refs), "backtest")
	for i, ref := range refs {
		final, err := conn.Ticket(ctx, ref)
		if err != nil {
			return fmt.Errorf("fetching ticket %s: %w", ref, err)
		}
		resp, err := tri.classifier.Classify(ctx, &sdk.ClassifyRequest{Ticket: asOpened(final), Fields: tri.fields})
		if err != nil {
			return fmt.Errorf("classifying ticket %s: %w", ref, err)
		}
		rows = append(rows, agreement.Compare(ref.Connector, ref.ID, resp.Predictions, final, time.Now())...)
		bar.set(i + 1)
	}
	bar.done()
	fb := agreement.Summarize(rows)
	fb.Connector, fb.Since = *name, from
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Tickets int `json:"tickets"`
			agreement.Report
		}{len(refs), fb})
	}
	fmt.Fprintf(stdout, "%d solved tickets on %s since %s, triaged in shadow (nothing written):\n\n", len(refs), *name, from.Format(time.DateOnly))
	if len(refs) == 0 {
		return nil
	}
	return fb.WriteText(stdout)
}

// listSolved pages through the solved tickets, without duplicates.
func listSolved(ctx context.Context, l sdk.TicketLister, since time.Time, limit int) ([]sdk.TicketRef, error) {
	seen := map[sdk.TicketRef]bool{}
	var out []sdk.TicketRef
	req := &sdk.ListTicketsRequest{Status: sdk.StatusSolved, UpdatedSince: since, Limit: 100}
	for len(out) < limit {
		resp, err := l.ListTickets(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("listing solved tickets: %w", err)
		}
		for _, r := range resp.Tickets {
			if !seen[r] && len(out) < limit {
				seen[r] = true
				out = append(out, r)
			}
		}
		if resp.NextCursor == "" {
			break
		}
		req = &sdk.ListTicketsRequest{Cursor: resp.NextCursor}
	}
	return out, nil
}

// asOpened is the ticket as heard would have seen it when it was opened:
// the customer's messages before the first agent reply, no agent values.
func asOpened(t *sdk.Ticket) *sdk.Ticket {
	c := *t
	c.Priority, c.Tags, c.Status = sdk.PriorityUnknown, nil, sdk.StatusNew
	c.Messages = nil
	for _, m := range t.Messages {
		if m.FromAgent {
			break
		}
		c.Messages = append(c.Messages, m)
	}
	if len(c.Messages) == 0 && len(t.Messages) > 0 {
		c.Messages = t.Messages[:1]
	}
	return &c
}

// progress draws a one-line progress bar on a terminal-ish writer.
type progress struct {
	w     io.Writer
	total int
	label string
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int, label string) *progress {
	return &progress{w: w, total: total, label: label, start: time.Now()}
}

func (p *progress) set(n int) {
	if p.total == 0 || (time.Since(p.last) < 100*time.Millisecond && n < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * n / p.total
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(p.w, "\r%s [%s] %d/%d %s", p.label, bar, n, p.total, time.Since(p.start).Round(time.Millisecond))
}

func (p *progress) done() {
	if p.total > 0 {
		fmt.Fprintln(p.w)
	}
}
