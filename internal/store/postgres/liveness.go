package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/heardhq/heard/internal/queue"
)

// liveness rescues stranded jobs. Every replica beats a row in
// heard_workers naming the jobs it is working (their leases); a running job
// that no replica with a fresh row names goes back to the queue, whether
// its replica died or only lost the job (say, River could not record its
// outcome while the database hung).
type liveness struct{ pool *pgxpool.Pool }

var _ queue.Liveness = liveness{}

func (l liveness) Beat(ctx context.Context, clientID string, held []int64) error {
	if held == nil {
		held = []int64{}
	}
	_, err := l.pool.Exec(ctx, `INSERT INTO heard_workers (client_id, seen_at, jobs) VALUES ($1, now(), $2)
		ON CONFLICT (client_id) DO UPDATE SET seen_at = now(), jobs = excluded.jobs`, clientID, held)
	if err != nil {
		return fmt.Errorf("recording heartbeat: %w", err)
	}
	return nil
}

func (l liveness) Requeue(ctx context.Context, self string, held []int64, silence time.Duration) (int64, error) {
	if held == nil {
		held = []int64{}
	}
	// The caller's own jobs are judged by held (its memory, fresher than its
	// row); everyone else's by their row.
	tag, err := l.pool.Exec(ctx, `UPDATE river_job j SET state = 'available'
		WHERE j.state = 'running'
		  AND j.attempted_at < now() - make_interval(secs => $3)
		  AND NOT (coalesce(j.attempted_by[array_upper(j.attempted_by, 1)], '') = $1 AND j.id = ANY($2::bigint[]))
		  AND NOT EXISTS (
			SELECT 1 FROM heard_workers w
			WHERE w.client_id = j.attempted_by[array_upper(j.attempted_by, 1)]
			  AND w.client_id <> $1
			  AND w.seen_at > now() - make_interval(secs => $3)
			  AND j.id = ANY(w.jobs))`, self, held, silence.Seconds())
	if err != nil {
		return 0, fmt.Errorf("requeueing jobs whose lease expired: %w", err)
	}
	if _, err := l.pool.Exec(ctx, `DELETE FROM heard_workers WHERE seen_at < now() - interval '1 day'`); err != nil {
		return 0, fmt.Errorf("pruning old heartbeats: %w", err)
	}
	return tag.RowsAffected(), nil
}

func (l liveness) Forget(ctx context.Context, clientID string) error {
	if _, err := l.pool.Exec(ctx, `DELETE FROM heard_workers WHERE client_id = $1`, clientID); err != nil {
		return fmt.Errorf("dropping heartbeat: %w", err)
	}
	return nil
}
