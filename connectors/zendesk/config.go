package zendesk

import (
	"fmt"
	"regexp"
	"time"

	"github.com/heardhq/heard/sdk"
)

// DefaultReplayWindow is how far a signature timestamp may be from the local
// clock, in either direction, when replay_window is not set.
const DefaultReplayWindow = 5 * time.Minute

// Config is the vendor-specific part of a configured Zendesk connector.
type Config struct {
	// Subdomain is the account's bare subdomain: "acme" for acme.zendesk.com.
	// Required. It becomes TicketRef.Account.
	Subdomain string `yaml:"subdomain" json:"subdomain"`
	// Email is the agent the API token belongs to (API client, not used yet).
	Email string `yaml:"email" json:"email"`
	// APIToken is the Zendesk API token (API client, not used yet).
	APIToken sdk.Secret `yaml:"api_token" json:"api_token"`
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
	// are dropped so heard does not react to its own write-back. Optional.
	BotUserID string `yaml:"bot_user_id" json:"bot_user_id"`
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
