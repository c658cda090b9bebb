package timeline

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/sdk"
)

type fakeDesk struct {
	mu      sync.Mutex
	applied []string // "id:tag,tag"
	err     error
}

func (d *fakeDesk) Apply(_ context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return d.err
	}
	s := ref.ID + ":"
	for i, tag := range ch.AddTags {
		if i > 0 {
			s += ","
		}
		s += tag
	}
	d.applied = append(d.applied, s)
	return nil
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func warningsTotal(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "heard_sla_warnings_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	return out
}

func TestJobLevelsOncePerPeriod(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	// Ticket 1: P1 (24/7, 1 h first response, 8 h resolution), business,
	// created at t0 without a reply. Ticket 2 is solved: not looked at.
	// Ticket 3 has no priority: no clock.
	add := func(id, key, kind string, at time.Time, value string) {
		t.Helper()
		if _, err := st.AddTimeline(ctx, store.TimelineEntry{Connector: "live", TicketID: id, Key: key, Kind: kind, At: at, Value: value}); err != nil {
			t.Fatal(err)
		}
	}
	add("1", "created", store.TimelineCreated, t0, "new")
	add("1", "priority:a", store.TimelinePriority, t0, "P1")
	add("1", "plan:a", store.TimelinePlan, t0, "business")
	add("2", "created", store.TimelineCreated, t0, "new")
	add("2", "priority:a", store.TimelinePriority, t0, "P0")
	add("2", "solved:b", store.TimelineSolved, mins(5), "solved")
	add("3", "created", store.TimelineCreated, t0, "new")

	desk := &fakeDesk{}
	reg := prometheus.NewRegistry()
	j, err := NewJob(JobConfig{Store: st, Targets: map[string]Target{"live": {Desk: desk, Mode: config.ModeLive}},
		Policy: sla.DefaultPolicy(), Gate: gate.DefaultConfig(), Config: DefaultConfig(), Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	now := mins(54) // 54 min of 60: first response at 90% (yellow, orange, red); resolution 54/480
	j.now = func() time.Time { return now }
	if err := j.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if want := []string{"1:heard-sla-90"}; !slices.Equal(desk.applied, want) {
		t.Fatalf("applied %v, want %v", desk.applied, want)
	}
	if got := warningsTotal(t, reg); got["yellow"] != 1 || got["orange"] != 1 || got["red"] != 1 || got["breach"] != 0 {
		t.Errorf("heard_sla_warnings_total = %v; want yellow, orange, red once", got)
	}

	// The same time again: nothing new.
	if err := j.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(desk.applied) != 1 {
		t.Errorf("second run applied %v; want nothing more", desk.applied[1:])
	}

	// 4 h 10 min in: first response 250% (breach, severe); resolution
	// 250/480 = 52% (yellow). The highest new level is tagged.
	now = mins(250)
	if err := j.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"1:heard-sla-90", "1:heard-sla-200"}; !slices.Equal(desk.applied, want) {
		t.Fatalf("applied %v, want %v", desk.applied, want)
	}
	got := warningsTotal(t, reg)
	if got["yellow"] != 2 || got["breach"] != 1 || got["severe"] != 1 || got["red"] != 1 {
		t.Errorf("heard_sla_warnings_total = %v; want yellow 2 (both targets), red, breach, severe 1", got)
	}
	entries, err := st.Timeline(ctx, "live", "1")
	if err != nil {
		t.Fatal(err)
	}
	var warned []string
	for _, e := range entries {
		if e.Kind == store.TimelineSLAWarning {
			warned = append(warned, e.Key)
		}
	}
	want := []string{"sla:1:first_response:yellow", "sla:1:first_response:orange", "sla:1:first_response:red",
		"sla:1:first_response:breach", "sla:1:first_response:severe", "sla:1:resolution:yellow"}
	if !slices.Equal(warned, want) {
		t.Errorf("warning entries %v, want %v", warned, want)
	}

	// Solved, then reopened: a new period warns again from the start.
	add("1", "reply:x", store.TimelineAgentReply, mins(251), "x")
	add("1", "solved:c", store.TimelineSolved, mins(252), "solved")
	add("1", "reopened:d", store.TimelineReopened, mins(300), "open")
	now = mins(300 + 31) // 31 of 60 min: yellow in period 2
	if err := j.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"1:heard-sla-90", "1:heard-sla-200", "1:heard-sla-50"}; !slices.Equal(desk.applied, want) {
		t.Fatalf("after the reopen applied %v, want %v", desk.applied, want)
	}
}

func TestJobGated(t *testing.T) {
	ctx := t.Context()
	for _, tt := range []struct {
		name   string
		mode   config.Mode
		tags   bool
		writes bool
	}{
		{"live with the tags gate", config.ModeLive, true, true},
		{"shadow", config.ModeShadow, true, false},
		{"live, tags gate off", config.ModeLive, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			if _, err := st.AddTimeline(ctx,
				store.TimelineEntry{Connector: "c", TicketID: "1", Key: "created", Kind: store.TimelineCreated, At: t0, Value: "new"},
			); err != nil {
				t.Fatal(err)
			}
			g := gate.DefaultConfig()
			g.Fields[gate.GateTags] = gate.FieldGate{Enabled: tt.tags, Threshold: 0.6}
			desk := &fakeDesk{}
			cfg := DefaultConfig()
			cfg.DefaultPriority = sdk.P0 // no priority on the timeline: the default applies
			j, err := NewJob(JobConfig{Store: st, Targets: map[string]Target{"c": {Desk: desk, Mode: tt.mode}},
				Policy: sla.DefaultPolicy(), Gate: g, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			j.now = func() time.Time { return mins(15) } // P0: 15 of 15 min, breach
			if err := j.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if wrote := len(desk.applied) == 1 && desk.applied[0] == "1:heard-sla-100"; wrote != tt.writes || len(desk.applied) > 1 {
				t.Errorf("applied %v; want a write %v", desk.applied, tt.writes)
			}
			entries, _ := st.Timeline(ctx, "c", "1")
			if Latest(entries, store.TimelineSLAWarning) != "first_response:breach" {
				t.Errorf("timeline %v; want the breach recorded in every mode", keys(entries))
			}
		})
	}
}

func TestJobWriteFailureRetried(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	if _, err := st.AddTimeline(ctx,
		store.TimelineEntry{Connector: "c", TicketID: "1", Key: "created", Kind: store.TimelineCreated, At: t0, Value: "new"},
		store.TimelineEntry{Connector: "c", TicketID: "1", Key: "p", Kind: store.TimelinePriority, At: t0, Value: "P0"},
	); err != nil {
		t.Fatal(err)
	}
	desk := &fakeDesk{err: sdk.ErrUnavailable}
	j, err := NewJob(JobConfig{Store: st, Targets: map[string]Target{"c": {Desk: desk, Mode: config.ModeLive}},
		Policy: sla.DefaultPolicy(), Gate: gate.DefaultConfig(), Config: DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	j.now = func() time.Time { return mins(8) } // 8 of 15 min: yellow
	if err := j.Run(ctx); !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("Run with a failing desk = %v, want the desk's error", err)
	}
	if entries, _ := st.Timeline(ctx, "c", "1"); Latest(entries, store.TimelineSLAWarning) != "" {
		t.Fatalf("a level was recorded although its tag was not written: %v", keys(entries))
	}
	desk.err = nil
	if err := j.Run(ctx); err != nil || !slices.Equal(desk.applied, []string{"1:heard-sla-50"}) {
		t.Errorf("next run = %v, applied %v; want the tag written", err, desk.applied)
	}
}
