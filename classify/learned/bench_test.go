package learned_test

import (
	"testing"

	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/synth"
)

func examples(n int, seed uint64) []learned.Example {
	var out []learned.Example
	for _, t := range synth.Generate(n, seed) {
		out = append(out, learned.Example{Subject: t.Subject, Body: t.Body, Priority: t.Priority, Tags: t.Tags, Sentiment: t.Sentiment, At: t.At})
	}
	return out
}

func benchmarkTrain(b *testing.B, n int) {
	b.Helper()
	exs := examples(n, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := learned.Train(b.Context(), exs, learned.TrainConfig{Seed: 1, Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
}

func BenchmarkTrain1k(b *testing.B)  { benchmarkTrain(b, 1000) }
func BenchmarkTrain10k(b *testing.B) { benchmarkTrain(b, 10000) }

func BenchmarkPredict(b *testing.B) {
	exs := examples(3000, 1)
	m, _, err := learned.Train(b.Context(), exs, learned.TrainConfig{Seed: 1, Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	test := examples(500, 2)
	i := 0
	for b.Loop() {
		ex := test[i%len(test)]
		m.Predict(ex.Subject, ex.Body)
		i++
	}
}
