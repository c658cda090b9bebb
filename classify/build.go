package classify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// FallbackID is the classifier every model-backed classifier falls back
// to, and whose taxonomy every classifier predicts from.
const FallbackID = "classify.rules"

// SectionConfig is the `classify:` section's own keys; every other key is
// a registered classifier's section (rules:, llm:, ...).
type SectionConfig struct {
	// Classifiers are the components that classify, by name or ID. Empty
	// means [llm] when a chat model is configured (llm.models.chat or a
	// classify.llm section), else [rules].
	Classifiers []string `yaml:"classifiers"`
	// Merge is how the classifiers' predictions become one.
	Merge MergeConfig `yaml:"merge"`
}

// Taxonomist is implemented by a classifier that defines the tag taxonomy
// (classify.rules).
type Taxonomist interface {
	Taxonomy() []Tag
}

// Built is the configured classification: one ensemble of the configured
// classifiers (and any extra ones, such as plugins) and the fields they are
// asked to predict. Close it when done.
type Built struct {
	Ensemble *Ensemble
	Fields   []sdk.FieldSpec
	closers  []sdk.Closer
}

// Close closes every classifier that holds resources.
func (b *Built) Close(ctx context.Context) error {
	var errs []error
	for _, c := range b.closers {
		errs = append(errs, c.Close(ctx))
	}
	return errors.Join(errs...)
}

// Build builds the classifiers configured in sec from the registry r:
// FallbackID first (it provides the taxonomy and answers for the others
// when they cannot), then the listed ones, then extra. Unknown keys and
// unknown classifier names are errors naming them.
func Build(r *Registry, sec config.Section, shared config.LLM, log *slog.Logger, extra ...Named) (*Built, error) {
	return BuildWith(r, sec, shared, nil, log, extra...)
}

// LearnedID is the learned classifier's component ID. When the registry
// has it and a ModelSource is given, BuildWith adds it to the ensemble
// (unless its section says enabled: false) and prefers its predictions
// in the merge: it serves nothing until a model is promoted, so until then
// the ensemble is exactly what it would be without it.
const LearnedID = "classify.learned"

// BuildWith is Build with the store's model versions for the learned
// classifier (nil: not added).
func BuildWith(r *Registry, sec config.Section, shared config.LLM, models ModelSource, log *slog.Logger, extra ...Named) (*Built, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sc := SectionConfig{Merge: DefaultMergeConfig()}
	parts, err := sec.Parts("classify", &sc, r.Names())
	if err != nil {
		return nil, err
	}
	if err := sc.Merge.Validate(); err != nil {
		return nil, err
	}
	decoder := func(name string) func(any) error {
		s, _ := r.Lookup(name)
		return parts[s.Name()].Decoder("classify." + s.Name())
	}
	b := &Built{}
	fb, err := r.New(FallbackID, decoder(FallbackID), Deps{Logger: log, LLM: shared})
	if err != nil {
		return nil, err
	}
	var tax []Tag
	if t, ok := fb.Impl.(Taxonomist); ok {
		tax = t.Taxonomy()
	}
	use := sc.Classifiers
	if len(use) == 0 {
		use = []string{"rules"}
		if _, ok := parts["llm"]; ok || shared.Models.Chat != "" {
			use = []string{"llm"}
		}
	}
	var members []Named
	for _, name := range use {
		s, ok := r.Lookup(name)
		if !ok {
			_ = b.Close(context.Background())
			return nil, fmt.Errorf("classify.classifiers: %w", r.Unknown(name))
		}
		if slices.ContainsFunc(members, func(n Named) bool { return n.ID == s.ID }) {
			continue
		}
		if s.ID == FallbackID {
			members = append(members, fb)
			continue
		}
		n, err := r.New(s.ID, decoder(s.ID), Deps{Logger: log, LLM: shared, Taxonomy: tax, Fallback: fb.Impl, Models: models})
		if err != nil {
			_ = b.Close(context.Background())
			return nil, err
		}
		if c, ok := n.Impl.(sdk.Closer); ok {
			b.closers = append(b.closers, c)
		}
		members = append(members, n)
	}
	if s, ok := r.Lookup(LearnedID); ok && models != nil && !slices.Contains(use, s.Name()) && !slices.Contains(use, LearnedID) {
		n, err := r.New(s.ID, decoder(s.ID), Deps{Logger: log, LLM: shared, Taxonomy: tax, Fallback: fb.Impl, Models: models})
		if err != nil {
			_ = b.Close(context.Background())
			return nil, err
		}
		if n.Impl != nil { // nil: the section disabled it
			members = append(members, n)
		}
	}
	for _, n := range members {
		if n.ID == LearnedID && !slices.Contains(sc.Merge.Preferred, LearnedID) {
			sc.Merge.Preferred = append([]string{LearnedID}, sc.Merge.Preferred...)
		}
	}
	members = append(members, extra...)
	b.Ensemble = &Ensemble{Classifiers: members, Merge: sc.Merge, Logger: log}
	b.Fields = FieldSpecs(tax)
	return b, nil
}

// FieldSpecs lists what classifiers are asked to predict, the tag fields
// limited to the taxonomy.
func FieldSpecs(taxonomy []Tag) []sdk.FieldSpec {
	tags := make([]string, 0, len(taxonomy))
	for _, t := range taxonomy {
		tags = append(tags, t.Name)
	}
	out := []sdk.FieldSpec{
		{Name: sdk.FieldPriority, Allowed: []string{"P0", "P1", "P2", "P3"}},
		{Name: sdk.FieldPrimaryTag, Allowed: tags},
		{Name: sdk.FieldSecondaryTag, Allowed: tags},
		{Name: sdk.FieldSentiment, Allowed: []string{sdk.SentimentPositive, sdk.SentimentNeutral, sdk.SentimentNegative, sdk.SentimentAngry}},
		{Name: sdk.FieldLanguage},
	}
	for _, s := range []string{sdk.FieldSignalCancel, sdk.FieldSignalCompetitor, sdk.FieldSignalDowngrade, sdk.FieldSignalLegal,
		sdk.FieldSignalRefundAmount, sdk.FieldSignalSecurity, sdk.FieldSignalOutage, sdk.FieldSignalRepeat, sdk.FieldSignalExecutive} {
		out = append(out, sdk.FieldSpec{Name: s})
	}
	return out
}

// ComponentConfig decodes and validates one component's block of the
// classify section (its defaults when the block is absent), for callers
// that need a component's settings outside the ensemble.
func ComponentConfig(r *Registry, sec config.Section, id string) (component.Config, error) {
	var sc SectionConfig
	parts, err := sec.Parts("classify", &sc, r.Names())
	if err != nil {
		return nil, err
	}
	s, ok := r.Lookup(id)
	if !ok {
		return nil, r.Unknown(id)
	}
	return r.Config(s.ID, parts[s.Name()].Decoder("classify."+s.Name()))
}
