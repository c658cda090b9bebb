package learned

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/heardhq/heard/sdk"
)

// ID is the component ID predictions are attributed to.
const ID = "classify.learned"

// FormatVersion is the version of the model file format Marshal writes and
// the only one Unmarshal reads.
const FormatVersion = 1

// magic starts every (uncompressed) model file.
const magic = "heard-learned-model\x00"

// Limits checked on load, so a corrupt file cannot allocate without bound.
const (
	minBits    = 10
	maxBits    = 24
	maxClasses = 256
)

// Metadata describes a model: how and on what it was trained, and how it
// scored on the held-out newest tickets.
type Metadata struct {
	FormatVersion int       `json:"format_version"`
	CreatedAt     time.Time `json:"created_at"`
	Seed          uint64    `json:"seed"`
	// Bits is log2 of the number of hash buckets.
	Bits   int     `json:"bits"`
	Epochs int     `json:"epochs"`
	L2     float64 `json:"l2"`
	// Taxonomy is the allowed values per field the model was trained on.
	Taxonomy map[string][]string `json:"taxonomy"`
	// TrainExamples and HoldoutExamples count the tickets in each part.
	TrainExamples   int `json:"train_examples"`
	HoldoutExamples int `json:"holdout_examples"`
	// Unknown counts, per field, labels outside the taxonomy: value → count.
	Unknown map[string]map[string]int `json:"unknown,omitempty"`
	// UnknownAdded says whether those labels were added as classes
	// (TrainConfig.AddUnknownLabels) rather than skipped.
	UnknownAdded bool `json:"unknown_added,omitempty"`
	// Rows is the number of hash buckets with stored weights.
	Rows   int         `json:"rows"`
	Fields []FieldInfo `json:"fields"`
}

// FieldInfo is one field's model and its training summary.
type FieldInfo struct {
	Name string `json:"name"`
	// Classes are the values the model can predict, in weight-column order.
	Classes []string `json:"classes"`
	// MultiLabel marks one binary (one-vs-rest) model per class, as for the
	// secondary tags.
	MultiLabel bool `json:"multi_label,omitempty"`
	// Temperature divides the logits; fitted on the holdout.
	Temperature float64 `json:"temperature"`
	// Thresholds, for a multi-label field, are per class (parallel to
	// Classes) the calibrated probability at or above which the class is
	// predicted, fitted on the holdout; empty means 0.5 each.
	Thresholds []float64 `json:"thresholds,omitempty"`
	// Epochs is the number of epochs trained before the held-out loss
	// stopped improving (at most Metadata.Epochs).
	Epochs int `json:"epochs,omitempty"`
	// Examples is the number of labelled training examples (holdout
	// excluded); ClassCounts splits it per class.
	Examples    int            `json:"examples"`
	ClassCounts map[string]int `json:"class_counts"`
	// Holdout are the scores on the held-out newest tickets, after
	// calibration.
	Holdout Metrics `json:"holdout"`
}

// Metrics are a field's scores on labelled examples.
type Metrics struct {
	// N is the number of labelled examples scored.
	N int `json:"n"`
	// Accuracy is the share predicted exactly (for a multi-label field:
	// the predicted set equals the gold set).
	Accuracy float64 `json:"accuracy"`
	// MacroF1 averages F1 over the classes present in gold or predictions.
	MacroF1 float64 `json:"macro_f1"`
	// ECE is the expected calibration error of the confidence (maximum
	// probability; for a multi-label field, each binary decision), over 10
	// equal-width bins.
	ECE      float64                 `json:"ece"`
	PerClass map[string]ClassMetrics `json:"per_class"`
}

// ClassMetrics are one class's scores.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// fieldModel holds one field's weights: rows×k, row-major, and a bias.
type fieldModel struct {
	k    int
	w    []float32
	bias []float32
}

// Model is a trained classifier. It is immutable and safe for concurrent
// use.
type Model struct {
	meta   Metadata
	keys   []uint32 // sorted buckets with weights
	index  map[uint32]int32
	fields []fieldModel // parallel to meta.Fields
	pool   sync.Pool    // *featurizer
}

// Metadata returns a copy of the model's metadata.
func (m *Model) Metadata() Metadata {
	b, _ := json.Marshal(m.meta) // plain data: cannot fail
	var c Metadata
	_ = json.Unmarshal(b, &c)
	return c
}

// Support returns the number of training examples labelled value for
// field, 0 when the model does not know the field or the value.
func (m *Model) Support(field, value string) int {
	for _, f := range m.meta.Fields {
		if f.Name == field {
			return f.ClassCounts[value]
		}
	}
	return 0
}

