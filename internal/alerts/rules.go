package alerts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/enrich/timeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Rule names, as stored and shown.
const (
	RuleCSAT           = "csat"
	RuleFirstResponse  = "first_response"
	RuleReopenRate     = "reopen_rate"
	RuleRepeatCustomer = "repeat_customer"
	RuleNPSDetractor   = "nps_detractor"
)

// Input is what the rules look at, read from the store at Now.
type Input struct {
	Now time.Time
	// Recent are the timeline entries of every ticket since Now less the
	// longest window or lookback (Config.Since), in time order.
	Recent []store.TimelineEntry
	// Created are the tickets created since Now less the repeat-customer
	// window.
	Created []store.CreatedTicket
	// Timelines are the whole timelines of the tickets the first-response
	// rule checks: the open ones and those in Recent.
	Timelines map[store.TicketKey][]store.TimelineEntry
}

// Clock is the SLA side of the first-response rule.
type Clock struct {
	Policy sla.Policy
	// DefaultPriority is the priority of a ticket whose timeline has none;
	// "" skips such tickets.
	DefaultPriority sdk.Priority
}

// Since is how far back Input.Recent must reach at now.
func (c Config) Since(now time.Time) time.Time {
	longest := max(c.CSAT.Window, c.ReopenRate.Window, c.FirstResponse.Lookback, c.NPSDetractor.Lookback)
	return now.Add(-longest.Std())
}

// Evaluate returns the alerts whose conditions hold in in, ordered by
// rule then key. The same condition in the same period gives the same
// Key, so storing them again stores nothing new.
func (c Config) Evaluate(in Input, clock Clock) ([]store.Alert, error) {
	var out []store.Alert
	if c.CSAT.Enabled {
		out = append(out, c.csat(in)...)
	}
	if c.FirstResponse.Enabled {
		a, err := c.firstResponse(in, clock)
		if err != nil {
			return nil, err
		}
		out = append(out, a...)
	}
	if c.ReopenRate.Enabled {
		out = append(out, c.reopenRate(in)...)
	}
	if c.RepeatCustomer.Enabled {
		out = append(out, c.repeatCustomer(in)...)
	}
	if c.NPSDetractor.Enabled {
		out = append(out, c.npsDetractor(in)...)
	}
	for i := range out {
		out[i].FiredAt = in.Now
		out[i].Key = out[i].Rule + ":" + out[i].Subject + ":" + out[i].Period
	}
	return out, nil
}

// rating splits a rating entry's value "<scale>:<score>".
func rating(e store.TimelineEntry) (scale, score string) {
	scale, score, _ = strings.Cut(e.Value, ":")
	return scale, score
}

// csat averages, per connector, each ticket's latest 1–5 rating given in
// the window (good/bad as 5/1 when configured).
func (c Config) csat(in Input) []store.Alert {
	from := in.Now.Add(-c.CSAT.Window.Std())
	latest := map[store.TicketKey]float64{}
	for _, e := range in.Recent {
		if e.Kind != store.TimelineRating || e.At.Before(from) || e.At.After(in.Now) {
			continue
		}
		var v float64
		switch scale, score := rating(e); {
		case scale == sdk.RatingCSAT:
			n, err := strconv.Atoi(score)
			if err != nil || n < 1 || n > 5 {
				continue
			}
			v = float64(n)
		case scale == sdk.RatingGoodBad && c.CSAT.GoodBad && score == "good":
			v = 5
		case scale == sdk.RatingGoodBad && c.CSAT.GoodBad && score == "bad":
			v = 1
		default:
			continue
		}
		latest[store.TicketKey{Connector: e.Connector, TicketID: e.TicketID}] = v
	}
	sum, n := map[string]float64{}, map[string]int{}
	for k, v := range latest {
		sum[k.Connector] += v
		n[k.Connector]++
	}
	var out []store.Alert
	for _, conn := range sortedKeys(n) {
		avg := sum[conn] / float64(n[conn])
		if n[conn] < c.CSAT.MinRatings || avg >= c.CSAT.Below {
			continue
		}
		out = append(out, store.Alert{Rule: RuleCSAT, Subject: conn, Period: periodOf(c.CSAT.Period, in.Now),
			Message: fmt.Sprintf("CSAT on %s is %.2f over the last %s (%d ratings), under %.2f: review the last 20 tickets for patterns",
				conn, avg, days(c.CSAT.Window.Std()), n[conn], c.CSAT.Below)})
	}
	return out
}

