package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
	"github.com/heardhq/heard/sdk"
)

// The sandbox help desks live in package desks (the heard binary does not
// link them); these names keep the tests short.
type sandboxEnv = desks.Env

var (
	sandboxVendors = desks.Vendors
	connectorName  = desks.ConnectorName
)

// startSandbox serves the emulated help desks for a heard at heardURL.
func startSandbox(listen, heardURL, account string, autoReply bool, log *slog.Logger) (*sandboxEnv, error) {
	return desks.Start(desks.Config{Listen: listen, HeardURL: heardURL, Account: account, AutoReply: autoReply, Logger: log})
}

// freePort reserves a loopback port for a server the test starts next.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// sandboxConfig writes a heard config whose connectors talk to env.
func sandboxConfig(t *testing.T, env *sandboxEnv, listen, dbURL string) string {
	t.Helper()
	return sandboxConfigWith(t, env, listen, dbURL, "")
}

// sandboxConfigWith is sandboxConfig with extra top-level YAML appended.
func sandboxConfigWith(t *testing.T, env *sandboxEnv, listen, dbURL, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf("listen: %q\ndata_dir: %q\ndatabase_url: %q\nlog_level: info\nlog_format: json\nqueue:\n  retry_base: 200ms\n  orphan_after: 3s\n%s%s",
		listen, filepath.Join(dir, "data"), dbURL, env.ConnectorsYAML("live"), extra)
	path := filepath.Join(dir, "heard.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// p1 is how each vendor shows P1 to agents.
var p1 = map[string]func(st sandbox.TicketState) bool{
	"zendesk":   func(st sandbox.TicketState) bool { return st.Priority == "high" },
	"freshdesk": func(st sandbox.TicketState) bool { return st.Priority == "3" },
	"intercom":  func(st sandbox.TicketState) bool { return slices.Contains(st.Tags, "heard-priority-p1") },
}

func doubleCharge(n int) sandbox.NewTicket {
	return sandbox.NewTicket{
		Subject:      fmt.Sprintf("Charged twice for our March invoice (%d)", n),
		Body:         "Hello, our card was charged twice for the March invoice INV-2291, $480 each time. Please refund the duplicate charge.",
		Requester:    sandbox.Person{Name: "Dana Whitfield", Email: fmt.Sprintf("dana%d@northwind.example", n)},
		Organization: "Northwind Traders",
		Customer:     map[string]string{sdk.AttrPlan: "enterprise", sdk.AttrMRR: "2400"},
	}
}

// waitNotes waits until the ticket shows n heard notes and returns its state.
func waitNotes(t *testing.T, d sandbox.Desk, account, id string, n int) sandbox.TicketState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := d.State(account, id)
		if err != nil {
			t.Fatalf("State: %v", err)
		}
		if heardNotes(st) >= n {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("ticket %s: %d heard notes after 30s; want %d (state %+v)", id, heardNotes(st), n, st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func heardNotes(st sandbox.TicketState) int {
	n := 0
	for _, note := range st.Notes {
		if note.Private && strings.Contains(note.Body, "heard triage") {
			n++
		}
	}
	return n
}

func TestEndToEndThroughSandbox(t *testing.T) {
	for _, vendor := range sandboxVendors {
		t.Run(vendor, func(t *testing.T) {
			addr := freePort(t)
			env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.Close() })
			m := startMain(t, sandboxConfig(t, env, addr, ""))
			desk := env.Desks[vendor]

			// Hold heard's first reads back (503s, retried) so the creation
			// webhook is still the ticket's last delivery when it is
			// redelivered: a redelivery must be acknowledged and not enqueued.
			env.Server.Faults.Add(sandbox.Fault{Vendor: vendor, Account: "acme", Method: http.MethodGet, Status: http.StatusServiceUnavailable, Times: 2})
			id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(1))
			if err != nil {
				t.Fatal(err)
			}
			if err := desk.Redeliver(t.Context(), "acme", id); err != nil {
				t.Fatal(err)
			}
			waitMetric(t, m, fmt.Sprintf(`heard_webhook_events_total{connector="%s",result="duplicate"} 1`, connectorName(vendor)))
			waitNotes(t, desk, "acme", id, 1)
			// Some vendors take several calls (note, then tags): wait for the job.
			waitMetric(t, m, `heard_jobs_total{outcome="processed"} 1`)
			st, err := desk.State("acme", id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(st.Tags, "billing") || !p1[vendor](st) {
				t.Errorf("agent sees tags %v priority %q; want billing and P1", st.Tags, st.Priority)
			}
			time.Sleep(200 * time.Millisecond) // room for a wrong second write-back to show
			if st2, _ := desk.State("acme", id); st2.Writes != st.Writes || heardNotes(st2) != 1 {
				t.Errorf("after the redelivery: writes %d→%d, notes %d; want one write-back", st.Writes, st2.Writes, heardNotes(st2))
			}

			// A 429 storm is ridden out without losing the write-back.
			env.Server.Faults.Add(sandbox.Fault{Vendor: vendor, Account: "acme", Status: http.StatusTooManyRequests,
				Header: map[string]string{"Retry-After": "1", "X-RateLimit-Reset": fmt.Sprint(time.Now().Add(time.Second).Unix())}, Times: 4})
			fired := env.Server.Faults.Fired()
			id2, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(2))
			if err != nil {
				t.Fatal(err)
			}
			waitNotes(t, desk, "acme", id2, 1)
			waitMetric(t, m, `heard_jobs_total{outcome="processed"} 2`)
			st, _ = desk.State("acme", id2)
			if heardNotes(st) != 1 || env.Server.Faults.Fired()-fired != 4 {
				t.Errorf("after a 429 storm (%d fired): %d notes; want all 4 fired and exactly 1 note", env.Server.Faults.Fired()-fired, heardNotes(st))
			}

			recs, err := m.store.Records(t.Context(), store.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var enriched int
			for _, r := range recs {
				if r.Status == pipeline.StatusEnriched {
					enriched++
					var d pipeline.Detail[enrich.Explanation] // one decode reads the typed decision too
					if err := json.Unmarshal(r.Detail, &d); err != nil || d.Written == nil || d.Mode != config.ModeLive || len(d.Predictions) == 0 {
						t.Errorf("record %s detail lacks predictions or what was written: %s", r.EventKey, r.Detail)
					} else if d.Decision == nil || d.Decision.Note == "" || d.Decision.Note != d.Written.InternalNote {
						t.Errorf("record %s decision %+v; want the explanation with the note that was written", r.EventKey, d.Decision)
					}
				}
			}
			if enriched != 2 {
				t.Errorf("%d enriched records; want 2 (one per ticket)", enriched)
			}
			for _, v := range env.Server.Violations() {
				t.Errorf("contract violation: %s", v)
			}
		})
	}
}

func waitMetric(t *testing.T, m *Main, line string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(get(t, "http://"+m.Addr()+"/metrics"), line) {
		if time.Now().After(deadline) {
			t.Fatalf("metric %q never appeared", line)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// crashAfterWrite kills heard (p) with SIGKILL right after the help desk
// accepted a write whose body contains marker. Call rerun after causing
// the write.
func crashAfterWrite(env *sandboxEnv, p *proc, marker string) <-chan struct{} {
	var once sync.Once
	killed := make(chan struct{})
	env.Server.SetAfterWrite(func(r sandbox.Request, status int) {
		if status < 300 && strings.Contains(string(r.Body), marker) {
			once.Do(func() {
				_ = p.cmd.Process.Signal(syscall.SIGKILL)
				close(killed)
			})
		}
	})
	return killed
}

// rerun waits for the kill crashAfterWrite arranged, starts heard again on
// the same config (the orphaned job is requeued and runs again), waits
// until the rerun recorded the event, and stops heard with SIGTERM.
func rerun(t *testing.T, env *sandboxEnv, p *proc, cfgPath string, killed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-killed:
	case <-time.After(30 * time.Second):
		t.Fatalf("heard never %s:\n%s", what, p.logText())
	}
	if err := <-p.done; err == nil {
		t.Fatal("heard exited cleanly; want it killed")
	}
	env.Server.SetAfterWrite(nil)
	p = startProc(t, cfgPath)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(get(t, "http://"+p.addr+"/metrics"), `heard_jobs_total{outcome="processed"} 1`) {
		if time.Now().After(deadline) {
			t.Fatalf("the requeued job never completed:\n%s", p.logText())
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-p.done; err != nil {
		t.Errorf("heard exited with %v after SIGTERM", err)
	}
}

// TestCrashAfterVendorAcceptedWriteBack kills a real heard process right
// after the help desk accepted its write-back (before heard could record
// it), restarts it, and checks the ticket still has exactly one note.
func TestCrashAfterVendorAcceptedWriteBack(t *testing.T) {
	for _, vendor := range sandboxVendors {
		t.Run(vendor, func(t *testing.T) {
			addr := freePort(t)
			env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.Close() })
			cfgPath := sandboxConfig(t, env, addr, "")
			p := startProc(t, cfgPath)
			killed := crashAfterWrite(env, p, "heard triage") // the note
			desk := env.Desks[vendor]
			id, err := desk.CreateTicket(context.Background(), "acme", doubleCharge(3))
			if err != nil {
				t.Fatal(err)
			}
			rerun(t, env, p, cfgPath, killed, "wrote back")
			cfg, err := config.Load(cfgPath, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			st, err := desk.State("acme", id)
			if err != nil {
				t.Fatal(err)
			}
			if n := heardNotes(st); n != 1 {
				t.Errorf("ticket %s has %d heard notes after the crash and rerun; want exactly 1", id, n)
			}
			stor, err := openStore(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer stor.Close()
			recs, err := stor.Records(t.Context(), store.Filter{})
			if err != nil || len(recs) != 1 || recs[0].Attempt < 2 {
				t.Errorf("records %+v, %v; want one record written by the rerun (attempt ≥ 2)", recs, err)
			}
			for _, v := range env.Server.Violations() {
				t.Errorf("contract violation: %s", v)
			}
		})
	}
}

// TestAutoReplyOnceAcrossACrash turns auto-reply on, opens a ticket the
// policy allows (an account unlock, classified above 0.9), kills heard
// right after the help desk accepted the public reply (before heard could
// record the event), restarts it, and checks the customer got exactly one
// reply and the agents exactly one note saying so.
func TestAutoReplyOnceAcrossACrash(t *testing.T) {
	for _, vendor := range sandboxVendors {
		t.Run(vendor, func(t *testing.T) {
			addr := freePort(t)
			env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", true, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.Close() })
			cfgPath := sandboxConfigWith(t, env, addr, "", "triage:\n  auto_reply: {enabled: true}\n")
			p := startProc(t, cfgPath)
			killed := crashAfterWrite(env, p, "[ref:") // the reply
			desk := env.Desks[vendor]
			id, err := desk.CreateTicket(context.Background(), "acme", sandbox.NewTicket{
				Subject:   "Locked out",
				Body:      "Hello, I'm locked out of my account after too many attempts. Please unlock my account.",
				Requester: sandbox.Person{Name: "Sam Okafor", Email: "sam@northwind.example"},
				Customer:  map[string]string{sdk.AttrPlan: "business", sdk.AttrMRR: "300"},
			})
			if err != nil {
				t.Fatal(err)
			}
			rerun(t, env, p, cfgPath, killed, "sent the reply")
			st, err := desk.State("acme", id)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Replies) != 1 {
				t.Fatalf("the customer got %d replies from heard; want exactly 1 (%+v)", len(st.Replies), st.Replies)
			}
			if r := st.Replies[0].Body; !strings.Contains(r, "Sam") || !strings.Contains(r, "[ref:") {
				t.Errorf("reply %q lacks the customer's name or heard's reference", r)
			}
			if n := heardNotes(st); n != 1 {
				t.Errorf("ticket has %d heard notes; want exactly 1", n)
			}
			for _, n := range st.Notes {
				if strings.Contains(n.Body, "heard triage") && !strings.Contains(n.Body, "Auto-reply: SENT to the customer") {
					t.Errorf("the note does not tell agents the reply was sent:\n%s", n.Body)
				}
			}
			for _, v := range env.Server.Violations() {
				t.Errorf("contract violation: %s", v)
			}
		})
	}
}

// TestAgreementFromAgentCorrections: an agent solves a ticket heard
// enriched with a different priority; heard records the correction and
// `heard stats` reports it.
func TestAgreementFromAgentCorrections(t *testing.T) {
	addr := freePort(t)
	env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	cfgPath := sandboxConfig(t, env, addr, "")
	m := startMain(t, cfgPath)
	desk := env.Desks["zendesk"]
	id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(9))
	if err != nil {
		t.Fatal(err)
	}
	waitMetric(t, m, `heard_jobs_total{outcome="processed"} 1`)
	if err := desk.Solve(t.Context(), "acme", id, "P2", []string{"billing", "refund"}); err != nil {
		t.Fatal(err)
	}
	waitMetric(t, m, `heard_agreement_total{agreed="false",field="priority"} 1`)
	var out bytes.Buffer
	if code := run(t.Context(), []string{"stats", "--config", cfgPath, "--json"}, &out, &out); code != 0 {
		t.Fatalf("stats: %s", out.String())
	}
	var rep struct {
		Fields []struct {
			Field       string `json:"field"`
			Predictions int    `json:"predictions"`
			Agreed      int    `json:"agreed"`
			Corrections []struct {
				From, To string
				Count    int
			} `json:"corrections"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out.String())
	}
	byField := map[string]int{}
	for _, f := range rep.Fields {
		byField[f.Field] = f.Agreed
		if f.Field == "priority" && (f.Predictions != 1 || f.Agreed != 0 || len(f.Corrections) != 1 || f.Corrections[0].To != "P2") {
			t.Errorf("priority stats %+v; want one prediction corrected to P2", f)
		}
	}
	if byField["tag.primary"] != 1 {
		t.Errorf("stats %s; want the primary tag billing kept by the agent", out.String())
	}
}

func TestBacktestAgainstSandbox(t *testing.T) {
	for _, vendor := range sandboxVendors {
		t.Run(vendor, func(t *testing.T) {
			// Webhooks go to a sink: the backtest reads the help desk, not events.
			sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
			t.Cleanup(sink.Close)
			env, err := startSandbox("127.0.0.1:0", sink.URL, "acme", false, storeLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = env.Close() })
			// Connectors and gates live: the decide stage wants to write back,
			// and the backtest must still write nothing.
			cfgPath := sandboxConfig(t, env, "127.0.0.1:0", "")
			desk := env.Desks[vendor]
			var solved int
			for i := range 3 {
				id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(20+i))
				if err != nil {
					t.Fatal(err)
				}
				if i < 2 {
					if err := desk.Solve(t.Context(), "acme", id, "P1", []string{"billing"}); err != nil {
						t.Fatal(err)
					}
					solved++
				}
			}
			writes := len(env.Server.Requests(vendor))
			var out, errOut bytes.Buffer
			code := run(t.Context(), []string{"backtest", "--connector", connectorName(vendor), "--config", cfgPath, "--json"}, &out, &errOut)
			if code != 0 {
				t.Fatalf("backtest exit %d: %s", code, errOut.String())
			}
			var rep struct {
				Tickets    int `json:"tickets"`
				WouldWrite int `json:"would_write"`
				Fields     []struct {
					Field       string `json:"field"`
					Predictions int    `json:"predictions"`
					Agreed      int    `json:"agreed"`
				} `json:"fields"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("backtest --json: %v\n%s", err, out.String())
			}
			if rep.Tickets != solved {
				t.Errorf("backtest saw %d tickets; want the %d solved ones", rep.Tickets, solved)
			}
			if rep.WouldWrite != solved {
				t.Errorf("live mode would write to %d tickets; want %d (the note passes every live gate)", rep.WouldWrite, solved)
			}
			// By hand for this seed: both solved tickets are double charges the
			// agents closed as P1 with the tag billing; heard predicts P1 and
			// billing for them, so 2 of 2 agree on both fields.
			want := map[string][2]int{"priority": {solved, solved}, "tag.primary": {solved, solved}}
			for _, f := range rep.Fields {
				if w, ok := want[f.Field]; ok {
					if f.Predictions != w[0] || f.Agreed != w[1] {
						t.Errorf("%s: %d/%d agreed; want %d/%d", f.Field, f.Agreed, f.Predictions, w[1], w[0])
					}
					delete(want, f.Field)
				}
			}
			if len(want) > 0 {
				t.Errorf("report lacks fields %v", want)
			}
			for _, r := range env.Server.Requests(vendor)[writes:] {
				readOnlySearch := vendor == "intercom" && strings.HasSuffix(r.Path, "/search")
				if r.Method != http.MethodGet && !readOnlySearch {
					t.Errorf("backtest wrote to the help desk: %s %s", r.Method, r.Path)
				}
			}
			if !strings.Contains(errOut.String(), "backtest [") {
				t.Errorf("no progress bar on stderr: %q", errOut.String())
			}
			for _, v := range env.Server.Violations() {
				t.Errorf("contract violation: %s", v)
			}
		})
	}
}

// TestFreshdeskIdenticalRepliesTriaged: Freshdesk's rule body can name the
// ticket but nothing that changes with each reply, so a customer writing
// the same text twice sends two byte-identical deliveries, exactly like a
// retry of one delivery. heard must triage both replies and still take a
// retry for what it is.
func TestFreshdeskIdenticalRepliesTriaged(t *testing.T) {
	addr := freePort(t)
	env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	m := startMain(t, sandboxConfig(t, env, addr, ""))
	desk := env.Desks["freshdesk"]
	id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(21))
	if err != nil {
		t.Fatal(err)
	}
	waitNotes(t, desk, "acme", id, 1)
	waitMetric(t, m, `heard_jobs_total{outcome="processed"} 1`)

	const text = "Any news? We still see two charges on the card."
	for i := 2; i <= 3; i++ {
		if err := desk.Reply(t.Context(), "acme", id, text); err != nil {
			t.Fatal(err)
		}
		waitNotes(t, desk, "acme", id, i)
		waitMetric(t, m, fmt.Sprintf(`heard_jobs_total{outcome="processed"} %d`, i))
	}
	// Freshdesk retries the second reply's delivery: acknowledged as a
	// duplicate, no third triage.
	if err := desk.Redeliver(t.Context(), "acme", id); err != nil {
		t.Fatal(err)
	}
	waitMetric(t, m, `heard_webhook_events_total{connector="sandbox-freshdesk",result="duplicate"} 1`)
	waitMetric(t, m, `heard_webhook_events_total{connector="sandbox-freshdesk",result="enqueued"} 3`)
	time.Sleep(200 * time.Millisecond) // room for a wrong fourth write-back to show
	st, err := desk.State("acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if n := heardNotes(st); n != 3 {
		t.Errorf("ticket %s has %d heard notes; want 3 (creation and both identical replies)", id, n)
	}
	recs, err := m.store.Records(t.Context(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var replies int
	for _, r := range recs {
		if r.Kind == sdk.EventMessageCreated && r.Status == pipeline.StatusEnriched {
			replies++
		}
	}
	if replies != 2 {
		t.Errorf("%d enriched reply records; want 2", replies)
	}
	for _, v := range env.Server.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}
