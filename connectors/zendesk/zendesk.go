package zendesk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/heardhq/heard/connectors"
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

var _ sdk.Connector = (*Connector)(nil)

// Connector is one configured Zendesk account. It is immutable after New and
// safe for concurrent use.
type Connector struct {
	name      string // configured connector name: TicketRef.Connector
	subdomain string // TicketRef.Account
	secret    []byte // webhook signing secret, as-is
	window    time.Duration
	legacy    bool   // also accept body‖timestamp signatures
	botUserID string // "" when loop prevention is off
	now       func() time.Time
	log       *slog.Logger
}

// New builds a connector from its settings. It decodes and validates them and
// does no IO. A nil deps.Now or deps.Logger falls back to time.Now and a
// discarding logger.
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
	return &Connector{
		name:      spec.Name,
		subdomain: cfg.Subdomain,
		secret:    []byte(cfg.WebhookSecret.Reveal()),
		window:    window,
		legacy:    cfg.AcceptLegacySignature,
		botUserID: cfg.BotUserID,
		now:       now,
		log:       log.With(slog.String("connector", spec.Name), slog.String("type", Type)),
	}, nil
}

// Ticket is not implemented yet; it returns an error wrapping
// errors.ErrUnsupported.
func (c *Connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	return nil, fmt.Errorf("zendesk: ticket fetch not implemented yet: %w", errors.ErrUnsupported)
}

// Apply is not implemented yet; it returns an error wrapping
// errors.ErrUnsupported.
func (c *Connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	return fmt.Errorf("zendesk: write-back not implemented yet: %w", errors.ErrUnsupported)
}
