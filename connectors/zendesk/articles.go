package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// articlesPageSize is Zendesk's default article page size (30).
const articlesPageSize = 30

// Cursor prefixes: a cursor is a listing mode and the query of the page to
// fetch, e.g. "list?page%5Bafter%5D=…&page%5Bsize%5D=30". Cursors are opaque
// to callers.
const (
	cursorList        = "list?"
	cursorIncremental = "inc?"
)

// ListArticles returns one page of Help Center articles. Without
// UpdatedSince it pages through GET /api/v2/help_center/articles with
// cursor pagination; with it, through the incremental export
// GET /api/v2/help_center/incremental/articles?start_time=…, following the
// query of each page's next_page (or meta.after_cursor) so it works with
// either pagination style. Article.URL is the public html_url.
func (c *Connector) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	api, err := c.client()
	if err != nil {
		return nil, err
	}
	if req == nil {
		req = &sdk.ListArticlesRequest{}
	}
	incremental, q, err := articlesQuery(req)
	if err != nil {
		return nil, err
	}
	var page *zendeskapi.ArticlesPage
	if incremental {
		page, err = api.IncrementalArticles(ctx, q)
	} else {
		page, err = api.ListArticles(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	resp := &sdk.ListArticlesResponse{Articles: make([]sdk.Article, 0, len(page.Articles))}
	for _, a := range page.Articles {
		updated, err := a.UpdatedAt.Time()
		if err != nil {
			return nil, fmt.Errorf("reading zendesk article %d: %w", a.ID, errors.Join(err, sdk.ErrInvalid))
		}
		art := sdk.Article{
			ID:        strconv.FormatInt(a.ID, 10),
			Title:     a.Title,
			Body:      a.Body,
			URL:       a.HTMLURL,
			Locale:    a.Locale,
			Draft:     a.Draft,
			UpdatedAt: updated,
		}
		if a.SectionID > 0 {
			art.Section = strconv.FormatInt(a.SectionID, 10)
		}
		resp.Articles = append(resp.Articles, art)
	}
	resp.NextCursor = nextCursor(incremental, q, page)
	return resp, nil
}

// articlesQuery returns the mode and query of the page req asks for.
func articlesQuery(req *sdk.ListArticlesRequest) (incremental bool, q url.Values, err error) {
	switch {
	case req.Cursor == "" && req.UpdatedSince.IsZero():
		return false, zendeskapi.ArticlesQuery(articlesPageSize, ""), nil
	case req.Cursor == "":
		return true, zendeskapi.IncrementalQuery(req.UpdatedSince), nil
	case strings.HasPrefix(req.Cursor, cursorList):
		q, err = url.ParseQuery(strings.TrimPrefix(req.Cursor, cursorList))
	case strings.HasPrefix(req.Cursor, cursorIncremental):
		incremental = true
		q, err = url.ParseQuery(strings.TrimPrefix(req.Cursor, cursorIncremental))
	default:
		err = errors.New("unknown prefix")
	}
	if err == nil && incremental && q.Get("start_time") == "" {
		err = errors.New("no start_time")
	}
	if err != nil {
		return false, nil, fmt.Errorf("zendesk article cursor %.80q: %w", req.Cursor, errors.Join(err, sdk.ErrInvalid))
	}
	return incremental, q, nil
}

// nextCursor returns the cursor of the page after page, fetched with q, or
// "" when page was the last. A next page whose query equals q's is treated
// as the end, so a vendor that does not advance cannot loop forever.
func nextCursor(incremental bool, q url.Values, page *zendeskapi.ArticlesPage) string {
	prefix := cursorList
	if incremental {
		prefix = cursorIncremental
	}
	var next url.Values
	switch {
	case page.EndOfStream || len(page.Articles) == 0:
		return ""
	case page.Meta.HasMore && page.Meta.AfterCursor != "":
		next = cloneValues(q)
		next.Set("page[after]", page.Meta.AfterCursor)
		if !incremental {
			next.Set("page[size]", strconv.Itoa(articlesPageSize))
		}
	case page.NextPage != "":
		u, err := url.Parse(page.NextPage)
		if err != nil {
			return ""
		}
		next = u.Query()
		if incremental && next.Get("start_time") == "" {
			next.Set("start_time", q.Get("start_time"))
		}
	default:
		return ""
	}
	if next.Encode() == q.Encode() {
		return ""
	}
	return prefix + next.Encode()
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
