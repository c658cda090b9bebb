package intercom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/sdk"
)

// Notification topics heard maps to specific event kinds. Every other
// conversation.* and conversation_part.* topic is a ticket.updated.
const (
	TopicUserCreated   = "conversation.user.created"
	TopicUserReplied   = "conversation.user.replied"
	TopicAdminClosed   = "conversation.admin.closed"
	TopicAdminNoted    = "conversation.admin.noted"
	TopicPartTagged    = "conversation_part.tag.created"
	TopicDeleted       = "conversation.deleted"
	notificationType   = "notification_event"
	conversationPrefix = "conversation."
	partPrefix         = "conversation_part."
)

// notification is the envelope of every Intercom webhook delivery.
type notification struct {
	Type      string                 `json:"type"`
	ID        intercomapi.FlexString `json:"id"`
	Topic     string                 `json:"topic"`
	AppID     string                 `json:"app_id"`
	CreatedAt intercomapi.Unix       `json:"created_at"`
	Data      *struct {
		Type string          `json:"type"`
		Item json.RawMessage `json:"item"`
	} `json:"data"`
}

// conversationItem is data.item of a conversation topic: the 2.x
// conversation model, plus the 1.x conversation_message that stood where
// 2.x has source.
type conversationItem struct {
	intercomapi.Conversation
	ConversationMessage *intercomapi.Source `json:"conversation_message"`
}

// DecodeWebhook turns a verified notification into events. Conversation
// topics yield one event: conversation.user.created → ticket.created,
// conversation.user.replied → message.created, conversation.*.closed →
// ticket.solved, any other conversation.* or conversation_part.* topic →
// ticket.updated. Event.ID is the notification id, the ticket is the
// conversation, and Actor is the id of whoever wrote the triggering part
// (the newest tag's applier for conversation_part.tag.created, the last
// part, else the source's author).
//
// Zero events: ping and every non-conversation topic, conversation.deleted,
// notifications from another workspace when app_id is configured, and
// anything heard caused: parts authored by heard's admin (configured or
// already discovered) and notes carrying heard's [fp:…] marker. Both API
// 2.x payloads and the 1.x shape (conversation_message) decode. A
// malformed body yields an error wrapping sdk.ErrInvalid.
func (c *Connector) DecodeWebhook(_ http.Header, body []byte) ([]sdk.Event, error) {
	body = bytes.Clone(body) // events outlive the request
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("decoding intercom webhook: body is not a notification object: %w: %w", sdk.ErrInvalid, err)
	}
	switch {
	case n.Type != notificationType:
		return nil, fmt.Errorf("decoding intercom webhook: type %.40q, want %q: %w", n.Type, notificationType, sdk.ErrInvalid)
	case n.ID == "":
		return nil, fmt.Errorf("decoding intercom %.64s notification: missing id: %w", n.Topic, sdk.ErrInvalid)
	case n.Topic == "":
		return nil, fmt.Errorf("decoding intercom notification %.64s: missing topic: %w", n.ID, sdk.ErrInvalid)
	}
	log := c.log.With(slog.String("event_id", string(n.ID)), slog.String("topic", n.Topic))
	if c.appID != "" && n.AppID != "" && n.AppID != c.appID {
		log.Warn("dropping intercom notification from another workspace", slog.String("app_id", n.AppID), slog.String("want_app_id", c.appID))
		return nil, nil
	}
	if !strings.HasPrefix(n.Topic, conversationPrefix) && !strings.HasPrefix(n.Topic, partPrefix) || n.Topic == TopicDeleted {
		log.Debug("ignoring intercom topic")
		return nil, nil
	}
	if n.Data == nil || len(n.Data.Item) == 0 || bytes.Equal(n.Data.Item, []byte("null")) {
		return nil, fmt.Errorf("decoding intercom %.64s notification %.64s: missing data.item: %w", n.Topic, n.ID, sdk.ErrInvalid)
	}
	var it conversationItem
	if err := json.Unmarshal(n.Data.Item, &it); err != nil {
		return nil, fmt.Errorf("decoding intercom %.64s notification %.64s: data.item is not a conversation: %w: %w", n.Topic, n.ID, sdk.ErrInvalid, err)
	}
	if !conversationIDRE.MatchString(string(it.ID)) {
		return nil, fmt.Errorf("decoding intercom %.64s notification %.64s: data.item.id %.40q is not a conversation id: %w", n.Topic, n.ID, it.ID, sdk.ErrInvalid)
	}

	occurred := n.CreatedAt.Time()
	if occurred.IsZero() {
		occurred = it.UpdatedAt.Time()
	}
	if occurred.IsZero() {
		occurred = c.now().UTC()
	}
	author, part := trigger(n.Topic, &it)
	ev := sdk.Event{
		ID:         string(n.ID),
		Kind:       kind(n.Topic),
		Ticket:     c.ref(string(it.ID)),
		OccurredAt: occurred,
		Actor:      string(author.ID),
		Payload:    json.RawMessage(body),
	}
	if why := c.ownChange(author, part); why != "" {
		log.Debug("dropping intercom notification caused by heard", slog.String("ticket", ev.Ticket.String()), slog.String("reason", why))
		return nil, nil
	}
	return []sdk.Event{ev}, nil
}

