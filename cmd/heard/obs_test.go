package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/logs"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// syncLog is a buffer a logger and a test share.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// observedRun is one serve run for the observability tests: a plugin, the
// three sandbox help desks in live mode with auto-replies on, and tickets
// processed, so every vector has series. Its log is the process logger
// serve builds (newLogger), as JSON at DEBUG so River's demoted records
// show.
type observedRun struct {
	m       *Main
	log     *syncLog
	metrics string // a scrape after the tickets were processed
	stop    func() // stops heard and waits for Run to return
}

func startObserved(t *testing.T) *observedRun {
	t.Helper()
	bin := sdktest.Build(t, "github.com/heardhq/heard/sdk/examples/vip")
	cat, err := plugins.OpenCatalog(filepath.Join(t.TempDir(), plugins.CatalogFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := plugins.Install(t.Context(), cat, bin, "vip", 30*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	addr, admin := freePort(t), freePort(t)
	env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", true, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	cfgPath := sandboxConfigWith(t, env, addr, "", fmt.Sprintf("admin:\n  listen: %q\ntriage:\n  auto_reply: {enabled: true}\n"+
		"plugins:\n  enabled:\n    - {name: vip, settings: {plans: {enterprise: P1}, vip_domains: [northwind.example]}}\n", admin))
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	run := &observedRun{log: &syncLog{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("heard log:\n%s", run.log.String())
		}
	})
	run.m = newMain(cfg, newLogger(run.log, "debug", "json"))
	run.m.CatalogPath = cat.Path()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run.m.Run(ctx) }()
	var once sync.Once
	run.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			_ = run.m.Close()
		})
	}
	t.Cleanup(run.stop)
	select {
	case <-run.m.Ready():
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("heard did not start")
	}

	tickets := []sandbox.NewTicket{doubleCharge(1), doubleCharge(2), {
		Subject:   "Locked out",
		Body:      "Hello, I'm locked out of my account after too many attempts. Please unlock my account.",
		Requester: sandbox.Person{Name: "Sam Okafor", Email: "sam@northwind.example"},
		Customer:  map[string]string{sdk.AttrPlan: "business", sdk.AttrMRR: "300"},
	}}
	n := 0
	for _, vendor := range sandboxVendors {
		for _, tk := range tickets {
			if _, err := env.Desks[vendor].CreateTicket(t.Context(), "acme", tk); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	url := "http://" + run.m.AdminAddr() + "/metrics" // admin.listen set: /metrics is served there only
	want := fmt.Sprintf(`heard_jobs_total{outcome="processed"} %d`, n)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		run.metrics = get(t, url)
		if strings.Contains(run.metrics, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q never appeared; metrics:\n%s", want, run.metrics)
		}
	}
	return run
}

// One serve run, processing tickets, observed: its metrics against the
// dashboard and the operations guide, then, once stopped, its log.
func TestServeObservability(t *testing.T) {
	run := startObserved(t)
	t.Run("dashboard", func(t *testing.T) { checkDashboard(t, run) })
	run.stop() // the log check reads the shutdown's records too
	t.Run("log", func(t *testing.T) { checkServeLog(t, run) })
}

// exported returns the metric families a /metrics text exposition declares,
// with their types.
func exported(text string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			out[f[2]] = f[3]
		}
	}
	return out
}