// FieldScores are one field's class probabilities for one ticket.
type FieldScores struct {
	Field      string
	MultiLabel bool
	Classes    []string
	// Probs are calibrated probabilities, parallel to Classes: a
	// distribution for a single-label field, independent per class for a
	// multi-label one.
	Probs []float64
	// Thresholds, for a multi-label field, are the per-class decision
	// thresholds fitted on the holdout (see FieldInfo.Thresholds).
	Thresholds []float64
}

// Threshold returns the probability at or above which class k is
// predicted in a multi-label field: its fitted threshold, or 0.5.
func (s FieldScores) Threshold(k int) float64 {
	if k < len(s.Thresholds) {
		return s.Thresholds[k]
	}
	return defaultThreshold
}

// Best returns the most probable class and its probability (the first of
// equals).
func (s FieldScores) Best() (string, float64) {
	b := -1
	for i, p := range s.Probs {
		if b < 0 || p > s.Probs[b] {
			b = i
		}
	}
	if b < 0 {
		return "", 0
	}
	return s.Classes[b], s.Probs[b]
}

// Predict scores a ticket's subject and body for every field the model
// has, in the order of Metadata().Fields.
func (m *Model) Predict(subject, body string) []FieldScores {
	f, _ := m.pool.Get().(*featurizer)
	if f == nil {
		f = newFeaturizer(m.meta.Bits)
	}
	v := f.featurize(subject, body)
	m.pool.Put(f)
	rows, vals := m.lookup(v)
	out := make([]FieldScores, len(m.fields))
	for i := range m.fields {
		fm, info := &m.fields[i], &m.meta.Fields[i]
		z := fm.logits(rows, vals)
		out[i] = FieldScores{Field: info.Name, MultiLabel: info.MultiLabel, Classes: info.Classes,
			Probs: probs(z, info.Temperature, info.MultiLabel), Thresholds: info.Thresholds}
	}
	return out
}

func (fm *fieldModel) logits(rows []int32, vals []float32) []float64 {
	z := make([]float64, fm.k)
	for c := range z {
		z[c] = float64(fm.bias[c])
	}
	for k, r := range rows {
		x := float64(vals[k])
		w := fm.w[int(r)*fm.k : int(r)*fm.k+fm.k]
		for c := range z {
			z[c] += x * float64(w[c])
		}
	}
	return z
}

// probs turns logits into probabilities at temperature t: softmax, or a
// sigmoid per class when multi.
func probs(z []float64, t float64, multi bool) []float64 {
	p := make([]float64, len(z))
	if multi {
		for c, v := range z {
			p[c] = sigmoid(v / t)
		}
		return p
	}
	mx := math.Inf(-1)
	for _, v := range z {
		mx = max(mx, v/t)
	}
	sum := 0.0
	for c, v := range z {
		p[c] = math.Exp(v/t - mx)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Marshal encodes the model: a gzip stream holding a magic string, the
// format version, the metadata as JSON, the stored buckets (delta-encoded)
// and each field's float32 weights. The same model always encodes to the
// same bytes.
func (m *Model) Marshal() ([]byte, error) {
	meta, err := json.Marshal(m.meta)
	if err != nil {
		return nil, fmt.Errorf("encoding model metadata: %w", err)
	}
	var raw bytes.Buffer
	raw.WriteString(magic)
	putUvarint(&raw, FormatVersion)
	putUvarint(&raw, uint64(len(meta)))
	raw.Write(meta)
	putUvarint(&raw, uint64(len(m.keys)))
	prev := uint32(0)
	for _, k := range m.keys {
		putUvarint(&raw, uint64(k-prev))
		prev = k
	}
	var b4 [4]byte
	for _, fm := range m.fields {
		for _, v := range fm.bias {
			binary.LittleEndian.PutUint32(b4[:], math.Float32bits(v))
			raw.Write(b4[:])
		}
		for _, v := range fm.w {
			binary.LittleEndian.PutUint32(b4[:], math.Float32bits(v))
			raw.Write(b4[:])
		}
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.DefaultCompression)
	if err != nil {
		return nil, fmt.Errorf("compressing model: %w", err)
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, fmt.Errorf("compressing model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compressing model: %w", err)
	}
	return out.Bytes(), nil
}

func putUvarint(b *bytes.Buffer, v uint64) {
	var buf [binary.MaxVarintLen64]byte
	b.Write(buf[:binary.PutUvarint(buf[:], v)])
}

// ErrModel marks a model file that cannot be loaded. It wraps
// sdk.ErrInvalid.
var ErrModel = fmt.Errorf("invalid model file: %w", sdk.ErrInvalid)

func modelErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrModel, fmt.Sprintf(format, args...))
}

// maxModelBytes bounds the uncompressed size of a model file.
const maxModelBytes = 1 << 30

