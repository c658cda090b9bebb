package webhooks_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/queue"
	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/webhooks"
)

// funcConn is a connector made of functions; a nil check accepts all.
type funcConn struct {
	check  func(http.Header) error // HeaderChecker, when set
	decode func(body []byte) ([]sdk.Event, error)
}

func (f funcConn) VerifyWebhook(http.Header, []byte) error { return nil }

func (f funcConn) DecodeWebhook(_ http.Header, body []byte) ([]sdk.Event, error) {
	return f.decode(body)
}

// checkingConn adds the optional header check.
type checkingConn struct{ funcConn }

func (c checkingConn) CheckWebhookHeaders(h http.Header) error { return c.check(h) }

func acceptAll(_ context.Context, jobs []queue.Job) ([]queue.Result, error) {
	return make([]queue.Result, len(jobs)), nil
}

func serve(t *testing.T, conn webhooks.Connector, q webhooks.Enqueuer, cfg webhooks.Config) http.Handler {
	t.Helper()
	cfg.Connectors = map[string]webhooks.Connector{"acme": conn}
	cfg.Queue = q
	s, err := webhooks.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPoisonedIDsAre400NamingTheField(t *testing.T) {
	long := strings.Repeat("9", webhooks.MaxIDBytes+1)
	cases := []struct {
		name  string
		ev    sdk.Event
		field string
	}{
		{"NUL in event id", sdk.Event{ID: "e\x001"}, "event id contains a NUL"},
		{"NUL in actor id", sdk.Event{ID: "e1", Actor: "a\x00"}, "actor id contains a NUL"},
		{"NUL in ticket id", sdk.Event{ID: "e1", Ticket: sdk.TicketRef{ID: "\x005158"}}, "ticket id contains a NUL"},
		{"invalid UTF-8 in event id", sdk.Event{ID: "e\xff1"}, "event id is not valid UTF-8"},
		{"invalid UTF-8 in actor", sdk.Event{ID: "e1", Actor: "\xc3("}, "actor id is not valid UTF-8"},
		{"event id too long", sdk.Event{ID: long}, "event id is 257 bytes, over the 256-byte limit"},
		{"ticket id too long", sdk.Event{ID: "e1", Ticket: sdk.TicketRef{ID: long}}, "ticket id is 257 bytes"},
		{"actor too long", sdk.Event{ID: "e1", Actor: long}, "actor id is 257 bytes"},
		{"control character", sdk.Event{ID: "e\n1"}, "event id contains a control character"},
		{"empty event id", sdk.Event{Ticket: sdk.TicketRef{ID: "1"}}, "event id is empty"},
		{"payload not JSON", sdk.Event{ID: "e1", Payload: json.RawMessage("{")}, "payload is not valid JSON"},
	}
	var enqueued atomic.Int64
	q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
		enqueued.Add(int64(len(jobs)))
		return acceptAll(ctx, jobs)
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := funcConn{decode: func([]byte) ([]sdk.Event, error) { return []sdk.Event{tc.ev}, nil }}
			rec := do(serve(t, conn, q, webhooks.Config{}), http.MethodPost, "/v1/webhooks/acme", "x", "")
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.field) {
				t.Errorf("status %d body %s; want 400 naming %q", rec.Code, rec.Body.String(), tc.field)
			}
			if strings.Contains(rec.Body.String(), long) {
				t.Error("the response echoes the oversized id")
			}
		})
	}
	if n := enqueued.Load(); n != 0 {
		t.Errorf("%d poisoned jobs reached the queue; want 0", n)
	}
	// The bound is inclusive.
	conn := funcConn{decode: func([]byte) ([]sdk.Event, error) {
		return []sdk.Event{{ID: long[1:], Actor: "é", Ticket: sdk.TicketRef{ID: "5158"}}}, nil
	}}
	if rec := do(serve(t, conn, q, webhooks.Config{}), http.MethodPost, "/v1/webhooks/acme", "x", ""); rec.Code != http.StatusAccepted {
		t.Errorf("id of exactly %d bytes: %d %s; want 202", webhooks.MaxIDBytes, rec.Code, rec.Body.String())
	}
}

