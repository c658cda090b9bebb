package intercom

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// PriorityTagPrefix starts the tag that carries heard's priority where the
// API version cannot store one: heard-priority-p0 … heard-priority-p3.
const PriorityTagPrefix = "heard-priority-"

// markerPrefix starts the last paragraph of every note heard writes:
// "— heard [fp:<fingerprint>]".
var markerPrefix = strings.TrimSuffix(markup.NoteSignature(""), "]")

// replyMarkerPrefix starts the last paragraph of every public reply heard
// sends: "[ref:<fingerprint>]".
var replyMarkerPrefix = strings.TrimSuffix(sdk.ReplyMarker(""), "]")

// PriorityTag returns the tag Apply writes for p: "heard-priority-p1".
func PriorityTag(p sdk.Priority) string { return PriorityTagPrefix + strings.ToLower(string(p)) }

// Apply writes ch to the conversation. It reads the conversation once, then
// makes only the calls needed, each of which is idempotent on a retry:
//
//  1. the note: POST /conversations/{id}/reply, message_type note, as the
//     admin; skipped when a note part already carries this fingerprint's
//     marker (the last paragraph "— heard [fp:FP]"; without a fingerprint,
//     one is derived from the note text). Only the 500 most recent parts
//     are visible, so a note older than that could be written again.
//  2. tags: every tag in ch.AddTags, plus heard-priority-pN for a priority
//     unless write_priority is on, that the conversation lacks
//     (case-insensitively) is looked up in GET /tags, created with POST
//     /tags when missing, and attached with POST /conversations/{id}/tags.
//     Tags are only ever added.
//  3. attributes: fields mapped by conversation_attributes whose value
//     differs are written with one PUT /conversations/{id}; with
//     write_priority (Preview API) the priority goes in the same PUT.
//  4. the public reply (ch.PublicReply, an auto-reply): POST
//     /conversations/{id}/reply, message_type comment, as the admin, ending
//     with the paragraph "[ref:FP]"; skipped when an admin comment part
//     already carries it. It goes last, after everything else is written.
//
// Intercom has no transactions or idempotency keys: a step that fails
// leaves the earlier ones done, and the retry skips them.
func (c *Connector) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	id, err := c.conversationID(ref)
	if err != nil {
		return err
	}
	if ch.Priority != nil {
		if _, err := sdk.ParsePriority(string(*ch.Priority)); err != nil {
			return fmt.Errorf("applying changes to intercom conversation %s: %w", id, err)
		}
	}
	if ch.Empty() {
		return nil
	}
	conv, err := c.api.Conversation(ctx, id)
	if err != nil {
		return fmt.Errorf("applying changes: %w", err)
	}
	log := c.log.With(slog.String("ticket", ref.String()))
	// The admin is asked for (GET /me, once) only when something is written.
	admin := func() (string, error) { return c.admin(ctx) }

	fp := markup.Fingerprint(ch)
	if ch.InternalNote != "" {
		if err := c.postOnce(ctx, id, admin, conv, intercomapi.MessageTypeNote, sdk.NoteMarker(fp), markup.Note(ch.InternalNote, fp), log); err != nil {
			return fmt.Errorf("applying changes: posting the note: %w", err)
		}
	}

	tags := ch.AddTags
	if ch.Priority != nil && !c.writePriority {
		tags = append(tags[:len(tags):len(tags)], PriorityTag(*ch.Priority))
	}
	if err := c.addTags(ctx, id, admin, conv, tags); err != nil {
		return fmt.Errorf("applying changes: %w", err)
	}

	if err := c.update(ctx, id, admin, conv, ch, log); err != nil {
		return fmt.Errorf("applying changes: %w", err)
	}
	if ch.PublicReply != "" {
		if err := c.postOnce(ctx, id, admin, conv, intercomapi.MessageTypeComment, sdk.ReplyMarker(fp), markup.Reply(ch.PublicReply, fp), log); err != nil {
			return fmt.Errorf("applying changes: sending the public reply: %w", err)
		}
	}
	return nil
}

