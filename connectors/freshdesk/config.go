package freshdesk

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Defaults for settings left empty.
const (
	// DefaultWebhookHeader carries the shared webhook secret.
	DefaultWebhookHeader = "X-Heard-Secret"
	// DefaultRatePerMinute is Freshdesk's Growth plan limit (CONTRACTS.md
	// §2.8); Pro and Enterprise allow 400 and 700.
	DefaultRatePerMinute = 200
	// DefaultRecentTickets is how many of the requester's other tickets
	// Ticket lists.
	DefaultRecentTickets = 10
	// DefaultArticlePageSize is Freshdesk's own default per_page.
	DefaultArticlePageSize = 30
)

// Config is the vendor-specific part of a configured Freshdesk connector.
type Config struct {
	// Domain is the account's helpdesk name: "acme" for acme.freshdesk.com.
	// Required. It becomes TicketRef.Account.
	Domain string `yaml:"domain" json:"domain"`
	// APIKey is the API key of the agent heard writes as (Profile settings →
	// API key). Required.
	APIKey sdk.Secret `yaml:"api_key" json:"api_key"`
	// BaseURL overrides https://{domain}.freshdesk.com, e.g. for the sandbox
	// or a proxy. Article URLs are built from it too.
	BaseURL string `yaml:"base_url" json:"base_url"`
	// WebhookSecret is the value the automation rule sends in the
	// WebhookHeader custom header. Freshdesk signs nothing, so this (or
	// WebhookBasicAuth) is the only proof a delivery came from the rule.
	WebhookSecret sdk.Secret `yaml:"webhook_secret" json:"webhook_secret"`
	// WebhookHeader names the custom header carrying WebhookSecret;
	// default DefaultWebhookHeader.
	WebhookHeader string `yaml:"webhook_header" json:"webhook_header"`
	// WebhookBasicAuth is the user name and password the rule's
	// "Requires authentication" option sends.
	WebhookBasicAuth *BasicAuth `yaml:"webhook_basic_auth" json:"webhook_basic_auth"`
	// CustomFields maps customer attributes (sdk.Attr* keys: plan, mrr, ...)
	// to contact or company custom field keys (no cf_ prefix). Each key is
	// looked up on the requester's contact first, then on their company.
	CustomFields map[string]string `yaml:"custom_fields" json:"custom_fields"`
	// TicketFields maps heard field names (sentiment, product_area, ...) to
	// ticket custom field keys, which start with cf_.
	TicketFields map[string]string `yaml:"ticket_fields" json:"ticket_fields"`
	// RateLimit tunes outbound calls; rate_per_minute defaults to
	// DefaultRatePerMinute.
	RateLimit vendorapi.Config `yaml:"rate_limit" json:"rate_limit"`
	// BotAgentID is the agent id of the API key's owner. Events this agent
	// caused are dropped. Empty: discovered with GET /api/v2/agents/me on
	// the first write-back or health check.
	BotAgentID string `yaml:"bot_agent_id" json:"bot_agent_id"`
	// RecentTickets is how many of the requester's other tickets to list
	// (one tickets-list call per fetch, which Freshdesk rate-limits more
	// tightly). 0 means DefaultRecentTickets; negative turns it off.
	RecentTickets int `yaml:"recent_tickets" json:"recent_tickets"`
	// ArticlePageSize is per_page for article listing, 1..100; 0 means
	// DefaultArticlePageSize.
	ArticlePageSize int `yaml:"article_page_size" json:"article_page_size"`
}

// BasicAuth is a webhook's HTTP Basic credentials.
type BasicAuth struct {
	Username string     `yaml:"username" json:"username"`
	Password sdk.Secret `yaml:"password" json:"password"`
}

var (
	domainRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	numericRE = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	// headerRE is an HTTP field name (RFC 9110 token).
	headerRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
)

