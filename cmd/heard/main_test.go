package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/storetest"
)

const testSecret = "test-webhook-secret"

// drivers runs f once per store driver, each on a fresh store.
func drivers(t *testing.T, f func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "") })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.PostgresURL(t)) })
}

// testConfig writes a config file with one Zendesk connector.
func testConfig(t *testing.T, dbURL string, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`listen: "127.0.0.1:0"
data_dir: %q
database_url: %q
log_level: info
log_format: json
webhooks:
  max_body_bytes: 65536
queue:
  retry_base: 100ms
  shutdown_timeout: 10s
  orphan_after: 3s
%s
connectors:
  - name: acme
    type: zendesk
    subdomain: acme
    webhook_secret: %s
`, filepath.Join(dir, "data"), dbURL, extra, testSecret)
	path := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startMain runs heard in-process on :0 and stops it when the test ends.
func startMain(t *testing.T, cfgPath string) *Main {
	t.Helper()
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	m := newMain(cfg, storetest.Logger(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	select {
	case <-m.Ready():
	case err := <-done:
		cancel()
		t.Fatalf("Run: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("heard did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		_ = m.Close()
	})
	return m
}

func ticketCreated(id, ticket string) []byte {
	return demoTicketEvent("created", id, ticket, "Subject "+ticket, "Body of "+ticket, time.Now().UTC())
}

// post sends a signed Zendesk webhook; sign may alter the headers.
func post(t *testing.T, url string, body []byte, sign func(h http.Header)) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Now().UTC().Format(time.RFC3339)
	req.Header.Set(zendesk.HeaderSignature, zendesk.Sign(testSecret, ts, body))
	req.Header.Set(zendesk.HeaderSignatureTimestamp, ts)
	if sign != nil {
		sign(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebhookStatuses(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		m := startMain(t, testConfig(t, dbURL, ""))
		base := "http://" + m.Addr()
		hook := base + "/v1/webhooks/acme"
		first := ticketCreated("ev-1", "100")
		stale := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		// With updated_at the key is the body's hash, whatever the headers.
		triggerBody := []byte(`{"ticket_id":"101","updated_at":"2026-01-01T00:00:00Z"}`)
		triggerSum := sha256.Sum256(triggerBody)
		triggerKey := "acme:" + hex.EncodeToString(triggerSum[:])
		cases := []struct {
			name     string
			url      string
			body     []byte
			sign     func(h http.Header)
			want     int
			wantBody string
		}{
			{"valid event is accepted", hook, first, nil, 202, `"accepted":1`},
			{"redelivery is acknowledged, not enqueued", hook, first, nil, 202, `"duplicates":1`},
			{"trigger body with invocation id", hook, triggerBody, func(h http.Header) { h.Set(zendesk.HeaderInvocationID, "inv-9") }, 202, `"accepted":1`},
			{"trigger replayed with a new invocation id", hook, triggerBody, func(h http.Header) { h.Set(zendesk.HeaderInvocationID, "forged-1") }, 202, `"duplicates":1`},
			{"non-ticket event is acknowledged and ignored", hook, []byte(`{"type":"zen:event-type:user.created","id":"u1","detail":{"id":"1"}}`), nil, 202, `"accepted":0`},
			{"wrong signature", hook, ticketCreated("ev-2", "102"), func(h http.Header) {
				h.Set(zendesk.HeaderSignature, zendesk.Sign("wrong", h.Get(zendesk.HeaderSignatureTimestamp), []byte("x")))
			}, 401, "signature"},
			{"missing signature", hook, ticketCreated("ev-3", "103"), func(h http.Header) { h.Del(zendesk.HeaderSignature) }, 401, "signature"},
			{"replayed old timestamp", hook, ticketCreated("ev-4", "104"), func(h http.Header) {
				h.Set(zendesk.HeaderSignatureTimestamp, stale)
				h.Set(zendesk.HeaderSignature, zendesk.Sign(testSecret, stale, ticketCreated("ev-4", "104")))
			}, 401, "signature"},
			{"malformed JSON", hook, []byte(`{"ticket_id":`), nil, 400, "malformed"},
			{"ticket event without ticket id", hook, []byte(`{"type":"zen:event-type:ticket.created","id":"x","detail":{}}`), nil, 400, "malformed"},
			{"unknown connector", base + "/v1/webhooks/nope", first, nil, 404, `unknown connector \"nope\"`},
			{"oversized body", hook, bytes.Repeat([]byte(" "), 65537), nil, 413, "limit"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, body := post(t, tc.url, tc.body, tc.sign)
				if got != tc.want || !strings.Contains(body, tc.wantBody) {
					t.Errorf("status %d body %s; want %d containing %s", got, body, tc.want, tc.wantBody)
				}
			})
		}

		// A body without Content-Length (chunked) is refused before reading.
		pr, pw := io.Pipe()
		go func() { _, _ = pw.Write(bytes.Repeat([]byte("a"), 70000)); _ = pw.Close() }()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, hook, pr)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusLengthRequired {
			t.Errorf("chunked body: status %d; want 411", resp.StatusCode)
		}

		for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("GET %s = %d; want %d", path, resp.StatusCode, want)
			}
		}
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodHead, hook, nil)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("HEAD webhook URL = %d; want 200", resp.StatusCode)
		}

		// Exactly the two accepted events are processed, once each.
		waitRecords(t, m.store, 2)
		for _, key := range []string{"acme:ev-1", triggerKey} {
			if _, err := m.store.Record(t.Context(), key); err != nil {
				t.Errorf("record %s: %v", key, err)
			}
		}

		// River marks jobs completed shortly after the handler returns.
		deadline := time.Now().Add(10 * time.Second)
		metrics := get(t, base+"/metrics")
		for !strings.Contains(metrics, `heard_queue_jobs{state="completed"} 2`) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			metrics = get(t, base+"/metrics")
		}
		for _, want := range []string{
			`heard_webhook_requests_total{code="401",connector="acme"} 3`,
			`heard_webhook_requests_total{code="202",connector="acme"} 5`,
			`heard_webhook_requests_total{code="404",connector="unknown"} 1`,
			`heard_webhook_requests_total{code="413",connector="acme"} 1`,
			`heard_webhook_requests_total{code="411",connector="any"} 1`,
			`heard_webhook_events_total{connector="acme",result="duplicate"} 2`,
			`heard_jobs_total{outcome="processed"} 2`,
			`heard_queue_jobs{state="completed"} 2`,
			`heard_enqueue_duration_seconds_count 2`, // the redelivery is answered from the dedupe cache,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// waitRecords waits until the store holds n records and fails if it holds more.
func waitRecords(t *testing.T, st store.Store, n int) []store.Record {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		recs, err := st.Records(t.Context(), store.Filter{Limit: 100000})
		if err != nil {
			t.Fatalf("Records: %v", err)
		}
		if len(recs) > n {
			t.Fatalf("%d records; want %d", len(recs), n)
		}
		if len(recs) == n {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out with %d records; want %d", len(recs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
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
		{"version", []string{"version"}, 0, "heard dev"},
		{"serve help", []string{"serve", "--help"}, 0, "--config file"},
		{"bad flag", []string{"serve", "--nope"}, 2, "unknown flag: --nope"},
		{"missing config file", []string{"serve", "--config", "/nonexistent/heard.yaml"}, 1, "/nonexistent/heard.yaml"},
		{"queue without subcommand", []string{"queue"}, 2, "queue dead"},
		{"demo moved to heard-sandbox", []string{"demo"}, 2, "go run ./cmd/heard-sandbox demo"},
		{"sandbox moved to heard-sandbox", []string{"sandbox", "--listen", ":9090"}, 2, "go run ./cmd/heard-sandbox serve"},
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

// storeLogger is a quiet logger for sandbox servers in tests.
func storeLogger(t *testing.T) *slog.Logger { return storetest.Logger(t) }

// TestEvalOnLabelledSet runs `heard eval --json` on the team's labelled set.
// The floors sit a little under the measured numbers (0.64 priority
// accuracy, 0.69 tag macro-F1 at the time of writing) to catch regressions.
func TestEvalOnLabelledSet(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"eval", "--labels", "../../classify/testdata/labelled.csv", "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("eval exit %d: %s", code, errOut.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out.String())
	}
	for _, k := range []string{"n", "priority_accuracy", "priority_macro_f1", "primary_tag_accuracy", "tag_macro_f1", "per_class", "confusion", "tickets_per_second"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("eval --json lacks key %q", k)
		}
	}
	if n, _ := rep["n"].(float64); n < 320 {
		t.Errorf("n = %v; want the whole labelled set (≥ 320)", rep["n"])
	}
	floors := map[string]float64{"priority_accuracy": 0.58, "priority_macro_f1": 0.50, "primary_tag_accuracy": 0.55, "tag_macro_f1": 0.62}
	for k, min := range floors {
		if v, _ := rep[k].(float64); v < min {
			t.Errorf("%s = %.3f; want ≥ %.2f", k, v, min)
		}
	}
}

func TestReplaySignsAndPosts(t *testing.T) {
	cfgPath := testConfig(t, "", "")
	m := startMain(t, cfgPath)
	payload := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(payload, ticketCreated("replayed-1", "900"), 0o600); err != nil {
		t.Fatal(err)
	}
	hook := "http://" + m.Addr() + "/v1/webhooks/acme"
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"signed and accepted", []string{"replay", payload, "--connector", "acme", "--config", cfgPath, "--url", hook}, 0, `"accepted":1`},
		{"again: a duplicate", []string{"replay", payload, "--connector", "acme", "--config", cfgPath, "--url", hook}, 0, `"duplicates":1`},
		{"unknown connector", []string{"replay", payload, "--connector", "nope", "--config", cfgPath, "--url", hook}, 1, `no connector named "nope"`},
		{"missing file", []string{"replay", "/nonexistent.json", "--connector", "acme", "--config", cfgPath}, 1, "reading payload"},
		{"no connector flag", []string{"replay", payload}, 2, "Usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(t.Context(), tc.args, &out, &out)
			if code != tc.code || !strings.Contains(out.String(), tc.want) {
				t.Errorf("exit %d, output %q; want %d containing %q", code, out.String(), tc.code, tc.want)
			}
		})
	}
}

// demoTicketEvent builds a Zendesk event-subscription payload.
func demoTicketEvent(kind, eventID, ticketID, subject, body string, at time.Time) []byte {
	ev := map[string]any{
		"type": "zen:event-type:ticket." + kind, "account_id": 22129848, "id": eventID,
		"time": at.Format(time.RFC3339Nano), "zendesk_event_version": "2022-11-06",
		"subject": "zen:ticket:" + ticketID,
		"detail": map[string]any{
			"actor_id": "9001", "id": ticketID, "status": "NEW", "priority": "NORMAL", "subject": subject,
			"description": body, "requester_id": "9001", "tags": []string{}, "is_public": true,
			"created_at": at.Format(time.RFC3339), "updated_at": at.Format(time.RFC3339), "via": map[string]any{"channel": "web_form"},
		},
		"event": map[string]any{"meta": map[string]any{"sequence": map[string]any{"id": "S-" + eventID, "position": 1, "total": 1}}},
	}
	b, _ := json.Marshal(ev)
	return b
}
