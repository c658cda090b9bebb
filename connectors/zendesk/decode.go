package zendesk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

const (
	// eventTypePrefix starts the type of every event-subscription payload.
	eventTypePrefix = "zen:event-type:"
	// ticketEventPrefix starts the type of the ticket events heard acts on.
	ticketEventPrefix = eventTypePrefix + "ticket."
)

// ticketIDRE matches a Zendesk ticket id. Being strict here rejects
// unrendered placeholders ("{{ticket.id}}") in trigger bodies and keeps the
// id safe to put in an API path later.
var ticketIDRE = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)

// flexID is a Zendesk id that may arrive as a JSON string or an integer.
// null, "" and absent all decode to "".
type flexID string

// intRE matches a JSON integer literal.
var intRE = regexp.MustCompile(`^-?[0-9]+$`)

// UnmarshalJSON accepts a string, an integer or null.
func (id *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*id = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = flexID(strings.TrimSpace(s))
		return nil
	case intRE.Match(b):
		*id = flexID(b)
		return nil
	}
	return fmt.Errorf("id %.40s: want a string or an integer", b)
}

// eventPayload is the part of a zen:event-type:ticket.* payload heard reads.
type eventPayload struct {
	Type   string `json:"type"`
	ID     flexID `json:"id"`
	Time   string `json:"time"`
	Detail *struct {
		ID      flexID `json:"id"`
		ActorID flexID `json:"actor_id"`
		Status  string `json:"status"`
	} `json:"detail"`
	Event struct {
		Current json.RawMessage `json:"current"`
		Comment *struct {
			IsPublic *bool `json:"is_public"`
			Author   *struct {
				ID      flexID `json:"id"`
				IsStaff *bool  `json:"is_staff"`
			} `json:"author"`
		} `json:"comment"`
	} `json:"event"`
}

// triggerBody is the body heard asks admins to put in a trigger or
// automation: {"ticket_id":"{{ticket.id}}", "event":"…"}.
type triggerBody struct {
	TicketID  flexID `json:"ticket_id"`
	Event     string `json:"event"`
	UpdatedAt string `json:"updated_at"`
	ActorID   flexID `json:"actor_id"`
}

// DecodeWebhook turns a verified delivery into events. It accepts
// event-subscription payloads (only zen:event-type:ticket.* yield events;
// other domains are acknowledged with zero events) and trigger/automation
// bodies carrying ticket_id. Events caused by the configured bot user are
// dropped. A malformed body yields an error wrapping sdk.ErrInvalid.
//
// Event.ID is the payload's id for event payloads. For trigger bodies it is
// derived from signed content only, never from the unsigned
// X-Zendesk-Webhook-Invocation-Id header, so a captured delivery replayed
// with a new invocation id is the same event (see triggerID).
func (c *Connector) DecodeWebhook(h http.Header, body []byte) ([]sdk.Event, error) {
	// Events outlive the request; never alias the caller's buffer.
	body = bytes.Clone(body)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("decoding zendesk webhook: body is not a JSON object: %w: %w", sdk.ErrInvalid, err)
	}
	if top == nil {
		return nil, fmt.Errorf("decoding zendesk webhook: body is null, want a JSON object: %w", sdk.ErrInvalid)
	}
	var typ string
	if raw, ok := top["type"]; ok {
		_ = json.Unmarshal(raw, &typ) // a non-string type is not an event payload
	}
	var (
		ev   sdk.Event
		keep bool
		err  error
	)
	switch _, hasTicketID := top["ticket_id"]; {
	case strings.HasPrefix(typ, ticketEventPrefix):
		ev, keep, err = c.decodeEvent(body)
	case strings.HasPrefix(typ, eventTypePrefix):
		c.log.Debug("ignoring zendesk event type", slog.String("event_type", typ))
		return nil, nil
	case hasTicketID:
		ev, keep, err = c.decodeTrigger(h, body)
	default:
		return nil, fmt.Errorf("decoding zendesk webhook: body is neither an event payload (type %q…) nor a trigger body with ticket_id: %w", eventTypePrefix, sdk.ErrInvalid)
	}
	if err != nil || !keep {
		return nil, err
	}
	return []sdk.Event{ev}, nil
}

