package openapicheck_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/heardhq/heard/internal/openapicheck"
)

// petstore is a small description: a base path, a path parameter, a
// required JSON body, a bearer scheme and one documented answer.
const petstore = `openapi: 3.0.3
info: {title: pets, version: "1"}
servers: [{url: "https://pets.example/v2"}]
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
security: [{token: []}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: expand, in: query, schema: {type: string, enum: [owner]}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties: {name: {type: string}}
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 1}
                tags: {type: array, items: {type: string}, maxItems: 2}
      responses:
        "201": {description: added}
`

func load(t *testing.T) *openapicheck.Spec {
	t.Helper()
	s, err := openapicheck.Load("the pets description", []byte(petstore))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFind(t *testing.T) {
	s := load(t)
	if got := s.BasePath(); got != "/v2" {
		t.Errorf("BasePath = %q; want /v2", got)
	}
	cases := []struct {
		method, path string
		wantID       string // "" means ErrNoOperation
		wantParam    string
	}{
		{http.MethodGet, "/pets/42", "getPet", "42"},
		{http.MethodPost, "/pets", "addPet", ""},
		{http.MethodDelete, "/pets/42", "", ""},
		{http.MethodGet, "/owners/1", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			op, err := s.Find(tc.method, tc.path, "")
			if tc.wantID == "" {
				if !errors.Is(err, openapicheck.ErrNoOperation) {
					t.Fatalf("Find = %v, %v; want ErrNoOperation", op, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if op.ID != tc.wantID || op.Params["id"] != tc.wantParam {
				t.Errorf("Find = %s %v; want %s id=%q", op.ID, op.Params, tc.wantID, tc.wantParam)
			}
		})
	}
}

func TestCheckRequest(t *testing.T) {
	s := load(t)
	bearer := http.Header{"Authorization": {"Bearer k"}, "Content-Type": {"application/json"}}
	jsonOnly := http.Header{"Content-Type": {"application/json"}}
	cases := []struct {
		name, method, path, query, body string
		h                               http.Header
		auth                            openapicheck.Auth
		wantErr                         []string // substrings; none means valid
	}{
		{name: "valid get", method: "GET", path: "/pets/7", query: "expand=owner", h: bearer, auth: openapicheck.AuthBearer},
		{name: "valid post", method: "POST", path: "/pets", body: `{"name":"Rex","tags":["a"]}`, h: bearer, auth: openapicheck.AuthBearer},
		{name: "non-integer id", method: "GET", path: "/pets/seven", h: bearer, wantErr: []string{`parameter "id"`}},
		{name: "query outside enum", method: "GET", path: "/pets/7", query: "expand=vet", h: bearer, wantErr: []string{`parameter "expand"`}},
		{name: "two problems in one body", method: "POST", path: "/pets", body: `{"name":"","tags":["a","b","c"]}`, h: bearer,
			wantErr: []string{"/name", "/tags"}},
		{name: "missing body", method: "POST", path: "/pets", h: bearer, wantErr: []string{"body"}},
		{name: "no token, bearer checked", method: "GET", path: "/pets/7", h: jsonOnly, auth: openapicheck.AuthBearer, wantErr: []string{"Authorization"}},
		{name: "no token, caller checks", method: "GET", path: "/pets/7", h: jsonOnly, auth: openapicheck.AuthSkip},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op, err := s.Find(tc.method, tc.path, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			err = op.CheckRequest(t.Context(), tc.h, []byte(tc.body), tc.auth)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Errorf("valid request rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("invalid request accepted; want an error mentioning %q", tc.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("problem spans lines: %q", err)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCheckResponse(t *testing.T) {
	s := load(t)
	op, err := s.Find("GET", "/pets/7", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := op.CheckRequest(t.Context(), http.Header{"Authorization": {"Bearer k"}}, nil, openapicheck.AuthBearer); err != nil {
		t.Fatal(err)
	}
	js := http.Header{"Content-Type": {"application/json"}}
	cases := []struct {
		name    string
		status  int
		body    string
		wantErr string
	}{
		{"documented answer", 200, `{"name":"Rex"}`, ""},
		{"body without a required property", 200, `{}`, "name"},
		{"undocumented status", 404, `{"name":"Rex"}`, "404"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := op.CheckResponse(t.Context(), tc.status, js, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("valid answer rejected: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v; want one mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"not YAML":  "openapi: [",
		"no server": "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
	} {
		if _, err := openapicheck.Load("d", []byte(doc)); err == nil {
			t.Errorf("%s: Load accepted it", name)
		}
	}
}
