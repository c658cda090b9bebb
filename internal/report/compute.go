package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// Reasons given for unknown metrics.
const (
	unknownNoTickets   = "no tickets created in the week"
	unknownNoDecisions = "heard recorded no decisions for the week's tickets"
	unknownNoSolved    = "no tickets solved or reopened in the week"
	unknownNoRatings   = "no ratings given in the week (the desk may not collect them)"
	unknownNoNPS       = "no NPS ratings given in the week (the desk may not collect them)"
	unknownDeflection  = "heard sees tickets, not the help-centre visits that ended without one"
)

// facts are one ticket's facts the metrics read.
type facts struct {
	t          *ticket
	created    time.Time // zero without a created entry
	firstReply time.Time // first public agent reply before the first solve
	frDue      time.Time // first response due, from heard's first decision with an SLA
	priority   string
	category   string
	tags       []string
	requester  string
	autoReply  bool
	escalated  bool
	churn      *enrich.Explanation // the decision with the highest churn score
}

func factsOf(t *ticket) facts {
	f := facts{t: t, priority: "unknown"}
	solvedOnce := false
	for _, e := range t.timeline {
		switch e.Kind {
		case store.TimelineCreated:
			if f.created.IsZero() {
				f.created = e.At
			}
		case store.TimelineAgentReply:
			if !solvedOnce && f.firstReply.IsZero() && !f.created.IsZero() && !e.At.Before(f.created) {
				f.firstReply = e.At
			}
		case store.TimelineSolved:
			solvedOnce = true
		case store.TimelinePriority:
			if e.Value != "" {
				f.priority = e.Value
			}
		}
	}
	for i := range t.decisions {
		d := &t.decisions[i]
		if d.exp.Priority != sdk.PriorityUnknown {
			f.priority = string(d.exp.Priority) // heard's latest decision wins
		}
		if d.category != "" {
			f.category = d.category
		} else if d.exp.PrimaryTag != "" {
			f.category = d.exp.PrimaryTag
		}
		if len(d.exp.Tags) > 0 || d.exp.PrimaryTag != "" {
			f.tags = tagsOf(d.exp)
		}
		if d.requester != "" {
			f.requester = d.requester
		}
		if f.frDue.IsZero() && d.exp.SLA != nil && !d.exp.SLA.FirstResponseDue.IsZero() {
			f.frDue = d.exp.SLA.FirstResponseDue
		}
		if d.exp.AutoReply != nil && d.exp.AutoReply.Sent {
			f.autoReply = true
		}
		if len(d.exp.Route.Escalations) > 0 {
			f.escalated = true
		}
		if f.churn == nil || d.exp.Churn.Score > f.churn.Churn.Score {
			f.churn = &d.exp
		}
	}
	return f
}

