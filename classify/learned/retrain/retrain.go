package retrain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

// Kind is the store's model kind for the learned classifier.
const Kind = store.ModelClassifier

// Store is the part of heard's store that keeps model versions.
type Store interface {
	SaveModel(ctx context.Context, m store.ModelVersion) (int64, error)
	CurrentModel(ctx context.Context, kind string) (store.ModelVersion, error)
	PromoteModel(ctx context.Context, kind string, version int64) error
}

// Score is a model's quality on the held-out newest tickets: the accuracy
// of priority and of the primary tag, and their mean, which decides.
type Score struct {
	N                  int     `json:"n"`
	PriorityAccuracy   float64 `json:"priority_accuracy"`
	PrimaryTagAccuracy float64 `json:"primary_tag_accuracy"`
	Mean               float64 `json:"mean"`
}

// Outcome is what one retrain did.
type Outcome struct {
	// Version is the stored candidate's version; 0 when nothing was stored.
	Version int64 `json:"version"`
	// Promoted reports whether the candidate became the current model.
	Promoted bool   `json:"promoted"`
	Reason   string `json:"reason"`
	// Candidate and Current are scored on the same holdout; Current is nil
	// when there was no current model.
	Candidate Score           `json:"candidate"`
	Current   *Score          `json:"current,omitempty"`
	Previous  int64           `json:"previous_version,omitempty"`
	Report    *learned.Report `json:"report"`
}

// Options configure Run.
type Options struct {
	Train learned.TrainConfig
	// Promote "auto" (the default) promotes a candidate at least as good as
	// the current model; "always" promotes it regardless; "never" only
	// stores it.
	Promote string
	// Source describes where the labels came from, for the model's meta.
	Source string
}

// Promotion modes.
const (
	PromoteAuto   = "auto"
	PromoteAlways = "always"
	PromoteNever  = "never"
)

// Meta is what the store keeps next to a model's bytes: the model's own
// metadata plus the comparison that decided its promotion. The keys
// `metrics.priority.accuracy`, `metrics.tag.primary.accuracy` and `ece`
// are the ones `heard model list` shows.
type Meta struct {
	learned.Metadata
	Source  string             `json:"source,omitempty"`
	Score   Score              `json:"score"`
	Current *Score             `json:"current_score,omitempty"`
	Metrics map[string]Summary `json:"metrics"`
	ECE     float64            `json:"ece"`
}

// Summary is one field's headline numbers.
type Summary struct {
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
	ECE      float64 `json:"ece"`
}

// Run trains a candidate on examples, scores it and the current model on
// the newest HoldoutFraction of them, stores the candidate and promotes it
// as opts.Promote says.
func Run(ctx context.Context, st Store, examples []learned.Example, opts Options, log *slog.Logger) (*Outcome, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	model, rep, err := learned.Train(ctx, examples, opts.Train)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Report: rep}
	hold := Holdout(examples, opts.Train.HoldoutFraction)
	out.Candidate = Evaluate(model, hold)

	var cur *learned.Model
	curVer, err := st.CurrentModel(ctx, Kind)
	switch {
	case errors.Is(err, sdk.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("reading the current model: %w", err)
	default:
		cur, err = learned.Unmarshal(curVer.Blob)
		if err != nil {
			// A current model this version cannot read is replaced, not
			// compared against.
			log.WarnContext(ctx, "current model unreadable; the candidate is compared with nothing", "version", curVer.Version, "err", err)
		} else {
			s := Evaluate(cur, hold)
			out.Current, out.Previous = &s, curVer.Version
		}
	}

	blob, err := model.Marshal()
	if err != nil {
		return nil, err
	}
	meta := NewMeta(model.Metadata(), opts.Source, out.Candidate, out.Current)
	raw, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encoding model meta: %w", err)
	}
	out.Version, err = st.SaveModel(ctx, store.ModelVersion{Kind: Kind, CreatedAt: model.Metadata().CreatedAt, Meta: raw, Blob: blob})
	if err != nil {
		return nil, fmt.Errorf("storing the model: %w", err)
	}

	switch mode := opts.Promote; {
	case mode == PromoteNever:
		out.Reason = "stored as a candidate (promotion off)"
	case mode == PromoteAlways:
		out.Promoted, out.Reason = true, "promoted (forced)"
	case out.Current == nil:
		out.Promoted, out.Reason = true, "promoted: no current model to compare with"
	case out.Candidate.Mean >= out.Current.Mean:
		out.Promoted = true
		out.Reason = fmt.Sprintf("promoted: %.3f on the newest %d tickets, current model v%d %.3f", out.Candidate.Mean, out.Candidate.N, out.Previous, out.Current.Mean)
	default:
		out.Reason = fmt.Sprintf("kept v%d: candidate %.3f is worse than %.3f on the newest %d tickets", out.Previous, out.Candidate.Mean, out.Current.Mean, out.Candidate.N)
	}
	if out.Promoted {
		if err := st.PromoteModel(ctx, Kind, out.Version); err != nil {
			return nil, fmt.Errorf("promoting model %d: %w", out.Version, err)
		}
	}
	log.InfoContext(ctx, "model trained", "version", out.Version, "promoted", out.Promoted, "reason", out.Reason,
		"examples", len(examples), "candidate_mean", out.Candidate.Mean)
	return out, nil
}