func TestPayloadNULEscapesAreReplaced(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"s":"a\u0000b"}`, `{"s":"a\ufffdb"}`},
		{`{"s":"\u0000\u0000"}`, `{"s":"\ufffd\ufffd"}`},
		{`{"s":"a\\u0000b"}`, `{"s":"a\\u0000b"}`},         // an escaped backslash, then text
		{`{"s":"a\\\u0000b"}`, `{"s":"a\\\ufffdb"}`},       // an escaped backslash, then a NUL
		{`{"s":"\u00001","n":1}`, `{"s":"\ufffd1","n":1}`}, // digits after the escape stay
		{`{"s":"plain"}`, `{"s":"plain"}`},
	}
	for _, tc := range cases {
		var got atomic.Value
		q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
			got.Store(string(jobs[0].Event.Payload))
			return acceptAll(ctx, jobs)
		}}
		conn := funcConn{decode: func(b []byte) ([]sdk.Event, error) {
			return []sdk.Event{{ID: "e1", Payload: json.RawMessage(b)}}, nil
		}}
		rec := do(serve(t, conn, q, webhooks.Config{}), http.MethodPost, "/v1/webhooks/acme", tc.in, "")
		if rec.Code != http.StatusAccepted {
			t.Fatalf("%s: %d %s", tc.in, rec.Code, rec.Body.String())
		}
		if g, _ := got.Load().(string); g != tc.want {
			t.Errorf("payload %s stored as %s; want %s", tc.in, g, tc.want)
		}
	}
}

func TestConcurrencyCapAnswers503WithRetryAfter(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan struct{}, 8)
	q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
		entered <- struct{}{}
		<-hold
		return acceptAll(ctx, jobs)
	}}
	h := serve(t, fakeConn{}, q, webhooks.Config{MaxConcurrent: 2})
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = do(h, http.MethodPost, "/v1/webhooks/acme", fmt.Sprintf("held%d", i), "ok").Code })
	}
	<-entered
	<-entered
	rec := do(h, http.MethodPost, "/v1/webhooks/acme", "third", "ok")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third request while two are held: %d Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	close(hold)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusAccepted {
			t.Errorf("held request %d: %d; want 202", i, c)
		}
	}
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", "after", "ok"); rec.Code != http.StatusAccepted {
		t.Errorf("after the held requests finished: %d; want 202 (slots released)", rec.Code)
	}
}

func TestBufferedBytesCapAnswers503(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan struct{}, 1)
	q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
		if jobs[0].Event.ID == strings.Repeat("a", 60) {
			entered <- struct{}{}
			<-hold
		}
		return acceptAll(ctx, jobs)
	}}
	h := serve(t, fakeConn{}, q, webhooks.Config{MaxBodyBytes: 64, MaxBufferedBytes: 100})
	done := make(chan int)
	go func() { done <- do(h, http.MethodPost, "/v1/webhooks/acme", strings.Repeat("a", 60), "ok").Code }()
	<-entered
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", strings.Repeat("b", 60), "ok"); rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("60 more bytes over a 100-byte budget holding 60: %d; want 503 with Retry-After", rec.Code)
	}
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", strings.Repeat("c", 40), "ok"); rec.Code != http.StatusAccepted {
		t.Errorf("40 bytes that fit the budget: %d %s; want 202", rec.Code, rec.Body.String())
	}
	close(hold)
	if c := <-done; c != http.StatusAccepted {
		t.Errorf("held request: %d", c)
	}
	if rec := do(h, http.MethodPost, "/v1/webhooks/acme", strings.Repeat("d", 60), "ok"); rec.Code != http.StatusAccepted {
		t.Errorf("after release: %d; want 202", rec.Code)
	}
}

// trackingBody records whether anything read it.
type trackingBody struct {
	r    io.Reader
	read atomic.Bool
}

func (b *trackingBody) Read(p []byte) (int, error) { b.read.Store(true); return b.r.Read(p) }
func (b *trackingBody) Close() error               { return nil }

func TestHeaderCheckRunsBeforeTheBodyIsRead(t *testing.T) {
	conn := checkingConn{funcConn{
		check: func(h http.Header) error {
			if h.Get("X-Sig") == "" {
				return fmt.Errorf("missing X-Sig: %w", sdk.ErrUnauthorized)
			}
			return nil
		},
		decode: func([]byte) ([]sdk.Event, error) { return []sdk.Event{{ID: "e1"}}, nil },
	}}
	h := serve(t, conn, fakeQueue{enqueue: acceptAll}, webhooks.Config{})
	for _, sig := range []string{"", "present"} {
		body := &trackingBody{r: strings.NewReader("payload")}
		req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/acme", body)
		req.ContentLength = 7
		if sig != "" {
			req.Header.Set("X-Sig", sig)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch sig {
		case "":
			if rec.Code != http.StatusUnauthorized || body.read.Load() || rec.Header().Get("Connection") != "close" {
				t.Errorf("unsigned: %d, body read %v, Connection %q; want 401 with the body unread and the connection closed",
					rec.Code, body.read.Load(), rec.Header().Get("Connection"))
			}
		default:
			if rec.Code != http.StatusAccepted || !body.read.Load() {
				t.Errorf("signed: %d, body read %v; want 202 after reading", rec.Code, body.read.Load())
			}
		}
	}
}

// TestContentLengthWithChunkedIsRefusedAndClosed speaks raw HTTP/1.1 to a
// real server: Go's net/http alone would let chunked win and serve the
// request smuggled after it on the same connection.
func TestContentLengthWithChunkedIsRefusedAndClosed(t *testing.T) {
	var served atomic.Int64
	q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
		served.Add(1)
		return acceptAll(ctx, jobs)
	}}
	srv := httptest.NewServer(serve(t, fakeConn{}, q, webhooks.Config{}))
	defer srv.Close()
	cases := []struct{ name, head string }{
		{"content-length and chunked", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"},
		{"chunked alone", "Transfer-Encoding: chunked\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			raw := "POST /v1/webhooks/acme HTTP/1.1\r\nHost: x\r\nX-Sig: ok\r\n" + tc.head + "\r\n" +
				"2\r\ne1\r\n0\r\n\r\n" +
				"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
			if _, err := io.WriteString(c, raw); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusLengthRequired || !resp.Close {
				t.Errorf("first response %d, close %v; want 411 and the connection closed", resp.StatusCode, resp.Close)
			}
			if second, err := http.ReadResponse(br, nil); err == nil {
				_ = second.Body.Close()
				t.Errorf("the smuggled request was served: %d", second.StatusCode)
			}
		})
	}
	if n := served.Load(); n != 0 {
		t.Errorf("%d chunked deliveries were enqueued; want 0", n)
	}
	// A plain delivery with a Content-Length still works.
	resp, err := http.Post(srv.URL+"/v1/webhooks/acme", "text/plain", strings.NewReader("e2"))
	if err == nil {
		_ = resp.Body.Close()
	}
	if err == nil && resp.StatusCode != http.StatusUnauthorized {
		// fakeConn wants X-Sig; an unsigned post proves only that it was routed.
		t.Errorf("Content-Length post: %d; want 401 from the signature check", resp.StatusCode)
	}
}

func TestDedupeCacheIgnoresIDSize(t *testing.T) {
	var calls atomic.Int64
	q := fakeQueue{enqueue: func(ctx context.Context, jobs []queue.Job) ([]queue.Result, error) {
		calls.Add(1)
		return acceptAll(ctx, jobs)
	}}
	h := newServerWith(t, q, webhooks.Config{DedupeCacheSize: 2})
	ids := []string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)}
	for _, id := range ids {
		if rec := do(h, http.MethodPost, "/v1/webhooks/acme", id, "ok"); rec.Code != http.StatusAccepted {
			t.Fatalf("%d", rec.Code)
		}
	}
	// Capacity 2: the oldest key was evicted and goes back to the queue;
	// the newest is answered from memory.
	_ = do(h, http.MethodPost, "/v1/webhooks/acme", ids[2], "ok")
	if n := calls.Load(); n != 3 {
		t.Errorf("queue calls after a cached redelivery: %d; want 3", n)
	}
	_ = do(h, http.MethodPost, "/v1/webhooks/acme", ids[0], "ok")
	if n := calls.Load(); n != 4 {
		t.Errorf("queue calls after an evicted redelivery: %d; want 4", n)
	}
}

func newServerWith(t *testing.T, q webhooks.Enqueuer, cfg webhooks.Config) http.Handler {
	t.Helper()
	return serve(t, fakeConn{}, q, cfg)
}
