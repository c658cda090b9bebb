package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/sandbox"
)

// TestTrainFromConnectorAgainstSandbox seeds each sandbox vendor with a
// history of solved tickets from several businesses, trains on it with
// `heard train --connector`, and checks the model is stored and promoted,
// trained on those tickets with the agents' final values, that the
// tickets were indexed redacted for similar-ticket search, and that the
// help desk was only read.
func TestTrainFromConnectorAgainstSandbox(t *testing.T) {
	history := synth.Generate(60, 7)
	for _, vendor := range sandboxVendors {
		t.Run(vendor, func(t *testing.T) {
			sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
			t.Cleanup(sink.Close)
			env, err := startSandbox("127.0.0.1:0", sink.URL, "acme", false, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.Close() })
			// A generous client-side budget: the history is read in one go.
			// The model may decide with few examples per class: the history is small.
			cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %q\nclassify:\n  learned: {min_class_examples: 5}\n%s", filepath.Join(t.TempDir(), "data"),
				liveConnectors(env, "rate_per_minute: 60000, burst: 1000")))
			desk := env.Desks[vendor]
			for i, h := range history {
				body := h.Body
				if i == 0 {
					body += "\nReach me at pat.lee@example.com."
				}
				id, err := desk.CreateTicket(t.Context(), "acme", sandbox.NewTicket{Subject: h.Subject, Body: body,
					Requester: sandbox.Person{Name: "Pat Lee", Email: fmt.Sprintf("pat%d@example.com", i)}})
				if err != nil {
					t.Fatal(err)
				}
				if err := desk.Solve(t.Context(), "acme", id, h.Priority, h.Tags); err != nil {
					t.Fatal(err)
				}
			}
			writes := len(env.Server.Requests(vendor))
			var out, errOut bytes.Buffer
			code := run(t.Context(), []string{"train", "--connector", connectorName(vendor), "--since", "30d", "--config", cfgPath, "--json"}, &out, &errOut)
			if code != 0 {
				t.Fatalf("train exit %d: %s", code, errOut.String())
			}
			var res struct {
				Version  int64 `json:"version"`
				Promoted bool  `json:"promoted"`
				Report   struct {
					Train   int `json:"train_examples"`
					Holdout int `json:"holdout_examples"`
					Fields  []struct {
						Name    string `json:"name"`
						Classes []string
					} `json:"fields"`
				} `json:"report"`
			}
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("train --json: %v\n%s", err, out.String())
			}
			if res.Version == 0 || !res.Promoted {
				t.Errorf("train stored v%d promoted=%v; want a promoted first model", res.Version, res.Promoted)
			}
			if n := res.Report.Train + res.Report.Holdout; n != len(history) {
				t.Errorf("trained on %d tickets; want the %d solved ones", n, len(history))
			}
			fields := map[string]bool{}
			for _, f := range res.Report.Fields {
				fields[f.Name] = true
			}
			if !fields["priority"] || !fields["tag.primary"] {
				t.Errorf("fields trained %v; want priority and tag.primary from the agents' final values", fields)
			}
			if !strings.Contains(errOut.String(), "reading solved tickets [") {
				t.Errorf("no progress bar on stderr: %q", errOut.String())
			}
			out.Reset()
			if code := run(t.Context(), []string{"model", "list", "--config", cfgPath, "--json"}, &out, &errOut); code != 0 {
				t.Fatalf("model list exit %d: %s", code, errOut.String())
			}
			var list []struct {
				Version int64  `json:"version"`
				Status  string `json:"status"`
			}
			if err := json.Unmarshal(out.Bytes(), &list); err != nil {
				t.Fatalf("model list --json: %v", err)
			}
			if len(list) != 1 || list[0].Version != res.Version || list[0].Status != "current" {
				t.Errorf("model list %+v; want v%d current", list, res.Version)
			}
			// The tickets are in the solved index, redacted.
			cfg, err := config.Load(cfgPath, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			st, err := openStore(t.Context(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			_, ix, closeSolved, err := openSolved(t.Context(), cfg, st, nil, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer closeSolved()
			rows, err := ix.List(t.Context(), "", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(history) {
				t.Errorf("solved index holds %d tickets; want %d", len(rows), len(history))
			}
			for _, r := range rows {
				if strings.Contains(r.Text, "pat.lee@example.com") {
					t.Errorf("solved index kept an e-mail address: %q", r.Text)
				}
				if r.URL == "" {
					t.Errorf("ticket %s has no link to the help desk", r.ID)
				}
			}
			// heard eval --model current merges the stored model as serve does.
			csvPath := filepath.Join(t.TempDir(), "labels.csv")
			var csvBuf bytes.Buffer
			if err := synth.WriteCSV(&csvBuf, history); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(csvPath, csvBuf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			evalAcc := func(extra ...string) float64 {
				t.Helper()
				out.Reset()
				args := append([]string{"eval", "--labels", csvPath, "--config", cfgPath, "--json"}, extra...)
				if code := run(t.Context(), args, &out, &errOut); code != 0 {
					t.Fatalf("eval %v exit %d: %s", extra, code, errOut.String())
				}
				var rep struct {
					PrimaryTag float64            `json:"primary_tag_accuracy"`
					ECE        map[string]float64 `json:"ece"`
				}
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					t.Fatal(err)
				}
				if _, ok := rep.ECE["primary_tag"]; !ok {
					t.Errorf("eval %v: no ece in %s", extra, out.String())
				}
				return rep.PrimaryTag
			}
			if rules, merged := evalAcc(), evalAcc("--model", "current"); merged <= rules {
				t.Errorf("eval primary tag accuracy %.2f with the current model, %.2f without; want the model to help on its own history", merged, rules)
			}
			// The backtest now shows agreement without and with the model.
			out.Reset()
			if code := run(t.Context(), []string{"backtest", "--connector", connectorName(vendor), "--since", "30d", "--config", cfgPath, "--json"}, &out, &errOut); code != 0 {
				t.Fatalf("backtest exit %d: %s", code, errOut.String())
			}
			type fieldRate struct {
				Field       string  `json:"field"`
				Predictions int     `json:"predictions"`
				Rate        float64 `json:"rate"`
			}
			var bt struct {
				Tickets  int         `json:"tickets"`
				Fields   []fieldRate `json:"fields"`
				Baseline *struct {
					Name   string      `json:"name"`
					Fields []fieldRate `json:"fields"`
				} `json:"baseline"`
			}
			if err := json.Unmarshal(out.Bytes(), &bt); err != nil {
				t.Fatalf("backtest --json: %v\n%s", err, out.String())
			}
			if bt.Baseline == nil {
				t.Fatalf("backtest has no baseline beside the model: %s", out.String())
			}
			rateOf := func(fs []fieldRate, f string) float64 {
				for _, x := range fs {
					if x.Field == f {
						return x.Rate
					}
				}
				return -1
			}
			// Trained on these very tickets, the model must agree with the
			// agents more than the rules alone on the primary tag.
			with, without := rateOf(bt.Fields, "tag.primary"), rateOf(bt.Baseline.Fields, "tag.primary")
			t.Logf("primary tag agreement on %d tickets: %.2f without the model, %.2f with it", bt.Tickets, without, with)
			if with <= without {
				t.Errorf("primary tag agreement with the model %.2f, without %.2f; want the model to add agreement", with, without)
			}
			for _, r := range env.Server.Requests(vendor)[writes:] {
				readOnlySearch := vendor == "intercom" && strings.HasSuffix(r.Path, "/search")
				if r.Method != http.MethodGet && !readOnlySearch {
					t.Errorf("train or backtest wrote to the help desk: %s %s", r.Method, r.Path)
				}
			}
			for _, v := range env.Server.Violations() {
				t.Errorf("contract violation: %s", v)
			}
		})
	}
}

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "heard.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// liveConnectors is env's live connector blocks with rate_limit set to
// the given YAML mapping body on each.
func liveConnectors(env *sandboxEnv, rateLimit string) string {
	return strings.ReplaceAll(env.ConnectorsYAML("live"), "base_url:", "rate_limit: {"+rateLimit+"}, base_url:")
}
