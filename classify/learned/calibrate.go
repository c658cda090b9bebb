package learned

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// Temperatures are kept within [1/maxTemp, maxTemp].
const maxTemp = 20

// fitTemperature finds the temperature T minimising the negative
// log-likelihood of the gold labels under the logits divided by T (softmax,
// or per-class sigmoids when multi), by BFGS over log T. With no examples
// it returns 1.
func fitTemperature(zs [][]float64, gold [][]bool, multi bool) float64 {
	if len(zs) == 0 {
		return 1
	}
	scaled := make([]float64, len(zs[0]))
	// nll returns the mean NLL at T = e^s and its derivative in s.
	nll := func(s float64) (float64, float64) {
		t := math.Exp(s)
		loss, dT := 0.0, 0.0
		for i, z := range zs {
			for c, v := range z {
				scaled[c] = v / t
			}
			if multi {
				for c, v := range scaled {
					p, y := sigmoid(v), 0.0
					if gold[i][c] {
						y = 1
					}
					loss += softplus(v) - y*v
					dT += -(p - y) * z[c] / (t * t)
				}
				continue
			}
			lse := floats.LogSumExp(scaled)
			zy, pz := 0.0, 0.0
			for c, v := range z {
				p := math.Exp(scaled[c] - lse)
				pz += p * v
				if gold[i][c] {
					zy = v
				}
			}
			loss += lse - zy/t
			dT += (zy - pz) / (t * t)
		}
		n := float64(len(zs))
		return loss / n, dT * t / n
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 { l, _ := nll(x[0]); return l },
		Grad: func(g, x []float64) { _, g[0] = nll(x[0]) },
	}
	res, err := optimize.Minimize(p, []float64{0}, &optimize.Settings{GradientThreshold: 1e-6, MajorIterations: 100}, &optimize.BFGS{})
	if err != nil && res == nil {
		return 1
	}
	s := res.X[0]
	if math.IsNaN(s) {
		return 1
	}
	return math.Exp(min(max(s, -math.Log(maxTemp)), math.Log(maxTemp)))
}

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// eceBins is the number of equal-width confidence bins of ECE.
const eceBins = 10

// ECE is the expected calibration error of predictions with the given
// confidences and correctness: over 10 equal-width confidence bins, the
// mean of |accuracy − mean confidence| weighted by the bin's share of the
// predictions. It is 0 for no predictions.
func ECE(conf []float64, correct []bool) float64 {
	var n, acc, sum [eceBins]float64
	for i, c := range conf {
		b := min(int(c*eceBins), eceBins-1)
		b = max(b, 0)
		n[b]++
		sum[b] += c
		if correct[i] {
			acc[b]++
		}
	}
	total := float64(len(conf))
	if total == 0 {
		return 0
	}
	e := 0.0
	for b := range n {
		if n[b] > 0 {
			e += n[b] / total * math.Abs(acc[b]/n[b]-sum[b]/n[b])
		}
	}
	return e
}

// Secondary-tag thresholds are searched from thresholdMin to thresholdMax
// in steps of thresholdStep; a tag with fewer than minThresholdPositives
// held-out secondary examples keeps defaultThreshold.
const (
	thresholdMin          = 0.05
	thresholdMax          = 0.95
	thresholdStep         = 0.01
	minThresholdPositives = 10
	defaultThreshold      = 0.5
)

// fitThresholds chooses, per tag, the calibrated probability at or above
// which it is predicted as a secondary tag. ps are the held-out tickets'
// per-tag probabilities and gold their secondary tags; pred and goldP
// their predicted and labelled primary tags (-1: none). The threshold
// maximises the tag's F1 over the ticket's whole tag set, the predicted
// primary tag plus the secondary tags above threshold (never the primary
// again), against the labelled primary and secondary tags: a secondary tag
// is predicted only where it adds more right tags than wrong ones. Of
// equal scores the highest threshold wins.
func fitThresholds(ps [][]float64, gold [][]bool, pred, goldP []int) []float64 {
	if len(ps) == 0 {
		return nil
	}
	k := len(ps[0])
	out := make([]float64, k)
	steps := int(math.Round((thresholdMax - thresholdMin) / thresholdStep))
	for c := range k {
		out[c] = defaultThreshold
		positives := 0
		for n := range ps {
			if gold[n][c] {
				positives++
			}
		}
		if positives < minThresholdPositives {
			continue
		}
		best := -1.0
		for s := steps; s >= 0; s-- {
			th := thresholdMin + float64(s)*thresholdStep
			var tp, fp, fn int
			for n, p := range ps {
				g := goldP[n] == c || gold[n][c]
				y := pred[n] == c || (pred[n] != c && p[c] >= th)
				switch {
				case y && g:
					tp++
				case y:
					fp++
				case g:
					fn++
				}
			}
			if f1 := float64(2*tp) / float64(max(2*tp+fp+fn, 1)); f1 > best+1e-12 {
				best, out[c] = f1, math.Round(th*100)/100
			}
		}
	}
	return out
}

func argmax(z []float64) int {
	b := 0
	for c := range z {
		if z[c] > z[b] {
			b = c
		}
	}
	return b
}

// score computes the metrics of logits zs at temperature t against gold.
// A multi-label field predicts a class at or above its threshold in ths
// (0.5 when ths is empty).
func score(zs [][]float64, gold [][]bool, t float64, ths []float64, classes []string, multi bool) Metrics {
	m := Metrics{N: len(zs), PerClass: map[string]ClassMetrics{}}
	if len(zs) == 0 {
		return m
	}
	k := len(classes)
	tp, fp, fn, sup := make([]int, k), make([]int, k), make([]int, k), make([]int, k)
	var conf []float64
	var correct []bool
	exact := 0
	for i, z := range zs {
		p := probs(z, t, multi)
		if multi {
			same := true
			for c := range p {
				th := defaultThreshold
				if len(ths) > 0 {
					th = ths[c]
				}
				pred, g := p[c] >= th, gold[i][c]
				conf = append(conf, max(p[c], 1-p[c]))
				correct = append(correct, pred == g)
				same = same && pred == g
				count(tp, fp, fn, sup, c, pred, g)
			}
			if same {
				exact++
			}
			continue
		}
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		conf = append(conf, p[best])
		correct = append(correct, gold[i][best])
		if gold[i][best] {
			exact++
		}
		for c := range p {
			count(tp, fp, fn, sup, c, c == best, gold[i][c])
		}
	}
	m.Accuracy = float64(exact) / float64(len(zs))
	m.ECE = ECE(conf, correct)
	nF1 := 0
	for c, name := range classes {
		if tp[c]+fp[c]+fn[c] == 0 {
			continue
		}
		cm := ClassMetrics{Support: sup[c]}
		if tp[c]+fp[c] > 0 {
			cm.Precision = float64(tp[c]) / float64(tp[c]+fp[c])
		}
		if tp[c]+fn[c] > 0 {
			cm.Recall = float64(tp[c]) / float64(tp[c]+fn[c])
		}
		if cm.Precision+cm.Recall > 0 {
			cm.F1 = 2 * cm.Precision * cm.Recall / (cm.Precision + cm.Recall)
		}
		m.PerClass[name] = cm
		m.MacroF1 += cm.F1
		nF1++
	}
	if nF1 > 0 {
		m.MacroF1 /= float64(nF1)
	}
	return m
}

func count(tp, fp, fn, sup []int, c int, pred, gold bool) {
	if gold {
		sup[c]++
	}
	switch {
	case pred && gold:
		tp[c]++
	case pred:
		fp[c]++
	case gold:
		fn[c]++
	}
}
