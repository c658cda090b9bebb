package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/report"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/plugins"
	"github.com/heardhq/heard/sdk"
)

// Models is the model registry the model page reads and changes.
type Models interface {
	Models(ctx context.Context, kind string) ([]store.ModelVersion, error)
	CurrentModelVersion(ctx context.Context, kind string) (int64, error)
	PromoteModel(ctx context.Context, kind string, version int64) error
	RollbackModel(ctx context.Context, kind string) (int64, error)
}

// DeadLetters is the queue's dead-letter API.
type DeadLetters interface {
	Dead(ctx context.Context, limit int) ([]queue.DeadJob, error)
	Retry(ctx context.Context, id int64) error
}

// KnowledgeBase is what the operations page shows of the knowledge base.
type KnowledgeBase interface {
	Stats(ctx context.Context) (kb.Stats, error)
	Search(ctx context.Context, q kb.Query) ([]kb.Match, error)
}

// PluginStatus reports the running plugins.
type PluginStatus interface {
	Status() []plugins.Status
}

// Ops is what the model and operations pages need besides the store; a
// nil field hides its section.
type Ops struct {
	Models  Models
	Dead    DeadLetters
	KB      KnowledgeBase
	Plugins PluginStatus
	Reports report.Source
}

// deadLimit is how many dead letters the operations page lists.
const deadLimit = 100

func (s *Server) opsRoutes(mux *http.ServeMux) {
	mux.Handle("GET /model", s.requireSession(http.HandlerFunc(s.modelPage)))
	mux.Handle("GET /model/promote", s.requireSession(http.HandlerFunc(s.confirmPromote)))
	mux.Handle("GET /model/rollback", s.requireSession(http.HandlerFunc(s.confirmRollback)))
	mux.Handle("POST /model/promote", s.requireSession(http.HandlerFunc(s.promote)))
	mux.Handle("POST /model/rollback", s.requireSession(http.HandlerFunc(s.rollback)))
	mux.Handle("GET /ops", s.requireSession(http.HandlerFunc(s.opsPage)))
	mux.Handle("POST /ops/dead/{id}/retry", s.requireSession(http.HandlerFunc(s.retryDead)))
}

// modelRow is one model version on the model page.
type modelRow struct {
	store.ModelVersion
	Metrics  []string // formatted store.ModelHeadline, "—" when missing
	MetaJSON string
}

type modelView struct {
	Chart    calibrationChart
	HasChart bool
	Kind     string
	Enabled  bool
	Headline []store.ModelMetric
	Rows     []modelRow
	Current  int64
	Message  string
}

func (s *Server) modelPage(w http.ResponseWriter, r *http.Request) {
	v := modelView{Kind: store.ModelClassifier, Headline: store.ModelHeadline, Message: modelMessages[r.URL.Query().Get("msg")]}
	if m := s.cfg.Ops.Models; m != nil {
		v.Enabled = true
		ms, err := m.Models(r.Context(), v.Kind)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Chart, v.HasChart = newCalibrationChart(ms)
		for _, mv := range ms {
			row := modelRow{ModelVersion: mv, MetaJSON: indent(mv.Meta)}
			for _, h := range store.ModelHeadline {
				val := "—"
				if f, ok := mv.Metric(h.Path); ok {
					val = strconv.FormatFloat(f, 'f', 3, 64)
				}
				row.Metrics = append(row.Metrics, val)
			}
			if mv.Status == store.ModelCurrent {
				v.Current = mv.Version
			}
			v.Rows = append(v.Rows, row)
		}
	}
	s.render(w, r, "model", "Model", v)
}

func indent(raw json.RawMessage) string {
	var b strings.Builder
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return string(raw)
	}
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	_ = enc.Encode(x)
	return b.String()
}

// modelMessages are the notices the model page shows after a change; the
// redirect names one by key, so no free text travels in the URL.
var modelMessages = map[string]string{
	"promoted":    "Promoted: the workers load the new model within a minute.",
	"rolledback":  "Rolled back: the previous model is current again.",
	"noprevious":  "Nothing to roll back to: no model was current before this one.",
	"notfound":    "No such model version.",
	"unavailable": "The model registry is not available.",
}

