package draft

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/llm/llmtest"
	"github.com/heardhq/heard/sdk"
)

// fakeDrafter is a function-field fake counting its calls.
type fakeDrafter struct {
	calls atomic.Int32
	fn    func(ctx context.Context, req Request) (Draft, error)
}

func (f *fakeDrafter) Draft(ctx context.Context, req Request) (Draft, error) {
	f.calls.Add(1)
	return f.fn(ctx, req)
}

var _ Drafter = (*fakeDrafter)(nil)

type llmSetup struct {
	srv *llmtest.Server
	drf *LLM
}

// newLLMSetup wires an LLM drafter to an llmtest server through a real
// internal/llm client, with the Template as fallback unless one is given.
func newLLMSetup(t *testing.T, cfg LLMConfig, fallback Drafter) *llmSetup {
	t.Helper()
	srv := llmtest.New(t)
	client, err := llmapi.New(llmapi.Config{BaseURL: srv.URL(), APIKey: llmtest.APIKey, Model: "gpt-4o-mini", MaxRetries: -1}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close(context.Background()) })
	if fallback == nil {
		fallback = newTemplate(t, TemplateConfig{})
	}
	drf, err := NewLLM(client, cfg, fallback, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return &llmSetup{srv: srv, drf: drf}
}

const groundedDraft = `Hi Anna,

Thanks for reporting that every CSV export of the Projects report fails in Chrome 121 with "Export failed: gateway timeout".

I know how disruptive that is with a client meeting on Thursday.

We're investigating now. Our help center covers a similar case: Exporting large reports — https://help.crewbook.example/articles/exporting-large-reports

Here's what happens next:
1. Until it's fixed, a workaround is to filter the report by date range and export each range separately.
2. You'll hear from us by 18:00 UTC today with an update.

Tip: to get the file every week without exporting by hand, see Scheduling report exports — https://help.crewbook.example/articles/scheduled-exports

Best wishes,
Support team`

func answerJSON(draft string, urls []string, situation string) string {
	b, _ := json.Marshal(map[string]any{"draft": draft, "cited_urls": urls, "situation": situation})
	return string(b)
}

var groundedURLs = []string{helpBase + "exporting-large-reports", helpBase + "scheduled-exports"}

