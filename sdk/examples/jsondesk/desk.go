package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// SignatureHeader carries "sha256=<hex HMAC-SHA256 of the body>" on every
// webhook delivery.
const SignatureHeader = "X-Desk-Signature"

// Settings are the connector's `settings:` block in heard's config.
type Settings struct {
	// BaseURL is the help desk's address, e.g. "https://desk.example.com".
	BaseURL string `json:"base_url"`
	// Token authenticates API calls (Authorization: Bearer).
	Token sdk.Secret `json:"token"`
	// WebhookSecret signs webhook deliveries.
	WebhookSecret sdk.Secret `json:"webhook_secret"`
	// Actor is heard's own API user; events it caused are dropped so
	// heard's write-back does not trigger heard again.
	Actor string `json:"actor"`
	// TimeoutSeconds bounds one API call. Default 10.
	TimeoutSeconds int `json:"timeout_seconds"`
}

// validate fills defaults and checks the settings.
func (s *Settings) validate() error {
	var errs []string
	if u, err := url.Parse(s.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Sprintf("base_url %q: want an http(s) URL", sdk.RedactURL(s.BaseURL)))
	}
	if s.WebhookSecret == "" {
		errs = append(errs, "webhook_secret is required")
	}
	if s.TimeoutSeconds < 0 {
		errs = append(errs, "timeout_seconds: want > 0")
	}
	if s.TimeoutSeconds == 0 {
		s.TimeoutSeconds = 10
	}
	if len(errs) > 0 {
		return fmt.Errorf("jsondesk settings: %s: %w", strings.Join(errs, "; "), sdk.ErrInvalid)
	}
	s.BaseURL = strings.TrimRight(s.BaseURL, "/")
	return nil
}

// Desk is a connector for a help desk with a small JSON-over-HTTP API:
//
//	GET  /api/tickets/{id}           the ticket with messages and customer
//	POST /api/tickets/{id}/changes   one combined write-back (tags, priority,
//	                                 fields, note, and an optional public
//	                                 "reply"), idempotent by note_fingerprint
//	GET  /api/articles?cursor=&updated_since=   one page of articles
//
// Every call sends "Authorization: Bearer <token>". Webhooks are JSON
// deliveries signed with HMAC-SHA256 in SignatureHeader. Safe for
// concurrent use once configured.
type Desk struct {
	settings atomic.Pointer[Settings]
	http     *http.Client
	log      *slog.Logger
}

var (
	_ sdk.Connector     = (*Desk)(nil)
	_ sdk.ArticleLister = (*Desk)(nil)
)

// NewDesk returns an unconfigured Desk.
func NewDesk(log *slog.Logger) *Desk {
	return &Desk{http: &http.Client{}, log: log}
}

// Configure decodes and installs the settings. It is
// plugin.Options.Configure.
func (d *Desk) Configure(_ context.Context, req *plugin.ConfigureRequest) error {
	dec := json.NewDecoder(bytes.NewReader(req.Settings))
	dec.DisallowUnknownFields()
	var s Settings
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("jsondesk settings: %w: %w", err, sdk.ErrInvalid)
	}
	if err := s.validate(); err != nil {
		return err
	}
	d.settings.Store(&s)
	d.log.Info("configured", "base_url", sdk.RedactURL(s.BaseURL), "instance", req.Instance)
	return nil
}

func (d *Desk) config() (*Settings, error) {
	s := d.settings.Load()
	if s == nil {
		return nil, fmt.Errorf("jsondesk: not configured: %w", sdk.ErrUnavailable)
	}
	return s, nil
}

// VerifyWebhook checks the delivery's HMAC signature.
func (d *Desk) VerifyWebhook(h http.Header, body []byte) error {
	s, err := d.config()
	if err != nil {
		return err
	}
	got, ok := strings.CutPrefix(h.Get(SignatureHeader), "sha256=")
	sig, decErr := hex.DecodeString(got)
	if !ok || decErr != nil {
		return fmt.Errorf("webhook: missing or malformed %s header: %w", SignatureHeader, sdk.ErrUnauthorized)
	}
	if !hmac.Equal(sig, Sign([]byte(s.WebhookSecret.Reveal()), body)) {
		return fmt.Errorf("webhook: signature does not match: %w", sdk.ErrUnauthorized)
	}
	return nil
}

