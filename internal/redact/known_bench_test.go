package redact

import (
	"fmt"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// BenchmarkTicketManyRequesters redacts tickets from more distinct
// requesters than the rule cache holds, as a desk with many customers
// does: every ticket builds its known-name and known-e-mail rules.
func BenchmarkTicketManyRequesters(b *testing.B) {
	r := New()
	tickets := make([]*sdk.Ticket, 4*ruleCacheSize)
	for i := range tickets {
		name := fmt.Sprintf("Customer%c%c Lastname%c%c", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26, 'a'+i%7)
		email := fmt.Sprintf("user%d@example%d.com", i, i%50)
		tickets[i] = &sdk.Ticket{Subject: "Refund for " + name,
			Requester: sdk.Party{Name: name, Email: email},
			Messages:  []sdk.Message{{Body: benchTicket + "\nRegards, " + name + " (" + email + ")", Author: sdk.Party{Name: name, Email: email}}}}
	}
	i := 0
	for b.Loop() {
		_ = r.Ticket(tickets[i%len(tickets)])
		i++
	}
}
