package enrich

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/pipeline"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// TestDecideCreditsOnStores decides a burst of new tickets concurrently,
// each delivered twice, through deciders counting on real stores: SQLite,
// PostgreSQL, and two PostgreSQL replicas (two deciders, two pools, one
// database). The notes must number the tickets 1..n without gap or
// repeat, both deliveries of a ticket must say the same, and exactly the
// tickets beyond the credit are tagged chargeable.
func TestDecideCreditsOnStores(t *testing.T) {
	openPG := func(t *testing.T, url string) store.Store {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatalf("postgres.Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	cases := []struct {
		name   string
		stores func(t *testing.T) []store.Store
	}{
		{"sqlite", func(t *testing.T) []store.Store {
			s, err := sqlite.Open(t.Context(), t.TempDir())
			if err != nil {
				t.Fatalf("sqlite.Open: %v", err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return []store.Store{s}
		}},
		{"postgres", func(t *testing.T) []store.Store { return []store.Store{openPG(t, storetest.PostgresURL(t))} }},
		{"postgres_two_replicas", func(t *testing.T) []store.Store {
			url := storetest.PostgresURL(t)
			return []store.Store{openPG(t, url), openPG(t, url)}
		}},
	}
	const tickets, limit = 30, 20
	line := regexp.MustCompile(`Credits: (\d+) used, (\d+) remaining \(business, 2026-11\)`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Plans.Plans[1].Credit = strconv.Itoa(limit) + "/month" // business
			var deciders []*Decider
			for _, st := range tc.stores(t) {
				tr, err := New(cfg, Deps{Credits: st})
				if err != nil {
					t.Fatal(err)
				}
				deciders = append(deciders, tr)
			}
			var (
				wg  sync.WaitGroup
				mu  sync.Mutex
				got = map[string][]string{} // ticket → note line of each delivery
				tag = map[string]bool{}
			)
			for i := range 2 * tickets {
				tr := deciders[i%len(deciders)]
				id := fmt.Sprint(i % tickets)
				wg.Go(func() {
					tk := ticket("business", "")
					tk.Ref.ID, tk.Organization.ID = id, "org-1"
					res, err := tr.Decide(t.Context(), &pipeline.DecideRequest{Ticket: tk, Mode: config.ModeLive, Kind: sdk.EventTicketCreated})
					if err != nil {
						t.Errorf("Decide(%s): %v", id, err)
						return
					}
					mu.Lock()
					defer mu.Unlock()
					got[id] = append(got[id], line.FindString(res.Explanation.Note))
					tag[id] = tag[id] || slices.Contains(res.Changes.AddTags, "chargeable")
					if len(res.Explanation.Errors) > 0 {
						t.Errorf("ticket %s: errors %v", id, res.Explanation.Errors)
					}
				})
			}
			wg.Wait()
			var used []int
			for id, lines := range got {
				if len(lines) != 2 || lines[0] == "" || lines[0] != lines[1] {
					t.Errorf("ticket %s: note lines %q; want the same credit line twice", id, lines)
					continue
				}
				m := line.FindStringSubmatch(lines[0])
				n, _ := strconv.Atoi(m[1])
				used = append(used, n)
				if want := n > limit; tag[id] != want {
					t.Errorf("ticket %s (#%d): chargeable tag %v; want %v", id, n, tag[id], want)
				}
			}
			slices.Sort(used)
			for i, n := range used {
				if n != i+1 {
					t.Fatalf("positions %v; want 1..%d, each once", used, tickets)
				}
			}
			if len(used) != tickets {
				t.Errorf("%d tickets counted; want %d", len(used), tickets)
			}
		})
	}
}
