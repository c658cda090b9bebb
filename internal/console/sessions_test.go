package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/sdk"
)

// clockServer serves a console over st whose clock is *now.
func clockServer(t *testing.T, st store.Store, now *atomic.Int64) *httptest.Server {
	t.Helper()
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Store: st,
		Auth: config.Console{Token: testToken, SessionTTL: config.Duration(time.Hour)},
		Now:  func() time.Time { return time.Unix(0, now.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv
}

// TestSessionsSurviveARestart: a session signed in on one console process
// works on the next one over the same database (SQLite reopened from its
// directory), with the same CSRF token; the store keeps only the token's
// hash; the session ends at its expiry and at sign-out.
func TestSessionsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var now atomic.Int64
	now.Store(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	srv := clockServer(t, st, &now)
	c := client(t)
	csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
	u, _ := url.Parse(srv.URL)
	var token string
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "heard_session" {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no session cookie")
	}
	if _, err := st.Session(t.Context(), token, time.Unix(0, now.Load())); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("the store finds the session by its plain token (%v); want it kept hashed", err)
	}
	sum := sha256.Sum256([]byte(token))
	if x, err := st.Session(t.Context(), hex.EncodeToString(sum[:]), time.Unix(0, now.Load())); err != nil || x.User != console.TokenUser {
		t.Errorf("session by hash = %+v, %v; want %s's", x, err, console.TokenUser)
	}

	// Restart: the server and the database go away and come back.
	srv.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	srv2 := clockServer(t, st, &now)
	c.Jar.SetCookies(mustURL(t, srv2.URL), []*http.Cookie{{Name: "heard_session", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode}}) //nolint:gosec // a test client's cookie over plain HTTP
	code, body := get(t, c, srv2, "/")
	if code != http.StatusOK {
		t.Fatalf("overview after a restart: %d, want 200 (the session survives)", code)
	}
	if got := csrfOf(t, body); got != csrf {
		t.Errorf("CSRF token changed across the restart")
	}
	now.Add(int64(59 * time.Minute))
	if code, _ := get(t, c, srv2, "/"); code != http.StatusOK {
		t.Errorf("a minute before expiry: %d, want 200", code)
	}
	now.Add(int64(2 * time.Minute))
	if code, _ := get(t, c, srv2, "/"); code != http.StatusUnauthorized {
		t.Errorf("after expiry: %d, want 401", code)
	}

	// A fresh session ends at sign-out, on this process and the next.
	now.Add(int64(time.Minute))
	csrf = signIn(t, c, srv2, url.Values{"token": {testToken}})
	if r := post(t, c, srv2, "/logout", url.Values{"csrf": {csrf}}, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	for _, ck := range c.Jar.Cookies(mustURL(t, srv2.URL)) {
		if ck.Name == "heard_session" {
			t.Errorf("session cookie still set after sign-out")
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSignedOutTokenIsDead: a session token replayed after sign-out is
// refused, on both stores.
func TestSignedOutTokenIsDead(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		srv := newServer(t, st, config.Console{Token: testToken})
		c := client(t)
		csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
		var token string
		for _, ck := range c.Jar.Cookies(mustURL(t, srv.URL)) {
			if ck.Name == "heard_session" {
				token = ck.Value
			}
		}
		if r := post(t, c, srv, "/logout", url.Values{"csrf": {csrf}}, nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.StatusCode)
		}
		replay := client(t)
		replay.Jar.SetCookies(mustURL(t, srv.URL), []*http.Cookie{{Name: "heard_session", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode}}) //nolint:gosec // a test client's cookie over plain HTTP
		if code, _ := get(t, replay, srv, "/"); code != http.StatusUnauthorized {
			t.Errorf("replayed token after sign-out: %d, want 401", code)
		}
	})
}

// TestOverviewCountsWriteFailures: write-back failures in the queue show
// per connector on the overview, next to the write-backs recorded; other
// job failures do not count.
func TestOverviewCountsWriteFailures(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		seed(t, st, time.Now(), [4]string{"101", "P1", "billing", "live"})
		q, err := st.Queue(queue.Config{Workers: 1, MaxAttempts: 2, RetryBase: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond, PollInterval: 50 * time.Millisecond}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(q.Close)
		h := queue.HandlerFunc(func(_ context.Context, j queue.Job, _ queue.Attempt) error {
			if strings.HasPrefix(j.Event.ID, "w") {
				return fmt.Errorf("%s %s: zendesk answered 503", store.WriteBackError, j.Event.Ticket)
			}
			return errors.New("fetching ticket: timeout")
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		if err := q.Start(ctx, h); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
			defer c()
			_ = q.Stop(sctx)
		})
		var jobs []queue.Job
		for _, id := range []string{"w1", "f1"} {
			jobs = append(jobs, queue.NewJob("acme", sdk.Event{ID: id, Kind: sdk.EventTicketCreated, Ticket: sdk.TicketRef{Connector: "acme", ID: "9" + id}, OccurredAt: time.Now()}))
		}
		if _, err := q.Enqueue(t.Context(), jobs); err != nil {
			t.Fatal(err)
		}
		waitDead(t, q, 2)
		srv := newServer(t, st, config.Console{Token: testToken})
		c := client(t)
		signIn(t, c, srv, url.Values{"token": {testToken}})
		_, body := get(t, c, srv, "/")
		// 1 written, 2 failed attempts of one dead job: 1 of 3 attempts succeeded.
		want := `<td class="ok">1</td><td class="write-failed bad">2</td><td class="write-dead bad">1</td><td class="write-rate">33%</td>`
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %s:\n%s", want, body)
		}
	})
}
