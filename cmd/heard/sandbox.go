package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/heardhq/heard/sandbox"
	sbfreshdesk "github.com/heardhq/heard/sandbox/freshdesk"
	sbintercom "github.com/heardhq/heard/sandbox/intercom"
	sbzendesk "github.com/heardhq/heard/sandbox/zendesk"
	"github.com/heardhq/heard/sdk"
)

// sandboxEnv is a running sandbox with one account per vendor, wired to
// deliver webhooks to a heard at heardURL.
type sandboxEnv struct {
	Server  *sandbox.Server
	Desks   map[string]sandbox.Desk // by vendor
	Root    string                  // the sandbox's base URL
	Account string
	srv     *http.Server
	ln      net.Listener
}

// sandboxVendors is the order vendors are listed in.
var sandboxVendors = []string{"zendesk", "freshdesk", "intercom"}

// connectorName is the heard connector that talks to vendor's sandbox account.
func connectorName(vendor string) string { return "sandbox-" + vendor }

var sandboxAttrs = map[string]string{
	sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLTV: "ltv", sdk.AttrRenewalDate: "renewal_date",
	sdk.AttrLastLogin: "last_login", sdk.AttrUsageTrend: "usage_trend", sdk.AttrPaymentStatus: "payment_status",
	sdk.AttrSignupDate: "signup_date",
}

// startSandbox serves the three emulated help desks on listen ("127.0.0.1:0"
// for any port). Webhooks go to heardURL + /v1/webhooks/sandbox-<vendor>.
func startSandbox(listen, heardURL, account string, autoReply bool, log *slog.Logger) (*sandboxEnv, error) {
	sb := sandbox.New(log)
	in, err := sbintercom.New(sb)
	if err != nil {
		return nil, fmt.Errorf("starting the Intercom sandbox: %w", err)
	}
	desks := map[string]sandbox.Desk{"zendesk": sbzendesk.New(sb), "freshdesk": sbfreshdesk.New(sb), "intercom": in}
	sb.Control(desks["zendesk"], desks["freshdesk"], desks["intercom"])
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listening on %s: %w", listen, err)
	}
	env := &sandboxEnv{Server: sb, Desks: desks, Root: "http://" + ln.Addr().String(), Account: account, ln: ln,
		srv: &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}}
	for _, v := range sandboxVendors {
		acct := sandbox.Account{
			Name: account, Email: "heard-bot@" + account + ".example", APIToken: "sandbox-token-" + v,
			Webhook:      sandbox.Webhook{URL: strings.TrimSuffix(heardURL, "/") + "/v1/webhooks/" + connectorName(v), Secret: "sandbox-secret-" + v},
			CustomFields: sandboxAttrs, APIVersion: "2.15", AutoReply: autoReply,
		}
		if err := desks[v].AddAccount(acct); err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("sandbox %s: %w", v, err)
		}
	}
	go func() { _ = env.srv.Serve(ln) }()
	return env, nil
}

// Close stops the sandbox.
func (e *sandboxEnv) Close() error { return e.srv.Close() }

// connectorsYAML is the `connectors:` block pointing heard at the sandbox.
func (e *sandboxEnv) connectorsYAML(mode string) string {
	var b strings.Builder
	attrs := "{plan: plan, mrr: mrr, ltv: ltv, renewal_date: renewal_date, last_login: last_login, usage_trend: usage_trend, payment_status: payment_status, signup_date: signup_date}"
	fmt.Fprintf(&b, "connectors:\n")
	fmt.Fprintf(&b, "  - {name: %s, type: zendesk, mode: %s, subdomain: %s, email: heard-bot@%s.example, api_token: sandbox-token-zendesk,\n"+
		"     webhook_secret: sandbox-secret-zendesk, base_url: %q, custom_fields: %s}\n",
		connectorName("zendesk"), mode, e.Account, e.Account, e.Desks["zendesk"].BaseURL(e.Root, e.Account), attrs)
	fmt.Fprintf(&b, "  - {name: %s, type: freshdesk, mode: %s, domain: %s, api_key: sandbox-token-freshdesk,\n"+
		"     webhook_secret: sandbox-secret-freshdesk, base_url: %q, custom_fields: %s}\n",
		connectorName("freshdesk"), mode, e.Account, e.Desks["freshdesk"].BaseURL(e.Root, e.Account), attrs)
	fmt.Fprintf(&b, "  - {name: %s, type: intercom, mode: %s, workspace: %s, access_token: sandbox-token-intercom,\n"+
		"     client_secret: sandbox-secret-intercom, api_version: \"2.15\", base_url: %q, custom_attributes: %s}\n",
		connectorName("intercom"), mode, e.Account, e.Desks["intercom"].BaseURL(e.Root, e.Account), attrs)
	return b.String()
}

func cmdSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sandbox", "sandbox [--listen ADDR] [--heard URL] [--account NAME] [--auto-reply]", stderr)
	listen := fs.String("listen", "127.0.0.1:9090", "`address` the sandbox help desks listen on")
	heardURL := fs.String("heard", "http://127.0.0.1:8080", "base `URL` of the heard that receives the sandbox's webhooks")
	account := fs.String("account", "acme", "account `name` created on each vendor")
	autoReply := fs.Bool("auto-reply", false, "accept public replies from heard (set when heard's triage.auto_reply.enabled is on); without it a public reply is a contract violation")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	env, err := startSandbox(*listen, *heardURL, *account, *autoReply, log)
	if err != nil {
		return err
	}
	defer env.Close()
	fmt.Fprintf(stdout, `heard sandbox: Zendesk, Freshdesk and Intercom emulations on %s
Every request heard makes is checked against the vendor's contract; violations are listed at GET %s/_sandbox/.

Add this to heard's config (mode live writes back to the sandbox) and run heard serve on %s:

%s
Open a ticket (vendor: zendesk, freshdesk or intercom) and see what the agent sees:

  curl -s -X POST %s/_sandbox/zendesk/%s/tickets -d '{"Subject":"Charged twice","Body":"We were charged twice for March.","Requester":{"Name":"Dana","Email":"dana@example.com"}}'
  curl -s %s/_sandbox/zendesk/%s/tickets/<id>

Ctrl-C stops it.
`, env.Root, env.Root, *heardURL, env.connectorsYAML("live"), env.Root, *account, env.Root, *account)
	<-ctx.Done()
	if v := env.Server.Violations(); len(v) > 0 {
		fmt.Fprintf(stderr, "%d contract violations were recorded:\n", len(v))
		for _, x := range v {
			fmt.Fprintln(stderr, " -", x)
		}
		return errors.New("sandbox saw contract violations")
	}
	return nil
}
