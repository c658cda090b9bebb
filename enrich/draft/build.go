package draft

import (
	"context"
	"log/slog"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// SectionConfig is the `draft:` section's own keys; every other key is a
// registered drafter's section (template:, llm:).
type SectionConfig struct {
	// Drafter is the component that writes suggested replies, by name or
	// ID. Empty means llm when a chat model is configured
	// (llm.models.chat or a draft.llm section), else template.
	Drafter string `yaml:"drafter"`
}

// Build builds the drafter configured in sec from the registry r. The
// template drafter is always built: it answers for a model-backed drafter
// whenever the model cannot. close releases what the drafter holds.
func Build(r *Registry, sec config.Section, shared config.LLM, log *slog.Logger) (d Drafter, close func(context.Context) error, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var sc SectionConfig
	parts, err := sec.Parts("draft", &sc, r.Names())
	if err != nil {
		return nil, nil, err
	}
	noop := func(context.Context) error { return nil }
	tmpl, err := r.New(TemplateID, parts["template"].Decoder(TemplateID), Deps{Logger: log, LLM: shared})
	if err != nil {
		return nil, nil, err
	}
	name := sc.Drafter
	if name == "" {
		name = "template"
		if _, ok := parts["llm"]; ok || shared.Models.Chat != "" {
			name = "llm"
		}
	}
	s, ok := r.Lookup(name)
	if !ok {
		return nil, nil, r.Unknown(name)
	}
	if s.ID == TemplateID {
		return tmpl.Impl, noop, nil
	}
	n, err := r.New(s.ID, parts[s.Name()].Decoder(s.ID), Deps{Logger: log, LLM: shared, Fallback: tmpl.Impl})
	if err != nil {
		return nil, nil, err
	}
	if c, ok := n.Impl.(sdk.Closer); ok {
		return n.Impl, c.Close, nil
	}
	return n.Impl, noop, nil
}
