package llmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// post sends body and returns the status, headers and body of the answer.
func post(t *testing.T, url, auth, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

const validChat = `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"be terse"},{"role":"user","content":"hi"}],
"response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string","enum":["x","y"]}},"required":["a"],"additionalProperties":false}}}}`

func TestServerValidatesRequests(t *testing.T) {
	cases := []struct {
		name       string
		path, auth string
		body       string
		wantStatus int
		wantErr    string // in the recorded failure; "" means valid
	}{
		{name: "valid chat", path: "/v1/chat/completions", auth: "Bearer " + APIKey, body: validChat, wantStatus: 200},
		{name: "valid embeddings", path: "/v1/embeddings", auth: "Bearer " + APIKey, body: `{"model":"text-embedding-3-small","input":["a","b"]}`, wantStatus: 200},
		{name: "no messages", path: "/v1/chat/completions", auth: "Bearer k", body: `{"model":"m","messages":[]}`, wantStatus: 400, wantErr: "minimum number of items"},
		{name: "unknown role", path: "/v1/chat/completions", auth: "Bearer k", body: `{"model":"m","messages":[{"role":"robot","content":"x"}]}`, wantStatus: 400, wantErr: "/messages/0"},
		{name: "response format without schema", path: "/v1/chat/completions", auth: "Bearer k", body: `{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}`, wantStatus: 400, wantErr: "/response_format"},
		{name: "temperature out of range", path: "/v1/chat/completions", auth: "Bearer k", body: `{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":7}`, wantStatus: 400, wantErr: "/temperature"},
		{name: "missing key", path: "/v1/chat/completions", body: validChat, wantStatus: 400, wantErr: "Authorization"},
		{name: "embeddings without model", path: "/v1/embeddings", auth: "Bearer k", body: `{"input":"a"}`, wantStatus: 400, wantErr: "model"},
		{name: "no base path", path: "/chat/completions", auth: "Bearer k", body: validChat, wantStatus: 404, wantErr: "only POST"},
		{name: "other endpoint", path: "/v1/responses", auth: "Bearer k", body: `{}`, wantStatus: 404, wantErr: "only POST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(t)
			status, _, body := post(t, s.srv.URL+tc.path, tc.auth, tc.body)
			if status != tc.wantStatus {
				t.Errorf("status = %d; want %d (body %s)", status, tc.wantStatus, body)
			}
			fails := s.TakeFailures()
			switch {
			case tc.wantErr == "" && len(fails) > 0:
				t.Errorf("valid request recorded as failing: %v", fails)
			case tc.wantErr != "" && len(fails) != 1:
				t.Errorf("failures = %v; want exactly one", fails)
			case tc.wantErr != "" && !strings.Contains(fails[0].Error(), tc.wantErr):
				t.Errorf("failure %q does not mention %q", fails[0], tc.wantErr)
			}
			if s.Requests() != 1 || !bytes.Equal(s.LastBody(), []byte(tc.body)) {
				t.Errorf("recorded %d requests, last body %q; want 1, the body sent", s.Requests(), s.LastBody())
			}
		})
	}
}

