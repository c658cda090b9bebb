package enrich

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// heldBack says, one line each, which predictions the gates keep off the
// ticket and why: "priority P2 not written: confidence 0.60 < threshold
// 0.70". ds are the live-mode decisions (gate.Judge). Fields without a
// gate are only recorded and never listed; in shadow mode every field live
// mode would write is listed as held back by shadow mode.
func heldBack(ds []gate.Decision, mode config.Mode) []string {
	var out []string
	for _, d := range ds {
		what := fieldWords(d.Field) + " " + d.Value
		var why string
		switch {
		case d.WouldWrite && mode.Live():
			continue
		case d.WouldWrite:
			why = fmt.Sprintf("shadow mode (connector mode %q); live mode would write it", mode)
		case d.Reason == gate.ReasonNoGate:
			continue
		case d.Reason == gate.ReasonDisabled:
			why = "the " + gateWords(d.Field) + " gate is disabled"
		case d.Reason == gate.ReasonInvalid:
			why = "not a valid value"
		case d.Reason == gate.ReasonSuperseded:
			why = "a more confident prediction took its place"
		case strings.HasPrefix(d.Reason, "below threshold"):
			why = fmt.Sprintf("confidence %.2f < threshold %.2f", d.Confidence, d.Threshold)
		default:
			why = d.Reason
		}
		out = append(out, what+" not written: "+why)
	}
	return out
}

// fieldWords names a prediction field for the note.
func fieldWords(field string) string {
	switch field {
	case sdk.FieldPrimaryTag:
		return "primary tag"
	case sdk.FieldSecondaryTag:
		return "tag"
	}
	return field
}

// gateWords names the gate a field passes.
func gateWords(field string) string {
	switch field {
	case sdk.FieldPriority:
		return gate.GatePriority
	case sdk.FieldPrimaryTag, sdk.FieldSecondaryTag:
		return gate.GateTags
	}
	return field
}

// renderNote writes the agent-only note as plain text (sdk.Changes'
// contract: connectors render and escape it for their vendor): triage with
// reasons, SLA due times, churn, routing and escalations, one paragraph each.
func renderNote(_ *sdk.Ticket, d *Explanation) string {
	var paras []string
	head := "heard triage · " + string(d.Priority)
	if d.PrimaryTag != "" {
		head += " · " + strings.Join(d.Tags, ", ")
	}
	if d.Sentiment != "" {
		head += " · sentiment " + d.Sentiment
	}
	if d.Language != "" {
		head += " · language " + d.Language
	}
	paras = append(paras, head, fmt.Sprintf("Priority %s: %s", d.Priority, d.PriorityReason))
	if len(d.HeldBack) > 0 {
		paras = append(paras, "Not written to the ticket:\n- "+strings.Join(d.HeldBack, "\n- "))
	}
	if d.SLA != nil {
		clock := "business hours"
		if !d.SLA.BusinessHours {
			clock = "24/7"
		} else if d.SLA.Region != "" {
			clock += ", " + d.SLA.Region + " holidays"
		}
		paras = append(paras, fmt.Sprintf("SLA (%s, ×%.1f): first response by %s; resolution by %s", clock, d.SLA.Multiplier,
			d.SLA.FirstResponseDue.UTC().Format(time.RFC1123), d.SLA.ResolutionDue.UTC().Format(time.RFC1123)))
	}
	churn := fmt.Sprintf("Churn risk %d/100 (%s): %s", d.Churn.Score, d.Churn.Level, d.Churn.Action)
	if len(d.Churn.Signals) > 0 {
		var sig []string
		for _, s := range d.Churn.Signals {
			sig = append(sig, fmt.Sprintf("%s +%d (%s)", s.Name, s.Points, s.Reason))
		}
		churn += "\nSignals: " + strings.Join(sig, "; ")
	}
	if len(d.Churn.Unknown) > 0 {
		churn += "\nUnknown (not counted): " + strings.Join(d.Churn.Unknown, ", ")
	}
	if d.Churn.Offer != "" && d.Churn.RetentionFlow {
		churn += "\nLargest retention offer: " + d.Churn.Offer
	}
	paras = append(paras, churn)
	route := "Route: " + d.Route.Route
	if d.Route.Rule != "" {
		route += " (rule " + d.Route.Rule + ")"
	}
	if d.FirstContact != "" {
		route += "\nCustomer: " + d.FirstContact
	}
	var flags []string
	for _, f := range d.Route.Flags {
		flags = append(flags, f.Name+": "+f.Reason)
	}
	sort.Strings(flags)
	for _, f := range flags {
		route += "\nFlag " + f
	}
	paras = append(paras, route)
	for _, n := range d.Route.Escalations {
		paras = append(paras, "Escalation — "+n.Action+"\n"+n.String())
	}
	if len(d.KBMatches) > 0 {
		kb := "Matching articles:"
		for _, a := range d.KBMatches {
			kb += fmt.Sprintf("\n- %s — %s (relevance %.2f)", a.Title, a.URL, a.Score)
		}
		paras = append(paras, kb)
	}
	if len(d.SimilarSolved) > 0 {
		sim := "Similar solved tickets:"
		for _, m := range d.SimilarSolved {
			sim += "\n- " + m.Subject
			var final []string
			if m.Priority != "" {
				final = append(final, m.Priority)
			}
			final = append(final, m.Tags...)
			if len(final) > 0 {
				sim += " [" + strings.Join(final, ", ") + "]"
			}
			if m.URL != "" {
				sim += " — " + m.URL
			}
			sim += fmt.Sprintf(" (similarity %.2f)", m.Score)
		}
		paras = append(paras, sim)
	}
	if d.Draft != nil {
		paras = append(paras, draft.NoteSection(*d.Draft, d.AutoReply))
	}
	return strings.Join(paras, "\n\n")
}
