package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// testCredits: tickets take positions 1, 2, 3 in their bucket; a bucket is
// one account's plan in one period; a ticket counted again keeps its first
// position and is not new, whatever bucket the repeat names.
func testCredits(t *testing.T, s store.Store) {
	ctx := t.Context()
	steps := []struct {
		account, plan, period, ticket string
		wantUsed                      int
		wantNew                       bool
	}{
		{"z/org:1", "business", "2026-12", "z/1", 1, true},
		{"z/org:1", "business", "2026-12", "z/2", 2, true},
		{"z/org:1", "business", "2026-12", "z/1", 1, false}, // redelivered
		{"z/org:1", "business", "2027-01", "z/3", 1, true},  // next period
		{"z/org:2", "business", "2026-12", "z/4", 1, true},  // other account
		{"z/org:1", "api-gold", "2026-12", "z/5", 1, true},  // the account's other plan
		{"z/org:1", "business", "2026-12", "y/1", 3, true},  // same ticket ID on another connector
		{"z/org:1", "business", "2027-01", "z/2", 2, false}, // a repeat naming another period
		{"z/org:1", "business", "2026-12", "z/6", 4, true},
	}
	for i, st := range steps {
		used, isNew, err := s.CountTicket(ctx, st.account, st.plan, st.period, st.ticket)
		if err != nil {
			t.Fatalf("step %d: CountTicket(%s, %s, %s, %s): %v", i, st.account, st.plan, st.period, st.ticket, err)
		}
		if used != st.wantUsed || isNew != st.wantNew {
			t.Errorf("step %d: CountTicket(%s, %s, %s, %s) = %d, %v; want %d, %v", i, st.account, st.plan, st.period, st.ticket, used, isNew, st.wantUsed, st.wantNew)
		}
	}
	for _, args := range [][4]string{{"", "p", "2026-12", "k"}, {"a", "", "2026-12", "k"}, {"a", "p", "", "k"}, {"a", "p", "2026-12", ""}} {
		if _, _, err := s.CountTicket(ctx, args[0], args[1], args[2], args[3]); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("CountTicket(%q) = %v; want sdk.ErrInvalid", args, err)
		}
	}
}

// testCreditsConcurrently counts on s from many goroutines at once.
func testCreditsConcurrently(t *testing.T, s store.Store) { CreditsConcurrently(t, s, s) }

type creditCount struct {
	ticket string
	used   int
	isNew  bool
}

// CreditsConcurrently counts tickets from many goroutines at once, half
// of them on a and half on b (two replicas on one database, or the same
// store twice): 60 distinct tickets in one bucket and 20 in another,
// every ticket counted three times. Each ticket must be new exactly once;
// the new counts of a bucket must take the positions 1..n with no gap or
// repeat; and every repeat must report its ticket's position.
func CreditsConcurrently(t *testing.T, a, b store.Store) {
	t.Helper()
	ctx := t.Context()
	type job struct{ plan, ticket string }
	var jobs []job
	for i := range 80 {
		plan := "business"
		if i%4 == 3 {
			plan = "starter"
		}
		for range 3 {
			jobs = append(jobs, job{plan, fmt.Sprintf("zendesk/%d", i)})
		}
	}
	var (
		mu   sync.Mutex
		got  []creditCount
		errs []error
		wg   sync.WaitGroup
	)
	start := make(chan struct{})
	for i, j := range jobs {
		st := a
		if i%2 == 1 {
			st = b
		}
		wg.Go(func() {
			<-start
			used, isNew, err := st.CountTicket(ctx, "zendesk/org:7", j.plan, "2026-Q4", j.ticket)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			got = append(got, creditCount{j.plan + " " + j.ticket, used, isNew})
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("CountTicket: %v", err)
	}
	newAt := map[string]int{}       // ticket → position it was counted at
	positions := map[string][]int{} // plan → positions handed out
	for _, c := range got {
		if !c.isNew {
			continue
		}
		if _, dup := newAt[c.ticket]; dup {
			t.Errorf("%s counted as new twice", c.ticket)
		}
		newAt[c.ticket] = c.used
		plan, _, _ := strings.Cut(c.ticket, " ")
		positions[plan] = append(positions[plan], c.used)
	}
	if len(newAt) != 80 {
		t.Errorf("%d tickets counted as new; want 80", len(newAt))
	}
	for plan, want := range map[string]int{"business": 60, "starter": 20} {
		ps := positions[plan]
		slices.Sort(ps)
		for i, p := range ps {
			if p != i+1 {
				t.Errorf("%s positions = %v; want 1..%d, each once", plan, ps, want)
				break
			}
		}
		if len(ps) != want {
			t.Errorf("%s: %d new tickets; want %d", plan, len(ps), want)
		}
	}
	for _, c := range got {
		if !c.isNew && c.used != newAt[c.ticket] {
			t.Errorf("repeat of %s reported position %d; its count was %d", c.ticket, c.used, newAt[c.ticket])
		}
	}
	// After the storm, one more ticket takes the next position on either store.
	if used, isNew, err := b.CountTicket(ctx, "zendesk/org:7", "business", "2026-Q4", "zendesk/new"); err != nil || used != 61 || !isNew {
		t.Errorf("next CountTicket = %d, %v, %v; want 61, true", used, isNew, err)
	}
}
