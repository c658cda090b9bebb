package console

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/internal/agreement"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// gateOf is the gate that writes field, given the gates in force (by
// name): the tag fields share the tags gate, another field has its own
// gate when one is configured, else only the "fields" gate (""; that gate
// is set in the gates table).
func gateOf(field string, gates map[string]float64) string {
	switch field {
	case sdk.FieldPriority:
		return gate.GatePriority
	case sdk.FieldPrimaryTag, sdk.FieldSecondaryTag, gate.FieldPolicyTag:
		return gate.GateTags
	case gate.GateTags, gate.GateFields, gate.GateNote:
		return ""
	}
	if _, ok := gates[field]; ok {
		return field
	}
	return ""
}

// gateNames are the gates the console sets thresholds of: every gate the
// config (or the overlay) has, and always priority and tags.
func (s *Server) gateNames() []string {
	names := slices.Collect(maps.Keys(s.thresholds()))
	for _, g := range []string{gate.GatePriority, gate.GateTags} {
		if !slices.Contains(names, g) {
			names = append(names, g)
		}
	}
	slices.Sort(names)
	return names
}

// gateRow is one gate in the agreement page's gates table.
type gateRow struct {
	Name       string
	Threshold  float64
	HasCurrent bool
	Overlaid   bool // the console's overlay set it
	About      string
}

// gateAbout says what a gate writes.
func gateAbout(name string) string {
	switch name {
	case gate.GatePriority:
		return "the ticket's priority"
	case gate.GateTags:
		return "the primary, secondary and policy tags"
	case gate.GateFields:
		return "every other field (with the field's own gate, the higher threshold wins)"
	case gate.GateNote:
		return "the internal note"
	}
	return "the field " + name
}

// agreementWeeks is how many weeks the agreement page shows.
const agreementWeeks = 8

// liveRoutes are the agreement page, the threshold setting and the
// connector switch: what changes the running pipeline.
func (s *Server) liveRoutes(mux *http.ServeMux) {
	mux.Handle("GET /agreement", s.requireSession(http.HandlerFunc(s.agreement)))
	mux.Handle("POST /agreement/threshold", s.requireSession(http.HandlerFunc(s.setThreshold)))
	mux.Handle("GET /connectors", s.requireSession(http.HandlerFunc(s.connectors)))
	mux.Handle("GET /connectors/{name}/mode", s.requireSession(http.HandlerFunc(s.confirmMode)))
	mux.Handle("POST /connectors/{name}/mode", s.requireSession(http.HandlerFunc(s.setMode)))
}

// thresholds are the gate thresholds now: Config.Thresholds, then the
// overlay's.
func (s *Server) thresholds() map[string]float64 {
	out := map[string]float64{}
	if s.cfg.Thresholds != nil {
		for k, v := range s.cfg.Thresholds() {
			out[k] = v
		}
	}
	if s.cfg.Settings != nil {
		for k, v := range s.cfg.Settings.Current().Thresholds {
			out[k] = v
		}
	}
	return out
}

// mode is connector's mode now: the overlay's, else the config's; ok
// false for an unknown connector.
func (s *Server) mode(connector string) (config.Mode, bool) {
	m, ok := s.cfg.Modes[connector]
	if !ok {
		return "", false
	}
	if s.cfg.Settings != nil {
		if o, ok := s.cfg.Settings.Current().Modes[connector]; ok {
			m = o
		}
	}
	if !m.Live() {
		m = config.ModeShadow
	}
	return m, true
}

// chart is a threshold table drawn as two polylines in a 0..W × 0..H box.
type chart struct {
	W, H               int
	ViewBox            string
	Written, Agreement string // "x,y x,y …"
	Points             []chartPoint
	Current            float64
	CurrentX           float64
	HasCurrent         bool
}

type chartPoint struct {
	X, YWritten, YAgreement float64
	Label                   string
}

func newChart(points []agreement.ThresholdPoint, current float64, has bool) chart {
	c := chart{W: 320, H: 160, Current: current, HasCurrent: has}
	c.ViewBox = fmt.Sprintf("-34 -10 %d %d", c.W+44, c.H+20)
	var w, a []string
	for _, p := range points {
		x := p.Threshold * float64(c.W)
		yw := float64(c.H) * (1 - p.Coverage)
		ya := float64(c.H) * (1 - p.Rate)
		w = append(w, fmt.Sprintf("%.1f,%.1f", x, yw))
		a = append(a, fmt.Sprintf("%.1f,%.1f", x, ya))
		c.Points = append(c.Points, chartPoint{X: x, YWritten: yw, YAgreement: ya, Label: fmt.Sprintf("%.1f", p.Threshold)})
	}
	c.Written, c.Agreement = strings.Join(w, " "), strings.Join(a, " ")
	c.CurrentX = current * float64(c.W)
	return c
}

