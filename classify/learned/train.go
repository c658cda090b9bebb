package learned

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Example is one labelled ticket. An empty label leaves that field
// unlabelled for this ticket.
type Example struct {
	Subject, Body string
	// Priority is "P0".."P3" or empty.
	Priority string
	// Tags are the primary tag first, then the secondary tags; empty
	// means unlabelled.
	Tags []string
	// Sentiment is positive, neutral, negative, angry or empty.
	Sentiment string
	// At orders the examples: the newest form the holdout. Zero times sort
	// first, ties keep the input order.
	At time.Time
}

// DefaultTags returns the default tag taxonomy (DOMAIN §2), the same names
// the rules classifier uses.
func DefaultTags() []string {
	return []string{
		"billing", "bug", "how-to", "feature-request", "account",
		"integration", "performance", "security", "onboarding", "churn-risk",
	}
}

// Progress is one step of training, for a progress line.
type Progress struct {
	// Stage is "features", "train", "calibrate" or "done".
	Stage string
	Field string
	// Epoch counts from 1 to Epochs in the "train" stage.
	Epoch, Epochs int
}

// TrainConfig configures Train. The zero value uses the defaults below.
type TrainConfig struct {
	// Seed makes training deterministic: the same examples, Seed and Now
	// give a byte-identical model.
	Seed uint64
	// Bits is log2 of the number of hash buckets; 0 means 18.
	Bits int
	// Epochs is the most epochs over the training part; 0 means 8.
	// Training a field stops earlier once an epoch no longer lowers the
	// loss on the holdout by 0.5%.
	Epochs int
	// L2 is the regularisation strength per update; 0 means 1e-3,
	// negative means none.
	L2 float64
	// LearningRate is AdaGrad's base rate; 0 means 0.2.
	LearningRate float64
	// HoldoutFraction is the share of the newest examples held out for
	// calibration and metrics; 0 means 0.15. It must be below 0.5.
	HoldoutFraction float64
	// Tags is the tag taxonomy; empty means DefaultTags.
	Tags []string
	// Sentiments are the allowed sentiments; empty means positive,
	// neutral, negative, angry.
	Sentiments []string
	// AddUnknownLabels adds labels outside the taxonomy as classes instead
	// of skipping them. Either way the Report counts them.
	AddUnknownLabels bool
	// PruneBelow drops hash buckets whose largest absolute weight over all
	// fields is below it; 0 means 1e-3, negative keeps every bucket.
	PruneBelow float64
	// Now is the model's creation time; zero means time.Now().
	Now time.Time
	// Progress, when set, is called as training advances, never
	// concurrently.
	Progress func(Progress)
}

