package zendesk

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

var _ sandbox.Agent = (*Desk)(nil)

// Act implements sandbox.Agent: the account's human agent (the customer,
// for a rating) acts on the ticket through Zendesk's agent workspace and
// the webhook subscription delivers the ticket events the change caused,
// one sequence per action:
//
//   - reply: comment_added (public, is_staff) and, from new or open,
//     status_changed to pending (the agent submits as pending);
//   - note: comment_added (is_public false);
//   - update: priority_changed, tags_changed, custom_field_changed;
//   - solve: as Solve;
//   - reopen: status_changed from solved to open;
//   - assign: agent_assignment_changed and/or group_assignment_changed;
//   - rate: Zendesk has no ticket event type for a satisfaction rating, so,
//     as admins set it up, a trigger on "Satisfaction changed" posts the
//     trigger body {"ticket_id", "event":"satisfaction_rated", "score",
//     "updated_at"} to the same endpoint, signed the same way.
func (d *Desk) Act(ctx context.Context, accountName, id string, act sandbox.Action) error {
	if err := act.Validate(); err != nil {
		return fmt.Errorf("zendesk ticket %s: %w: %w", id, err, sdk.ErrInvalid)
	}
	if act.Kind == sandbox.ActSolve {
		return d.Solve(ctx, accountName, id, act.Priority, act.Tags)
	}
	d.mu.Lock()
	a, t, err := d.lookup(accountName, id)
	if err != nil {
		d.mu.Unlock()
		return fmt.Errorf("agent %s: %w", act.Kind, err)
	}
	out, err := d.act(a, t, act)
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("agent %s on zendesk ticket %s: %w", act.Kind, id, err)
	}
	if err := d.send(ctx, out); err != nil {
		return fmt.Errorf("agent %s on zendesk ticket %s: %w", act.Kind, id, err)
	}
	return nil
}

// act changes t for act and returns the webhooks to send; d.mu must be held.
func (d *Desk) act(a *account, t *ticket, act sandbox.Action) ([]*delivery, error) {
	// Validate first: a rejected action changes nothing.
	var fields map[int64]string
	var assignee, group int64
	switch act.Kind {
	case sandbox.ActUpdate:
		fields = map[int64]string{}
		for k, v := range act.Fields {
			fid, err := strconv.ParseInt(k, 10, 64)
			if err != nil || fid <= 0 {
				return nil, fmt.Errorf("field %q: Zendesk custom fields are keyed by numeric id: %w", k, sdk.ErrInvalid)
			}
			fields[fid] = v
		}
	case sandbox.ActReopen:
		if t.status != "solved" {
			return nil, fmt.Errorf("the ticket is %s, not solved: %w", t.status, sdk.ErrInvalid)
		}
	case sandbox.ActAssign:
		assignee = a.agentID
		if act.Assignee != "" || act.Group != "" {
			assignee = 0
		}
		if act.Assignee != "" {
			n, err := strconv.ParseInt(act.Assignee, 10, 64)
			if err != nil || a.users[n] == nil || a.users[n].role == "end-user" {
				return nil, fmt.Errorf("assignee %q is not an agent of the account: %w", act.Assignee, sdk.ErrInvalid)
			}
			assignee = n
		}
		if act.Group != "" {
			n, err := strconv.ParseInt(act.Group, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("group %q: want a numeric group id: %w", act.Group, sdk.ErrInvalid)
			}
			group = n
		}
	case sandbox.ActRate:
		if t.status != "solved" && t.status != "closed" {
			return nil, fmt.Errorf("the ticket is %s: customers rate solved tickets: %w", t.status, sdk.ErrInvalid)
		}
	}

	at := d.touch(t)
	actor := a.agentID
	var changes []change
	switch act.Kind {
	case sandbox.ActReply, sandbox.ActNote:
		c := d.newComment(a.agentID, act.Body, act.Kind == sandbox.ActReply, at)
		t.comments = append(t.comments, c)
		changes = append(changes, change{typ: "comment_added", comment: c})
		if act.Kind == sandbox.ActReply && (t.status == "new" || t.status == "open") {
			changes = append(changes, change{typ: "status_changed", prev: t.status, cur: "pending"})
			t.status = "pending"
		}
	case sandbox.ActUpdate:
		if zp := zendeskPriority[strings.ToUpper(act.Priority)]; zp != "" && zp != t.priority {
			changes = append(changes, change{typ: "priority_changed", prev: t.priority, cur: zp})
			t.priority = zp
		}
		if act.Tags != nil {
			if nt := uniq(act.Tags); !slices.Equal(sortedCopy(nt), sortedCopy(t.tags)) {
				changes = append(changes, change{typ: "tags_changed", prevTags: t.tags, curTags: nt})
				t.tags = nt
			}
		}
		for _, fid := range slices.Sorted(maps.Keys(fields)) {
			prev := valueString(t.custom[fid])
			if prev == fields[fid] {
				continue
			}
			changes = append(changes, change{typ: "custom_field_changed", field: fid, prev: prev, cur: fields[fid]})
			t.custom[fid] = fields[fid]
		}
	case sandbox.ActReopen:
		changes = append(changes, change{typ: "status_changed", prev: t.status, cur: "open"})
		t.status = "open"
	case sandbox.ActAssign:
		if assignee != 0 && assignee != t.assigneeID {
			changes = append(changes, change{typ: "agent_assignment_changed", prev: idText(t.assigneeID), cur: idText(assignee)})
			t.assigneeID = assignee
		}
		if group != 0 && group != t.groupID {
			changes = append(changes, change{typ: "group_assignment_changed", prev: idText(t.groupID), cur: idText(group)})
			t.groupID = group
		}
	case sandbox.ActRate:
		t.rating, t.ratingNote = "bad", act.Body
		if sandbox.GoodRating(act.Rating) {
			t.rating = "good"
		}
		return []*delivery{d.triggerDelivery(a, t, "satisfaction_rated", at)}, nil
	}
	if len(changes) == 0 {
		return nil, nil // nothing changed: Zendesk sends nothing
	}
	return d.events(a, t, actor, changes...), nil
}

// triggerBody is the body of the trigger webhooks the sandbox sends.
type triggerBody struct {
	TicketID  string `json:"ticket_id"`
	Event     string `json:"event"`
	Score     string `json:"score,omitempty"`
	UpdatedAt string `json:"updated_at"`
}

// triggerDelivery builds a trigger webhook for t and records it as the
// ticket's last webhook; d.mu must be held.
func (d *Desk) triggerDelivery(a *account, t *ticket, event string, at time.Time) *delivery {
	body, err := json.Marshal(triggerBody{TicketID: strconv.FormatInt(t.id, 10), Event: event, Score: t.rating, UpdatedAt: at.Format(time.RFC3339)})
	if err != nil {
		panic(fmt.Sprintf("zendesk sandbox: encoding a trigger body: %v", err)) // strings only
	}
	dl := &delivery{
		url: a.cfg.Webhook.URL, secret: a.cfg.Webhook.Secret, accountID: a.id, webhookID: a.webhookID,
		invocation: strings.ReplaceAll(uuid(), "-", ""), body: body,
	}
	a.last[t.id] = dl
	return dl
}

// idText is a user or group id as text, "" for none.
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
