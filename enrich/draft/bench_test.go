package draft

import (
	"testing"
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