func (c TrainConfig) withDefaults() TrainConfig {
	c.Bits = cmp.Or(c.Bits, 18)
	c.Epochs = cmp.Or(c.Epochs, 8)
	c.L2 = cmp.Or(c.L2, 1e-3)
	c.L2 = max(c.L2, 0)
	c.LearningRate = cmp.Or(c.LearningRate, 0.2)
	c.HoldoutFraction = cmp.Or(c.HoldoutFraction, DefaultHoldoutFraction)
	c.PruneBelow = cmp.Or(c.PruneBelow, 1e-3)
	if len(c.Tags) == 0 {
		c.Tags = DefaultTags()
	}
	if len(c.Sentiments) == 0 {
		c.Sentiments = []string{sdk.SentimentPositive, sdk.SentimentNeutral, sdk.SentimentNegative, sdk.SentimentAngry}
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	return c
}

// Validate checks the configuration.
func (c TrainConfig) Validate() error {
	var errs []error
	if c.Bits != 0 && (c.Bits < minBits || c.Bits > maxBits) {
		errs = append(errs, fmt.Errorf("bits %d: want %d..%d", c.Bits, minBits, maxBits))
	}
	if c.Epochs < 0 || c.Epochs > 1000 {
		errs = append(errs, fmt.Errorf("epochs %d: want 1..1000", c.Epochs))
	}
	if c.LearningRate < 0 {
		errs = append(errs, fmt.Errorf("learning rate %g is negative", c.LearningRate))
	}
	if c.HoldoutFraction < 0 || c.HoldoutFraction >= 0.5 {
		errs = append(errs, fmt.Errorf("holdout fraction %g: want [0, 0.5)", c.HoldoutFraction))
	}
	for i, t := range c.Tags {
		if t == "" || slices.Contains(c.Tags[:i], t) {
			errs = append(errs, fmt.Errorf("tags: empty or duplicate tag %q", t))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("learned train config: %w", errors.Join(append(errs, sdk.ErrInvalid)...))
	}
	return nil
}

// Report summarises a training run. Its field metrics are those stored in
// the model's metadata.
type Report struct {
	TrainExamples   int         `json:"train_examples"`
	HoldoutExamples int         `json:"holdout_examples"`
	Fields          []FieldInfo `json:"fields"`
	// Unknown counts, per field, labels outside the taxonomy: value →
	// count. They were skipped unless AddUnknownLabels was set.
	Unknown      map[string]map[string]int `json:"unknown,omitempty"`
	UnknownAdded bool                      `json:"unknown_added,omitempty"`
	// Skipped lists fields not trained for lack of labels, with why.
	Skipped map[string]string `json:"skipped,omitempty"`
	// Rows is the number of hash buckets kept; ModelBytes the size of the
	// marshalled model.
	Rows       int           `json:"rows"`
	ModelBytes int           `json:"model_bytes"`
	Duration   time.Duration `json:"duration_ns"`
}

// fieldSpec is one field to train.
type fieldSpec struct {
	name    string
	multi   bool
	classes []string
	// labels[i] is the class of example i (-1: unlabelled) for a
	// single-label field; sets[i] the class bitmask (nil: unlabelled) for a
	// multi-label one.
	labels []int
	sets   [][]bool
}

// DefaultHoldoutFraction is the share of the newest examples held out when
// TrainConfig.HoldoutFraction is zero.
const DefaultHoldoutFraction = 0.15

// Split orders examples by At (ties keep the input order) and returns the
// indexes of the training part and of the newest fraction held out (0
// means DefaultHoldoutFraction): the split Train uses, so a caller can
// score other models on exactly the tickets a new one never trained on.
func Split(examples []Example, fraction float64) (train, holdout []int) {
	fraction = cmp.Or(fraction, DefaultHoldoutFraction)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return examples[order[a]].At.Before(examples[order[b]].At) })
	n := int(math.Round(float64(len(examples)) * fraction))
	return order[:len(order)-n], order[len(order)-n:]
}

