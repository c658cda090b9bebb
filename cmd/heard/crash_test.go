package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/zendesk"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
)

var (
	buildOnce sync.Once
	binPath   string
	errBuild  error
)

// heardBinary builds cmd/heard once per test run.
func heardBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "heard-bin-") //nolint:usetesting // shared by every test in the run, outliving any one test
		if err != nil {
			errBuild = err
			return
		}
		binPath = filepath.Join(dir, "heard")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			errBuild = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if errBuild != nil {
		t.Fatal(errBuild)
	}
	return binPath
}

// proc is a real `heard serve` process.
type proc struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

func startProc(t *testing.T, cfgPath string) *proc {
	t.Helper()
	cmd := exec.Command(heardBinary(t), "serve", "--config", cfgPath)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.logs.Write(line)
			p.logs.WriteByte('\n')
			p.mu.Unlock()
			var l struct{ Msg, Addr string }
			if json.Unmarshal(line, &l) == nil && l.Msg == "heard listening" {
				addrCh <- l.Addr
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case p.addr = <-addrCh:
	case err := <-p.done:
		t.Fatalf("heard exited before listening: %v\n%s", err, p.logText())
	case <-time.After(60 * time.Second):
		t.Fatalf("heard did not start:\n%s", p.logText())
	}
	return p
}

func (p *proc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// TestCrashLosesNothingProcessesOnce sends events concurrently to a real
// heard process, SIGKILLs it mid-stream, restarts it and redelivers what was
// not acknowledged (as the vendor would) plus some that were. Every event
// acknowledged with 2xx must be processed exactly once, and none twice.
func TestCrashLosesNothingProcessesOnce(t *testing.T) {
	drivers(t, func(t *testing.T, dbURL string) {
		const n = 600
		cfgPath := testConfig(t, dbURL, "")
		p := startProc(t, cfgPath)

		var acked [n]atomic.Bool
		var ackCount atomic.Int64
		client := &http.Client{Timeout: 10 * time.Second}
		send := func(addr string, i int) bool {
			body := ticketCreated(fmt.Sprintf("crash-%d", i), fmt.Sprint(1000+i))
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/webhooks/acme", bytes.NewReader(body))
			ts := time.Now().UTC().Format(time.RFC3339)
			req.Header.Set(zendesk.HeaderSignature, zendesk.Sign(testSecret, ts, body))
			req.Header.Set(zendesk.HeaderSignatureTimestamp, ts)
			resp, err := client.Do(req)
			if err != nil {
				return false
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode/100 == 2
		}

		// Phase 1: 32 senders; kill -9 once a third has been acknowledged.
		work := make(chan int, n)
		for i := range n {
			work <- i
		}
		close(work)
		killed := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				for i := range work {
					if send(p.addr, i) {
						acked[i].Store(true)
						if ackCount.Add(1) == n/3 {
							once.Do(func() {
								_ = p.cmd.Process.Signal(syscall.SIGKILL)
								close(killed)
							})
						}
					}
				}
			})
		}
		wg.Wait()
		<-killed
		if err := <-p.done; err == nil {
			t.Fatal("heard exited cleanly; want it killed by SIGKILL")
		}
		before := int(ackCount.Load())
		if before < n/3 || before == n {
			t.Fatalf("%d of %d acknowledged before the kill; want a kill mid-stream", before, n)
		}
		t.Logf("killed after %d acknowledged events", before)

		// Phase 2: restart; the "vendor" redelivers everything not
		// acknowledged, plus every tenth event that was.
		p = startProc(t, cfgPath)
		var redo []int
		for i := range n {
			if !acked[i].Load() || i%10 == 0 {
				redo = append(redo, i)
			}
		}
		var failed atomic.Int64
		work2 := make(chan int, len(redo))
		for _, i := range redo {
			work2 <- i
		}
		close(work2)
		for range 32 {
			wg.Go(func() {
				for i := range work2 {
					if send(p.addr, i) {
						acked[i].Store(true)
					} else {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if f := failed.Load(); f > 0 {
			t.Fatalf("%d deliveries failed after restart", f)
		}

		// Wait until every job completed, then stop heard gracefully.
		deadline := time.Now().Add(60 * time.Second)
		for !strings.Contains(get(t, "http://"+p.addr+"/metrics"), fmt.Sprintf(`heard_queue_jobs{state="completed"} %d`, n)) {
			if time.Now().After(deadline) {
				t.Fatalf("jobs did not all complete; metrics:\n%s\nlogs:\n%s", grepLines(get(t, "http://"+p.addr+"/metrics"), "heard_"), p.logText())
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-p.done:
			if err != nil {
				t.Fatalf("heard exited with %v after SIGTERM:\n%s", err, p.logText())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("heard did not exit after SIGTERM")
		}

		cfg, err := config.Load(cfgPath, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		st, err := openStore(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		recs, err := st.Records(t.Context(), store.Filter{Limit: 10 * n})
		if err != nil {
			t.Fatal(err)
		}
		perKey := map[string]int{}
		for _, r := range recs {
			perKey[r.EventKey]++
		}
		for i := range n {
			key := fmt.Sprintf("acme:crash-%d", i)
			if !acked[i].Load() {
				t.Errorf("event %d was never acknowledged", i)
				continue
			}
			if c := perKey[key]; c != 1 {
				t.Errorf("event %s processed %d times; want exactly 1", key, c)
			}
		}
		if len(recs) != n {
			t.Errorf("%d records; want %d", len(recs), n)
		}
		counts, err := st.QueueCounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, c := range counts {
			total += c
		}
		if counts["completed"] != n || total != n {
			t.Errorf("queue jobs by state %v; want exactly %d, all completed (one job per event)", counts, n)
		}
	})
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
