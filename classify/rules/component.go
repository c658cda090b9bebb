package rules

import (
	"time"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/sdk"
)

// Component registers the rules classifier: its section is Config
// (patterns_file, taxonomy).
var Component = func() component.Spec[sdk.Classifier, classify.Deps] {
	s := component.Define(ID, "offline patterns and lexicons; the fallback of every model",
		func() *Config { return &Config{} },
		func(c *Config, _ classify.Deps) (sdk.Classifier, error) { return New(*c) })
	s.Timeout = 2 * time.Second
	return s
}()

func init() { classify.Components.MustRegister(Component) }
