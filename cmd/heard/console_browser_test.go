package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heardhq/heard/sandbox"
)

// chromiumPath finds Debian's chromium; its absence fails the test:
// scripts/chromium.sh (run by make test) installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run scripts/chromium.sh (make test does); the console's browser test never skips")
	return ""
}

// screenshotDir is where the browser test writes its screenshots:
// $HEARD_SCREENSHOTS, else a folder under the system temp dir.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HEARD_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "heard-console-screenshots")
	}
	dir = filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	t.Logf("console screenshots in %s", dir)
	return dir
}

// browser is one headless chromium tab for a test: its steps fail the
// test, and its screenshots go to screenshotDir.
type browser struct {
	t     *testing.T
	ctx   context.Context //nolint:containedctx // the tab's context, for the test's lifetime
	shots string
}

// newBrowser starts chromium (headless, 1280×900) for the rest of t, all
// its steps within timeout.
func newBrowser(t *testing.T, chromium string, timeout time.Duration) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelT)
	return &browser{t: t, ctx: ctx, shots: screenshotDir(t)}
}

// shot is a step that saves a full-page screenshot as name.png.
func (b *browser) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(b.shots, name+".png"), buf, 0o644)
	})
}

// do runs steps, failing the test with what on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("chromium, %s: %v", what, err)
	}
}

// text is the text of the element sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("chromium, reading %s: %v", sel, err)
	}
	return s
}

