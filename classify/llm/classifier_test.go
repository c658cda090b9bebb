package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/sdk"
)

// fallbackPrediction marks answers that came from the fallback.
var fallbackPrediction = sdk.Prediction{Field: sdk.FieldPriority, Value: "P2", Confidence: 0.5, Reason: "rules: default", Source: "classify.rules"}

// fakeFallback is a function-field fake counting its calls.
type fakeFallback struct {
	mu    sync.Mutex
	calls int
	fn    func(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error)
}

func (f *fakeFallback) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if f.fn != nil {
		return f.fn(ctx, req)
	}
	return &sdk.ClassifyResponse{Predictions: []sdk.Prediction{fallbackPrediction}}, nil
}

func (f *fakeFallback) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

var _ sdk.Classifier = (*fakeFallback)(nil)

type setup struct {
	srv      *llmtest.Server
	clf      *Classifier
	fallback *fakeFallback
	logs     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newSetup wires a classifier to an llmtest server through a real
// internal/llm client.
func newSetup(t *testing.T, llmCfg func(*llmapi.Config), cfg Config) *setup {
	t.Helper()
	srv := llmtest.New(t)
	lc := llmapi.Config{BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "gpt-4o-mini", MaxRetries: -1}
	if llmCfg != nil {
		llmCfg(&lc)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := llmapi.New(lc, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close(context.Background()) })
	fb := &fakeFallback{}
	clf, err := New(client, cfg, fb, logger)
	if err != nil {
		t.Fatal(err)
	}
	return &setup{srv: srv, clf: clf, fallback: fb, logs: logs}
}

// PII in the test ticket; none of it may reach the server.
var pii = []string{
	"jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
	"221B Baker Street", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "(415) 555-0132",
	"Priya", "Nair", "brightlane", "enterprise", // the requester and the customer's attributes
}

func testTicket() *sdk.Ticket {
	return &sdk.Ticket{
		Ref:       sdk.TicketRef{Connector: "zendesk", Account: "acme", ID: "4711"},
		Subject:   "Charged twice, contact jane.doe@example.com",
		Requester: sdk.Party{ID: "u9", Name: "Priya Nair", Email: "priya@brightlane.example"},
		Customer:  map[string]string{sdk.AttrPlan: "enterprise"},
		Messages: []sdk.Message{
			{Body: "We were charged twice for March on card 4111 1111 1111 1111. Call me on +44 20 7946 0958 or write to 221B Baker Street. IBAN for the refund: DE89 3704 0044 0532 0130 00. We might move to Zendesk.", CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
			{Body: "Thanks, we are looking into it.", FromAgent: true, Public: true},
			{Body: "Customer token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 seen in logs", FromAgent: true},
			{Body: "Still nothing! Refund 650.00 now. My cell is (415) 555-0132. Nair, finance, priya@brightlane.example"},
		},
	}
}

// validAnswer is a complete answer for every known field with the default
// taxonomy.
func validAnswer() map[string]any {
	v := func(value string, conf float64, reason string) map[string]any {
		return map[string]any{"value": value, "confidence": conf, "reason": reason}
	}
	s := func(fired bool, conf float64, reason string) map[string]any {
		return map[string]any{"fired": fired, "confidence": conf, "reason": reason}
	}
	competitor := s(true, 0.7, "mentions moving to Zendesk")
	competitor["name"] = "Zendesk"
	refund := s(true, 0.9, "asks for refund of 650.00")
	refund["amount"] = "650.00"
	return map[string]any{
		"priority":             v("P1", 0.8, "double charge is a billing error"),
		"tag_primary":          v("billing", 0.95, "charged twice"),
		"tag_secondary":        []any{v("churn-risk", 0.6, "competitor mentioned")},
		"sentiment":            v("negative", 0.7, "frustrated follow-up"),
		"language":             v("en", 0.99, "written in English"),
		"product_area":         v("billing", 0.8, "invoice and charges"),
		"signal_cancel":        s(false, 0.9, ""),
		"signal_competitor":    competitor,
		"signal_downgrade":     s(false, 0.9, ""),
		"signal_legal":         s(false, 0.9, ""),
		"signal_refund_amount": refund,
		"signal_security":      s(false, 0.9, ""),
		"signal_outage":        s(false, 0.9, ""),
		"signal_repeat":        s(false, 0.8, ""),
		"signal_executive":     s(false, 0.9, ""),
	}
}

func TestClassifyValidAnswer(t *testing.T) {
	st := newSetup(t, nil, Config{})
	st.srv.Respond = llmtest.Always(llmtest.JSONAnswer(validAnswer()))
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()})
	if err != nil {
		t.Fatalf("Classify: %v", err)
	}
	want := []sdk.Prediction{
		{Field: "priority", Value: "P1", Confidence: 0.8, Reason: "llm: double charge is a billing error", Source: ID},
		{Field: "tag.primary", Value: "billing", Confidence: 0.95, Reason: "llm: charged twice", Source: ID},
		{Field: "tag.secondary", Value: "churn-risk", Confidence: 0.6, Reason: "llm: competitor mentioned", Source: ID},
		{Field: "sentiment", Value: "negative", Confidence: 0.7, Reason: "llm: frustrated follow-up", Source: ID},
		{Field: "language", Value: "en", Confidence: 0.99, Reason: "llm: written in English", Source: ID},
		{Field: "product_area", Value: "billing", Confidence: 0.8, Reason: "llm: invoice and charges", Source: ID},
		{Field: "signal.competitor", Value: "Zendesk", Confidence: 0.7, Reason: "llm: mentions moving to Zendesk", Source: ID},
		{Field: "signal.refund_amount", Value: "650.00", Confidence: 0.9, Reason: "llm: asks for refund of 650.00", Source: ID},
	}
	if !slices.Equal(resp.Predictions, want) {
		t.Errorf("predictions:\n got %+v\nwant %+v", resp.Predictions, want)
	}
	if st.fallback.Calls() != 0 {
		t.Errorf("fallback called %d times; want 0", st.fallback.Calls())
	}
	if got := st.clf.Stats(); got.Calls != 1 || got.Fallbacks != 0 || got.Usage.TotalTokens != llmtest.TotalTokens {
		t.Errorf("Stats = %+v; want 1 call, 0 fallbacks, %d tokens", got, llmtest.TotalTokens)
	}
	if fails := st.srv.Failures(); len(fails) != 0 {
		t.Errorf("requests failed spec validation: %v", fails)
	}
}

