package alerts_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/alerts"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

const secret = "s3cret-hmac-key"

// receiver verifies every delivery and counts them per alert key; it
// answers 500 to the first delivery of each key to each webhook (path).
type receiver struct {
	mu     sync.Mutex
	ok     map[string]int // accepted deliveries per key
	failed map[string]int
	bad    []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := alerts.Verify(secret, req.Header, body, time.Now(), 24*365*time.Hour); err != nil {
		r.bad = append(r.bad, err.Error())
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if err := alerts.Verify("wrong", req.Header, body, time.Now(), 24*365*time.Hour); err == nil {
		r.bad = append(r.bad, "a wrong secret verified")
	}
	key := req.Header.Get(alerts.HeaderAlertKey)
	if r.failed[req.URL.Path+" "+key] == 0 {
		r.failed[req.URL.Path+" "+key]++
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	r.ok[key]++
}

// seed gives every rule one condition at now.
func seed(t *testing.T, s store.Store, now time.Time) {
	t.Helper()
	ctx := t.Context()
	day := 24 * time.Hour
	var es []store.TimelineEntry
	add := func(ticket, key, kind, value string, ago time.Duration) {
		es = append(es, store.TimelineEntry{Connector: "zd", TicketID: ticket, Key: key, Kind: kind, Value: value, At: now.Add(-ago)})
	}
	for i, score := range []string{"2", "3", "4", "3", "5"} { // CSAT 3.4
		add(fmt.Sprintf("r%d", i), "rating", store.TimelineRating, "csat:"+score, day)
	}
	add("n1", "rating", store.TimelineRating, "nps:3", day)
	for i := range 10 { // 2 of 10 reopened
		id := fmt.Sprintf("s%d", i)
		add(id, "solved", store.TimelineSolved, "solved", 2*day)
		if i < 2 {
			add(id, "reopened", store.TimelineReopened, "open", day)
		}
	}
	add("late", "created", store.TimelineCreated, "open", 3*time.Hour) // P1, no reply for 3 h
	add("late", "priority", store.TimelinePriority, "P1", 3*time.Hour)
	if _, err := s.AddTimeline(ctx, es...); err != nil {
		t.Fatalf("AddTimeline: %v", err)
	}
	for i := range 3 {
		if _, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprintf("c%d", i), Connector: "zd", Kind: sdk.EventTicketCreated,
			TicketID: fmt.Sprintf("c%d", i), Status: "processed", Requester: "ann", Attempt: 1, ProcessedAt: now.Add(-time.Duration(i+1) * day)}); err != nil {
			t.Fatalf("SaveRecord: %v", err)
		}
	}
}

var wantKeys = []string{"csat:zd:2026-12-07", "first_response:zd/late:sla-period-1", "nps_detractor:zd/n1:rating",
	"reopen_rate:zd:2026-12-07", "repeat_customer:zd/ann:2026-W50"}

func newJob(t *testing.T, s store.Store, url string, now time.Time) *alerts.Job {
	t.Helper()
	c := alerts.DefaultConfig()
	c.Webhooks = []alerts.Webhook{{Name: "ops", URL: sdk.Secret(url + "/ops"), Format: alerts.FormatJSON, Secret: secret},
		{Name: "slack", URL: sdk.Secret(url + "/slack"), Format: alerts.FormatSlack, Secret: secret}}
	c.Delivery.Attempts, c.Delivery.Backoff = 1, config.Duration(time.Millisecond) // one try per run: the 500 is retried by the next run
	j, err := alerts.NewJob(alerts.JobConfig{Store: s, Config: c, Clock: alerts.Clock{Policy: sla.DefaultPolicy()},
		Logger: storetest.Logger(t), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("NewJob: %v", err)
	}
	return j
}

// checkOnce runs the jobs (replicas) at once, three times, then checks
// every alert was stored once and delivered once to each webhook, the
// first try having been answered 500 and retried by the next run.
func checkOnce(t *testing.T, s store.Store, rcv *receiver, jobs func(now time.Time) []*alerts.Job) {
	t.Helper()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	seed(t, s, now)
	for run, at := range []time.Time{now, now.Add(2 * time.Minute), now.Add(5 * time.Minute)} {
		var wg sync.WaitGroup
		for _, j := range jobs(at) {
			wg.Go(func() {
				if err := j.Run(t.Context()); err != nil {
					t.Errorf("run %d: %v", run+1, err)
				}
			})
		}
		wg.Wait()
	}
	got, err := s.ListAlerts(t.Context(), store.AlertFilter{})
	if err != nil {
		t.Fatalf("ListAlerts: %v", err)
	}
	var keys []string
	for _, a := range got {
		keys = append(keys, a.Key)
		if !a.Delivered() {
			t.Errorf("alert %s not delivered: %+v", a.Key, a.Deliveries)
		}
		for _, d := range a.Deliveries {
			if d.Attempts != 2 {
				t.Errorf("alert %s to %s took %d attempts, want 2 (a 500, then 200)", a.Key, d.Webhook, d.Attempts)
			}
		}
	}
	if len(keys) != len(wantKeys) {
		t.Fatalf("alerts stored = %v, want %v", keys, wantKeys)
	}
	for _, w := range wantKeys {
		found := false
		for _, k := range keys {
			found = found || strings.HasPrefix(k, w)
		}
		if !found {
			t.Errorf("alert %s missing from %v", w, keys)
		}
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bad) > 0 {
		t.Errorf("bad signatures: %v", rcv.bad)
	}
	for _, k := range keys {
		if rcv.ok[k] != 2 || rcv.failed["/ops "+k] != 1 || rcv.failed["/slack "+k] != 1 {
			t.Errorf("alert %s: %d accepted deliveries, want 2 (ops and slack), each after one 500", k, rcv.ok[k])
		}
	}
}

func newReceiver(t *testing.T) (*receiver, string) {
	rcv := &receiver{ok: map[string]int{}, failed: map[string]int{}}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	return rcv, srv.URL
}

func TestJobFiresOnceAndDeliversSQLite(t *testing.T) {
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	rcv, url := newReceiver(t)
	checkOnce(t, s, rcv, func(now time.Time) []*alerts.Job { return []*alerts.Job{newJob(t, s, url, now)} })
}

func TestJobFiresOnceAcrossPostgresReplicas(t *testing.T) {
	if os.Getenv(storetest.EnvDatabaseURL) == "" {
		t.Fatalf("%s is not set: run scripts/pg.sh run go test ./internal/alerts/...", storetest.EnvDatabaseURL)
	}
	u := storetest.PostgresURL(t)
	var replicas []store.Store
	for range 2 {
		s, err := postgres.Open(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		replicas = append(replicas, s)
	}
	rcv, url := newReceiver(t)
	checkOnce(t, replicas[0], rcv, func(now time.Time) []*alerts.Job {
		return []*alerts.Job{newJob(t, replicas[0], url, now), newJob(t, replicas[1], url, now)}
	})
}
