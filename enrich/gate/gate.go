package gate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// Gate names with a fixed meaning. Any other name in Config.Fields is the
// gate of the prediction field of that name.
const (
	GatePriority = "priority" // sdk.FieldPriority → Changes.Priority
	GateTags     = "tags"     // sdk.FieldPrimaryTag, sdk.FieldSecondaryTag, FieldPolicyTag → Changes.AddTags
	GateFields   = "fields"   // applies, with the field's own gate, to every other field → Changes.Fields
	GateNote     = "note"     // the internal note → Changes.InternalNote
)

// FieldPolicyTag is the prediction field of a tag the support policy adds
// itself rather than a classifier (a ticket beyond its plan's credit is
// tagged chargeable). It passes the tags gate, is prefixed with TagPrefix
// like every tag, and takes no taxonomy slot: every distinct value may be
// written.
const FieldPolicyTag = "tag.policy"

// FieldReply is the Decision.Field of the public reply (an auto-reply),
// which Changes.PublicReply carries. Its gate is the auto-reply policy,
// judged before Decide (Reply.Allowed), not an entry in Config.Fields.
const FieldReply = "public_reply"

// Decision reasons. A field below its threshold has the reason
// "below threshold 0.70", with the threshold in two decimals.
const (
	ReasonWritten    = "written"
	ReasonShadow     = "shadow mode"
	ReasonDisabled   = "disabled"
	ReasonNoGate     = "no gate"       // the field has no gate: recorded, never written
	ReasonInvalid    = "invalid value" // e.g. a priority that is not P0..P3, an empty tag
	ReasonSuperseded = "superseded"    // a higher-confidence prediction took the field's slot
	ReasonNotAllowed = "not allowed"   // the auto-reply policy kept the reply for an agent
)

// FieldGate is the gate of one field family.
type FieldGate struct {
	// Enabled lets predictions through the gate. A gate written in config
	// without this key is enabled: `priority: {threshold: 0.8}` only moves
	// the threshold.
	Enabled bool `yaml:"enabled"`
	// Threshold is the lowest confidence written, inclusive, in [0, 1].
	Threshold float64 `yaml:"threshold"`
}

// UnmarshalYAML decodes a gate, enabled unless it says otherwise.
func (g *FieldGate) UnmarshalYAML(n *yaml.Node) error {
	type plain FieldGate
	v := plain{Enabled: true}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*g = FieldGate(v)
	return nil
}

// Config is the write-back policy. Whether anything is written at all is
// not part of it: that is the connector's config.Mode, passed to Decide.
type Config struct {
	// Fields are the gates by name: GatePriority, GateTags, GateFields,
	// GateNote, or a prediction field's name.
	Fields map[string]FieldGate `yaml:"fields"`
	// TagPrefix is put before every tag written, e.g. "heard-". Default
	// empty: tags are the taxonomy's names.
	TagPrefix string `yaml:"tag_prefix"`
}

// DefaultConfig returns priority on at 0.70, tags on at 0.60, fields on at
// 0.70 and the note on at 0.
func DefaultConfig() Config {
	return Config{
		Fields: map[string]FieldGate{
			GatePriority: {Enabled: true, Threshold: 0.70},
			GateTags:     {Enabled: true, Threshold: 0.60},
			GateFields:   {Enabled: true, Threshold: 0.70},
			GateNote:     {Enabled: true, Threshold: 0},
		},
	}
}

// Validate reports the first problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	for name, g := range c.Fields {
		switch {
		case strings.TrimSpace(name) == "":
			return fmt.Errorf("checking gate config: a gate has an empty name: %w", sdk.ErrInvalid)
		case math.IsNaN(g.Threshold) || g.Threshold < 0 || g.Threshold > 1:
			return fmt.Errorf("checking gate config: %s: threshold %v: want 0 to 1: %w", name, g.Threshold, sdk.ErrInvalid)
		}
	}
	return nil
}

// Decision records what happened to one prediction (or the note).
type Decision struct {
	// Field is the prediction's field, GateNote for the note or FieldReply
	// for the public reply.
	Field string `json:"field"`
	// Value is the predicted value, as predicted (before TagPrefix).
	Value string `json:"value"`
	// Confidence is the prediction's confidence; 1 for the note, the
	// classification's confidence for the reply.
	Confidence float64 `json:"confidence"`
	// Threshold is the threshold applied, 0 when there is no gate.
	Threshold float64 `json:"threshold,omitempty"`
	// Written reports whether the value is in Outcome.Changes.
	Written bool `json:"written"`
	// WouldWrite reports whether live mode writes it; in live mode it
	// equals Written. It lets a shadow run show what going live would do.
	WouldWrite bool `json:"would_write"`
	// Reason is one of the Reason* constants or "below threshold 0.70".
	Reason string `json:"reason"`
}

