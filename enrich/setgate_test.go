package enrich

import (
	"errors"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// The console's overlay swaps the gate in a running decider: the next
// decision is gated by the new threshold without building a new one.
func TestSetGateGatesTheNextDecision(t *testing.T) {
	tr := newDecider(t, nil)
	preds := []sdk.Prediction{p(sdk.FieldPriority, "P1", 0.75)}
	_, before := tr.decide(t.Context(), ticket("pro", "90"), nil, preds, config.ModeLive)
	if before.Priority == nil || *before.Priority != sdk.P1 {
		t.Fatalf("default gate (priority ≥ 0.70): changes %+v; want P1 written at 0.75", before)
	}
	if err := tr.SetGate(tr.Gate().WithThresholds(map[string]float64{"priority": 0.8})); err != nil {
		t.Fatal(err)
	}
	d, after := tr.decide(t.Context(), ticket("pro", "90"), nil, preds, config.ModeLive)
	if after.Priority != nil {
		t.Errorf("after raising priority to 0.80: changes %+v; want priority held", after)
	}
	if len(d.Gate) == 0 || d.Gate[0].Threshold != 0.8 || d.Gate[0].Reason != "below threshold 0.80" {
		t.Errorf("gate decisions %+v; want priority below threshold 0.80", d.Gate)
	}
	if err := tr.SetGate(tr.Gate().WithThresholds(map[string]float64{"priority": 1.5})); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("threshold 1.5: %v; want sdk.ErrInvalid", err)
	}
	if got := tr.Gate().Fields["priority"].Threshold; got != 0.8 {
		t.Errorf("after a refused change the threshold is %v; want 0.80 kept", got)
	}
}