// TestConsoleInBrowser drives a real chromium against a real `heard serve`
// fed by the sandbox: sign in with the token, see the overview, find the
// ticket in the list, open its decision trace. Then it retries a dead letter from
// the operations page and opens the model page. Each page is screenshotted.
func TestConsoleInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	drivers(t, func(t *testing.T, dbURL string) {
		const token = "browser-test-admin-token"
		addr, adminAddr := freePort(t), freePort(t)
		env, err := startSandbox("127.0.0.1:0", "http://"+addr, "acme", false, storeLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = env.Close() })
		cfgPath := sandboxConfigWith(t, env, addr, dbURL, fmt.Sprintf("admin:\n  listen: %q\n  console:\n    enabled: true\n    token: %q\n", adminAddr, token))
		p := startProc(t, cfgPath)
		desk := env.Desks["zendesk"]
		id, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(11))
		if err != nil {
			t.Fatal(err)
		}
		waitNotes(t, desk, "acme", id, 1)

		b := newBrowser(t, chromium, 90*time.Second)
		shot, do, text := b.shot, b.do, b.text
		base := "http://" + adminAddr
		do("sign in",
			chromedp.Navigate(base+"/"), // not signed in: the login page (401)
			chromedp.WaitVisible("#token"),
			shot("1-login"),
			chromedp.SendKeys("#token", token),
			chromedp.Submit("#token"),
			chromedp.WaitVisible("#events-per-minute"),
			shot("2-overview"))
		user := text("#user")
		do("find the ticket",
			chromedp.Navigate(base+"/tickets?connector="+connectorName("zendesk")),
			chromedp.WaitVisible("a.ticket"),
			shot("3-tickets"))
		tickets := text("#tickets")
		do("open its trace",
			chromedp.Click(`a.ticket[href$="/`+id+`"]`),
			chromedp.WaitVisible("#trace"),
			shot("4-ticket"))
		trace, note := text("#trace"), text("#note")
		// A dead letter: the help desk refuses heard's fetch of the next
		// ticket (401 is permanent), so its job is dead-lettered at once.
		env.Server.Faults.Add(sandbox.Fault{Vendor: "zendesk", Account: "acme", Method: http.MethodGet, PathContains: "tickets", Status: http.StatusUnauthorized})
		id2, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(12))
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			do("reload the operations page", chromedp.Navigate(base+"/ops"), chromedp.WaitVisible("#dead-letters"))
			if strings.Contains(text("#dead-letters"), id2) || time.Now().After(deadline) {
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
		dead := text("#dead-letters")
		do("retry it",
			shot("5-ops-dead-letter"),
			chromedp.Click(`tr.dead-job button[id^="retry-"]`),
			chromedp.WaitVisible("#message"),
			shot("6-ops-retried"))
		retried := text("#message")
		waitNotes(t, desk, "acme", id2, 1) // the retried job ran and wrote back
		// A failed write-back: the help desk refuses heard's update of the
		// next ticket (422 is permanent), and the overview counts it.
		// The fault holds until the job is dead, then is cleared.
		env.Server.Faults.Add(sandbox.Fault{Vendor: "zendesk", Account: "acme", Method: http.MethodPut, PathContains: "tickets", Status: http.StatusUnprocessableEntity, Times: -1})
		id3, err := desk.CreateTicket(t.Context(), "acme", doubleCharge(13))
		if err != nil {
			t.Fatal(err)
		}
		row := "#connector-" + connectorName("zendesk")
		deadline = time.Now().Add(30 * time.Second)
		for {
			do("reload the overview", chromedp.Navigate(base+"/"), chromedp.WaitVisible("#connectors"))
			if text(row+" td.write-dead") == "1" || time.Now().After(deadline) {
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
		env.Server.Faults.Clear()
		do("overview with a failed write-back", shot("6b-overview-write-failure"))
		writeFailed, writeDead := text(row+" td.write-failed"), text(row+" td.write-dead")
		do("the refused write-back's dead letter", chromedp.Navigate(base+"/ops"), chromedp.WaitVisible("#dead-letters"))
		deadWrite := text("#dead-letters")
		do("model page",
			chromedp.Navigate(base+"/model"),
			chromedp.WaitVisible("#models"),
			shot("7-model"))
		// The session survives a restart of heard.
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-p.done:
			if err != nil {
				t.Fatalf("heard exited with %v after SIGTERM:\n%s", err, p.logText())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("heard did not exit after SIGTERM")
		}
		startProc(t, cfgPath)
		do("after a restart, still signed in",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible("#events-per-minute"),
			shot("7b-overview-after-restart"))
		do("audit log",
			chromedp.Navigate(base+"/audit"),
			chromedp.WaitVisible("#audit"),
			shot("8-audit"))
		audit := text("#audit")
		if user != "admin" {
			t.Errorf("signed in as %q, want admin", user)
		}
		if !strings.Contains(tickets, id) {
			t.Errorf("tickets list lacks ticket %s:\n%s", id, tickets)
		}
		if !strings.Contains(trace, "ticket.created") || !strings.Contains(trace, "written back") {
			t.Errorf("trace lacks the created event and its write-back:\n%s", trace)
		}
		if len(note) < 20 {
			t.Errorf("note %q, want the internal note heard wrote", note)
		}
		if !strings.Contains(dead, id2) || !strings.Contains(dead, "401") && !strings.Contains(strings.ToLower(dead), "unauthor") {
			t.Errorf("dead letters lack ticket %s refused by the help desk:\n%s", id2, dead)
		}
		if !strings.Contains(retried, "Queued again") {
			t.Errorf("after retry the page says %q", retried)
		}
		if !strings.Contains(deadWrite, id3) || !strings.Contains(deadWrite, "writing back") {
			t.Errorf("dead letters lack ticket %s's refused write-back:\n%s", id3, deadWrite)
		}
		if writeFailed != "1" || writeDead != "1" {
			t.Errorf("overview write failures %q, dead after a failed write %q; want 1 and 1 (the refused update)", writeFailed, writeDead)
		}
		if !strings.Contains(audit, "queue.retry") {
			t.Errorf("audit log lacks the retry:\n%s", audit)
		}
		for _, n := range []string{"1-login", "2-overview", "3-tickets", "4-ticket", "5-ops-dead-letter", "6-ops-retried", "6b-overview-write-failure", "7-model", "7b-overview-after-restart", "8-audit"} {
			if fi, err := os.Stat(filepath.Join(b.shots, n+".png")); err != nil || fi.Size() < 1000 {
				t.Errorf("screenshot %s: %v", n, err)
			}
		}
	})
}