// Sign returns the HMAC-SHA256 of body under secret.
func Sign(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// delivery is one webhook body.
type delivery struct {
	ID         string    `json:"id"`
	Event      string    `json:"event"` // ticket.created | ticket.updated | message.created | ticket.solved
	TicketID   string    `json:"ticket_id"`
	Account    string    `json:"account"`
	Actor      string    `json:"actor"`
	OccurredAt time.Time `json:"occurred_at"`
}

// DecodeWebhook turns a delivery into at most one event. Events heard
// does not act on, and those caused by Settings.Actor, are dropped.
func (d *Desk) DecodeWebhook(_ http.Header, body []byte) ([]sdk.Event, error) {
	s, err := d.config()
	if err != nil {
		return nil, err
	}
	var dv delivery
	if err := json.Unmarshal(body, &dv); err != nil {
		return nil, fmt.Errorf("webhook body: %w: %w", err, sdk.ErrInvalid)
	}
	if dv.ID == "" || dv.TicketID == "" {
		return nil, fmt.Errorf("webhook body: id and ticket_id are required: %w", sdk.ErrInvalid)
	}
	kind := sdk.EventKind(dv.Event)
	switch kind {
	case sdk.EventTicketCreated, sdk.EventTicketUpdated, sdk.EventMessageCreated, sdk.EventTicketSolved:
	default:
		return nil, nil
	}
	if s.Actor != "" && dv.Actor == s.Actor {
		return nil, nil
	}
	// Connector is left empty: the host fills in the configured name.
	return []sdk.Event{{ID: dv.ID, Kind: kind, Ticket: sdk.TicketRef{Account: dv.Account, ID: dv.TicketID},
		OccurredAt: dv.OccurredAt, Actor: dv.Actor, Payload: body}}, nil
}

// apiTicket is the help desk's ticket.
type apiTicket struct {
	ID           string            `json:"id"`
	Subject      string            `json:"subject"`
	Status       string            `json:"status"`
	Priority     string            `json:"priority"` // urgent | high | normal | low
	Requester    sdk.Party         `json:"requester"`
	Organization sdk.Party         `json:"organization"`
	Tags         []string          `json:"tags"`
	Custom       map[string]string `json:"custom"`
	Customer     map[string]string `json:"customer"`
	Messages     []struct {
		ID        string    `json:"id"`
		Author    sdk.Party `json:"author"`
		Agent     bool      `json:"agent"`
		Public    bool      `json:"public"`
		Body      string    `json:"body"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"messages"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var toPriority = map[string]sdk.Priority{"urgent": sdk.P0, "high": sdk.P1, "normal": sdk.P2, "low": sdk.P3}

// Ticket fetches one ticket.
func (d *Desk) Ticket(ctx context.Context, ref sdk.TicketRef) (*sdk.Ticket, error) {
	var at apiTicket
	if err := d.do(ctx, http.MethodGet, "/api/tickets/"+url.PathEscape(ref.ID), nil, &at); err != nil {
		return nil, fmt.Errorf("fetching ticket %s: %w", ref.ID, err)
	}
	t := &sdk.Ticket{Ref: ref, Subject: at.Subject, Status: sdk.Status(at.Status), Priority: toPriority[at.Priority],
		Requester: at.Requester, Organization: at.Organization, Tags: at.Tags, Fields: at.Custom, Customer: at.Customer,
		CreatedAt: at.CreatedAt, UpdatedAt: at.UpdatedAt}
	for _, m := range at.Messages {
		t.Messages = append(t.Messages, sdk.Message{ID: m.ID, Author: m.Author, FromAgent: m.Agent, Public: m.Public, Body: m.Body, CreatedAt: m.CreatedAt})
	}
	return t, nil
}

// Apply writes the changes back in one call.
func (d *Desk) Apply(ctx context.Context, ref sdk.TicketRef, ch sdk.Changes) error {
	if ch.Empty() {
		return nil
	}
	body := map[string]any{"add_tags": ch.AddTags, "fields": ch.Fields, "note": ch.InternalNote, "note_fingerprint": ch.Fingerprint}
	if ch.PublicReply != "" {
		body["reply"] = ch.PublicReply
	}
	if ch.Priority != nil {
		for name, p := range toPriority {
			if p == *ch.Priority {
				body["priority"] = name
			}
		}
	}
	if err := d.do(ctx, http.MethodPost, "/api/tickets/"+url.PathEscape(ref.ID)+"/changes", body, nil); err != nil {
		return fmt.Errorf("updating ticket %s: %w", ref.ID, err)
	}
	return nil
}

// ListArticles lists one page of help-center articles.
func (d *Desk) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	q := url.Values{}
	if req.Cursor != "" {
		q.Set("cursor", req.Cursor)
	}
	if !req.UpdatedSince.IsZero() {
		q.Set("updated_since", req.UpdatedSince.UTC().Format(time.RFC3339))
	}
	var page struct {
		Articles   []sdk.Article `json:"articles"`
		NextCursor string        `json:"next_cursor"`
	}
	path := "/api/articles"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	if err := d.do(ctx, http.MethodGet, path, nil, &page); err != nil {
		return nil, fmt.Errorf("listing articles: %w", err)
	}
	return &sdk.ListArticlesResponse{Articles: page.Articles, NextCursor: page.NextCursor}, nil
}

// do calls the API and maps its statuses onto the sdk errors.
func (d *Desk) do(ctx context.Context, method, path string, in, out any) error {
	s, err := d.config()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(s.TimeoutSeconds)*time.Second)
	defer cancel()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.BaseURL+path, body)
	if err != nil {
		return fmt.Errorf("building request: %w: %w", err, sdk.ErrInvalid)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token.Reveal())
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.http.Do(req) //nolint:gosec // the admin configures the help desk's URL
	if err != nil {
		return fmt.Errorf("%s %s: %w: %w", method, path, err, sdk.ErrUnavailable)
	}
	defer resp.Body.Close()
	if err := statusError(resp); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w: %w", method, path, err, sdk.ErrUnavailable)
	}
	return nil
}

// statusError maps an HTTP status onto the sdk errors: 401/403
// unauthorized, 404 not found, 429/503 with Retry-After a RetryAfterError,
// other 5xx unavailable, other 4xx invalid.
func statusError(resp *http.Response) error {
	code := resp.StatusCode
	if code < 300 {
		return nil
	}
	msg := fmt.Sprintf("help desk answered %d", code)
	var err error
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		err = fmt.Errorf("%s: %w", msg, sdk.ErrUnauthorized)
	case code == http.StatusNotFound:
		err = fmt.Errorf("%s: %w", msg, sdk.ErrNotFound)
	case code == http.StatusTooManyRequests || code >= 500:
		err = fmt.Errorf("%s: %w", msg, sdk.ErrUnavailable)
		if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs >= 0 {
			err = &sdk.RetryAfterError{Err: err, Wait: time.Duration(secs) * time.Second}
		}
	default:
		err = fmt.Errorf("%s: %w", msg, sdk.ErrInvalid)
	}
	return err
}
