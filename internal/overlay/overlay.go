package overlay

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// FileName is the overlay's file name in the data directory.
const FileName = "console-overlay.yaml"

// Overlay is what the console changed on top of the config file. A key
// that is absent keeps the config's value.
type Overlay struct {
	// Thresholds are gate thresholds by gate name ("priority", "tags",
	// "fields", "note" or a field's own gate), each in [0, 1].
	Thresholds map[string]float64 `yaml:"thresholds,omitempty" json:"thresholds,omitempty"`
	// Modes are connector modes by connector name.
	Modes map[string]config.Mode `yaml:"modes,omitempty" json:"modes,omitempty"`
}

// Validate reports the first problem with o, wrapping sdk.ErrInvalid.
func (o Overlay) Validate() error {
	for name, t := range o.Thresholds {
		if strings.TrimSpace(name) == "" || math.IsNaN(t) || t < 0 || t > 1 {
			return fmt.Errorf("overlay: threshold %q = %v: want a gate name and 0 to 1: %w", name, t, sdk.ErrInvalid)
		}
	}
	for name, m := range o.Modes {
		if strings.TrimSpace(name) == "" || !m.Valid() {
			return fmt.Errorf("overlay: mode %q = %q: want shadow or live: %w", name, m, sdk.ErrInvalid)
		}
	}
	return nil
}

func (o Overlay) clone() Overlay {
	return Overlay{Thresholds: maps.Clone(o.Thresholds), Modes: maps.Clone(o.Modes)}
}

// Load reads the overlay at path; a missing file is an empty overlay.
func Load(path string) (Overlay, error) {
	var o Overlay
	b, err := os.ReadFile(path) //nolint:gosec // the overlay's path is data_dir's, from the operator's config
	if errors.Is(err, fs.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return o, fmt.Errorf("reading the console overlay: %w", err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil && !errors.Is(err, errEOF) {
		return Overlay{}, fmt.Errorf("decoding the console overlay %s: %w: %w", path, err, sdk.ErrInvalid)
	}
	if err := o.Validate(); err != nil {
		return Overlay{}, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// errEOF is what decoding an empty file returns.
var errEOF = func() error {
	var v any
	return yaml.NewDecoder(strings.NewReader("")).Decode(&v)
}()

// Save writes o to path atomically (a temporary file renamed over it).
func Save(path string, o Overlay) error {
	b, err := yaml.Marshal(o)
	if err != nil {
		return fmt.Errorf("encoding the console overlay: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".console-overlay-*")
	if err != nil {
		return fmt.Errorf("writing the console overlay: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	header := "# Written by heard's admin console; changes here apply at the next start.\n"
	if _, err := tmp.WriteString(header + string(b)); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing the console overlay: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing the console overlay: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the console overlay: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing the console overlay: %w", err)
	}
	return nil
}

// Settings holds the current overlay. Changes are serialized, saved to
// the file, then handed to every listener; readers get a copy.
type Settings struct {
	path string
	mu   sync.Mutex
	cur  Overlay
	on   []func(Overlay) error
}

// Open loads the overlay at path (empty when there is none).
func Open(path string) (*Settings, error) {
	o, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Settings{path: path, cur: o}, nil
}

// Path is the overlay file.
func (s *Settings) Path() string { return s.path }

// Current returns a copy of the current overlay.
func (s *Settings) Current() Overlay {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur.clone()
}

// OnChange registers fn, called with the current overlay now (so it starts
// applied) and after every change. An error from the first call is
// returned; a later one fails that change.
func (s *Settings) OnChange(fn func(Overlay) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := fn(s.cur.clone()); err != nil {
		return err
	}
	s.on = append(s.on, fn)
	return nil
}

// SetThreshold sets gate's threshold and returns the overlay's previous
// one (ok false when the overlay had none).
func (s *Settings) SetThreshold(ctx context.Context, gate string, t float64) (old float64, ok bool, err error) {
	err = s.change(ctx, func(o *Overlay) {
		old, ok = o.Thresholds[gate]
		if o.Thresholds == nil {
			o.Thresholds = map[string]float64{}
		}
		o.Thresholds[gate] = t
	})
	return old, ok, err
}

// SetMode sets connector's mode and returns the overlay's previous one
// ("" when the overlay had none).
func (s *Settings) SetMode(ctx context.Context, connector string, m config.Mode) (old config.Mode, err error) {
	err = s.change(ctx, func(o *Overlay) {
		old = o.Modes[connector]
		if o.Modes == nil {
			o.Modes = map[string]config.Mode{}
		}
		o.Modes[connector] = m
	})
	return old, err
}

func (s *Settings) change(ctx context.Context, edit func(*Overlay)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.cur.clone()
	edit(&next)
	if err := next.Validate(); err != nil {
		return err
	}
	for _, fn := range s.on { // check every listener accepts it before saving
		if err := fn(next.clone()); err != nil {
			for _, undo := range s.on {
				_ = undo(s.cur.clone())
			}
			return fmt.Errorf("applying the console overlay: %w", err)
		}
	}
	if err := Save(s.path, next); err != nil {
		for _, undo := range s.on {
			_ = undo(s.cur.clone())
		}
		return err
	}
	s.cur = next
	return nil
}
