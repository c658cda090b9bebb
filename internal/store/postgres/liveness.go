package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/heardhq/heard/internal/queue"
)

// liveness recovers jobs left running by a replica that died. Every replica
// beats a row in heard_workers; a running job whose last worker has not
// beaten within the silence window goes back to the queue.
type liveness struct{ pool *pgxpool.Pool }

var _ queue.Liveness = liveness{}

func (l liveness) Beat(ctx context.Context, clientID string) error {
	_, err := l.pool.Exec(ctx, `INSERT INTO heard_workers (client_id, seen_at) VALUES ($1, now())
		ON CONFLICT (client_id) DO UPDATE SET seen_at = now()`, clientID)
	if err != nil {
		return fmt.Errorf("recording heartbeat: %w", err)
	}
	return nil
}

func (l liveness) Requeue(ctx context.Context, self string, silence time.Duration) (int64, error) {
	tag, err := l.pool.Exec(ctx, `UPDATE river_job j SET state = 'available'
		WHERE j.state = 'running'
		  AND coalesce(j.attempted_by[array_upper(j.attempted_by, 1)], '') <> $1
		  AND NOT EXISTS (
			SELECT 1 FROM heard_workers w
			WHERE w.client_id = j.attempted_by[array_upper(j.attempted_by, 1)]
			  AND w.seen_at > now() - make_interval(secs => $2))`, self, silence.Seconds())
	if err != nil {
		return 0, fmt.Errorf("requeueing jobs of silent replicas: %w", err)
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
