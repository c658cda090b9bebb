package intercom

import (
	"context"
	"fmt"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sdk"
)

var (
	_ connectors.Prober        = (*Connector)(nil)
	_ connectors.SecretChecker = (*Connector)(nil)
)

// Probe implements connectors.Prober with GET /me: the admin the access
// token acts as. Intercom does not list a token's permissions, so heard
// reads what it can: an admin without an Inbox seat cannot add notes to
// conversations. Update and note permissions missing from the app itself
// show as 401/403 on the first write-back.
func (c *Connector) Probe(ctx context.Context) (*connectors.Probe, error) {
	me, h, err := c.api.Whoami(ctx)
	if err != nil {
		return nil, fmt.Errorf("probing intercom connector %s: %w", c.name, err)
	}
	if me.ID == "" {
		return nil, fmt.Errorf("probing intercom connector %s: GET /me returned no admin id: %w", c.name, sdk.ErrInvalid)
	}
	p := &connectors.Probe{
		Identity:  fmt.Sprintf("%s <%s> (admin %s)", me.Name, me.Email, me.ID),
		CanUpdate: true, CanNote: true,
	}
	p.RateLimit, p.RateRemaining = connectors.RateHeaders(h, "X-RateLimit-Limit", "X-RateLimit-Remaining")
	if me.HasInboxSeat != nil && !*me.HasInboxSeat {
		p.CanNote = false
		p.Why = "the access token's admin has no Inbox seat: Intercom refuses its notes on conversations"
	}
	return p, nil
}

// CheckSecrets implements connectors.SecretChecker.
func (c *Connector) CheckSecrets() []string {
	return connectors.CheckSecret("client_secret", sdk.Secret(c.secret))
}