// fieldView is one field on the agreement page.
type fieldView struct {
	agreement.FieldStats
	Gate       string
	Threshold  float64
	HasCurrent bool
	Chart      chart
}

// weekView is agreement per field in one week.
type weekView struct {
	Start time.Time
	Rates map[string]agreement.FieldStats
}

type agreementView struct {
	Gates     []gateRow // every gate, with its threshold
	Fields    []fieldView
	Names     []string // fields in the weeks table
	Weeks     []weekView
	CanChange bool
	Message   string
}

func (s *Server) feedback(r *http.Request, connector string, since time.Time) ([]agreement.Feedback, error) {
	fb, err := s.cfg.Store.Feedback(r.Context(), store.FeedbackFilter{Connector: connector, Since: since})
	if err != nil {
		return nil, err
	}
	rows := make([]agreement.Feedback, 0, len(fb))
	for _, f := range fb {
		rows = append(rows, agreement.Feedback(f))
	}
	return rows, nil
}

func (s *Server) agreement(w http.ResponseWriter, r *http.Request) {
	now := s.now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	since := day.AddDate(0, 0, -7*agreementWeeks+1)
	rows, err := s.feedback(r, "", since)
	if err != nil {
		s.log.ErrorContext(r.Context(), "console: reading feedback", "err", err)
		http.Error(w, "reading feedback failed", http.StatusInternalServerError)
		return
	}
	v := agreementView{CanChange: s.cfg.Settings != nil}
	switch r.URL.Query().Get("set") {
	case "ok":
		v.Message = "Threshold saved: the next ticket is gated by it."
	}
	th := s.thresholds()
	fields := agreement.Summarize(rows).Fields
	// The fields the console sets a gate of are shown (with their form)
	// before agents gave any feedback on them.
	for _, name := range []string{sdk.FieldPriority, sdk.FieldPrimaryTag} {
		if !slices.ContainsFunc(fields, func(f agreement.FieldStats) bool { return f.Field == name }) {
			fields = append(fields, agreement.FieldStats{Field: name})
		}
	}
	var overlaid map[string]float64
	if s.cfg.Settings != nil {
		overlaid = s.cfg.Settings.Current().Thresholds
	}
	for _, name := range s.gateNames() {
		row := gateRow{Name: name, About: gateAbout(name)}
		row.Threshold, row.HasCurrent = th[name]
		_, row.Overlaid = overlaid[name]
		v.Gates = append(v.Gates, row)
	}
	for _, f := range fields {
		fv := fieldView{FieldStats: f, Gate: gateOf(f.Field, th)}
		fv.Threshold, fv.HasCurrent = th[fv.Gate]
		fv.Chart = newChart(f.ByThreshold, fv.Threshold, fv.HasCurrent)
		v.Fields = append(v.Fields, fv)
		if f.Predictions > 0 {
			v.Names = append(v.Names, f.Field)
		}
	}
	// Weeks, newest first, each ending today or seven days after the last.
	byWeek := make([][]agreement.Feedback, agreementWeeks)
	for _, row := range rows {
		i := int(row.At.Sub(since) / (7 * 24 * time.Hour))
		if i >= 0 && i < agreementWeeks {
			byWeek[i] = append(byWeek[i], row)
		}
	}
	for i := agreementWeeks - 1; i >= 0; i-- {
		wv := weekView{Start: since.AddDate(0, 0, 7*i), Rates: map[string]agreement.FieldStats{}}
		for _, f := range agreement.Summarize(byWeek[i]).Fields {
			wv.Rates[f.Field] = f
		}
		v.Weeks = append(v.Weeks, wv)
	}
	s.render(w, r, "agreement", "Agreement", v)
}

