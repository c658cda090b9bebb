package draft

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/sdk"
)

// Component IDs of the built-in drafters.
const (
	TemplateID = "draft.template"
	LLMID      = "draft.llm"
)

// Deps are what a drafter component may use besides its own config.
type Deps struct {
	// Logger is scoped by the caller; nil discards.
	Logger *slog.Logger
	// LLM is the shared `llm:` section; draft.llm overrides any of it.
	LLM config.LLM
	// Fallback answers whenever a model-backed drafter cannot; usually
	// draft.template. May be nil for the template itself.
	Fallback Drafter
}

// Components is the registry of drafters ("draft.template", "draft.llm").
var Components = NewRegistry()

// Registry is a registry of drafter components.
type Registry = component.Registry[Drafter, Deps]

// NewRegistry returns an empty drafter registry, for tests.
func NewRegistry() *Registry { return component.NewRegistry[Drafter, Deps]("draft") }

// LLMComponentConfig is the draft.llm section: the drafter's own settings
// plus any key of the shared `llm:` section to override (model overrides
// llm.models.chat; timeout bounds one HTTP attempt).
type LLMComponentConfig struct {
	config.LLMOverride `yaml:",inline"`
	// MaxArticles bounds the articles put in the prompt. Zero means 5.
	MaxArticles int `yaml:"max_articles"`
	// AgentName signs replies when the request has no agent name.
	AgentName string `yaml:"agent_name"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c *LLMComponentConfig) Validate() error {
	if err := c.LLMOverride.Validate(); err != nil {
		return fmt.Errorf("%s config: %w", LLMID, err)
	}
	return LLMConfig{MaxArticles: c.MaxArticles, AgentName: c.AgentName}.Validate()
}

// TemplateComponent registers the offline template drafter; its section
// is TemplateConfig.
var TemplateComponent = component.Define(TemplateID, "the team's own wording per situation, offline",
	func() *TemplateConfig { return &TemplateConfig{} },
	func(c *TemplateConfig, d Deps) (Drafter, error) { return NewTemplate(*c, d.Logger) })

// LLMComponent registers the LLM drafter: a chat model grounded in the
// matched articles, deps.Fallback answering whenever it cannot.
var LLMComponent = component.Define(LLMID, "any OpenAI-compatible chat model, grounded in the knowledge base",
	func() *LLMComponentConfig { return &LLMComponentConfig{} },
	func(c *LLMComponentConfig, d Deps) (Drafter, error) {
		ep := d.LLM.Resolve(c.LLMOverride, config.UseChat)
		if ep.Model == "" {
			return nil, fmt.Errorf("no chat model: set llm.models.chat or draft.llm.model: %w", sdk.ErrInvalid)
		}
		client, err := llmapi.New(llmapi.Config(ep), d.Logger)
		if err != nil {
			return nil, err
		}
		ld, err := NewLLM(client, LLMConfig{MaxArticles: c.MaxArticles, AgentName: c.AgentName}, d.Fallback, d.Logger)
		if err != nil {
			_ = client.Close(context.Background())
			return nil, err
		}
		return &ownedLLM{LLM: ld, client: client}, nil
	})

func init() {
	Components.MustRegister(TemplateComponent)
	Components.MustRegister(LLMComponent)
}

// ownedLLM is an LLM drafter that owns its client and closes it.
type ownedLLM struct {
	*LLM
	client *llmapi.Client
}

var _ sdk.Closer = (*ownedLLM)(nil)

// Close closes the client.
func (o *ownedLLM) Close(ctx context.Context) error { return o.client.Close(ctx) }
