package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/overlay"
)

// gateSwapper is the decide stage's run-time gate (enrich.Decider).
type gateSwapper interface {
	Gate() gate.Config
	SetGate(c gate.Config) error
}

// modeSwapper is the pipeline's run-time connector modes.
type modeSwapper interface {
	SetModes(modes map[string]config.Mode) error
}

// openOverlay opens the console's overlay (overlay.FileName in data_dir)
// and applies it over the config now and after every change: thresholds
// to the decider's gate (the config file's gate underneath), modes to the
// pipeline. The overlay wins over the config file; the mode of a connector
// no longer configured is ignored with a warning.
func openOverlay(dataDir string, connectors map[string]config.Mode, gates gateSwapper, modes modeSwapper, log *slog.Logger) (*overlay.Settings, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data_dir for the console overlay: %w", err)
	}
	s, err := overlay.Open(filepath.Join(dataDir, overlay.FileName))
	if err != nil {
		return nil, err
	}
	var base *gate.Config
	if gates != nil {
		g := gates.Gate()
		base = &g
	}
	err = s.OnChange(func(o overlay.Overlay) error {
		if base != nil {
			if err := gates.SetGate(base.WithThresholds(o.Thresholds)); err != nil {
				return err
			}
		}
		known := map[string]config.Mode{}
		for name, m := range o.Modes {
			if _, ok := connectors[name]; ok {
				known[name] = m
			} else {
				log.Warn("console overlay: mode of a connector that is not configured; ignored", "file", s.Path(), "connector", name)
			}
		}
		if err := modes.SetModes(known); err != nil {
			return err
		}
		if len(o.Thresholds)+len(o.Modes) > 0 {
			log.Info("console overlay applied", "file", s.Path(), "thresholds", o.Thresholds, "modes", o.Modes)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("applying the console overlay %s: %w", s.Path(), err)
	}
	return s, nil
}

// thresholds are the gate thresholds in force, for the console.
func (m *Main) thresholds() map[string]float64 {
	out := map[string]float64{}
	if m.gates == nil {
		return out
	}
	for name, g := range m.gates.Gate().Fields {
		out[name] = g.Threshold
	}
	return out
}
