package report

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/enrich/churn"
	"github.com/heardhq/heard/enrich/draft"
	"github.com/heardhq/heard/enrich/route"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// at is a time in week 2026-W49 (Monday 30 November) or around it, UTC.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, time.UTC)
}

var (
	w49 = Week{2026, 49}
	now = at(12, 9, 12, 0)
)

// seeder adds one ticket's timeline and decisions.
type seeder struct {
	t   *testing.T
	s   store.Store
	seq int
}

func (sd *seeder) entry(ticket, kind string, when time.Time, value string) {
	sd.t.Helper()
	sd.seq++
	e := store.TimelineEntry{Connector: "acme", TicketID: ticket, Key: kind + ":" + when.Format(time.RFC3339) + ":" + value, Kind: kind, At: when, Value: value}
	if _, err := sd.s.AddTimeline(sd.t.Context(), e); err != nil {
		sd.t.Fatalf("AddTimeline: %v", err)
	}
}

func (sd *seeder) decision(ticket, requester string, when time.Time, exp enrich.Explanation) {
	sd.t.Helper()
	sd.seq++
	detail, err := json.Marshal(pipeline.Detail[enrich.Explanation]{Ticket: sdk.TicketRef{Connector: "acme", ID: ticket}, Decision: &exp})
	if err != nil {
		sd.t.Fatal(err)
	}
	r := store.Record{EventKey: "ev-" + ticket + "-" + when.Format(time.RFC3339), Connector: "acme", Kind: sdk.EventTicketCreated, TicketID: ticket,
		Status: "processed", Category: exp.PrimaryTag, Requester: requester, Attempt: 1, Detail: detail, ProcessedAt: when}
	if ok, err := sd.s.SaveRecord(sd.t.Context(), r); err != nil || !ok {
		sd.t.Fatalf("SaveRecord: %v %v", ok, err)
	}
}

func due(created time.Time, h float64) *enrich.SLAView {
	return &enrich.SLAView{FirstResponseDue: created.Add(time.Duration(h * float64(time.Hour))), ResolutionDue: created.Add(72 * time.Hour)}
}

// seedWeek stores the hand-worked week described in TestHandComputedWeek.
func seedWeek(t *testing.T, s store.Store) {
	sd := &seeder{t: t, s: s}
	// 1: P1 billing, alice; reply after 1h (SLA 4h, met), solved after 3h, CSAT 5.
	c1 := at(11, 30, 9, 0)
	sd.entry("1", store.TimelineCreated, c1, "new")
	sd.entry("1", store.TimelineAgentReply, c1.Add(time.Hour), "m1")
	sd.entry("1", store.TimelineSolved, c1.Add(3*time.Hour), "solved")
	sd.entry("1", store.TimelineRating, at(12, 1, 9, 0), "csat:5")
	sd.decision("1", "alice", c1.Add(time.Minute), enrich.Explanation{Priority: sdk.P1, PrimaryTag: "billing", SLA: due(c1, 4)})
	// 2: P2 bug, alice, escalated, churn high; reply after 12h (SLA 8h,
	// breached), a second reply, solved after 26h, reopened, CSAT 2.
	c2 := at(12, 1, 8, 0)
	sd.entry("2", store.TimelineCreated, c2, "open")
	sd.entry("2", store.TimelineAgentReply, c2.Add(12*time.Hour), "m2")
	sd.entry("2", store.TimelineAgentReply, at(12, 2, 9, 0), "m3")
	sd.entry("2", store.TimelineSolved, at(12, 2, 10, 0), "solved")
	sd.entry("2", store.TimelineReopened, at(12, 3, 9, 0), "open")
	sd.entry("2", store.TimelineRating, at(12, 3, 10, 0), "csat:2")
	sd.decision("2", "alice", c2.Add(time.Minute), enrich.Explanation{Priority: sdk.P2, PrimaryTag: "bug", SLA: due(c2, 8),
		Route: route.Decision{Escalations: []route.Notice{{}}},
		Churn: churn.Result{Score: 55, Level: "high", Signals: []churn.Signal{{Name: "competitor"}, {Name: "cancel_intent"}}}})
	// 3: P3 feature request (reporting), bob, auto-replied; no agent reply
	// ever: breached, beyond twice its 24h SLA.
	c3 := at(12, 2, 10, 0)
	sd.entry("3", store.TimelineCreated, c3, "new")
	sd.decision("3", "bob", c3.Add(time.Minute), enrich.Explanation{Priority: sdk.P3, PrimaryTag: "feature-request",
		Tags: []string{"reporting"}, SLA: due(c3, 24), AutoReply: &draft.AutoReplyDecision{Allowed: true, Sent: true}})
	// 4: P1 billing, carol; reply after 30m, waits, solved after 1h; NPS 3
	// (a detractor) and a "good".
	c4 := at(12, 4, 15, 0)
	sd.entry("4", store.TimelineCreated, c4, "new")
	sd.entry("4", store.TimelineAgentReply, c4.Add(30*time.Minute), "m4")
	sd.entry("4", store.TimelineWaiting, c4.Add(30*time.Minute), "pending")
	sd.entry("4", store.TimelineSolved, c4.Add(time.Hour), "solved")
	sd.entry("4", store.TimelineRating, at(12, 5, 9, 0), "nps:3")
	sd.entry("4", store.TimelineRating, at(12, 5, 9, 1), "good_bad:good")
	sd.decision("4", "carol", c4.Add(time.Minute), enrich.Explanation{Priority: sdk.P1, PrimaryTag: "billing", SLA: due(c4, 4)})
	// 5: the week before, P2 billing, dave; replied in 1h (SLA 8h), never solved.
	c5 := at(11, 24, 10, 0)
	sd.entry("5", store.TimelineCreated, c5, "new")
	sd.entry("5", store.TimelineAgentReply, c5.Add(time.Hour), "m5")
	sd.decision("5", "dave", c5.Add(time.Minute), enrich.Explanation{Priority: sdk.P2, PrimaryTag: "billing", SLA: due(c5, 8)})
	// 6: no decision recorded; P0 on the desk; reply after 30m, solved after 1h.
	c6 := at(12, 5, 10, 0)
	sd.entry("6", store.TimelineCreated, c6, "new")
	sd.entry("6", store.TimelinePriority, c6, "P0")
	sd.entry("6", store.TimelineAgentReply, c6.Add(30*time.Minute), "m6")
	sd.entry("6", store.TimelineSolved, c6.Add(time.Hour), "solved")
	// 7: another connector, excluded by --connector acme... and counted without.
	if _, err := s.AddTimeline(t.Context(), store.TimelineEntry{Connector: "other", TicketID: "1", Key: "created", Kind: store.TimelineCreated,
		At: c1, Value: "new"}); err != nil {
		t.Fatal(err)
	}
}