// Outcome is the combined write-back and the decision behind each part.
type Outcome struct {
	// Changes is the one combined write-back; empty in shadow mode.
	Changes sdk.Changes
	// Decisions has one entry per prediction, in input order, then one
	// for the note when there is one, then one for the reply when there is
	// one.
	Decisions []Decision
}

// Reply is a drafted public reply as the auto-reply policy judged it
// (draft.AutoReply): whether it may go to the customer without an agent.
type Reply struct {
	// Text is what would be sent.
	Text string
	// Allowed is the policy's verdict.
	Allowed bool
	// Confidence is the confidence of the classification behind the
	// draft, and Threshold the confidence the policy asks for.
	Confidence, Threshold float64
}

// Input is what one write-back is made of.
type Input struct {
	// Predictions are the merged classifier predictions, in order.
	Predictions []sdk.Prediction
	// Note renders the internal note once the reply is decided, so the
	// note can say whether the reply went out: replySent reports that
	// Changes carries it. A nil Note, or an empty note, is no note.
	Note func(replySent bool) string
	// Fingerprint is set on Changes with the note.
	Fingerprint string
	// Reply is the drafted reply; nil when there is no draft.
	Reply *Reply
}

// slots is how many values a field may write: two secondary tags, any
// number of policy tags, one value for every other field.
func slots(field string) int {
	switch field {
	case sdk.FieldSecondaryTag:
		return 2
	case FieldPolicyTag:
		return math.MaxInt
	}
	return 1
}

// Decide gates in's predictions, internal note and reply under cfg, which
// must be valid, in mode. It is the one place that decides what is written
// back, the public reply included.
//
// In live mode a prediction is written when its gate is enabled, its value
// is valid and its confidence reaches the threshold; when more such
// predictions exist for a field than it has values (one; two secondary
// tags), the most confident are written and the rest superseded. The note
// is written whenever its gate is enabled; in.Fingerprint is set on Changes
// with it. The reply is written (Changes.PublicReply) when the auto-reply
// policy allowed it. In shadow mode (any mode but config.ModeLive) nothing
// is written.
func Decide(cfg Config, mode config.Mode, in Input) Outcome {
	var out Outcome
	fingerprint := in.Fingerprint
	var values []string // normalized values of eligible predictions
	out.Decisions, values = cfg.judge(in.Predictions)

	for i, d := range out.Decisions {
		if !d.WouldWrite {
			continue
		}
		switch v := values[i]; d.Field {
		case sdk.FieldPriority:
			p := sdk.Priority(v)
			out.Changes.Priority = &p
		case sdk.FieldPrimaryTag, sdk.FieldSecondaryTag, FieldPolicyTag:
			if tag := cfg.TagPrefix + v; !slices.Contains(out.Changes.AddTags, tag) {
				out.Changes.AddTags = append(out.Changes.AddTags, tag)
			}
		default:
			if out.Changes.Fields == nil {
				out.Changes.Fields = make(map[string]string)
			}
			out.Changes.Fields[d.Field] = v
		}
	}

	var reply *Decision
	if r := in.Reply; r != nil {
		reply = &Decision{Field: FieldReply, Value: r.Text, Confidence: r.Confidence, Threshold: r.Threshold, Reason: ReasonNotAllowed}
		if r.Allowed {
			reply.Reason, reply.WouldWrite = ReasonWritten, true
			out.Changes.PublicReply = r.Text
		}
	}

	var note string
	if in.Note != nil {
		note = in.Note(reply != nil && reply.WouldWrite && mode.Live())
	}
	if note != "" {
		d := Decision{Field: GateNote, Value: note, Confidence: 1}
		switch g, ok := cfg.Fields[GateNote]; {
		case !ok:
			d.Reason = ReasonNoGate
		case !g.Enabled:
			d.Threshold, d.Reason = g.Threshold, ReasonDisabled
		default:
			d.Threshold, d.Reason, d.WouldWrite = g.Threshold, ReasonWritten, true
			out.Changes.InternalNote, out.Changes.Fingerprint = note, fingerprint
		}
		out.Decisions = append(out.Decisions, d)
	}

	if reply != nil {
		out.Decisions = append(out.Decisions, *reply)
	}

	if mode.Live() {
		for i := range out.Decisions {
			out.Decisions[i].Written = out.Decisions[i].WouldWrite
		}
		return out
	}
	out.Changes = sdk.Changes{}
	for i := range out.Decisions {
		out.Decisions[i].Reason = ReasonShadow
	}
	return out
}

