package retrain

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/internal/store/postgres"
	"github.com/heardhq/heard/internal/store/sqlite"
	"github.com/heardhq/heard/internal/store/storetest"
	"github.com/heardhq/heard/sdk"
)

// small keeps training quick under -race.
var small = learned.TrainConfig{Seed: 3, Bits: 16, Epochs: 5, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}

func examples(n int, seed uint64) []learned.Example {
	var out []learned.Example
	for _, t := range synth.Generate(n, seed) {
		out = append(out, learned.Example{Subject: t.Subject, Body: t.Body, Priority: t.Priority, Tags: t.Tags, At: t.At})
	}
	return out
}

// scrambled returns examples whose training part has its labels shuffled
// while the newest part (the holdout) keeps the true ones: a model
// trained on it is worse, and the holdout says so.
func scrambled(ex []learned.Example, fraction float64) []learned.Example {
	out := append([]learned.Example(nil), ex...)
	hold := len(out) - int(float64(len(out))*fraction+0.5)
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range hold {
		j := rng.IntN(hold)
		out[i].Priority, out[j].Priority = out[j].Priority, out[i].Priority
		out[i].Tags, out[j].Tags = out[j].Tags, out[i].Tags
	}
	return out
}

func openStores(t *testing.T) map[string]store.Store {
	t.Helper()
	lite, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pg, err := postgres.Open(t.Context(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lite.Close(); _ = pg.Close() })
	return map[string]store.Store{"sqlite": lite, "postgres": pg}
}

// TestPromotionRefusesAWorseModelAndRollbackRestores trains a good model
// (promoted: nothing to compare with), then one on scrambled labels
// (stored, refused), then rolls back a forced promotion of the bad one and
// checks the good one is served again.
func TestPromotionRefusesAWorseModelAndRollbackRestores(t *testing.T) {
	good := examples(1500, 1)
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			first, err := Run(ctx, st, good, Options{Train: small, Source: "test"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !first.Promoted || first.Current != nil {
				t.Fatalf("first model: %+v; want promoted with nothing to compare", first)
			}
			bad, err := Run(ctx, st, scrambled(good, 0.15), Options{Train: small}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if bad.Promoted {
				t.Fatalf("scrambled model promoted: %s", bad.Reason)
			}
			if bad.Current == nil || bad.Current.Mean <= bad.Candidate.Mean+0.1 {
				t.Fatalf("current %+v vs candidate %+v; want the current clearly better on the holdout", bad.Current, bad.Candidate)
			}
			if bad.Previous != first.Version {
				t.Errorf("compared with v%d; want v%d", bad.Previous, first.Version)
			}
			cur, err := st.CurrentModel(ctx, Kind)
			if err != nil || cur.Version != first.Version {
				t.Fatalf("current = v%d (%v); want v%d", cur.Version, err, first.Version)
			}
			if err := st.PromoteModel(ctx, Kind, bad.Version); err != nil {
				t.Fatal(err)
			}
			srv, err := NewServing(st, learned.MergePolicy{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Refresh(ctx); err != nil || srv.Version() != bad.Version {
				t.Fatalf("serving v%d (%v); want v%d", srv.Version(), err, bad.Version)
			}
			back, err := st.RollbackModel(ctx, Kind)
			if err != nil || back != first.Version {
				t.Fatalf("rollback to v%d (%v); want v%d", back, err, first.Version)
			}
			if err := srv.Refresh(ctx); err != nil || srv.Version() != first.Version {
				t.Fatalf("after rollback serving v%d (%v); want v%d", srv.Version(), err, first.Version)
			}
			hold := Holdout(good, 0.15)
			mv, err := st.Model(ctx, Kind, first.Version)
			if err != nil {
				t.Fatal(err)
			}
			m, err := learned.Unmarshal(mv.Blob)
			if err != nil {
				t.Fatal(err)
			}
			if s := Evaluate(m, hold); s != first.Candidate {
				t.Errorf("restored model scores %+v; want %+v as when it was trained", s, first.Candidate)
			}
		})
	}
}

// TestReplicasServeTheSameVersion runs two serving replicas on two
// independent stores over one PostgreSQL database: after a promotion on
// one, both serve the new version, and their predictions agree.
func TestReplicasServeTheSameVersion(t *testing.T) {
	url := storetest.PostgresURL(t)
	var stores []store.Store
	var servers []*Serving
	for range 2 {
		st, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		srv, err := NewServing(st, learned.MergePolicy{MinClassExamples: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		stores, servers = append(stores, st), append(servers, srv)
	}
	ctx := t.Context()
	for _, s := range servers {
		if err := s.Refresh(ctx); err != nil || s.Version() != 0 {
			t.Fatalf("before any model: v%d (%v); want 0", s.Version(), err)
		}
		resp, err := s.Classify(ctx, &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: "refund please"}})
		if err != nil || len(resp.Predictions) != 0 {
			t.Fatalf("no model: %v, %v; want no predictions", resp, err)
		}
	}
	out, err := Run(ctx, stores[0], examples(1200, 2), Options{Train: small}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tk := &sdk.Ticket{Subject: "I was charged twice this month", Messages: []sdk.Message{{Body: "Please refund the second charge on my card."}}}
	var preds [2][]sdk.Prediction
	for i, s := range servers {
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Version() != out.Version {
			t.Fatalf("replica %d serves v%d; want v%d", i, s.Version(), out.Version)
		}
		resp, err := s.Classify(ctx, &sdk.ClassifyRequest{Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		preds[i] = resp.Predictions
	}
	if len(preds[0]) == 0 || len(preds[0]) != len(preds[1]) {
		t.Fatalf("predictions %v and %v; want the same, non-empty", preds[0], preds[1])
	}
	for i := range preds[0] {
		if preds[0][i].Value != preds[1][i].Value || preds[0][i].Confidence != preds[1][i].Confidence {
			t.Errorf("replicas disagree: %+v vs %+v", preds[0][i], preds[1][i])
		}
	}
}

func TestRunNeedsExamples(t *testing.T) {
	st := openStores(t)["sqlite"]
	_, err := Run(t.Context(), st, examples(5, 1), Options{Train: small}, nil)
	if !errors.Is(err, sdk.ErrInvalid) {
		t.Fatalf("err = %v; want sdk.ErrInvalid for too few examples", err)
	}
	if _, err := st.CurrentModel(context.WithoutCancel(t.Context()), Kind); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("a failed run left a current model: %v", err)
	}
}
