package freshdesk

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/sdk"
)

// Apply writes ch back with at most two writes: one PUT /api/v2/tickets/{id}
// carrying the merged tags, the priority and the custom fields, and one
// POST /api/v2/tickets/{id}/notes with the internal note as a private note.
//
// Freshdesk has no tag-append call and no optimistic concurrency
// (CONTRACTS.md §2.5), so tags are read and the union written back: a tag
// an agent adds between the read and the write can be lost. Sending the
// union is right whether the PUT replaces the list (as the contract
// believes) or appends to it. The PUT is skipped when it would change
// nothing.
//
// The note ends with "<p>— heard [fp:FP]</p>", FP being markup.Fingerprint
// (ch.Fingerprint, or a hash). A note carrying that marker already on
// the ticket is not posted again, so a retried Apply posts it once.
//
// A ch.PublicReply (an auto-reply) is a third write, sent last: POST
// /api/v2/tickets/{id}/reply with the reply ending "<p>[ref:FP]</p>",
// skipped when a public agent conversation already carries that marker.
//
// Fields without a ticket_fields mapping, whose name is not itself a cf_
// key, are skipped and logged. Before the first write the bot agent is
// discovered (GET /api/v2/agents/me) unless bot_agent_id is configured, so
// the webhooks this write causes are recognised as heard's own.
func (c *Connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	id, err := c.ticketID(ref)
	if err != nil {
		return err
	}
	if ch.Priority != nil && vendorPriority(*ch.Priority) == 0 {
		return fmt.Errorf("freshdesk connector %s: applying priority %q to ticket %d: want P0..P3: %w", c.name, *ch.Priority, id, sdk.ErrInvalid)
	}
	if ch.Empty() {
		return nil
	}
	if err := c.ensureBot(ctx); err != nil {
		return err
	}
	ft, err := c.api.Ticket(ctx, id)
	if err != nil {
		return err
	}
	upd := c.update(ctx, ft, ch)

	var note, reply string
	if ch.InternalNote != "" || ch.PublicReply != "" {
		fp := markup.Fingerprint(ch)
		convs, err := c.api.Conversations(ctx, id)
		if err != nil {
			return err
		}
		notePosted := slices.ContainsFunc(convs, func(cv freshdeskapi.Conversation) bool {
			return cv.Private && markup.Contains(sdk.NoteMarker(fp), cv.Body, cv.BodyText)
		})
		replySent := slices.ContainsFunc(convs, func(cv freshdeskapi.Conversation) bool {
			return !cv.Private && !cv.Incoming && markup.Contains(sdk.ReplyMarker(fp), cv.Body, cv.BodyText)
		})
		if ch.InternalNote != "" && !notePosted {
			note = markup.Note(ch.InternalNote, fp)
		}
		if ch.PublicReply != "" && !replySent {
			reply = markup.Reply(ch.PublicReply, fp)
		}
		c.log.DebugContext(ctx, "freshdesk conversations read", slog.String("ticket_id", strconv.FormatInt(id, 10)), slog.String("fingerprint", fp),
			slog.Bool("note_present", notePosted), slog.Bool("reply_present", replySent))
	}

	if !upd.Empty() {
		if _, err := c.api.UpdateTicket(ctx, id, upd); err != nil {
			return err
		}
	}
	if note != "" {
		if _, err := c.api.AddNote(ctx, id, freshdeskapi.Note{Body: note, Private: true}); err != nil {
			return err
		}
	}
	if reply != "" {
		if _, err := c.api.Reply(ctx, id, freshdeskapi.Reply{Body: reply}); err != nil {
			return fmt.Errorf("sending the public reply: %w", err)
		}
		c.log.InfoContext(ctx, "sent an automatic public reply on freshdesk ticket", slog.String("ticket_id", strconv.FormatInt(id, 10)))
	}
	c.log.DebugContext(ctx, "freshdesk write-back done", slog.String("ticket_id", strconv.FormatInt(id, 10)),
		slog.Bool("ticket_updated", !upd.Empty()), slog.Bool("note_posted", note != ""), slog.Bool("reply_sent", reply != ""))
	return nil
}

// update computes the PUT body: only what differs from ft.
func (c *Connector) update(ctx context.Context, ft *freshdeskapi.Ticket, ch sdk.Changes) freshdeskapi.TicketUpdate {
	var u freshdeskapi.TicketUpdate
	if merged, changed := mergeTags(ft.Tags, ch.AddTags); changed {
		u.Tags = merged
	}
	if ch.Priority != nil {
		if p := vendorPriority(*ch.Priority); p != ft.Priority {
			u.Priority = p
		}
	}
	for _, field := range sortedKeys(ch.Fields) {
		value := ch.Fields[field]
		key := c.ticketFields[field]
		if key == "" && strings.HasPrefix(field, "cf_") {
			key = field
		}
		if key == "" {
			c.log.WarnContext(ctx, "freshdesk ticket_fields has no mapping for a field; not writing it",
				slog.String("field", field), slog.String("ticket_id", strconv.FormatInt(ft.ID, 10)))
			continue
		}
		if cur, ok := ft.CustomFields.String(key); ok && cur == value {
			continue
		}
		if u.CustomFields == nil {
			u.CustomFields = map[string]any{}
		}
		u.CustomFields[key] = fieldValue(ft.CustomFields, key, value)
	}
	return u
}

// mergeTags returns have plus the tags of add it lacks (compared without
// case), and whether anything was added.
func mergeTags(have, add []string) ([]string, bool) {
	seen := make(map[string]bool, len(have)+len(add))
	out := make([]string, 0, len(have)+len(add))
	for _, t := range have {
		if k := strings.ToLower(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	changed := false
	for _, t := range add {
		t = strings.TrimSpace(t)
		if k := strings.ToLower(t); t != "" && !seen[k] {
			seen[k] = true
			out = append(out, t)
			changed = true
		}
	}
	return out, changed
}

// fieldValue keeps a number field a number: when the field holds a JSON
// number now and value parses as one, it is sent as a number.
func fieldValue(cur freshdeskapi.Fields, key, value string) any {
	if cur.IsNumber(key) {
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(value, 64); err == nil {
			return f
		}
	}
	return value
}