func tagsOf(e enrich.Explanation) []string {
	var out []string
	if e.PrimaryTag != "" {
		out = append(out, e.PrimaryTag)
	}
	for _, t := range e.Tags {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func in(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// weekCalc is the metrics of one week over all tickets' facts.
type weekCalc struct {
	w       Week
	now     time.Time
	created []facts // created in the week
	all     []facts
}

func newWeekCalc(all []facts, w Week, now time.Time) weekCalc {
	c := weekCalc{w: w, now: now, all: all}
	for _, f := range all {
		if !f.created.IsZero() && in(f.created, w.Start(), w.End()) {
			c.created = append(c.created, f)
		}
	}
	return c
}

func compute(tickets []*ticket, o Options, first Week) *Report {
	all := make([]facts, 0, len(tickets))
	for _, t := range tickets {
		all = append(all, factsOf(t))
	}
	w := o.Week
	c := newWeekCalc(all, w, o.Now)
	prev := newWeekCalc(all, w.Prev(), o.Now)
	r := &Report{Week: w.String(), From: w.Start(), To: w.End(), Connector: o.Connector, GeneratedAt: o.Now}

	r.Volume = Volume{Total: len(c.created), ByPriority: c.byPriority(), ByCategory: withPrevious(c.byCategory(), prev.byCategory())}
	r.FirstResponse, r.SLA, r.FRTByPriority = c.firstResponse()
	r.Resolution, r.FirstContact, r.Reopen = c.solving()
	r.Customers = c.customers()
	r.CSAT, r.NPS = c.ratings()
	r.Automation = c.share(func(f facts) bool { return f.autoReply })
	r.Escalation = c.share(func(f facts) bool { return f.escalated })
	r.Deflection = Ratio{Unknown: unknownDeflection}
	r.Backlog = c.backlog()
	r.Voice = Voice{Themes: top(withPrevious(c.themes(), prev.themes()), 10),
		FeatureRequests: top(withPrevious(c.featureRequests(), prev.featureRequests()), 10), AtRisk: c.atRisk()}
	for wk := first; ; wk = WeekOf(wk.End()) {
		wc := c
		if wk != w {
			wc = newWeekCalc(all, wk, o.Now)
		}
		frt, sla, _ := wc.firstResponse()
		_, _, reopen := wc.solving()
		csat, _ := wc.ratings()
		r.Trend = append(r.Trend, WeekPoint{Week: wk.String(), Volume: len(wc.created), FRTMeanSeconds: frt.MeanSeconds,
			FRTP95Seconds: frt.P95Seconds, SLAPercent: sla.Percent, ByPriority: wc.byPriority(), ReopenPercent: reopen.Percent,
			SolvedInWeek: reopen.Of, CSATSatisfiedPc: csat.SatisfiedPercent})
		if wk == w {
			break
		}
	}
	return r
}

var priorities = []string{string(sdk.P0), string(sdk.P1), string(sdk.P2), string(sdk.P3)}

func (c weekCalc) byPriority() []Count {
	n := map[string]int{}
	for _, f := range c.created {
		n[f.priority]++
	}
	out := make([]Count, 0, len(priorities)+1)
	for _, p := range priorities {
		out = append(out, Count{Name: p, Count: n[p]})
		delete(n, p)
	}
	return append(out, sorted(n)...)
}

func (c weekCalc) byCategory() []Count {
	n := map[string]int{}
	for _, f := range c.created {
		cat := f.category
		if cat == "" {
			cat = "uncategorized"
		}
		n[cat]++
	}
	return sorted(n)
}

// sorted returns the counts, largest first, then by name.
func sorted(n map[string]int) []Count {
	out := make([]Count, 0, len(n))
	for k, v := range n {
		out = append(out, Count{Name: k, Count: v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// withPrevious sets each count's Previous from prev (0 when absent) and
// re-sorts: the largest first.
func withPrevious(cur, prev []Count) []Count {
	p := map[string]int{}
	for _, c := range prev {
		p[c.Name] = c.Count
	}
	for i := range cur {
		v := p[cur[i].Name]
		cur[i].Previous = &v
	}
	return cur
}

func top(c []Count, n int) []Count {
	if len(c) > n {
		return c[:n]
	}
	return c
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func summarize(ds []time.Duration, pending int) Durations {
	out := Durations{Count: len(ds), Pending: pending}
	if len(ds) == 0 {
		return out
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	mean := seconds(sum) / float64(len(ds))
	p95 := seconds(ds[int(math.Ceil(0.95*float64(len(ds))))-1])
	out.MeanSeconds, out.P95Seconds = &mean, &p95
	return out
}

func percent(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(of)
	return &v
}

func (c weekCalc) firstResponse() (Durations, Compliance, []PriorityFRT) {
	var ds []time.Duration
	pending := 0
	var sla Compliance
	type acc struct {
		ds, targets   []time.Duration
		met, breached int
	}
	per := map[string]*acc{}
	for _, p := range priorities {
		per[p] = &acc{}
	}
	for _, f := range c.created {
		a := per[f.priority]
		if a == nil {
			a = &acc{}
			per[f.priority] = a
		}
		if f.firstReply.IsZero() {
			pending++
		} else {
			ds = append(ds, f.firstReply.Sub(f.created))
			a.ds = append(a.ds, f.firstReply.Sub(f.created))
		}
		if f.frDue.IsZero() {
			sla.NoSLA++
			continue
		}
		target := f.frDue.Sub(f.created)
		a.targets = append(a.targets, target)
		switch {
		case !f.firstReply.IsZero() && !f.firstReply.After(f.frDue):
			sla.Met++
			a.met++
		case !f.firstReply.IsZero() || c.now.After(f.frDue):
			sla.Breached++
			a.breached++
			end := f.firstReply
			if end.IsZero() {
				end = c.now
			}
			if end.Sub(f.created) > 2*target {
				sla.Beyond2x++
			}
		default:
			sla.Pending++
		}
	}
	sla.Percent = percent(sla.Met, sla.Met+sla.Breached)
	var byPrio []PriorityFRT
	names := append([]string(nil), priorities...)
	for p := range per {
		if !slices.Contains(names, p) {
			names = append(names, p)
		}
	}
	slices.Sort(names[len(priorities):])
	for _, p := range names {
		a := per[p]
		s := summarize(a.ds, 0)
		pf := PriorityFRT{Priority: p, Count: len(a.ds), MeanSeconds: s.MeanSeconds, CompliancePercent: percent(a.met, a.met+a.breached)}
		if len(a.targets) > 0 {
			t := summarize(a.targets, 0)
			pf.TargetSeconds = t.MeanSeconds
		}
		if pf.Count == 0 && pf.TargetSeconds == nil && p == "unknown" {
			continue
		}
		byPrio = append(byPrio, pf)
	}
	return summarize(ds, pending), sla, byPrio
}

// solving measures the tickets solved or reopened in the week.
func (c weekCalc) solving() (Durations, Ratio, Ratio) {
	from, to := c.w.Start(), c.w.End()
	var ds []time.Duration
	var solved, fcr, touched, reopened int
	for _, f := range c.all {
		var lastSolve time.Time
		wasReopened, reopenedInWeek, everReopened := false, false, false
		replies, repliesAtSolve := 0, 0
		for _, e := range f.t.timeline {
			switch e.Kind {
			case store.TimelineAgentReply:
				replies++
			case store.TimelineSolved:
				if in(e.At, from, to) {
					lastSolve, repliesAtSolve, wasReopened = e.At, replies, everReopened
				}
			case store.TimelineReopened:
				everReopened = true
				if in(e.At, from, to) {
					reopenedInWeek = true
				}
			}
		}
		if !lastSolve.IsZero() || reopenedInWeek {
			touched++
		}
		if reopenedInWeek {
			reopened++
		}
		if lastSolve.IsZero() {
			continue
		}
		solved++
		if !f.created.IsZero() {
			ds = append(ds, lastSolve.Sub(f.created))
		}
		if repliesAtSolve <= 1 && !wasReopened && !everReopened {
			fcr++
		}
	}
	fc := Ratio{Count: fcr, Of: solved, Percent: percent(fcr, solved)}
	if solved == 0 {
		fc.Unknown = "no tickets solved in the week"
	}
	ro := Ratio{Count: reopened, Of: touched, Percent: percent(reopened, touched)}
	if touched == 0 {
		ro.Unknown = unknownNoSolved
	}
	return summarize(ds, 0), fc, ro
}

func (c weekCalc) customers() Customers {
	n := map[string]int{}
	withReq := 0
	for _, f := range c.created {
		if f.requester != "" {
			n[f.requester]++
			withReq++
		}
	}
	out := Customers{Known: len(n), Repeat: []Count{}}
	if len(n) > 0 {
		v := float64(withReq) / float64(len(n))
		out.TicketsPerCustomer = &v
	}
	for _, c := range sorted(n) {
		if c.Count >= 2 {
			out.Repeat = append(out.Repeat, c)
		}
	}
	return out
}

func (c weekCalc) ratings() (CSAT, NPS) {
	from, to := c.w.Start(), c.w.End()
	var cs CSAT
	var nps NPS
	var sum, fives, satisfied, scored int
	for _, f := range c.all {
		for _, e := range f.t.timeline {
			if e.Kind != store.TimelineRating || !in(e.At, from, to) {
				continue
			}
			scale, score, _ := strings.Cut(e.Value, ":")
			switch scale {
			case sdk.RatingCSAT:
				v, err := strconv.Atoi(score)
				if err != nil || v < 1 || v > 5 {
					continue
				}
				cs.Count++
				fives++
				sum += v
				scored++
				if v >= 4 {
					satisfied++
				}
			case sdk.RatingGoodBad:
				if score != "good" && score != "bad" {
					continue
				}
				cs.Count++
				scored++
				if score == "good" {
					satisfied++
				}
			case sdk.RatingNPS:
				v, err := strconv.Atoi(score)
				if err != nil || v < 0 || v > 10 {
					continue
				}
				nps.Count++
				switch {
				case v >= 9:
					nps.Promoters++
				case v >= 7:
					nps.Passives++
				default:
					nps.Detractors++
				}
			}
		}
	}
	if fives > 0 {
		m := float64(sum) / float64(fives)
		cs.Mean = &m
	}
	cs.SatisfiedPercent = percent(satisfied, scored)
	if cs.Count == 0 {
		cs.Unknown = unknownNoRatings
	}
	if nps.Count > 0 {
		s := 100 * float64(nps.Promoters-nps.Detractors) / float64(nps.Count)
		nps.Score = &s
	} else {
		nps.Unknown = unknownNoNPS
	}
	return cs, nps
}

// share is the ratio of the week's tickets with a decision for which
// yes holds.
func (c weekCalc) share(yes func(facts) bool) Ratio {
	if len(c.created) == 0 {
		return Ratio{Unknown: unknownNoTickets}
	}
	var r Ratio
	for _, f := range c.created {
		if len(f.t.decisions) == 0 {
			continue
		}
		r.Of++
		if yes(f) {
			r.Count++
		}
	}
	r.Percent = percent(r.Count, r.Of)
	if r.Of == 0 {
		r.Unknown = unknownNoDecisions
	}
	return r
}

// backlog counts the tickets open at the end of the week, or now while
// the week runs.
func (c weekCalc) backlog() Backlog {
	at := c.w.End()
	if c.now.Before(at) {
		at = c.now
	}
	b := Backlog{At: at}
	for _, f := range c.all {
		if f.created.IsZero() || !f.created.Before(at) {
			continue
		}
		state := ""
		for _, e := range f.t.timeline {
			if e.At.Before(at) && slices.Contains(store.TimelineStateKinds, e.Kind) {
				state = e.Value
			}
		}
		if state == string(sdk.StatusSolved) || state == string(sdk.StatusClosed) {
			continue
		}
		b.Open++
		if b.Oldest == nil || f.created.Before(b.Oldest.CreatedAt) {
			b.Oldest = &OpenTicket{Connector: f.t.key.Connector, TicketID: f.t.key.TicketID, CreatedAt: f.created,
				AgeSeconds: seconds(at.Sub(f.created))}
		}
	}
	return b
}

func (c weekCalc) themes() []Count {
	n := map[string]int{}
	for _, f := range c.created {
		for _, t := range f.tags {
			n[t]++
		}
	}
	return sorted(n)
}

func (c weekCalc) featureRequests() []Count {
	n := map[string]int{}
	for _, f := range c.created {
		if !slices.Contains(f.tags, policy.TagFeatureRequest) {
			continue
		}
		other := 0
		for _, t := range f.tags {
			if t != policy.TagFeatureRequest {
				n[t]++
				other++
			}
		}
		if other == 0 {
			n["(no other tag)"]++
		}
	}
	return sorted(n)
}

// atRisk lists the requesters of tickets active in the week whose
// highest churn level is high or above, or who were sent to the retention
// flow.
func (c weekCalc) atRisk() []Account {
	from, to := c.w.Start(), c.w.End()
	byReq := map[string]*Account{}
	for _, f := range c.all {
		if f.churn == nil {
			continue
		}
		active := false
		for _, e := range f.t.timeline {
			if in(e.At, from, to) {
				active = true
				break
			}
		}
		ch := f.churn.Churn
		if !active || (!ch.RetentionFlow && (ch.Level == "" || ch.Level == policy.ChurnHealthy || ch.Level == policy.ChurnWatch)) {
			continue
		}
		who := f.requester
		if who == "" {
			who = "ticket " + f.t.key.TicketID
		}
		a := byReq[who]
		if a == nil {
			a = &Account{Requester: who, Signals: []string{}}
			byReq[who] = a
		}
		if ch.Score >= a.Score {
			a.Score, a.Level = ch.Score, ch.Level
		}
		for _, s := range ch.Signals {
			if !slices.Contains(a.Signals, s.Name) {
				a.Signals = append(a.Signals, s.Name)
			}
		}
		a.Tickets = append(a.Tickets, f.t.key.Connector+"/"+f.t.key.TicketID)
	}
	out := make([]Account, 0, len(byReq))
	for _, a := range byReq {
		slices.Sort(a.Signals)
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Account) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Requester, b.Requester))
	})
	return out
}
