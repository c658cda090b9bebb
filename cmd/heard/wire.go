package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/heardhq/heard/classify"
	_ "github.com/heardhq/heard/classify/learned/retrain" // registers classify.learned
	_ "github.com/heardhq/heard/classify/llm"             // registers classify.llm
	_ "github.com/heardhq/heard/classify/rules"
	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	kbpostgres "github.com/heardhq/heard/kb/postgres"
	"github.com/heardhq/heard/kb/solved"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
)

// triage is the configured classification and decide stage: what serve
// runs and backtest replays. Close it when done.
type triage struct {
	*classify.Built
	enrichers []pipeline.NamedEnricher
	decider   pipeline.Decider[enrich.Explanation] // nil from buildClassifiers
	policy    enrich.Config                        // the triage section, set by buildTriage
	closers   []func(context.Context) error
}

func (t *triage) Close(ctx context.Context) error {
	for _, c := range t.closers {
		_ = c(ctx)
	}
	return t.Built.Close(ctx)
}

// buildClassifiers builds the configured classifiers with the plugin
// classifiers of host (nil: none) in one ensemble.
// models (nil: none) gives the learned classifier the store's models.
func buildClassifiers(cfg config.Config, host *plugins.Host, models classify.ModelSource, log *slog.Logger) (*triage, error) {
	var extra []classify.Named
	var enrichers []pipeline.NamedEnricher
	if host != nil {
		extra, enrichers = host.Classifiers(""), host.Enrichers("")
	}
	b, err := classify.BuildWith(classify.Components, cfg.Classify, cfg.LLM, models, log, extra...)
	if err != nil {
		return nil, err
	}
	return &triage{Built: b, enrichers: enrichers}, nil
}

// buildTriage builds the classifiers, the configured drafter and the
// decide stage. st (for "same issue" counts) and search may be nil;
// answerThreshold is the knowledge base's (0: the draft's default).
func buildTriage(cfg config.Config, st store.Store, search enrich.KBSearch, answerThreshold float64, similar enrich.SolvedSearch, host *plugins.Host, log *slog.Logger) (*triage, error) {
	var models classify.ModelSource
	if st != nil {
		models = st
	}
	t, err := buildClassifiers(cfg, host, models, log)
	if err != nil {
		return nil, err
	}
	tc := enrich.DefaultConfig()
	if err := cfg.Triage.Decode("triage", &tc); err != nil {
		_ = t.Close(context.Background())
		return nil, err
	}
	drafter, closeDraft, err := draft.Build(draft.Components, cfg.Draft, cfg.LLM, log)
	if err != nil {
		_ = t.Close(context.Background())
		return nil, err
	}
	t.closers = append(t.closers, closeDraft)
	deps := enrich.Deps{Drafter: drafter, Search: search, AnswerThreshold: answerThreshold, Solved: similar, Log: log}
	if st != nil {
		deps.Similar = st.CountSimilar
		deps.Credits = st
	}
	tr, err := enrich.New(tc, deps)
	if err != nil {
		_ = t.Close(context.Background())
		return nil, err
	}
	t.decider, t.policy = tr, tc
	return t, nil
}

// loadPlugins starts the plugins the config enables, from the catalog
// next to the config file (or in data_dir).
func loadPlugins(ctx context.Context, cfgPath string, cfg config.Config, log *slog.Logger) (*plugins.Host, error) {
	return plugins.Load(ctx, plugins.CatalogPath(cfgPath, cfg.DataDir), cfg.Plugins, log)
}

// buildConnectors builds the configured connectors (only the one named
// only, when set); host serves connectors of type plugin and may be nil.
func buildConnectors(ctx context.Context, cfg config.Config, host *plugins.Host, only string, log *slog.Logger) ([]connectors.Configured, error) {
	opts := connectors.FromConfigOptions{Only: only, Logger: log}
	if host != nil {
		opts.Plugin = func(name string) (sdk.Connector, bool) {
			c, ok := host.Connector(name)
			return c, ok
		}
	}
	return connectors.Default.FromConfig(ctx, cfg.Connectors, opts)
}

