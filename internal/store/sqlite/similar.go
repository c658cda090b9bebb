package sqlite

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// similar mirrors heard_requesters in memory for CountSimilar. SQLite has
// one writer process (the data directory's lock) and every change to the
// table goes through saveRecords, which reports each row it changed after
// its commit, so the mirror is exact: per (connector, category) it holds
// every row with last_at >= floor, loaded from the table the first time
// the category is counted (or when a count reaches further back) and kept
// current from then on. Counting then walks a map instead of the index (a
// range scan of the category's recent customers in SQLite's bytecode was
// about 5% of heard's CPU under a burst).
type similar struct {
	mu   sync.Mutex
	cats map[similarKey]*similarCat
}

type similarKey struct{ connector, category string }

type similarCat struct {
	floor int64            // unix ns: every row with last_at >= floor is in at
	at    map[string]int64 // requester → last_at (unix ns)
}

// pruneAfter is how far a count's window may move past a category's floor
// before the rows that fell out of it are dropped from memory.
const pruneAfter = time.Hour

// count returns how many requesters of the category other than exclude
// have last_at >= since, loading the category with load when the mirror
// does not reach back to since.
func (m *similar) count(ctx context.Context, k similarKey, exclude string, since int64, load func(ctx context.Context, since int64) (map[string]int64, error)) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cats[k]
	if c == nil || since < c.floor {
		// Loaded under the lock: a save committed meanwhile reports its
		// rows after this returns and is applied to the loaded rows.
		rows, err := load(ctx, since)
		if err != nil {
			return 0, err
		}
		if m.cats == nil {
			m.cats = map[similarKey]*similarCat{}
		}
		c = &similarCat{floor: since, at: rows}
		m.cats[k] = c
	} else if since-c.floor > int64(pruneAfter) {
		for r, at := range c.at {
			if at < since {
				delete(c.at, r)
			}
		}
		c.floor = since
	}
	n := 0
	for r, at := range c.at {
		if at >= since && r != exclude {
			n++
		}
	}
	return n, nil
}

// changed applies rows saveRecords committed: each is a requester's new
// last_at in its category.
func (m *similar) changed(rows []requesterRow) {
	if len(rows) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range rows {
		c := m.cats[similarKey{r.connector, r.category}]
		if c == nil {
			continue // not loaded: the table has it
		}
		if r.lastAt >= c.floor {
			c.at[r.requester] = r.lastAt
		} else {
			delete(c.at, r.requester)
		}
	}
}

// requesterRow is a heard_requesters row as written.
type requesterRow struct {
	connector, category, requester string
	lastAt                         int64
}

// loadRequesters reads the category's rows with last_at >= since.
func (s *Store) loadRequesters(ctx context.Context, k similarKey, since int64) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT requester, last_at FROM heard_requesters
		WHERE connector = ? AND category = ? AND last_at >= ?`, k.connector, k.category, since)
	if err != nil {
		return nil, fmt.Errorf("counting similar tickets: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var r string
		var at int64
		if err := rows.Scan(&r, &at); err != nil {
			return nil, fmt.Errorf("counting similar tickets: %w", err)
		}
		out[r] = at
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting similar tickets: %w", err)
	}
	return out, nil
}