// postOnce posts body as an admin part of messageType (note or comment)
// unless an admin part of that type already carries marker.
func (c *Connector) postOnce(ctx context.Context, id string, admin func() (string, error), conv *intercomapi.Conversation, messageType, marker, body string, log *slog.Logger) error {
	if hasPart(conv, messageType, marker) {
		log.DebugContext(ctx, "heard's part is already on the conversation", slog.String("part_type", messageType), slog.String("marker", marker))
		return nil
	}
	a, err := admin()
	if err != nil {
		return err
	}
	if _, err := c.api.Reply(ctx, id, &intercomapi.AdminReplyRequest{MessageType: messageType, Type: intercomapi.ReplyTypeAdmin, AdminID: a, Body: body}); err != nil {
		return err
	}
	log.InfoContext(ctx, "posted to the intercom conversation", slog.String("part_type", messageType), slog.String("marker", marker))
	return nil
}

// hasPart reports whether an admin part of partType ("note" or "comment")
// carries marker.
func hasPart(conv *intercomapi.Conversation, partType, marker string) bool {
	for _, p := range conv.Parts.Parts {
		if p.PartType == partType && isTeammate(p.Author.Type) && markup.Contains(marker, p.Body, htmlToText(p.Body)) {
			return true
		}
	}
	return false
}

// addTags attaches the tags the conversation lacks, creating missing ones.
func (c *Connector) addTags(ctx context.Context, id string, admin func() (string, error), conv *intercomapi.Conversation, tags []string) error {
	have := map[string]bool{}
	for _, t := range conv.Tags.Tags {
		have[strings.ToLower(t.Name)] = true
	}
	var missing []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if k := strings.ToLower(t); t != "" && !have[k] {
			have[k] = true
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	adminID, err := admin()
	if err != nil {
		return err
	}
	list, err := c.api.Tags(ctx)
	if err != nil {
		return err
	}
	ids := map[string]string{}
	for _, t := range list.Data {
		ids[strings.ToLower(t.Name)] = string(t.ID)
	}
	for _, name := range missing {
		tagID := ids[strings.ToLower(name)]
		if tagID == "" {
			t, err := c.api.CreateTag(ctx, name)
			if err != nil {
				return err
			}
			if tagID = string(t.ID); tagID == "" {
				return fmt.Errorf("creating intercom tag %q: answer has no id: %w", name, sdk.ErrInvalid)
			}
		}
		if _, err := c.api.AttachTag(ctx, id, &intercomapi.AttachTagRequest{ID: tagID, AdminID: adminID}); err != nil {
			return err
		}
	}
	return nil
}

// update writes changed mapped attributes (and, with write_priority, the
// priority) in one PUT, or nothing when all already hold.
func (c *Connector) update(ctx context.Context, id string, admin func() (string, error), conv *intercomapi.Conversation, ch sdk.Changes, log *slog.Logger) error {
	attrs := map[string]any{}
	for field, value := range ch.Fields {
		name, ok := c.convAttrs[field]
		if !ok {
			log.DebugContext(ctx, "field not mapped to an intercom conversation attribute; not written", slog.String("field", field))
			continue
		}
		if cur, ok := scalar(conv.CustomAttributes[name]); ok && cur == value {
			continue
		}
		attrs[name] = value
	}
	var prio string
	if ch.Priority != nil && c.writePriority {
		// The Preview API's values (policy.VendorPriority).
		if p, _ := policy.VendorPriority(policy.Intercom, *ch.Priority); !strings.EqualFold(conv.Priority, p) {
			prio = p
		}
	}
	switch {
	case len(attrs) == 0 && prio == "":
		return nil
	case c.writePriority:
		req := &intercomapi.PreviewUpdateConversationRequest{Priority: prio}
		if prio != "" {
			a, err := admin()
			if err != nil {
				return err
			}
			req.AdminID = a
		}
		if len(attrs) > 0 {
			req.CustomAttributes = attrs
		}
		_, err := c.api.UpdateConversation(ctx, id, req)
		return err
	default:
		_, err := c.api.UpdateConversation(ctx, id, &intercomapi.UpdateConversationRequest{CustomAttributes: attrs})
		return err
	}
}
