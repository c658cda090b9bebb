package freshdesk

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// heardSignature starts the last paragraph of every note heard writes.
const heardSignature = "— heard [fp:"

// Ticket fetches the ticket with its requester and company
// (GET /api/v2/tickets/{id}?include=requester,company), every conversation
// (paged), the customer attributes mapped by custom_fields (contact, then
// company), and the requester's other recent tickets.
//
// Messages are plain text, oldest first: the description, then each reply
// and note. A message is from an agent unless it is incoming or written by
// the requester; notes heard wrote itself are left out. A contact or
// company that no longer exists leaves the attributes unknown; a failing
// recent-tickets list is logged and leaves Recent empty.
func (c *Connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	id, err := c.ticketID(ref)
	if err != nil {
		return nil, err
	}
	ft, err := c.api.Ticket(ctx, id, "requester", "company")
	if err != nil {
		return nil, err
	}
	convs, err := c.api.Conversations(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &sdk.Ticket{
		Ref:       ref,
		Subject:   ft.Subject,
		Status:    status(ft.Status),
		Priority:  priority(ft.Priority),
		Requester: sdk.Party{ID: idString(ft.RequesterID)},
		Tags:      ft.Tags,
		Fields:    c.fields(ft.CustomFields),
		CreatedAt: ft.CreatedAt,
		UpdatedAt: ft.UpdatedAt,
	}
	if ft.ResponderID != nil {
		t.Assignee = idString(*ft.ResponderID)
	}
	if ft.GroupID != nil {
		t.Group = idString(*ft.GroupID)
	}
	if r := ft.Requester; r != nil {
		t.Requester.Name, t.Requester.Email = r.Name, r.Email
	}
	if co := ft.Company; co != nil && co.ID != 0 {
		t.Organization = sdk.Party{ID: idString(co.ID), Name: co.Name}
	} else if ft.CompanyID != nil {
		t.Organization = sdk.Party{ID: idString(*ft.CompanyID)}
	}
	t.Messages = messages(ft, convs, t.Requester)
	if t.Customer, err = c.customer(ctx, ft); err != nil {
		return nil, err
	}
	if t.Recent, err = c.recentTickets(ctx, ft); err != nil {
		return nil, err
	}
	return t, nil
}

// messages returns the description and the conversations as messages,
// oldest first, without heard's own notes.
func messages(ft *freshdeskapi.Ticket, convs []freshdeskapi.Conversation, requester sdk.Party) []sdk.Message {
	out := make([]sdk.Message, 0, len(convs)+1)
	if body := plain(ft.DescriptionText, ft.Description); body != "" {
		out = append(out, sdk.Message{Author: requester, Public: true, Body: body, CreatedAt: ft.CreatedAt})
	}
	convs = append([]freshdeskapi.Conversation(nil), convs...)
	sort.SliceStable(convs, func(i, j int) bool {
		if !convs[i].CreatedAt.Equal(convs[j].CreatedAt) {
			return convs[i].CreatedAt.Before(convs[j].CreatedAt)
		}
		return convs[i].ID < convs[j].ID
	})
	for _, cv := range convs {
		body := plain(cv.BodyText, cv.Body)
		if strings.Contains(body, heardSignature) {
			continue
		}
		author := sdk.Party{ID: idString(cv.UserID)}
		if cv.UserID == ft.RequesterID {
			author = requester
		}
		out = append(out, sdk.Message{
			ID:        idString(cv.ID),
			Author:    author,
			FromAgent: !cv.Incoming && cv.UserID != ft.RequesterID,
			Public:    !cv.Private,
			Body:      body,
			CreatedAt: cv.CreatedAt,
		})
	}
	return out
}

// fields returns the ticket's custom fields: mapped keys under their heard
// name, others under their cf_ key. Null and structured values are left
// out.
func (c *Connector) fields(f freshdeskapi.Fields) map[string]string {
	out := map[string]string{}
	for key := range f {
		v, ok := f.String(key)
		if !ok {
			continue
		}
		if name, mapped := c.fieldNames[key]; mapped {
			out[name] = v
		} else if _, taken := out[key]; !taken {
			out[key] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// customer maps the configured custom fields of the requester's contact,
// then of their company, to customer attributes.
func (c *Connector) customer(ctx context.Context, ft *freshdeskapi.Ticket) (map[string]string, error) {
	if len(c.customFields) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	fill := func(f freshdeskapi.Fields) {
		for attr, key := range c.customFields {
			if _, done := out[attr]; done {
				continue
			}
			if v, ok := f.String(key); ok && strings.TrimSpace(v) != "" {
				out[attr] = v
			}
		}
	}
	companyID := ft.CompanyID
	if ft.RequesterID != 0 {
		ct, err := c.api.Contact(ctx, ft.RequesterID)
		switch {
		case errors.Is(err, sdk.ErrNotFound):
			c.log.DebugContext(ctx, "freshdesk requester contact not found", slog.Int64("contact_id", ft.RequesterID))
		case err != nil:
			return nil, err
		default:
			fill(ct.CustomFields)
			if companyID == nil {
				companyID = ct.CompanyID
			}
		}
	}
	if len(out) < len(c.customFields) && companyID != nil && *companyID != 0 {
		co, err := c.api.Company(ctx, *companyID)
		switch {
		case errors.Is(err, sdk.ErrNotFound):
			c.log.DebugContext(ctx, "freshdesk company not found", slog.Int64("company_id", *companyID))
		case err != nil:
			return nil, err
		default:
			fill(co.CustomFields)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// recentTickets lists the requester's other tickets, newest first.
func (c *Connector) recentTickets(ctx context.Context, ft *freshdeskapi.Ticket) ([]sdk.TicketRef, error) {
	if c.recent == 0 || ft.RequesterID == 0 {
		return nil, nil
	}
	ts, err := c.api.Tickets(ctx, freshdeskapi.ListTickets{
		RequesterID: ft.RequesterID, OrderBy: "created_at", OrderType: "desc", PerPage: c.recent + 1,
	})
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, sdk.ErrUnauthorized) {
			return nil, err
		}
		c.log.WarnContext(ctx, "listing the requester's recent freshdesk tickets failed; continuing without them",
			slog.String("ticket_id", strconv.FormatInt(ft.ID, 10)), slog.String("err", err.Error()))
		return nil, nil
	}
	var out []sdk.TicketRef
	for _, o := range ts {
		if o.ID == ft.ID || o.ID == 0 {
			continue
		}
		out = append(out, c.ref(idString(o.ID)))
		if len(out) == c.recent {
			break
		}
	}
	return out, nil
}

// status maps Freshdesk's status number; custom statuses are unknown.
func status(n int) sdk.Status {
	switch n {
	case freshdeskapi.StatusOpen:
		return sdk.StatusOpen
	case freshdeskapi.StatusPending:
		return sdk.StatusPending
	case freshdeskapi.StatusResolved:
		return sdk.StatusSolved
	case freshdeskapi.StatusClosed:
		return sdk.StatusClosed
	}
	return sdk.StatusUnknown
}

// priority maps Freshdesk's 1 (low) .. 4 (urgent) to P3 .. P0
// (policy.PriorityFromVendor).
func priority(n int) sdk.Priority {
	return policy.PriorityFromVendor(policy.Freshdesk, strconv.Itoa(n))
}

// vendorPriority maps P0 .. P3 to 4 .. 1 (policy.VendorPriority); 0 for
// anything else.
func vendorPriority(p sdk.Priority) int {
	v, _ := policy.VendorPriority(policy.Freshdesk, p)
	n, _ := strconv.Atoi(v)
	return n
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
