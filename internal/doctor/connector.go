package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sdk"
)

// prober is the part of a connector the credential check calls
// (connectors.Prober).
type prober interface {
	Probe(ctx context.Context) (*connectors.Probe, error)
}

// secretChecker is the part of a connector the webhook-secret check
// calls (connectors.SecretChecker).
type secretChecker interface {
	CheckSecrets() []string
}

// lowHeadroom is the share of the rate-limit budget below which the
// rate-limit check warns.
const lowHeadroom = 0.10

// vendorFix is what to tell the admin for each failure, by connector
// type; the "" entry serves the types not listed.
type vendorFix struct {
	rejected, account, reach, access string
}

var fixes = map[string]vendorFix{
	"zendesk": {
		rejected: "create an API token in Zendesk Admin Center > Apps and integrations > APIs > Zendesk API, and set email (the token's user) and api_token",
		account:  "check subdomain (acme for acme.zendesk.com) and base_url, if set",
		reach:    "check subdomain and base_url, and that this host can reach https://SUBDOMAIN.zendesk.com (DNS, proxy, firewall)",
		access:   "use the API token of an agent or admin (not an end-user or light agent) for email and api_token",
	},
	"freshdesk": {
		rejected: "copy the API key from Freshdesk (profile picture > Profile settings > View API key) into api_key",
		account:  "check domain (acme for acme.freshdesk.com) and base_url, if set",
		reach:    "check domain and base_url, and that this host can reach https://DOMAIN.freshdesk.com (DNS, proxy, firewall)",
		access:   "use the API key of an agent with global ticket access (Admin > Agents > ticket scope: all tickets), not an occasional agent",
	},
	"intercom": {
		rejected: "copy the access token from the Intercom Developer Hub (your app > Configure > Authentication) into access_token",
		account:  "check base_url: it must be your workspace's region (https://api.intercom.io, api.eu.intercom.io or api.au.intercom.io)",
		reach:    "check base_url, and that this host can reach the Intercom API (DNS, proxy, firewall)",
		access:   "give the access token's admin an Inbox seat (Settings > Teammates), or set admin_id to an admin who has one",
	},
	"": {
		rejected: "check the connector's API credentials",
		account:  "check the connector's account and base_url settings",
		reach:    "check the connector's base_url and that this host can reach it",
		access:   "give the connector's API user permission to update tickets and add internal notes",
	},
}

func fixFor(typ string) vendorFix {
	if f, ok := fixes[typ]; ok {
		return f
	}
	return fixes[""]
}

// Connector checks one configured connector: conn is what the registry
// built for it, or buildErr why it could not be built. It reports the
// webhook secret, then, for connectors that implement connectors.Prober,
// the credentials, their write access and the rate-limit headroom.
func Connector(name, typ string, conn any, buildErr error) Check {
	return func(ctx context.Context) []Result {
		prefix := "connector " + name + ": "
		fix := fixFor(typ)
		if buildErr != nil {
			return []Result{fail(prefix+"settings", buildErr.Error(), "correct the connector's settings (docs/connect.md lists them per help desk)")}
		}
		var out []Result
		if sc, ok := conn.(secretChecker); ok {
			out = append(out, webhookSecret(prefix+"webhook secret", sc.CheckSecrets()))
		}
		p, isProber := conn.(prober)
		if !isProber {
			return append(out, warn(prefix+"credentials", fmt.Sprintf("connector type %q cannot check its credentials ahead of time", typ),
				"watch the first write-backs (heard show CONNECTOR TICKET) after going live"))
		}
		probe, err := p.Probe(ctx)
		if err != nil {
			return append(out, probeFailure(prefix+"credentials", err, fix))
		}
		out = append(out, ok(prefix+"credentials", "accepted; acting as %s", probe.Identity))
		out = append(out, access(prefix+"write access", probe, fix))
		return append(out, rateLimit(prefix+"rate limit", probe))
	}
}

func webhookSecret(check string, problems []string) Result {
	if len(problems) == 0 {
		return ok(check, "set")
	}
	detail := strings.Join(problems, "; ")
	for _, p := range problems {
		if strings.HasSuffix(p, "is not set") {
			return fail(check, detail, "set the secret the help desk signs or sends its webhooks with; without it every webhook is refused")
		}
	}
	return warn(check, detail, "use a random secret of at least 32 characters (e.g. openssl rand -hex 32) here and in the help desk's webhook")
}

func probeFailure(check string, err error, fix vendorFix) Result {
	var dns *net.DNSError
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return warn(check, err.Error(), "set the API credentials: without them heard can receive webhooks but cannot fetch tickets or write back")
	case errors.Is(err, sdk.ErrUnauthorized):
		return fail(check, "the help desk rejected the credentials: "+err.Error(), fix.rejected)
	case errors.Is(err, sdk.ErrNotFound):
		return fail(check, "the help desk does not know this account: "+err.Error(), fix.account)
	case errors.As(err, &dns):
		return fail(check, "the help desk's host does not resolve: "+err.Error(), fix.account)
	case errors.Is(err, context.DeadlineExceeded):
		return fail(check, "no answer within the check's timeout: "+err.Error(), fix.reach)
	case errors.Is(err, sdk.ErrUnavailable):
		return fail(check, "the help desk did not answer: "+err.Error(), fix.reach)
	default:
		return fail(check, err.Error(), fix.reach)
	}
}

func access(check string, p *connectors.Probe, fix vendorFix) Result {
	switch {
	case p.CanUpdate && p.CanNote:
		return ok(check, "may update tickets and add internal notes")
	case p.CanNote:
		return fail(check, "may add internal notes but not update tickets: "+p.Why, fix.access)
	case p.CanUpdate:
		return fail(check, "may update tickets but not add internal notes: "+p.Why, fix.access)
	default:
		return fail(check, "may neither update tickets nor add internal notes: "+p.Why, fix.access)
	}
}

func rateLimit(check string, p *connectors.Probe) Result {
	switch {
	case p.RateLimit < 0 || p.RateRemaining < 0:
		return ok(check, "the help desk reported no rate-limit budget on this request")
	case p.RateLimit == 0 || float64(p.RateRemaining) < lowHeadroom*float64(p.RateLimit):
		return warn(check, fmt.Sprintf("%d of %d requests left in the current window", p.RateRemaining, p.RateLimit),
			"another integration is using most of the account's API budget; heard's calls will wait or be retried: raise the plan's limit or slow the other integration")
	default:
		return ok(check, "%d of %d requests left in the current window", p.RateRemaining, p.RateLimit)
	}
}
