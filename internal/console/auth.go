package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

// Cookie names.
const (
	sessionCookie = "heard_session"
	loginCookie   = "heard_login" // the login form's CSRF token, before a session exists
)

// TokenUser is the user a token sign-in is recorded as.
const TokenUser = "admin"

// session is one signed-in user. id is the token in the cookie; the
// store keeps only its hash, so a copy of the database signs no one in.
type session struct {
	id      string
	user    string
	csrf    string
	expires time.Time
}

// sessions keeps sessions in the store: they survive a restart (and are
// shared by replicas on one PostgreSQL) and end at their expiry.
type sessions struct {
	st  Store
	ttl time.Duration
	now func() time.Time
}

func newSessions(st Store, ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{st: st, ttl: ttl, now: now}
}

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// csrfToken is a session's CSRF token, derived from its token (and not
// from the hash the store keeps).
func csrfToken(token string) string {
	sum := sha256.Sum256([]byte("heard-console-csrf:" + token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (s *sessions) create(ctx context.Context, user string) (*session, error) {
	now := s.now()
	if _, err := s.st.DeleteExpiredSessions(ctx, now); err != nil { // tidy while here
		return nil, err
	}
	x := &session{id: randomToken(), user: user, expires: now.Add(s.ttl)}
	x.csrf = csrfToken(x.id)
	if err := s.st.SaveSession(ctx, store.ConsoleSession{Hash: tokenHash(x.id), User: user, Created: now, Expires: x.expires}); err != nil {
		return nil, err
	}
	return x, nil
}

// get returns the session for token; nil when there is none or it
// expired.
func (s *sessions) get(ctx context.Context, token string) (*session, error) {
	if token == "" {
		return nil, nil
	}
	rec, err := s.st.Session(ctx, tokenHash(token), s.now())
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &session{id: token, user: rec.User, csrf: csrfToken(token), expires: rec.Expires}, nil
}

func (s *sessions) delete(ctx context.Context, token string) error {
	return s.st.DeleteSession(ctx, tokenHash(token))
}

// equal compares secrets in constant time.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// checkPassword reports whether user and password match the configured
// username and bcrypt hash. bcrypt runs even for a wrong user, so the
// time taken does not tell whether the user exists.
func (s *Server) checkPassword(user, password string) bool {
	if s.cfg.Auth.Username == "" {
		return false
	}
	okPass := bcrypt.CompareHashAndPassword([]byte(s.cfg.Auth.PasswordHash.Reveal()), []byte(password)) == nil
	return equal(user, s.cfg.Auth.Username) && okPass
}

// proxyUser returns the user a trusted proxy named in the configured
// header; "" when the request did not come from a proxy address or has no
// such header.
func (s *Server) proxyUser(r *http.Request) string {
	if s.cfg.Auth.ProxyHeader == "" {
		return ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return ""
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	ip = ip.Unmap()
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return r.Header.Get(s.cfg.Auth.ProxyHeader)
		}
	}
	return ""
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{ //nolint:gosec // HttpOnly and SameSite=Strict always; Secure whenever served over TLS (plain HTTP on loopback cannot keep a Secure cookie)
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.TLS,
	})
}
