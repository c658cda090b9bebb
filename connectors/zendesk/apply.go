package zendesk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// Apply writes ch to the ticket in one PUT /api/v2/tickets/{id}: the union
// of the ticket's tags and ch.AddTags (a ticket PUT replaces the tag list),
// the priority, the mapped custom fields, and ch.InternalNote as a private
// comment carrying the marker "[fp:FP]", FP being markup.Fingerprint(ch). The PUT uses
// safe_update with the updated_at just read; on a 409 the ticket is read
// again and the PUT retried once, and a second 409 returns an error wrapping
// vendorapi.ErrConflict.
//
// A ch.PublicReply (an auto-reply) needs a second PUT, because a ticket
// update carries one comment: a public comment ending with the paragraph
// "[ref:FP]", sent after the first PUT succeeded and without
// safe_update (a comment alone cannot overwrite anyone's change).
//
// Apply is idempotent: a note or reply whose marker is already on the
// ticket is left out, and when nothing would change no PUT is sent (empty
// Changes cause no call at all). ch.InternalNote and ch.PublicReply are
// plain text; they are escaped and sent as HTML paragraphs. Fields without
// a ticket_fields mapping are skipped and logged.
func (c *Connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	api, err := c.client()
	if err != nil {
		return err
	}
	id, err := c.ticketID(ref)
	if err != nil {
		return err
	}
	if ch.Empty() {
		return nil
	}
	var prio string
	if ch.Priority != nil {
		if prio, err = zendeskPriority(*ch.Priority); err != nil {
			return fmt.Errorf("writing back to zendesk ticket %d: %w", id, err)
		}
	}
	if err := c.discoverBot(ctx, api); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		err := c.applyOnce(ctx, api, id, ch, prio)
		if err == nil {
			return nil
		}
		if attempt == 1 && errors.Is(err, vendorapi.ErrConflict) {
			c.log.InfoContext(ctx, "zendesk ticket changed while writing back; reading it again", slog.String("ticket_id", ref.ID))
			continue
		}
		return fmt.Errorf("writing back to zendesk ticket %d (attempt %d): %w", id, attempt, err)
	}
}

// applyOnce reads the ticket and sends the update it still needs.
func (c *Connector) applyOnce(ctx context.Context, api *zendeskapi.Client, id int64, ch sdk.Changes, prio string) error {
	zt, err := api.Ticket(ctx, id)
	if err != nil {
		return err
	}
	fp := markup.Fingerprint(ch)
	noteDone, replyDone := false, ch.PublicReply == ""
	if ch.InternalNote != "" || ch.PublicReply != "" {
		comments, err := api.Comments(ctx, id)
		if err != nil {
			return err
		}
		noteDone = hasMarker(comments, sdk.NoteMarker(fp), false)
		replyDone = replyDone || hasMarker(comments, sdk.ReplyMarker(fp), true)
	}
	u := c.update(ctx, zt, ch, prio, fp, noteDone)
	if u.Empty() {
		c.log.DebugContext(ctx, "zendesk ticket already up to date; not writing", slog.String("ticket_id", strconv.FormatInt(id, 10)), slog.Bool("note_present", noteDone))
	} else {
		u.SafeUpdate, u.UpdatedStamp = true, zt.UpdatedAt
		if _, err := api.UpdateTicket(ctx, id, u); err != nil {
			return err
		}
		c.log.InfoContext(ctx, "wrote back to zendesk ticket", slog.String("ticket_id", strconv.FormatInt(id, 10)),
			slog.Int("tags", len(u.Tags)), slog.Bool("priority", u.Priority != ""), slog.Int("fields", len(u.CustomFields)), slog.Bool("note", u.Comment != nil))
	}
	if replyDone {
		return nil
	}
	reply := zendeskapi.TicketUpdate{Comment: &zendeskapi.NewComment{HTMLBody: markup.Reply(ch.PublicReply, fp), Public: true}}
	if _, err := api.UpdateTicket(ctx, id, reply); err != nil {
		return fmt.Errorf("sending the public reply: %w", err)
	}
	c.log.InfoContext(ctx, "sent an automatic public reply on zendesk ticket", slog.String("ticket_id", strconv.FormatInt(id, 10)), slog.String("fingerprint", fp))
	return nil
}

// update computes what the ticket zt still needs from ch: only changed
// values are set.
func (c *Connector) update(ctx context.Context, zt *zendeskapi.Ticket, ch sdk.Changes, prio, fp string, noteDone bool) zendeskapi.TicketUpdate {
	var u zendeskapi.TicketUpdate
	if merged, changed := mergeTags(zt.Tags, ch.AddTags); changed {
		u.Tags = merged
	}
	if prio != "" && !strings.EqualFold(zt.Priority, prio) {
		u.Priority = prio
	}
	current := map[int64]string{}
	for _, f := range zt.CustomFields {
		current[f.ID] = fieldString(f.Value)
	}
	for _, name := range slices.Sorted(maps.Keys(ch.Fields)) {
		fid, ok := c.ticketFields[name]
		if !ok {
			c.log.WarnContext(ctx, "no ticket_fields mapping for field; not writing it", slog.String("field", name), slog.String("ticket_id", strconv.FormatInt(zt.ID, 10)))
			continue
		}
		if v := ch.Fields[name]; current[fid] != v {
			u.CustomFields = append(u.CustomFields, zendeskapi.CustomField{ID: fid, Value: v})
		}
	}
	if ch.InternalNote != "" && !noteDone {
		u.Comment = &zendeskapi.NewComment{HTMLBody: markup.Note(ch.InternalNote, fp), Public: false}
	}
	return u
}

// mergeTags returns the existing tags followed by the new ones not yet
// present (ignoring case), and whether anything was added. Tags are
// trimmed; empty ones are dropped.
func mergeTags(existing, add []string) ([]string, bool) {
	out := slices.Clone(existing)
	changed := false
	for _, t := range add {
		t = strings.TrimSpace(t)
		// Compared case-insensitively: Zendesk may store tags lower-cased,
		// and a case difference must not cause a write on every retry.
		if t == "" || slices.ContainsFunc(out, func(e string) bool { return strings.EqualFold(e, t) }) {
			continue
		}
		out = append(out, t)
		changed = true
	}
	return out, changed
}

// hasMarker reports whether any comment carries marker, in any of its
// renderings; with public, only public comments count (a reply), else only
// private ones (a note).
func hasMarker(comments []zendeskapi.Comment, marker string, public bool) bool {
	for _, cm := range comments {
		if cm.Public == public && markup.Contains(marker, cm.Body, cm.PlainBody, cm.HTMLBody) {
			return true
		}
	}
	return false
}
