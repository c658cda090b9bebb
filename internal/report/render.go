package report

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// Unknown is how the text formats show a metric heard cannot know.
const Unknown = "unknown"

// WriteJSON writes the report as one JSON object; unknown metrics are null.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// row is one labelled value of a section.
type row struct{ label, value string }

type section struct {
	title string
	rows  []row
}

func dur(s *float64) string {
	if s == nil {
		return Unknown
	}
	d := time.Duration(*s * float64(time.Second)).Round(time.Minute)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", *s)
	case d < 24*time.Hour:
		return hm(d)
	}
	days := int(d / (24 * time.Hour))
	return fmt.Sprintf("%dd %s", days, hm(d-time.Duration(days)*24*time.Hour))
}

// hm formats a whole number of minutes as "3h30m", "4h" or "45m".
func hm(d time.Duration) string {
	s := strings.TrimSuffix(d.String(), "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func pct(p *float64) string {
	if p == nil {
		return Unknown
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func num(p *float64, format string) string {
	if p == nil {
		return Unknown
	}
	return fmt.Sprintf(format, *p)
}

func ratio(r Ratio) string {
	if r.Percent == nil {
		if r.Unknown != "" {
			return Unknown + " (" + r.Unknown + ")"
		}
		return Unknown
	}
	return fmt.Sprintf("%s (%d of %d)", pct(r.Percent), r.Count, r.Of)
}

func counts(cs []Count) string {
	if len(cs) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		s := fmt.Sprintf("%s %d", c.Name, c.Count)
		if c.Previous != nil {
			s += fmt.Sprintf(" (%+d)", c.Count-*c.Previous)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func (r *Report) sections() []section {
	scope := "all connectors"
	if r.Connector != "" {
		scope = "connector " + r.Connector
	}
	sla := fmt.Sprintf("%s (met %d, breached %d, pending %d, no SLA %d; beyond 2× SLA %d)", pct(r.SLA.Percent), r.SLA.Met,
		r.SLA.Breached, r.SLA.Pending, r.SLA.NoSLA, r.SLA.Beyond2x)
	csat := Unknown + " (" + r.CSAT.Unknown + ")"
	if r.CSAT.Count > 0 {
		csat = fmt.Sprintf("%s satisfied, mean %s of 5 (%d ratings)", pct(r.CSAT.SatisfiedPercent), num(r.CSAT.Mean, "%.2f"), r.CSAT.Count)
	}
	nps := Unknown + " (" + r.NPS.Unknown + ")"
	if r.NPS.Count > 0 {
		nps = fmt.Sprintf("%s (%d promoters, %d passives, %d detractors)", num(r.NPS.Score, "%+.0f"), r.NPS.Promoters, r.NPS.Passives, r.NPS.Detractors)
	}
	oldest := "none open"
	if o := r.Backlog.Oldest; o != nil {
		age := o.AgeSeconds
		oldest = fmt.Sprintf("%s/%s, created %s, open %s", o.Connector, o.TicketID, o.CreatedAt.Format(time.DateTime), dur(&age))
	}
	var fr []row
	for _, p := range r.FRTByPriority {
		fr = append(fr, row{p.Priority, fmt.Sprintf("mean %s against SLA %s, compliance %s (%d replied)", dur(p.MeanSeconds),
			dur(p.TargetSeconds), pct(p.CompliancePercent), p.Count)})
	}
	var risk []row
	for _, a := range r.Voice.AtRisk {
		risk = append(risk, row{a.Requester, fmt.Sprintf("%s (score %d): %s; tickets %s", a.Level, a.Score, strings.Join(a.Signals, ", "),
			strings.Join(a.Tickets, ", "))})
	}
	if len(risk) == 0 {
		risk = []row{{"at-risk accounts", "none"}}
	}
	var trend []row
	for _, p := range r.Trend {
		trend = append(trend, row{p.Week, fmt.Sprintf("%d tickets, FRT mean %s p95 %s, SLA %s, reopen %s", p.Volume, dur(p.FRTMeanSeconds),
			dur(p.FRTP95Seconds), pct(p.SLAPercent), pct(p.ReopenPercent))})
	}
	tpc := num(r.Customers.TicketsPerCustomer, "%.2f")
	return []section{
		{"Week " + r.Week, []row{{"period", r.From.Format(time.DateOnly) + " to " + r.To.Add(-time.Second).Format(time.DateOnly) + " (UTC)"},
			{"scope", scope}, {"generated", r.GeneratedAt.Format(time.RFC3339)}}},
		{"Volume", []row{{"tickets", fmt.Sprint(r.Volume.Total)}, {"by priority", counts(r.Volume.ByPriority)},
			{"by category", counts(r.Volume.ByCategory)}}},
		{"Responsiveness", []row{
			{"first response", fmt.Sprintf("mean %s, p95 %s (%d replied, %d awaiting)", dur(r.FirstResponse.MeanSeconds),
				dur(r.FirstResponse.P95Seconds), r.FirstResponse.Count, r.FirstResponse.Pending)},
			{"SLA compliance", sla},
			{"resolution", fmt.Sprintf("mean %s, p95 %s (%d solved)", dur(r.Resolution.MeanSeconds), dur(r.Resolution.P95Seconds), r.Resolution.Count)},
			{"first-contact resolution", ratio(r.FirstContact)},
			{"reopen rate", ratio(r.Reopen)},
		}},
		{"First response by priority", fr},
		{"Customers", []row{{"tickets per customer", fmt.Sprintf("%s (%d customers)", tpc, r.Customers.Known)},
			{"several tickets", counts(r.Customers.Repeat)}, {"CSAT", csat}, {"NPS", nps}}},
		{"Automation and workload", []row{{"automation (auto-replies sent)", ratio(r.Automation)},
			{"self-service deflection", ratio(r.Deflection)}, {"escalation rate", ratio(r.Escalation)},
			{"backlog", fmt.Sprintf("%d open at %s", r.Backlog.Open, r.Backlog.At.Format(time.DateTime))}, {"oldest open", oldest}}},
		{"Voice of the customer", []row{{"top themes", counts(r.Voice.Themes)}, {"feature requests", counts(r.Voice.FeatureRequests)}}},
		{"At-risk accounts", risk},
		{"Trend", trend},
	}
}

// WriteText writes the report as plain text.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for i, s := range r.sections() {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s.title + "\n")
		width := 0
		for _, rw := range s.rows {
			width = max(width, len(rw.label))
		}
		for _, rw := range s.rows {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, rw.label, rw.value)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	for i, s := range r.sections() {
		if i == 0 {
			fmt.Fprintf(&b, "# Support report, %s\n\n", strings.TrimPrefix(s.title, "Week "))
		} else {
			fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		}
		b.WriteString("| | |\n|---|---|\n")
		for _, rw := range s.rows {
			fmt.Fprintf(&b, "| %s | %s |\n", mdEscape(rw.label), mdEscape(rw.value))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// WriteHTML writes the report as one self-contained HTML page with inline
// SVG charts: no scripts, styles or images from elsewhere.
func (r *Report) WriteHTML(w io.Writer) error {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Support report %s</title>\n", e(r.Week))
	b.WriteString("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}table{border-collapse:collapse;margin-bottom:1em}" +
		"td{border-bottom:1px solid #ddd;padding:.3em .8em;vertical-align:top}td:first-child{font-weight:bold}figure{display:inline-block;margin:0 1em 1em 0}" +
		"svg text{font-size:11px;font-family:sans-serif}</style></head><body>\n")
	fmt.Fprintf(&b, "<h1>Support report, %s</h1>\n", e(r.Week))
	b.WriteString(r.volumeChart())
	b.WriteString(r.frtChart())
	b.WriteString(r.mixChart())
	for i, s := range r.sections() {
		if i > 0 {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", e(s.title))
		}
		b.WriteString("<table>\n")
		for _, rw := range s.rows {
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>\n", e(rw.label), e(rw.value))
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