// decodeEvent decodes a zen:event-type:ticket.* payload. keep is false when
// the event is dropped.
func (c *Connector) decodeEvent(body []byte) (ev sdk.Event, keep bool, err error) {
	var p eventPayload
	if err = json.Unmarshal(body, &p); err != nil {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk ticket event: %w: %w", sdk.ErrInvalid, err)
	}
	if p.ID == "" {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk %.64s event: missing id: %w", p.Type, sdk.ErrInvalid)
	}
	if p.Detail == nil || p.Detail.ID == "" {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk %.64s event %.64s: missing detail.id: %w", p.Type, p.ID, sdk.ErrInvalid)
	}
	if !ticketIDRE.MatchString(string(p.Detail.ID)) {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk %.64s event %.64s: detail.id %.40q is not a ticket id: %w", p.Type, p.ID, p.Detail.ID, sdk.ErrInvalid)
	}
	occurred := c.now().UTC()
	if p.Time != "" {
		t, perr := time.Parse(time.RFC3339Nano, p.Time)
		if perr != nil {
			return sdk.Event{}, false, fmt.Errorf("decoding zendesk %.64s event %.64s: time %.40q is not an RFC 3339 time: %w", p.Type, p.ID, p.Time, sdk.ErrInvalid)
		}
		occurred = t.UTC()
	}

	ev = sdk.Event{
		ID:         string(p.ID),
		Kind:       sdk.EventTicketUpdated,
		Ticket:     c.ref(string(p.Detail.ID)),
		OccurredAt: occurred,
		Actor:      actor(p.Detail.ActorID),
		Payload:    json.RawMessage(body),
	}
	causedBy := []string{ev.Actor}
	switch strings.TrimPrefix(p.Type, ticketEventPrefix) {
	case "created":
		ev.Kind = sdk.EventTicketCreated
	case "comment_added":
		if cm := p.Event.Comment; cm != nil {
			if cm.Author != nil {
				if a := actor(cm.Author.ID); a != "" {
					ev.Actor = a
					causedBy = append(causedBy, a)
				}
			}
			// A customer reply is a public comment by a non-staff author;
			// unknown flags are not taken as a customer reply.
			if isTrue(cm.IsPublic) && cm.Author != nil && isFalse(cm.Author.IsStaff) {
				ev.Kind = sdk.EventMessageCreated
			}
		}
	case "status_changed":
		status := p.Detail.Status
		var current string
		if json.Unmarshal(p.Event.Current, &current) == nil && current != "" {
			status = current
		}
		if solvedStatus(status) {
			ev.Kind = sdk.EventTicketSolved
		}
	}
	return ev, !c.causedByBot(ev, causedBy...), nil
}

// decodeTrigger decodes a trigger/automation body. keep is false when the
// event is dropped.
func (c *Connector) decodeTrigger(h http.Header, body []byte) (ev sdk.Event, keep bool, err error) {
	var b triggerBody
	if err = json.Unmarshal(body, &b); err != nil {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk trigger body: %w: %w", sdk.ErrInvalid, err)
	}
	if b.TicketID == "" {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk trigger body: ticket_id is empty: %w", sdk.ErrInvalid)
	}
	if !ticketIDRE.MatchString(string(b.TicketID)) {
		return sdk.Event{}, false, fmt.Errorf("decoding zendesk trigger body: ticket_id %.40q is not a ticket id (is the placeholder rendered?): %w", b.TicketID, sdk.ErrInvalid)
	}
	ts := strings.TrimSpace(h.Get(HeaderSignatureTimestamp))
	id := c.triggerID(strings.TrimSpace(h.Get(HeaderInvocationID)), ts, b.UpdatedAt, body)

	ev = sdk.Event{
		ID:         id,
		Kind:       triggerKind(b.Event),
		Ticket:     c.ref(string(b.TicketID)),
		OccurredAt: c.triggerTime(b.UpdatedAt, ts),
		Actor:      actor(b.ActorID),
		Payload:    json.RawMessage(body),
	}
	return ev, !c.causedByBot(ev, ev.Actor), nil
}

