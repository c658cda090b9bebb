package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/overlay"
	"github.com/heardhq/heard/internal/store"
)

// TestEveryGateIsSettable: the agreement page lists every configured gate
// (not only priority and tags) with a form, a field with its own gate is
// shown with it, each gate's threshold is set through the overlay and
// audited, and a gate the config does not have is refused.
func TestEveryGateIsSettable(t *testing.T) {
	st := openSQLite(t)
	settings, err := overlay.Open(filepath.Join(t.TempDir(), overlay.FileName))
	if err != nil {
		t.Fatal(err)
	}
	gates := map[string]float64{"priority": 0.7, "tags": 0.6, "fields": 0.7, "note": 0, "sentiment": 0.8}
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Auth: config.Console{Token: testToken, SessionTTL: config.Duration(time.Hour)}, Store: st,
		Modes: map[string]config.Mode{"acme": config.ModeShadow}, Settings: settings, Thresholds: func() map[string]float64 { return gates }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	if err := st.SaveFeedback(t.Context(), []store.Feedback{{Connector: "acme", TicketID: "1", Field: "sentiment", Predicted: "angry",
		Confidence: 0.9, Final: "angry", Agreed: true, At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	cl := client(t)
	csrf := signIn(t, cl, srv, url.Values{"token": {testToken}})
	_, body := get(t, cl, srv, "/agreement")
	for name := range gates {
		if !strings.Contains(body, `<tr id="gate-`+name+`">`) || !strings.Contains(body, `name="gate" value="`+name+`"`) {
			t.Errorf("agreement page lacks gate %s with its form", name)
		}
	}
	if i := strings.Index(body, `id="field-sentiment"`); i < 0 || !strings.Contains(body[i:], "Gate <b>sentiment</b>") {
		t.Errorf("the sentiment field is not shown with its own gate")
	}
	for _, tc := range []struct {
		gate, value string
		want        int
	}{
		{"note", "0.5", http.StatusSeeOther},
		{"sentiment", "0.95", http.StatusSeeOther},
		{"fields", "0.75", http.StatusSeeOther},
		{"language", "0.5", http.StatusBadRequest}, // not configured
		{"sentiment", "NaN", http.StatusBadRequest},
		{"fields", "-0.1", http.StatusBadRequest},
	} {
		resp := post(t, cl, srv, "/agreement/threshold", url.Values{"csrf": {csrf}, "gate": {tc.gate}, "threshold": {tc.value}}, nil)
		if resp.StatusCode != tc.want {
			t.Errorf("set %s to %s: %d, want %d", tc.gate, tc.value, resp.StatusCode, tc.want)
		}
	}
	got := settings.Current().Thresholds
	if got["note"] != 0.5 || got["sentiment"] != 0.95 || got["fields"] != 0.75 || len(got) != 3 {
		t.Errorf("overlay thresholds %v, want note 0.5, sentiment 0.95, fields 0.75", got)
	}
	_, body = get(t, cl, srv, "/agreement")
	if i := strings.Index(body, `<tr id="gate-sentiment">`); i < 0 || !strings.Contains(body[i:i+300], "0.95 <span class=\"muted\">(set here)</span>") {
		t.Errorf("gates table does not show sentiment's new threshold")
	}
	entries, err := st.AuditLog(t.Context(), store.AuditFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Target != "gate fields" || entries[1].Target != "gate sentiment" || entries[1].Detail != "0.80 → 0.95" || entries[2].Target != "gate note" {
		t.Errorf("audit log %+v; want the three threshold changes", entries)
	}
}
