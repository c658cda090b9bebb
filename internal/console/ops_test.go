package console_test

import (
	"context"
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
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

// newOpsServer serves a console over st with the model and operations
// pages fed by ops.
func newOpsServer(t *testing.T, st store.Store, ops console.Ops) *httptest.Server {
	t.Helper()
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Auth: config.Console{Token: testToken, SessionTTL: config.Duration(time.Hour)},
		Store: st, Modes: map[string]config.Mode{"acme": config.ModeShadow}, Ops: ops})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv
}

func saveModel(t *testing.T, st store.Store, acc, ece float64) int64 {
	t.Helper()
	meta := fmt.Sprintf(`{"metrics":{"priority":{"accuracy":%g,"ece":0.041},"tag.primary":{"accuracy":0.7,"ece":0.09}},"ece":%g}`, acc, ece)
	v, err := st.SaveModel(t.Context(), store.ModelVersion{Kind: store.ModelClassifier, Meta: []byte(meta), Blob: []byte("model bytes")})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func current(t *testing.T, st store.Store) int64 {
	t.Helper()
	v, err := st.CurrentModelVersion(t.Context(), store.ModelClassifier)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestModelPromoteAndRollback promotes and rolls back through the console
// and checks the store's current model and the audit log.
func TestModelPromoteAndRollback(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		v1, v2 := saveModel(t, st, 0.812, 0.061), saveModel(t, st, 0.857, 0.034)
		srv := newOpsServer(t, st, console.Ops{Models: st})

		// Refused before anything changes: no session, then no CSRF token.
		anon := client(t)
		if r := post(t, anon, srv, "/model/promote", url.Values{"version": {fmt.Sprint(v1)}}, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("promote without a session: %d, want 401", r.StatusCode)
		}
		c := client(t)
		csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
		if r := post(t, c, srv, "/model/promote", url.Values{"version": {fmt.Sprint(v1)}}, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("promote without CSRF: %d, want 403", r.StatusCode)
		}
		if r := post(t, c, srv, "/model/rollback", url.Values{"csrf": {"wrong"}}, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("rollback with a wrong CSRF token: %d, want 403", r.StatusCode)
		}
		if got := current(t, st); got != 0 {
			t.Fatalf("current model %d after refused requests, want none", got)
		}

		code, body := get(t, c, srv, "/model")
		if code != http.StatusOK {
			t.Fatalf("/model: %d", code)
		}
		for _, want := range []string{"0.812", "0.857", "0.061", "0.034", "0.041", `id="promote-` + fmt.Sprint(v2) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("/model lacks %q", want)
			}
		}
		// The calibration chart: one bar group per version, oldest first.
		if i := strings.Index(body, `id="calibration-chart"`); i < 0 || strings.Index(body, ">v1<") > strings.Index(body, ">v2<") ||
			strings.Count(body, `<rect class="ece-all"`) != 2 || !strings.Contains(body, "version 2 ECE 0.034") {
			t.Errorf("/model lacks the calibration chart with both versions:\n%s", body)
		}
		// A change without its confirmation changes nothing.
		if r := post(t, c, srv, "/model/promote", url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v1)}}, nil); r.StatusCode != http.StatusBadRequest {
			t.Errorf("promote without confirm: %d, want 400", r.StatusCode)
		}
		if got := current(t, st); got != 0 {
			t.Fatalf("current model %d after an unconfirmed promotion, want none", got)
		}
		for _, v := range []int64{v1, v2} {
			code, page := get(t, c, srv, fmt.Sprintf("/model/promote?version=%d", v))
			if code != http.StatusOK || !strings.Contains(page, `id="confirm-promote"`) || !strings.Contains(page, `name="confirm" value="yes"`) {
				t.Fatalf("promote %d confirmation page: %d\n%s", v, code, page)
			}
			if v == v2 && !strings.Contains(page, `<td>ECE</td><td class="ok">0.034</td><td>0.061</td>`) {
				t.Errorf("promote %d confirmation lacks its ECE against the current one's:\n%s", v, page)
			}
			if r := post(t, c, srv, "/model/promote", url.Values{"csrf": {csrf}, "version": {fmt.Sprint(v)}, "confirm": {"yes"}}, nil); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("promote %d: %d, want 303", v, r.StatusCode)
			}
			if got := current(t, st); got != v {
				t.Fatalf("current model %d after promoting %d", got, v)
			}
		}
		if r := post(t, c, srv, "/model/rollback", url.Values{"csrf": {csrf}}, nil); r.StatusCode != http.StatusBadRequest {
			t.Errorf("rollback without confirm: %d, want 400", r.StatusCode)
		}
		if got := current(t, st); got != v2 {
			t.Fatalf("current model %d after an unconfirmed rollback, want %d", got, v2)
		}
		if code, page := get(t, c, srv, "/model/rollback"); code != http.StatusOK || !strings.Contains(page, `id="confirm-rollback"`) ||
			!strings.Contains(page, "Roll back model 2?") || !strings.Contains(page, "<td>ECE</td><td class=\"\">0.034</td>") {
			t.Errorf("rollback confirmation page: %d\n%s", code, page)
		}
		if r := post(t, c, srv, "/model/rollback", url.Values{"csrf": {csrf}, "confirm": {"yes"}}, nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("rollback: %d, want 303", r.StatusCode)
		}
		if got := current(t, st); got != v1 {
			t.Fatalf("current model %d after rollback, want %d", got, v1)
		}
		_, body = get(t, c, srv, "/model?msg=rolledback")
		if !strings.Contains(body, "Rolled back") {
			t.Errorf("/model?msg=rolledback lacks its notice")
		}
		if _, b := get(t, c, srv, "/model?msg=<i>any+text</i>"); strings.Contains(b, "any text") {
			t.Errorf("/model shows free text from the URL")
		}
		if !strings.Contains(body, `<b id="current">`+fmt.Sprint(v1)+`</b>`) {
			t.Errorf("/model does not show %d as current", v1)
		}
		if r := post(t, c, srv, "/model/promote", url.Values{"csrf": {csrf}, "version": {"999"}, "confirm": {"yes"}}, nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("promote a missing version: %d, want 303 back to the page", r.StatusCode)
		}
		if got := current(t, st); got != v1 {
			t.Errorf("promoting a missing version changed the current model to %d", got)
		}

		log, err := st.AuditLog(t.Context(), store.AuditFilter{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var changes []string
		for _, e := range log {
			if strings.HasPrefix(e.Action, "model.") {
				if e.Actor != console.TokenUser || e.At.IsZero() {
					t.Errorf("audit entry %+v: want actor %s and a time", e, console.TokenUser)
				}
				changes = append(changes, e.Action+" "+e.Target)
			}
		}
		want := []string{ // newest first
			fmt.Sprintf("model.rollback classifier model %d", v1),
			fmt.Sprintf("model.promote classifier model %d", v2),
			fmt.Sprintf("model.promote classifier model %d", v1),
		}
		if strings.Join(changes, "|") != strings.Join(want, "|") {
			t.Errorf("audited model changes:\n%v\nwant\n%v", changes, want)
		}
	})
}

