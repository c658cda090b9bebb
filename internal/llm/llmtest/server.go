package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/openapicheck"
)

// APIKey is a key tests can configure; the server accepts any non-empty
// bearer token, as the spec requires one.
const APIKey = "sk-test-llmtest" //nolint:gosec // a fake key for the local test server

// Server is a local OpenAI-compatible endpoint. Set Respond (and
// RespondEmbed) before the first request; the server calls them from its
// handler goroutines, possibly concurrently.
type Server struct {
	// Respond scripts POST /v1/chat/completions. nil answers
	// JSONAnswer("{}").
	Respond func(req ChatRequest) Response
	// RespondEmbed scripts POST /v1/embeddings. nil answers with
	// Embeddings of FakeVector for each input.
	RespondEmbed func(req EmbeddingRequest) Response
	// RespondModels scripts GET /v1/models (what heard check asks). nil
	// answers Models(AnswerModel).
	RespondModels func() Response

	srv  *httptest.Server
	done chan struct{} // closed at cleanup: ends Slow responses

	mu          sync.Mutex
	chats       int
	embeds      int
	bodies      [][]byte // every request body, in arrival order
	failures    []error  // requests (and scripted responses) that failed validation
	disconnects int      // Slow responses cut short by the client going away
}

// ChatRequest is a chat completion request as the server received it.
type ChatRequest struct {
	N          int // 1 for the first chat request the server received, and so on
	Model      string
	Messages   []Message
	SchemaName string          // response_format.json_schema.name
	Strict     bool            // response_format.json_schema.strict
	Schema     json.RawMessage // response_format.json_schema.schema
	Body       []byte          // the raw request body
}

// Message is one chat message with text content.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// EmbeddingRequest is an embeddings request as the server received it.
type EmbeddingRequest struct {
	N      int // 1 for the first embeddings request, and so on
	Model  string
	Inputs []string
	Body   []byte
}

// Response is what the server answers.
type Response struct {
	Status int         // 0 means 200
	Header http.Header // extra headers, e.g. Retry-After
	Body   []byte      // JSON
	// Delay holds the answer back. The handler returns early, writing
	// nothing, when the client goes away or the test ends.
	Delay time.Duration
}

// New starts a server and stops it when the test ends. At cleanup, every
// request or scripted response that failed validation is reported as a
// test error.
func New(tb testing.TB) *Server {
	tb.Helper()
	if _, err := spec(); err != nil {
		tb.Fatal(err)
	}
	s := &Server{done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.handleChat)
	mux.HandleFunc("POST /v1/embeddings", s.handleEmbed)
	mux.HandleFunc("GET /v1/models", s.handleModels)
	mux.HandleFunc("/", s.handleOther)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(func() {
		close(s.done)
		s.srv.Close()
		for _, err := range s.Failures() {
			tb.Errorf("llmtest: %v", err)
		}
	})
	return s
}

// URL returns the base URL to configure a client with: the server's root
// plus "/v1", as in "https://api.openai.com/v1".
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Requests returns how many requests the server received, valid or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// ChatRequests returns how many chat completion requests arrived.
func (s *Server) ChatRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chats
}

// Bodies returns a copy of every request body received, oldest first.
func (s *Server) Bodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.bodies))
	for i, b := range s.bodies {
		out[i] = slices.Clone(b)
	}
	return out
}

// LastBody returns the most recent request body, or nil.
func (s *Server) LastBody() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bodies) == 0 {
		return nil
	}
	return slices.Clone(s.bodies[len(s.bodies)-1])
}

// Failures returns the validation failures so far: requests that do not
// match the OpenAI description (they were answered 400) and scripted 2xx
// responses that do not match it.
func (s *Server) Failures() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.failures)
}

// TakeFailures returns the validation failures so far and forgets them,
// for tests that send invalid requests on purpose.
func (s *Server) TakeFailures() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failures
	s.failures = nil
	return f
}

// Disconnects returns how many delayed responses were abandoned because
// the client went away first.
func (s *Server) Disconnects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disconnects
}

// maxBody bounds a request body.
const maxBody = 8 << 20

