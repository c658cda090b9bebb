package freshdesk

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Type is the connector type this package registers.
const Type = "freshdesk"

func init() {
	connectors.MustRegister(Type, factory)
}

// factory adapts New to connectors.Factory.
func factory(spec connectors.Spec, deps connectors.Deps) (sdk.Connector, error) {
	c, err := New(spec, deps)
	if err != nil {
		return nil, err
	}
	return c, nil
}

var (
	_ sdk.Connector     = (*Connector)(nil)
	_ sdk.ArticleLister = (*Connector)(nil)
	_ sdk.HealthChecker = (*Connector)(nil)
)

// Connector is one configured Freshdesk account. It is safe for concurrent
// use; apart from the discovered bot agent id it is immutable after New.
type Connector struct {
	name   string // configured connector name: TicketRef.Connector
	domain string // TicketRef.Account
	api    *freshdeskapi.Client
	base   string // helpdesk base URL, for article links

	// Webhook authentication. A nil digest means the method is off.
	header     string // canonical name of the secret header
	secretSum  *[32]byte
	basicUser  *[32]byte
	basicPass  *[32]byte
	botAgentID atomic.Pointer[string] // "" until configured or discovered
	signWith   func(h http.Header)    // adds the configured credentials (SignWebhook)
	// secretProblems is what CheckSecrets reports, worked out in New
	// (only digests of the secrets are kept).
	secretProblems []string

	customFields map[string]string // customer attribute → contact/company field key
	ticketFields map[string]string // heard field → cf_ key
	fieldNames   map[string]string // cf_ key → heard field
	recent       int               // 0: off
	articlePage  int

	lookupTimeout time.Duration // bounds DecodeWebhook's API lookup
	arrivals      atomic.Uint64 // sequence of fallback keys

	now func() time.Time
	log *slog.Logger
}

