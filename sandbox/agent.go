package sandbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Agent action kinds (Action.Kind).
const (
	ActReply  = "reply"  // a public reply from the agent to the customer
	ActNote   = "note"   // an internal (agent-only) note
	ActUpdate = "update" // change priority, tags and/or custom fields
	ActSolve  = "solve"  // solve (close) the ticket, optionally with final priority and tags
	ActReopen = "reopen" // reopen a solved ticket
	ActAssign = "assign" // assign the ticket to an agent and/or a group
	ActRate   = "rate"   // the customer rates the support they got
)

// ActionKinds lists the kinds in the order they are documented.
var ActionKinds = []string{ActReply, ActNote, ActUpdate, ActSolve, ActReopen, ActAssign, ActRate}

// Action is one thing a human agent (or, for ActRate, the customer) does
// on a ticket in an emulated help desk. Fields a kind does not use must be
// empty.
type Action struct {
	Kind string `json:"kind"`
	// Body is the reply or note text (HTML allowed), or the customer's
	// comment with a rating.
	Body string `json:"body,omitempty"`
	// Priority is heard's P0..P3 ("" keeps it): update, solve.
	Priority string `json:"priority,omitempty"`
	// Tags, when not nil, replace the ticket's tags: update, solve.
	Tags []string `json:"tags,omitempty"`
	// Fields sets custom fields by the vendor's key (Zendesk: the field
	// id; Freshdesk: the cf_ key; Intercom: the attribute name): update.
	Fields map[string]string `json:"fields,omitempty"`
	// Assignee is the vendor user id of the agent to assign; Group the
	// vendor group (Intercom: team) id. Both empty assigns the account's
	// human agent: assign.
	Assignee string `json:"assignee,omitempty"`
	Group    string `json:"group,omitempty"`
	// Rating is the customer's satisfaction, 1 (worst) to 5 (best): rate.
	// Zendesk keeps good (4, 5) or bad (1..3); Freshdesk a survey answer;
	// Intercom the 1..5 conversation rating itself.
	Rating int `json:"rating,omitempty"`
}

// Agent is implemented by the vendor emulations: Act performs a on the
// ticket, changing it as the help desk would and delivering the webhook
// the real vendor sends for it.
type Agent interface {
	Act(ctx context.Context, account, id string, a Action) error
}

// Validate checks a's kind and that it carries what the kind needs and
// nothing it ignores.
func (a Action) Validate() error {
	if !slices.Contains(ActionKinds, a.Kind) {
		return fmt.Errorf("agent action %q: want one of %s", a.Kind, strings.Join(ActionKinds, ", "))
	}
	if a.Priority != "" && !slices.Contains([]string{"P0", "P1", "P2", "P3"}, strings.ToUpper(a.Priority)) {
		return fmt.Errorf("agent action %s: priority %q: want P0..P3", a.Kind, a.Priority)
	}
	used := map[string]bool{
		"body":     a.Body != "",
		"priority": a.Priority != "",
		"tags":     a.Tags != nil,
		"fields":   len(a.Fields) > 0,
		"assignee": a.Assignee != "",
		"group":    a.Group != "",
		"rating":   a.Rating != 0,
	}
	allowed := map[string][]string{
		ActReply: {"body"}, ActNote: {"body"}, ActUpdate: {"priority", "tags", "fields"},
		ActSolve: {"priority", "tags"}, ActReopen: nil, ActAssign: {"assignee", "group"}, ActRate: {"rating", "body"},
	}[a.Kind]
	for _, k := range []string{"body", "priority", "tags", "fields", "assignee", "group", "rating"} {
		if used[k] && !slices.Contains(allowed, k) {
			return fmt.Errorf("agent action %s takes no %s", a.Kind, k)
		}
	}
	switch a.Kind {
	case ActReply, ActNote:
		if strings.TrimSpace(a.Body) == "" {
			return fmt.Errorf("agent action %s: body is required", a.Kind)
		}
	case ActUpdate:
		if !used["priority"] && !used["tags"] && !used["fields"] {
			return fmt.Errorf("agent action update: set priority, tags or fields")
		}
	case ActRate:
		if a.Rating < 1 || a.Rating > 5 {
			return fmt.Errorf("agent action rate: rating %d: want 1..5", a.Rating)
		}
	}
	return nil
}

// GoodRating reports whether a 1..5 rating is "good" on a good/bad scale
// (Zendesk): 4 and 5 are good.
func GoodRating(r int) bool { return r >= 4 }