func TestServerScriptsAnswers(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","additionalProperties":false,"required":["lang","p","n","ok","list"],"properties":{
		"lang":{"type":"string","pattern":"^[a-z]{2}$"},
		"p":{"type":"string","enum":["P0","P1"]},
		"n":{"type":"number","minimum":0,"maximum":1},
		"ok":{"type":"boolean"},
		"list":{"type":"array","maxItems":2,"items":{"type":"string","enum":["a","b"]}}}}`)
	req := ChatRequest{N: 1, Schema: schema}
	cases := []struct {
		name        string
		resp        Response
		wantStatus  int
		wantContent string // the message content; "" to skip
		wantHeader  string // Retry-After; "" to skip
	}{
		{name: "json answer", resp: JSONAnswer(map[string]int{"a": 1}), wantStatus: 200, wantContent: `{"a":1}`},
		{name: "invalid json", resp: InvalidJSON(), wantStatus: 200, wantContent: `{"priority": {"value": "P1", "confidence": 0.`},
		{name: "conforming", resp: Conforming(req), wantStatus: 200, wantContent: `{"lang":"en","list":["a"],"n":0,"ok":false,"p":"P0"}`},
		{name: "out of enum", resp: OutOfEnum(req), wantStatus: 200, wantContent: `{"lang":"en","list":["` + OutOfEnumValue + `"],"n":0,"ok":false,"p":"P0"}`},
		{name: "refusal", resp: Refusal("no"), wantStatus: 200},
		{name: "rate limited", resp: RateLimited(1500 * time.Millisecond), wantStatus: 429, wantHeader: "2"},
		{name: "server error", resp: ServerError(), wantStatus: 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(t)
			s.Respond = func(ChatRequest) Response { return tc.resp }
			status, header, body := post(t, s.URL()+"/chat/completions", "Bearer "+APIKey, validChat)
			if status != tc.wantStatus {
				t.Fatalf("status = %d; want %d (body %s)", status, tc.wantStatus, body)
			}
			if got := header.Get("Retry-After"); tc.wantHeader != "" && got != tc.wantHeader {
				t.Errorf("Retry-After = %q; want %q", got, tc.wantHeader)
			}
			if tc.wantContent == "" {
				return
			}
			var out struct {
				Choices []struct {
					Message struct{ Content string } `json:"message"`
				} `json:"choices"`
			}
			if err := json.Unmarshal(body, &out); err != nil || len(out.Choices) != 1 {
				t.Fatalf("decoding %s: %v", body, err)
			}
			if got := out.Choices[0].Message.Content; got != tc.wantContent {
				t.Errorf("content = %s; want %s", got, tc.wantContent)
			}
		})
	}
}

func TestServerRecordsInvalidScriptedResponse(t *testing.T) {
	s := New(t)
	s.Respond = func(ChatRequest) Response { return Response{Body: []byte(`{"id":"x"}`)} }
	if status, _, _ := post(t, s.URL()+"/chat/completions", "Bearer k", validChat); status != 200 {
		t.Errorf("status = %d; want the scripted 200", status)
	}
	if fails := s.TakeFailures(); len(fails) != 1 || !strings.Contains(fails[0].Error(), "scripted 200 response") {
		t.Errorf("failures = %v; want one about the scripted response", fails)
	}
}

func TestSequence(t *testing.T) {
	s := New(t)
	s.Respond = Sequence(Always(ServerError()), Always(JSONAnswer(`{}`)))
	var got []int
	for range 3 {
		status, _, _ := post(t, s.URL()+"/chat/completions", "Bearer k", validChat)
		got = append(got, status)
	}
	if want := []int{500, 200, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses = %v; want %v", got, want)
	}
	if s.ChatRequests() != 3 {
		t.Errorf("ChatRequests = %d; want 3", s.ChatRequests())
	}
}

func TestSlowStopsWhenClientLeaves(t *testing.T) {
	s := New(t)
	s.Respond = func(ChatRequest) Response { return Slow(time.Hour, JSONAnswer(`{}`)) }
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/chat/completions", strings.NewReader(validChat))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer k")
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for s.ChatRequests() == 0 {
		time.Sleep(time.Millisecond) // wait until the handler holds the request
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("request succeeded; want it cancelled")
	}
	// The handler must notice the disconnect rather than sleep an hour;
	// if it did not, the server's Close at cleanup would hang the test.
	for s.Disconnects() == 0 {
		time.Sleep(time.Millisecond)
	}
}

func TestGenerateErrors(t *testing.T) {
	cases := []struct {
		name   string
		schema string
	}{
		{name: "not json", schema: `{`},
		{name: "unknown type", schema: `{"type":"object","properties":{"a":{"type":"date"}}}`},
		{name: "no enum to violate", schema: `{"type":"object","properties":{"a":{"type":"string"}}}`},
		{name: "unmatched pattern", schema: `{"type":"string","pattern":"^[A-Z]{5}$","enum":[]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := Generate(json.RawMessage(tc.schema), true); err == nil {
				t.Errorf("Generate = %v; want an error", v)
			}
		})
	}
}

func TestFakeVectorIsDeterministicUnit(t *testing.T) {
	a, b, c := FakeVector("x"), FakeVector("x"), FakeVector("y")
	var norm float64
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("FakeVector not deterministic: %v vs %v", a, b)
		}
		norm += float64(a[i] * a[i])
	}
	if norm < 0.999 || norm > 1.001 {
		t.Errorf("|FakeVector| = %f; want 1", norm)
	}
	if slices.Equal(a, c) {
		t.Errorf("FakeVector(x) == FakeVector(y)")
	}
}
