package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/config"
	"github.com/heardhq/heard/internal/overlay"
	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is what the console reads from heard's store, and its audit log.
type Store interface {
	store.Audit
	SaveSession(ctx context.Context, x store.ConsoleSession) error
	Session(ctx context.Context, hash string, now time.Time) (store.ConsoleSession, error)
	DeleteSession(ctx context.Context, hash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	Records(ctx context.Context, f store.Filter) ([]store.Record, error)
	QueueCounts(ctx context.Context) (map[string]int64, error)
	OldestQueued(ctx context.Context) (time.Time, error)
	WriteFailures(ctx context.Context, since time.Time) ([]store.WriteFailures, error)
	SummarizeRecords(ctx context.Context, f store.SummaryFilter) (store.RecordSummary, error)
	ListAlerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error)
	Feedback(ctx context.Context, f store.FeedbackFilter) ([]store.Feedback, error)
}

// Config configures a Server.
type Config struct {
	// Listen is the address the console is served on; New refuses a
	// non-loopback one when Auth configures no authentication.
	Listen string
	Auth   config.Console
	Store  Store
	// Modes is each connector's mode (shadow or live), for the filters.
	Modes map[string]config.Mode
	// Links build a ticket's URL in its help desk, per connector.
	Links map[string]sdk.TicketLinker
	// TLS marks cookies Secure: set it when the console is served over
	// HTTPS (directly or by a proxy in front).
	TLS    bool
	Logger *slog.Logger
	// Ops feeds the model and operations pages (ops.go).
	Ops Ops
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Settings is the overlay the console changes (gate thresholds,
	// connector modes); nil: the agreement and connector pages only show.
	Settings *overlay.Settings
	// Thresholds returns the gate thresholds in force under the overlay
	// (the config file's), by gate name; nil: none shown but the overlay's.
	Thresholds func() map[string]float64
}

// ErrPublicWithoutAuth is returned by New for a non-loopback address
// without authentication.
var ErrPublicWithoutAuth = errors.New("the console refuses a non-loopback address without authentication")

// Server is the console's http.Handler.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	sessions *sessions
	proxies  []netip.Prefix
	pages    map[string]*template.Template
	handler  http.Handler
}

// New builds the console.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("console: no store: %w", sdk.ErrInvalid)
	}
	if !cfg.Auth.HasAuth() && !config.Loopback(cfg.Listen) {
		return nil, fmt.Errorf("console on %q: %w; configure admin.console.token, username and password_hash, or proxy_header", cfg.Listen, ErrPublicWithoutAuth)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	ttl := cfg.Auth.SessionTTL.Std()
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	s.sessions = newSessions(cfg.Store, ttl, s.now)
	for _, p := range cfg.Auth.ProxyAddresses {
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, fmt.Errorf("console: proxy address %q: %w", p, sdk.ErrInvalid)
			}
			pre = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		s.proxies = append(s.proxies, pre)
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) parseTemplates() error {
	funcs := template.FuncMap{
		"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"conf": func(f float64) string { return fmt.Sprintf("%.2f", f) },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2006-01-02 15:04:05")
		},
		"join":  strings.Join,
		"split": strings.Fields,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return fmt.Errorf("console template %s: %w", n, err)
		}
		s.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

type ctxKey struct{}

