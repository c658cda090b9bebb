package enrich

import (
	"slices"
	"testing"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/sdk"
)

func TestHoldsUseTheClosedReasons(t *testing.T) {
	cfg := gate.Config{Fields: map[string]gate.FieldGate{
		gate.GatePriority: {Enabled: true, Threshold: 0.7},
		gate.GateTags:     {Enabled: true, Threshold: 0.5},
		"csat":            {Enabled: false, Threshold: 0.5},
	}}
	preds := []sdk.Prediction{
		{Field: sdk.FieldPriority, Value: "P1", Confidence: 0.9},        // written
		{Field: sdk.FieldPriority, Value: "P9", Confidence: 0.95},       // invalid
		{Field: sdk.FieldPrimaryTag, Value: "billing", Confidence: 0.4}, // below threshold
		{Field: sdk.FieldSecondaryTag, Value: "a", Confidence: 0.9},     // written
		{Field: sdk.FieldSecondaryTag, Value: "b", Confidence: 0.8},     // written
		{Field: sdk.FieldSecondaryTag, Value: "c", Confidence: 0.6},     // superseded: two slots
		{Field: "csat", Value: "good", Confidence: 0.9},                 // disabled
		{Field: sdk.FieldSignalCancel, Value: "true", Confidence: 0.9},  // no gate: not a hold
	}
	judged := gate.Judge(cfg, preds)
	tests := []struct {
		mode config.Mode
		want []pipeline.Hold
	}{
		{config.ModeLive, []pipeline.Hold{
			{Field: sdk.FieldPriority, Reason: pipeline.HoldInvalid},
			{Field: sdk.FieldPrimaryTag, Reason: pipeline.HoldBelowThreshold},
			{Field: sdk.FieldSecondaryTag, Reason: pipeline.HoldSuperseded},
			{Field: "csat", Reason: pipeline.HoldDisabled},
		}},
		{config.ModeShadow, []pipeline.Hold{
			{Field: sdk.FieldPriority, Reason: pipeline.HoldShadow},
			{Field: sdk.FieldPriority, Reason: pipeline.HoldInvalid},
			{Field: sdk.FieldPrimaryTag, Reason: pipeline.HoldBelowThreshold},
			{Field: sdk.FieldSecondaryTag, Reason: pipeline.HoldShadow},
			{Field: sdk.FieldSecondaryTag, Reason: pipeline.HoldShadow},
			{Field: sdk.FieldSecondaryTag, Reason: pipeline.HoldSuperseded},
			{Field: "csat", Reason: pipeline.HoldDisabled},
		}},
	}
	for _, tt := range tests {
		if got := holds(judged, tt.mode); !slices.Equal(got, tt.want) {
			t.Errorf("%s: holds = %v; want %v", tt.mode, got, tt.want)
		}
	}
}
