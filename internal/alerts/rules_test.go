package alerts

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) // a Monday, ISO week 50

func entry(conn, ticket, key, kind, value string, ago time.Duration) store.TimelineEntry {
	return store.TimelineEntry{Connector: conn, TicketID: ticket, Key: key, Kind: kind, Value: value, At: now.Add(-ago)}
}

// ratings gives one ticket per score, rated ago.
func ratings(conn, scale string, ago time.Duration, scores ...string) []store.TimelineEntry {
	var out []store.TimelineEntry
	for i, s := range scores {
		id := fmt.Sprintf("%s-%s-%d", scale, conn, i)
		out = append(out, entry(conn, id, "rating:"+id, store.TimelineRating, scale+":"+s, ago))
	}
	return out
}

// solves gives n solved tickets, the first reopened of them reopened.
func solves(conn string, n, reopened int, ago time.Duration) []store.TimelineEntry {
	var out []store.TimelineEntry
	for i := range n {
		id := fmt.Sprintf("s%d", i)
		out = append(out, entry(conn, id, "solved:"+id, store.TimelineSolved, "solved", ago))
		if i < reopened {
			out = append(out, entry(conn, id, "reopened:"+id, store.TimelineReopened, "open", ago-time.Minute))
		}
	}
	return out
}

func only(rule string) Config {
	c := DefaultConfig()
	c.CSAT.Enabled = rule == RuleCSAT
	c.FirstResponse.Enabled = rule == RuleFirstResponse
	c.ReopenRate.Enabled = rule == RuleReopenRate
	c.RepeatCustomer.Enabled = rule == RuleRepeatCustomer
	c.NPSDetractor.Enabled = rule == RuleNPSDetractor
	return c
}

