package zendesk

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook request headers Zendesk sends besides the signature ones.
const (
	headerAccountID = "X-Zendesk-Account-Id"
	headerWebhookID = "X-Zendesk-Webhook-Id"
)

// change is one thing that happened to a ticket, delivered as one
// zen:event-type:ticket.<typ> event.
type change struct {
	typ               string // created | comment_added | status_changed | priority_changed | tags_changed
	comment           *comment
	prev, cur         string
	prevTags, curTags []string
	field             int64 // custom_field_changed: the field id
}

// delivery is one webhook request, kept for Redeliver.
type delivery struct {
	url, secret string
	accountID   int64
	webhookID   string
	invocation  string
	body        []byte
}

// eventPayload is the fixed body of an event-subscription webhook
// (CONTRACTS.md §1.2).
type eventPayload struct {
	Type                string      `json:"type"`
	AccountID           int64       `json:"account_id"`
	ID                  string      `json:"id"`
	Time                string      `json:"time"`
	ZendeskEventVersion string      `json:"zendesk_event_version"`
	Subject             string      `json:"subject"`
	Detail              eventDetail `json:"detail"`
	Event               eventBody   `json:"event"`
}

// eventDetail is the ticket snapshot: ids as strings, enums upper-case.
type eventDetail struct {
	ActorID        string   `json:"actor_id"`
	AssigneeID     *string  `json:"assignee_id"`
	BrandID        string   `json:"brand_id"`
	CreatedAt      string   `json:"created_at"`
	CustomStatus   string   `json:"custom_status"`
	Description    string   `json:"description"`
	ExternalID     *string  `json:"external_id"`
	FormID         string   `json:"form_id"`
	GroupID        *string  `json:"group_id"`
	ID             string   `json:"id"`
	IsPublic       bool     `json:"is_public"`
	OrganizationID *string  `json:"organization_id"`
	Priority       *string  `json:"priority"`
	RequesterID    string   `json:"requester_id"`
	Status         string   `json:"status"`
	Subject        string   `json:"subject"`
	SubmitterID    string   `json:"submitter_id"`
	Tags           []string `json:"tags"`
	Type           *string  `json:"type"`
	UpdatedAt      string   `json:"updated_at"`
	Via            eventVia `json:"via"`
}

type eventVia struct {
	Channel string `json:"channel"`
}

type eventBody struct {
	Comment  *eventComment   `json:"comment,omitempty"`
	Current  json.RawMessage `json:"current,omitempty"`
	Previous json.RawMessage `json:"previous,omitempty"`
	// CustomField names the field of a custom_field_changed event (the
	// sandbox's reading; the vendor documents the event but the page with
	// its example was not read).
	CustomField *eventField `json:"custom_field,omitempty"`
	Meta        eventMeta   `json:"meta"`
}

type eventField struct {
	ID string `json:"id"`
}

type eventComment struct {
	ID       string      `json:"id"`
	Body     string      `json:"body"`
	IsPublic bool        `json:"is_public"`
	Author   eventAuthor `json:"author"`
}

type eventAuthor struct {
	ID      string `json:"id"`
	IsStaff bool   `json:"is_staff"`
	Name    string `json:"name"`
}

type eventMeta struct {
	Sequence eventSequence `json:"sequence"`
}

type eventSequence struct {
	ID       string `json:"id"`
	Position int    `json:"position"`
	Total    int    `json:"total"`
}

