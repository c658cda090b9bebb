package timeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/enrich/sla"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Config configures the SLA warning job (triage.sla_clock).
type Config struct {
	// Every is how often the job looks at the open tickets; 0 turns it
	// off. Default 5m.
	Every time.Duration `yaml:"every"`
	// TagPrefix starts a warning level's tag, followed by the level's
	// percentage: "heard-sla-80". Default "heard-sla-".
	TagPrefix string `yaml:"tag_prefix"`
	// DefaultPriority is the SLA priority of a ticket whose timeline has
	// none (the desk's priority is unset); "" gives such tickets no clock.
	DefaultPriority sdk.Priority `yaml:"default_priority"`
}

// DefaultConfig returns every 5 minutes, tags "heard-sla-<percent>", and
// no clock for tickets without a priority.
func DefaultConfig() Config { return Config{Every: 5 * time.Minute, TagPrefix: "heard-sla-"} }

// Validate reports the first problem with c, wrapping sdk.ErrInvalid.
func (c Config) Validate() error {
	switch {
	case c.Every < 0:
		return fmt.Errorf("checking sla_clock: every %s is negative: %w", c.Every, sdk.ErrInvalid)
	case c.Every > 0 && c.Every < 10*time.Second:
		return fmt.Errorf("checking sla_clock: every %s: want 10s or more (or 0 to turn the job off): %w", c.Every, sdk.ErrInvalid)
	case c.TagPrefix == "":
		return fmt.Errorf("checking sla_clock: tag_prefix is empty: %w", sdk.ErrInvalid)
	}
	if c.DefaultPriority != "" {
		if _, err := sdk.ParsePriority(string(c.DefaultPriority)); err != nil {
			return fmt.Errorf("checking sla_clock: default_priority: %w", err)
		}
	}
	return nil
}

// Desk writes back to tickets: the Apply half of sdk.Connector.
type Desk interface {
	Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error
}

// Target is one connector as the job sees it.
type Target struct {
	Desk Desk
	// Mode is the connector's: anything but config.ModeLive writes nothing.
	Mode config.Mode
}

// JobConfig wires a Job. Store is required.
type JobConfig struct {
	Store   store.Timeline
	Targets map[string]Target // by connector name
	Policy  sla.Policy        // valid
	Gate    gate.Config       // the tag is written when its "tags" gate is enabled
	Config  Config
	Logger  *slog.Logger
	Metrics prometheus.Registerer
}

// Job evaluates the SLA warning levels of open tickets; see the package
// documentation.
type Job struct {
	cfg      JobConfig
	log      *slog.Logger
	now      func() time.Time
	warnings *prometheus.CounterVec
}

// Targets the SLA clock measures, as named in warning entries.
const (
	TargetFirstResponse = "first_response"
	TargetResolution    = "resolution"
)

// NewJob builds the job.
func NewJob(cfg JobConfig) (*Job, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("sla warning job: no store: %w", sdk.ErrInvalid)
	}
	if cfg.Config.TagPrefix == "" {
		cfg.Config.TagPrefix = DefaultConfig().TagPrefix
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	j := &Job{cfg: cfg, log: log.With("component", "sla_clock"), now: time.Now,
		warnings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heard_sla_warnings_total",
			Help: "SLA warning levels reached, once per ticket, SLA period and target, by level.",
		}, []string{"level"})}
	for _, l := range cfg.Policy.Warnings { // every level shows, at 0 until reached
		j.warnings.WithLabelValues(l.Name)
	}
	if cfg.Metrics != nil {
		if err := cfg.Metrics.Register(j.warnings); err != nil {
			return nil, fmt.Errorf("registering sla warning metrics: %w", err)
		}
	}
	return j, nil
}

