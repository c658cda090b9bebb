package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

const kind = store.ModelClassifier

// statuses returns version → status of kind's models.
func statuses(t *testing.T, s store.Store, kind string) map[int64]string {
	t.Helper()
	ms, err := s.Models(t.Context(), kind)
	if err != nil {
		t.Fatalf("Models: %v", err)
	}
	out := map[int64]string{}
	for _, m := range ms {
		out[m.Version] = m.Status
	}
	return out
}

// wantCurrent checks that version is kind's only current model, through
// every read that reports it.
func wantCurrent(t *testing.T, s store.Store, version int64) {
	t.Helper()
	ctx := t.Context()
	v, err := s.CurrentModelVersion(ctx, kind)
	if err != nil || v != version {
		t.Fatalf("CurrentModelVersion = %d, %v; want %d", v, err, version)
	}
	m, err := s.CurrentModel(ctx, kind)
	if err != nil || m.Version != version || m.Status != store.ModelCurrent {
		t.Fatalf("CurrentModel = v%d %q, %v; want v%d current", m.Version, m.Status, err, version)
	}
	n := 0
	for v, st := range statuses(t, s, kind) {
		if st == store.ModelCurrent {
			n++
			if v != version {
				t.Errorf("model %d is current too", v)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d current models; want 1", n)
	}
}

// SaveModels saves n candidate models of kind with distinct blobs and
// metas and returns their versions, oldest first.
func SaveModels(t *testing.T, s store.Store, n int) []int64 {
	t.Helper()
	var out []int64
	for i := range n {
		v, err := s.SaveModel(t.Context(), store.ModelVersion{
			Kind: kind, Blob: []byte(fmt.Sprintf("model-%d", i)),
			Meta: json.RawMessage(fmt.Sprintf(`{"metrics":{"priority":{"accuracy":0.%d}},"i":%d}`, 5+i, i)),
		})
		if err != nil {
			t.Fatalf("SaveModel %d: %v", i, err)
		}
		out = append(out, v)
	}
	return out
}

func testModels(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.CurrentModel(ctx, kind); !errors.Is(err, sdk.ErrNotFound) {
		t.Fatalf("CurrentModel on an empty store = %v; want ErrNotFound", err)
	}
	if v, err := s.CurrentModelVersion(ctx, kind); err != nil || v != 0 {
		t.Fatalf("CurrentModelVersion on an empty store = %d, %v; want 0, nil", v, err)
	}
	if _, err := s.RollbackModel(ctx, kind); !errors.Is(err, store.ErrNoPreviousModel) || !errors.Is(err, sdk.ErrNotFound) {
		t.Fatalf("RollbackModel on an empty store = %v; want ErrNoPreviousModel", err)
	}

	// Invalid models are refused.
	for name, m := range map[string]store.ModelVersion{
		"no kind":      {Blob: []byte("x")},
		"bad meta":     {Kind: kind, Meta: json.RawMessage(`{"a":`)},
		"born current": {Kind: kind, Status: store.ModelCurrent},
	} {
		if _, err := s.SaveModel(ctx, m); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("SaveModel(%s) = %v; want ErrInvalid", name, err)
		}
	}

	created := time.Date(2026, 4, 1, 9, 30, 0, 250000000, time.UTC)
	blob := bytes.Repeat([]byte{0, 1, 2, 255}, 1000)
	meta := json.RawMessage(`{"metrics":{"priority":{"accuracy":0.81}},"ece":0.04,"taxonomy":["billing","login"]}`)
	v1, err := s.SaveModel(ctx, store.ModelVersion{Kind: kind, CreatedAt: created, Meta: meta, Blob: blob, Version: 99})
	if err != nil {
		t.Fatalf("SaveModel: %v", err)
	}
	other, err := s.SaveModel(ctx, store.ModelVersion{Kind: "other", Blob: []byte("o")})
	if err != nil {
		t.Fatalf("SaveModel(other kind): %v", err)
	}
	vs := SaveModels(t, s, 3)
	v2, v3, v4 := vs[0], vs[1], vs[2]
	order := []int64{v1, other, v2, v3, v4}
	for i := 1; i < len(order); i++ {
		if order[i] <= order[i-1] {
			t.Fatalf("versions %v: want increasing in the order saved", order)
		}
	}

	m, err := s.Model(ctx, kind, v1)
	if err != nil {
		t.Fatalf("Model(%d): %v", v1, err)
	}
	if m.Version != v1 || m.Kind != kind || !m.CreatedAt.Equal(created) || m.Status != store.ModelCandidate ||
		!bytes.Equal(m.Blob, blob) || m.Size != int64(len(blob)) || !m.PromotedAt.IsZero() {
		t.Errorf("Model(%d) = v%d %s created %v status %q size %d promoted %v, blob equal %v; want what was saved, a candidate",
			v1, m.Version, m.Kind, m.CreatedAt, m.Status, m.Size, m.PromotedAt, bytes.Equal(m.Blob, blob))
	}
	if string(m.Meta) != string(meta) {
		t.Errorf("Meta = %s; want it kept as given: %s", m.Meta, meta)
	}
	if _, err := s.Model(ctx, kind, v4+100); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Model(unknown) = %v; want ErrNotFound", err)
	}
	if _, err := s.Model(ctx, kind, other); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Model(another kind's version) = %v; want ErrNotFound", err)
	}
	if got, err := s.Model(ctx, "other", other); err != nil || string(got.Blob) != "o" || string(got.Meta) != "{}" {
		t.Errorf("Model(other) = blob %q meta %s, %v; want blob o, meta {}", got.Blob, got.Meta, err)
	}

	list, err := s.Models(ctx, kind)
	if err != nil {
		t.Fatalf("Models: %v", err)
	}
	var got []int64
	for _, m := range list {
		got = append(got, m.Version)
		if m.Blob != nil {
			t.Errorf("Models returned the blob of %d", m.Version)
		}
		if m.Status != store.ModelCandidate {
			t.Errorf("model %d status %q; want candidate", m.Version, m.Status)
		}
	}
	if want := []int64{v4, v3, v2, v1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Models versions = %v; want %v (newest first, this kind only)", got, want)
	}
	if list[3].Size != int64(len(blob)) {
		t.Errorf("Models size of %d = %d; want %d", v1, list[3].Size, len(blob))
	}

	// Promotions.
	if err := s.PromoteModel(ctx, kind, v4+100); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("PromoteModel(unknown) = %v; want ErrNotFound", err)
	}
	if err := s.PromoteModel(ctx, kind, other); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("PromoteModel(another kind's version) = %v; want ErrNotFound", err)
	}
	before := time.Now().Add(-time.Minute)
	for _, v := range []int64{v1, v2, v3} {
		if err := s.PromoteModel(ctx, kind, v); err != nil {
			t.Fatalf("PromoteModel(%d): %v", v, err)
		}
		wantCurrent(t, s, v)
	}
	if err := s.PromoteModel(ctx, kind, v3); err != nil { // already current: no change
		t.Fatalf("PromoteModel(current): %v", err)
	}
	wantCurrent(t, s, v3)
	cur, _ := s.CurrentModel(ctx, kind)
	if cur.PromotedAt.Before(before) || string(cur.Blob) != "model-1" {
		t.Errorf("current model promoted at %v, blob %q; want a recent time and blob model-1", cur.PromotedAt, cur.Blob)
	}
	st := statuses(t, s, kind)
	if st[v1] != store.ModelRetired || st[v2] != store.ModelRetired || st[v4] != store.ModelCandidate {
		t.Errorf("statuses = %v; want %d, %d retired, %d candidate", st, v1, v2, v4)
	}
	if v, err := s.CurrentModelVersion(ctx, "other"); err != nil || v != 0 {
		t.Errorf("CurrentModelVersion(other) = %d, %v; want 0: promotions are per kind", v, err)
	}

	// Rollback goes one promotion back each time, then stops.
	for _, want := range []int64{v2, v1} {
		got, err := s.RollbackModel(ctx, kind)
		if err != nil || got != want {
			t.Fatalf("RollbackModel = %d, %v; want %d", got, err, want)
		}
		wantCurrent(t, s, want)
	}
	if st := statuses(t, s, kind); st[v2] != store.ModelRetired || st[v3] != store.ModelRetired {
		t.Errorf("after rollbacks statuses = %v; want %d and %d retired", st, v2, v3)
	}
	if _, err := s.RollbackModel(ctx, kind); !errors.Is(err, store.ErrNoPreviousModel) {
		t.Fatalf("third RollbackModel = %v; want ErrNoPreviousModel", err)
	}
	wantCurrent(t, s, v1) // a refused rollback changes nothing

	// A retired model can be promoted again, and rollback returns to the
	// one it replaced.
	if err := s.PromoteModel(ctx, kind, v3); err != nil {
		t.Fatalf("PromoteModel(retired %d): %v", v3, err)
	}
	wantCurrent(t, s, v3)
	if got, err := s.RollbackModel(ctx, kind); err != nil || got != v1 {
		t.Fatalf("RollbackModel after re-promotion = %d, %v; want %d", got, err, v1)
	}
	wantCurrent(t, s, v1)
}

