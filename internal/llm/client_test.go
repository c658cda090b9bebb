package llm

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/sdk"
)

var testSchema = json.RawMessage(`{"type":"object","additionalProperties":false,"required":["answer"],
"properties":{"answer":{"type":"string","enum":["yes","no"]}}}`)

func testRequest() JSONRequest {
	return JSONRequest{System: "Answer yes or no.", User: "Is the sky blue?", SchemaName: "yes_no", Schema: testSchema}
}

// sleeps records the waits a Client asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// newTestClient returns a client for srv that records its waits and backs
// off n milliseconds before retry n.
func newTestClient(t *testing.T, srv *llmtest.Server, mod func(*Config)) (*Client, *sleeps) {
	t.Helper()
	cfg := Config{BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "gpt-4o-mini"}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	sl := &sleeps{}
	c.sleep = sl.sleep
	c.backoff = func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	return c, sl
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		cfg     Config
		wantErr string // "" means valid
	}{
		{name: "minimal", cfg: Config{Model: "m"}},
		{name: "full", cfg: Config{BaseURL: "http://localhost:11434/v1", APIKey: "k", Model: "m", Timeout: time.Second, MaxRetries: -1}},
		{name: "no model", cfg: Config{}, wantErr: "model: required"},
		{name: "relative url", cfg: Config{BaseURL: "/v1", Model: "m"}, wantErr: "absolute http or https"},
		{name: "ftp url", cfg: Config{BaseURL: "ftp://x/v1", Model: "m"}, wantErr: "absolute http or https"},
		{name: "query", cfg: Config{BaseURL: "http://x/v1?a=b", Model: "m"}, wantErr: "query"},
		{name: "negative timeout", cfg: Config{Model: "m", Timeout: -time.Second}, wantErr: "timeout"},
		{name: "too many retries", cfg: Config{Model: "m", MaxRetries: 11}, wantErr: "max_retries"},
		{name: "retries below -1", cfg: Config{Model: "m", MaxRetries: -2}, wantErr: "max_retries"},
		{name: "credentials with a query", cfg: Config{BaseURL: "http://u:Hunter2pw@x/v1?a=b", Model: "m"}, wantErr: "u:xxxxx@x"},
		{name: "credentials in a bad url", cfg: Config{BaseURL: "http://u:Hunter2pw@x:port/v1", Model: "m"}, wantErr: "not a URL"},
		{name: "credentials, no scheme", cfg: Config{BaseURL: "ftp://u:Hunter2pw@x/v1", Model: "m"}, wantErr: "absolute http"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if err != nil && strings.Contains(err.Error(), "Hunter2pw") {
				t.Errorf("Validate() = %v: holds the password", err)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, sdk.ErrInvalid)):
				t.Errorf("Validate() = %v; want an sdk.ErrInvalid mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	got := Config{Model: "m"}.withDefaults()
	if got.BaseURL != DefaultBaseURL || got.Timeout != DefaultTimeout || got.MaxRetries != DefaultMaxRetries {
		t.Errorf("withDefaults() = %+v; want the defaults", got)
	}
	if got := (Config{Model: "m", MaxRetries: -1}).withDefaults().MaxRetries; got != 0 {
		t.Errorf("MaxRetries -1 → %d; want 0", got)
	}
}

func TestJSON(t *testing.T) {
	srv := llmtest.New(t)
	var seen llmtest.ChatRequest
	srv.Respond = func(req llmtest.ChatRequest) llmtest.Response {
		seen = req
		return llmtest.JSONAnswer(`{"answer":"yes"}`)
	}
	c, _ := newTestClient(t, srv, nil)
	resp, err := c.JSON(t.Context(), testRequest())
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if got, want := string(resp.Content), `{"answer":"yes"}`; got != want {
		t.Errorf("Content = %s; want %s", got, want)
	}
	if resp.Model != llmtest.AnswerModel {
		t.Errorf("Model = %q; want %q", resp.Model, llmtest.AnswerModel)
	}
	if want := (Usage{llmtest.PromptTokens, llmtest.CompletionTokens, llmtest.TotalTokens}); resp.Usage != want {
		t.Errorf("Usage = %+v; want %+v", resp.Usage, want)
	}
	if seen.Model != "gpt-4o-mini" || seen.SchemaName != "yes_no" || !seen.Strict {
		t.Errorf("request model %q schema name %q strict %v; want gpt-4o-mini, yes_no, true", seen.Model, seen.SchemaName, seen.Strict)
	}
	var gotSchema, wantSchema any
	_ = json.Unmarshal(seen.Schema, &gotSchema)
	_ = json.Unmarshal(testSchema, &wantSchema)
	if g, w := mustMarshal(t, gotSchema), mustMarshal(t, wantSchema); g != w {
		t.Errorf("schema sent = %s; want %s", g, w)
	}
	wantMsgs := []llmtest.Message{{Role: "system", Content: "Answer yes or no."}, {Role: "user", Content: "Is the sky blue?"}}
	if !slices.Equal(seen.Messages, wantMsgs) {
		t.Errorf("messages = %+v; want %+v", seen.Messages, wantMsgs)
	}
	if !strings.Contains(string(srv.LastBody()), `"type":"json_schema"`) {
		t.Errorf("body %s lacks response_format type json_schema", srv.LastBody())
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONErrors(t *testing.T) {
	cases := []struct {
		name         string
		respond      func(llmtest.ChatRequest) llmtest.Response
		retries      int
		want         error // sentinel
		wantStatus   int
		wantRequests int
		wantResponse bool // a response with Usage comes back with the error
	}{
		{name: "unauthorized", respond: llmtest.Always(llmtest.Error(401, "invalid_request_error", "Incorrect API key")), want: sdk.ErrUnauthorized, wantStatus: 401, wantRequests: 1},
		{name: "forbidden", respond: llmtest.Always(llmtest.Error(403, "invalid_request_error", "region")), want: sdk.ErrUnauthorized, wantStatus: 403, wantRequests: 1},
		{name: "bad request", respond: llmtest.Always(llmtest.Error(400, "invalid_request_error", "Invalid schema")), want: sdk.ErrInvalid, wantStatus: 400, wantRequests: 1},
		{name: "not found", respond: llmtest.Always(llmtest.Error(404, "invalid_request_error", "model not found")), want: sdk.ErrInvalid, wantStatus: 404, wantRequests: 1},
		{name: "server error retried", respond: llmtest.Always(llmtest.ServerError()), retries: 2, want: sdk.ErrUnavailable, wantStatus: 500, wantRequests: 3},
		{name: "server error no retries", respond: llmtest.Always(llmtest.ServerError()), retries: -1, want: sdk.ErrUnavailable, wantStatus: 500, wantRequests: 1},
		{name: "bad gateway", respond: llmtest.Always(llmtest.Error(502, "server_error", "upstream")), retries: 1, want: sdk.ErrUnavailable, wantStatus: 502, wantRequests: 2},
		{name: "rate limited", respond: llmtest.Always(llmtest.RateLimited(3 * time.Second)), retries: 1, want: sdk.ErrUnavailable, wantStatus: 429, wantRequests: 2},
		{name: "invalid json", respond: llmtest.Always(llmtest.InvalidJSON()), want: sdk.ErrInvalid, wantStatus: 200, wantRequests: 1, wantResponse: true},
		{name: "cut off", respond: llmtest.Always(llmtest.Completion(`{"answer":"y`, "length")), want: sdk.ErrInvalid, wantStatus: 200, wantRequests: 1, wantResponse: true},
		{name: "filtered", respond: llmtest.Always(llmtest.Completion(`{}`, "content_filter")), want: sdk.ErrInvalid, wantStatus: 200, wantRequests: 1, wantResponse: true},
		{name: "refusal", respond: llmtest.Always(llmtest.Refusal("I can't help with that.")), want: sdk.ErrInvalid, wantStatus: 200, wantRequests: 1, wantResponse: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.New(t)
			srv.Respond = tc.respond
			c, _ := newTestClient(t, srv, func(c *Config) { c.MaxRetries = tc.retries })
			resp, err := c.JSON(t.Context(), testRequest())
			if !errors.Is(err, tc.want) {
				t.Fatalf("JSON error = %v; want %v", err, tc.want)
			}
			var le *Error
			if !errors.As(err, &le) || le.Status != tc.wantStatus || le.Op != opChat {
				t.Errorf("error %v: want an *Error with status %d and op chat", err, tc.wantStatus)
			}
			if got := srv.ChatRequests(); got != tc.wantRequests {
				t.Errorf("requests = %d; want %d", got, tc.wantRequests)
			}
			if tc.wantResponse != (resp != nil) {
				t.Errorf("response = %+v; want one: %v", resp, tc.wantResponse)
			}
			if resp != nil && resp.Usage.TotalTokens != llmtest.TotalTokens {
				t.Errorf("usage = %+v; want the server's", resp.Usage)
			}
			if sdk.Retryable(err) != errors.Is(err, sdk.ErrUnavailable) {
				t.Errorf("Retryable(%v) = %v", err, sdk.Retryable(err))
			}
		})
	}
}

func TestRateLimitedErrorCarriesWait(t *testing.T) {
	srv := llmtest.New(t)
	srv.Respond = llmtest.Always(llmtest.RateLimited(7 * time.Second))
	c, sl := newTestClient(t, srv, func(c *Config) { c.MaxRetries = 1 })
	_, err := c.JSON(t.Context(), testRequest())
	var ra *sdk.RetryAfterError
	if !errors.As(err, &ra) || ra.Wait != 7*time.Second || !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("error = %v; want an *sdk.RetryAfterError of 7s wrapping sdk.ErrUnavailable", err)
	}
	if got, want := sl.got(), []time.Duration{7 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v; want %v (the Retry-After)", got, want)
	}
}

func TestRetryThenSuccess(t *testing.T) {
	cases := []struct {
		name      string
		first     llmtest.Response
		wantWaits []time.Duration
	}{
		{name: "429 honours retry-after", first: llmtest.RateLimited(2 * time.Second), wantWaits: []time.Duration{2 * time.Second}},
		{name: "429 retry-after zero", first: llmtest.RateLimited(0), wantWaits: []time.Duration{0}},
		{name: "500 backs off", first: llmtest.ServerError(), wantWaits: []time.Duration{time.Millisecond}},
		{name: "503 honours retry-after", first: func() llmtest.Response {
			r := llmtest.Error(503, "server_error", "overloaded")
			r.Header = http.Header{"Retry-After": []string{"4"}}
			return r
		}(), wantWaits: []time.Duration{4 * time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.New(t)
			srv.Respond = llmtest.Sequence(llmtest.Always(tc.first), llmtest.Always(llmtest.JSONAnswer(`{"answer":"no"}`)))
			c, sl := newTestClient(t, srv, nil)
			resp, err := c.JSON(t.Context(), testRequest())
			if err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if string(resp.Content) != `{"answer":"no"}` {
				t.Errorf("content = %s", resp.Content)
			}
			if srv.ChatRequests() != 2 {
				t.Errorf("requests = %d; want 2", srv.ChatRequests())
			}
			if got := sl.got(); !slices.Equal(got, tc.wantWaits) {
				t.Errorf("waits = %v; want %v", got, tc.wantWaits)
			}
		})
	}
}

func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	srv := llmtest.New(t)
	srv.Respond = llmtest.Always(llmtest.RateLimited(30 * time.Second))
	c, sl := newTestClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := c.JSON(ctx, testRequest())
	var ra *sdk.RetryAfterError
	if !errors.As(err, &ra) || ra.Wait != 30*time.Second {
		t.Fatalf("error = %v; want a RetryAfterError of 30s", err)
	}
	if srv.ChatRequests() != 1 || len(sl.got()) != 0 {
		t.Errorf("requests %d, waits %v; want 1 request and no wait", srv.ChatRequests(), sl.got())
	}
}

