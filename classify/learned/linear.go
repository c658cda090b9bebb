package learned

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// rowVector is a feature vector over the training rows.
type rowVector struct {
	rows []int32
	vals []float32
}

// linear is one field's model during training: k columns per row, a
// softmax over them, or k independent sigmoids when multi.
type linear struct {
	k     int
	multi bool
	w, g  []float64 // weights and AdaGrad's squared-gradient sums, rows×k
	b, gb []float64
}

func newLinear(rows, k int, multi bool) *linear {
	return &linear{k: k, multi: multi, w: make([]float64, rows*k), g: make([]float64, rows*k),
		b: make([]float64, k), gb: make([]float64, k)}
}

// classWeights balances the classes: weight sqrt(n/(k·n_c)) for a single-label
// field (the square root keeps the calibration close while still lifting
// rare classes); for a multi-label one, per class, the positives and the negatives
// each weigh half of the examples.
func classWeights(sp *fieldSpec, idx []int) (single []float64, pos, neg []float64) {
	k := len(sp.classes)
	count := make([]float64, k)
	for _, i := range idx {
		for c := range k {
			if sp.has(i, c) {
				count[c]++
			}
		}
	}
	n := float64(len(idx))
	if !sp.multi {
		single = make([]float64, k)
		present := 0.0
		for _, c := range count {
			if c > 0 {
				present++
			}
		}
		for c := range k {
			if count[c] > 0 {
				single[c] = math.Sqrt(n / (present * count[c]))
			}
		}
		return single, nil, nil
	}
	pos, neg = make([]float64, k), make([]float64, k)
	for c := range k {
		if count[c] > 0 {
			pos[c] = n / (2 * count[c])
		}
		if count[c] < n {
			neg[c] = n / (2 * (n - count[c]))
		}
	}
	return nil, pos, neg
}

// fit runs epochs of AdaGrad SGD over the examples idx in an order
// shuffled by rng, with L2 applied to the weights each update touches.
func (l *linear) fit(ctx context.Context, xs []rowVector, idx []int, sp *fieldSpec, cfg TrainConfig, rng *rand.Rand, epoch func(int)) error {
	if len(idx) == 0 {
		return nil
	}
	single, pos, neg := classWeights(sp, idx)
	order := append([]int(nil), idx...)
	z := make([]float64, l.k)
	grad := make([]float64, l.k)
	const eps = 1e-8
	lr, l2 := cfg.LearningRate, cfg.L2
	for e := 1; e <= cfg.Epochs; e++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("epoch %d: %w", e, err)
		}
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			x := &xs[i]
			copy(z, l.b)
			for t, r := range x.rows {
				v := float64(x.vals[t])
				w := l.w[int(r)*l.k : int(r)*l.k+l.k]
				for c := range z {
					z[c] += v * w[c]
				}
			}
			if l.multi {
				for c := range z {
					y, wt := 0.0, neg[c]
					if sp.has(i, c) {
						y, wt = 1, pos[c]
					}
					grad[c] = wt * (sigmoid(z[c]) - y)
				}
			} else {
				softmaxInPlace(z)
				y := sp.labels[i]
				for c := range z {
					grad[c] = z[c]
					if c == y {
						grad[c]--
					}
					grad[c] *= single[y]
				}
			}
			for c, gc := range grad {
				l.gb[c] += gc * gc
				l.b[c] -= lr * gc / (math.Sqrt(l.gb[c]) + eps)
			}
			for t, r := range x.rows {
				v := float64(x.vals[t])
				off := int(r) * l.k
				w, g := l.w[off:off+l.k], l.g[off:off+l.k]
				for c, gc := range grad {
					d := gc*v + l2*w[c]
					g[c] += d * d
					w[c] -= lr * d / (math.Sqrt(g[c]) + eps)
				}
			}
		}
		epoch(e)
	}
	return nil
}

func softmaxInPlace(z []float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = max(mx, v)
	}
	sum := 0.0
	for c, v := range z {
		z[c] = math.Exp(v - mx)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
}
