package sdktest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
)

// Option adjusts a conformance suite.
type Option func(*suite)

type suite struct {
	tickets  []*sdk.Ticket
	fields   []sdk.FieldSpec
	attrs    sdk.Attrs
	settings json.RawMessage
	within   time.Duration
	parallel int
}

func newSuite(opts []Option) *suite {
	s := &suite{
		tickets:  Tickets(),
		fields:   Fields(),
		attrs:    sdk.Attrs{"enrich.language": "en", "enrich.customer_tier": "gold", "enrich.open_tickets": 2},
		within:   2 * time.Second,
		parallel: 8,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// WithTickets adds tickets, such as ones that exercise the
// implementation's own rules, to the suite's samples.
func WithTickets(ts ...*sdk.Ticket) Option {
	return func(s *suite) { s.tickets = append(s.tickets, ts...) }
}

// WithFields replaces the field specs the suite asks classifiers for.
func WithFields(fs ...sdk.FieldSpec) Option {
	return func(s *suite) { s.fields = fs }
}

// WithAttrs replaces the enrichment facts the suite passes in.
func WithAttrs(a sdk.Attrs) Option {
	return func(s *suite) { s.attrs = a }
}

// WithSettings passes settings (a JSON object) to Options.Configure
// before the suite runs, in TestServe and Launch.
func WithSettings(settings json.RawMessage) Option {
	return func(s *suite) { s.settings = settings }
}

// WithCancelWithin sets how soon a call must return once its ctx is
// cancelled. Default 2s.
func WithCancelWithin(d time.Duration) Option {
	return func(s *suite) { s.within = d }
}

// TestClassifier checks that c honours the sdk.Classifier contract on the
// sample tickets (Tickets, plus any added WithTickets):
//   - it answers without panicking; an error is a failure;
//   - every prediction names a field and a value, has a confidence in
//     [0, 1] and a reason, uses an allowed value when the field's spec
//     lists them, and no field/value pair appears twice;
//   - it does not modify its request;
//   - it returns promptly when its ctx is cancelled;
//   - it is safe for concurrent use (run the suite with -race).
//
// Run it on the implementation in-process and on plugin.TestClient's
// Classifier, or use TestServe for both.
func TestClassifier(t *testing.T, c sdk.Classifier, opts ...Option) {
	runChecks(t, classifierChecks(newSuite(opts), c))
}

// TestEnricher checks that e honours the sdk.Enricher contract on the
// sample tickets:
//   - it answers without panicking; an error is a failure;
//   - attribute keys are namespaced "<component>.<name>" and the values
//     encode as JSON;
//   - it does not modify its request;
//   - it returns promptly when its ctx is cancelled;
//   - it is safe for concurrent use (run the suite with -race).
func TestEnricher(t *testing.T, e sdk.Enricher, opts ...Option) {
	runChecks(t, enricherChecks(newSuite(opts), e))
}

// Failure is one conformance check that did not hold.
type Failure struct {
	// Check names the check, e.g. "predictions are well-formed".
	Check string
	// Message says what was wrong and, where it helps, what to do.
	Message string
}

func (f Failure) String() string { return f.Check + ": " + f.Message }

// CheckClassifier runs TestClassifier's checks without a testing.T, for
// tools such as `heard plugin test`, and returns every failure: none when
// c honours the contract. Data races are not detected outside -race.
func CheckClassifier(ctx context.Context, c sdk.Classifier, opts ...Option) []Failure {
	return collect(ctx, classifierChecks(newSuite(opts), c))
}

// CheckEnricher is CheckClassifier for TestEnricher's checks.
func CheckEnricher(ctx context.Context, e sdk.Enricher, opts ...Option) []Failure {
	return collect(ctx, enricherChecks(newSuite(opts), e))
}

// ClassifierChecks names CheckClassifier's checks in the order they run.
func ClassifierChecks() []string { return names(classifierChecks(newSuite(nil), nil)) }

// EnricherChecks names CheckEnricher's checks in the order they run.
func EnricherChecks() []string { return names(enricherChecks(newSuite(nil), nil)) }

func names(cs []check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}

// check is one named conformance check; run returns its problems.
type check struct {
	name string
	run  func(ctx context.Context) []string
}

func runChecks(t *testing.T, cs []check) {
	t.Helper()
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range c.run(t.Context()) {
				t.Error(p)
			}
		})
	}
}

