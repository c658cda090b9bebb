package zendeskapi

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Page sizes and limits.
const (
	// MaxPageSize is the largest page[size] Zendesk accepts on the cursor
	// endpoints heard calls.
	MaxPageSize = 100
	// maxPages bounds how many pages one listing follows, so a vendor that
	// keeps answering has_more cannot keep a job busy forever.
	maxPages = 1000
)

// doer is the part of vendorapi.Client the client uses.
type doer interface {
	Do(ctx context.Context, req vendorapi.Request) (*vendorapi.Response, error)
}

var _ doer = (*vendorapi.Client)(nil)

// Client calls one Zendesk account as one API user. It is safe for
// concurrent use.
type Client struct {
	base string // scheme://host[/path], no trailing slash
	auth string // Authorization header value
	do   doer
}

// DefaultBaseURL is the Support API base of a subdomain:
// https://{subdomain}.zendesk.com.
func DefaultBaseURL(subdomain string) string {
	return "https://" + subdomain + ".zendesk.com"
}

// New returns a client that calls baseURL (e.g. DefaultBaseURL("acme"))
// with API-token Basic auth, base64("{email}/token:{apiToken}"), through do
// (a *vendorapi.Client).
func New(baseURL, email, apiToken string, do doer) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	switch {
	case err != nil:
		// url.Parse's message quotes the URL, credentials and all.
		return nil, fmt.Errorf("zendesk base URL %.80q: not a URL: %w", sdk.RedactURL(baseURL), sdk.ErrInvalid)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return nil, fmt.Errorf("zendesk base URL %.80q: want an absolute http(s) URL such as https://acme.zendesk.com: %w", sdk.RedactURL(baseURL), sdk.ErrInvalid)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("zendesk base URL %.80q: must not carry a query, fragment or credentials: %w", sdk.RedactURL(baseURL), sdk.ErrInvalid)
	case email == "" || apiToken == "":
		return nil, fmt.Errorf("building zendesk client: email and API token are required: %w", sdk.ErrInvalid)
	case do == nil:
		return nil, fmt.Errorf("building zendesk client: no vendorapi client: %w", sdk.ErrInvalid)
	}
	return &Client{
		base: u.String(),
		auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(email+"/token:"+apiToken)),
		do:   do,
	}, nil
}

// BaseURL returns the base URL the client calls.
func (c *Client) BaseURL() string { return c.base }

// call sends one request and decodes the JSON answer into out (when not nil).
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	resp, err := c.do.Do(ctx, vendorapi.Request{
		Method: method,
		URL:    u,
		Header: http.Header{"Authorization": {c.auth}},
		Body:   body,
	})
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return resp.Decode(out)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Ticket fetches GET /api/v2/tickets/{id}.
func (c *Client) Ticket(ctx context.Context, ticketID int64) (*Ticket, error) {
	var out struct {
		Ticket *Ticket `json:"ticket"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v2/tickets/"+id(ticketID), nil, nil, &out); err != nil {
		return nil, fmt.Errorf("fetching zendesk ticket %d: %w", ticketID, err)
	}
	if out.Ticket == nil {
		return nil, fmt.Errorf("fetching zendesk ticket %d: response has no ticket: %w", ticketID, sdk.ErrInvalid)
	}
	return out.Ticket, nil
}

// Comments fetches all comments of a ticket, oldest first as Zendesk sorts
// them, following GET /api/v2/tickets/{id}/comments cursor pages
// (page[size], page[after]) until meta.has_more is false.
func (c *Client) Comments(ctx context.Context, ticketID int64) ([]Comment, error) {
	var all []Comment
	after := ""
	for page := 0; ; page++ {
		if page >= maxPages {
			return nil, fmt.Errorf("fetching comments of zendesk ticket %d: more than %d pages: %w", ticketID, maxPages, sdk.ErrInvalid)
		}
		q := url.Values{"page[size]": {strconv.Itoa(MaxPageSize)}}
		if after != "" {
			q.Set("page[after]", after)
		}
		var out struct {
			Comments []Comment `json:"comments"`
			Meta     Meta      `json:"meta"`
		}
		if err := c.call(ctx, http.MethodGet, "/api/v2/tickets/"+id(ticketID)+"/comments", q, nil, &out); err != nil {
			return nil, fmt.Errorf("fetching comments of zendesk ticket %d (page %d): %w", ticketID, page+1, err)
		}
		all = append(all, out.Comments...)
		if !out.Meta.HasMore || out.Meta.AfterCursor == "" || out.Meta.AfterCursor == after {
			return all, nil
		}
		after = out.Meta.AfterCursor
	}
}

// User fetches GET /api/v2/users/{id}, including user_fields.
func (c *Client) User(ctx context.Context, userID int64) (*User, error) {
	var out struct {
		User *User `json:"user"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v2/users/"+id(userID), nil, nil, &out); err != nil {
		return nil, fmt.Errorf("fetching zendesk user %d: %w", userID, err)
	}
	if out.User == nil {
		return nil, fmt.Errorf("fetching zendesk user %d: response has no user: %w", userID, sdk.ErrInvalid)
	}
	return out.User, nil
}

