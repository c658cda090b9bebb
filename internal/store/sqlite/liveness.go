package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/heardhq/heard/internal/queue"
)

// liveness rescues stranded jobs. One heard process works an SQLite store
// at a time (a lock file enforces it), so every job marked running by
// another client belongs to a process that died: it goes back to the queue
// at once, and the dead process's leadership is released instead of
// waiting for its lease to expire. The process's own running jobs go back
// when it no longer works them (River could not record their outcome) and
// they were fetched longer than the silence window ago.
type liveness struct {
	db   execer
	dir  string
	mu   sync.Mutex
	lock *os.File
}

var _ queue.Liveness = (*liveness)(nil)

func (l *liveness) Beat(_ context.Context, _ string, _ []int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lock != nil {
		return nil
	}
	f, err := lockFile(filepath.Join(l.dir, "heard.lock"))
	if err != nil {
		return fmt.Errorf("data directory %s is in use by another heard process (or not writable): %w", l.dir, err)
	}
	l.lock = f
	return nil
}

func (l *liveness) Requeue(ctx context.Context, self string, held []int64, silence time.Duration) (int64, error) {
	ids, err := json.Marshal(append([]int64{}, held...))
	if err != nil {
		return 0, fmt.Errorf("requeueing stranded jobs: %w", err)
	}
	res, err := l.db.ExecContext(ctx, `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND (
			coalesce(json_extract(attempted_by, '$[#-1]'), '') != ?
			OR (attempted_at < datetime('now', 'subsec', ?) AND id NOT IN (SELECT value FROM json_each(?))))`,
		self, fmt.Sprintf("-%.3f seconds", silence.Seconds()), string(ids))
	if err != nil {
		return 0, fmt.Errorf("requeueing stranded jobs: %w", err)
	}
	if _, err := l.db.ExecContext(ctx, `DELETE FROM river_leader WHERE leader_id != ?`, self); err != nil {
		return 0, fmt.Errorf("releasing a stopped process's leadership: %w", err)
	}
	return res.RowsAffected()
}

func (l *liveness) Forget(_ context.Context, _ string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lock == nil {
		return nil
	}
	err := unlockFile(l.lock)
	l.lock = nil
	return err
}
