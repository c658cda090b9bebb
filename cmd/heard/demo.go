package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// demoConfig is the bundled demo configuration: one Zendesk connector in
// shadow mode on an embedded store in a throwaway directory.
const demoConfig = `
listen: "127.0.0.1:0"
data_dir: "${HEARD_DEMO_DIR}"
log_level: error
queue:
  retry_base: 200ms
connectors:
  - name: demo-zendesk
    type: zendesk
    subdomain: demo
    webhook_secret: ${HEARD_DEMO_SECRET}
    mode: shadow
`

const demoSecret = "demo-signing-secret-not-for-production"

// delivery is one webhook the demo sends.
type delivery struct {
	Name       string `json:"name"`
	Connector  string `json:"connector"`
	body       []byte
	tamper     bool
	Want       int    `json:"want_status"`
	Got        int    `json:"status"`
	Answer     string `json:"answer"`
	invocation string
}

func demoTicketEvent(kind, eventID, ticketID, subject, body string, at time.Time) []byte {
	ev := map[string]any{
		"type": "zen:event-type:ticket." + kind, "account_id": 22129848, "id": eventID,
		"time": at.Format(time.RFC3339Nano), "zendesk_event_version": "2022-11-06",
		"subject": "zen:ticket:" + ticketID,
		"detail": map[string]any{
			"actor_id": "9001", "id": ticketID, "status": "NEW", "priority": "NORMAL", "subject": subject,
			"description": body, "requester_id": "9001", "tags": []string{}, "is_public": true,
			"created_at": at.Format(time.RFC3339), "updated_at": at.Format(time.RFC3339), "via": map[string]any{"channel": "web_form"},
		},
		"event": map[string]any{"meta": map[string]any{"sequence": map[string]any{"id": "S-" + eventID, "position": 1, "total": 1}}},
	}
	if kind == "comment_added" {
		ev["event"] = map[string]any{
			"meta": map[string]any{"sequence": map[string]any{"id": "S-" + eventID, "position": 1, "total": 1}},
			"comment": map[string]any{
				"id": "C-" + eventID, "body": body, "is_public": true,
				"author": map[string]any{"id": "9001", "is_staff": false, "name": "Dana Customer"},
			},
		}
	}
	b, _ := json.Marshal(ev) // maps of strings and numbers always marshal
	return b
}

func demoDeliveries(now time.Time) []*delivery {
	created := demoTicketEvent("created", "6f0a7c9e-0001", "5158", "Double charge on invoice", "I was charged twice for my March invoice.", now)
	return []*delivery{
		{Name: "ticket created: double charge", Connector: "demo-zendesk", body: created, Want: 202},
		{Name: "ticket created: dashboard down", Connector: "demo-zendesk", Want: 202,
			body: demoTicketEvent("created", "6f0a7c9e-0002", "5159", "Dashboard returns 500 for everyone", "Our whole team gets a 500 error since 9am.", now)},
		{Name: "customer replied", Connector: "demo-zendesk", Want: 202,
			body: demoTicketEvent("comment_added", "6f0a7c9e-0003", "5158", "Double charge on invoice", "Any update? I still see two charges.", now.Add(time.Minute))},
		{Name: "trigger webhook {ticket_id}", Connector: "demo-zendesk", Want: 202, invocation: "inv-0004",
			body: []byte(`{"ticket_id":"5160","event":"ticket_created"}`)},
		{Name: "redelivery of the first event", Connector: "demo-zendesk", body: created, Want: 202},
		{Name: "user event (not a ticket)", Connector: "demo-zendesk", Want: 202,
			body: []byte(`{"type":"zen:event-type:user.active_changed","account_id":1,"id":"u-1","time":"2026-01-01T00:00:00Z","subject":"zen:user:1","detail":{"id":"1"},"event":{"current":false,"previous":true}}`)},
		{Name: "forged signature", Connector: "demo-zendesk", body: created, tamper: true, Want: 401},
		{Name: "malformed JSON", Connector: "demo-zendesk", body: []byte(`{"type":"zen:event-type:ticket.created",`), Want: 400},
		{Name: "unknown connector", Connector: "nobody", body: created, Want: 404},
		{Name: "oversized body (2 MiB)", Connector: "demo-zendesk", body: bytes.Repeat([]byte("x"), 2<<20), Want: 413},
	}
}