// sessionOf returns the request's session, set by requireSession.
func sessionOf(r *http.Request) *session {
	x, _ := r.Context().Value(ctxKey{}).(*session)
	return x
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.requireSession(http.HandlerFunc(s.logout)))
	mux.Handle("GET /{$}", s.requireSession(http.HandlerFunc(s.overview)))
	mux.Handle("GET /tickets", s.requireSession(http.HandlerFunc(s.tickets)))
	mux.Handle("GET /tickets/{connector}/{id}", s.requireSession(http.HandlerFunc(s.ticket)))
	mux.Handle("GET /audit", s.requireSession(http.HandlerFunc(s.audit)))
	s.opsRoutes(mux)
	s.liveRoutes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return s.headers(cop.Handler(mux))
}

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// requireSession lets signed-in requests through: a valid session cookie,
// or a user named by a trusted proxy (who gets a session). Others get 401
// with the login page. A POST must also carry the session's CSRF token.
func (s *Server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var x *session
		if c, err := r.Cookie(sessionCookie); err == nil {
			if x, err = s.sessions.get(r.Context(), c.Value); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if pu := s.proxyUser(r); pu != "" && (x == nil || x.user != pu) {
			if r.Method != http.MethodGet {
				// A fresh proxy session has no token the form could carry.
				http.Error(w, "forbidden: no session", http.StatusForbidden)
				return
			}
			var err error
			if x, err = s.sessions.create(r.Context(), pu); err != nil {
				s.fail(w, r, err)
				return
			}
			s.setCookie(w, sessionCookie, x.id, int(s.sessions.ttl.Seconds()))
			s.addAudit(r.Context(), x.user, "login", "", "via proxy")
		}
		if x == nil {
			s.renderLogin(w, r, http.StatusUnauthorized, "Sign in to continue.")
			return
		}
		if r.Method == http.MethodPost && !equal(r.PostFormValue("csrf"), x.csrf) {
			http.Error(w, "forbidden: missing or wrong CSRF token", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, x)))
	})
}

func (s *Server) addAudit(ctx context.Context, actor, action, target, detail string) {
	if _, err := s.cfg.Store.AddAudit(ctx, store.AuditEntry{At: s.now(), Actor: actor, Action: action, Target: target, Detail: detail}); err != nil {
		s.log.ErrorContext(ctx, "console: writing the audit log", "action", action, "err", err)
	}
}

// loginView is the login page's data.
type loginView struct {
	CSRF            string
	Message         string
	Token, Password bool
	Proxy           bool
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	tok := randomToken()
	s.setCookie(w, loginCookie, tok, 600)
	a := s.cfg.Auth
	s.renderStatus(w, r, status, "login", "Sign in", loginView{CSRF: tok, Message: msg, Token: a.Token != "", Password: a.Username != "", Proxy: a.ProxyHeader != ""})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "")
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil || !equal(r.PostFormValue("csrf"), c.Value) {
		http.Error(w, "forbidden: missing or wrong CSRF token (reload the login page)", http.StatusForbidden)
		return
	}
	user := ""
	a := s.cfg.Auth
	switch {
	case !a.HasAuth():
		user = TokenUser // loopback without authentication
	case r.PostFormValue("token") != "":
		if a.Token != "" && equal(r.PostFormValue("token"), a.Token.Reveal()) {
			user = TokenUser
		}
	case r.PostFormValue("username") != "":
		if s.checkPassword(r.PostFormValue("username"), r.PostFormValue("password")) {
			user = a.Username
		}
	}
	if user == "" {
		s.log.WarnContext(r.Context(), "console: failed sign-in", "remote", r.RemoteAddr)
		s.renderLogin(w, r, http.StatusUnauthorized, "Wrong token or password.")
		return
	}
	x, err := s.sessions.create(r.Context(), user)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, sessionCookie, x.id, int(s.sessions.ttl.Seconds()))
	s.setCookie(w, loginCookie, "", -1)
	s.addAudit(r.Context(), user, "login", "", "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	x := sessionOf(r)
	if err := s.sessions.delete(r.Context(), x.id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, sessionCookie, "", -1)
	s.addAudit(r.Context(), x.user, "logout", "", "")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// page is what every page template gets.
type page struct {
	Title string
	User  string
	CSRF  string
	Nav   string
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name, title string, data any) {
	s.renderStatus(w, r, http.StatusOK, name, title, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "no such page", http.StatusInternalServerError)
		return
	}
	p := page{Title: title, Nav: name, Data: data}
	if x := sessionOf(r); x != nil {
		p.User, p.CSRF = x.user, x.csrf
	}
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		s.log.ErrorContext(r.Context(), "console: rendering", "page", name, "err", err)
		http.Error(w, "rendering failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
