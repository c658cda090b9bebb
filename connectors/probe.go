package connectors

import (
	"context"
	"net/http"
	"strconv"

	"github.com/heardhq/heard/sdk"
)

// Probe is what a connector's API credentials can do, as the vendor
// reports it. heard check prints it; nothing in it is a secret.
type Probe struct {
	// Identity is who the credentials act as, e.g. `heard bot
	// <bot@acme.test> (admin)`.
	Identity string
	// CanUpdate says the credentials may change tickets: priority, tags,
	// custom fields.
	CanUpdate bool
	// CanNote says the credentials may add internal notes.
	CanNote bool
	// Why explains, in the vendor's terms, a false CanUpdate or CanNote.
	Why string
	// RateLimit is the request budget of the vendor's rate-limit window
	// and RateRemaining what is left of it, both from the answer's
	// headers; -1 when the vendor did not say.
	RateLimit, RateRemaining int
}

// Prober is implemented by connectors that can check their credentials
// against the vendor's API: who they act as, whether they may update
// tickets and add internal notes, and the rate-limit headroom. Probe makes
// one cheap read request and changes nothing. Its errors wrap the sdk
// sentinels: sdk.ErrUnauthorized for rejected credentials, sdk.ErrNotFound
// for an account the vendor does not know, sdk.ErrUnavailable when the
// vendor did not answer, errors.ErrUnsupported when the connector has no
// API credentials. Safe for concurrent use.
type Prober interface {
	Probe(ctx context.Context) (*Probe, error)
}

// SecretChecker is implemented by connectors that can say, without any
// IO, what is wrong with their webhook secret: nothing (nil), or problems
// such as "webhook_secret is shorter than 16 characters". The answer never
// contains the secret.
type SecretChecker interface {
	CheckSecrets() []string
}

// MinSecretLen is the shortest webhook secret CheckSecret accepts without
// a warning.
const MinSecretLen = 16

// CheckSecret returns the problems of the secret configured under key: not
// set, or shorter than MinSecretLen characters.
func CheckSecret(key string, s sdk.Secret) []string {
	switch n := len(s.Reveal()); {
	case n == 0:
		return []string{key + " is not set"}
	case n < MinSecretLen:
		return []string{key + " is " + strconv.Itoa(n) + " characters long, shorter than " + strconv.Itoa(MinSecretLen) + ": anyone who guesses it can post tickets to heard"}
	}
	return nil
}

// RateHeaders reads a rate-limit budget and what remains of it from h, in
// the headers named limit and remaining (each vendor has its own names);
// -1 for a header that is absent or not a number.
func RateHeaders(h http.Header, limit, remaining string) (budget, left int) {
	num := func(name string) int {
		n, err := strconv.Atoi(h.Get(name))
		if err != nil || n < 0 {
			return -1
		}
		return n
	}
	return num(limit), num(remaining)
}