func TestLLMAcceptsGroundedAnswer(t *testing.T) {
	s := newLLMSetup(t, LLMConfig{}, nil)
	var seen llmtest.ChatRequest
	s.srv.Respond = func(req llmtest.ChatRequest) llmtest.Response {
		seen = req
		return llmtest.JSONAnswer(answerJSON(groundedDraft, groundedURLs, string(SituationBug)))
	}
	req := scenarios()[0].req
	d := mustDraft(t, s.drf, req)
	if d.Source != SourceLLM || d.Text != groundedDraft {
		t.Fatalf("draft source %q text %q; want the model's draft", d.Source, d.Text)
	}
	if d.Situation != SituationBug || d.Language != "en" || d.Register != RegisterCasual {
		t.Errorf("situation %s language %s register %s; want bug-report, en, casual", d.Situation, d.Language, d.Register)
	}
	if strings.Join(d.CitedURLs, " ") != strings.Join(groundedURLs, " ") {
		t.Errorf("CitedURLs = %q; want %q", d.CitedURLs, groundedURLs)
	}
	if !d.Rubric.Pass || len(d.Rubric.Criteria) != 5 {
		t.Errorf("rubric %s; want a passing five-criterion rubric:%s", d.Rubric, rubricDetail(d.Rubric))
	}
	if !strings.HasPrefix(d.Reason, "llm bug-report") || !strings.Contains(d.Reason, "grounded in 2 of 2 articles") {
		t.Errorf("reason = %q", d.Reason)
	}
	// The request: strict schema pinned to the situation, HEARD and
	// grounding instructions, the articles with their URLs and snippets.
	if !seen.Strict || seen.SchemaName != schemaName {
		t.Errorf("schema name %q strict %v; want %q strict", seen.SchemaName, seen.Strict, schemaName)
	}
	var schema struct {
		Properties struct {
			Situation struct {
				Enum []string `json:"enum"`
			} `json:"situation"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(seen.Schema, &schema); err != nil {
		t.Fatal(err)
	}
	if strings.Join(schema.Properties.Situation.Enum, ",") != "bug-report" || strings.Join(schema.Required, ",") != "draft,cited_urls,situation" {
		t.Errorf("schema = %s", seen.Schema)
	}
	if len(seen.Messages) != 2 {
		t.Fatalf("messages = %+v; want system and user", seen.Messages)
	}
	sys, user := seen.Messages[0].Content, seen.Messages[1].Content
	for _, w := range []string{"HEARD", "Hear", "Empathize", "Act", "Resolve", "Delight", "Use only facts from the ARTICLES", "Do not promise",
		"Write in English, in a casual and warm register", "write the exact token {first_name}", `"bug-report"`} {
		if !strings.Contains(sys, w) {
			t.Errorf("system prompt lacks %q:\n%s", w, sys)
		}
	}
	for _, w := range []string{"Subject: CSV export fails with error 502", "Promise the next update by: 18:00 UTC today",
		"URL: " + helpBase + "exporting-large-reports", "Filter the report by date range", "Export failed: gateway timeout"} {
		if !strings.Contains(user, w) {
			t.Errorf("user prompt lacks %q:\n%s", w, user)
		}
	}
}

func TestLLMFallsBack(t *testing.T) {
	bug := string(SituationBug)
	cases := []struct {
		name       string
		respond    func(llmtest.ChatRequest) llmtest.Response
		req        func(*Request)
		wantReason string
	}{
		{name: "cites a URL that is not a matched article",
			respond:    llmtest.Always(llmtest.JSONAnswer(answerJSON(groundedDraft+"\nhttps://evil.example/x", append(groundedURLs, "https://evil.example/x"), bug))),
			wantReason: "cites https://evil.example/x, which is not one of the matched articles"},
		{name: "cites a URL the draft does not link",
			respond:    llmtest.Always(llmtest.JSONAnswer(answerJSON("Hi Anna,\n\nWe are on it.", groundedURLs[:1], bug))),
			wantReason: "but the draft does not link it"},
		{name: "links an invented URL without citing it",
			respond:    llmtest.Always(llmtest.JSONAnswer(answerJSON(groundedDraft+"\nMore: https://blog.example/tips", groundedURLs, bug))),
			wantReason: "the draft links https://blog.example/tips, which is not one of the matched articles"},
		{name: "invalid JSON", respond: llmtest.Always(llmtest.InvalidJSON()), wantReason: "invalid_request_or_answer"},
		{name: "unknown field", respond: llmtest.Always(llmtest.JSONAnswer(`{"draft":"Hi","cited_urls":[],"situation":"bug-report","confidence":1}`)),
			wantReason: "invalid_answer: answer rejected: decoding"},
		{name: "empty draft", respond: llmtest.Always(llmtest.JSONAnswer(answerJSON("  ", nil, bug))), wantReason: "empty draft"},
		{name: "another situation", respond: llmtest.Always(llmtest.JSONAnswer(answerJSON(groundedDraft, groundedURLs, "how-to"))),
			wantReason: `situation "how-to", want "bug-report"`},
		{name: "promises a refund nobody approved",
			respond:    llmtest.Always(llmtest.JSONAnswer(answerJSON("Hi Anna,\n\nWe will refund your last invoice today.", nil, bug))),
			wantReason: "promises money or credit"},
		{name: "a wrong draft: charge empathy nobody asked for",
			respond:    llmtest.Always(llmtest.JSONAnswer(answerJSON(strings.Replace(groundedDraft, "Hi Anna,", "Hi Anna,\n\nUnexpected charges are stressful.", 1), groundedURLs, bug))),
			wantReason: "the draft is wrong (empathy-fit: talks about a charge"},
		{name: "refusal", respond: llmtest.Always(llmtest.Refusal("I can't help with that.")), wantReason: "invalid_request_or_answer"},
		{name: "server error", respond: llmtest.Always(llmtest.ServerError()), wantReason: "unavailable"},
		{name: "rate limited", respond: llmtest.Always(llmtest.RateLimited(time.Second)), wantReason: "rate_limited"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newLLMSetup(t, LLMConfig{}, nil)
			s.srv.Respond = tc.respond
			req := scenarios()[0].req
			if tc.req != nil {
				tc.req(&req)
			}
			d := mustDraft(t, s.drf, req)
			want := mustDraft(t, newTemplate(t, TemplateConfig{}), req)
			if d.Source != SourceTemplate || d.Text != want.Text {
				t.Errorf("source %q; want the template's draft", d.Source)
			}
			if !strings.HasPrefix(d.Reason, "llm draft not used (") || !strings.Contains(d.Reason, tc.wantReason) || !strings.HasSuffix(d.Reason, want.Reason) {
				t.Errorf("reason = %q; want it to say %q and end with the template's reason", d.Reason, tc.wantReason)
			}
			if !d.Rubric.Pass {
				t.Errorf("fallback rubric %s; want the template's passing rubric", d.Rubric)
			}
			if s.srv.ChatRequests() != 1 {
				t.Errorf("chat requests = %d; want 1", s.srv.ChatRequests())
			}
		})
	}
}

func TestLLMAcceptsApprovedCompensation(t *testing.T) {
	s := newLLMSetup(t, LLMConfig{}, nil)
	var sys string
	text := "Hi Dan,\n\nSorry about the double charge of $49.00. We will refund the duplicate $49.00 today.\n\nBest wishes,\nSupport team"
	s.srv.Respond = func(req llmtest.ChatRequest) llmtest.Response {
		sys = req.Messages[0].Content
		return llmtest.JSONAnswer(answerJSON(text, nil, string(SituationBilling)))
	}
	req := scenarios()[3].req
	req.Compensation = "a refund of the duplicate $49.00"
	d := mustDraft(t, s.drf, req)
	if d.Source != SourceLLM {
		t.Fatalf("source %q (%s); want llm", d.Source, d.Reason)
	}
	if !strings.Contains(sys, "approved this compensation, which you may offer exactly as stated: a refund of the duplicate $49.00") {
		t.Errorf("system prompt does not carry the approval:\n%s", sys)
	}
}

func TestLLMTimeoutFallsBack(t *testing.T) {
	cases := []struct {
		name     string
		cfg      LLMConfig
		deadline time.Duration // caller's; 0 none
	}{
		{name: "drafter timeout", cfg: LLMConfig{Timeout: 300 * time.Millisecond}},
		{name: "caller deadline shortens the call", cfg: LLMConfig{Timeout: time.Minute}, deadline: 2 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newLLMSetup(t, tc.cfg, nil)
			s.srv.Respond = llmtest.Always(llmtest.Slow(time.Hour, llmtest.JSONAnswer(answerJSON(groundedDraft, groundedURLs, string(SituationBug)))))
			ctx := t.Context()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			start := time.Now()
			d, err := s.drf.Draft(ctx, scenarios()[0].req)
			if err != nil {
				t.Fatalf("Draft: %v", err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s; want the timeout to cut the call short", took)
			}
			if d.Source != SourceTemplate || !strings.Contains(d.Reason, "llm draft not used (timeout") {
				t.Errorf("source %q reason %q; want a template draft after a timeout", d.Source, d.Reason)
			}
			if tc.deadline > 0 && ctx.Err() != nil {
				t.Errorf("the draft came back after the caller's deadline")
			}
		})
	}
}

// TestLLMRedactsTicket: personal data in the ticket never reaches the
// server; the requester's e-mail and last name are not sent at all.
func TestLLMRedactsTicket(t *testing.T) {
	s := newLLMSetup(t, LLMConfig{}, nil)
	s.srv.Respond = llmtest.Always(llmtest.JSONAnswer(answerJSON(groundedDraft, groundedURLs, string(SituationBug))))
	pii := []string{"anna.weber@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
		"221B Baker Street", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "(415) 555-0132", "Weber"}
	req := scenarios()[0].req
	tk := *req.Ticket
	tk.Subject = "Export fails, mail me at anna.weber@example.com"
	tk.Requester.Email = "anna.weber@example.com"
	tk.Messages = append(tk.Messages[:2:2], tk.Messages[2])
	tk.Messages[2].Body = "The CSV export fails with error 502. Card 4111 1111 1111 1111 was charged, IBAN DE89 3704 0044 0532 0130 00. " +
		"Call +44 20 7946 0958 or (415) 555-0132, or write to 221B Baker Street. Our token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 leaked. Is there a workaround?"
	req.Ticket = &tk
	d := mustDraft(t, s.drf, req)
	if d.Source != SourceLLM {
		t.Fatalf("source %q (%s); want llm", d.Source, d.Reason)
	}
	bodies := s.srv.Bodies()
	if len(bodies) != 1 {
		t.Fatalf("requests = %d; want 1", len(bodies))
	}
	body := string(bodies[0])
	for _, p := range pii {
		if strings.Contains(body, p) || strings.Contains(body, strings.ReplaceAll(p, " ", "")) {
			t.Errorf("request body contains %q", p)
		}
	}
	for _, w := range []string{"[EMAIL]", "[CARD]", "[IBAN]", "[PHONE]", "[ADDRESS]", "[SECRET]", "error 502", firstNameToken} {
		if !strings.Contains(body, w) {
			t.Errorf("request body lacks %q: redaction went too far or the ticket was not sent", w)
		}
	}
	// The customer's name and attributes stay out unless configured.
	for _, w := range []string{"Anna", "Customer plan"} {
		if strings.Contains(body, w) {
			t.Errorf("request body contains %q with the default config", w)
		}
	}
}

// TestLLMCustomerNameAndPlan: the first name the model writes as a token
// is filled in after the answer; with the options set, the name and the
// plan are sent.
func TestLLMCustomerNameAndPlan(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      LLMConfig
		wantSent []string
		wantKept []string
	}{
		{name: "default", cfg: LLMConfig{}, wantKept: []string{"Anna", "Customer plan"}, wantSent: []string{firstNameToken}},
		{name: "configured", cfg: LLMConfig{SendCustomerName: true, SendCustomerAttributes: true}, wantSent: []string{"first name, Anna", "Customer plan: "}, wantKept: []string{firstNameToken}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newLLMSetup(t, tc.cfg, nil)
			text := strings.Replace(groundedDraft, "Anna", firstNameToken, 1)
			s.srv.Respond = llmtest.Always(llmtest.JSONAnswer(answerJSON(text, groundedURLs, string(SituationBug))))
			req := scenarios()[0].req
			tk := *req.Ticket
			tk.Customer = map[string]string{sdk.AttrPlan: "business"}
			req.Ticket = &tk
			d := mustDraft(t, s.drf, req)
			if d.Source != SourceLLM {
				t.Fatalf("source %q (%s); want llm", d.Source, d.Reason)
			}
			if strings.Contains(d.Text, firstNameToken) || !strings.Contains(d.Text, "Anna") {
				t.Errorf("draft %q; want the token replaced by Anna", d.Text)
			}
			body := string(s.srv.Bodies()[0])
			for _, w := range tc.wantSent {
				if !strings.Contains(body, w) {
					t.Errorf("request body lacks %q", w)
				}
			}
			for _, w := range tc.wantKept {
				if strings.Contains(body, w) {
					t.Errorf("request body contains %q", w)
				}
			}
		})
	}
}

func TestLLMFallbackFailure(t *testing.T) {
	boom := errors.New("template store down")
	fb := &fakeDrafter{fn: func(context.Context, Request) (Draft, error) { return Draft{}, boom }}
	s := newLLMSetup(t, LLMConfig{}, fb)
	s.srv.Respond = llmtest.Always(llmtest.ServerError())
	_, err := s.drf.Draft(t.Context(), scenarios()[0].req)
	if !errors.Is(err, boom) || !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Draft error = %v; want it to wrap the fallback's error and the model's", err)
	}
	if fb.calls.Load() != 1 {
		t.Errorf("fallback calls = %d; want 1", fb.calls.Load())
	}
}

func TestLLMRejectsRequestWithoutTicket(t *testing.T) {
	s := newLLMSetup(t, LLMConfig{}, nil)
	if _, err := s.drf.Draft(t.Context(), Request{}); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("Draft error = %v; want sdk.ErrInvalid", err)
	}
	if s.srv.Requests() != 0 {
		t.Errorf("a request without a ticket reached the server")
	}
}

func TestNewLLMValidation(t *testing.T) {
	client, err := llmapi.New(llmapi.Config{Model: "m"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tp := newTemplate(t, TemplateConfig{})
	cases := []struct {
		name     string
		client   jsonClient
		fallback Drafter
		cfg      LLMConfig
		wantErr  string
	}{
		{name: "ok", client: client, fallback: tp},
		{name: "no client", fallback: tp, wantErr: "client and fallback are required"},
		{name: "no fallback", client: client, wantErr: "client and fallback are required"},
		{name: "negative timeout", client: client, fallback: tp, cfg: LLMConfig{Timeout: -time.Second}, wantErr: "timeout"},
		{name: "too many articles", client: client, fallback: tp, cfg: LLMConfig{MaxArticles: 11}, wantErr: "max_articles"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLLM(tc.client, tc.cfg, tc.fallback, nil)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("NewLLM() = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, sdk.ErrInvalid)):
				t.Errorf("NewLLM() = %v; want an sdk.ErrInvalid mentioning %q", err, tc.wantErr)
			}
		})
	}
}
