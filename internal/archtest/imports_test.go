package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/heardhq/heard/"

// rule forbids imports matching any of deny (prefixes) in packages under
// dir (a repo-relative prefix), except those matching allow and except in
// packages under except.
type rule struct {
	name   string
	dirs   []string
	deny   []string
	allow  []string
	except []string
}

// sandboxHomes are the packages besides the sandbox's own that may import
// it: its command and the benchmarks, and the connectors' conformance
// helpers (imported only by tests). Test files may import it anywhere.
var sandboxHomes = []string{"sandbox", "cmd/heard-sandbox", "bench", "connectors/connectortest"}

var rules = []rule{
	{name: "sdk imports nothing else from heard", dirs: []string{"sdk"}, deny: []string{module}, allow: []string{module + "sdk"}},
	{name: "policy imports only sdk", dirs: []string{"policy"}, deny: []string{module}, allow: []string{module + "sdk"}},
	{name: "internal libraries import only sdk and internal", dirs: []string{"internal/config", "internal/store", "internal/llm", "internal/redact", "internal/queue", "internal/component"},
		deny: []string{module}, allow: []string{module + "sdk", module + "internal/"}},
	{name: "transport and pipeline know no concrete components", dirs: []string{"webhooks", "internal/pipeline", "internal/backtest", "plugins"},
		deny: []string{module + "connectors", module + "classify", module + "enrich", module + "kb", module + "cmd", module + "webhooks"}, allow: []string{module + "webhooks"}},
	{name: "connectors do not import kb, classify, enrich, webhooks or plugins", dirs: []string{"connectors"},
		deny: []string{module + "kb", module + "classify", module + "enrich", module + "webhooks", module + "plugins", module + "cmd"}},
	{name: "gin stays in webhooks", dirs: []string{""}, deny: []string{"github.com/gin-gonic/gin"}, allow: nil},
	{name: "go-openai stays in internal/llm", dirs: []string{""}, deny: []string{"github.com/sashabaranov/go-openai"}},
	{name: "pgx stays in the stores, kb and bench", dirs: []string{""}, deny: []string{"github.com/jackc/pgx"}},
	{name: "go-plugin stays in sdk/plugin and plugins", dirs: []string{""}, deny: []string{"github.com/hashicorp/go-plugin"}},
	{name: "product packages do not import the sandbox", dirs: []string{""}, deny: []string{module + "sandbox"}, except: sandboxHomes},
	{name: "kin-openapi stays in internal/openapicheck", dirs: []string{""}, deny: []string{"github.com/getkin/kin-openapi"}},
	{name: "cobra and pflag stay in internal/cli and the commands", dirs: []string{""}, deny: []string{"github.com/spf13/cobra", "github.com/spf13/pflag"}},
}

// homes lists where a confined third-party library may be imported.
var homes = map[string][]string{
	"github.com/gin-gonic/gin":          {"webhooks"},
	"github.com/sashabaranov/go-openai": {"internal/llm"},
	"github.com/jackc/pgx":              {"internal/store", "kb", "bench"},
	"github.com/hashicorp/go-plugin":    {"sdk/plugin", "plugins"},
	"github.com/getkin/kin-openapi":     {"internal/openapicheck"},
	"github.com/spf13/cobra":            {"internal/cli", "cmd"},
	"github.com/spf13/pflag":            {"internal/cli", "cmd"},
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func under(rel, dir string) bool {
	return dir == "" || rel == dir || strings.HasPrefix(rel, dir+"/")
}

func hasPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if s == strings.TrimSuffix(p, "/") || strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func TestImportRules(t *testing.T) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, name := range broken(rel, p) {
				t.Errorf("%s imports %s: breaks %q", filepath.Join(rel, filepath.Base(path)), p, name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files; the walk is broken", checked)
	}
}

func confined(p string) (string, bool) {
	for lib := range homes {
		if p == lib || strings.HasPrefix(p, lib+"/") {
			return lib, true
		}
	}
	return "", false
}

func inHome(rel string, dirs []string) bool {
	for _, d := range dirs {
		if under(rel, d) {
			return true
		}
	}
	return false
}

// TestRulesCatchViolations guards the checker itself.
func TestRulesCatchViolations(t *testing.T) {
	cases := []struct {
		rel, imp string
		bad      bool
	}{
		{"sdk", module + "internal/config", true},
		{"sdk/plugin", module + "sdk", false},
		{"internal/store/sqlite", module + "webhooks", true},
		{"internal/store/sqlite", module + "internal/queue", false},
		{"webhooks", module + "connectors/zendesk", true},
		{"connectors/zendesk", module + "kb", true},
		{"cmd/heard", "github.com/gin-gonic/gin", true},
		{"webhooks", "github.com/gin-gonic/gin", false},
		{"classify/llm", "github.com/sashabaranov/go-openai", true},
		{"internal/llm", "github.com/sashabaranov/go-openai", false},
		{"kb", "github.com/jackc/pgx/v5", false},
		{"enrich", "github.com/jackc/pgx/v5", true},
		{"cmd/heard", module + "sandbox/desks", true},
		{"kb", module + "sandbox/helpcenter", true},
		{"connectors/zendesk", module + "sandbox", true},
		{"cmd/heard-sandbox", module + "sandbox/desks", false},
		{"sandbox/desks", module + "sandbox/zendesk", false},
		{"bench/ingest", module + "sandbox", false},
		{"cmd/heard", "github.com/getkin/kin-openapi/openapi3", true},
		{"sandbox/intercom", "github.com/getkin/kin-openapi/openapi3", true},
		{"internal/openapicheck", "github.com/getkin/kin-openapi/openapi3filter", false},
		{"cmd/heard", "github.com/spf13/cobra", false},
		{"internal/cli", "github.com/spf13/pflag", false},
		{"internal/config", "github.com/spf13/pflag", true},
		{"webhooks", "github.com/spf13/cobra", true},
	}
	for _, tc := range cases {
		if bad := len(broken(tc.rel, tc.imp)) > 0; bad != tc.bad {
			t.Errorf("%s importing %s: violation=%v; want %v", tc.rel, tc.imp, bad, tc.bad)
		}
	}
}

// broken names the rules a package at rel breaks by importing imp.
func broken(rel, imp string) []string {
	var names []string
	for _, r := range rules {
		if inHome(rel, r.except) {
			continue
		}
		for _, dir := range r.dirs {
			if !under(rel, dir) || !hasPrefix(imp, r.deny) || hasPrefix(imp, r.allow) {
				continue
			}
			if lib, ok := confined(imp); ok && inHome(rel, homes[lib]) {
				continue
			}
			names = append(names, r.name)
		}
	}
	return names
}
