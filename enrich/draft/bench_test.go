package draft

import (
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// BenchmarkTemplateDraftAndScore measures one template draft with its
// rubric (Template.Draft scores the draft it writes), per situation and
// over all scenarios.
func BenchmarkTemplateDraftAndScore(b *testing.B) {
	tp := newTemplate(b, TemplateConfig{})
	scs := scenarios()
	b.Run("bug-report-en", func(b *testing.B) {
		req := scs[0].req
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tp.Draft(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all-scenarios", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := tp.Draft(b.Context(), scs[i%len(scs)].req); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("drain-mix", func(b *testing.B) {
		// The drain benchmark's eight kinds of ticket (golden messages
		// 4 to 11), as the enrich decider hands them over.
		var reqs []Request
		for i, m := range goldenMessages[4:12] {
			reqs = append(reqs, Request{
				Ticket:   &sdk.Ticket{Subject: m[0], Requester: sdk.Party{Name: "Dana"}, Messages: []sdk.Message{{Body: m[1]}}},
				Priority: sdk.P2, PrimaryTag: []string{"billing", "account", "bug", "how-to", "billing", "bug", "feature-request", "integration"}[i],
				Sentiment: sdk.SentimentNeutral, Language: "en", Now: testNow, ResolutionDue: testNow.Add(24 * time.Hour),
			})
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := tp.Draft(b.Context(), reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkScore measures the rubric alone on a finished draft.
func BenchmarkScore(b *testing.B) {
	req := scenarios()[0].req
	d, err := newTemplate(b, TemplateConfig{}).Draft(b.Context(), req)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Score(d.Text, req)
	}
}
