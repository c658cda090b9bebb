package freshdesk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// flexID is a Freshdesk id that may arrive as a JSON string (rendered from a
// placeholder inside quotes) or an integer. null, "" and absent decode to "".
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

// advancedBody is the "Advanced" rule body heard documents:
//
//	{"ticket_id":"{{ticket.id}}","event":"ticket_created"}
//
// {{ticket.id}} is the only placeholder heard needs. actor_id and
// triggered_by are read when an admin's body carries them (Freshdesk
// documents no placeholder for the acting user, so usually they are
// absent); other keys, such as an updated_at, are ignored: the event's
// identity comes from the API (see DecodeWebhook).
type advancedBody struct {
	TicketID    flexID `json:"ticket_id"`
	Event       string `json:"event"`
	ActorID     flexID `json:"actor_id"`
	TriggeredBy flexID `json:"triggered_by"`
}

// simpleBody is what the "Simple" content option sends: the picked fields,
// labelled ticket_*, inside a freshdesk_webhook object (CONTRACTS.md §2.2,
// corroborated by third parties, not by Freshdesk documentation).
type simpleBody struct {
	Webhook *struct {
		TicketID     flexID `json:"ticket_id"`
		TicketStatus string `json:"ticket_status"`
	} `json:"freshdesk_webhook"`
}

// DecodeWebhook turns a verified delivery into one event. It accepts the
// Advanced body ({"ticket_id": …, "event": …}) and the Simple body
// ({"freshdesk_webhook": {"ticket_id": …}}). A malformed body, or a
// ticket_id that is not a number (an unrendered placeholder), yields an
// error wrapping sdk.ErrInvalid.
//
// Event names (case-insensitive): ticket_created → ticket.created;
// customer_replied, reply, note_added → message.created; ticket_resolved,
// ticket_closed → ticket.solved; anything else (ticket_updated) →
// ticket.updated. Simple bodies carry no event name: they are ticket.solved
// when ticket_status is Resolved or Closed, else ticket.updated.
//
// Event.ID, the idempotency key, cannot come from the body: Freshdesk
// sends no delivery id, no timestamp and no placeholder for the ticket's
// update time (CONTRACTS.md §2.3), so two customer replies with the same
// text render byte-identical bodies, exactly like Freshdesk's retry of one
// delivery (5, 35 and 95 minutes after a failure). DecodeWebhook therefore
// asks the API what the delivery is about (see key.go), within
// LookupTimeout:
//
//   - ticket.created: "<ticket>/ticket.created", without a call; a ticket
//     is created once, so every retry dedupes.
//   - message.created: "<ticket>/message.created/c<conversation id>", the
//     latest conversation on the ticket that heard did not write
//     (GET /api/v2/tickets/{id}/conversations). Each reply is a new
//     conversation, so a second reply with the same text is a new event; a
//     retry finds the same conversation (heard's own note since is skipped)
//     and dedupes. When the ticket has no such conversation the delivery
//     was caused by heard's note and is dropped.
//   - ticket.updated, ticket.solved: "<ticket>/<kind>/u<updated_at>"
//     (GET /api/v2/tickets/{id}).
//
// When the lookup fails (timeout, 429, 5xx, network), the delivery is
// accepted with a key unique to its arrival,
// "<ticket>/<kind>/r<arrival unix nanoseconds>.<sequence>", so no reply is
// ever swallowed; the cost is that a retry of such a delivery would not be
// recognised.
//
// Loop prevention: an event whose actor_id (or triggered_by) is the bot
// agent is dropped. Freshdesk has no documented placeholder for "who made
// this change", so the rule itself must also exclude heard: see the package
// documentation.
func (c *Connector) DecodeWebhook(_ http.Header, body []byte) ([]sdk.Event, error) {
	// Events outlive the request; never alias the caller's buffer.
	body = bytes.Clone(body)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("decoding freshdesk webhook: body is not a JSON object: %w: %w", sdk.ErrInvalid, err)
	}
	if top == nil {
		return nil, fmt.Errorf("decoding freshdesk webhook: body is null, want a JSON object: %w", sdk.ErrInvalid)
	}
	var (
		ev  sdk.Event
		err error
	)
	_, advanced := top["ticket_id"]
	_, simple := top["freshdesk_webhook"]
	switch {
	case advanced:
		ev, err = c.decodeAdvanced(body)
	case simple:
		ev, err = c.decodeSimple(body)
	default:
		return nil, fmt.Errorf("decoding freshdesk webhook: body has neither ticket_id nor freshdesk_webhook: %w", sdk.ErrInvalid)
	}
	if err != nil {
		return nil, err
	}
	if bot := c.bot(); bot != "" && ev.Actor == bot {
		c.log.Debug("dropping freshdesk event caused by the bot agent",
			slog.String("ticket", ev.Ticket.String()), slog.String("kind", string(ev.Kind)))
		return nil, nil
	}
	if keep := c.identify(&ev); !keep {
		c.log.Debug("dropping freshdesk message event: no conversation on the ticket but heard's own",
			slog.String("ticket", ev.Ticket.String()))
		return nil, nil
	}
	return []sdk.Event{ev}, nil
}

