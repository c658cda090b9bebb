package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/heardhq/heard/bench/internal/benchdb"
	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/churn"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/console"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/sdk"
)

const token = "bench-console-token"

type result struct {
	Store   string  `json:"store"`
	Records int     `json:"records"`
	LoadSec float64 `json:"load_sec,omitempty"`
	Page    string  `json:"page"`
	N       int     `json:"requests"`
	P50Ms   float64 `json:"p50_ms"`
	P95Ms   float64 `json:"p95_ms"`
	MaxMs   float64 `json:"max_ms"`
	Bytes   int     `json:"bytes"` // the last response's size
}

func main() {
	n := flag.Int("n", 100000, "records in the store")
	reqs := flag.Int("requests", 100, "timed requests per page")
	stores := flag.String("stores", "sqlite,postgres", "comma-separated stores to measure")
	dbURL := flag.String("db", os.Getenv("HEARD_TEST_DATABASE_URL"), "PostgreSQL server URL (a fresh database is created on it)")
	flag.Parse()
	ctx := context.Background()
	for _, name := range strings.Split(*stores, ",") {
		if err := measure(ctx, name, *n, *reqs, *dbURL); err != nil {
			fmt.Fprintln(os.Stderr, "bench console:", err)
			os.Exit(1)
		}
	}
}

func open(ctx context.Context, name, dbURL string) (store.Store, func(), error) {
	switch name {
	case "sqlite":
		dir, err := os.MkdirTemp("", "heard-bench-console-")
		if err != nil {
			return nil, nil, err
		}
		st, err := sqlite.Open(ctx, dir)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { _ = st.Close(); _ = os.RemoveAll(dir) }, nil
	case "postgres":
		if dbURL == "" {
			return nil, nil, errors.New("no PostgreSQL: set HEARD_TEST_DATABASE_URL or --db (scripts/pg.sh run does)")
		}
		u, err := benchdb.Fresh(ctx, dbURL, "heard_bench_console")
		if err != nil {
			return nil, nil, err
		}
		st, err := postgres.Open(ctx, u)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { _ = st.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown store %q", name)
}

var (
	priorities = []sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3}
	tags       = []string{"billing", "login", "bug", "feature_request", "shipping", "account"}
	levels     = []string{"low", "medium", "high"}
)

// record builds the i-th record: ticket i/2, event i%2, processed i
// seconds before now, with a decision trace like the pipeline writes.
func record(i int, now time.Time) (store.Record, error) {
	id := fmt.Sprint(100000 + i/2)
	prio, tag := priorities[i%len(priorities)], tags[(i/2)%len(tags)]
	mode := config.ModeShadow
	if i%3 == 0 {
		mode = config.ModeLive
	}
	d := pipeline.Detail[enrich.Explanation]{
		Ticket: sdk.TicketRef{Connector: "acme", ID: id}, Mode: mode,
		Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: string(prio), Confidence: 0.82, Reason: "matched words for an outage", Source: "rules"},
			{Field: sdk.FieldPrimaryTag, Value: tag, Confidence: 0.71, Reason: "learned classifier", Source: "learned"},
		},
		Decision: &enrich.Explanation{
			Priority: prio, PriorityReason: "the customer cannot work", PrimaryTag: tag, Tags: []string{tag, "vip"},
			Churn: churn.Result{Score: i % 7, Level: levels[i%3]}, Route: route.Decision{Route: "tier-2", Rule: tag},
			Gate: []gate.Decision{
				{Field: sdk.FieldPriority, Value: string(prio), Confidence: 0.82, Threshold: 0.8, Written: mode == config.ModeLive, WouldWrite: true, Reason: "at or above threshold"},
				{Field: sdk.FieldPrimaryTag, Value: tag, Confidence: 0.71, Threshold: 0.75, Reason: "below threshold 0.75"},
			},
			Note: strings.Repeat("heard's summary of the ticket for the agent. ", 12),
		},
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return store.Record{}, err
	}
	kind := sdk.EventTicketCreated
	if i%2 == 1 {
		kind = sdk.EventTicketUpdated
	}
	return store.Record{EventKey: fmt.Sprintf("ev-%d", i), Connector: "acme", Kind: kind, TicketID: id, Status: pipeline.StatusEnriched,
		Category: tag, Attempt: 1, Detail: raw, ProcessedAt: now.Add(-time.Duration(i) * time.Second)}, nil
}

func fill(ctx context.Context, st store.Store, n int, now time.Time) error {
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				r, err := record(i, now)
				if err == nil {
					_, err = st.SaveRecord(ctx, r)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func measure(ctx context.Context, name string, n, reqs int, dbURL string) error {
	st, closeStore, err := open(ctx, name, dbURL)
	if err != nil {
		return err
	}
	defer closeStore()
	now := time.Now()
	start := time.Now()
	if err := fill(ctx, st, n, now); err != nil {
		return fmt.Errorf("%s: filling: %w", name, err)
	}
	load := time.Since(start).Seconds()
	c, err := console.New(console.Config{Listen: "127.0.0.1:0", Auth: config.Console{Token: token, SessionTTL: config.Duration(time.Hour)},
		Store: st, Modes: map[string]config.Mode{"acme": config.ModeShadow}})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(c)
	defer srv.Close()
	cl, err := signIn(ctx, srv.URL)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pages := []struct {
		name string
		path func() string
	}{
		{"overview", func() string { return "/" }},
		{"tickets", func() string { return "/tickets" }},
		{"tickets?priority=P0", func() string { return "/tickets?priority=P0" }},
		{"tickets?tag=shipping", func() string { return "/tickets?tag=shipping" }},
		{"tickets?churn=high&mode=shadow", func() string { return "/tickets?churn=high&mode=shadow" }},
		// Matches no record: the worst case, every record's trace is read.
		{"tickets?tag=none", func() string { return "/tickets?tag=no-such-tag" }},
		{"ticket", func() string { return fmt.Sprintf("/tickets/acme/%d", 100000+rng.IntN(n/2)) }},
	}
	for i, p := range pages {
		for range 3 { // warm up
			if _, err := fetch(ctx, cl, srv.URL+p.path()); err != nil {
				return err
			}
		}
		ds := make([]time.Duration, 0, reqs)
		size := 0
		for range reqs {
			t0 := time.Now()
			size, err = fetch(ctx, cl, srv.URL+p.path())
			if err != nil {
				return err
			}
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		res := result{Store: name, Records: n, Page: p.name, N: reqs, P50Ms: ms(ds[len(ds)/2]), P95Ms: ms(ds[len(ds)*95/100]), MaxMs: ms(ds[len(ds)-1]), Bytes: size}
		if i == 0 {
			res.LoadSec = load
		}
		line, _ := json.Marshal(res)
		fmt.Println(string(line))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func signIn(ctx context.Context, base string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	cl := &http.Client{Jar: jar}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	m := csrfRE.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no CSRF token on the login page")
	}
	form := url.Values{"csrf": {string(m[1])}, "token": {token}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = cl.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // followed to the overview
		return nil, fmt.Errorf("sign-in: status %d", resp.StatusCode)
	}
	return cl, nil
}

// fetch GETs url and returns the body's size; anything but 200 is an error.
func fetch(ctx context.Context, cl *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := cl.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return len(b), nil
}
