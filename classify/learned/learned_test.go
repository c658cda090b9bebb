package learned_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/classify/rules"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

var fixedNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// split generates n tickets and returns the oldest 80% as training
// examples and the newest 20% as an evaluation set.
func split(n int, seed uint64) ([]learned.Example, []eval.Example) {
	ts := synth.Generate(n, seed)
	cut := n * 8 / 10
	var train []learned.Example
	for _, t := range ts[:cut] {
		train = append(train, learned.Example{Subject: t.Subject, Body: t.Body, Priority: t.Priority, Tags: t.Tags, Sentiment: t.Sentiment, At: t.At})
	}
	var test []eval.Example
	for i, t := range ts[cut:] {
		pr, _ := sdk.ParsePriority(t.Priority)
		test = append(test, eval.Example{Line: i + 2, Subject: t.Subject, Body: t.Body, Priority: pr, Tags: t.Tags})
	}
	return train, test
}

// trainedModel is a model trained with the defaults on 4,800 tickets from
// every business, and the 1,200 newer ones to evaluate it on; trained once
// for the tests that need a realistic model.
var trainedModel = sync.OnceValues(func() (trained, error) {
	train, test := split(6000, 1)
	m, rep, err := learned.Train(context.Background(), train, learned.TrainConfig{Seed: 7, Now: fixedNow})
	return trained{m, rep, test}, err
})

type trained struct {
	m    *learned.Model
	rep  *learned.Report
	test []eval.Example
}

func realistic(t *testing.T) trained {
	t.Helper()
	tr, err := trainedModel()
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	return tr
}

