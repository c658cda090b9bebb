package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/retrain"
	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/kb/solved"
	"github.com/heardhq/heard/sdk"
)

// retrainJob is the periodic retrain of classify.learned (one replica at a
// time, as every queue.Periodic); ok is false when it is turned off.
// tags is the taxonomy the classifiers are asked for.
func retrainJob(cfg config.Config, st store.Store, ix solved.Index, tags []string, log *slog.Logger) (queue.Periodic, bool, error) {
	lc, err := retrain.ConfigFrom(cfg.Classify)
	if err != nil {
		return queue.Periodic{}, false, err
	}
	if (lc.Enabled != nil && !*lc.Enabled) || lc.Retrain.Every <= 0 {
		return queue.Periodic{}, false, nil
	}
	job := &periodicRetrain{st: st, ix: ix, cfg: lc.Retrain, tags: tags, log: log.With("component", "retrain"), now: time.Now}
	return queue.Periodic{Name: "classify.learned.retrain", Every: lc.Retrain.Every.Std(), Run: job.run}, true, nil
}

// periodicRetrain retrains when enough new labels arrived since the
// current model was trained: tickets solved since (their final values are
// the labels) and agents' corrections since (agreement rows that
// disagreed; they become labels when their tickets are solved).
type periodicRetrain struct {
	st   store.Store
	ix   solved.Index
	cfg  retrain.PeriodicConfig
	tags []string
	log  *slog.Logger
	now  func() time.Time
}

func (p *periodicRetrain) run(ctx context.Context) error {
	since := time.Time{}
	if cur, err := p.st.CurrentModel(ctx, retrain.Kind); err == nil {
		since = cur.CreatedAt
	} else if !errors.Is(err, sdk.ErrNotFound) {
		return fmt.Errorf("reading the current model: %w", err)
	}
	from := p.now().Add(-p.cfg.Since.Std())
	rows, err := p.ix.List(ctx, "", from)
	if err != nil {
		return err
	}
	examples := retrain.FromSolved(rows, p.tags)
	fresh := retrain.Since(examples, since)
	fb, err := p.st.Feedback(ctx, store.FeedbackFilter{Since: since})
	if err != nil {
		return fmt.Errorf("reading agreement rows: %w", err)
	}
	corrections := 0
	for _, r := range fb {
		if !r.Agreed {
			corrections++
		}
	}
	if fresh+corrections < p.cfg.MinNewLabels {
		p.log.InfoContext(ctx, "not retraining: too few new labels", "solved_since", fresh, "corrections_since", corrections, "min_new_labels", p.cfg.MinNewLabels)
		return nil
	}
	res, err := retrain.Run(ctx, p.st, examples, retrain.Options{Train: learned.TrainConfig{Seed: 1, Tags: p.tags},
		Source: fmt.Sprintf("periodic: %d solved tickets since %s", len(examples), from.Format(time.DateOnly))}, p.log)
	if errors.Is(err, sdk.ErrInvalid) {
		p.log.WarnContext(ctx, "not retraining: the labels cannot train a model", "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	p.log.InfoContext(ctx, "retrained", "version", res.Version, "promoted", res.Promoted, "reason", res.Reason,
		"solved_since", fresh, "corrections_since", corrections)
	return nil
}
