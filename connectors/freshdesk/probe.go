package freshdesk

import (
	"context"
	"fmt"

	"github.com/heardhq/heard/connectors"
)

var (
	_ connectors.Prober        = (*Connector)(nil)
	_ connectors.SecretChecker = (*Connector)(nil)
)

// Freshdesk ticket scopes (Agent.TicketScope).
const (
	scopeGlobal     = 1
	scopeGroup      = 2
	scopeRestricted = 3
)

// Probe implements connectors.Prober with GET /api/v2/agents/me: the API
// key acts as its agent, whose ticket scope bounds what heard may change.
// Global access may update every ticket and add notes; group access only
// its groups' tickets; restricted access only tickets assigned to it.
func (c *Connector) Probe(ctx context.Context) (*connectors.Probe, error) {
	me, h, err := c.api.Whoami(ctx)
	if err != nil {
		return nil, fmt.Errorf("probing freshdesk connector %s: %w", c.name, err)
	}
	p := &connectors.Probe{Identity: fmt.Sprintf("%s <%s> (agent %d)", me.Contact.Name, me.Contact.Email, me.ID)}
	p.RateLimit, p.RateRemaining = connectors.RateHeaders(h, "X-RateLimit-Total", "X-RateLimit-Remaining")
	switch {
	case me.Occasional:
		p.Why = "the API key's agent is an occasional agent: it may change tickets only while it holds a day pass"
	case me.TicketScope == scopeGlobal:
		p.CanUpdate, p.CanNote = true, true
	case me.TicketScope == scopeGroup:
		p.Why = "the API key's agent has group access: it may change only tickets of its groups, and heard's write-backs to other tickets will fail"
	case me.TicketScope == scopeRestricted:
		p.Why = "the API key's agent has restricted access: it may change only tickets assigned to it, and heard's write-backs to other tickets will fail"
	default:
		p.Why = fmt.Sprintf("the API key's agent has ticket_scope %d, which heard does not know", me.TicketScope)
	}
	return p, nil
}

// CheckSecrets implements connectors.SecretChecker.
func (c *Connector) CheckSecrets() []string { return c.secretProblems }
