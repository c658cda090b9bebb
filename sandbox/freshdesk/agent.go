package freshdesk

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/sandbox"
)

var _ sandbox.Agent = (*Desk)(nil)

// Agent events: the fixed "event" text of the emulated automation rules
// that fire on an agent's change (Freshdesk sends what the rule's Advanced
// body says; CONTRACTS.md §2.2). heard's decoder maps ticket_resolved to
// ticket.solved and the others to ticket.updated.
const (
	EventAgentReplied     = "agent_replied"
	EventNoteAdded        = "private_note_added"
	EventTicketUpdated    = "ticket_updated"
	EventTicketResolved   = "ticket_resolved"
	EventTicketReopened   = "ticket_reopened"
	EventTicketAssigned   = "ticket_assigned"
	EventCustomerFeedback = "customer_feedback_received"
)

// csatScale maps a 1..5 rating to the survey's answer values (the
// sandbox's choice among Freshdesk's 103..-103 points).
var csatScale = map[int]int{5: 103, 4: 102, 3: 100, 2: -102, 1: -103}

// Act implements sandbox.Agent: the human agent (the requester, for a
// rating) acts on the ticket, and the account's automation rule for that
// change delivers {"ticket_id", "event"}: reply (a public reply; an open
// ticket goes pending) agent_replied, note private_note_added, update
// ticket_updated, solve ticket_resolved (as Solve), reopen ticket_reopened,
// assign ticket_assigned, rate (a satisfaction survey answer, listed at
// GET /api/v2/tickets/{id}/satisfaction_ratings)
// customer_feedback_received.
func (d *Desk) Act(ctx context.Context, account, id string, act sandbox.Action) error {
	if err := act.Validate(); err != nil {
		return fmt.Errorf("freshdesk ticket %s: %w", id, err)
	}
	if act.Kind == sandbox.ActSolve {
		return d.Solve(ctx, account, id, act.Priority, act.Tags)
	}
	d.mu.Lock()
	a, t, err := d.ticket(account, id)
	if err != nil {
		d.mu.Unlock()
		return err
	}
	dl, err := d.act(a, t, act)
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("agent %s on freshdesk ticket %s: %w", act.Kind, id, err)
	}
	return d.deliver(ctx, dl)
}

// act changes t and returns its webhook; d.mu must be held.
func (d *Desk) act(a *account, t *ticket, act sandbox.Action) (*delivery, error) {
	var responder, group int64
	switch act.Kind {
	case sandbox.ActReopen:
		if t.status != statusResolved && t.status != statusClosed {
			return nil, fmt.Errorf("the ticket has status %d, not resolved or closed", t.status)
		}
	case sandbox.ActAssign:
		responder = a.human
		if act.Assignee != "" || act.Group != "" {
			responder = 0
		}
		if act.Assignee != "" {
			n, err := strconv.ParseInt(act.Assignee, 10, 64)
			if err != nil || a.users[n] == nil || !a.users[n].agent {
				return nil, fmt.Errorf("assignee %q is not an agent of the account", act.Assignee)
			}
			responder = n
		}
		if act.Group != "" {
			n, err := strconv.ParseInt(act.Group, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("group %q: want a numeric group id", act.Group)
			}
			group = n
		}
	case sandbox.ActRate:
		if t.status != statusResolved && t.status != statusClosed {
			return nil, fmt.Errorf("the ticket has status %d: the survey goes out on resolved tickets", t.status)
		}
	case sandbox.ActUpdate:
		for k := range act.Fields {
			if !strings.HasPrefix(k, "cf_") {
				return nil, fmt.Errorf("field %q: Freshdesk custom fields are keyed cf_<name>", k)
			}
		}
	}
	now := d.bump(t)
	actor, event := a.human, ""
	switch act.Kind {
	case sandbox.ActReply, sandbox.ActNote:
		reply := act.Kind == sandbox.ActReply
		src, event := sourceNote, EventNoteAdded
		if reply {
			src, event = sourceReply, EventAgentReplied
		}
		t.convs = append(t.convs, &conversation{
			id: a.id(), body: "<div>" + act.Body + "</div>", bodyText: htmlToText(act.Body),
			private: !reply, userID: a.human, source: src, created: now,
		})
		if reply && t.status == statusOpen {
			t.status = statusPending
		}
		return a.hook(t, event, actor), nil
	case sandbox.ActUpdate:
		if p, ok := map[string]int{"P0": 4, "P1": 3, "P2": 2, "P3": 1}[strings.ToUpper(act.Priority)]; ok {
			t.priority = p
		}
		if act.Tags != nil {
			t.tags = uniqueTags(act.Tags)
		}
		for k, v := range act.Fields {
			t.custom[k] = v
		}
		event = EventTicketUpdated
	case sandbox.ActReopen:
		t.status, event = statusOpen, EventTicketReopened
	case sandbox.ActAssign:
		if responder != 0 {
			t.responderID = responder
		}
		if group != 0 {
			t.groupID = group
		}
		event = EventTicketAssigned
	case sandbox.ActRate:
		t.ratings = append(t.ratings, &csat{id: a.id(), userID: t.requesterID, agentID: t.responderID, groupID: t.groupID,
			value: csatScale[act.Rating], feedback: act.Body, created: now})
		actor, event = t.requesterID, EventCustomerFeedback
	}
	return a.hook(t, event, actor), nil
}

// bump moves t.updated to now, strictly later than before (whole seconds,
// as Freshdesk's timestamps), so each change has its own updated_at — the
// identity heard's decoder gives an update. d.mu must be held.
func (d *Desk) bump(t *ticket) (now time.Time) {
	now = d.now()
	if !now.After(t.updated) {
		now = t.updated.Add(time.Second)
	}
	t.updated = now
	return now
}

// listRatings serves GET /tickets/{id}/satisfaction_ratings: the ticket's
// survey results, oldest first.
func (d *Desk) listRatings(w http.ResponseWriter, r *http.Request, a *account) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t := a.tickets[id]
	if t == nil {
		notFound(w)
		return
	}
	out := []map[string]any{}
	for _, c := range t.ratings {
		out = append(out, map[string]any{
			"id": c.id, "survey_id": 1, "user_id": c.userID, "agent_id": nullID(c.agentID), "group_id": nullID(c.groupID),
			"ticket_id": t.id, "feedback": c.feedback, "ratings": map[string]int{"default_question": c.value},
			"created_at": stamp(c.created), "updated_at": stamp(c.created),
		})
	}
	writeJSON(w, http.StatusOK, out)
}
