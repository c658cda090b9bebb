package gate

import (
	"slices"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// Policy tags pass the tags gate with the prefix, take none of the
// taxonomy's slots (two secondary tags still fit), and shadow mode writes
// none of them.
func TestPolicyTag(t *testing.T) {
	preds := []sdk.Prediction{
		pred(sdk.FieldPrimaryTag, "billing", 0.9),
		pred(sdk.FieldSecondaryTag, "refund", 0.8),
		pred(sdk.FieldSecondaryTag, "invoice", 0.7),
		pred(FieldPolicyTag, "chargeable", 1),
		pred(FieldPolicyTag, "vip-account", 1),
		pred(FieldPolicyTag, "low", 0.5), // below the tags gate's 0.60
	}
	cfg := live(func(c *Config) { c.TagPrefix = "heard-" })
	out := Decide(cfg, config.ModeLive, Input{Predictions: preds})
	want := []string{"heard-billing", "heard-refund", "heard-invoice", "heard-chargeable", "heard-vip-account"}
	if !slices.Equal(out.Changes.AddTags, want) {
		t.Errorf("AddTags = %v; want %v", out.Changes.AddTags, want)
	}
	if d := out.Decisions[5]; d.Written || d.Threshold != 0.60 {
		t.Errorf("low-confidence policy tag: %+v; want kept at the tags threshold 0.60", d)
	}
	cfg.Fields[GateTags] = FieldGate{Enabled: false, Threshold: 0.6}
	if out := Decide(cfg, config.ModeLive, Input{Predictions: preds}); len(out.Changes.AddTags) != 0 {
		t.Errorf("tags gate disabled: AddTags = %v; want none", out.Changes.AddTags)
	}
	if out := Decide(live(), config.ModeShadow, Input{Predictions: preds}); len(out.Changes.AddTags) != 0 || !out.Decisions[3].WouldWrite {
		t.Errorf("shadow: AddTags = %v, chargeable decision %+v; want nothing written, would write", out.Changes.AddTags, out.Decisions[3])
	}
}
