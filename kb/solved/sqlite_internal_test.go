package solved

import (
	"math"
	"testing"
)

func TestCosineBlob(t *testing.T) {
	cases := []struct {
		name string
		a, b []float32
		want float64
	}{
		{"same", []float32{1, 2, 3}, []float32{1, 2, 3}, 1},
		{"scaled", []float32{1, 2, 3}, []float32{2, 4, 6}, 1},
		{"opposite", []float32{1, -1}, []float32{-1, 1}, -1},
		{"orthogonal", []float32{1, 0}, []float32{0, 5}, 0},
		{"45 degrees", []float32{1, 0}, []float32{1, 1}, 1 / math.Sqrt2},
		{"zero query", []float32{0, 0}, []float32{1, 1}, 0},
		{"zero stored", []float32{1, 1}, []float32{0, 0}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cosineBlob(tc.a, encodeVector(tc.b)); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("cosineBlob(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}
