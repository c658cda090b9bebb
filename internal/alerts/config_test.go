package alerts_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/alerts"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // parts of the error; none: valid
	}{
		{name: "defaults", yaml: "listen: :8080\n"},
		{name: "webhooks and thresholds", yaml: "alerts:\n  csat:\n    below: 3.5\n  webhooks:\n    - name: slack\n      url: https://hooks.example/T1\n      format: slack\n      secret: k\n"},
		{name: "unknown key with its line", yaml: "alerts:\n  csat:\n    belowe: 3.5\n", want: []string{"heard.yaml:3: alerts", `"belowe" (did you mean "below"?)`}},
		{name: "bad duration with its line", yaml: "alerts:\n  every: 5x\n", want: []string{"heard.yaml:2: alerts", "5x"}},
		{name: "invalid values", yaml: "alerts:\n  reopen_rate:\n    above: 15\n  webhooks:\n    - name: a\n      url: ftp://x\n      format: xml\n",
			want: []string{"reopen_rate.above 15", "url: want an http or https URL", `format "xml"`, "secret is required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "heard.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path, func(string) string { return "" })
			if err == nil {
				var c alerts.Config
				c, err = alerts.Load(cfg.Alerts)
				if err == nil && tc.name == "webhooks and thresholds" && (c.CSAT.Below != 3.5 || c.Webhooks[0].Format != alerts.FormatSlack || c.ReopenRate.Above != 0.15) {
					t.Errorf("loaded %+v, want csat.below 3.5 over the defaults", c)
				}
			}
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want an error with %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestDeliveryRetriesWithinARun: a 500 is retried with backoff in the
// same run; a 400 is not retried; the URL never appears in the error.
func TestDeliveryRetriesWithinARun(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case strings.HasSuffix(r.URL.Path, "/bad"):
			w.WriteHeader(http.StatusBadRequest)
		case n == 1:
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	mem := &memStore{alerts: []store.Alert{{Key: "k", Rule: "csat", Subject: "zd", FiredAt: now,
		Deliveries: []store.AlertDelivery{{Webhook: "ops"}, {Webhook: "bad"}}}}}
	c := alerts.DefaultConfig()
	c.Webhooks = []alerts.Webhook{{Name: "ops", URL: sdk.Secret(srv.URL + "/ops"), Format: alerts.FormatJSON, Secret: "k"},
		{Name: "bad", URL: sdk.Secret(srv.URL + "/token/bad"), Format: alerts.FormatJSON, Secret: "k"}}
	c.Delivery.Backoff = config.Duration(time.Millisecond)
	j, err := alerts.NewJob(alerts.JobConfig{Store: mem, Config: c, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.DeliverPending(t.Context()); err != nil {
		t.Fatalf("DeliverPending: %v", err)
	}
	if got := mem.finished["ops"]; got != "" {
		t.Errorf("ops finished with %q, want delivered after the 502 was retried", got)
	}
	if got := mem.finished["bad"]; !strings.Contains(got, "400") || strings.Contains(got, "token") {
		t.Errorf("bad finished with %q, want the 400 and no URL", got)
	}
	if calls.Load() != 3 {
		t.Errorf("requests = %d, want 3 (502 and 200 to ops, one 400 to bad)", calls.Load())
	}
}

// memStore holds pending alerts for the delivery test.
type memStore struct {
	store.Store
	alerts   []store.Alert
	finished map[string]string
}

func (m *memStore) ListAlerts(_ context.Context, _ store.AlertFilter) ([]store.Alert, error) {
	return m.alerts, nil
}
func (m *memStore) ClaimAlertDelivery(context.Context, string, string, time.Time, time.Duration) (bool, error) {
	return true, nil
}

func (m *memStore) FinishAlertDelivery(_ context.Context, _, webhook string, _ time.Time, msg string) error {
	if m.finished == nil {
		m.finished = map[string]string{}
	}
	m.finished[webhook] = msg
	return nil
}
