package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/sdk"
)

var (
	buildOnce sync.Once
	binPath   string
	errBuild  error
)

// heardBinary builds cmd/heard once per test run: the demo runs the real
// heard as a child process.
func heardBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "heard-bin-") //nolint:usetesting // shared by every test in the run, outliving any one test
		if err != nil {
			errBuild = err
			return
		}
		binPath = filepath.Join(dir, "heard")
		out, err := exec.Command("go", "build", "-o", binPath, "../heard").CombinedOutput()
		if err != nil {
			errBuild = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if errBuild != nil {
		t.Fatal(errBuild)
	}
	return binPath
}

func TestCommandLine(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"no args prints usage", nil, 2, "Commands:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "demo"},
		{"demo help", []string{"demo", "--help"}, 0, "--heard-bin"},
		{"serve help", []string{"serve", "--help"}, 0, "--auto-reply"},
		{"bad flag", []string{"serve", "--nope"}, 2, "unknown flag: --nope"},
		{"missing heard binary", []string{"demo", "--heard-bin", "/nonexistent/heard"}, 1, "/nonexistent/heard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(t.Context(), tc.args, &out, &out)
			if code != tc.code || !strings.Contains(out.String(), tc.contains) {
				t.Errorf("run(%v) = %d, output %q; want %d containing %q", tc.args, code, out.String(), tc.code, tc.contains)
			}
		})
	}
}

func TestDemoJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"demo", "--json", "--heard-bin", heardBinary(t)}, &out, &errOut); code != 0 {
		t.Fatalf("demo exit %d: %s %s", code, out.String(), errOut.String())
	}
	var results []map[string]any
	if err := json.Unmarshal(out.Bytes(), &results); err != nil {
		t.Fatalf("demo --json output is not a JSON array: %v\n%s", err, out.String())
	}
	if len(results) < 12 {
		t.Fatalf("%d tickets; want at least 12", len(results))
	}
	vendors := map[string]bool{}
	for _, r := range results {
		for _, k := range []string{"vendor", "ticket_id", "priority", "tags", "sentiment", "churn_score", "churn_level",
			"first_response_due", "route", "escalation", "kb_matches", "draft", "draft_score", "written"} {
			if _, ok := r[k]; !ok {
				t.Errorf("ticket %v lacks key %q", r["ticket_id"], k)
			}
		}
		vendors[fmt.Sprint(r["vendor"])] = true
		if score, _ := r["draft_score"].(float64); score < 8 || r["draft"] == "" {
			t.Errorf("%v ticket %v: draft scored %v; want a HEARD draft of 8/10 or more", r["vendor"], r["ticket_id"], r["draft_score"])
		}
		if ms, _ := r["kb_matches"].([]any); len(ms) == 0 && r["vendor"] == "intercom" && strings.Contains(fmt.Sprint(r["ticket_id"]), "1003") {
			t.Errorf("the double-charge ticket got no knowledge-base match")
		}
		w, _ := r["written"].(map[string]any)
		note, _ := w["note"].(string)
		if !strings.Contains(note, "heard triage") {
			t.Errorf("%v ticket %v: the help desk shows no heard note (written = %v)", r["vendor"], r["ticket_id"], w)
		}
		// What the JSON says heard decided is what the help desk received.
		if want := fmt.Sprintf("heard triage · %v", r["priority"]); !strings.Contains(note, want) {
			t.Errorf("%v ticket %v: note lacks %q", r["vendor"], r["ticket_id"], want)
		}
		if ms, _ := r["kb_matches"].([]any); len(ms) > 0 {
			for _, m := range ms {
				mm, _ := m.(map[string]any)
				if u := fmt.Sprint(mm["url"]); !strings.Contains(note, u) {
					t.Errorf("%v ticket %v: matched article %s missing from the note", r["vendor"], r["ticket_id"], u)
				}
			}
		}
		if d, _ := r["draft"].(string); d != "" && !strings.Contains(stripTags(note), strings.SplitN(d, "\n", 2)[0]) {
			t.Errorf("%v ticket %v: the draft's first line is not in the note", r["vendor"], r["ticket_id"])
		}
	}
	if len(vendors) != 3 {
		t.Errorf("vendors %v; want zendesk, freshdesk and intercom", vendors)
	}
	// The demo turns auto-reply on: the help desk shows a public reply
	// exactly where heard's recorded decision allowed one.
	replies := 0
	for _, r := range results {
		w, _ := r["written"].(map[string]any)
		reply, _ := w["reply"].(string)
		decision, _ := r["auto_reply"].(string)
		allowed := strings.HasPrefix(decision, "auto-reply allowed")
		if allowed != (reply != "") {
			t.Errorf("%v ticket %v: auto-reply decision %q but the customer got reply %q", r["vendor"], r["ticket_id"], decision, reply)
		}
		if reply != "" {
			replies++
			if !strings.Contains(reply, "[ref:") {
				t.Errorf("%v ticket %v: the reply lacks heard's reference: %q", r["vendor"], r["ticket_id"], reply)
			}
		}
	}
	if replies == 0 {
		t.Error("no ticket was answered by auto-reply; the demo's account-unlock ticket should be")
	}
	withMatches := 0
	for _, r := range results {
		if ms, _ := r["kb_matches"].([]any); len(ms) > 0 {
			withMatches++
		}
	}
	if withMatches < len(results)/2 {
		t.Errorf("%d of %d tickets matched a bundled article; want most of them", withMatches, len(results))
	}
}

// TestHeardEnvDropsOverrides: the child heard must run on the demo's own
// config, not on HEARD_* overrides from the caller's environment.
func TestHeardEnvDropsOverrides(t *testing.T) {
	t.Setenv("HEARD_DATABASE_URL", "postgres://elsewhere/db")
	t.Setenv("HEARD_SANDBOX_PROBE", "kept-out")
	t.Setenv("NOT_HEARD_PROBE", "kept")
	env := heardEnv()
	var keptOther bool
	for _, kv := range env {
		if strings.HasPrefix(kv, "HEARD_") {
			t.Errorf("heardEnv passes %s", kv)
		}
		keptOther = keptOther || kv == "NOT_HEARD_PROBE=kept"
	}
	if !keptOther {
		t.Error("heardEnv dropped an unrelated variable")
	}
}

func TestStripTagsKeepsComparisons(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Hi</p>", " Hi "},
		{"confidence 0.60 < threshold 0.70", "confidence 0.60 < threshold 0.70"},
		{"a > b <br/>c", "a > b  c"},
		{"x &lt; y", "x < y"},
	}
	for _, tc := range tests {
		if got := stripTags(tc.in); got != tc.want {
			t.Errorf("stripTags(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestVendorPriorityInWords(t *testing.T) {
	tests := []struct {
		vendor, value string
		heard         sdk.Priority
		want          string
	}{
		{"freshdesk", "3", sdk.P1, "High (3)"},
		{"freshdesk", "1", sdk.P3, "Low (1)"},
		{"zendesk", "urgent", sdk.P0, "Urgent"},
		{"intercom", "not_priority", sdk.P1, "not prioritised (the Intercom 2.15 API cannot set priority; heard's P1 is the tag heard-priority-p1)"},
		{"intercom", "", sdk.P1, "—"},
	}
	for _, tc := range tests {
		if got := vendorPriority(tc.vendor, tc.value, tc.heard); got != tc.want {
			t.Errorf("vendorPriority(%s, %q, %s) = %q; want %q", tc.vendor, tc.value, tc.heard, got, tc.want)
		}
	}
}
