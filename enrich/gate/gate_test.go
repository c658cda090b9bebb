package gate

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

// line summarizes a decision: "field=value written|kept (reason) @threshold".
func line(d Decision) string {
	w := "kept"
	if d.Written {
		w = "written"
	}
	return fmt.Sprintf("%s=%s %s (%s) @%.2f", d.Field, d.Value, w, d.Reason, d.Threshold)
}

func lines(ds []Decision) []string {
	var out []string
	for _, d := range ds {
		out = append(out, line(d))
	}
	return out
}

func pred(field, value string, conf float64) sdk.Prediction {
	return sdk.Prediction{Field: field, Value: value, Confidence: conf}
}

func live(mod ...func(*Config)) Config {
	c := DefaultConfig()
	for _, m := range mod {
		m(&c)
	}
	return c
}

func prio(p sdk.Priority) *sdk.Priority { return &p }

func staticNote(note string) func(bool) string { return func(bool) string { return note } }

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v; want nil", err)
	}
	want := Config{Fields: map[string]FieldGate{
		"priority": {true, 0.70}, "tags": {true, 0.60}, "fields": {true, 0.70}, "note": {true, 0},
	}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("DefaultConfig() = %+v; want %+v", c, want)
	}
}

func TestDecideLive(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		preds       []sdk.Prediction
		note        string
		reply       *Reply
		noteFn      func(replySent bool) string // instead of note
		want        []string
		wantChanges sdk.Changes
	}{
		{name: "priority at threshold", cfg: live(),
			preds:       []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.70)},
			want:        []string{"priority=P1 written (written) @0.70"},
			wantChanges: sdk.Changes{Priority: prio(sdk.P1)}},
		{name: "priority below threshold", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.69)},
			want:  []string{"priority=P1 kept (below threshold 0.70) @0.70"}},
		{name: "priority in lower case is normalized", cfg: live(),
			preds:       []sdk.Prediction{pred(sdk.FieldPriority, "p0", 0.95)},
			want:        []string{"priority=p0 written (written) @0.70"},
			wantChanges: sdk.Changes{Priority: prio(sdk.P0)}},
		{name: "priority not P0 to P3", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "urgent", 0.95)},
			want:  []string{"priority=urgent kept (invalid value) @0.70"}},
		{name: "priority gate disabled", cfg: live(func(c *Config) { c.Fields[GatePriority] = FieldGate{Threshold: 0.7} }),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.99)},
			want:  []string{"priority=P1 kept (disabled) @0.70"}},
		{name: "priority gate missing", cfg: live(func(c *Config) { delete(c.Fields, GatePriority) }),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", 0.99)},
			want:  []string{"priority=P1 kept (no gate) @0.00"}},
		{name: "NaN confidence is below any threshold", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P1", math.NaN())},
			want:  []string{"priority=P1 kept (below threshold 0.70) @0.70"}},
		{name: "most confident priority wins", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P2", 0.80), pred(sdk.FieldPriority, "P1", 0.90)},
			want: []string{"priority=P2 kept (superseded) @0.70",
				"priority=P1 written (written) @0.70"},
			wantChanges: sdk.Changes{Priority: prio(sdk.P1)}},

		{name: "primary tag at threshold", cfg: live(),
			preds:       []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.60)},
			want:        []string{"tag.primary=billing written (written) @0.60"},
			wantChanges: sdk.Changes{AddTags: []string{"billing"}}},
		{name: "primary tag below threshold", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.59)},
			want:  []string{"tag.primary=billing kept (below threshold 0.60) @0.60"}},
		{name: "empty tag", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldSecondaryTag, "  ", 0.9)},
			want:  []string{"tag.secondary=   kept (invalid value) @0.60"}},
		{name: "two secondary tags at most", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldSecondaryTag, "api", 0.7), pred(sdk.FieldSecondaryTag, "bug", 0.9),
				pred(sdk.FieldSecondaryTag, "performance", 0.8)},
			want: []string{"tag.secondary=api kept (superseded) @0.60",
				"tag.secondary=bug written (written) @0.60",
				"tag.secondary=performance written (written) @0.60"},
			wantChanges: sdk.Changes{AddTags: []string{"bug", "performance"}}},
		{name: "one primary tag at most", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPrimaryTag, "bug", 0.7), pred(sdk.FieldPrimaryTag, "billing", 0.7)},
			want: []string{"tag.primary=bug written (written) @0.60",
				"tag.primary=billing kept (superseded) @0.60"},
			wantChanges: sdk.Changes{AddTags: []string{"bug"}}},
		{name: "a tag both primary and secondary is added once", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.9), pred(sdk.FieldSecondaryTag, "billing", 0.8)},
			want: []string{"tag.primary=billing written (written) @0.60",
				"tag.secondary=billing written (written) @0.60"},
			wantChanges: sdk.Changes{AddTags: []string{"billing"}}},
		{name: "tag prefix", cfg: live(func(c *Config) { c.TagPrefix = "heard-" }),
			preds:       []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.9)},
			want:        []string{"tag.primary=billing written (written) @0.60"},
			wantChanges: sdk.Changes{AddTags: []string{"heard-billing"}}},
		{name: "tags gate disabled", cfg: live(func(c *Config) { c.Fields[GateTags] = FieldGate{Threshold: 0.6} }),
			preds: []sdk.Prediction{pred(sdk.FieldPrimaryTag, "billing", 0.9)},
			want:  []string{"tag.primary=billing kept (disabled) @0.60"}},

		{name: "field without a gate is recorded only", cfg: live(),
			preds: []sdk.Prediction{pred(sdk.FieldSentiment, "angry", 0.99), pred(sdk.FieldSignalCancel, "true", 0.99)},
			want: []string{"sentiment=angry kept (no gate) @0.00",
				"signal.cancel=true kept (no gate) @0.00"}},
		{name: "field with its own gate, at the fields threshold", cfg: live(func(c *Config) { c.Fields[sdk.FieldSentiment] = FieldGate{true, 0.5} }),
			preds:       []sdk.Prediction{pred(sdk.FieldSentiment, "angry", 0.70)},
			want:        []string{"sentiment=angry written (written) @0.70"},
			wantChanges: sdk.Changes{Fields: map[string]string{"sentiment": "angry"}}},
		{name: "field with its own gate, below the fields threshold", cfg: live(func(c *Config) { c.Fields[sdk.FieldSentiment] = FieldGate{true, 0.5} }),
			preds: []sdk.Prediction{pred(sdk.FieldSentiment, "angry", 0.69)},
			want:  []string{"sentiment=angry kept (below threshold 0.70) @0.70"}},
		{name: "field whose own threshold is higher", cfg: live(func(c *Config) { c.Fields[sdk.FieldLanguage] = FieldGate{true, 0.9} }),
			preds: []sdk.Prediction{pred(sdk.FieldLanguage, "de", 0.85)},
			want:  []string{"language=de kept (below threshold 0.90) @0.90"}},
		{name: "field gate disabled", cfg: live(func(c *Config) { c.Fields[sdk.FieldLanguage] = FieldGate{false, 0.5} }),
			preds: []sdk.Prediction{pred(sdk.FieldLanguage, "de", 0.95)},
			want:  []string{"language=de kept (disabled) @0.70"}},
		{name: "fields gate disabled", cfg: live(func(c *Config) {
			c.Fields[sdk.FieldLanguage] = FieldGate{true, 0.5}
			c.Fields[GateFields] = FieldGate{false, 0.7}
		}),
			preds: []sdk.Prediction{pred(sdk.FieldLanguage, "de", 0.95)},
			want:  []string{"language=de kept (disabled) @0.70"}},
		{name: "no fields gate: the field's own gate alone", cfg: live(func(c *Config) {
			c.Fields[sdk.FieldProductArea] = FieldGate{true, 0.5}
			delete(c.Fields, GateFields)
		}),
			preds:       []sdk.Prediction{pred(sdk.FieldProductArea, " api ", 0.55)},
			want:        []string{"product_area= api  written (written) @0.50"},
			wantChanges: sdk.Changes{Fields: map[string]string{"product_area": "api"}}},
		{name: "most confident field value wins", cfg: live(func(c *Config) { c.Fields[sdk.FieldLanguage] = FieldGate{true, 0} }),
			preds: []sdk.Prediction{pred(sdk.FieldLanguage, "de", 0.8), pred(sdk.FieldLanguage, "en", 0.9)},
			want: []string{"language=de kept (superseded) @0.70",
				"language=en written (written) @0.70"},
			wantChanges: sdk.Changes{Fields: map[string]string{"language": "en"}}},
		{name: "reserved gate names are not fields", cfg: live(),
			preds: []sdk.Prediction{pred("tags", "x", 1), pred("fields", "x", 1), pred("note", "x", 1), pred("", "x", 1)},
			want: []string{"tags=x kept (no gate) @0.00", "fields=x kept (no gate) @0.00",
				"note=x kept (no gate) @0.00", "=x kept (no gate) @0.00"}},

		{name: "note written with its fingerprint", cfg: live(),
			note:        "heard: P1, billing",
			want:        []string{"note=heard: P1, billing written (written) @0.00"},
			wantChanges: sdk.Changes{InternalNote: "heard: P1, billing", Fingerprint: "fp-1"}},
		{name: "note gate disabled", cfg: live(func(c *Config) { c.Fields[GateNote] = FieldGate{} }),
			note: "n",
			want: []string{"note=n kept (disabled) @0.00"}},
		{name: "note gate missing", cfg: live(func(c *Config) { delete(c.Fields, GateNote) }),
			note: "n",
			want: []string{"note=n kept (no gate) @0.00"}},
		{name: "no note, no decision", cfg: live(),
			preds:       []sdk.Prediction{pred(sdk.FieldPriority, "P3", 0.8)},
			want:        []string{"priority=P3 written (written) @0.70"},
			wantChanges: sdk.Changes{Priority: prio(sdk.P3)}},
		{name: "allowed reply is written", cfg: live(),
			reply:       &Reply{Text: "Hi", Allowed: true, Confidence: 0.95, Threshold: 0.9},
			want:        []string{"public_reply=Hi written (written) @0.90"},
			wantChanges: sdk.Changes{PublicReply: "Hi"}},
		{name: "reply the policy did not allow", cfg: live(),
			reply: &Reply{Text: "Hi", Confidence: 0.5, Threshold: 0.9},
			want:  []string{"public_reply=Hi kept (not allowed) @0.90"}},
		{name: "the note is rendered knowing the reply is sent", cfg: live(),
			reply:       &Reply{Text: "Hi", Allowed: true},
			want:        []string{"note=reply sent written (written) @0.00", "public_reply=Hi written (written) @0.00"},
			wantChanges: sdk.Changes{InternalNote: "reply sent", Fingerprint: "fp-1", PublicReply: "Hi"},
			noteFn: func(sent bool) string {
				if sent {
					return "reply sent"
				}
				return "reply kept"
			}},
		{name: "everything at once", cfg: live(func(c *Config) { c.Fields[sdk.FieldSentiment] = FieldGate{true, 0.7} }),
			preds: []sdk.Prediction{pred(sdk.FieldPriority, "P2", 0.9), pred(sdk.FieldPrimaryTag, "bug", 0.8),
				pred(sdk.FieldSecondaryTag, "api", 0.65), pred(sdk.FieldSentiment, "negative", 0.75), pred(sdk.FieldLanguage, "en", 1)},
			note: "note",
			want: []string{"priority=P2 written (written) @0.70", "tag.primary=bug written (written) @0.60",
				"tag.secondary=api written (written) @0.60", "sentiment=negative written (written) @0.70",
				"language=en kept (no gate) @0.00", "note=note written (written) @0.00"},
			wantChanges: sdk.Changes{Priority: prio(sdk.P2), AddTags: []string{"bug", "api"},
				Fields: map[string]string{"sentiment": "negative"}, InternalNote: "note", Fingerprint: "fp-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Predictions: tc.preds, Note: staticNote(tc.note), Fingerprint: "fp-1", Reply: tc.reply}
			if tc.noteFn != nil {
				in.Note = tc.noteFn
			}
			got := Decide(tc.cfg, config.ModeLive, in)
			if g := lines(got.Decisions); !slices.Equal(g, tc.want) {
				t.Errorf("decisions =\n%q\nwant\n%q", g, tc.want)
			}
			if !reflect.DeepEqual(got.Changes, tc.wantChanges) {
				t.Errorf("changes = %s; want %s", fmtChanges(got.Changes), fmtChanges(tc.wantChanges))
			}
			for _, d := range got.Decisions {
				if d.WouldWrite != d.Written {
					t.Errorf("%s: would write %v but written %v; want equal in live mode", d.Field, d.WouldWrite, d.Written)
				}
			}
		})
	}
}

