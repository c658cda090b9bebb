package webhooks

import (
	"crypto/sha256"
	"net/http"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// HeaderChecker is optionally implemented by a Connector whose signature
// scheme can be partly checked from the headers alone (a missing or
// ill-formed signature header, a timestamp outside the replay window, a
// wrong shared secret). The server calls it before reading the body, so an
// unsigned sender never gets a body buffered. VerifyWebhook still runs on
// the full body afterwards.
type HeaderChecker interface {
	CheckWebhookHeaders(h http.Header) error
}

// limiter caps the webhook requests in progress and the body bytes they
// may hold between them. Both are taken without waiting: a request over
// either cap is answered 503 at once, so slow senders cannot queue up
// goroutines or memory behind the cap.
type limiter struct {
	slots    chan struct{}
	maxBytes int64

	mu   sync.Mutex
	used int64
}

func newLimiter(requests int, bytes int64) *limiter {
	return &limiter{slots: make(chan struct{}, requests), maxBytes: bytes}
}

// acquire takes a request slot and reserves n body bytes. It reports
// false, taking nothing, when either cap is reached.
func (l *limiter) acquire(n int64) (release func(), ok bool) {
	select {
	case l.slots <- struct{}{}:
	default:
		return nil, false
	}
	l.mu.Lock()
	if l.used+n > l.maxBytes {
		l.mu.Unlock()
		<-l.slots
		return nil, false
	}
	l.used += n
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.used -= n
			l.mu.Unlock()
			<-l.slots
		})
	}, true
}

// seenCache remembers recently acknowledged job keys. Keys are stored as
// SHA-256 digests, so each entry has the same small size whatever the
// sender put in an id, and the cache is bounded in bytes by its count.
type seenCache struct {
	c *lru.Cache[[sha256.Size]byte, struct{}]
}

func newSeenCache(n int) (*seenCache, error) {
	c, err := lru.New[[sha256.Size]byte, struct{}](n)
	if err != nil {
		return nil, err
	}
	return &seenCache{c: c}, nil
}

func (s *seenCache) contains(key string) bool { return s.c.Contains(sha256.Sum256([]byte(key))) }

func (s *seenCache) add(key string) { s.c.Add(sha256.Sum256([]byte(key)), struct{}{}) }
