package solved_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

// TestIndexerRedactsAndFindsOthers indexes solved help-desk tickets and
// checks that PII never reaches the index, the last public agent message
// is the reply, the link is kept, and a ticket is never its own match.
func TestIndexerRedactsAndFindsOthers(t *testing.T) {
	ix, _ := openSQLite(t)
	x, err := solved.NewIndexer(ix, embedder, func(r sdk.TicketRef) string { return "https://desk.example/t/" + r.ID })
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	mk := func(id, subject, body, reply string) *sdk.Ticket {
		return &sdk.Ticket{Ref: sdk.TicketRef{Connector: "acme", ID: id}, Subject: subject, Priority: sdk.P2, Tags: []string{"billing"}, UpdatedAt: at,
			Messages: []sdk.Message{{Body: body}, {Body: "internal: checked Stripe", FromAgent: true}, {Body: reply, FromAgent: true, Public: true}}}
	}
	a := mk("1", "Charged twice", "I was charged twice, mail me at jo.doe@example.com or call +44 20 7946 0958.", "1. We refunded the duplicate.\n2. It shows in 5 days.")
	b := mk("2", "Double charge on my card", "My card shows two charges for one invoice.", "Refunded.")
	for _, tk := range []*sdk.Ticket{a, b} {
		if err := x.IndexSolved(t.Context(), tk); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := ix.List(t.Context(), "acme", time.Time{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("List = %d rows (%v); want 2", len(rows), err)
	}
	for _, r := range rows {
		if strings.Contains(r.Text, "jo.doe@example.com") || strings.Contains(r.Text, "7946") {
			t.Errorf("ticket %s kept PII: %q", r.ID, r.Text)
		}
		if strings.Contains(r.Text, "internal") || strings.Contains(r.Reply, "internal") {
			t.Errorf("ticket %s indexed the internal note: text %q reply %q", r.ID, r.Text, r.Reply)
		}
		if r.URL != "https://desk.example/t/"+r.ID || r.Priority != "P2" || !r.SolvedAt.Equal(at) {
			t.Errorf("row %+v; want the link, P2 and the solve time", r)
		}
	}
	if rows[0].Reply != "1. We refunded the duplicate.\n2. It shows in 5 days." {
		t.Errorf("reply = %q; want the last public agent message", rows[0].Reply)
	}
	ms, err := x.Similar(t.Context(), a, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].ID != "2" {
		t.Fatalf("similar to 1 = %+v; want only ticket 2 (never itself)", ms)
	}
}