func testModelPromoteConcurrently(t *testing.T, s store.Store) {
	ModelPromoteRace(t, []store.Store{s})
}

// ModelPromoteRace saves models through the first store, then promotes
// them from many goroutines spread over the stores (replicas of one
// database) and checks that exactly one model is current afterwards, that
// every store reports the same one, and that rollback walks back through
// distinct promotions.
func ModelPromoteRace(t *testing.T, stores []store.Store) {
	ctx := t.Context()
	vs := SaveModels(t, stores[0], 8)
	const workers = 16
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range workers {
		s := stores[i%len(stores)]
		v := vs[i%len(vs)]
		wg.Go(func() {
			if err := s.PromoteModel(ctx, kind, v); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent PromoteModel: %v", err)
	}
	cur, err := stores[0].CurrentModelVersion(ctx, kind)
	if err != nil || cur == 0 {
		t.Fatalf("CurrentModelVersion after the race = %d, %v; want a version", cur, err)
	}
	for _, s := range stores {
		wantCurrent(t, s, cur)
	}
	// Each rollback restores a different model than the one it leaves
	// (a promotion of the current model is no promotion).
	prev := cur
	for range workers {
		v, err := stores[len(stores)-1].RollbackModel(ctx, kind)
		if errors.Is(err, store.ErrNoPreviousModel) {
			break
		}
		if err != nil {
			t.Fatalf("RollbackModel: %v", err)
		}
		if v == prev {
			t.Fatalf("RollbackModel restored %d, the model it replaced", v)
		}
		for _, s := range stores {
			wantCurrent(t, s, v)
		}
		prev = v
	}
}
