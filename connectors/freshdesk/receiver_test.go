package freshdesk

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/heardhq/heard/sdk"
)

// delivery is one webhook the receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// receiver records webhook deliveries.
type receiver struct {
	url string
	mu  sync.Mutex
	got []delivery
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{header: req.Header.Clone(), body: b})
		r.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// count is how many deliveries arrived.
func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// since returns the deliveries from index i on.
func (r *receiver) since(i int) []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got[i:]...)
}

// last returns the latest delivery.
func (r *receiver) last(t *testing.T) delivery {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) == 0 {
		t.Fatal("no webhook delivered")
	}
	return r.got[len(r.got)-1]
}

func sdkSecret(s string) sdk.Secret { return sdk.Secret(s) }
