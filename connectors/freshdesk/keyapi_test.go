package freshdesk

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/connectors/vendorapi"
)

// keyAPI is a fake Freshdesk answering the calls DecodeWebhook makes to key
// a delivery: GET /tickets/{id} (updated_at), GET /tickets/{id}/conversations
// and GET /agents/me, for any ticket id. Down makes every call a 503.
type keyAPI struct {
	mu      sync.Mutex
	updated time.Time
	convs   []freshdeskapi.Conversation
	bot     int64
	down    bool
	hang    chan struct{} // when set, calls wait for it to close
	calls   []string      // request paths, in order
}

// defaultKeyAPI has one incoming customer conversation, 9001, and the bot
// agent 42.
func defaultKeyAPI(t *testing.T) *keyAPI {
	at := mustTime(t, "2025-01-08T10:12:07Z")
	return &keyAPI{updated: at, bot: 42, convs: []freshdeskapi.Conversation{
		{ID: 9001, BodyText: "Any news?", Incoming: true, UserID: 1001, CreatedAt: at},
	}}
}

// set replaces the state under the lock.
func (k *keyAPI) set(f func(k *keyAPI)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f(k)
}

// paths returns the request paths so far.
func (k *keyAPI) paths() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.calls...)
}

func (k *keyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	hang := k.hang
	k.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-r.Context().Done():
			return
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, r.URL.Path)
	if k.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v2/")
	if !ok || r.Method != http.MethodGet {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var out any
	parts := strings.Split(rest, "/")
	switch {
	case rest == "agents/me":
		out = map[string]any{"id": k.bot}
	case len(parts) == 2 && parts[0] == "tickets":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		out = map[string]any{"id": id, "updated_at": k.updated.Format(time.RFC3339)}
	case len(parts) == 3 && parts[0] == "tickets" && parts[2] == "conversations":
		out = k.convs
	default:
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// keyedConnector builds a connector named "acme-freshdesk" from cfg whose
// API is api, with the clock fixed at now, one retry and a short lookup
// timeout.
func keyedConnector(t *testing.T, cfg Config, now time.Time, api *keyAPI) *Connector {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL
	cfg.RateLimit = vendorapi.Config{RatePerMinute: 60000, MaxRetries: 1, RetryBase: time.Millisecond}
	c, err := New(specOf(t, "acme-freshdesk", cfg), connectors.Deps{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.lookupTimeout = 2 * time.Second
	return c
}
