package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/bench/internal/benchdb"
	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
)

// setting is one queue configuration to measure.
type setting struct {
	Name          string
	Workers       int
	FetchCooldown map[string]string // by driver; empty: heard's default
}

var (
	tuned    = setting{Name: "default"}
	untuned  = setting{Name: "before", Workers: 8, FetchCooldown: map[string]string{"postgres": "100ms", "sqlite": "50ms"}}
	zdSecret = "sandbox-secret-zendesk"
)

type result struct {
	Driver         string  `json:"driver"`
	Setting        string  `json:"setting"`
	Workers        int     `json:"workers"`
	Events         int     `json:"events"`
	IngestPerSec   float64 `json:"ingest_per_sec"`
	DrainPerSec    float64 `json:"drain_per_sec"`
	DrainSeconds   float64 `json:"drain_seconds"`
	BacklogAtEnd   int     `json:"backlog_when_ingest_ended"`
	IngestErrors   int64   `json:"ingest_errors"`
	Speedup        float64 `json:"default_drain_speedup_over_this,omitempty"`
	FailedInDrain  int     `json:"failed_jobs,omitempty"`
	TicketsInDesks int     `json:"tickets"`
	// HeardCPUSec is the CPU time the heard process spent from the start
	// of the burst until it was drained, and CPUMsPerEvent that per event:
	// unlike the rates it hardly depends on what else the machine runs.
	HeardCPUSec   float64 `json:"heard_cpu_s"`
	CPUMsPerEvent float64 `json:"heard_cpu_ms_per_event"`
	// DBCPUMsPerEvent is the CPU the local PostgreSQL server's processes
	// spent per event over the same span (PostgreSQL only; 0 when the
	// server's processes cannot be read, e.g. a remote database).
	DBCPUMsPerEvent float64 `json:"db_cpu_ms_per_event,omitempty"`
}

func main() {
	n := flag.Int("n", 20000, "events in the burst")
	conc := flag.Int("concurrency", 32, "concurrent senders")
	workers := flag.Int("workers", 0, "queue.workers for the default setting (0: heard's default)")
	drivers := flag.String("drivers", "sqlite,postgres", "comma-separated store drivers to measure")
	compare := flag.Bool("compare", false, "also measure the settings heard had before tuning, and print ratios")
	dbURL := flag.String("db", os.Getenv("HEARD_TEST_DATABASE_URL"), "PostgreSQL server URL (a fresh database is created on it)")
	cooldown := flag.String("fetch-cooldown", "", "queue.fetch_cooldown for the default setting (empty: heard's default)")
	binary := flag.String("bin", "", "measure this heard binary instead of building ./cmd/heard (to compare two builds)")
	tickets := flag.Int("tickets", 2000, "distinct sandbox tickets the burst's events refer to (round robin)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the benchmark process itself (the sandbox desks and the senders) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: --cpuprofile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *tickets < 1 {
		fmt.Fprintln(os.Stderr, "bench: --tickets must be at least 1")
		os.Exit(2)
	}
	tuned.Workers = *workers
	if *cooldown != "" {
		tuned.FetchCooldown = map[string]string{"sqlite": *cooldown, "postgres": *cooldown}
	}
	if err := run(context.Background(), *n, *conc, *tickets, strings.Split(*drivers, ","), *dbURL, *binary, *compare); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, n, conc, tickets int, drivers []string, dbURL, binary string, compare bool) error {
	work, err := os.MkdirTemp("", "heard-drain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := binary
	if bin == "" {
		bin = filepath.Join(work, "heard")
		fmt.Fprintln(os.Stderr, "bench: building heard")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/heard").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %w\n%s", err, out)
		}
	}
	settings := []setting{tuned}
	if compare {
		settings = append(settings, untuned)
	}
	for _, d := range drivers {
		var base float64
		for i, st := range settings {
			db := ""
			switch d {
			case "sqlite":
			case "postgres":
				if dbURL == "" {
					return errors.New("postgres: set HEARD_TEST_DATABASE_URL or --db (make bench starts a server)")
				}
				if db, err = benchdb.Fresh(ctx, dbURL, "heard_drain"); err != nil {
					return err
				}
			default:
				return fmt.Errorf("unknown driver %q (want sqlite or postgres)", d)
			}
			res, err := benchOne(ctx, bin, work, d, db, st, n, conc, tickets)
			if err != nil {
				return fmt.Errorf("%s (%s): %w", d, st.Name, err)
			}
			if i == 0 {
				base = res.DrainPerSec
			} else if res.DrainPerSec > 0 {
				res.Speedup = round(base / res.DrainPerSec)
			}
			line, _ := json.Marshal(res)
			fmt.Println(string(line))
		}
	}
	return nil
}

