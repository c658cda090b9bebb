package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/heardhq/heard/internal/queue"
)

// liveness recovers jobs after a crash. One heard process works an SQLite
// store at a time (a lock file enforces it), so at start every job still
// marked running belongs to a process that died: it goes back to the queue,
// and the dead process's leadership is released at once instead of waiting
// for its lease to expire.
type liveness struct {
	db   execer
	dir  string
	mu   sync.Mutex
	lock *os.File
}

var _ queue.Liveness = (*liveness)(nil)

func (l *liveness) Beat(_ context.Context, _ string) error {
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

func (l *liveness) Requeue(ctx context.Context, self string, _ time.Duration) (int64, error) {
	res, err := l.db.ExecContext(ctx, `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND coalesce(json_extract(attempted_by, '$[#-1]'), '') != ?`, self)
	if err != nil {
		return 0, fmt.Errorf("requeueing jobs of stopped processes: %w", err)
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
