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
	"github.com/heardhq/heard/sdk"
)

// liveRoutes are the routes of the agreement page and the connector switch.
var liveRoutes = []struct{ method, path string }{
	{"GET", "/agreement"}, {"POST", "/agreement/threshold"},
	{"GET", "/connectors"}, {"GET", "/connectors/acme/mode"}, {"POST", "/connectors/acme/mode"},
}

// liveServer serves a console with an overlay in a temporary data
// directory; applied collects what the overlay handed its listener.
func liveServer(t *testing.T, st store.Store) (srv *httptest.Server, settings *overlay.Settings, applied *[]overlay.Overlay) {
	t.Helper()
	settings, err := overlay.Open(filepath.Join(t.TempDir(), overlay.FileName))
	if err != nil {
		t.Fatal(err)
	}
	var seen []overlay.Overlay
	if err := settings.OnChange(func(o overlay.Overlay) error { seen = append(seen, o); return nil }); err != nil {
		t.Fatal(err)
	}
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Auth: config.Console{Token: testToken, SessionTTL: config.Duration(time.Hour)}, Store: st,
		Modes: map[string]config.Mode{"acme": config.ModeShadow, "beta": config.ModeLive}, Settings: settings,
		Thresholds: func() map[string]float64 { return map[string]float64{"priority": 0.7, "tags": 0.6} }})
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv, settings, &seen
}

// seedFeedback stores agents' verdicts on acme: priority predictions at
// 0.9 (agreed) and 0.6 (corrected from P1 to P2), within the last days.
func seedFeedback(t *testing.T, st store.Store, now time.Time) {
	t.Helper()
	var rows []store.Feedback
	for i := range 6 {
		conf, final, agreed := 0.9, "P1", true
		if i%2 == 1 {
			conf, final, agreed = 0.6, "P2", false
		}
		rows = append(rows, store.Feedback{Connector: "acme", TicketID: "t" + string(rune('a'+i)), Field: sdk.FieldPriority,
			Predicted: "P1", Confidence: conf, Final: final, Agreed: agreed, At: now.Add(-time.Duration(i) * 24 * time.Hour)})
	}
	if err := st.SaveFeedback(t.Context(), rows); err != nil {
		t.Fatal(err)
	}
}