func fmtChanges(c sdk.Changes) string {
	p := "<nil>"
	if c.Priority != nil {
		p = string(*c.Priority)
	}
	return fmt.Sprintf("{Priority:%s AddTags:%q Fields:%v Note:%q Fingerprint:%q Reply:%q}", p, c.AddTags, c.Fields, c.InternalNote, c.Fingerprint, c.PublicReply)
}

func TestDecideShadow(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Fields[sdk.FieldSentiment] = FieldGate{true, 0.7}
	preds := []sdk.Prediction{
		pred(sdk.FieldPriority, "P1", 0.9),
		pred(sdk.FieldPriority, "P2", 0.5),
		pred(sdk.FieldPrimaryTag, "billing", 0.8),
		pred(sdk.FieldSentiment, "angry", 0.95),
		pred(sdk.FieldLanguage, "en", 1),
	}
	sawSent := true
	note := func(sent bool) string { sawSent = sent; return "the note" }
	got := Decide(cfg, config.ModeShadow, Input{Predictions: preds, Note: note, Fingerprint: "fp-1",
		Reply: &Reply{Text: "Hi", Allowed: true, Confidence: 0.8, Threshold: 0.7}})
	if sawSent {
		t.Error("the note was told the reply is sent; want not sent in shadow mode")
	}
	if !reflect.DeepEqual(got.Changes, sdk.Changes{}) {
		t.Errorf("changes = %s; want none in shadow mode", fmtChanges(got.Changes))
	}
	wantWould := []bool{true, false, true, true, false, true, true}
	if len(got.Decisions) != len(wantWould) {
		t.Fatalf("decisions = %q; want %d", lines(got.Decisions), len(wantWould))
	}
	for i, d := range got.Decisions {
		t.Run(d.Field+"="+d.Value, func(t *testing.T) {
			if d.Written || d.Reason != ReasonShadow {
				t.Errorf("written, reason = %v, %q; want false, %q", d.Written, d.Reason, ReasonShadow)
			}
			if d.WouldWrite != wantWould[i] {
				t.Errorf("would write = %v; want %v", d.WouldWrite, wantWould[i])
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(c *Config)
		wantErr bool
	}{
		{name: "default", change: func(*Config) {}},
		{name: "own gate for a field", change: func(c *Config) { c.Fields["language"] = FieldGate{true, 1} }},
		{name: "threshold above 1", change: func(c *Config) { c.Fields[GateTags] = FieldGate{true, 1.2} }, wantErr: true},
		{name: "negative threshold", change: func(c *Config) { c.Fields[GateTags] = FieldGate{true, -0.1} }, wantErr: true},
		{name: "NaN threshold", change: func(c *Config) { c.Fields[GateTags] = FieldGate{true, math.NaN()} }, wantErr: true},
		{name: "empty gate name", change: func(c *Config) { c.Fields[""] = FieldGate{} }, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.change(&c)
			err := c.Validate()
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("Validate() = %v; want error %v", err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Validate() = %v; want it to wrap sdk.ErrInvalid", err)
			}
		})
	}
}

func TestFieldGateYAMLDefaultsToEnabled(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want FieldGate
	}{
		{"threshold only", "threshold: 0.8", FieldGate{Enabled: true, Threshold: 0.8}},
		{"explicitly off", "enabled: false\nthreshold: 0.8", FieldGate{Enabled: false, Threshold: 0.8}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var g FieldGate
			if err := yaml.Unmarshal([]byte(tc.in), &g); err != nil {
				t.Fatal(err)
			}
			if g != tc.want {
				t.Errorf("decoded %+v; want %+v", g, tc.want)
			}
		})
	}
}