// sample returns the value of the series line that starts with prefix
// (a metric name and its labels, as exposed); -1 when there is none.
func sample(text, prefix string) float64 {
	for l := range strings.Lines(text) {
		if rest, ok := strings.CutPrefix(l, prefix+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

var (
	promStrings   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promMatchers  = regexp.MustCompile(`\{[^{}]*\}|\[[^\[\]]*\]`)
	promGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	promIdent     = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
	labelValuesOf = regexp.MustCompile(`label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,`)
	promKeywords  = []string{"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"}
)

// metricNames returns the metric names a PromQL expression reads: its
// identifiers outside strings, label matchers, ranges and grouping
// clauses that are neither functions, keywords nor durations.
func metricNames(expr string) []string {
	if m := labelValuesOf.FindStringSubmatch(expr); m != nil { // a Grafana variable query
		return []string{m[1]}
	}
	e := promStrings.ReplaceAllString(expr, `""`)
	e = promGrouping.ReplaceAllString(e, " ")
	for prev := ""; prev != e; { // innermost first
		prev, e = e, promMatchers.ReplaceAllString(e, " ")
	}
	var out []string
	for _, loc := range promIdent.FindAllStringIndex(e, -1) {
		name := e[loc[0]:loc[1]]
		if loc[0] > 0 && (e[loc[0]-1] >= '0' && e[loc[0]-1] <= '9' || e[loc[0]-1] == '.' || e[loc[0]-1] == '$') {
			continue // the unit of a number, a Grafana variable
		}
		if next := strings.TrimLeft(e[loc[1]:], " \t\n"); strings.HasPrefix(next, "(") {
			continue // a function
		}
		if slices.Contains(promKeywords, strings.ToLower(name)) {
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func TestMetricNamesOfPromQL(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`sum by (code) (rate(heard_webhook_requests_total[$__rate_interval]))`, []string{"heard_webhook_requests_total"}},
		{`histogram_quantile(0.99, sum by (le) (rate(heard_enqueue_duration_seconds_bucket{job="x"}[5m])))`, []string{"heard_enqueue_duration_seconds_bucket"}},
		{`sum(increase(a_total{agreed="true"}[1h])) / sum(increase(b_total[1h])) > 0.5 and on (field) c`, []string{"a_total", "b_total", "c"}},
		{`max(heard_queue_oldest_seconds offset 5m) * 2`, []string{"heard_queue_oldest_seconds"}},
		{`label_values(heard_predictions_total, field)`, []string{"heard_predictions_total"}},
		{`sum by (value) (rate(x_total{field=~"$field", value!="sum(y)"}[$__rate_interval]))`, []string{"x_total"}},
	}
	for _, tt := range tests {
		if got := metricNames(tt.expr); !slices.Equal(got, tt.want) {
			t.Errorf("metricNames(%s) = %v; want %v", tt.expr, got, tt.want)
		}
	}
}

// queries returns every PromQL expression in a Grafana dashboard model:
// the panels' targets and the variables' queries.
func queries(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && (k == "expr" || k == "definition") {
				out = append(out, s)
			} else if q, ok := val.(map[string]any); ok && k == "query" {
				if s, ok := q["query"].(string); ok {
					out = append(out, s)
				}
			} else {
				out = append(out, queries(val)...)
			}
		}
	case []any:
		for _, val := range x {
			out = append(out, queries(val)...)
		}
	}
	return out
}

// checkDashboard: the dashboard under deploy/ reads only metrics a running
// heard exports (checked against its /metrics after processing tickets),
// and the operations guide lists every heard metric it exports.
func checkDashboard(t *testing.T, run *observedRun) {
	fams := exported(run.metrics)
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "grafana", "heard-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash map[string]any
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	qs := queries(dash)
	used := map[string]bool{}
	for _, q := range qs {
		for _, name := range metricNames(q) {
			base := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if b, ok := strings.CutSuffix(name, suffix); ok && (fams[b] == "histogram" || fams[b] == "summary") {
					base = b
				}
			}
			if _, ok := fams[base]; !ok {
				t.Errorf("the dashboard reads %s (in %s), which heard does not export", name, q)
			}
			used[base] = true
		}
	}
	// The extraction found what the dashboard is for.
	for _, name := range []string{"heard_webhook_requests_total", "heard_queue_jobs", "heard_queue_oldest_seconds", "heard_jobs_total",
		"heard_enqueue_duration_seconds", "heard_stage_duration_seconds", "heard_predictions_total", "heard_gate_holds_total",
		"heard_writebacks_total", "heard_auto_replies_total", "heard_sla_warnings_total", "heard_agreement_total",
		"heard_plugin_restarts_total", "heard_plugin_circuit_open", "heard_model_version"} {
		if !used[name] {
			t.Errorf("the dashboard has no panel reading %s", name)
		}
	}
	if len(qs) < 15 {
		t.Errorf("%d queries in the dashboard; want one per panel", len(qs))
	}

	// The run's tickets moved the triage counters.
	for _, s := range []string{`heard_predictions_total{field="priority",value="P1"}`, `heard_writebacks_total{connector="sandbox-zendesk",result="written"}`,
		`heard_plugin_running{plugin="plugin.vip"}`, `heard_stage_duration_seconds_count{stage="classify"}`} {
		if v := sample(run.metrics, s); v < 1 {
			t.Errorf("%s = %v; want at least 1 after the run's tickets", s, v)
		}
	}
	if v := sample(run.metrics, `heard_model_version{kind="classifier"}`); v != 0 {
		t.Errorf("heard_model_version = %v; want 0 (no model trained)", v)
	}

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name := range fams {
		if strings.HasPrefix(name, "heard_") && !bytes.Contains(doc, []byte("`"+name+"`")) {
			t.Errorf("docs/operations.md does not list %s", name)
		}
	}
}

// checkServeLog: a serve run's log is readable: no record repeats a key,
// River's INFO chatter is at DEBUG, keys are snake_case and every record
// is one JSON object.
func checkServeLog(t *testing.T, run *observedRun) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var river, records int
	levels := map[string]int{}
	for l := range strings.Lines(run.log.String()) {
		line := []byte(strings.TrimSpace(l))
		if len(line) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Errorf("not a JSON record: %s", line)
			continue
		}
		records++
		if dups := logs.DuplicateKeys(line); len(dups) > 0 {
			t.Errorf("record repeats %v: %s", dups, line)
		}
		level, _ := rec["level"].(string)
		levels[level]++
		if rec["component"] == logs.ComponentRiver {
			if level == "INFO" {
				t.Errorf("River chatter at INFO: %s", line)
			}
			river++
		}
		for k := range rec {
			if !snake.MatchString(k) {
				t.Errorf("key %q is not snake_case: %s", k, line)
			}
		}
	}
	if river == 0 || levels["INFO"] == 0 || records < 10 {
		t.Errorf("%d records, %d of River, levels %v: the run logged less than a serve run does", records, river, levels)
	}
}