func benchOne(ctx context.Context, bin, work, driver, dbURL string, st setting, n, conc, nTickets int) (result, error) {
	dir, err := os.MkdirTemp(work, driver+"-")
	if err != nil {
		return result{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	env, err := desks.Start(desks.Config{Listen: "127.0.0.1:0", HeardURL: "http://" + addr, Account: "acme", Logger: quiet})
	if err != nil {
		return result{}, err
	}
	defer env.Close()

	queueCfg := "queue:\n"
	if st.Workers > 0 {
		queueCfg += fmt.Sprintf("  workers: %d\n", st.Workers)
	}
	if c := st.FetchCooldown[driver]; c != "" {
		queueCfg += fmt.Sprintf("  fetch_cooldown: %s\n", c)
	}
	cfg := fmt.Sprintf("listen: %q\ndata_dir: %q\ndatabase_url: %q\nlog_format: json\nlog_level: warn\n%s%s",
		addr, filepath.Join(dir, "data"), dbURL, queueCfg, connectors(env))
	cfgPath := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return result{}, err
	}
	args := []string{"serve", "--config", cfgPath}
	if a := os.Getenv("BENCH_PPROF"); a != "" {
		args = append(args, "--pprof", a)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	logs, err := os.Create(filepath.Join(dir, "heard.log"))
	if err != nil {
		return result{}, err
	}
	defer logs.Close()
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2, MaxConnsPerHost: conc * 2}, Timeout: 30 * time.Second}
	if err := waitReady(ctx, client, base); err != nil {
		return result{}, fmt.Errorf("%w (log: %s)", err, tail(logs.Name()))
	}

	// Real tickets, nTickets of them with varied messages: the burst's
	// events refer to them round robin, so every job fetches a ticket from
	// the sandbox as in production and triage sees many different texts.
	tickets, err := seedTickets(ctx, env, nTickets, conc)
	if err != nil {
		return result{}, err
	}
	settled, err := waitSettled(ctx, client, base, 60*time.Second+time.Duration(nTickets)*10*time.Millisecond)
	if err != nil {
		return result{}, err
	}

	bodies := make([][]byte, n)
	for i := range bodies {
		t := tickets[i%len(tickets)]
		bodies[i] = event(i, t.id, t.msg)
	}
	cpu0, err := cpuSeconds(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	db0 := serverCPUSeconds("postgres")
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
				if !post(ctx, client, base+"/v1/webhooks/"+desks.ConnectorName("zendesk"), bodies[i]) {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	ingest := time.Since(start)
	done, _, err := finished(ctx, client, base)
	if err != nil {
		return result{}, err
	}
	backlog := n - int(done-settled)
	want := settled + float64(n) - float64(errs.Load())
	var failed float64
	for {
		done, failed, err = finished(ctx, client, base)
		if err != nil {
			return result{}, err
		}
		if done+failed >= want {
			break
		}
		if time.Since(start) > 15*time.Minute {
			return result{}, fmt.Errorf("burst not drained after 15 minutes: %.0f of %d done", done-settled, n)
		}
		// Each /metrics scrape counts the queue's jobs by state, a scan of
		// every job on SQLite: poll gently so the measurement does not
		// become the load (a 20ms poll took ~45% of heard's CPU).
		time.Sleep(250 * time.Millisecond)
	}
	drain := time.Since(start)
	cpu1, err := cpuSeconds(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	var dbMs float64
	if driver == "postgres" {
		dbMs = round((serverCPUSeconds("postgres") - db0) * 1000 / float64(n))
	}
	workers := st.Workers // 0: heard's default
	fmt.Fprintf(os.Stderr, "bench: %s/%s: %d events ingested in %v, drained in %v\n", driver, st.Name, n, ingest.Round(time.Millisecond), drain.Round(time.Millisecond))
	return result{
		Driver: driver, Setting: st.Name, Workers: workers, Events: n,
		IngestPerSec: round(float64(n) / ingest.Seconds()), DrainPerSec: round(float64(n) / drain.Seconds()),
		DrainSeconds: round(drain.Seconds()), BacklogAtEnd: backlog, IngestErrors: errs.Load(), FailedInDrain: int(failed),
		TicketsInDesks: len(tickets),
		HeardCPUSec:    round(cpu1 - cpu0), CPUMsPerEvent: round((cpu1 - cpu0) * 1000 / float64(n)),
		DBCPUMsPerEvent: dbMs,
	}, nil
}

// connectors is the sandbox's connectors block in shadow mode, with the
// Zendesk connector's client-side rate limit lifted: the benchmark
// measures heard, not a plan's API budget.
func connectors(env *desks.Env) string {
	return strings.Replace(env.ConnectorsYAML("shadow"), "webhook_secret: "+zdSecret+",",
		"webhook_secret: "+zdSecret+", rate_limit: {rate_per_minute: 60000000, burst: 100000},", 1)
}

func post(ctx context.Context, client *http.Client, u string, body []byte) bool {
	ts := time.Now().UTC().Format(time.RFC3339)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	req.Header.Set(zendesk.HeaderSignature, zendesk.Sign(zdSecret, ts, body))
	req.Header.Set(zendesk.HeaderSignatureTimestamp, ts)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusAccepted
}

func event(i int, ticket string, msg message) []byte {
	now := time.Now().UTC()
	b, _ := json.Marshal(map[string]any{
		"type": "zen:event-type:ticket.created", "account_id": 22129848, "id": fmt.Sprintf("drain-%d-%d", now.UnixNano(), i),
		"time": now.Format(time.RFC3339Nano), "zendesk_event_version": "2022-11-06", "subject": "zen:ticket:" + ticket,
		"detail": map[string]any{
			"actor_id": "8447388090494", "id": ticket, "status": "NEW", "priority": "NORMAL",
			"subject": msg.subject, "description": msg.body,
			"requester_id": "8447388090494", "tags": []string{"billing"}, "is_public": true, "type": "QUESTION",
			"created_at": now.Format(time.RFC3339), "updated_at": now.Format(time.RFC3339), "via": map[string]any{"channel": "web_form"},
		},
		"event": map[string]any{"meta": map[string]any{"sequence": map[string]any{"id": "C20565CD20591B5E81E2206E91ADFB2A", "position": 1, "total": 1}}},
	})
	return b
}

func waitReady(ctx context.Context, client *http.Client, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("heard was not ready within 60s")
}

// finished reads heard's job counters: jobs done (processed or duplicate)
// and jobs dead.
func finished(ctx context.Context, client *http.Client, base string) (done, dead float64, err error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("reading metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "heard_jobs_total{") {
			continue
		}
		f := strings.Fields(line)
		v, _ := strconv.ParseFloat(f[len(f)-1], 64)
		switch {
		case strings.Contains(line, `outcome="processed"`), strings.Contains(line, `outcome="duplicate"`):
			done += v
		case strings.Contains(line, `outcome="dead"`):
			dead += v
		}
	}
	return done, dead, sc.Err()
}

// waitSettled waits until the counters stop moving (the sandbox tickets'
// own webhooks are worked) and returns the done count.
func waitSettled(ctx context.Context, client *http.Client, base string, limit time.Duration) (float64, error) {
	deadline := time.Now().Add(limit)
	last, stable := -1.0, 0
	for time.Now().Before(deadline) {
		done, _, err := finished(ctx, client, base)
		if err != nil {
			return 0, err
		}
		if done == last && done > 0 {
			stable++
			if stable >= 10 {
				return done, nil
			}
		} else {
			stable = 0
		}
		last = done
		time.Sleep(100 * time.Millisecond)
	}
	return 0, errors.New("the sandbox tickets' webhooks were not worked within a minute")
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// cpuSeconds is the user and system CPU time process pid has used, from
// /proc (Linux).
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading heard's CPU time: %w", err)
	}
	// Fields after the parenthesised command name; utime and stime are
	// the 14th and 15th fields of the whole line, in clock ticks (100/s).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("reading heard's CPU time: short /proc stat line")
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("reading heard's CPU time: %w", err)
	}
	return (ut + st) / 100, nil
}

// serverCPUSeconds sums the CPU time of every process named comm (the
// PostgreSQL server's postmaster and backends on this machine). Backends
// that exit between two readings take their time with them, so it is a
// lower bound; heard keeps its pool's connections open during a burst.
func serverCPUSeconds(comm string) float64 {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var total float64
	for _, d := range dirs {
		if b, err := os.ReadFile(filepath.Join(d, "comm")); err != nil || strings.TrimSpace(string(b)) != comm {
			continue
		}
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		if s, err := cpuSeconds(pid); err == nil {
			total += s
		}
	}
	return total
}

// message is a seeded ticket's subject and first message.
type message struct{ subject, body string }

// seeded is a sandbox ticket and the message it was created with.
type seeded struct {
	id  string
	msg message
}

// messages are the kinds of ticket the burst is made of; seedTickets
// varies each with the ticket's number, so no two tickets' texts are the
// same.
var messages = []message{
	{"Charged twice on invoice %d", "I was charged twice for my March invoice %d and need a refund."},
	{"Cannot log in (case %d)", "Since this morning I get \"invalid password\" when I log in to account %d. I reset it twice. What should I do?"},
	{"Export to CSV fails for report %d", "Exporting report %d to CSV shows error E-5%02d after a minute. Is there a limit on rows?"},
	{"How do I add a teammate? (team %d)", "We signed up last week (team %d). How do I invite a colleague and give them admin rights?"},
	{"Cancel my subscription %d", "Please cancel subscription %d at the end of the billing period and confirm by email."},
	{"Site down for workspace %d", "Our workspace %d has been returning 502 errors for 20 minutes, customers cannot check out! This is urgent."},
	{"Feature request from customer %d", "It would be great if dashboards could be shared with a public link. Customer %d would use it daily."},
	{"Webhook retries for endpoint %d", "Our endpoint %d received the same webhook three times yesterday. Why are deliveries retried, and can we turn it off?"},
}

// seedTickets creates n sandbox tickets, conc at a time.
func seedTickets(ctx context.Context, env *desks.Env, n, conc int) ([]seeded, error) {
	out := make([]seeded, n)
	var next atomic.Int64
	var first error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(conc, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				kind := messages[i%len(messages)]
				m := message{subject: fmt.Sprintf(kind.subject, 1000+i), body: fmt.Sprintf(kind.body, 1000+i)}
				if strings.Contains(kind.body, "%02d") {
					m.body = fmt.Sprintf(kind.body, 1000+i, i%100)
				}
				id, err := env.Desks["zendesk"].CreateTicket(ctx, env.Account, sandbox.NewTicket{
					Subject: m.subject, Body: m.body,
					Requester: sandbox.Person{Name: "Dana", Email: fmt.Sprintf("dana%d@example.com", i)},
				})
				if err != nil {
					mu.Lock()
					first = cmp.Or(first, fmt.Errorf("creating sandbox ticket: %w", err))
					mu.Unlock()
					return
				}
				out[i] = seeded{id: id, msg: m}
			}
		})
	}
	wg.Wait()
	return out, first
}
