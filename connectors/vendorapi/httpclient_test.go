package vendorapi

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// TestNewHTTPClientReusesConnections: 32 concurrent callers making five
// rounds of calls to one host open about 32 connections, not one per
// call (Go's default pool keeps two idle per host, so most calls of a
// busy desk would dial anew).
func TestNewHTTPClientReusesConnections(t *testing.T) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	hc := NewHTTPClient()
	const callers, rounds = 32, 5
	for range rounds {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				resp, err := hc.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			})
		}
		wg.Wait()
	}
	if n := opened.Load(); n > callers+callers/2 {
		t.Errorf("%d calls opened %d connections; want at most %d (one per concurrent caller, reused across rounds)", callers*rounds, n, callers+callers/2)
	}
}
