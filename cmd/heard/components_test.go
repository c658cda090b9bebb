package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/kb"
)

// eval and backtest start the configured plugins, as serve does: a config
// enabling a plugin that is not installed stops them.
func TestEvalAndBacktestLoadPlugins(t *testing.T) {
	cfgPath := testConfig(t, "", "plugins:\n  enabled:\n    - name: ghost\n")
	for _, args := range [][]string{
		{"eval", "--labels", "../../classify/testdata/labelled.csv", "--config", cfgPath},
		{"backtest", "--connector", "acme", "--config", cfgPath},
	} {
		t.Run(args[0], func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(t.Context(), args, &out, &errOut)
			if code != 1 || !strings.Contains(errOut.String(), "ghost") {
				t.Errorf("%s exit %d, stderr %q; want 1 and the missing plugin named", args[0], code, errOut.String())
			}
		})
	}
}

// embeddingServer is an OpenAI-compatible /embeddings endpoint that
// answers with 8-dimensional vectors derived from the text.
func embeddingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/embeddings") || r.Header.Get("Authorization") != "Bearer emb-key" {
			http.Error(w, "unexpected "+r.URL.Path, http.StatusBadRequest)
			return
		}
		calls.Add(1)
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "tiny-embed" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		for i, s := range req.Input {
			v := make([]float32, 8)
			for j, c := range strings.ToLower(s) {
				v[(int(c)+j)%8] += 1
			}
			data = append(data, item{Object: "embedding", Index: i, Embedding: v})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
			"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// The knowledge base's embedder comes from the config file (kb.embedder,
// the llm: section), and every command that opens the knowledge base uses
// it: what `heard kb` built, serve opens.
func TestConfiguredEmbedder(t *testing.T) {
	srv, calls := embeddingServer(t)
	cfgPath := testConfig(t, "", "llm:\n  base_url: "+srv.URL+"/v1\n  api_key: wrong-key\n  models: {embedding: tiny-embed}\n"+
		"kb:\n  embedder: openai\n  openai: {api_key: emb-key, dim: 8}\n")
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"kb", "ingest", "--dir", "../../sandbox/helpcenter/articles", "--config", cfgPath}, &out, &errOut); code != 0 {
		t.Fatalf("kb ingest exit %d: %s", code, errOut.String())
	}
	if calls.Load() == 0 {
		t.Fatal("kb ingest never called the configured embedding endpoint")
	}
	out.Reset()
	if code := run(t.Context(), []string{"kb", "stats", "--json", "--config", cfgPath}, &out, &errOut); code != 0 {
		t.Fatalf("kb stats exit %d: %s", code, errOut.String())
	}
	var st struct {
		Model    string `json:"model"`
		Dim      int    `json:"dim"`
		Articles int    `json:"articles"`
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("kb stats --json: %v\n%s", err, out.String())
	}
	if !strings.Contains(st.Model, "tiny-embed") || st.Dim != 8 || st.Articles == 0 {
		t.Errorf("kb stats = %+v; want articles embedded by tiny-embed in 8 dimensions", st)
	}

	// serve's knowledge base: the configured embedder opens it, the
	// offline one is refused.
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	stor, err := openStore(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stor.Close()
	k, err := openKnowledgeBase(t.Context(), cfg, stor, "", 0, storeLogger(t))
	if err != nil {
		t.Fatalf("serve's knowledge base with the configured embedder: %v", err)
	}
	before := calls.Load()
	_, err = k.Search(t.Context(), kb.Query{Text: "refund", Mode: kb.ModeVector, MinScore: -1})
	k.close()
	if err != nil || calls.Load() == before {
		t.Errorf("search: %v, %d embedding calls; want the query embedded by the configured endpoint", err, calls.Load()-before)
	}
	k, err = openKnowledgeBase(t.Context(), cfg, stor, "hashed", 0, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.close()
	if _, err := k.Search(t.Context(), kb.Query{Text: "refund"}); err == nil {
		t.Error("the offline embedder searched a knowledge base embedded by tiny-embed")
	}
}
