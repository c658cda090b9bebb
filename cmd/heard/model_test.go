package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// runModel runs `heard model args... --config cfg` and returns the exit
// code and output.
func runModel(t *testing.T, cfg string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(t.Context(), append(append([]string{"model"}, args...), "--config", cfg), &out, &out)
	return code, out.String()
}

func TestModelCommands(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		cfgPath := testConfig(t, dbURL, "")
		cfg, err := config.Load(cfgPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := openStore(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()

		if code, out := runModel(t, cfgPath, "list"); code != 0 || !strings.Contains(out, "no classifier models") {
			t.Fatalf("list on an empty store = %d %q; want 0, no classifier models", code, out)
		}
		metas := []string{
			`{"metrics":{"priority":{"accuracy":0.71},"tag":{"primary":{"accuracy":0.64}}},"ece":0.052}`,
			`{"metrics":{"priority":{"accuracy":0.78}}}`,
		}
		var vs []int64
		for i, meta := range metas {
			v, err := st.SaveModel(t.Context(), store.ModelVersion{Kind: store.ModelClassifier, Meta: json.RawMessage(meta), Blob: bytes.Repeat([]byte("m"), 2048*(i+1))})
			if err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		v1, v2 := strconv.FormatInt(vs[0], 10), strconv.FormatInt(vs[1], 10)

		code, out := runModel(t, cfgPath, "list")
		if code != 0 {
			t.Fatalf("list = %d %q", code, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.Contains(lines[0], "PRIORITY ACC") || !strings.Contains(lines[0], "ECE") {
			t.Fatalf("list printed %q; want a header and two rows", out)
		}
		// Newest first; metrics that are missing show as "-".
		if f := strings.Fields(lines[1]); f[0] != v2 || f[1] != "candidate" || !strings.Contains(lines[1], "4.0 KiB") || !strings.Contains(lines[1], "0.78") || dashes(f) != 3 {
			t.Errorf("row of %s = %q; want candidate, 4.0 KiB, 0.78 and - for the rest", v2, lines[1])
		}
		for _, want := range []string{v1, "0.71", "0.64", "0.052", "2.0 KiB"} {
			if !strings.Contains(lines[2], want) {
				t.Errorf("row of %s = %q; want it to contain %q", v1, lines[2], want)
			}
		}

		if code, out := runModel(t, cfgPath, "promote", v1); code != 0 || !strings.Contains(out, "model "+v1+" is now current") {
			t.Fatalf("promote %s = %d %q", v1, code, out)
		}
		code, out = runModel(t, cfgPath, "promote", v2, "--json")
		var ch modelChange
		if code != 0 || json.Unmarshal([]byte(out), &ch) != nil || ch.Current != vs[1] || ch.Previous != vs[0] {
			t.Fatalf("promote %s --json = %d %q; want current %s, previous %s", v2, code, out, v2, v1)
		}
		if v, _ := st.CurrentModelVersion(t.Context(), store.ModelClassifier); v != vs[1] {
			t.Fatalf("after promote the store's current model = %d; want %s", v, v2)
		}

		code, out = runModel(t, cfgPath, "show", v2)
		if code != 0 || !strings.Contains(out, "status:    current") || !strings.Contains(out, `"accuracy": 0.78`) {
			t.Errorf("show %s = %d %q; want status current and the indented meta", v2, code, out)
		}
		code, out = runModel(t, cfgPath, "list", "--json")
		var listed []store.ModelVersion
		if code != 0 || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 2 || listed[0].Status != "current" || listed[1].Status != "retired" {
			t.Errorf("list --json = %d %q; want %s current, %s retired", code, out, v2, v1)
		}

		if code, out := runModel(t, cfgPath, "rollback"); code != 0 || !strings.Contains(out, "model "+v1+" is current again (model "+v2+" retired)") {
			t.Fatalf("rollback = %d %q", code, out)
		}
		if v, _ := st.CurrentModelVersion(t.Context(), store.ModelClassifier); v != vs[0] {
			t.Fatalf("after rollback the store's current model = %d; want %s", v, v1)
		}
		if code, out := runModel(t, cfgPath, "rollback"); code != 1 || !strings.Contains(out, "no previously current model") {
			t.Errorf("second rollback = %d %q; want 1, no previously current model", code, out)
		}
		if code, out := runModel(t, cfgPath, "show", "9999"); code != 1 || !strings.Contains(out, "not found") {
			t.Errorf("show 9999 = %d %q; want 1, not found", code, out)
		}
		if code, out := runModel(t, cfgPath, "promote", "9999"); code != 1 || !strings.Contains(out, "not found") {
			t.Errorf("promote 9999 = %d %q; want 1, not found", code, out)
		}
	})
}

// dashes counts the fields that are "-" (not promoted, missing metrics).
func dashes(fields []string) int {
	n := 0
	for _, f := range fields {
		if f == "-" {
			n++
		}
	}
	return n
}

func TestModelUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"model"}, 2, "model list"},
		{"unknown subcommand", []string{"model", "frob"}, 2, `unknown command "frob"`},
		{"show without version", []string{"model", "show"}, 2, "Usage"},
		{"promote two versions", []string{"model", "promote", "1", "2"}, 2, "Usage"},
		{"version not a number", []string{"model", "promote", "abc"}, 1, `"abc" is not a positive number`},
		{"help", []string{"model", "list", "--help"}, 0, "--kind kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(t.Context(), tc.args, &out, &out)
			if code != tc.code || !strings.Contains(out.String(), tc.want) {
				t.Errorf("run(%v) = %d %q; want %d containing %q", tc.args, code, out.String(), tc.code, tc.want)
			}
		})
	}
}

func TestMetric(t *testing.T) {
	meta := json.RawMessage(`{"metrics":{"priority":{"accuracy":0.8},"tag.primary":{"accuracy":0.5}},"ece":0.03,"name":"x"}`)
	cases := []struct{ path, want string }{
		{"metrics.priority.accuracy", "0.8"},
		{"metrics.tag.primary.accuracy", "0.5"}, // a key with a dot in it
		{"ece", "0.03"},
		{"name", "-"}, // not a number
		{"metrics.missing", "-"},
	}
	for _, tc := range cases {
		if got := metric(meta, tc.path); got != tc.want {
			t.Errorf("metric(%s) = %q; want %q", tc.path, got, tc.want)
		}
	}
	if got := metric(json.RawMessage(`not json`), "ece"); got != "-" {
		t.Errorf("metric(bad json) = %q; want -", got)
	}
}