func TestRules(t *testing.T) {
	day := 24 * time.Hour
	// P1 (24/7, first response 1 h) created 2 h 30 min ago.
	frt := func(ticket string, replyAfter time.Duration, prio string) []store.TimelineEntry {
		es := []store.TimelineEntry{entry("zd", ticket, "created", store.TimelineCreated, "open", 150*time.Minute)}
		if prio != "" {
			es = append(es, entry("zd", ticket, "priority", store.TimelinePriority, prio, 150*time.Minute))
		}
		if replyAfter > 0 {
			es = append(es, entry("zd", ticket, "reply", store.TimelineAgentReply, "m1", 150*time.Minute-replyAfter))
		}
		return es
	}
	created := func(conn, requester string, ago time.Duration, ids ...string) []store.CreatedTicket {
		var out []store.CreatedTicket
		for _, id := range ids {
			out = append(out, store.CreatedTicket{Connector: conn, TicketID: id, Requester: requester, At: now.Add(-ago)})
		}
		return out
	}
	tests := []struct {
		name  string
		cfg   Config
		in    Input
		clock Clock
		want  []string // keys
		msg   string   // a part of the first message
	}{
		{name: "csat under 4.0 with enough ratings", cfg: only(RuleCSAT),
			in:   Input{Recent: ratings("zd", sdk.RatingCSAT, day, "5", "4", "3", "3", "4")}, // 3.8
			want: []string{"csat:zd:2026-12-07"}, msg: "CSAT on zd is 3.80 over the last 7 days (5 ratings)"},
		{name: "csat exactly 4.0 does not fire", cfg: only(RuleCSAT),
			in: Input{Recent: ratings("zd", sdk.RatingCSAT, day, "5", "4", "3", "4", "4")}},
		{name: "csat with too few ratings does not fire", cfg: only(RuleCSAT),
			in: Input{Recent: ratings("zd", sdk.RatingCSAT, day, "1", "1", "1", "1")}},
		{name: "csat ratings older than the window do not count", cfg: only(RuleCSAT),
			in: Input{Recent: append(ratings("zd", sdk.RatingCSAT, 8*day, "1", "1", "1"), ratings("fd", sdk.RatingCSAT, day, "5", "5", "5", "5", "5")...)}},
		{name: "csat good/bad as 5/1 per connector", cfg: only(RuleCSAT),
			in:   Input{Recent: append(ratings("ic", sdk.RatingGoodBad, day, "good", "good", "bad", "good", "bad"), ratings("zd", sdk.RatingCSAT, day, "5", "5", "5", "5", "5")...)}, // 3.4
			want: []string{"csat:ic:2026-12-07"}, msg: "3.40"},
		{name: "csat a re-rated ticket counts its latest rating", cfg: only(RuleCSAT),
			in: Input{Recent: append(ratings("zd", sdk.RatingCSAT, day, "5", "4", "4", "4", "1"),
				entry("zd", "csat-zd-4", "rating:again", store.TimelineRating, "csat:5", day-time.Hour))}},
		{name: "first response beyond 2x", cfg: only(RuleFirstResponse), clock: Clock{Policy: sla.DefaultPolicy()},
			in:   Input{Timelines: map[store.TicketKey][]store.TimelineEntry{{Connector: "zd", TicketID: "1"}: frt("1", 0, "P1"), {Connector: "zd", TicketID: "2"}: frt("2", 130*time.Minute, "P1"), {Connector: "zd", TicketID: "3"}: frt("3", 110*time.Minute, "P1")}},
			want: []string{"first_response:zd/1:sla-period-1", "first_response:zd/2:sla-period-1"}, msg: "has waited 2h30m0s against an SLA of 1h0m0s (2.5×)"},
		{name: "first response without a priority uses the default, or is skipped", cfg: only(RuleFirstResponse), clock: Clock{Policy: sla.DefaultPolicy()},
			in: Input{Timelines: map[store.TicketKey][]store.TimelineEntry{{Connector: "zd", TicketID: "1"}: frt("1", 0, "")}}},
		{name: "first response default priority", cfg: only(RuleFirstResponse), clock: Clock{Policy: sla.DefaultPolicy(), DefaultPriority: sdk.P0},
			in:   Input{Timelines: map[store.TicketKey][]store.TimelineEntry{{Connector: "zd", TicketID: "1"}: frt("1", 0, "")}},
			want: []string{"first_response:zd/1:sla-period-1"}},
		{name: "reopen rate over 15%", cfg: only(RuleReopenRate), in: Input{Recent: solves("zd", 10, 2, day)},
			want: []string{"reopen_rate:zd:2026-12-07"}, msg: "20% over the last 7 days (2 of 10"},
		{name: "reopen rate at 10% does not fire", cfg: only(RuleReopenRate), in: Input{Recent: solves("zd", 10, 1, day)}},
		{name: "reopen rate with too few solves does not fire", cfg: only(RuleReopenRate), in: Input{Recent: solves("zd", 9, 5, day)}},
		{name: "repeat customer with 3 tickets in 7 days", cfg: only(RuleRepeatCustomer),
			in: Input{Created: slices.Concat(created("zd", "ann", day, "1", "2"), created("zd", "ann", 6*day, "3"),
				created("zd", "bob", day, "4", "5"), created("zd", "bob", 8*day, "6"), created("fd", "ann", day, "7"))},
			want: []string{"repeat_customer:zd/ann:2026-W50"}, msg: "customer ann on zd opened 3 tickets"},
		{name: "nps detractors 0-6 fire once per rating", cfg: only(RuleNPSDetractor),
			in:   Input{Recent: ratings("zd", sdk.RatingNPS, day, "6", "7", "0", "10")},
			want: []string{"nps_detractor:zd/nps-zd-0:rating:nps-zd-0", "nps_detractor:zd/nps-zd-2:rating:nps-zd-2"}, msg: "score 6"},
		{name: "nps max_score 5", cfg: func() Config { c := only(RuleNPSDetractor); c.NPSDetractor.MaxScore = 5; return c }(),
			in:   Input{Recent: ratings("zd", sdk.RatingNPS, day, "6", "5")},
			want: []string{"nps_detractor:zd/nps-zd-1:rating:nps-zd-1"}},
		{name: "a csat rule with a week period", cfg: func() Config {
			c := only(RuleCSAT)
			c.CSAT.Period = PeriodWeek
			c.CSAT.Window = config.Duration(day)
			return c
		}(),
			in:   Input{Recent: ratings("zd", sdk.RatingCSAT, time.Hour, "1", "2", "3", "4", "5")},
			want: []string{"csat:zd:2026-W50"}, msg: "over the last day"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Now = now
			got, err := tc.cfg.Evaluate(tc.in, tc.clock)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			var keys []string
			for _, a := range got {
				keys = append(keys, a.Key)
				if !a.FiredAt.Equal(now) {
					t.Errorf("alert %s fired at %s, want %s", a.Key, a.FiredAt, now)
				}
			}
			if !slices.Equal(keys, tc.want) {
				t.Fatalf("alerts = %v, want %v", keys, tc.want)
			}
			if tc.msg != "" && !strings.Contains(got[0].Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", got[0].Message, tc.msg)
			}
			again, _ := tc.cfg.Evaluate(tc.in, tc.clock)
			if len(again) != len(got) || (len(got) > 0 && again[0].Key != got[0].Key) {
				t.Errorf("a second evaluation gave %v, want the same keys", again)
			}
		})
	}
}
