package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sandbox/desks"
)

// demoAgent is what the demo's agents did to one ticket after heard
// enriched it.
type demoAgent struct {
	Replied       bool     `json:"replied"`
	FinalPriority string   `json:"final_priority"` // what the agent solved it with, heard's terms
	FinalTags     []string `json:"final_tags"`
	Corrected     []string `json:"corrected,omitempty"` // fields the agent changed from heard's values
	Rating        int      `json:"rating,omitempty"`    // the customer's 1..5, 0 for none
	Reopened      bool     `json:"reopened,omitempty"`
}

// agentPassSummary counts what the agent pass did.
type agentPassSummary struct {
	replied, solved, priorityFixes, tagFixes int
	rated                                    []string
	reopened                                 string
	feedback                                 int
}

// correctedPriority is the value an agent picks instead of heard's p.
func correctedPriority(p string) string {
	switch p {
	case "P0":
		return "P1"
	case "P1", "P3":
		return "P2"
	}
	return "P1"
}

// agentPass plays the help desk's agents on the enriched tickets: they
// publicly reply, correct heard's priority and tags, and solve two tickets
// per desk; two customers rate theirs, and one ticket is reopened. Each action reaches heard as the vendor's webhook.
// It then waits until heard has recorded agreement for every solved ticket.
func agentPass(ctx context.Context, env *desks.Env, st store.Store, results []*demoResult) (agentPassSummary, error) {
	var sum agentPassSummary
	act := func(r *demoResult, a sandbox.Action) error {
		ag, ok := env.Desks[r.Vendor].(sandbox.Agent)
		if !ok {
			return fmt.Errorf("the %s sandbox cannot act as an agent", r.Vendor)
		}
		if err := ag.Act(ctx, env.Account, r.TicketID, a); err != nil {
			return fmt.Errorf("agent %s on %s #%s: %w", a.Kind, r.Vendor, r.TicketID, err)
		}
		return nil
	}
	// Two tickets per desk keep the pass short: on each desk the agent
	// replies to the first, corrects heard's tags on it and its priority
	// on the second, and solves both.
	var solved []*demoResult
	perDesk := map[string]int{}
	for _, r := range results {
		if !r.ok || perDesk[r.Vendor] == 2 {
			continue
		}
		perDesk[r.Vendor]++
		first := perDesk[r.Vendor] == 1
		ag := &demoAgent{FinalPriority: r.Priority, FinalTags: slices.Clone(r.Written.Tags)}
		r.Agent = ag
		if first {
			if err := act(r, sandbox.Action{Kind: sandbox.ActReply, Body: "Thanks for reaching out — we are on it and will update you shortly."}); err != nil {
				return sum, err
			}
			ag.Replied = true
			sum.replied++
		}
		if !first && r.Priority != "" {
			ag.FinalPriority = correctedPriority(r.Priority)
			ag.Corrected = append(ag.Corrected, "priority")
			sum.priorityFixes++
		}
		if first && len(r.Tags) > 0 {
			drop := r.Tags[len(r.Tags)-1]
			ag.FinalTags = slices.DeleteFunc(ag.FinalTags, func(t string) bool { return t == drop })
			ag.FinalTags = append(ag.FinalTags, "agent-reviewed")
			ag.Corrected = append(ag.Corrected, "tags")
			sum.tagFixes++
		}
		if err := act(r, sandbox.Action{Kind: sandbox.ActSolve, Priority: ag.FinalPriority, Tags: ag.FinalTags}); err != nil {
			return sum, err
		}
		sum.solved++
		solved = append(solved, r)
	}
	// One happy and one unhappy customer rate their ticket; one ticket
	// comes back.
	rated := map[string]bool{}
	for _, r := range solved {
		rating := map[string]int{"zendesk": 5, "intercom": 2}[r.Vendor]
		if rating == 0 || rated[r.Vendor] {
			continue
		}
		if err := act(r, sandbox.Action{Kind: sandbox.ActRate, Rating: rating}); err != nil {
			return sum, err
		}
		rated[r.Vendor] = true
		r.Agent.Rating = rating
		sum.rated = append(sum.rated, fmt.Sprintf("%s #%s %d/5", r.Vendor, r.TicketID, rating))
	}
	for _, r := range solved {
		if r.Vendor == "freshdesk" {
			if err := act(r, sandbox.Action{Kind: sandbox.ActReopen}); err != nil {
				return sum, err
			}
			r.Agent.Reopened = true
			sum.reopened = r.Vendor + " #" + r.TicketID
			break
		}
	}
	// heard records agreement when it processes each solve: wait until
	// every solved ticket has rows and no more arrive.
	deadline := time.Now().Add(90 * time.Second)
	last, stable := -1, 0
	for {
		rows, err := st.Feedback(ctx, store.FeedbackFilter{})
		if err != nil {
			return sum, fmt.Errorf("reading heard's agreement rows: %w", err)
		}
		have := map[string]bool{}
		for _, f := range rows {
			have[f.Connector+"/"+f.TicketID] = true
		}
		all := true
		for _, r := range solved {
			all = all && have[desks.ConnectorName(r.Vendor)+"/"+r.TicketID]
		}
		if len(rows) == last {
			stable++
		} else {
			stable = 0
		}
		last, sum.feedback = len(rows), len(rows)
		if all && stable >= 3 {
			return sum, nil
		}
		if time.Now().After(deadline) {
			return sum, fmt.Errorf("heard recorded agreement for %d rows but not for every solved ticket within 90s", len(rows))
		}
		select {
		case <-ctx.Done():
			return sum, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// printAgentPass writes the agent pass and heard stats' report briefly.
func printAgentPass(w io.Writer, s agentPassSummary, stats []byte) {
	fmt.Fprintf(w, "Agent pass: agents replied to %d tickets and solved %d, correcting heard's priority on %d and its tags on %d;\n",
		s.replied, s.solved, s.priorityFixes, s.tagFixes)
	fmt.Fprintf(w, "   customers rated %s; %s was reopened. heard recorded %d agreement rows.\n",
		orDash(strings.Join(s.rated, " and ")), orDash(s.reopened), s.feedback)
	// The headline of each field; heard stats --config shows the rest.
	fmt.Fprintf(w, "heard stats (agents kept heard's value):\n")
	for _, line := range strings.Split(string(stats), "\n") {
		if strings.Contains(line, " predictions, ") {
			fmt.Fprintf(w, "   %s\n", strings.TrimSpace(line))
		}
	}
	fmt.Fprintln(w)
}
