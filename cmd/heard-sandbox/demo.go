package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk"
)

// demoTicket is one ticket the demo opens in a sandbox help desk.
type demoTicket struct {
	vendor string
	what   string // the path it exercises
	t      sandbox.NewTicket
}

func demoTickets(now time.Time) []demoTicket {
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	cust := func(plan, mrr string, extra ...string) map[string]string {
		m := map[string]string{sdk.AttrPlan: plan, sdk.AttrMRR: mrr}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	p := func(name, email string) sandbox.Person { return sandbox.Person{Name: name, Email: email} }
	return []demoTicket{
		{"zendesk", "P0 outage", sandbox.NewTicket{Subject: "Dashboard is down for our whole team",
			Body:      "Since 09:10 every user in our workspace gets a 500 error on the dashboard and nobody can log time. This is blocking 40 people right now.",
			Requester: p("Priya Nair", "priya@brightlane.example"), Organization: "Brightlane Studio", Customer: cust("business", "900")}},
		{"freshdesk", "security report", sandbox.NewTicket{Subject: "Possible XSS in the client portal",
			Body:      "Hi, I think I found a stored XSS vulnerability: a project name with a script tag runs in the client portal for anyone who opens it. Happy to share details privately.",
			Requester: p("Tomás Ruiz", "tomas@ruizconsult.example"), Organization: "Ruiz Consulting", Customer: cust("pro", "120")}},
		{"intercom", "double charge, enterprise", sandbox.NewTicket{Subject: "Charged twice for the March invoice",
			Body:      "Hello, our card was charged twice for invoice INV-2291 ($2,400 each). Please refund the duplicate charge and confirm when it will show up.",
			Requester: p("Dana Whitfield", "dana@northwind.example"), Organization: "Northwind Traders", Customer: cust("enterprise", "2400", sdk.AttrLTV, "61000")}},
		{"zendesk", "how-to from a new customer", sandbox.NewTicket{Subject: "How do I invite my team?",
			Body:      "We just signed up last week. How do I invite my five colleagues and give them access to one project only?",
			Requester: p("Lena Brandt", "lena@kleinwerk.example"), Organization: "Kleinwerk", Customer: cust("starter", "49", sdk.AttrSignupDate, day(-5))}},
		{"freshdesk", "feature request", sandbox.NewTicket{Subject: "Gantt chart view?",
			Body:      "It would be great to have a Gantt chart view for project timelines. Is that something you are planning?",
			Requester: p("Sam Okafor", "sam@tallhouse.example"), Organization: "Tallhouse", Customer: cust("pro", "180")}},
		{"intercom", "angry, low impact", sandbox.NewTicket{Subject: "This new button colour is AWFUL",
			Body:      "WHO approved this new green button?!! It is hideous and hurts my eyes. Change it back!!!",
			Requester: p("Chris Doyle", "chris@doylemedia.example"), Organization: "Doyle Media", Customer: cust("free", "0")}},
		{"zendesk", "cancellation naming a competitor, high MRR", sandbox.NewTicket{Subject: "Cancelling our subscription",
			Body:      "We have decided to cancel our subscription at the end of the month and move to Harvest, which our finance team prefers. Please confirm the cancellation.",
			Requester: p("Maya Lindqvist", "maya@fjordworks.example"), Organization: "Fjordworks", Customer: cust("business", "3200", sdk.AttrUsageTrend, "-55", sdk.AttrLastLogin, now.AddDate(0, 0, -20).Format(time.RFC3339))}},
		{"freshdesk", "repeat issue", sandbox.NewTicket{Subject: "Timer stopped syncing again",
			Body:      "The desktop timer stopped syncing with the web app again. This is the third time this month and it is still not fixed; we lose hours of tracked time.",
			Requester: p("Jonas Weber", "jonas@weberbau.example"), Organization: "Weberbau", Customer: cust("pro", "240")}},
		{"intercom", "non-English (German) refund", sandbox.NewTicket{Subject: "Doppelte Abbuchung – bitte Rückerstattung",
			Body:      "Guten Tag, Sie haben unsere Jahresgebühr zweimal abgebucht. Bitte erstatten Sie den doppelten Betrag von 1.188 € zurück. Vielen Dank.",
			Requester: p("Katrin Vogel", "katrin@vogel-design.example"), Organization: "Vogel Design", Customer: cust("business", "99")}},
		{"zendesk", "legal threat and a large refund", sandbox.NewTicket{Subject: "Refund demand – we will involve our lawyer",
			Body:      "You billed us $1,450 for seats we removed in January. Refund it this week or our lawyer will take legal action.",
			Requester: p("Victor Hale", "victor@halepartners.example"), Organization: "Hale & Partners", Customer: cust("business", "650")}},
		{"freshdesk", "performance", sandbox.NewTicket{Subject: "Reports take minutes to load",
			Body:      "Since yesterday the utilisation report takes over two minutes to load and often times out. Other pages are fine.",
			Requester: p("Ana Costa", "ana@costaarq.example"), Organization: "Costa Arquitetos", Customer: cust("pro", "300")}},
		{"intercom", "integration error", sandbox.NewTicket{Subject: "QuickBooks sync fails with 401",
			Body:      "Our QuickBooks integration stopped syncing invoices. The log says 'QuickBooks API error 401 unauthorized'. How can we reconnect it?",
			Requester: p("Olu Adeyemi", "olu@adeyemiandco.example"), Organization: "Adeyemi & Co", Customer: cust("business", "420")}},
		{"freshdesk", "account unlock, answered by auto-reply", sandbox.NewTicket{Subject: "Locked out of my account",
			Body:      "Hi, I'm locked out of my account after too many attempts with an old password. Please unlock my account.",
			Requester: p("Rita Moreno", "rita@moreno-events.example"), Organization: "Moreno Events", Customer: cust("pro", "150")}},
	}
}

// demoResult is what the agent sees for one ticket (read back from the
// sandbox help desk) and heard's decision behind it.
type demoResult struct {
	Vendor           string      `json:"vendor"`
	Scenario         string      `json:"scenario"`
	TicketID         string      `json:"ticket_id"`
	Subject          string      `json:"subject"`
	Priority         string      `json:"priority"`
	Tags             []string    `json:"tags"`
	Sentiment        string      `json:"sentiment"`
	ChurnScore       int         `json:"churn_score"`
	ChurnLevel       string      `json:"churn_level"`
	FirstResponseDue string      `json:"first_response_due"`
	Route            string      `json:"route"`
	Escalation       []string    `json:"escalation"`
	HeldBack         []string    `json:"held_back"` // fields the gates kept off the ticket, and why
	KBMatches        []demoMatch `json:"kb_matches"`
	Draft            string      `json:"draft"`
	DraftScore       int         `json:"draft_score"`
	AutoReply        string      `json:"auto_reply"` // the policy's decision and why
	Written          demoWritten `json:"written"`
	Agent            *demoAgent  `json:"agent,omitempty"` // what the agents did afterwards
	ok               bool
}

type demoMatch struct {
	Title string  `json:"title"`
	URL   string  `json:"url"`
	Score float64 `json:"score"`
}

// demoWritten is what the sandbox help desk received and now shows.
type demoWritten struct {
	Tags     []string `json:"tags"`
	Priority string   `json:"priority"`
	Note     string   `json:"note"`
	Reply    string   `json:"reply,omitempty"` // heard's public reply, when auto-reply sent one
}

func demoCmd() *cobra.Command {
	return cli.Command("demo [--json] [--keep] [--data-dir DIR] [--heard-bin PATH]", "start heard on a throwaway embedded store, send it signed sample webhooks and show what it did (make demo)", func(fs *pflag.FlagSet) cli.RunFunc {
		asJSON := fs.Bool("json", false, "print one JSON array, one object per ticket")
		keep := fs.Bool("keep", false, "keep the demo's data directory and print its path")
		keepData := fs.String("data-dir", "", "keep heard's store and its config (DIR/heard.yaml) in `DIR`, which must be new or empty, so heard stats --config DIR/heard.yaml can be run on it afterwards")
		heardBin := fs.String("heard-bin", "", "the heard `binary` to run; default: heard next to this command, else one built from this checkout with go build")
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			start := time.Now()
			progress := func(format string, a ...any) {
				if !*asJSON {
					fmt.Fprintf(stdout, format, a...)
				}
			}
			dir, err := os.MkdirTemp("", "heard-demo-")
			if err != nil {
				return fmt.Errorf("creating demo directory: %w", err)
			}
			if !*keep {
				defer os.RemoveAll(dir)
			}
			bin, err := findHeard(ctx, *heardBin, dir)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("reserving a port: %w", err)
			}
			addr := ln.Addr().String()
			_ = ln.Close()
			quiet := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
			// The demo turns auto-reply on (it is off by default) to show the one
			// ticket the policy lets heard answer on its own.
			env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://" + addr, Account: "acme", AutoReply: true, Logger: quiet})
			if err != nil {
				return err
			}
			defer env.Close()
			dataDir, cfgFile := filepath.Join(dir, "data"), filepath.Join(dir, "heard.yaml")
			if *keepData != "" {
				if dataDir, err = newDataDir(*keepData); err != nil {
					return err
				}
				cfgFile = filepath.Join(dataDir, "heard.yaml")
			}
			// The team's own competitors (Crewbook is a time tracker), an overlay
			// on the built-in help-desk vendors.
			// A demo desk has a handful of ratings: one is enough for the CSAT
			// alert (the default asks for 5 in the window).
			cfgText := fmt.Sprintf("listen: %q\ndata_dir: %q\nlog_level: error\nqueue:\n  retry_base: 200ms\ntriage:\n  auto_reply: {enabled: true}\n"+
				"alerts:\n  csat: {min_ratings: 1}\n"+
				"classify:\n  rules:\n    competitors:\n      names: [Harvest, Clockify, {name: Toggl Track, phrases: [toggl, toggl track]}]\n%s",
				addr, dataDir, enterpriseZendesk(env.ConnectorsYAML("live")))
			if err := os.WriteFile(cfgFile, []byte(cfgText), 0o600); err != nil {
				return fmt.Errorf("writing demo config: %w", err)
			}
			n, err := ingestHelpCenter(ctx, bin, cfgFile, filepath.Join(dir, "helpcenter"))
			if err != nil {
				return err
			}
			progress("Knowledge base: %d help-center articles of the team's own (fictional product Crewbook) ingested.\n", n)
			h, err := startHeard(ctx, bin, cfgFile, addr, stderr)
			if err != nil {
				return err
			}
			defer func() { _ = h.stop() }()
			// heard has migrated the store: read its records alongside it (SQLite
			// in WAL mode lets a second process read).
			st, err := sqlite.Open(ctx, dataDir)
			if err != nil {
				return fmt.Errorf("opening heard's store: %w", err)
			}
			defer st.Close()
			progress("heard is live on http://%s against a sandbox help desk on %s (Zendesk, Freshdesk, Intercom).\nOpening %d tickets as customers would...\n\n", addr, env.Root, len(demoTickets(start)))

			tickets := demoTickets(start)
			results := make([]*demoResult, len(tickets))
			for i, dt := range tickets {
				id, err := env.Desks[dt.vendor].CreateTicket(ctx, env.Account, dt.t)
				if err != nil {
					return fmt.Errorf("opening %s ticket %q: %w", dt.vendor, dt.t.Subject, err)
				}
				results[i] = &demoResult{Vendor: dt.vendor, Scenario: dt.what, TicketID: id, Subject: dt.t.Subject, Escalation: []string{}, KBMatches: []demoMatch{}}
			}
			deadline := time.Now().Add(45 * time.Second)
			for {
				done := 0
				for _, r := range results {
					if !r.ok {
						r.ok = readBack(env, r)
					}
					if r.ok {
						done++
					}
				}
				if done == len(results) || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			// The note reaches the help desk just before heard records the
			// enrichment: wait for the records too.
			for {
				missing, err := addDecisions(ctx, st, results)
				if err != nil {
					return err
				}
				if missing == 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			// A record means the job finished, every write included (an auto-reply
			// goes after the note): read the help desks once more.
			for _, r := range results {
				if r.ok {
					readBack(env, r)
				}
			}
			pass, err := agentPass(ctx, env, st, results)
			if err != nil {
				return err
			}
			if err := h.stop(); err != nil {
				return err
			}
			stats, err := heardCommand(ctx, bin, "stats", "--config", cfgFile)
			if err != nil {
				return err
			}
			fired, err := heardCommand(ctx, bin, "alerts", "--evaluate", "--config", cfgFile)
			if err != nil {
				return err
			}

			failed := 0
			for _, r := range results {
				if !r.ok {
					failed++
				}
			}
			violations := env.Server.Violations()
			if *asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					printResult(stdout, r)
				}
				printAgentPass(stdout, pass, stats)
				fmt.Fprintln(stdout, "heard alerts (the rules evaluated after the agent pass):")
				for _, line := range strings.Split(strings.TrimSpace(string(fired)), "\n") {
					fmt.Fprintf(stdout, "   %s\n", line)
				}
				fmt.Fprintln(stdout)
				fmt.Fprintf(stdout, "%d of %d tickets enriched and written back in %.1fs; %d contract violations.\n",
					len(results)-failed, len(results), time.Since(start).Seconds(), len(violations))
				if *keepData != "" {
					fmt.Fprintf(stdout, "heard's store is kept in %s: heard stats|report|alerts --config %s\n", dataDir, cfgFile)
				}
				if *keep {
					fmt.Fprintf(stdout, "data kept in %s\n", dir)
				}
			}
			for _, v := range violations {
				fmt.Fprintln(stderr, "contract violation:", v)
			}
			if failed > 0 || len(violations) > 0 {
				return fmt.Errorf("demo: %d tickets were not written back, %d contract violations", failed, len(violations))
			}
			return nil
		}
	})
}