// triggerID is the idempotency key of a trigger body, from what the
// signature covers:
//
//   - with a non-empty updated_at in the body, the hex SHA-256 of the body:
//     every change renders a different updated_at, and a
//     retry — whenever Zendesk re-signs it — or a replay carries the same
//     body;
//   - without one, the hex SHA-256 of the signature timestamp followed by
//     the body, the exact signed message: a replay within the
//     replay window has both. A retry that Zendesk re-signs at a new time
//     would differ, so the first key seen for an invocation id and body is
//     remembered (in memory, for the last invocationMemory invocations) and
//     given to later deliveries with the same invocation id and the same
//     body. A sender cannot use that memory to mint new keys: a new
//     invocation id just falls back to the signed key.
func (c *Connector) triggerID(invocation, ts, updatedAt string, body []byte) string {
	if strings.TrimSpace(updatedAt) != "" {
		sum := sha256.Sum256(body)
		return hex.EncodeToString(sum[:])
	}
	sum := sha256.New()
	sum.Write([]byte(ts))
	sum.Write(body)
	id := hex.EncodeToString(sum.Sum(nil))
	if invocation == "" || c.invocations == nil {
		return id
	}
	alias := sha256.New()
	alias.Write([]byte(invocation))
	alias.Write([]byte{0})
	alias.Write(body)
	var k [sha256.Size]byte
	alias.Sum(k[:0])
	if first, ok := c.invocations.Get(k); ok {
		return first
	}
	c.invocations.Add(k, id)
	return id
}

// invocationMemory is how many trigger invocations the connector remembers
// to recognise a re-signed retry; about 100 bytes each.
const invocationMemory = 1 << 14

// triggerTime picks when a trigger event happened: updated_at when it parses,
// else the signature timestamp, else now. Trigger bodies are written by
// admins, so an odd updated_at is logged rather than rejected.
func (c *Connector) triggerTime(updatedAt, signedAt string) time.Time {
	if updatedAt != "" {
		if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(updatedAt)); err == nil {
			return t.UTC()
		}
		c.log.Warn("zendesk trigger body has an updated_at that is not an RFC 3339 time; using the delivery time",
			slog.String("updated_at", truncate(updatedAt, 40)))
	}
	if t, err := time.Parse(time.RFC3339Nano, signedAt); err == nil {
		return t.UTC()
	}
	return c.now().UTC()
}

// triggerKind maps a trigger body's event name to an event kind.
func triggerKind(name string) sdk.EventKind {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "ticket_created":
		return sdk.EventTicketCreated
	case "ticket_solved", "ticket_closed":
		return sdk.EventTicketSolved
	case "comment_added", "customer_replied":
		return sdk.EventMessageCreated
	}
	return sdk.EventTicketUpdated
}

// solvedStatus reports whether a Zendesk status means solved or closed.
func solvedStatus(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "solved") || strings.EqualFold(s, "closed")
}

// ref returns the reference to ticket id in this connector's account.
func (c *Connector) ref(id string) sdk.TicketRef {
	return sdk.TicketRef{Connector: c.name, Account: c.subdomain, ID: id}
}

// causedByBot reports, and logs, whether any of users is the bot user.
func (c *Connector) causedByBot(ev sdk.Event, users ...string) bool {
	bot := c.bot()
	if bot == "" {
		return false
	}
	for _, u := range users {
		if u == bot {
			c.log.Debug("dropping zendesk event caused by the bot user",
				slog.String("event_id", ev.ID), slog.String("ticket", ev.Ticket.String()), slog.String("kind", string(ev.Kind)))
			return true
		}
	}
	return false
}

// actor normalizes a user id; Zendesk uses "0" for none.
func actor(id flexID) string {
	if id == "0" {
		return ""
	}
	return string(id)
}

// isTrue reports whether b is set and true.
func isTrue(b *bool) bool { return b != nil && *b }

// isFalse reports whether b is set and false.
func isFalse(b *bool) bool { return b != nil && !*b }

// truncate cuts s to at most n runes for logging.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
