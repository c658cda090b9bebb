package freshdesk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/sdk"
)

// articleCursor is the opaque ListArticles cursor: the folders still to
// list (the first one partly done) and the next page of the first.
type articleCursor struct {
	Folders []cursorFolder `json:"f"`
	Page    int            `json:"p"`
}

type cursorFolder struct {
	ID   int64  `json:"i"`
	Name string `json:"n"`
}

// ListArticles lists published Solutions articles, one vendor page per
// call. The first call walks categories → folders (GET
// /api/v2/solutions/categories, …/categories/{id}/folders); each call then
// fetches one page of one folder's articles (…/folders/{id}/articles with
// page and per_page, next page per the Link header). Drafts (status 1) are
// left out, so a page may hold fewer articles than per_page, even none.
//
// Freshdesk's Solutions API has no updated-since filter: UpdatedSince is
// applied here, after fetching, so every call still reads every article.
// Article.Section is the folder name; Article.URL is the portal page
// {base}/support/solutions/articles/{id}. Nested subfolders are not
// walked.
func (c *Connector) ListArticles(ctx context.Context, req *sdk.ListArticlesRequest) (*sdk.ListArticlesResponse, error) {
	if req == nil {
		req = &sdk.ListArticlesRequest{}
	}
	cur, err := c.cursor(ctx, req.Cursor)
	if err != nil {
		return nil, err
	}
	resp := &sdk.ListArticlesResponse{}
	if len(cur.Folders) == 0 {
		return resp, nil
	}
	folder := cur.Folders[0]
	page, more, err := c.api.Articles(ctx, folder.ID, cur.Page, c.articlePage)
	if err != nil {
		return nil, err
	}
	for _, a := range page {
		if a.Status != freshdeskapi.ArticlePublished || (!req.UpdatedSince.IsZero() && a.UpdatedAt.Before(req.UpdatedSince)) {
			continue
		}
		id := strconv.FormatInt(a.ID, 10)
		resp.Articles = append(resp.Articles, sdk.Article{
			ID:        id,
			Title:     a.Title,
			Body:      a.Description,
			URL:       c.base + "/support/solutions/articles/" + id,
			Section:   folder.Name,
			UpdatedAt: a.UpdatedAt,
		})
	}
	next := articleCursor{Folders: cur.Folders, Page: cur.Page + 1}
	if !more || len(page) == 0 {
		next = articleCursor{Folders: cur.Folders[1:], Page: 1}
	}
	if len(next.Folders) > 0 {
		b, err := json.Marshal(next)
		if err != nil {
			return nil, fmt.Errorf("encoding freshdesk article cursor: %w", err)
		}
		resp.NextCursor = base64.RawURLEncoding.EncodeToString(b)
	}
	return resp, nil
}

// cursor decodes raw, or for "" walks the categories to list every folder.
func (c *Connector) cursor(ctx context.Context, raw string) (articleCursor, error) {
	if raw != "" {
		var cur articleCursor
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err == nil {
			err = json.Unmarshal(b, &cur)
		}
		if err != nil || cur.Page < 1 {
			return articleCursor{}, fmt.Errorf("freshdesk connector %s: article cursor is not one this connector issued: %w", c.name, sdk.ErrInvalid)
		}
		return cur, nil
	}
	cats, err := c.api.Categories(ctx)
	if err != nil {
		return articleCursor{}, err
	}
	cur := articleCursor{Page: 1}
	for _, cat := range cats {
		folders, err := c.api.Folders(ctx, cat.ID)
		if err != nil {
			return articleCursor{}, err
		}
		for _, f := range folders {
			cur.Folders = append(cur.Folders, cursorFolder{ID: f.ID, Name: f.Name})
		}
	}
	return cur, nil
}
