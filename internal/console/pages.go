package console

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/heardhq/heard/enrich"
	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/trace"
	"github.com/heardhq/heard/sdk"
)

// scanLimit is how many of the newest records the overview summarises:
// reading their traces is most of the page's time.
const scanLimit = 1000

// maxTickets is how many tickets the list shows.
const maxTickets = 200

// listLimit is how many of the newest matching records the tickets list
// reads: enough for maxTickets tickets with a few events each. A row's
// event count is of the records read.
const listLimit = 500

// connectorStats is one connector's row on the overview, over the last 24
// hours.
type connectorStats struct {
	Connector   string
	Mode        string
	Events      int64
	Written     int64 // events with a write-back
	AutoReplies int64 // public replies sent
	GateHolds   int64 // fields the gates held back
	Errors      int64 // events with a stage error
	// WriteFailed counts failed write-back attempts, WriteDead the events
	// dead-lettered after one (from the queue's job errors).
	WriteFailed, WriteDead int64
}

// WriteRate is the share of write-back attempts that succeeded, "—" when
// there were none.
func (c connectorStats) WriteRate() string {
	total := c.Written + c.WriteFailed
	if total == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", float64(c.Written)/float64(total)*100)
}

type overviewView struct {
	EventsPerMinute float64
	QueueDepth      int64
	OldestWaiting   string // how long the oldest unfinished job has waited; "" when none
	Queue           []queueState
	Connectors      []connectorStats
	Agreement       agreement.Report
	Alerts          []store.Alert
	Scanned         int       // records summarised
	Limit           int       // at most scanLimit
	Since           time.Time // the start of the connectors' window
}

type queueState struct {
	State string
	Count int64
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.now()
	// The connectors' counts are aggregated by the store over the newest
	// scanLimit records of the last 24 hours.
	sum, err := s.cfg.Store.SummarizeRecords(ctx, store.SummaryFilter{Since: now.Add(-24 * time.Hour), RecentSince: now.Add(-15 * time.Minute), Limit: scanLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := overviewView{Scanned: int(sum.Read), Limit: scanLimit}
	recent := int64(0)
	by := map[string]*connectorStats{}
	for c := range s.cfg.Modes {
		m, _ := s.mode(c) // the overlay's when the console switched it
		by[c] = &connectorStats{Connector: c, Mode: string(m)}
	}
	for _, c := range sum.Connectors {
		st := by[c.Connector]
		if st == nil {
			st = &connectorStats{Connector: c.Connector, Mode: "—"}
			by[c.Connector] = st
		}
		st.Events, st.Written, st.AutoReplies, st.Errors, st.GateHolds = c.Events, c.Written, c.AutoReplies, c.Errors, c.GateHolds
		recent += c.Recent
	}
	v.EventsPerMinute = float64(recent) / 15
	// Failures are counted over the same window as the records read: the
	// last 24 hours, or less when the summary stopped at scanLimit records.
	v.Since = now.Add(-24 * time.Hour)
	if sum.Read == scanLimit && sum.Oldest.After(v.Since) {
		v.Since = sum.Oldest
	}
	fails, err := s.cfg.Store.WriteFailures(ctx, v.Since)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, f := range fails {
		st := by[f.Connector]
		if st == nil {
			st = &connectorStats{Connector: f.Connector, Mode: "—"}
			by[f.Connector] = st
		}
		st.WriteFailed, st.WriteDead = f.Attempts, f.Dead
	}
	for _, k := range slices.Sorted(maps.Keys(by)) {
		v.Connectors = append(v.Connectors, *by[k])
	}
	counts, err := s.cfg.Store.QueueCounts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		v.Queue = append(v.Queue, queueState{k, counts[k]})
		if k == "available" || k == "retryable" || k == "running" || k == "scheduled" {
			v.QueueDepth += counts[k]
		}
	}
	oldest, err := s.cfg.Store.OldestQueued(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !oldest.IsZero() {
		v.OldestWaiting = now.Sub(oldest).Round(time.Second).String()
	}
	week := now.Add(-7 * 24 * time.Hour)
	fb, err := s.cfg.Store.Feedback(ctx, store.FeedbackFilter{Since: week})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]agreement.Feedback, 0, len(fb))
	for _, f := range fb {
		rows = append(rows, agreement.Feedback(f))
	}
	v.Agreement = agreement.Summarize(rows)
	if v.Alerts, err = s.cfg.Store.ListAlerts(ctx, store.AlertFilter{Since: week, Limit: 20}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "overview", "Overview", v)
}

func decode(rec store.Record) (*pipeline.Detail[enrich.Explanation], error) {
	ev, err := trace.FromRecord(rec)
	return ev.Detail, err
}

// ticketFilter is the tickets list's filter, from the query string. It
// holds only identifiers and dates, never ticket text.
type ticketFilter struct {
	Connector, Mode, Priority, Tag, Churn, Status, From, To string
}

