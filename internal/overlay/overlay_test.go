package overlay_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/overlay"
	"github.com/heardhq/heard/sdk"
)

func TestSettingsSaveApplyAndReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), overlay.FileName)
	s, err := overlay.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var seen []overlay.Overlay
	if err := s.OnChange(func(o overlay.Overlay) error { seen = append(seen, o); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || len(seen[0].Thresholds) != 0 {
		t.Fatalf("OnChange first call %+v; want the empty overlay once", seen)
	}
	if _, had, err := s.SetThreshold(t.Context(), "priority", 0.85); err != nil || had {
		t.Fatalf("SetThreshold: had %v, %v", had, err)
	}
	old, had, err := s.SetThreshold(t.Context(), "priority", 0.9)
	if err != nil || !had || old != 0.85 {
		t.Fatalf("second SetThreshold: old %v had %v err %v; want 0.85", old, had, err)
	}
	if prev, err := s.SetMode(t.Context(), "acme", config.ModeLive); err != nil || prev != "" {
		t.Fatalf("SetMode: %q %v", prev, err)
	}
	if len(seen) != 4 || seen[3].Thresholds["priority"] != 0.9 || seen[3].Modes["acme"] != config.ModeLive {
		t.Errorf("listener saw %+v; want 4 calls ending with priority 0.9 and acme live", seen)
	}
	got, err := overlay.Load(path)
	if err != nil || got.Thresholds["priority"] != 0.9 || got.Modes["acme"] != config.ModeLive {
		t.Errorf("reloaded %+v, %v; want priority 0.9 and acme live", got, err)
	}
}

func TestSettingsRefuseBadValuesAndKeepTheOld(t *testing.T) {
	path := filepath.Join(t.TempDir(), overlay.FileName)
	s, err := overlay.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetThreshold(t.Context(), "tags", 1.2); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("threshold 1.2: %v; want sdk.ErrInvalid", err)
	}
	if _, err := s.SetMode(t.Context(), "acme", "half"); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("mode half: %v; want sdk.ErrInvalid", err)
	}
	// A listener that refuses (e.g. an unknown connector) fails the change.
	if err := s.OnChange(func(o overlay.Overlay) error {
		if _, ok := o.Modes["ghost"]; ok {
			return sdk.ErrInvalid
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetMode(t.Context(), "ghost", config.ModeLive); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("refused by a listener: %v; want its error", err)
	}
	if c := s.Current(); len(c.Modes) != 0 || len(c.Thresholds) != 0 {
		t.Errorf("current %+v after refused changes; want empty", c)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused changes wrote the file: %v", err)
	}
}

func TestLoadRejectsUnknownKeysAndBadValues(t *testing.T) {
	for name, body := range map[string]string{
		"unknown key": "thresholds: {priority: 0.8}\nextra: 1\n",
		"threshold":   "thresholds: {priority: 2}\n",
		"mode":        "modes: {acme: maybe}\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), overlay.FileName)
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := overlay.Load(path); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Load(%q): %v; want sdk.ErrInvalid", body, err)
			}
		})
	}
	empty := filepath.Join(t.TempDir(), overlay.FileName)
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if o, err := overlay.Load(empty); err != nil || len(o.Thresholds) != 0 {
		t.Errorf("empty file: %+v %v; want an empty overlay", o, err)
	}
}
