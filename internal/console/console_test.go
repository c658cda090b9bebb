package console_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
)

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func TestRefusesPublicAddressWithoutAuth(t *testing.T) {
	st := openSQLite(t)
	tests := []struct {
		listen string
		auth   config.Console
		ok     bool
	}{
		{"127.0.0.1:8081", config.Console{}, true},
		{"[::1]:8081", config.Console{}, true},
		{"0.0.0.0:8081", config.Console{}, false},
		{":8081", config.Console{}, false},
		{"192.0.2.10:8081", config.Console{}, false},
		{"0.0.0.0:8081", config.Console{Token: testToken}, true},
		{"0.0.0.0:8081", config.Console{ProxyHeader: "X-User", ProxyAddresses: []string{"10.0.0.1"}}, true},
	}
	for _, tc := range tests {
		_, err := console.New(console.Config{Listen: tc.listen, Auth: tc.auth, Store: st})
		if tc.ok && err != nil {
			t.Errorf("New(%s, auth %v) = %v, want it to start", tc.listen, tc.auth.HasAuth(), err)
		}
		if !tc.ok && !errors.Is(err, console.ErrPublicWithoutAuth) {
			t.Errorf("New(%s, no auth) = %v, want ErrPublicWithoutAuth", tc.listen, err)
		}
	}
}

// routes are every route that shows or changes anything.
var routes = []struct{ method, path string }{
	{"GET", "/"}, {"GET", "/tickets"}, {"GET", "/tickets?priority=P1"}, {"GET", "/tickets/acme/1"}, {"GET", "/audit"},
	{"POST", "/logout"},
	{"GET", "/model"}, {"GET", "/model/promote?version=1"}, {"POST", "/model/promote"}, {"GET", "/model/rollback"}, {"POST", "/model/rollback"},
	{"GET", "/ops"}, {"POST", "/ops/dead/1/retry"},
}

