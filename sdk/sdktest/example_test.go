package sdktest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/sdktest"
)

// Function-field fakes stand in for a dependency in a quick test: set only
// the functions the test needs.
func ExampleConnector() {
	desk := &sdktest.Connector{
		TicketFunc: func(_ context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
			if ref.ID != "42" {
				return nil, fmt.Errorf("ticket %s: %w", ref.ID, sdk.ErrNotFound)
			}
			return &sdk.Ticket{Ref: ref, Subject: "Checkout broken"}, nil
		},
	}
	t, _ := desk.Ticket(context.Background(), sdk.TicketRef{ID: "42"})
	fmt.Println(t.Subject)
	_, err := desk.Ticket(context.Background(), sdk.TicketRef{ID: "7"})
	fmt.Println(errors.Is(err, sdk.ErrNotFound))
	// Output:
	// Checkout broken
	// true
}

// The suites' sample tickets cover the cases a classifier meets first.
func ExampleTickets() {
	for _, t := range sdktest.Tickets() {
		fmt.Printf("%s %q plan=%s messages=%d\n", t.Ref.ID, t.Subject, t.Customer[sdk.AttrPlan], len(t.Messages))
	}
	// Output:
	// 101 "Production is down for all users" plan=enterprise messages=1
	// 102 "Refund for double charge" plan=starter messages=3
	// 103 "Frage zur Rechnung" plan= messages=1
	// 104 "Unacceptable response times" plan=enterprise messages=1
	// 105 "" plan= messages=0
}
