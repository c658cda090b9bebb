package intercomapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// HeaderVersion names the API version of a request.
const HeaderVersion = "Intercom-Version"

// doer is the part of vendorapi.Client the client uses.
type doer interface {
	Do(ctx context.Context, req vendorapi.Request) (*vendorapi.Response, error)
}

var _ doer = (*vendorapi.Client)(nil)

// Client calls one Intercom workspace. It is safe for concurrent use.
type Client struct {
	do      doer
	base    string // no trailing slash
	token   sdk.Secret
	version string
}

// New returns a client calling baseURL (e.g. https://api.intercom.io) with
// the access token and API version (sent as Intercom-Version; "" sends
// none, so the app's default version applies).
func New(do *vendorapi.Client, baseURL string, token sdk.Secret, version string) *Client {
	return &Client{do: do, base: strings.TrimRight(baseURL, "/"), token: token, version: version}
}

// Version is the API version the client sends.
func (c *Client) Version() string { return c.version }

// call sends one request and decodes a 2xx answer into out (when not nil).
func (c *Client) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	_, err := c.callHeader(ctx, method, path, query, body, out)
	return err
}

// callHeader is call that also returns the answer's headers.
func (c *Client) callHeader(ctx context.Context, method, path string, query url.Values, body, out any) (http.Header, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+c.token.Reveal())
	h.Set("Accept", "application/json")
	if c.version != "" {
		h.Set(HeaderVersion, c.version)
	}
	resp, err := c.do.Do(ctx, vendorapi.Request{Method: method, URL: u, Header: h, Body: body})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return resp.Header, nil
	}
	return resp.Header, resp.Decode(out)
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// Me returns the admin the access token belongs to (GET /me).
func (c *Client) Me(ctx context.Context) (*Admin, error) {
	a, _, err := c.Whoami(ctx)
	return a, err
}

// Whoami is Me with the answer's headers, which carry the app's
// rate-limit budget (X-RateLimit-Limit, X-RateLimit-Remaining,
// X-RateLimit-Reset).
func (c *Client) Whoami(ctx context.Context) (*Admin, http.Header, error) {
	var a Admin
	h, err := c.callHeader(ctx, http.MethodGet, "/me", nil, nil, &a)
	if err != nil {
		return nil, nil, fmt.Errorf("identifying the intercom admin: %w", err)
	}
	return &a, h, nil
}

// Conversation fetches a conversation with its (up to 500 most recent)
// parts (GET /conversations/{id}; the id is an integer in the path).
func (c *Client) Conversation(ctx context.Context, id string) (*Conversation, error) {
	var conv Conversation
	if err := c.call(ctx, http.MethodGet, "/conversations/"+seg(id), nil, nil, &conv); err != nil {
		return nil, fmt.Errorf("fetching intercom conversation %s: %w", id, err)
	}
	return &conv, nil
}

// UpdateConversation updates a conversation (PUT /conversations/{id}). body
// is an *UpdateConversationRequest, or a *PreviewUpdateConversationRequest
// with the Preview API version.
func (c *Client) UpdateConversation(ctx context.Context, id string, body any) (*Conversation, error) {
	var conv Conversation
	if err := c.call(ctx, http.MethodPut, "/conversations/"+seg(id), nil, body, &conv); err != nil {
		return nil, fmt.Errorf("updating intercom conversation %s: %w", id, err)
	}
	return &conv, nil
}

// Reply adds an admin reply or note (POST /conversations/{id}/reply).
func (c *Client) Reply(ctx context.Context, id string, req *AdminReplyRequest) (*Conversation, error) {
	var conv Conversation
	if err := c.call(ctx, http.MethodPost, "/conversations/"+seg(id)+"/reply", nil, req, &conv); err != nil {
		return nil, fmt.Errorf("replying to intercom conversation %s: %w", id, err)
	}
	return &conv, nil
}

// AttachTag tags a conversation (POST /conversations/{id}/tags).
func (c *Client) AttachTag(ctx context.Context, id string, req *AttachTagRequest) (*Tag, error) {
	var t Tag
	if err := c.call(ctx, http.MethodPost, "/conversations/"+seg(id)+"/tags", nil, req, &t); err != nil {
		return nil, fmt.Errorf("tagging intercom conversation %s with tag %s: %w", id, req.ID, err)
	}
	return &t, nil
}

// Tags lists the workspace's tags (GET /tags; not paginated).
func (c *Client) Tags(ctx context.Context) (*TagList, error) {
	var l TagList
	if err := c.call(ctx, http.MethodGet, "/tags", nil, nil, &l); err != nil {
		return nil, fmt.Errorf("listing intercom tags: %w", err)
	}
	return &l, nil
}

// CreateTag creates a tag, or returns the existing one of that name
// (POST /tags).
func (c *Client) CreateTag(ctx context.Context, name string) (*Tag, error) {
	var t Tag
	if err := c.call(ctx, http.MethodPost, "/tags", nil, &CreateTagRequest{Name: name}, &t); err != nil {
		return nil, fmt.Errorf("creating intercom tag %q: %w", name, err)
	}
	return &t, nil
}

// Contact fetches a contact (GET /contacts/{id}).
func (c *Client) Contact(ctx context.Context, id string) (*Contact, error) {
	var ct Contact
	if err := c.call(ctx, http.MethodGet, "/contacts/"+seg(id), nil, nil, &ct); err != nil {
		return nil, fmt.Errorf("fetching intercom contact %s: %w", id, err)
	}
	return &ct, nil
}

// ContactCompanies lists the companies a contact belongs to
// (GET /contacts/{id}/companies).
func (c *Client) ContactCompanies(ctx context.Context, id string) (*CompanyList, error) {
	var l CompanyList
	if err := c.call(ctx, http.MethodGet, "/contacts/"+seg(id)+"/companies", nil, nil, &l); err != nil {
		return nil, fmt.Errorf("listing companies of intercom contact %s: %w", id, err)
	}
	return &l, nil
}

// Company fetches a company by Intercom id (GET /companies/{id}).
func (c *Client) Company(ctx context.Context, id string) (*Company, error) {
	var co Company
	if err := c.call(ctx, http.MethodGet, "/companies/"+seg(id), nil, nil, &co); err != nil {
		return nil, fmt.Errorf("fetching intercom company %s: %w", id, err)
	}
	return &co, nil
}

// SearchConversations searches conversations (POST /conversations/search).
func (c *Client) SearchConversations(ctx context.Context, req *SearchRequest) (*ConversationList, error) {
	var l ConversationList
	if err := c.call(ctx, http.MethodPost, "/conversations/search", nil, req, &l); err != nil {
		return nil, fmt.Errorf("searching intercom conversations: %w", err)
	}
	return &l, nil
}

// Articles lists one page of help-center articles, newest updated_at first
// (GET /articles).
func (c *Client) Articles(ctx context.Context, p ArticlesPage) (*ArticleList, error) {
	q := url.Values{}
	if p.StartingAfter != "" {
		q.Set("starting_after", p.StartingAfter)
	} else if p.Page > 1 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(p.PerPage))
	}
	var l ArticleList
	if err := c.call(ctx, http.MethodGet, "/articles", q, nil, &l); err != nil {
		return nil, fmt.Errorf("listing intercom articles: %w", err)
	}
	return &l, nil
}
