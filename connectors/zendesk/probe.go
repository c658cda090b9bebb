package zendesk

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

// lightAgent is the role_type of a Zendesk light agent.
const lightAgent = 1

// Probe implements connectors.Prober with GET /api/v2/users/me: the API
// user's role says what heard may do. Admins and agents may update tickets
// and add internal notes; light agents may only add internal notes;
// end-users may do neither.
func (c *Connector) Probe(ctx context.Context) (*connectors.Probe, error) {
	api, err := c.client()
	if err != nil {
		return nil, err
	}
	me, h, err := api.Whoami(ctx)
	if err != nil {
		return nil, fmt.Errorf("probing zendesk connector %s: %w", c.name, err)
	}
	p := &connectors.Probe{Identity: fmt.Sprintf("%s <%s> (%s, user %d)", me.Name, me.Email, me.Role, me.ID)}
	p.RateLimit, p.RateRemaining = connectors.RateHeaders(h, "X-Rate-Limit", "X-Rate-Limit-Remaining")
	switch {
	case me.Role == "end-user":
		p.Why = "the API user is an end-user: Zendesk lets only agents and admins update tickets and add internal notes"
	case me.Role == "agent" && me.RoleType != nil && *me.RoleType == lightAgent:
		p.CanNote = true
		p.Why = "the API user is a light agent: Zendesk lets light agents add internal notes but not change a ticket's priority, tags or fields"
	case me.Role == "agent" || me.Role == "admin":
		p.CanUpdate, p.CanNote = true, true
	default:
		p.Why = fmt.Sprintf("the API user's role is %q, which heard does not know to be allowed to update tickets", me.Role)
	}
	return p, nil
}

// CheckSecrets implements connectors.SecretChecker.
func (c *Connector) CheckSecrets() []string {
	return connectors.CheckSecret("webhook_secret", sdk.Secret(c.secret))
}
