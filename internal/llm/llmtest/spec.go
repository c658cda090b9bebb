package llmtest

import (
	"bytes"
	"context"
	_ "embed" // the OpenAPI description
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
)

//go:embed testdata/openai-openapi.yaml
var specYAML []byte

// spec parses the OpenAPI description once per process.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("loading the OpenAI OpenAPI description: %w", err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("the OpenAI OpenAPI description has no servers")
	}
	return doc, nil
})

// validateMu serialises validation: kin-openapi compiles schemas while
// validating and makes no promise about concurrent use of one document.
var validateMu sync.Mutex

// basePath is the path of the description's first server URL
// ("https://api.openai.com/v1" → "/v1"). The description's paths are
// relative to it; the local server serves them under the same prefix, so
// a client configured with srv.URL()+"/v1" sends what it would send to
// OpenAI.
func basePath(doc *openapi3.T) (string, error) {
	u, err := url.Parse(doc.Servers[0].URL)
	if err != nil {
		return "", fmt.Errorf("parsing server URL %q: %w", doc.Servers[0].URL, err)
	}
	return strings.TrimSuffix(u.Path, "/"), nil
}

// findRoute maps a request to its operation in the description. It is
// the router: kin-openapi's own routers need doc.Validate to pass, and the
// OpenAI description uses keywords ($recursiveRef) that its validator
// rejects, so the two operations are looked up directly.
func findRoute(doc *openapi3.T, r *http.Request) (*routers.Route, error) {
	base, err := basePath(doc)
	if err != nil {
		return nil, err
	}
	path, ok := strings.CutPrefix(r.URL.Path, base)
	if !ok {
		return nil, fmt.Errorf("path %s is not under the API base path %s", r.URL.Path, base)
	}
	item := doc.Paths.Value(path)
	if item == nil {
		return nil, fmt.Errorf("path %s: %w", path, routers.ErrPathNotFound)
	}
	op := item.GetOperation(r.Method)
	if op == nil {
		return nil, fmt.Errorf("%s %s: %w", r.Method, path, routers.ErrMethodNotAllowed)
	}
	return &routers.Route{Spec: doc, Path: path, PathItem: item, Method: r.Method, Operation: op}, nil
}

// authenticate checks the spec's bearer-token security scheme: a request
// must carry "Authorization: Bearer <non-empty>".
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if in.SecurityScheme != nil && in.SecurityScheme.Type == "http" && in.SecurityScheme.Scheme == "bearer" && (!ok || strings.TrimSpace(tok) == "") {
		return errors.New(`missing "Authorization: Bearer <key>" header`)
	}
	return nil
}

// validateRequest checks r (whose body is body) against the description
// and returns the validation input for validating the response.
func validateRequest(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	route, err := findRoute(doc, r)
	if err != nil {
		return nil, err
	}
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: clone,
		Route:   route,
		Options: &openapi3filter.Options{AuthenticationFunc: authenticate, MultiError: true},
	}
	validateMu.Lock()
	defer validateMu.Unlock()
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return nil, fmt.Errorf("%s %s does not match the OpenAI OpenAPI description: %w", r.Method, r.URL.Path, err)
	}
	return in, nil
}

// validateResponse checks a 2xx answer against the description.
func validateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, h http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 h,
		Options:                &openapi3filter.Options{MultiError: true},
	}
	out.SetBodyBytes(body)
	validateMu.Lock()
	defer validateMu.Unlock()
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("scripted %d response to %s %s does not match the OpenAI OpenAPI description: %w",
			status, in.Request.Method, in.Request.URL.Path, err)
	}
	return nil
}
