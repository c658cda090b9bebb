package intercom

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Type is the connector type this package registers.
const Type = "intercom"

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

// Connector is one configured Intercom workspace. It is safe for concurrent
// use; apart from the lazily discovered admin id it is immutable after New.
type Connector struct {
	name          string // configured connector name: TicketRef.Connector
	workspace     string // TicketRef.Account
	appID         string // "" when notifications are not filtered by workspace
	secret        []byte // client secret, the X-Hub-Signature key
	api           *intercomapi.Client
	version       string
	customer      map[string]attrSource // sdk.Attr* → where it is kept
	convAttrs     map[string]string     // heard field → conversation custom attribute
	writePriority bool
	now           func() time.Time
	log           *slog.Logger
	// contacts and contactCompanies keep what was read in the last
	// minute, by contact id.
	contacts         *vendorapi.Recent[string, *intercomapi.Contact]
	contactCompanies *vendorapi.Recent[string, []intercomapi.Company]

	mu      sync.Mutex
	adminID string // configured, or discovered through GET /me
}

// New builds a connector from its settings. It decodes and validates them
// and does no IO. A nil deps.Now, deps.Logger or deps.HTTPClient falls back
// to time.Now, a discarding logger and a default client.
func New(spec connectors.Spec, deps connectors.Deps) (*Connector, error) {
	if spec.Name == "" {
		return nil, fmt.Errorf("building intercom connector: spec has no name: %w", sdk.ErrInvalid)
	}
	if spec.Decode == nil {
		return nil, fmt.Errorf("building intercom connector %q: spec has no settings decoder: %w", spec.Name, sdk.ErrInvalid)
	}
	var cfg Config
	if err := spec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("decoding intercom settings: %w", err)
	}
	cfg, err := cfg.normalized()
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
	customer := make(map[string]attrSource, len(cfg.CustomAttributes))
	for attr, v := range cfg.CustomAttributes {
		customer[attr], _ = parseAttrSource(v) // checked by normalized
	}
	convAttrs := make(map[string]string, len(cfg.ConversationAttributes))
	for field, name := range cfg.ConversationAttributes {
		convAttrs[field] = name
	}
	vc := vendorapi.New(spec.Name, cfg.RateLimit, deps.HTTPClient, log)
	return &Connector{
		name:             spec.Name,
		workspace:        cfg.Workspace,
		appID:            cfg.AppID,
		secret:           []byte(cfg.ClientSecret.Reveal()),
		api:              intercomapi.New(vc, cfg.BaseURL, cfg.AccessToken, cfg.APIVersion),
		version:          cfg.APIVersion,
		customer:         customer,
		convAttrs:        convAttrs,
		writePriority:    cfg.WritePriority,
		now:              now,
		contacts:         vendorapi.NewRecent[string, *intercomapi.Contact](vendorapi.RecentTTL, now),
		contactCompanies: vendorapi.NewRecent[string, []intercomapi.Company](vendorapi.RecentTTL, now),
		log:              log,
		adminID:          cfg.AdminID,
	}, nil
}

// conversationIDRE matches a conversation id: an integer in the API paths.
var conversationIDRE = regexp.MustCompile(`^[1-9][0-9]{0,24}$`)

// ref returns the reference to conversation id in this connector's workspace.
func (c *Connector) ref(id string) sdk.TicketRef {
	return sdk.TicketRef{Connector: c.name, Account: c.workspace, ID: id}
}

// conversationID checks that ref belongs to this workspace and returns its
// conversation id.
func (c *Connector) conversationID(ref sdk.TicketRef) (string, error) {
	if ref.Account != c.workspace {
		return "", fmt.Errorf("intercom connector %s: ticket %s belongs to workspace %q, not %q: %w", c.name, ref, ref.Account, c.workspace, sdk.ErrInvalid)
	}
	if !conversationIDRE.MatchString(ref.ID) {
		return "", fmt.Errorf("intercom connector %s: ticket id %.40q is not a conversation id: %w", c.name, ref.ID, sdk.ErrInvalid)
	}
	return ref.ID, nil
}

// botAdmin returns the configured or already discovered admin id, "" when
// neither is known yet. It does no IO.
func (c *Connector) botAdmin() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.adminID
}

// admin returns the admin heard writes as, asking GET /me the first time
// when admin_id is not configured.
func (c *Connector) admin(ctx context.Context) (string, error) {
	if id := c.botAdmin(); id != "" {
		return id, nil
	}
	me, err := c.api.Me(ctx)
	if err != nil {
		return "", err
	}
	if me.ID == "" {
		return "", fmt.Errorf("identifying the intercom admin: GET /me returned no id (set admin_id): %w", sdk.ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.adminID == "" {
		c.adminID = string(me.ID)
		c.log.InfoContext(ctx, "intercom admin discovered", slog.String("admin_id", c.adminID))
	}
	return c.adminID, nil
}

var _ sdk.TicketLinker = (*Connector)(nil)

// TicketURL implements sdk.TicketLinker: the conversation in Intercom's
// inbox ("" when the workspace is not known).
func (c *Connector) TicketURL(ref sdk.TicketRef) string {
	ws := cmp.Or(c.appID, ref.Account, c.workspace)
	if ws == "" {
		return ""
	}
	return "https://app.intercom.com/a/inbox/" + url.PathEscape(ws) + "/inbox/conversation/" + url.PathEscape(ref.ID)
}
