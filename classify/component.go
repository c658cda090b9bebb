package classify

import (
	"context"
	"log/slog"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Deps are what a classifier component may use besides its own config.
type Deps struct {
	// Logger is scoped by the caller; nil discards.
	Logger *slog.Logger
	// LLM is the shared `llm:` section; a model-backed classifier's own
	// section overrides any of it.
	LLM config.LLM
	// Taxonomy is the tag set with what each tag covers.
	Taxonomy []Tag
	// Fallback answers for a classifier that cannot (a model that is down);
	// usually classify.rules. May be nil.
	Fallback sdk.Classifier
	// Models is the store's model versions; nil where no store is open
	// (heard eval), so a learned classifier serves nothing.
	Models ModelSource
}

// Tag is one tag of the taxonomy; the policy package owns the type.
type Tag = policy.Tag

// ModelSource is where a learned classifier finds the model to serve: the
// store's current version, which every replica shares.
type ModelSource interface {
	CurrentModelVersion(ctx context.Context, kind string) (int64, error)
	CurrentModel(ctx context.Context, kind string) (store.ModelVersion, error)
}

// Components is the registry of classifier components ("classify.rules",
// "classify.llm", ...). Built-ins add themselves from init with
// MustRegister; cmd/heard builds the configured ones.
var Components = NewRegistry()

// Registry is a registry of classifier components.
type Registry = component.Registry[sdk.Classifier, Deps]

// NewRegistry returns an empty classifier registry, for tests.
func NewRegistry() *Registry { return component.NewRegistry[sdk.Classifier, Deps]("classify") }
