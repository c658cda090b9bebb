package zendesk

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// Apply writes ch to the ticket in one PUT /api/v2/tickets/{id}: the union
// of the ticket's tags and ch.AddTags (a ticket PUT replaces the tag list),
// the priority, the mapped custom fields, and ch.InternalNote as a private
// comment carrying the marker "[fp:<ch.Fingerprint>]". The PUT uses
// safe_update with the updated_at just read; on a 409 the ticket is read
// again and the PUT retried once, and a second 409 returns an error wrapping
// vendorapi.ErrConflict.
//
// Apply is idempotent: a note whose marker is already on the ticket is left
// out, and when nothing would change no PUT is sent (empty Changes cause no
// call at all). ch.InternalNote is
// plain text; it is escaped and sent as HTML paragraphs. Fields without a
// ticket_fields mapping are skipped and logged.
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
	noteDone := false
	if ch.InternalNote != "" && ch.Fingerprint != "" {
		comments, err := api.Comments(ctx, id)
		if err != nil {
			return err
		}
		noteDone = hasMarker(comments, ch.Fingerprint)
	}
	u := c.update(ctx, zt, ch, prio, noteDone)
	if u.Empty() {
		c.log.DebugContext(ctx, "zendesk ticket already up to date; not writing", slog.Int64("ticket_id", id), slog.Bool("note_present", noteDone))
		return nil
	}
	u.SafeUpdate, u.UpdatedStamp = true, zt.UpdatedAt
	if _, err := api.UpdateTicket(ctx, id, u); err != nil {
		return err
	}
	c.log.InfoContext(ctx, "wrote back to zendesk ticket", slog.Int64("ticket_id", id),
		slog.Int("tags", len(u.Tags)), slog.Bool("priority", u.Priority != ""), slog.Int("fields", len(u.CustomFields)), slog.Bool("note", u.Comment != nil))
	return nil
}

// update computes what the ticket zt still needs from ch: only changed
// values are set.
func (c *Connector) update(ctx context.Context, zt *zendeskapi.Ticket, ch sdk.Changes, prio string, noteDone bool) zendeskapi.TicketUpdate {
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
			c.log.WarnContext(ctx, "no ticket_fields mapping for field; not writing it", slog.String("field", name), slog.Int64("ticket_id", zt.ID))
			continue
		}
		if v := ch.Fields[name]; current[fid] != v {
			u.CustomFields = append(u.CustomFields, zendeskapi.CustomField{ID: fid, Value: v})
		}
	}
	if ch.InternalNote != "" && !noteDone {
		u.Comment = &zendeskapi.NewComment{HTMLBody: noteHTML(ch.InternalNote, ch.Fingerprint), Public: false}
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

// marker is the text that identifies a note written for fingerprint fp.
func marker(fp string) string { return "[fp:" + fp + "]" }

// hasMarker reports whether any comment carries fp's marker, in any of its
// renderings.
func hasMarker(comments []zendeskapi.Comment, fp string) bool {
	plain, escaped := marker(fp), html.EscapeString(marker(fp))
	for _, cm := range comments {
		if strings.Contains(cm.Body, plain) || strings.Contains(cm.PlainBody, plain) ||
			strings.Contains(cm.HTMLBody, plain) || strings.Contains(cm.HTMLBody, escaped) {
			return true
		}
	}
	return false
}

// noteHTML renders a plain-text note as HTML: blank lines separate
// paragraphs, single newlines become <br>, and everything is escaped. When
// fp is set, a last paragraph carries the marker: <p>— heard [fp:FP]</p>.
func noteHTML(note, fp string) string {
	var b strings.Builder
	note = strings.ReplaceAll(strings.ReplaceAll(note, "\r\n", "\n"), "\r", "\n")
	for _, para := range strings.Split(note, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>")
	}
	if fp != "" {
		b.WriteString("<p>— heard " + html.EscapeString(marker(fp)) + "</p>")
	}
	return b.String()
}
