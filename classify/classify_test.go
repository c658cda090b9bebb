package classify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

func pred(src, field, value string, conf float64) sdk.Prediction {
	return sdk.Prediction{Source: src, Field: field, Value: value, Confidence: conf, Reason: src + " says " + value}
}

func values(ps []sdk.Prediction) string {
	var b []string
	for _, p := range ps {
		b = append(b, fmt.Sprintf("%s=%s@%s", p.Field, p.Value, p.Source))
	}
	return strings.Join(b, " ")
}

func TestMerge(t *testing.T) {
	cases := []struct {
		name     string
		cfg      MergeConfig
		outcomes []Outcome
		want     string
	}{
		{
			name: "highest confidence wins per field",
			cfg:  DefaultMergeConfig(),
			outcomes: []Outcome{
				{Source: "classify.rules", Predictions: []sdk.Prediction{pred("classify.rules", "priority", "P2", 0.6), pred("classify.rules", "sentiment", "angry", 0.9)}},
				{Source: "classify.llm", Predictions: []sdk.Prediction{pred("classify.llm", "priority", "P1", 0.8), pred("classify.llm", "sentiment", "negative", 0.7)}},
			},
			want: "priority=P1@classify.llm sentiment=angry@classify.rules",
		},
		{
			name: "tie goes to the source listed first",
			cfg:  MergeConfig{Sources: []string{"plugin.vip", "classify.rules"}, Rules: []Rule{}},
			outcomes: []Outcome{
				{Predictions: []sdk.Prediction{pred("classify.rules", "priority", "P3", 0.7)}},
				{Predictions: []sdk.Prediction{pred("plugin.vip", "priority", "P1", 0.7)}},
			},
			want: "priority=P1@plugin.vip",
		},
		{
			name: "source order per field ignores confidence",
			cfg:  MergeConfig{Fields: map[string]string{"priority": SourceOrder}, Sources: []string{"plugin.vip", "classify.rules"}, Rules: []Rule{}},
			outcomes: []Outcome{
				{Predictions: []sdk.Prediction{pred("classify.rules", "priority", "P3", 0.95), pred("classify.rules", "sentiment", "neutral", 0.9)}},
				{Predictions: []sdk.Prediction{pred("plugin.vip", "priority", "P1", 0.4), pred("plugin.vip", "sentiment", "angry", 0.5)}},
			},
			want: "priority=P1@plugin.vip sentiment=neutral@classify.rules",
		},
		{
			name: "security signal forces P0 and the security tag",
			cfg:  DefaultMergeConfig(),
			outcomes: []Outcome{{Predictions: []sdk.Prediction{
				pred("classify.rules", "priority", "P2", 0.9), pred("classify.rules", "tag.primary", "bug", 0.8),
				pred("classify.rules", "signal.security", "true", 0.7),
			}}},
			want: "priority=P0@classify.rule.security-signal tag.primary=security@classify.rule.security-signal signal.security=true@classify.rules",
		},
		{
			name:     "a rule can set a field nobody predicted",
			cfg:      DefaultMergeConfig(),
			outcomes: []Outcome{{Predictions: []sdk.Prediction{pred("x", "tag.primary", "security", 0.5)}}},
			want:     "tag.primary=security@classify.rule.security-tag priority=P0@classify.rule.security-tag",
		},
		{
			name: "secondary tags: union, best per tag, primary removed, top two",
			cfg:  DefaultMergeConfig(),
			outcomes: []Outcome{
				{Predictions: []sdk.Prediction{pred("classify.rules", "tag.primary", "billing", 0.9), pred("classify.rules", "tag.secondary", "bug", 0.5), pred("classify.rules", "tag.secondary", "billing", 0.8)}},
				{Predictions: []sdk.Prediction{pred("classify.llm", "tag.secondary", "account", 0.7), pred("classify.llm", "tag.secondary", "bug", 0.6), pred("classify.llm", "tag.secondary", "performance", 0.3)}},
			},
			want: "tag.primary=billing@classify.rules tag.secondary=account@classify.llm tag.secondary=bug@classify.llm",
		},
		{
			name:     "no predictions, nothing merged",
			cfg:      DefaultMergeConfig(),
			outcomes: []Outcome{{Source: "classify.llm", Err: "timeout"}},
			want:     "",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Merge(tc.cfg, tc.outcomes)
			if values(got) != tc.want {
				t.Errorf("Merge = %s\nwant    %s", values(got), tc.want)
			}
			for _, p := range got {
				if p.Reason == "" || p.Confidence < 0 || p.Confidence > 1 {
					t.Errorf("prediction %+v lacks a reason or has a bad confidence", p)
				}
			}
		})
	}
}

func TestMergeReasonsExplainOverrides(t *testing.T) {
	got := Merge(DefaultMergeConfig(), []Outcome{{Predictions: []sdk.Prediction{
		pred("classify.rules", "priority", "P3", 0.9), pred("classify.rules", "signal.security", "true", 0.6),
	}}})
	if !strings.Contains(got[0].Reason, "overrides priority=P3 from classify.rules") || got[0].Confidence != 1 {
		t.Errorf("override reason = %q (conf %v); want it to name what it overrode", got[0].Reason, got[0].Confidence)
	}
}