func TestUnauthenticatedRequestsAreRefused(t *testing.T) {
	st := openSQLite(t)
	seed(t, st, time.Now(), [4]string{"1", "P1", "billing", "live"})
	srv := newServer(t, st, config.Console{Token: testToken})
	c := client(t)
	forged := &http.Cookie{Name: "heard_session", Value: "forged-session-id"} //nolint:gosec // a forged cookie sent by the test, not served
	for _, withCookie := range []bool{false, true} {
		for _, rt := range routes {
			req, _ := http.NewRequestWithContext(t.Context(), rt.method, srv.URL+rt.path, strings.NewReader("csrf=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if withCookie {
				req.AddCookie(forged)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s (forged cookie %v): status %d, want 401", rt.method, rt.path, withCookie, resp.StatusCode)
			}
		}
	}
	// The login page itself is public, and shows nothing of the store.
	code, body := get(t, c, srv, "/login")
	if code != http.StatusOK || strings.Contains(body, noteText) || !strings.Contains(body, `name="token"`) {
		t.Errorf("GET /login: %d, want 200 with a token form and no ticket text", code)
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	st := openSQLite(t)
	srv := newServer(t, st, config.Console{Token: testToken})
	c := client(t)
	csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
	tests := []struct {
		name string
		form url.Values
		hdr  map[string]string
	}{
		{"no CSRF token", url.Values{}, nil},
		{"wrong CSRF token", url.Values{"csrf": {csrf + "x"}}, nil},
		{"another origin", url.Values{"csrf": {csrf}}, map[string]string{"Origin": "https://evil.example"}},
		{"cross-site fetch", url.Values{"csrf": {csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	}
	for _, tc := range tests {
		if resp := post(t, c, srv, "/logout", tc.form, tc.hdr); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: POST /logout status %d, want 403", tc.name, resp.StatusCode)
		}
	}
	if code, _ := get(t, c, srv, "/"); code != http.StatusOK {
		t.Fatalf("the refused requests signed the user out: GET / = %d", code)
	}
	// A login form posted from another site, or without the login
	// cookie's token, is refused too.
	_, body := get(t, c, srv, "/login")
	loginCSRF := csrfOf(t, body)
	if resp := post(t, c, srv, "/login", url.Values{"csrf": {loginCSRF}, "token": {testToken}}, map[string]string{"Origin": "https://evil.example"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin login: status %d, want 403", resp.StatusCode)
	}
	if resp := post(t, client(t), srv, "/login", url.Values{"csrf": {loginCSRF}, "token": {testToken}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without the login cookie: status %d, want 403", resp.StatusCode)
	}
	// The right token from the same site signs out.
	if resp := post(t, c, srv, "/logout", url.Values{"csrf": {csrf}}, map[string]string{"Origin": srv.URL}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d, want 303", resp.StatusCode)
	}
	if code, _ := get(t, c, srv, "/"); code != http.StatusUnauthorized {
		t.Errorf("after logout GET / = %d, want 401", code)
	}
}

func TestSignIn(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-pass"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	st := openSQLite(t)
	srv := newServer(t, st, config.Console{Token: testToken, Username: "ann", PasswordHash: sdkSecret(string(hash))})
	for _, tc := range []struct {
		name   string
		fields url.Values
		want   int
	}{
		{"wrong token", url.Values{"token": {"not-the-token-at-all"}}, http.StatusUnauthorized},
		{"wrong password", url.Values{"username": {"ann"}, "password": {"guess"}}, http.StatusUnauthorized},
		{"wrong user", url.Values{"username": {"bob"}, "password": {"s3cret-pass"}}, http.StatusUnauthorized},
		{"empty form", url.Values{}, http.StatusUnauthorized},
		{"token", url.Values{"token": {testToken}}, http.StatusSeeOther},
		{"password", url.Values{"username": {"ann"}, "password": {"s3cret-pass"}}, http.StatusSeeOther},
	} {
		c := client(t)
		_, body := get(t, c, srv, "/login")
		tc.fields.Set("csrf", csrfOf(t, body))
		resp := post(t, c, srv, "/login", tc.fields, nil)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.want)
			continue
		}
		if tc.want != http.StatusSeeOther {
			continue
		}
		var sess *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "heard_session" {
				sess = ck
			}
		}
		if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.MaxAge <= 0 || len(sess.Value) < 40 {
			t.Errorf("%s: session cookie %+v, want HttpOnly, SameSite=Strict, an expiry and a long random value", tc.name, sess)
		}
	}
	entries, err := st.AuditLog(t.Context(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, e := range entries {
		who = append(who, e.Actor+":"+e.Action)
	}
	if strings.Join(who, ",") != "ann:login,admin:login" {
		t.Errorf("audit log %v, want ann's then admin's sign-in (newest first)", who)
	}
}

func TestSecureCookieOverTLS(t *testing.T) {
	st := openSQLite(t)
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", TLS: true, Auth: config.Console{Token: testToken, SessionTTL: config.Duration(time.Hour)}, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	c.ServeHTTP(rec, mustRequest(t, "GET", "/login"))
	ck := rec.Result().Cookies()
	if len(ck) == 0 || !ck[0].Secure || !ck[0].HttpOnly {
		t.Errorf("cookies over TLS %+v, want Secure and HttpOnly", ck)
	}
}

func TestTrustedProxyHeader(t *testing.T) {
	st := openSQLite(t)
	// httptest serves on 127.0.0.1: trusted in the first case only.
	for _, tc := range []struct {
		proxies []string
		want    int
	}{
		{[]string{"127.0.0.0/8"}, http.StatusOK},
		{[]string{"10.0.0.0/8"}, http.StatusUnauthorized},
	} {
		srv := newServer(t, st, config.Console{ProxyHeader: "X-Forwarded-User", ProxyAddresses: tc.proxies})
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/", nil)
		req.Header.Set("X-Forwarded-User", "carol@example.com")
		resp, err := client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("proxies %v: status %d, want %d", tc.proxies, resp.StatusCode, tc.want)
		}
	}
	entries, _ := st.AuditLog(t.Context(), store.AuditFilter{Actor: "carol@example.com"})
	if len(entries) != 1 || entries[0].Action != "login" {
		t.Errorf("audit for the proxy user %+v, want one login", entries)
	}
}