func TestClassifyRequestContent(t *testing.T) {
	st := newSetup(t, nil, Config{})
	var got llmtest.ChatRequest
	st.srv.Respond = func(req llmtest.ChatRequest) llmtest.Response {
		got = req
		return llmtest.JSONAnswer(validAnswer())
	}
	if _, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()}); err != nil {
		t.Fatal(err)
	}
	body := string(st.srv.LastBody())
	for _, p := range pii {
		if strings.Contains(body, p) || strings.Contains(body, strings.ReplaceAll(p, " ", "")) {
			t.Errorf("request body contains PII %q", p)
		}
	}
	for _, ph := range []string{"[EMAIL]", "[CARD]", "[PHONE]", "[ADDRESS]", "[IBAN]", "[SECRET]"} {
		if !strings.Contains(body, ph) {
			t.Errorf("request body lacks placeholder %s", ph)
		}
	}
	if len(got.Messages) != 2 || got.Messages[0].Role != "system" || got.Messages[1].Role != "user" {
		t.Fatalf("messages = %+v; want system then user", got.Messages)
	}
	sys, user := got.Messages[0].Content, got.Messages[1].Content
	for _, want := range []string{
		"P0 urgent: service down, data loss, security vulnerability or breach, payment failing",
		"P3 low: feature request, cosmetic issue, general question",
		"an angry tone alone never raises priority",
		"- churn-risk: cancellation requests, competitor mentions, strong dissatisfaction",
		"- signal_refund_amount:",
	} {
		if !strings.Contains(sys, want) {
			t.Errorf("system prompt lacks %q", want)
		}
	}
	order := []string{"Subject: Charged twice, contact [EMAIL]", "[1] customer:", "[2] agent:", "[3] agent (internal note):", "[4] customer:\nStill nothing!"}
	last := -1
	for _, want := range order {
		i := strings.Index(user, want)
		if i <= last {
			t.Errorf("user prompt: %q missing or out of order in\n%s", want, user)
		}
		last = i
	}
	if got.SchemaName != schemaName || !got.Strict {
		t.Errorf("schema name %q strict %v; want %q, true", got.SchemaName, got.Strict, schemaName)
	}
	var sch struct {
		Required   []string                   `json:"required"`
		Additional bool                       `json:"additionalProperties"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(got.Schema, &sch); err != nil {
		t.Fatal(err)
	}
	if len(sch.Required) != len(known) || sch.Additional || len(sch.Properties) != len(known) {
		t.Errorf("schema: %d required, %d properties, additionalProperties %v; want %d, %d, false",
			len(sch.Required), len(sch.Properties), sch.Additional, len(known), len(known))
	}
	if p := string(sch.Properties["priority"]); !strings.Contains(p, `"enum":["P0","P1","P2","P3"]`) {
		t.Errorf("priority schema %s lacks the P0-P3 enum", p)
	}
	if p := string(sch.Properties["tag_secondary"]); !strings.Contains(p, `"maxItems":2`) {
		t.Errorf("tag_secondary schema %s lacks maxItems 2", p)
	}
}

func TestClassifyInvalidAnswersFallBack(t *testing.T) {
	with := func(mod func(a map[string]any)) func(llmtest.ChatRequest) llmtest.Response {
		a := validAnswer()
		mod(a)
		return llmtest.Always(llmtest.JSONAnswer(a))
	}
	field := func(a map[string]any, key string) map[string]any { m, _ := a[key].(map[string]any); return m }
	cases := []struct {
		name    string
		respond func(llmtest.ChatRequest) llmtest.Response
		reason  string // logged reason
		wantLog string // in the logged error
	}{
		{name: "invalid json", respond: llmtest.Always(llmtest.InvalidJSON()), reason: "invalid_request_or_answer", wantLog: "not well-formed JSON"},
		{name: "out of enum", respond: llmtest.OutOfEnum, reason: "invalid_answer", wantLog: "value is not one of the"},
		{name: "priority outside enum", respond: with(func(a map[string]any) { field(a, "priority")["value"] = "P5" }), reason: "invalid_answer", wantLog: "priority: value is not one of the 4 allowed"},
		{name: "tag outside taxonomy", respond: with(func(a map[string]any) { field(a, "tag_primary")["value"] = "refunds" }), reason: "invalid_answer", wantLog: "tag_primary: value is not one of the 10 allowed"},
		{name: "unknown field", respond: with(func(a map[string]any) { a["summary"] = "x" }), reason: "invalid_answer", wantLog: "1 unknown fields"},
		{name: "unknown inner field", respond: with(func(a map[string]any) { field(a, "sentiment")["score"] = 3 }), reason: "invalid_answer", wantLog: "sentiment: unknown property"},
		{name: "name on a plain signal", respond: with(func(a map[string]any) { field(a, "signal_cancel")["name"] = "x" }), reason: "invalid_answer", wantLog: "signal_cancel: name is required for the competitor signal"},
		{name: "missing field", respond: with(func(a map[string]any) { delete(a, "tag_primary") }), reason: "invalid_answer", wantLog: "missing field tag_primary"},
		{name: "missing confidence", respond: with(func(a map[string]any) { delete(field(a, "priority"), "confidence") }), reason: "invalid_answer", wantLog: "priority: value, confidence and reason are required"},
		{name: "null value", respond: with(func(a map[string]any) { field(a, "priority")["value"] = nil }), reason: "invalid_answer", wantLog: "priority: value, confidence and reason are required"},
		{name: "missing amount", respond: with(func(a map[string]any) { delete(field(a, "signal_refund_amount"), "amount") }), reason: "invalid_answer", wantLog: "signal_refund_amount: amount is required"},
		{name: "confidence above 1", respond: with(func(a map[string]any) { field(a, "priority")["confidence"] = 1.5 }), reason: "invalid_answer", wantLog: "priority: confidence outside [0,1]"},
		{name: "confidence below 0", respond: with(func(a map[string]any) { field(a, "signal_legal")["confidence"] = -0.1 }), reason: "invalid_answer", wantLog: "signal_legal: confidence outside [0,1]"},
		{name: "confidence as string", respond: with(func(a map[string]any) { field(a, "priority")["confidence"] = "high" }), reason: "invalid_answer", wantLog: "priority: confidence has the wrong type"},
		{name: "three secondary tags", respond: with(func(a map[string]any) {
			tag := func(v string) map[string]any {
				return map[string]any{"value": v, "confidence": 0.5, "reason": "also " + v}
			}
			a["tag_secondary"] = []any{tag("bug"), tag("how-to"), tag("account")}
		}), reason: "invalid_answer", wantLog: "tag_secondary: 3 items; at most 2"},
		{name: "language not iso", respond: with(func(a map[string]any) { field(a, "language")["value"] = "english" }), reason: "invalid_answer", wantLog: "language: value is not an allowed ISO 639-1 code"},
		{name: "empty reason", respond: with(func(a map[string]any) { field(a, "priority")["reason"] = " " }), reason: "invalid_answer", wantLog: "priority: empty reason"},
		{name: "bad amount", respond: with(func(a map[string]any) { field(a, "signal_refund_amount")["amount"] = "$650" }), reason: "invalid_answer", wantLog: "signal_refund_amount: amount is not a decimal"},
		{name: "array answer", respond: llmtest.Always(llmtest.JSONAnswer(`[1,2]`)), reason: "invalid_answer", wantLog: "not a JSON object"},
		{name: "server error", respond: llmtest.Always(llmtest.ServerError()), reason: "unavailable", wantLog: "status 500"},
		{name: "unauthorized", respond: llmtest.Always(llmtest.Error(401, "invalid_request_error", "Incorrect API key provided")), reason: "unauthorized", wantLog: "status 401"},
		{name: "rate limited", respond: llmtest.Always(llmtest.RateLimited(0)), reason: "rate_limited", wantLog: "status 429"},
		{name: "refusal", respond: llmtest.Always(llmtest.Refusal("no")), reason: "invalid_request_or_answer", wantLog: "refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := newSetup(t, nil, Config{})
			st.srv.Respond = tc.respond
			tk := testTicket()
			resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: tk})
			if err != nil {
				t.Fatalf("Classify: %v", err)
			}
			if !slices.Equal(resp.Predictions, []sdk.Prediction{fallbackPrediction}) {
				t.Errorf("predictions = %+v; want the fallback's", resp.Predictions)
			}
			if st.fallback.Calls() != 1 {
				t.Errorf("fallback called %d times; want 1", st.fallback.Calls())
			}
			if got := st.clf.Stats(); got.Fallbacks != 1 || got.Calls != 1 {
				t.Errorf("Stats = %+v; want 1 call and 1 fallback", got)
			}
			logs := st.logs.String()
			if !strings.Contains(logs, `"reason":"`+tc.reason+`"`) || !strings.Contains(logs, tc.wantLog) {
				t.Errorf("logs lack reason %q or error %q:\n%s", tc.reason, tc.wantLog, logs)
			}
			assertNoTicketText(t, logs, tk)
		})
	}
}

// assertNoTicketText fails if logs quote the ticket.
func assertNoTicketText(t *testing.T, logs string, tk *sdk.Ticket) {
	t.Helper()
	texts := append([]string{tk.Subject}, pii...)
	for _, m := range tk.Messages {
		texts = append(texts, m.Body[:min(len(m.Body), 20)])
	}
	for _, s := range texts {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain ticket text %q", s)
		}
	}
}

func TestClassifyConformingAnswerIsAccepted(t *testing.T) {
	// The control for "out of enum": the same generated answer without the
	// violation passes, so the fallback there is due to the enum alone.
	st := newSetup(t, nil, Config{})
	st.srv.Respond = llmtest.Conforming
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()})
	if err != nil {
		t.Fatal(err)
	}
	if st.fallback.Calls() != 0 || len(resp.Predictions) == 0 {
		t.Errorf("conforming answer: %d fallback calls, predictions %+v; want the model's", st.fallback.Calls(), resp.Predictions)
	}
}

func TestClassifySlowModelTimesOut(t *testing.T) {
	st := newSetup(t, nil, Config{Timeout: 100 * time.Millisecond})
	st.srv.Respond = llmtest.Always(llmtest.Slow(time.Hour, llmtest.JSONAnswer(validAnswer())))
	tk := testTicket()
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: tk})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resp.Predictions, []sdk.Prediction{fallbackPrediction}) {
		t.Errorf("predictions = %+v; want the fallback's", resp.Predictions)
	}
	if logs := st.logs.String(); !strings.Contains(logs, `"reason":"timeout"`) {
		t.Errorf("logs lack the timeout reason:\n%s", logs)
	}
}

func TestClassifyFallbackGetsCallerContext(t *testing.T) {
	// Neither the classifier's own deadline nor the caller's may leave the
	// fallback with an expired context.
	cases := []struct {
		name           string
		timeout        time.Duration // Config.Timeout
		callerDeadline time.Duration // 0: none
	}{
		{name: "own timeout", timeout: 50 * time.Millisecond},
		{name: "caller deadline first", timeout: time.Hour, callerDeadline: 500 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := newSetup(t, nil, Config{Timeout: tc.timeout})
			st.srv.Respond = llmtest.Always(llmtest.Slow(time.Hour, llmtest.JSONAnswer(validAnswer())))
			st.fallback.fn = func(ctx context.Context, _ *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				return &sdk.ClassifyResponse{}, nil
			}
			ctx := t.Context()
			if tc.callerDeadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.callerDeadline)
				defer cancel()
			}
			if _, err := st.clf.Classify(ctx, &sdk.ClassifyRequest{Ticket: testTicket()}); err != nil {
				t.Errorf("Classify: %v; the fallback saw an expired context", err)
			}
			if st.fallback.Calls() != 1 {
				t.Errorf("fallback calls = %d; want 1", st.fallback.Calls())
			}
		})
	}
}

func TestClassifyRetriesRateLimit(t *testing.T) {
	st := newSetup(t, func(c *llmapi.Config) { c.MaxRetries = 2 }, Config{})
	st.srv.Respond = llmtest.Sequence(
		llmtest.Always(llmtest.RateLimited(0)),
		llmtest.Always(llmtest.JSONAnswer(validAnswer())),
	)
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()})
	if err != nil {
		t.Fatal(err)
	}
	if st.fallback.Calls() != 0 || len(resp.Predictions) == 0 || resp.Predictions[0].Source != ID {
		t.Errorf("after 429 then success: %d fallback calls, predictions %+v; want the model's", st.fallback.Calls(), resp.Predictions)
	}
	if st.srv.ChatRequests() != 2 {
		t.Errorf("chat requests = %d; want 2", st.srv.ChatRequests())
	}
	for i, b := range st.srv.Bodies() {
		for _, p := range pii {
			if bytes.Contains(b, []byte(p)) {
				t.Errorf("request %d contains PII %q", i+1, p)
			}
		}
	}
}

func TestClassifyFieldsFromRequest(t *testing.T) {
	specs := []sdk.FieldSpec{
		{Name: sdk.FieldPriority, Allowed: []string{"P1", "P2"}},
		{Name: sdk.FieldPrimaryTag, Allowed: []string{"billing", "refunds"}},
		{Name: sdk.FieldProductArea, Allowed: []string{"payments", "api"}},
		{Name: "custom.team", Allowed: []string{"a", "b"}}, // unknown: skipped
	}
	answer := func(tag string) map[string]any {
		return map[string]any{
			"priority":     map[string]any{"value": "P2", "confidence": 0.6, "reason": "wrong charge"},
			"tag_primary":  map[string]any{"value": tag, "confidence": 0.9, "reason": "refund asked"},
			"product_area": map[string]any{"value": "payments", "confidence": 0.7, "reason": "card charge"},
		}
	}
	cases := []struct {
		name         string
		tag          string
		wantFallback bool
	}{
		{name: "allowed tag outside taxonomy", tag: "refunds"},
		{name: "taxonomy tag not allowed", tag: "bug", wantFallback: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := newSetup(t, nil, Config{})
			var schemaSent json.RawMessage
			st.srv.Respond = func(req llmtest.ChatRequest) llmtest.Response {
				schemaSent = req.Schema
				return llmtest.JSONAnswer(answer(tc.tag))
			}
			resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket(), Fields: specs})
			if err != nil {
				t.Fatal(err)
			}
			if got := st.fallback.Calls() == 1; got != tc.wantFallback {
				t.Errorf("fallback used = %v; want %v", got, tc.wantFallback)
			}
			var sch struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if err := json.Unmarshal(schemaSent, &sch); err != nil {
				t.Fatal(err)
			}
			keys := slices.Sorted(maps.Keys(sch.Properties))
			if want := []string{"priority", "product_area", "tag_primary"}; !slices.Equal(keys, want) {
				t.Errorf("schema properties = %v; want %v", keys, want)
			}
			if p := string(sch.Properties["priority"]); !strings.Contains(p, `"enum":["P1","P2"]`) {
				t.Errorf("priority schema %s; want enum P1, P2", p)
			}
			if tc.wantFallback {
				return
			}
			want := []sdk.Prediction{
				{Field: "priority", Value: "P2", Confidence: 0.6, Reason: "llm: wrong charge", Source: ID},
				{Field: "tag.primary", Value: "refunds", Confidence: 0.9, Reason: "llm: refund asked", Source: ID},
				{Field: "product_area", Value: "payments", Confidence: 0.7, Reason: "llm: card charge", Source: ID},
			}
			if !slices.Equal(resp.Predictions, want) {
				t.Errorf("predictions:\n got %+v\nwant %+v", resp.Predictions, want)
			}
		})
	}
}

func TestClassifyNoKnownFieldsSkipsModel(t *testing.T) {
	st := newSetup(t, nil, Config{})
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket(), Fields: []sdk.FieldSpec{{Name: "custom.team"}}})
	if err != nil || len(resp.Predictions) != 0 {
		t.Fatalf("Classify = %+v, %v; want no predictions", resp, err)
	}
	if st.srv.Requests() != 0 || st.fallback.Calls() != 0 {
		t.Errorf("requests %d, fallback calls %d; want none", st.srv.Requests(), st.fallback.Calls())
	}
}

func TestClassifyUsageAccumulates(t *testing.T) {
	st := newSetup(t, nil, Config{})
	st.srv.Respond = llmtest.Sequence(
		llmtest.Always(llmtest.JSONAnswer(validAnswer())),
		llmtest.Always(llmtest.InvalidJSON()), // rejected, but its tokens were spent
	)
	for range 2 {
		if _, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()}); err != nil {
			t.Fatal(err)
		}
	}
	want := Stats{Calls: 2, Fallbacks: 1, Usage: llmapi.Usage{
		PromptTokens: 2 * llmtest.PromptTokens, CompletionTokens: 2 * llmtest.CompletionTokens, TotalTokens: 2 * llmtest.TotalTokens,
	}}
	if got := st.clf.Stats(); got != want {
		t.Errorf("Stats = %+v; want %+v", got, want)
	}
}

func TestClassifySecondaryDuplicatesDropped(t *testing.T) {
	st := newSetup(t, nil, Config{})
	a := validAnswer()
	dup := map[string]any{"value": "billing", "confidence": 0.5, "reason": "same as primary"}
	a["tag_secondary"] = []any{dup, map[string]any{"value": "bug", "confidence": 0.4, "reason": "error shown"}}
	st.srv.Respond = llmtest.Always(llmtest.JSONAnswer(a))
	resp, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()})
	if err != nil {
		t.Fatal(err)
	}
	var secondary []string
	for _, p := range resp.Predictions {
		if p.Field == sdk.FieldSecondaryTag {
			secondary = append(secondary, p.Value)
		}
	}
	if !slices.Equal(secondary, []string{"bug"}) {
		t.Errorf("secondary tags = %v; want [bug]", secondary)
	}
}

func TestClassifyErrors(t *testing.T) {
	failing := &fakeFallback{fn: func(context.Context, *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
		return nil, errors.New("rules broke")
	}}
	st := newSetup(t, nil, Config{})
	st.srv.Respond = llmtest.Always(llmtest.ServerError())
	st.clf.fallback = failing
	if _, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{Ticket: testTicket()}); err == nil || !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Classify with failing fallback = %v; want an error that keeps the LLM cause", err)
	}
	if _, err := st.clf.Classify(t.Context(), &sdk.ClassifyRequest{}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Classify without ticket = %v; want sdk.ErrInvalid", err)
	}
}

func TestNewAndConfig(t *testing.T) {
	cases := []struct {
		name    string
		client  jsonClient
		cfg     Config
		fb      sdk.Classifier
		wantErr bool
	}{
		{name: "ok", client: &llmapi.Client{}, fb: &fakeFallback{}},
		{name: "no fallback", client: &llmapi.Client{}, wantErr: true},
		{name: "no client", fb: &fakeFallback{}, wantErr: true},
		{name: "negative timeout", client: &llmapi.Client{}, fb: &fakeFallback{}, cfg: Config{Timeout: -1}, wantErr: true},
		{name: "duplicate tag", client: &llmapi.Client{}, fb: &fakeFallback{}, cfg: Config{Taxonomy: []Tag{{Name: "a"}, {Name: "a"}}}, wantErr: true},
		{name: "empty tag", client: &llmapi.Client{}, fb: &fakeFallback{}, cfg: Config{Taxonomy: []Tag{{Description: "x"}}}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.client, tc.cfg, tc.fb, nil)
			if (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, sdk.ErrInvalid)) {
				t.Errorf("New = %v; want error: %v (sdk.ErrInvalid)", err, tc.wantErr)
			}
		})
	}
	if got := len(Config{}.withDefaults().Taxonomy); got != 10 {
		t.Errorf("the default taxonomy has %d tags; want 10", got)
	}
}
