package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Model statuses. A saved model is a candidate; PromoteModel makes one
// current per kind and retires the one it replaces; RollbackModel retires
// the current one and makes the previously current one current again.
const (
	ModelCandidate = "candidate"
	ModelCurrent   = "current"
	ModelRetired   = "retired"
)

// ModelClassifier is the kind of the learned classifier's models.
const ModelClassifier = "classifier"

// ModelVersion is one stored model: an opaque blob (the serialised model)
// and its metadata (training summary, metrics, calibration, taxonomy),
// which the store keeps as given and never interprets.
type ModelVersion struct {
	// Version is assigned by SaveModel: increasing, never reused.
	Version int64  `json:"version"`
	Kind    string `json:"kind"` // what the model is for: "classifier"
	// CreatedAt is when the model was made; SaveModel sets it to now
	// when zero.
	CreatedAt time.Time `json:"created_at"`
	// Meta is a JSON document; empty is stored as {}.
	Meta json.RawMessage `json:"meta,omitempty"`
	// Blob is the model itself. Models leaves it out.
	Blob []byte `json:"-"`
	// Size is len(Blob), filled by every read, also by Models.
	Size int64 `json:"size"`
	// Status is ModelCandidate, ModelCurrent or ModelRetired.
	Status string `json:"status"`
	// PromotedAt is when the model last became current (zero if never).
	PromotedAt time.Time `json:"promoted_at,omitzero"`
}

// CheckNewModel validates a model for SaveModel and fills its defaults:
// Kind is required, Status must be empty or ModelCandidate, Meta must be
// JSON (empty becomes {}), a zero CreatedAt becomes now. Errors wrap
// sdk.ErrInvalid.
func CheckNewModel(m ModelVersion) (ModelVersion, error) {
	if m.Kind == "" {
		return m, fmt.Errorf("saving model: kind is required: %w", sdk.ErrInvalid)
	}
	if m.Status != "" && m.Status != ModelCandidate {
		return m, fmt.Errorf("saving model: status %q: a new model is a candidate; promote it with PromoteModel: %w", m.Status, sdk.ErrInvalid)
	}
	m.Status = ModelCandidate
	if len(m.Meta) == 0 {
		m.Meta = json.RawMessage("{}")
	}
	if !json.Valid(m.Meta) {
		return m, fmt.Errorf("saving model: meta is not valid JSON: %w", sdk.ErrInvalid)
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	m.CreatedAt = m.CreatedAt.UTC()
	if m.Blob == nil {
		m.Blob = []byte{}
	}
	return m, nil
}

// ErrNoPreviousModel is wrapped (with sdk.ErrNotFound) by RollbackModel
// when no earlier current model is left to restore.
var ErrNoPreviousModel = fmt.Errorf("no previously current model to roll back to: %w", sdk.ErrNotFound)

// ModelMetric names a number in a model's Meta by its dotted path.
type ModelMetric struct {
	Name string // a short column header
	Path string // e.g. "metrics.priority.accuracy"
}

// ModelHeadline are the Meta numbers `heard model list` and the console
// show when a model has them: accuracy and calibration (expected
// calibration error, lower is better).
var ModelHeadline = []ModelMetric{
	{"priority accuracy", "metrics.priority.accuracy"},
	{"tag accuracy", "metrics.tag.primary.accuracy"},
	{"ECE", "ece"},
	{"priority ECE", "metrics.priority.ece"},
	{"tag ECE", "metrics.tag.primary.ece"},
}

// Metric reads the number at a dotted path of m.Meta
// ("metrics.priority.accuracy"), through nested objects or keys that
// contain dots themselves; false when it is missing or not a number.
func (m ModelVersion) Metric(path string) (float64, bool) {
	return MetaNumber(m.Meta, path)
}

// MetaNumber reads the number at a dotted path of a JSON document; see
// ModelVersion.Metric.
func MetaNumber(meta json.RawMessage, path string) (float64, bool) {
	var root any
	if err := json.Unmarshal(meta, &root); err != nil {
		return 0, false
	}
	f, ok := lookupPath(root, strings.Split(path, ".")).(float64)
	return f, ok
}

func lookupPath(v any, parts []string) any {
	if len(parts) == 0 {
		return v
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	for i := len(parts); i >= 1; i-- {
		if child, ok := obj[strings.Join(parts[:i], ".")]; ok {
			if got := lookupPath(child, parts[i:]); got != nil {
				return got
			}
		}
	}
	return nil
}
