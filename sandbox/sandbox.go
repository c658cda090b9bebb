package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server hosts the vendor emulations. Create it with New, let each vendor
// package register its routes, then serve it (httptest.NewServer(s) or
// http.Server{Handler: s}).
type Server struct {
	mux    *http.ServeMux
	log    *slog.Logger
	client *http.Client
	// Faults injects failures ahead of the vendor handlers.
	Faults     *Faults
	afterWrite atomic.Pointer[func(r Request, status int)]

	mu         sync.Mutex
	violations []Violation
	requests   []Request
}

// Violation is a request the real vendor would have rejected.
type Violation struct {
	Vendor, Account string
	Method, Path    string
	Problem         string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s/%s %s %s: %s", v.Vendor, v.Account, v.Method, v.Path, v.Problem)
}

// Request is one request the sandbox received, for assertions.
type Request struct {
	Vendor, Account string
	Method, Path    string
	Query           string
	Body            []byte
	At              time.Time
}

// New returns an empty sandbox.
func New(log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		mux: http.NewServeMux(), log: log.With("component", "sandbox"),
		client: &http.Client{Timeout: 10 * time.Second},
		Faults: &Faults{},
	}
}

// SetAfterWrite installs f (nil removes it), called after a vendor handler
// answered a write (any method but GET/HEAD) with a 2xx — for tests that
// crash heard right after the vendor accepted its write-back.
func (s *Server) SetAfterWrite(f func(r Request, status int)) {
	if f == nil {
		s.afterWrite.Store(nil)
		return
	}
	s.afterWrite.Store(&f)
}

// Logger is the sandbox's logger, for vendor packages.
func (s *Server) Logger() *slog.Logger { return s.log }

// Handle registers a vendor route, e.g. "PUT /zendesk/{account}/api/v2/tickets/{id}".
// Patterns follow net/http.ServeMux.
func (s *Server) Handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// ServeHTTP records the request, applies any matching fault, then
// dispatches to the vendor routes. Unknown routes are 404 and a violation:
// heard called an endpoint the emulation (and so the contract) does not know.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	vendor, account := split(r.URL.Path)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Vendor: vendor, Account: account, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, At: time.Now()})
	s.mu.Unlock()
	if vendor == "_sandbox" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if s.Faults.apply(w, r, vendor, account) {
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.Violate(r, "no such endpoint in the %s API", vendor)
		http.Error(w, `{"error":"InvalidEndpoint","description":"not found"}`, http.StatusNotFound)
		return
	}
	hook := s.afterWrite.Load()
	if r.Method == http.MethodGet || r.Method == http.MethodHead || hook == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	if rec.status/100 == 2 {
		(*hook)(Request{Vendor: vendor, Account: account, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, At: time.Now()}, rec.status)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Flush lets handlers that stream keep working behind the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// split returns the vendor and account segments of /{vendor}/{account}/...
func split(p string) (vendor, account string) {
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 3)
	if len(parts) > 0 {
		vendor = parts[0]
	}
	if len(parts) > 1 {
		account = parts[1]
	}
	return vendor, account
}

// Violate records a contract violation for r. Vendor handlers call it and
// then answer with the vendor's own error.
func (s *Server) Violate(r *http.Request, format string, args ...any) {
	vendor, account := split(r.URL.Path)
	v := Violation{Vendor: vendor, Account: account, Method: r.Method, Path: r.URL.Path, Problem: fmt.Sprintf(format, args...)}
	s.log.Warn("contract violation", "vendor", vendor, "account", account, "method", r.Method, "path", r.URL.Path, "problem", v.Problem)
	s.mu.Lock()
	s.violations = append(s.violations, v)
	s.mu.Unlock()
}

// PublicReply records, for a vendor emulation, that heard's own user sent
// a public reply to the customer on account a: a violation unless the
// account enabled auto-reply (Account.AutoReply), since heard must
// otherwise only write internal notes. what names the vendor's call.
func (s *Server) PublicReply(r *http.Request, a Account, what string) {
	if !a.AutoReply {
		s.Violate(r, "heard sent a public reply (%s) to the customer, but auto-reply is not enabled for this account; heard must only write internal notes", what)
	}
}

// Violations returns every violation so far.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// Requests returns the requests received so far, optionally only those
// for one vendor ("" for all).
func (s *Server) Requests(vendor string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if vendor == "" || r.Vendor == vendor {
			out = append(out, r)
		}
	}
	return out
}

// Deliver POSTs a webhook as the vendor would and returns the receiver's
// status. Vendor packages sign body and set their headers before calling it.
func (s *Server) Deliver(ctx context.Context, url string, body []byte, h http.Header) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("building webhook to %s: %w", url, err)
	}
	for k, vs := range h {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("delivering webhook to %s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}