// NewMeta builds the stored metadata of a model.
func NewMeta(md learned.Metadata, source string, score Score, current *Score) Meta {
	m := Meta{Metadata: md, Source: source, Score: score, Current: current, Metrics: map[string]Summary{}}
	var eces []float64
	for _, f := range md.Fields {
		m.Metrics[f.Name] = Summary{Accuracy: f.Holdout.Accuracy, MacroF1: f.Holdout.MacroF1, ECE: f.Holdout.ECE}
		if !f.MultiLabel && f.Holdout.N > 0 {
			eces = append(eces, f.Holdout.ECE)
		}
	}
	for _, e := range eces {
		m.ECE = max(m.ECE, e)
	}
	return m
}

// Holdout returns the newest fraction of examples: the part learned.Train
// holds out with the same fraction (learned.Split).
func Holdout(examples []learned.Example, fraction float64) []learned.Example {
	_, idx := learned.Split(examples, fraction)
	out := make([]learned.Example, 0, len(idx))
	for _, i := range idx {
		out = append(out, examples[i])
	}
	return out
}

// Evaluate scores a model alone on labelled examples.
func Evaluate(m *learned.Model, examples []learned.Example) Score {
	var pn, pok, tn, tok int
	for _, ex := range examples {
		for _, fs := range m.Predict(ex.Subject, ex.Body) {
			got, _ := fs.Best()
			switch {
			case fs.Field == sdk.FieldPriority && ex.Priority != "":
				pn++
				if got == ex.Priority {
					pok++
				}
			case fs.Field == sdk.FieldPrimaryTag && len(ex.Tags) > 0:
				tn++
				if got == ex.Tags[0] {
					tok++
				}
			}
		}
	}
	s := Score{N: len(examples), PriorityAccuracy: ratio(pok, pn), PrimaryTagAccuracy: ratio(tok, tn)}
	switch {
	case pn > 0 && tn > 0:
		s.Mean = (s.PriorityAccuracy + s.PrimaryTagAccuracy) / 2
	case pn > 0:
		s.Mean = s.PriorityAccuracy
	default:
		s.Mean = s.PrimaryTagAccuracy
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Since is a helper for label sources: examples at or after t.
func Since(examples []learned.Example, t time.Time) int {
	n := 0
	for _, ex := range examples {
		if !ex.At.Before(t) {
			n++
		}
	}
	return n
}

// FromSolved turns indexed solved tickets into training examples: the
// subject and the customer's (redacted) text, the agents' final priority
// and tags, ordered in time by when they were solved. A help desk keeps
// tags in no meaningful order, so the tags of taxonomy come first (the
// first of them is the primary tag); the others follow and are reported
// by learned.Train as outside the taxonomy.
func FromSolved(rows []solved.Ticket, taxonomy []string) []learned.Example {
	out := make([]learned.Example, 0, len(rows))
	for _, r := range rows {
		if r.Priority == "" && len(r.Tags) == 0 {
			continue
		}
		var tags, others []string
		for _, t := range r.Tags {
			if slices.Contains(taxonomy, t) {
				tags = append(tags, t)
			} else {
				others = append(others, t)
			}
		}
		tags = append(tags, others...)
		out = append(out, learned.Example{Subject: r.Subject, Body: r.Text, Priority: r.Priority, Tags: tags, At: r.SolvedAt})
	}
	return out
}
