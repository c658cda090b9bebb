package openapicheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy/pathpattern"
)

// ErrNoOperation is returned by Find for a method and path that are no
// operation of the description.
var ErrNoOperation = errors.New("no such operation in the API description")

// Spec is a loaded OpenAPI description and a route table over its
// operations. It is safe for concurrent use.
type Spec struct {
	name   string
	doc    *openapi3.T
	root   *pathpattern.Node
	server string // the first server URL, without a trailing slash
	mu     sync.Mutex
}

// Load parses the description in data; name words errors ("the Intercom
// 2.15 API description"). The route table is built like kin-openapi's
// legacy router, from its pathpattern trie, but without the router's
// validation of the whole document.
func Load(name string, data []byte) (*Spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", name, err)
	}
	if len(doc.Servers) == 0 {
		return nil, fmt.Errorf("loading %s: it names no server", name)
	}
	root := &pathpattern.Node{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			route := &routers.Route{Spec: doc, Server: doc.Servers[0], Path: path, PathItem: item, Method: method, Operation: op}
			if err := root.Add(method+" "+path, route, nil); err != nil {
				return nil, fmt.Errorf("routing %s %s of %s: %w", method, path, name, err)
			}
		}
	}
	return &Spec{name: name, doc: doc, root: root, server: strings.TrimRight(doc.Servers[0].URL, "/")}, nil
}

// BasePath is the path of the description's first server URL, without a
// trailing slash ("https://api.openai.com/v1" → "/v1"; "" for none).
func (s *Spec) BasePath() string {
	u, err := url.Parse(s.server)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// Operation is one request mapped onto an operation of the description.
type Operation struct {
	// ID is the operation's operationId.
	ID string
	// Method and Path are the operation's method and path template.
	Method, Path string
	// Params are the path parameters' values by name.
	Params map[string]string

	spec  *Spec
	route *routers.Route
	req   *http.Request // the request as sent to the server URL; validated, never sent
}

// Find maps a request onto its operation: method, path relative to the
// description's first server URL ("/conversations/7"), and the raw query.
// An unknown method or path wraps ErrNoOperation.
func (s *Spec) Find(method, path, rawQuery string) (*Operation, error) {
	fail := func() (*Operation, error) { return nil, fmt.Errorf("%s %s: %w", method, path, ErrNoOperation) }
	u, err := url.Parse(s.server + path)
	if err != nil {
		return fail()
	}
	u.RawQuery = rawQuery
	server, _, rest := s.doc.Servers.MatchURL(u)
	if server == nil {
		return fail()
	}
	node, values := s.root.Match(method + " " + rest)
	if node == nil {
		return fail()
	}
	route, ok := node.Value.(*routers.Route)
	if !ok {
		return fail()
	}
	params := make(map[string]string, len(values))
	for i, v := range values {
		params[strings.TrimSuffix(node.VariableNames[i], "*")] = v
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	return &Operation{ID: route.Operation.OperationID, Method: route.Method, Path: route.Path, Params: params, spec: s, route: route, req: req}, nil
}

// Auth is how CheckRequest treats the operation's security requirements.
type Auth int

const (
	// AuthSkip leaves authentication to the caller (which checks the
	// token itself).
	AuthSkip Auth = iota
	// AuthBearer requires "Authorization: Bearer <non-empty>" where the
	// description asks for an HTTP bearer scheme.
	AuthBearer
)

// CheckRequest validates the request's parameters, its header h and its
// JSON body against the operation. The error lists every problem on one
// line.
func (o *Operation) CheckRequest(ctx context.Context, h http.Header, body []byte, auth Auth) error {
	o.req.Header = h.Clone()
	o.req.Body = io.NopCloser(bytes.NewReader(body))
	o.req.ContentLength = int64(len(body))
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	if auth == AuthBearer {
		opts.AuthenticationFunc = checkBearer
	}
	opts.WithCustomSchemaErrorFunc(schemaProblem)
	o.spec.mu.Lock()
	defer o.spec.mu.Unlock()
	if err := openapi3filter.ValidateRequest(ctx, o.input(opts)); err != nil {
		return errors.New(Problem(err))
	}
	return nil
}

// CheckResponse validates an answer to the operation: its status must be
// one the description lists, and its headers and JSON body must match.
func (o *Operation) CheckResponse(ctx context.Context, status int, h http.Header, body []byte) error {
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true, IncludeResponseStatus: true}
	opts.WithCustomSchemaErrorFunc(schemaProblem)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: o.input(opts), Status: status, Header: h, Options: opts}
	out.SetBodyBytes(body)
	o.spec.mu.Lock()
	defer o.spec.mu.Unlock()
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("HTTP %d answer: %s", status, Problem(err))
	}
	return nil
}

func (o *Operation) input(opts *openapi3filter.Options) *openapi3filter.RequestValidationInput {
	return &openapi3filter.RequestValidationInput{Request: o.req, PathParams: o.Params, Route: o.route, Options: opts}
}

// checkBearer enforces an HTTP bearer security scheme.
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	tok, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if in.SecurityScheme != nil && in.SecurityScheme.Type == "http" && in.SecurityScheme.Scheme == "bearer" && (!ok || strings.TrimSpace(tok) == "") {
		return errors.New(`missing "Authorization: Bearer <key>" header`)
	}
	return nil
}

// schemaProblem words a schema error without dumping the schema.
func schemaProblem(e *openapi3.SchemaError) string {
	msg := e.Reason
	if p := e.JSONPointer(); len(p) > 0 {
		msg = "at /" + strings.Join(p, "/") + ": " + msg
	}
	var me openapi3.MultiError
	if errors.As(e.Origin, &me) {
		var inner []string
		for _, sub := range me {
			var se *openapi3.SchemaError
			if errors.As(sub, &se) {
				inner = append(inner, schemaProblem(se))
			}
		}
		if inner = dedupe(inner); len(inner) > 0 {
			msg += " (" + strings.Join(inner, "; ") + ")"
		}
	}
	return msg
}

// Problem flattens a validation (multi-)error into one line, each
// distinct problem once.
func Problem(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		parts := make([]string, 0, len(me))
		for _, e := range me {
			parts = append(parts, Problem(e))
		}
		return strings.Join(dedupe(parts), "; ")
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// dedupe drops repeated messages, keeping the first of each.
func dedupe(msgs []string) []string {
	seen := make(map[string]bool, len(msgs))
	out := msgs[:0]
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}
