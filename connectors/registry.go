package connectors

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Spec is one configured connector as the factory sees it.
type Spec struct {
	// Name is the configured name; it is also the webhook path segment.
	Name string
	// Decode strictly decodes the connector's vendor-specific settings into
	// v, a pointer to a struct with yaml tags. Unknown keys are errors that
	// name the key and its line.
	Decode func(v any) error
}

// Deps are what a connector may use from its host.
type Deps struct {
	Logger *slog.Logger
	// Now is the clock, replaceable in tests (signature replay windows).
	Now func() time.Time
	// HTTPClient is used for outbound vendor calls.
	HTTPClient *http.Client
}

// Factory builds a connector from its settings. It validates and allocates;
// it does no network IO.
type Factory func(spec Spec, deps Deps) (sdk.Connector, error)

// Registry maps connector types ("zendesk") to factories. The zero value is
// not usable; call NewRegistry.
type Registry struct {
	mu sync.RWMutex
	m  map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{m: map[string]Factory{}} }

var typeName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Register adds a factory. It fails on an invalid or duplicate type.
func (r *Registry) Register(typ string, f Factory) error {
	if !typeName.MatchString(typ) || f == nil {
		return fmt.Errorf("registering connector type %q: %w", typ, sdk.ErrInvalid)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[typ]; dup {
		return fmt.Errorf("registering connector type %q: already registered: %w", typ, sdk.ErrInvalid)
	}
	r.m[typ] = f
	return nil
}

// Types lists the registered types, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.m))
	for t := range r.m {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// ErrUnknownType is returned by New for a type nobody registered.
var ErrUnknownType = errors.New("unknown connector type")

// New builds a connector of the given type.
func (r *Registry) New(typ string, spec Spec, deps Deps) (sdk.Connector, error) {
	r.mu.RLock()
	f, ok := r.m[typ]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("connector %q: type %q (known: %v): %w", spec.Name, typ, r.Types(), ErrUnknownType)
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.HTTPClient == nil {
		deps.HTTPClient = vendorapi.NewHTTPClient()
	}
	c, err := f(spec, deps)
	if err != nil {
		return nil, fmt.Errorf("connector %q (%s): %w", spec.Name, typ, err)
	}
	return c, nil
}

// Default is the registry the built-in connectors register into.
var Default = NewRegistry()

// MustRegister registers f in Default and panics on error. Call it only from
// a built-in connector package's init function.
func MustRegister(typ string, f Factory) {
	if err := Default.Register(typ, f); err != nil {
		panic(err)
	}
}

// Signer is implemented by connectors that can sign a webhook body exactly
// as their vendor does, for `heard replay`, the demo and tests.
type Signer interface {
	SignWebhook(body []byte, now time.Time) (http.Header, error)
}