func openSQLite(t *testing.T) store.Store {
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openPostgres(t *testing.T) store.Store {
	s, err := postgres.Open(t.Context(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestReportHandComputedWeekSQLite(t *testing.T) { testHandComputedWeek(t, openSQLite(t)) }

func TestReportHandComputedWeekPostgres(t *testing.T) { testHandComputedWeek(t, openPostgres(t)) }

func near(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-6 }

func wantNear(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if !near(got, want) {
		if got == nil {
			t.Errorf("%s = unknown, want %v", name, want)
		} else {
			t.Errorf("%s = %v, want %v", name, *got, want)
		}
	}
}

func wantInt(t *testing.T, name string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", name, got, want)
	}
}

func countsOf(cs []Count) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[c.Name] = c.Count
	}
	return m
}

func testHandComputedWeek(t *testing.T, s store.Store) {
	seedWeek(t, s)
	r, err := Build(t.Context(), s, Options{Week: w49, Connector: "acme", Now: now})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	h := 3600.0
	wantInt(t, "volume", r.Volume.Total, 5)
	if got, want := countsOf(r.Volume.ByPriority), map[string]int{"P0": 1, "P1": 2, "P2": 1, "P3": 1}; !mapsEqual(got, want) {
		t.Errorf("by priority = %v, want %v", got, want)
	}
	if got, want := countsOf(r.Volume.ByCategory), map[string]int{"billing": 2, "bug": 1, "feature-request": 1, "uncategorized": 1}; !mapsEqual(got, want) {
		t.Errorf("by category = %v, want %v", got, want)
	}
	if r.Volume.ByCategory[0].Name != "billing" || *r.Volume.ByCategory[0].Previous != 1 {
		t.Errorf("top category = %+v, want billing with 1 the week before", r.Volume.ByCategory[0])
	}
	// First response: 1h, 12h, 30m, 30m; ticket 3 waits.
	wantInt(t, "replied", r.FirstResponse.Count, 4)
	wantInt(t, "awaiting", r.FirstResponse.Pending, 1)
	wantNear(t, "FRT mean", r.FirstResponse.MeanSeconds, (1+12+0.5+0.5)/4*h)
	wantNear(t, "FRT p95", r.FirstResponse.P95Seconds, 12*h)
	// SLA: 1 and 4 met, 2 and 3 breached (3 beyond 2x), 6 has none.
	if sl := r.SLA; sl.Met != 2 || sl.Breached != 2 || sl.Pending != 0 || sl.NoSLA != 1 || sl.Beyond2x != 1 {
		t.Errorf("SLA = %+v, want met 2 breached 2 pending 0 no SLA 1 beyond 2x 1", sl)
	}
	wantNear(t, "SLA %", r.SLA.Percent, 50)
	byP := map[string]PriorityFRT{}
	for _, p := range r.FRTByPriority {
		byP[p.Priority] = p
	}
	wantNear(t, "P1 mean", byP["P1"].MeanSeconds, 0.75*h)
	wantNear(t, "P1 target", byP["P1"].TargetSeconds, 4*h)
	wantNear(t, "P1 compliance", byP["P1"].CompliancePercent, 100)
	wantNear(t, "P2 compliance", byP["P2"].CompliancePercent, 0)
	wantNear(t, "P3 target", byP["P3"].TargetSeconds, 24*h)
	if byP["P3"].MeanSeconds != nil || byP["P0"].TargetSeconds != nil || byP["P0"].CompliancePercent != nil {
		t.Errorf("P3 mean / P0 target / P0 compliance should be unknown: %+v %+v", byP["P3"], byP["P0"])
	}
	// Resolution: 3h, 26h, 1h, 1h.
	wantInt(t, "solved", r.Resolution.Count, 4)
	wantNear(t, "resolution mean", r.Resolution.MeanSeconds, (3+26+1+1)/4.0*h)
	wantNear(t, "resolution p95", r.Resolution.P95Seconds, 26*h)
	if fc := r.FirstContact; fc.Count != 3 || fc.Of != 4 || !near(fc.Percent, 75) {
		t.Errorf("FCR = %+v, want 3 of 4", fc)
	}
	if ro := r.Reopen; ro.Count != 1 || ro.Of != 4 || !near(ro.Percent, 25) {
		t.Errorf("reopen = %+v, want 1 of 4", ro)
	}
	wantInt(t, "customers", r.Customers.Known, 3)
	wantNear(t, "tickets per customer", r.Customers.TicketsPerCustomer, 4.0/3)
	if len(r.Customers.Repeat) != 1 || r.Customers.Repeat[0] != (Count{Name: "alice", Count: 2}) {
		t.Errorf("repeat customers = %+v, want alice 2", r.Customers.Repeat)
	}
	wantInt(t, "CSAT count", r.CSAT.Count, 3)
	wantNear(t, "CSAT mean", r.CSAT.Mean, 3.5)
	wantNear(t, "CSAT satisfied", r.CSAT.SatisfiedPercent, 200.0/3)
	if n := r.NPS; n.Count != 1 || n.Detractors != 1 || !near(n.Score, -100) {
		t.Errorf("NPS = %+v, want one detractor, -100", n)
	}
	if a := r.Automation; a.Count != 1 || a.Of != 4 || !near(a.Percent, 25) {
		t.Errorf("automation = %+v, want 1 of 4 tickets with decisions", a)
	}
	if e := r.Escalation; e.Count != 1 || e.Of != 4 {
		t.Errorf("escalation = %+v, want 1 of 4", e)
	}
	if r.Deflection.Percent != nil || r.Deflection.Unknown == "" {
		t.Errorf("deflection = %+v, want unknown with a reason", r.Deflection)
	}
	wantInt(t, "backlog", r.Backlog.Open, 3)
	if o := r.Backlog.Oldest; o == nil || o.TicketID != "5" || o.AgeSeconds != (12*24+14)*h {
		t.Errorf("oldest open = %+v, want ticket 5 open 12d 14h", o)
	}
	if got, want := countsOf(r.Voice.Themes), map[string]int{"billing": 2, "bug": 1, "feature-request": 1, "reporting": 1}; !mapsEqual(got, want) {
		t.Errorf("themes = %v, want %v", got, want)
	}
	if fr := r.Voice.FeatureRequests; len(fr) != 1 || fr[0].Name != "reporting" || fr[0].Count != 1 || *fr[0].Previous != 0 {
		t.Errorf("feature requests = %+v, want reporting 1 (0 before)", fr)
	}
	if ar := r.Voice.AtRisk; len(ar) != 1 || ar[0].Requester != "alice" || ar[0].Level != "high" || ar[0].Score != 55 ||
		!slices.Equal(ar[0].Signals, []string{"cancel_intent", "competitor"}) || !slices.Equal(ar[0].Tickets, []string{"acme/2"}) {
		t.Errorf("at risk = %+v, want alice high 55 [cancel_intent competitor] acme/2", ar)
	}
	if len(r.Trend) != DefaultWeeks || r.Trend[7].Week != "2026-W49" || r.Trend[6].Week != "2026-W48" || r.Trend[0].Week != "2026-W42" {
		t.Fatalf("trend weeks = %+v", r.Trend)
	}
	if p := r.Trend[6]; p.Volume != 1 || !near(p.FRTMeanSeconds, h) || !near(p.SLAPercent, 100) {
		t.Errorf("W48 = %+v, want 1 ticket, FRT 1h, SLA 100%%", p)
	}
	if p := r.Trend[0]; p.Volume != 0 || p.FRTMeanSeconds != nil || p.SLAPercent != nil {
		t.Errorf("W42 = %+v, want 0 tickets and unknown FRT and SLA", p)
	}
	// Without the connector filter, the other connector's ticket counts.
	all, err := Build(t.Context(), s, Options{Week: w49, Now: now})
	if err != nil {
		t.Fatalf("Build all: %v", err)
	}
	wantInt(t, "volume, all connectors", all.Volume.Total, 6)
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
