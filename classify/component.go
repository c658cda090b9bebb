package classify

import (
	"log/slog"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
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
}

// Tag is one tag of the taxonomy as classifiers see it.
type Tag struct {
	Name        string
	Description string
}

// Components is the registry of classifier components ("classify.rules",
// "classify.llm", ...). Built-ins add themselves from init with
// MustRegister; cmd/heard builds the configured ones.
var Components = NewRegistry()

// Registry is a registry of classifier components.
type Registry = component.Registry[sdk.Classifier, Deps]

// NewRegistry returns an empty classifier registry, for tests.
func NewRegistry() *Registry { return component.NewRegistry[sdk.Classifier, Deps]("classify") }
