package enrich

import (
	"strings"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
)

// holds lists the predictions the gates keep off the ticket in mode, from
// their live-mode decisions (gate.Judge), with the pipeline's closed set of
// reasons. Fields without a gate are never written and not listed.
func holds(ds []gate.Decision, mode config.Mode) []pipeline.Hold {
	var out []pipeline.Hold
	for _, d := range ds {
		var why string
		switch {
		case d.WouldWrite && mode.Live():
			continue
		case d.WouldWrite:
			why = pipeline.HoldShadow
		case d.Reason == gate.ReasonDisabled:
			why = pipeline.HoldDisabled
		case d.Reason == gate.ReasonInvalid:
			why = pipeline.HoldInvalid
		case d.Reason == gate.ReasonSuperseded:
			why = pipeline.HoldSuperseded
		case strings.HasPrefix(d.Reason, "below threshold"):
			why = pipeline.HoldBelowThreshold
		default: // no gate: recorded, never written
			continue
		}
		out = append(out, pipeline.Hold{Field: d.Field, Reason: why})
	}
	return out
}
