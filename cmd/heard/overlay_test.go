package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/overlay"
)

type fakeGate struct{ g gate.Config }

func (f *fakeGate) Gate() gate.Config           { return f.g }
func (f *fakeGate) SetGate(c gate.Config) error { f.g = c; return c.Validate() }

type fakeModes struct{ m map[string]config.Mode }

func (f *fakeModes) SetModes(m map[string]config.Mode) error { f.m = m; return nil }

// At start the overlay is laid over the config: its thresholds replace the
// gate's, its modes the connectors'; a connector no longer configured is
// ignored rather than failing the start. Later changes keep the config's
// gate underneath.
func TestOpenOverlayAppliesAtStartAndOnChange(t *testing.T) {
	dir := t.TempDir()
	body := "thresholds: {priority: 0.9}\nmodes: {acme: live, gone: live}\n"
	if err := os.WriteFile(filepath.Join(dir, overlay.FileName), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	g, m := &fakeGate{g: gate.DefaultConfig()}, &fakeModes{}
	s, err := openOverlay(dir, map[string]config.Mode{"acme": config.ModeShadow}, g, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if g.g.Fields["priority"].Threshold != 0.9 || g.g.Fields["tags"].Threshold != 0.6 {
		t.Errorf("gate at start %+v; want priority 0.90 from the overlay, tags 0.60 from the config", g.g.Fields)
	}
	if len(m.m) != 1 || m.m["acme"] != config.ModeLive {
		t.Errorf("modes at start %v; want only acme live", m.m)
	}
	if _, _, err := s.SetThreshold(t.Context(), "tags", 0.75); err != nil {
		t.Fatal(err)
	}
	if g.g.Fields["tags"].Threshold != 0.75 || g.g.Fields["priority"].Threshold != 0.9 || !g.g.Fields["tags"].Enabled {
		t.Errorf("gate after a change %+v; want tags 0.75, priority kept at 0.90", g.g.Fields)
	}
}
