package zendesk

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// Type is the connector type this package registers.
const Type = "zendesk"

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
)

// Connector is one configured Zendesk account. Its settings are immutable
// after New; the only state is the discovered bot user id. It is safe for
// concurrent use.
type Connector struct {
	name      string // configured connector name: TicketRef.Connector
	subdomain string // TicketRef.Account
	secret    []byte // webhook signing secret, as-is
	window    time.Duration
	legacy    bool   // also accept body‖timestamp signatures
	botUserID string // configured bot user; "" to discover it
	now       func() time.Time
	log       *slog.Logger

	api          *zendeskapi.Client // nil without email and api_token
	customFields map[string]string  // customer attribute → user/organization field key
	ticketFields map[string]int64   // heard field name → ticket custom field id
	fieldNames   map[int64]string   // the reverse of ticketFields

	discoverMu sync.Mutex             // one users/me call at a time
	discovered atomic.Pointer[string] // bot user id from users/me

	people *people // users and organizations seen in the last minute

	// invocations maps a digest of (invocation id, trigger body) to the
	// first event id decoded for it; see triggerID.
	invocations *lru.Cache[[sha256.Size]byte, string]
}

// New builds a connector from its settings. It decodes and validates them and
// does no IO. A nil deps.Now, deps.Logger or deps.HTTPClient falls back to
// time.Now, a discarding logger and a default HTTP client.
func New(spec connectors.Spec, deps connectors.Deps) (*Connector, error) {
	if spec.Name == "" {
		return nil, fmt.Errorf("building zendesk connector: spec has no name: %w", sdk.ErrInvalid)
	}
	if spec.Decode == nil {
		return nil, fmt.Errorf("building zendesk connector %q: spec has no settings decoder: %w", spec.Name, sdk.ErrInvalid)
	}
	var cfg Config
	if err := spec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("decoding zendesk settings: %w", err)
	}
	window, err := cfg.validate()
	if err != nil {
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
	c := &Connector{
		name:         spec.Name,
		subdomain:    cfg.Subdomain,
		secret:       []byte(cfg.WebhookSecret.Reveal()),
		window:       window,
		legacy:       cfg.AcceptLegacySignature,
		botUserID:    cfg.BotUserID,
		now:          now,
		log:          log,
		customFields: cfg.CustomFields,
		ticketFields: cfg.TicketFields,
		fieldNames:   make(map[int64]string, len(cfg.TicketFields)),
		people:       newPeople(vendorapi.RecentTTL, now),
	}
	for name, id := range cfg.TicketFields {
		c.fieldNames[id] = name
	}
	inv, err := lru.New[[sha256.Size]byte, string](invocationMemory)
	if err != nil {
		return nil, fmt.Errorf("building zendesk connector %q: %w", spec.Name, err)
	}
	c.invocations = inv
	if cfg.Email != "" {
		rl := cfg.RateLimit
		if rl.RatePerMinute == 0 {
			rl.RatePerMinute = DefaultRatePerMinute
		}
		hc := deps.HTTPClient
		if hc == nil {
			hc = vendorapi.NewHTTPClient()
		}
		base := cfg.BaseURL
		if base == "" {
			base = zendeskapi.DefaultBaseURL(cfg.Subdomain)
		}
		api, err := zendeskapi.New(base, cfg.Email, cfg.APIToken.Reveal(), vendorapi.New(spec.Name, rl, hc, log))
		if err != nil {
			return nil, fmt.Errorf("building zendesk connector %q: %w", spec.Name, err)
		}
		c.api = api
	}
	return c, nil
}

// bot returns the bot user id: the configured one, else the discovered one,
// else "".
func (c *Connector) bot() string {
	if c.botUserID != "" {
		return c.botUserID
	}
	if p := c.discovered.Load(); p != nil {
		return *p
	}
	return ""
}

// client returns the API client, or an error wrapping errors.ErrUnsupported
// when the connector has no API credentials (webhook-only).
func (c *Connector) client() (*zendeskapi.Client, error) {
	if c.api == nil {
		return nil, fmt.Errorf("zendesk connector %s: email and api_token are not configured, so the Zendesk API cannot be called: %w", c.name, errors.ErrUnsupported)
	}
	return c.api, nil
}

// discoverBot finds the API user with GET /api/v2/users/me unless a bot user
// is configured or already known. A failure is returned and retried on the
// next call.
func (c *Connector) discoverBot(ctx context.Context, api *zendeskapi.Client) error {
	if c.bot() != "" {
		return nil
	}
	c.discoverMu.Lock()
	defer c.discoverMu.Unlock()
	if c.bot() != "" {
		return nil
	}
	me, err := api.Me(ctx)
	if err != nil {
		return fmt.Errorf("discovering the zendesk bot user: %w", err)
	}
	id := strconv.FormatInt(me.ID, 10)
	c.discovered.Store(&id)
	c.log.InfoContext(ctx, "discovered zendesk bot user; its events will be dropped", slog.String("bot_user_id", id))
	return nil
}

// ticketID checks that ref belongs to this connector's account and returns
// its numeric id.
func (c *Connector) ticketID(ref sdk.TicketRef) (int64, error) {
	if ref.Account != "" && ref.Account != c.subdomain {
		return 0, fmt.Errorf("zendesk connector %s serves account %q, not %.64q: %w", c.name, c.subdomain, ref.Account, sdk.ErrInvalid)
	}
	if !ticketIDRE.MatchString(ref.ID) {
		return 0, fmt.Errorf("zendesk ticket id %.40q: want a positive integer: %w", ref.ID, sdk.ErrInvalid)
	}
	id, err := strconv.ParseInt(ref.ID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("zendesk ticket id %.40q: %w", ref.ID, errors.Join(err, sdk.ErrInvalid))
	}
	return id, nil
}

var _ sdk.TicketLinker = (*Connector)(nil)

// TicketURL implements sdk.TicketLinker: the ticket in Zendesk's agent
// workspace.
func (c *Connector) TicketURL(ref sdk.TicketRef) string {
	base := zendeskapi.DefaultBaseURL(c.subdomain)
	if c.api != nil {
		base = c.api.BaseURL()
	}
	return strings.TrimSuffix(base, "/") + "/agent/tickets/" + url.PathEscape(ref.ID)
}
