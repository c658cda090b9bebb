package zendesk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// recentLimit is how many of the requester's other tickets Ticket reports.
const recentLimit = 10

// recentFetch is how many requested tickets are fetched to pick them from:
// more than recentLimit, so the most recent are found even if Zendesk does
// not honour the requested sort.
const recentFetch = zendeskapi.MaxPageSize

// Ticket fetches the ticket with its comments (oldest first, as plain
// text), requester, organization, customer attributes and the requester's
// other recent tickets. A missing ticket yields sdk.ErrNotFound, rejected
// credentials sdk.ErrUnauthorized naming the connector.
func (c *Connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	api, err := c.client()
	if err != nil {
		return nil, err
	}
	id, err := c.ticketID(ref)
	if err != nil {
		return nil, err
	}
	if err := c.discoverBot(ctx, api); err != nil {
		return nil, err
	}
	zt, err := api.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	comments, err := api.Comments(ctx, id)
	if err != nil {
		return nil, err
	}
	users := userCache{api: api, people: c.people, m: map[int64]*zendeskapi.User{}}
	requester, err := users.get(ctx, zt.RequesterID)
	if err != nil {
		return nil, err
	}
	orgID := zt.OrganizationID
	if orgID == 0 && requester != nil {
		orgID = requester.OrganizationID
	}
	var org *zendeskapi.Organization
	if orgID > 0 {
		org, err = c.people.org(ctx, api, orgID)
		if errors.Is(err, sdk.ErrNotFound) {
			c.log.DebugContext(ctx, "ticket organization not found", slog.String("ticket_id", ref.ID), slog.Int64("organization_id", orgID))
			org, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
	}

	t := &sdk.Ticket{
		Ref:      sdk.TicketRef{Connector: c.name, Account: c.subdomain, ID: ref.ID},
		Subject:  zt.Subject,
		Status:   status(zt.Status),
		Priority: priority(zt.Priority),
		Tags:     slices.Clone(zt.Tags),
		Fields:   c.ticketFieldValues(zt.CustomFields),
		Customer: c.customer(requester, org),
	}
	if t.CreatedAt, err = zt.CreatedAt.Time(); err != nil {
		return nil, fmt.Errorf("reading zendesk ticket %d: %w", id, errors.Join(err, sdk.ErrInvalid))
	}
	if t.UpdatedAt, err = zt.UpdatedAt.Time(); err != nil {
		return nil, fmt.Errorf("reading zendesk ticket %d: %w", id, errors.Join(err, sdk.ErrInvalid))
	}
	if zt.AssigneeID > 0 {
		t.Assignee = strconv.FormatInt(zt.AssigneeID, 10)
	}
	if zt.GroupID > 0 {
		t.Group = strconv.FormatInt(zt.GroupID, 10)
	}
	if r := zt.SatisfactionRating; r != nil && (r.Score == "good" || r.Score == "bad") {
		t.Ratings = []sdk.Rating{{Scale: sdk.RatingGoodBad, Score: r.Score}}
	}
	if requester != nil {
		t.Requester = party(requester.ID, requester.Name, requester.Email)
	}
	if org != nil {
		t.Organization = party(org.ID, org.Name, "")
	}
	if t.Messages, err = c.messages(ctx, comments, &users); err != nil {
		return nil, fmt.Errorf("reading comments of zendesk ticket %d: %w", id, err)
	}
	if zt.RequesterID > 0 {
		if t.Recent, err = c.recent(ctx, api, zt.RequesterID, id); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// userCache fetches each user once per Ticket call, through the
// connector's recently seen people. A user that no longer exists is nil,
// not an error.
type userCache struct {
	api    *zendeskapi.Client
	people *people
	m      map[int64]*zendeskapi.User
}

func (uc *userCache) get(ctx context.Context, id int64) (*zendeskapi.User, error) {
	if id <= 0 {
		return nil, nil
	}
	if u, ok := uc.m[id]; ok {
		return u, nil
	}
	u, err := uc.people.user(ctx, uc.api, id)
	if err != nil {
		return nil, err
	}
	uc.m[id] = u
	return u, nil
}

// messages turns comments into messages, oldest first.
func (c *Connector) messages(ctx context.Context, comments []zendeskapi.Comment, users *userCache) ([]sdk.Message, error) {
	out := make([]sdk.Message, 0, len(comments))
	for _, cm := range comments {
		at, err := cm.CreatedAt.Time()
		if err != nil {
			return nil, errors.Join(err, sdk.ErrInvalid)
		}
		author, err := users.get(ctx, cm.AuthorID)
		if err != nil {
			return nil, err
		}
		m := sdk.Message{
			ID:        strconv.FormatInt(cm.ID, 10),
			Public:    cm.Public,
			Body:      commentText(cm),
			CreatedAt: at,
		}
		if author != nil {
			m.Author = party(author.ID, author.Name, author.Email)
			m.FromAgent = author.Role == "agent" || author.Role == "admin"
		} else if cm.AuthorID > 0 {
			m.Author = sdk.Party{ID: strconv.FormatInt(cm.AuthorID, 10)}
		}
		out = append(out, m)
	}
	// Zendesk lists comments oldest first; sort anyway (stably, so equal
	// times keep Zendesk's order) rather than rely on it.
	slices.SortStableFunc(out, func(a, b sdk.Message) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// commentText is a comment's plain text: plain_body, else body, else the
// html_body with its markup removed.
func commentText(cm zendeskapi.Comment) string {
	switch {
	case strings.TrimSpace(cm.PlainBody) != "":
		return strings.TrimSpace(cm.PlainBody)
	case strings.TrimSpace(cm.Body) != "":
		return strings.TrimSpace(cm.Body)
	}
	return plainText(cm.HTMLBody)
}

// recent returns the requester's other tickets, most recently updated
// first, at most recentLimit.
func (c *Connector) recent(ctx context.Context, api *zendeskapi.Client, requesterID, self int64) ([]sdk.TicketRef, error) {
	tickets, err := api.RequestedTickets(ctx, requesterID, recentFetch)
	if err != nil {
		return nil, err
	}
	type dated struct {
		id int64
		at time.Time
	}
	var others []dated
	for _, t := range tickets {
		if t.ID == self || t.ID <= 0 {
			continue
		}
		at, _ := t.UpdatedAt.Time() // an unparsable time sorts last
		others = append(others, dated{t.ID, at})
	}
	slices.SortStableFunc(others, func(a, b dated) int {
		return cmp.Or(b.at.Compare(a.at), cmp.Compare(b.id, a.id))
	})
	var out []sdk.TicketRef
	for _, o := range others[:min(len(others), recentLimit)] {
		out = append(out, sdk.TicketRef{Connector: c.name, Account: c.subdomain, ID: strconv.FormatInt(o.id, 10)})
	}
	return out, nil
}

// customer maps the configured user and organization fields to customer
// attributes: the user's field first, then the organization's. Missing or
// empty fields leave the attribute out. It returns nil when nothing is known.
func (c *Connector) customer(user *zendeskapi.User, org *zendeskapi.Organization) map[string]string {
	out := map[string]string{}
	for attr, key := range c.customFields {
		var v string
		if user != nil {
			v = fieldString(user.UserFields[key])
		}
		if v == "" && org != nil {
			v = fieldString(org.OrganizationFields[key])
		}
		if v != "" {
			out[attr] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ticketFieldValues reads the configured ticket custom fields.
func (c *Connector) ticketFieldValues(fields []zendeskapi.CustomField) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		name, ok := c.fieldNames[f.ID]
		if !ok {
			continue
		}
		if v := fieldString(f.Value); v != "" {
			out[name] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// fieldString renders a custom field value as text: strings trimmed,
// numbers in their shortest decimal form (2400.0 → "2400"), booleans as
// "true"/"false", lists (multi-select) joined with commas. nil, empty
// strings and empty lists are "" (unknown).
func fieldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		var parts []string
		for _, e := range x {
			if s := fieldString(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	}
	return ""
}

// party builds an sdk.Party from a Zendesk user or organization.
func party(id int64, name, email string) sdk.Party {
	p := sdk.Party{Name: name, Email: email}
	if id > 0 {
		p.ID = strconv.FormatInt(id, 10)
	}
	return p
}

// status normalizes a Zendesk status.
func status(s string) sdk.Status {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "new":
		return sdk.StatusNew
	case "open":
		return sdk.StatusOpen
	case "pending":
		return sdk.StatusPending
	case "hold":
		return sdk.StatusOnHold
	case "solved":
		return sdk.StatusSolved
	case "closed":
		return sdk.StatusClosed
	}
	return sdk.StatusUnknown
}

// priority normalizes a Zendesk priority (policy.PriorityFromVendor):
// urgent P0, high P1, normal P2, low P3; anything else (null) is unknown.
func priority(s string) sdk.Priority {
	return policy.PriorityFromVendor(policy.Zendesk, s)
}

// zendeskPriority is the Zendesk value of a heard priority.
func zendeskPriority(p sdk.Priority) (string, error) {
	if v, ok := policy.VendorPriority(policy.Zendesk, p); ok {
		return v, nil
	}
	return "", fmt.Errorf("priority %.20q: want one of P0, P1, P2, P3: %w", string(p), sdk.ErrInvalid)
}
