package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// SaveModel implements store.Store.
func (s *Store) SaveModel(ctx context.Context, m store.ModelVersion) (int64, error) {
	m, err := store.CheckNewModel(m)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO heard_models (kind, created_at, meta, blob, status) VALUES (?, ?, ?, ?, ?)`,
		m.Kind, m.CreatedAt.Format(time.RFC3339Nano), string(m.Meta), m.Blob, m.Status)
	if err != nil {
		return 0, fmt.Errorf("saving %s model: %w", m.Kind, err)
	}
	v, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("saving %s model: %w", m.Kind, err)
	}
	return v, nil
}

const modelCols = `version, kind, created_at, meta, status, promoted_at, length(blob)`

func scanModel(sc scanner, withBlob bool) (store.ModelVersion, error) {
	var m store.ModelVersion
	var created, promoted, meta string
	dest := []any{&m.Version, &m.Kind, &created, &meta, &m.Status, &promoted, &m.Size}
	if withBlob {
		dest = append(dest, &m.Blob)
	}
	if err := sc.Scan(dest...); err != nil {
		return m, err
	}
	m.Meta = []byte(meta)
	var err error
	if m.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return m, fmt.Errorf("parsing created_at %q: %w", created, err)
	}
	if promoted != "" {
		if m.PromotedAt, err = time.Parse(time.RFC3339Nano, promoted); err != nil {
			return m, fmt.Errorf("parsing promoted_at %q: %w", promoted, err)
		}
	}
	if withBlob && m.Blob == nil {
		m.Blob = []byte{}
	}
	return m, nil
}

// Models implements store.Store.
func (s *Store) Models(ctx context.Context, kind string) ([]store.ModelVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+modelCols+` FROM heard_models WHERE kind = ? ORDER BY version DESC`, kind)
	if err != nil {
		return nil, fmt.Errorf("listing %s models: %w", kind, err)
	}
	defer rows.Close()
	var out []store.ModelVersion
	for rows.Next() {
		m, err := scanModel(rows, false)
		if err != nil {
			return nil, fmt.Errorf("listing %s models: %w", kind, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing %s models: %w", kind, err)
	}
	return out, nil
}

// Model implements store.Store.
func (s *Store) Model(ctx context.Context, kind string, version int64) (store.ModelVersion, error) {
	m, err := scanModel(s.db.QueryRowContext(ctx, `SELECT `+modelCols+`, blob FROM heard_models WHERE kind = ? AND version = ?`, kind, version), true)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("%s model %d: %w", kind, version, sdk.ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("reading %s model %d: %w", kind, version, err)
	}
	return m, nil
}

// CurrentModel implements store.Store.
func (s *Store) CurrentModel(ctx context.Context, kind string) (store.ModelVersion, error) {
	m, err := scanModel(s.db.QueryRowContext(ctx, `SELECT `+modelCols+`, blob FROM heard_models WHERE kind = ? AND status = 'current'`, kind), true)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("current %s model: none was promoted: %w", kind, sdk.ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("reading the current %s model: %w", kind, err)
	}
	return m, nil
}

// CurrentModelVersion implements store.Store.
func (s *Store) CurrentModelVersion(ctx context.Context, kind string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM heard_models WHERE kind = ? AND status = 'current'`, kind).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the current %s model version: %w", kind, err)
	}
	return v, nil
}

// makeCurrent retires kind's current model and makes version current.
func makeCurrent(ctx context.Context, tx *sql.Tx, kind string, version int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE heard_models SET status = 'retired' WHERE kind = ? AND status = 'current'`, kind); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE heard_models SET status = 'current', promoted_at = ? WHERE version = ?`, now(), version)
	return err
}

// inTx runs f in a transaction. The database's transactions begin
// IMMEDIATE (a write lock at once), so promotions from several processes
// on one file are serialised.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// PromoteModel implements store.Store.
func (s *Store) PromoteModel(ctx context.Context, kind string, version int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM heard_models WHERE kind = ? AND version = ?`, kind, version).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s model %d: %w", kind, version, sdk.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status == store.ModelCurrent {
			return nil
		}
		if err := makeCurrent(ctx, tx, kind, version); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO heard_model_promotions (kind, version, promoted_at) VALUES (?, ?, ?)`, kind, version, now())
		return err
	})
	if err != nil {
		return fmt.Errorf("promoting %s model %d: %w", kind, version, err)
	}
	return nil
}

// RollbackModel implements store.Store.
func (s *Store) RollbackModel(ctx context.Context, kind string) (int64, error) {
	var restored int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT seq, version FROM heard_model_promotions WHERE kind = ? ORDER BY seq DESC LIMIT 2`, kind)
		if err != nil {
			return err
		}
		defer rows.Close()
		var top [][2]int64
		for rows.Next() {
			var p [2]int64
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				return err
			}
			top = append(top, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if len(top) < 2 {
			return store.ErrNoPreviousModel
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM heard_model_promotions WHERE seq = ?`, top[0][0]); err != nil {
			return err
		}
		restored = top[1][1]
		return makeCurrent(ctx, tx, kind, restored)
	})
	if err != nil {
		return 0, fmt.Errorf("rolling back the %s model: %w", kind, err)
	}
	return restored, nil
}
