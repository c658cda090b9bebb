package intercom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// recentPerPage is how many of the contact's conversations Ticket asks for.
const recentPerPage = 20

// Ticket fetches the conversation (GET /conversations/{id}, up to its 500
// most recent parts), its first contact (GET /contacts/{id}) and company
// (the conversation's, else the contact's first from GET
// /contacts/{id}/companies), and the contact's other conversations (POST
// /conversations/search on contact_ids, one page of 20, in Intercom's
// order). Bodies become plain text; the source is the first message.
//
// A missing conversation is sdk.ErrNotFound. A missing contact or company,
// or a search Intercom rejects, leaves that part empty and is logged;
// other errors (credentials, outages) are returned.
func (c *Connector) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	id, err := c.conversationID(ref)
	if err != nil {
		return nil, err
	}
	conv, err := c.api.Conversation(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &sdk.Ticket{
		Ref:       ref,
		Subject:   subject(conv),
		Status:    status(conv.State),
		Priority:  priority(conv.Priority),
		Tags:      tagNames(conv.Tags.Tags),
		Fields:    c.fields(conv.CustomAttributes),
		Messages:  messages(conv),
		CreatedAt: conv.CreatedAt.Time(),
		UpdatedAt: conv.UpdatedAt.Time(),
	}
	if id := string(conv.AdminAssigneeID); id != "0" {
		t.Assignee = id
	}
	if id := string(conv.TeamAssigneeID); id != "0" {
		t.Group = id
	}
	if r := conv.Rating; r != nil && r.Rating >= 1 && r.Rating <= 5 {
		rt := sdk.Rating{Scale: sdk.RatingCSAT, Score: strconv.Itoa(r.Rating)}
		if r.CreatedAt > 0 {
			rt.At = r.CreatedAt.Time()
		}
		t.Ratings = []sdk.Rating{rt}
	}
	if a := conv.Source.Author; !isTeammate(a.Type) {
		t.Requester = sdk.Party{ID: string(a.ID), Name: a.Name, Email: a.Email}
	}
	log := c.log.With(slog.String("ticket", ref.String()))

	var (
		contact *intercomapi.Contact
		cid     string
	)
	if len(conv.Contacts.Contacts) > 0 {
		cid = string(conv.Contacts.Contacts[0].ID)
	}
	if cid != "" {
		if contact, err = c.contact(ctx, log, cid); err != nil {
			return nil, err
		}
		if contact != nil {
			t.Requester = sdk.Party{ID: string(contact.ID), Name: contact.Name, Email: contact.Email}
		}
	}

	company := conv.Company
	if (company == nil || company.ID == "") && contact != nil {
		companies, err := c.companies(ctx, log, string(contact.ID))
		if err != nil {
			return nil, err
		}
		if len(companies) > 0 {
			company = &companies[0]
		}
	}
	if company != nil && company.ID != "" {
		t.Organization = sdk.Party{ID: string(company.ID), Name: company.Name}
	}
	t.Customer = c.customerAttrs(company, contact)

	if cid != "" {
		t.Recent, err = c.recent(ctx, cid, id)
		if err != nil {
			if !errors.Is(err, sdk.ErrInvalid) && !errors.Is(err, sdk.ErrNotFound) {
				return nil, err
			}
			log.WarnContext(ctx, "searching the contact's intercom conversations failed; recent tickets left out", slog.Any("err", err))
		}
	}
	return t, nil
}

// contact returns contact cid, read now or in the last
// vendorapi.RecentTTL. A contact that no longer exists is nil and logged,
// not an error.
func (c *Connector) contact(ctx context.Context, log *slog.Logger, cid string) (*intercomapi.Contact, error) {
	ct, err := c.contacts.Read(cid, func() (*intercomapi.Contact, error) { return c.api.Contact(ctx, cid) })
	if errors.Is(err, sdk.ErrNotFound) {
		log.WarnContext(ctx, "intercom contact of the conversation not found", slog.String("contact_id", cid))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ct, nil
}

// companies returns the companies of contact id, read now or in the last
// vendorapi.RecentTTL. Companies that cannot be found are none, logged.
func (c *Connector) companies(ctx context.Context, log *slog.Logger, id string) ([]intercomapi.Company, error) {
	cs, err := c.contactCompanies.Read(id, func() ([]intercomapi.Company, error) {
		list, err := c.api.ContactCompanies(ctx, id)
		if err != nil {
			return nil, err
		}
		return list.Companies, nil
	})
	if errors.Is(err, sdk.ErrNotFound) {
		log.WarnContext(ctx, "intercom contact's companies not found", slog.String("contact_id", id))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// recent returns the contact's other conversations.
func (c *Connector) recent(ctx context.Context, contactID, except string) ([]sdk.TicketRef, error) {
	list, err := c.api.SearchConversations(ctx, &intercomapi.SearchRequest{
		Query:      intercomapi.SearchFilter{Field: "contact_ids", Operator: intercomapi.OpEquals, Value: contactID},
		Pagination: &intercomapi.Pagination{PerPage: recentPerPage},
	})
	if err != nil {
		return nil, err
	}
	var out []sdk.TicketRef
	for _, conv := range list.Conversations {
		if id := string(conv.ID); id != except && conversationIDRE.MatchString(id) {
			out = append(out, c.ref(id))
		}
	}
	return out, nil
}

// subject is the conversation's title, else its source's subject.
func subject(conv *intercomapi.Conversation) string {
	if s := htmlToText(conv.Title); s != "" {
		return s
	}
	return htmlToText(conv.Source.Subject)
}

// status maps a conversation state. Intercom has no solved state: closed
// conversations reopen when the customer writes again. Snoozed ones wait
// until a time or a reply, which heard calls pending.
func status(state string) sdk.Status {
	switch strings.ToLower(state) {
	case "open":
		return sdk.StatusOpen
	case "closed":
		return sdk.StatusClosed
	case "snoozed":
		return sdk.StatusPending
	}
	return sdk.StatusUnknown
}

// priority maps a conversation priority (policy.PriorityFromVendor). 2.15
// (and earlier) only flag a conversation "priority" or "not_priority":
// flagged becomes P1 and not flagged P3, so P0 and P2 never come from 2.15.
// 2.16 and later report none/low/medium/high/urgent, mapped one to one
// (none is unknown).
func priority(p string) sdk.Priority {
	return policy.PriorityFromVendor(policy.Intercom, p)
}

// tagNames lists tag names in Intercom's order.
func tagNames(tags []intercomapi.Tag) []string {
	var out []string
	for _, t := range tags {
		if t.Name != "" {
			out = append(out, t.Name)
		}
	}
	return out
}

// fields returns the conversation's scalar custom attributes, keyed by the
// heard field they are mapped to, else by their Intercom name.
func (c *Connector) fields(attrs intercomapi.CustomAttributes) map[string]string {
	byName := make(map[string]string, len(c.convAttrs))
	for field, name := range c.convAttrs {
		byName[name] = field
	}
	out := map[string]string{}
	for name, raw := range attrs {
		v, ok := scalar(raw)
		if !ok {
			continue
		}
		if field, mapped := byName[name]; mapped {
			name = field
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// customerAttrs maps configured custom attributes of the company and the
// contact to customer attributes. Absent, empty and non-scalar values stay
// unknown.
func (c *Connector) customerAttrs(company *intercomapi.Company, contact *intercomapi.Contact) map[string]string {
	out := map[string]string{}
	for attr, src := range c.customer {
		var places []intercomapi.CustomAttributes
		if company != nil && src.scope != scopeContact {
			places = append(places, company.CustomAttributes)
		}
		if contact != nil && src.scope != scopeCompany {
			places = append(places, contact.CustomAttributes)
		}
		for _, p := range places {
			if v, ok := scalar(p[src.name]); ok {
				out[attr] = v
				break
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// scalar renders a JSON string, number or boolean as text; null, empty
// strings, objects and arrays are not values.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		s = strings.TrimSpace(s)
		return s, s != ""
	case 't', 'f':
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return "", false
		}
		return fmt.Sprint(b), true
	case 'n', '{', '[':
		return "", false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	return n.String(), true
}

// messages lists the source and every part with text, oldest first, as
// plain text. Notes are not public; teammates' parts are from an agent.
func messages(conv *intercomapi.Conversation) []sdk.Message {
	var out []sdk.Message
	if body := htmlToText(conv.Source.Body); body != "" {
		a := conv.Source.Author
		out = append(out, sdk.Message{
			ID:        string(conv.Source.ID),
			Author:    sdk.Party{ID: string(a.ID), Name: a.Name, Email: a.Email},
			FromAgent: isTeammate(a.Type) && a.Type != "",
			Public:    true,
			Body:      body,
			CreatedAt: conv.CreatedAt.Time(),
		})
	}
	for _, p := range conv.Parts.Parts {
		body := htmlToText(p.Body)
		if body == "" {
			continue
		}
		out = append(out, sdk.Message{
			ID:        string(p.ID),
			Author:    sdk.Party{ID: string(p.Author.ID), Name: p.Author.Name, Email: p.Author.Email},
			FromAgent: isTeammate(p.Author.Type) && p.Author.Type != "",
			Public:    p.PartType != "note",
			Body:      body,
			CreatedAt: p.CreatedAt.Time(),
		})
	}
	slices.SortStableFunc(out, func(a, b sdk.Message) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}
