package freshdeskapi

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

// MaxPerPage is the largest per_page Freshdesk accepts.
const MaxPerPage = 100

// maxPages bounds how many Link-header pages one list call follows, so a
// vendor (or emulation) bug cannot loop forever. Freshdesk itself caps deep
// paging at about 300 pages.
const maxPages = 500

// Client calls one Freshdesk account. It is safe for concurrent use.
type Client struct {
	base string // scheme://host[/prefix], no trailing slash
	auth string // Authorization header value
	vc   *vendorapi.Client
}

// New returns a client for the account at baseURL (for example
// https://acme.freshdesk.com) authenticating with apiKey. Every call goes
// through vc.
func New(baseURL string, apiKey sdk.Secret, vc *vendorapi.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("freshdesk base URL %.100q: want scheme://host with an optional path: %w", sdk.RedactURL(baseURL), sdk.ErrInvalid)
	}
	if apiKey == "" {
		return nil, fmt.Errorf("freshdesk client: API key is empty: %w", sdk.ErrInvalid)
	}
	if vc == nil {
		return nil, fmt.Errorf("freshdesk client: no vendorapi client: %w", sdk.ErrInvalid)
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), auth: BasicAuth(apiKey.Reveal()), vc: vc}, nil
}

// BasicAuth returns the Authorization header value for apiKey:
// "Basic " + base64(apiKey + ":X").
func BasicAuth(apiKey string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(apiKey+":X"))
}

// BaseURL returns the account's base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// endpoint returns the absolute URL of an /api/v2 path with query q.
func (c *Client) endpoint(path string, q url.Values) string {
	u := c.base + "/api/v2" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// do sends one request and decodes a 2xx answer into out (when not nil).
func (c *Client) do(ctx context.Context, method, rawURL string, body, out any) (*vendorapi.Response, error) {
	h := http.Header{}
	h.Set("Authorization", c.auth)
	resp, err := c.vc.Do(ctx, vendorapi.Request{Method: method, URL: rawURL, Header: h, Body: body})
	if err != nil {
		return nil, err
	}
	if out != nil {
		if err := resp.Decode(out); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, sdk.RedactURL(rawURL), err)
		}
	}
	return resp, nil
}

// Ticket fetches ticket id, embedding include (e.g. "requester",
// "company").
func (c *Client) Ticket(ctx context.Context, id int64, include ...string) (*Ticket, error) {
	var q url.Values
	if len(include) > 0 {
		q = url.Values{"include": {strings.Join(include, ",")}}
	}
	var t Ticket
	if _, err := c.do(ctx, http.MethodGet, c.endpoint("/tickets/"+itoa(id), q), nil, &t); err != nil {
		return nil, fmt.Errorf("fetching freshdesk ticket %d: %w", id, err)
	}
	return &t, nil
}

// Conversations fetches every reply and note of ticket id, following the
// Link header page by page (100 per page).
func (c *Client) Conversations(ctx context.Context, id int64) ([]Conversation, error) {
	out, err := listAll[Conversation](ctx, c, c.endpoint("/tickets/"+itoa(id)+"/conversations", perPage(MaxPerPage)))
	if err != nil {
		return nil, fmt.Errorf("listing conversations of freshdesk ticket %d: %w", id, err)
	}
	return out, nil
}

// Contact fetches contact id.
func (c *Client) Contact(ctx context.Context, id int64) (*Contact, error) {
	var ct Contact
	if _, err := c.do(ctx, http.MethodGet, c.endpoint("/contacts/"+itoa(id), nil), nil, &ct); err != nil {
		return nil, fmt.Errorf("fetching freshdesk contact %d: %w", id, err)
	}
	return &ct, nil
}

// Company fetches company id.
func (c *Client) Company(ctx context.Context, id int64) (*Company, error) {
	var co Company
	if _, err := c.do(ctx, http.MethodGet, c.endpoint("/companies/"+itoa(id), nil), nil, &co); err != nil {
		return nil, fmt.Errorf("fetching freshdesk company %d: %w", id, err)
	}
	return &co, nil
}

// Tickets lists one page (the first, unless f.Page says otherwise) of
// tickets matching f. Freshdesk lists only tickets created in the last 30
// days unless updated_since is given.
func (c *Client) Tickets(ctx context.Context, f ListTickets) ([]Ticket, error) {
	ts, _, err := c.TicketPage(ctx, f)
	return ts, err
}

// TicketPage lists page f.Page of GET /api/v2/tickets with f's filters;
// more reports whether the Link header names a next page.
func (c *Client) TicketPage(ctx context.Context, f ListTickets) (tickets []Ticket, more bool, err error) {
	q := url.Values{}
	if f.RequesterID != 0 {
		q.Set("requester_id", itoa(f.RequesterID))
	}
	if !f.UpdatedSince.IsZero() {
		q.Set("updated_since", f.UpdatedSince.UTC().Format(time.RFC3339))
	}
	if f.OrderBy != "" {
		q.Set("order_by", f.OrderBy)
	}
	if f.OrderType != "" {
		q.Set("order_type", f.OrderType)
	}
	if f.Page > 1 {
		q.Set("page", strconv.Itoa(f.Page))
	}
	if f.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(min(f.PerPage, MaxPerPage)))
	}
	resp, err := c.do(ctx, http.MethodGet, c.endpoint("/tickets", q), nil, &tickets)
	if err != nil {
		return nil, false, fmt.Errorf("listing freshdesk tickets (page %d): %w", max(f.Page, 1), err)
	}
	return tickets, NextLink(resp.Header) != "", nil
}