func TestAttemptTimeout(t *testing.T) {
	srv := llmtest.New(t)
	srv.Respond = llmtest.Always(llmtest.Slow(time.Hour, llmtest.JSONAnswer(`{}`)))
	// The timeout leaves room for the server's spec validation (slow under
	// -race), so that each attempt reaches the handler.
	c, sl := newTestClient(t, srv, func(c *Config) { c.Timeout = time.Second; c.MaxRetries = 1 })
	_, err := c.JSON(t.Context(), testRequest())
	if !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("error = %v; want sdk.ErrUnavailable for a timed-out attempt", err)
	}
	if srv.Requests() != 2 || len(sl.got()) != 1 {
		t.Errorf("requests %d, waits %v; want 2 attempts with one wait between", srv.Requests(), sl.got())
	}
}

func TestCallerCancelStopsRetries(t *testing.T) {
	srv := llmtest.New(t)
	srv.Respond = llmtest.Always(llmtest.ServerError())
	c, _ := newTestClient(t, srv, func(c *Config) { c.MaxRetries = 5 })
	ctx, cancel := context.WithCancel(t.Context())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	_, err := c.JSON(ctx, testRequest())
	if !errors.Is(err, sdk.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want sdk.ErrUnavailable and context.Canceled", err)
	}
	if srv.ChatRequests() != 1 {
		t.Errorf("requests = %d; want 1", srv.ChatRequests())
	}
}