// New builds a connector from its settings. It decodes and validates them
// and does no IO. A nil deps.Now, deps.Logger or deps.HTTPClient falls back
// to time.Now, a discarding logger and vendorapi's default client.
func New(spec connectors.Spec, deps connectors.Deps) (*Connector, error) {
	if spec.Name == "" {
		return nil, fmt.Errorf("building freshdesk connector: spec has no name: %w", sdk.ErrInvalid)
	}
	if spec.Decode == nil {
		return nil, fmt.Errorf("building freshdesk connector %q: spec has no settings decoder: %w", spec.Name, sdk.ErrInvalid)
	}
	var cfg Config
	if err := spec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("decoding freshdesk settings: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	now, log := deps.Now, deps.Logger
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With(slog.String("connector", spec.Name), slog.String("type", Type))

	rl := cfg.RateLimit
	if rl.RatePerMinute <= 0 {
		rl.RatePerMinute = DefaultRatePerMinute
	}
	api, err := freshdeskapi.New(cfg.baseURL(), cfg.APIKey, vendorapi.New(spec.Name, rl, deps.HTTPClient, log))
	if err != nil {
		return nil, fmt.Errorf("building freshdesk connector %q: %w", spec.Name, err)
	}

	c := &Connector{
		name:          spec.Name,
		domain:        cfg.Domain,
		api:           api,
		base:          cfg.baseURL(),
		header:        canonicalHeader(cfg.webhookHeader()),
		customFields:  cfg.CustomFields,
		ticketFields:  cfg.TicketFields,
		fieldNames:    make(map[string]string, len(cfg.TicketFields)),
		recent:        cfg.RecentTickets,
		articlePage:   cfg.ArticlePageSize,
		lookupTimeout: DefaultLookupTimeout,
		now:           now,
		log:           log,
	}
	secret, basic := cfg.WebhookSecret, cfg.WebhookBasicAuth
	c.signWith = func(h http.Header) {
		if secret != "" {
			h.Set(c.header, secret.Reveal())
		}
		if basic != nil {
			req := http.Request{Header: h}
			req.SetBasicAuth(basic.Username, basic.Password.Reveal())
		}
	}
	if cfg.WebhookSecret != "" {
		c.secretSum = digest(cfg.WebhookSecret.Reveal())
		c.secretProblems = connectors.CheckSecret("webhook_secret", cfg.WebhookSecret)
	}
	if b := cfg.WebhookBasicAuth; b != nil {
		c.basicUser, c.basicPass = digest(b.Username), digest(b.Password.Reveal())
		c.secretProblems = append(c.secretProblems, connectors.CheckSecret("webhook_basic_auth.password", b.Password)...)
	}
	for field, key := range cfg.TicketFields {
		c.fieldNames[key] = field
	}
	switch {
	case c.recent == 0:
		c.recent = DefaultRecentTickets
	case c.recent < 0:
		c.recent = 0
	}
	if c.articlePage == 0 {
		c.articlePage = DefaultArticlePageSize
	}
	if cfg.BotAgentID != "" {
		id := cfg.BotAgentID
		c.botAgentID.Store(&id)
	}
	return c, nil
}

// CheckHealth checks the API key with GET /api/v2/agents/me and, when
// bot_agent_id is not configured, remembers the agent's id so loop
// prevention works from the first webhook on.
func (c *Connector) CheckHealth(ctx context.Context) error {
	return c.discoverBot(ctx, true)
}

// ensureBot discovers the bot agent id unless it is already known.
func (c *Connector) ensureBot(ctx context.Context) error {
	return c.discoverBot(ctx, false)
}

// discoverBot calls agents/me when always is set or the bot id is unknown.
func (c *Connector) discoverBot(ctx context.Context, always bool) error {
	if !always && c.bot() != "" {
		return nil
	}
	me, err := c.api.Me(ctx)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(me.ID, 10)
	if old := c.botAgentID.Load(); old == nil || *old == "" {
		c.botAgentID.Store(&id)
		c.log.InfoContext(ctx, "freshdesk bot agent discovered", slog.String("agent_id", id))
	} else if *old != id {
		c.log.WarnContext(ctx, "freshdesk bot_agent_id differs from the API key's agent; events by the configured agent are dropped",
			slog.String("bot_agent_id", *old), slog.String("api_key_agent_id", id))
	}
	return nil
}

// bot returns the bot agent id, or "" while unknown.
func (c *Connector) bot() string {
	if p := c.botAgentID.Load(); p != nil {
		return *p
	}
	return ""
}

// ticketID checks that ref belongs to this account and returns its numeric
// id.
func (c *Connector) ticketID(ref sdk.TicketRef) (int64, error) {
	if ref.Account != c.domain {
		return 0, fmt.Errorf("freshdesk connector %s: ticket %s belongs to account %q, not %q: %w", c.name, ref, ref.Account, c.domain, sdk.ErrInvalid)
	}
	if !numericRE.MatchString(ref.ID) {
		return 0, fmt.Errorf("freshdesk connector %s: ticket id %.40q is not numeric: %w", c.name, ref.ID, sdk.ErrInvalid)
	}
	id, err := strconv.ParseInt(ref.ID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("freshdesk connector %s: ticket id %.40q: %w", c.name, ref.ID, sdk.ErrInvalid)
	}
	return id, nil
}

// ref returns the reference to ticket id in this connector's account.
func (c *Connector) ref(id string) sdk.TicketRef {
	return sdk.TicketRef{Connector: c.name, Account: c.domain, ID: id}
}

// digest hashes a credential so comparisons are constant-time and
// independent of its length.
func digest(s string) *[32]byte {
	d := sha256.Sum256([]byte(s))
	return &d
}

var _ sdk.TicketLinker = (*Connector)(nil)

// TicketURL implements sdk.TicketLinker: the ticket in Freshdesk's agent
// portal.
func (c *Connector) TicketURL(ref sdk.TicketRef) string {
	return strings.TrimSuffix(c.base, "/") + "/a/tickets/" + url.PathEscape(ref.ID)
}
