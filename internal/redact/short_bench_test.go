package redact

import (
	"testing"

	"github.com/heardhq/heard/sdk"
)

// shortMsgs are the bodies the drain benchmark's sandbox tickets carry:
// short, with an id or two and no personal data.
var shortMsgs = []string{
	"I was charged twice for my March invoice 1003 and need a refund.",
	"Since this morning I get \"invalid password\" when I log in to account 1001. I reset it twice. What should I do?",
	"Exporting report 1002 to CSV shows error E-502 after a minute. Is there a limit on rows?",
	"We signed up last week (team 1003). How do I invite a colleague and give them admin rights?",
	"Please cancel subscription 1004 at the end of the billing period and confirm by email.",
	"Our workspace 1005 has been returning 502 errors for 20 minutes, customers cannot check out! This is urgent.",
	"It would be great if dashboards could be shared with a public link. Customer 1006 would use it daily.",
	"Our endpoint 1007 received the same webhook three times yesterday. Why are deliveries retried, and can we turn it off?",
}

// BenchmarkTicketShort redacts short tickets like the drain benchmark's:
// the fixed cost per ticket and text weighs most there.
func BenchmarkTicketShort(b *testing.B) {
	r := New()
	i := 0
	for b.Loop() {
		m := shortMsgs[i%len(shortMsgs)]
		_ = r.Ticket(&sdk.Ticket{Subject: "Charged twice on invoice 1003", Requester: sdk.Party{Name: "Dana", Email: "dana7@example.com"},
			Messages: []sdk.Message{{Body: m, Author: sdk.Party{Name: "Dana", Email: "dana7@example.com"}}}})
		i++
	}
}