// Train fits a model on examples. The newest HoldoutFraction of them (by
// At) is held out: the weights are fitted on the rest, the temperature
// and the reported metrics on the holdout. A field with fewer than two
// classes among its labelled training examples is skipped and named in
// Report.Skipped; with no field left Train fails with sdk.ErrInvalid.
func Train(ctx context.Context, examples []Example, cfg TrainConfig) (*Model, *Report, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	cfg = cfg.withDefaults()
	var mu sync.Mutex
	progress := func(p Progress) {
		if cfg.Progress != nil {
			mu.Lock()
			defer mu.Unlock()
			cfg.Progress(p)
		}
	}
	if len(examples) < 10 {
		return nil, nil, fmt.Errorf("training: %d examples, want at least 10: %w", len(examples), sdk.ErrInvalid)
	}
	trainIdx, holdIdx := Split(examples, cfg.HoldoutFraction)

	rep := &Report{TrainExamples: len(trainIdx), HoldoutExamples: len(holdIdx), Skipped: map[string]string{}}
	specs, unknown := buildSpecs(examples, cfg)
	if len(unknown) > 0 {
		rep.Unknown, rep.UnknownAdded = unknown, cfg.AddUnknownLabels
	}

	// Features, hashed, then remapped to the buckets the training part uses.
	progress(Progress{Stage: "features"})
	fz := newFeaturizer(cfg.Bits)
	xs := make([]vector, len(examples))
	for i, ex := range examples {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, nil, fmt.Errorf("training: %w", ctx.Err())
		}
		xs[i] = fz.featurize(ex.Subject, ex.Body)
	}
	used := map[uint32]struct{}{}
	for _, i := range trainIdx {
		for _, b := range xs[i].idx {
			used[b] = struct{}{}
		}
	}
	keys := make([]uint32, 0, len(used))
	for b := range used {
		keys = append(keys, b)
	}
	slices.Sort(keys)
	rowOf := make(map[uint32]uint32, len(keys))
	for r, b := range keys {
		rowOf[b] = uint32(r)
	}
	// Each example's sparse vector over the rows is built once; the
	// holdout's drops the buckets training never saw. A training
	// example's hashed indices are not needed after this: its rows take
	// their place, position for position, so the values still match.
	rowsX := make([]rowVector, len(examples))
	for _, i := range trainIdx {
		rv := rowVector{rows: xs[i].idx, vals: xs[i].val}
		for k, b := range rv.rows {
			rv.rows[k] = rowOf[b]
		}
		rowsX[i] = rv
		xs[i] = vector{}
	}
	for _, i := range holdIdx {
		var rv rowVector
		for k, b := range xs[i].idx {
			if r, ok := rowOf[b]; ok {
				rv.rows = append(rv.rows, r)
				rv.vals = append(rv.vals, xs[i].val[k])
			}
		}
		rowsX[i] = rv
	}

	// One goroutine per field; each is deterministic on its own.
	type result struct {
		info FieldInfo
		lin  *linear
		err  error
	}
	results := make([]result, len(specs))
	var wg sync.WaitGroup
	for fi := range specs {
		wg.Go(func() {
			sp := &specs[fi]
			info := FieldInfo{Name: sp.name, Classes: sp.classes, MultiLabel: sp.multi, ClassCounts: map[string]int{}, Temperature: 1}
			var idx []int
			for _, i := range trainIdx {
				if sp.labelled(i) {
					idx = append(idx, i)
					info.Examples++
					for c := range sp.classes {
						if sp.has(i, c) {
							info.ClassCounts[sp.classes[c]]++
						}
					}
				}
			}
			lin := newLinear(len(keys), len(sp.classes), sp.multi)
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(fi)+1)) //nolint:gosec // a seeded, reproducible shuffle, not a secret
			epochs, err := lin.fit(ctx, rowsX, idx, holdIdx, sp, cfg, rng, func(e int) {
				progress(Progress{Stage: "train", Field: sp.name, Epoch: e, Epochs: cfg.Epochs})
			})
			info.Epochs = epochs
			results[fi] = result{info: info, lin: lin, err: err}
		})
	}
	wg.Wait()

	m := &Model{meta: Metadata{
		FormatVersion: FormatVersion, CreatedAt: cfg.Now.UTC(), Seed: cfg.Seed, Bits: cfg.Bits,
		Epochs: cfg.Epochs, L2: cfg.L2, Taxonomy: map[string][]string{},
		TrainExamples: len(trainIdx), HoldoutExamples: len(holdIdx),
		Unknown: rep.Unknown, UnknownAdded: rep.UnknownAdded,
	}}
	var kept []int
	for fi, r := range results {
		if r.err != nil {
			return nil, nil, fmt.Errorf("training %s: %w", specs[fi].name, r.err)
		}
		if n := nonEmptyClasses(r.info); n < 2 {
			rep.Skipped[specs[fi].name] = fmt.Sprintf("%d labelled training example(s) in %d class(es); need two classes", r.info.Examples, n)
			continue
		}
		kept = append(kept, fi)
		m.meta.Taxonomy[specs[fi].name] = specs[fi].classes
	}
	if len(kept) == 0 {
		return nil, nil, fmt.Errorf("training: no field has labels in two classes: %w", sdk.ErrInvalid)
	}

	// Prune buckets whose weights are negligible in every field.
	keep := make([]bool, len(keys))
	for r := range keys {
		for _, fi := range kept {
			lin := results[fi].lin
			for c := range lin.k {
				if math.Abs(float64(lin.weight(r, c))) >= cfg.PruneBelow {
					keep[r] = true
					break
				}
			}
			if keep[r] {
				break
			}
		}
	}
	for r, b := range keys {
		if keep[r] {
			m.keys = append(m.keys, b)
		}
	}
	m.index = make(map[uint32]int32, len(m.keys))
	for r, b := range m.keys {
		m.index[b] = int32(r)
	}
	m.meta.Rows = len(m.keys)
	for _, fi := range kept {
		lin := results[fi].lin
		fm := fieldModel{k: lin.k, bias: make([]float32, lin.k), w: make([]float32, 0, len(m.keys)*lin.k)}
		for c, b := range lin.b {
			fm.bias[c] = float32(b)
		}
		for r := range keys {
			if keep[r] {
				for c := range lin.k {
					fm.w = append(fm.w, lin.weight(r, c))
				}
			}
		}
		m.fields = append(m.fields, fm)
		m.meta.Fields = append(m.meta.Fields, results[fi].info)
	}

	// Calibrate and score on the holdout, through the stored weights: the
	// single-label fields first, so the secondary tags' thresholds can
	// take the predicted primary tag into account.
	progress(Progress{Stage: "calibrate"})
	predPrimary := map[int]int{} // holdout example → predicted primary tag
	for _, multi := range []bool{false, true} {
		for k, fi := range kept {
			sp, info, fm := &specs[fi], &m.meta.Fields[k], &m.fields[k]
			if sp.multi != multi {
				continue
			}
			var zs [][]float64
			var gold [][]bool
			var held []int
			for _, i := range holdIdx {
				if !sp.labelled(i) {
					continue
				}
				rows, vals := m.lookup(xs[i])
				zs = append(zs, fm.logits(rows, vals))
				g := make([]bool, len(sp.classes))
				for c := range g {
					g[c] = sp.has(i, c)
				}
				gold = append(gold, g)
				held = append(held, i)
			}
			info.Temperature = fitTemperature(zs, gold, sp.multi)
			if sp.name == sdk.FieldPrimaryTag {
				for n, z := range zs {
					predPrimary[held[n]] = argmax(z)
				}
			}
			if sp.multi {
				// The primary tag's spec: the same classes (buildSpecs).
				tp := &specs[slices.IndexFunc(specs, func(f fieldSpec) bool { return f.name == sdk.FieldPrimaryTag })]
				ps := make([][]float64, len(zs))
				pred, goldP := make([]int, len(zs)), make([]int, len(zs))
				for n, z := range zs {
					ps[n] = probs(z, info.Temperature, true)
					pred[n], goldP[n] = -1, tp.labels[held[n]]
					if c, ok := predPrimary[held[n]]; ok {
						pred[n] = c
					}
				}
				info.Thresholds = fitThresholds(ps, gold, pred, goldP)
			}
			info.Holdout = score(zs, gold, info.Temperature, info.Thresholds, sp.classes, sp.multi)
		}
	}
	b, err := m.Marshal()
	if err != nil {
		return nil, nil, err
	}
	rep.Fields = m.Metadata().Fields
	rep.Rows, rep.ModelBytes, rep.Duration = len(m.keys), len(b), time.Since(start)
	progress(Progress{Stage: "done"})
	return m, rep, nil
}

