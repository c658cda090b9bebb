package freshdesk

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors"
	"github.com/heardhq/heard/sandbox"
	"github.com/heardhq/heard/sdk"
)

// listAll pages through ListArticles and returns the articles and the
// number of calls.
func listAll(t *testing.T, l sdk.ArticleLister, since time.Time) ([]sdk.Article, int) {
	t.Helper()
	var out []sdk.Article
	cursor := ""
	for calls := 1; calls <= 100; calls++ {
		resp, err := l.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: cursor, UpdatedSince: since})
		if err != nil {
			t.Fatalf("ListArticles call %d: %v", calls, err)
		}
		out = append(out, resp.Articles...)
		if resp.NextCursor == "" {
			return out, calls
		}
		cursor = resp.NextCursor
	}
	t.Fatal("ListArticles did not finish in 100 calls")
	return nil, 0
}

func TestListArticles(t *testing.T) {
	d := newDesk(t)
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	recent := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type add struct {
		section string
		n       int
		draft   bool
		updated time.Time
	}
	tests := []struct {
		name      string
		pageSize  int
		adds      []add
		since     time.Time
		wantTitle int // published (and recent enough) articles
		wantCalls int
		wantSect  []string
	}{
		{name: "empty help center", wantCalls: 1},
		{name: "one folder, one page", adds: []add{{section: "Billing", n: 3}}, wantTitle: 3, wantCalls: 1, wantSect: []string{"Billing"}},
		// No Link header follows the page that ends on the last article.
		{name: "one folder, exact page multiple", pageSize: 5, adds: []add{{section: "Billing", n: 10}}, wantTitle: 10, wantCalls: 2, wantSect: []string{"Billing"}},
		{name: "across categories and folders", pageSize: 4, adds: []add{
			{section: "Billing/Invoices", n: 5}, {section: "Billing/Refunds", n: 2}, {section: "Product/API", n: 9}, {section: "Product/Empty", n: 0},
		}, wantTitle: 16, wantCalls: 2 + 1 + 3 + 1, wantSect: []string{"API", "Invoices", "Refunds"}},
		{name: "drafts left out", adds: []add{{section: "Billing", n: 4}, {section: "Billing", n: 3, draft: true}, {section: "Drafts only", n: 2, draft: true}},
			wantTitle: 4, wantCalls: 2, wantSect: []string{"Billing"}},
		{name: "updated since filters after fetching", adds: []add{{section: "Billing", n: 3, updated: old}, {section: "Billing", n: 2, updated: recent}},
			since: recent, wantTitle: 2, wantCalls: 1, wantSect: []string{"Billing"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, acct := d.account(t, "kb"+string(rune('a'+i)), Config{ArticlePageSize: tt.pageSize})
			ids := map[string]bool{}
			k := 0
			for _, a := range tt.adds {
				for range a.n {
					k++
					id, err := d.fd.AddArticle(acct.Name, sandbox.Article{
						Title: fmt.Sprintf("Article %02d", k), Body: "<p>Open <b>Billing</b>.</p>", Section: a.section, Draft: a.draft, Updated: a.updated,
					})
					if err != nil {
						t.Fatal(err)
					}
					if !a.draft && (tt.since.IsZero() || !a.updated.Before(tt.since)) {
						ids[id] = true
					}
				}
				if a.n == 0 { // an empty folder still exists
					if _, err := d.fd.AddArticle(acct.Name, sandbox.Article{Title: "placeholder", Section: a.section, Draft: true}); err != nil {
						t.Fatal(err)
					}
				}
			}
			got, calls := listAll(t, c, tt.since)
			if len(got) != tt.wantTitle || len(ids) != tt.wantTitle {
				t.Errorf("listed %d articles (%d expected published); want %d", len(got), len(ids), tt.wantTitle)
			}
			if calls != tt.wantCalls {
				t.Errorf("%d ListArticles calls; want %d", calls, tt.wantCalls)
			}
			var sections []string
			for _, a := range got {
				if !ids[a.ID] {
					t.Errorf("article %s (%q) listed but not expected (a draft or too old?)", a.ID, a.Title)
				}
				delete(ids, a.ID)
				if want := d.fd.BaseURL(d.root, acct.Name) + "/support/solutions/articles/" + a.ID; a.URL != want {
					t.Errorf("URL = %q; want %q", a.URL, want)
				}
				if a.Body != "<p>Open <b>Billing</b>.</p>" || a.Draft || a.UpdatedAt.IsZero() {
					t.Errorf("article %+v: want the HTML body, not a draft, an update time", a)
				}
				if !slices.Contains(sections, a.Section) {
					sections = append(sections, a.Section)
				}
			}
			slices.Sort(sections)
			if !slices.Equal(sections, tt.wantSect) {
				t.Errorf("sections %v; want %v", sections, tt.wantSect)
			}
		})
	}
	for _, r := range d.sb.Requests("freshdesk") {
		if strings.Contains(r.Path, "/solutions/categories") && r.Query != "" && !strings.Contains(r.Query, "page=") {
			t.Errorf("categories/folders listed with query %q; want none (or the Link page)", r.Query)
		}
	}
	d.noViolations(t)
}

func TestListArticlesBadCursor(t *testing.T) {
	c := newTestConnector(t, baseConfig(), time.Now())
	for _, cursor := range []string{"!!", "e30", "bm90IGpzb24"} { // not base64; {}; "not json"
		t.Run(cursor, func(t *testing.T) {
			if _, err := c.ListArticles(t.Context(), &sdk.ListArticlesRequest{Cursor: cursor}); !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("ListArticles(cursor %q) = %v; want ErrInvalid", cursor, err)
			}
		})
	}
}

// TestArticleURLDefault checks the portal URL without base_url.
func TestArticleURLDefault(t *testing.T) {
	c, err := New(specOf(t, "acme-freshdesk", baseConfig()), connectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if c.base != "https://acme.freshdesk.com" {
		t.Errorf("base = %q; want https://acme.freshdesk.com", c.base)
	}
}
