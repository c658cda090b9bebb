package store

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
)

// Schemas a Migration belongs to.
const (
	SchemaHeard = "heard" // heard's own tables (heard_schema_migrations)
	SchemaQueue = "queue" // the job queue's tables (River's river_migration)
)

// Migration is one schema migration that has not been applied yet, as a
// dry run of migrate lists it (postgres.Pending, sqlite.Pending).
type Migration struct {
	Schema  string // SchemaHeard or SchemaQueue
	Version int
}

// String returns e.g. "heard 12".
func (m Migration) String() string { return fmt.Sprintf("%s %d", m.Schema, m.Version) }

// PendingQueueMigrations lists the queue migrations (River's) that
// migrating through driver would apply, applying none.
func PendingQueueMigrations[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) ([]Migration, error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("preparing queue migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		return nil, fmt.Errorf("listing pending queue migrations: %w", err)
	}
	out := make([]Migration, 0, len(res.Versions))
	for _, v := range res.Versions {
		out = append(out, Migration{Schema: SchemaQueue, Version: v.Version})
	}
	return out, nil
}
