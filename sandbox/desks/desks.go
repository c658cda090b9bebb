package desks

import (
	"fmt"
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

// Vendors lists the emulated vendors in the order they are shown.
var Vendors = []string{"zendesk", "freshdesk", "intercom"}

// ConnectorName is the heard connector that talks to vendor's account.
func ConnectorName(vendor string) string { return "sandbox-" + vendor }

// attrs maps heard's customer attributes onto the accounts' custom fields.
var attrs = map[string]string{
	sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLTV: "ltv", sdk.AttrRenewalDate: "renewal_date",
	sdk.AttrLastLogin: "last_login", sdk.AttrUsageTrend: "usage_trend", sdk.AttrPaymentStatus: "payment_status",
	sdk.AttrSignupDate: "signup_date",
}

// Config says where the help desks listen and where they deliver webhooks.
type Config struct {
	// Listen is the address to serve on ("127.0.0.1:0" for any port).
	Listen string
	// HeardURL is heard's base URL; webhooks go to
	// HeardURL + /v1/webhooks/sandbox-<vendor>.
	HeardURL string
	// Account is the account name created on each vendor.
	Account string
	// AutoReply lets heard post public replies (heard's
	// triage.auto_reply.enabled); without it a public reply is a violation.
	AutoReply bool
	// ReadOnly gives heard credentials that cannot write
	// (sandbox.Account.ReadOnly), for heard check.
	ReadOnly bool
	// RatePerMinute is each account's API budget (sandbox.Account); 0
	// means none and no rate-limit headers.
	RatePerMinute int
	// Logger receives the sandbox's log; required.
	Logger *slog.Logger
}

// Env is a running sandbox with one account per vendor.
type Env struct {
	// Server records violations and injects faults.
	Server *sandbox.Server
	// Desks are the emulations by vendor.
	Desks map[string]sandbox.Desk
	// Root is the sandbox's base URL.
	Root string
	// Account is the account name on every vendor.
	Account string

	srv *http.Server
}

// Start serves the three emulated help desks and creates the account on
// each. Close stops them.
func Start(cfg Config) (*Env, error) {
	sb := sandbox.New(cfg.Logger)
	in, err := sbintercom.New(sb)
	if err != nil {
		return nil, fmt.Errorf("starting the Intercom sandbox: %w", err)
	}
	desks := map[string]sandbox.Desk{"zendesk": sbzendesk.New(sb), "freshdesk": sbfreshdesk.New(sb), "intercom": in}
	sb.Control(desks["zendesk"], desks["freshdesk"], desks["intercom"])
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listening on %s: %w", cfg.Listen, err)
	}
	env := &Env{Server: sb, Desks: desks, Root: "http://" + ln.Addr().String(), Account: cfg.Account,
		srv: &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}}
	for _, v := range Vendors {
		acct := sandbox.Account{
			Name: cfg.Account, Email: "heard-bot@" + cfg.Account + ".example", APIToken: "sandbox-token-" + v,
			Webhook:      sandbox.Webhook{URL: strings.TrimSuffix(cfg.HeardURL, "/") + "/v1/webhooks/" + ConnectorName(v), Secret: "sandbox-secret-" + v},
			CustomFields: attrs, APIVersion: "2.15", AutoReply: cfg.AutoReply, ReadOnly: cfg.ReadOnly, RatePerMinute: cfg.RatePerMinute,
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
func (e *Env) Close() error { return e.srv.Close() }

// ConnectorsYAML is heard's `connectors:` block pointing at the sandbox,
// in mode (shadow or live).
func (e *Env) ConnectorsYAML(mode string) string {
	var b strings.Builder
	attrs := "{plan: plan, mrr: mrr, ltv: ltv, renewal_date: renewal_date, last_login: last_login, usage_trend: usage_trend, payment_status: payment_status, signup_date: signup_date}"
	fmt.Fprintf(&b, "connectors:\n")
	fmt.Fprintf(&b, "  - {name: %s, type: zendesk, mode: %s, subdomain: %s, email: heard-bot@%s.example, api_token: sandbox-token-zendesk,\n"+
		"     webhook_secret: sandbox-secret-zendesk, base_url: %q, custom_fields: %s}\n",
		ConnectorName("zendesk"), mode, e.Account, e.Account, e.Desks["zendesk"].BaseURL(e.Root, e.Account), attrs)
	fmt.Fprintf(&b, "  - {name: %s, type: freshdesk, mode: %s, domain: %s, api_key: sandbox-token-freshdesk,\n"+
		"     webhook_secret: sandbox-secret-freshdesk, base_url: %q, custom_fields: %s}\n",
		ConnectorName("freshdesk"), mode, e.Account, e.Desks["freshdesk"].BaseURL(e.Root, e.Account), attrs)
	fmt.Fprintf(&b, "  - {name: %s, type: intercom, mode: %s, workspace: %s, access_token: sandbox-token-intercom,\n"+
		"     client_secret: sandbox-secret-intercom, api_version: \"2.15\", base_url: %q, custom_attributes: %s}\n",
		ConnectorName("intercom"), mode, e.Account, e.Desks["intercom"].BaseURL(e.Root, e.Account), attrs)
	return b.String()
}
