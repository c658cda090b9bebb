package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heardhq/heard/sdk/sdktest"
)

func TestPluginTest(t *testing.T) {
	good := sdktest.Build(t, "github.com/heardhq/heard/sdk/examples/vip")
	bad := sdktest.Build(t, "./testdata/badplugin")
	broken := filepath.Join(t.TempDir(), "broken.sh")
	if err := os.WriteFile(broken, []byte("#!/bin/sh\necho 'boom: no module named crm' >&2\nexit 1\n"), 0o700); err != nil { //nolint:gosec // G306: a plugin must be executable
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		want     []string // lines or fragments the output must hold
		wantNot  []string
		stderrIs string
	}{
		{name: "conforming plugin", args: []string{good, "--settings", `{"vip_domains": ["bigco.example"]}`}, code: 0,
			want: []string{"ok    launch: vip 1.0.0, protocol 2, kinds classifier", "ok    configure", "ok    health",
				"ok    classifier: predictions are well-formed", "ok    classifier: is safe for concurrent use", "PASS  " + good},
			wantNot: []string{"FAIL"}},
		{name: "settings refused", args: []string{good, "--settings", `{"plans": {"gold": "urgent"}}`}, code: 1,
			want: []string{"FAIL  configure: vip settings: plans.gold:"}, stderrIs: "1 check(s) failed"},
		{name: "contract broken", args: []string{bad}, code: 1,
			want: []string{"FAIL  health: database unreachable", "FAIL  classifier: predictions are well-formed",
				"Confidence 1.5; want 0..1", "empty Reason; every prediction says why", "ok    classifier: does not modify its request"},
			wantNot: []string{"PASS"}, stderrIs: "check(s) failed"},
		{name: "fails to start", args: []string{broken}, code: 1, want: []string{"FAIL  launch:", "boom: no module named crm"}, stderrIs: "failed to start"},
		{name: "not a plugin", args: []string{"/bin/true"}, code: 1, want: []string{"FAIL  launch:"}, stderrIs: "failed to start"},
		{name: "settings not an object", args: []string{good, "--settings", `[1]`}, code: 1, stderrIs: "want a JSON object"},
		{name: "no path", args: nil, code: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(t.Context(), append([]string{"plugin", "test", "--start-timeout", "20s"}, tc.args...), &out, &errOut)
			if code != tc.code {
				t.Errorf("exit %d; want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
			if !strings.Contains(errOut.String(), tc.stderrIs) {
				t.Errorf("stderr %q; want it to contain %q", errOut.String(), tc.stderrIs)
			}
		})
	}
}

// TestPluginTestJSON: --json prints the same checks as a list, and the
// exit status still says whether any failed.
func TestPluginTestJSON(t *testing.T) {
	good := sdktest.Build(t, "github.com/heardhq/heard/sdk/examples/vip")
	bad := sdktest.Build(t, "./testdata/badplugin")
	for _, tc := range []struct {
		path       string
		code       int
		wantOK     string // a check that must be ok
		wantFailed string // a check that must fail ("" none)
	}{
		{good, 0, "classifier: is safe for concurrent use", ""},
		{bad, 1, "classifier: does not modify its request", "classifier: predictions are well-formed"},
	} {
		var out, errOut bytes.Buffer
		code := run(t.Context(), []string{"plugin", "test", tc.path, "--json", "--start-timeout", "20s"}, &out, &errOut)
		if code != tc.code {
			t.Fatalf("%s: exit %d; want %d\n%s%s", tc.path, code, tc.code, out.String(), errOut.String())
		}
		var got []conformanceCheck
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%s: stdout is not a JSON list: %v\n%s", tc.path, err, out.String())
		}
		status := map[string]string{}
		for _, c := range got {
			status[c.Check] = c.Status
			if c.Status == "fail" && c.Detail == "" {
				t.Errorf("%s: failed check %q has no detail", tc.path, c.Check)
			}
		}
		if status["launch"] != "ok" || status[tc.wantOK] != "ok" {
			t.Errorf("%s: launch %q, %q %q; want both ok (%v)", tc.path, status["launch"], tc.wantOK, status[tc.wantOK], got)
		}
		if tc.wantFailed != "" && status[tc.wantFailed] != "fail" {
			t.Errorf("%s: %q is %q; want fail", tc.path, tc.wantFailed, status[tc.wantFailed])
		}
		if tc.wantFailed == "" && strings.Contains(out.String(), `"fail"`) {
			t.Errorf("%s: a check failed:\n%s", tc.path, out.String())
		}
	}
}