// setThreshold sets a gate's threshold in the overlay.
func (s *Server) setThreshold(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Settings == nil {
		http.Error(w, "this console cannot change settings (no overlay)", http.StatusServiceUnavailable)
		return
	}
	gate := r.PostFormValue("gate")
	t, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("threshold")), 64)
	if !slices.Contains(s.gateNames(), gate) || err != nil || math.IsNaN(t) || t < 0 || t > 1 {
		http.Error(w, "want a configured gate ("+strings.Join(s.gateNames(), ", ")+") and a threshold from 0 to 1", http.StatusBadRequest)
		return
	}
	before, had := s.thresholds()[gate]
	if _, _, err := s.cfg.Settings.SetThreshold(r.Context(), gate, t); err != nil {
		s.log.ErrorContext(r.Context(), "console: setting a threshold", "gate", gate, "err", err)
		http.Error(w, "saving the threshold failed", statusOf(err))
		return
	}
	old := "unset"
	if had {
		old = fmt.Sprintf("%.2f", before)
	}
	s.addAudit(r.Context(), sessionOf(r).user, "set threshold", "gate "+gate, fmt.Sprintf("%s → %.2f", old, t))
	http.Redirect(w, r, "/agreement?set=ok", http.StatusSeeOther)
}

func statusOf(err error) int {
	if errors.Is(err, sdk.ErrInvalid) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// connectorView is one connector on the connectors page.
type connectorView struct {
	Name string
	Mode config.Mode
	// Overridden is set when the console's overlay chose the mode.
	Overridden bool
	Other      config.Mode
}

type connectorsView struct {
	Connectors []connectorView
	CanChange  bool
	Message    string
}

func other(m config.Mode) config.Mode {
	if m.Live() {
		return config.ModeShadow
	}
	return config.ModeLive
}

func (s *Server) connectors(w http.ResponseWriter, r *http.Request) {
	v := connectorsView{CanChange: s.cfg.Settings != nil}
	if n := r.URL.Query().Get("switched"); n != "" {
		if m, ok := s.mode(n); ok {
			v.Message = fmt.Sprintf("%s is now %s: its next ticket is handled in %s mode.", n, m, m)
		}
	}
	var overlaid map[string]config.Mode
	if s.cfg.Settings != nil {
		overlaid = s.cfg.Settings.Current().Modes
	}
	for name := range s.cfg.Modes {
		m, _ := s.mode(name)
		_, over := overlaid[name]
		v.Connectors = append(v.Connectors, connectorView{Name: name, Mode: m, Overridden: over, Other: other(m)})
	}
	slices.SortFunc(v.Connectors, func(a, b connectorView) int { return cmp.Compare(a.Name, b.Name) })
	s.render(w, r, "connectors", "Connectors", v)
}

// confirmView is the confirmation page of a mode switch.
type confirmView struct {
	Name     string
	From, To config.Mode
	Since    time.Time
	Report   agreement.Report
}

func (s *Server) confirmMode(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	from, ok := s.mode(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	since := s.now().Add(-7 * 24 * time.Hour)
	rows, err := s.feedback(r, name, since)
	if err != nil {
		s.log.ErrorContext(r.Context(), "console: reading feedback", "err", err)
		http.Error(w, "reading feedback failed", http.StatusInternalServerError)
		return
	}
	s.render(w, r, "confirm_mode", "Switch "+name, confirmView{Name: name, From: from, To: other(from), Since: since, Report: agreement.Summarize(rows)})
}

func (s *Server) setMode(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	from, ok := s.mode(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if s.cfg.Settings == nil {
		http.Error(w, "this console cannot change settings (no overlay)", http.StatusServiceUnavailable)
		return
	}
	to := config.Mode(r.PostFormValue("mode"))
	if !to.Valid() || r.PostFormValue("confirm") != "yes" {
		http.Error(w, "want mode shadow or live, confirmed", http.StatusBadRequest)
		return
	}
	if _, err := s.cfg.Settings.SetMode(r.Context(), name, to); err != nil {
		s.log.ErrorContext(r.Context(), "console: switching a connector", "connector", name, "err", err)
		http.Error(w, "switching the connector failed", statusOf(err))
		return
	}
	s.addAudit(r.Context(), sessionOf(r).user, "set mode", "connector "+name, fmt.Sprintf("%s → %s", from, to))
	// A local path: name is a configured connector's, escaped.
	http.Redirect(w, r, "/connectors?switched="+url.QueryEscape(name), http.StatusSeeOther) //nolint:gosec // a local path, see above
}