// events builds one delivery per change, all in one sequence, caused by
// actor, and records the last as the ticket's last webhook. d.mu must be
// held.
func (d *Desk) events(a *account, t *ticket, actor int64, changes ...change) []*delivery {
	seq := strings.ToUpper(strings.ReplaceAll(uuid(), "-", ""))
	now := d.now().UTC()
	out := make([]*delivery, 0, len(changes))
	for i, ch := range changes {
		p := eventPayload{
			Type: "zen:event-type:ticket." + ch.typ, AccountID: a.id, ID: uuid(),
			Time: now.Format(time.RFC3339Nano), ZendeskEventVersion: "2022-11-06",
			Subject: "zen:ticket:" + strconv.FormatInt(t.id, 10),
			Detail:  d.detail(t, actor),
			Event:   eventBody{Meta: eventMeta{Sequence: eventSequence{ID: seq, Position: i + 1, Total: len(changes)}}},
		}
		switch ch.typ {
		case "comment_added":
			author := a.users[ch.comment.authorID]
			p.Event.Comment = &eventComment{
				ID: strconv.FormatInt(ch.comment.id, 10), Body: ch.comment.body, IsPublic: ch.comment.public,
				Author: eventAuthor{ID: strconv.FormatInt(author.id, 10), IsStaff: author.role != "end-user", Name: author.name},
			}
		case "status_changed", "priority_changed":
			p.Event.Current, p.Event.Previous = enumJSON(ch.cur), enumJSON(ch.prev)
		case "agent_assignment_changed", "group_assignment_changed":
			p.Event.Current, p.Event.Previous = idJSON(ch.cur), idJSON(ch.prev)
		case "custom_field_changed":
			p.Event.Current, p.Event.Previous = idJSON(ch.cur), idJSON(ch.prev)
			p.Event.CustomField = &eventField{ID: strconv.FormatInt(ch.field, 10)}
		case "tags_changed":
			p.Event.Current, _ = json.Marshal(nonNil(ch.curTags))
			p.Event.Previous, _ = json.Marshal(nonNil(ch.prevTags))
		}
		body, err := json.Marshal(p)
		if err != nil {
			panic(fmt.Sprintf("zendesk sandbox: encoding a webhook: %v", err)) // only strings and numbers
		}
		dl := &delivery{
			url: a.cfg.Webhook.URL, secret: a.cfg.Webhook.Secret, accountID: a.id, webhookID: a.webhookID,
			invocation: strings.ReplaceAll(uuid(), "-", ""), body: body,
		}
		a.last[t.id] = dl
		out = append(out, dl)
	}
	return out
}

// detail snapshots t as the event's detail.
func (d *Desk) detail(t *ticket, actor int64) eventDetail {
	det := eventDetail{
		ActorID: strconv.FormatInt(actor, 10), BrandID: "360000000001",
		CreatedAt: t.created.Format(time.RFC3339), CustomStatus: "360000000002", Description: t.description,
		FormID: "360000000003", ID: strconv.FormatInt(t.id, 10), IsPublic: true,
		RequesterID: strconv.FormatInt(t.requesterID, 10), Status: strings.ToUpper(t.status), Subject: t.subject,
		SubmitterID: strconv.FormatInt(t.requesterID, 10), Tags: nonNil(t.tags), UpdatedAt: t.updated.Format(time.RFC3339),
		Via: eventVia{Channel: "web_form"},
	}
	if t.orgID != 0 {
		s := strconv.FormatInt(t.orgID, 10)
		det.OrganizationID = &s
	}
	if t.priority != "" {
		s := strings.ToUpper(t.priority)
		det.Priority = &s
	}
	if t.assigneeID != 0 {
		s := strconv.FormatInt(t.assigneeID, 10)
		det.AssigneeID = &s
	}
	if t.groupID != 0 {
		s := strconv.FormatInt(t.groupID, 10)
		det.GroupID = &s
	}
	return det
}

// idJSON is a string value (an id, a field value), or null when empty.
func idJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(s)
	return b
}

// enumJSON is an upper-case enum value, or null.
func enumJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(strings.ToUpper(s))
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// send delivers each webhook in order, signed now. Deliveries of accounts
// without a webhook URL are skipped. It returns the transport errors and
// non-2xx answers, joined.
func (d *Desk) send(ctx context.Context, out []*delivery) error {
	var errs []error
	for _, dl := range out {
		if dl.url == "" {
			continue
		}
		ts := d.now().UTC().Format(time.RFC3339)
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("User-Agent", "Zendesk Webhook")
		h.Set(headerAccountID, strconv.FormatInt(dl.accountID, 10))
		h.Set(headerWebhookID, dl.webhookID)
		h.Set(HeaderInvocationID, dl.invocation)
		h.Set(HeaderSignatureTimestamp, ts)
		h.Set(HeaderSignature, Sign(dl.secret, ts, dl.body))
		status, err := d.sb.Deliver(ctx, dl.url, dl.body, h)
		switch {
		case err != nil:
			errs = append(errs, err)
		case status/100 != 2:
			errs = append(errs, fmt.Errorf("webhook to %s answered HTTP %d", dl.url, status))
		}
	}
	return errors.Join(errs...)
}

// uuid returns a random version 4 UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