// kind maps a conversation topic to an event kind.
func kind(topic string) sdk.EventKind {
	switch {
	case topic == TopicUserCreated:
		return sdk.EventTicketCreated
	case topic == TopicUserReplied:
		return sdk.EventMessageCreated
	case strings.HasPrefix(topic, conversationPrefix) && strings.HasSuffix(topic, ".closed"):
		return sdk.EventTicketSolved
	}
	return sdk.EventTicketUpdated
}

// trigger returns who caused the notification and the part they wrote
// (nil when it was not a part): for tag notifications the applier of the
// newest tag, else the author of the newest part, else the author of the
// source (conversation_message in 1.x payloads).
func trigger(topic string, it *conversationItem) (intercomapi.Author, *intercomapi.Part) {
	if topic == TopicPartTagged {
		var newest *intercomapi.Tag
		for i := range it.Tags.Tags {
			t := &it.Tags.Tags[i]
			if t.AppliedBy != nil && t.AppliedBy.ID != "" && (newest == nil || t.AppliedAt >= newest.AppliedAt) {
				newest = t
			}
		}
		if newest != nil {
			return intercomapi.Author{Type: newest.AppliedBy.Type, ID: newest.AppliedBy.ID}, nil
		}
	}
	var last *intercomapi.Part
	for i := range it.Parts.Parts {
		p := &it.Parts.Parts[i]
		if last == nil || p.CreatedAt >= last.CreatedAt {
			last = p
		}
	}
	if last != nil {
		return last.Author, last
	}
	if it.Source.Author.ID != "" || it.ConversationMessage == nil {
		return it.Source.Author, nil
	}
	return it.ConversationMessage.Author, nil
}

// ownChange says why a notification was caused by heard, or "" when it was
// not: its author is heard's admin, or it is a note or teammate reply with
// heard's marker (which catches heard's writes even before the admin id is
// known).
func (c *Connector) ownChange(author intercomapi.Author, part *intercomapi.Part) string {
	if admin := c.botAdmin(); admin != "" && string(author.ID) == admin && isTeammate(author.Type) {
		return "authored by heard's admin"
	}
	if part != nil && part.PartType == "note" && strings.Contains(htmlToText(part.Body), markerPrefix) {
		return "note carries heard's marker"
	}
	if part != nil && part.PartType == "comment" && isTeammate(part.Author.Type) && strings.Contains(htmlToText(part.Body), replyMarkerPrefix) {
		return "reply carries heard's marker"
	}
	return ""
}

// isTeammate reports whether an author type is a teammate rather than a
// contact ("" counts: tag appliers may come without a type).
func isTeammate(typ string) bool {
	switch typ {
	case "admin", "bot", "team", "":
		return true
	}
	return false
}
