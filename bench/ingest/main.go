package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/heardhq/heard/bench/internal/benchdb"
	"github.com/heardhq/heard/connectors/zendesk"
)

const secret = "bench-secret"

type result struct {
	Driver       string  `json:"driver"`
	Events       int     `json:"events"`
	Concurrency  int     `json:"concurrency"`
	EventsPerSec float64 `json:"events_per_sec"`
	P50Ms        float64 `json:"p50_ms"`
	P99Ms        float64 `json:"p99_ms"`
	MaxMs        float64 `json:"max_ms"`
	Errors       int64   `json:"errors"`
	PayloadBytes int     `json:"payload_bytes"`
	RawInsertPS  float64 `json:"raw_insert_per_sec,omitempty"`
	RatioToRaw   float64 `json:"ratio_to_raw_insert,omitempty"`
}

func main() {
	n := flag.Int("n", 20000, "events per driver")
	conc := flag.Int("concurrency", 32, "concurrent senders")
	drivers := flag.String("drivers", "sqlite,postgres", "comma-separated store drivers to measure")
	dbURL := flag.String("db", os.Getenv("HEARD_TEST_DATABASE_URL"), "PostgreSQL server URL (a fresh database is created on it)")
	flood := flag.Int("flood", 0, "instead of the ingest rate: open this many slow 1 MiB uploads against heard on SQLite and report its peak RSS")
	target := flag.String("url", "", "load an already running heard instead: its webhook URL for a zendesk connector whose webhook_secret is "+secret)
	flag.Parse()
	if *flood > 0 {
		if err := runFlood(context.Background(), *flood); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *target != "" {
		res, err := load(context.Background(), *target, *n, *conc)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		res.Driver = "external"
		line, _ := json.Marshal(res)
		fmt.Println(string(line))
		return
	}
	if err := run(context.Background(), *n, *conc, strings.Split(*drivers, ","), *dbURL); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n, conc int, drivers []string, dbURL string) error {
	work, bin, err := build()
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	for _, d := range drivers {
		var res result
		switch d {
		case "sqlite":
			res, err = benchDriver(ctx, bin, work, "", n, conc)
		case "postgres":
			if dbURL == "" {
				return errors.New("postgres: set HEARD_TEST_DATABASE_URL or --db (make bench starts a server)")
			}
			var db string
			db, err = benchdb.Fresh(ctx, dbURL, "heard_bench")
			if err != nil {
				return err
			}
			res, err = benchDriver(ctx, bin, work, db, n, conc)
			if err == nil {
				res.RawInsertPS, err = rawInsertRate(ctx, db, n, conc, res.PayloadBytes)
				if res.RawInsertPS > 0 {
					res.RatioToRaw = round(res.EventsPerSec / res.RawInsertPS)
				}
			}
		default:
			return fmt.Errorf("unknown driver %q (want sqlite or postgres)", d)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		res.Driver = d
		line, _ := json.Marshal(res)
		fmt.Println(string(line))
	}
	return nil
}

// build compiles heard into a new work directory.
func build() (work, bin string, err error) {
	work, err = os.MkdirTemp("", "heard-bench-")
	if err != nil {
		return "", "", err
	}
	bin = filepath.Join(work, "heard")
	fmt.Fprintln(os.Stderr, "bench: building heard")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/heard").CombinedOutput(); err != nil {
		_ = os.RemoveAll(work)
		return "", "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return work, bin, nil
}

func event(i int) []byte {
	now := time.Now().UTC()
	b, _ := json.Marshal(map[string]any{
		"type": "zen:event-type:ticket.created", "account_id": 22129848, "id": fmt.Sprintf("bench-%d-%d", now.UnixNano(), i),
		"time": now.Format(time.RFC3339Nano), "zendesk_event_version": "2022-11-06", "subject": fmt.Sprintf("zen:ticket:%d", 10000+i),
		"detail": map[string]any{
			"actor_id": "8447388090494", "id": fmt.Sprint(10000 + i), "status": "NEW", "priority": "NORMAL",
			"subject": "Double charge on invoice", "description": "I was charged twice for my March invoice and need a refund.",
			"requester_id": "8447388090494", "tags": []string{"billing"}, "is_public": true, "type": "QUESTION",
			"created_at": now.Format(time.RFC3339), "updated_at": now.Format(time.RFC3339), "via": map[string]any{"channel": "web_form"},
		},
		"event": map[string]any{"meta": map[string]any{"sequence": map[string]any{"id": "C20565CD20591B5E81E2206E91ADFB2A", "position": 1, "total": 1}}},
	})
	return b
}

func benchDriver(ctx context.Context, bin, work, dbURL string, n, conc int) (result, error) {
	h, err := startHeard(ctx, bin, work, dbURL)
	if err != nil {
		return result{}, err
	}
	defer h.stop()
	return load(ctx, "http://"+h.addr+"/v1/webhooks/bench", n, conc)
}

// heard is a running `heard serve`.
type heard struct {
	addr string
	cmd  *exec.Cmd
}

func (h *heard) stop() { _ = h.cmd.Process.Kill(); _ = h.cmd.Wait() }

// startHeard starts heard with one zendesk connector named bench and waits
// until it listens.
func startHeard(ctx context.Context, bin, work, dbURL string) (*heard, error) {
	dir, err := os.MkdirTemp(work, "run-")
	if err != nil {
		return nil, err
	}
	cfg := fmt.Sprintf("listen: 127.0.0.1:0\ndata_dir: %q\ndatabase_url: %q\nlog_format: json\nlog_level: info\n"+
		"connectors:\n  - name: bench\n    type: zendesk\n    subdomain: bench\n    webhook_secret: %s\n", filepath.Join(dir, "data"), dbURL, secret)
	cfgPath := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	args := []string{"serve", "--config", cfgPath}
	if a := os.Getenv("BENCH_PPROF"); a != "" {
		args = append(args, "--pprof", a)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	h := &heard{cmd: cmd}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var l struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "heard listening" {
				addr <- l.Addr
			}
		}
	}()
	select {
	case h.addr = <-addr:
		return h, nil
	case <-time.After(60 * time.Second):
		h.stop()
		return nil, errors.New("heard did not start within 60s")
	}
}

// load posts n signed events to base from conc concurrent senders.
func load(ctx context.Context, base string, n, conc int) (result, error) {
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = event(i)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2, MaxConnsPerHost: conc * 2}, Timeout: 30 * time.Second}
	post := func(body []byte) (time.Duration, bool) {
		ts := time.Now().UTC().Format(time.RFC3339)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base, bytes.NewReader(body))
		req.Header.Set(zendesk.HeaderSignature, zendesk.Sign(secret, ts, body))
		req.Header.Set(zendesk.HeaderSignatureTimestamp, ts)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, false
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode == http.StatusAccepted
	}
	// Warm up connections and the first code paths outside the measurement.
	for i := range min(conc, 64) {
		post(event(-1 - i))
	}

	lat := make([]time.Duration, n)
	var next atomic.Int64
	var errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, ok := post(bodies[i])
				if !ok {
					errs.Add(1)
				}
				lat[i] = d
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) float64 { return ms(lat[min(len(lat)-1, int(p*float64(len(lat))))]) }
	fmt.Fprintf(os.Stderr, "bench: %d events in %v\n", n, elapsed.Round(time.Millisecond))
	return result{
		Events: n, Concurrency: conc, EventsPerSec: round(float64(n) / elapsed.Seconds()),
		P50Ms: pct(0.50), P99Ms: pct(0.99), MaxMs: ms(lat[len(lat)-1]), Errors: errs.Load(), PayloadBytes: len(bodies[0]),
	}, nil
}

// rawInsertRate measures single-row INSERT autocommits of size bytes at the
// given concurrency: the floor a per-request durable write would cost.
func rawInsertRate(ctx context.Context, dbURL string, n, conc, size int) (float64, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return 0, err
	}
	cfg.MaxConns = int32(conc)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_raw (id bigserial PRIMARY KEY, payload text NOT NULL)`); err != nil {
		return 0, fmt.Errorf("creating bench_raw: %w", err)
	}
	payload := strings.Repeat("x", size)
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if _, err := pool.Exec(ctx, `INSERT INTO bench_raw (payload) VALUES ($1)`, payload); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	return round(float64(n) / time.Since(start).Seconds()), nil
}

func ms(d time.Duration) float64 { return round(float64(d) / float64(time.Millisecond)) }

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