func TestMergeConfigValidate(t *testing.T) {
	bad := DefaultMergeConfig()
	bad.Policy = "loudest"
	bad.Rules = append(bad.Rules, Rule{Name: "x", Set: map[string]string{"priority": "P9"}})
	err := bad.Validate()
	if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), `"loudest"`) || !strings.Contains(err.Error(), "P9") {
		t.Errorf("Validate = %v; want ErrInvalid naming the policy and the bad priority", err)
	}
	if err := DefaultMergeConfig().Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
}

func TestRunIsolatesFailures(t *testing.T) {
	ok := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: "priority", Value: "P2", Confidence: 0.5, Reason: "r"}, {Field: "priority", Value: "P1", Confidence: 7}}}, nil
	})
	failing := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return nil, errors.New("boom")
	})
	hanging := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		select {} // ignores its context on purpose
	})
	panicking := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		panic("nil map")
	})
	out := Run(t.Context(), []Named{
		{ID: "ok", Impl: ok},
		{ID: "failing", Impl: failing},
		{ID: "hanging", Impl: hanging, Timeout: 50 * time.Millisecond},
		{ID: "panicking", Impl: panicking},
	}, &sdk.ClassifyRequest{Ticket: &sdk.Ticket{}}, nil)
	if len(out) != 4 {
		t.Fatalf("%d outcomes; want 4", len(out))
	}
	if len(out[0].Predictions) != 1 || out[0].Predictions[0].Source != "ok" || out[0].Err != "" {
		t.Errorf("ok outcome = %+v; want one prediction (the out-of-range one dropped) attributed to ok", out[0])
	}
	for i, want := range []string{"", "boom", "timed out", "panicked"} {
		if !strings.Contains(out[i].Err, want) {
			t.Errorf("outcome %s error = %q; want it to contain %q", out[i].Source, out[i].Err, want)
		}
	}
}

func TestEnsemble(t *testing.T) {
	good := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{{Field: "priority", Value: "P3", Confidence: 0.6, Reason: "how-to"}}}, nil
	})
	bad := sdk.ClassifierFunc(func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return nil, errors.New("down")
	})
	var seen []string
	e := &Ensemble{Classifiers: []Named{{ID: "classify.rules", Impl: good}, {ID: "classify.llm", Impl: bad}},
		Merge: DefaultMergeConfig(), OnOutcome: func(o Outcome) { seen = append(seen, o.Source+":"+o.Err) }}
	resp, err := e.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{}})
	if err != nil || len(resp.Predictions) != 1 || resp.Predictions[0].Value != "P3" {
		t.Fatalf("Classify = %+v, %v; want the working classifier's P3", resp, err)
	}
	if strings.Join(seen, ",") != "classify.rules:,classify.llm:down" {
		t.Errorf("outcomes seen %v", seen)
	}
	e.Classifiers = e.Classifiers[1:]
	if _, err := e.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{}}); err == nil || !strings.Contains(err.Error(), "every classifier failed") {
		t.Errorf("all failing: %v; want an error", err)
	}
}

// TestPreferredSourceDecidesOnlyWhereItSpeaks checks that a preferred
// source's prediction wins its field over a more confident one, that a
// field it leaves alone is merged by the policy, and that hard rules
// still override it.
func TestPreferredSourceDecidesOnlyWhereItSpeaks(t *testing.T) {
	cfg := DefaultMergeConfig()
	cfg.Preferred = []string{"classify.learned"}
	outs := []Outcome{
		{Source: "classify.rules", Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: "P1", Confidence: 0.9, Source: "classify.rules"},
			{Field: sdk.FieldPrimaryTag, Value: "bug", Confidence: 0.6, Source: "classify.rules"},
		}},
		{Source: "classify.llm", Predictions: []sdk.Prediction{
			{Field: sdk.FieldPrimaryTag, Value: "how-to", Confidence: 0.8, Source: "classify.llm"},
		}},
		{Source: "classify.learned", Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: "P3", Confidence: 0.7, Source: "classify.learned"},
		}},
	}
	got := map[string]string{}
	for _, p := range Merge(cfg, outs) {
		got[p.Field] = p.Value + "/" + p.Source
	}
	if got[sdk.FieldPriority] != "P3/classify.learned" {
		t.Errorf("priority = %s; want the preferred P3 from classify.learned", got[sdk.FieldPriority])
	}
	if got[sdk.FieldPrimaryTag] != "how-to/classify.llm" {
		t.Errorf("primary tag = %s; want how-to by highest confidence (the preferred source said nothing)", got[sdk.FieldPrimaryTag])
	}
	outs[2].Predictions = append(outs[2].Predictions, sdk.Prediction{Field: sdk.FieldPrimaryTag, Value: "security", Confidence: 0.6, Source: "classify.learned"})
	got = map[string]string{}
	for _, p := range Merge(cfg, outs) {
		got[p.Field] = p.Value
	}
	if got[sdk.FieldPriority] != "P0" || got[sdk.FieldPrimaryTag] != "security" {
		t.Errorf("priority %s, tag %s; want the security hard rule's P0 over the preferred P3", got[sdk.FieldPriority], got[sdk.FieldPrimaryTag])
	}
}
