package learned

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// rowVector is a feature vector over the training rows.
type rowVector struct {
	rows []uint32
	vals []float32
}

// linear is one field's model during training: k columns per row, a
// softmax over them, or k independent sigmoids when multi.
//
// The weights are float32 and each row holds its k weights followed by
// their k AdaGrad squared-gradient sums, so an update touches one short
// run of memory; training is bound by those updates.
type linear struct {
	k     int
	multi bool
	wg    []float32 // per row: k weights, then k squared-gradient sums
	b, gb []float64
}

func newLinear(rows, k int, multi bool) *linear {
	return &linear{k: k, multi: multi, wg: make([]float32, rows*2*k), b: make([]float64, k), gb: make([]float64, k)}
}

// weight returns the weight of row r, class c.
func (l *linear) weight(r, c int) float32 { return l.wg[r*2*l.k+c] }

// classWeights balances the classes: weight sqrt(n/(k·n_c)) for a single-label
// field (the square root keeps the calibration close while still lifting
// rare classes). A multi-label field is not balanced: its per-class
// probabilities stay close to the tags' rates, and the decision
// thresholds fitted on the holdout do what balancing would.
func classWeights(sp *fieldSpec, idx []int) []float64 {
	if sp.multi {
		return nil
	}
	k := len(sp.classes)
	count := make([]float64, k)
	for _, i := range idx {
		count[sp.labels[i]]++
	}
	n := float64(len(idx))
	present := 0.0
	for _, c := range count {
		if c > 0 {
			present++
		}
	}
	single := make([]float64, k)
	for c := range k {
		if count[c] > 0 {
			single[c] = math.Sqrt(n / (present * count[c]))
		}
	}
	return single
}

// minEpochs is the number of epochs before early stopping may end
// training; an epoch that improves the held-out loss by less than
// stopTolerance (relative) or stopAbsolute (nats) ends it.
const (
	minEpochs     = 2
	stopTolerance = 0.005
	stopAbsolute  = 1e-3
)

// fit runs up to cfg.Epochs epochs of AdaGrad SGD over the examples idx in
// an order shuffled by rng, with L2 applied to the weights each update
// touches. After each epoch from the second on it measures the mean
// log-loss on the held-out examples hold (over the same rows) and stops
// once an epoch improved it by too little (see stopTolerance) or made it
// worse.
// It returns the number of epochs run.
func (l *linear) fit(ctx context.Context, xs []rowVector, idx, hold []int, sp *fieldSpec, cfg TrainConfig, rng *rand.Rand, epoch func(int)) (int, error) {
	if len(idx) == 0 {
		return 0, nil
	}
	single := classWeights(sp, idx)
	order := append([]int(nil), idx...)
	k := l.k
	z := make([]float64, k)
	grad := make([]float32, k)
	const eps = 1e-8
	lr, l2 := float32(cfg.LearningRate), float32(cfg.L2)
	best := math.Inf(1)
	for e := 1; e <= cfg.Epochs; e++ {
		if err := ctx.Err(); err != nil {
			return e - 1, fmt.Errorf("epoch %d: %w", e, err)
		}
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			x := &xs[i]
			l.logits(z, x)
			if l.multi {
				for c := range z {
					y := 0.0
					if sp.has(i, c) {
						y = 1
					}
					grad[c] = float32(sigmoid(z[c]) - y)
				}
			} else {
				softmaxInPlace(z)
				y := sp.labels[i]
				for c := range z {
					g := z[c]
					if c == y {
						g--
					}
					grad[c] = float32(g * single[y])
				}
			}
			for c, gc := range grad {
				g := float64(gc)
				l.gb[c] += g * g
				l.b[c] -= cfg.LearningRate * g / (math.Sqrt(l.gb[c]) + eps)
			}
			for t, r := range x.rows {
				v := x.vals[t]
				row := l.wg[int(r)*2*k : int(r)*2*k+2*k]
				w, g := row[:k], row[k:]
				for c, gc := range grad {
					d := gc*v + l2*w[c]
					g[c] += d * d
					w[c] -= lr * d / (float32(math.Sqrt(float64(g[c]))) + eps)
				}
			}
		}
		epoch(e)
		if len(hold) == 0 || e < minEpochs {
			continue
		}
		loss := l.loss(xs, hold, sp)
		if loss > best*(1-stopTolerance) || best-loss < stopAbsolute {
			return e, nil
		}
		best = loss
	}
	return cfg.Epochs, nil
}

// logits sets z to the bias plus the weighted sum of x's rows.
func (l *linear) logits(z []float64, x *rowVector) {
	k := l.k
	copy(z, l.b)
	for t, r := range x.rows {
		v := x.vals[t]
		w := l.wg[int(r)*2*k : int(r)*2*k+k]
		for c := range z {
			z[c] += float64(v * w[c])
		}
	}
}

// loss is the mean unweighted log-loss over the examples hold: the
// cross-entropy of the softmax, or the summed binary cross-entropies when
// multi.
func (l *linear) loss(xs []rowVector, hold []int, sp *fieldSpec) float64 {
	z := make([]float64, l.k)
	sum, n := 0.0, 0
	for _, i := range hold {
		if !sp.labelled(i) {
			continue
		}
		l.logits(z, &xs[i])
		n++
		if l.multi {
			for c, v := range z {
				sum += softplus(v)
				if sp.has(i, c) {
					sum -= v
				}
			}
			continue
		}
		mx := math.Inf(-1)
		for _, v := range z {
			mx = max(mx, v)
		}
		lse := 0.0
		for _, v := range z {
			lse += math.Exp(v - mx)
		}
		sum += mx + math.Log(lse) - z[sp.labels[i]]
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
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
