package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// DefaultLLMBaseURL is the API root used when llm.base_url is empty.
const DefaultLLMBaseURL = "https://api.openai.com/v1"

// LLMEndpoint is one configured use of an OpenAI-compatible API.
type LLMEndpoint struct {
	Use     string // "chat" or "embedding"
	BaseURL string // API root with its version path; "" for OpenAI's
	APIKey  sdk.Secret
	Model   string
}

// LLM checks each endpoint with one cheap request, GET {base}/models: the
// API answers, accepts the key and offers the configured model. hc nil
// uses http.DefaultClient.
func LLM(hc *http.Client, eps ...LLMEndpoint) Check {
	if hc == nil {
		hc = http.DefaultClient
	}
	return func(ctx context.Context) []Result {
		var out []Result
		for _, ep := range eps {
			out = append(out, llmEndpoint(ctx, hc, ep))
		}
		return out
	}
}

func llmEndpoint(ctx context.Context, hc *http.Client, ep LLMEndpoint) Result {
	check := "llm " + ep.Use
	base := strings.TrimRight(ep.BaseURL, "/")
	if base == "" {
		base = DefaultLLMBaseURL
	}
	shown := sdk.RedactURL(base)
	models, status, err := listModels(ctx, hc, base, ep.APIKey)
	switch {
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		return fail(check, fmt.Sprintf("%s did not answer within the check's timeout", shown), "check llm.base_url and that this host can reach it")
	case err != nil:
		return fail(check, fmt.Sprintf("calling %s/models: %v", shown, err), "check llm.base_url (it includes the version path, e.g. https://api.openai.com/v1) and that this host can reach it")
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fail(check, fmt.Sprintf("%s rejected the API key (HTTP %d)", shown, status), "set llm.api_key (or the component's own api_key) to a valid key")
	case status == http.StatusNotFound:
		// Some OpenAI-compatible servers do not list models; the API
		// itself answered.
		return warn(check, fmt.Sprintf("%s answered, but has no /models list to check model %q against", shown, ep.Model),
			"nothing to do if the model name is right; heard calls only the chat and embeddings endpoints")
	case status/100 != 2:
		return fail(check, fmt.Sprintf("%s/models answered HTTP %d", shown, status), "check llm.base_url and the provider's status page")
	case ep.Model != "" && len(models) > 0 && !slices.Contains(models, ep.Model):
		return fail(check, fmt.Sprintf("%s does not offer model %q (it offers %d others)", shown, ep.Model, len(models)),
			fmt.Sprintf("set llm.models.%s to a model the endpoint lists (GET %s/models)", ep.Use, shown))
	}
	return ok(check, "%s answered and offers model %q", shown, ep.Model)
}

// listModels calls GET {base}/models and returns the model ids and the
// HTTP status.
func listModels(ctx context.Context, hc *http.Client, base string, key sdk.Secret) ([]string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/models", nil)
	if err != nil {
		return nil, 0, fmt.Errorf("building the request: %w", sdk.ErrInvalid)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key.Reveal())
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap() // *url.Error quotes the URL; the caller names it redacted
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("reading the model list: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, resp.StatusCode, nil
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, resp.StatusCode, fmt.Errorf("decoding the model list: %w", err)
	}
	ids := make([]string, len(list.Data))
	for i, m := range list.Data {
		ids[i] = m.ID
	}
	return ids, resp.StatusCode, nil
}