func (d *delivery) send(ctx context.Context, base string, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/webhooks/"+d.Connector, bytes.NewReader(d.body))
	if err != nil {
		return err
	}
	ts := now.UTC().Format(time.RFC3339)
	sig := zendesk.Sign(demoSecret, ts, d.body)
	if d.tamper {
		sig = zendesk.Sign("not-the-secret", ts, d.body)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(zendesk.HeaderSignature, sig)
	req.Header.Set(zendesk.HeaderSignatureTimestamp, ts)
	if d.invocation != "" {
		req.Header.Set(zendesk.HeaderInvocationID, d.invocation)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("posting %q: %w", d.Name, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	d.Got, d.Answer = resp.StatusCode, strings.TrimSpace(string(b))
	return nil
}

type demoReport struct {
	Store      string         `json:"store"`
	Deliveries []*delivery    `json:"deliveries"`
	Records    []store.Record `json:"records"`
	OK         bool           `json:"ok"`
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--json] [--keep]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	keep := fs.Bool("keep", false, "keep the demo's data directory and print its path")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "heard-demo-")
	if err != nil {
		return fmt.Errorf("creating demo directory: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	env := map[string]string{"HEARD_DEMO_DIR": dir, "HEARD_DEMO_SECRET": demoSecret}
	cfgFile := dir + "/demo.yaml"
	if err := os.WriteFile(cfgFile, []byte(demoConfig), 0o600); err != nil {
		return fmt.Errorf("writing demo config: %w", err)
	}
	cfg, err := config.Load(cfgFile, func(k string) string { return env[k] })
	if err != nil {
		return fmt.Errorf("loading demo config: %w", err)
	}
	m := newMain(cfg, newLogger(stderr, cfg.LogLevel, cfg.LogFormat))
	defer m.Close()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	runErr := make(chan error, 1)
	go func() { runErr <- m.Run(runCtx) }()
	select {
	case <-m.Ready():
	case err := <-runErr:
		return fmt.Errorf("starting heard: %w", err)
	case <-time.After(30 * time.Second):
		return errors.New("heard did not start within 30s")
	}
	base := "http://" + m.Addr()
	progress := func(format string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(stdout, format, a...)
		}
	}
	progress("heard is listening on %s (embedded store in %s)\n\n", base, dir)

	now := time.Now()
	rep := demoReport{Store: cfg.Store(), OK: true}
	rep.Deliveries = demoDeliveries(now)
	accepted := 0
	for _, d := range rep.Deliveries {
		if err := d.send(ctx, base, now); err != nil {
			return err
		}
		var a struct{ Accepted int }
		if d.Got == http.StatusAccepted && json.Unmarshal([]byte(d.Answer), &a) == nil {
			accepted += a.Accepted
		}
		if d.Got != d.Want {
			rep.OK = false
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "WEBHOOK\tSTATUS\tEXPECTED\tANSWER")
		for _, d := range rep.Deliveries {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", d.Name, d.Got, d.Want, truncate(d.Answer, 70))
		}
		_ = tw.Flush()
	}
	progress("\nwaiting for the workers to process %d accepted events...\n", accepted)

	deadline := time.Now().Add(30 * time.Second)
	for {
		recs, err := m.store.Records(ctx, store.Filter{Limit: 1000})
		if err != nil {
			return err
		}
		rep.Records = recs
		if len(recs) >= accepted || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(rep.Records) != accepted {
		rep.OK = false
	}
	stop()
	if err := <-runErr; err != nil {
		return err
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stdout)
		fmt.Fprintln(tw, "PROCESSED EVENT\tKIND\tTICKET\tATTEMPT\tSTATUS")
		for i := len(rep.Records) - 1; i >= 0; i-- {
			r := rep.Records[i]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.EventKey, r.Kind, r.TicketID, r.Attempt, r.Status)
		}
		_ = tw.Flush()
		fmt.Fprintf(stdout, "\n%d events accepted, %d processed exactly once; duplicates, forgeries and bad input were turned away.\n", accepted, len(rep.Records))
		if *keep {
			fmt.Fprintf(stdout, "data kept in %s\n", dir)
		}
	}
	if !rep.OK {
		return errors.New("demo: some webhooks were not handled as expected (see the table above)")
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