// TestRetryDeadLetter dead-letters a job on a real queue, retries it from
// the operations page and checks a worker runs it again.
func TestRetryDeadLetter(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		q, err := st.Queue(queue.Config{Workers: 1, MaxAttempts: 3, PollInterval: 50 * time.Millisecond}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(q.Close)
		var runs atomic.Int32
		h := queue.HandlerFunc(func(context.Context, queue.Job, queue.Attempt) error {
			if runs.Add(1) == 1 {
				return fmt.Errorf("zendesk rejected the update: %w", sdk.ErrInvalid) // permanent: dead-lettered at once
			}
			return nil
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
		ev := sdk.Event{ID: "delivery-1", Kind: sdk.EventTicketCreated, Ticket: sdk.TicketRef{Connector: "acme", ID: "4711"}, OccurredAt: time.Now()}
		if _, err := q.Enqueue(t.Context(), []queue.Job{queue.NewJob("acme", ev)}); err != nil {
			t.Fatal(err)
		}
		dead := waitDead(t, q, 1)
		id := dead[0].ID

		srv := newOpsServer(t, st, console.Ops{Dead: q})
		c := client(t)
		csrf := signIn(t, c, srv, url.Values{"token": {testToken}})
		code, body := get(t, c, srv, "/ops")
		if code != http.StatusOK {
			t.Fatalf("/ops: %d", code)
		}
		for _, want := range []string{"zendesk rejected the update", "4711", "delivery-1", fmt.Sprintf(`id="retry-%d"`, id)} {
			if !strings.Contains(body, want) {
				t.Errorf("/ops lacks %q", want)
			}
		}
		path := fmt.Sprintf("/ops/dead/%d/retry", id)
		if r := post(t, client(t), srv, path, url.Values{}, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("retry without a session: %d, want 401", r.StatusCode)
		}
		if r := post(t, c, srv, path, url.Values{}, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("retry without CSRF: %d, want 403", r.StatusCode)
		}
		if got := runs.Load(); got != 1 {
			t.Fatalf("the job ran %d times before the retry, want 1", got)
		}
		if r := post(t, c, srv, path, url.Values{"csrf": {csrf}}, nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("retry: %d, want 303", r.StatusCode)
		}
		deadline := time.Now().Add(20 * time.Second)
		for runs.Load() < 2 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := runs.Load(); got != 2 {
			t.Fatalf("the retried job ran %d times, want 2", got)
		}
		waitDead(t, q, 0)
		log, err := st.AuditLog(t.Context(), store.AuditFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) == 0 || log[0].Action != "queue.retry" || log[0].Target != fmt.Sprintf("job %d", id) || log[0].Actor != console.TokenUser {
			t.Errorf("newest audit entry %+v, want queue.retry of job %d by %s", log, id, console.TokenUser)
		}
		if r := post(t, c, srv, "/ops/dead/99999/retry", url.Values{"csrf": {csrf}}, nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("retry of a missing job: %d, want 303 back to the page", r.StatusCode)
		}
	})
}

// waitDead waits until the queue holds n dead jobs.
func waitDead(t *testing.T, q queue.Queue, n int) []queue.DeadJob {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		dead, err := q.Dead(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(dead) == n {
			return dead
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d dead jobs, want %d", len(dead), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type fakeKB struct{ queries []string }

func (f *fakeKB) Stats(context.Context) (kb.Stats, error) {
	return kb.Stats{Articles: 42, Chunks: 317, Model: "local-hash", Dim: 256,
		Sources: []kb.SourceStats{{Source: "acme-help", Articles: 42, Chunks: 317, LastSync: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}}}, nil
}

func (f *fakeKB) Search(_ context.Context, q kb.Query) ([]kb.Match, error) {
	f.queries = append(f.queries, q.Text)
	if q.Text == "broken" {
		return nil, errors.New("index gone")
	}
	return []kb.Match{{Source: "acme-help", Title: "Refunds for duplicate charges", URL: "https://help.example.com/refunds", Score: 0.71, Answer: 0.64}}, nil
}

type fakePlugins []plugins.Status

func (f fakePlugins) Status() []plugins.Status { return f }

// TestOpsPage renders alerts, plugins and the knowledge base, and runs a
// search typed in the box.
func TestOpsPage(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		now := time.Now()
		if _, err := st.AddAlert(t.Context(), store.Alert{Key: "k1", Rule: "sla_breaches", Subject: "acme", Period: "2026-12-07", Message: "5 SLA breaches in an hour", FiredAt: now.Add(-time.Hour)}, nil); err != nil {
			t.Fatal(err)
		}
		seed(t, st, now, [4]string{"101", "urgent", "billing", "live"})
		k := &fakeKB{}
		pl := fakePlugins{{Name: "sentiment", Version: "1.2.0", Kinds: []sdkplugin.Kind{"enricher"}, PID: 4242, Starts: 3, Failures: 2,
			SkippedUntil: now.Add(time.Minute), LastError: "plugin exited"}}
		srv := newOpsServer(t, st, console.Ops{KB: k, Plugins: pl, Reports: st})
		if code, _ := get(t, client(t), srv, "/ops"); code != http.StatusUnauthorized {
			t.Errorf("/ops without a session: %d, want 401", code)
		}
		c := client(t)
		signIn(t, c, srv, url.Values{"token": {testToken}})
		code, body := get(t, c, srv, "/ops?q="+url.QueryEscape("refund twice"))
		if code != http.StatusOK {
			t.Fatalf("/ops: %d\n%s", code, body)
		}
		for _, want := range []string{"5 SLA breaches in an hour", "sentiment", "pid 4242", "open until", "plugin exited",
			"42 articles in 317 chunks", "acme-help", "Refunds for duplicate charges", "64%", "Weekly report", "The queue is not connected"} {
			if !strings.Contains(body, want) {
				t.Errorf("/ops lacks %q", want)
			}
		}
		if len(k.queries) != 1 || k.queries[0] != "refund twice" {
			t.Errorf("searches %q, want the typed query", k.queries)
		}
		_, body = get(t, c, srv, "/ops?q=broken")
		if !strings.Contains(body, "the search failed") {
			t.Errorf("a failed search is not reported")
		}
		if _, body = get(t, c, srv, "/ops"); strings.Contains(body, `id="kb-matches"`) {
			t.Errorf("matches shown without a query")
		}
	})
}

// TestOverviewShowsTheOldestWaitingJob: with a job queued and no worker
// running, the overview says how long the oldest one has waited.
func TestOverviewShowsTheOldestWaitingJob(t *testing.T) {
	drivers(t, func(t *testing.T, st store.Store) {
		srv := newServer(t, st, config.Console{Enabled: true, Token: testToken})
		c := client(t)
		signIn(t, c, srv, url.Values{"token": {testToken}})
		_, body := get(t, c, srv, "/")
		if !strings.Contains(body, `id="oldest-job">—<`) {
			t.Fatalf("an empty queue shows an oldest job:\n%s", body)
		}
		q, err := st.Queue(queue.Config{Workers: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(q.Close)
		ev := sdk.Event{ID: "waiting-1", Kind: sdk.EventTicketCreated, Ticket: sdk.TicketRef{Connector: "acme", ID: "1"}, OccurredAt: time.Now()}
		if _, err := q.Enqueue(t.Context(), []queue.Job{queue.NewJob("acme", ev)}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond)
		_, body = get(t, c, srv, "/")
		i := strings.Index(body, `id="oldest-job">`)
		if i < 0 {
			t.Fatal("no oldest-job card")
		}
		shown := body[i+len(`id="oldest-job">`):]
		shown = shown[:strings.IndexByte(shown, '<')]
		if d, err := time.ParseDuration(shown); err != nil || d < time.Second || d > time.Minute {
			t.Errorf("oldest job waiting = %q; want about a second", shown)
		}
	})
}