// openedKB is the knowledge base in heard's store with the configured
// embedder.
type openedKB struct {
	*kb.KB
	close func()
}

// openKnowledgeBase opens the knowledge base in st with the embedder
// configured under kb: (or the one named by embedder, when set). A
// knowledge base built with another embedder is refused by kb.New: re-embed
// with heard kb ingest --reembed.
func openKnowledgeBase(ctx context.Context, cfg config.Config, st store.Store, embedder string, minScore float64, log *slog.Logger) (*openedKB, error) {
	emb, kc, closeEmb, err := embed.Build(embed.Components, cfg.KB, cfg.LLM, embedder, log)
	if err != nil {
		return nil, err
	}
	if minScore == 0 {
		minScore = kc.MinScore
	}
	var kst kb.Store
	switch s := st.(type) {
	case *sqlite.Store:
		kst, err = kbsqlite.New(ctx, s.DB())
	case *postgres.Store:
		kst, err = kbpostgres.Open(ctx, cfg.DatabaseURL.Reveal(), kbpostgres.Options{})
	default:
		err = fmt.Errorf("the %s store has no knowledge base", st.Driver())
	}
	if err != nil {
		_ = closeEmb(ctx)
		return nil, fmt.Errorf("opening the knowledge base: %w", err)
	}
	var model *kb.AnswerModel
	if kc.AnswerModel != "" {
		m, merr := kb.ReadAnswerModel(kc.AnswerModel)
		if merr != nil {
			_ = kst.Close()
			_ = closeEmb(ctx)
			return nil, fmt.Errorf("kb.answer_model: %w", merr)
		}
		model = &m
	}
	k, err := kb.New(kb.Config{Store: kst, Embedder: emb, Logger: log, MinScore: minScore, AnswerThreshold: kc.AnswerThreshold, AnswerModel: model})
	if err != nil {
		_ = kst.Close()
		_ = closeEmb(ctx)
		return nil, err
	}
	return &openedKB{KB: k, close: func() {
		_ = kst.Close()
		_ = closeEmb(context.Background())
	}}, nil
}

// draftSearch adapts the knowledge base to the decide stage: the three best
// articles for the ticket, in any locale's fallback order. A ticket's text
// is its subject, then the customer's message; besides the whole text it
// searches the subject and the customer's first question on their own, and
// fuses the lists by reciprocal rank (kb.RRFK), because background in a
// message ("we signed up last week") can outweigh the question itself.
// Each article keeps its best score and answer confidence over the
// searches that found it.
func draftSearch(k *kb.KB) enrich.KBSearch {
	return func(ctx context.Context, text, locale, _ string) ([]draft.Article, error) {
		results, err := searchEach(ctx, k, searchQueries(text), locale)
		if err != nil {
			return nil, err
		}
		return fuseArticles(results), nil
	}
}

// fuseArticles fuses lists of matches by reciprocal rank (kb.RRFK) into the
// three best articles, each with its best score and answer confidence over
// the lists that found it.
func fuseArticles(results [][]kb.Match) []draft.Article {
	type fused struct {
		m    kb.Match
		rank float64
	}
	byURL := map[string]*fused{}
	var order []*fused
	for _, ms := range results {
		for r, m := range ms {
			f := byURL[m.URL]
			if f == nil {
				f = &fused{m: m}
				byURL[m.URL] = f
				order = append(order, f)
			}
			f.rank += 1 / float64(kb.RRFK+r+1)
			f.m.Score = max(f.m.Score, m.Score)
			f.m.Answer = max(f.m.Answer, m.Answer)
		}
	}
	slices.SortStableFunc(order, func(a, b *fused) int { return cmp.Compare(b.rank, a.rank) })
	out := make([]draft.Article, 0, min(3, len(order)))
	for _, f := range order[:min(3, len(order))] {
		out = append(out, draft.Article{Title: f.m.Title, URL: f.m.URL, Snippet: f.m.Snippet, Score: f.m.Score, Answer: f.m.Answer})
	}
	return out
}