// ticketRow is one ticket in the list: its newest event and the newest
// decision heard made for it.
type ticketRow struct {
	Connector, TicketID, Kind, Status, Mode, Priority, Churn string
	Tags                                                     []string
	Events                                                   int
	Last                                                     time.Time
	decided                                                  bool
}

type ticketsView struct {
	Filter     ticketFilter
	Rows       []ticketRow
	Connectors []string
	Truncated  bool
	Error      string
}

func (s *Server) tickets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ticketFilter{Connector: q.Get("connector"), Mode: q.Get("mode"), Priority: q.Get("priority"), Tag: q.Get("tag"),
		Churn: q.Get("churn"), Status: q.Get("status"), From: q.Get("from"), To: q.Get("to")}
	v := ticketsView{Filter: f, Connectors: slices.Sorted(maps.Keys(s.cfg.Modes))}
	var from, to time.Time
	var err error
	if f.From != "" {
		if from, err = time.Parse(time.DateOnly, f.From); err != nil {
			v.Error = "from: want a date like 2026-12-01"
		}
	}
	if f.To != "" {
		if to, err = time.Parse(time.DateOnly, f.To); err != nil {
			v.Error = "to: want a date like 2026-12-01"
		} else {
			to = to.Add(24 * time.Hour)
		}
	}
	// Every filter is applied by the store, over all records; the list
	// then groups the newest matching records by ticket.
	recs, err := s.cfg.Store.Records(r.Context(), store.Filter{Connector: f.Connector, Status: f.Status,
		Mode: f.Mode, Priority: f.Priority, Tag: f.Tag, Churn: f.Churn, Since: from, Before: to, Limit: listLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type key struct{ c, t string }
	rows := map[key]*ticketRow{}
	v.Rows = make([]ticketRow, 0, maxTickets) // never grown: rows points into it
	for _, rec := range recs {
		k := key{rec.Connector, rec.TicketID}
		row := rows[k]
		if row == nil {
			if len(v.Rows) == maxTickets {
				// Older records of the tickets shown still count their
				// events; other tickets are not decoded.
				v.Truncated = true
				continue
			}
			v.Rows = append(v.Rows, ticketRow{Connector: rec.Connector, TicketID: rec.TicketID, Kind: string(rec.Kind), Status: rec.Status, Last: rec.ProcessedAt})
			row = &v.Rows[len(v.Rows)-1]
			rows[k] = row
		}
		row.Events++
		if row.decided {
			continue
		}
		d, err := decode(rec)
		if err != nil || d == nil || d.Decision == nil {
			continue
		}
		x := d.Decision
		row.decided, row.Mode, row.Priority, row.Churn = true, string(d.Mode), string(x.Priority), x.Churn.Level
		row.Tags = tagsOf(x)
	}
	if len(recs) == listLimit {
		v.Truncated = true // older matching records were not read
	}
	s.render(w, r, "tickets", "Tickets", v)
}

type ticketView struct {
	Connector, TicketID string
	URL                 string
	Events              []trace.Event
	Latest              *enrich.Explanation // the newest decision
	Note                string              // the internal note as the agent sees it
	Tags                []string            // the latest decision's tags, primary first
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	connector, id := r.PathValue("connector"), r.PathValue("id")
	events, err := trace.Load(r.Context(), s.cfg.Store, connector, id)
	if errors.Is(err, sdk.ErrNotFound) {
		http.Error(w, "heard has recorded nothing for this ticket", http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := ticketView{Connector: connector, TicketID: id, Events: events}
	if l := s.cfg.Links[connector]; l != nil {
		v.URL = l.TicketURL(sdk.TicketRef{Connector: connector, ID: id})
	}
	for _, ev := range slices.Backward(events) {
		if d := ev.Detail; d != nil && d.Decision != nil && v.Latest == nil {
			v.Latest = d.Decision
			v.Note = d.Decision.Note
			v.Tags = tagsOf(d.Decision)
			if d.Written != nil && d.Written.InternalNote != "" {
				v.Note = d.Written.InternalNote
			}
		}
	}
	s.render(w, r, "ticket", "Ticket "+id, v)
}

type auditView struct {
	Entries []store.AuditEntry
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	entries, err := s.cfg.Store.AuditLog(r.Context(), store.AuditFilter{Limit: cmp.Or(min(max(limit, 0), 1000), 200)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "audit", "Audit log", auditView{Entries: entries})
}

// fail logs err and answers 500 without details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "console", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error (see heard's log)", http.StatusInternalServerError)
}

// tagsOf is a decision's tags with the primary tag first, once.
func tagsOf(x *enrich.Explanation) []string {
	tags := x.Tags
	if x.PrimaryTag != "" && !slices.Contains(tags, x.PrimaryTag) {
		tags = append([]string{x.PrimaryTag}, tags...)
	}
	return tags
}
