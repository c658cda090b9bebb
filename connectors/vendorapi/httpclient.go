package vendorapi

import (
	"net/http"
	"time"
)

// idleConnsPerHost is how many idle keep-alive connections the default
// client keeps to one vendor host: enough for every queue worker
// (queue.workers defaults to 128) to find one, where Go's default of two
// made most calls of a busy desk dial a fresh connection and close it
// after.
const idleConnsPerHost = 128

// NewHTTPClient returns the HTTP client connectors use when none is
// given: a 30-second overall timeout and a connection pool sized for
// concurrent workers talking to one vendor host.
func NewHTTPClient() *http.Client {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the embedding program: keep its choice
		return &http.Client{Timeout: 30 * time.Second}
	}
	tr = tr.Clone()
	tr.MaxIdleConnsPerHost = idleConnsPerHost
	tr.MaxIdleConns = 4 * idleConnsPerHost
	return &http.Client{Timeout: 30 * time.Second, Transport: tr}
}
