package zendesk

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/markup"
	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "paragraphs", in: "<p>Hi,</p><p>we were <b>charged</b> twice.</p>", want: "Hi,\n\nwe were charged twice."},
		{name: "line breaks", in: "one<br>two<br/>three<BR />four", want: "one\ntwo\nthree\nfour"},
		{name: "entities", in: "<p>Tom &amp; Jerry &lt;3 &quot;x&quot; &#8364;5&nbsp;now</p>", want: "Tom & Jerry <3 \"x\" €5 now"},
		{name: "script, style and comments dropped", in: "<style>p{}</style><p>a</p><!-- hidden --><script>alert(1)</script>", want: "a"},
		{name: "a bare less-than is text", in: "a < b and c<d", want: "a < b and c<d"},
		{name: "lists", in: "<ul><li>x</li><li>y</li></ul>", want: "x\n\ny"},
		{name: "white space collapsed", in: "<div>  lots   of\t space </div>\n\n\n\n<div>end</div>", want: "lots of space\n\nend"},
		{name: "plain text stays", in: "no markup here", want: "no markup here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainText(tc.in); got != tc.want {
				t.Errorf("plainText(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCommentText(t *testing.T) {
	tests := []struct {
		name string
		c    zendeskapi.Comment
		want string
	}{
		{name: "plain_body first", c: zendeskapi.Comment{PlainBody: "plain", Body: "body", HTMLBody: "<p>html</p>"}, want: "plain"},
		{name: "then body", c: zendeskapi.Comment{Body: " body ", HTMLBody: "<p>html</p>"}, want: "body"},
		{name: "html_body only", c: zendeskapi.Comment{HTMLBody: "<p>html <i>only</i></p>"}, want: "html only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := commentText(tc.c); got != tc.want {
				t.Errorf("commentText = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestHasMarker(t *testing.T) {
	note, reply := sdk.NoteMarker("x1"), sdk.ReplyMarker("x1")
	tests := []struct {
		name     string
		comments []zendeskapi.Comment
		marker   string
		public   bool
		want     bool
	}{
		{name: "note in body", comments: []zendeskapi.Comment{{Body: "note\n— heard [fp:x1]"}}, marker: note, want: true},
		{name: "note in plain_body", comments: []zendeskapi.Comment{{PlainBody: "[fp:x1]"}}, marker: note, want: true},
		{name: "escaped in html_body", comments: []zendeskapi.Comment{{HTMLBody: "[fp:a&amp;b]"}}, marker: sdk.NoteMarker("a&b"), want: true},
		{name: "another fingerprint", comments: []zendeskapi.Comment{{Body: "[fp:x2]"}}, marker: note, want: false},
		{name: "a prefix is not a match", comments: []zendeskapi.Comment{{Body: "[fp:x12]"}}, marker: note, want: false},
		{name: "no comments", marker: note, want: false},
		{name: "a public comment quoting the note marker is no note", comments: []zendeskapi.Comment{{Body: "[fp:x1]", Public: true}}, marker: note, want: false},
		{name: "reply in html_body", comments: []zendeskapi.Comment{{HTMLBody: "<p>Hi</p><p>[ref:x1]</p>", Public: true}}, marker: reply, public: true, want: true},
		{name: "the note is no reply", comments: []zendeskapi.Comment{{Body: "— heard [fp:x1]"}}, marker: reply, public: true, want: false},
		{name: "a private comment with the reply marker is no reply", comments: []zendeskapi.Comment{{Body: "[ref:x1]"}}, marker: reply, public: true, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hasMarker(tc.comments, tc.marker, tc.public); got != tc.want {
				t.Errorf("hasMarker = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestMergeTags(t *testing.T) {
	tests := []struct {
		name        string
		existing    []string
		add         []string
		want        []string
		wantChanged bool
	}{
		{name: "adds new, keeps order", existing: []string{"vip", "billing"}, add: []string{"billing", "heard"}, want: []string{"vip", "billing", "heard"}, wantChanged: true},
		{name: "nothing new", existing: []string{"vip"}, add: []string{"vip", " ", ""}, want: []string{"vip"}},
		{name: "case-insensitive", existing: []string{"refund"}, add: []string{"Refund"}, want: []string{"refund"}},
		{name: "no existing tags", add: []string{"a", "a"}, want: []string{"a"}, wantChanged: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := mergeTags(tc.existing, tc.add)
			if !slices.Equal(got, tc.want) || changed != tc.wantChanged {
				t.Errorf("mergeTags = %v, %v; want %v, %v", got, changed, tc.want, tc.wantChanged)
			}
		})
	}
}

func TestUpdateOnlyWhatChanges(t *testing.T) {
	c := newTestConnector(t, Config{Subdomain: "acme", WebhookSecret: "s", TicketFields: map[string]int64{"reason": 11}}, time.Now())
	p1, p2 := sdk.P1, sdk.P2
	current := &zendeskapi.Ticket{ID: 1, Priority: "high", Tags: []string{"billing"}, CustomFields: []zendeskapi.CustomField{{ID: 11, Value: "refund"}}}
	tests := []struct {
		name      string
		ch        sdk.Changes
		noteDone  bool
		wantEmpty bool
		check     func(zendeskapi.TicketUpdate) bool
	}{
		{name: "all present already", ch: sdk.Changes{AddTags: []string{"billing"}, Priority: &p1, Fields: map[string]string{"reason": "refund"}}, wantEmpty: true},
		{name: "note already there", ch: sdk.Changes{InternalNote: "n", Fingerprint: "f"}, noteDone: true, wantEmpty: true},
		{name: "new priority only", ch: sdk.Changes{Priority: &p2}, check: func(u zendeskapi.TicketUpdate) bool {
			return u.Priority == "normal" && u.Tags == nil && u.Comment == nil && u.CustomFields == nil
		}},
		{name: "changed field, unmapped field skipped", ch: sdk.Changes{Fields: map[string]string{"reason": "bug", "other": "x"}}, check: func(u zendeskapi.TicketUpdate) bool {
			return len(u.CustomFields) == 1 && u.CustomFields[0] == zendeskapi.CustomField{ID: 11, Value: "bug"}
		}},
		{name: "note is private", ch: sdk.Changes{InternalNote: "n", Fingerprint: "f"}, check: func(u zendeskapi.TicketUpdate) bool {
			return u.Comment != nil && !u.Comment.Public && u.Comment.HTMLBody == "<p>n</p><p>— heard [fp:f]</p>"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prio := ""
			if tc.ch.Priority != nil {
				prio, _ = zendeskPriority(*tc.ch.Priority)
			}
			u := c.update(t.Context(), current, tc.ch, prio, markup.Fingerprint(tc.ch), tc.noteDone)
			if u.Empty() != tc.wantEmpty {
				t.Fatalf("update = %+v; want empty %v", u, tc.wantEmpty)
			}
			if tc.check != nil && !tc.check(u) {
				t.Errorf("update = %+v", u)
			}
		})
	}
}

func TestPriorityAndStatusMapping(t *testing.T) {
	for _, tc := range []struct {
		zendesk string
		heard   sdk.Priority
	}{{"urgent", sdk.P0}, {"high", sdk.P1}, {"normal", sdk.P2}, {"low", sdk.P3}} {
		t.Run(tc.zendesk, func(t *testing.T) {
			if got := priority(tc.zendesk); got != tc.heard {
				t.Errorf("priority(%q) = %q; want %q", tc.zendesk, got, tc.heard)
			}
			if got, err := zendeskPriority(tc.heard); got != tc.zendesk || err != nil {
				t.Errorf("zendeskPriority(%q) = %q, %v; want %q", tc.heard, got, err, tc.zendesk)
			}
		})
	}
	if got := priority(""); got != sdk.PriorityUnknown {
		t.Errorf("priority(null) = %q; want unknown", got)
	}
	if _, err := zendeskPriority("P9"); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("zendeskPriority(P9) = %v; want ErrInvalid", err)
	}
	statuses := map[string]sdk.Status{"new": sdk.StatusNew, "open": sdk.StatusOpen, "pending": sdk.StatusPending, "hold": sdk.StatusOnHold,
		"solved": sdk.StatusSolved, "closed": sdk.StatusClosed, "OPEN": sdk.StatusOpen, "deleted": sdk.StatusUnknown}
	for in, want := range statuses {
		if got := status(in); got != want {
			t.Errorf("status(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCustomerAttributes(t *testing.T) {
	c := newTestConnector(t, Config{Subdomain: "acme", WebhookSecret: "s", CustomFields: map[string]string{
		sdk.AttrPlan: "plan", sdk.AttrMRR: "mrr", sdk.AttrLTV: "ltv", sdk.AttrRenewalDate: "renewal", sdk.AttrEngagement: "engaged",
		sdk.AttrUsageTrend: "usage", sdk.AttrLastLogin: "missing",
	}}, time.Now())
	user := &zendeskapi.User{UserFields: map[string]any{"plan": "pro", "mrr": nil, "ltv": " ", "engaged": true, "usage": -60.0}}
	org := &zendeskapi.Organization{OrganizationFields: map[string]any{"plan": "enterprise", "mrr": 2400.0, "ltv": 12345.5, "renewal": "2026-12-31"}}
	tests := []struct {
		name string
		user *zendeskapi.User
		org  *zendeskapi.Organization
		want map[string]string
	}{
		{name: "user first, then organization", user: user, org: org, want: map[string]string{
			sdk.AttrPlan: "pro", sdk.AttrMRR: "2400", sdk.AttrLTV: "12345.5", sdk.AttrRenewalDate: "2026-12-31", sdk.AttrEngagement: "true", sdk.AttrUsageTrend: "-60",
		}},
		{name: "user only", user: user, want: map[string]string{sdk.AttrPlan: "pro", sdk.AttrEngagement: "true", sdk.AttrUsageTrend: "-60"}},
		{name: "nothing known", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.customer(tc.user, tc.org); !maps.Equal(got, tc.want) {
				t.Errorf("customer = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestFieldString(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "string", in: " gold ", want: "gold"},
		{name: "integral float", in: 2400.0, want: "2400"},
		{name: "decimal", in: 0.25, want: "0.25"},
		{name: "large", in: 1e21, want: "1000000000000000000000"},
		{name: "bool", in: false, want: "false"},
		{name: "multi-select", in: []any{"a", "", "b"}, want: "a,b"},
		{name: "null", in: nil, want: ""},
		{name: "object", in: map[string]any{"x": 1}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldString(tc.in); got != tc.want {
				t.Errorf("fieldString(%#v) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestArticleCursors(t *testing.T) {
	list := zendeskapi.ArticlesQuery(articlesPageSize, "")
	inc := zendeskapi.IncrementalQuery(time.Unix(1700000000, 0))
	one := []zendeskapi.Article{{ID: 1}}
	tests := []struct {
		name        string
		incremental bool
		q           url.Values
		page        zendeskapi.ArticlesPage
		want        string
	}{
		{name: "cursor page with more", q: list, page: zendeskapi.ArticlesPage{Articles: one, Meta: zendeskapi.Meta{HasMore: true, AfterCursor: "c1"}},
			want: "list?page%5Bafter%5D=c1&page%5Bsize%5D=30"},
		{name: "last cursor page", q: list, page: zendeskapi.ArticlesPage{Articles: one, Meta: zendeskapi.Meta{AfterCursor: "c1"}}, want: ""},
		{name: "offset-style next_page", q: list, page: zendeskapi.ArticlesPage{Articles: one, NextPage: "https://acme.zendesk.com/api/v2/help_center/articles.json?page=2&per_page=30"},
			want: "list?page=2&per_page=30"},
		{name: "incremental next_page with start_time", incremental: true, q: inc,
			page: zendeskapi.ArticlesPage{Articles: one, NextPage: "https://acme.zendesk.com/api/v2/help_center/incremental/articles.json?start_time=1700000500", EndTime: 1700000500},
			want: "inc?start_time=1700000500"},
		{name: "incremental next_page with a page number", incremental: true, q: inc,
			page: zendeskapi.ArticlesPage{Articles: one, NextPage: "https://x/api/v2/help_center/incremental/articles?page=2"},
			want: "inc?page=2&start_time=1700000000"},
		{name: "incremental cursor style", incremental: true, q: inc, page: zendeskapi.ArticlesPage{Articles: one, Meta: zendeskapi.Meta{HasMore: true, AfterCursor: "z"}},
			want: "inc?page%5Bafter%5D=z&start_time=1700000000"},
		{name: "incremental end", incremental: true, q: inc, page: zendeskapi.ArticlesPage{Articles: one, EndTime: 1700000500}, want: ""},
		{name: "end of stream", incremental: true, q: inc, page: zendeskapi.ArticlesPage{Articles: one, EndOfStream: true, NextPage: "https://x/?start_time=1"}, want: ""},
		{name: "empty page", incremental: true, q: inc, page: zendeskapi.ArticlesPage{NextPage: "https://x/?start_time=1700000500"}, want: ""},
		{name: "next page that does not advance", incremental: true, q: inc,
			page: zendeskapi.ArticlesPage{Articles: one, NextPage: "https://x/api/v2/help_center/incremental/articles?start_time=1700000000"}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextCursor(tc.incremental, tc.q, &tc.page); got != tc.want {
				t.Errorf("nextCursor = %q; want %q", got, tc.want)
			}
			if tc.want == "" {
				return
			}
			incremental, q, err := articlesQuery(&sdk.ListArticlesRequest{Cursor: tc.want})
			if err != nil || incremental != tc.incremental || q.Encode() == tc.q.Encode() {
				t.Errorf("articlesQuery(%q) = %v, %v, %v; want the next page's query", tc.want, incremental, q, err)
			}
		})
	}
	for _, bad := range []string{"nope", "inc?page=2", "list?%zz"} {
		if _, _, err := articlesQuery(&sdk.ListArticlesRequest{Cursor: bad}); !errors.Is(err, sdk.ErrInvalid) {
			t.Errorf("articlesQuery(%q) = %v; want ErrInvalid", bad, err)
		}
	}
}