// searchEach finds the three best matches of each text in locale, and in
// any locale for a text with none in it, in one knowledge-base call
// (kb.SearchEach: one embedding request, one store snapshot per round).
func searchEach(ctx context.Context, k *kb.KB, texts []string, locale string) ([][]kb.Match, error) {
	qs := make([]kb.Query, len(texts))
	for i, t := range texts {
		qs[i] = kb.Query{Text: t, Locale: locale, K: 3, AnyLocale: true}
	}
	return k.SearchEach(ctx, qs)
}

// searchQueries are the searches for a ticket's text (subject, a newline,
// the message): the whole text, the subject alone and the message's first
// question alone, each once.
func searchQueries(text string) []string {
	qs := []string{strings.TrimSpace(text)}
	add := func(q string) {
		if q = strings.TrimSpace(q); len(strings.Fields(q)) >= 2 && !slices.Contains(qs, q) {
			qs = append(qs, q)
		}
	}
	subject, body, _ := strings.Cut(text, "\n")
	if body != "" {
		add(subject)
	}
	if i := strings.IndexByte(body, '?'); i >= 0 {
		start := strings.LastIndexAny(body[:i], ".!?\n") + 1
		add(body[start : i+1])
	}
	return qs
}

// openSolved opens the index of solved tickets in st, embedded with the
// configured knowledge-base embedder. links gives each connector's ticket
// addresses (nil: none).
func openSolved(ctx context.Context, cfg config.Config, st store.Store, links map[string]sdk.TicketLinker, log *slog.Logger) (*solved.Indexer, solved.Index, func(), error) {
	emb, _, closeEmb, err := embed.Build(embed.Components, cfg.KB, cfg.LLM, "", log)
	if err != nil {
		return nil, nil, nil, err
	}
	var ix solved.Index
	switch s := st.(type) {
	case *sqlite.Store:
		ix, err = solved.NewSQLite(ctx, s.DB(), emb.Dim())
	case *postgres.Store:
		ix, err = solved.OpenPostgres(ctx, cfg.DatabaseURL.Reveal(), emb.Dim(), solved.PostgresOptions{})
	default:
		err = fmt.Errorf("the %s store has no solved-ticket index", st.Driver())
	}
	if err != nil {
		_ = closeEmb(ctx)
		return nil, nil, nil, fmt.Errorf("opening the solved-ticket index: %w", err)
	}
	link := func(ref sdk.TicketRef) string {
		if l, ok := links[ref.Connector]; ok {
			return l.TicketURL(ref)
		}
		return ""
	}
	x, err := solved.NewIndexer(ix, emb, link)
	if err != nil {
		_ = ix.Close()
		_ = closeEmb(ctx)
		return nil, nil, nil, err
	}
	return x, ix, func() {
		_ = ix.Close()
		_ = closeEmb(context.Background())
	}, nil
}

// similarSolved adapts the solved-ticket index to the decide stage.
func similarSolved(x *solved.Indexer) enrich.SolvedSearch {
	return func(ctx context.Context, t *sdk.Ticket) ([]enrich.SimilarSolved, error) {
		ms, err := x.Similar(ctx, t, 3)
		if err != nil {
			return nil, err
		}
		out := make([]enrich.SimilarSolved, 0, len(ms))
		for _, m := range ms {
			out = append(out, enrich.SimilarSolved{ID: m.ID, Subject: m.Subject, Priority: m.Priority, Tags: m.Tags, URL: m.URL, Score: m.Score, Reply: m.Reply})
		}
		return out, nil
	}
}