func (s *Server) promote(w http.ResponseWriter, r *http.Request) {
	m := s.cfg.Ops.Models
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if m == nil || err != nil || version <= 0 {
		http.Error(w, "bad request: want a model version", http.StatusBadRequest)
		return
	}
	if !confirmed(r) {
		http.Error(w, errNotConfirmed.Error(), http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	prev, err := m.CurrentModelVersion(ctx, store.ModelClassifier)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := m.PromoteModel(ctx, store.ModelClassifier, version); errors.Is(err, sdk.ErrNotFound) {
		http.Redirect(w, r, "/model?msg=notfound", http.StatusSeeOther)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.addAudit(ctx, sessionOf(r).user, "model.promote", fmt.Sprintf("%s model %d", store.ModelClassifier, version), fmt.Sprintf("previous current: %d", prev))
	http.Redirect(w, r, "/model?msg=promoted", http.StatusSeeOther)
}

func (s *Server) rollback(w http.ResponseWriter, r *http.Request) {
	m := s.cfg.Ops.Models
	if m == nil {
		http.Error(w, "no model registry", http.StatusNotFound)
		return
	}
	if !confirmed(r) {
		http.Error(w, errNotConfirmed.Error(), http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	prev, err := m.CurrentModelVersion(ctx, store.ModelClassifier)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := m.RollbackModel(ctx, store.ModelClassifier)
	if errors.Is(err, store.ErrNoPreviousModel) {
		http.Redirect(w, r, "/model?msg=noprevious", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.addAudit(ctx, sessionOf(r).user, "model.rollback", fmt.Sprintf("%s model %d", store.ModelClassifier, v), fmt.Sprintf("retired: %d", prev))
	http.Redirect(w, r, "/model?msg=rolledback", http.StatusSeeOther)
}

// deadRow is one dead letter: its payload and its errors.
type deadRow struct {
	queue.DeadJob
	Payload   string
	LastError string
}

type opsView struct {
	Report     string
	ReportWeek string
	Alerts     []store.Alert
	DeadOn     bool
	Dead       []deadRow
	PluginsOn  bool
	Plugins    []plugins.Status
	KBOn       bool
	KB         kb.Stats
	KBError    string
	Query      string
	Matches    []kb.Match
	Message    string
}

func (s *Server) opsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.now()
	o := s.cfg.Ops
	v := opsView{Query: strings.TrimSpace(r.URL.Query().Get("q")), Message: opsMessages[r.URL.Query().Get("msg")]}
	var err error
	if v.Alerts, err = s.cfg.Store.ListAlerts(ctx, store.AlertFilter{Since: now.Add(-7 * 24 * time.Hour), Limit: 50}); err != nil {
		s.fail(w, r, err)
		return
	}
	if o.Reports != nil {
		// The last complete week: what the weekly report mails.
		wk := report.WeekOf(now).Prev()
		v.ReportWeek = wk.String()
		rep, err := report.Build(ctx, o.Reports, report.Options{Week: wk, Weeks: 2, Now: now})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var b strings.Builder
		if err := rep.WriteText(&b); err != nil {
			s.fail(w, r, err)
			return
		}
		v.Report = b.String()
	}
	if o.Dead != nil {
		v.DeadOn = true
		dead, err := o.Dead.Dead(ctx, deadLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, d := range dead {
			row := deadRow{DeadJob: d}
			if b, err := json.MarshalIndent(d.Job, "", "  "); err == nil {
				row.Payload = string(b)
			}
			if n := len(d.Errors); n > 0 {
				row.LastError = d.Errors[n-1]
			}
			v.Dead = append(v.Dead, row)
		}
	}
	if o.Plugins != nil {
		v.PluginsOn, v.Plugins = true, o.Plugins.Status()
	}
	if o.KB != nil {
		v.KBOn = true
		if v.KB, err = o.KB.Stats(ctx); err != nil {
			s.log.WarnContext(ctx, "console: knowledge base stats", "err", err)
			v.KBError = "the knowledge base did not answer (see heard's log)"
		}
		if v.Query != "" {
			if v.Matches, err = o.KB.Search(ctx, kb.Query{Text: v.Query, K: 10, MinScore: -1}); err != nil {
				s.log.WarnContext(ctx, "console: knowledge base search", "err", err)
				v.KBError = "the search failed (see heard's log)"
			}
		}
	}
	s.render(w, r, "ops", "Operations", v)
}

var opsMessages = map[string]string{
	"retried":  "Queued again: a worker picks the job up shortly.",
	"notfound": "No such dead job (already retried?).",
}

func (s *Server) retryDead(w http.ResponseWriter, r *http.Request) {
	d := s.cfg.Ops.Dead
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if d == nil || err != nil || id <= 0 {
		http.Error(w, "bad request: want a dead job id", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	if err := d.Retry(ctx, id); errors.Is(err, sdk.ErrNotFound) {
		http.Redirect(w, r, "/ops?msg=notfound#dead", http.StatusSeeOther)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.addAudit(ctx, sessionOf(r).user, "queue.retry", fmt.Sprintf("job %d", id), "")
	http.Redirect(w, r, "/ops?msg=retried#dead", http.StatusSeeOther)
}
