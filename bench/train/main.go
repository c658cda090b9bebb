package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/classify"
	"github.com/heardhq/heard/classify/eval"
	"github.com/heardhq/heard/classify/learned"
	"github.com/heardhq/heard/classify/learned/synth"
	"github.com/heardhq/heard/classify/rules"
	"github.com/heardhq/heard/sdk"
)

// result is one size's line of output.
type result struct {
	Tickets       int     `json:"tickets"`
	TrainSec      float64 `json:"train_s"`
	Epochs        []int   `json:"epochs"` // per field, after early stopping
	PeakRSS       int64   `json:"peak_rss_bytes"`
	PeakHeapInuse uint64  `json:"peak_heap_inuse_bytes"`
	ModelBytes    int     `json:"model_bytes"`
	Rows          int     `json:"rows"`
	TestTickets   int     `json:"test_tickets"`
	ClassifyP50   float64 `json:"classify_p50_ms"`
	ClassifyP99   float64 `json:"classify_p99_ms"`
	ModelP50      float64 `json:"model_only_p50_ms"` // the learned classifier alone
	ModelP99      float64 `json:"model_only_p99_ms"`
	PriorityAcc   float64 `json:"priority_accuracy"`
	PrimaryAcc    float64 `json:"primary_tag_accuracy"`
	TagMacroF1    float64 `json:"tag_macro_f1"`
	ECEPriority   float64 `json:"ece_priority"`
	ECEPrimary    float64 `json:"ece_primary_tag"`
	RulesPriority float64 `json:"rules_priority_accuracy"`
	RulesPrimary  float64 `json:"rules_primary_tag_accuracy"`
	RulesTagF1    float64 `json:"rules_tag_macro_f1"`
	// Load1 is this machine's one-minute load average at the end: the
	// latencies' tails depend on it.
	Load1 float64 `json:"load1"`
	CPUs  int     `json:"cpus"`
}

func main() {
	sizes := flag.String("sizes", "10000,100000", "comma-separated numbers of training tickets, one child process each")
	child := flag.Int("child", 0, "internal: train on this many tickets in this process and print its line")
	test := flag.Int("test", 2000, "newer tickets to classify")
	seed := flag.Uint64("seed", 1, "ticket and training seed")
	flag.Parse()
	ctx := context.Background()
	if *child > 0 {
		res, err := measure(ctx, *child, *test, *seed)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench train:", err)
			os.Exit(1)
		}
		line, _ := json.Marshal(res)
		fmt.Println(string(line))
		return
	}
	if err := run(ctx, strings.Split(*sizes, ","), *test, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bench train:", err)
		os.Exit(1)
	}
}

// run measures each size in a child process, so each peak RSS is that
// size's alone.
func run(ctx context.Context, sizes []string, test int, seed uint64) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for _, s := range sizes {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 {
			return fmt.Errorf("size %q: want a number of at least 100", s)
		}
		cmd := exec.CommandContext(ctx, self, "--child", strconv.Itoa(n), "--test", strconv.Itoa(test), "--seed", strconv.FormatUint(seed, 10))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("%d tickets: %w", n, err)
		}
		fmt.Print(string(out))
	}
	return nil
}

func measure(ctx context.Context, n, nTest int, seed uint64) (*result, error) {
	ts := synth.Generate(n+nTest, seed)
	train := make([]learned.Example, 0, n)
	for _, t := range ts[:n] {
		train = append(train, learned.Example{Subject: t.Subject, Body: t.Body, Priority: t.Priority, Tags: t.Tags, Sentiment: t.Sentiment, At: t.At})
	}
	test := make([]eval.Example, 0, nTest)
	for i, t := range ts[n:] {
		pr, _ := sdk.ParsePriority(t.Priority)
		test = append(test, eval.Example{Line: i + 2, Subject: t.Subject, Body: t.Body, Priority: pr, Tags: t.Tags})
	}
	ts = nil //nolint:ineffassign,wastedassign // let the collector have the generated tickets

	peak, stop := sampleHeap()
	start := time.Now()
	m, rep, err := learned.Train(ctx, train, learned.TrainConfig{Seed: seed})
	trainDur := time.Since(start)
	stop()
	if err != nil {
		return nil, err
	}
	res := &result{Tickets: n, TrainSec: round(trainDur.Seconds()), PeakHeapInuse: peak.Load(), ModelBytes: rep.ModelBytes, Rows: rep.Rows, TestTickets: nTest}
	for _, f := range rep.Fields {
		res.Epochs = append(res.Epochs, f.Epochs)
	}
	res.PeakRSS, err = peakRSS()
	if err != nil {
		return nil, err
	}

	b, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	loaded, err := learned.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	ens, rc, err := ensemble(loaded)
	if err != nil {
		return nil, err
	}
	lc, err := learned.NewClassifier(loaded)
	if err != nil {
		return nil, err
	}
	mr, err := eval.Run(ctx, lc, test, eval.Options{})
	if err != nil {
		return nil, err
	}
	res.ModelP50, res.ModelP99 = mr.P50Ms, mr.P99Ms
	er, err := eval.Run(ctx, ens, test, eval.Options{})
	if err != nil {
		return nil, err
	}
	rr, err := eval.Run(ctx, rc, test, eval.Options{})
	if err != nil {
		return nil, err
	}
	res.ClassifyP50, res.ClassifyP99 = er.P50Ms, er.P99Ms
	res.PriorityAcc, res.PrimaryAcc, res.TagMacroF1 = round(er.PriorityAccuracy), round(er.PrimaryTagAccuracy), round(er.TagMacroF1)
	res.ECEPriority, res.ECEPrimary = round(er.ECE.Priority), round(er.ECE.PrimaryTag)
	res.RulesPriority, res.RulesPrimary, res.RulesTagF1 = round(rr.PriorityAccuracy), round(rr.PrimaryTagAccuracy), round(rr.TagMacroF1)
	res.Load1, res.CPUs = load1(), runtime.NumCPU()
	return res, nil
}

// load1 is the one-minute load average, 0 when unknown.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// ensemble is what `heard eval --model` runs with the default config: the
// rules, the model behind the default merge policy, and the merge that
// lets it decide.
func ensemble(m *learned.Model) (sdk.Classifier, sdk.Classifier, error) {
	rc, err := rules.New(rules.Config{})
	if err != nil {
		return nil, nil, err
	}
	lc, err := learned.NewClassifier(m)
	if err != nil {
		return nil, nil, err
	}
	g, err := learned.NewGated(lc, learned.DefaultMergePolicy())
	if err != nil {
		return nil, nil, err
	}
	return &classify.Ensemble{
		Classifiers: []classify.Named{{ID: "classify.rules", Impl: rc, Timeout: 2 * time.Second}, {ID: learned.ID, Impl: g}},
		Merge:       learned.EnsembleMerge(classify.DefaultMergeConfig()),
	}, rc, nil
}

// sampleHeap records the highest HeapInuse seen every 5 ms until stop is
// called.
func sampleHeap() (*atomic.Uint64, func()) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return &peak, func() { close(done); wg.Wait() }
}

// peakRSS reads this process's peak resident set size (VmHWM).
func peakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("peak RSS: %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("peak RSS: no VmHWM in /proc/self/status")
}

func round(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