func nonEmptyClasses(info FieldInfo) int {
	n := 0
	for _, c := range info.ClassCounts {
		if c > 0 {
			n++
		}
	}
	return n
}

// lookup maps a hashed vector to the model's rows, dropping unknown
// buckets.
func (m *Model) lookup(v vector) ([]int32, []float32) {
	rows := make([]int32, 0, len(v.idx))
	vals := make([]float32, 0, len(v.idx))
	for k, b := range v.idx {
		if r, ok := m.index[b]; ok {
			rows = append(rows, r)
			vals = append(vals, v.val[k])
		}
	}
	return rows, vals
}

func (sp *fieldSpec) labelled(i int) bool {
	if sp.multi {
		return sp.sets[i] != nil
	}
	return sp.labels[i] >= 0
}

func (sp *fieldSpec) has(i, c int) bool {
	if sp.multi {
		return sp.sets[i] != nil && sp.sets[i][c]
	}
	return sp.labels[i] == c
}

// buildSpecs turns the examples' labels into per-field class indices and
// counts the labels outside the taxonomy.
func buildSpecs(examples []Example, cfg TrainConfig) ([]fieldSpec, map[string]map[string]int) {
	unknown := map[string]map[string]int{}
	note := func(field, v string) {
		if unknown[field] == nil {
			unknown[field] = map[string]int{}
		}
		unknown[field][v]++
	}
	tags := slices.Clone(cfg.Tags)
	prios := []string{string(sdk.P0), string(sdk.P1), string(sdk.P2), string(sdk.P3)}
	sents := slices.Clone(cfg.Sentiments)
	for _, ex := range examples {
		if p := ex.Priority; p != "" && !slices.Contains(prios, p) {
			note(sdk.FieldPriority, p)
		}
		for k, t := range ex.Tags {
			if !slices.Contains(cfg.Tags, t) {
				field := sdk.FieldSecondaryTag
				if k == 0 {
					field = sdk.FieldPrimaryTag
				}
				note(field, t)
			}
		}
		if s := ex.Sentiment; s != "" && !slices.Contains(cfg.Sentiments, s) {
			note(sdk.FieldSentiment, s)
		}
	}
	if cfg.AddUnknownLabels { // sorted, so the class order does not depend on the input order
		add := func(dst []string, fields ...string) []string {
			var extra []string
			for _, f := range fields {
				for v := range unknown[f] {
					if !slices.Contains(dst, v) && !slices.Contains(extra, v) {
						extra = append(extra, v)
					}
				}
			}
			slices.Sort(extra)
			return append(dst, extra...)
		}
		prios = add(prios, sdk.FieldPriority)
		tags = add(tags, sdk.FieldPrimaryTag, sdk.FieldSecondaryTag)
		sents = add(sents, sdk.FieldSentiment)
	}
	n := len(examples)
	prio := fieldSpec{name: sdk.FieldPriority, classes: prios, labels: make([]int, n)}
	prim := fieldSpec{name: sdk.FieldPrimaryTag, classes: tags, labels: make([]int, n)}
	sec := fieldSpec{name: sdk.FieldSecondaryTag, classes: tags, multi: true, sets: make([][]bool, n)}
	sent := fieldSpec{name: sdk.FieldSentiment, classes: sents, labels: make([]int, n)}
	for i, ex := range examples {
		prio.labels[i] = indexOrNeg(prios, ex.Priority)
		sent.labels[i] = indexOrNeg(sents, ex.Sentiment)
		prim.labels[i] = -1
		if len(ex.Tags) > 0 {
			prim.labels[i] = indexOrNeg(tags, ex.Tags[0])
			if prim.labels[i] >= 0 {
				set := make([]bool, len(tags))
				for _, t := range ex.Tags[1:] {
					if c := slices.Index(tags, t); c >= 0 {
						set[c] = true
					}
				}
				sec.sets[i] = set
			}
		}
	}
	return []fieldSpec{prio, prim, sec, sent}, unknown
}

func indexOrNeg(list []string, v string) int {
	if v == "" {
		return -1
	}
	return slices.Index(list, v)
}
