package retrain

import (
	"fmt"
	"time"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// Config is the `classify.learned:` section: the merge policy that decides
// where the served model's prediction wins, how often replicas look for a
// newly promoted model, and the periodic retrain.
type Config struct {
	// Enabled adds the learned classifier to the ensemble whenever a store
	// is open (the default); false leaves it out.
	Enabled *bool `yaml:"enabled"`
	// MinClassExamples is how many training examples the predicted class
	// needs before the model may decide a field. Default 50.
	MinClassExamples int `yaml:"min_class_examples"`
	// MinConfidence is the calibrated confidence the model needs. Default 0.5.
	MinConfidence float64 `yaml:"min_confidence"`
	// Refresh is how often a replica checks for a new current model.
	// Default 30s.
	Refresh config.Duration `yaml:"refresh"`
	// Retrain is the periodic retrain.
	Retrain PeriodicConfig `yaml:"retrain"`
}

// PeriodicConfig configures the periodic retrain job.
type PeriodicConfig struct {
	// Every is the cadence; 0 turns the job off. Default 24h.
	Every config.Duration `yaml:"every"`
	// MinNewLabels is how many new labels (tickets solved and agents'
	// corrections since the current model was trained) a retrain needs.
	// Default 200.
	MinNewLabels int `yaml:"min_new_labels"`
	// Since bounds the history trained on. Default 180 days.
	Since config.Duration `yaml:"since"`
}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() *Config {
	p := learned.DefaultMergePolicy()
	return &Config{MinClassExamples: p.MinClassExamples, MinConfidence: p.MinConfidence, Refresh: config.Duration(30 * time.Second),
		Retrain: PeriodicConfig{Every: config.Duration(24 * time.Hour), MinNewLabels: 200, Since: config.Duration(180 * 24 * time.Hour)}}
}

// Validate checks the section.
func (c *Config) Validate() error {
	if err := c.Policy().Validate(); err != nil {
		return err
	}
	if c.Refresh < 0 || c.Retrain.Every < 0 || c.Retrain.MinNewLabels < 0 || c.Retrain.Since < 0 {
		return fmt.Errorf("classify.learned: durations and min_new_labels must not be negative: %w", sdk.ErrInvalid)
	}
	return nil
}

// Policy is the section's merge policy.
func (c *Config) Policy() learned.MergePolicy {
	return learned.MergePolicy{MinClassExamples: c.MinClassExamples, MinConfidence: c.MinConfidence}
}

// Component registers the learned classifier. It needs the store's model
// versions (classify.Deps.Models); without them, or with enabled: false,
// it is left out.
var Component = func() component.Spec[sdk.Classifier, classify.Deps] {
	s := component.Define(classify.LearnedID, "the desk's own model, trained by heard train; decides where it saw enough examples and is confident",
		DefaultConfig,
		func(c *Config, d classify.Deps) (sdk.Classifier, error) {
			if (c.Enabled != nil && !*c.Enabled) || d.Models == nil {
				return nil, nil //nolint:nilnil // left out of the ensemble
			}
			srv, err := NewServing(d.Models, c.Policy(), d.Logger)
			if err != nil {
				return nil, err
			}
			srv.Every = c.Refresh.Std()
			return srv, nil
		})
	s.Timeout = time.Second
	return s
}()

func init() { classify.Components.MustRegister(Component) }

// ConfigFrom decodes the classify.learned block of a classify section.
func ConfigFrom(sec config.Section) (*Config, error) {
	c, err := classify.ComponentConfig(classify.Components, sec, classify.LearnedID)
	if err != nil {
		return nil, err
	}
	lc, ok := c.(*Config)
	if !ok {
		return nil, fmt.Errorf("classify.learned: config is %T: %w", c, sdk.ErrInvalid)
	}
	return lc, nil
}