// readBack fills r from what the sandbox help desk shows; it reports
// whether heard's note is there.
func readBack(env *desks.Env, r *demoResult) bool {
	st, err := env.Desks[r.Vendor].State(env.Account, r.TicketID)
	if err != nil {
		return false
	}
	for _, n := range st.Notes {
		if n.Private && strings.Contains(n.Body, "heard triage") {
			r.Written = demoWritten{Tags: st.Tags, Priority: st.Priority, Note: n.Body}
			if len(st.Replies) > 0 {
				r.Written.Reply = st.Replies[len(st.Replies)-1].Body
			}
			return true
		}
	}
	return false
}

// addDecisions adds heard's recorded decision (SLA, churn, route) to each
// result; what was written comes from the sandbox. It returns how many
// results have no record yet.
func addDecisions(ctx context.Context, st store.Store, results []*demoResult) (int, error) {
	recs, err := st.Records(ctx, store.Filter{Limit: 1000})
	if err != nil {
		return 0, err
	}
	missing := 0
	byTicket := map[string]store.Record{}
	for _, rec := range recs {
		if rec.Status == pipeline.StatusEnriched {
			byTicket[rec.Connector+"/"+rec.TicketID] = rec
		}
	}
	for _, r := range results {
		rec, ok := byTicket[desks.ConnectorName(r.Vendor)+"/"+r.TicketID]
		if !ok {
			missing++
			continue
		}
		var d pipeline.Detail[enrich.Explanation]
		if err := json.Unmarshal(rec.Detail, &d); err != nil {
			return 0, fmt.Errorf("record %s: %w", rec.EventKey, err)
		}
		if d.Decision == nil {
			return 0, fmt.Errorf("record %s has no decision: %w", rec.EventKey, sdk.ErrInvalid)
		}
		dec := d.Decision
		r.Escalation, r.KBMatches = []string{}, []demoMatch{}
		r.Priority, r.Tags, r.Sentiment = string(dec.Priority), dec.Tags, dec.Sentiment
		r.ChurnScore, r.ChurnLevel, r.Route = dec.Churn.Score, dec.Churn.Level, dec.Route.Route
		r.HeldBack = append([]string{}, dec.HeldBack...)
		if dec.SLA != nil {
			r.FirstResponseDue = dec.SLA.FirstResponseDue.UTC().Format(time.RFC3339)
		}
		for _, n := range dec.Route.Escalations {
			r.Escalation = append(r.Escalation, n.Action+" ("+n.Reason+")")
		}
		for _, a := range dec.KBMatches {
			r.KBMatches = append(r.KBMatches, demoMatch{Title: a.Title, URL: a.URL, Score: a.Score})
		}
		if dec.Draft != nil {
			r.Draft, r.DraftScore = dec.Draft.Text, dec.Draft.Rubric.Total
		}
		if dec.AutoReply != nil {
			r.AutoReply = dec.AutoReply.Reason
		}
	}
	return missing, nil
}

