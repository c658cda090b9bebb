package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

// TestAlertsEvaluateCommand: heard alerts --evaluate runs the rules on the
// configured store now; a second evaluation in the same period fires
// nothing new, and --json lists the one alert.
func TestAlertsEvaluateCommand(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		path := testConfig(t, dbURL, "alerts:\n  csat: {min_ratings: 1}\n")
		cfg, err := config.Load(path, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		st, err := openStore(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		c := time.Now().UTC().Add(-2 * time.Hour)
		if _, err := st.AddTimeline(t.Context(),
			store.TimelineEntry{Connector: "acme", TicketID: "7", Key: "created", Kind: store.TimelineCreated, At: c, Value: "new"},
			store.TimelineEntry{Connector: "acme", TicketID: "7", Key: "rating", Kind: store.TimelineRating, At: c.Add(time.Hour), Value: "csat:2"},
		); err != nil {
			t.Fatal(err)
		}
		_ = st.Close()

		for i := range 2 {
			var out, errb bytes.Buffer
			if code := run(t.Context(), []string{"alerts", "--evaluate", "--config", path}, &out, &errb); code != 0 {
				t.Fatalf("evaluation %d: exit %d: %s", i+1, code, errb.String())
			}
			if !strings.Contains(out.String(), "csat") || !strings.Contains(out.String(), "acme") {
				t.Fatalf("evaluation %d: want the CSAT alert for acme listed, got:\n%s", i+1, out.String())
			}
		}
		var out, errb bytes.Buffer
		if code := run(t.Context(), []string{"alerts", "--json", "--config", path}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var list []map[string]any
		if err := json.Unmarshal(out.Bytes(), &list); err != nil {
			t.Fatalf("alerts --json: %v\n%s", err, out.String())
		}
		if len(list) != 1 {
			t.Fatalf("%d alerts after two evaluations in one period, want 1: %s", len(list), out.String())
		}
	})
}