// UpdateTicket sends PUT /api/v2/tickets/{id} and returns the updated
// ticket.
func (c *Client) UpdateTicket(ctx context.Context, id int64, u TicketUpdate) (*Ticket, error) {
	var t Ticket
	if _, err := c.do(ctx, http.MethodPut, c.endpoint("/tickets/"+itoa(id), nil), u, &t); err != nil {
		return nil, fmt.Errorf("updating freshdesk ticket %d: %w", id, err)
	}
	return &t, nil
}

// AddNote sends POST /api/v2/tickets/{id}/notes and returns the new note.
func (c *Client) AddNote(ctx context.Context, id int64, n Note) (*Conversation, error) {
	var cv Conversation
	if _, err := c.do(ctx, http.MethodPost, c.endpoint("/tickets/"+itoa(id)+"/notes", nil), n, &cv); err != nil {
		return nil, fmt.Errorf("adding a note to freshdesk ticket %d: %w", id, err)
	}
	return &cv, nil
}

// Reply sends POST /api/v2/tickets/{id}/reply, a public reply e-mailed to
// the requester, and returns the new conversation. CONTRACTS.md does not
// cover the endpoint; its path and body ({"body": HTML}) are corroborated
// by two independent API references of Freshdesk's "Reply to a ticket".
func (c *Client) Reply(ctx context.Context, id int64, r Reply) (*Conversation, error) {
	var cv Conversation
	if _, err := c.do(ctx, http.MethodPost, c.endpoint("/tickets/"+itoa(id)+"/reply", nil), r, &cv); err != nil {
		return nil, fmt.Errorf("replying to freshdesk ticket %d: %w", id, err)
	}
	return &cv, nil
}

// Me fetches the agent the API key belongs to.
func (c *Client) Me(ctx context.Context) (*Agent, error) {
	a, _, err := c.Whoami(ctx)
	return a, err
}

// Whoami is Me with the answer's headers, which carry the account's
// rate-limit budget (X-RateLimit-Total, X-RateLimit-Remaining).
func (c *Client) Whoami(ctx context.Context) (*Agent, http.Header, error) {
	var a Agent
	resp, err := c.do(ctx, http.MethodGet, c.endpoint("/agents/me", nil), nil, &a)
	if err != nil {
		return nil, nil, fmt.Errorf("fetching the freshdesk agent of the API key: %w", err)
	}
	if a.ID == 0 {
		return nil, nil, fmt.Errorf("fetching the freshdesk agent of the API key: answer has no id: %w", sdk.ErrInvalid)
	}
	return &a, resp.Header, nil
}

// Categories lists every Solutions category. It sends no paging
// parameters and follows the Link header if Freshdesk pages the answer.
func (c *Client) Categories(ctx context.Context) ([]Category, error) {
	out, err := listAll[Category](ctx, c, c.endpoint("/solutions/categories", nil))
	if err != nil {
		return nil, fmt.Errorf("listing freshdesk solution categories: %w", err)
	}
	return out, nil
}

// Folders lists every folder of a Solutions category, following the Link
// header if Freshdesk pages the answer.
func (c *Client) Folders(ctx context.Context, categoryID int64) ([]Folder, error) {
	out, err := listAll[Folder](ctx, c, c.endpoint("/solutions/categories/"+itoa(categoryID)+"/folders", nil))
	if err != nil {
		return nil, fmt.Errorf("listing folders of freshdesk solution category %d: %w", categoryID, err)
	}
	return out, nil
}

// Articles fetches one page of a folder's articles, drafts included. more
// reports whether the Link header names a next page.
func (c *Client) Articles(ctx context.Context, folderID int64, page, per int) (articles []Article, more bool, err error) {
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}}
	if per > 0 {
		q.Set("per_page", strconv.Itoa(min(per, MaxPerPage)))
	}
	resp, err := c.do(ctx, http.MethodGet, c.endpoint("/solutions/folders/"+itoa(folderID)+"/articles", q), nil, &articles)
	if err != nil {
		return nil, false, fmt.Errorf("listing articles of freshdesk solution folder %d (page %d): %w", folderID, page, err)
	}
	return articles, NextLink(resp.Header) != "", nil
}

// listAll GETs first and every page its Link headers lead to. A next link
// outside this account's /api/v2 is refused, so the API key is never sent
// elsewhere.
func listAll[T any](ctx context.Context, c *Client, first string) ([]T, error) {
	var out []T
	next := first
	for range maxPages {
		var page []T
		resp, err := c.do(ctx, http.MethodGet, next, nil, &page)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		link := NextLink(resp.Header)
		if link == "" || len(page) == 0 {
			return out, nil
		}
		if !strings.HasPrefix(link, c.base+"/api/v2/") {
			return nil, fmt.Errorf("following Link header: next page %.200q is outside %s/api/v2: %w", link, c.base, sdk.ErrInvalid)
		}
		next = link
	}
	return nil, fmt.Errorf("following Link headers from %s: more than %d pages: %w", first, maxPages, sdk.ErrInvalid)
}

// NextLink returns the rel="next" URL of a Link header, or "".
func NextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok {
				continue
			}
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for p := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "rel") && strings.EqualFold(strings.Trim(strings.TrimSpace(val), `"`), "next") {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

func perPage(n int) url.Values { return url.Values{"per_page": {strconv.Itoa(n)}} }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
