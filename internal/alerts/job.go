package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Store is what the job reads and writes.
type Store interface {
	store.Alerts
	store.TimelineRange
	Timeline(ctx context.Context, connector, ticketID string) ([]store.TimelineEntry, error)
	OpenTickets(ctx context.Context, connector string) ([]store.TicketKey, error)
}

// JobConfig wires a Job. Store is required; Config must be valid.
type JobConfig struct {
	Store  Store
	Config Config
	Clock  Clock
	Logger *slog.Logger
	// Client sends the webhooks; nil is a client without redirects.
	Client *http.Client
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Job evaluates the alert rules and delivers pending alerts; see the
// package documentation.
type Job struct {
	cfg    JobConfig
	log    *slog.Logger
	client *http.Client
	now    func() time.Time
	hooks  map[string]Webhook
}

// NewJob builds the job.
func NewJob(cfg JobConfig) (*Job, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("alerts job: no store: %w", sdk.ErrInvalid)
	}
	if err := cfg.Config.Validate(); err != nil {
		return nil, err
	}
	j := &Job{cfg: cfg, log: cfg.Logger, client: cfg.Client, now: cfg.Now, hooks: map[string]Webhook{}}
	if j.log == nil {
		j.log = slog.New(slog.DiscardHandler)
	}
	j.log = j.log.With("component", "alerts")
	if j.client == nil {
		j.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if j.now == nil {
		j.now = time.Now
	}
	for _, w := range cfg.Config.Webhooks {
		j.hooks[w.Name] = w
	}
	return j, nil
}

// Run evaluates the rules once, stores the alerts not stored yet, and
// delivers every pending delivery. A failed delivery is logged, recorded
// and left pending for the next run; only store errors fail the run.
func (j *Job) Run(ctx context.Context) error {
	now := j.now().UTC()
	fired, err := j.Evaluate(ctx, now)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(j.cfg.Config.Webhooks))
	for _, w := range j.cfg.Config.Webhooks {
		names = append(names, w.Name)
	}
	for _, a := range fired {
		added, err := j.cfg.Store.AddAlert(ctx, a, names)
		if err != nil {
			return fmt.Errorf("alerts job: %w", err)
		}
		if added {
			j.log.WarnContext(ctx, "alert", "rule", a.Rule, "subject", a.Subject, "period", a.Period, "alert", a.Key, "message", a.Message)
		}
	}
	return j.DeliverPending(ctx)
}

// Evaluate reads the rules' input from the store at now and evaluates it.
func (j *Job) Evaluate(ctx context.Context, now time.Time) ([]store.Alert, error) {
	c := j.cfg.Config
	in := Input{Now: now, Timelines: map[store.TicketKey][]store.TimelineEntry{}}
	var err error
	if in.Recent, err = j.cfg.Store.TimelineBetween(ctx, "", c.Since(now), now.Add(time.Nanosecond)); err != nil {
		return nil, fmt.Errorf("alerts job: %w", err)
	}
	if c.RepeatCustomer.Enabled {
		if in.Created, err = j.cfg.Store.CreatedTickets(ctx, now.Add(-c.RepeatCustomer.Window.Std())); err != nil {
			return nil, fmt.Errorf("alerts job: %w", err)
		}
	}
	if c.FirstResponse.Enabled {
		open, err := j.cfg.Store.OpenTickets(ctx, "")
		if err != nil {
			return nil, fmt.Errorf("alerts job: %w", err)
		}
		from := now.Add(-c.FirstResponse.Lookback.Std())
		for _, e := range in.Recent {
			if !e.At.Before(from) {
				open = append(open, store.TicketKey{Connector: e.Connector, TicketID: e.TicketID})
			}
		}
		for _, k := range open {
			if _, ok := in.Timelines[k]; ok {
				continue
			}
			if in.Timelines[k], err = j.cfg.Store.Timeline(ctx, k.Connector, k.TicketID); err != nil {
				return nil, fmt.Errorf("alerts job: %w", err)
			}
		}
	}
	return c.Evaluate(in, j.cfg.Clock)
}

// DeliverPending delivers every pending delivery to a configured webhook
// that no other run holds. Deliveries to a webhook no longer configured
// stay pending (heard alerts shows them).
func (j *Job) DeliverPending(ctx context.Context) error {
	pending, err := j.cfg.Store.ListAlerts(ctx, store.AlertFilter{Pending: true, Limit: 1000})
	if err != nil {
		return fmt.Errorf("alerts job: %w", err)
	}
	d := j.cfg.Config.Delivery
	// A claim outlives the longest delivery, so another replica does not
	// take it while this one still tries.
	lease := time.Duration(d.Attempts)*d.Timeout.Std() + time.Duration(1<<d.Attempts)*d.Backoff.Std() + time.Minute
	var errs []error
	for i := len(pending) - 1; i >= 0; i-- { // oldest first
		a := pending[i]
		for _, del := range a.Deliveries {
			w, ok := j.hooks[del.Webhook]
			if !del.DeliveredAt.IsZero() || !ok {
				continue
			}
			claimed, err := j.cfg.Store.ClaimAlertDelivery(ctx, a.Key, w.Name, j.now(), lease)
			if err != nil {
				return fmt.Errorf("alerts job: %w", err)
			}
			if !claimed {
				continue
			}
			derr := j.deliver(ctx, w, a)
			msg := ""
			if derr != nil {
				msg = derr.Error()
				j.log.WarnContext(ctx, "alert delivery failed; the next run tries again", "webhook", w.Name, "alert", a.Key,
					"attempts", del.Attempts+1, "err", msg)
			} else {
				j.log.InfoContext(ctx, "alert delivered", "webhook", w.Name, "alert", a.Key)
			}
			if err := j.cfg.Store.FinishAlertDelivery(context.WithoutCancel(ctx), a.Key, w.Name, j.now(), msg); err != nil {
				errs = append(errs, fmt.Errorf("alerts job: %w", err))
			}
			if errors.Is(derr, context.Canceled) {
				return errors.Join(append(errs, derr)...)
			}
		}
	}
	return errors.Join(errs...)
}
