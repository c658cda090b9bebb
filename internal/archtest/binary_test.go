package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestHeardBinaryLinksNoSandbox lists every package the heard binary links
// (go list -deps ./cmd/heard) and fails if the emulated help desks, their
// demo data or the OpenAPI contract checker (kin-openapi and its 3 MB of
// descriptions) are among them: those belong to cmd/heard-sandbox and tests.
func TestHeardBinaryLinksNoSandbox(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("go", "list", "-deps", "./cmd/heard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/heard: %v", err)
	}
	deps := strings.Fields(string(out))
	// The listing itself must be real: heard links its webhook receiver.
	if !slices.Contains(deps, module+"webhooks") || !slices.Contains(deps, module+"cmd/heard") {
		t.Fatalf("go list -deps ./cmd/heard lists %d packages without heard's own; the check is broken", len(deps))
	}
	for _, p := range deps {
		if bad := forbiddenInHeard(p); bad != "" {
			t.Errorf("cmd/heard links %s (%s)", p, bad)
		}
	}
}

// forbiddenInHeard says why the heard binary must not link p, or "".
func forbiddenInHeard(p string) string {
	switch {
	case p == module+"sandbox" || strings.HasPrefix(p, module+"sandbox/"):
		return "the sandbox belongs to cmd/heard-sandbox"
	case p == module+"internal/openapicheck":
		return "the OpenAPI contract checker is for test doubles"
	case strings.HasPrefix(p, "github.com/getkin/kin-openapi"):
		return "kin-openapi is for test doubles"
	}
	return ""
}

// TestForbiddenInHeard guards the check's matcher.
func TestForbiddenInHeard(t *testing.T) {
	cases := map[string]bool{
		module + "sandbox":                       true,
		module + "sandbox/intercom":              true,
		module + "sandbox/helpcenter":            true,
		module + "internal/openapicheck":         true,
		"github.com/getkin/kin-openapi/openapi3": true,
		module + "sandboxes":                     false, // a prefix alone is not the package
		module + "webhooks":                      false,
		module + "connectors/zendesk":            false,
	}
	for p, want := range cases {
		if got := forbiddenInHeard(p) != ""; got != want {
			t.Errorf("forbiddenInHeard(%s) = %v; want %v", p, got, want)
		}
	}
}
