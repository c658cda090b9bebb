package store

import (
	"context"
	"time"
)

// TimelineRange reads timeline entries across tickets by time, for
// reports over a period.
type TimelineRange interface {
	// TimelineBetween returns the entries (of connector, "" for all) whose
	// At is in [from, to), ordered by At, then connector, ticket and Seq;
	// none is an empty slice, not an error.
	TimelineBetween(ctx context.Context, connector string, from, to time.Time) ([]TimelineEntry, error)
}
