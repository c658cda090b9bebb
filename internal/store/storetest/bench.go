package storetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// BenchSaveAndCount is the store's share of one event in a burst, as a
// benchmark body: save the event's record and count the other customers
// with the same issue. Events come from 2,000 customers in 5 categories
// (each customer sends several), from 32 workers at once, with a decision
// trace of about 9 KB; one op is one event.
func BenchSaveAndCount(b *testing.B, s store.Store) {
	b.Helper()
	ctx := b.Context()
	// A trace of about 9 KB of JSON (as the drain benchmark's records
	// have) that compresses about threefold: words drawn from a small
	// vocabulary.
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // benchmark data, not security
	vocab := strings.Fields("refund invoice charge card declined login password reset export csv api token rate limit webhook " +
		"timeout error sync calendar plan upgrade downgrade seat admin role permission mobile android ios crash slow " +
		"report dashboard filter search email bounce domain sso saml okta billing cycle trial cancel churn renewal")
	var reasons []string
	for range 160 {
		var w []string
		for range 8 {
			w = append(w, vocab[rng.IntN(len(vocab))])
		}
		reasons = append(reasons, strings.Join(w, " "))
	}
	detail, err := json.Marshal(map[string]any{
		"ticket": map[string]string{"connector": "zendesk", "id": "123"},
		"mode":   "shadow",
		"decision": map[string]any{
			"priority": "P2", "primary_tag": "billing", "tags": []string{"billing", "refund", "invoice"},
			"churn":   map[string]any{"level": "low", "score": 0.12, "signals": []string{"tenure", "plan"}},
			"reasons": reasons,
		},
		"errors": map[string]string{},
	})
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	b.SetParallelism(16) // 32 workers on two cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			who := fmt.Sprintf("r%d", i%2000)
			cat := fmt.Sprintf("cat%d", i%5)
			if _, err := s.SaveRecord(ctx, store.Record{EventKey: fmt.Sprintf("bench-%d", i), Connector: "zendesk", Kind: sdk.EventTicketUpdated,
				TicketID: fmt.Sprint(i % 2000), Status: "enriched", Attempt: 1, Detail: detail, ProcessedAt: time.Now(), Category: cat, Requester: who}); err != nil {
				b.Error(err)
				return
			}
			if _, err := s.CountSimilar(ctx, "zendesk", cat, who, time.Now().Add(-24*time.Hour)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
