package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTarget(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, "http://127.0.0.1:8080/readyz"},
		{"listen port", nil, map[string]string{"HEARD_LISTEN": ":9090"}, "http://127.0.0.1:9090/readyz"},
		{"listen with host", nil, map[string]string{"HEARD_LISTEN": "0.0.0.0:7000"}, "http://127.0.0.1:7000/readyz"},
		{"bad listen keeps default", nil, map[string]string{"HEARD_LISTEN": "nonsense"}, "http://127.0.0.1:8080/readyz"},
		{"env url", nil, map[string]string{"HEARD_HEALTHCHECK_URL": "http://127.0.0.1:1/healthz", "HEARD_LISTEN": ":9090"}, "http://127.0.0.1:1/healthz"},
		{"argument wins", []string{"http://127.0.0.1:2/readyz"}, map[string]string{"HEARD_HEALTHCHECK_URL": "http://x/"}, "http://127.0.0.1:2/readyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := target(tt.args, func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("target = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		if status != http.StatusOK {
			_, _ = w.Write([]byte("store unavailable\n"))
		}
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	tests := []struct {
		name     string
		status   int
		url      string
		code     int
		contains string
	}{
		{"ready", http.StatusOK, srv.URL + "/readyz", 0, "ok: "},
		{"not ready", http.StatusServiceUnavailable, srv.URL + "/readyz", 1, "store unavailable"},
		{"wrong path", http.StatusOK, srv.URL + "/nope", 1, "404"},
		{"nothing listening", http.StatusOK, closedURL + "/readyz", 1, "unhealthy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status = tt.status
			var out bytes.Buffer
			code := run(t.Context(), []string{tt.url}, func(string) string { return "" }, &out)
			if code != tt.code || !strings.Contains(out.String(), tt.contains) {
				t.Errorf("run = %d, %q; want %d containing %q", code, out.String(), tt.code, tt.contains)
			}
		})
	}
}
