package agreement

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Feedback is one prediction heard made, set against the value the agents
// left on the ticket.
type Feedback struct {
	Connector  string    `json:"connector"`
	TicketID   string    `json:"ticket_id"`
	Field      string    `json:"field"`      // sdk.FieldPriority, sdk.FieldPrimaryTag or sdk.FieldSecondaryTag
	Predicted  string    `json:"predicted"`  // "P1"; a tag
	Confidence float64   `json:"confidence"` // the prediction's, 0..1
	Final      string    `json:"final"`      // "P2"; for tags the final tags, sorted, comma-separated
	Agreed     bool      `json:"agreed"`
	At         time.Time `json:"at"` // when the final values were seen
}

// Compare turns heard's predictions for one ticket and the ticket as the
// agents left it into feedback rows:
//
//   - priority: the predicted P-level against final.Priority; no row when
//     the final priority is unknown. A predicted value is normalized with
//     sdk.ParsePriority ("p1" is P1); one that does not parse disagrees.
//   - tag.primary: agreed when the predicted tag is among the final tags.
//   - tag.secondary: one row per distinct predicted tag, agreed when it is
//     among the final tags.
//
// Tags match case-insensitively, since help desks may change a tag's case.
// For tags, Final lists the ticket's final tags, sorted and comma-separated.
// When a field was predicted more than once (several classifiers), the
// prediction with the highest confidence counts, as the gate would pick it;
// for secondary tags, per tag. Predictions of other fields, and empty
// values, are ignored. A nil final yields no rows. Rows are in the order
// priority, primary tag, secondary tags (in prediction order).
func Compare(connector, ticketID string, preds []sdk.Prediction, final *sdk.Ticket, at time.Time) []Feedback {
	if final == nil {
		return nil
	}
	row := func(p sdk.Prediction, predicted, fin string, agreed bool) Feedback {
		return Feedback{Connector: connector, TicketID: ticketID, Field: p.Field, Predicted: predicted,
			Confidence: p.Confidence, Final: fin, Agreed: agreed, At: at}
	}
	var out []Feedback
	if p, ok := best(preds, sdk.FieldPriority); ok && final.Priority != sdk.PriorityUnknown {
		predicted := strings.TrimSpace(p.Value)
		if pp, err := sdk.ParsePriority(predicted); err == nil {
			predicted = string(pp)
		}
		out = append(out, row(p, predicted, string(final.Priority), predicted == string(final.Priority)))
	}
	tags := finalTags(final.Tags)
	if p, ok := best(preds, sdk.FieldPrimaryTag); ok {
		out = append(out, row(p, strings.TrimSpace(p.Value), tags, hasTag(final.Tags, p.Value)))
	}
	for _, p := range perTag(preds, sdk.FieldSecondaryTag) {
		out = append(out, row(p, strings.TrimSpace(p.Value), tags, hasTag(final.Tags, p.Value)))
	}
	return out
}

// best returns the most confident prediction with a value for field; the
// first of equals.
func best(preds []sdk.Prediction, field string) (sdk.Prediction, bool) {
	var b sdk.Prediction
	found := false
	for _, p := range preds {
		if p.Field != field || strings.TrimSpace(p.Value) == "" {
			continue
		}
		if !found || p.Confidence > b.Confidence {
			b, found = p, true
		}
	}
	return b, found
}

// perTag returns, for each distinct tag predicted for field (compared
// case-insensitively), its most confident prediction, in the order the
// tags were first predicted.
func perTag(preds []sdk.Prediction, field string) []sdk.Prediction {
	var out []sdk.Prediction
	for _, p := range preds {
		if p.Field != field || strings.TrimSpace(p.Value) == "" {
			continue
		}
		i := slices.IndexFunc(out, func(o sdk.Prediction) bool {
			return strings.EqualFold(strings.TrimSpace(o.Value), strings.TrimSpace(p.Value))
		})
		switch {
		case i < 0:
			out = append(out, p)
		case p.Confidence > out[i].Confidence:
			out[i] = p
		}
	}
	return out
}

// hasTag reports whether tag is among tags, ignoring case and surrounding
// space.
func hasTag(tags []string, tag string) bool {
	tag = strings.TrimSpace(tag)
	return slices.ContainsFunc(tags, func(t string) bool { return strings.EqualFold(strings.TrimSpace(t), tag) })
}

// finalTags renders the final tags: trimmed, without empties, sorted,
// comma-separated.
func finalTags(tags []string) string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ",")
}

// thresholds are the confidence thresholds FieldStats.ByThreshold reports.
var thresholds = []float64{0.0, 0.5, 0.6, 0.7, 0.8, 0.9}