// Run looks at every open ticket once. A ticket that fails does not stop
// the others; the errors are returned together and the next run tries
// again.
func (j *Job) Run(ctx context.Context) error {
	keys, err := j.cfg.Store.OpenTickets(ctx, "")
	if err != nil {
		return fmt.Errorf("sla warning job: %w", err)
	}
	now := j.now()
	var errs []error
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := j.check(ctx, k, now); err != nil {
			j.log.WarnContext(ctx, "sla clock of a ticket failed", "connector", k.Connector, "ticket_id", k.TicketID, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// check evaluates one ticket at now.
func (j *Job) check(ctx context.Context, k store.TicketKey, now time.Time) error {
	entries, err := j.cfg.Store.Timeline(ctx, k.Connector, k.TicketID)
	if err != nil {
		return err
	}
	prio := sdk.Priority(Latest(entries, store.TimelinePriority))
	if prio == sdk.PriorityUnknown {
		prio = j.cfg.Config.DefaultPriority
	}
	if prio == sdk.PriorityUnknown {
		return nil
	}
	clock, err := j.cfg.Policy.Clock(ClockEvents(entries), now, prio, Latest(entries, store.TimelinePlan))
	if err != nil {
		return fmt.Errorf("sla clock of %s/%s: %w", k.Connector, k.TicketID, err)
	}
	cur, ok := clock.Current()
	if !ok || !cur.End.IsZero() {
		return nil
	}
	have := make(map[string]bool, len(entries))
	for _, e := range entries {
		have[e.Key] = true
	}
	type reached struct {
		target string
		level  sla.Level
		m      sla.Measure
	}
	var fresh []reached
	var top sla.Level
	for _, t := range []struct {
		name string
		m    sla.Measure
	}{{TargetFirstResponse, cur.FirstResponse}, {TargetResolution, cur.Resolution}} {
		if t.m.Stopped {
			continue
		}
		for _, l := range j.cfg.Policy.Warnings {
			if t.m.Fraction >= l.At && !have[warningKey(len(clock.Periods), t.name, l.Name)] {
				fresh = append(fresh, reached{t.name, l, t.m})
				if l.At > top.At {
					top = l
				}
			}
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	tag := j.cfg.Config.TagPrefix + strconv.FormatFloat(top.At*100, 'f', -1, 64)
	written := false
	if tgt, ok := j.cfg.Targets[k.Connector]; ok && tgt.Desk != nil && tgt.Mode.Live() {
		if g, ok := j.cfg.Gate.Fields[gate.GateTags]; ok && g.Enabled {
			// Written before the levels are recorded: a failure is retried
			// by the next run, and adding a tag twice changes nothing.
			if err := tgt.Desk.Apply(ctx, sdk.TicketRef{Connector: k.Connector, ID: k.TicketID}, sdk.Changes{AddTags: []string{tag}}); err != nil {
				return fmt.Errorf("writing sla tag %s to %s/%s: %w", tag, k.Connector, k.TicketID, err)
			}
			written = true
		}
	}
	rows := make([]store.TimelineEntry, 0, len(fresh))
	for _, r := range fresh {
		rows = append(rows, store.TimelineEntry{Connector: k.Connector, TicketID: k.TicketID, Kind: store.TimelineSLAWarning,
			Key: warningKey(len(clock.Periods), r.target, r.level.Name), At: now, Value: r.target + ":" + r.level.Name})
	}
	added, err := j.cfg.Store.AddTimeline(ctx, rows...)
	if err != nil {
		return err
	}
	for _, a := range added {
		var r reached
		for _, f := range fresh {
			if warningKey(len(clock.Periods), f.target, f.level.Name) == a.Key {
				r = f
			}
		}
		j.warnings.WithLabelValues(r.level.Name).Inc()
		lvl := slog.LevelInfo
		if r.level.At >= 1 {
			lvl = slog.LevelWarn
		}
		j.log.Log(ctx, lvl, "sla warning level reached", "connector", k.Connector, "ticket_id", k.TicketID, "priority", string(prio),
			"period", len(clock.Periods), "target", r.target, "sla_level", r.level.Name, "action", r.level.Action,
			"elapsed", r.m.Elapsed.String(), "sla", r.m.Target.String(), "tag", tag, "tag_written", written)
	}
	return nil
}

// warningKey is the timeline key of one level reached in one period for
// one target.
func warningKey(period int, target, level string) string {
	return "sla:" + strconv.Itoa(period) + ":" + target + ":" + level
}
