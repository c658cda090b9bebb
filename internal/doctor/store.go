package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/heardhq/heard/internal/store"
)

// Store checks that the store answers and lists the migrations heard
// serve would apply, applying none. driver is "sqlite" or "postgres";
// where says which database (data_dir or the PostgreSQL host, never the
// URL with its password); pending is postgres.Pending or sqlite.Pending
// bound to the configured database.
func Store(driver, where string, pending func(ctx context.Context) ([]store.Migration, error)) Check {
	return func(ctx context.Context) []Result {
		check := "store (" + driver + ")"
		ms, err := pending(ctx)
		if err != nil {
			fix := "check data_dir: heard needs to read and write the directory"
			if driver == "postgres" {
				fix = "check database_url (host, port, user, password, database) and that PostgreSQL is running and reachable from this host"
			}
			if errors.Is(err, context.DeadlineExceeded) {
				err = fmt.Errorf("no answer within the check's timeout: %w", err)
			}
			return []Result{fail(check, fmt.Sprintf("cannot reach the store at %s: %v", where, err), fix)}
		}
		if len(ms) > 0 {
			return []Result{warn(check, fmt.Sprintf("reachable at %s; %d migration(s) not applied yet: %s", where, len(ms), ranges(ms)),
				"heard serve applies them when it starts; to apply them now, run heard migrate (back up the database first)")}
		}
		return []Result{ok(check, "reachable at %s; schema up to date", where)}
	}
}

// ranges lists migrations compactly, runs of versions of one schema as
// ranges: "heard 1-10, queue 3".
func ranges(ms []store.Migration) string {
	var parts []string
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && ms[j+1].Schema == ms[i].Schema && ms[j+1].Version == ms[j].Version+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%s %d-%d", ms[i].Schema, ms[i].Version, ms[j].Version))
		} else {
			parts = append(parts, ms[i].String())
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