// Judge returns the decision Decide makes, in live mode, for each of preds,
// in order: whether it would be written and, when not, why. The decide
// stage uses it to tell in the note which fields the gates hold back.
func Judge(cfg Config, preds []sdk.Prediction) []Decision {
	ds, _ := cfg.judge(preds)
	return ds
}

// judge gates every prediction and picks the ones written per field. It
// returns the decisions and the normalized values.
func (c Config) judge(preds []sdk.Prediction) ([]Decision, []string) {
	ds := make([]Decision, 0, len(preds))
	values := make([]string, len(preds))
	for i, p := range preds {
		d, v := c.gate(p)
		ds = append(ds, d)
		values[i] = v
	}
	pick(ds, values)
	return ds, values
}

// gate decides p on its own, as if in live mode: WouldWrite means eligible,
// before pick compares it with the field's other predictions. It returns
// the normalized value.
func (c Config) gate(p sdk.Prediction) (Decision, string) {
	d := Decision{Field: p.Field, Value: p.Value, Confidence: p.Confidence}
	g, ok := c.gateOf(p.Field)
	if !ok {
		d.Reason = ReasonNoGate
		return d, ""
	}
	d.Threshold = g.Threshold
	v, valid := normalize(p.Field, p.Value)
	switch {
	case !g.Enabled:
		d.Reason = ReasonDisabled
	case !valid:
		d.Reason = ReasonInvalid
	case !(p.Confidence >= g.Threshold):
		d.Reason = fmt.Sprintf("below threshold %.2f", g.Threshold)
	default:
		d.Reason, d.WouldWrite = ReasonWritten, true
	}
	return d, v
}

// gateOf returns the gate a field passes: its family's gate, or for other
// fields its own gate combined with the "fields" gate (both enabled, the
// higher threshold). Reserved gate names are not fields.
func (c Config) gateOf(field string) (FieldGate, bool) {
	switch field {
	case sdk.FieldPriority:
		g, ok := c.Fields[GatePriority]
		return g, ok
	case sdk.FieldPrimaryTag, sdk.FieldSecondaryTag, FieldPolicyTag:
		g, ok := c.Fields[GateTags]
		return g, ok
	case GateTags, GateFields, GateNote, "":
		return FieldGate{}, false
	}
	own, ok := c.Fields[field]
	if !ok {
		return FieldGate{}, false
	}
	if all, ok := c.Fields[GateFields]; ok {
		own.Enabled = own.Enabled && all.Enabled
		own.Threshold = max(own.Threshold, all.Threshold)
	}
	return own, true
}

// normalize checks and normalizes a value for its field.
func normalize(field, value string) (string, bool) {
	if field == sdk.FieldPriority {
		p, err := sdk.ParsePriority(value)
		return string(p), err == nil
	}
	v := strings.TrimSpace(value)
	return v, v != ""
}

// pick keeps, per field, the most confident eligible predictions that fit
// the field's slots, and supersedes the rest. A repeated value takes no
// extra slot.
func pick(ds []Decision, values []string) {
	byField := make(map[string][]int)
	var order []string
	for i, d := range ds {
		if !d.WouldWrite {
			continue
		}
		if _, seen := byField[d.Field]; !seen {
			order = append(order, d.Field)
		}
		byField[d.Field] = append(byField[d.Field], i)
	}
	for _, field := range order {
		idx := byField[field]
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ds[b].Confidence, ds[a].Confidence) })
		var kept []string
		for _, i := range idx {
			switch {
			case slices.Contains(kept, values[i]):
				// The same value again: written once, by the first.
			case len(kept) < slots(field):
				kept = append(kept, values[i])
			default:
				ds[i].WouldWrite, ds[i].Reason = false, ReasonSuperseded
			}
		}
	}
}

// WithThresholds returns a copy of c with the thresholds of the named
// gates replaced; a name c has no gate for gets an enabled gate with that
// threshold. c is not changed (its map is copied).
func (c Config) WithThresholds(thresholds map[string]float64) Config {
	out := Config{Fields: make(map[string]FieldGate, len(c.Fields)+len(thresholds)), TagPrefix: c.TagPrefix}
	for k, g := range c.Fields {
		out.Fields[k] = g
	}
	for k, t := range thresholds {
		g, ok := out.Fields[k]
		if !ok {
			g.Enabled = true
		}
		g.Threshold = t
		out.Fields[k] = g
	}
	return out
}