// receive reads and records the body, then validates the request. On
// failure it has already answered 400.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) ([]byte, *openapicheck.Operation, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "reading body", http.StatusBadRequest)
		return nil, nil, false
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	in, err := validateRequest(r, body)
	if err != nil {
		s.fail(err)
		writeResponse(w, Error(http.StatusBadRequest, "invalid_request_error", err.Error()))
		return nil, nil, false
	}
	return body, in, true
}

func (s *Server) fail(err error) {
	s.mu.Lock()
	s.failures = append(s.failures, err)
	s.mu.Unlock()
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	body, v, ok := s.receive(w, r)
	if !ok {
		return
	}
	var raw struct {
		Model          string    `json:"model"`
		Messages       []Message `json:"messages"`
		ResponseFormat *struct {
			JSONSchema *struct {
				Name   string          `json:"name"`
				Strict bool            `json:"strict"`
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		// Valid by the spec yet not decodable here (e.g. array content):
		// the test should not rely on such requests.
		s.fail(fmt.Errorf("decoding chat request: %w", err))
		writeResponse(w, Error(http.StatusBadRequest, "invalid_request_error", err.Error()))
		return
	}
	s.mu.Lock()
	s.chats++
	req := ChatRequest{N: s.chats, Model: raw.Model, Messages: raw.Messages, Body: body}
	respond := s.Respond
	s.mu.Unlock()
	if rf := raw.ResponseFormat; rf != nil && rf.JSONSchema != nil {
		req.SchemaName, req.Strict, req.Schema = rf.JSONSchema.Name, rf.JSONSchema.Strict, rf.JSONSchema.Schema
	}
	resp := JSONAnswer("{}")
	if respond != nil {
		resp = respond(req)
	}
	s.answer(w, r, v, resp)
}

func (s *Server) handleEmbed(w http.ResponseWriter, r *http.Request) {
	body, v, ok := s.receive(w, r)
	if !ok {
		return
	}
	var raw struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		s.fail(fmt.Errorf("decoding embeddings request: %w", err))
		writeResponse(w, Error(http.StatusBadRequest, "invalid_request_error", err.Error()))
		return
	}
	var inputs []string
	if err := json.Unmarshal(raw.Input, &inputs); err != nil {
		var one string
		if err := json.Unmarshal(raw.Input, &one); err != nil {
			s.fail(fmt.Errorf("llmtest handles string inputs only: %w", err))
			writeResponse(w, Error(http.StatusBadRequest, "invalid_request_error", err.Error()))
			return
		}
		inputs = []string{one}
	}
	s.mu.Lock()
	s.embeds++
	req := EmbeddingRequest{N: s.embeds, Model: raw.Model, Inputs: inputs, Body: body}
	respond := s.RespondEmbed
	s.mu.Unlock()
	var resp Response
	if respond != nil {
		resp = respond(req)
	} else {
		vs := make([][]float32, len(inputs))
		for i, in := range inputs {
			vs[i] = FakeVector(in)
		}
		resp = Embeddings(req.Model, vs)
	}
	s.answer(w, r, v, resp)
}

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	_, v, ok := s.receive(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	respond := s.RespondModels
	s.mu.Unlock()
	resp := Models(AnswerModel)
	if respond != nil {
		resp = respond()
	}
	s.answer(w, r, v, resp)
}

func (s *Server) handleOther(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	s.mu.Lock()
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	s.fail(fmt.Errorf("llmtest serves only POST /v1/chat/completions and /v1/embeddings and GET /v1/models; got %s %s", r.Method, r.URL.Path))
	writeResponse(w, Error(http.StatusNotFound, "invalid_request_error", "unknown endpoint"))
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, in *openapicheck.Operation, resp Response) {
	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			s.mu.Lock()
			s.disconnects++
			s.mu.Unlock()
			return
		case <-s.done:
			return
		}
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	if status/100 == 2 {
		h := http.Header{"Content-Type": []string{"application/json"}}
		for k, vs := range resp.Header {
			h[k] = vs
		}
		if err := validateResponse(r.Context(), r, in, status, h, resp.Body); err != nil {
			s.fail(err)
		}
	}
	writeResponse(w, resp)
}

func writeResponse(w http.ResponseWriter, resp Response) {
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(resp.Body)
}