// Unmarshal decodes and validates a model written by Marshal. Errors wrap
// ErrModel (and so sdk.ErrInvalid) and say what is wrong.
func Unmarshal(data []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, modelErr("not gzip-compressed: %v", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxModelBytes+1))
	if err != nil {
		return nil, modelErr("decompressing: %v", err)
	}
	if len(raw) > maxModelBytes {
		return nil, modelErr("larger than %d bytes uncompressed", maxModelBytes)
	}
	r := bufio.NewReader(bytes.NewReader(raw))
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return nil, modelErr("not a heard learned model (bad magic)")
	}
	ver, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, modelErr("reading format version: %v", err)
	}
	if ver != FormatVersion {
		return nil, modelErr("format version %d: this heard reads version %d; retrain the model with 'heard train'", ver, FormatVersion)
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(raw)) {
		return nil, modelErr("reading metadata length")
	}
	metaJSON := make([]byte, n)
	if _, err := io.ReadFull(r, metaJSON); err != nil {
		return nil, modelErr("reading metadata: %v", err)
	}
	m := &Model{}
	dec := json.NewDecoder(bytes.NewReader(metaJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m.meta); err != nil {
		return nil, modelErr("decoding metadata: %v", err)
	}
	if err := m.meta.validate(); err != nil {
		return nil, err
	}
	rows, err := binary.ReadUvarint(r)
	if err != nil || rows > 1<<uint(m.meta.Bits) || int(rows) != m.meta.Rows { //nolint:gosec // rows ≤ 2^24: checked first
		return nil, modelErr("bucket count %d does not match metadata rows %d", rows, m.meta.Rows)
	}
	m.keys = make([]uint32, rows)
	m.index = make(map[uint32]int32, rows)
	prev := uint64(0)
	for i := range m.keys {
		d, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, modelErr("reading buckets: %v", err)
		}
		if i > 0 && d == 0 {
			return nil, modelErr("buckets not strictly increasing")
		}
		prev += d
		if prev >= 1<<uint(m.meta.Bits) {
			return nil, modelErr("bucket %d out of range for %d bits", prev, m.meta.Bits)
		}
		m.keys[i] = uint32(prev)         //nolint:gosec // prev < 2^Bits ≤ 2^24: checked above
		m.index[uint32(prev)] = int32(i) //nolint:gosec // as above
	}
	m.fields = make([]fieldModel, len(m.meta.Fields))
	for i, fi := range m.meta.Fields {
		k := len(fi.Classes)
		fm := fieldModel{k: k, bias: make([]float32, k), w: make([]float32, int(rows)*k)} //nolint:gosec // rows ≤ 2^24: checked above
		if err := readFloats(r, fm.bias); err != nil {
			return nil, modelErr("field %s: reading bias: %v", fi.Name, err)
		}
		if err := readFloats(r, fm.w); err != nil {
			return nil, modelErr("field %s: reading weights: %v", fi.Name, err)
		}
		m.fields[i] = fm
	}
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
		return nil, modelErr("trailing data after the weights")
	}
	return m, nil
}

func readFloats(r io.Reader, dst []float32) error {
	buf := make([]byte, 4*len(dst))
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	for i := range dst {
		v := math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return errors.New("weight is not finite")
		}
		dst[i] = v
	}
	return nil
}

func (md *Metadata) validate() error {
	if md.FormatVersion != FormatVersion {
		return modelErr("metadata format version %d, want %d", md.FormatVersion, FormatVersion)
	}
	if md.Bits < minBits || md.Bits > maxBits {
		return modelErr("bits %d out of range [%d, %d]", md.Bits, minBits, maxBits)
	}
	if len(md.Fields) == 0 {
		return modelErr("no fields")
	}
	seen := map[string]bool{}
	for _, f := range md.Fields {
		switch {
		case f.Name == "":
			return modelErr("a field has no name")
		case seen[f.Name]:
			return modelErr("field %s appears twice", f.Name)
		case len(f.Classes) < 1 || len(f.Classes) > maxClasses:
			return modelErr("field %s: %d classes, want 1..%d", f.Name, len(f.Classes), maxClasses)
		case !(f.Temperature > 0) || math.IsInf(f.Temperature, 0):
			return modelErr("field %s: temperature %g is not positive", f.Name, f.Temperature)
		}
		if len(f.Thresholds) != 0 && len(f.Thresholds) != len(f.Classes) {
			return modelErr("field %s: %d thresholds for %d classes", f.Name, len(f.Thresholds), len(f.Classes))
		}
		for _, th := range f.Thresholds {
			if !(th > 0 && th <= 1) {
				return modelErr("field %s: threshold %g not in (0, 1]", f.Name, th)
			}
		}
		seen[f.Name] = true
		for i, c := range f.Classes {
			if c == "" || slices.Contains(f.Classes[:i], c) {
				return modelErr("field %s: empty or duplicate class %q", f.Name, c)
			}
		}
	}
	return nil
}
