package llmtest

import (
	"context"
	_ "embed" // the OpenAPI description
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/heardhq/heard/internal/openapicheck"
)

//go:embed testdata/openai-openapi.yaml
var specYAML []byte

// spec parses the OpenAPI description once per process.
var spec = sync.OnceValues(func() (*openapicheck.Spec, error) {
	return openapicheck.Load("the OpenAI OpenAPI description", specYAML)
})

// validateRequest checks r (whose body is body) against the description,
// the bearer token included, and returns its operation for validating the
// response. The description's paths are relative to its server URL's path
// ("/v1"); the local server serves them under the same prefix, so a client
// configured with srv.URL()+"/v1" sends what it would send to OpenAI.
func validateRequest(r *http.Request, body []byte) (*openapicheck.Operation, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	path, ok := strings.CutPrefix(r.URL.Path, doc.BasePath())
	if !ok {
		return nil, fmt.Errorf("path %s is not under the API base path %s", r.URL.Path, doc.BasePath())
	}
	op, err := doc.Find(r.Method, path, r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if err := op.CheckRequest(r.Context(), r.Header, body, openapicheck.AuthBearer); err != nil {
		return nil, fmt.Errorf("%s %s does not match the OpenAI OpenAPI description: %w", r.Method, r.URL.Path, err)
	}
	return op, nil
}

// validateResponse checks a 2xx answer against the description.
func validateResponse(ctx context.Context, r *http.Request, op *openapicheck.Operation, status int, h http.Header, body []byte) error {
	if err := op.CheckResponse(ctx, status, h, body); err != nil {
		return fmt.Errorf("scripted %d response to %s %s does not match the OpenAI OpenAPI description: %w",
			status, r.Method, r.URL.Path, err)
	}
	return nil
}
