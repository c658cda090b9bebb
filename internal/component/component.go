package component

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Named is one component instance: a built-in or a plugin, with the ID its
// output is attributed to. T is the interface it implements, e.g.
// sdk.Classifier or sdk.Enricher.
type Named[T any] struct {
	// ID is the component ID, e.g. "classify.rules" or "plugin.vip".
	ID string
	// Impl is the component.
	Impl T
	// Timeout bounds one call; zero means the caller's default.
	Timeout time.Duration
}

// Config is a component's configuration: a pointer to a struct with yaml
// tags (and doc comments) that reports its own problems.
type Config interface {
	Validate() error
}

// Decoder strictly decodes a component's config section into v, a
// pointer to its config struct whose defaults are already set. Keys absent
// from the section keep their values; an unknown key is an error naming it
// and its line. A component with no section gets a Decoder that leaves v
// unchanged.
type Decoder func(v any) error

// Spec is one registered component of kind T, built with deps D. Build one
// with Define.
type Spec[T, D any] struct {
	// ID is "<kind>.<name>", lowercase, e.g. "classify.llm".
	ID string
	// Doc is one line on what the component does, for listings and errors.
	Doc string
	// Timeout is the instances' default bound on one call (Named.Timeout);
	// zero leaves it to the caller.
	Timeout time.Duration

	newConfig func() Config
	build     func(Config, D) (T, error)
}

// Define describes a component: defaults returns a new config with every
// default set (a pointer, so decoding fills it), build makes the component
// from the decoded and validated config. build validates and allocates; it
// does no network IO.
func Define[T, D any, C Config](id, doc string, defaults func() C, build func(C, D) (T, error)) Spec[T, D] {
	s := Spec[T, D]{ID: id, Doc: doc}
	if defaults != nil {
		s.newConfig = func() Config { return defaults() }
	}
	if build != nil {
		s.build = func(c Config, d D) (T, error) {
			cc, ok := c.(C)
			if !ok { // unreachable: newConfig made it
				var zero T
				return zero, fmt.Errorf("%s: config is %T, want %T: %w", id, c, *new(C), sdk.ErrInvalid)
			}
			return build(cc, d)
		}
	}
	return s
}

// Name is the ID without its kind, e.g. "llm" for "classify.llm": the key
// of the component's section in the config file.
func (s Spec[T, D]) Name() string {
	_, name, _ := strings.Cut(s.ID, ".")
	return name
}

// Registry holds the components of one kind. The zero value is not
// usable; call NewRegistry. It is safe for concurrent use.
type Registry[T, D any] struct {
	kind  string
	mu    sync.RWMutex
	specs map[string]Spec[T, D]
}

// NewRegistry returns an empty registry for components whose IDs start
// with kind and a dot, e.g. "classify".
func NewRegistry[T, D any](kind string) *Registry[T, D] {
	return &Registry[T, D]{kind: kind, specs: map[string]Spec[T, D]{}}
}

// Kind is the registry's ID prefix, e.g. "classify".
func (r *Registry[T, D]) Kind() string { return r.kind }

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Register adds s. It fails, wrapping sdk.ErrInvalid, when the ID is not
// "<kind>.<name>" with a lowercase name, when defaults or build is
// missing, or when the ID is already registered.
func (r *Registry[T, D]) Register(s Spec[T, D]) error {
	kind, name, ok := strings.Cut(s.ID, ".")
	if !ok || kind != r.kind || !namePattern.MatchString(name) {
		return fmt.Errorf("registering component %q: want %s.<name>, the name lowercase letters, digits and _: %w", s.ID, r.kind, sdk.ErrInvalid)
	}
	if s.newConfig == nil || s.build == nil {
		return fmt.Errorf("registering component %q: no config defaults or no constructor (use component.Define): %w", s.ID, sdk.ErrInvalid)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.specs[s.ID]; dup {
		return fmt.Errorf("registering component %q: already registered: %w", s.ID, sdk.ErrInvalid)
	}
	r.specs[s.ID] = s
	return nil
}

// MustRegister is Register that panics on error, for init functions.
func (r *Registry[T, D]) MustRegister(s Spec[T, D]) {
	if err := r.Register(s); err != nil {
		panic(err)
	}
}

// Lookup returns the component registered under id, which may be the full
// ID ("classify.llm") or its name ("llm").
func (r *Registry[T, D]) Lookup(id string) (Spec[T, D], bool) {
	if !strings.HasPrefix(id, r.kind+".") {
		id = r.kind + "." + id
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.specs[id]
	return s, ok
}

// IDs lists the registered IDs, sorted.
func (r *Registry[T, D]) IDs() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.specs))
	for id := range r.specs {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Names lists the registered names (IDs without the kind), sorted: the
// keys of the components' sections in the config file.
func (r *Registry[T, D]) Names() []string {
	ids := r.IDs()
	for i, id := range ids {
		ids[i] = strings.TrimPrefix(id, r.kind+".")
	}
	return ids
}

// Has reports whether name (or a full ID) is registered.
func (r *Registry[T, D]) Has(name string) bool {
	_, ok := r.Lookup(name)
	return ok
}

// Config returns the component's decoded and validated configuration:
// its defaults, overridden by what dec decodes (a nil dec keeps them).
func (r *Registry[T, D]) Config(id string, dec Decoder) (Config, error) {
	s, ok := r.Lookup(id)
	if !ok {
		return nil, r.unknown(id)
	}
	cfg := s.newConfig()
	if dec != nil {
		if err := dec(cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.ID, err)
	}
	return cfg, nil
}

// New decodes and validates the component's config with dec and builds
// it with deps. An unregistered ID is an error wrapping sdk.ErrInvalid
// that lists the registered names.
func (r *Registry[T, D]) New(id string, dec Decoder, deps D) (Named[T], error) {
	cfg, err := r.Config(id, dec)
	if err != nil {
		return Named[T]{}, err
	}
	s, _ := r.Lookup(id)
	impl, err := s.build(cfg, deps)
	if err != nil {
		return Named[T]{}, fmt.Errorf("%s: %w", s.ID, err)
	}
	return Named[T]{ID: s.ID, Impl: impl, Timeout: s.Timeout}, nil
}

// Unknown is the error for an unregistered name: it wraps sdk.ErrInvalid
// and lists the registered names.
func (r *Registry[T, D]) Unknown(id string) error { return r.unknown(id) }

func (r *Registry[T, D]) unknown(id string) error {
	return fmt.Errorf("unknown %s component %q (registered: %s): %w", r.kind, id, strings.Join(r.Names(), ", "), sdk.ErrInvalid)
}
