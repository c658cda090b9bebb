package console

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/heardhq/heard/internal/store"
)

// calibrationChart draws each model version's calibration errors (ECE:
// overall, priority, primary tag) as grouped bars, oldest version on the
// left, in a 0..W × 0..H box; the current version is marked.
type calibrationChart struct {
	W, H    int
	ViewBox string
	Max     float64 // the value at the top of the axis
	MaxText string
	Groups  []calibrationGroup
	Series  []calibrationSeries
}

type calibrationSeries struct {
	Name, Class string
}

type calibrationGroup struct {
	Version   int64
	X, LabelX float64
	Current   bool
	Bars      []calibrationBar
}

type calibrationBar struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

// calibrationMetrics are the ECE paths charted, with their legend names.
var calibrationMetrics = []struct{ name, path, class string }{
	{"ECE", "ece", "ece-all"},
	{"priority ECE", "metrics.priority.ece", "ece-priority"},
	{"tag ECE", "metrics.tag.primary.ece", "ece-tag"},
}

// newCalibrationChart charts models (newest first, as Models lists them);
// ok is false when no version has a calibration error to draw.
func newCalibrationChart(models []store.ModelVersion) (calibrationChart, bool) {
	c := calibrationChart{W: 480, H: 160, Max: 0.1}
	c.ViewBox = fmt.Sprintf("-40 -12 %d %d", c.W+50, c.H+34)
	for _, m := range calibrationMetrics {
		c.Series = append(c.Series, calibrationSeries{Name: m.name, Class: m.class})
	}
	found := false
	for _, m := range models {
		for _, cm := range calibrationMetrics {
			if v, ok := m.Metric(cm.path); ok {
				found = true
				c.Max = max(c.Max, v)
			}
		}
	}
	if !found {
		return c, false
	}
	c.MaxText = strconv.FormatFloat(c.Max, 'f', 2, 64)
	n := len(models)
	slot := float64(c.W) / float64(n)
	barW := min(slot*0.8/float64(len(calibrationMetrics)), 24)
	for _, m := range slices.Backward(models) {
		idx := len(c.Groups)
		g := calibrationGroup{Version: m.Version, Current: m.Status == store.ModelCurrent}
		g.X = float64(idx) * slot
		g.LabelX = g.X + slot/2
		left := g.X + (slot-barW*float64(len(calibrationMetrics)))/2
		for j, cm := range calibrationMetrics {
			v, ok := m.Metric(cm.path)
			if !ok {
				continue
			}
			h := v / c.Max * float64(c.H)
			g.Bars = append(g.Bars, calibrationBar{X: left + float64(j)*barW, Y: float64(c.H) - h, W: barW - 1, H: h,
				Class: cm.class, Title: fmt.Sprintf("version %d %s %.3f", m.Version, cm.name, v)})
		}
		c.Groups = append(c.Groups, g)
	}
	return c, true
}

// metricRow compares one headline metric of two models.
type metricRow struct {
	Name          string
	This, Current string
	Better, Worse bool // this version's value compared with the current one's
}

// compareMetrics lists the headline metrics of m next to cur's (cur may
// be nil: no current model). Lower is better for ECE, higher for the rest.
func compareMetrics(m store.ModelVersion, cur *store.ModelVersion) []metricRow {
	var out []metricRow
	for _, h := range store.ModelHeadline {
		row := metricRow{Name: h.Name, This: "—", Current: "—"}
		a, aok := m.Metric(h.Path)
		if aok {
			row.This = strconv.FormatFloat(a, 'f', 3, 64)
		}
		if cur != nil {
			if b, bok := cur.Metric(h.Path); bok {
				row.Current = strconv.FormatFloat(b, 'f', 3, 64)
				if aok && a != b {
					lowerBetter := h.Path == "ece" || strings.HasSuffix(h.Path, ".ece")
					row.Better = (a < b) == lowerBetter
					row.Worse = !row.Better
				}
			}
		}
		out = append(out, row)
	}
	return out
}

// confirmModelView is the confirmation page of a promotion or a rollback.
type confirmModelView struct {
	Action  string // "promote" or "rollback"
	Version int64  // the version promoted, or the current one rolled back
	Current int64  // the current version, 0 for none
	Rows    []metricRow
	Others  []store.ModelVersion // for a rollback: the versions that were current before
}

// modelsAndCurrent lists the classifier's models and picks the current one.
func (s *Server) modelsAndCurrent(r *http.Request) ([]store.ModelVersion, *store.ModelVersion, error) {
	ms, err := s.cfg.Ops.Models.Models(r.Context(), store.ModelClassifier)
	if err != nil {
		return nil, nil, err
	}
	for i := range ms {
		if ms[i].Status == store.ModelCurrent {
			return ms, &ms[i], nil
		}
	}
	return ms, nil, nil
}

// confirmPromote shows a version's metrics next to the current model's
// before it is promoted.
func (s *Server) confirmPromote(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ops.Models == nil {
		http.Error(w, "no model registry", http.StatusNotFound)
		return
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		http.Error(w, "bad request: want a model version", http.StatusBadRequest)
		return
	}
	ms, cur, err := s.modelsAndCurrent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(ms, func(m store.ModelVersion) bool { return m.Version == version })
	if i < 0 {
		http.Redirect(w, r, "/model?msg=notfound", http.StatusSeeOther)
		return
	}
	v := confirmModelView{Action: "promote", Version: version, Rows: compareMetrics(ms[i], cur)}
	if cur != nil {
		v.Current = cur.Version
	}
	s.render(w, r, "confirm_model", fmt.Sprintf("Promote model %d", version), v)
}

// confirmRollback shows the current model's metrics, and those of the
// versions that were current before, before a rollback.
func (s *Server) confirmRollback(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ops.Models == nil {
		http.Error(w, "no model registry", http.StatusNotFound)
		return
	}
	ms, cur, err := s.modelsAndCurrent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cur == nil {
		http.Redirect(w, r, "/model?msg=noprevious", http.StatusSeeOther)
		return
	}
	v := confirmModelView{Action: "rollback", Version: cur.Version, Current: cur.Version, Rows: compareMetrics(*cur, nil)}
	for _, m := range ms {
		if m.Status == store.ModelRetired && !m.PromotedAt.IsZero() {
			v.Others = append(v.Others, m)
		}
	}
	s.render(w, r, "confirm_model", "Roll back the model", v)
}

// errNotConfirmed answers a change posted without its confirmation.
var errNotConfirmed = errors.New("bad request: confirm the change on its confirmation page")

func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }
