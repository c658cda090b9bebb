package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// privateCluster starts a PostgreSQL cluster of the test's own with
// scripts/pg.sh (a fault test may crash it without touching the server
// other packages' tests share) and returns its directory and URL.
func privateCluster(t *testing.T) (dir, url string) {
	t.Helper()
	script, err := filepath.Abs("../../scripts/pg.sh")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parent is private to root, and the server's OS
	// user must reach the cluster's directory.
	parent, err := os.MkdirTemp("", "heard-pgfault-") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(parent) })
	// The server runs as the postgres OS user, which must reach DIR.
	if err := os.Chmod(parent, 0o711); err != nil { //nolint:gosec // traversal only, for the server's OS user
		t.Fatal(err)
	}
	dir = filepath.Join(parent, "pg")
	cmd := exec.Command(script, "start", dir)
	cmd.Env = append(os.Environ(), "HEARD_PG_PORT=55432")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("starting a private PostgreSQL: %v\n%s", err, stderr.String())
	}
	t.Cleanup(func() { _ = exec.Command(script, "stop", dir).Run() })
	return dir, strings.TrimSpace(string(out))
}

// TestDatabaseCrashRestartMidLoad crashes PostgreSQL (an immediate stop:
// every connection cut, crash recovery on start) while tickets arrive and
// heard works them in live mode. Deliveries refused while the database is
// down are redelivered by the help desk; afterwards every ticket has
// exactly one heard note and every event exactly one record.
func TestDatabaseCrashRestartMidLoad(t *testing.T) {
	dir, dbURL := privateCluster(t)
	rr := &roundRobin{down: map[string]bool{}} // heard's address is known only once it runs
	lb := httptest.NewServer(rr)
	t.Cleanup(lb.Close)
	env, err := startSandbox("127.0.0.1:0", lb.URL, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	cfgPath := writeConfig(t, fmt.Sprintf("listen: \"127.0.0.1:0\"\ndata_dir: %q\ndatabase_url: %q\nlog_level: info\nlog_format: json\nqueue:\n  retry_base: 200ms\n  orphan_after: 3s\n%s",
		filepath.Join(t.TempDir(), "data"), dbURL, liveConnectors(env, "rate_per_minute: 60000, burst: 1000")))
	p := startProc(t, cfgPath)
	rr.mu.Lock()
	rr.addrs = []string{p.addr}
	rr.mu.Unlock()

	desk := env.Desks["zendesk"]
	restarted := make(chan error, 1)
	ids := ticketsUnderFault(t, desk, 40, 4, 300, 100, func() {
		go func() {
			out, err := exec.Command("../../scripts/pg.sh", "crash-restart", dir).CombinedOutput()
			if err != nil {
				err = fmt.Errorf("%w: %s", err, out)
			}
			restarted <- err
		}()
	})
	if err := <-restarted; err != nil {
		t.Fatalf("crash-restarting PostgreSQL: %v", err)
	}
	waitForNotes(t, desk, ids, 60*time.Second, p.logText)
	// The crash must have hit work in flight, or this test proves nothing.
	if log := p.logText(); !strings.Contains(log, "queue unavailable") && !strings.Contains(log, "job failed") {
		t.Fatalf("heard never noticed the restart; its log:\n%s", log)
	}
	time.Sleep(4 * time.Second) // past orphan_after: a rescued job would have written by now
	wantOneNoteAndRecordEach(t, desk, ids, cfgPath)
	for _, v := range env.Server.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}
