package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/heardhq/heard/classify"
	classifyllm "github.com/heardhq/heard/classify/llm"
	"github.com/heardhq/heard/classify/rules"
	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	kbpostgres "github.com/heardhq/heard/kb/postgres"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// classifyConfig is the `classify:` section.
type classifyConfig struct {
	Rules rules.Config `yaml:"rules"`
	// LLM, when base_url and model are set, classifies with any
	// OpenAI-compatible model, falling back to the rules on any error.
	LLM struct {
		BaseURL    string          `yaml:"base_url"`
		APIKey     sdk.Secret      `yaml:"api_key"`
		Model      string          `yaml:"model"`
		Timeout    config.Duration `yaml:"timeout"`
		MaxRetries int             `yaml:"max_retries"`
	} `yaml:"llm"`
	Merge classify.MergeConfig `yaml:"merge"`
}

// triageParts is what the pipeline needs from classification and policy.
type triageParts struct {
	classifier sdk.Classifier
	fields     []sdk.FieldSpec
	decider    pipeline.Decider[enrich.Explanation]
	llm        *llm.Client // nil without classify.llm
	close      func(ctx context.Context) error
}

// buildTriage builds the classifiers, their ensemble and the decide stage
// from the config's classify and triage sections.
func buildTriage(cfg config.Config, st store.Store, search enrich.KBSearch, log *slog.Logger, extra ...classify.Named) (*triageParts, error) {
	parts, err := buildClassifiers(cfg, log, extra...)
	if err != nil {
		return nil, err
	}
	tc := enrich.DefaultConfig()
	if err := cfg.Triage.Decode("triage", &tc); err != nil {
		return nil, err
	}
	tmpl, err := draft.NewTemplate(draft.TemplateConfig{}, log)
	if err != nil {
		return nil, err
	}
	var drafter draft.Drafter = tmpl
	if parts.llm != nil { // the model drafts, grounded in the matches; the templates answer for it on any failure
		ld, err := draft.NewLLM(parts.llm, draft.LLMConfig{}, tmpl, log)
		if err != nil {
			return nil, err
		}
		drafter = ld
	}
	tr, err := enrich.New(tc, enrich.Deps{Similar: st.CountSimilar, Drafter: drafter, Search: search, Log: log})
	if err != nil {
		return nil, err
	}
	parts.decider = tr
	return parts, nil
}

// buildClassifiers builds the classifiers and their ensemble from the
// config's classify section.
func buildClassifiers(cfg config.Config, log *slog.Logger, extra ...classify.Named) (*triageParts, error) {
	cc := classifyConfig{Merge: classify.DefaultMergeConfig()}
	if err := cfg.Classify.Decode("classify", &cc); err != nil {
		return nil, err
	}
	if err := cc.Merge.Validate(); err != nil {
		return nil, err
	}
	rc, err := rules.New(cc.Rules)
	if err != nil {
		return nil, fmt.Errorf("classify.rules: %w", err)
	}
	taxonomy := cc.Rules.Taxonomy
	if len(taxonomy) == 0 {
		taxonomy = policy.Default()
	}
	parts := &triageParts{fields: fieldSpecs(taxonomy), close: func(context.Context) error { return nil }}
	members := []classify.Named{{ID: "classify.rules", Classifier: rc, Timeout: 2 * time.Second}}
	if cc.LLM.BaseURL != "" || cc.LLM.Model != "" {
		client, err := llm.New(llm.Config{BaseURL: cc.LLM.BaseURL, APIKey: cc.LLM.APIKey, Model: cc.LLM.Model,
			Timeout: cc.LLM.Timeout.Std(), MaxRetries: cc.LLM.MaxRetries}, log.With("component", "llm"))
		if err != nil {
			return nil, fmt.Errorf("classify.llm: %w", err)
		}
		parts.close, parts.llm = client.Close, client
		tags := make([]classifyllm.Tag, 0, len(taxonomy))
		for _, t := range taxonomy {
			tags = append(tags, t)
		}
		lc, err := classifyllm.New(client, classifyllm.Config{Taxonomy: tags, Timeout: 25 * time.Second}, rc, log)
		if err != nil {
			return nil, fmt.Errorf("classify.llm: %w", err)
		}
		// The model answers; the rules answer for it whenever it cannot.
		members = []classify.Named{{ID: classifyllm.ID, Classifier: lc, Timeout: 30 * time.Second}}
	}
	members = append(members, extra...) // plugins join whichever built-in answers
	parts.classifier = &classify.Ensemble{Classifiers: members, Merge: cc.Merge, Logger: log}
	return parts, nil
}

// fieldSpecs lists what classifiers are asked to predict.
func fieldSpecs(taxonomy []rules.Tag) []sdk.FieldSpec {
	return policy.FieldSpecs(taxonomy)
}

// openKnowledgeBase opens the knowledge base in heard's store with the
// offline embedder (cached). A knowledge base built with another embedder
// is reported and left out: drafts then come without articles until an
// admin re-embeds (heard kb ingest --reembed).
func openKnowledgeBase(ctx context.Context, cfg config.Config, st store.Store, log *slog.Logger) (*kb.KB, func(), error) {
	h, err := embed.NewHashed(embed.DefaultHashedDim)
	if err != nil {
		return nil, nil, err
	}
	emb, err := embed.NewCached(h, 0)
	if err != nil {
		return nil, nil, err
	}
	var kst kb.Store
	switch s := st.(type) {
	case *sqlite.Store:
		kst, err = kbsqlite.New(ctx, s.DB())
	case *postgres.Store:
		kst, err = kbpostgres.Open(ctx, cfg.DatabaseURL.Reveal(), kbpostgres.Options{})
	default:
		return nil, nil, fmt.Errorf("the %s store has no knowledge base", st.Driver())
	}
	if err != nil {
		return nil, nil, fmt.Errorf("opening the knowledge base: %w", err)
	}
	k, err := kb.New(kb.Config{Store: kst, Embedder: emb, Logger: log})
	if err != nil {
		_ = kst.Close()
		return nil, nil, err
	}
	return k, func() { _ = kst.Close() }, nil
}

// draftSearch adapts the knowledge base to the decide stage: the three best
// matches above the relevance threshold, in any locale's fallback order.
func draftSearch(k *kb.KB) enrich.KBSearch {
	return func(ctx context.Context, text, locale, _ string) ([]draft.Article, error) {
		ms, err := k.Search(ctx, kb.Query{Text: text, Locale: locale, K: 3})
		if err == nil && len(ms) == 0 && locale != "" {
			ms, err = k.Search(ctx, kb.Query{Text: text, K: 3})
		}
		if err != nil {
			return nil, err
		}
		out := make([]draft.Article, 0, len(ms))
		for _, m := range ms {
			out = append(out, draft.Article{Title: m.Title, URL: m.URL, Snippet: m.Snippet, Score: m.Score})
		}
		return out, nil
	}
}