// Me fetches GET /api/v2/users/me, the user the credentials belong to.
// Zendesk answers unauthenticated callers with an anonymous user that has
// no id; Me reports that as sdk.ErrUnauthorized.
func (c *Client) Me(ctx context.Context) (*User, error) {
	u, _, err := c.Whoami(ctx)
	return u, err
}

// Whoami is Me with the answer's headers, which carry the account's
// rate-limit budget (X-Rate-Limit, X-Rate-Limit-Remaining).
func (c *Client) Whoami(ctx context.Context) (*User, http.Header, error) {
	resp, err := c.do.Do(ctx, vendorapi.Request{
		Method: http.MethodGet,
		URL:    c.base + "/api/v2/users/me",
		Header: http.Header{"Authorization": {c.auth}},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fetching the zendesk API user: %w", err)
	}
	var out struct {
		User *User `json:"user"`
	}
	if err := resp.Decode(&out); err != nil {
		return nil, nil, fmt.Errorf("fetching the zendesk API user: %w", err)
	}
	if out.User == nil || out.User.ID <= 0 {
		return nil, nil, fmt.Errorf("fetching the zendesk API user: got the anonymous user, so the credentials were not accepted: %w", sdk.ErrUnauthorized)
	}
	return out.User, resp.Header, nil
}

// Organization fetches GET /api/v2/organizations/{id}, including
// organization_fields.
func (c *Client) Organization(ctx context.Context, orgID int64) (*Organization, error) {
	var out struct {
		Organization *Organization `json:"organization"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v2/organizations/"+id(orgID), nil, nil, &out); err != nil {
		return nil, fmt.Errorf("fetching zendesk organization %d: %w", orgID, err)
	}
	if out.Organization == nil {
		return nil, fmt.Errorf("fetching zendesk organization %d: response has no organization: %w", orgID, sdk.ErrInvalid)
	}
	return out.Organization, nil
}

// RequestedTickets fetches the first page (at most size tickets, capped at
// MaxPageSize) of GET /api/v2/users/{id}/tickets/requested, asking for the
// most recently updated first (sort=-updated_at). Whether Zendesk honours
// that sort on this endpoint is not verified, so callers that need an order
// sort the result themselves.
func (c *Client) RequestedTickets(ctx context.Context, userID int64, size int) ([]Ticket, error) {
	size = min(max(size, 1), MaxPageSize)
	q := url.Values{"page[size]": {strconv.Itoa(size)}, "sort": {"-updated_at"}}
	var out struct {
		Tickets []Ticket `json:"tickets"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v2/users/"+id(userID)+"/tickets/requested", q, nil, &out); err != nil {
		return nil, fmt.Errorf("fetching tickets requested by zendesk user %d: %w", userID, err)
	}
	return out.Tickets, nil
}

// UpdateTicket sends one combined PUT /api/v2/tickets/{id} with body
// {"ticket": u} and returns the updated ticket. With u.SafeUpdate a
// concurrent change yields an error wrapping vendorapi.ErrConflict.
func (c *Client) UpdateTicket(ctx context.Context, ticketID int64, u TicketUpdate) (*Ticket, error) {
	body := struct {
		Ticket TicketUpdate `json:"ticket"`
	}{u}
	var out struct {
		Ticket *Ticket `json:"ticket"`
	}
	if err := c.call(ctx, http.MethodPut, "/api/v2/tickets/"+id(ticketID), nil, body, &out); err != nil {
		return nil, fmt.Errorf("updating zendesk ticket %d: %w", ticketID, err)
	}
	return out.Ticket, nil
}

// ArticlesQuery is the query for one cursor page of ListArticles: page[size]
// (clamped to 1..MaxPageSize) and, after the first page, page[after].
func ArticlesQuery(size int, after string) url.Values {
	q := url.Values{"page[size]": {strconv.Itoa(min(max(size, 1), MaxPageSize))}}
	if after != "" {
		q.Set("page[after]", after)
	}
	return q
}

// IncrementalQuery is the query for the first page of IncrementalArticles:
// articles changed at or after since (start_time, Unix seconds).
func IncrementalQuery(since time.Time) url.Values {
	return url.Values{"start_time": {strconv.FormatInt(since.Unix(), 10)}}
}

// ListArticles fetches one page of GET /api/v2/help_center/articles with
// query q (see ArticlesQuery).
func (c *Client) ListArticles(ctx context.Context, q url.Values) (*ArticlesPage, error) {
	var out ArticlesPage
	if err := c.call(ctx, http.MethodGet, "/api/v2/help_center/articles", q, nil, &out); err != nil {
		return nil, fmt.Errorf("listing zendesk help center articles: %w", err)
	}
	return &out, nil
}

// IncrementalArticles fetches one page of GET
// /api/v2/help_center/incremental/articles with query q (see
// IncrementalQuery; later pages use the query of the previous page's
// next_page).
func (c *Client) IncrementalArticles(ctx context.Context, q url.Values) (*ArticlesPage, error) {
	if q.Get("start_time") == "" {
		return nil, fmt.Errorf("listing changed zendesk help center articles: start_time is required: %w", sdk.ErrInvalid)
	}
	var out ArticlesPage
	if err := c.call(ctx, http.MethodGet, "/api/v2/help_center/incremental/articles", q, nil, &out); err != nil {
		return nil, fmt.Errorf("listing zendesk help center articles changed since %s: %w", q.Get("start_time"), err)
	}
	return &out, nil
}

// Search limits (Search API, "Results limit").
const (
	// MaxSearchPerPage is the largest per_page search.json accepts.
	MaxSearchPerPage = 100
	// MaxSearchResults is how many results one search query can page
	// through; asking for a page past it is a 422.
	MaxSearchResults = 1000
)

// SearchQuery is the query of one page of Search: the search string q,
// results sorted by sortBy ("updated_at", "created_at", …) in order
// ("asc" or "desc"), page (from 1) of perPage (clamped to
// 1..MaxSearchPerPage) results.
func SearchQuery(q, sortBy, order string, page, perPage int) url.Values {
	return url.Values{
		"query":      {q},
		"sort_by":    {sortBy},
		"sort_order": {order},
		"page":       {strconv.Itoa(max(page, 1))},
		"per_page":   {strconv.Itoa(min(max(perPage, 1), MaxSearchPerPage))},
	}
}

// Search fetches one page of GET /api/v2/search.json with query q (see
// SearchQuery). Zendesk pages search results by offset only and serves at
// most MaxSearchResults per query.
func (c *Client) Search(ctx context.Context, q url.Values) (*SearchPage, error) {
	if strings.TrimSpace(q.Get("query")) == "" {
		return nil, fmt.Errorf("searching zendesk: the query is empty: %w", sdk.ErrInvalid)
	}
	var out SearchPage
	if err := c.call(ctx, http.MethodGet, "/api/v2/search.json", q, nil, &out); err != nil {
		return nil, fmt.Errorf("searching zendesk for %.200q (page %s): %w", q.Get("query"), q.Get("page"), err)
	}
	return &out, nil
}