func TestLiveRoutesRefuseWithoutSessionOrCSRF(t *testing.T) {
	st := openSQLite(t)
	srv, settings, _ := liveServer(t, st)
	c := client(t)
	for _, rt := range liveRoutes {
		req, _ := http.NewRequestWithContext(t.Context(), rt.method, srv.URL+rt.path, strings.NewReader("csrf=x&gate=priority&threshold=0.9&mode=live&confirm=yes"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a session: %d, want 401", rt.method, rt.path, resp.StatusCode)
		}
	}
	csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
	for _, tc := range []struct {
		name, path string
		form       url.Values
		hdr        map[string]string
	}{
		{"threshold without CSRF", "/agreement/threshold", url.Values{"gate": {"priority"}, "threshold": {"0.9"}}, nil},
		{"threshold, wrong CSRF", "/agreement/threshold", url.Values{"csrf": {csrf + "x"}, "gate": {"priority"}, "threshold": {"0.9"}}, nil},
		{"threshold cross-site", "/agreement/threshold", url.Values{"csrf": {csrf}, "gate": {"priority"}, "threshold": {"0.9"}}, map[string]string{"Origin": "https://evil.example"}},
		{"mode without CSRF", "/connectors/acme/mode", url.Values{"mode": {"live"}, "confirm": {"yes"}}, nil},
		{"mode cross-site", "/connectors/acme/mode", url.Values{"csrf": {csrf}, "mode": {"live"}, "confirm": {"yes"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		if resp := post(t, c, srv, tc.path, tc.form, tc.hdr); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, resp.StatusCode)
		}
	}
	if o := settings.Current(); len(o.Thresholds)+len(o.Modes) != 0 {
		t.Errorf("refused requests changed the overlay: %+v", o)
	}
}

func TestSetThresholdAppliesAndIsAudited(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		now := time.Now()
		seedFeedback(t, st, now)
		srv, settings, applied := liveServer(t, st)
		c := client(t)
		csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
		code, body := get(t, c, srv, "/agreement")
		if code != http.StatusOK || !strings.Contains(body, `id="field-priority"`) || !strings.Contains(body, "<svg") || !strings.Contains(body, `<polyline points="`) {
			t.Fatalf("GET /agreement: %d; want the priority field with its chart:\n%s", code, body)
		}
		if !strings.Contains(body, "<td>P1</td><td>P2</td><td>3</td>") {
			t.Errorf("agreement page lacks the correction P1 → P2 three times:\n%s", body)
		}
		if !strings.Contains(body, `action="/agreement/threshold"`) || !strings.Contains(body, `value="priority"`) {
			t.Errorf("agreement page lacks the priority threshold form")
		}
		for _, bad := range []url.Values{{"gate": {"priority"}, "threshold": {"1.5"}}, {"gate": {"note"}, "threshold": {"0.5"}}, {"gate": {"priority"}, "threshold": {"x"}}} {
			bad.Set("csrf", csrf)
			if resp := post(t, c, srv, "/agreement/threshold", bad, nil); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("threshold %v: %d, want 400", bad, resp.StatusCode)
			}
		}
		resp := post(t, c, srv, "/agreement/threshold", url.Values{"csrf": {csrf}, "gate": {"priority"}, "threshold": {"0.85"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST threshold: %d, want 303", resp.StatusCode)
		}
		if got := settings.Current().Thresholds["priority"]; got != 0.85 {
			t.Errorf("overlay priority threshold %v, want 0.85", got)
		}
		if last := (*applied)[len(*applied)-1]; last.Thresholds["priority"] != 0.85 {
			t.Errorf("the listener got %+v; want priority 0.85 applied", last)
		}
		if reloaded, err := overlay.Load(settings.Path()); err != nil || reloaded.Thresholds["priority"] != 0.85 {
			t.Errorf("overlay file: %+v %v; want priority 0.85 saved", reloaded, err)
		}
		_, body = get(t, c, srv, "/agreement?set=ok")
		if !strings.Contains(body, `<b class="threshold-now">0.85</b>`) {
			t.Errorf("agreement page does not show the new threshold 0.85")
		}
		entries, err := st.AuditLog(t.Context(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if e := entries[0]; e.Action != "set threshold" || e.Actor != console.TokenUser || e.Target != "gate priority" || e.Detail != "0.70 → 0.85" || e.At.IsZero() {
			t.Errorf("newest audit entry %+v; want set threshold on gate priority by %s, 0.70 → 0.85", e, console.TokenUser)
		}
	})
}

func TestSwitchConnectorConfirmsAppliesAndIsAudited(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		seedFeedback(t, st, time.Now())
		srv, settings, applied := liveServer(t, st)
		c := client(t)
		csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
		_, body := get(t, c, srv, "/connectors")
		if !strings.Contains(body, `id="mode-acme">shadow`) || !strings.Contains(body, `href="/connectors/acme/mode"`) {
			t.Fatalf("connectors page lacks acme in shadow with its switch:\n%s", body)
		}
		code, body := get(t, c, srv, "/connectors/acme/mode")
		// 6 predictions in the last 7 days, 3 agreed; at ≥ 0.70 half written, all agreed.
		if code != http.StatusOK || !strings.Contains(body, "from shadow to live") || !strings.Contains(body, "<td>priority</td><td>6</td><td>3</td><td>50%</td><td>50%</td><td>100%</td>") {
			t.Fatalf("confirmation: %d; want shadow → live with the 7-day agreement:\n%s", code, body)
		}
		if code, _ := get(t, c, srv, "/connectors/nope/mode"); code != http.StatusNotFound {
			t.Errorf("an unknown connector's confirmation: %d, want 404", code)
		}
		if resp := post(t, c, srv, "/connectors/acme/mode", url.Values{"csrf": {csrf}, "mode": {"live"}}, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("switch without confirm: %d, want 400", resp.StatusCode)
		}
		if resp := post(t, c, srv, "/connectors/acme/mode", url.Values{"csrf": {csrf}, "mode": {"live"}, "confirm": {"yes"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("switch: %d, want 303", resp.StatusCode)
		}
		if settings.Current().Modes["acme"] != config.ModeLive || (*applied)[len(*applied)-1].Modes["acme"] != config.ModeLive {
			t.Errorf("overlay %+v; want acme live, applied", settings.Current())
		}
		if _, overview := get(t, c, srv, "/"); !strings.Contains(overview, ">acme</a></td><td>live</td>") {
			t.Errorf("overview after the switch does not show acme live")
		}
		_, body = get(t, c, srv, "/connectors?switched=acme")
		if !strings.Contains(body, `id="mode-acme">live`) || !strings.Contains(body, "acme is now live") {
			t.Errorf("connectors page after the switch does not show acme live:\n%s", body)
		}
		entries, err := st.AuditLog(t.Context(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if e := entries[0]; e.Action != "set mode" || e.Target != "connector acme" || e.Detail != "shadow → live" || e.Actor != console.TokenUser {
			t.Errorf("newest audit entry %+v; want set mode on connector acme, shadow → live", e)
		}
	})
}
