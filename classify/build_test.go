package classify_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/classify"
	_ "github.com/heardhq/heard/classify/llm"
	_ "github.com/heardhq/heard/classify/rules"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sdk"
)

func loadConfig(t *testing.T, yaml string) config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "heard.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// modelServer answers every chat call with a 500 and records the model
// and bearer token asked for.
func modelServer(t *testing.T) (url string, seen func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Model string `json:"model"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		got = append(got, body.Model+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

func TestBuild(t *testing.T) {
	url, seen := modelServer(t)
	shared := "llm:\n  base_url: " + url + "\n  api_key: shared-key\n  models: {chat: small}\n  max_retries: -1\n"
	cases := []struct {
		name      string
		yaml      string
		members   []string
		wantModel string // the model and key the LLM classifier asked for, "" when it must not be called
	}{
		{"rules by default", "", []string{"classify.rules"}, ""},
		{"a chat model selects the llm", shared, []string{"classify.llm"}, "small Bearer shared-key"},
		{"the section overrides the shared llm", shared + "classify:\n  llm: {model: big, api_key: own-key}\n", []string{"classify.llm"}, "big Bearer own-key"},
		{"explicit list", shared + "classify:\n  classifiers: [rules, classify.llm, rules]\n", []string{"classify.rules", "classify.llm"}, "small Bearer shared-key"},
		{"rules only despite a chat model", shared + "classify:\n  classifiers: [rules]\n", []string{"classify.rules"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(seen())
			b, err := classify.Build(classify.Components, loadConfig(t, tc.yaml).Classify, loadConfig(t, tc.yaml).LLM, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = b.Close(t.Context()) })
			var ids []string
			for _, m := range b.Ensemble.Classifiers {
				ids = append(ids, m.ID)
			}
			if !slices.Equal(ids, tc.members) {
				t.Errorf("members = %v; want %v", ids, tc.members)
			}
			tk := &sdk.Ticket{Ref: sdk.TicketRef{Connector: "c", ID: "1"}, Subject: "I was charged twice",
				Messages: []sdk.Message{{Body: "My card was charged twice for the same invoice, please refund."}}}
			resp, err := b.Ensemble.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: tk, Fields: b.Fields})
			if err != nil {
				t.Fatal(err)
			}
			var tag string
			for _, p := range resp.Predictions {
				if p.Field == sdk.FieldPrimaryTag {
					tag = p.Value
				}
			}
			if tag != "billing" { // the rules answer, directly or as the model's fallback
				t.Errorf("primary tag = %q; want billing", tag)
			}
			calls := seen()[before:]
			if tc.wantModel == "" && len(calls) > 0 {
				t.Errorf("the model was called: %v", calls)
			}
			if tc.wantModel != "" && (len(calls) == 0 || calls[0] != tc.wantModel) {
				t.Errorf("model calls = %v; want %q", calls, tc.wantModel)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown classifier", "classify:\n  classifiers: [rules, learnt]\n", `unknown classify component "learnt" (registered: llm, rules)`},
		{"unknown key", "classify:\n  rulez: {}\n", `:2: classify: unknown key "rulez" (did you mean "rules"?)`},
		{"unknown key in a classifier", "classify:\n  llm: {modle: x}\n", `:2: classify.llm: unknown key "modle" (did you mean "model"?)`},
		{"llm without a model", "classify:\n  classifiers: [llm]\n", "no chat model"},
		{"bad merge", "classify:\n  merge: {policy: vote}\n", "merge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadConfig(t, tc.yaml)
			_, err := classify.Build(classify.Components, cfg.Classify, cfg.LLM, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Build error = %v; want %q", err, tc.want)
			}
		})
	}
}
