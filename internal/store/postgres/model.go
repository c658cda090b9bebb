package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// modelLock is the first key of the transaction-scoped advisory lock that
// serialises promotions and rollbacks of one kind ("modl"); the second is
// hashtext(kind).
const modelLock int32 = 0x6d6f646c

// SaveModel implements store.Store.
func (s *Store) SaveModel(ctx context.Context, m store.ModelVersion) (int64, error) {
	m, err := store.CheckNewModel(m)
	if err != nil {
		return 0, err
	}
	var v int64
	err = s.pool.QueryRow(ctx, `INSERT INTO heard_models (kind, created_at, meta, blob, status) VALUES ($1, $2, $3, $4, $5) RETURNING version`,
		m.Kind, m.CreatedAt, string(m.Meta), m.Blob, m.Status).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("saving %s model: %w", m.Kind, err)
	}
	return v, nil
}

const modelCols = `version, kind, created_at, meta::text, status, promoted_at, octet_length(blob)`

func scanModel(row pgx.Row, withBlob bool) (store.ModelVersion, error) {
	var m store.ModelVersion
	var meta string
	var promoted *time.Time
	dest := []any{&m.Version, &m.Kind, &m.CreatedAt, &meta, &m.Status, &promoted, &m.Size}
	if withBlob {
		dest = append(dest, &m.Blob)
	}
	if err := row.Scan(dest...); err != nil {
		return m, err
	}
	m.Meta = []byte(meta)
	m.CreatedAt = m.CreatedAt.UTC()
	if promoted != nil {
		m.PromotedAt = promoted.UTC()
	}
	return m, nil
}

// Models implements store.Store.
func (s *Store) Models(ctx context.Context, kind string) ([]store.ModelVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+modelCols+` FROM heard_models WHERE kind = $1 ORDER BY version DESC`, kind)
	if err != nil {
		return nil, fmt.Errorf("listing %s models: %w", kind, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.ModelVersion, error) { return scanModel(row, false) })
	if err != nil {
		return nil, fmt.Errorf("listing %s models: %w", kind, err)
	}
	return out, nil
}

// Model implements store.Store.
func (s *Store) Model(ctx context.Context, kind string, version int64) (store.ModelVersion, error) {
	m, err := scanModel(s.pool.QueryRow(ctx, `SELECT `+modelCols+`, blob FROM heard_models WHERE kind = $1 AND version = $2`, kind, version), true)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, fmt.Errorf("%s model %d: %w", kind, version, sdk.ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("reading %s model %d: %w", kind, version, err)
	}
	return m, nil
}

// CurrentModel implements store.Store.
func (s *Store) CurrentModel(ctx context.Context, kind string) (store.ModelVersion, error) {
	m, err := scanModel(s.pool.QueryRow(ctx, `SELECT `+modelCols+`, blob FROM heard_models WHERE kind = $1 AND status = 'current'`, kind), true)
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := s.pool.QueryRow(ctx, `SELECT version FROM heard_models WHERE kind = $1 AND status = 'current'`, kind).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the current %s model version: %w", kind, err)
	}
	return v, nil
}

// lockModels serialises promotions and rollbacks of kind across
// processes until tx ends.
func lockModels(ctx context.Context, tx pgx.Tx, kind string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, modelLock, kind); err != nil {
		return fmt.Errorf("locking %s models: %w", kind, err)
	}
	return nil
}

// makeCurrent retires kind's current model and makes version current.
func makeCurrent(ctx context.Context, tx pgx.Tx, kind string, version int64) error {
	if _, err := tx.Exec(ctx, `UPDATE heard_models SET status = 'retired' WHERE kind = $1 AND status = 'current'`, kind); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE heard_models SET status = 'current', promoted_at = now() WHERE version = $1`, version)
	return err
}

// PromoteModel implements store.Store.
func (s *Store) PromoteModel(ctx context.Context, kind string, version int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockModels(ctx, tx, kind); err != nil {
			return err
		}
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM heard_models WHERE kind = $1 AND version = $2`, kind, version).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
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
		_, err = tx.Exec(ctx, `INSERT INTO heard_model_promotions (kind, version, promoted_at) VALUES ($1, $2, now())`, kind, version)
		return err
	})
	if err != nil {
		return fmt.Errorf("promoting %s model %d: %w", kind, version, err)
	}
	return nil
}

// promotion is one row of heard_model_promotions: the stack of versions
// that became current, the top one current now.
type promotion struct{ Seq, Version int64 }

// RollbackModel implements store.Store.
func (s *Store) RollbackModel(ctx context.Context, kind string) (int64, error) {
	var restored int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockModels(ctx, tx, kind); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT seq, version FROM heard_model_promotions WHERE kind = $1 ORDER BY seq DESC LIMIT 2`, kind)
		if err != nil {
			return err
		}
		top, err := pgx.CollectRows(rows, pgx.RowToStructByPos[promotion])
		if err != nil {
			return err
		}
		if len(top) < 2 {
			return store.ErrNoPreviousModel
		}
		if _, err := tx.Exec(ctx, `DELETE FROM heard_model_promotions WHERE seq = $1`, top[0].Seq); err != nil {
			return err
		}
		restored = top[1].Version
		return makeCurrent(ctx, tx, kind, restored)
	})
	if err != nil {
		return 0, fmt.Errorf("rolling back the %s model: %w", kind, err)
	}
	return restored, nil
}
