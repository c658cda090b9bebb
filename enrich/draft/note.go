package draft

import (
	"fmt"
	"strings"
)

// NoteSection renders the draft part of the internal note as plain text
// (blank lines between paragraphs, as sdk.Changes.InternalNote wants): a
// headline with the rubric total, the situation and the source; a draft
// under 8/10 is marked for review. Then the five criteria with their
// reasons and every fault found, how the draft came about, the auto-reply decision when ar is
// not nil, and the reply itself between markers: the draft, or when ar
// says the reply was sent, the text that went to the customer.
func NoteSection(d Draft, ar *AutoReplyDecision) string {
	var paras []string
	head := fmt.Sprintf("Suggested reply · HEARD %d/10", d.Rubric.Total)
	if d.Rubric.Pass {
		head += " ✓"
	} else {
		head += fmt.Sprintf(" — BELOW %d/10: review and edit before sending", PassMark)
	}
	head += " · " + d.Situation.Label() + " · " + d.Source
	if d.Language != "" {
		head += " · " + d.Language
		if d.Register != "" {
			head += ", " + string(d.Register)
		}
	}
	paras = append(paras, head)
	var crit []string
	for _, c := range d.Rubric.Criteria {
		crit = append(crit, fmt.Sprintf("%s %d/2: %s", c.Name, c.Score, c.Reason))
	}
	for _, f := range d.Rubric.Faults {
		crit = append(crit, fmt.Sprintf("WRONG (%s, −%d): %s", f.Check, FaultPenalty, f.Reason))
	}
	if len(crit) > 0 {
		paras = append(paras, "Rubric\n"+strings.Join(crit, "\n"))
	}
	if d.Reason != "" {
		paras = append(paras, "Draft: "+d.Reason)
	}
	switch {
	case ar != nil && ar.Sent:
		paras = append(paras, "Auto-reply: SENT to the customer. "+ar.Reason,
			"----- reply sent -----\n"+strings.TrimSpace(ar.Text)+"\n----- end of reply -----")
		return strings.Join(paras, "\n\n")
	case ar != nil && ar.Allowed:
		paras = append(paras, "Auto-reply: not sent (shadow mode). "+ar.Reason)
	case ar != nil:
		paras = append(paras, "Auto-reply: "+ar.Reason)
	}
	paras = append(paras, "----- reply -----\n"+strings.TrimSpace(d.Text)+"\n----- end of reply -----")
	return strings.Join(paras, "\n\n")
}