// maxCorrections is how many corrections FieldStats lists.
const maxCorrections = 5

// Report is agreement per field over a set of feedback rows.
type Report struct {
	// Since is the earliest row's At and Connector the connector all rows
	// share ("" when they differ). Callers that selected the rows by a
	// window or a connector may set them to what was asked.
	Since     time.Time    `json:"since"`
	Connector string       `json:"connector"`
	Fields    []FieldStats `json:"fields"`
}

// FieldStats is agreement on one field.
type FieldStats struct {
	Field       string  `json:"field"`
	Predictions int     `json:"predictions"`
	Agreed      int     `json:"agreed"`
	Rate        float64 `json:"rate"` // Agreed / Predictions
	// Corrections are the most common disagreements, predicted → final,
	// most frequent first (ties by From, then To), at most five.
	Corrections []Correction `json:"corrections"`
	// ByThreshold has one point per threshold: 0.0, 0.5, 0.6, 0.7, 0.8
	// and 0.9.
	ByThreshold []ThresholdPoint `json:"by_threshold"`
}

// Correction is how often agents changed From (heard's prediction) to To
// (the final value).
type Correction struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// ThresholdPoint is what a confidence threshold would keep: the
// predictions with confidence at or above Threshold (Kept), their share of
// all predictions (Coverage) and the agreement among them (Rate, 0 when
// none are kept).
type ThresholdPoint struct {
	Threshold float64 `json:"threshold"`
	Kept      int     `json:"kept"`
	Coverage  float64 `json:"coverage"`
	Rate      float64 `json:"rate"`
}

// fieldOrder is the order fields are reported in; others follow by name.
var fieldOrder = []string{sdk.FieldPriority, sdk.FieldPrimaryTag, sdk.FieldSecondaryTag}

// Summarize computes the report over rows. A prediction seen more than
// once — the same connector, ticket, field and predicted value, recorded
// again when a later event showed the final values anew — counts once,
// with its latest row (by At; among equal times, the later in rows).
func Summarize(rows []Feedback) Report {
	type key struct{ connector, ticket, field, predicted string }
	latest := map[key]int{}
	var order []key
	for i, r := range rows {
		k := key{r.Connector, r.TicketID, r.Field, r.Predicted}
		j, seen := latest[k]
		if !seen {
			order = append(order, k)
		}
		if !seen || !r.At.Before(rows[j].At) {
			latest[k] = i
		}
	}
	var rep Report
	byField := map[string][]Feedback{}
	connectors := map[string]bool{}
	for _, k := range order {
		r := rows[latest[k]]
		byField[r.Field] = append(byField[r.Field], r)
		connectors[r.Connector] = true
		if rep.Since.IsZero() || r.At.Before(rep.Since) {
			rep.Since = r.At
		}
	}
	if len(connectors) == 1 {
		for c := range connectors {
			rep.Connector = c
		}
	}
	fields := make([]string, 0, len(byField))
	for f := range byField {
		fields = append(fields, f)
	}
	slices.SortFunc(fields, func(a, b string) int {
		ia, ib := rank(a), rank(b)
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	})
	for _, f := range fields {
		rep.Fields = append(rep.Fields, stats(f, byField[f]))
	}
	return rep
}

// rank is a field's place in fieldOrder, len(fieldOrder) for others.
func rank(field string) int {
	if i := slices.Index(fieldOrder, field); i >= 0 {
		return i
	}
	return len(fieldOrder)
}

// stats computes one field's statistics.
func stats(field string, rows []Feedback) FieldStats {
	fs := FieldStats{Field: field, Predictions: len(rows), Corrections: []Correction{}}
	counts := map[Correction]int{}
	for _, r := range rows {
		if r.Agreed {
			fs.Agreed++
			continue
		}
		counts[Correction{From: r.Predicted, To: r.Final}]++
	}
	fs.Rate = ratio(fs.Agreed, fs.Predictions)
	for c, n := range counts {
		c.Count = n
		fs.Corrections = append(fs.Corrections, c)
	}
	slices.SortFunc(fs.Corrections, func(a, b Correction) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	fs.Corrections = fs.Corrections[:min(len(fs.Corrections), maxCorrections)]
	for _, th := range thresholds {
		var kept, agreed int
		for _, r := range rows {
			if r.Confidence >= th {
				kept++
				if r.Agreed {
					agreed++
				}
			}
		}
		fs.ByThreshold = append(fs.ByThreshold, ThresholdPoint{
			Threshold: th, Kept: kept, Coverage: ratio(kept, fs.Predictions), Rate: ratio(agreed, kept),
		})
	}
	return fs
}

// ratio is n/d, 0 when d is 0.
func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}
