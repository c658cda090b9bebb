package redact

import (
	"context"
	"maps"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// Ticket returns a redacted copy of t: the subject, every message body and
// the free-text custom fields redacted with r plus the requester's own
// name and e-mail address (and those of the customer-side message
// authors), wherever they appear. The requester's and authors' names are
// dropped and their e-mail addresses cut to "@domain", which keeps the
// domain for rules that route by it. IDs, status, priority, tags, the
// organization and the customer attributes are kept: stages decide with
// them. t is not modified.
func (r *Redactor) Ticket(t *sdk.Ticket) *sdk.Ticket {
	if t == nil {
		return nil
	}
	names, emails := []string{t.Requester.Name}, []string{t.Requester.Email}
	for _, m := range t.Messages {
		if !m.FromAgent {
			names, emails = append(names, m.Author.Name), append(emails, m.Author.Email)
		}
	}
	k := r.WithKnown(names, emails)
	out := *t
	out.Subject = k.Redact(t.Subject)
	out.Requester = anonymous(t.Requester)
	out.Tags = append([]string(nil), t.Tags...)
	out.Recent = append([]sdk.TicketRef(nil), t.Recent...)
	out.Customer = maps.Clone(t.Customer)
	if t.Fields != nil {
		out.Fields = make(map[string]string, len(t.Fields))
		for key, v := range t.Fields {
			out.Fields[key] = k.Redact(v)
		}
	}
	if t.Messages != nil {
		out.Messages = make([]sdk.Message, len(t.Messages))
		for i, m := range t.Messages {
			m.Body = k.Redact(m.Body)
			m.Author = anonymous(m.Author)
			out.Messages[i] = m
		}
	}
	return &out
}

// anonymous keeps a party's ID and its e-mail domain.
func anonymous(p sdk.Party) sdk.Party {
	out := sdk.Party{ID: p.ID}
	if _, domain, ok := strings.Cut(p.Email, "@"); ok && domain != "" {
		out.Email = "@" + strings.ToLower(domain)
	}
	return out
}

// Ticket redacts t with every kind: New().Ticket(t).
func Ticket(t *sdk.Ticket) *sdk.Ticket { return std.Ticket(t) }

type originalKey struct{}

// WithOriginal returns a ctx that carries the unredacted ticket behind
// redacted, for the few consumers an administrator trusts with it (a
// plugin marked trusted). Original gives it back only for that same
// redacted ticket.
func WithOriginal(ctx context.Context, redacted, original *sdk.Ticket) context.Context {
	return context.WithValue(ctx, originalKey{}, [2]*sdk.Ticket{redacted, original})
}

// Original returns the unredacted ticket WithOriginal stored for t, or t
// itself when ctx has none for it.
func Original(ctx context.Context, t *sdk.Ticket) *sdk.Ticket {
	if pair, ok := ctx.Value(originalKey{}).([2]*sdk.Ticket); ok && pair[0] == t && pair[1] != nil {
		return pair[1]
	}
	return t
}
