package backtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/backtest"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/sdk"
)

// desk is a help desk with solved tickets; it counts writes, which a
// backtest must never make.
type desk struct {
	tickets map[string]*sdk.Ticket
	applied int
}

func (d *desk) ListTickets(_ context.Context, req *sdk.ListTicketsRequest) (*sdk.ListTicketsResponse, error) {
	var out []sdk.TicketRef
	for _, t := range d.tickets {
		out = append(out, t.Ref)
	}
	return &sdk.ListTicketsResponse{Tickets: out}, nil
}

func (d *desk) Ticket(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	return d.tickets[ref.ID], nil
}

func (d *desk) Apply(context.Context, sdk.TicketRef, sdk.Changes) error {
	d.applied++
	return nil
}

type decider struct{ calls int }

type why struct{ VIP string }

func (dc *decider) Decide(_ context.Context, req *pipeline.DecideRequest) (*pipeline.DecideResult[why], error) {
	dc.calls++
	vip, _ := req.Attrs["enrich.vip"].(string)
	if !req.Mode.Live() {
		return &pipeline.DecideResult[why]{Explanation: &why{VIP: vip}}, nil
	}
	return &pipeline.DecideResult[why]{Changes: sdk.Changes{InternalNote: "vip: " + vip}, Explanation: &why{VIP: vip}}, nil
}

func solved(id string, prio sdk.Priority, tag, opening string) *sdk.Ticket {
	return &sdk.Ticket{Ref: sdk.TicketRef{Connector: "acme", ID: id}, Subject: opening, Status: sdk.StatusSolved, Priority: prio, Tags: []string{tag},
		Messages: []sdk.Message{{Body: opening}, {Body: "We refunded you.", FromAgent: true}, {Body: "thanks, also " + tag}}}
}

func TestRun(t *testing.T) {
	d := &desk{tickets: map[string]*sdk.Ticket{
		"1": solved("1", sdk.P1, "billing", "charged twice"),
		"2": solved("2", sdk.P2, "bug", "charged twice"),
	}}
	var seen []string // what the classifier saw: the ticket as opened
	cls := sdk.ClassifierFunc(func(_ context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		vip, _ := req.Attrs["enrich.vip"].(string)
		seen = append(seen, req.Ticket.Messages[len(req.Ticket.Messages)-1].Body+"|"+vip)
		return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{
			{Field: sdk.FieldPriority, Value: "P1", Confidence: 0.9}, {Field: sdk.FieldPrimaryTag, Value: "billing", Confidence: 0.9}}}, nil
	})
	enr := sdk.EnricherFunc(func(context.Context, *sdk.EnrichRequest) (*sdk.EnrichResponse, error) {
		return &sdk.EnrichResponse{Attrs: sdk.Attrs{"enrich.vip": "yes"}}, nil
	})
	for _, live := range []bool{false, true} {
		dec := &decider{}
		mode := config.ModeShadow
		if live {
			mode = config.ModeLive
		}
		res, err := backtest.Run(t.Context(), backtest.Config[why]{
			Connector: "acme", Source: d, Mode: mode, Since: time.Now().Add(-time.Hour), Limit: 10,
			Enrichers: []pipeline.NamedEnricher{{ID: "enrich.vip", Impl: enr}}, Classifier: cls, Decider: dec,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tickets != 2 || dec.calls != 2 {
			t.Errorf("live=%v: %d tickets, %d decisions; want 2 and 2", live, res.Tickets, dec.calls)
		}
		wantWould := 0
		if live {
			wantWould = 2
		}
		if res.WouldWrite != wantWould {
			t.Errorf("live=%v: would write %d; want %d", live, res.WouldWrite, wantWould)
		}
		agreed := map[string][2]int{}
		for _, f := range res.Fields {
			agreed[f.Field] = [2]int{f.Agreed, f.Predictions}
		}
		if agreed[sdk.FieldPriority] != [2]int{1, 2} || agreed[sdk.FieldPrimaryTag] != [2]int{1, 2} {
			t.Errorf("live=%v: agreement %v; want 1 of 2 on priority and primary tag", live, agreed)
		}
	}
	if d.applied != 0 {
		t.Errorf("the help desk got %d writes; want none", d.applied)
	}
	for _, s := range seen {
		if s != "charged twice|yes" {
			t.Errorf("classifier saw %q; want the opening message with the enricher's attrs", s)
		}
	}
}
