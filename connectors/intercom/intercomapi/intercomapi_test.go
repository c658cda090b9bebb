package intercomapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

func TestFlexString(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "string", in: `"503"`, want: "503"},
		{name: "padded string", in: `" 503 "`, want: "503"},
		{name: "integer", in: `503`, want: "503"},
		{name: "large integer", in: `991267645000000001`, want: "991267645000000001"},
		{name: "null", in: `null`, want: ""},
		{name: "object", in: `{}`, wantErr: true},
		{name: "bool", in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s FlexString
			err := json.Unmarshal([]byte(tt.in), &s)
			if (err != nil) != tt.wantErr || string(s) != tt.want {
				t.Errorf("Unmarshal(%s) = %q, %v; want %q, error %v", tt.in, s, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestUnix(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "number", in: `1734540001`, want: time.Unix(1734540001, 0)},
		{name: "string (API 1.x)", in: `"1410335293"`, want: time.Unix(1410335293, 0)},
		{name: "float", in: `1734540001.9`, want: time.Unix(1734540001, 0)},
		{name: "null", in: `null`},
		{name: "empty string", in: `""`},
		{name: "date string", in: `"2025-01-08"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u Unix
			err := json.Unmarshal([]byte(tt.in), &u)
			if (err != nil) != tt.wantErr || !u.Time().Equal(tt.want) {
				t.Errorf("Unmarshal(%s) = %s, %v; want %s, error %v", tt.in, u.Time(), err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNextPage(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want NextPage
	}{
		{name: "object", in: `{"per_page":25,"starting_after":"abc"}`, want: NextPage{PerPage: 25, StartingAfter: "abc"}},
		{name: "url with page", in: `"https://api.intercom.io/articles?page=3&per_page=25"`, want: NextPage{PerPage: 25, Page: 3}},
		{name: "url with cursor", in: `"https://api.intercom.io/conversations?starting_after=xyz"`, want: NextPage{StartingAfter: "xyz"}},
		{name: "null", in: `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n NextPage
			if err := json.Unmarshal([]byte(tt.in), &n); err != nil || n != tt.want {
				t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", tt.in, n, err, tt.want)
			}
		})
	}
}

func TestClientRequests(t *testing.T) {
	type seen struct {
		method, path, query, auth, version, accept, ctype, body string
	}
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get(HeaderVersion),
			r.Header.Get("Accept"), r.Header.Get("Content-Type"), string(b)}
		if r.URL.Path == "/missing/conversations/1" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte(`{"type":"x","id":"1"}`))
	}))
	defer srv.Close()
	vc := vendorapi.New("acme-intercom", vendorapi.Config{RatePerMinute: 60000}, srv.Client(), nil)
	c := New(vc, srv.URL+"/", "tok", "2.15")
	tests := []struct {
		name string
		call func() error
		want seen
	}{
		{name: "me", call: func() error { _, err := c.Me(t.Context()); return err },
			want: seen{method: "GET", path: "/me"}},
		{name: "reply", call: func() error {
			_, err := c.Reply(t.Context(), "7", &AdminReplyRequest{MessageType: MessageTypeNote, Type: ReplyTypeAdmin, AdminID: "9", Body: "<p>x</p>"})
			return err
		}, want: seen{method: "POST", path: "/conversations/7/reply", ctype: "application/json", body: `{"message_type":"note","type":"admin","admin_id":"9","body":"\u003cp\u003ex\u003c/p\u003e"}`}},
		{name: "attach tag", call: func() error {
			_, err := c.AttachTag(t.Context(), "7", &AttachTagRequest{ID: "3", AdminID: "9"})
			return err
		}, want: seen{method: "POST", path: "/conversations/7/tags", ctype: "application/json", body: `{"id":"3","admin_id":"9"}`}},
		{name: "create tag", call: func() error { _, err := c.CreateTag(t.Context(), "billing"); return err },
			want: seen{method: "POST", path: "/tags", ctype: "application/json", body: `{"name":"billing"}`}},
		{name: "update", call: func() error {
			_, err := c.UpdateConversation(t.Context(), "7", &UpdateConversationRequest{CustomAttributes: map[string]any{"a": "b"}})
			return err
		}, want: seen{method: "PUT", path: "/conversations/7", ctype: "application/json", body: `{"custom_attributes":{"a":"b"}}`}},
		{name: "search", call: func() error {
			_, err := c.SearchConversations(t.Context(), &SearchRequest{Query: SearchFilter{Field: "contact_ids", Operator: OpEquals, Value: "c1"}, Pagination: &Pagination{PerPage: 20}})
			return err
		}, want: seen{method: "POST", path: "/conversations/search", ctype: "application/json", body: `{"query":{"field":"contact_ids","operator":"=","value":"c1"},"pagination":{"per_page":20}}`}},
		{name: "contact id escaped", call: func() error { _, err := c.Contact(t.Context(), "a/b"); return err },
			want: seen{method: "GET", path: "/contacts/a%2Fb"}},
		{name: "articles page 2", call: func() error { _, err := c.Articles(t.Context(), ArticlesPage{Page: 2, PerPage: 25}); return err },
			want: seen{method: "GET", path: "/articles", query: "page=2&per_page=25"}},
		{name: "articles first page", call: func() error { _, err := c.Articles(t.Context(), ArticlesPage{Page: 1}); return err },
			want: seen{method: "GET", path: "/articles"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			tt.want.auth, tt.want.version, tt.want.accept = "Bearer tok", "2.15", "application/json"
			if got != tt.want {
				t.Errorf("request = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
	missing := New(vc, srv.URL+"/missing", "tok", "")
	_, err := missing.Conversation(t.Context(), "1")
	if !errors.Is(err, sdk.ErrNotFound) || got.version != "" {
		t.Errorf("Conversation(missing) = %v with version %q; want ErrNotFound and no Intercom-Version", err, got.version)
	}
}
