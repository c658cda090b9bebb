package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/sdk"
)

// writeSynthCSV writes tickets as a labelled CSV and returns its path.
func writeSynthCSV(t *testing.T, dir, name string, ts []synth.Ticket) string {
	t.Helper()
	var b bytes.Buffer
	if err := synth.WriteCSV(&b, ts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(t.Context(), args, &out, &errOut); code != 0 {
		t.Fatalf("heard %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes()
}

// TestTrainThenEvalModel trains on 2,000 synthetic tickets from five
// businesses with `heard train` and evaluates the model, merged with the
// rules, on 600 newer ones with `heard eval --model`: it must beat the
// rules alone on every headline number and be better calibrated.
func TestTrainThenEvalModel(t *testing.T) {
	dir := t.TempDir()
	ts := synth.Generate(2600, 21)
	trainCSV := writeSynthCSV(t, dir, "train.csv", ts[:2000])
	testCSV := writeSynthCSV(t, dir, "test.csv", ts[2000:])
	model := filepath.Join(dir, "model.bin")

	var rep learned.Report
	if err := json.Unmarshal(runOK(t, "train", "--labels", trainCSV, "--out", model, "--json", "--seed", "3"), &rep); err != nil {
		t.Fatalf("train --json: %v", err)
	}
	if n := rep.TrainExamples + rep.HoldoutExamples; n != 2000 || rep.HoldoutExamples != 300 {
		t.Errorf("train: %d training + %d holdout tickets; want 1700 + 300", rep.TrainExamples, rep.HoldoutExamples)
	}
	b, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != rep.ModelBytes {
		t.Errorf("model file has %d bytes; the report says %d", len(b), rep.ModelBytes)
	}
	fields := map[string]learned.FieldInfo{}
	for _, f := range rep.Fields {
		fields[f.Name] = f
	}
	if p := fields[sdk.FieldPriority].Holdout; p.N != 300 || p.Accuracy < 0.7 {
		t.Errorf("priority holdout: n=%d accuracy %.3f; want 300 and ≥ 0.7", p.N, p.Accuracy)
	}
	if sec := fields[sdk.FieldSecondaryTag]; len(sec.Thresholds) != len(sec.Classes) || len(sec.Classes) != 10 {
		t.Errorf("secondary tags: %d thresholds for %d classes; want 10 each", len(sec.Thresholds), len(sec.Classes))
	}
	if _, ok := fields[sdk.FieldSentiment]; ok || rep.Skipped[sdk.FieldSentiment] == "" {
		t.Errorf("sentiment is not in the CSV: want it skipped with a reason, got skipped %v", rep.Skipped)
	}

	evalJSON := func(args ...string) eval.Report {
		t.Helper()
		var r eval.Report
		if err := json.Unmarshal(runOK(t, append([]string{"eval", "--labels", testCSV, "--json"}, args...)...), &r); err != nil {
			t.Fatalf("eval --json: %v", err)
		}
		if r.N != 600 {
			t.Fatalf("eval: n=%d; want 600", r.N)
		}
		return r
	}
	rules, merged := evalJSON(), evalJSON("--model", model)
	t.Logf("rules: priority %.3f, primary tag %.3f, tag macro-F1 %.3f, ECE %.3f / %.3f", rules.PriorityAccuracy, rules.PrimaryTagAccuracy, rules.TagMacroF1, rules.ECE.Priority, rules.ECE.PrimaryTag)
	t.Logf("rules + model: priority %.3f, primary tag %.3f, tag macro-F1 %.3f, ECE %.3f / %.3f", merged.PriorityAccuracy, merged.PrimaryTagAccuracy, merged.TagMacroF1, merged.ECE.Priority, merged.ECE.PrimaryTag)
	better := []struct {
		name          string
		rules, merged float64
	}{
		{"priority accuracy", rules.PriorityAccuracy, merged.PriorityAccuracy},
		{"primary tag accuracy", rules.PrimaryTagAccuracy, merged.PrimaryTagAccuracy},
		{"tag macro-F1", rules.TagMacroF1, merged.TagMacroF1},
	}
	for _, c := range better {
		if c.merged <= c.rules+0.02 {
			t.Errorf("%s: rules + model %.3f, rules %.3f; want the model to add more than 0.02", c.name, c.merged, c.rules)
		}
	}
	if merged.ECE.Priority >= rules.ECE.Priority || merged.ECE.Priority > 0.1 {
		t.Errorf("priority ECE: rules + model %.3f, rules %.3f; want lower than the rules' and ≤ 0.1", merged.ECE.Priority, rules.ECE.Priority)
	}

	// The JSON report carries the calibration error under "ece".
	var raw map[string]any
	if err := json.Unmarshal(runOK(t, "eval", "--labels", testCSV, "--model", model, "--json"), &raw); err != nil {
		t.Fatal(err)
	}
	if ece, ok := raw["ece"].(map[string]any); !ok || ece["priority"] == nil || ece["primary_tag"] == nil {
		t.Errorf("eval --json: ece = %v; want priority and primary_tag", raw["ece"])
	}
}

func TestTrainAndEvalErrors(t *testing.T) {
	dir := t.TempDir()
	labels := writeSynthCSV(t, dir, "small.csv", synth.Generate(60, 4))
	bad := filepath.Join(dir, "bad.bin")
	if err := os.WriteFile(bad, []byte("not a model"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"train without labels", []string{"train", "--out", filepath.Join(dir, "m.bin")}, 2, "exactly one of --labels"},
		{"train from two sources", []string{"train", "--labels", labels, "--indexed", "--out", filepath.Join(dir, "m.bin")}, 2, "exactly one of"},
		{"train with a bad promotion", []string{"train", "--labels", labels, "--promote", "sometimes"}, 1, "--promote"},
		{"train on missing file", []string{"train", "--labels", filepath.Join(dir, "none.csv"), "--out", filepath.Join(dir, "m.bin")}, 1, "none.csv"},
		{"eval with a corrupt model", []string{"eval", "--labels", labels, "--model", bad}, 1, "invalid model file"},
		{"eval with a missing model", []string{"eval", "--labels", labels, "--model", filepath.Join(dir, "none.bin")}, 1, "reading model"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(t.Context(), tc.args, &out, &out)
			if code != tc.code || !strings.Contains(out.String(), tc.contains) {
				t.Errorf("heard %v = %d, output %q; want %d containing %q", tc.args, code, out.String(), tc.code, tc.contains)
			}
		})
	}
}
