package intercom

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/heardhq/heard/connectors/intercom/intercomapi"
	"github.com/heardhq/heard/sdk"
)

// articlesPerPage is the page size ListArticles asks for.
const articlesPerPage = 25

// Cursor prefixes: a page number, or Intercom's starting_after cursor.
const (
	cursorPage  = "page:"
	cursorAfter = "after:"
)

// ListArticles lists one page of help-center articles (GET /articles,
// newest updated_at first), published ones only. Article.URL is the
// article's url. GET /articles has no updated-since filter, so
// UpdatedSince is applied here: older articles are left out, and since
// the list is ordered by updated_at the listing stops at the first page
// that reaches past it. NextCursor is "page:N" (from pages.page and
// total_pages) or "after:X" (when Intercom answers with a starting_after
// cursor).
func (c *Connector) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	p := intercomapi.ArticlesPage{Page: 1, PerPage: articlesPerPage}
	switch cur := req.Cursor; {
	case cur == "":
	case strings.HasPrefix(cur, cursorPage):
		n, err := strconv.Atoi(strings.TrimPrefix(cur, cursorPage))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("listing intercom articles: cursor %.40q is not one this connector made: %w", cur, sdk.ErrInvalid)
		}
		p.Page = n
	case strings.HasPrefix(cur, cursorAfter) && len(cur) > len(cursorAfter):
		p.StartingAfter = strings.TrimPrefix(cur, cursorAfter)
	default:
		return nil, fmt.Errorf("listing intercom articles: cursor %.40q is not one this connector made: %w", cur, sdk.ErrInvalid)
	}
	list, err := c.api.Articles(ctx, p)
	if err != nil {
		return nil, err
	}
	resp := &sdk.ListArticlesResponse{}
	reachedOld := false
	for _, a := range list.Data {
		updated := a.UpdatedAt.Time()
		if !req.UpdatedSince.IsZero() && updated.Before(req.UpdatedSince) {
			reachedOld = true
			continue
		}
		if a.State != "published" {
			continue
		}
		resp.Articles = append(resp.Articles, sdk.Article{
			ID:        string(a.ID),
			Title:     a.Title,
			Body:      a.Body,
			URL:       a.URL,
			Locale:    a.DefaultLocale,
			Section:   string(a.ParentID),
			UpdatedAt: updated,
		})
	}
	if reachedOld || len(list.Data) == 0 || list.Pages == nil {
		return resp, nil
	}
	switch pg := list.Pages; {
	case pg.Next != nil && pg.Next.StartingAfter != "":
		resp.NextCursor = cursorAfter + pg.Next.StartingAfter
	case pg.Next != nil && pg.Next.Page > 0:
		resp.NextCursor = cursorPage + strconv.Itoa(pg.Next.Page)
	case pg.Page > 0 && pg.Page < pg.TotalPages:
		resp.NextCursor = cursorPage + strconv.Itoa(pg.Page+1)
	}
	return resp, nil
}