// firstResponse checks every SLA period of the tickets in in.Timelines.
func (c Config) firstResponse(in Input, clock Clock) ([]store.Alert, error) {
	keys := make([]store.TicketKey, 0, len(in.Timelines))
	for k := range in.Timelines {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b store.TicketKey) int {
		return strings.Compare(a.Connector+"\x00"+a.TicketID, b.Connector+"\x00"+b.TicketID)
	})
	var out []store.Alert
	for _, k := range keys {
		entries := in.Timelines[k]
		prio := sdk.Priority(timeline.Latest(entries, store.TimelinePriority))
		if prio == sdk.PriorityUnknown {
			prio = clock.DefaultPriority
		}
		if prio == sdk.PriorityUnknown {
			continue
		}
		clk, err := clock.Policy.Clock(timeline.ClockEvents(entries), in.Now, prio, timeline.Latest(entries, store.TimelinePlan))
		if err != nil {
			return nil, fmt.Errorf("first response alert of %s/%s: %w", k.Connector, k.TicketID, err)
		}
		for i, p := range clk.Periods {
			m := p.FirstResponse
			if m.Target <= 0 || m.Fraction < c.FirstResponse.Multiple {
				continue
			}
			state := "has waited"
			if m.Stopped {
				state = "took"
			}
			out = append(out, store.Alert{Rule: RuleFirstResponse, Subject: k.Connector + "/" + k.TicketID, Period: "sla-period-" + strconv.Itoa(i+1),
				Message: fmt.Sprintf("first response on %s ticket %s (%s) %s %s against an SLA of %s (%.1f×): check staffing and routing",
					k.Connector, k.TicketID, prio, state, m.Elapsed.Round(time.Minute), m.Target, m.Fraction)})
		}
	}
	return out, nil
}

// reopenRate is, per connector, the share of tickets solved in the window
// that were reopened in it.
func (c Config) reopenRate(in Input) []store.Alert {
	from := in.Now.Add(-c.ReopenRate.Window.Std())
	solved, reopened := map[store.TicketKey]bool{}, map[store.TicketKey]bool{}
	for _, e := range in.Recent {
		if e.At.Before(from) || e.At.After(in.Now) {
			continue
		}
		k := store.TicketKey{Connector: e.Connector, TicketID: e.TicketID}
		switch e.Kind {
		case store.TimelineSolved:
			solved[k] = true
		case store.TimelineReopened:
			reopened[k] = true
		}
	}
	nSolved, nReopened := map[string]int{}, map[string]int{}
	for k := range solved {
		nSolved[k.Connector]++
		if reopened[k] {
			nReopened[k.Connector]++
		}
	}
	var out []store.Alert
	for _, conn := range sortedKeys(nSolved) {
		rate := float64(nReopened[conn]) / float64(nSolved[conn])
		if nSolved[conn] < c.ReopenRate.MinSolved || rate <= c.ReopenRate.Above {
			continue
		}
		out = append(out, store.Alert{Rule: RuleReopenRate, Subject: conn, Period: periodOf(c.ReopenRate.Period, in.Now),
			Message: fmt.Sprintf("reopen rate on %s is %.0f%% over the last %s (%d of %d solved tickets reopened), over %.0f%%: check reply quality",
				conn, rate*100, days(c.ReopenRate.Window.Std()), nReopened[conn], nSolved[conn], c.ReopenRate.Above*100)})
	}
	return out
}

// repeatCustomer counts each customer's new tickets in the window.
func (c Config) repeatCustomer(in Input) []store.Alert {
	from := in.Now.Add(-c.RepeatCustomer.Window.Std())
	type customer struct{ connector, requester string }
	tickets := map[customer][]string{}
	for _, t := range in.Created {
		if t.At.Before(from) || t.At.After(in.Now) {
			continue
		}
		k := customer{t.Connector, t.Requester}
		if !slices.Contains(tickets[k], t.TicketID) {
			tickets[k] = append(tickets[k], t.TicketID)
		}
	}
	var out []store.Alert
	for k, ids := range tickets {
		if len(ids) < c.RepeatCustomer.Tickets {
			continue
		}
		out = append(out, store.Alert{Rule: RuleRepeatCustomer, Subject: k.connector + "/" + k.requester, Period: periodOf(c.RepeatCustomer.Period, in.Now),
			Message: fmt.Sprintf("customer %s on %s opened %d tickets in the last %s (%s): reach out proactively",
				k.requester, k.connector, len(ids), days(c.RepeatCustomer.Window.Std()), strings.Join(ids, ", "))})
	}
	slices.SortFunc(out, func(a, b store.Alert) int { return strings.Compare(a.Subject, b.Subject) })
	return out
}

// npsDetractor fires once per detractor rating entry.
func (c Config) npsDetractor(in Input) []store.Alert {
	from := in.Now.Add(-c.NPSDetractor.Lookback.Std())
	var out []store.Alert
	for _, e := range in.Recent {
		if e.Kind != store.TimelineRating || e.At.Before(from) || e.At.After(in.Now) {
			continue
		}
		scale, score := rating(e)
		n, err := strconv.Atoi(score)
		if scale != sdk.RatingNPS || err != nil || n < 0 || n > c.NPSDetractor.MaxScore {
			continue
		}
		out = append(out, store.Alert{Rule: RuleNPSDetractor, Subject: e.Connector + "/" + e.TicketID, Period: e.Key,
			Message: fmt.Sprintf("NPS detractor on %s ticket %s: score %d at %s: follow up within 24 h",
				e.Connector, e.TicketID, n, e.At.Format(time.RFC3339))})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// days formats a window as "7 days" when it is whole days.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		if n := int(d / (24 * time.Hour)); n != 1 {
			return strconv.Itoa(n) + " days"
		}
		return "day"
	}
	return d.String()
}