func TestNetworkErrorIsUnavailable(t *testing.T) {
	srv := llmtest.New(t)
	c, sl := newTestClient(t, srv, func(c *Config) { c.BaseURL = "http://127.0.0.1:1/v1"; c.MaxRetries = 1 })
	_, err := c.JSON(t.Context(), testRequest())
	if !errors.Is(err, sdk.ErrUnavailable) {
		t.Fatalf("error = %v; want sdk.ErrUnavailable", err)
	}
	if len(sl.got()) != 1 {
		t.Errorf("waits = %v; want one retry", sl.got())
	}
}

func TestJSONRequestValidation(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*JSONRequest)
	}{
		{name: "no user prompt", mod: func(r *JSONRequest) { r.User = "" }},
		{name: "bad schema name", mod: func(r *JSONRequest) { r.SchemaName = "has space" }},
		{name: "long schema name", mod: func(r *JSONRequest) { r.SchemaName = strings.Repeat("a", 65) }},
		{name: "schema not an object", mod: func(r *JSONRequest) { r.Schema = json.RawMessage(`[1]`) }},
		{name: "no schema", mod: func(r *JSONRequest) { r.Schema = nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.New(t)
			c, _ := newTestClient(t, srv, nil)
			req := testRequest()
			tc.mod(&req)
			if _, err := c.JSON(t.Context(), req); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("JSON error = %v; want sdk.ErrInvalid", err)
			}
			if srv.Requests() != 0 {
				t.Errorf("an invalid request reached the server")
			}
		})
	}
}

