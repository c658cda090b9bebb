package python_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/internal/wiretest"
	"github.com/heardhq/heard/sdk/plugin"
	"github.com/heardhq/heard/sdk/sdktest"
)

// interpreter is what the example's shebang names: heard starts plugins
// with an empty environment, so there is no PATH to search.
const interpreter = "/usr/bin/python3"

const vipSettings = `{"plans": {"enterprise": "P1", "business": "P2"}, "vip_domains": ["bigco.example"], "mrr_at_least": 5000}`

// needPython skips when the helper's Debian packages are missing, except
// in CI, where that is a failure: scripts/python.sh installs them.
func needPython(t *testing.T) {
	t.Helper()
	err := exec.Command(interpreter, "-c", "import grpc, google.protobuf, cryptography").Run() //nolint:gosec // fixed arguments
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s cannot import grpc, google.protobuf and cryptography (%v); scripts/python.sh installs them", interpreter, err)
	}
	t.Skipf("%s lacks python3-grpcio, python3-protobuf or python3-cryptography (%v); run scripts/python.sh", interpreter, err)
}

// TestUnittest runs the helper's own Python tests.
func TestUnittest(t *testing.T) {
	needPython(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, interpreter, "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v")
	cmd.Env = []string{"PYTHONDONTWRITEBYTECODE=1"}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("python unittest: %v\n%s", err, out.String())
	}
	t.Log(out.String())
}

func vipPath(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("examples", "vip", "vip.py"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVIPConformance launches the Python example as heard does (gRPC,
// automatic mTLS, empty environment) and runs the classifier conformance
// suite on it.
func TestVIPConformance(t *testing.T) {
	needPython(t)
	c := sdktest.Launch(t, vipPath(t), sdktest.WithSettings(json.RawMessage(vipSettings)))
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "vip-py" || info.Protocol != 2 || !info.Has("classifier") || info.Has("enricher") {
		t.Errorf("Info = %+v; want vip-py, protocol 2, classifier only", info)
	}
	if err := c.CheckHealth(t.Context()); err != nil {
		t.Errorf("CheckHealth: %v", err)
	}
	sdktest.TestClassifier(t, c.Classifier())
}

// TestVIPAnswers checks the Python example answers as the Go one does.
func TestVIPAnswers(t *testing.T) {
	needPython(t)
	c := sdktest.Launch(t, vipPath(t), sdktest.WithSettings(json.RawMessage(vipSettings)))
	cases := []struct {
		name     string
		ticket   sdk.Ticket
		fields   []sdk.FieldSpec
		priority string
		tag      bool
		reason   string
	}{
		{name: "vip domain", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "Ada@BigCo.example"}}, priority: "P1", tag: true,
			reason: "boosted: requester domain bigco.example is a VIP domain"},
		{name: "plan floor", ticket: sdk.Ticket{Priority: sdk.P3, Customer: map[string]string{"plan": "business"}}, priority: "P2",
			reason: `boosted: plan "business" gets at least P2`},
		{name: "mrr makes vip", ticket: sdk.Ticket{Customer: map[string]string{"mrr": "7200"}}, priority: "P1", tag: true,
			reason: "boosted: MRR 7200 is at least 5000"},
		{name: "never lowers", ticket: sdk.Ticket{Priority: sdk.P0, Requester: sdk.Party{Email: "x@bigco.example"}}, tag: true},
		{name: "already at the floor", ticket: sdk.Ticket{Priority: sdk.P2, Customer: map[string]string{"plan": "business"}}},
		{name: "nobody special", ticket: sdk.Ticket{Priority: sdk.P3, Requester: sdk.Party{Email: "x@small.example"}}},
		{name: "tag not allowed", ticket: sdk.Ticket{Requester: sdk.Party{Email: "x@bigco.example"}}, priority: "P1",
			fields: []sdk.FieldSpec{{Name: sdk.FieldPriority}, {Name: sdk.FieldSecondaryTag, Allowed: []string{"billing"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &tc.ticket, Fields: tc.fields})
			if err != nil {
				t.Fatal(err)
			}
			var gotPriority, gotReason string
			var gotTag bool
			for _, p := range resp.Predictions {
				switch p.Field {
				case sdk.FieldPriority:
					gotPriority, gotReason = p.Value, p.Reason
				case sdk.FieldSecondaryTag:
					gotTag = p.Value == "vip"
				}
			}
			if gotPriority != tc.priority || gotTag != tc.tag {
				t.Errorf("priority %q, vip tag %t; want %q, %t (predictions %+v)", gotPriority, gotTag, tc.priority, tc.tag, resp.Predictions)
			}
			if tc.reason != "" && gotReason != tc.reason {
				t.Errorf("reason %q; want %q", gotReason, tc.reason)
			}
		})
	}
}

// TestErrorsOverTheWire checks that the helper's exceptions reach heard as
// the sdk errors they stand for, none of them mistaken for a broken
// connection (which would make heard restart the plugin).
func TestErrorsOverTheWire(t *testing.T) {
	needPython(t)
	path, err := filepath.Abs(filepath.Join("tests", "fixtures", "errors_plugin.py"))
	if err != nil {
		t.Fatal(err)
	}
	c := sdktest.Launch(t, path)
	wiretest.CheckErrors(t, c, append(slices.Clone(wiretest.Common),
		wiretest.ErrorCase{Subject: "bug", Message: "KeyError: 'plan'"},
	))
}

// TestBadSettings checks that settings the plugin refuses come back as
// sdk.ErrInvalid with the plugin's message.
func TestBadSettings(t *testing.T) {
	needPython(t)
	c, stop, err := plugin.Launch(vipPath(t), testLog{t}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	err = c.Configure(t.Context(), &plugin.ConfigureRequest{Settings: json.RawMessage(`{"plans": {"gold": "urgent"}}`)})
	if !errors.Is(err, sdk.ErrInvalid) || !strings.Contains(err.Error(), "plans.gold") {
		t.Errorf("Configure = %v; want sdk.ErrInvalid naming plans.gold", err)
	}
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
