package intercom

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/sandbox"
)

var _ sandbox.Agent = (*Desk)(nil)

// Act implements sandbox.Agent: the human admin (the contact, for a
// rating) acts on the conversation and the app's webhook subscription
// delivers the topic Intercom sends for it: reply (a comment part)
// conversation.admin.replied, note conversation.admin.noted, update
// conversation.priority.updated when the priority flag changes and
// conversation_part.tag.created when tags are added (custom attributes
// have no topic: an update of attributes only sends nothing), solve
// conversation.admin.closed (as Solve), reopen conversation.admin.opened,
// assign conversation.admin.assigned (admin_assignee_id and
// team_assignee_id), rate conversation.rating.added (conversation_rating,
// 1..5 as given).
func (d *Desk) Act(ctx context.Context, account, id string, act sandbox.Action) error {
	if err := act.Validate(); err != nil {
		return fmt.Errorf("intercom conversation %s: %w", id, err)
	}
	if act.Kind == sandbox.ActSolve {
		return d.Solve(ctx, account, id, act.Priority, act.Tags)
	}
	d.mu.Lock()
	ws, c, err := d.conversation(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	out, err := d.act(ws, c, act)
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("agent %s on intercom conversation %s: %w", act.Kind, id, err)
	}
	for _, dl := range out {
		if err := d.deliver(ctx, dl); err != nil {
			return err
		}
	}
	return nil
}

// act changes c and returns its notifications. Callers hold d.mu.
func (d *Desk) act(ws *workspace, c *conversation, act sandbox.Action) ([]delivery, error) {
	var admin, team int64
	switch act.Kind {
	case sandbox.ActReopen:
		if c.state != "closed" {
			return nil, fmt.Errorf("the conversation is %s, not closed", c.state)
		}
	case sandbox.ActAssign:
		if act.Assignee == "" && act.Group == "" {
			act.Assignee = ws.agent.id
		}
		if act.Assignee != "" {
			if act.Assignee != ws.agent.id && act.Assignee != ws.bot.id {
				return nil, fmt.Errorf("assignee %q is not an admin of the workspace", act.Assignee)
			}
			admin, _ = strconv.ParseInt(act.Assignee, 10, 64)
		}
		if act.Group != "" {
			n, err := strconv.ParseInt(act.Group, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("team %q: want a numeric team id", act.Group)
			}
			team = n
		}
	case sandbox.ActRate:
		if c.state != "closed" {
			return nil, fmt.Errorf("the conversation is %s: contacts rate closed conversations", c.state)
		}
	}
	now := d.now().Unix()
	if now < c.updated {
		now = c.updated
	}
	by := author{typ: "admin", id: ws.agent.id, name: ws.agent.name, email: ws.agent.email}
	addPart := func(typ, body string) *part {
		p := &part{id: d.next(), partType: typ, body: body, created: now, author: by}
		c.parts = append(c.parts, p)
		return p
	}
	c.updated = now
	switch act.Kind {
	case sandbox.ActReply:
		return []delivery{d.notification(ws, c, TopicAdminReplied, []*part{addPart("comment", asHTML(act.Body))})}, nil
	case sandbox.ActNote:
		return []delivery{d.notification(ws, c, TopicAdminNoted, []*part{addPart("note", asHTML(act.Body))})}, nil
	case sandbox.ActUpdate:
		var out []delivery
		if act.Priority != "" {
			flag := "not_priority"
			if p := strings.ToUpper(act.Priority); p == "P0" || p == "P1" {
				flag = "priority"
			}
			if flag != c.priority {
				c.priority = flag
				out = append(out, d.notification(ws, c, TopicPriorityUpdate, nil))
			}
		}
		if act.Tags != nil {
			kept := c.tags[:0:0]
			for _, a := range c.tags {
				if slices.ContainsFunc(act.Tags, func(n string) bool { return strings.EqualFold(n, a.tag.name) }) {
					kept = append(kept, a)
				}
			}
			added := false
			for _, name := range act.Tags {
				if name = strings.TrimSpace(name); name != "" && !slices.ContainsFunc(kept, func(a applied) bool { return strings.EqualFold(a.tag.name, name) }) {
					kept = append(kept, applied{tag: d.tagNamed(ws, name), at: now, by: ws.agent.id})
					added = true
				}
			}
			c.tags = kept
			if added {
				out = append(out, d.notification(ws, c, TopicPartTagged, nil))
			}
		}
		for k, v := range act.Fields {
			c.attrs[k] = v
		}
		return out, nil
	case sandbox.ActReopen:
		c.state = "open"
		return []delivery{d.notification(ws, c, TopicAdminOpened, []*part{addPart("open", "")})}, nil
	case sandbox.ActAssign:
		if admin != 0 {
			c.adminAssignee = admin
		}
		if team != 0 {
			c.teamAssignee = team
		}
		return []delivery{d.notification(ws, c, TopicAdminAssigned, []*part{addPart("assignment", "")})}, nil
	case sandbox.ActRate:
		c.rating = &rating{value: act.Rating, remark: act.Body, created: now, updated: now, teammate: ws.agent.id}
		return []delivery{d.notification(ws, c, TopicRatingAdded, nil)}, nil
	}
	return nil, nil
}