// vendorPriorityWords are the words each help desk shows for its priority
// values.
var vendorPriorityWords = map[string]map[string]string{
	"zendesk":   {"urgent": "Urgent", "high": "High", "normal": "Normal", "low": "Low"},
	"freshdesk": {"4": "Urgent (4)", "3": "High (3)", "2": "Medium (2)", "1": "Low (1)"},
	"intercom": {"priority": "prioritised", "not_priority": "not prioritised",
		"urgent": "Urgent", "high": "High", "medium": "Medium", "low": "Low", "none": "None"},
}

// vendorPriority says in words the priority value a help desk shows, and
// for Intercom 2.15, which keeps only prioritised or not and cannot set
// even that through its API, where heard's priority is instead.
func vendorPriority(vendor, value string, heard sdk.Priority) string {
	if value == "" {
		return "—"
	}
	words, ok := vendorPriorityWords[vendor][strings.ToLower(value)]
	if !ok {
		words = value
	}
	if vendor == "intercom" && (value == "priority" || value == "not_priority") && heard != sdk.PriorityUnknown {
		words += fmt.Sprintf(" (the Intercom 2.15 API cannot set priority; heard's %s is the tag %s)", heard, "heard-priority-"+strings.ToLower(string(heard)))
	}
	return words
}

func printResult(w io.Writer, r *demoResult) {
	fmt.Fprintf(w, "── %s #%s · %s\n   %q\n", r.Vendor, r.TicketID, r.Scenario, r.Subject)
	if !r.ok {
		fmt.Fprintf(w, "   NOT written back\n\n")
		return
	}
	tags := append([]string(nil), r.Written.Tags...)
	sort.Strings(tags)
	fmt.Fprintf(w, "   agent sees: priority: %s · tags %s\n", vendorPriority(r.Vendor, r.Written.Priority, sdk.Priority(r.Priority)), strings.Join(tags, ", "))
	fmt.Fprintf(w, "   heard: %s · sentiment %s · churn %d (%s) · first response by %s · route %s\n",
		r.Priority, orDash(r.Sentiment), r.ChurnScore, r.ChurnLevel, orDash(r.FirstResponseDue), r.Route)
	for _, h := range r.HeldBack {
		fmt.Fprintf(w, "   held back: %s\n", h)
	}
	for _, e := range r.Escalation {
		fmt.Fprintf(w, "   escalation: %s\n", e)
	}
	for _, m := range r.KBMatches {
		fmt.Fprintf(w, "   article: %s — %s (%.2f)\n", m.Title, m.URL, m.Score)
	}
	switch {
	case r.Written.Reply != "":
		fmt.Fprintf(w, "   SENT to the customer by auto-reply, HEARD %d/10 (%s):\n", r.DraftScore, r.AutoReply)
		for _, line := range strings.Split(strings.TrimSpace(stripTags(r.Written.Reply)), "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	case r.Draft != "":
		fmt.Fprintf(w, "   draft reply (HEARD %d/10):\n", r.DraftScore)
		for _, line := range strings.Split(strings.TrimSpace(r.Draft), "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	fmt.Fprintf(w, "   internal note (%d bytes): %s\n\n", len(r.Written.Note), truncate(strings.Join(strings.Fields(stripTags(r.Written.Note)), " "), 160))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// stripTags drops HTML tags for the terminal.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for i, r := range s {
		switch {
		case r == '<' && !in && i+1 < len(s) && (s[i+1] == '/' || s[i+1] == '!' || 'a' <= s[i+1]|0x20 && s[i+1]|0x20 <= 'z'):
			// A tag starts with a letter, "/" or "!"; "0.60 < 0.70" is text.
			in = true
			b.WriteRune(' ')
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(b.String())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// newDataDir makes dir (absolute) for --data-dir: it must not exist or be
// empty, so the demo's records are not mixed with an earlier run's.
func newDataDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("--data-dir: %w", err)
	}
	if ents, err := os.ReadDir(abs); err == nil && len(ents) > 0 {
		return "", fmt.Errorf("--data-dir %s is not empty: give a new or empty directory: %w", abs, errUsage)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return "", fmt.Errorf("--data-dir: %w", err)
	}
	return abs, nil
}

// enterpriseZendesk puts the demo's Zendesk account on the Enterprise
// plan's API budget (700 requests a minute) instead of heard's default of
// the lowest plan's 100: at 100 a minute the agent pass alone waits half a
// minute for the connector's client-side rate limit.
func enterpriseZendesk(connectors string) string {
	const secret = "webhook_secret: sandbox-secret-zendesk,"
	return strings.Replace(connectors, secret, secret+" rate_limit: {rate_per_minute: 700},", 1)
}