// knownAttrs are the customer attributes custom_fields may map.
var knownAttrs = []string{
	sdk.AttrPlan, sdk.AttrMRR, sdk.AttrLTV, sdk.AttrRenewalDate, sdk.AttrLastLogin, sdk.AttrUsageTrend,
	sdk.AttrPaymentStatus, sdk.AttrSignupDate, sdk.AttrNegativeInteractions, sdk.AttrEngagement, sdk.AttrRegion,
}

// Validate reports the first problem with c, wrapping sdk.ErrInvalid. No
// message contains a secret.
func (c Config) Validate() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("checking freshdesk settings: "+format+": %w", append(args, sdk.ErrInvalid)...)
	}
	switch {
	case c.Domain == "":
		return fail("domain is required")
	case !domainRE.MatchString(c.Domain):
		return fail("domain %.64q: want the bare lower-case helpdesk name, e.g. \"acme\" for acme.freshdesk.com", c.Domain)
	case c.APIKey == "":
		return fail("api_key is required")
	case c.WebhookSecret == "" && c.WebhookBasicAuth == nil:
		return fail("webhook_secret or webhook_basic_auth is required: Freshdesk signs no webhook, so the automation rule must send a secret header or basic auth")
	case c.WebhookHeader != "" && c.WebhookSecret == "":
		return fail("webhook_header is set but webhook_secret is not")
	case c.WebhookHeader != "" && !headerRE.MatchString(c.WebhookHeader):
		return fail("webhook_header %.64q is not a valid header name", c.WebhookHeader)
	case c.WebhookBasicAuth != nil && http.CanonicalHeaderKey(c.webhookHeader()) == "Authorization":
		return fail("webhook_header cannot be Authorization when webhook_basic_auth is set")
	case c.BotAgentID != "" && !numericRE.MatchString(c.BotAgentID):
		return fail("bot_agent_id %.64q: want a numeric Freshdesk agent id", c.BotAgentID)
	case c.RecentTickets > 100:
		return fail("recent_tickets %d: at most 100", c.RecentTickets)
	case c.ArticlePageSize < 0 || c.ArticlePageSize > 100:
		return fail("article_page_size %d: want 1..100", c.ArticlePageSize)
	}
	if b := c.WebhookBasicAuth; b != nil {
		switch {
		case b.Username == "" || b.Password == "":
			return fail("webhook_basic_auth needs both username and password")
		case strings.Contains(b.Username, ":"):
			return fail("webhook_basic_auth username must not contain ':'")
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fail("base_url %.100q: want scheme://host with an optional path", sdk.RedactURL(c.BaseURL))
		}
		if u.User != nil {
			return fail("base_url %.100q: must not carry credentials (user:password@); the API key goes in api_key", sdk.RedactURL(c.BaseURL))
		}
	}
	for _, attr := range sortedKeys(c.CustomFields) {
		switch key := c.CustomFields[attr]; {
		case !slices.Contains(knownAttrs, attr):
			return fail("custom_fields: unknown customer attribute %.64q (known: %s)", attr, strings.Join(knownAttrs, ", "))
		case strings.TrimSpace(key) == "":
			return fail("custom_fields: %s maps to an empty field key", attr)
		}
	}
	for _, field := range sortedKeys(c.TicketFields) {
		switch key := c.TicketFields[field]; {
		case strings.TrimSpace(field) == "":
			return fail("ticket_fields: empty heard field name")
		case !strings.HasPrefix(key, "cf_") || len(key) == len("cf_"):
			return fail("ticket_fields: %s maps to %.64q: ticket custom field keys start with cf_", field, key)
		}
	}
	return nil
}

// webhookHeader returns the configured header name or the default.
func (c Config) webhookHeader() string {
	if c.WebhookHeader != "" {
		return c.WebhookHeader
	}
	return DefaultWebhookHeader
}

// baseURL returns the configured base URL or https://{domain}.freshdesk.com.
func (c Config) baseURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "https://" + c.Domain + ".freshdesk.com"
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
