package zendesk

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// DefaultReplayWindow is how far a signature timestamp may be from the local
// clock, in either direction, when replay_window is not set.
const DefaultReplayWindow = 5 * time.Minute

// DefaultRatePerMinute is the request budget when rate_limit.rate_per_minute
// is not set: Zendesk's documented 100 requests per minute per account (the
// lowest plan); raise it for plans with higher limits.
const DefaultRatePerMinute = 100

// customerAttrs are the sdk.Attr* keys custom_fields may map.
var customerAttrs = []string{
	sdk.AttrPlan, sdk.AttrMRR, sdk.AttrLTV, sdk.AttrRenewalDate, sdk.AttrLastLogin, sdk.AttrUsageTrend,
	sdk.AttrPaymentStatus, sdk.AttrSignupDate, sdk.AttrEngagement, sdk.AttrNegativeInteractions, sdk.AttrRegion,
}

// Config is the vendor-specific part of a configured Zendesk connector.
type Config struct {
	// Subdomain is the account's bare subdomain: "acme" for acme.zendesk.com.
	// Required. It becomes TicketRef.Account.
	Subdomain string `yaml:"subdomain" json:"subdomain"`
	// Email is the agent the API token belongs to. Without email and
	// api_token the connector only verifies and decodes webhooks.
	Email string `yaml:"email" json:"email"`
	// APIToken is the Zendesk API token; requests authenticate with
	// Basic base64("{email}/token:{api_token}").
	APIToken sdk.Secret `yaml:"api_token" json:"api_token"`
	// BaseURL overrides the API base, https://{subdomain}.zendesk.com by
	// default (for a proxy or the sandbox).
	BaseURL string `yaml:"base_url" json:"base_url"`
	// WebhookSecret is the webhook's signing secret, used as-is (its string
	// bytes are the HMAC key, it is not base64-decoded). Required.
	WebhookSecret sdk.Secret `yaml:"webhook_secret" json:"webhook_secret"`
	// ReplayWindow is a Go duration such as "5m": signature timestamps
	// further than this from now, in either direction, are rejected. Empty
	// means DefaultReplayWindow.
	ReplayWindow string `yaml:"replay_window" json:"replay_window"`
	// AcceptLegacySignature also accepts signatures over body‖timestamp, the
	// order an earlier revision of Zendesk's documentation described.
	AcceptLegacySignature bool `yaml:"accept_legacy_signature" json:"accept_legacy_signature"`
	// BotUserID is the Zendesk user heard writes as. Events this user caused
	// are dropped so heard does not react to its own write-back. Optional:
	// when empty it is discovered with GET /api/v2/users/me on the first
	// API call and cached (events decoded before then are not filtered).
	BotUserID string `yaml:"bot_user_id" json:"bot_user_id"`
	// CustomFields maps customer attributes (sdk.Attr* keys: plan, mrr, ltv,
	// renewal_date, last_login, usage_trend, payment_status, signup_date,
	// engagement, negative_interactions_30d) to the user_fields or
	// organization_fields key holding them. The requester's user fields are
	// looked at first, then the organization's. Unmapped attributes, and
	// mapped ones whose field is missing or empty, stay unknown.
	CustomFields map[string]string `yaml:"custom_fields" json:"custom_fields"`
	// TicketFields maps heard field names (the keys of sdk.Changes.Fields)
	// to numeric Zendesk ticket custom field ids. Changes to unmapped
	// fields are not written; mapped fields are also read into
	// sdk.Ticket.Fields.
	TicketFields map[string]int64 `yaml:"ticket_fields" json:"ticket_fields"`
	// RateLimit tunes outbound calls (rate, retries, timeouts, breaker).
	// RatePerMinute defaults to DefaultRatePerMinute.
	RateLimit vendorapi.Config `yaml:"rate_limit" json:"rate_limit"`
}

var (
	subdomainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	userIDRE    = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
)

// Validate reports the first problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	_, err := c.validate()
	return err
}

// validate checks c and returns the parsed replay window.
func (c Config) validate() (time.Duration, error) {
	switch {
	case c.Subdomain == "":
		return 0, fmt.Errorf("checking zendesk settings: subdomain is required: %w", sdk.ErrInvalid)
	case !subdomainRE.MatchString(c.Subdomain):
		return 0, fmt.Errorf("checking zendesk settings: subdomain %.64q: want the bare lower-case subdomain, e.g. \"acme\" for acme.zendesk.com: %w", c.Subdomain, sdk.ErrInvalid)
	case c.WebhookSecret == "":
		return 0, fmt.Errorf("checking zendesk settings: webhook_secret is required: %w", sdk.ErrInvalid)
	case (c.Email == "") != (c.APIToken == ""):
		return 0, fmt.Errorf("checking zendesk settings: email and api_token must be set together: %w", sdk.ErrInvalid)
	case c.BotUserID != "" && !userIDRE.MatchString(c.BotUserID):
		return 0, fmt.Errorf("checking zendesk settings: bot_user_id %.64q: want a numeric Zendesk user id: %w", c.BotUserID, sdk.ErrInvalid)
	}
	if err := c.validateAPI(); err != nil {
		return 0, err
	}
	window := DefaultReplayWindow
	if c.ReplayWindow != "" {
		d, err := time.ParseDuration(c.ReplayWindow)
		if err != nil {
			return 0, fmt.Errorf("checking zendesk settings: replay_window %.64q: want a duration such as \"5m\": %w", c.ReplayWindow, sdk.ErrInvalid)
		}
		if d <= 0 {
			return 0, fmt.Errorf("checking zendesk settings: replay_window %q: must be positive: %w", c.ReplayWindow, sdk.ErrInvalid)
		}
		window = d
	}
	return window, nil
}

// validateAPI checks the settings of the API half.
func (c Config) validateAPI() error {
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("checking zendesk settings: base_url %.80q: want an absolute http(s) URL without query or credentials, e.g. https://acme.zendesk.com: %w", sdk.RedactURL(c.BaseURL), sdk.ErrInvalid)
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(c.CustomFields)) {
		if !slices.Contains(customerAttrs, attr) {
			return fmt.Errorf("checking zendesk settings: custom_fields: unknown customer attribute %.64q (known: %s): %w", attr, strings.Join(customerAttrs, ", "), sdk.ErrInvalid)
		}
		if strings.TrimSpace(c.CustomFields[attr]) == "" {
			return fmt.Errorf("checking zendesk settings: custom_fields.%s: want the user or organization field key: %w", attr, sdk.ErrInvalid)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.TicketFields)) {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("checking zendesk settings: ticket_fields: empty field name: %w", sdk.ErrInvalid)
		}
		if c.TicketFields[name] <= 0 {
			return fmt.Errorf("checking zendesk settings: ticket_fields.%s: want a positive Zendesk custom field id, got %d: %w", name, c.TicketFields[name], sdk.ErrInvalid)
		}
	}
	if c.RateLimit.RatePerMinute < 0 || c.RateLimit.Burst < 0 || c.RateLimit.MaxRetries < 0 {
		return fmt.Errorf("checking zendesk settings: rate_limit: rate_per_minute, burst and max_retries must not be negative: %w", sdk.ErrInvalid)
	}
	return nil
}
