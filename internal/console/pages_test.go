package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

func sdkSecret(s string) sdk.Secret { return sdk.Secret(s) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(t *testing.T, method, path string) *http.Request {
	t.Helper()
	return httptest.NewRequestWithContext(t.Context(), method, path, nil)
}

// ticketLinks are the ticket IDs the tickets list links to, in order.
var ticketLinkRE = regexp.MustCompile(`<a class="ticket" href="/tickets/acme/([^"]+)">`)

func ticketIDs(body string) []string {
	var ids []string
	for _, m := range ticketLinkRE.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestPages(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		now := time.Now()
		seed(t, st, now,
			[4]string{"101", "P1", "billing", "live"},
			[4]string{"102", "P3", "login", "shadow"},
			[4]string{"103", "P2", "billing", "shadow"},
		)
		srv := newServer(t, st, config.Console{Token: testToken})
		c := client(t)
		signIn(t, c, srv, url.Values{"token": {testToken}})

		code, body := get(t, c, srv, "/")
		if code != http.StatusOK {
			t.Fatalf("overview: %d", code)
		}
		// acme: 3 events, 1 written (live), 3 primary-tag gates held.
		if !regexp.MustCompile(`acme</a></td><td>shadow</td><td>3</td><td class="ok">1</td><td class="write-failed">0</td><td class="write-dead">0</td><td class="write-rate">100%</td><td>0</td><td>3</td>`).MatchString(body) {
			t.Errorf("overview connector row missing or wrong:\n%s", body)
		}
		if !strings.Contains(body, `id="events-per-minute">0.2<`) {
			t.Errorf("overview: want 3 events in 15 minutes = 0.2/min")
		}

		for _, tc := range []struct {
			query string
			want  string
		}{
			{"", "101,102,103"},
			{"?priority=P3", "102"},
			{"?tag=billing", "101,103"},
			{"?tag=refund&mode=shadow", "102,103"},
			{"?mode=live", "101"},
			{"?connector=other", ""},
			{"?status=skipped", ""},
			{"?from=" + now.Add(48*time.Hour).Format(time.DateOnly), ""},
			{"?to=" + now.Format(time.DateOnly), "101,102,103"},
		} {
			code, body := get(t, c, srv, "/tickets"+tc.query)
			if code != http.StatusOK {
				t.Fatalf("tickets%s: %d", tc.query, code)
			}
			if got := strings.Join(ticketIDs(body), ","); got != tc.want {
				t.Errorf("tickets%s = %q, want %q", tc.query, got, tc.want)
			}
			if strings.Contains(body, noteText) {
				t.Errorf("tickets%s shows ticket text", tc.query)
			}
		}

		code, body = get(t, c, srv, "/tickets/acme/101")
		if code != http.StatusOK {
			t.Fatalf("ticket page: %d", code)
		}
		for _, want := range []string{
			`href="https://acme.example.com/tickets/101"`, // the help desk link
			noteText,                                // the note as the agent sees it
			"Hello, we refunded the second charge.", // the draft
			`id="rubric">9/10 (pass)`,
			"Refund for a duplicate charge", // similar solved
			"below threshold 0.70",          // the trace's gates
			"billing-team",
			`id="tags"><span class="tag">billing</span><span class="tag">refund</span></td>`, // the primary tag once
			"written back · priority P1 · internal note",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("ticket page lacks %q", want)
			}
		}
		if code, _ := get(t, c, srv, "/tickets/acme/999"); code != http.StatusNotFound {
			t.Errorf("unknown ticket: %d, want 404", code)
		}

		code, body = get(t, c, srv, "/audit")
		if code != http.StatusOK || !strings.Contains(body, "<td>admin</td><td>login</td>") {
			t.Errorf("audit page (%d) lacks admin's sign-in", code)
		}
	})
}