func collect(ctx context.Context, cs []check) []Failure {
	var out []Failure
	for _, c := range cs {
		for _, p := range c.run(ctx) {
			out = append(out, Failure{Check: c.name, Message: p})
		}
	}
	return out
}

func classifierChecks(s *suite, c sdk.Classifier) []check {
	classify := func(ctx context.Context, req *sdk.ClassifyRequest) (resp *sdk.ClassifyResponse, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic in Classify: %v", r)
			}
		}()
		return c.Classify(ctx, req)
	}
	request := func(tk *sdk.Ticket) *sdk.ClassifyRequest {
		return &sdk.ClassifyRequest{Ticket: cloneTicket(tk), Attrs: cloneAttrs(s.attrs), Fields: cloneFields(s.fields)}
	}
	return []check{
		{"predictions are well-formed", func(ctx context.Context) []string {
			var out []string
			for _, tk := range s.tickets {
				resp, err := classify(ctx, request(tk))
				switch {
				case err != nil:
					out = append(out, fmt.Sprintf("Classify(ticket %s) error: %v", tk.Ref.ID, err))
				case resp == nil:
					out = append(out, fmt.Sprintf("Classify(ticket %s) = nil response and nil error; want a response", tk.Ref.ID))
				default:
					for _, p := range predictionProblems(s.fields, resp.Predictions) {
						out = append(out, fmt.Sprintf("ticket %s: %s", tk.Ref.ID, p))
					}
				}
			}
			return out
		}},
		{"answers without field specs", func(ctx context.Context) []string {
			req := request(s.tickets[0])
			req.Fields, req.Attrs = nil, nil
			resp, err := classify(ctx, req)
			if err != nil {
				return []string{fmt.Sprintf("Classify with no fields and no attrs: %v", err)}
			}
			if resp != nil {
				return predictionProblems(nil, resp.Predictions)
			}
			return nil
		}},
		{"does not modify its request", func(ctx context.Context) []string {
			var out []string
			for _, tk := range s.tickets {
				req, want := request(tk), request(tk)
				_, _ = classify(ctx, req)
				if !reflect.DeepEqual(req, want) {
					out = append(out, fmt.Sprintf("ticket %s: Classify modified its request:\n got %+v\nwant %+v", tk.Ref.ID, req, want))
				}
			}
			return out
		}},
		{"returns promptly when ctx is cancelled", func(ctx context.Context) []string {
			return slowProblems(ctx, s.within, func(ctx context.Context) error {
				_, err := classify(ctx, request(s.tickets[0]))
				return err
			})
		}},
		{"is safe for concurrent use", func(ctx context.Context) []string {
			return concurrently(ctx, s.parallel, len(s.tickets), func(ctx context.Context, i int) error {
				resp, err := classify(ctx, request(s.tickets[i]))
				if err == nil && resp == nil {
					return fmt.Errorf("nil response and nil error")
				}
				return err
			})
		}},
	}
}

