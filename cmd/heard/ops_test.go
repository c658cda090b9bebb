package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
)

// TestAdminListenerServesMetrics: with admin.listen set, /metrics moves
// off the webhook listener to the admin one; admin.metrics: main keeps it
// where it was.
func TestAdminListenerServesMetrics(t *testing.T) {
	cases := []struct {
		name                string
		extra               string
		wantMain, wantAdmin int // 0: no admin listener
	}{
		{"no admin section: metrics on the main listener", "", 200, 0},
		{"admin listener: metrics move there", "admin:\n  listen: 127.0.0.1:0\n", 404, 200},
		{"admin listener, metrics kept on main", "admin:\n  listen: 127.0.0.1:0\n  metrics: main\n", 200, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := startMain(t, testConfig(t, "", tc.extra))
			if code, _ := post(t, "http://"+m.Addr()+"/v1/webhooks/acme", ticketCreated("ev-1", "100"), nil); code != 202 {
				t.Fatalf("webhook: %d, want 202", code)
			}
			status := func(url string) (int, string) {
				resp, err := http.Get(url)
				if err != nil {
					t.Fatalf("GET %s: %v", url, err)
				}
				defer resp.Body.Close()
				var b strings.Builder
				_, _ = fmt.Fprint(&b, readAll(t, resp))
				return resp.StatusCode, b.String()
			}
			code, body := status("http://" + m.Addr() + "/metrics")
			if code != tc.wantMain {
				t.Errorf("main /metrics: %d, want %d", code, tc.wantMain)
			}
			if tc.wantMain == 200 && !strings.Contains(body, `heard_webhook_requests_total{code="202",connector="acme"} 1`) {
				t.Errorf("main /metrics lacks the webhook counter")
			}
			if tc.wantAdmin == 0 {
				if m.AdminAddr() != "" {
					t.Errorf("admin listener on %s without admin.listen", m.AdminAddr())
				}
				return
			}
			code, body = status("http://" + m.AdminAddr() + "/metrics")
			if code != tc.wantAdmin {
				t.Errorf("admin /metrics: %d, want %d", code, tc.wantAdmin)
			}
			if tc.wantAdmin == 200 && !strings.Contains(body, `heard_webhook_requests_total{code="202",connector="acme"} 1`) {
				t.Errorf("admin /metrics lacks the webhook counter:\n%.400s", body)
			}
			// The admin listener serves nothing else yet.
			if code, _ := status("http://" + m.AdminAddr() + "/v1/webhooks/acme"); code != 404 {
				t.Errorf("admin listener answers webhooks: %d, want 404", code)
			}
		})
	}
}

// TestReadyzWhenTheStoreCannotWrite makes the running store read-only
// (SQLite query_only, as a read-only or full disk; PostgreSQL
// default_transaction_read_only) and checks that /readyz turns 503 with
// "store not writable" and no internals, and recovers.
func TestReadyzWhenTheStoreCannotWrite(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		m := startMain(t, testConfig(t, dbURL, ""))
		readyz := "http://" + m.Addr() + "/readyz"
		if body := get(t, readyz); !strings.Contains(body, `"status":"ready"`) {
			t.Fatalf("/readyz before: %s", body)
		}
		var setReadOnly func(on bool)
		keepUp := func() {} // re-applied while waiting
		switch st := m.store.(type) {
		case *sqlite.Store:
			// query_only belongs to the connection, and database/sql may
			// replace the store's one connection: set it before each poll.
			setReadOnly = func(on bool) {
				keepUp = func() {}
				if on {
					keepUp = func() { _, _ = st.DB().ExecContext(t.Context(), "PRAGMA query_only = ON") }
				}
				v := map[bool]string{true: "ON", false: "OFF"}[on]
				if _, err := st.DB().ExecContext(t.Context(), "PRAGMA query_only = "+v); err != nil {
					t.Fatal(err)
				}
			}
		case *postgres.Store:
			setReadOnly = func(on bool) {
				stmt := `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$`
				if !on {
					stmt = `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database()); END $$`
				}
				conn, err := st.Pool().Acquire(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := conn.Exec(t.Context(), "SET default_transaction_read_only = off"); err != nil {
					t.Fatal(err)
				}
				if _, err := conn.Exec(t.Context(), stmt); err != nil {
					t.Fatal(err)
				}
				_ = conn.Conn().Close(t.Context())
				conn.Release()
				st.Pool().Reset()
			}
		default:
			t.Fatalf("unexpected store %T", m.store)
		}
		wait := func(want int, wantBody string) {
			t.Helper()
			deadline := time.Now().Add(15 * time.Second)
			for {
				keepUp()
				resp, err := http.Get(readyz)
				if err != nil {
					t.Fatal(err)
				}
				body := readAll(t, resp)
				resp.Body.Close()
				if resp.StatusCode == want && strings.Contains(body, wantBody) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("/readyz = %d %s; want %d with %s", resp.StatusCode, body, want, wantBody)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		setReadOnly(true)
		wait(503, `"reason":"store not writable"`)
		body := get(t, readyz)
		for _, internal := range []string{"readonly", "read-only", "heard.db", "SQLSTATE", "PostgreSQL"} {
			if strings.Contains(body, internal) {
				t.Errorf("/readyz body %s shows internals (%q)", body, internal)
			}
		}
		setReadOnly(false)
		wait(200, `"status":"ready"`)
	})
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
