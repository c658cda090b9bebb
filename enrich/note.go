package enrich

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// renderNote writes the agent-only note as simple HTML every supported help
// desk renders: triage with reasons, SLA due times, churn, routing and
// escalations. Customer text is escaped, never interpreted.
func renderNote(t *sdk.Ticket, d *Decision) string {
	var b strings.Builder
	esc := html.EscapeString
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("<p><b>heard triage</b> · %s", esc(string(d.Priority)))
	if d.PrimaryTag != "" {
		p(" · %s", esc(strings.Join(d.Tags, ", ")))
	}
	if d.Sentiment != "" {
		p(" · sentiment %s", esc(d.Sentiment))
	}
	if d.Language != "" {
		p(" · language %s", esc(d.Language))
	}
	p("</p>\n<ul>\n<li>Priority %s: %s</li>\n", esc(string(d.Priority)), esc(d.PriorityReason))
	if d.SLA != nil {
		clock := "business hours"
		if !d.SLA.BusinessHours {
			clock = "24/7"
		}
		p("<li>SLA (%s, ×%.1f): first response by %s, resolution by %s</li>\n", clock, d.SLA.Multiplier,
			d.SLA.FirstResponseDue.UTC().Format(time.RFC1123), d.SLA.ResolutionDue.UTC().Format(time.RFC1123))
	}
	p("<li>Churn risk %d/100 (%s): %s", d.Churn.Score, esc(d.Churn.Level), esc(d.Churn.Action))
	if len(d.Churn.Signals) > 0 {
		var sig []string
		for _, s := range d.Churn.Signals {
			sig = append(sig, fmt.Sprintf("%s +%d (%s)", s.Name, s.Points, s.Reason))
		}
		p("; signals: %s", esc(strings.Join(sig, "; ")))
	}
	if len(d.Churn.Unknown) > 0 {
		p("; unknown: %s", esc(strings.Join(d.Churn.Unknown, ", ")))
	}
	if d.Churn.Offer != "" && d.Churn.RetentionFlow {
		p("; largest offer: %s", esc(d.Churn.Offer))
	}
	p("</li>\n<li>Route: %s", esc(d.Route.Route))
	if d.Route.Rule != "" {
		p(" (rule %s)", esc(d.Route.Rule))
	}
	p("</li>\n")
	flags := append([]string(nil), flagNames(d)...)
	sort.Strings(flags)
	if len(flags) > 0 {
		p("<li>Flags: %s</li>\n", esc(strings.Join(flags, "; ")))
	}
	p("</ul>\n")
	for _, n := range d.Route.Escalations {
		p("<p><b>Escalation: %s</b> — %s</p>\n", esc(n.Action), esc(n.String()))
	}
	return b.String()
}

func flagNames(d *Decision) []string {
	var out []string
	for _, f := range d.Route.Flags {
		out = append(out, f.Name+": "+f.Reason)
	}
	return out
}