func enricherChecks(s *suite, e sdk.Enricher) []check {
	enrich := func(ctx context.Context, req *sdk.EnrichRequest) (resp *sdk.EnrichResponse, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic in Enrich: %v", r)
			}
		}()
		return e.Enrich(ctx, req)
	}
	request := func(tk *sdk.Ticket) *sdk.EnrichRequest {
		return &sdk.EnrichRequest{Ticket: cloneTicket(tk), Attrs: cloneAttrs(s.attrs)}
	}
	return []check{
		{"attributes are well-formed", func(ctx context.Context) []string {
			var out []string
			for _, tk := range s.tickets {
				resp, err := enrich(ctx, request(tk))
				switch {
				case err != nil:
					out = append(out, fmt.Sprintf("Enrich(ticket %s) error: %v", tk.Ref.ID, err))
					continue
				case resp == nil:
					out = append(out, fmt.Sprintf("Enrich(ticket %s) = nil response and nil error; want a response", tk.Ref.ID))
					continue
				}
				for _, k := range slices.Sorted(maps.Keys(resp.Attrs)) {
					if !validAttrKey(k) {
						out = append(out, fmt.Sprintf("ticket %s: attribute key %q: want \"<component>.<name>\", lowercase, e.g. \"crm.account_owner\"", tk.Ref.ID, k))
					}
				}
				if _, err := json.Marshal(resp.Attrs); err != nil {
					out = append(out, fmt.Sprintf("ticket %s: attributes do not encode as JSON: %v", tk.Ref.ID, err))
				}
			}
			return out
		}},
		{"does not modify its request", func(ctx context.Context) []string {
			var out []string
			for _, tk := range s.tickets {
				req, want := request(tk), request(tk)
				_, _ = enrich(ctx, req)
				if !reflect.DeepEqual(req, want) {
					out = append(out, fmt.Sprintf("ticket %s: Enrich modified its request:\n got %+v\nwant %+v", tk.Ref.ID, req, want))
				}
			}
			return out
		}},
		{"returns promptly when ctx is cancelled", func(ctx context.Context) []string {
			return slowProblems(ctx, s.within, func(ctx context.Context) error {
				_, err := enrich(ctx, request(s.tickets[0]))
				return err
			})
		}},
		{"is safe for concurrent use", func(ctx context.Context) []string {
			return concurrently(ctx, s.parallel, len(s.tickets), func(ctx context.Context, i int) error {
				resp, err := enrich(ctx, request(s.tickets[i]))
				if err == nil && resp == nil {
					return fmt.Errorf("nil response and nil error")
				}
				return err
			})
		}},
	}
}

// predictionProblems lists every contract violation in ps.
func predictionProblems(fields []sdk.FieldSpec, ps []sdk.Prediction) []string {
	allowed := make(map[string][]string, len(fields))
	for _, f := range fields {
		if len(f.Allowed) > 0 {
			allowed[f.Name] = f.Allowed
		}
	}
	var out []string
	seen := map[[2]string]bool{}
	for i, p := range ps {
		at := fmt.Sprintf("prediction %d (%s=%q)", i, p.Field, p.Value)
		if p.Field == "" {
			out = append(out, at+": empty Field")
		}
		if p.Value == "" {
			out = append(out, at+": empty Value")
		}
		if math.IsNaN(p.Confidence) || p.Confidence < 0 || p.Confidence > 1 {
			out = append(out, fmt.Sprintf("%s: Confidence %v; want 0..1", at, p.Confidence))
		}
		if strings.TrimSpace(p.Reason) == "" {
			out = append(out, at+": empty Reason; every prediction says why")
		}
		if vs, ok := allowed[p.Field]; ok && !contains(vs, p.Value) {
			out = append(out, fmt.Sprintf("%s: value not allowed; want one of %v", at, vs))
		}
		key := [2]string{p.Field, p.Value}
		if seen[key] {
			out = append(out, at+": duplicate field/value pair")
		}
		seen[key] = true
	}
	return out
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// validAttrKey accepts "<component>.<name>" keys of lowercase letters,
// digits and underscores, with at least one dot.
func validAttrKey(k string) bool {
	parts := strings.Split(k, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '-' {
				return false
			}
		}
	}
	return true
}

// slowProblems calls fn with an already-cancelled ctx and reports it when
// fn does not return within d.
func slowProblems(ctx context.Context, d time.Duration, fn func(ctx context.Context) error) []string {
	if !promptly(ctx, d, fn) {
		return []string{fmt.Sprintf("still running %s after its ctx was cancelled; honour ctx.Done()", d)}
	}
	return nil
}

// promptly reports whether fn, called with a cancelled ctx, returns within d.
func promptly(parent context.Context, d time.Duration, fn func(ctx context.Context) error) bool {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fn(ctx)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// concurrently runs fn for n inputs from workers goroutines at once and
// returns its errors.
func concurrently(ctx context.Context, workers, n int, fn func(ctx context.Context, i int) error) []string {
	var wg sync.WaitGroup
	errs := make(chan error, workers*n)
	for w := range workers {
		wg.Go(func() {
			for i := range n {
				if err := fn(ctx, (i+w)%n); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	var out []string
	for err := range errs {
		out = append(out, fmt.Sprintf("concurrent call: %v", err))
	}
	return out
}
