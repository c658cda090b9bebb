package vendorapi

import (
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// RecentTTL is how long connectors reuse a person or organization record
// read from a help desk. Events of one ticket, and tickets of one customer,
// come in bursts: reusing the requester for a minute saves API calls on
// every event after the first (vendor rate limits count each call), and a
// customer attribute changed in the help desk reaches heard within a
// minute.
const RecentTTL = time.Minute

// recentSize bounds how many records one Recent keeps.
const recentSize = 4096

// Recent keeps records read from a help desk for a while: an LRU of at
// most 4,096 entries whose entries expire ttl after they were read. It is
// safe for concurrent use and starts no goroutine.
type Recent[K comparable, V any] struct {
	ttl time.Duration
	now func() time.Time
	c   *lru.Cache[K, stamped[V]]
}

type stamped[V any] struct {
	v  V
	at time.Time
}

// NewRecent returns an empty Recent whose entries live ttl by the clock
// now (nil: time.Now).
func NewRecent[K comparable, V any](ttl time.Duration, now func() time.Time) *Recent[K, V] {
	if now == nil {
		now = time.Now
	}
	c, _ := lru.New[K, stamped[V]](recentSize) // only a size <= 0 fails
	return &Recent[K, V]{ttl: ttl, now: now, c: c}
}

// Read returns the record kept for k, or calls read, keeps what it
// returns unless it fails, and returns that. A record is kept ttl from the
// moment read was called, never longer.
func (r *Recent[K, V]) Read(k K, read func() (V, error)) (V, error) {
	if v, ok := r.get(k); ok {
		return v, nil
	}
	at := r.now()
	v, err := read()
	if err != nil {
		return v, err
	}
	r.add(k, v, at)
	return v, nil
}

// get returns the record kept for k unless it has expired.
func (r *Recent[K, V]) get(k K) (V, bool) {
	s, ok := r.c.Get(k)
	if now := r.now(); !ok || now.Sub(s.at) >= r.ttl || now.Before(s.at) {
		var zero V
		return zero, false
	}
	return s.v, true
}

// add keeps v for k, read at at.
func (r *Recent[K, V]) add(k K, v V, at time.Time) { r.c.Add(k, stamped[V]{v, at}) }