func TestEmbed(t *testing.T) {
	srv := llmtest.New(t)
	c, _ := newTestClient(t, srv, nil)
	inputs := []string{"refund policy", "reset password", "refund policy"}
	vs, usage, err := c.Embed(t.Context(), "text-embedding-3-small", inputs)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(vs) != len(inputs) {
		t.Fatalf("got %d vectors; want %d", len(vs), len(inputs))
	}
	for i, in := range inputs {
		if !slices.Equal(vs[i], llmtest.FakeVector(in)) {
			t.Errorf("vector %d = %v; want FakeVector(%q)", i, vs[i], in)
		}
	}
	if usage.PromptTokens != 24 || usage.TotalTokens != 24 {
		t.Errorf("usage = %+v; want 24 prompt and total tokens", usage)
	}
}

func TestEmbedErrors(t *testing.T) {
	shuffled := func(req llmtest.EmbeddingRequest) llmtest.Response {
		return llmtest.Embeddings(req.Model, [][]float32{{1}}) // one vector for many inputs
	}
	cases := []struct {
		name    string
		model   string
		inputs  []string
		respond func(llmtest.EmbeddingRequest) llmtest.Response
		want    error
	}{
		{name: "no model", inputs: []string{"a"}, want: sdk.ErrInvalid},
		{name: "no inputs", model: "m", want: sdk.ErrInvalid},
		{name: "empty input", model: "m", inputs: []string{"a", ""}, want: sdk.ErrInvalid},
		{name: "too many inputs", model: "m", inputs: make([]string, maxEmbedInputs+1), want: sdk.ErrInvalid},
		{name: "missing vectors", model: "m", inputs: []string{"a", "b"}, respond: shuffled, want: sdk.ErrInvalid},
		{name: "server error", model: "m", inputs: []string{"a"}, want: sdk.ErrUnavailable,
			respond: func(llmtest.EmbeddingRequest) llmtest.Response { return llmtest.ServerError() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.New(t)
			srv.RespondEmbed = tc.respond
			c, _ := newTestClient(t, srv, func(c *Config) { c.MaxRetries = -1 })
			if _, _, err := c.Embed(t.Context(), tc.model, tc.inputs); !errors.Is(err, tc.want) {
				t.Errorf("Embed error = %v; want %v", err, tc.want)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name   string
		h      http.Header
		want   time.Duration
		wantOK bool
	}{
		{name: "none", h: http.Header{}},
		{name: "nil", h: nil},
		{name: "seconds", h: http.Header{"Retry-After": {"12"}}, want: 12 * time.Second, wantOK: true},
		{name: "zero", h: http.Header{"Retry-After": {"0"}}, want: 0, wantOK: true},
		{name: "date", h: http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, want: 90 * time.Second, wantOK: true},
		{name: "past date", h: http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, want: 0, wantOK: true},
		{name: "milliseconds first", h: http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"1"}}, want: 250 * time.Millisecond, wantOK: true},
		{name: "garbage", h: http.Header{"Retry-After": {"soon"}}},
		{name: "negative", h: http.Header{"Retry-After": {"-3"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := retryAfter(tc.h, now); got != tc.want || ok != tc.wantOK {
				t.Errorf("retryAfter = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestExpBackoffGrowsAndCaps(t *testing.T) {
	for n, limit := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second, 9: 8 * time.Second} {
		for range 20 {
			if d := expBackoff(n); d < limit/2 || d >= limit {
				t.Errorf("expBackoff(%d) = %v; want in [%v, %v)", n, d, limit/2, limit)
			}
		}
	}
}