func TestBeatsRulesAndIsCalibrated(t *testing.T) {
	t.Parallel()
	tr := realistic(t)
	m, rep, test := tr.m, tr.rep, tr.test
	c, err := learned.NewClassifier(m)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := rules.New(rules.Config{})
	if err != nil {
		t.Fatal(err)
	}
	lr, err := eval.Run(t.Context(), c, test, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rr, err := eval.Run(t.Context(), rc, test, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held out %d: priority accuracy rules %.3f learned %.3f; primary tag rules %.3f learned %.3f; tag macro-F1 rules %.3f learned %.3f; ECE learned %.3f / %.3f rules %.3f / %.3f; rows %d, %d bytes",
		len(test), rr.PriorityAccuracy, lr.PriorityAccuracy, rr.PrimaryTagAccuracy, lr.PrimaryTagAccuracy, rr.TagMacroF1, lr.TagMacroF1,
		lr.ECE.Priority, lr.ECE.PrimaryTag, rr.ECE.Priority, rr.ECE.PrimaryTag, rep.Rows, rep.ModelBytes)
	for _, f := range rep.Fields {
		t.Logf("%s: holdout n=%d acc=%.3f macroF1=%.3f ECE=%.3f T=%.2f epochs=%d thresholds=%v", f.Name, f.Holdout.N, f.Holdout.Accuracy, f.Holdout.MacroF1, f.Holdout.ECE, f.Temperature, f.Epochs, f.Thresholds)
	}
	if lr.PriorityAccuracy <= rr.PriorityAccuracy {
		t.Errorf("priority accuracy: learned %.3f, rules %.3f; want learned higher", lr.PriorityAccuracy, rr.PriorityAccuracy)
	}
	if lr.PrimaryTagAccuracy <= rr.PrimaryTagAccuracy {
		t.Errorf("primary tag accuracy: learned %.3f, rules %.3f; want learned higher", lr.PrimaryTagAccuracy, rr.PrimaryTagAccuracy)
	}
	if lr.TagMacroF1 <= rr.TagMacroF1 {
		t.Errorf("tag macro-F1 (primary and secondary tags): learned %.3f, rules %.3f; want learned higher", lr.TagMacroF1, rr.TagMacroF1)
	}
	if lr.ECE.Priority >= 0.05 || lr.ECE.PrimaryTag >= 0.05 {
		t.Errorf("ECE priority %.3f, primary tag %.3f; want both < 0.05", lr.ECE.Priority, lr.ECE.PrimaryTag)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	train, _ := split(800, 2)
	cfg := learned.TrainConfig{Seed: 3, Now: fixedNow, Epochs: 3}
	marshal := func(cfg learned.TrainConfig) []byte {
		m, _, err := learned.Train(t.Context(), train, cfg)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b1, b2 := marshal(cfg), marshal(cfg)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("same data and seed gave different models (%d vs %d bytes)", len(b1), len(b2))
	}
	cfg.Seed = 4
	if b3 := marshal(cfg); bytes.Equal(b1, b3) {
		t.Errorf("another seed gave the same model")
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tr := realistic(t)
	b1, err := tr.m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := learned.Unmarshal(b1)
	if err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if b, _ := loaded.Marshal(); !bytes.Equal(b, b1) {
		t.Errorf("Marshal(Unmarshal(b)) != b")
	}
	for _, ex := range tr.test[:200] {
		a, b := tr.m.Predict(ex.Subject, ex.Body), loaded.Predict(ex.Subject, ex.Body)
		for i := range a {
			for k := range a[i].Probs {
				if a[i].Probs[k] != b[i].Probs[k] {
					t.Fatalf("line %d %s %s: p=%v before, %v after the round trip", ex.Line, a[i].Field, a[i].Classes[k], a[i].Probs[k], b[i].Probs[k])
				}
			}
			if a[i].Threshold(0) != b[i].Threshold(0) {
				t.Fatalf("%s: threshold %v before, %v after the round trip", a[i].Field, a[i].Threshold(0), b[i].Threshold(0))
			}
		}
	}
}

func TestUnmarshalRejects(t *testing.T) {
	t.Parallel()
	train, _ := split(400, 5)
	m, _, err := learned.Train(t.Context(), train, learned.TrainConfig{Seed: 1, Now: fixedNow, Epochs: 1, Bits: 12})
	if err != nil {
		t.Fatal(err)
	}
	good, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not gzip", []byte("hello")},
		{"truncated", good[:len(good)/2]},
		{"flipped byte", flip(good, len(good)/2)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := learned.Unmarshal(tc.data); !errors.Is(err, learned.ErrModel) || !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("Unmarshal = %v; want ErrModel wrapping sdk.ErrInvalid", err)
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	return c
}

func TestUnknownLabels(t *testing.T) {
	t.Parallel()
	train, _ := split(400, 6)
	train[0].Tags = []string{"shipping", "bug"}
	train[1].Tags = []string{"shipping"}
	train[2].Tags = []string{"bug", "returns"}
	train[3].Sentiment = "ecstatic"
	cases := []struct {
		name  string
		add   bool
		class bool
	}{{"skipped", false, false}, {"added", true, true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, rep, err := learned.Train(t.Context(), train, learned.TrainConfig{Seed: 1, Now: fixedNow, Epochs: 1, Bits: 12, AddUnknownLabels: tc.add})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]map[string]int{
				sdk.FieldPrimaryTag:   {"shipping": 2},
				sdk.FieldSecondaryTag: {"returns": 1},
				sdk.FieldSentiment:    {"ecstatic": 1},
			}
			for f, vs := range want {
				for v, n := range vs {
					if got := rep.Unknown[f][v]; got != n {
						t.Errorf("Unknown[%s][%s] = %d; want %d (report %v)", f, v, got, n, rep.Unknown)
					}
				}
			}
			has := false
			for _, f := range m.Metadata().Fields {
				if f.Name == sdk.FieldPrimaryTag {
					for _, c := range f.Classes {
						has = has || c == "shipping"
					}
				}
			}
			if has != tc.class {
				t.Errorf("primary tag classes include shipping = %v; want %v", has, tc.class)
			}
		})
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	train, _ := split(600, 8)
	m, _, err := learned.Train(t.Context(), train, learned.TrainConfig{Seed: 1, Now: fixedNow, Epochs: 2, Bits: 14})
	if err != nil {
		t.Fatal(err)
	}
	c, err := learned.NewClassifier(m)
	if err != nil {
		t.Fatal(err)
	}
	sdktest.TestClassifier(t, c)
	g, err := learned.NewGated(c, learned.MergePolicy{})
	if err != nil {
		t.Fatal(err)
	}
	sdktest.TestClassifier(t, g)
}

func TestDefaultTagsMatchRules(t *testing.T) {
	t.Parallel()
	var want []string
	for _, tg := range rules.DefaultTaxonomy() {
		want = append(want, tg.Name)
	}
	got := learned.DefaultTags()
	if len(got) != len(want) {
		t.Fatalf("DefaultTags = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("DefaultTags = %v; want %v", got, want)
		}
	}
}

func TestSecondaryTags(t *testing.T) {
	t.Parallel()
	tr := realistic(t)
	var sec learned.FieldInfo
	for _, f := range tr.m.Metadata().Fields {
		if f.Name == sdk.FieldSecondaryTag {
			sec = f
		}
	}
	if len(sec.Thresholds) != len(sec.Classes) {
		t.Fatalf("secondary tags: %d thresholds for %d classes", len(sec.Thresholds), len(sec.Classes))
	}
	c, err := learned.NewClassifier(tr.m)
	if err != nil {
		t.Fatal(err)
	}
	predicted := 0
	for _, ex := range tr.test {
		resp, err := c.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: ex.Subject, Messages: []sdk.Message{{Body: ex.Body}}}})
		if err != nil {
			t.Fatal(err)
		}
		primary, n := "", 0
		for _, p := range resp.Predictions {
			switch p.Field {
			case sdk.FieldPrimaryTag:
				primary = p.Value
			case sdk.FieldSecondaryTag:
				n++
				if p.Value == primary {
					t.Errorf("line %d: secondary tag %s equals the primary", ex.Line, p.Value)
				}
				if th := sec.Thresholds[slices.Index(sec.Classes, p.Value)]; p.Confidence < th {
					t.Errorf("line %d: secondary tag %s at p=%.2f, below its threshold %.2f", ex.Line, p.Value, p.Confidence, th)
				}
			}
		}
		if n > 2 {
			t.Errorf("line %d: %d secondary tags; want at most 2", ex.Line, n)
		}
		predicted += n
	}
	if predicted == 0 {
		t.Errorf("no secondary tag predicted on %d tickets", len(tr.test))
	}
}
