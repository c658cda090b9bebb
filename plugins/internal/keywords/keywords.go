package keywords

import (
	"context"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Classifier predicts priority and product area from keywords.
type Classifier struct{}

var _ sdk.Classifier = Classifier{}

var rules = []struct {
	word, field, value string
}{
	{"outage", sdk.FieldPriority, "P0"},
	{"down", sdk.FieldPriority, "P1"},
	{"refund", sdk.FieldProductArea, "billing"},
	{"invoice", sdk.FieldProductArea, "billing"},
	{"password", sdk.FieldProductArea, "account"},
}

// Classify implements sdk.Classifier.
func (Classifier) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(req.Ticket.Subject))
	for _, m := range req.Ticket.Messages {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(m.Body))
	}
	text := b.String()
	seen := map[string]bool{}
	var out []sdk.Prediction
	for _, r := range rules {
		if !seen[r.field] && strings.Contains(text, r.word) {
			seen[r.field] = true
			out = append(out, sdk.Prediction{Field: r.field, Value: r.value, Confidence: 0.7, Reason: "mentions " + r.word})
		}
	}
	return &sdk.ClassifyResponse{Predictions: out}, nil
}
