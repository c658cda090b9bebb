package llm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/sdk"
)

// ComponentConfig is the classify.llm section: any key of the shared
// `llm:` section to override for the classifier (model overrides
// llm.models.chat).
type ComponentConfig struct {
	config.LLMOverride `yaml:",inline"`
}

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c *ComponentConfig) Validate() error {
	if err := c.LLMOverride.Validate(); err != nil {
		return fmt.Errorf("%s config: %w", ID, err)
	}
	return nil
}

// componentTimeout bounds one classification, retries included, when the
// classifier runs in the ensemble; the ensemble's bound is a little longer.
const componentTimeout = 25

// Component registers the LLM classifier. It needs a chat model (from
// llm.models.chat or its own model) and deps.Fallback, which answers
// whenever the model cannot.
var Component = func() component.Spec[sdk.Classifier, classify.Deps] {
	s := component.Define(ID, "any OpenAI-compatible chat model, falling back to the rules",
		func() *ComponentConfig { return &ComponentConfig{} },
		func(c *ComponentConfig, d classify.Deps) (sdk.Classifier, error) {
			ep := d.LLM.Resolve(c.LLMOverride, config.UseChat)
			if ep.Model == "" {
				return nil, fmt.Errorf("no chat model: set llm.models.chat or classify.llm.model: %w", sdk.ErrInvalid)
			}
			log := d.Logger
			client, err := llmapi.New(llmapi.Config(ep), log)
			if err != nil {
				return nil, err
			}
			tags := slices.Clone(d.Taxonomy)
			lc, err := New(client, Config{Taxonomy: tags, Timeout: componentTimeout * time.Second}, d.Fallback, log)
			if err != nil {
				_ = client.Close(context.Background())
				return nil, err
			}
			return &owned{Classifier: lc, client: client}, nil
		})
	s.Timeout = (componentTimeout + 5) * time.Second
	return s
}()

func init() { classify.Components.MustRegister(Component) }

// owned is a classifier that owns its client and closes it.
type owned struct {
	*Classifier
	client *llmapi.Client
}

var _ sdk.Closer = (*owned)(nil)

// Close closes the client.
func (o *owned) Close(ctx context.Context) error { return o.client.Close(ctx) }
