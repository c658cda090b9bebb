package sdk

import (
	"context"
	"net/http"
)

// Connector is a help desk: webhooks in, ticket context out, one combined
// write-back. Implementations must be safe for concurrent use.
//
// VerifyWebhook and DecodeWebhook run inside the webhook request, before the
// delivery is stored, and should not do network IO. The exception is a
// vendor whose deliveries carry nothing to key an event by: DecodeWebhook
// may then make one short lookup bounded by its own timeout, and must still
// return the event (keyed uniquely to its arrival) when the lookup fails.
// Ticket and Apply run in queue jobs under the job's context.
type Connector interface {
	// VerifyWebhook checks the delivery's authenticity over the raw body.
	// It returns an error wrapping ErrUnauthorized when the check fails.
	VerifyWebhook(h http.Header, body []byte) error
	// DecodeWebhook turns a verified delivery into zero or more events.
	// Events heard does not act on, and events caused by heard itself,
	// are left out. A malformed body yields an error wrapping ErrInvalid.
	DecodeWebhook(h http.Header, body []byte) ([]Event, error)
	// Ticket fetches the ticket with its messages and customer context.
	Ticket(ctx context.Context, ref TicketRef) (*Ticket, error)
	// Apply writes ch back to the ticket in one combined update.
	Apply(ctx context.Context, ref TicketRef, ch Changes) error
}

// EnrichRequest is the input of an Enricher. Its contents are read-only.
type EnrichRequest struct {
	Ticket *Ticket
	Attrs  Attrs
}

// EnrichResponse carries only the attribute keys the enricher owns.
type EnrichResponse struct {
	Attrs Attrs
}

// Enricher adds facts about a ticket. Implementations must be safe for
// concurrent use and honour ctx's deadline.
type Enricher interface {
	Enrich(ctx context.Context, req *EnrichRequest) (*EnrichResponse, error)
}

// EnricherFunc adapts a function to Enricher.
type EnricherFunc func(ctx context.Context, req *EnrichRequest) (*EnrichResponse, error)

// Enrich calls f.
func (f EnricherFunc) Enrich(ctx context.Context, req *EnrichRequest) (*EnrichResponse, error) {
	return f(ctx, req)
}

// ClassifyRequest is the input of a Classifier: the ticket, facts so far, and
// the fields (with allowed values) to predict. Its contents are read-only.
type ClassifyRequest struct {
	Ticket *Ticket
	Attrs  Attrs
	Fields []FieldSpec
}

// ClassifyResponse holds the classifier's predictions, at most one per field
// value.
type ClassifyResponse struct {
	Predictions []Prediction
}

// Classifier proposes field values with confidence and reasons.
// Implementations must be safe for concurrent use and honour ctx's deadline.
type Classifier interface {
	Classify(ctx context.Context, req *ClassifyRequest) (*ClassifyResponse, error)
}

// ClassifierFunc adapts a function to Classifier.
type ClassifierFunc func(ctx context.Context, req *ClassifyRequest) (*ClassifyResponse, error)

// Classify calls f.
func (f ClassifierFunc) Classify(ctx context.Context, req *ClassifyRequest) (*ClassifyResponse, error) {
	return f(ctx, req)
}

// Closer is implemented by components that hold resources.
type Closer interface {
	Close(ctx context.Context) error
}

// HealthChecker is implemented by components that can report their health.
type HealthChecker interface {
	CheckHealth(ctx context.Context) error
}
