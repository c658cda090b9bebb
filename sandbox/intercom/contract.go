package intercom

import (
	"bytes"
	"context"
	_ "embed"
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

// SpecVersion is the Intercom API version of the embedded description.
const SpecVersion = "2.15"

// specYAML is descriptions/2.15/api.intercom.io.yaml of
// github.com/intercom/Intercom-OpenAPI at commit 8889625a, byte for byte
// (sha256 4449d328089630f6e4472c4ac36e284a029f191ac62518791de28057709bdbc0).
//
//go:embed spec/api.intercom.io.2.15.yaml
var specYAML []byte

// contract is the loaded description and a route table over its paths.
type contract struct {
	doc    *openapi3.T
	root   *pathpattern.Node
	server string // the description's first server URL; requests are mapped onto it
}

// loaded is the process-wide description, parsed on first use.
var loaded struct {
	once sync.Once
	c    *contract
	err  error
}

// loadContract parses the embedded description once per process.
//
// The route table is built like routers/legacy.NewRouter, from legacy's own
// pathpattern trie, but without NewRouter's document validation: kin-openapi
// rejects Intercom's description as a whole (an array schema without items
// in convert_conversation_to_ticket_request, examples that contradict their
// schemas) although every operation heard uses validates requests fine.
func loadContract() (*contract, error) {
	loaded.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(specYAML)
		if err != nil {
			loaded.err = fmt.Errorf("loading the intercom %s API description: %w", SpecVersion, err)
			return
		}
		if len(doc.Servers) == 0 {
			loaded.err = fmt.Errorf("loading the intercom %s API description: it names no server", SpecVersion)
			return
		}
		root := &pathpattern.Node{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				route := &routers.Route{Spec: doc, Server: doc.Servers[0], Path: path, PathItem: item, Method: method, Operation: op}
				if err := root.Add(method+" "+path, route, nil); err != nil {
					loaded.err = fmt.Errorf("routing %s %s of the intercom API description: %w", method, path, err)
					return
				}
			}
		}
		loaded.c = &contract{doc: doc, root: root, server: strings.TrimRight(doc.Servers[0].URL, "/")}
	})
	return loaded.c, loaded.err
}

// errNoOperation: the method and path are no operation of the description.
var errNoOperation = errors.New("no such operation in the Intercom API description")

// find routes a request for path (the part after /intercom/{workspace}),
// mapped onto the description's server URL.
func (c *contract) find(method, path string, query string) (*routers.Route, map[string]string, *http.Request, error) {
	u, err := url.Parse(c.server + path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s %s: %w", method, path, errNoOperation)
	}
	u.RawQuery = query
	server, _, rest := c.doc.Servers.MatchURL(u)
	if server == nil {
		return nil, nil, nil, fmt.Errorf("%s %s: %w", method, path, errNoOperation)
	}
	node, values := c.root.Match(method + " " + rest)
	if node == nil {
		return nil, nil, nil, fmt.Errorf("%s %s: %w", method, path, errNoOperation)
	}
	route, ok := node.Value.(*routers.Route)
	if !ok {
		return nil, nil, nil, fmt.Errorf("%s %s: %w", method, path, errNoOperation)
	}
	params := make(map[string]string, len(values))
	for i, v := range values {
		params[strings.TrimSuffix(node.VariableNames[i], "*")] = v
	}
	// Only validated, never sent.
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	return route, params, req, nil
}

// validate checks a request against its route: parameters, headers and
// JSON body. Security is checked by the caller (the Bearer token), so the
// filter's authentication is a no-op.
func (c *contract) validate(ctx context.Context, orig *http.Request, mapped *http.Request, route *routers.Route, params map[string]string, body []byte) error {
	mapped.Header = orig.Header.Clone()
	mapped.Body = io.NopCloser(bytes.NewReader(body))
	mapped.ContentLength = int64(len(body))
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	opts.WithCustomSchemaErrorFunc(schemaProblem)
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: mapped, PathParams: params, Route: route, Options: opts,
	})
	if err == nil {
		return nil
	}
	return errors.New(problem(err))
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

// problem flattens a (multi-)error from the filter into one line.
func problem(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		parts := make([]string, 0, len(me))
		for _, e := range me {
			parts = append(parts, problem(e))
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