// decodeAdvanced decodes an Advanced (hand-written) rule body.
func (c *Connector) decodeAdvanced(body []byte) (sdk.Event, error) {
	var b advancedBody
	if err := json.Unmarshal(body, &b); err != nil {
		return sdk.Event{}, fmt.Errorf("decoding freshdesk webhook body: %w: %w", sdk.ErrInvalid, err)
	}
	id, err := checkTicketID(b.TicketID)
	if err != nil {
		return sdk.Event{}, err
	}
	actor := string(b.ActorID)
	if actor == "" {
		actor = string(b.TriggeredBy)
	}
	ev := sdk.Event{
		Kind:    eventKind(b.Event),
		Ticket:  c.ref(id),
		Actor:   actor,
		Payload: json.RawMessage(body),
	}
	return ev, nil
}

// decodeSimple decodes a Simple (picked fields) rule body.
func (c *Connector) decodeSimple(body []byte) (sdk.Event, error) {
	var b simpleBody
	if err := json.Unmarshal(body, &b); err != nil {
		return sdk.Event{}, fmt.Errorf("decoding freshdesk webhook body: %w: %w", sdk.ErrInvalid, err)
	}
	if b.Webhook == nil {
		return sdk.Event{}, fmt.Errorf("decoding freshdesk webhook body: freshdesk_webhook is null: %w", sdk.ErrInvalid)
	}
	id, err := checkTicketID(b.Webhook.TicketID)
	if err != nil {
		return sdk.Event{}, err
	}
	kind := sdk.EventTicketUpdated
	switch strings.ToLower(strings.TrimSpace(b.Webhook.TicketStatus)) {
	case "resolved", "closed":
		kind = sdk.EventTicketSolved
	}
	return sdk.Event{Kind: kind, Ticket: c.ref(id), Payload: json.RawMessage(body)}, nil
}

// checkTicketID rejects empty and non-numeric ids, which is what an
// unrendered "{{ticket.id}}" placeholder looks like.
func checkTicketID(id flexID) (string, error) {
	switch {
	case id == "":
		return "", fmt.Errorf("decoding freshdesk webhook body: ticket_id is empty: %w", sdk.ErrInvalid)
	case !numericRE.MatchString(string(id)):
		return "", fmt.Errorf("decoding freshdesk webhook body: ticket_id %.40q is not a ticket id (is the placeholder rendered?): %w", id, sdk.ErrInvalid)
	}
	return string(id), nil
}

// eventKind maps an Advanced body's event name to an event kind.
func eventKind(name string) sdk.EventKind {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "ticket_created":
		return sdk.EventTicketCreated
	case "customer_replied", "reply", "note_added":
		return sdk.EventMessageCreated
	case "ticket_resolved", "ticket_closed":
		return sdk.EventTicketSolved
	}
	return sdk.EventTicketUpdated
}
