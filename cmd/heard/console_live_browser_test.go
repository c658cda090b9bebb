package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heardhq/heard/internal/overlay"
	"github.com/heardhq/heard/sandbox"
)

// TestConsoleLiveSettingsInBrowser drives chromium against a real `heard
// serve` whose sandbox connectors start in shadow mode: switch one to live
// (through its confirmation page) and see the next ticket written back;
// raise the priority threshold to 1.00 on the agreement page and see the
// next ticket's priority held by the new value; both without a restart,
// both in the audit log and the overlay file. Each page is screenshotted.
func TestConsoleLiveSettingsInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	drivers(t, func(t *testing.T, dbURL string) {
		const token = "browser-test-admin-token"
		addr, adminAddr := freePort(t), freePort(t)
		env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = env.Close() })
		dir := t.TempDir()
		dataDir := filepath.Join(dir, "data")
		cfg := fmt.Sprintf("listen: %q\ndata_dir: %q\ndatabase_url: %q\nlog_level: info\nlog_format: json\n%sadmin:\n  listen: %q\n  console:\n    enabled: true\n    token: %q\n",
			addr, dataDir, dbURL, env.ConnectorsYAML("shadow"), adminAddr, token)
		cfgPath := filepath.Join(dir, "heard.yaml")
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		startProc(t, cfgPath)
		desk, zendesk := env.Desks["zendesk"], connectorName("zendesk")

		b := newBrowser(t, chromium, 120*time.Second)
		shot, do, text := b.shot, b.do, b.text
		base := "http://" + adminAddr
		do("sign in",
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible("#token"),
			chromedp.SendKeys("#token", token),
			chromedp.Submit("#token"),
			chromedp.WaitVisible("#events-per-minute"))

		// Switch the Zendesk connector from shadow to live.
		do("connectors",
			chromedp.Navigate(base+"/connectors"),
			chromedp.WaitVisible("#switch-"+zendesk),
			shot("6-connectors-shadow"))
		if m := text("#mode-" + zendesk); !strings.HasPrefix(m, "shadow") {
			t.Fatalf("%s starts in %q, want shadow", zendesk, m)
		}
		do("confirm the switch",
			chromedp.Click("#switch-"+zendesk),
			chromedp.WaitVisible("#confirm-agreement"),
			shot("7-confirm-live"),
			chromedp.Click("#confirm-switch"),
			chromedp.WaitVisible("#message"),
			shot("8-connectors-live"))
		if m := text("#mode-" + zendesk); !strings.HasPrefix(m, "live") {
			t.Errorf("after the switch %s is %q, want live", zendesk, m)
		}
		// The next ticket is written back: the switch applied without a restart.
		first, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(21))
		if err != nil {
			t.Fatal(err)
		}
		if st := waitNotes(t, desk, "acme", first, 1); !p1["zendesk"](st) {
			t.Errorf("first ticket after going live: priority %q, want P1 (high) written at the default threshold", st.Priority)
		}
		// An agent corrects the priority, so the agreement page has feedback.
		// The note reaches the desk just before the record is committed,
		// and feedback is compared with the record: wait for it first.
		b.waitFor(base+"/tickets/"+zendesk+"/"+first, "table.gates", "the first ticket's gate decisions")
		agent, ok := desk.(sandbox.Agent)
		if !ok {
			t.Fatal("the sandbox's Zendesk is not a sandbox.Agent")
		}
		if err := agent.Act(t.Context(), "acme", first, sandbox.Action{Kind: sandbox.ActUpdate, Priority: "P2"}); err != nil {
			t.Fatal(err)
		}

		// The agent's correction reaches the agreement page as feedback,
		// with the threshold chart.
		b.waitFor(base+"/agreement", `#field-priority svg.chart`, "the agent's correction on the agreement page")
		if c := text("#field-priority table.corrections"); !strings.Contains(c, "P1") || !strings.Contains(c, "P2") {
			t.Errorf("corrections lack the agent's P1 → P2:\n%s", c)
		}
		// Raise the priority threshold to 1.00 on the agreement page.
		do("set the priority threshold",
			chromedp.WaitVisible(`#field-priority input[name="threshold"]`),
			shot("9-agreement"),
			chromedp.SetValue(`#field-priority input[name="threshold"]`, "1.00"),
			chromedp.Submit(`#field-priority input[name="threshold"]`),
			chromedp.WaitVisible("#message"),
			shot("10-agreement-threshold-set"))
		if now := text("#field-priority .threshold-now"); now != "1.00" {
			t.Errorf("priority threshold shown as %q after the change, want 1.00", now)
		}
		// The next ticket is gated by the new value: its note is written,
		// its priority held back.
		second, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(22))
		if err != nil {
			t.Fatal(err)
		}
		if st := waitNotes(t, desk, "acme", second, 1); p1["zendesk"](st) {
			t.Errorf("second ticket: priority %q written although the threshold is 1.00", st.Priority)
		}
		b.waitFor(base+"/tickets/"+zendesk+"/"+second, "table.gates", "the second ticket's gate decisions")
		do("screenshot the gated ticket", shot("11-ticket-gated"))
		if gates := text("table.gates"); !strings.Contains(gates, "below threshold 1.00") {
			t.Errorf("the second ticket's gates lack \"below threshold 1.00\":\n%s", gates)
		}
		// Any configured gate is set from the gates table, not only priority
		// and tags: here the gate of the other fields.
		do("set the fields gate",
			chromedp.Navigate(base+"/agreement"),
			chromedp.WaitVisible(`#gate-fields input[name="threshold"]`),
			chromedp.SetValue(`#gate-fields input[name="threshold"]`, "0.90"),
			chromedp.Submit(`#gate-fields input[name="threshold"]`),
			chromedp.WaitVisible("#message"),
			shot("11b-gates-fields-set"))
		if now := text("#gate-fields .threshold-now"); !strings.HasPrefix(now, "0.90") {
			t.Errorf("fields gate shown as %q after the change, want 0.90", now)
		}
		do("audit log",
			chromedp.Navigate(base+"/audit"),
			chromedp.WaitVisible("#audit"),
			shot("12-audit-changes"))
		audit := text("#audit")
		for _, want := range []string{"set mode", "connector " + zendesk, "shadow → live", "set threshold", "gate priority", "→ 1.00", "gate fields", "→ 0.90"} {
			if !strings.Contains(audit, want) {
				t.Errorf("audit log lacks %q:\n%s", want, audit)
			}
		}
		o, err := overlay.Load(filepath.Join(dataDir, overlay.FileName))
		if err != nil || o.Thresholds["priority"] != 1 || o.Thresholds["fields"] != 0.9 || o.Modes[zendesk] != "live" {
			t.Errorf("overlay file %+v (%v); want priority 1.00 and %s live for the next start", o, err, zendesk)
		}
		for _, n := range []string{"6-connectors-shadow", "7-confirm-live", "8-connectors-live", "9-agreement", "10-agreement-threshold-set", "11-ticket-gated", "11b-gates-fields-set", "12-audit-changes"} {
			if fi, err := os.Stat(filepath.Join(b.shots, n+".png")); err != nil || fi.Size() < 1000 {
				t.Errorf("screenshot %s: %v", n, err)
			}
		}
	})
}

// waitFor reloads url in the browser until sel is on the page, for at
// most 20 seconds.
func (b *browser) waitFor(url, sel, what string) {
	b.t.Helper()
	for i := 0; ; i++ {
		b.do("opening "+url, chromedp.Navigate(url))
		found, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
		if err != nil {
			b.t.Fatalf("chromium, looking for %s: %v", sel, err)
		}
		if found {
			return
		}
		if i == 100 {
			b.t.Fatalf("no %s (%s) after 20s", what, sel)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
